#include "common/Clock.h"
#include "jobs/JobStore.h"
#include "jobs/JournalDatabase.h"
#include "jobs/SpendLedger.h"
#include "jobs/TrainingProgress.h"

#include "TestSupport.h"

#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

#include <atomic>
#include <memory>

using namespace vibeml;
using namespace vibeml::jobs;

namespace {

int g_counter = 0;

QString freshPath()
{
    return test::isolatedRoot() + QStringLiteral("/jobstore-%1/vibeml/journal.sqlite").arg(++g_counter);
}

const QDateTime kStart(QDate(2026, 11, 28), QTime(12, 0), Qt::UTC);

sky::LaunchPlan samplePlan(const QString &id)
{
    sky::LaunchPlan plan;
    plan.jobId = id;
    plan.modelId = QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct");
    plan.modelRevision = QStringLiteral("7ae557604adf67be50417f59c2c2f167def9a775");
    plan.modelParameters = 494032768;
    plan.datasetId = QStringLiteral("tatsu-lab/alpaca");
    plan.datasetRevision = QStringLiteral("dce01c9b08f87459cf36a430d809084718273017");
    plan.datasetSplit = QStringLiteral("train");
    plan.mapping.format = hub::DataFormat::Instruction;
    plan.mapping.instruction = QStringLiteral("instruction");
    plan.mapping.input = QStringLiteral("input");
    plan.mapping.output = QStringLiteral("output");
    plan.maxRows = 5000;
    plan.settings.maxSteps = 300;
    plan.settings.loraRank = 32;
    plan.region = QStringLiteral("eu-north1");
    plan.accelerator = QStringLiteral("H100");
    plan.gpusPerNode = 2;
    plan.nodes = 1;
    plan.spot = true;
    plan.instanceType = QStringLiteral("gpu-h100-sxm_2gpu-32vcpu-400gb");
    plan.idleMinutes = 15;
    plan.outputRepo = QStringLiteral("me/qwen-alpaca");
    plan.pricePerHour = 10;
    plan.createdAt = kStart.addSecs(-7200);
    return plan;
}

JobRecord sampleJob(const QString &id, JobState state = JobState::Launching)
{
    JobRecord job;
    job.id = id;
    job.cluster = id;
    job.state = state;
    job.source = QStringLiteral("cli");
    job.plan = samplePlan(id);
    job.bundleDirectory = test::isolatedRoot() + QStringLiteral("/runs/") + id;
    job.pricePerHour = 10;
    return job;
}

QList<ProgressEvent> progressEvents(const QStringList &lines)
{
    QList<ProgressEvent> events;
    for (const QString &line : lines)
        if (const std::optional<ProgressEvent> event = parseProgressLine(line))
            events.append(*event);
    return events;
}

QVariant scalar(JournalDatabase &journal, const QString &sql)
{
    QSqlQuery query(journal.database());
    if (!query.exec(sql) || !query.next())
        return QVariant();
    return query.value(0);
}

int spendRows(JournalDatabase &journal, const QString &jobId)
{
    QSqlQuery query(journal.database());
    query.prepare(QStringLiteral("SELECT COUNT(*) FROM spend WHERE job_id = ?"));
    query.addBindValue(jobId);
    if (!query.exec() || !query.next())
        return -1;
    return query.value(0).toInt();
}

QString rawExecError(JournalDatabase &journal, const QString &sql)
{
    QSqlQuery query(journal.database());
    if (query.exec(sql))
        return QString();
    const QString error = query.lastError().text();
    return error.isEmpty() ? QStringLiteral("(failed without a message)") : error;
}

// One VibeML process's view of the journal.
struct Journal
{
    Journal(const QString &path, const Clock &clock) : database(path), store(database, clock) {}
    JournalDatabase database;
    JobStore store;
};

} // namespace

class TestJobStore : public QObject
{
    Q_OBJECT

private:
    // Moves a fresh Launching job through `path` (state names), failing the test on any refusal.
    static bool walk(JobStore &store, const QString &id, const QStringList &path)
    {
        for (const QString &name : path) {
            const std::optional<JobState> to = stateFromName(name);
            if (!to)
                return false;
            const Status moved = store.transition(id, *to, QStringLiteral("to ") + name);
            if (!moved) {
                qWarning("%s", qPrintable(moved.message()));
                return false;
            }
        }
        return true;
    }

private Q_SLOTS:
    void insertReadsBackEveryField()
    {
        ManualClock clock(kStart);
        Journal journal(freshPath(), clock);
        QVERIFY(journal.database.open().isOk());
        QCOMPARE(journal.database.schemaVersion(), 2);

        JobRecord job = sampleJob(QStringLiteral("vibeml-qwen2-5-0-5b-x7k2p9"), JobState::Running);
        job.cluster = QStringLiteral("vibeml-qwen2-5-0-5b-x7k2p9-cluster");
        job.managed = true;
        job.reason = QStringLiteral("sky launch reported RUNNING");
        job.source = QStringLiteral("mcp");
        job.skyJobId = 3;
        job.managedJobId = 11;
        job.pricePerHour = 10;
        job.estimateLowUsd = 4.5;
        job.estimateHighUsd = 9.25;
        job.budgetCapUsd = 50;
        job.policy = TeardownPolicy::KeepMinutes;
        job.keepMinutes = 45;
        job.purge = true;
        job.createdAt = kStart.addSecs(-3600).addMSecs(123);
        job.launchStartedAt = kStart.addSecs(-3590).addMSecs(456);
        job.billedSeconds = 120;
        job.billingSince = kStart.addSecs(-600);
        job.budgetWarned = true;
        job.clusterSeen = true;
        job.launcher = ProcessIdentity{4242, QStringLiteral("1234567@0e3c-boot"), QStringLiteral("buildhost")};
        job.teardownAttempts = 2;
        job.nextTeardownAt = kStart.addSecs(90);
        job.progress.apply(*parseProgressLine(QStringLiteral("@@VIBEML@@ {\"event\": \"start\", \"time\": 10, \"totalSteps\": 300}")));
        job.progress.apply(*parseProgressLine(
            QStringLiteral("@@VIBEML@@ {\"event\": \"progress\", \"time\": 20, \"step\": 120, \"loss\": 0.412, \"tokensPerSecond\": 2740}")));
        job.logLines = 17;

        const Status inserted = journal.store.insert(job, QStringLiteral("Launched from the CLI"));
        QVERIFY2(inserted.isOk(), qPrintable(inserted.message()));

        const std::optional<JobRecord> read = journal.store.job(job.id);
        QVERIFY(read.has_value());
        QCOMPARE(read->id, job.id);
        QCOMPARE(read->cluster, job.cluster);
        QCOMPARE(read->managed, true);
        QCOMPARE(read->state, JobState::Running);
        QCOMPARE(read->outcome, JobState::Launching);
        QCOMPARE(read->reason, job.reason);
        QCOMPARE(read->source, QStringLiteral("mcp"));
        QCOMPARE(read->bundleDirectory, job.bundleDirectory);
        QCOMPARE(read->skyJobId, std::optional<int>(3));
        QCOMPARE(read->managedJobId, std::optional<int>(11));
        QCOMPARE(read->pricePerHour, 10.0);
        QCOMPARE(read->estimateLowUsd, 4.5);
        QCOMPARE(read->estimateHighUsd, 9.25);
        QCOMPARE(read->budgetCapUsd, std::optional<double>(50.0));
        QCOMPARE(read->policy, TeardownPolicy::KeepMinutes);
        QCOMPARE(read->keepMinutes, 45);
        QCOMPARE(read->purge, true);
        QCOMPARE(read->createdAt, job.createdAt); // milliseconds survive
        QCOMPARE(read->launchStartedAt, job.launchStartedAt);
        QVERIFY(!read->endedAt.isValid());
        QVERIFY(!read->tornDownAt.isValid());
        QCOMPARE(read->updatedAt, kStart);
        QCOMPARE(read->billedSeconds, 120.0);
        QCOMPARE(read->billingSince, job.billingSince); // an open interval given by the caller is kept
        QCOMPARE(read->accruedUsd, 2.0);                 // (120 s + 600 s) at $10/h
        QVERIFY(!read->actualUsd.has_value());
        QCOMPARE(read->budgetWarned, true);
        QCOMPARE(read->clusterSeen, true);
        QCOMPARE(read->launcher.pid, qint64(4242));
        QCOMPARE(read->launcher.started, QStringLiteral("1234567@0e3c-boot"));
        QCOMPARE(read->launcher.host, QStringLiteral("buildhost"));
        QCOMPARE(read->teardownAttempts, 2);
        QCOMPARE(read->nextTeardownAt, job.nextTeardownAt);
        QCOMPARE(read->progress.step, qint64(120));
        QCOMPARE(read->progress.totalSteps, qint64(300));
        QCOMPARE(read->progress.loss, std::optional<double>(0.412));
        QCOMPARE(read->progress.tokensPerSecond, std::optional<double>(2740));
        QCOMPARE(read->progress.updatedAt, 20.0);
        QCOMPARE(read->logLines, qint64(17));
        QCOMPARE(read->archived, false);

        // The plan survives plan_json whole.
        const sky::LaunchPlan &plan = read->plan;
        QCOMPARE(plan.jobId, job.id);
        QCOMPARE(plan.modelId, job.plan.modelId);
        QCOMPARE(plan.modelRevision, job.plan.modelRevision);
        QCOMPARE(plan.modelParameters, job.plan.modelParameters);
        QCOMPARE(plan.datasetId, job.plan.datasetId);
        QCOMPARE(plan.datasetRevision, job.plan.datasetRevision);
        QCOMPARE(plan.datasetSplit, QStringLiteral("train"));
        QCOMPARE(plan.mapping.format, hub::DataFormat::Instruction);
        QCOMPARE(plan.mapping.input, QStringLiteral("input"));
        QCOMPARE(plan.maxRows, qint64(5000));
        QCOMPARE(plan.settings.maxSteps, 300);
        QCOMPARE(plan.settings.loraRank, 32);
        QCOMPARE(plan.region, QStringLiteral("eu-north1"));
        QCOMPARE(plan.accelerators(), QStringLiteral("H100:2"));
        QCOMPARE(plan.spot, true);
        QCOMPARE(plan.instanceType, job.plan.instanceType);
        QCOMPARE(plan.idleMinutes, 15);
        QCOMPARE(plan.outputRepo, QStringLiteral("me/qwen-alpaca"));

        // The searchable columns mirror the plan.
        QCOMPARE(scalar(journal.database, QStringLiteral("SELECT accelerators FROM jobs")).toString(), QStringLiteral("H100:2"));
        QCOMPARE(scalar(journal.database, QStringLiteral("SELECT model_id FROM jobs")).toString(), job.plan.modelId);
        QCOMPARE(scalar(journal.database, QStringLiteral("SELECT spot FROM jobs")).toInt(), 1);

        // The row and its first event were committed together.
        const QList<JobEvent> events = journal.store.events(job.id);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().kind, QStringLiteral("state"));
        QCOMPARE(events.first().state, QStringLiteral("running"));
        QCOMPARE(events.first().message, QStringLiteral("Launched from the CLI"));
        QCOMPARE(events.first().at, kStart);
        QCOMPARE(events.first().jobId, job.id);
    }

    void insertFillsTimesAndOpensBilling()
    {
        ManualClock clock(kStart);
        Journal journal(freshPath(), clock);
        QVERIFY(journal.database.open().isOk());
        const JobRecord job = sampleJob(QStringLiteral("job-defaults"));
        QVERIFY(journal.store.insert(job, QString()).isOk());
        const JobRecord read = *journal.store.job(job.id);
        QCOMPARE(read.createdAt, kStart);
        QCOMPARE(read.updatedAt, kStart);
        QCOMPARE(read.billingSince, kStart); // a launching job may already run up cost
        QVERIFY(read.launcher.isEmpty());
        QVERIFY(read.launcher.started.isEmpty());
        QCOMPARE(read.stateText(), QStringLiteral("Launching"));
    }

    void optionalFieldsRoundTrip_data()
    {
        QTest::addColumn<int>("skyJobId");      // -1: none
        QTest::addColumn<int>("managedJobId");  // -1: none
        QTest::addColumn<double>("budgetCap");  // -1: none
        QTest::newRow("all absent") << -1 << -1 << -1.0;
        QTest::newRow("sky id only") << 7 << -1 << -1.0;
        QTest::newRow("managed id only") << -1 << 12 << -1.0;
        QTest::newRow("zero is not absent") << 0 << 0 << 0.0;
        QTest::newRow("cap only") << -1 << -1 << 12.5;
    }

    void optionalFieldsRoundTrip()
    {
        QFETCH(int, skyJobId);
        QFETCH(int, managedJobId);
        QFETCH(double, budgetCap);
        auto optional = [](auto value) {
            return value < 0 ? std::nullopt : std::optional<decltype(value)>(value);
        };
        ManualClock clock(kStart);
        Journal journal(freshPath(), clock);
        QVERIFY(journal.database.open().isOk());
        JobRecord job = sampleJob(QStringLiteral("job-optional"));
        job.skyJobId = optional(skyJobId);
        job.managedJobId = optional(managedJobId);
        job.budgetCapUsd = optional(budgetCap);
        QVERIFY(journal.store.insert(job, QString()).isOk());
        std::optional<JobRecord> read = journal.store.job(job.id);
        QVERIFY(read.has_value());
        QCOMPARE(read->skyJobId, optional(skyJobId));
        QCOMPARE(read->managedJobId, optional(managedJobId));
        QCOMPARE(read->budgetCapUsd, optional(budgetCap));

        // And they survive a rewrite of the row.
        QVERIFY(journal.store.update(job.id, [](JobRecord &record) { record.reason = QStringLiteral("touched"); }).isOk());
        read = journal.store.job(job.id);
        QCOMPARE(read->reason, QStringLiteral("touched"));
        QCOMPARE(read->skyJobId, optional(skyJobId));
        QCOMPARE(read->managedJobId, optional(managedJobId));
        QCOMPARE(read->budgetCapUsd, optional(budgetCap));
    }

    void insertRefusesDuplicatesAndBlanks()
    {
        ManualClock clock(kStart);
        Journal journal(freshPath(), clock);
        QVERIFY(journal.database.open().isOk());
        JobRecord job = sampleJob(QStringLiteral("job-dup"));
        job.reason = QStringLiteral("first");
        QVERIFY(journal.store.insert(job, QStringLiteral("first insert")).isOk());

        job.reason = QStringLiteral("second");
        clock.advanceSeconds(5);
        const Status again = journal.store.insert(job, QStringLiteral("second insert"));
        QVERIFY(!again.isOk());
        QVERIFY2(again.message().contains(job.id), qPrintable(again.message()));
        QCOMPARE(journal.store.job(job.id)->reason, QStringLiteral("first"));
        QCOMPARE(journal.store.job(job.id)->updatedAt, kStart);
        QCOMPARE(journal.store.events(job.id).size(), 1); // the failed insert left no event behind

        JobRecord blank = sampleJob(QString());
        QVERIFY(!journal.store.insert(blank, QString()).isOk());
        JobRecord noCluster = sampleJob(QStringLiteral("job-no-cluster"));
        noCluster.cluster.clear();
        QVERIFY(!journal.store.insert(noCluster, QString()).isOk());
        QVERIFY(!journal.store.job(QStringLiteral("job-no-cluster")).has_value());
        QCOMPARE(journal.store.jobs().value().size(), 1);
    }

    void transitionRecordsStateEvents()
    {
        ManualClock clock(kStart);
        Journal journal(freshPath(), clock);
        QVERIFY(journal.database.open().isOk());
        const QString id = QStringLiteral("job-events");
        QVERIFY(journal.store.insert(sampleJob(id), QStringLiteral("committed")).isOk());

        clock.advanceSeconds(60);
        QVERIFY(journal.store.transition(id, JobState::Provisioning, QStringLiteral("cluster INIT")).isOk());
        clock.advanceSeconds(60);
        QVERIFY(journal.store.transition(id, JobState::Running, QStringLiteral("queue RUNNING"), [](JobRecord &job) {
            job.skyJobId = 1;
        }).isOk());
        JobRecord read = *journal.store.job(id);
        QCOMPARE(read.state, JobState::Running);
        QCOMPARE(read.reason, QStringLiteral("queue RUNNING"));
        QCOMPARE(read.skyJobId, std::optional<int>(1)); // `also` ran in the same change
        QCOMPARE(read.updatedAt, kStart.addSecs(120));
        QVERIFY(!read.endedAt.isValid());

        // Staying put is allowed and is no news.
        QVERIFY(journal.store.transition(id, JobState::Running, QString()).isOk());

        clock.advanceSeconds(60);
        QVERIFY(journal.store.transition(id, JobState::Succeeded, QStringLiteral("queue SUCCEEDED")).isOk());
        read = *journal.store.job(id);
        QCOMPARE(read.outcome, JobState::Succeeded);
        QCOMPARE(read.endedAt, kStart.addSecs(180));
        QVERIFY(read.hasEnded());

        // `sky logs --status` corrects the verdict; the end time stays the first one.
        clock.advanceSeconds(60);
        QVERIFY(journal.store.transition(id, JobState::Failed, QStringLiteral("exit code 100")).isOk());
        clock.advanceSeconds(60);
        QVERIFY(journal.store.transition(id, JobState::TearingDown, QStringLiteral("sky down")).isOk());
        read = *journal.store.job(id);
        QCOMPARE(read.outcome, JobState::Failed);
        QCOMPARE(read.endedAt, kStart.addSecs(180));
        QCOMPARE(read.stateText(), QStringLiteral("Tearing down (failed)"));

        const QList<JobEvent> events = journal.store.events(id);
        QStringList states;
        QStringList messages;
        for (const JobEvent &event : events) {
            QCOMPARE(event.kind, QStringLiteral("state"));
            states << event.state;
            messages << event.message;
        }
        QCOMPARE(states, (QStringList{QStringLiteral("launching"), QStringLiteral("provisioning"), QStringLiteral("running"),
                                      QStringLiteral("succeeded"), QStringLiteral("failed"), QStringLiteral("tearing-down")}));
        QCOMPARE(messages.at(1), QStringLiteral("cluster INIT"));
        QCOMPARE(messages.last(), QStringLiteral("sky down"));
        QCOMPARE(events.at(2).at, kStart.addSecs(120));
        // Ids grow with time: the history reads in order.
        for (int i = 1; i < events.size(); ++i)
            QVERIFY(events.at(i).id > events.at(i - 1).id);
        QCOMPARE(journal.store.events(id, 2).size(), 2);
    }

    void illegalTransitionIsRefused_data()
    {
        QTest::addColumn<QStringList>("path");
        QTest::addColumn<int>("to");
        QTest::newRow("done -> running") << QStringList{QStringLiteral("running"), QStringLiteral("done")} << int(JobState::Running);
        QTest::newRow("lost -> provisioning")
            << QStringList{QStringLiteral("running"), QStringLiteral("lost")} << int(JobState::Provisioning);
        QTest::newRow("done -> lost") << QStringList{QStringLiteral("done")} << int(JobState::Lost);
        QTest::newRow("tearing-down -> stopped")
            << QStringList{QStringLiteral("running"), QStringLiteral("succeeded"), QStringLiteral("tearing-down")}
            << int(JobState::Stopped);
        QTest::newRow("tearing-down -> failed")
            << QStringList{QStringLiteral("running"), QStringLiteral("succeeded"), QStringLiteral("tearing-down")}
            << int(JobState::Failed);
        QTest::newRow("running -> launching") << QStringList{QStringLiteral("running")} << int(JobState::Launching);
        QTest::newRow("succeeded -> running")
            << QStringList{QStringLiteral("running"), QStringLiteral("succeeded")} << int(JobState::Running);
        QTest::newRow("stopped -> recovering")
            << QStringList{QStringLiteral("running"), QStringLiteral("stopped")} << int(JobState::Recovering);
    }

    void illegalTransitionIsRefused()
    {
        QFETCH(QStringList, path);
        QFETCH(int, to);
        ManualClock clock(kStart);
        Journal journal(freshPath(), clock);
        QVERIFY(journal.database.open().isOk());
        const QString id = QStringLiteral("job-illegal");
        QVERIFY(journal.store.insert(sampleJob(id), QString()).isOk());
        QVERIFY(walk(journal.store, id, path));
        const JobRecord before = *journal.store.job(id);
        const int eventsBefore = journal.store.events(id).size();
        const int spendBefore = spendRows(journal.database, id);

        clock.advanceSeconds(600);
        bool alsoRan = false;
        const Status refused = journal.store.transition(id, static_cast<JobState>(to), QStringLiteral("should not happen"),
                                                        [&alsoRan](JobRecord &job) {
                                                            alsoRan = true;
                                                            job.teardownAttempts = 99;
                                                        });
        QVERIFY(!refused.isOk());
        QVERIFY(!alsoRan);
        QVERIFY2(refused.message().contains(stateName(before.state)), qPrintable(refused.message()));
        QVERIFY2(refused.message().contains(stateName(static_cast<JobState>(to))), qPrintable(refused.message()));
        QVERIFY2(refused.message().contains(id), qPrintable(refused.message()));

        const JobRecord after = *journal.store.job(id);
        QCOMPARE(after.state, before.state);
        QCOMPARE(after.reason, before.reason);
        QCOMPARE(after.updatedAt, before.updatedAt);
        QCOMPARE(after.teardownAttempts, before.teardownAttempts);
        QCOMPARE(after.billedSeconds, before.billedSeconds);
        QCOMPARE(after.billingSince, before.billingSince);
        QCOMPARE(journal.store.events(id).size(), eventsBefore);
        QCOMPARE(spendRows(journal.database, id), spendBefore);
    }

    void unknownJobIsReported()
    {
        ManualClock clock(kStart);
        Journal journal(freshPath(), clock);
        QVERIFY(journal.database.open().isOk());
        const QString id = QStringLiteral("job-nobody");
        const Status moved = journal.store.transition(id, JobState::Running, QString());
        QVERIFY(!moved.isOk());
        QVERIFY2(moved.message().contains(id), qPrintable(moved.message()));
        QVERIFY(!journal.store.update(id, [](JobRecord &) {}).isOk());
        QVERIFY(!journal.store.addProgress(id, {}, 3).isOk());
        QVERIFY(!journal.store.archive(id).isOk());
        // job_events.job_id references jobs: no history for a job that is not there.
        QVERIFY(!journal.store.addEvent(id, QStringLiteral("note"), QStringLiteral("orphan")).isOk());
        QVERIFY(!journal.store.job(id).has_value());
        QVERIFY(journal.store.events(id).isEmpty());
    }

    void billingFollowsTheState()
    {
        ManualClock clock(kStart);
        Journal journal(freshPath(), clock);
        QVERIFY(journal.database.open().isOk());
        SpendLedger ledger(journal.database);
        const QString id = QStringLiteral("job-bill");
        QVERIFY(journal.store.insert(sampleJob(id), QString()).isOk()); // $10/h, launching: billing

        clock.advanceSeconds(30 * 60);
        JobRecord read = *journal.store.job(id);
        QCOMPARE(read.billingSince, kStart);
        QCOMPARE(read.billedSecondsAt(clock.now()), 1800.0);
        QCOMPARE(read.accruedAt(clock.now()), 5.0);
        QCOMPARE(read.accruedUsd, 0.0); // stored as of the last write

        QVERIFY(journal.store.transition(id, JobState::Running, QString()).isOk());
        read = *journal.store.job(id);
        QCOMPARE(read.billingSince, kStart); // still the same open interval
        QCOMPARE(read.accruedUsd, 5.0);

        QVERIFY(journal.store.transition(id, JobState::Done, QStringLiteral("gone")).isOk());
        read = *journal.store.job(id);
        QVERIFY(!read.billingSince.isValid());
        QCOMPARE(read.billedSeconds, 1800.0);
        QCOMPARE(read.accruedUsd, 5.0);
        QCOMPARE(read.actualUsd, std::optional<double>(5.0));
        QCOMPARE(ledger.monthTotal(kStart.date()), std::optional<double>(5.0));
        QCOMPARE(spendRows(journal.database, id), 1);
        QVERIFY(scalar(journal.database, QStringLiteral("SELECT note FROM spend")).toString().contains(QStringLiteral("H100:2")));

        // Nothing bills once the job is terminal, and the spend is recorded exactly once.
        clock.advanceSeconds(3600);
        read = *journal.store.job(id);
        QCOMPARE(read.accruedAt(clock.now()), 5.0);
        QVERIFY(journal.store.transition(id, JobState::Done, QStringLiteral("again")).isOk());
        QVERIFY(journal.store.update(id, [](JobRecord &job) { job.reason = QStringLiteral("edited"); }).isOk());
        QVERIFY(journal.store.archive(id).isOk());
        read = *journal.store.job(id);
        QCOMPARE(read.actualUsd, std::optional<double>(5.0));
        QCOMPARE(read.billedSeconds, 1800.0);
        QCOMPARE(spendRows(journal.database, id), 1);
        QCOMPARE(ledger.monthTotal(kStart.date()), std::optional<double>(5.0));
    }

    void billingClosesOnLeavingBillingStates_data()
    {
        QTest::addColumn<int>("closing");
        QTest::addColumn<bool>("final");
        QTest::newRow("stopped") << int(JobState::Stopped) << false;
        QTest::newRow("done") << int(JobState::Done) << true;
        QTest::newRow("lost") << int(JobState::Lost) << true;
    }

    void billingClosesOnLeavingBillingStates()
    {
        QFETCH(int, closing);
        QFETCH(bool, final);
        ManualClock clock(kStart);
        Journal journal(freshPath(), clock);
        QVERIFY(journal.database.open().isOk());
        SpendLedger ledger(journal.database);
        const QString id = QStringLiteral("job-close");
        JobRecord job = sampleJob(id, JobState::Running);
        job.pricePerHour = 6;
        QVERIFY(journal.store.insert(job, QString()).isOk());
        clock.advanceSeconds(20 * 60);
        QVERIFY(journal.store.transition(id, static_cast<JobState>(closing), QString()).isOk());
        JobRecord read = *journal.store.job(id);
        QVERIFY(!read.billingSince.isValid());
        QCOMPARE(read.billedSeconds, 1200.0);
        QCOMPARE(read.accruedUsd, 2.0);
        clock.advanceSeconds(2 * 3600); // nothing accrues while closed
        read = *journal.store.job(id);
        QCOMPARE(read.accruedAt(clock.now()), 2.0);
        QCOMPARE(read.actualUsd.has_value(), final);
        QCOMPARE(spendRows(journal.database, id), final ? 1 : 0);
        QCOMPARE(ledger.monthTotal(kStart.date()), std::optional<double>(final ? 2.0 : 0.0));
    }

    void stoppedAndRestartedBillsOnlyWhileUp()
    {
        ManualClock clock(kStart);
        Journal journal(freshPath(), clock);
        QVERIFY(journal.database.open().isOk());
        SpendLedger ledger(journal.database);
        const QString id = QStringLiteral("job-restart");
        QVERIFY(journal.store.insert(sampleJob(id, JobState::Running), QString()).isOk());
        clock.advanceSeconds(20 * 60);
        QVERIFY(journal.store.transition(id, JobState::Stopped, QStringLiteral("autostop")).isOk());
        clock.advanceSeconds(60 * 60); // stopped for an hour: not billed
        QVERIFY(journal.store.transition(id, JobState::Provisioning, QStringLiteral("restarted")).isOk());
        QCOMPARE(journal.store.job(id)->billingSince, clock.now());
        clock.advanceSeconds(10 * 60);
        QVERIFY(journal.store.transition(id, JobState::Running, QString()).isOk());
        QVERIFY(journal.store.transition(id, JobState::Succeeded, QString()).isOk());
        clock.advanceSeconds(5 * 60);
        QVERIFY(journal.store.transition(id, JobState::TearingDown, QString()).isOk()); // still billing
        clock.advanceSeconds(5 * 60);
        QVERIFY(journal.store.transition(id, JobState::Done, QString()).isOk());
        const JobRecord read = *journal.store.job(id);
        QCOMPARE(read.billedSeconds, 2400.0); // 20 + 10 + 5 + 5 minutes
        QVERIFY(read.actualUsd.has_value());
        QVERIFY(qFuzzyCompare(*read.actualUsd, 2400.0 / 3600.0 * 10.0));
        QVERIFY(qFuzzyCompare(*ledger.monthTotal(kStart.date()), 2400.0 / 3600.0 * 10.0));
    }

    void spendJoinsTheMonthTheJobEndedIn()
    {
        ManualClock clock(QDateTime(QDate(2026, 11, 30), QTime(23, 50), Qt::UTC));
        Journal journal(freshPath(), clock);
        QVERIFY(journal.database.open().isOk());
        SpendLedger ledger(journal.database);
        const QString id = QStringLiteral("job-month");
        QVERIFY(journal.store.insert(sampleJob(id, JobState::Running), QString()).isOk());
        clock.advanceSeconds(36 * 60); // ends 00:26 on December 1st (UTC)
        QVERIFY(journal.store.transition(id, JobState::Lost, QString()).isOk());
        QCOMPARE(ledger.monthTotal(QDate(2026, 11, 1)), std::optional<double>(0.0));
        QCOMPARE(ledger.monthTotal(QDate(2026, 12, 1)), std::optional<double>(6.0));
    }

    void spendIsWrittenInTheSameTransaction()
    {
        ManualClock clock(kStart);
        Journal journal(freshPath(), clock);
        QVERIFY(journal.database.open().isOk());
        const QString id = QStringLiteral("job-atomic");
        QVERIFY(journal.store.insert(sampleJob(id, JobState::Running), QString()).isOk());
        clock.advanceSeconds(1800);
        // The ledger refuses the entry: the job must not become Done without its spend.
        QCOMPARE(rawExecError(journal.database, QStringLiteral("CREATE TRIGGER refuse_spend BEFORE INSERT ON spend "
                                                               "BEGIN SELECT RAISE(ABORT, 'ledger refused'); END")),
                 QString());
        const int eventsBefore = journal.store.events(id).size();
        const Status refused = journal.store.transition(id, JobState::Done, QStringLiteral("gone"));
        QVERIFY(!refused.isOk());
        QVERIFY2(refused.message().contains(QStringLiteral("ledger refused")), qPrintable(refused.message()));
        JobRecord read = *journal.store.job(id);
        QCOMPARE(read.state, JobState::Running);
        QVERIFY(!read.actualUsd.has_value());
        QCOMPARE(read.billingSince, kStart);
        QCOMPARE(journal.store.events(id).size(), eventsBefore);

        QCOMPARE(rawExecError(journal.database, QStringLiteral("DROP TRIGGER refuse_spend")), QString());
        QVERIFY(journal.store.transition(id, JobState::Done, QStringLiteral("gone")).isOk());
        read = *journal.store.job(id);
        QCOMPARE(read.actualUsd, std::optional<double>(5.0));
        QCOMPARE(spendRows(journal.database, id), 1);
    }

    void billingNothingRecordsNoSpend()
    {
        ManualClock clock(kStart);
        Journal journal(freshPath(), clock);
        QVERIFY(journal.database.open().isOk());
        SpendLedger ledger(journal.database);
        const QString id = QStringLiteral("job-free");
        QVERIFY(journal.store.insert(sampleJob(id), QString()).isOk());
        clock.advanceSeconds(10 * 60);
        QVERIFY(journal.store.transition(id, JobState::Done, QStringLiteral("never created"), [](JobRecord &job) {
            job.billedSeconds = 0;
            job.billingSince = QDateTime();
        }).isOk());
        const JobRecord read = *journal.store.job(id);
        QCOMPARE(read.actualUsd, std::optional<double>(0.0));
        QCOMPARE(read.accruedUsd, 0.0);
        QCOMPARE(read.billedSeconds, 0.0);
        QCOMPARE(spendRows(journal.database, id), 0);
        QCOMPARE(ledger.monthTotal(kStart.date()), std::optional<double>(0.0));
    }

    void historyIsAppendOnlyAndJobsAreNeverDeleted()
    {
        ManualClock clock(kStart);
        Journal journal(freshPath(), clock);
        QVERIFY(journal.database.open().isOk());
        const QString id = QStringLiteral("job-history");
        QVERIFY(journal.store.insert(sampleJob(id), QStringLiteral("committed")).isOk());
        QVERIFY(journal.store.addEvent(id, QStringLiteral("warning"), QStringLiteral("budget at 80%")).isOk());
        const QList<JobEvent> before = journal.store.events(id);
        QCOMPARE(before.size(), 2);
        QCOMPARE(before.last().kind, QStringLiteral("warning"));
        QCOMPARE(before.last().state, QString());

        const QString updated = rawExecError(journal.database, QStringLiteral("UPDATE job_events SET message = 'forged'"));
        QVERIFY2(updated.contains(QStringLiteral("append-only")), qPrintable(updated));
        const QString deleted = rawExecError(journal.database, QStringLiteral("DELETE FROM job_events"));
        QVERIFY2(deleted.contains(QStringLiteral("append-only")), qPrintable(deleted));
        const QString jobDeleted = rawExecError(journal.database, QStringLiteral("DELETE FROM jobs"));
        QVERIFY2(jobDeleted.contains(QStringLiteral("never deleted")), qPrintable(jobDeleted));

        const QList<JobEvent> after = journal.store.events(id);
        QCOMPARE(after.size(), before.size());
        for (int i = 0; i < after.size(); ++i)
            QCOMPARE(after.at(i).message, before.at(i).message);
        QVERIFY(journal.store.job(id).has_value());
    }

    void archiveHidesOnlyEndedJobs()
    {
        ManualClock clock(kStart);
        Journal journal(freshPath(), clock);
        QVERIFY(journal.database.open().isOk());
        const QString live = QStringLiteral("job-live");
        const QString ended = QStringLiteral("job-ended");
        QVERIFY(journal.store.insert(sampleJob(live, JobState::Running), QString()).isOk());
        QVERIFY(journal.store.insert(sampleJob(ended, JobState::Running), QString()).isOk());
        QVERIFY(journal.store.transition(ended, JobState::Done, QString()).isOk());

        for (const QString &state : {QStringLiteral("running"), QStringLiteral("stopped"), QStringLiteral("succeeded"),
                                     QStringLiteral("tearing-down")}) {
            QVERIFY(journal.store.transition(live, *stateFromName(state), QString()).isOk());
            const Status refused = journal.store.archive(live);
            QVERIFY2(!refused.isOk(), qPrintable(state));
            QVERIFY(!journal.store.job(live)->archived);
        }

        const int eventsBefore = journal.store.events(ended).size();
        QVERIFY(journal.store.archive(ended).isOk());
        const QList<JobEvent> events = journal.store.events(ended);
        QCOMPARE(events.size(), eventsBefore + 1);
        QCOMPARE(events.last().kind, QStringLiteral("note"));

        // (Result::value() on a temporary returns a reference into it: keep the result alive.)
        const auto visible = journal.store.jobs();
        QVERIFY(visible.isOk());
        QStringList listed;
        for (const JobRecord &job : visible.value())
            listed << job.id;
        QCOMPARE(listed, QStringList{live});
        const auto everything = journal.store.jobs(JobStore::Which::All, true);
        QVERIFY(everything.isOk());
        QSet<QString> all;
        for (const JobRecord &job : everything.value())
            all.insert(job.id);
        QCOMPARE(all, (QSet<QString>{live, ended}));
        const std::optional<JobRecord> archived = journal.store.job(ended);
        QVERIFY(archived.has_value());
        QVERIFY(archived->archived);
        QCOMPARE(archived->state, JobState::Done);
    }

    void jobsFiltersByWhich_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<bool>("includeArchived");
        QTest::addColumn<QStringList>("expected"); // newest first
        const QStringList all{QStringLiteral("j5-archived"), QStringLiteral("j4-lost"), QStringLiteral("j3-done"),
                              QStringLiteral("j2-stopped"), QStringLiteral("j1-running")};
        QTest::newRow("all") << int(JobStore::Which::All) << false << all.mid(1);
        QTest::newRow("all with archived") << int(JobStore::Which::All) << true << all;
        QTest::newRow("not terminal") << int(JobStore::Which::NotTerminal) << false
                                      << QStringList{QStringLiteral("j2-stopped"), QStringLiteral("j1-running")};
        QTest::newRow("terminal") << int(JobStore::Which::Terminal) << false
                                  << QStringList{QStringLiteral("j4-lost"), QStringLiteral("j3-done")};
        QTest::newRow("terminal with archived") << int(JobStore::Which::Terminal) << true
                                                << QStringList{QStringLiteral("j5-archived"), QStringLiteral("j4-lost"),
                                                               QStringLiteral("j3-done")};
    }

    void jobsFiltersByWhich()
    {
        QFETCH(int, which);
        QFETCH(bool, includeArchived);
        QFETCH(QStringList, expected);
        ManualClock clock(kStart);
        Journal journal(freshPath(), clock);
        QVERIFY(journal.database.open().isOk());
        const QList<std::pair<QString, QStringList>> jobs = {
            {QStringLiteral("j1-running"), {}},
            {QStringLiteral("j2-stopped"), {QStringLiteral("stopped")}},
            {QStringLiteral("j3-done"), {QStringLiteral("done")}},
            {QStringLiteral("j4-lost"), {QStringLiteral("lost")}},
            {QStringLiteral("j5-archived"), {QStringLiteral("done")}},
        };
        for (const auto &[id, path] : jobs) {
            clock.advanceSeconds(60); // created one minute apart
            QVERIFY(journal.store.insert(sampleJob(id, JobState::Running), QString()).isOk());
            QVERIFY(walk(journal.store, id, path));
        }
        QVERIFY(journal.store.archive(QStringLiteral("j5-archived")).isOk());

        const auto listed = journal.store.jobs(static_cast<JobStore::Which>(which), includeArchived);
        QVERIFY(listed.isOk());
        QStringList ids;
        for (const JobRecord &job : listed.value())
            ids << job.id;
        QCOMPARE(ids, expected);
    }

    void progressIsStoredOnceAndFolded()
    {
        ManualClock clock(kStart);
        Journal journal(freshPath(), clock);
        QVERIFY(journal.database.open().isOk());
        const QString id = QStringLiteral("job-progress");
        QVERIFY(journal.store.insert(sampleJob(id, JobState::Running), QString()).isOk());

        const QStringList lines = {
            QStringLiteral("(task, pid=3012) @@VIBEML@@ {\"event\": \"start\", \"time\": 100, \"totalSteps\": 300}"),
            QStringLiteral("(task, pid=3012) @@VIBEML@@ {\"event\": \"progress\", \"time\": 110, \"step\": 10, \"loss\": 2.0, "
                           "\"learningRate\": 0.0001}"),
            QStringLiteral("(task, pid=3012) @@VIBEML@@ {\"event\": \"progress\", \"time\": 120, \"step\": 20, \"loss\": 1.5}"),
            QStringLiteral("(task, pid=3012) @@VIBEML@@ {\"event\": \"eval\", \"time\": 125, \"step\": 20, \"evalLoss\": 1.7}"),
            QStringLiteral("(task, pid=3012) @@VIBEML@@ {\"event\": \"checkpoint\", \"time\": 126, \"step\": 20, "
                           "\"path\": \"outputs/checkpoint-20\"}"),
            QStringLiteral("(task, pid=3012) @@VIBEML@@ {\"event\": \"progress\", \"time\": 130, \"step\": 30, \"loss\": 1.2, "
                           "\"tokensPerSecond\": 2740}"),
        };
        const QList<ProgressEvent> events = progressEvents(lines);
        QCOMPARE(events.size(), lines.size());

        const Status first = journal.store.addProgress(id, events, 40);
        QVERIFY2(first.isOk(), qPrintable(first.message()));
        const QList<MetricPoint> metrics = journal.store.metrics(id);
        QCOMPARE(metrics.size(), 3); // steps 10, 20, 30; the eval joins step 20; checkpoints are no points
        QCOMPARE(metrics.at(0).step, qint64(10));
        QCOMPARE(metrics.at(0).loss, std::optional<double>(2.0));
        QCOMPARE(metrics.at(0).learningRate, std::optional<double>(0.0001));
        QVERIFY(!metrics.at(0).evalLoss.has_value());
        QCOMPARE(metrics.at(0).time, 110.0);
        QCOMPARE(metrics.at(1).step, qint64(20));
        QCOMPARE(metrics.at(1).loss, std::optional<double>(1.5));
        QCOMPARE(metrics.at(1).evalLoss, std::optional<double>(1.7));
        QCOMPARE(metrics.at(1).time, 125.0);
        QCOMPARE(metrics.at(2).step, qint64(30));

        JobRecord read = *journal.store.job(id);
        QCOMPARE(read.logLines, qint64(40));
        QCOMPARE(read.progress.step, qint64(30));
        QCOMPARE(read.progress.totalSteps, qint64(300));
        QCOMPARE(read.progress.loss, std::optional<double>(1.2));
        QCOMPARE(read.progress.evalLoss, std::optional<double>(1.7));
        QCOMPARE(read.progress.lastCheckpoint, QStringLiteral("outputs/checkpoint-20"));
        QCOMPARE(read.progress.tokensPerSecond, std::optional<double>(2740));
        QCOMPARE(read.progress.updatedAt, 130.0);
        QCOMPARE(read.state, JobState::Running); // progress changes no state
        QCOMPARE(journal.store.events(id).size(), 1);

        // A follower restarted after a crash replays the same lines: the curve stays the same.
        QVERIFY(journal.store.addProgress(id, events, 40).isOk());
        const QList<MetricPoint> replayed = journal.store.metrics(id);
        QCOMPARE(replayed.size(), metrics.size());
        for (int i = 0; i < metrics.size(); ++i) {
            QCOMPARE(replayed.at(i).step, metrics.at(i).step);
            QCOMPARE(replayed.at(i).loss, metrics.at(i).loss);
            QCOMPARE(replayed.at(i).learningRate, metrics.at(i).learningRate);
            QCOMPARE(replayed.at(i).evalLoss, metrics.at(i).evalLoss);
            QCOMPARE(replayed.at(i).time, metrics.at(i).time);
        }
        QCOMPARE(scalar(journal.database, QStringLiteral("SELECT COUNT(*) FROM job_metrics")).toInt(), 4);
        read = *journal.store.job(id);
        QCOMPARE(read.logLines, qint64(80)); // line counts add up
        QCOMPARE(read.progress.step, qint64(30));
        QCOMPARE(read.progress.loss, std::optional<double>(1.2));

        // New lines extend the curve; the done line is no point but marks the progress done.
        const QList<ProgressEvent> more = progressEvents({
            QStringLiteral("@@VIBEML@@ {\"event\": \"progress\", \"time\": 140, \"step\": 40, \"loss\": 1.0}"),
            QStringLiteral("@@VIBEML@@ {\"event\": \"done\", \"time\": 150, \"steps\": 40, \"finalLoss\": 0.98, "
                           "\"hubUrl\": \"https://huggingface.co/me/qwen-alpaca\"}"),
        });
        QCOMPARE(more.size(), 2);
        QVERIFY(journal.store.addProgress(id, more, 2).isOk());
        QCOMPARE(journal.store.metrics(id).size(), 4);
        QCOMPARE(journal.store.metrics(id).last().loss, std::optional<double>(1.0));
        read = *journal.store.job(id);
        QVERIFY(read.progress.done);
        QCOMPARE(read.progress.hubUrl, QStringLiteral("https://huggingface.co/me/qwen-alpaca"));
        QCOMPARE(read.logLines, qint64(82));

        // Another job's curve is its own.
        QVERIFY(journal.store.insert(sampleJob(QStringLiteral("job-other"), JobState::Running), QString()).isOk());
        QVERIFY(journal.store.metrics(QStringLiteral("job-other")).isEmpty());
        QVERIFY(journal.store.addProgress(QStringLiteral("job-other"), events, 1).isOk());
        QCOMPARE(journal.store.metrics(QStringLiteral("job-other")).size(), 3);
        QCOMPARE(journal.store.metrics(id).size(), 4);
    }

    void dataVersionSeesOtherProcessesCommits()
    {
        ManualClock clock(kStart);
        const QString path = freshPath();
        Journal window(path, clock);
        Journal cli(path, clock);
        QVERIFY(window.database.open().isOk());
        QVERIFY(cli.database.open().isOk());

        const qint64 start = window.store.dataVersion();
        QVERIFY(start >= 0);
        QCOMPARE(window.store.dataVersion(), start); // nothing happened: nothing to re-read

        const QString id = QStringLiteral("job-from-cli");
        QVERIFY(cli.store.insert(sampleJob(id), QString()).isOk());
        const qint64 afterInsert = window.store.dataVersion();
        QVERIFY(afterInsert != start);
        QCOMPARE(window.store.dataVersion(), afterInsert);
        QVERIFY(window.store.job(id).has_value());

        QVERIFY(cli.store.transition(id, JobState::Provisioning, QString()).isOk());
        QVERIFY(window.store.dataVersion() != afterInsert);
        QCOMPARE(window.store.job(id)->state, JobState::Provisioning);
    }

    void interleavedWritersLoseNothing()
    {
        ManualClock clock(kStart);
        const QString path = freshPath();
        Journal window(path, clock);
        Journal monitor(path, clock);
        QVERIFY(window.database.open().isOk());
        QVERIFY(monitor.database.open().isOk());
        const QString id = QStringLiteral("job-shared");
        QVERIFY(window.store.insert(sampleJob(id), QString()).isOk());

        // The window holds an old copy while the monitor moves the job on; the window's change of
        // another field must not undo the monitor's.
        const JobRecord stale = *window.store.job(id);
        QVERIFY(monitor.store.transition(id, JobState::Running, QStringLiteral("queue RUNNING"), [](JobRecord &job) {
            job.skyJobId = 4;
            job.clusterSeen = true;
        }).isOk());
        QCOMPARE(stale.state, JobState::Launching);
        QVERIFY(window.store.update(id, [](JobRecord &job) { job.budgetWarned = true; }, QStringLiteral("budget"),
                                    QStringLiteral("80% of the cap")).isOk());
        QVERIFY(monitor.store.update(id, [](JobRecord &job) { job.teardownAttempts += 1; }).isOk());
        QVERIFY(window.store.update(id, [](JobRecord &job) { job.nextTeardownAt = kStart.addSecs(300); }).isOk());

        for (JobStore *store : {&window.store, &monitor.store}) {
            const JobRecord read = *store->job(id);
            QCOMPARE(read.state, JobState::Running);
            QCOMPARE(read.skyJobId, std::optional<int>(4));
            QVERIFY(read.clusterSeen);
            QVERIFY(read.budgetWarned);
            QCOMPARE(read.teardownAttempts, 1);
            QCOMPARE(read.nextTeardownAt, kStart.addSecs(300));
        }
        const QList<JobEvent> events = monitor.store.events(id);
        QCOMPARE(events.size(), 3); // launching, running, budget
        QCOMPARE(events.last().kind, QStringLiteral("budget"));
    }

    void concurrentWritersLoseNothing()
    {
        // Two threads, each with its own connection (as two processes would have), change the same
        // row at once: one counter each plus one they share. Every increment must land.
        ManualClock clock(kStart);
        const QString path = freshPath();
        Journal setup(path, clock);
        QVERIFY(setup.database.open().isOk());
        const QString id = QStringLiteral("job-race");
        JobRecord job = sampleJob(id, JobState::Running);
        job.keepMinutes = 0;
        QVERIFY(setup.store.insert(job, QString()).isOk());

        constexpr int kRounds = 40;
        std::atomic<int> failures{0};
        auto writer = [&](bool first) {
            return [&, first] {
                Journal journal(path, clock);
                if (!journal.database.open().isOk()) {
                    failures += kRounds;
                    return;
                }
                for (int i = 0; i < kRounds; ++i) {
                    const Status changed = journal.store.update(id, [first](JobRecord &record) {
                        if (first)
                            record.teardownAttempts += 1;
                        else
                            record.logLines += 1;
                        record.keepMinutes += 1;
                    });
                    if (!changed)
                        ++failures;
                }
            };
        };
        std::unique_ptr<QThread> a(QThread::create(writer(true)));
        std::unique_ptr<QThread> b(QThread::create(writer(false)));
        a->start();
        b->start();
        QVERIFY(a->wait(60000));
        QVERIFY(b->wait(60000));
        QCOMPARE(failures.load(), 0);
        const JobRecord read = *setup.store.job(id);
        QCOMPARE(read.teardownAttempts, kRounds);
        QCOMPARE(read.logLines, qint64(kRounds));
        QCOMPARE(read.keepMinutes, 2 * kRounds);
    }

    void unknownStateStillReads()
    {
        ManualClock clock(kStart);
        Journal journal(freshPath(), clock);
        QVERIFY(journal.database.open().isOk());
        // A newer VibeML wrote a state this one does not know.
        QCOMPARE(rawExecError(journal.database,
                              QStringLiteral("INSERT INTO jobs (id, cluster, state, reason, plan_json, bundle_dir, model_id, "
                                             "dataset_id, price_per_hour, created_at, updated_at, cluster_seen) VALUES "
                                             "('job-future', 'job-future', 'hibernating', 'napping', '{}', '/tmp/b', "
                                             "'org/model', 'org/data', 4, '2026-11-28T11:00:00.000Z', "
                                             "'2026-11-28T11:00:00.000Z', 1)")),
                 QString());
        const std::optional<JobRecord> read = journal.store.job(QStringLiteral("job-future"));
        QVERIFY(read.has_value());
        QVERIFY2(read->reason.contains(QStringLiteral("hibernating")), qPrintable(read->reason));
        QVERIFY(!isTerminal(read->state)); // still watched: its cluster may exist
        QCOMPARE(read->cluster, QStringLiteral("job-future"));
        QCOMPARE(read->plan.modelId, QStringLiteral("org/model"));
        QCOMPARE(read->plan.datasetId, QStringLiteral("org/data"));
        QCOMPARE(read->plan.jobId, QStringLiteral("job-future"));
        QCOMPARE(read->pricePerHour, 4.0);
        QCOMPARE(read->createdAt, kStart.addSecs(-3600));

        const auto live = journal.store.jobs(JobStore::Which::NotTerminal);
        QVERIFY(live.isOk());
        QCOMPARE(live.value().size(), 1);
        QCOMPARE(live.value().first().id, QStringLiteral("job-future"));
    }

    void damagedPlanStillYieldsTheModel_data()
    {
        QTest::addColumn<QString>("planJson");
        QTest::newRow("truncated") << QStringLiteral("{\"schema\": 1, \"model\": {\"id\": ");
        QTest::newRow("not json") << QStringLiteral("\x01garbage");
        QTest::newRow("unknown schema") << QStringLiteral("{\"schema\": 99, \"model\": {\"id\": \"other/model\"}}");
        QTest::newRow("empty object") << QStringLiteral("{}");
    }

    void damagedPlanStillYieldsTheModel()
    {
        QFETCH(QString, planJson);
        ManualClock clock(kStart);
        Journal journal(freshPath(), clock);
        QVERIFY(journal.database.open().isOk());
        const JobRecord job = sampleJob(QStringLiteral("job-damaged"), JobState::Running);
        QVERIFY(journal.store.insert(job, QString()).isOk());
        QSqlQuery damage(journal.database.database());
        damage.prepare(QStringLiteral("UPDATE jobs SET plan_json = ? WHERE id = ?"));
        damage.addBindValue(planJson);
        damage.addBindValue(job.id);
        QVERIFY2(damage.exec(), qPrintable(damage.lastError().text()));

        const std::optional<JobRecord> read = journal.store.job(job.id);
        QVERIFY(read.has_value());
        QCOMPARE(read->plan.modelId, job.plan.modelId);
        QCOMPARE(read->plan.datasetId, job.plan.datasetId);
        QCOMPARE(read->plan.jobId, job.id);
        QCOMPARE(read->cluster, job.cluster);
        QCOMPARE(read->state, JobState::Running);
        QCOMPARE(read->pricePerHour, job.pricePerHour);
        // The hardware, which says what was paid for, comes from its columns too.
        QCOMPARE(read->plan.accelerators(), QStringLiteral("H100:2"));
        QCOMPARE(read->plan.region, QStringLiteral("eu-north1"));
        QCOMPARE(read->plan.spot, true);
        QCOMPARE(read->plan.nodes, 1);

        // The job can still be moved on (torn down, billed) without losing what the columns knew.
        clock.advanceSeconds(1800);
        QVERIFY(journal.store.transition(job.id, JobState::Lost, QStringLiteral("gone")).isOk());
        const std::optional<JobRecord> after = journal.store.job(job.id);
        QCOMPARE(after->state, JobState::Lost);
        QCOMPARE(after->plan.modelId, job.plan.modelId);
        QCOMPARE(after->actualUsd, std::optional<double>(5.0));
        QCOMPARE(scalar(journal.database, QStringLiteral("SELECT model_id FROM jobs")).toString(), job.plan.modelId);
        QCOMPARE(scalar(journal.database, QStringLiteral("SELECT dataset_id FROM jobs")).toString(), job.plan.datasetId);
        QCOMPARE(scalar(journal.database, QStringLiteral("SELECT accelerators FROM jobs")).toString(), QStringLiteral("H100:2"));
        QCOMPARE(scalar(journal.database, QStringLiteral("SELECT region FROM jobs")).toString(), QStringLiteral("eu-north1"));
        QCOMPARE(scalar(journal.database, QStringLiteral("SELECT spot FROM jobs")).toInt(), 1);
        const QString note = scalar(journal.database, QStringLiteral("SELECT note FROM spend")).toString();
        QVERIFY2(note.contains(QStringLiteral("H100:2")), qPrintable(note));
    }

    void recordArithmetic()
    {
        JobRecord job;
        job.pricePerHour = 3.6; // $0.001 per second
        job.billedSeconds = 100;
        QCOMPARE(job.billedSecondsAt(kStart), 100.0);
        job.billingSince = kStart;
        QCOMPARE(job.billedSecondsAt(kStart.addSecs(50)), 150.0);
        QVERIFY(qFuzzyCompare(job.accruedAt(kStart.addSecs(50)), 0.15));
        QCOMPARE(job.billedSecondsAt(kStart.addSecs(-50)), 100.0); // a clock step backwards bills nothing negative

        job.state = JobState::Done;
        job.outcome = JobState::Succeeded;
        QCOMPARE(job.stateText(), QStringLiteral("Done (succeeded)"));
        job.outcome = JobState::Launching;
        job.state = JobState::Lost;
        QCOMPARE(job.stateText(), QStringLiteral("Lost"));
        QVERIFY(!job.hasEnded());
        job.bundleDirectory = QStringLiteral("/runs/job");
        QCOMPARE(job.logFile(), QStringLiteral("/runs/job/logs/train.log"));
    }
};

VIBEML_TEST_MAIN_CORE(TestJobStore)
#include "tst_jobstore.moc"
