#include "config/Settings.h"
#include "dialogs/PreferencesDialog.h"
#include "secrets/SecretStore.h"
#include "widgets/SecretField.h"

#include "GuiTestMain.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSpinBox>

using namespace vibeml;

namespace {
int g_counter = 0;
QString freshSettingsPath()
{
    return test::isolatedRoot() + QStringLiteral("/prefs-%1/settings.json").arg(++g_counter);
}
} // namespace

class TestPreferencesDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void editorsShowCurrentValues()
    {
        Settings settings(freshSettingsPath());
        settings.load();
        QVERIFY(settings.set(SettingKey::MonthlyBudgetUsd, 321.5).isOk());
        QVERIFY(settings.set(SettingKey::SpotPreference, QStringLiteral("spot-only")).isOk());
        SecretStore secrets(QStringLiteral("VibeML-test-prefs"));
        PreferencesDialog dialog(settings, secrets);
        auto *monthly = qobject_cast<QDoubleSpinBox *>(dialog.editor(SettingKey::MonthlyBudgetUsd));
        QVERIFY(monthly);
        QCOMPARE(monthly->value(), 321.5);
        QCOMPARE(monthly->prefix(), QStringLiteral("$ "));
        auto *spot = qobject_cast<QComboBox *>(dialog.editor(SettingKey::SpotPreference));
        QVERIFY(spot);
        QCOMPARE(spot->currentText(), QStringLiteral("spot-only"));
        auto *idle = qobject_cast<QSpinBox *>(dialog.editor(SettingKey::AutostopIdleMinutes));
        QVERIFY(idle);
        QCOMPARE(idle->minimum(), 5);
        QVERIFY(!dialog.editor(SettingKey::WindowGeometry));
        for (const SettingDefinition &def : settingsschema::definitions()) {
            if (def.userVisible)
                QVERIFY2(!dialog.editor(def.key)->accessibleName().isEmpty(), def.name);
        }
    }

    void invalidTextIsExplainedAsYouType()
    {
        Settings settings(freshSettingsPath());
        settings.load();
        SecretStore secrets(QStringLiteral("VibeML-test-prefs"));
        PreferencesDialog dialog(settings, secrets);
        dialog.show();
        auto *region = qobject_cast<QLineEdit *>(dialog.editor(SettingKey::DefaultRegion));
        QVERIFY(region);
        region->clear();
        QTest::keyClicks(region, QStringLiteral("EU North"));
        QVERIFY2(dialog.errorText(SettingKey::DefaultRegion).contains(QStringLiteral("eu-north1")),
                 qPrintable(dialog.errorText(SettingKey::DefaultRegion)));
        QVERIFY(!dialog.apply());
        QCOMPARE(settings.text(SettingKey::DefaultRegion), QStringLiteral("eu-north1"));

        region->clear();
        QTest::keyClicks(region, QStringLiteral("us-central1"));
        QVERIFY(dialog.errorText(SettingKey::DefaultRegion).isEmpty());

        auto *endpoint = qobject_cast<QLineEdit *>(dialog.editor(SettingKey::HubEndpoint));
        QTest::keyClicks(endpoint, QStringLiteral("ftp://mirror"));
        QVERIFY(!dialog.errorText(SettingKey::HubEndpoint).isEmpty());
        endpoint->clear();
        QVERIFY(dialog.errorText(SettingKey::HubEndpoint).isEmpty());

        QVERIFY(dialog.apply());
        QCOMPARE(settings.text(SettingKey::DefaultRegion), QStringLiteral("us-central1"));
    }

    void okSavesAndRestoreDefaultsResets()
    {
        Settings settings(freshSettingsPath());
        settings.load();
        SecretStore secrets(QStringLiteral("VibeML-test-prefs"));
        PreferencesDialog dialog(settings, secrets);
        dialog.show();
        auto *idle = qobject_cast<QSpinBox *>(dialog.editor(SettingKey::AutostopIdleMinutes));
        idle->setValue(90);
        auto *teardown = qobject_cast<QComboBox *>(dialog.editor(SettingKey::TeardownPolicy));
        teardown->setCurrentText(QStringLiteral("keep-stopped"));
        QSignalSpy changed(&settings, &Settings::changed);
        auto *buttons = dialog.findChild<QDialogButtonBox *>();
        QTest::mouseClick(buttons->button(QDialogButtonBox::Ok), Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(settings.integer(SettingKey::AutostopIdleMinutes), 90);
        QCOMPARE(settings.text(SettingKey::TeardownPolicy), QStringLiteral("keep-stopped"));
        QCOMPARE(changed.count(), 2);

        PreferencesDialog again(settings, secrets);
        again.restoreDefaults();
        QVERIFY(again.apply());
        QCOMPARE(settings.integer(SettingKey::AutostopIdleMinutes), 30);
        QCOMPARE(settings.text(SettingKey::TeardownPolicy), QStringLiteral("down"));
    }

    void secretsGoToTheKeychain()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) {
            if (qEnvironmentVariableIntValue("VIBEML_REQUIRE_KEYRING"))
                QFAIL("The suite must run with a Secret Service (tests/run.sh starts one)");
            QSKIP("No session bus: run the suite through tests/run.sh");
        }
        Settings settings(freshSettingsPath());
        settings.load();
        SecretStore secrets(QStringLiteral("VibeML-test-prefs-%1").arg(QRandomGenerator::global()->generate(), 0, 16));
        PreferencesDialog dialog(settings, secrets);
        dialog.show();
        SecretField *hf = dialog.secretField(0);
        QSignalSpy known(hf, &SecretField::stateKnown);
        QTRY_VERIFY_WITH_TIMEOUT(known.count() >= 1, 20000);
        QCOMPARE(hf->statusText(), QStringLiteral("Not stored in the keychain."));

        const QString token = test::fakeHuggingFaceToken();
        QTest::keyClicks(hf->input(), token);
        QCOMPARE(hf->input()->echoMode(), QLineEdit::Password);
        QTest::keyClick(hf->input(), Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(known.count() >= 2, 20000);
        QCOMPARE(hf->statusText(), QStringLiteral("Stored in the system keychain."));
        QVERIFY(hf->input()->text().isEmpty());

        std::optional<QString> stored;
        secrets.read(SecretId::HuggingFaceToken, this,
                     [&stored](const Result<QString, SecretError> &r) { stored = r.isOk() ? r.value() : QString(); });
        QTRY_VERIFY_WITH_TIMEOUT(stored.has_value(), 20000);
        QCOMPARE(*stored, token);

        auto *remove = hf->findChildren<QPushButton *>().last();
        QVERIFY(remove->isEnabled());
        QTest::mouseClick(remove, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(known.count() >= 3, 20000);
        QCOMPARE(hf->statusText(), QStringLiteral("Not stored in the keychain."));
    }
};

VIBEML_TEST_MAIN_GUI(TestPreferencesDialog)
#include "tst_preferencesdialog.moc"
