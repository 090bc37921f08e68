// The Jobs page against the fake `sky` (a real child process per command) and a real journal: a
// launch shows up in the table, its log streams into the panel, Cancel on the page ends it and its
// cluster is torn down; an orphaned cluster goes with one click; an ended record is archived, and
// the window's launch path (JobLaunchController) and relaunch-from-bundle start new jobs.
#include "catalog/Catalog.h"
#include "common/Clock.h"
#include "config/Settings.h"
#include "joblog/JobLogModel.h"
#include "joblog/JobLogPanel.h"
#include "jobs/JobEventsModel.h"
#include "jobs/JobLaunchController.h"
#include "jobs/JobService.h"
#include "jobs/JobsTableModel.h"
#include "jobs/JournalDatabase.h"
#include "pages/JobsPage.h"
#include "secrets/SecretStore.h"
#include "widgets/MessageBanner.h"

#include "FakeSky.h"
#include "JobTestRig.h"
#include "GuiDrivers.h"
#include "GuiTestMain.h"
#include "TestSupport.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QGroupBox>
#include <QLabel>
#include <QJsonDocument>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include <memory>

using namespace vibeml;
using namespace vibeml::jobs;
using namespace std::chrono_literals;

namespace {

} // namespace

using test::acceptConfirmation;
using test::generousLimits;
using test::quickTimings;
using test::samplePlan;

class TestJobsPage : public QObject
{
    Q_OBJECT

private:
    catalog::Catalog m_catalog = catalog::Catalog::load(QStringLiteral("/nonexistent"));
    ManualClock m_clock;
    int m_case = 0;
    QString m_root;
    std::unique_ptr<test::FakeSky> m_sky;
    std::unique_ptr<JournalDatabase> m_journal;
    std::unique_ptr<JobService> m_service;
    std::unique_ptr<Settings> m_settings;

    QStringList clustersUp() const { return m_sky->clusters(); }

    std::optional<JobState> stateOf(const QString &id) const
    {
        const auto job = m_service->store().job(id);
        return job ? std::optional<JobState>(job->state) : std::nullopt;
    }

    QString launch(const QString &id)
    {
        LaunchRequest request;
        request.plan = samplePlan(id);
        request.source = QStringLiteral("test");
        auto started = m_service->launch(request, generousLimits(), true);
        if (!started)
            qWarning() << started.error().message;
        return started ? started.value() : QString();
    }

    static QString shownState(JobsPage &page, const QString &id)
    {
        const int row = page.model()->rowOfJob(id);
        return row < 0 ? QString() : page.model()->index(row, JobsTableModel::State).data().toString();
    }

private Q_SLOTS:
    void init()
    {
        m_root = test::isolatedRoot() + QStringLiteral("/jobspage-%1").arg(++m_case);
        QDir().mkpath(m_root);
        m_sky = std::make_unique<test::FakeSky>();
        m_clock.set(QDateTime(QDate(2026, 11, 28), QTime(12, 0), Qt::UTC));
        m_journal = std::make_unique<JournalDatabase>(m_root + QStringLiteral("/journal.sqlite"));
        QVERIFY(m_journal->open().isOk());
        JobService::Config config;
        config.bundlesRoot = m_root + QStringLiteral("/runs");
        config.environment = test::fakeSkyEnvironment(*m_sky);
        config.timings = quickTimings();
        config.role = QStringLiteral("window");
        m_service = std::make_unique<JobService>(*m_journal, m_clock, &m_catalog, config);
        m_settings = std::make_unique<Settings>(m_root + QStringLiteral("/settings.json"));
        QVERIFY(m_settings->set(SettingKey::PerJobBudgetUsd, 1000.0).isOk());
        QVERIFY(m_settings->set(SettingKey::MonthlyBudgetUsd, 10000.0).isOk());
        QVERIFY(m_settings->set(SettingKey::ApprovalThresholdUsd, 1000.0).isOk());
    }

    void cleanup()
    {
        m_service.reset();
        m_journal.reset();
        m_settings.reset();
    }

    void launchWatchCancelAndTearDown()
    {
        m_sky->set(QStringLiteral("job_seconds"), 40);
        m_sky->set(QStringLiteral("log_lines"), 400);
        m_sky->set(QStringLiteral("log_delay"), 0.05);
        JobsPage page(*m_settings);
        QAbstractItemModelTester tester(page.filterModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        page.resize(1100, 800);
        page.show();
        QVERIFY(!page.cancelAction()->isEnabled());
        page.setService(m_service.get());
        m_service->monitor().start();

        const QString id = launch(QStringLiteral("vibeml-page-a1b2c3"));
        QVERIFY(!id.isEmpty());
        page.selectJob(id);
        // The row is there as soon as it is committed, selected, with its state.
        QTRY_COMPARE(page.selectedJobId(), id);
        QCOMPARE(page.table()->selectionModel()->selectedRows().size(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(shownState(page, id), stateLabel(JobState::Running), 20000);
        // The log streams into the panel; the history lists the steps.
        QTRY_COMPARE_WITH_TIMEOUT(page.logPanel()->logFile(), m_service->store().job(id)->logFile(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(page.logPanel()->model()->rowCount() > 3, 15000);
        QTRY_VERIFY(page.eventsModel()->rowCount() >= 3);
        QVERIFY(page.detailsLabel()->text().contains(id));
        // Running: cancel and tear down make sense, archiving does not.
        QVERIFY(page.cancelAction()->isEnabled());
        QVERIFY(page.tearDownAction()->isEnabled());
        QVERIFY(page.keepAction()->isEnabled());
        QVERIFY(page.openFolderAction()->isEnabled());
        QVERIFY(!page.archiveAction()->isEnabled());
        QVERIFY(!page.downloadAction()->isEnabled());

        page.table()->setFocus();
        page.cancelAction()->trigger();
        QVERIFY(acceptConfirmation(page, QStringLiteral("confirmCancel")));
        QVERIFY(!page.cancelAction()->isEnabled()); // in flight
        // Cancelled, the cluster torn down (policy: down) and verified gone: the row reaches Done.
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id).value_or(JobState::Launching), JobState::Done, 30000);
        QCOMPARE(m_service->store().job(id)->outcome, JobState::Cancelled);
        QVERIFY(clustersUp().isEmpty());
        QTRY_COMPARE(shownState(page, id), m_service->store().job(id)->stateText());
        QCOMPARE(page.selectedJobId(), id); // still selected
        QTRY_VERIFY(page.banner()->isVisible());
        QVERIFY(page.banner()->text().contains(id));

        // Done: archive ("delete record") hides it; the Archived filter still shows it.
        QTRY_VERIFY(page.archiveAction()->isEnabled());
        QVERIFY(!page.cancelAction()->isEnabled());
        QVERIFY(!page.tearDownAction()->isEnabled());
        page.archiveAction()->trigger();
        QVERIFY(acceptConfirmation(page, QStringLiteral("confirmArchive")));
        QTRY_VERIFY(m_service->store().job(id)->archived);
        QTRY_COMPARE(page.filterModel()->rowCount(), 0);
        page.selectJob(id);
        QCOMPARE(page.filterModel()->show(), JobsFilterModel::Show::Archived);
        QCOMPARE(page.filterModel()->rowCount(), 1);
        QCOMPARE(page.selectedJobId(), id);
    }

    void tearsDownAnOrphanWithOneClick()
    {
        const QString yaml = m_root + QStringLiteral("/orphan.yaml");
        QVERIFY(test::writeFile(yaml, "resources:\n  infra: nebius/eu-north1\n  accelerators: H100:1\nrun: echo hi\n"));
        const test::ProcessResult launched = test::runProcess(test::FakeSky::program(),
                                                              {QStringLiteral("launch"), QStringLiteral("-y"), QStringLiteral("-d"),
                                                               QStringLiteral("-c"), QStringLiteral("vibeml-stray-zz9"), yaml},
                                                              {}, m_sky->environment());
        QCOMPARE(launched.exitCode, 0);
        JobsPage page(*m_settings);
        page.show();
        page.setService(m_service.get());
        m_service->monitor().start();
        QTRY_VERIFY_WITH_TIMEOUT(page.orphansBox()->isVisible(), 10000);
        QPushButton *button = nullptr;
        QTRY_VERIFY((button = page.orphansBox()->findChild<QPushButton *>(QStringLiteral("tearDownOrphan:vibeml-stray-zz9"))));
        QCOMPARE(button->accessibleName(), QStringLiteral("Tear down vibeml-stray-zz9"));
        QTest::mouseClick(button, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(clustersUp().isEmpty(), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(!page.orphansBox()->isVisible(), 10000);
        QTRY_VERIFY(page.banner()->isVisible());
    }

    void launchesThroughTheWindowPathAndRelaunchesFromTheBundle()
    {
        m_sky->set(QStringLiteral("job_seconds"), 0.5);
        SecretStore secrets(QStringLiteral("VibeML-test-jobspage"));
        JobLaunchController controller(*m_settings, secrets);
        JobsPage page(*m_settings);
        page.show();
        QSignalSpy refused(&controller, &JobLaunchController::refused);
        // Without the journal nothing launches, and it says why.
        controller.launch(samplePlan(QStringLiteral("vibeml-early-000000")));
        QCOMPARE(refused.count(), 1);
        QVERIFY(refused.first().at(1).toString().contains(QStringLiteral("journal")));

        controller.setService(m_service.get());
        page.setService(m_service.get());
        connect(&page, &JobsPage::relaunchRequested, &controller, &JobLaunchController::launch);
        connect(&controller, &JobLaunchController::started, &page, &JobsPage::selectJob);
        m_service->monitor().start();
        QSignalSpy started(&controller, &JobLaunchController::started);
        controller.launch(samplePlan(QStringLiteral("vibeml-gui-000001")));
        QCOMPARE(started.count(), 1);
        const QString id = started.first().first().toString();
        QCOMPARE(m_service->store().job(id)->source, QStringLiteral("gui"));
        QTRY_COMPARE(page.selectedJobId(), id);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id).value_or(JobState::Launching), JobState::Done, 30000);

        // Relaunch: the same plan under a new id, after a confirmation with the dollar figure.
        QTRY_VERIFY(page.relaunchAction()->isEnabled());
        page.relaunchAction()->trigger();
        auto *box = page.findChild<QMessageBox *>(QStringLiteral("confirmRelaunch"));
        QVERIFY(box);
        QVERIFY(box->findChild<QPushButton *>(QStringLiteral("yes"))->text().contains(QLatin1Char('$')));
        QVERIFY(acceptConfirmation(page, QStringLiteral("confirmRelaunch")));
        QTRY_COMPARE(started.count(), 2);
        const QString again = started.last().first().toString();
        QVERIFY(again != id);
        QCOMPARE(m_service->store().job(again)->plan.modelId, m_service->store().job(id)->plan.modelId);
        QTRY_COMPARE(page.selectedJobId(), again);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(again).value_or(JobState::Launching), JobState::Done, 30000);
        QTRY_VERIFY(clustersUp().isEmpty());
    }

    // Issue 9 item 1: the scrollback cap is a setting (Preferences, `config set`), applied at once.
    void logScrollbackFollowsTheSetting()
    {
        JobsPage page(*m_settings);
        JobLogModel *log = page.logPanel()->model();
        QCOMPARE(log->maxLines(), joblog::LogLineStore::kDefaultMaxLines);
        QByteArray lines;
        for (int i = 0; i < 3000; ++i)
            lines += "line " + QByteArray::number(i) + '\n';
        log->appendBytes(lines);
        log->finishInput();
        QCOMPARE(log->rowCount(), 3000);
        QVERIFY(m_settings->set(SettingKey::LogScrollbackLines, 1000).isOk());
        QCOMPARE(log->maxLines(), qsizetype(1000));
        QCOMPARE(log->rowCount(), 1000); // the oldest left at once
        QCOMPARE(log->totalLines(), qint64(3000));
        QVERIFY(!m_settings->set(SettingKey::LogScrollbackLines, 10).isOk()); // below the minimum
        QCOMPARE(log->maxLines(), qsizetype(1000));
    }
};

VIBEML_TEST_MAIN_GUI(TestJobsPage)
#include "tst_jobspage.moc"
