#pragma once

#include <QString>

#include <optional>

// The lifecycle of a VibeML job, which is also the lifecycle of the cluster it pays for.
//
//   Launching → Provisioning → SettingUp → Running → Succeeded | Failed | Cancelled
//                                              ↑↓ Recovering (spot managed jobs)
//   Succeeded | Failed | Cancelled → TearingDown → Done      (or kept, by teardown policy)
//   any live state → Stopped (autostop)      any state with a cluster → Lost (it vanished)
//
// Done and Lost are terminal: nothing is billing any more and nothing watches the job. Every other
// state means a cluster may exist, so the monitor keeps watching it.
namespace vibeml::jobs {

enum class JobState {
    Launching,    // the row is committed; `sky launch` is (about to be) running
    Provisioning, // the cluster is coming up (INIT)
    SettingUp,    // the job is submitted; setup (pip) or waiting for resources
    Running,
    Recovering,   // a managed job's spot instance was preempted and is being replaced
    Stopped,      // the cluster was stopped (autostop, or policy "keep stopped"); disks still bill
    Succeeded,    // the job ended; the cluster still exists (torn down next, or kept by policy)
    Failed,
    Cancelled,
    TearingDown,  // `sky down` issued; waiting for `sky status` to stop listing the cluster
    Done,         // the cluster is verified gone
    Lost,         // the cluster vanished without VibeML tearing it down
};

QString stateName(JobState state);        // "launching", "setting-up", … (stored in the journal)
std::optional<JobState> stateFromName(QStringView name);
QString stateLabel(JobState state);       // "Setting up" (translated, for people)

bool isTerminal(JobState state);          // Done, Lost
bool isOutcome(JobState state);           // Succeeded, Failed, Cancelled: the job has ended
bool isActive(JobState state);            // Launching … Recovering: the job has not ended yet
bool mayBill(JobState state);             // a cluster may exist and run up GPU cost

// Whether the lifecycle allows moving from `from` to `to` (staying put is always allowed).
bool canTransition(JobState from, JobState to);

// What happens to a job's cluster once the job has ended.
enum class TeardownPolicy {
    Down,        // `sky down` at once (the default)
    KeepMinutes, // keep it up for N minutes (to inspect or download), then down
    KeepStopped, // `sky stop` (disks keep billing; restart later)
    KeepUp,      // leave it running (autostop still stops it when idle)
};
QString policyName(TeardownPolicy policy); // "down", "keep-minutes", "keep-stopped", "keep-up"
std::optional<TeardownPolicy> policyFromName(QStringView name);
QString policyLabel(TeardownPolicy policy, int keepMinutes);

} // namespace vibeml::jobs
