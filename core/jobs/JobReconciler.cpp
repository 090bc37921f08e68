#include "jobs/JobReconciler.h"

#include <QCoreApplication>

#include <algorithm>

namespace vibeml::jobs {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("JobReconciler", text);
}

bool withinGrace(const JobRecord &job, const Observation &seen, const ReconcileTimings &timings)
{
    const QDateTime started = job.launchStartedAt.isValid() ? job.launchStartedAt : job.createdAt;
    return started.isValid() && started.secsTo(seen.now) < timings.launchGrace.count();
}

// The outcome of a job whose cluster was stopped while nobody watched: its own progress lines
// are the best witness left.
JobState outcomeFromProgress(const JobRecord &job)
{
    if (job.progress.done)
        return JobState::Succeeded;
    return JobState::Failed;
}

const sky::QueueEntry *findEntry(const JobRecord &job, const QList<sky::QueueEntry> &queue)
{
    const sky::QueueEntry *latest = nullptr;
    for (const sky::QueueEntry &entry : queue) {
        if (job.skyJobId && entry.id == *job.skyJobId)
            return &entry;
        if (!latest || entry.id > latest->id)
            latest = &entry;
    }
    // Without a recorded id (the launcher died before reading it) the newest job is ours: VibeML
    // clusters run one job each.
    return job.skyJobId ? nullptr : latest;
}

void endJob(Decision &decision, const JobRecord &job, JobState outcome, const QString &reason, const QDateTime &now,
            bool clusterStopped)
{
    decision.outcome = outcome;
    decision.state = outcome;
    decision.reason = reason;
    JobRecord ended = job;
    ended.outcome = outcome;
    if (!ended.endedAt.isValid())
        ended.endedAt = now;
    decision.action = policyAction(ended, now, clusterStopped);
}

Decision reconcileManaged(const JobRecord &job, const Observation &seen, const ReconcileTimings &timings)
{
    Decision decision;
    if (!seen.managedKnown || job.state == JobState::TearingDown)
        return decision;
    if (!seen.managed) {
        if (job.hasEnded() || isActive(job.state) || job.state == JobState::Stopped) {
            if (seen.launcherAlive || withinGrace(job, seen, timings))
                return decision;
            decision.state = job.hasEnded() ? JobState::Done : JobState::Lost;
            decision.reason = job.hasEnded() ? tr("The managed job has left the jobs controller's queue.")
                                             : tr("The jobs controller does not know this managed job (any more).");
            decision.billNothing = !job.clusterSeen && !job.managedJobId;
        }
        return decision;
    }
    decision.clusterSeen = true;
    if (!job.managedJobId)
        decision.skyJobId = seen.managed->id;
    const std::optional<JobState> mapped = stateForManagedStatus(seen.managed->status);
    if (!mapped)
        return decision;
    if (isOutcome(*mapped)) {
        // The controller tears the job's cluster down itself; nothing of ours is left to bill.
        decision.outcome = *mapped;
        decision.state = JobState::Done;
        decision.reason = tr("Managed job finished: %1.").arg(seen.managed->status);
    } else if (*mapped != job.state && !job.hasEnded()) {
        decision.state = *mapped;
        if (*mapped == JobState::Recovering)
            decision.reason = tr("Spot capacity was preempted; the jobs controller is recovering the job (recovery %1).")
                                  .arg(seen.managed->recoveries);
    }
    return decision;
}

} // namespace

bool Decision::changes(const JobRecord &job) const
{
    return (state && *state != job.state) || (outcome && *outcome != job.outcome) || (skyJobId && skyJobId != job.skyJobId)
           || (clusterSeen && !job.clusterSeen) || action != ClusterAction::None || confirmOutcome;
}

std::optional<JobState> stateForQueueStatus(const QString &status)
{
    if (status == QLatin1String("INIT") || status == QLatin1String("PENDING") || status == QLatin1String("SETTING_UP"))
        return JobState::SettingUp;
    if (status == QLatin1String("RUNNING"))
        return JobState::Running;
    if (status == QLatin1String("SUCCEEDED"))
        return JobState::Succeeded;
    if (status == QLatin1String("CANCELLED"))
        return JobState::Cancelled;
    if (status.startsWith(QLatin1String("FAILED")))
        return JobState::Failed;
    return std::nullopt;
}

std::optional<JobState> stateForManagedStatus(const QString &status)
{
    if (status == QLatin1String("PENDING") || status == QLatin1String("STARTING") || status == QLatin1String("SUBMITTED"))
        return JobState::Provisioning;
    if (status == QLatin1String("RUNNING"))
        return JobState::Running;
    if (status == QLatin1String("RECOVERING"))
        return JobState::Recovering;
    if (status == QLatin1String("SUCCEEDED"))
        return JobState::Succeeded;
    if (status == QLatin1String("CANCELLING") || status == QLatin1String("CANCELLED"))
        return JobState::Cancelled;
    if (status.startsWith(QLatin1String("FAILED")))
        return JobState::Failed;
    return std::nullopt;
}

ClusterAction policyAction(const JobRecord &job, const QDateTime &now, bool clusterStopped)
{
    if (!job.hasEnded() || job.state == JobState::TearingDown)
        return ClusterAction::None;
    switch (job.policy) {
    case TeardownPolicy::Down:
        return ClusterAction::Down;
    case TeardownPolicy::KeepMinutes: {
        const QDateTime ended = job.endedAt.isValid() ? job.endedAt : now;
        return ended.secsTo(now) >= qint64(job.keepMinutes) * 60 ? ClusterAction::Down : ClusterAction::None;
    }
    case TeardownPolicy::KeepStopped:
        return clusterStopped ? ClusterAction::None : ClusterAction::Stop;
    case TeardownPolicy::KeepUp:
        return ClusterAction::None;
    }
    return ClusterAction::None;
}

Decision reconcile(const JobRecord &job, const Observation &seen, const ReconcileTimings &timings)
{
    if (isTerminal(job.state))
        return {};
    if (job.managed)
        return reconcileManaged(job, seen, timings);
    Decision decision;
    if (!seen.statusKnown)
        return decision;
    // While `sky launch` runs, its own output drives the job; the launcher records it.
    const bool launching = job.state == JobState::Launching || (job.state == JobState::Provisioning && !job.skyJobId);
    if (launching && seen.launcherAlive)
        return decision;

    const bool tearDownDue = job.state == JobState::TearingDown && !job.teardownHeldOff(seen.now, seen.launcherAlive);

    if (!seen.cluster) {
        if (job.state == JobState::TearingDown) {
            decision.state = JobState::Done;
            decision.reason = tr("Cluster removed (sky status no longer lists it).");
            return decision;
        }
        // A submitted job (its sky job id known) proves a cluster existed and billed, even if no
        // poll listed it; like a managed job with an id, it is lost (or done), never free.
        if (!job.clusterSeen && !job.skyJobId) {
            if (!job.hasEnded() && withinGrace(job, seen, timings))
                return decision; // the orphaned `sky launch` may still be creating it
            decision.state = JobState::Done;
            decision.billNothing = true;
            if (!job.hasEnded()) {
                decision.outcome = JobState::Failed;
                decision.reason = tr("The launch was interrupted before a cluster was created; nothing is running.");
            } else {
                decision.reason = tr("No cluster was created.");
            }
            return decision;
        }
        if (job.hasEnded()) {
            decision.state = JobState::Done;
            decision.reason = tr("The cluster is gone (removed outside VibeML).");
            return decision;
        }
        decision.state = JobState::Lost;
        decision.reason = tr("The cluster disappeared while the job was %1: it was removed outside VibeML or by the "
                             "cloud. Check the Nebius console for leftover disks.")
                              .arg(stateLabel(job.state).toLower());
        return decision;
    }

    decision.clusterSeen = true;
    const QString status = seen.cluster->status;
    if (status == QLatin1String("STOPPED")) {
        if (job.state == JobState::TearingDown) {
            if (tearDownDue)
                decision.action = ClusterAction::Down;
            return decision;
        }
        if (!job.hasEnded()) {
            endJob(decision, job, outcomeFromProgress(job),
                   tr("The cluster was stopped (autostop) while no VibeML process was watching; the result comes from "
                      "the job's own log."),
                   seen.now, true);
            decision.state = JobState::Stopped;
            return decision;
        }
        if (job.state != JobState::Stopped)
            decision.state = JobState::Stopped;
        decision.action = policyAction(job, seen.now, true);
        return decision;
    }
    if (status == QLatin1String("INIT")) {
        if (job.state == JobState::TearingDown) {
            if (tearDownDue)
                decision.action = ClusterAction::Down;
        } else if (job.state == JobState::Launching || job.state == JobState::Stopped) {
            decision.state = JobState::Provisioning;
        }
        return decision;
    }

    // UP (or AUTOSTOPPING): the queue says what the job does.
    if (job.state == JobState::TearingDown) {
        if (tearDownDue)
            decision.action = ClusterAction::Down;
        return decision;
    }
    if (job.hasEnded()) {
        if (job.state == JobState::Stopped)
            decision.state = job.outcome; // restarted by hand; the policy applies again
        decision.action = policyAction(job, seen.now, false);
        return decision;
    }
    if (!seen.queueKnown)
        return decision;
    const sky::QueueEntry *entry = findEntry(job, seen.queue);
    if (!entry) {
        if (!withinGrace(job, seen, timings) && !seen.launcherAlive) {
            endJob(decision, job, JobState::Failed,
                   tr("The launch was interrupted after the cluster came up but before the job was submitted."), seen.now,
                   false);
        } else if (job.state == JobState::Launching || job.state == JobState::Stopped) {
            decision.state = JobState::Provisioning;
        }
        return decision;
    }
    if (!job.skyJobId || *job.skyJobId != entry->id)
        decision.skyJobId = entry->id;
    const std::optional<JobState> mapped = stateForQueueStatus(entry->status);
    if (!mapped)
        return decision;
    if (isOutcome(*mapped)) {
        endJob(decision, job, *mapped, tr("The job finished: %1.").arg(entry->status), seen.now, false);
        decision.confirmOutcome = true;
    } else if (*mapped != job.state) {
        decision.state = *mapped;
    }
    return decision;
}

} // namespace vibeml::jobs
