// The Jobs page's table model over a real journal file: rows from every process (a second
// connection stands in for the CLI), applied as inserts, removals and dataChanged — never resets —
// so a selection stays on its job; the filter (active / all / archived) and the sorting.
#include "common/Clock.h"
#include "jobs/JobStore.h"
#include "jobs/JobsTableModel.h"
#include "jobs/JournalDatabase.h"

#include "GuiTestMain.h"
#include "JobTestRig.h"
#include "TestSupport.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QDir>
#include <QFileInfo>
#include <QIcon>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace vibeml;
using namespace vibeml::jobs;
using namespace std::chrono_literals;

namespace {

using test::samplePlan;

JobRecord sampleJob(const QString &id, JobState state, const QDateTime &created)
{
    JobRecord job;
    job.id = id;
    job.cluster = id;
    job.state = state;
    job.outcome = isTerminal(state) ? JobState::Succeeded : JobState::Launching;
    job.source = QStringLiteral("cli");
    job.plan = samplePlan(id);
    job.bundleDirectory = test::isolatedRoot() + QStringLiteral("/runs/") + id;
    job.pricePerHour = 3.6;
    job.estimateLowUsd = 1;
    job.estimateHighUsd = 4;
    job.budgetCapUsd = 50;
    job.createdAt = created;
    return job;
}

struct Journal
{
    std::unique_ptr<JournalDatabase> database;
    std::unique_ptr<JobStore> store;
    Journal(const QString &path, const Clock &clock)
    {
        database = std::make_unique<JournalDatabase>(path);
        const Status opened = database->open();
        Q_ASSERT(opened.isOk());
        store = std::make_unique<JobStore>(*database, clock);
    }
};

} // namespace

class TestJobsTableModel : public QObject
{
    Q_OBJECT

private:
    ManualClock m_clock;
    int m_case = 0;
    QString m_path;
    QDateTime m_t0 = QDateTime(QDate(2026, 11, 28), QTime(10, 0), Qt::UTC);

    static QStringList ids(const QAbstractItemModel &model)
    {
        QStringList result;
        for (int row = 0; row < model.rowCount(); ++row)
            result << model.index(row, 0).data(JobsTableModel::JobIdRole).toString();
        return result;
    }

private Q_SLOTS:
    void init()
    {
        m_path = test::isolatedRoot() + QStringLiteral("/jobs-model-%1/journal.sqlite").arg(++m_case);
        QDir().mkpath(QFileInfo(m_path).path());
        m_clock.set(QDateTime(QDate(2026, 11, 28), QTime(12, 0), Qt::UTC));
    }

    void showsEveryJobOfTheJournal()
    {
        Journal journal(m_path, m_clock);
        QVERIFY(journal.store->insert(sampleJob(QStringLiteral("vibeml-a-000001"), JobState::Done, m_t0), QStringLiteral("x")).isOk());
        QVERIFY(journal.store->insert(sampleJob(QStringLiteral("vibeml-b-000002"), JobState::Running, m_t0.addSecs(60)), QStringLiteral("x")).isOk());
        JobsTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setStore(journal.store.get());
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), int(JobsTableModel::ColumnCount));
        QCOMPARE(ids(model), (QStringList{QStringLiteral("vibeml-b-000002"), QStringLiteral("vibeml-a-000001")}));
        const QModelIndex running = model.index(0, JobsTableModel::State);
        QCOMPARE(running.data().toString(), stateLabel(JobState::Running));
        QVERIFY(running.data(Qt::DecorationRole).value<QIcon>().isNull() == false);
        QVERIFY(running.data(Qt::ForegroundRole).value<QColor>().isValid());
        QCOMPARE(model.index(0, JobsTableModel::Model).data().toString(), samplePlan(QString()).modelId);
        QVERIFY(model.index(0, JobsTableModel::Gpu).data().toString().contains(samplePlan(QString()).accelerator));
        QCOMPARE(model.index(0, JobsTableModel::Cluster).data().toString(), QStringLiteral("vibeml-b-000002"));
        // Accrued / estimate / cap.
        QCOMPARE(model.index(1, JobsTableModel::Cost).data().toString(), QStringLiteral("$0.00 / $4.00 / $50.00"));
        QCOMPARE(model.index(1, JobsTableModel::State).data().toString(), JobRecord(*journal.store->job(QStringLiteral("vibeml-a-000001"))).stateText());
        QVERIFY(!model.headerData(JobsTableModel::Cost, Qt::Horizontal).toString().isEmpty());
    }

    void picksUpOtherProcessesChangesRowByRow()
    {
        Journal window(m_path, m_clock);
        Journal cli(m_path, m_clock); // another connection: what `vibeml launch-training` writes
        QVERIFY(window.store->insert(sampleJob(QStringLiteral("vibeml-a-000001"), JobState::Running, m_t0), QStringLiteral("x")).isOk());
        JobsTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRefreshInterval(50ms);
        model.setStore(window.store.get());
        JobsFilterModel proxy;
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.sort(JobsTableModel::Started, Qt::DescendingOrder);
        QItemSelectionModel selection(&proxy);
        selection.setCurrentIndex(proxy.index(0, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        // A new job from the CLI shows within a tick, above the selected one, which stays selected.
        QVERIFY(cli.store->insert(sampleJob(QStringLiteral("vibeml-c-000003"), JobState::Launching, m_t0.addSecs(600)), QStringLiteral("x")).isOk());
        QTRY_COMPARE(model.rowCount(), 2);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(ids(proxy).first(), QStringLiteral("vibeml-c-000003"));
        QCOMPARE(selection.selectedRows().size(), 1);
        QCOMPARE(selection.selectedRows().first().data(JobsTableModel::JobIdRole).toString(), QStringLiteral("vibeml-a-000001"));

        // Its state moves on in the other process: dataChanged on that row only.
        changed.clear();
        QVERIFY(cli.store->transition(QStringLiteral("vibeml-c-000003"), JobState::Provisioning, QStringLiteral("up")).isOk());
        QTRY_COMPARE(model.index(model.rowOfJob(QStringLiteral("vibeml-c-000003")), JobsTableModel::State).data().toString(),
                     stateLabel(JobState::Provisioning));
        QVERIFY(!changed.isEmpty());
        QCOMPARE(resets.count(), 0);
        QCOMPARE(selection.selectedRows().first().data(JobsTableModel::JobIdRole).toString(), QStringLiteral("vibeml-a-000001"));

        // Live rows tick (elapsed and cost) without a re-read.
        changed.clear();
        m_clock.set(m_clock.now().addSecs(3600));
        QTRY_VERIFY(!changed.isEmpty());
        QCOMPARE(resets.count(), 0);

        // Another store (a recovered journal) lists nothing: rows are removed, not reset.
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        model.setStore(nullptr);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(resets.count(), 0);
    }

    void filtersActiveAllAndArchived()
    {
        Journal journal(m_path, m_clock);
        QVERIFY(journal.store->insert(sampleJob(QStringLiteral("vibeml-live-000001"), JobState::Running, m_t0), QStringLiteral("x")).isOk());
        QVERIFY(journal.store->insert(sampleJob(QStringLiteral("vibeml-done-000002"), JobState::Done, m_t0.addSecs(1)), QStringLiteral("x")).isOk());
        QVERIFY(journal.store->insert(sampleJob(QStringLiteral("vibeml-old-000003"), JobState::Done, m_t0.addSecs(2)), QStringLiteral("x")).isOk());
        const Status archived = journal.store->archive(QStringLiteral("vibeml-old-000003"));
        QVERIFY2(archived.isOk(), qPrintable(archived.message()));
        JobsTableModel model;
        model.setStore(journal.store.get());
        JobsFilterModel proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.sort(JobsTableModel::Name);
        QCOMPARE(model.rowCount(), 3); // archived ones are in the model; the filter hides them
        QCOMPARE(ids(proxy), (QStringList{QStringLiteral("vibeml-done-000002"), QStringLiteral("vibeml-live-000001")}));
        proxy.setShow(JobsFilterModel::Show::Active);
        QCOMPARE(ids(proxy), QStringList{QStringLiteral("vibeml-live-000001")});
        proxy.setShow(JobsFilterModel::Show::Archived);
        QCOMPARE(ids(proxy), QStringList{QStringLiteral("vibeml-old-000003")});
        QVERIFY(proxy.index(0, JobsTableModel::State).data().toString().contains(QStringLiteral("archived")));
        proxy.setShow(JobsFilterModel::Show::All);
        proxy.setText(QStringLiteral("LIVE"));
        QCOMPARE(ids(proxy), QStringList{QStringLiteral("vibeml-live-000001")});
        proxy.setText(QString());

        // Archiving in the journal moves the row out of "All" on the next refresh.
        QVERIFY(journal.store->archive(QStringLiteral("vibeml-done-000002")).isOk());
        model.refresh();
        QCOMPARE(ids(proxy), QStringList{QStringLiteral("vibeml-live-000001")});
    }

    void sortsByNaturalValues()
    {
        Journal journal(m_path, m_clock);
        JobRecord cheap = sampleJob(QStringLiteral("vibeml-cheap-000001"), JobState::Done, m_t0);
        cheap.actualUsd = 2.5;
        JobRecord dear = sampleJob(QStringLiteral("vibeml-dear-000002"), JobState::Done, m_t0.addSecs(5));
        dear.actualUsd = 10;
        JobRecord mid = sampleJob(QStringLiteral("vibeml-mid-000003"), JobState::Done, m_t0.addSecs(9));
        mid.actualUsd = 9;
        for (const JobRecord &job : {cheap, dear, mid})
            QVERIFY(journal.store->insert(job, QStringLiteral("x")).isOk());
        JobsTableModel model;
        model.setStore(journal.store.get());
        JobsFilterModel proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.sort(JobsTableModel::Cost, Qt::AscendingOrder);
        // $9.00 sorts below $10.00 (numbers, not text).
        QCOMPARE(ids(proxy), (QStringList{QStringLiteral("vibeml-cheap-000001"), QStringLiteral("vibeml-mid-000003"),
                                          QStringLiteral("vibeml-dear-000002")}));
        proxy.sort(JobsTableModel::Started, Qt::DescendingOrder);
        QCOMPARE(ids(proxy).first(), QStringLiteral("vibeml-mid-000003"));
    }
};

VIBEML_TEST_MAIN_GUI(TestJobsTableModel)
#include "tst_jobstablemodel.moc"
