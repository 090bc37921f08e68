#include "jobs/ClusterTeardown.h"

#include "common/ProcessIdentity.h"
#include "jobs/JobStore.h"
#include "log/Logging.h"

#include <QCoreApplication>

#include <algorithm>
#include <utility>

namespace vibeml::jobs {

using namespace std::chrono_literals;

ClusterTeardown::ClusterTeardown(JobStore &store, sky::SkyEnvironment environment, QString jobId, Options options, QObject *parent)
    : QObject(parent), m_store(store), m_environment(std::move(environment)), m_jobId(std::move(jobId)), m_options(std::move(options))
{
}

std::chrono::seconds ClusterTeardown::retryDelay(int attempts)
{
    const int doublings = std::clamp(attempts - 1, 0, 5);
    return std::min<std::chrono::seconds>(30s * (1 << doublings), 10min);
}

sky::SkyInvocation ClusterTeardown::withTimeout(sky::SkyInvocation invocation) const
{
    if (m_options.commandTimeout.count() > 0)
        invocation.timeout = std::min(invocation.timeout, m_options.commandTimeout);
    return invocation;
}

ClusterTeardown *ClusterTeardown::forOrphan(JobStore &store, sky::SkyEnvironment environment, const QString &cluster, Options options,
                                            QObject *parent)
{
    options.action = ClusterAction::Down;
    auto *teardown = new ClusterTeardown(store, std::move(environment), QString(), std::move(options), parent);
    teardown->m_cluster = cluster;
    return teardown;
}

void ClusterTeardown::start()
{
    if (m_jobId.isEmpty()) {
        log::jobs()->warn("Tearing down orphaned cluster {}", m_cluster);
        m_purge = m_options.purge;
        runCommand();
        return;
    }
    const std::optional<JobRecord> job = m_store.job(m_jobId);
    if (!job || isTerminal(job->state)) {
        QMetaObject::invokeMethod(this, [this] { Q_EMIT finished(true, tr("Job %1 has no cluster left.").arg(m_jobId)); },
                                  Qt::QueuedConnection);
        return;
    }
    m_cluster = job->cluster;
    m_purge = job->purge || m_options.purge;
    if (m_options.action == ClusterAction::Stop && job->plan.spot) {
        m_options.action = ClusterAction::Down;
        m_options.reason = tr("Spot clusters cannot be stopped, so it is torn down instead.");
    }
    // The claim: long enough for the command to finish, so another process's monitor waits.
    const sky::SkyInvocation command = m_options.action == ClusterAction::Stop ? sky::skycommand::stop({m_cluster})
                                                                              : sky::skycommand::down({m_cluster}, m_purge);
    const auto claim = std::chrono::duration_cast<std::chrono::seconds>(withTimeout(command).timeout) + 60s;
    const QDateTime now = m_store.clock().now();
    Status claimed = Status::success();
    if (m_options.action == ClusterAction::Down) {
        claimed = m_store.transition(m_jobId, JobState::TearingDown, m_options.reason, [&](JobRecord &record) {
            ++record.teardownAttempts;
            record.nextTeardownAt = now.addSecs(claim.count());
            record.launcher = ProcessIdentity::self();
        });
    } else {
        claimed = m_store.update(m_jobId, [&](JobRecord &record) {
            record.nextTeardownAt = now.addSecs(claim.count());
            record.launcher = ProcessIdentity::self();
        },
                                 QStringLiteral("note"), m_options.reason.isEmpty() ? tr("Stopping the cluster (policy).") : m_options.reason);
    }
    if (!claimed) {
        QMetaObject::invokeMethod(this, [this, message = claimed.message()] { Q_EMIT finished(false, message); }, Qt::QueuedConnection);
        return;
    }
    if (m_options.checkFirst && m_options.action == ClusterAction::Down) {
        m_checking = true;
        verify();
        return;
    }
    runCommand();
}

void ClusterTeardown::runCommand()
{
    const sky::SkyInvocation command = m_options.action == ClusterAction::Stop ? sky::skycommand::stop({m_cluster})
                                                                              : sky::skycommand::down({m_cluster}, m_purge);
    log::jobs()->info("Job {}: {}", m_jobId, command.arguments.join(QLatin1Char(' ')));
    sky::runSky(withTimeout(command), m_environment, this, [this](const sky::SkyResult &result) { onCommand(result); });
}

void ClusterTeardown::onCommand(const sky::SkyResult &result)
{
    const bool notFound = result.outcome == sky::SkyResult::Outcome::NonZeroExit
                          && result.failure.kind == sky::SkyFailure::Kind::ClusterNotFound;
    if (!result.isSuccess() && !notFound) {
        fail(result.message());
        return;
    }
    if (m_options.action == ClusterAction::Stop) {
        const Status stopped = m_store.transition(m_jobId, JobState::Stopped, tr("Cluster stopped (policy: keep it stopped; "
                                                                                 "its disks still bill)."),
                                                  [](JobRecord &record) {
                                                      record.nextTeardownAt = QDateTime();
                                                      record.launcher = ProcessIdentity();
                                                  });
        Q_EMIT finished(stopped.isOk(), stopped.isOk() ? tr("Cluster %1 stopped.").arg(m_cluster) : stopped.message());
        return;
    }
    if (!m_options.verify) {
        // The monitor's next `sky status` verifies; until then nobody repeats the command.
        const QDateTime next = m_store.clock().now().addSecs(60);
        (void)m_store.update(m_jobId, [&](JobRecord &record) {
            record.nextTeardownAt = next;
            record.launcher = ProcessIdentity();
        }, QStringLiteral("sky"),
                             tr("sky down finished; waiting for sky status to confirm."));
        Q_EMIT finished(false, tr("sky down finished for %1; confirming.").arg(m_cluster));
        return;
    }
    verify();
}

void ClusterTeardown::verify()
{
    sky::runSky(withTimeout(sky::skycommand::status({m_cluster})), m_environment, this,
                [this](const sky::SkyResult &result) { onStatus(result); });
}

void ClusterTeardown::onStatus(const sky::SkyResult &result)
{
    const bool checking = std::exchange(m_checking, false);
    if (!result.isSuccess()) {
        fail(tr("Could not confirm that %1 is gone: %2").arg(m_cluster, result.message()));
        return;
    }
    const auto report = sky::parseStatus(result.stdoutText);
    if (!report) {
        fail(tr("Could not confirm that %1 is gone: %2").arg(m_cluster, report.error().message));
        return;
    }
    const bool listed = std::any_of(report.value().clusters.begin(), report.value().clusters.end(),
                                    [&](const sky::ClusterRecord &cluster) { return cluster.name == m_cluster; });
    if (listed && checking) {
        runCommand();
        return;
    }
    if (listed) {
        fail(tr("sky status still lists %1 after sky down.").arg(m_cluster));
        return;
    }
    const std::optional<JobRecord> job = m_jobId.isEmpty() ? std::nullopt : m_store.job(m_jobId);
    const bool neverSeen = checking && job && !job->clusterSeen;
    finishGone(neverSeen ? tr("No cluster was created.") : tr("Cluster removed (verified with sky status)."), neverSeen);
}

void ClusterTeardown::finishGone(const QString &reason, bool billNothing)
{
    if (m_jobId.isEmpty()) {
        Q_EMIT finished(true, tr("Cluster %1 is gone.").arg(m_cluster));
        return;
    }
    const Status done = m_store.transition(m_jobId, JobState::Done, reason, [billNothing](JobRecord &record) {
        record.nextTeardownAt = QDateTime();
        record.launcher = ProcessIdentity();
        if (billNothing) {
            record.billedSeconds = 0;
            record.billingSince = QDateTime();
        }
    });
    Q_EMIT finished(done.isOk(), done.isOk() ? tr("Cluster %1 is gone.").arg(m_cluster) : done.message());
}

void ClusterTeardown::fail(const QString &message)
{
    if (m_jobId.isEmpty()) {
        log::jobs()->warn("Tearing down {} failed: {}", m_cluster, message);
        Q_EMIT finished(false, tr("Tearing down %1 failed: %2 To force it: `sky down --purge %1`.").arg(m_cluster, message));
        return;
    }
    const std::optional<JobRecord> job = m_store.job(m_jobId);
    const int attempts = job ? std::max(1, job->teardownAttempts) : 1;
    const std::chrono::seconds delay = retryDelay(attempts);
    const QDateTime next = m_store.clock().now().addSecs(delay.count());
    const QString text = m_options.action == ClusterAction::Stop
                             ? tr("Stopping %1 failed: %2").arg(m_cluster, message)
                             : tr("Tearing down %1 failed (attempt %2): %3 VibeML tries again in %4 s; to force it, run "
                                  "`vibeml jobs down %5 --purge`.")
                                   .arg(m_cluster)
                                   .arg(attempts)
                                   .arg(message)
                                   .arg(delay.count())
                                   .arg(m_jobId);
    log::jobs()->warn("{}", text);
    (void)m_store.update(m_jobId, [&](JobRecord &record) {
        record.nextTeardownAt = next;
        record.launcher = ProcessIdentity();
    }, QStringLiteral("error"), text);
    Q_EMIT finished(false, text);
}

} // namespace vibeml::jobs
