#pragma once

#include "catalog/GpuSpecs.h"
#include "cost/TrainingPlan.h"

#include <QString>
#include <QStringList>

namespace vibeml::cost {

struct Range
{
    double low = 0;
    double expected = 0;
    double high = 0;

    Range scaled(double factor) const { return {low * factor, expected * factor, high * factor}; }
    Range operator+(const Range &other) const { return {low + other.low, expected + other.expected, high + other.high}; }
};

struct ClusterShape
{
    catalog::GpuSpec gpu;
    int gpusPerNode = 1;
    int nodes = 1;
    bool infiniBand = false;
    bool spot = false;

    int totalGpus() const { return gpusPerNode * nodes; }
};

struct TimeEstimate
{
    double tokens = 0;          // tokens the run trains on (all epochs)
    double flops = 0;
    Range trainingHours;
    Range overheadHours;        // provisioning, setup, downloads, upload
    Range totalHours;           // what the cluster is billed for
    QStringList notes;          // assumptions that matter for this plan
};

// Time from launch to teardown as a low / expected / high range (see Assumptions.h).
TimeEstimate estimateTime(const ModelFacts &model, const DatasetFacts &data, const TrainingSettings &settings,
                          const ClusterShape &cluster);

// Tokens a run trains on: rows × tokens per row (capped at the sequence length) × epochs, or
// max steps × global batch × tokens per row.
double trainingTokens(const DatasetFacts &data, const TrainingSettings &settings, int totalGpus, QStringList *notes = nullptr);

QString formatHours(double hours); // "45 min", "3.2 h", "2.1 days"

} // namespace vibeml::cost
