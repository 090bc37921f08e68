// The job monitor, launcher, log follower and teardown against the fake `sky` (a real child
// process per command) and a real journal file, with a manual clock for money and time.
#include "catalog/Catalog.h"
#include "common/Clock.h"
#include "jobs/JobService.h"
#include "jobs/JournalDatabase.h"
#include "sky/RunBundle.h"

#include "FakeSky.h"
#include "JobTestRig.h"
#include "TestSupport.h"

#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace vibeml;
using namespace vibeml::jobs;
using namespace std::chrono_literals;

using test::generousLimits;
using test::quickTimings;
using test::samplePlan;
using Process = test::JobProcess;

class TestJobMonitor : public QObject
{
    Q_OBJECT

private:
    catalog::Catalog m_catalog = catalog::Catalog::load(QStringLiteral("/nonexistent"));
    int m_case = 0;
    QString m_root;
    std::unique_ptr<test::FakeSky> m_sky;
    ManualClock m_clock;

    QString journalPath() const { return m_root + QStringLiteral("/journal.sqlite"); }
    QString bundles() const { return m_root + QStringLiteral("/runs"); }
    std::unique_ptr<Process> process(MonitorTimings timings = quickTimings())
    {
        return std::make_unique<Process>(journalPath(), m_clock, m_catalog, *m_sky, bundles(), timings);
    }

    QString launch(Process &p, const QString &id, LaunchRequest request = {})
    {
        request.plan = request.plan.jobId.isEmpty() ? samplePlan(id) : request.plan;
        request.source = QStringLiteral("test");
        auto started = p.service->launch(request, generousLimits(), true);
        if (!started)
            qWarning() << started.error().message;
        return started ? started.value() : QString();
    }

    // Submitted and watched: setting up (pip) or running.
    static bool isLive(Process &p, const QString &id)
    {
        const auto job = p.store().job(id);
        return job && (job->state == JobState::SettingUp || job->state == JobState::Running) && job->skyJobId;
    }

    static std::optional<JobState> stateOf(Process &p, const QString &id)
    {
        const auto job = p.store().job(id);
        return job ? std::optional<JobState>(job->state) : std::nullopt;
    }

    int countInvocations(const QString &command) const
    {
        int count = 0;
        for (const QStringList &arguments : m_sky->invocations())
            count += arguments.value(0) == command ? 1 : 0;
        return count;
    }

    QStringList clustersUp() const { return m_sky->clusters(); }

private Q_SLOTS:
    void init()
    {
        m_root = test::isolatedRoot() + QStringLiteral("/monitor-%1").arg(++m_case);
        m_sky = std::make_unique<test::FakeSky>();
        m_clock.set(QDateTime(QDate(2026, 11, 28), QTime(12, 0), Qt::UTC));
    }

    void runsAJobFromLaunchToVerifiedTeardown()
    {
        m_sky->set(QStringLiteral("job_seconds"), 8); // running long enough for a loaded machine's polls to see it
        auto p = process();
        QSignalSpy ended(&p->monitor(), &JobMonitor::notice);
        const QString id = launch(*p, QStringLiteral("vibeml-life-a1b2c3"));
        QVERIFY(!id.isEmpty());
        // The row exists before sky even answers.
        QCOMPARE(stateOf(*p, id).value_or(JobState::Lost), JobState::Launching);
        p->monitor().start();
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*p, id).value_or(JobState::Lost), JobState::Done, 20000);
        const JobRecord job = *p->store().job(id);
        QCOMPARE(job.outcome, JobState::Succeeded);
        QCOMPARE(job.skyJobId.value_or(-1), 1);
        QVERIFY(job.clusterSeen);
        QVERIFY(clustersUp().isEmpty());
        // The log was followed into the bundle, and its progress lines became metrics.
        const QByteArray log = test::readFile(job.logFile());
        QVERIFY(log.contains("@@VIBEML@@ {\"event\": \"done\""));
        QVERIFY(!log.contains("Job finished (status"));
        QVERIFY(job.progress.done);
        QVERIFY(!p->store().metrics(id).isEmpty());
        // Every step is in the history, in order.
        QStringList states;
        for (const JobEvent &event : p->store().events(id)) {
            if (event.kind == QLatin1String("state"))
                states << event.state;
        }
        QCOMPARE(states.first(), QStringLiteral("launching"));
        QVERIFY(states.contains(QStringLiteral("running")));
        QVERIFY(states.indexOf(QStringLiteral("succeeded")) < states.indexOf(QStringLiteral("tearing-down")));
        QCOMPARE(states.last(), QStringLiteral("done"));
        // The final verdict came from `sky logs --status`, and sky down was never --purge.
        bool askedStatus = false;
        for (const QStringList &arguments : m_sky->invocations()) {
            askedStatus = askedStatus || arguments.mid(0, 2) == QStringList{QStringLiteral("logs"), QStringLiteral("--status")};
            QVERIFY(!arguments.contains(QStringLiteral("--purge")));
            QVERIFY(!arguments.contains(QStringLiteral("--down")));
        }
        QVERIFY(askedStatus);
        // What it cost joined the month's spend.
        QVERIFY(p->service->ledger().monthTotal(m_clock.now().date()).value_or(-1) >= 0);
    }

    void skyProcessesPerPollDoNotGrowWithJobs_data()
    {
        QTest::addColumn<int>("jobs");
        QTest::newRow("1 job") << 1;
        QTest::newRow("6 jobs") << 6;
    }

    void skyProcessesPerPollDoNotGrowWithJobs()
    {
        QFETCH(int, jobs);
        m_sky->set(QStringLiteral("job_seconds"), 600); // they keep running
        auto p = process();
        QStringList ids;
        for (int i = 0; i < jobs; ++i)
            ids << launch(*p, QStringLiteral("vibeml-count-%1x").arg(i));
        p->monitor().start();
        for (const QString &id : std::as_const(ids))
            QTRY_VERIFY_WITH_TIMEOUT(isLive(*p, id) && p->monitor().isFollowing(id), 20000);
        // Steady state: count what a few polls spawn, log followers aside.
        QTRY_COMPARE_WITH_TIMEOUT(countInvocations(QStringLiteral("logs")), jobs, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!p->monitor().isPolling(), 5000);
        const int before = m_sky->invocations().size();
        const int followersBefore = countInvocations(QStringLiteral("logs"));
        const int pollsBefore = p->monitor().pollCount();
        QTRY_VERIFY_WITH_TIMEOUT(p->monitor().pollCount() >= pollsBefore + 4 && !p->monitor().isPolling(), 10000);
        const int polls = p->monitor().pollCount() - pollsBefore;
        const int spawned = m_sky->invocations().size() - before - (countInvocations(QStringLiteral("logs")) - followersBefore);
        // One `sky status` and one `sky queue` per poll, whatever the number of jobs.
        QCOMPARE(spawned, 2 * polls);
        // And one `sky logs --follow` per running job, started once.
        QCOMPARE(followersBefore, jobs);
        QStringList lastQueue;
        for (const QStringList &arguments : m_sky->invocations()) {
            if (arguments.value(0) == QLatin1String("queue"))
                lastQueue = arguments;
        }
        QCOMPARE(lastQueue.size() - 1, jobs); // every cluster in one call
        p->monitor().stop();
    }

    void warnsThenStopsAJobAtItsBudgetCap()
    {
        m_sky->set(QStringLiteral("job_seconds"), 600);
        auto p = process();
        QSignalSpy notices(&p->monitor(), &JobMonitor::notice);
        LaunchRequest request;
        request.plan = samplePlan(QStringLiteral("vibeml-budget-a1b2c3"), 10.0); // $10/h
        request.budgetCapUsd = 5.0;
        const QString id = launch(*p, request.plan.jobId, request);
        p->monitor().start();
        QTRY_VERIFY_WITH_TIMEOUT(isLive(*p, id), 20000);
        // 24 minutes: $4.00, past 80 % of $5.
        m_clock.advanceSeconds(24 * 60);
        p->monitor().pollNow();
        QTRY_VERIFY_WITH_TIMEOUT(p->store().job(id)->budgetWarned, 5000);
        QVERIFY(isLive(*p, id));
        const auto warned = std::count_if(notices.begin(), notices.end(), [](const QList<QVariant> &args) {
            return args.at(0).value<MonitorNotice>().kind == MonitorNotice::Kind::BudgetWarning;
        });
        QCOMPARE(warned, 1);
        // 30 minutes: $5.00, the cap. Cancelled, torn down, with the reason.
        m_clock.advanceSeconds(6 * 60);
        p->monitor().pollNow();
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*p, id).value_or(JobState::Lost), JobState::Done, 20000);
        const JobRecord job = *p->store().job(id);
        QCOMPARE(job.outcome, JobState::Cancelled);
        QVERIFY2(job.reason.contains(QStringLiteral("Cluster removed")) || job.reason.contains(QStringLiteral("Budget cap")), qPrintable(job.reason));
        bool recorded = false;
        for (const JobEvent &event : p->store().events(id))
            recorded = recorded || (event.kind == QLatin1String("budget") && event.message.contains(QStringLiteral("Budget cap reached: $5.00 of $5.00")));
        QVERIFY(recorded);
        QVERIFY(clustersUp().isEmpty());
        QVERIFY(countInvocations(QStringLiteral("cancel")) >= 1);
        // Billing stopped at the verified teardown: the manual clock did not move since, so $5.00.
        QCOMPARE(qRound(job.actualUsd.value_or(0) * 100), 500);
    }

    void keepPoliciesAreHonoured_data()
    {
        QTest::addColumn<QString>("policy");
        QTest::newRow("keep up") << QStringLiteral("keep-up");
        QTest::newRow("keep for minutes") << QStringLiteral("keep-minutes");
    }

    void keepPoliciesAreHonoured()
    {
        QFETCH(QString, policy);
        auto p = process();
        LaunchRequest request;
        request.plan = samplePlan(QStringLiteral("vibeml-keep-a1b2c3"));
        request.policy = *policyFromName(policy);
        request.keepMinutes = 10;
        const QString id = launch(*p, request.plan.jobId, request);
        p->monitor().start();
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*p, id).value_or(JobState::Lost), JobState::Succeeded, 20000);
        QTest::qWait(600); // a few polls: nothing happens to a kept cluster
        QCOMPARE(stateOf(*p, id).value_or(JobState::Lost), JobState::Succeeded);
        QCOMPARE(clustersUp(), QStringList{id});
        m_clock.advanceSeconds(11 * 60);
        p->monitor().pollNow();
        if (policy == QLatin1String("keep-up")) {
            QTest::qWait(600);
            QCOMPARE(stateOf(*p, id).value_or(JobState::Lost), JobState::Succeeded);
            // The user changes their mind: tear it down now.
            QSignalSpy done(p->service.get(), &JobService::actionFinished);
            p->service->tearDown(id, false);
            QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 15000);
            QVERIFY(done.first().at(1).toBool());
        }
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*p, id).value_or(JobState::Lost), JobState::Done, 20000);
        QVERIFY(clustersUp().isEmpty());
    }

    void aFailedLaunchWithoutAClusterCostsOneStatusCall()
    {
        m_sky->setFaults({QStringLiteral("launch:no_capacity")});
        auto p = process();
        QSignalSpy finished(p->service.get(), &JobService::launchFinished);
        const QString id = launch(*p, QStringLiteral("vibeml-nocap-a1b2c3"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 15000);
        QVERIFY(!finished.first().at(0).value<LaunchResult>().submitted);
        QVERIFY(finished.first().at(0).value<LaunchResult>().message.contains(QStringLiteral("capacity"), Qt::CaseInsensitive));
        const JobRecord job = *p->store().job(id);
        QCOMPARE(job.state, JobState::Done);
        QCOMPARE(job.outcome, JobState::Failed);
        QCOMPARE(job.actualUsd.value_or(-1), 0.0);
        QCOMPARE(countInvocations(QStringLiteral("down")), 0);
        QCOMPARE(countInvocations(QStringLiteral("status")), 1);
    }

    void aLaunchThatDiesAfterCreatingTheClusterTearsItDown()
    {
        m_sky->setFaults({QStringLiteral("launch:crash_mid_output")});
        auto p = process();
        QSignalSpy finished(p->service.get(), &JobService::launchFinished);
        const QString id = launch(*p, QStringLiteral("vibeml-crash-a1b2c3"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 15000);
        QCOMPARE(stateOf(*p, id).value_or(JobState::Lost), JobState::Done);
        QCOMPARE(p->store().job(id)->outcome, JobState::Failed);
        QCOMPARE(countInvocations(QStringLiteral("down")), 1);
        QVERIFY(clustersUp().isEmpty());
    }

    void cancellingAJobTearsItsClusterDown()
    {
        m_sky->set(QStringLiteral("job_seconds"), 600);
        auto p = process();
        const QString id = launch(*p, QStringLiteral("vibeml-cancel-a1b2c3"));
        p->monitor().start();
        QTRY_VERIFY_WITH_TIMEOUT(isLive(*p, id), 20000);
        QSignalSpy done(p->service.get(), &JobService::actionFinished);
        p->service->cancel(id);
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 15000);
        QVERIFY2(done.first().at(1).toBool(), qPrintable(done.first().at(2).toString()));
        const JobRecord job = *p->store().job(id);
        QCOMPARE(job.state, JobState::Done);
        QCOMPARE(job.outcome, JobState::Cancelled);
        QVERIFY(clustersUp().isEmpty());
    }

    void copiesTheOutputsBeforeTheClusterGoes()
    {
        auto p = process();
        LaunchRequest request;
        request.plan = samplePlan(QStringLiteral("vibeml-fetch-a1b2c3"));
        request.plan.downloadDir = m_root + QStringLiteral("/my results");
        const QString id = launch(*p, request.plan.jobId, request);
        QSignalSpy notices(&p->monitor(), &JobMonitor::notice);
        p->monitor().start();
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*p, id).value_or(JobState::Lost), JobState::Done, 20000);
        const JobRecord job = *p->store().job(id);
        QCOMPARE(job.outputsState, QStringLiteral("downloaded"));
        QVERIFY(QFileInfo::exists(request.plan.downloadDir + QLatin1Char('/') + id + QStringLiteral("/final/adapter_config.json")));
        QVERIFY(clustersUp().isEmpty());
        // Copied while the cluster was still there: rsync before sky down.
        QStringList order;
        for (const QStringList &arguments : m_sky->invocations()) {
            if (arguments.value(0) == QLatin1String("rsync") || arguments.value(0) == QLatin1String("down"))
                order << arguments.value(0);
        }
        QCOMPARE(order, (QStringList{QStringLiteral("rsync"), QStringLiteral("down")}));
        bool told = false;
        for (const QList<QVariant> &signal : std::as_const(notices))
            told = told || signal.at(0).value<MonitorNotice>().kind == MonitorNotice::Kind::OutputsDownloaded;
        QVERIFY(told);
    }

    void aFailedCopyKeepsTheClusterAWhileThenTearsItDown()
    {
        m_sky->set(QStringLiteral("rsync_fail"), true);
        auto p = process();
        LaunchRequest request;
        request.plan = samplePlan(QStringLiteral("vibeml-nofetch-a1b2c3"));
        request.plan.downloadDir = m_root + QStringLiteral("/results");
        request.keepMinutes = 20;
        const QString id = launch(*p, request.plan.jobId, request);
        QSignalSpy notices(&p->monitor(), &JobMonitor::notice);
        p->monitor().start();
        QTRY_COMPARE_WITH_TIMEOUT(p->store().job(id)->outputsState, QStringLiteral("failed"), 20000);
        QTest::qWait(600); // a few polls: the cluster stays for copying by hand
        JobRecord job = *p->store().job(id);
        QCOMPARE(job.state, JobState::Succeeded);
        QCOMPARE(job.policy, TeardownPolicy::KeepMinutes);
        QCOMPARE(clustersUp(), QStringList{id});
        bool told = false;
        for (const QList<QVariant> &signal : std::as_const(notices)) {
            const auto notice = signal.at(0).value<MonitorNotice>();
            if (notice.kind == MonitorNotice::Kind::DownloadFailed) {
                told = true;
                QVERIFY2(notice.message.contains(QStringLiteral("rsync -Pavz ") + id + QStringLiteral(":sky_workdir/outputs/")),
                         qPrintable(notice.message));
                QVERIFY(notice.message.contains(QStringLiteral("20 more minutes")));
            }
        }
        QVERIFY(told);
        m_clock.advanceSeconds(21 * 60);
        p->monitor().pollNow();
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*p, id).value_or(JobState::Lost), JobState::Done, 20000);
        QVERIFY(clustersUp().isEmpty());
        QCOMPARE(countInvocations(QStringLiteral("rsync")), 1); // no retry loop
    }

    void aHangingLaunchTimesOutAndLeavesNothingBehind()
    {
        m_sky->setFaults({QStringLiteral("launch:hang")});
        auto p = process();
        QSignalSpy finished(p->service.get(), &JobService::launchFinished);
        LaunchRequest request;
        request.plan = samplePlan(QStringLiteral("vibeml-hang-a1b2c3"));
        request.commandTimeout = 2s;
        const QString id = launch(*p, request.plan.jobId, request);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
        const LaunchResult result = finished.first().at(0).value<LaunchResult>();
        QVERIFY(!result.submitted);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*p, id).value_or(JobState::Lost), JobState::Done, 20000);
        QCOMPARE(p->store().job(id)->outcome, JobState::Failed);
        QVERIFY(clustersUp().isEmpty());
    }

    void garbageFromLaunchEndsInAVerifiedState()
    {
        m_sky->setFaults({QStringLiteral("launch:garbage")});
        auto p = process();
        QSignalSpy finished(p->service.get(), &JobService::launchFinished);
        const QString id = launch(*p, QStringLiteral("vibeml-garbage-a1b2c3"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
        p->monitor().start();
        // Whatever sky printed, the monitor finds no cluster; after the launch grace the job is
        // settled (never left "launching" forever) and nothing bills.
        m_clock.advanceSeconds(5 * 60);
        p->monitor().pollNow();
        QTRY_VERIFY_WITH_TIMEOUT(isTerminal(stateOf(*p, id).value_or(JobState::Launching)), 20000);
        QVERIFY(clustersUp().isEmpty());
        QCOMPARE(p->store().job(id)->actualUsd.value_or(0), 0.0);
    }

    void aLockedJournalDelaysButLosesNothing()
    {
        m_sky->set(QStringLiteral("job_seconds"), 4);
        auto p = process();
        const QString id = launch(*p, QStringLiteral("vibeml-locked-a1b2c3"));
        p->monitor().start();
        QTRY_VERIFY_WITH_TIMEOUT(isLive(*p, id), 20000);
        {
            // Another process (here: another connection) holds the journal for longer than the
            // busy timeout, while the job runs.
            QSqlDatabase other = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("locker"));
            other.setDatabaseName(journalPath());
            QVERIFY(other.open());
            QSqlQuery lock(other);
            QVERIFY2(lock.exec(QStringLiteral("BEGIN EXCLUSIVE")), qPrintable(lock.lastError().text()));
            QTest::qWait(7000);
            QVERIFY(lock.exec(QStringLiteral("ROLLBACK")));
            lock = QSqlQuery();
            other.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("locker"));
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*p, id).value_or(JobState::Lost), JobState::Done, 30000);
        const JobRecord job = *p->store().job(id);
        QCOMPARE(job.outcome, JobState::Succeeded);
        QVERIFY(clustersUp().isEmpty());
        QVERIFY(test::readFile(job.logFile()).contains("\"event\": \"done\""));
    }

    void reattachesAfterARestartWithoutDuplicatingTheLog()
    {
        m_sky->setConfig({{QStringLiteral("banner"), false}, {QStringLiteral("provision_seconds"), 0.2}, {QStringLiteral("job_seconds"), 6},
                          {QStringLiteral("log_lines"), 60}, {QStringLiteral("log_delay"), 0.02}});
        QString id;
        {
            auto first = process();
            id = launch(*first, QStringLiteral("vibeml-reattach-a1b2c3"));
            first->monitor().start();
            QTRY_VERIFY_WITH_TIMEOUT(first->store().job(id)->logLines >= 5 || QFile(first->store().job(id)->logFile()).size() > 400, 20000);
            QVERIFY(first->store().job(id)->state != JobState::Done);
            // The process goes away mid-job (its follower dies with it).
        }
        auto second = process();
        second->monitor().start();
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*second, id).value_or(JobState::Lost), JobState::Done, 30000);
        const JobRecord job = *second->store().job(id);
        // The stored log equals the job's whole log, line for line, once.
        const test::ProcessResult full = test::runProcess(test::FakeSky::program(), {QStringLiteral("logs"), QStringLiteral("--no-follow"),
                                                                                      QStringLiteral("vibeml-reattach-a1b2c3"), QStringLiteral("1")},
                                                          {}, m_sky->environment());
        Q_UNUSED(full); // the cluster is gone by now; compare with the job's own structure instead
        const QList<QByteArray> lines = test::readFile(job.logFile()).split('\n');
        QSet<QByteArray> seen;
        int progress = 0;
        for (const QByteArray &line : lines) {
            if (line.isEmpty())
                continue;
            QVERIFY2(!seen.contains(line), line.constData());
            seen.insert(line);
            progress += line.contains("@@VIBEML@@") ? 1 : 0;
        }
        QVERIFY(lines.first().startsWith("(setup pid="));
        QVERIFY(test::readFile(job.logFile()).contains("\"event\": \"done\""));
        QVERIFY(progress >= 10);
        QVERIFY(job.progress.done);
    }

    void aFullDiskDoesNotStopTheJob()
    {
        m_sky->set(QStringLiteral("job_seconds"), 2);
        auto p = process();
        QSignalSpy notices(&p->monitor(), &JobMonitor::notice);
        const QString id = launch(*p, QStringLiteral("vibeml-diskfull-a1b2c3"));
        const QString log = p->store().job(id)->logFile();
        QFile::remove(log);
        QVERIFY(QFile::link(QStringLiteral("/dev/full"), log));
        p->monitor().start();
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(*p, id).value_or(JobState::Lost), JobState::Done, 30000);
        const JobRecord job = *p->store().job(id);
        QCOMPARE(job.outcome, JobState::Succeeded);
        QVERIFY(job.progress.done); // progress was recorded all the same
        const auto told = std::count_if(notices.begin(), notices.end(), [](const QList<QVariant> &args) {
            return args.at(0).value<MonitorNotice>().kind == MonitorNotice::Kind::DiskProblem;
        });
        QCOMPARE(told, 1);
        bool recorded = false;
        for (const JobEvent &event : p->store().events(id))
            recorded = recorded || (event.kind == QLatin1String("warning") && event.message.contains(QStringLiteral("keeps running")));
        QVERIFY(recorded);
    }

    void reportsOrphansWithTheirPrice()
    {
        // A vibeml- cluster nobody in this journal launched (another machine, a lost journal).
        const QString yaml = m_root + QStringLiteral("/orphan.yaml");
        QVERIFY(test::writeFile(yaml, "resources:\n  infra: nebius/eu-north1\n  accelerators: H100:1\nrun: echo hi\n"));
        const test::ProcessResult launched = test::runProcess(test::FakeSky::program(),
                                                              {QStringLiteral("launch"), QStringLiteral("-y"), QStringLiteral("-d"),
                                                               QStringLiteral("-c"), QStringLiteral("vibeml-stray-zz9"), yaml},
                                                              {}, m_sky->environment());
        QCOMPARE(launched.exitCode, 0);
        auto p = process();
        QSignalSpy notices(&p->monitor(), &JobMonitor::notice);
        p->monitor().start();
        QTRY_COMPARE_WITH_TIMEOUT(p->monitor().orphans().size(), 1, 10000);
        const OrphanCluster orphan = p->monitor().orphans().first();
        QCOMPARE(orphan.cluster.name, QStringLiteral("vibeml-stray-zz9"));
        QVERIFY(orphan.pricePerHour.value_or(0) > 1.0);
        QCOMPARE(orphan.teardownCommand(), QStringLiteral("vibeml jobs down vibeml-stray-zz9"));
        QTRY_VERIFY(!notices.isEmpty());
        // Reported, never torn down on its own...
        QTest::qWait(500);
        QCOMPARE(clustersUp(), QStringList{QStringLiteral("vibeml-stray-zz9")});
        // ...until the user says so.
        QSignalSpy done(p->service.get(), &JobService::actionFinished);
        p->service->tearDown(QStringLiteral("vibeml-stray-zz9"), false);
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 15000);
        QVERIFY(done.first().at(1).toBool());
        QVERIFY(clustersUp().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(p->monitor().orphans().size(), 0, 5000);
    }

    void backsOffWhileSkyFailsAndRecovers_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::newRow("garbage") << QStringLiteral("status:garbage");
        QTest::newRow("crash") << QStringLiteral("status:crash_mid_output");
        QTest::newRow("unreachable") << QStringLiteral("status:api_unreachable");
        QTest::newRow("hang") << QStringLiteral("status:hang");
    }

    void backsOffWhileSkyFailsAndRecovers()
    {
        QFETCH(QString, fault);
        m_sky->set(QStringLiteral("job_seconds"), 600);
        MonitorTimings timings = quickTimings();
        timings.commandTimeout = 1500ms;
        auto p = process(timings);
        const QString id = launch(*p, QStringLiteral("vibeml-flaky-a1b2c3"));
        p->monitor().start();
        QTRY_VERIFY_WITH_TIMEOUT(isLive(*p, id), 20000);
        m_sky->setFaults({fault});
        QSignalSpy notices(&p->monitor(), &JobMonitor::notice);
        QTRY_VERIFY_WITH_TIMEOUT(p->monitor().nextInterval() >= 400ms, 20000);
        // Nothing was concluded from output that could not be read.
        QVERIFY(isLive(*p, id));
        QVERIFY(!notices.isEmpty());
        m_sky->setFaults({});
        QTRY_VERIFY_WITH_TIMEOUT(p->monitor().nextInterval() <= quickTimings().steady, 20000);
        QVERIFY(isLive(*p, id));
        p->monitor().stop();
    }

    void onlyOneProcessActsAndAnotherTakesOver()
    {
        m_sky->set(QStringLiteral("job_seconds"), 600);
        auto first = process();
        auto second = process();
        const QString id = launch(*first, QStringLiteral("vibeml-lease-a1b2c3"));
        first->monitor().start();
        QTRY_VERIFY_WITH_TIMEOUT(first->monitor().isActing(), 5000);
        second->monitor().start();
        QSignalSpy observed(&second->monitor(), &JobMonitor::jobsChanged);
        QTRY_VERIFY_WITH_TIMEOUT(isLive(*first, id), 20000);
        QVERIFY(!second->monitor().isActing());
        QTRY_VERIFY_WITH_TIMEOUT(!observed.isEmpty(), 5000); // it sees the first one's writes
        QCOMPARE(second->monitor().pollCount(), 0);          // and never ran sky itself
        first->monitor().stop(); // releases the lease (the window closed)
        QTRY_VERIFY_WITH_TIMEOUT(second->monitor().isActing(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(second->monitor().isFollowing(id), 10000);
        second->monitor().stop();
    }
};

VIBEML_TEST_MAIN_CORE(TestJobMonitor)
#include "tst_jobmonitor.moc"
