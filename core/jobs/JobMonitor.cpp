#include "jobs/JobMonitor.h"

#include "catalog/Catalog.h"
#include "jobs/ClusterTeardown.h"
#include "jobs/JobLogFollower.h"
#include "jobs/JobStore.h"
#include "jobs/JournalLease.h"
#include "jobs/OutputDownload.h"
#include "log/Logging.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

namespace vibeml::jobs {

using namespace std::chrono_literals;

JobMonitor::JobMonitor(JobStore &store, JournalLease &lease, sky::SkyEnvironment environment, const catalog::Catalog *catalog,
                       MonitorTimings timings, QObject *parent)
    : QObject(parent), m_store(store), m_lease(lease), m_environment(std::move(environment)), m_catalog(catalog),
      m_timings(timings)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &JobMonitor::poll);
    m_leaseTimer.setInterval(std::max<std::chrono::milliseconds>(1s, m_timings.leaseTtl / 3));
    connect(&m_leaseTimer, &QTimer::timeout, this, [this] {
        if (m_lease.isHeld() && !m_lease.acquireOrRenew(m_timings.leaseTtl))
            Q_EMIT actingChanged(false);
    });
}

JobMonitor::~JobMonitor()
{
    stop();
}

void JobMonitor::start()
{
    if (m_running)
        return;
    m_running = true;
    m_sinceReconcile.invalidate(); // the first poll reconciles with a refreshed status
    m_leaseTimer.start();
    QTimer::singleShot(0, this, &JobMonitor::poll);
}

void JobMonitor::stop()
{
    m_running = false;
    m_timer.stop();
    m_leaseTimer.stop();
    for (const QPointer<JobLogFollower> &follower : std::as_const(m_followers)) {
        if (follower)
            follower->stop();
    }
    m_followers.clear();
    m_lease.release();
    m_wasActing.reset();
}

void JobMonitor::pollNow()
{
    if (!m_running)
        return;
    if (m_polling) {
        m_pollAgain = true;
        return;
    }
    m_timer.start(0);
}

bool JobMonitor::isActing() const
{
    return m_lease.isHeld();
}

bool JobMonitor::isFollowing(const QString &jobId) const
{
    const QPointer<JobLogFollower> follower = m_followers.value(jobId);
    return follower && follower->isRunning();
}

sky::SkyInvocation JobMonitor::limited(sky::SkyInvocation invocation) const
{
    if (m_timings.commandTimeout.count() > 0 && invocation.timeout.count() > 0)
        invocation.timeout = std::min(invocation.timeout, m_timings.commandTimeout);
    return invocation;
}

void JobMonitor::observe()
{
    const qint64 version = m_store.dataVersion();
    if (version != m_seenDataVersion) {
        m_seenDataVersion = version;
        Q_EMIT jobsChanged();
    }
}

void JobMonitor::poll()
{
    if (!m_running || m_polling)
        return;
    const bool acting = m_lease.acquireOrRenew(m_timings.leaseTtl);
    if (acting != m_wasActing) { // also the first time, so a process standing by can say so
        m_wasActing = acting;
        Q_EMIT actingChanged(acting);
    }
    if (!acting) {
        // Another VibeML process watches the jobs; follow what it writes to the journal.
        for (const QPointer<JobLogFollower> &follower : std::as_const(m_followers)) {
            if (follower)
                follower->stop();
        }
        m_followers.clear();
        observe();
        schedule(m_timings.observe);
        return;
    }
    auto jobs = m_store.jobs(JobStore::Which::All, true);
    if (!jobs) {
        finishPoll(true, jobs.error());
        return;
    }
    m_polling = true;
    ++m_polls;
    m_jobs = jobs.value();
    m_status.reset();
    m_queue.reset();
    m_managed.reset();
    const bool refresh = !m_sinceReconcile.isValid() || m_sinceReconcile.hasExpired(m_timings.reconcileEvery.count());
    if (refresh)
        m_sinceReconcile.start();
    sky::runSky(limited(sky::skycommand::status({}, refresh)), m_environment, this,
                [this, refresh](const sky::SkyResult &result) { onStatus(result, refresh); });
}

void JobMonitor::onStatus(const sky::SkyResult &result, bool refreshed)
{
    if (!result.isSuccess()) {
        if (refreshed)
            m_sinceReconcile.invalidate();
        finishPoll(true, result.message());
        return;
    }
    auto report = sky::parseStatus(result.stdoutText);
    if (!report) {
        finishPoll(true, report.error().message);
        return;
    }
    m_status = report.value();
    queryQueues();
}

void JobMonitor::queryQueues()
{
    QStringList clusters;
    for (const JobRecord &job : std::as_const(m_jobs)) {
        if (job.managed || isTerminal(job.state) || job.hasEnded() || job.state == JobState::TearingDown)
            continue;
        const auto listed = std::find_if(m_status->clusters.begin(), m_status->clusters.end(),
                                         [&](const sky::ClusterRecord &cluster) { return cluster.name == job.cluster; });
        if (listed != m_status->clusters.end() && listed->status != QLatin1String("INIT")
            && listed->status != QLatin1String("STOPPED") && !clusters.contains(job.cluster))
            clusters.append(job.cluster);
    }
    if (clusters.isEmpty()) {
        queryManaged();
        return;
    }
    sky::runSky(limited(sky::skycommand::queue(clusters)), m_environment, this,
                [this](const sky::SkyResult &result) { onQueue(result); });
}

void JobMonitor::onQueue(const sky::SkyResult &result)
{
    if (result.isSuccess()) {
        if (auto report = sky::parseQueue(result.stdoutText); report)
            m_queue = report.value();
        else
            log::jobs()->warn("Unreadable sky queue output: {}", report.error().message);
    } else {
        log::jobs()->warn("sky queue failed: {}", result.message());
    }
    queryManaged();
}

void JobMonitor::queryManaged()
{
    const bool anyManaged = std::any_of(m_jobs.begin(), m_jobs.end(),
                                        [](const JobRecord &job) { return job.managed && !isTerminal(job.state); });
    if (!anyManaged) {
        apply();
        return;
    }
    sky::runSky(limited(sky::skycommand::jobsQueue()), m_environment, this,
                [this](const sky::SkyResult &result) { onManaged(result); });
}

void JobMonitor::onManaged(const sky::SkyResult &result)
{
    if (result.isSuccess()) {
        if (auto entries = sky::parseJobsQueue(result.stdoutText); entries)
            m_managed = entries.value();
    }
    apply();
}

void JobMonitor::apply()
{
    const QDateTime now = m_store.clock().now();
    for (const JobRecord &job : std::as_const(m_jobs)) {
        if (isTerminal(job.state) || m_teardowns.contains(job.id) || m_confirming.contains(job.id))
            continue;
        Observation seen;
        seen.now = now;
        seen.statusKnown = true;
        for (const sky::ClusterRecord &cluster : std::as_const(m_status->clusters)) {
            if (cluster.name == job.cluster)
                seen.cluster = cluster;
        }
        if (m_queue && !m_queue->failedClusters.contains(job.cluster)) {
            seen.queueKnown = true;
            for (const sky::QueueEntry &entry : std::as_const(m_queue->jobs)) {
                if (entry.cluster == job.cluster)
                    seen.queue.append(entry);
            }
        }
        if (m_managed) {
            seen.managedKnown = true;
            for (const sky::ManagedJobEntry &entry : std::as_const(*m_managed)) {
                if (entry.taskId.isEmpty() && ((job.managedJobId && entry.id == *job.managedJobId)
                                               || (!job.managedJobId && entry.name == job.cluster)))
                    seen.managed = entry;
            }
        }
        seen.launcherAlive = job.launcher.isAlive();
        const Decision decision = reconcile(job, seen, m_timings.reconcile);
        if (decision.changes(job))
            applyDecision(job, decision);
    }

    // Budget after the states are current; then followers and orphans from the fresh journal.
    auto fresh = m_store.jobs(JobStore::Which::All, true);
    if (fresh) {
        for (const JobRecord &job : fresh.value()) {
            if (mayBill(job.state) || job.state == JobState::Stopped)
                enforceBudget(job);
        }
        updateFollowers(fresh.value());
        updateOrphans(fresh.value());
        m_jobs = fresh.value();
    }
    finishPoll(false, QString());
}

void JobMonitor::applyDecision(const JobRecord &job, const Decision &decision)
{
    if (decision.confirmOutcome) {
        confirmOutcome(job, decision);
        return;
    }
    if (decision.state || decision.outcome || decision.skyJobId || decision.clusterSeen) {
        const JobState target = decision.state.value_or(job.state);
        bool applied = false;
        const Status moved = m_store.transitionFrom(job.id, job.state, target, decision.reason, [&](JobRecord &record) {
            if (decision.skyJobId) {
                if (record.managed)
                    record.managedJobId = decision.skyJobId;
                else
                    record.skyJobId = decision.skyJobId;
            }
            if (decision.clusterSeen)
                record.clusterSeen = true;
            if (decision.outcome) {
                record.outcome = *decision.outcome;
                if (!record.endedAt.isValid())
                    record.endedAt = m_store.clock().now();
            }
            if (decision.billNothing) {
                record.billedSeconds = 0;
                record.billingSince = QDateTime();
            }
        }, &applied);
        if (moved && !applied)
            return; // another look (or process) moved the job meanwhile; the next poll decides afresh
        if (!moved) {
            log::jobs()->warn("{}", moved.message());
            return;
        }
        if (target != job.state) {
            using Kind = MonitorNotice::Kind;
            if (target == JobState::Lost)
                Q_EMIT notice({Kind::JobLost, job.id, tr("Cluster lost"), decision.reason});
            else if (target == JobState::Recovering)
                Q_EMIT notice({Kind::Preempted, job.id, tr("Spot instance preempted"), decision.reason});
            else if (decision.outcome && !job.hasEnded())
                Q_EMIT notice({Kind::JobEnded, job.id, stateLabel(*decision.outcome), decision.reason});
            else if (target == JobState::Done && job.state == JobState::TearingDown)
                Q_EMIT notice({Kind::ClusterGone, job.id, tr("Cluster removed"), decision.reason});
        }
    }
    if (decision.action != ClusterAction::None) {
        const std::optional<JobRecord> current = m_store.job(job.id);
        if (current)
            act(*current, decision.action, decision.reason);
    }
}

void JobMonitor::confirmOutcome(const JobRecord &job, const Decision &decision)
{
    const std::optional<int> id = decision.skyJobId ? decision.skyJobId : job.skyJobId;
    m_confirming.insert(job.id);
    sky::runSky(limited(sky::skycommand::logsStatus(job.cluster, id)), m_environment, this,
                [this, job, decision](const sky::SkyResult &result) {
                    m_confirming.remove(job.id);
                    Decision confirmed = decision;
                    confirmed.confirmOutcome = false;
                    switch (sky::finalStatusFromExitCode(result.exitCode)) {
                    case sky::FinalJobStatus::Succeeded:
                        confirmed.outcome = JobState::Succeeded;
                        break;
                    case sky::FinalJobStatus::Failed:
                        confirmed.outcome = JobState::Failed;
                        break;
                    case sky::FinalJobStatus::Cancelled:
                        confirmed.outcome = JobState::Cancelled;
                        break;
                    case sky::FinalJobStatus::NotFinished:
                        return; // the queue ran ahead; the next poll sees it again
                    case sky::FinalJobStatus::NotFound:
                    case sky::FinalJobStatus::Unknown:
                        break; // the queue's word stands
                    }
                    confirmed.state = confirmed.outcome;
                    applyDecision(job, confirmed);
                    Q_EMIT jobsChanged();
                    pollNow();
                });
}

void JobMonitor::downloadOutputs(const JobRecord &job, std::function<void(bool, const QString &)> done)
{
    if (m_downloads.contains(job.id)) {
        if (done)
            done(false, tr("The outputs of %1 are being copied already.").arg(job.id));
        return;
    }
    OutputDownload::Options options;
    options.program = m_environment.rsyncProgram;
    options.environment = m_environment.base;
    options.timeout = m_timings.downloadTimeout;
    auto *download = new OutputDownload(job, options, this);
    m_downloads.insert(job.id, download);
    (void)m_store.addEvent(job.id, QStringLiteral("note"), tr("Copying the outputs to %1.").arg(download->destination()));
    connect(download, &OutputDownload::finished, this, [this, download, id = job.id, done](bool ok, const QString &message) {
        m_downloads.remove(id);
        download->deleteLater();
        const QDateTime now = m_store.clock().now();
        QString told = message;
        (void)m_store.update(
            id,
            [&](JobRecord &record) {
                record.outputsState = ok ? QStringLiteral("downloaded") : QStringLiteral("failed");
                if (!ok && record.policy == TeardownPolicy::Down && isOutcome(record.state)) {
                    // Keep the cluster a while so the outputs can be copied by hand, then down.
                    const QDateTime ended = record.endedAt.isValid() ? record.endedAt : now;
                    record.policy = TeardownPolicy::KeepMinutes;
                    record.keepMinutes = static_cast<int>(ended.secsTo(now) / 60) + std::max(record.keepMinutes, 1);
                    told = tr("%1 The cluster stays up for %2 more minutes, then goes.")
                               .arg(message)
                               .arg(std::max(record.keepMinutes - static_cast<int>(ended.secsTo(now) / 60), 1));
                }
            },
            ok ? QStringLiteral("note") : QStringLiteral("error"), told);
        using Kind = MonitorNotice::Kind;
        Q_EMIT notice(ok ? MonitorNotice{Kind::OutputsDownloaded, id, tr("Outputs downloaded"), told}
                         : MonitorNotice{Kind::DownloadFailed, id, tr("Outputs not downloaded"), told});
        if (done)
            done(ok, told);
        Q_EMIT jobsChanged();
        pollNow();
    });
    download->start();
}

void JobMonitor::act(const JobRecord &job, ClusterAction action, const QString &reason)
{
    const QDateTime now = m_store.clock().now();
    if (m_teardowns.contains(job.id) || m_downloads.contains(job.id) || job.teardownHeldOff(now, job.launcher.isAlive()))
        return; // in flight here, claimed by another process, or backing off
    if (job.hasEnded() && job.state != JobState::TearingDown
        && policyAction(job, now, job.state == JobState::Stopped) != action)
        return; // the decision came from an older look at the job: since then it was kept, or a copy failed
    if ((action == ClusterAction::Down || action == ClusterAction::Stop) && needsFinalLog(job))
        return; // the log first (the follower started for it calls the next poll)
    if (job.wantsOutputDownload()) {
        downloadOutputs(job); // then the next poll acts on the policy
        return;
    }
    ClusterTeardown::Options options;
    options.action = action;
    options.verify = false; // the next poll's `sky status` verifies, at no extra cost
    options.reason = action == ClusterAction::Down
                         ? (job.state == JobState::TearingDown ? tr("Retrying sky down.") : tr("%1 Tearing the cluster down.").arg(reason))
                         : reason;
    options.commandTimeout = m_timings.commandTimeout;
    auto *teardown = new ClusterTeardown(m_store, m_environment, job.id, options, this);
    m_teardowns.insert(job.id, teardown);
    connect(teardown, &ClusterTeardown::finished, this, [this, id = job.id, teardown](bool gone, const QString &message) {
        m_teardowns.remove(id);
        teardown->deleteLater();
        if (!gone && message.contains(QLatin1String("failed")))
            Q_EMIT notice({MonitorNotice::Kind::TeardownFailed, id, tr("Teardown failed"), message});
        Q_EMIT jobsChanged();
        pollNow();
    });
    teardown->start();
}

void JobMonitor::enforceBudget(const JobRecord &job)
{
    const QDateTime now = m_store.clock().now();
    const double accrued = job.accruedAt(now);
    if (!job.budgetCapUsd || *job.budgetCapUsd <= 0) {
        (void)m_store.update(job.id, [&](JobRecord &record) { record.accruedUsd = record.accruedAt(now); });
        return;
    }
    const double cap = *job.budgetCapUsd;
    if (accrued >= cap && job.state != JobState::TearingDown) {
        const QString reason = tr("Budget cap reached: %1 of %2.").arg(cost::formatDollars(accrued), cost::formatDollars(cap));
        cancelForBudget(job, reason);
        return;
    }
    if (!job.budgetWarned && accrued >= m_warnFraction * cap) {
        const QString message = tr("%1 has cost %2 of its %3 cap (%4 %).")
                                    .arg(job.id, cost::formatDollars(accrued), cost::formatDollars(cap))
                                    .arg(std::lround(100 * accrued / cap));
        (void)m_store.update(job.id, [](JobRecord &record) { record.budgetWarned = true; }, QStringLiteral("budget"), message);
        Q_EMIT notice({MonitorNotice::Kind::BudgetWarning, job.id, tr("Budget warning"), message});
        return;
    }
    (void)m_store.update(job.id, [&](JobRecord &record) { record.accruedUsd = record.accruedAt(now); });
}

void JobMonitor::cancelForBudget(const JobRecord &job, const QString &reason)
{
    if (m_teardowns.contains(job.id))
        return;
    log::jobs()->warn("Job {}: {}", job.id, reason);
    (void)m_store.addEvent(job.id, QStringLiteral("budget"), reason);
    Q_EMIT notice({MonitorNotice::Kind::BudgetCap, job.id, tr("Budget cap reached"), reason});
    const auto tearDown = [this, id = job.id, reason] {
        // Money first: no keep policy and no download survive the cap.
        const auto capped = [](JobRecord &record) {
            record.policy = TeardownPolicy::Down;
            record.nextTeardownAt = QDateTime();
            if (record.outputsState.isEmpty() && !record.plan.downloadDir.isEmpty())
                record.outputsState = QStringLiteral("skipped");
        };
        const Status ended = m_store.transition(id, JobState::Cancelled, reason, capped);
        if (!ended)
            (void)m_store.update(id, capped);
        if (const std::optional<JobRecord> current = m_store.job(id))
            act(*current, ClusterAction::Down, reason);
    };
    if (job.hasEnded() || !isActive(job.state)) {
        tearDown();
        return;
    }
    // Cancel first so the job's own log ends cleanly, then tear down whatever cancel said.
    const sky::SkyInvocation cancel = job.managed && job.managedJobId ? sky::skycommand::jobsCancel(*job.managedJobId)
                                                                      : sky::skycommand::cancel(job.cluster, job.skyJobId ? QList<int>{*job.skyJobId} : QList<int>{});
    m_teardowns.insert(job.id, nullptr); // keeps this poll and the next from acting twice
    sky::runSky(limited(cancel), m_environment, this, [this, id = job.id, tearDown](const sky::SkyResult &result) {
        m_teardowns.remove(id);
        if (!result.isSuccess())
            log::jobs()->warn("sky cancel for {} failed ({}); tearing down anyway", id, result.message());
        tearDown();
    });
}

bool JobMonitor::hasWorkInFlight() const
{
    if (!m_downloads.isEmpty() || !m_teardowns.isEmpty() || !m_confirming.isEmpty())
        return true;
    for (const QPointer<JobLogFollower> &follower : m_followers) {
        if (follower && follower->isRunning())
            return true;
    }
    // Only the acting monitor fetches logs; one standing by has nothing of its own to wait for.
    return isActing() && std::any_of(m_jobs.begin(), m_jobs.end(), [this](const JobRecord &job) { return needsFinalLog(job); });
}

bool JobMonitor::needsFinalLog(const JobRecord &job) const
{
    return isOutcome(job.state) && !job.managed && job.skyJobId && job.clusterSeen && !m_finalLogs.contains(job.id);
}

void JobMonitor::updateFollowers(const QList<JobRecord> &jobs)
{
    for (const JobRecord &job : jobs) {
        const bool live = (job.state == JobState::Running || job.state == JobState::SettingUp || job.state == JobState::Recovering)
                          && !job.hasEnded() && (job.managed ? job.managedJobId.has_value() : job.skyJobId.has_value());
        QPointer<JobLogFollower> follower = m_followers.value(job.id);
        // An ended job whose stream this process did not see end (it ended between polls, or
        // before a restart) gets its log fetched once more while the cluster is still there.
        if (!(live || needsFinalLog(job)) || (follower && follower->isRunning()))
            continue;
        if (follower)
            follower->deleteLater();
        follower = new JobLogFollower(m_store, m_environment, job, this);
        m_followers.insert(job.id, follower);
        connect(follower, &JobLogFollower::lineAppended, this, &JobMonitor::logLine);
        connect(follower, &JobLogFollower::progressUpdated, this, &JobMonitor::progressUpdated);
        connect(follower, &JobLogFollower::diskProblem, this, [this](const QString &id, const QString &message) {
            if (!m_diskWarned.contains(id)) { // once per job, however often its follower restarts
                m_diskWarned.insert(id);
                Q_EMIT notice({MonitorNotice::Kind::DiskProblem, id, tr("Log not saved"), message});
            }
        });
        // The stream ends when the job does: look at once rather than at the next steady poll.
        connect(follower, &JobLogFollower::finished, this, [this](const QString &id, int) {
            m_finalLogs.insert(id); // one fetch per process: a failing one must not hold a teardown back
            pollNow();
        });
        follower->start();
    }
    for (auto it = m_followers.begin(); it != m_followers.end();) {
        const auto job = std::find_if(jobs.begin(), jobs.end(), [&](const JobRecord &record) { return record.id == it.key(); });
        if (!it.value() || job == jobs.end() || isTerminal(job->state)) {
            if (it.value() && it.value()->isRunning())
                it.value()->stop();
            if (it.value())
                it.value()->deleteLater();
            it = m_followers.erase(it);
        } else {
            ++it;
        }
    }
}

void JobMonitor::updateOrphans(const QList<JobRecord> &allJobs)
{
    const QList<OrphanCluster> orphans = findOrphans(*m_status, allJobs, m_catalog);
    for (const OrphanCluster &orphan : orphans) {
        const QString &name = orphan.cluster.name;
        const auto owner = std::find_if(allJobs.begin(), allJobs.end(), [&](const JobRecord &job) { return job.id == orphan.endedJobId; });
        // A cluster VibeML itself already tore down (or never finished creating) came back: it is
        // ours beyond doubt, so it goes again. Unknown ones, and those of lost jobs, are reported.
        if (owner != allJobs.end() && owner->state == JobState::Done && !m_teardowns.contains(name)) {
            (void)m_store.addEvent(owner->id, QStringLiteral("warning"),
                                   tr("The cluster %1 is up again after the job ended; tearing it down.").arg(name));
            ClusterTeardown::Options options;
            options.commandTimeout = m_timings.commandTimeout;
            auto *teardown = ClusterTeardown::forOrphan(m_store, m_environment, name, options, this);
            m_teardowns.insert(name, teardown);
            connect(teardown, &ClusterTeardown::finished, this, [this, name, teardown](bool, const QString &) {
                m_teardowns.remove(name);
                teardown->deleteLater();
                pollNow();
            });
            teardown->start();
        }
        if (!m_reportedOrphans.contains(name)) {
            m_reportedOrphans.insert(name);
            const QString price = orphan.pricePerHour ? tr(" (about %1/h)").arg(cost::formatDollars(*orphan.pricePerHour)) : QString();
            Q_EMIT notice({MonitorNotice::Kind::OrphanFound, orphan.endedJobId, tr("Orphaned cluster"),
                           tr("%1 is %2%3 and no running VibeML job owns it. Remove it with `%4`.")
                               .arg(name, orphan.cluster.status, price, orphan.teardownCommand())});
        }
    }
    const bool changed = orphans.size() != m_orphans.size()
                         || !std::equal(orphans.begin(), orphans.end(), m_orphans.begin(), [](const OrphanCluster &a, const OrphanCluster &b) {
                                return a.cluster.name == b.cluster.name && a.cluster.status == b.cluster.status;
                            });
    m_orphans = orphans;
    if (changed)
        Q_EMIT orphansChanged();
}

std::chrono::milliseconds JobMonitor::intervalFor(const QList<JobRecord> &jobs) const
{
    std::chrono::milliseconds interval = m_timings.idle;
    const QDateTime now = m_store.clock().now();
    for (const JobRecord &job : jobs) {
        if (isTerminal(job.state))
            continue;
        const bool changing = job.state == JobState::Launching || job.state == JobState::Provisioning
                              || job.state == JobState::SettingUp || job.state == JobState::TearingDown
                              || (job.hasEnded() && job.policy == TeardownPolicy::Down);
        interval = std::min(interval, changing ? m_timings.fast : m_timings.steady);
        // Be there when a cap or a keep-for period runs out, not a steady poll later.
        if (job.budgetCapUsd && job.pricePerHour > 0 && mayBill(job.state)) {
            const double left = *job.budgetCapUsd - job.accruedAt(now);
            const double warnLeft = job.budgetWarned ? left : *job.budgetCapUsd * m_warnFraction - job.accruedAt(now);
            const double soonest = warnLeft > 0 ? warnLeft : left;
            const auto until = std::chrono::milliseconds(static_cast<qint64>(std::max(0.0, soonest) / job.pricePerHour * 3.6e6));
            interval = std::min(interval, std::max<std::chrono::milliseconds>(until, 1s));
        }
        if (job.hasEnded() && job.policy == TeardownPolicy::KeepMinutes && job.endedAt.isValid()) {
            const qint64 ms = now.msecsTo(job.endedAt.addSecs(qint64(job.keepMinutes) * 60));
            interval = std::min(interval, std::max<std::chrono::milliseconds>(std::chrono::milliseconds(ms), 1s));
        }
        if (job.nextTeardownAt.isValid() && job.nextTeardownAt > now)
            interval = std::min(interval, std::max<std::chrono::milliseconds>(std::chrono::milliseconds(now.msecsTo(job.nextTeardownAt)), 1s));
    }
    return interval;
}

void JobMonitor::finishPoll(bool skyFailed, const QString &failure)
{
    m_polling = false;
    std::chrono::milliseconds interval = intervalFor(m_jobs);
    if (skyFailed) {
        ++m_failures;
        const auto backoff = m_timings.fast * (1LL << std::min(m_failures, 10));
        interval = std::min<std::chrono::milliseconds>(backoff, m_timings.maxBackoff);
        log::jobs()->warn("Monitor: {} (retrying in {} s)", failure, interval.count() / 1000);
        if (m_failures == 1)
            Q_EMIT notice({MonitorNotice::Kind::SkyProblem, QString(), tr("SkyPilot is not answering"),
                           tr("%1 VibeML keeps trying, less and less often.").arg(failure)});
    } else {
        m_failures = 0;
        m_seenDataVersion = m_store.dataVersion();
        Q_EMIT jobsChanged();
    }
    schedule(interval);
    Q_EMIT pollFinished();
    if (std::exchange(m_pollAgain, false))
        pollNow();
}

void JobMonitor::schedule(std::chrono::milliseconds interval)
{
    if (!m_running)
        return;
    m_nextInterval = interval;
    m_timer.start(interval);
}

} // namespace vibeml::jobs
