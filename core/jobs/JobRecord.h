#pragma once

#include "common/ProcessIdentity.h"
#include "jobs/JobState.h"
#include "jobs/TrainingProgress.h"
#include "sky/LaunchPlan.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace vibeml::jobs {

// One row of the journal's jobs table: everything needed to find, watch, bill and tear down a
// job's cluster after any crash, restart, or hand-over between VibeML processes.
struct JobRecord
{
    QString id;      // "vibeml-qwen2-5-0-5b-x7k2p9"
    QString cluster; // the cluster's name (the job id for cluster jobs; the job name for managed ones)
    bool managed = false;
    JobState state = JobState::Launching;
    JobState outcome = JobState::Launching; // Succeeded/Failed/Cancelled once the job ended; else Launching
    QString reason;  // why it is in this state, in words ("budget cap of $50.00 reached")
    QString source;  // "gui", "cli", "mcp"

    sky::LaunchPlan plan;
    QString bundleDirectory;

    std::optional<int> skyJobId;     // from `sky launch` ("Job submitted, ID: 1") or the queue
    std::optional<int> managedJobId; // from `sky jobs launch`

    double pricePerHour = 0; // the whole cluster, on-demand or spot as launched
    double estimateLowUsd = 0;
    double estimateHighUsd = 0;
    std::optional<double> budgetCapUsd;

    TeardownPolicy policy = TeardownPolicy::Down;
    int keepMinutes = 30;
    bool purge = false; // the user asked for `sky down --purge`

    QDateTime createdAt;
    QDateTime launchStartedAt;
    QDateTime endedAt;     // when the outcome was known
    QDateTime tornDownAt;  // when the cluster was verified gone
    QDateTime updatedAt;

    double billedSeconds = 0; // closed billing intervals
    QDateTime billingSince;   // open interval; null while nothing bills
    double accruedUsd = 0;    // as of the last update
    std::optional<double> actualUsd; // final, once nothing bills any more
    bool budgetWarned = false;
    bool clusterSeen = false; // `sky status` listed the cluster at least once
    // Copying the outputs to plan.downloadDir before the cluster goes: "" (not yet, or not
    // asked), "downloaded", "failed", "skipped" (the budget cap left no room for it).
    QString outputsState;

    // The process running `sky launch` or `sky down`/`stop` for this job, while it does. Its claim
    // (nextTeardownAt in the future) holds only while it lives; without one it is a back-off.
    ProcessIdentity launcher;
    int teardownAttempts = 0;
    QDateTime nextTeardownAt;

    TrainingProgress progress;
    qint64 logLines = 0; // lines of the job's log stored in the bundle
    bool archived = false;

    // Seconds billed up to `now` (closed intervals plus the open one).
    double billedSecondsAt(const QDateTime &now) const;
    double accruedAt(const QDateTime &now) const;
    // What it cost: the final figure once known, else what it has accrued by `now`.
    double costAt(const QDateTime &now) const { return actualUsd ? *actualUsd : accruedAt(now); }
    // From the launch until the cluster was gone (or `now` while it may still exist).
    qint64 elapsedSecondsAt(const QDateTime &now) const;
    // The job has an outcome and the cluster still has to go (per policy, now or later).
    bool hasEnded() const { return isOutcome(outcome); }
    // Another attempt at `sky down`/`stop` must wait: a live process is running one, or a failed
    // one is backing off. `actorAlive` is whether `launcher` still runs.
    bool teardownHeldOff(const QDateTime &now, bool actorAlive) const
    {
        return nextTeardownAt.isValid() && nextTeardownAt > now && (launcher.isEmpty() || actorAlive);
    }
    // The plan asked for the outputs, the job ended on a cluster of its own that has not been
    // taken down yet, and they have not been copied (or given up on) yet.
    bool wantsOutputDownload() const
    {
        return !plan.downloadDir.isEmpty() && outputsState.isEmpty() && clusterSeen && !managed && isOutcome(state);
    }
    QString logFile() const; // <bundle>/logs/train.log
    QString stateText() const; // "Done (succeeded)", "Running", "Lost"
};

struct JobEvent
{
    qint64 id = 0;
    QString jobId;
    QDateTime at;
    QString kind;  // state, note, warning, error, budget, sky
    QString state; // the state name after a "state" event
    QString message;
};

} // namespace vibeml::jobs
