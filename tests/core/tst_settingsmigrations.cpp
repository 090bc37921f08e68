#include "config/SettingsMigrations.h"
#include "config/SettingsSchema.h"

#include "TestSupport.h"

#include <QJsonObject>

using namespace vibeml;

class TestSettingsMigrations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void versionOf_data()
    {
        QTest::addColumn<QJsonObject>("root");
        QTest::addColumn<int>("version");
        QTest::newRow("unversioned") << QJsonObject{{QStringLiteral("default_gpu"), QStringLiteral("H100")}} << 0;
        QTest::newRow("one") << QJsonObject{{QStringLiteral("version"), 1}} << 1;
        QTest::newRow("future") << QJsonObject{{QStringLiteral("version"), 7}} << 7;
        QTest::newRow("text") << QJsonObject{{QStringLiteral("version"), QStringLiteral("1")}} << -1;
        QTest::newRow("fraction") << QJsonObject{{QStringLiteral("version"), 1.5}} << -1;
        QTest::newRow("negative") << QJsonObject{{QStringLiteral("version"), -2}} << -1;
        QTest::newRow("null") << QJsonObject{{QStringLiteral("version"), QJsonValue()}} << -1;
    }

    void versionOf()
    {
        QFETCH(QJsonObject, root);
        QFETCH(int, version);
        QCOMPARE(settingsmigrations::versionOf(root), version);
    }

    void upgradesTheFlatLayout()
    {
        const QJsonObject flat{{QStringLiteral("default_region"), QStringLiteral("eu-west1")},
                               {QStringLiteral("default_gpu"), QStringLiteral("H200")},
                               {QStringLiteral("use_spot"), true},
                               {QStringLiteral("idle_timeout_minutes"), 45},
                               {QStringLiteral("monthly_budget"), 900},
                               {QStringLiteral("something_else"), QStringLiteral("kept")}};
        const QJsonObject upgraded = settingsmigrations::upgrade(flat, 0);
        QCOMPARE(upgraded.value(QStringLiteral("version")).toInt(), settingsschema::kCurrentVersion);
        const QJsonObject settings = upgraded.value(QStringLiteral("settings")).toObject();
        QCOMPARE(settings.value(QStringLiteral("launch.region")).toString(), QStringLiteral("eu-west1"));
        QCOMPARE(settings.value(QStringLiteral("launch.gpu")).toString(), QStringLiteral("H200"));
        QCOMPARE(settings.value(QStringLiteral("launch.spot")).toString(), QStringLiteral("prefer-spot"));
        QCOMPARE(settings.value(QStringLiteral("cluster.idle-minutes")).toInt(), 45);
        QCOMPARE(settings.value(QStringLiteral("budget.monthly-usd")).toInt(), 900);
        QCOMPARE(settings.value(QStringLiteral("something_else")).toString(), QStringLiteral("kept"));
        QVERIFY(!settings.contains(QStringLiteral("default_gpu")));
    }

    void renamesTheTeardownPolicies_data()
    {
        QTest::addColumn<QString>("before");
        QTest::addColumn<QString>("after");
        QTest::newRow("down") << QStringLiteral("down-when-finished") << QStringLiteral("down");
        QTest::newRow("idle") << QStringLiteral("down-when-idle") << QStringLiteral("keep-minutes");
        QTest::newRow("stop") << QStringLiteral("stop-when-idle") << QStringLiteral("keep-stopped");
        QTest::newRow("unknown is kept for the loader to report") << QStringLiteral("explode") << QStringLiteral("explode");
    }

    void renamesTheTeardownPolicies()
    {
        QFETCH(QString, before);
        QFETCH(QString, after);
        const QJsonObject v1{{QStringLiteral("version"), 1},
                             {QStringLiteral("settings"), QJsonObject{{QStringLiteral("cluster.teardown"), before},
                                                                      {QStringLiteral("launch.gpu"), QStringLiteral("H100")}}}};
        const QJsonObject upgraded = settingsmigrations::upgrade(v1, 1);
        QCOMPARE(upgraded.value(QStringLiteral("version")).toInt(), 2);
        const QJsonObject settings = upgraded.value(QStringLiteral("settings")).toObject();
        QCOMPARE(settings.value(QStringLiteral("cluster.teardown")).toString(), after);
        QCOMPARE(settings.value(QStringLiteral("launch.gpu")).toString(), QStringLiteral("H100"));
    }

    void currentVersionIsLeftAlone()
    {
        const QJsonObject current{{QStringLiteral("version"), settingsschema::kCurrentVersion},
                                  {QStringLiteral("settings"), QJsonObject{{QStringLiteral("launch.gpu"), QStringLiteral("L40S")}}}};
        QCOMPARE(settingsmigrations::upgrade(current, settingsschema::kCurrentVersion), current);
    }
};

VIBEML_TEST_MAIN_CORE(TestSettingsMigrations)
#include "tst_settingsmigrations.moc"
