#pragma once

#include "jobs/JobRecord.h"
#include "sky/SkyOutput.h"

#include <QString>

#include <optional>

namespace vibeml::catalog {
class Catalog;
}

namespace vibeml::jobs {

// A `vibeml-` cluster that `sky status` lists but no live journal job owns: left by another machine,
// a lost journal, or a launch that outlived its job. Reported with what it costs and how to remove it.
struct OrphanCluster
{
    sky::ClusterRecord cluster;
    std::optional<double> pricePerHour; // estimated from the catalog; absent when unknown
    QString endedJobId;                 // a journal job that already ended with this cluster name

    QString teardownCommand() const; // "vibeml jobs down NAME"
};

bool isVibemlCluster(const QString &name);

// The `vibeml-` clusters of a `sky status` report that no live journal job owns.
QList<OrphanCluster> findOrphans(const sky::StatusReport &status, const QList<JobRecord> &jobs, const catalog::Catalog *catalog);

// "1x(gpus=H100:8, ...)" in "Nebius (eu-north1)" → the cheapest matching on-demand offer's price × nodes.
std::optional<double> estimateClusterPrice(const catalog::Catalog &catalog, const sky::ClusterRecord &cluster);

} // namespace vibeml::jobs
