// A whole run from the command line alone, against the loopback fake Hub and the fake `sky`: plan,
// dry run, approval refusal, launch, watch, logs, spending, tear down; and the config commands
// around it (set-budget, show-spending, verify-credentials), with --json parsed and the documented
// exit codes checked.
#include "FakeHub.h"
#include "FakeSky.h"
#include "TestSupport.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace vibeml;

namespace {
const QString kVibeml = QStringLiteral(VIBEML_EXECUTABLE);
const QString kModel = QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct");
const QString kDataset = QStringLiteral("HuggingFaceH4/ultrachat_200k");
} // namespace

class TestCliJourney : public QObject
{
    Q_OBJECT

private:
    test::FakeHub m_hub;
    std::unique_ptr<test::FakeSky> m_sky;
    QString m_root;
    int m_case = 0;

    QStringList environment() const
    {
        return QStringList{QStringLiteral("HF_ENDPOINT=") + m_hub.url().toString(),
                           QStringLiteral("HF_DATASETS_SERVER=") + m_hub.url().toString(),
                           QStringLiteral("XDG_CACHE_HOME=") + m_root + QStringLiteral("/cache"),
                           QStringLiteral("XDG_CONFIG_HOME=") + m_root + QStringLiteral("/config"),
                           QStringLiteral("XDG_DATA_HOME=") + m_root + QStringLiteral("/data"),
                           QStringLiteral("XDG_STATE_HOME=") + m_root + QStringLiteral("/state"),
                           QStringLiteral("HOME=") + m_root + QStringLiteral("/home"),
                           QStringLiteral("PATH=") + QFileInfo(test::FakeSky::program()).absolutePath() + QLatin1Char(':')
                               + qEnvironmentVariable("PATH"),
                           QStringLiteral("VIBEML_POLL_SECONDS=1"),
                           QStringLiteral("DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/vibeml-bus")}
               + m_sky->environment();
    }

    test::ProcessResult run(const QStringList &arguments, int timeoutMs = 90000)
    {
        return test::runProcess(kVibeml, arguments, {}, environment(), {QStringLiteral("HF_TOKEN")}, timeoutMs);
    }

    // Runs a --json command expecting `exitCode`, and returns its stdout as an object.
    QJsonObject json(const QStringList &arguments, int exitCode = 0)
    {
        const test::ProcessResult result = run(arguments);
        const QString what = arguments.join(QLatin1Char(' '));
        if (result.crashed || result.exitCode != exitCode) {
            QTest::qFail(qPrintable(QStringLiteral("vibeml %1: exit %2 (wanted %3)\n%4").arg(what).arg(result.exitCode).arg(exitCode)
                                        .arg(QString::fromUtf8(result.err))),
                         __FILE__, __LINE__);
            return {};
        }
        QJsonParseError error{};
        const QJsonDocument document = QJsonDocument::fromJson(result.out, &error);
        if (!document.isObject())
            QTest::qFail(qPrintable(QStringLiteral("vibeml %1 did not print a JSON object: %2").arg(what, error.errorString())), __FILE__, __LINE__);
        return document.object();
    }

    QStringList plan(const QStringList &extra = {}) const
    {
        return QStringList{QStringLiteral("--model"), kModel, QStringLiteral("--dataset"), kDataset, QStringLiteral("--max-steps"),
                           QStringLiteral("50")}
               + extra;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_hub.start()); }

    void init()
    {
        m_root = test::isolatedRoot() + QStringLiteral("/journey-%1").arg(++m_case);
        QDir().mkpath(m_root + QStringLiteral("/home"));
        m_sky = std::make_unique<test::FakeSky>();
    }

    void planLaunchWatchAndTearDown()
    {
        // Plan.
        const QJsonObject estimate = json(QStringList{QStringLiteral("estimate")} + plan() + QStringList{QStringLiteral("--json")});
        QVERIFY(!estimate.value(QStringLiteral("offers")).toArray().isEmpty());

        // Dry run: the bundle and the plan, nothing launched.
        const QJsonObject dry = json(QStringList{QStringLiteral("launch-training")} + plan()
                                     + QStringList{QStringLiteral("--dry-run"), QStringLiteral("--json")});
        QCOMPARE(dry.value(QStringLiteral("dryRun")).toBool(), true);
        QVERIFY(QFileInfo::exists(dry.value(QStringLiteral("taskFile")).toString()));
        QVERIFY(m_sky->invocations().isEmpty() || std::none_of(m_sky->invocations().begin(), m_sky->invocations().end(),
                                                                [](const QStringList &a) { return a.contains(QStringLiteral("launch")); }));

        // Above the approval threshold and no terminal to ask on: refused (exit 4), with the way out.
        const QJsonObject threshold = json({QStringLiteral("config"), QStringLiteral("set-budget"), QStringLiteral("approval"),
                                            QStringLiteral("0"), QStringLiteral("--json")});
        QCOMPARE(threshold.value(QStringLiteral("name")).toString(), QStringLiteral("budget.approval-threshold-usd"));
        QCOMPARE(threshold.value(QStringLiteral("value")).toDouble(), 0.0);
        const test::ProcessResult refused = run(QStringList{QStringLiteral("launch-training")} + plan());
        QCOMPARE(refused.exitCode, 4);
        QVERIFY2(refused.err.contains("--yes") && refused.err.contains("budget.approval-threshold-usd"), refused.err.constData());

        // Launch, approved, keeping the cluster so we tear it down ourselves.
        const QJsonObject launched = json(QStringList{QStringLiteral("launch-training")} + plan()
                                          + QStringList{QStringLiteral("--yes"), QStringLiteral("--keep"), QStringLiteral("keep-up"),
                                                        QStringLiteral("--json")});
        QCOMPARE(launched.value(QStringLiteral("launched")).toBool(), true);
        const QString id = launched.value(QStringLiteral("jobId")).toString();
        QVERIFY(id.startsWith(QStringLiteral("vibeml-")));
        QCOMPARE(launched.value(QStringLiteral("job")).toObject().value(QStringLiteral("source")).toString(), QStringLiteral("cli"));

        // Watch it to its end.
        const test::ProcessResult watched = run({QStringLiteral("monitor"), QStringLiteral("--until-idle")}, 120000);
        QVERIFY2(watched.exitCode == 0, watched.err.constData());
        const QJsonObject status = json({QStringLiteral("jobs"), QStringLiteral("status"), id, QStringLiteral("--json")});
        QCOMPARE(status.value(QStringLiteral("outcome")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(status.value(QStringLiteral("pricePerHour")).toDouble(), launched.value(QStringLiteral("pricePerHour")).toDouble());
        QVERIFY(!status.value(QStringLiteral("events")).toArray().isEmpty());

        const QJsonObject logs = json({QStringLiteral("jobs"), QStringLiteral("logs"), id, QStringLiteral("--tail"), QStringLiteral("3"),
                                       QStringLiteral("--json")});
        QCOMPARE(logs.value(QStringLiteral("lines")).toArray().size(), 3);
        QVERIFY(logs.value(QStringLiteral("totalLines")).toInt() >= 3);
        QCOMPARE(run({QStringLiteral("jobs"), QStringLiteral("logs"), id, QStringLiteral("--follow"), QStringLiteral("--json")}).exitCode, 2);

        // The spending the journal reports is what the job accrued.
        const QJsonObject spending = json({QStringLiteral("config"), QStringLiteral("show-spending"), QStringLiteral("--history"),
                                           QStringLiteral("--json")});
        QVERIFY(spending.value(QStringLiteral("totalUsd")).toDouble() > 0);
        QCOMPARE(spending.value(QStringLiteral("monthlyBudgetUsd")).toDouble(), 500.0);
        QVERIFY(spending.value(QStringLiteral("history")).isArray());
        const test::ProcessResult text = run({QStringLiteral("config"), QStringLiteral("show-spending")});
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains("This month"), text.out.constData());

        // Tear down, verified.
        const QJsonObject down = json({QStringLiteral("jobs"), QStringLiteral("down"), id, QStringLiteral("--json")});
        QCOMPARE(down.value(QStringLiteral("ok")).toBool(), true);
        QCOMPARE(down.value(QStringLiteral("job")).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("done"));
        const QJsonObject orphans = json({QStringLiteral("jobs"), QStringLiteral("orphans"), QStringLiteral("--json")});
        QVERIFY(orphans.value(QStringLiteral("orphans")).toArray().isEmpty());
        const QJsonObject archived = json({QStringLiteral("jobs"), QStringLiteral("archive"), id, QStringLiteral("--json")});
        QCOMPARE(archived.value(QStringLiteral("ok")).toBool(), true);
    }

    void configCommandsAndTheirExitCodes()
    {
        const QJsonObject monthly = json({QStringLiteral("config"), QStringLiteral("set-budget"), QStringLiteral("monthly"),
                                          QStringLiteral("$250"), QStringLiteral("--json")});
        QCOMPARE(monthly.value(QStringLiteral("name")).toString(), QStringLiteral("budget.monthly-usd"));
        QCOMPARE(monthly.value(QStringLiteral("value")).toDouble(), 250.0);
        const QJsonObject perJob = json({QStringLiteral("config"), QStringLiteral("set-budget"), QStringLiteral("per-job"),
                                         QStringLiteral("20"), QStringLiteral("--json")});
        QCOMPARE(perJob.value(QStringLiteral("value")).toDouble(), 20.0);
        QCOMPARE(run({QStringLiteral("config"), QStringLiteral("set-budget"), QStringLiteral("weekly"), QStringLiteral("5")}).exitCode, 2);
        QCOMPARE(run({QStringLiteral("config"), QStringLiteral("set-budget"), QStringLiteral("monthly"), QStringLiteral("lots")}).exitCode, 2);
        QCOMPARE(run({QStringLiteral("config"), QStringLiteral("set-budget"), QStringLiteral("monthly")}).exitCode, 2);
        const QJsonObject reset = json({QStringLiteral("config"), QStringLiteral("reset"), QStringLiteral("budget.monthly-usd"), QStringLiteral("--json")});
        QCOMPARE(reset.value(QStringLiteral("isDefault")).toBool(), true);
        const QJsonObject allow = json({QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("mcp.allow-above-approval"),
                                        QStringLiteral("yes"), QStringLiteral("--json")});
        QCOMPARE(allow.value(QStringLiteral("value")).toString(), QStringLiteral("yes"));
        QCOMPARE(run({QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("mcp.allow-above-approval"), QStringLiteral("maybe")}).exitCode, 2);

        // Nothing spent yet.
        const QJsonObject spending = json({QStringLiteral("config"), QStringLiteral("show-spending"), QStringLiteral("--json")});
        QCOMPARE(spending.value(QStringLiteral("totalUsd")).toDouble(), 0.0);
        QCOMPARE(spending.value(QStringLiteral("perJobBudgetUsd")).toDouble(), 20.0);
        QVERIFY(!spending.contains(QStringLiteral("history")));
        QCOMPARE(run({QStringLiteral("config"), QStringLiteral("show-spending"), QStringLiteral("--months"), QStringLiteral("0")}).exitCode, 2);

        // No keychain here: storing a token is "a service did not answer" (3).
        const test::ProcessResult token = test::runProcess(kVibeml, {QStringLiteral("config"), QStringLiteral("set-token"), QStringLiteral("wandb"), QStringLiteral("--json")},
                                                           "0123456789abcdef0123456789abcdef01234567\n", environment(), {QStringLiteral("HF_TOKEN")});
        QCOMPARE(token.exitCode, 3);
    }

    void verifyCredentialsSaysWhatIsMissing()
    {
        // No Nebius files in this HOME: a failed check (4), with the fix.
        const QJsonObject missing = json({QStringLiteral("config"), QStringLiteral("verify-credentials"), QStringLiteral("--json")}, 4);
        QCOMPARE(missing.value(QStringLiteral("passed")).toBool(), false);
        QHash<QString, QJsonObject> checks;
        for (const QJsonValue &value : missing.value(QStringLiteral("checks")).toArray())
            checks.insert(value.toObject().value(QStringLiteral("name")).toString(), value.toObject());
        QCOMPARE(checks.value(QStringLiteral("nebius-files")).value(QStringLiteral("verdict")).toString(), QStringLiteral("fail"));
        QVERIFY(checks.value(QStringLiteral("nebius-files")).value(QStringLiteral("detail")).toString().contains(QStringLiteral("NEBIUS_TENANT_ID.txt")));
        QCOMPARE(checks.value(QStringLiteral("hf-token")).value(QStringLiteral("verdict")).toString(), QStringLiteral("warn"));
        QVERIFY(checks.contains(QStringLiteral("wandb-key")));
        QCOMPARE(checks.value(QStringLiteral("skypilot")).value(QStringLiteral("verdict")).toString(), QStringLiteral("pass"));

        // With the files, and sky's Nebius check enabled: everything that is required passes (0).
        QVERIFY(test::writeFile(m_root + QStringLiteral("/home/.nebius/credentials.json"), "{}"));
        QVERIFY(test::writeFile(m_root + QStringLiteral("/home/.nebius/NEBIUS_TENANT_ID.txt"), "tenant-e00test"));
        const test::ProcessResult passed = run({QStringLiteral("config"), QStringLiteral("verify-credentials")});
        QVERIFY2(passed.exitCode == 0, qPrintable(QString::fromUtf8(passed.out + passed.err)));
        QVERIFY(passed.out.contains("Nebius credentials"));

        // sky reports Nebius disabled: failed again.
        m_sky->setFaults({QStringLiteral("credentials_disabled")});
        QCOMPARE(run({QStringLiteral("config"), QStringLiteral("verify-credentials")}).exitCode, 4);
    }
};

VIBEML_TEST_MAIN_CORE(TestCliJourney)
#include "tst_clijourney.moc"
