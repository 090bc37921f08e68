#include "jobs/OrphanCluster.h"

#include "catalog/Catalog.h"

#include <QRegularExpression>

namespace vibeml::jobs {

QString OrphanCluster::teardownCommand() const
{
    return QStringLiteral("vibeml jobs down ") + cluster.name;
}

bool isVibemlCluster(const QString &name)
{
    return name.startsWith(QLatin1String("vibeml-"));
}

QList<OrphanCluster> findOrphans(const sky::StatusReport &status, const QList<JobRecord> &jobs, const catalog::Catalog *catalog)
{
    QList<OrphanCluster> orphans;
    for (const sky::ClusterRecord &cluster : status.clusters) {
        if (!isVibemlCluster(cluster.name))
            continue;
        const JobRecord *owner = nullptr;
        for (const JobRecord &job : jobs) {
            if (job.cluster == cluster.name && !job.managed && (!owner || !isTerminal(job.state)))
                owner = &job;
        }
        if (owner && !isTerminal(owner->state))
            continue;
        OrphanCluster orphan;
        orphan.cluster = cluster;
        if (catalog)
            orphan.pricePerHour = estimateClusterPrice(*catalog, cluster);
        if (owner)
            orphan.endedJobId = owner->id;
        orphans.append(orphan);
    }
    return orphans;
}

std::optional<double> estimateClusterPrice(const catalog::Catalog &catalog, const sky::ClusterRecord &cluster)
{
    static const QRegularExpression resources(QStringLiteral("^(\\d+)x\\(.*?gpus=([A-Za-z0-9-]+):(\\d+)"));
    static const QRegularExpression infra(QStringLiteral("^\\s*([A-Za-z]+)\\s*\\(([^)/]+)"));
    const QRegularExpressionMatch shape = resources.match(cluster.resources);
    if (!shape.hasMatch())
        return std::nullopt;
    const int nodes = shape.captured(1).toInt();
    const QString accelerator = shape.captured(2);
    const int count = shape.captured(3).toInt();
    const QRegularExpressionMatch where = infra.match(cluster.infra);
    const QString cloud = where.hasMatch() ? where.captured(1).toLower() : QStringLiteral("nebius");
    const QString region = where.hasMatch() ? where.captured(2).trimmed() : QString();
    std::optional<double> cheapest;
    for (const catalog::InstanceOffer &offer : catalog.offers(cloud)) {
        if (offer.accelerator.compare(accelerator, Qt::CaseInsensitive) != 0 || offer.acceleratorCount != count)
            continue;
        if (!region.isEmpty() && offer.region != region)
            continue;
        if (!cheapest || offer.pricePerHour < *cheapest)
            cheapest = offer.pricePerHour;
    }
    if (!cheapest || nodes <= 0)
        return std::nullopt;
    return *cheapest * nodes;
}

} // namespace vibeml::jobs
