#include "jobs/JobService.h"

#include "catalog/Catalog.h"
#include "jobs/ClusterTeardown.h"
#include "jobs/JournalDatabase.h"
#include "log/Logging.h"

#include <QDir>

namespace vibeml::jobs {

JobService::JobService(JournalDatabase &database, const Clock &clock, const catalog::Catalog *catalog, Config config, QObject *parent)
    : QObject(parent), m_database(database), m_clock(clock), m_catalog(catalog), m_config(std::move(config)),
      m_store(database, clock), m_ledger(database), m_lease(database, clock, QStringLiteral("monitor"), m_config.role)
{
    m_monitor = std::make_unique<JobMonitor>(m_store, m_lease, m_config.environment, m_catalog, m_config.timings);
}

JobService::~JobService()
{
    m_monitor->stop();
}

void JobService::setEnvironment(const sky::SkyEnvironment &environment)
{
    m_config.environment = environment;
    m_monitor->setEnvironment(environment);
}

std::optional<JournalLease::Holder> JobService::activeMonitor() const
{
    std::optional<JournalLease::Holder> holder = m_lease.holder();
    if (holder && (holder->expiresAt <= m_clock.now() || !holder->process.isAlive()))
        return std::nullopt;
    return holder;
}

std::optional<double> JobService::monthSpentUsd() const
{
    const QDateTime now = m_clock.now();
    const std::optional<double> recorded = m_ledger.monthTotal(now.date());
    auto live = m_store.jobs(JobStore::Which::NotTerminal, true);
    if (!recorded || !live)
        return std::nullopt;
    double total = *recorded;
    for (const JobRecord &job : live.value())
        total += job.accruedAt(now);
    return total;
}

LaunchBudgetCheck JobService::checkBudget(const sky::LaunchPlan &plan, const cost::BudgetLimits &limits,
                                          std::optional<double> maxCostUsd) const
{
    LaunchBudgetCheck check;
    check.worstCase = cost::worstCaseCost(plan.pricePerHour, plan.hours.high, plan.costUsd.high, plan.settings.maxRuntimeHours);
    cost::BudgetLimits effective = limits;
    if (maxCostUsd && *maxCostUsd > 0)
        effective.perJobUsd = std::min(effective.perJobUsd, *maxCostUsd);
    const std::optional<double> spent = monthSpentUsd();
    check.decision = cost::decideBudget(effective, check.worstCase, spent.value_or(0));
    if (!spent) {
        check.decision.verdict = cost::BudgetVerdict::Refused;
        check.decision.reasons << tr("this month's spending cannot be read from the job journal");
    }
    check.capUsd = effective.perJobUsd;
    return check;
}

Result<QString, LaunchRefusal> JobService::launch(LaunchRequest request, const cost::BudgetLimits &limits, bool approved,
                                                  std::optional<double> maxCostUsd)
{
    if (!m_catalog)
        return LaunchRefusal{tr("The GPU catalog is not loaded.")};
    const LaunchBudgetCheck check = checkBudget(request.plan, limits, maxCostUsd);
    if (check.decision.verdict == cost::BudgetVerdict::Refused)
        return LaunchRefusal{tr("Launch refused by the budget: %1").arg(check.decision.summary())};
    if (check.decision.verdict == cost::BudgetVerdict::NeedsApproval && !approved)
        return LaunchRefusal{tr("This run needs your approval: its worst case is %1 (%2), above the approval threshold of %3. "
                                "Approve it, or raise budget.approval-threshold-usd.")
                                 .arg(cost::formatDollars(check.worstCase.usd), check.worstCase.basis,
                                      cost::formatDollars(limits.approvalThresholdUsd))};
    if (!request.budgetCapUsd)
        request.budgetCapUsd = check.capUsd;
    if (request.bundlesRoot.isEmpty())
        request.bundlesRoot = m_config.bundlesRoot;
    if (request.commandTimeout.count() == 0)
        request.commandTimeout = m_config.timings.commandTimeout;

    auto *launcher = new JobLauncher(m_store, *m_catalog, m_config.environment, this);
    auto started = launcher->launch(request);
    if (!started) {
        launcher->deleteLater();
        return started;
    }
    const QString id = started.value();
    m_launchers.insert(id, launcher);
    connect(launcher, &JobLauncher::output, this, &JobService::launchOutput);
    connect(launcher, &JobLauncher::stateChanged, m_monitor.get(), [this] { Q_EMIT m_monitor->jobsChanged(); });
    connect(launcher, &JobLauncher::finished, this, [this](const LaunchResult &result) {
        m_launchers.remove(result.jobId);
        Q_EMIT launchFinished(result);
        m_monitor->pollNow();
    });
    Q_EMIT m_monitor->jobsChanged();
    return id;
}

bool JobService::isLaunching(const QString &jobId) const
{
    return !m_launchers.value(jobId).isNull();
}

void JobService::downloadOutputs(const QString &jobId, const QString &folder)
{
    const auto report = [this, jobId](bool ok, const QString &message) {
        QMetaObject::invokeMethod(this, [=, this] { Q_EMIT actionFinished(jobId, ok, message); }, Qt::QueuedConnection);
    };
    std::optional<JobRecord> job = m_store.job(jobId);
    if (!job) {
        report(false, tr("There is no job %1.").arg(jobId));
        return;
    }
    if (job->managed) {
        report(false, tr("%1 is a managed job: SkyPilot removes its cluster when it ends, so only the Hub repo (if one "
                         "was named) keeps its outputs.")
                          .arg(jobId));
        return;
    }
    if (isTerminal(job->state) || job->state == JobState::TearingDown || job->state == JobState::Stopped) {
        report(false, tr("The cluster of %1 is %2, so its outputs cannot be copied from it any more.")
                          .arg(jobId, job->state == JobState::Stopped ? tr("stopped (start it with `sky start %1` first)").arg(job->cluster)
                                                                      : tr("gone")));
        return;
    }
    if (isActive(job->state)) {
        report(false, tr("%1 is still running; its outputs are complete once it ends.").arg(jobId));
        return;
    }
    if (!folder.isEmpty() && !QDir::isAbsolutePath(folder)) {
        report(false, tr("The download folder must be an absolute path."));
        return;
    }
    const QString target = folder.isEmpty() ? job->plan.downloadDir : folder;
    if (target.isEmpty()) {
        report(false, tr("Choose a folder to copy the outputs of %1 into.").arg(jobId));
        return;
    }
    const Status noted = m_store.update(jobId, [&](JobRecord &record) {
        record.plan.downloadDir = target;
        record.outputsState.clear();
    });
    if (!noted) {
        report(false, noted.message());
        return;
    }
    job = m_store.job(jobId);
    m_monitor->downloadOutputs(*job, report);
}

void JobService::cancel(const QString &jobId)
{
    const auto report = [this, jobId](bool ok, const QString &message) {
        QMetaObject::invokeMethod(this, [=, this] { Q_EMIT actionFinished(jobId, ok, message); }, Qt::QueuedConnection);
    };
    if (const QPointer<JobLauncher> launcher = m_launchers.value(jobId)) {
        connect(launcher, &JobLauncher::finished, this,
                [this, jobId](const LaunchResult &result) { Q_EMIT actionFinished(jobId, true, result.message); });
        launcher->cancel();
        return;
    }
    const std::optional<JobRecord> job = m_store.job(jobId);
    if (!job) {
        report(false, tr("There is no job %1.").arg(jobId));
        return;
    }
    if (job->state == JobState::Launching && job->launcher.isAlive()) {
        report(false, tr("%1 is being launched by another VibeML process (pid %2); cancel it there.").arg(jobId).arg(job->launcher.pid));
        return;
    }
    if (!isActive(job->state)) {
        report(false, tr("%1 is not running (%2).").arg(jobId, job->stateText()));
        return;
    }
    const sky::SkyInvocation command = job->managed && job->managedJobId
                                           ? sky::skycommand::jobsCancel(*job->managedJobId)
                                           : sky::skycommand::cancel(job->cluster, job->skyJobId ? QList<int>{*job->skyJobId} : QList<int>{});
    sky::runSky(command, m_config.environment, this, [this, jobId, report](const sky::SkyResult &result) {
        if (!result.isSuccess() && result.failure.kind != sky::SkyFailure::Kind::ClusterNotFound) {
            report(false, tr("Could not cancel %1: %2").arg(jobId, result.message()));
            return;
        }
        const Status cancelled = m_store.transition(jobId, JobState::Cancelled, tr("Cancelled by you."));
        if (!cancelled) {
            report(false, cancelled.message());
            return;
        }
        const std::optional<JobRecord> after = m_store.job(jobId);
        if (after && !after->managed && policyAction(*after, m_clock.now(), false) == ClusterAction::Down) {
            if (after->wantsOutputDownload()) {
                // What it wrote so far (checkpoints) first; the monitor tears down afterwards.
                m_monitor->downloadOutputs(*after);
                report(true, tr("Cancelled %1; copying its outputs, then the cluster goes.").arg(jobId));
                return;
            }
            tearDownJob(*after, tr("Cancelled by you."));
            return;
        }
        m_monitor->pollNow();
        report(true, tr("Cancelled %1; its cluster is kept (%2).").arg(jobId, policyLabel(after ? after->policy : TeardownPolicy::KeepUp,
                                                                                          after ? after->keepMinutes : 0)));
    });
}

void JobService::tearDown(const QString &jobIdOrCluster, bool purge)
{
    const std::optional<JobRecord> job = m_store.job(jobIdOrCluster);
    if (!job || isTerminal(job->state)) {
        if (!isVibemlCluster(jobIdOrCluster) && !job) {
            QMetaObject::invokeMethod(this, [=, this] {
                Q_EMIT actionFinished(jobIdOrCluster, false, tr("There is no job or VibeML cluster named %1.").arg(jobIdOrCluster));
            }, Qt::QueuedConnection);
            return;
        }
        ClusterTeardown::Options options;
        options.purge = purge;
        options.verify = true;
        options.commandTimeout = m_config.timings.commandTimeout;
        auto *teardown = ClusterTeardown::forOrphan(m_store, m_config.environment, job ? job->cluster : jobIdOrCluster, options, this);
        connect(teardown, &ClusterTeardown::finished, this, [this, jobIdOrCluster, teardown](bool gone, const QString &message) {
            teardown->deleteLater();
            m_monitor->pollNow();
            Q_EMIT actionFinished(jobIdOrCluster, gone, message);
        });
        teardown->start();
        return;
    }
    const QString reason = isActive(job->state) ? tr("Torn down by you while %1.").arg(stateLabel(job->state).toLower())
                                                : tr("Torn down by you.");
    (void)m_store.update(job->id, [&](JobRecord &record) {
        record.policy = TeardownPolicy::Down;
        record.purge = record.purge || purge;
        record.nextTeardownAt = QDateTime(); // an explicit request overrides any back-off or claim
        if (isActive(record.state)) {
            record.outcome = JobState::Cancelled;
            if (!record.endedAt.isValid())
                record.endedAt = m_clock.now();
        }
    }, QStringLiteral("note"), reason);
    if (const QPointer<JobLauncher> launcher = m_launchers.value(job->id))
        launcher->cancel(); // its own failure path tears the cluster down
    else if (const std::optional<JobRecord> updated = m_store.job(job->id))
        tearDownJob(*updated, reason);
}

void JobService::tearDownJob(const JobRecord &job, const QString &reason)
{
    ClusterTeardown::Options options;
    options.action = ClusterAction::Down;
    options.verify = true;
    options.reason = reason;
    options.commandTimeout = m_config.timings.commandTimeout;
    auto *teardown = new ClusterTeardown(m_store, m_config.environment, job.id, options, this);
    connect(teardown, &ClusterTeardown::finished, this, [this, id = job.id, teardown](bool gone, const QString &message) {
        teardown->deleteLater();
        m_monitor->pollNow();
        Q_EMIT actionFinished(id, gone, message);
    });
    teardown->start();
}

Status JobService::keep(const QString &jobId, TeardownPolicy policy, int keepMinutes)
{
    const Status kept = m_store.update(jobId, [&](JobRecord &record) {
        record.policy = policy;
        record.keepMinutes = std::max(1, keepMinutes);
    }, QStringLiteral("note"), tr("Cluster policy: %1").arg(policyLabel(policy, keepMinutes)));
    m_monitor->pollNow();
    return kept;
}

} // namespace vibeml::jobs
