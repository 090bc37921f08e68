#pragma once

#include "jobs/JobRecord.h"
#include "sky/SkyOutput.h"

#include <QDateTime>
#include <QList>

#include <chrono>
#include <optional>

// Decides a job's true state from what `sky` reports, as a pure function: the monitor gathers the
// observations (one `sky status`, one `sky queue`, one `sky jobs queue` for all jobs), asks this for
// each job, and carries out the decision. Tested table by table without any process.
namespace vibeml::jobs {

struct Observation
{
    QDateTime now;
    bool statusKnown = false;                 // `sky status` answered
    std::optional<sky::ClusterRecord> cluster; // the job's cluster, when listed
    bool queueKnown = false;                  // `sky queue` answered for this cluster
    QList<sky::QueueEntry> queue;             // this cluster's jobs
    bool managedKnown = false;                // `sky jobs queue` answered
    std::optional<sky::ManagedJobEntry> managed;
    bool launcherAlive = false;               // the process running `sky launch` still runs
};

struct ReconcileTimings
{
    // How long a launch whose launcher died may take to show a cluster or a submitted job before
    // VibeML gives up on it (the orphaned `sky launch` may still be provisioning).
    std::chrono::seconds launchGrace{std::chrono::minutes(3)};
};

enum class ClusterAction { None, Down, Stop };

struct Decision
{
    std::optional<JobState> state;   // move here
    std::optional<JobState> outcome; // the job ended with this (Succeeded, Failed, Cancelled)
    QString reason;
    std::optional<int> skyJobId;     // learned from the queue
    bool clusterSeen = false;
    bool confirmOutcome = false;     // ask `sky logs --status` before trusting `outcome`
    bool billNothing = false;        // no cluster ever existed: the job cost nothing
    ClusterAction action = ClusterAction::None;

    bool changes(const JobRecord &job) const;
};

Decision reconcile(const JobRecord &job, const Observation &seen, const ReconcileTimings &timings = {});

// Queue words → lifecycle states ("RUNNING" → Running, "FAILED_SETUP" → Failed, …).
std::optional<JobState> stateForQueueStatus(const QString &status);
std::optional<JobState> stateForManagedStatus(const QString &status);

// What the teardown policy asks for once a job has ended, at `now`.
ClusterAction policyAction(const JobRecord &job, const QDateTime &now, bool clusterStopped);

} // namespace vibeml::jobs
