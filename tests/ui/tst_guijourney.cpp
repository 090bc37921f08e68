// The whole desktop journey in the real main window, by clicking and typing, against the loopback
// fake Hub and the fake `sky`: type a model id, pick a dataset, choose an offer, review, launch,
// watch the log stream into the Jobs page, cancel, and see the cluster torn down and verified gone.
#include "MainWindow.h"
#include "charts/Charts.h"
#include "charts/LinkedCharts.h"
#include "config/Settings.h"
#include "dialogs/PreferencesDialog.h"
#include "joblog/JobLogModel.h"
#include "joblog/JobLogPanel.h"
#include "joblog/LossChart.h"
#include "jobs/JobService.h"
#include "jobs/JobsTableModel.h"
#include "jobs/JournalDatabase.h"
#include "pages/JobsPage.h"
#include "pages/PlanPage.h"
#include "plan/GpuPanel.h"
#include "plan/ReviewPanel.h"
#include "secrets/SecretStore.h"

#include "FakeSky.h"
#include "GuiDrivers.h"
#include "GuiTestMain.h"
#include "HubTestRig.h"
#include "JobTestRig.h"

#include <QAction>
#include <QCheckBox>
#include <QDir>
#include <QLineSeries>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>

using namespace vibeml;
using namespace vibeml::jobs;

class TestGuiJourney : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { charts::useLinked(&charts::linkedCharts()); }

    void fromAnEmptyWindowToARunningJobAndBackToClusterGone()
    {
        const QString root = test::isolatedRoot() + QStringLiteral("/journey");
        test::HubTestRig hub;
        test::FakeSky sky;
        // Pictures for the README (VIBEML_SCREENSHOT_DIR), once the curve has some steps.
        const QString pictures = qEnvironmentVariable("VIBEML_SCREENSHOT_DIR");
        sky.set(QStringLiteral("job_seconds"), 90); // long enough to be cancelled while it runs
        sky.set(QStringLiteral("log_lines"), 400);
        sky.set(QStringLiteral("log_delay"), 0.01);
        Settings settings(root + QStringLiteral("/settings.json"));
        settings.load();
        QVERIFY(settings.set(SettingKey::PerJobBudgetUsd, 1000.0).isOk());
        QVERIFY(settings.set(SettingKey::MonthlyBudgetUsd, 10000.0).isOk());
        SecretStore secrets;
        SystemClock clock;
        JournalDatabase journal(root + QStringLiteral("/journal.sqlite"));
        QVERIFY(journal.open().isOk());
        JobService::Config config;
        config.bundlesRoot = root + QStringLiteral("/runs");
        config.environment = test::fakeSkyEnvironment(sky);
        config.timings = test::quickTimings();
        config.role = QStringLiteral("window");
        JobService service(journal, clock, &test::bundledCatalog(), config);

        MainWindow window({settings, secrets, nullptr, root + QStringLiteral("/logs"), hub.client.get(), &hub.snapshot,
                           []() -> const catalog::Catalog & { return test::bundledCatalog(); },
                           [&service] { return service.monthSpentUsd(); },
                           [&sky] { return test::fakeSkyEnvironment(sky); },
                           [&service](QString *) { return &service; }});
        window.resize(1300, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_COMPARE(window.jobService(), &service); // opened after the first paint
        QCOMPARE(window.currentPage(), MainWindow::Page::Plan);

        // Plan: model, dataset, settings (the preset), the H100 × 1 on-demand offer, review.
        PlanPage *plan = window.planPage();
        QVERIFY(test::pickModelAndDataset(*plan));
        QTRY_VERIFY_WITH_TIMEOUT(plan->estimate() && plan->estimate()->hasEstimates(), 10000);
        QTest::mouseClick(plan->nextButton(), Qt::LeftButton);
        QTest::mouseClick(plan->nextButton(), Qt::LeftButton);
        QCOMPARE(plan->currentStep(), PlanPage::Step::Offers);
        QTableView *offers = plan->gpuPanel()->view();
        const QModelIndex h100 = test::findOffer(offers, QStringLiteral("H100 × 1"), false);
        QVERIFY(h100.isValid());
        QTest::mouseClick(offers->viewport(), Qt::LeftButton, {}, offers->visualRect(h100).center());
        QTest::mouseClick(plan->nextButton(), Qt::LeftButton);
        QCOMPARE(plan->currentStep(), PlanPage::Step::Review);
        ReviewPanel *review = plan->reviewPanel();
        const QString jobId = review->plan()->jobId;
        QVERIFY(jobId.startsWith(QStringLiteral("vibeml-qwen2-5-0-5b-instruct-")));
        if (review->approvalBox()->isVisible())
            review->approvalBox()->setChecked(true);
        QTRY_VERIFY(review->launchButton()->isEnabled());
        QVERIFY(review->launchButton()->text().contains(QStringLiteral("$")));

        // Launch, confirm: the window moves to Jobs with the new job selected, never blocking.
        QTest::mouseClick(review->launchButton(), Qt::LeftButton);
        QVERIFY(review->confirmation()->isVisible());
        QTest::mouseClick(review->confirmButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(window.currentPage(), MainWindow::Page::Jobs, 10000);
        JobsPage *jobsPage = window.jobsPage();
        QTRY_COMPARE_WITH_TIMEOUT(jobsPage->selectedJobId(), jobId, 10000);
        QVERIFY(service.store().job(jobId).has_value());

        // Submitted (setting up, then running): its log streams into the panel.
        const auto live = [&] {
            const JobState state = service.store().job(jobId)->state;
            return state == JobState::SettingUp || state == JobState::Running;
        };
        QTRY_VERIFY2_WITH_TIMEOUT(live(),
                                  qPrintable(service.store().job(jobId)->stateText() + QLatin1Char(' ')
                                             + service.store().job(jobId)->reason),
                                  30000);
        QTRY_VERIFY_WITH_TIMEOUT(jobsPage->logPanel()->model()->rowCount() > 5, 30000);
        QTRY_VERIFY(jobsPage->cancelAction()->isEnabled());
        if (!pictures.isEmpty()) {
            QVERIFY(QDir().mkpath(pictures));
            QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<LossChart *>(jobsPage->logPanel()->chart())->lossSeries()->count() >= 40, 60000);
            QTest::qWait(500);
            QVERIFY(window.grab().save(pictures + QStringLiteral("/jobs-page.png")));
            window.showPreferences();
            QTest::qWait(1500); // the account and sky checks answer
            QVERIFY(window.preferencesDialog()->grab().save(pictures + QStringLiteral("/preferences.png")));
            window.preferencesDialog()->close();
            window.showPage(MainWindow::Page::Log);
            QTest::qWait(300);
            QVERIFY(window.grab().save(pictures + QStringLiteral("/log-page.png")));
            window.showPage(MainWindow::Page::Jobs);
        }

        // Cancel from the page: the cluster goes, and the job is Done once sky no longer lists it.
        jobsPage->table()->setFocus();
        jobsPage->cancelAction()->trigger();
        QVERIFY(test::acceptConfirmation(*jobsPage, QStringLiteral("confirmCancel")));
        QTRY_COMPARE_WITH_TIMEOUT(service.store().job(jobId)->state, JobState::Done, 30000);
        QCOMPARE(service.store().job(jobId)->outcome, JobState::Cancelled);
        QVERIFY(sky.clusters().isEmpty());
        const int row = jobsPage->model()->rowOfJob(jobId);
        QTRY_COMPARE(jobsPage->model()->index(row, JobsTableModel::State).data().toString(),
                     service.store().job(jobId)->stateText());
        service.monitor().stop();
    }
};

VIBEML_TEST_MAIN_GUI(TestGuiJourney)
#include "tst_guijourney.moc"
