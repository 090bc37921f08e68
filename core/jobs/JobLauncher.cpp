#include "jobs/JobLauncher.h"

#include "catalog/Catalog.h"
#include "common/ProcessIdentity.h"
#include "config/PrivateFiles.h"
#include "jobs/ClusterTeardown.h"
#include "jobs/JobStore.h"
#include "log/Logging.h"
#include "sky/RunBundle.h"

#include <QDir>
#include <QRegularExpression>

namespace vibeml::jobs {

JobLauncher::JobLauncher(JobStore &store, const catalog::Catalog &catalog, sky::SkyEnvironment environment, QObject *parent)
    : QObject(parent), m_store(store), m_catalog(catalog), m_environment(std::move(environment))
{
}

Result<QString, LaunchRefusal> JobLauncher::launch(const LaunchRequest &request)
{
    const sky::LaunchPlan &plan = request.plan;
    auto bundle = sky::RunBundle::write(request.bundlesRoot, plan, m_catalog);
    if (!bundle)
        return LaunchRefusal{tr("The run bundle could not be written: %1").arg(bundle.error())};
    const QString directory = bundle.value().directory;
    (void)privatefiles::ensureDirectory(directory + QStringLiteral("/logs"));

    JobRecord job;
    job.id = plan.jobId;
    job.cluster = plan.jobId;
    job.managed = plan.managed;
    job.state = JobState::Launching;
    job.source = request.source;
    job.plan = plan;
    job.bundleDirectory = directory;
    job.pricePerHour = plan.pricePerHour;
    job.estimateLowUsd = plan.costUsd.low;
    job.estimateHighUsd = plan.costUsd.high;
    job.budgetCapUsd = request.budgetCapUsd;
    job.policy = request.policy;
    job.keepMinutes = request.keepMinutes;
    job.launchStartedAt = m_store.clock().now();
    job.launcher = ProcessIdentity::self();
    job.reason = tr("Starting sky launch");
    if (const Status recorded = m_store.insert(job, tr("Launch requested (%1, %2 on %3)")
                                                        .arg(plan.modelId, plan.accelerators(), plan.region));
        !recorded) {
        QDir(directory).removeRecursively();
        return LaunchRefusal{recorded.message()};
    }

    m_jobId = job.id;
    m_managed = plan.managed;
    m_commandTimeout = request.commandTimeout;
    m_environment.secrets = request.secrets;
    m_launchLog.setFileName(directory + QStringLiteral("/logs/launch.log"));
    if (!m_launchLog.open(QIODevice::WriteOnly | QIODevice::Append))
        log::jobs()->warn("Cannot write {}: {}", m_launchLog.fileName(), m_launchLog.errorString());

    QStringList secrets;
    if (plan.useHfToken)
        secrets << QStringLiteral("HF_TOKEN");
    if (plan.useWandb)
        secrets << QStringLiteral("WANDB_API_KEY");
    sky::SkyInvocation invocation;
    if (plan.managed) {
        invocation = sky::skycommand::jobsLaunch(plan.jobId, QStringLiteral("task.yaml"), directory, secrets);
    } else {
        sky::skycommand::LaunchOptions options;
        options.cluster = plan.jobId;
        options.taskFile = QStringLiteral("task.yaml");
        options.workingDirectory = directory;
        options.idleMinutes = plan.idleMinutes;
        options.secrets = secrets;
        invocation = sky::skycommand::launch(options);
    }
    if (m_commandTimeout.count() > 0)
        invocation.timeout = std::min(invocation.timeout, m_commandTimeout);
    log::jobs()->info("Job {}: {}", m_jobId, invocation.arguments.join(QLatin1Char(' ')));
    m_process = new sky::SkyProcess(invocation, m_environment, this);
    connect(m_process, &sky::SkyProcess::lineReceived, this, [this](const QString &line, bool) { onLine(line); });
    connect(m_process, &sky::SkyProcess::rawLineReceived, this, [this](const QByteArray &raw, bool) {
        if (m_launchLog.isOpen()) {
            m_launchLog.write(raw);
            m_launchLog.write("\n", 1);
            m_launchLog.flush();
        }
    });
    connect(m_process, &sky::SkyProcess::finished, this, &JobLauncher::onFinished);
    m_process->start();
    return m_jobId;
}

void JobLauncher::cancel()
{
    if (m_cancelled)
        return;
    m_cancelled = true;
    (void)m_store.addEvent(m_jobId, QStringLiteral("note"), tr("Launch cancelled by the user"));
    if (m_process)
        m_process->cancel();
}

void JobLauncher::advance(JobState state, const QString &reason)
{
    if (m_state == state)
        return;
    if (const Status moved = m_store.transition(m_jobId, state, reason); !moved) {
        log::jobs()->warn("Job {}: {}", m_jobId, moved.message());
        return;
    }
    m_state = state;
    Q_EMIT stateChanged(m_jobId, state);
}

void JobLauncher::onLine(const QString &line)
{
    Q_EMIT output(m_jobId, line);
    if (m_state == JobState::Launching && !line.trimmed().isEmpty())
        advance(JobState::Provisioning, tr("sky is provisioning the cluster"));
    static const QRegularExpression submitted(QStringLiteral("(?:Job submitted, ID|Managed job ID|Job ID):\\s*(\\d+)"),
                                              QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = submitted.match(line);
    if (!match.hasMatch())
        return;
    const int id = match.captured(1).toInt();
    if (m_submittedId == id)
        return; // the "Useful Commands" footer repeats it
    m_submittedId = id;
    (void)m_store.update(m_jobId, [&](JobRecord &job) {
        if (m_managed)
            job.managedJobId = id;
        else
            job.skyJobId = id;
    }, QStringLiteral("sky"), tr("Job submitted, ID %1").arg(id));
    advance(JobState::SettingUp, tr("Job submitted"));
}

void JobLauncher::onFinished(const sky::SkyResult &result)
{
    m_launchLog.close();
    if (result.isSuccess() && !m_cancelled) {
        if (const auto report = sky::parseLaunch(result.stdoutText); report) {
            const std::optional<int> id = m_managed ? report.value().managedJobId : report.value().jobId;
            if (id)
                (void)m_store.update(m_jobId, [&](JobRecord &job) {
                    if (m_managed)
                        job.managedJobId = id;
                    else
                        job.skyJobId = id;
                });
        }
        // From here the monitor owns the job: the launcher steps aside.
        (void)m_store.update(m_jobId, [](JobRecord &job) { job.launcher = ProcessIdentity(); });
        if (m_state == JobState::Launching || m_state == JobState::Provisioning)
            advance(JobState::SettingUp, tr("Job submitted"));
        done(true, tr("Launched %1.").arg(m_jobId));
        return;
    }
    const bool cancelled = m_cancelled || result.outcome == sky::SkyResult::Outcome::Cancelled;
    const QString reason = cancelled ? tr("Launch cancelled.") : tr("Launch failed: %1").arg(result.message());
    tearDownAfterFailure(cancelled ? JobState::Cancelled : JobState::Failed, reason);
}

void JobLauncher::tearDownAfterFailure(JobState outcome, const QString &reason)
{
    log::jobs()->warn("Job {}: {}", m_jobId, reason);
    (void)m_store.transition(m_jobId, outcome, reason, [](JobRecord &job) {
        job.launcher = ProcessIdentity();
        job.policy = TeardownPolicy::Down; // a failed launch never keeps a cluster
    });
    if (m_managed) {
        // Nothing of ours exists yet when `sky jobs launch` fails; the monitor checks the queue.
        done(false, reason);
        return;
    }
    ClusterTeardown::Options options;
    options.action = ClusterAction::Down;
    options.verify = true;
    options.checkFirst = true;
    options.reason = reason;
    options.commandTimeout = m_commandTimeout;
    auto *teardown = new ClusterTeardown(m_store, m_environment, m_jobId, options, this);
    connect(teardown, &ClusterTeardown::finished, this, [this, reason, teardown](bool gone, const QString &message) {
        teardown->deleteLater();
        done(false, gone ? reason + QLatin1Char(' ') + message
                         : reason + QLatin1Char(' ') + message);
    });
    teardown->start();
}

void JobLauncher::done(bool submitted, const QString &message)
{
    Q_EMIT finished(LaunchResult{m_jobId, submitted, message});
    deleteLater();
}

} // namespace vibeml::jobs
