#include "catalog/Catalog.h"
#include "common/Clock.h"
#include "dialogs/CloseWithJobsDialog.h"
#include "jobs/JobService.h"
#include "jobs/JournalDatabase.h"
#include "jobs/JournalLease.h"
#include "shell/CloseGuard.h"

#include "FakeSky.h"
#include "GuiTestMain.h"

#include <QAbstractButton>
#include <QCloseEvent>
#include <QGuiApplication>
#include <QPushButton>
#include <QSignalSpy>

using namespace vibeml;
using namespace std::chrono_literals;
using Choice = CloseWithJobsDialog::Choice;

namespace {

int g_counter = 0;

// A window whose close goes through the guard, as MainWindow's does.
class GuardedWindow : public QWidget
{
public:
    CloseGuard *guard = nullptr;

protected:
    void closeEvent(QCloseEvent *event) override
    {
        if (guard && guard->interceptClose(event))
            return;
        QWidget::closeEvent(event);
    }
};

jobs::JobRecord runningJob(const QString &id, double pricePerHour)
{
    jobs::JobRecord job;
    job.id = id;
    job.cluster = id;
    job.state = jobs::JobState::Running;
    job.source = QStringLiteral("gui");
    job.plan.jobId = id;
    job.plan.modelId = QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct");
    job.pricePerHour = pricePerHour;
    return job;
}

struct Launch
{
    QString program;
    QStringList arguments;
};

} // namespace

class TestCloseGuard : public QObject
{
    Q_OBJECT

private:
    catalog::Catalog m_catalog = catalog::Catalog::load(QStringLiteral("/nonexistent"));
    ManualClock m_clock;
    std::unique_ptr<test::FakeSky> m_sky;
    QString m_journalPath;
    std::unique_ptr<jobs::JournalDatabase> m_journal;
    std::unique_ptr<jobs::JobService> m_service;
    std::unique_ptr<GuardedWindow> m_window;
    std::unique_ptr<CloseGuard> m_guard;
    QList<Launch> m_launches;
    bool m_launchWorks = true;
    int m_quits = 0;

    void makeGuard(bool trayAvailable)
    {
        m_window = std::make_unique<GuardedWindow>();
        m_guard = std::make_unique<CloseGuard>(m_window.get(), trayAvailable);
        m_window->guard = m_guard.get();
        m_guard->setJobService(m_service.get());
        m_guard->setLauncher([this](const QString &program, const QStringList &arguments, QString *error) {
            m_launches.append({program, arguments});
            if (!m_launchWorks && error)
                *error = QStringLiteral("No such file or directory");
            return m_launchWorks;
        });
        m_guard->setQuit([this] { ++m_quits; });
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void addRunningJob(const QString &id = QStringLiteral("vibeml-qwen-x7k2p9"), double price = 10)
    {
        QVERIFY(m_service->store().insert(runningJob(id, price), QStringLiteral("test")).isOk());
    }

    // Closes the window and answers the question with `choice`.
    void closeAndChoose(Choice choice)
    {
        QVERIFY(!m_window->close());
        QVERIFY(m_window->isVisible());
        CloseWithJobsDialog *dialog = m_guard->dialog();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        QAbstractButton *button = dialog->button(choice);
        QVERIFY(button);
        QTest::mouseClick(button, Qt::LeftButton);
        QVERIFY(!m_guard->dialog());
    }

private Q_SLOTS:
    void init()
    {
        m_sky = std::make_unique<test::FakeSky>();
        m_journalPath = test::isolatedRoot() + QStringLiteral("/closeguard-%1/journal.sqlite").arg(++g_counter);
        m_journal = std::make_unique<jobs::JournalDatabase>(m_journalPath);
        QVERIFY(m_journal->open().isOk());
        jobs::JobService::Config config;
        config.bundlesRoot = test::isolatedRoot() + QStringLiteral("/closeguard-runs");
        config.environment.program = test::FakeSky::program();
        config.environment.base.insert(QStringLiteral("FAKE_SKY_STATE"), m_sky->stateDirectory());
        config.role = QStringLiteral("window");
        config.timings.observe = 100ms;
        config.timings.reconcile.launchGrace = 600s;
        m_service = std::make_unique<jobs::JobService>(*m_journal, m_clock, &m_catalog, config);
        m_launches.clear();
        m_launchWorks = true;
        m_quits = 0;
    }

    void cleanup()
    {
        m_guard.reset();
        m_window.reset();
        m_service.reset();
        m_journal.reset();
        QGuiApplication::setQuitOnLastWindowClosed(true);
    }

    void dialogSaysClustersKeepBillingAndOffersTheTrayOnlyWithOne()
    {
        QList<jobs::JobRecord> live{runningJob(QStringLiteral("vibeml-a-a1b2c3"), 10), runningJob(QStringLiteral("vibeml-b-d4e5f6"), 13.6)};
        for (jobs::JobRecord &job : live) {
            job.billingSince = m_clock.now().addSecs(-3600);
        }
        CloseWithJobsDialog withoutTray(live, false, m_clock.now());
        QVERIFY(!withoutTray.button(Choice::KeepInTray));
        QVERIFY(withoutTray.button(Choice::HandOver));
        QVERIFY(withoutTray.button(Choice::Quit));
        QVERIFY2(withoutTray.message().contains(QStringLiteral("2 jobs are still running.")), qPrintable(withoutTray.message()));
        QVERIFY(withoutTray.message().contains(QStringLiteral("keep running and billing (about $23.60/h together, $23.60 so far)")));
        QVERIFY(withoutTray.message().contains(QStringLiteral("picks them up again")));
        withoutTray.choose(Choice::KeepInTray); // not offered: ignored
        QCOMPARE(withoutTray.choice(), Choice::Cancel);

        CloseWithJobsDialog withTray(live, true, m_clock.now());
        QVERIFY(withTray.button(Choice::KeepInTray));
        QVERIFY(qobject_cast<QPushButton *>(withTray.button(Choice::KeepInTray))->isDefault());
        for (Choice choice : {Choice::KeepInTray, Choice::HandOver, Choice::Quit, Choice::Cancel})
            QVERIFY(!withTray.button(choice)->accessibleName().isEmpty());
        withTray.show();
        QVERIFY(QTest::qWaitForWindowExposed(&withTray));
        QTest::keyClick(&withTray, Qt::Key_Escape);
        QCOMPARE(withTray.choice(), Choice::Cancel);
        QCOMPARE(withTray.result(), int(QDialog::Rejected));
    }

    void closingWithoutLiveJobsJustCloses()
    {
        makeGuard(true);
        jobs::JobRecord finished = runningJob(QStringLiteral("vibeml-done-a1b2c3"), 10);
        finished.state = jobs::JobState::Done;
        QVERIFY(m_service->store().insert(finished, QStringLiteral("test")).isOk());
        QVERIFY(m_window->close());
        QVERIFY(!m_guard->dialog());
        QVERIFY(m_launches.isEmpty());
        QCOMPARE(m_quits, 0); // the last window closing ends the application as usual
    }

    void handOverStartsTheMonitorAndReleasesTheLease()
    {
        addRunningJob();
        m_service->monitor().start();
        QTRY_VERIFY_WITH_TIMEOUT(m_service->monitor().isActing(), 10000);
        makeGuard(false);
        closeAndChoose(Choice::HandOver);
        QCOMPARE(m_launches.size(), 1);
        QCOMPARE(m_launches.first().program, QCoreApplication::applicationFilePath());
        QCOMPARE(m_launches.first().arguments.value(0), QStringLiteral("monitor"));
        QCOMPARE(m_launches.first().arguments, CloseGuard::monitorArguments());
        QCOMPARE(m_quits, 1);
        QVERIFY(!m_window->isVisible());
        QVERIFY(m_guard->isQuitting());
        // The window's monitor let go, so `vibeml monitor` can take the lease at once.
        QVERIFY(!m_service->monitor().isRunning());
        QVERIFY(!m_service->activeMonitor());
        jobs::JournalDatabase otherConnection(m_journalPath);
        QVERIFY(otherConnection.open().isOk());
        jobs::JournalLease monitorLease(otherConnection, m_clock, QStringLiteral("monitor"), QStringLiteral("monitor"));
        QVERIFY(monitorLease.acquireOrRenew(90s));
        monitorLease.release();
    }

    void failedHandOverKeepsWatching()
    {
        addRunningJob();
        m_service->monitor().start();
        QTRY_VERIFY_WITH_TIMEOUT(m_service->monitor().isActing(), 10000);
        makeGuard(false);
        m_launchWorks = false;
        QSignalSpy failed(m_guard.get(), &CloseGuard::handOverFailed);
        closeAndChoose(Choice::HandOver);
        QCOMPARE(m_launches.size(), 1);
        QCOMPARE(failed.count(), 1);
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(QStringLiteral("No such file or directory")) && message.contains(QStringLiteral("keeps watching")),
                 qPrintable(message));
        QCOMPARE(m_quits, 0);
        QVERIFY(m_window->isVisible());
        QVERIFY(m_service->monitor().isActing());
        m_service->monitor().stop();
    }

    void keepInTrayHidesTheWindowAndKeepsMonitoring()
    {
        addRunningJob();
        m_service->monitor().start();
        QTRY_VERIFY_WITH_TIMEOUT(m_service->monitor().isActing(), 10000);
        makeGuard(true);
        QSignalSpy kept(m_guard.get(), &CloseGuard::keptInTray);
        closeAndChoose(Choice::KeepInTray);
        QCOMPARE(kept.count(), 1);
        QVERIFY(!m_window->isVisible());
        QVERIFY(!QGuiApplication::quitOnLastWindowClosed());
        QCOMPARE(m_quits, 0);
        QVERIFY(m_launches.isEmpty());
        QVERIFY(m_service->monitor().isActing());

        // Shown again from the tray and closed: asked again; Quit ends the process.
        m_window->show();
        closeAndChoose(Choice::Quit);
        QCOMPARE(m_quits, 1);
        QVERIFY(m_launches.isEmpty());
        QVERIFY(!m_service->monitor().isRunning());
    }

    void cancelKeepsTheWindow()
    {
        addRunningJob();
        makeGuard(true);
        closeAndChoose(Choice::Cancel);
        QVERIFY(m_window->isVisible());
        QCOMPARE(m_quits, 0);
        QVERIFY(m_launches.isEmpty());
    }

    void quitWithoutTrayWhenTheLastJobEnded()
    {
        // After "keep in the tray" the process no longer ends with its last window; once nothing
        // is live, closing the window quits.
        makeGuard(true);
        QGuiApplication::setQuitOnLastWindowClosed(false);
        QVERIFY(m_window->close());
        QCOMPARE(m_quits, 1);
    }
};

VIBEML_TEST_MAIN_GUI(TestCloseGuard)
#include "tst_closeguard.moc"
