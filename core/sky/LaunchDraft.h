#pragma once

#include "common/Result.h"
#include "cost/PlanEstimator.h"
#include "sky/LaunchPlan.h"

#include <QStringList>

// From an estimate and the offer a person chose to the LaunchPlan a launch would run: what the
// GUI's review step shows (and what a launch command or the MCP server would build the same way).
namespace vibeml::sky {

// What the person chose besides the model, data, settings and offer.
struct LaunchChoices
{
    QString outputRepo;       // empty: no upload
    QString downloadDir;      // absolute; empty: outputs stay on the cluster (and the Hub repo)
    bool outputPrivate = true;
    bool useWandb = false;
    int idleMinutes = 30;     // cluster.idle-minutes
};

// Why offer `offerIndex` of `estimate` cannot be launched, one sentence each; empty when it can.
// Covers the estimate's blockers, failed model and dataset checks, revisions the offline snapshot
// could not pin, offers of other clouds, offers that do not fit, GPUs the training stack cannot
// use, and a budget refusal.
QStringList launchBlockers(const cost::PlanEstimate &estimate, qsizetype offerIndex);

// The plan for offer `offerIndex`, with the model and dataset pinned to the commits their
// reports found, the (possibly user-edited) column mapping of the dataset report, the HF token
// passed when the model or data is gated or private or an output repo is named, and the catalog
// note of the offer's cloud. Fails only when there is no such offer.
Result<LaunchPlan, QString> draftLaunchPlan(const QString &jobId, const cost::PlanEstimate &estimate, qsizetype offerIndex,
                                            const cost::TrainingSettings &settings, const LaunchChoices &choices);

} // namespace vibeml::sky
