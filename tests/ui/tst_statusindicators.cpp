#include "catalog/Catalog.h"
#include "common/Clock.h"
#include "config/Settings.h"
#include "jobs/JobService.h"
#include "jobs/JournalDatabase.h"
#include "shell/HubAccount.h"
#include "shell/SkyHealth.h"
#include "shell/StatusIndicators.h"
#include "shell/TrayController.h"

#include "FakeSky.h"
#include "GuiTestMain.h"
#include "HubTestRig.h"

#include <QAction>
#include <QDir>
#include <QLabel>
#include <QMenu>
#include <QSignalSpy>
#include <QStatusBar>

using namespace vibeml;
using test::FakeHub;
using test::HubTestRig;

namespace {

int g_counter = 0;

QString freshRoot()
{
    const QString root = test::isolatedRoot() + QStringLiteral("/status-%1").arg(++g_counter);
    QDir().mkpath(root);
    return root;
}

std::unique_ptr<Settings> freshSettings(const QString &root)
{
    auto settings = std::make_unique<Settings>(root + QStringLiteral("/settings.json"));
    settings->load();
    return settings;
}

int whoamiRequests(const FakeHub &fake)
{
    int count = 0;
    for (const FakeHub::Request &request : fake.requests())
        count += request.path == QLatin1String("/api/whoami-v2") ? 1 : 0;
    return count;
}

void writeNebiusFiles(const QString &home)
{
    QDir().mkpath(home + QStringLiteral("/.nebius"));
    QVERIFY(test::writeFile(home + QStringLiteral("/.nebius/credentials.json"), R"({"subject-credentials": {}})"));
    QVERIFY(test::writeFile(home + QStringLiteral("/.nebius/NEBIUS_TENANT_ID.txt"), "tenant-e00example"));
}

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
    job.budgetCapUsd = 50;
    return job;
}

} // namespace

class TestStatusIndicators : public QObject
{
    Q_OBJECT

private:
    catalog::Catalog m_catalog = catalog::Catalog::load(QStringLiteral("/nonexistent"));

    static std::function<sky::SkyEnvironment()> skyEnvironment(const test::FakeSky &fake, const QString &home,
                                                               const Settings *settings = nullptr)
    {
        return [&fake, home, settings] {
            sky::SkyEnvironment environment;
            environment.program = settings && !settings->text(SettingKey::SkyExecutable).isEmpty()
                                      ? settings->text(SettingKey::SkyExecutable)
                                      : test::FakeSky::program();
            environment.base.insert(QStringLiteral("FAKE_SKY_STATE"), fake.stateDirectory());
            environment.base.insert(QStringLiteral("HOME"), home);
            return environment;
        };
    }

private Q_SLOTS:
    void hubAccountFollowsTheToken()
    {
        HubTestRig rig;
        const QString root = freshRoot();
        auto settings = freshSettings(root);
        QStatusBar bar;
        StatusIndicators indicators({*settings, nullptr, rig.client.get(), {}}, &bar);
        QVERIFY(!indicators.skyLabel());
        QLabel *hub = indicators.hubLabel();
        QCOMPARE(hub->text(), QStringLiteral("Hugging Face: not signed in"));
        QVERIFY2(hub->toolTip().contains(QStringLiteral("HF_TOKEN")), qPrintable(hub->toolTip()));
        QCOMPARE(hub->accessibleName(), QStringLiteral("Hugging Face account"));

        rig.useToken(FakeHub::validToken());
        QTRY_COMPARE_WITH_TIMEOUT(hub->text(), QStringLiteral("Hugging Face: example-user"), 10000);
        QVERIFY2(hub->toolTip().contains(QStringLiteral("Example User (example-user)")), qPrintable(hub->toolTip()));
        QVERIFY(hub->toolTip().contains(QStringLiteral("fine-grained token “finetune-launcher”")));
        QVERIFY(hub->toolTip().contains(QStringLiteral("can read gated repositories")));
        QCOMPARE(indicators.hubAccount()->canReadGatedRepos(), std::optional<bool>(true));
        QCOMPARE(whoamiRequests(rig.fake), 1);

        // The same token again: answered from memory (/whoami-v2 is strictly rate-limited).
        rig.useToken(FakeHub::validToken());
        QTRY_COMPARE(hub->text(), QStringLiteral("Hugging Face: example-user"));
        QCOMPARE(whoamiRequests(rig.fake), 1);

        rig.useToken(FakeHub::fineGrainedNoGatedToken());
        QTRY_VERIFY_WITH_TIMEOUT(indicators.hubAccount()->canReadGatedRepos() == std::optional<bool>(false), 10000);
        QVERIFY2(hub->toolTip().contains(QStringLiteral("cannot read gated repositories")), qPrintable(hub->toolTip()));
        QVERIFY(hub->toolTip().contains(QStringLiteral("https://huggingface.co/settings/tokens")));

        rig.useToken(FakeHub::notApprovedToken());
        QTRY_VERIFY_WITH_TIMEOUT(hub->toolTip().contains(QStringLiteral("read token “read-token”")), 10000);
        QCOMPARE(indicators.hubAccount()->canReadGatedRepos(), std::optional<bool>(true));
        QVERIFY(hub->toolTip().contains(QStringLiteral("Member of example-org")));

        rig.useToken(FakeHub::invalidToken());
        QTRY_COMPARE_WITH_TIMEOUT(hub->text(), QStringLiteral("Hugging Face: token problem"), 10000);
        QVERIFY(!hub->toolTip().isEmpty());
        QVERIFY(!hub->toolTip().contains(FakeHub::invalidToken()));

        rig.setOffline(true);
        rig.useToken(QStringLiteral("hf_") + QString(34, QLatin1Char('q')));
        QTRY_COMPARE_WITH_TIMEOUT(hub->text(), QStringLiteral("Hugging Face: not reachable"), 10000);
    }

    void skyStatusIsCheckedOnceAndOnSettingChanges()
    {
        test::FakeSky fake;
        const QString root = freshRoot();
        writeNebiusFiles(root);
        auto settings = freshSettings(root);
        QStatusBar bar;
        StatusIndicators indicators({*settings, nullptr, nullptr, skyEnvironment(fake, root, settings.get())}, &bar);
        QLabel *sky = indicators.skyLabel();
        QVERIFY(sky);
        QCOMPARE(sky->accessibleName(), QStringLiteral("SkyPilot status"));
        QTRY_COMPARE_WITH_TIMEOUT(sky->text(), QStringLiteral("sky 0.10.3 · Nebius enabled"), 20000);
        QVERIFY2(sky->toolTip().contains(QStringLiteral("Nebius — OK: enabled in SkyPilot")), qPrintable(sky->toolTip()));
        const int afterStart = int(fake.invocations().size());
        QCOMPARE(afterStart, 3); // sky -v, sky api info, sky check nebius
        QVERIFY(fake.invocations().constLast().contains(QStringLiteral("check")));

        // Nothing runs again on its own, nor for unrelated settings.
        QVERIFY(settings->set(SettingKey::MonthlyBudgetUsd, 900.0).isOk());
        QTest::qWait(300);
        QCOMPARE(int(fake.invocations().size()), afterStart);

        // Another sky: checked again, and the answer says it is missing.
        QVERIFY(settings->set(SettingKey::SkyExecutable, QStringLiteral("/nonexistent/bin/sky")).isOk());
        QTRY_COMPARE_WITH_TIMEOUT(sky->text(), QStringLiteral("sky: not found"), 20000);
        QVERIFY2(sky->toolTip().contains(QStringLiteral("/nonexistent/bin/sky")), qPrintable(sky->toolTip()));
    }

    void nebiusDisabledSaysWhichFileIsMissing()
    {
        test::FakeSky fake;
        fake.setFaults({QStringLiteral("credentials_disabled")});
        const QString home = freshRoot();
        QDir().mkpath(home + QStringLiteral("/.nebius"));
        QVERIFY(test::writeFile(home + QStringLiteral("/.nebius/credentials.json"), "{}"));
        auto settings = freshSettings(home);
        QStatusBar bar;
        StatusIndicators indicators({*settings, nullptr, nullptr, skyEnvironment(fake, home)}, &bar);
        QTRY_COMPARE_WITH_TIMEOUT(indicators.skyLabel()->text(), QStringLiteral("sky 0.10.3 · Nebius not enabled"), 20000);
        const QString tip = indicators.skyLabel()->toolTip();
        QVERIFY2(tip.contains(QStringLiteral("~/.nebius/NEBIUS_TENANT_ID.txt is missing")), qPrintable(tip));
        QVERIFY(tip.contains(QStringLiteral("jq -r '.user_profile.tenants[0].tenant_id' > ~/.nebius/NEBIUS_TENANT_ID.txt")));
        QVERIFY(!tip.contains(QStringLiteral("credentials.json (or NEBIUS_IAM_TOKEN.txt) is missing")));
        QCOMPARE(indicators.skyHealth()->state(), SkyHealth::State::NebiusDisabled);
    }

    void spendFollowsTheJournalAndTheBudget()
    {
        const QString root = freshRoot();
        auto settings = freshSettings(root);
        QVERIFY(settings->set(SettingKey::MonthlyBudgetUsd, 100.0).isOk());
        QStatusBar bar;
        StatusIndicators indicators({*settings, nullptr, nullptr, {}}, &bar);
        QLabel *spend = indicators.spendLabel();
        QCOMPARE(spend->accessibleName(), QStringLiteral("Spend this month"));
        QCOMPARE(spend->text(), QStringLiteral("This month: – of $100.00"));

        ManualClock clock;
        jobs::JournalDatabase journal(root + QStringLiteral("/journal.sqlite"));
        QVERIFY(journal.open().isOk());
        jobs::JobService::Config config;
        config.role = QStringLiteral("window");
        jobs::JobService service(journal, clock, &m_catalog, config);
        indicators.setJobService(&service);
        QCOMPARE(spend->text(), QStringLiteral("This month: $0.00 of $100.00"));

        QVERIFY(service.store().insert(runningJob(QStringLiteral("vibeml-spend-a1b2c3"), 10), QStringLiteral("test")).isOk());
        clock.advanceSeconds(3600);
        Q_EMIT service.monitor().jobsChanged();
        QCOMPARE(spend->text(), QStringLiteral("This month: $10.00 of $100.00"));
        QVERIFY(spend->toolTip().contains(QStringLiteral("Preferences › Budget")));

        clock.advanceSeconds(8 * 3600);
        Q_EMIT service.monitor().jobsChanged();
        QCOMPARE(spend->text(), QStringLiteral("This month: $90.00 of $100.00 — nearly spent"));

        QVERIFY(settings->set(SettingKey::MonthlyBudgetUsd, 50.0).isOk());
        QCOMPARE(spend->text(), QStringLiteral("This month: $90.00 of $50.00 — over budget"));
        QVERIFY(spend->toolTip().contains(QStringLiteral("refused")));
        indicators.setJobService(nullptr);
    }

    void trayMenuListsLiveJobsWithTheirCost()
    {
        const QString root = freshRoot();
        ManualClock clock;
        jobs::JournalDatabase journal(root + QStringLiteral("/journal.sqlite"));
        QVERIFY(journal.open().isOk());
        jobs::JobService::Config config;
        config.role = QStringLiteral("window");
        jobs::JobService service(journal, clock, &m_catalog, config);

        TrayController tray;
        auto lines = [&tray] {
            QStringList texts;
            for (QAction *action : tray.menu()->actions())
                if (!action->isSeparator())
                    texts << action->text();
            return texts;
        };
        QVERIFY(lines().contains(QStringLiteral("Jobs appear once the job journal is open")));
        tray.setJobService(&service);
        QVERIFY(lines().contains(QStringLiteral("No jobs running")));
        QCOMPARE(tray.toolTip(), QStringLiteral("VibeML — no jobs running"));

        QVERIFY(service.store().insert(runningJob(QStringLiteral("vibeml-tray-a1b2c3"), 10), QStringLiteral("test")).isOk());
        jobs::JobRecord done = runningJob(QStringLiteral("vibeml-old-d4e5f6"), 10);
        done.state = jobs::JobState::Done;
        QVERIFY(service.store().insert(done, QStringLiteral("test")).isOk());
        clock.advanceSeconds(1800);
        Q_EMIT service.monitor().jobsChanged();
        QVERIFY2(lines().contains(QStringLiteral("vibeml-tray-a1b2c3 — Running — $5.00 of $50.00 cap")), qPrintable(lines().join(u'|')));
        QVERIFY(!lines().join(u'|').contains(QStringLiteral("vibeml-old-d4e5f6")));
        QCOMPARE(tray.toolTip(), QStringLiteral("VibeML — 1 job running, $5.00 so far, about $10.00/h"));
        QVERIFY(lines().contains(QStringLiteral("&Show VibeML")));
        QVERIFY(lines().contains(QStringLiteral("&Quit VibeML…")));

        // The live cost is read again whenever the menu opens.
        clock.advanceSeconds(1800);
        Q_EMIT tray.menu()->aboutToShow();
        QVERIFY(lines().contains(QStringLiteral("vibeml-tray-a1b2c3 — Running — $10.00 of $50.00 cap")));

        QSignalSpy show(&tray, &TrayController::showWindowRequested);
        QSignalSpy quit(&tray, &TrayController::quitRequested);
        for (QAction *action : tray.menu()->actions()) {
            if (action->objectName() == QLatin1String("trayShow") || action->objectName() == QLatin1String("trayQuit"))
                action->trigger();
        }
        QCOMPARE(show.count(), 1);
        QCOMPARE(quit.count(), 1);
    }

    void monitorNoticesBecomeNotifications()
    {
        const QString root = freshRoot();
        ManualClock clock;
        jobs::JournalDatabase journal(root + QStringLiteral("/journal.sqlite"));
        QVERIFY(journal.open().isOk());
        jobs::JobService::Config config;
        config.role = QStringLiteral("window");
        jobs::JobService service(journal, clock, &m_catalog, config);
        jobs::JobRecord job = runningJob(QStringLiteral("vibeml-note-a1b2c3"), 10);
        job.state = jobs::JobState::TearingDown;
        job.outcome = jobs::JobState::Failed;
        QVERIFY(service.store().insert(job, QStringLiteral("test")).isOk());

        TrayController tray;
        tray.setJobService(&service);
        QSignalSpy withoutTray(&tray, &TrayController::notificationWithoutTray);
        using Kind = jobs::MonitorNotice::Kind;
        Q_EMIT service.monitor().notice({Kind::JobEnded, job.id, QStringLiteral("Failed"), QStringLiteral("exit code 1")});
        Q_EMIT service.monitor().notice({Kind::ClusterGone, job.id, QStringLiteral("Cluster removed"), QStringLiteral("gone")});
        Q_EMIT service.monitor().notice({Kind::JobEnded, job.id, QStringLiteral("Failed"), QStringLiteral("exit code 1")});
        if (tray.isAvailable())
            QSKIP("A real system tray is present: notifications go to it");
        QCOMPARE(withoutTray.count(), 1); // the routine one and the repeat are not shown
        const auto shown = withoutTray.first().first().value<Notification>();
        QCOMPARE(shown.title, QStringLiteral("Job failed"));
        QVERIFY2(shown.message.startsWith(QStringLiteral("vibeml-note-a1b2c3 (Qwen/Qwen2.5-0.5B-Instruct): exit code 1")),
                 qPrintable(shown.message));
        QCOMPARE(shown.severity, Notification::Severity::Critical);
    }
};

VIBEML_TEST_MAIN_GUI(TestStatusIndicators)
#include "tst_statusindicators.moc"
