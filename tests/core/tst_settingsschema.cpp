#include "config/SettingsSchema.h"

#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonValue>
#include <QSet>

using namespace vibeml;

class TestSettingsSchema : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyKeyHasOneConsistentDefinition()
    {
        QSet<QString> names;
        for (const SettingDefinition &def : settingsschema::definitions()) {
            QCOMPARE(&settingsschema::definition(def.key), &def);
            const QString name = QLatin1String(def.name);
            QVERIFY2(!names.contains(name), qPrintable(name));
            names.insert(name);
            QCOMPARE(settingsschema::keyFromName(name), std::optional<SettingKey>(def.key));
            QVERIFY2(settingsschema::validate(def.key, def.defaultValue).isOk(), qPrintable(name));
            QVERIFY(!settingsschema::summary(def.key).isEmpty());
            QVERIFY(!settingsschema::describeAllowedValues(def.key).isEmpty());
        }
        QVERIFY(!settingsschema::keyFromName(u"no.such-setting"));
    }

    void requiredDefaults()
    {
        QCOMPARE(settingsschema::definition(SettingKey::ApprovalThresholdUsd).defaultValue.toDouble(), 10.0);
        QCOMPARE(settingsschema::definition(SettingKey::BudgetWarnFraction).defaultValue.toDouble(), 0.8);
        QCOMPARE(settingsschema::definition(SettingKey::AutostopIdleMinutes).minimum, 5.0);
    }

    void parse_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("accepted");
        QTest::addColumn<QVariant>("value");

        QTest::newRow("region") << "launch.region" << "us-central1" << true << QVariant(QStringLiteral("us-central1"));
        QTest::newRow("region with spaces") << "launch.region" << "EU North" << false << QVariant();
        QTest::newRow("region injection") << "launch.region" << "eu-north1; rm -rf ~" << false << QVariant();
        QTest::newRow("gpu empty means cheapest") << "launch.gpu" << "" << true << QVariant(QString());
        QTest::newRow("gpu") << "launch.gpu" << "H100" << true << QVariant(QStringLiteral("H100"));
        QTest::newRow("gpu with count") << "launch.gpu" << "H100:8" << false << QVariant();
        QTest::newRow("spot choice") << "launch.spot" << "prefer-spot" << true << QVariant(QStringLiteral("prefer-spot"));
        QTest::newRow("spot unknown") << "launch.spot" << "sometimes" << false << QVariant();
        QTest::newRow("idle minimum") << "cluster.idle-minutes" << "5" << true << QVariant(5);
        QTest::newRow("idle below minimum") << "cluster.idle-minutes" << "4" << false << QVariant();
        QTest::newRow("idle fractional") << "cluster.idle-minutes" << "30.5" << false << QVariant();
        QTest::newRow("idle text") << "cluster.idle-minutes" << "half an hour" << false << QVariant();
        QTest::newRow("teardown") << "cluster.teardown" << "keep-stopped" << true << QVariant(QStringLiteral("keep-stopped"));
        QTest::newRow("budget dollars") << "budget.monthly-usd" << "$250" << true << QVariant(250.0);
        QTest::newRow("budget cents") << "budget.per-job-usd" << " 12.75 " << true << QVariant(12.75);
        QTest::newRow("budget zero") << "budget.per-job-usd" << "0" << false << QVariant();
        QTest::newRow("budget negative") << "budget.monthly-usd" << "-5" << false << QVariant();
        QTest::newRow("budget infinite") << "budget.monthly-usd" << "1e400" << false << QVariant();
        QTest::newRow("budget nan") << "budget.monthly-usd" << "nan" << false << QVariant();
        QTest::newRow("approval zero asks always") << "budget.approval-threshold-usd" << "0" << true << QVariant(0.0);
        QTest::newRow("warn fraction") << "budget.warn-fraction" << "0.9" << true << QVariant(0.9);
        QTest::newRow("warn fraction above one") << "budget.warn-fraction" << "1.5" << false << QVariant();
        QTest::newRow("endpoint mirror") << "hub.endpoint" << "https://hf-mirror.example.com/" << true
                                         << QVariant(QStringLiteral("https://hf-mirror.example.com"));
        QTest::newRow("endpoint loopback http") << "hub.endpoint" << "http://127.0.0.1:8080" << true
                                                << QVariant(QStringLiteral("http://127.0.0.1:8080"));
        QTest::newRow("endpoint ftp") << "hub.endpoint" << "ftp://example.com" << false << QVariant();
        QTest::newRow("endpoint with password") << "hub.endpoint" << "https://me:secret@example.com" << false << QVariant();
        QTest::newRow("endpoint not a url") << "hub.endpoint" << "huggingface" << false << QVariant();
        QTest::newRow("endpoint with query") << "hub.endpoint" << "https://example.com/?a=1" << false << QVariant();
        QTest::newRow("sky absolute") << "sky.executable" << "/opt/sky/bin/sky" << true << QVariant(QStringLiteral("/opt/sky/bin/sky"));
        QTest::newRow("sky bare name") << "sky.executable" << "sky" << true << QVariant(QStringLiteral("sky"));
        QTest::newRow("sky relative path") << "sky.executable" << "bin/sky" << false << QVariant();
        QTest::newRow("sky shell") << "sky.executable" << "sky; curl evil" << false << QVariant();
        QTest::newRow("sky newline") << "sky.executable" << "/usr/bin/sky\n--down" << false << QVariant();
        QTest::newRow("geometry by hand") << "ui.window-geometry" << "AAAA" << false << QVariant();
    }

    void parse()
    {
        QFETCH(QString, name);
        QFETCH(QString, text);
        QFETCH(bool, accepted);
        QFETCH(QVariant, value);
        const auto key = settingsschema::keyFromName(name);
        QVERIFY(key);
        const SettingValidation result = settingsschema::parse(*key, text);
        QCOMPARE(result.isOk(), accepted);
        if (accepted) {
            QCOMPARE(result.value, value);
        } else {
            QVERIFY(!result.error.isEmpty());
            QVERIFY2(result.error.contains(name) || result.error.contains(text.trimmed()) || name == QLatin1String("hub.endpoint"),
                     qPrintable(result.error));
        }
    }

    void jsonIsStrictlyTyped_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QJsonValue>("json");
        QTest::addColumn<bool>("accepted");
        QTest::addColumn<QVariant>("value");
        QTest::newRow("number") << "budget.monthly-usd" << QJsonValue(250) << true << QVariant(250.0);
        QTest::newRow("number as text") << "budget.monthly-usd" << QJsonValue(QStringLiteral("250")) << false << QVariant();
        QTest::newRow("integral double") << "cluster.idle-minutes" << QJsonValue(45.0) << true << QVariant(45);
        QTest::newRow("bool for integer") << "cluster.idle-minutes" << QJsonValue(true) << false << QVariant();
        QTest::newRow("null") << "launch.region" << QJsonValue() << false << QVariant();
        QTest::newRow("array") << "launch.spot" << QJsonValue(QJsonArray{1}) << false << QVariant();
        QTest::newRow("base64") << "ui.window-geometry" << QJsonValue(QStringLiteral("AQID")) << true
                                << QVariant(QByteArray("\x01\x02\x03"));
        QTest::newRow("bad base64") << "ui.window-geometry" << QJsonValue(QStringLiteral("***")) << false << QVariant();
    }

    void jsonIsStrictlyTyped()
    {
        QFETCH(QString, name);
        QFETCH(QJsonValue, json);
        QFETCH(bool, accepted);
        QFETCH(QVariant, value);
        const SettingKey key = *settingsschema::keyFromName(name);
        const SettingValidation result = settingsschema::fromJson(key, json);
        QCOMPARE(result.isOk(), accepted);
        if (accepted) {
            QCOMPARE(result.value, value);
            QCOMPARE(settingsschema::fromJson(key, settingsschema::toJson(key, result.value)).value, value);
        }
    }

    void validateRejectsWrongCppTypes()
    {
        QVERIFY(!settingsschema::validate(SettingKey::MonthlyBudgetUsd, QStringLiteral("500")).isOk());
        QVERIFY(!settingsschema::validate(SettingKey::DefaultRegion, 5).isOk());
        QVERIFY(settingsschema::validate(SettingKey::AutostopIdleMinutes, 60).isOk());
        QVERIFY(!settingsschema::validate(SettingKey::WindowState, QStringLiteral("x")).isOk());
    }

    void textRoundTrips()
    {
        QCOMPARE(settingsschema::toText(SettingKey::MonthlyBudgetUsd, 250.5), QStringLiteral("250.5"));
        QCOMPARE(settingsschema::toText(SettingKey::AutostopIdleMinutes, 45), QStringLiteral("45"));
        QCOMPARE(settingsschema::parse(SettingKey::BudgetWarnFraction,
                                       settingsschema::toText(SettingKey::BudgetWarnFraction, 0.75))
                     .value.toDouble(),
                 0.75);
    }
};

VIBEML_TEST_MAIN_CORE(TestSettingsSchema)
#include "tst_settingsschema.moc"
