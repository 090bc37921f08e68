#include "config/Settings.h"

#include "TestSupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>

using namespace vibeml;

Q_DECLARE_METATYPE(vibeml::SettingKey)

namespace {

int g_counter = 0;
constexpr QFileDevice::Permissions kOthersAndGroup = QFileDevice::ReadGroup | QFileDevice::WriteGroup
                                                     | QFileDevice::ExeGroup | QFileDevice::ReadOther
                                                     | QFileDevice::WriteOther | QFileDevice::ExeOther;

QString freshSettingsPath()
{
    return test::isolatedRoot() + QStringLiteral("/settings-%1/vibeml/settings.json").arg(++g_counter);
}

QJsonObject readJson(const QString &path)
{
    return QJsonDocument::fromJson(test::readFile(path)).object();
}

QJsonObject storedSettings(const QString &path)
{
    return readJson(path).value(QStringLiteral("settings")).toObject();
}

} // namespace

class TestSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultsWithoutAFile()
    {
        const QString path = freshSettingsPath();
        Settings settings(path);
        const SettingsLoadReport report = settings.load();
        QVERIFY(!report.hasProblems());
        QCOMPARE(settings.text(SettingKey::DefaultRegion), QStringLiteral("eu-north1"));
        QCOMPARE(settings.decimal(SettingKey::ApprovalThresholdUsd), 10.0);
        QCOMPARE(settings.decimal(SettingKey::BudgetWarnFraction), 0.8);
        QCOMPARE(settings.integer(SettingKey::AutostopIdleMinutes), 30);
        QVERIFY(settings.isDefault(SettingKey::MonthlyBudgetUsd));
        QVERIFY2(!QFileInfo::exists(path), "loading must not create the file");
    }

    void setSavesPrivatelyAndSignals()
    {
        const QString path = freshSettingsPath();
        Settings settings(path);
        settings.load();
        QSignalSpy spy(&settings, &Settings::changed);
        QVERIFY(settings.set(SettingKey::MonthlyBudgetUsd, 750.0).isOk());
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).value<SettingKey>(), SettingKey::MonthlyBudgetUsd);
        QCOMPARE(settings.decimal(SettingKey::MonthlyBudgetUsd), 750.0);
        QVERIFY(!settings.isDefault(SettingKey::MonthlyBudgetUsd));

        QCOMPARE(QFileInfo(path).permissions() & kOthersAndGroup, QFileDevice::Permissions());
        QCOMPARE(QFileInfo(path).permissions() & QFileDevice::ExeOwner, QFileDevice::Permissions());
        QCOMPARE(QFileInfo(QFileInfo(path).absolutePath()).permissions() & kOthersAndGroup, QFileDevice::Permissions());
        QCOMPARE(readJson(path).value(QStringLiteral("version")).toInt(), settingsschema::kCurrentVersion);
        QCOMPARE(storedSettings(path).value(QStringLiteral("budget.monthly-usd")).toDouble(), 750.0);

        Settings reloaded(path);
        QVERIFY(!reloaded.load().hasProblems());
        QCOMPARE(reloaded.decimal(SettingKey::MonthlyBudgetUsd), 750.0);
    }

    void sameValueSignalsNothing()
    {
        Settings settings(freshSettingsPath());
        settings.load();
        QVERIFY(settings.set(SettingKey::DefaultGpu, QStringLiteral("H100")).isOk());
        QSignalSpy spy(&settings, &Settings::changed);
        QVERIFY(settings.set(SettingKey::DefaultGpu, QStringLiteral("H100")).isOk());
        QCOMPARE(spy.count(), 0);
    }

    void refusedValueChangesNothing()
    {
        const QString path = freshSettingsPath();
        Settings settings(path);
        settings.load();
        QSignalSpy spy(&settings, &Settings::changed);
        const Status status = settings.setFromText(SettingKey::AutostopIdleMinutes, QStringLiteral("3"));
        QVERIFY(!status.isOk());
        QVERIFY2(status.message().contains(QStringLiteral("cluster.idle-minutes")), qPrintable(status.message()));
        QVERIFY2(status.message().contains(QStringLiteral("5")), qPrintable(status.message()));
        QCOMPARE(settings.integer(SettingKey::AutostopIdleMinutes), 30);
        QCOMPARE(spy.count(), 0);
        QVERIFY(!QFileInfo::exists(path));
    }

    void resetRemovesTheStoredValue()
    {
        const QString path = freshSettingsPath();
        Settings settings(path);
        settings.load();
        QVERIFY(settings.setFromText(SettingKey::SpotPreference, QStringLiteral("spot-only")).isOk());
        QSignalSpy spy(&settings, &Settings::changed);
        QVERIFY(settings.reset(SettingKey::SpotPreference).isOk());
        QCOMPARE(spy.count(), 1);
        QCOMPARE(settings.text(SettingKey::SpotPreference), QStringLiteral("on-demand"));
        QVERIFY(!storedSettings(path).contains(QStringLiteral("launch.spot")));
    }

    void damagedFileIsKeptAndReset_data()
    {
        QTest::addColumn<QByteArray>("contents");
        QTest::newRow("garbage") << QByteArray("\x7f" "ELF\x02\x01 not json at all");
        QTest::newRow("truncated") << QByteArray("{\"version\": 1, \"settings\": {\"budget.monthly-usd\": 9");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("array") << QByteArray("[1, 2, 3]");
        QTest::newRow("settings not an object") << QByteArray("{\"version\": 2, \"settings\": \"x\"}");
        QTest::newRow("too large") << QByteArray("{\"pad\": \"") + QByteArray(1100 * 1024, 'a') + QByteArray("\"}");
    }

    void damagedFileIsKeptAndReset()
    {
        QFETCH(QByteArray, contents);
        const QString path = freshSettingsPath();
        QVERIFY(test::writeFile(path, contents));
        Settings settings(path);
        const SettingsLoadReport report = settings.load();
        QVERIFY(report.hasProblems());
        QVERIFY(report.resetKeys.contains(SettingKey::MonthlyBudgetUsd));
        QVERIFY(!report.resetKeys.contains(SettingKey::WindowGeometry));
        QCOMPARE(report.backupPath, path + QStringLiteral(".bak"));
        QCOMPARE(test::readFile(report.backupPath), contents);
        const QString summary = report.summary();
        QVERIFY2(summary.contains(QStringLiteral("damaged")), qPrintable(summary));
        QVERIFY2(summary.contains(QStringLiteral("budget.monthly-usd")), qPrintable(summary));
        QVERIFY2(summary.contains(report.backupPath), qPrintable(summary));
        QCOMPARE(settings.decimal(SettingKey::MonthlyBudgetUsd), 500.0);

        // The rewritten file is sound: the next start says nothing.
        QJsonParseError error{};
        QJsonDocument::fromJson(test::readFile(path), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        Settings again(path);
        QVERIFY(!again.load().hasProblems());
    }

    void wronglyTypedKeysResetOthersKept()
    {
        const QString path = freshSettingsPath();
        QVERIFY(test::writeFile(path, R"({"version": 1, "settings": {
            "budget.monthly-usd": "lots", "cluster.idle-minutes": 2, "launch.spot": true,
            "launch.region": "us-central1", "budget.per-job-usd": 75}})"));
        Settings settings(path);
        const SettingsLoadReport report = settings.load();
        QCOMPARE(report.resetKeys.size(), 3);
        QVERIFY(report.resetKeys.contains(SettingKey::MonthlyBudgetUsd));
        QVERIFY(report.resetKeys.contains(SettingKey::AutostopIdleMinutes));
        QVERIFY(report.resetKeys.contains(SettingKey::SpotPreference));
        QCOMPARE(report.problems.size(), 3);
        QVERIFY2(report.summary().contains(QStringLiteral("cluster.idle-minutes")), qPrintable(report.summary()));
        QCOMPARE(settings.text(SettingKey::DefaultRegion), QStringLiteral("us-central1"));
        QCOMPARE(settings.decimal(SettingKey::PerJobBudgetUsd), 75.0);
        QCOMPARE(settings.integer(SettingKey::AutostopIdleMinutes), 30);
        QVERIFY(QFileInfo::exists(report.backupPath));

        const QJsonObject stored = storedSettings(path);
        QVERIFY(!stored.contains(QStringLiteral("budget.monthly-usd")));
        QCOMPARE(stored.value(QStringLiteral("launch.region")).toString(), QStringLiteral("us-central1"));
    }

    void unknownNamesAreKept()
    {
        const QString path = freshSettingsPath();
        QVERIFY(test::writeFile(path, R"({"version": 1, "note": "hand-written",
            "settings": {"future.feature": {"enabled": true}, "launch.gpu": "H200"}})"));
        Settings settings(path);
        QVERIFY(!settings.load().hasProblems());
        QVERIFY(settings.set(SettingKey::DefaultRegion, QStringLiteral("eu-west1")).isOk());
        const QJsonObject root = readJson(path);
        QCOMPARE(root.value(QStringLiteral("note")).toString(), QStringLiteral("hand-written"));
        const QJsonObject stored = root.value(QStringLiteral("settings")).toObject();
        QVERIFY(stored.value(QStringLiteral("future.feature")).toObject().value(QStringLiteral("enabled")).toBool());
        QCOMPARE(stored.value(QStringLiteral("launch.gpu")).toString(), QStringLiteral("H200"));
    }

    void newerVersionIsNotDowngraded()
    {
        const QString path = freshSettingsPath();
        QVERIFY(test::writeFile(path, R"({"version": 9, "settings": {"launch.gpu": "B200"}})"));
        Settings settings(path);
        QVERIFY(!settings.load().hasProblems());
        QCOMPARE(settings.text(SettingKey::DefaultGpu), QStringLiteral("B200"));
        QVERIFY(settings.set(SettingKey::MonthlyBudgetUsd, 100.0).isOk());
        QCOMPARE(readJson(path).value(QStringLiteral("version")).toInt(), 9);
    }

    void migratesTheUnversionedLayout()
    {
        const QString path = freshSettingsPath();
        const QByteArray legacy = R"({"default_gpu": "H200", "use_spot": true, "idle_minutes": 45})";
        QVERIFY(test::writeFile(path, legacy));
        Settings settings(path);
        const SettingsLoadReport report = settings.load();
        QVERIFY(!report.hasProblems());
        QCOMPARE(report.migratedFromVersion, 0);
        QCOMPARE(report.backupPath, path + QStringLiteral(".v0.bak"));
        QCOMPARE(test::readFile(report.backupPath), legacy);
        QCOMPARE(settings.text(SettingKey::DefaultGpu), QStringLiteral("H200"));
        QCOMPARE(settings.text(SettingKey::SpotPreference), QStringLiteral("prefer-spot"));
        QCOMPARE(settings.integer(SettingKey::AutostopIdleMinutes), 45);
        QCOMPARE(readJson(path).value(QStringLiteral("version")).toInt(), settingsschema::kCurrentVersion);
    }

    void concurrentWritersKeepEachOthersChanges()
    {
        const QString path = freshSettingsPath();
        Settings first(path);
        Settings second(path);
        first.load();
        second.load();
        QSignalSpy secondSpy(&second, &Settings::changed);
        QVERIFY(first.set(SettingKey::DefaultRegion, QStringLiteral("us-central1")).isOk());
        QVERIFY(second.set(SettingKey::DefaultGpu, QStringLiteral("L40S")).isOk());
        // `second` merged the change `first` made before writing its own.
        QCOMPARE(second.text(SettingKey::DefaultRegion), QStringLiteral("us-central1"));
        QCOMPARE(secondSpy.count(), 2);
        Settings third(path);
        third.load();
        QCOMPARE(third.text(SettingKey::DefaultRegion), QStringLiteral("us-central1"));
        QCOMPARE(third.text(SettingKey::DefaultGpu), QStringLiteral("L40S"));
    }

    void externalChangesArePickedUp()
    {
        const QString path = freshSettingsPath();
        Settings watched(path);
        watched.load();
        QVERIFY(watched.set(SettingKey::DefaultGpu, QStringLiteral("H100")).isOk());
        watched.watchForExternalChanges();
        QSignalSpy spy(&watched, &Settings::changed);
        Settings other(path);
        other.load();
        QVERIFY(other.set(SettingKey::MonthlyBudgetUsd, 900.0).isOk());
        QTRY_COMPARE_WITH_TIMEOUT(watched.decimal(SettingKey::MonthlyBudgetUsd), 900.0, 5000);
        QVERIFY(!spy.isEmpty());
        QCOMPARE(spy.last().at(0).value<SettingKey>(), SettingKey::MonthlyBudgetUsd);
    }

    void unreadableFileIsLeftAlone()
    {
        // A folder where the file should be: it cannot be read nor replaced.
        const QString path = freshSettingsPath();
        QVERIFY(QDir().mkpath(path));
        Settings settings(path);
        const SettingsLoadReport report = settings.load();
        QVERIFY(report.hasProblems());
        QVERIFY(report.backupPath.isEmpty());
        QVERIFY(QFileInfo(path).isDir());
        QCOMPARE(settings.integer(SettingKey::AutostopIdleMinutes), 30);

        // The value holds for this session, and the user learns it was not saved.
        const Status status = settings.set(SettingKey::AutostopIdleMinutes, 60);
        QVERIFY(!status.isOk());
        QVERIFY2(status.message().contains(QStringLiteral("settings.json")), qPrintable(status.message()));
        QCOMPARE(settings.integer(SettingKey::AutostopIdleMinutes), 60);
    }
};

VIBEML_TEST_MAIN_CORE(TestSettings)
#include "tst_settings.moc"
