#include "jobs/JobReconciler.h"

#include "TestSupport.h"

#include <QList>

#include <utility>

using namespace vibeml;
using namespace vibeml::jobs;

namespace {

const QDateTime kNow(QDate(2026, 11, 28), QTime(12, 0), Qt::UTC);

// What VibeML knows about a job and what `sky` answered, in the terms of the table below.
struct Given
{
    JobState state = JobState::Running;
    JobState outcome = JobState::Launching; // Launching: no outcome yet
    TeardownPolicy policy = TeardownPolicy::Down;
    int keepMinutes = 30;
    std::optional<int> endedAgo{};            // seconds before now
    bool clusterSeen = false;
    std::optional<int> skyJobId{};
    bool launcherAlive = false;
    int launchStartedAgo = 600;             // seconds before now (the grace is 180 s)
    bool progressDone = false;
    bool statusKnown = true;
    QString cluster{};                        // its `sky status` row: INIT, UP, STOPPED, AUTOSTOPPING; empty: not listed
    bool queueKnown = true;
    QList<std::pair<int, QString>> queue{};   // `sky queue` of the cluster: (id, status)
    std::optional<int> nextTeardownIn{};      // seconds after now (negative: already due)
    // Managed jobs (`sky jobs queue`).
    bool managed = false;
    bool managedKnown = true;
    QString managedStatus{};                  // empty: not in the queue
    int recoveries = 0;
    std::optional<int> managedJobId{};
    int graceSeconds = 180;
};

// What the reconciler should decide.
struct Expect
{
    std::optional<JobState> state{};
    std::optional<JobState> outcome{};
    ClusterAction action = ClusterAction::None;
    bool confirmOutcome = false;
    bool billNothing = false;
    std::optional<int> skyJobId{};
    bool clusterSeen = false;
    QString reasonContains{};
};

constexpr int kManagedEntryId = 7;

JobRecord recordFor(const Given &given)
{
    JobRecord job;
    job.id = QStringLiteral("vibeml-qwen-abc123");
    job.cluster = job.id;
    job.managed = given.managed;
    job.state = given.state;
    job.outcome = given.outcome;
    job.policy = given.policy;
    job.keepMinutes = given.keepMinutes;
    job.launchStartedAt = kNow.addSecs(-given.launchStartedAgo);
    job.createdAt = job.launchStartedAt.addSecs(-5);
    if (given.endedAgo)
        job.endedAt = kNow.addSecs(-*given.endedAgo);
    job.clusterSeen = given.clusterSeen;
    job.skyJobId = given.skyJobId;
    job.managedJobId = given.managedJobId;
    job.progress.done = given.progressDone;
    job.pricePerHour = 10;
    if (given.nextTeardownIn)
        job.nextTeardownAt = kNow.addSecs(*given.nextTeardownIn);
    return job;
}

Observation observationFor(const Given &given)
{
    Observation seen;
    seen.now = kNow;
    seen.statusKnown = given.statusKnown;
    if (!given.cluster.isEmpty()) {
        sky::ClusterRecord cluster;
        cluster.name = QStringLiteral("vibeml-qwen-abc123");
        cluster.status = given.cluster;
        cluster.infra = QStringLiteral("Nebius (eu-north1)");
        seen.cluster = cluster;
    }
    seen.queueKnown = given.queueKnown;
    for (const auto &[id, status] : given.queue) {
        sky::QueueEntry entry;
        entry.cluster = QStringLiteral("vibeml-qwen-abc123");
        entry.id = id;
        entry.name = QStringLiteral("vibeml-qwen-abc123");
        entry.status = status;
        seen.queue.append(entry);
    }
    seen.managedKnown = given.managedKnown;
    if (!given.managedStatus.isEmpty()) {
        sky::ManagedJobEntry entry;
        entry.id = kManagedEntryId;
        entry.name = QStringLiteral("vibeml-qwen-abc123");
        entry.recoveries = given.recoveries;
        entry.status = given.managedStatus;
        seen.managed = entry;
    }
    seen.launcherAlive = given.launcherAlive;
    return seen;
}

QString stateText(const std::optional<JobState> &state)
{
    return state ? stateName(*state) : QStringLiteral("(none)");
}

using Queue = QList<std::pair<int, QString>>;

} // namespace

Q_DECLARE_METATYPE(Given)
Q_DECLARE_METATYPE(Expect)

class TestJobReconciler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decides_data()
    {
        QTest::addColumn<Given>("given");
        QTest::addColumn<Expect>("expect");
        using S = JobState;
        using P = TeardownPolicy;
        using A = ClusterAction;
        const QString init = QStringLiteral("INIT");
        const QString up = QStringLiteral("UP");
        const QString stopped = QStringLiteral("STOPPED");

        // --- While `sky launch` runs, its own output drives the job.
        QTest::newRow("launching, launcher alive, nothing listed")
            << Given{.state = S::Launching, .launcherAlive = true} << Expect{};
        QTest::newRow("launching, launcher alive, cluster INIT")
            << Given{.state = S::Launching, .launcherAlive = true, .cluster = init} << Expect{};
        QTest::newRow("provisioning without job id, launcher alive, queue RUNNING")
            << Given{.state = S::Provisioning, .launcherAlive = true, .cluster = up, .queue = {{1, QStringLiteral("RUNNING")}}}
            << Expect{};

        // --- The launcher died: wait out the grace, then give up on a launch that made nothing.
        QTest::newRow("dead launcher, no cluster, within grace")
            << Given{.state = S::Launching, .launchStartedAgo = 60} << Expect{};
        QTest::newRow("dead launcher, no cluster, beyond grace")
            << Given{.state = S::Launching, .launchStartedAgo = 600}
            << Expect{.state = S::Done, .outcome = S::Failed, .billNothing = true, .reasonContains = QStringLiteral("interrupted")};
        QTest::newRow("dead launcher, no cluster, longer grace configured")
            << Given{.state = S::Launching, .launchStartedAgo = 600, .graceSeconds = 1200} << Expect{};
        QTest::newRow("dead launcher, INIT: provisioning")
            << Given{.state = S::Launching, .launchStartedAgo = 60, .cluster = init}
            << Expect{.state = S::Provisioning, .clusterSeen = true};

        // --- The cluster is not listed.
        QTest::newRow("tearing down, not listed: done")
            << Given{.state = S::TearingDown, .outcome = S::Succeeded, .endedAgo = 120, .clusterSeen = true, .skyJobId = 1}
            << Expect{.state = S::Done, .reasonContains = QStringLiteral("removed")};
        QTest::newRow("running, seen, then vanished: lost")
            << Given{.state = S::Running, .clusterSeen = true, .skyJobId = 1}
            << Expect{.state = S::Lost, .reasonContains = QStringLiteral("running")};
        QTest::newRow("setting up, cluster vanished: lost")
            << Given{.state = S::SettingUp, .clusterSeen = true, .skyJobId = 1}
            << Expect{.state = S::Lost, .reasonContains = QStringLiteral("setting up")};
        QTest::newRow("ended job not listed: done")
            << Given{.state = S::Succeeded, .outcome = S::Succeeded, .endedAgo = 60, .clusterSeen = true, .skyJobId = 1}
            << Expect{.state = S::Done};
        QTest::newRow("kept-stopped job removed by hand: done")
            << Given{.state = S::Stopped, .outcome = S::Failed, .policy = P::KeepStopped, .endedAgo = 3600, .clusterSeen = true}
            << Expect{.state = S::Done};
        // A submitted job (its sky job id known) proves a cluster existed, and billed, even when no
        // poll happened to list it (VibeML was closed while it ran and it was removed by hand).
        QTest::newRow("submitted, never listed, now gone: lost, billed")
            << Given{.state = S::SettingUp, .skyJobId = 1}
            << Expect{.state = S::Lost, .reasonContains = QStringLiteral("outside VibeML")};
        QTest::newRow("ended after submission, never listed, now gone: done, billed")
            << Given{.state = S::Failed, .outcome = S::Failed, .endedAgo = 60, .skyJobId = 1} << Expect{.state = S::Done};
        QTest::newRow("ended job whose cluster never existed: done, free")
            << Given{.state = S::Failed, .outcome = S::Failed, .endedAgo = 60}
            << Expect{.state = S::Done, .billNothing = true};

        // --- STOPPED (autostop) while nobody watched: the job's own log is the witness.
        QTest::newRow("stopped while running, progress done, policy down")
            << Given{.state = S::Running, .clusterSeen = true, .skyJobId = 1, .progressDone = true, .cluster = stopped}
            << Expect{.state = S::Stopped, .outcome = S::Succeeded, .action = A::Down, .clusterSeen = true,
                      .reasonContains = QStringLiteral("autostop")};
        QTest::newRow("stopped while running, progress not done, policy down")
            << Given{.state = S::Running, .clusterSeen = true, .skyJobId = 1, .cluster = stopped}
            << Expect{.state = S::Stopped, .outcome = S::Failed, .action = A::Down, .clusterSeen = true};
        QTest::newRow("stopped while running, keep stopped")
            << Given{.state = S::Running, .policy = P::KeepStopped, .clusterSeen = true, .skyJobId = 1, .progressDone = true,
                     .cluster = stopped}
            << Expect{.state = S::Stopped, .outcome = S::Succeeded, .clusterSeen = true};
        QTest::newRow("stopped while running, keep up")
            << Given{.state = S::Running, .policy = P::KeepUp, .clusterSeen = true, .skyJobId = 1, .progressDone = true,
                     .cluster = stopped}
            << Expect{.state = S::Stopped, .outcome = S::Succeeded, .clusterSeen = true};
        QTest::newRow("stopped while running, keep 30 minutes (just ended)")
            << Given{.state = S::Running, .policy = P::KeepMinutes, .clusterSeen = true, .skyJobId = 1, .cluster = stopped}
            << Expect{.state = S::Stopped, .outcome = S::Failed, .clusterSeen = true};
        QTest::newRow("ended, kept stopped, STOPPED: nothing to do")
            << Given{.state = S::Stopped, .outcome = S::Succeeded, .policy = P::KeepStopped, .endedAgo = 600,
                     .clusterSeen = true, .cluster = stopped}
            << Expect{.clusterSeen = true};
        QTest::newRow("ended, keep stopped, now STOPPED: state follows")
            << Given{.state = S::Succeeded, .outcome = S::Succeeded, .policy = P::KeepStopped, .endedAgo = 600,
                     .clusterSeen = true, .cluster = stopped}
            << Expect{.state = S::Stopped, .clusterSeen = true};
        QTest::newRow("ended, keep minutes over, STOPPED: down")
            << Given{.state = S::Succeeded, .outcome = S::Succeeded, .policy = P::KeepMinutes, .endedAgo = 3600,
                     .clusterSeen = true, .cluster = stopped}
            << Expect{.state = S::Stopped, .action = A::Down, .clusterSeen = true};

        // --- INIT.
        QTest::newRow("stopped job restarting: provisioning")
            << Given{.state = S::Stopped, .clusterSeen = true, .skyJobId = 1, .cluster = init}
            << Expect{.state = S::Provisioning, .clusterSeen = true};
        QTest::newRow("running, INIT: no change")
            << Given{.state = S::Running, .clusterSeen = true, .skyJobId = 1, .cluster = init} << Expect{.clusterSeen = true};

        // --- UP: the queue says what the job does.
        QTest::newRow("UP, queue RUNNING")
            << Given{.state = S::Provisioning, .clusterSeen = true, .skyJobId = 1, .cluster = up,
                     .queue = {{1, QStringLiteral("RUNNING")}}}
            << Expect{.state = S::Running, .clusterSeen = true};
        QTest::newRow("UP, queue PENDING while provisioning")
            << Given{.state = S::Provisioning, .skyJobId = 1, .cluster = up, .queue = {{1, QStringLiteral("PENDING")}}}
            << Expect{.state = S::SettingUp, .clusterSeen = true};
        QTest::newRow("UP, already running: no change")
            << Given{.state = S::Running, .clusterSeen = true, .skyJobId = 1, .cluster = QStringLiteral("AUTOSTOPPING"),
                     .queue = {{1, QStringLiteral("RUNNING")}}}
            << Expect{.clusterSeen = true};
        QTest::newRow("setting up, launcher alive does not matter once submitted")
            << Given{.state = S::SettingUp, .skyJobId = 1, .launcherAlive = true, .cluster = up,
                     .queue = {{1, QStringLiteral("RUNNING")}}}
            << Expect{.state = S::Running, .clusterSeen = true};
        QTest::newRow("UP, queue SUCCEEDED: confirm, then down")
            << Given{.state = S::Running, .clusterSeen = true, .skyJobId = 1, .cluster = up,
                     .queue = {{1, QStringLiteral("SUCCEEDED")}}}
            << Expect{.state = S::Succeeded, .outcome = S::Succeeded, .action = A::Down, .confirmOutcome = true,
                      .clusterSeen = true, .reasonContains = QStringLiteral("SUCCEEDED")};
        QTest::newRow("UP, queue SUCCEEDED, keep up")
            << Given{.state = S::Running, .policy = P::KeepUp, .skyJobId = 1, .cluster = up,
                     .queue = {{1, QStringLiteral("SUCCEEDED")}}}
            << Expect{.state = S::Succeeded, .outcome = S::Succeeded, .confirmOutcome = true, .clusterSeen = true};
        QTest::newRow("UP, queue SUCCEEDED, keep stopped: stop")
            << Given{.state = S::Running, .policy = P::KeepStopped, .skyJobId = 1, .cluster = up,
                     .queue = {{1, QStringLiteral("SUCCEEDED")}}}
            << Expect{.state = S::Succeeded, .outcome = S::Succeeded, .action = A::Stop, .confirmOutcome = true,
                      .clusterSeen = true};
        QTest::newRow("UP, queue SUCCEEDED, keep minutes: not yet")
            << Given{.state = S::Running, .policy = P::KeepMinutes, .skyJobId = 1, .cluster = up,
                     .queue = {{1, QStringLiteral("SUCCEEDED")}}}
            << Expect{.state = S::Succeeded, .outcome = S::Succeeded, .confirmOutcome = true, .clusterSeen = true};
        QTest::newRow("UP, queue FAILED_SETUP")
            << Given{.state = S::SettingUp, .skyJobId = 1, .cluster = up, .queue = {{1, QStringLiteral("FAILED_SETUP")}}}
            << Expect{.state = S::Failed, .outcome = S::Failed, .action = A::Down, .confirmOutcome = true, .clusterSeen = true};
        QTest::newRow("UP, queue FAILED_DRIVER")
            << Given{.state = S::Running, .skyJobId = 1, .cluster = up, .queue = {{1, QStringLiteral("FAILED_DRIVER")}}}
            << Expect{.state = S::Failed, .outcome = S::Failed, .action = A::Down, .confirmOutcome = true, .clusterSeen = true};
        QTest::newRow("UP, queue CANCELLED")
            << Given{.state = S::Running, .skyJobId = 1, .cluster = up, .queue = {{1, QStringLiteral("CANCELLED")}}}
            << Expect{.state = S::Cancelled, .outcome = S::Cancelled, .action = A::Down, .confirmOutcome = true,
                      .clusterSeen = true};
        QTest::newRow("UP, unknown queue status: only the id is learned")
            << Given{.state = S::SettingUp, .cluster = up, .queue = {{4, QStringLiteral("SOMETHING_NEW")}}}
            << Expect{.skyJobId = 4, .clusterSeen = true};

        // --- Which queue entry is ours.
        QTest::newRow("unknown sky id: newest entry adopted")
            << Given{.state = S::SettingUp, .cluster = up,
                     .queue = {{1, QStringLiteral("FAILED")}, {3, QStringLiteral("RUNNING")}, {2, QStringLiteral("SUCCEEDED")}}}
            << Expect{.state = S::Running, .skyJobId = 3, .clusterSeen = true};
        QTest::newRow("launching, dead launcher, job submitted: id learned")
            << Given{.state = S::Launching, .launchStartedAgo = 60, .cluster = up, .queue = {{1, QStringLiteral("SETTING_UP")}}}
            << Expect{.state = S::SettingUp, .skyJobId = 1, .clusterSeen = true};
        QTest::newRow("known sky id picks its own entry")
            << Given{.state = S::SettingUp, .skyJobId = 2, .cluster = up,
                     .queue = {{2, QStringLiteral("RUNNING")}, {5, QStringLiteral("FAILED")}}}
            << Expect{.state = S::Running, .clusterSeen = true};
        QTest::newRow("known sky id missing from the queue, beyond grace: failed")
            << Given{.state = S::Running, .skyJobId = 9, .cluster = up, .queue = {{1, QStringLiteral("RUNNING")}}}
            << Expect{.state = S::Failed, .outcome = S::Failed, .action = A::Down, .clusterSeen = true};

        // --- UP but nothing submitted.
        QTest::newRow("UP, empty queue, beyond grace, dead launcher: failed, down")
            << Given{.state = S::Provisioning, .cluster = up}
            << Expect{.state = S::Failed, .outcome = S::Failed, .action = A::Down, .clusterSeen = true,
                      .reasonContains = QStringLiteral("before the job was submitted")};
        QTest::newRow("UP, empty queue, beyond grace, dead launcher, keep up: failed, kept")
            << Given{.state = S::Provisioning, .policy = P::KeepUp, .cluster = up}
            << Expect{.state = S::Failed, .outcome = S::Failed, .clusterSeen = true};
        QTest::newRow("UP, empty queue, within grace, launching: provisioning")
            << Given{.state = S::Launching, .launchStartedAgo = 60, .cluster = up}
            << Expect{.state = S::Provisioning, .clusterSeen = true};
        QTest::newRow("UP, empty queue, within grace, provisioning: wait")
            << Given{.state = S::Provisioning, .launchStartedAgo = 60, .cluster = up} << Expect{.clusterSeen = true};
        QTest::newRow("UP, empty queue, beyond grace, launcher alive, setting up: wait")
            << Given{.state = S::SettingUp, .launcherAlive = true, .cluster = up} << Expect{.clusterSeen = true};
        QTest::newRow("UP, queue unknown: wait")
            << Given{.state = S::Provisioning, .skyJobId = 1, .cluster = up, .queueKnown = false} << Expect{.clusterSeen = true};

        // --- The teardown policy of an ended job.
        QTest::newRow("keep minutes, 29 of 30 gone: keep")
            << Given{.state = S::Succeeded, .outcome = S::Succeeded, .policy = P::KeepMinutes, .keepMinutes = 30,
                     .endedAgo = 29 * 60, .clusterSeen = true, .skyJobId = 1, .cluster = up,
                     .queue = {{1, QStringLiteral("SUCCEEDED")}}}
            << Expect{.clusterSeen = true};
        QTest::newRow("keep minutes, exactly 30: down")
            << Given{.state = S::Succeeded, .outcome = S::Succeeded, .policy = P::KeepMinutes, .keepMinutes = 30,
                     .endedAgo = 30 * 60, .clusterSeen = true, .skyJobId = 1, .cluster = up}
            << Expect{.action = A::Down, .clusterSeen = true};
        QTest::newRow("keep minutes, 31 of 30: down")
            << Given{.state = S::Failed, .outcome = S::Failed, .policy = P::KeepMinutes, .keepMinutes = 30,
                     .endedAgo = 31 * 60, .clusterSeen = true, .skyJobId = 1, .cluster = up}
            << Expect{.action = A::Down, .clusterSeen = true};
        QTest::newRow("keep stopped, ended, UP: stop")
            << Given{.state = S::Succeeded, .outcome = S::Succeeded, .policy = P::KeepStopped, .endedAgo = 10,
                     .clusterSeen = true, .skyJobId = 1, .cluster = up}
            << Expect{.action = A::Stop, .clusterSeen = true};
        QTest::newRow("keep up, ended, UP: nothing")
            << Given{.state = S::Succeeded, .outcome = S::Succeeded, .policy = P::KeepUp, .endedAgo = 86400,
                     .clusterSeen = true, .skyJobId = 1, .cluster = up}
            << Expect{.clusterSeen = true};
        QTest::newRow("down, ended, UP (teardown not issued yet): down")
            << Given{.state = S::Cancelled, .outcome = S::Cancelled, .endedAgo = 5, .clusterSeen = true, .skyJobId = 1,
                     .cluster = up}
            << Expect{.action = A::Down, .clusterSeen = true};
        QTest::newRow("stopped and restarted by hand: policy applies again")
            << Given{.state = S::Stopped, .outcome = S::Succeeded, .policy = P::KeepStopped, .endedAgo = 7200,
                     .clusterSeen = true, .skyJobId = 1, .cluster = up}
            << Expect{.state = S::Succeeded, .action = A::Stop, .clusterSeen = true};

        // --- Tearing down: retry `sky down` when due.
        QTest::newRow("tearing down, UP, retry in the future: wait")
            << Given{.state = S::TearingDown, .outcome = S::Succeeded, .endedAgo = 600, .clusterSeen = true, .cluster = up,
                     .nextTeardownIn = 60}
            << Expect{.clusterSeen = true};
        QTest::newRow("tearing down, UP, retry due: down")
            << Given{.state = S::TearingDown, .outcome = S::Succeeded, .endedAgo = 600, .clusterSeen = true, .cluster = up,
                     .nextTeardownIn = -60}
            << Expect{.action = A::Down, .clusterSeen = true};
        QTest::newRow("tearing down, UP, no retry time: down")
            << Given{.state = S::TearingDown, .outcome = S::Succeeded, .endedAgo = 600, .clusterSeen = true, .cluster = up}
            << Expect{.action = A::Down, .clusterSeen = true};
        QTest::newRow("tearing down, STOPPED, retry due: down")
            << Given{.state = S::TearingDown, .outcome = S::Failed, .endedAgo = 600, .clusterSeen = true, .cluster = stopped,
                     .nextTeardownIn = 0}
            << Expect{.action = A::Down, .clusterSeen = true};
        QTest::newRow("tearing down, STOPPED, retry later: wait")
            << Given{.state = S::TearingDown, .outcome = S::Failed, .endedAgo = 600, .clusterSeen = true, .cluster = stopped,
                     .nextTeardownIn = 30}
            << Expect{.clusterSeen = true};
        QTest::newRow("tearing down, INIT, retry due: down")
            << Given{.state = S::TearingDown, .outcome = S::Failed, .endedAgo = 600, .clusterSeen = true, .cluster = init,
                     .nextTeardownIn = -1}
            << Expect{.action = A::Down, .clusterSeen = true};

        // --- Knowing nothing changes nothing.
        QTest::newRow("status unknown, cluster would be missing")
            << Given{.state = S::Running, .clusterSeen = true, .skyJobId = 1, .statusKnown = false} << Expect{};
        QTest::newRow("status unknown, launch long dead")
            << Given{.state = S::Launching, .launchStartedAgo = 86400, .statusKnown = false} << Expect{};
        QTest::newRow("terminal job, cluster listed")
            << Given{.state = S::Done, .outcome = S::Succeeded, .endedAgo = 60, .clusterSeen = true, .cluster = up} << Expect{};
        QTest::newRow("lost job, cluster back")
            << Given{.state = S::Lost, .clusterSeen = true, .cluster = up, .queue = {{1, QStringLiteral("RUNNING")}}}
            << Expect{};

        // --- Managed jobs: the jobs controller's queue decides; `sky status` does not matter.
        QTest::newRow("managed RUNNING")
            << Given{.state = S::Provisioning, .statusKnown = false, .managed = true, .managedStatus = QStringLiteral("RUNNING"),
                     .managedJobId = kManagedEntryId}
            << Expect{.state = S::Running, .clusterSeen = true};
        QTest::newRow("managed STARTING while launching")
            << Given{.state = S::Launching, .managed = true, .managedStatus = QStringLiteral("STARTING"),
                     .managedJobId = kManagedEntryId}
            << Expect{.state = S::Provisioning, .clusterSeen = true};
        QTest::newRow("managed id learned from the queue")
            << Given{.state = S::Launching, .managed = true, .managedStatus = QStringLiteral("RUNNING")}
            << Expect{.state = S::Running, .skyJobId = kManagedEntryId, .clusterSeen = true};
        QTest::newRow("managed RECOVERING")
            << Given{.state = S::Running, .clusterSeen = true, .managed = true, .managedStatus = QStringLiteral("RECOVERING"),
                     .recoveries = 2, .managedJobId = kManagedEntryId}
            << Expect{.state = S::Recovering, .clusterSeen = true, .reasonContains = QStringLiteral("recovery 2")};
        QTest::newRow("managed RUNNING again after recovery")
            << Given{.state = S::Recovering, .clusterSeen = true, .managed = true, .managedStatus = QStringLiteral("RUNNING"),
                     .recoveries = 2, .managedJobId = kManagedEntryId}
            << Expect{.state = S::Running, .clusterSeen = true};
        QTest::newRow("managed SUCCEEDED: done")
            << Given{.state = S::Running, .clusterSeen = true, .managed = true, .managedStatus = QStringLiteral("SUCCEEDED"),
                     .managedJobId = kManagedEntryId}
            << Expect{.state = S::Done, .outcome = S::Succeeded, .clusterSeen = true,
                      .reasonContains = QStringLiteral("SUCCEEDED")};
        QTest::newRow("managed FAILED_NO_RESOURCE: done, failed")
            << Given{.state = S::Provisioning, .managed = true, .managedStatus = QStringLiteral("FAILED_NO_RESOURCE"),
                     .managedJobId = kManagedEntryId}
            << Expect{.state = S::Done, .outcome = S::Failed, .clusterSeen = true};
        QTest::newRow("managed CANCELLED: done, cancelled")
            << Given{.state = S::Running, .managed = true, .managedStatus = QStringLiteral("CANCELLED"),
                     .managedJobId = kManagedEntryId}
            << Expect{.state = S::Done, .outcome = S::Cancelled, .clusterSeen = true};
        QTest::newRow("managed, ended, still listed running: no change")
            << Given{.state = S::Cancelled, .outcome = S::Cancelled, .endedAgo = 30, .clusterSeen = true, .managed = true,
                     .managedStatus = QStringLiteral("RUNNING"), .managedJobId = kManagedEntryId}
            << Expect{.clusterSeen = true};
        QTest::newRow("managed missing beyond grace: lost")
            << Given{.state = S::Running, .clusterSeen = true, .managed = true, .managedJobId = kManagedEntryId}
            << Expect{.state = S::Lost};
        QTest::newRow("managed never submitted, missing beyond grace: lost, free")
            << Given{.state = S::Launching, .managed = true} << Expect{.state = S::Lost, .billNothing = true};
        QTest::newRow("managed ended, missing: done")
            << Given{.state = S::Succeeded, .outcome = S::Succeeded, .endedAgo = 60, .clusterSeen = true, .managed = true,
                     .managedJobId = kManagedEntryId}
            << Expect{.state = S::Done};
        QTest::newRow("managed missing within grace: wait")
            << Given{.state = S::Launching, .launchStartedAgo = 60, .managed = true} << Expect{};
        QTest::newRow("managed missing, launcher alive: wait")
            << Given{.state = S::Launching, .launcherAlive = true, .managed = true} << Expect{};
        QTest::newRow("managed queue unknown: no change")
            << Given{.state = S::Running, .clusterSeen = true, .managed = true, .managedKnown = false,
                     .managedJobId = kManagedEntryId}
            << Expect{};
        QTest::newRow("managed tearing down: left to the teardown")
            << Given{.state = S::TearingDown, .outcome = S::Succeeded, .endedAgo = 60, .managed = true,
                     .managedJobId = kManagedEntryId}
            << Expect{};
    }

    void decides()
    {
        QFETCH(Given, given);
        QFETCH(Expect, expect);
        const JobRecord job = recordFor(given);
        ReconcileTimings timings;
        timings.launchGrace = std::chrono::seconds(given.graceSeconds);
        const Decision decision = reconcile(job, observationFor(given), timings);

        QVERIFY2(decision.state == expect.state,
                 qPrintable(QStringLiteral("state %1, expected %2 (%3)")
                                .arg(stateText(decision.state), stateText(expect.state), decision.reason)));
        QVERIFY2(decision.outcome == expect.outcome,
                 qPrintable(QStringLiteral("outcome %1, expected %2").arg(stateText(decision.outcome), stateText(expect.outcome))));
        QCOMPARE(int(decision.action), int(expect.action));
        QCOMPARE(decision.confirmOutcome, expect.confirmOutcome);
        QCOMPARE(decision.billNothing, expect.billNothing);
        QCOMPARE(decision.skyJobId, expect.skyJobId);
        QCOMPARE(decision.clusterSeen, expect.clusterSeen);
        if (!expect.reasonContains.isEmpty())
            QVERIFY2(decision.reason.contains(expect.reasonContains, Qt::CaseInsensitive), qPrintable(decision.reason));
        // An ending (an outcome, a verified-gone or lost cluster) always says why.
        if (decision.outcome || (decision.state && isTerminal(*decision.state)))
            QVERIFY2(!decision.reason.isEmpty(), "an ending says why");
        // Whatever it decides must be a move the lifecycle (and the store) allows.
        if (decision.state)
            QVERIFY2(canTransition(job.state, *decision.state),
                     qPrintable(stateName(job.state) + QStringLiteral(" -> ") + stateName(*decision.state)));
        if (decision.outcome)
            QVERIFY(isOutcome(*decision.outcome));
    }

    void queueStatuses_data()
    {
        QTest::addColumn<QString>("status");
        QTest::addColumn<int>("state"); // -1: not understood
        QTest::newRow("INIT") << QStringLiteral("INIT") << int(JobState::SettingUp);
        QTest::newRow("PENDING") << QStringLiteral("PENDING") << int(JobState::SettingUp);
        QTest::newRow("SETTING_UP") << QStringLiteral("SETTING_UP") << int(JobState::SettingUp);
        QTest::newRow("RUNNING") << QStringLiteral("RUNNING") << int(JobState::Running);
        QTest::newRow("SUCCEEDED") << QStringLiteral("SUCCEEDED") << int(JobState::Succeeded);
        QTest::newRow("CANCELLED") << QStringLiteral("CANCELLED") << int(JobState::Cancelled);
        QTest::newRow("FAILED") << QStringLiteral("FAILED") << int(JobState::Failed);
        QTest::newRow("FAILED_SETUP") << QStringLiteral("FAILED_SETUP") << int(JobState::Failed);
        QTest::newRow("FAILED_DRIVER") << QStringLiteral("FAILED_DRIVER") << int(JobState::Failed);
        QTest::newRow("lower case") << QStringLiteral("running") << -1;
        QTest::newRow("empty") << QString() << -1;
        QTest::newRow("managed-only word") << QStringLiteral("RECOVERING") << -1;
        QTest::newRow("future word") << QStringLiteral("PAUSED") << -1;
    }

    void queueStatuses()
    {
        QFETCH(QString, status);
        QFETCH(int, state);
        const std::optional<JobState> mapped = stateForQueueStatus(status);
        QCOMPARE(mapped.has_value(), state >= 0);
        if (mapped)
            QCOMPARE(int(*mapped), state);
    }

    void managedStatuses_data()
    {
        QTest::addColumn<QString>("status");
        QTest::addColumn<int>("state"); // -1: not understood
        QTest::newRow("PENDING") << QStringLiteral("PENDING") << int(JobState::Provisioning);
        QTest::newRow("SUBMITTED") << QStringLiteral("SUBMITTED") << int(JobState::Provisioning);
        QTest::newRow("STARTING") << QStringLiteral("STARTING") << int(JobState::Provisioning);
        QTest::newRow("RUNNING") << QStringLiteral("RUNNING") << int(JobState::Running);
        QTest::newRow("RECOVERING") << QStringLiteral("RECOVERING") << int(JobState::Recovering);
        QTest::newRow("SUCCEEDED") << QStringLiteral("SUCCEEDED") << int(JobState::Succeeded);
        QTest::newRow("CANCELLING") << QStringLiteral("CANCELLING") << int(JobState::Cancelled);
        QTest::newRow("CANCELLED") << QStringLiteral("CANCELLED") << int(JobState::Cancelled);
        QTest::newRow("FAILED") << QStringLiteral("FAILED") << int(JobState::Failed);
        QTest::newRow("FAILED_SETUP") << QStringLiteral("FAILED_SETUP") << int(JobState::Failed);
        QTest::newRow("FAILED_PRECHECKS") << QStringLiteral("FAILED_PRECHECKS") << int(JobState::Failed);
        QTest::newRow("FAILED_NO_RESOURCE") << QStringLiteral("FAILED_NO_RESOURCE") << int(JobState::Failed);
        QTest::newRow("FAILED_CONTROLLER") << QStringLiteral("FAILED_CONTROLLER") << int(JobState::Failed);
        QTest::newRow("cluster word") << QStringLiteral("SETTING_UP") << -1;
        QTest::newRow("lower case") << QStringLiteral("succeeded") << -1;
        QTest::newRow("empty") << QString() << -1;
    }

    void managedStatuses()
    {
        QFETCH(QString, status);
        QFETCH(int, state);
        const std::optional<JobState> mapped = stateForManagedStatus(status);
        QCOMPARE(mapped.has_value(), state >= 0);
        if (mapped)
            QCOMPARE(int(*mapped), state);
    }

    void policyActions_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<int>("outcome");
        QTest::addColumn<int>("policy");
        QTest::addColumn<int>("keepMinutes");
        QTest::addColumn<int>("endedAgo"); // seconds; -1: no end time recorded
        QTest::addColumn<bool>("clusterStopped");
        QTest::addColumn<int>("action");
        using S = JobState;
        using P = TeardownPolicy;
        using A = ClusterAction;
        for (P policy : {P::Down, P::KeepMinutes, P::KeepStopped, P::KeepUp}) {
            QTest::addRow("not ended, %s", qPrintable(policyName(policy)))
                << int(S::Running) << int(S::Launching) << int(policy) << 0 << -1 << false << int(A::None);
            QTest::addRow("tearing down, %s", qPrintable(policyName(policy)))
                << int(S::TearingDown) << int(S::Succeeded) << int(policy) << 0 << 3600 << false << int(A::None);
        }
        QTest::newRow("down, up") << int(S::Succeeded) << int(S::Succeeded) << int(P::Down) << 30 << 0 << false << int(A::Down);
        QTest::newRow("down, stopped") << int(S::Stopped) << int(S::Failed) << int(P::Down) << 30 << 0 << true << int(A::Down);
        QTest::newRow("keep 30, just ended") << int(S::Succeeded) << int(S::Succeeded) << int(P::KeepMinutes) << 30 << 0
                                             << false << int(A::None);
        QTest::newRow("keep 30, 1799 s") << int(S::Succeeded) << int(S::Succeeded) << int(P::KeepMinutes) << 30 << 1799
                                         << false << int(A::None);
        QTest::newRow("keep 30, 1800 s") << int(S::Succeeded) << int(S::Succeeded) << int(P::KeepMinutes) << 30 << 1800
                                         << false << int(A::Down);
        QTest::newRow("keep 0") << int(S::Failed) << int(S::Failed) << int(P::KeepMinutes) << 0 << 0 << false << int(A::Down);
        QTest::newRow("keep 30, no end time") << int(S::Failed) << int(S::Failed) << int(P::KeepMinutes) << 30 << -1 << false
                                              << int(A::None);
        QTest::newRow("keep 30, stopped and over") << int(S::Stopped) << int(S::Failed) << int(P::KeepMinutes) << 30 << 7200
                                                   << true << int(A::Down);
        QTest::newRow("keep stopped, up") << int(S::Succeeded) << int(S::Succeeded) << int(P::KeepStopped) << 30 << 0 << false
                                          << int(A::Stop);
        QTest::newRow("keep stopped, stopped") << int(S::Stopped) << int(S::Succeeded) << int(P::KeepStopped) << 30 << 0
                                               << true << int(A::None);
        QTest::newRow("keep up, up, a day later") << int(S::Cancelled) << int(S::Cancelled) << int(P::KeepUp) << 30 << 86400
                                                  << false << int(A::None);
    }

    void policyActions()
    {
        QFETCH(int, state);
        QFETCH(int, outcome);
        QFETCH(int, policy);
        QFETCH(int, keepMinutes);
        QFETCH(int, endedAgo);
        QFETCH(bool, clusterStopped);
        QFETCH(int, action);
        JobRecord job;
        job.state = static_cast<JobState>(state);
        job.outcome = static_cast<JobState>(outcome);
        job.policy = static_cast<TeardownPolicy>(policy);
        job.keepMinutes = keepMinutes;
        if (endedAgo >= 0)
            job.endedAt = kNow.addSecs(-endedAgo);
        QCOMPARE(int(policyAction(job, kNow, clusterStopped)), action);
    }

    void decisionChanges()
    {
        JobRecord job;
        job.state = JobState::Running;
        job.skyJobId = 2;
        job.clusterSeen = true;
        QVERIFY(!Decision{}.changes(job));

        Decision same;
        same.state = JobState::Running;
        same.skyJobId = 2;
        same.clusterSeen = true;
        QVERIFY(!same.changes(job));

        Decision moved;
        moved.state = JobState::Succeeded;
        QVERIFY(moved.changes(job));

        Decision learned;
        learned.skyJobId = 3;
        QVERIFY(learned.changes(job));

        Decision act;
        act.action = ClusterAction::Stop;
        QVERIFY(act.changes(job));

        Decision confirm;
        confirm.confirmOutcome = true;
        QVERIFY(confirm.changes(job));

        Decision ended;
        ended.outcome = JobState::Failed;
        QVERIFY(ended.changes(job));

        job.clusterSeen = false;
        Decision seen;
        seen.clusterSeen = true;
        QVERIFY(seen.changes(job));
    }
};

VIBEML_TEST_MAIN_CORE(TestJobReconciler)
#include "tst_jobreconciler.moc"
