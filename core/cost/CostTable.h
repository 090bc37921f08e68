#pragma once

#include "catalog/Catalog.h"
#include "cost/MemoryEstimate.h"
#include "cost/TimeEstimate.h"
#include "cost/TrainingPlan.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace vibeml::cost {

// One way to run the plan: a GPU type and count, a region, on-demand or spot, one or more nodes.
struct OfferEstimate
{
    catalog::InstanceOffer instance;
    catalog::GpuSpec gpu;
    int nodes = 1;
    bool spot = false;
    bool launchable = false;   // false: another cloud, shown to compare only
    double pricePerHour = 0;   // the whole cluster
    MemoryEstimate memory;
    FitVerdict fit;
    TimeEstimate time;
    Range costUsd;
    bool cheapest = false;     // lowest expected cost among launchable offers that fit
    bool fastest = false;      // shortest expected time among launchable offers that fit
    bool paretoOptimal = false; // no other fitting launchable offer is both cheaper and faster
    QStringList notes;

    bool fitsInMemory() const { return fit.fit != Fit::DoesNotFit; }
    int totalGpus() const { return instance.acceleratorCount * nodes; }
    QString gpuLabel() const;  // "H100 × 8", "H100 × 8 × 2 nodes"
    QString key() const;       // stable id: cloud/region/instance/nodes/spot
};

struct OfferFilter
{
    QString region;                 // empty: every region
    QString gpu;                    // empty: every accelerator
    int gpuCount = 0;               // 0: any number of GPUs per node
    bool includeOnDemand = true;
    bool includeSpot = true;
    bool includeCompareOnly = true; // other clouds' offers, for comparison
    QList<int> nodeCounts = {1, 2, 4}; // more than one node only for 8-GPU instance types
};

struct CostTable
{
    QList<OfferEstimate> offers; // fitting offers by expected cost, then the rest by needed GPUs
    QStringList catalogNotes;    // which catalog and how old, per cloud

    const OfferEstimate *cheapest() const;
    const OfferEstimate *fastest() const;
    QList<const OfferEstimate *> paretoFrontier() const; // by expected hours
};

CostTable buildCostTable(const catalog::Catalog &catalog, const ModelFacts &model, const DatasetFacts &data,
                         const TrainingSettings &settings, const OfferFilter &filter = {});

QString formatDollars(double usd); // "$0.42", "$423.60", "$1,204"

} // namespace vibeml::cost
