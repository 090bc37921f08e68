#include "config/Settings.h"
#include "dialogs/ConnectionStatusPanel.h"
#include "dialogs/PreferencesDialog.h"
#include "secrets/SecretStore.h"
#include "shell/HubAccount.h"
#include "shell/SkyHealth.h"
#include "widgets/SecretField.h"

#include "FakeSky.h"
#include "GuiTestMain.h"
#include "HubTestRig.h"

#include <QDir>
#include <QLineEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSignalSpy>

using namespace vibeml;
using test::FakeHub;
using test::HubTestRig;

namespace {

int g_counter = 0;

QString freshRoot()
{
    const QString root = test::isolatedRoot() + QStringLiteral("/prefs-status-%1").arg(++g_counter);
    QDir().mkpath(root);
    return root;
}

} // namespace

class TestPreferencesStatus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsTheAccountAndWhetherItReadsGatedRepos()
    {
        HubTestRig rig;
        const QString root = freshRoot();
        Settings settings(root + QStringLiteral("/settings.json"));
        settings.load();
        SecretStore secrets(QStringLiteral("VibeML-test-prefs-status"));
        HubAccount account(*rig.client, &secrets);
        rig.useToken(FakeHub::fineGrainedNoGatedToken());
        PreferencesDialog dialog(settings, secrets, {&account, nullptr});
        ConnectionStatusPanel *panel = dialog.statusPanel();
        QVERIFY(panel);
        QVERIFY(!panel->checkAgainButton()); // no sky source: no sky rows
        QTRY_VERIFY_WITH_TIMEOUT(panel->hubText().contains(QStringLiteral("Signed in as Example User (example-user)")), 10000);
        QVERIFY2(panel->gatedText().contains(QStringLiteral("cannot read gated repositories")), qPrintable(panel->gatedText()));

        rig.useToken(FakeHub::validToken());
        QTRY_VERIFY_WITH_TIMEOUT(panel->gatedText().startsWith(QStringLiteral("This token can read gated")), 10000);

        // Without sources, the dialog is as before.
        PreferencesDialog plain(settings, secrets);
        QVERIFY(!plain.statusPanel());
    }

    void nebiusStatusNamesTheMissingFileAndTheFix()
    {
        test::FakeSky fake;
        fake.setFaults({QStringLiteral("credentials_disabled")});
        const QString home = freshRoot();
        Settings settings(home + QStringLiteral("/settings.json"));
        settings.load();
        SecretStore secrets(QStringLiteral("VibeML-test-prefs-status"));
        SkyHealth health([&fake, home] {
            sky::SkyEnvironment environment;
            environment.program = test::FakeSky::program();
            environment.base.insert(QStringLiteral("FAKE_SKY_STATE"), fake.stateDirectory());
            environment.base.insert(QStringLiteral("HOME"), home);
            environment.apiServer = QStringLiteral("http://127.0.0.1:46580");
            return environment;
        });
        PreferencesDialog dialog(settings, secrets, {nullptr, &health});
        ConnectionStatusPanel *panel = dialog.statusPanel();
        QVERIFY(panel);
        QVERIFY(panel->nebiusText().contains(QStringLiteral("Not checked yet.")));
        QVERIFY2(panel->skyText().contains(QStringLiteral("Runs: ") + test::FakeSky::program()), qPrintable(panel->skyText()));
        QVERIFY2(panel->nebiusText().contains(QStringLiteral("~/.nebius/credentials.json (or NEBIUS_IAM_TOKEN.txt) is missing")),
                 qPrintable(panel->nebiusText()));
        QVERIFY(panel->nebiusText().contains(QStringLiteral(
            "nebius iam auth-public-key generate --service-account-id <SERVICE_ACCOUNT_ID> --output ~/.nebius/credentials.json")));
        QVERIFY(panel->nebiusText().contains(QStringLiteral("~/.nebius/NEBIUS_TENANT_ID.txt is missing")));

        QPushButton *again = panel->checkAgainButton();
        QVERIFY(again);
        QVERIFY(!again->accessibleName().isEmpty());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTest::mouseClick(again, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(panel->nebiusText().contains(QStringLiteral("Not enabled in SkyPilot")), 20000);
        QVERIFY(panel->skyText().contains(QStringLiteral("Version: 0.10.3")));
        QVERIFY2(panel->skyText().contains(QStringLiteral("API server: http://127.0.0.1:46580")), qPrintable(panel->skyText()));

        // The user creates the files and fixes the account, then checks again.
        QDir().mkpath(home + QStringLiteral("/.nebius"));
        QVERIFY(test::writeFile(home + QStringLiteral("/.nebius/credentials.json"), "{}"));
        QVERIFY(test::writeFile(home + QStringLiteral("/.nebius/NEBIUS_TENANT_ID.txt"), "tenant-e00example"));
        fake.setFaults({});
        QTest::mouseClick(again, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(panel->nebiusText().contains(QStringLiteral("Enabled in SkyPilot")), 20000);
        QVERIFY(panel->nebiusText().contains(QStringLiteral("Credential files under ~/.nebius are in place.")));
    }

    void savingATokenAppliesItWithoutRestart()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) {
            if (qEnvironmentVariableIntValue("VIBEML_REQUIRE_KEYRING"))
                QFAIL("The suite must run with a Secret Service (tests/run.sh starts one)");
            QSKIP("No session bus: run the suite through tests/run.sh");
        }
        HubTestRig rig;
        const QString root = freshRoot();
        Settings settings(root + QStringLiteral("/settings.json"));
        settings.load();
        SecretStore secrets(QStringLiteral("VibeML-test-prefs-status-%1").arg(QRandomGenerator::global()->generate(), 0, 16));
        HubAccount account(*rig.client, &secrets);
        QCOMPARE(account.state(), HubAccount::State::NoToken);
        PreferencesDialog dialog(settings, secrets, {&account, nullptr});
        dialog.show();
        SecretField *hf = dialog.secretField(0);
        QSignalSpy known(hf, &SecretField::stateKnown);
        QTRY_VERIFY_WITH_TIMEOUT(known.count() >= 1, 20000);

        const QString token = test::fakeHuggingFaceToken();
        rig.fake.setToken(token, FakeHub::TokenKind::Valid);
        QTest::keyClicks(hf->input(), token);
        QTest::keyClick(hf->input(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(account.state(), HubAccount::State::SignedIn, 20000);
        QCOMPARE(rig.client->token().token, token);
        QCOMPARE(rig.client->token().source, hub::TokenSource::Keychain);
        QTRY_VERIFY(dialog.statusPanel()->hubText().contains(QStringLiteral("example-user")));
        QVERIFY(!dialog.statusPanel()->hubText().contains(token));

        auto *remove = hf->findChildren<QPushButton *>().last();
        QTest::mouseClick(remove, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(rig.client->token().token != token, 20000);
        if (rig.client->token().isEmpty())
            QTRY_COMPARE(account.state(), HubAccount::State::NoToken);
    }
};

VIBEML_TEST_MAIN_GUI(TestPreferencesStatus)
#include "tst_preferencesstatus.moc"
