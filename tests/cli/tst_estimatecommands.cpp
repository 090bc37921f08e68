#include "jobs/JournalDatabase.h"
#include "jobs/SpendLedger.h"

#include "FakeHub.h"
#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace vibeml;
using test::FakeHub;

namespace {
const QString kVibeml = QStringLiteral(VIBEML_EXECUTABLE);
}

class TestEstimateCommands : public QObject
{
    Q_OBJECT

private:
    FakeHub m_fake;
    QString m_root;

    test::ProcessResult run(const QStringList &arguments, const QStringList &extra = {})
    {
        const QStringList environment{QStringLiteral("HF_ENDPOINT=") + m_fake.url().toString(),
                                      QStringLiteral("HF_DATASETS_SERVER=") + m_fake.url().toString(),
                                      QStringLiteral("XDG_CACHE_HOME=") + m_root + QStringLiteral("/cache"),
                                      QStringLiteral("XDG_CONFIG_HOME=") + m_root + QStringLiteral("/config"),
                                      QStringLiteral("XDG_DATA_HOME=") + m_root + QStringLiteral("/data"),
                                      QStringLiteral("XDG_STATE_HOME=") + m_root + QStringLiteral("/state"),
                                      QStringLiteral("HOME=") + m_root + QStringLiteral("/home"),
                                      QStringLiteral("DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/vibeml-bus")};
        return test::runProcess(kVibeml, arguments, {}, environment + extra, {QStringLiteral("HF_TOKEN")});
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_fake.start());
        m_root = test::isolatedRoot() + QStringLiteral("/estimate");
    }

    void tableForAPublicModel()
    {
        const test::ProcessResult result = run({QStringLiteral("estimate"), QStringLiteral("--model"), QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct"),
                                                QStringLiteral("--dataset"), QStringLiteral("HuggingFaceH4/ultrachat_200k")});
        QVERIFY2(result.exitCode == 0, QByteArray(result.out + result.err).constData());
        const QString out = QString::fromUtf8(result.out);
        QVERIFY(out.startsWith(QStringLiteral("Plan: LoRA (16-bit base) of Qwen/Qwen2.5-0.5B-Instruct (494 M parameters)")));
        QVERIFY(out.contains(QStringLiteral("Catalog: Nebius: bundled snapshot of")));
        QVERIFY(out.contains(QStringLiteral("— compare only")));
        QVERIFY(out.contains(QStringLiteral("L40S × 1")));
        QVERIFY(out.contains(QStringLiteral("Cheapest: ")));
        QVERIFY(out.contains(QStringLiteral("Tokens per row: about ")));
    }

    void jsonWithFiltersAndRuntimeCap()
    {
        const test::ProcessResult result = run({QStringLiteral("estimate"), QStringLiteral("--model"), QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct"),
                                                QStringLiteral("--dataset"), QStringLiteral("openai/gsm8k"), QStringLiteral("--gpu"),
                                                QStringLiteral("H100:1"), QStringLiteral("--no-spot"), QStringLiteral("--max-runtime"),
                                                QStringLiteral("3h"), QStringLiteral("--json")});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QJsonObject root = QJsonDocument::fromJson(result.out).object();
        QJsonArray offers;
        for (const QJsonValue &candidate : root.value(QStringLiteral("offers")).toArray()) {
            if (candidate.toObject().value(QStringLiteral("launchable")).toBool())
                offers.append(candidate);
            else
                QCOMPARE(candidate.toObject().value(QStringLiteral("cloud")).toString(), QStringLiteral("lambda"));
        }
        QCOMPARE(offers.size(), 1);
        const QJsonObject offer = offers.first().toObject();
        QCOMPARE(offer.value(QStringLiteral("gpu")).toString(), QStringLiteral("H100"));
        QCOMPARE(offer.value(QStringLiteral("spot")).toBool(), false);
        QCOMPARE(offer.value(QStringLiteral("worstCaseUsd")).toDouble(), 3 * 2.95);
        QCOMPARE(offer.value(QStringLiteral("budget")).toString(), QStringLiteral("ok"));
        QCOMPARE(root.value(QStringLiteral("method")).toString(), QStringLiteral("lora"));
    }

    void monthlySpendRefusesTheRun()
    {
        {
            jobs::JournalDatabase journal(m_root + QStringLiteral("/data/vibeml/journal.sqlite"));
            QVERIFY(journal.open().isOk());
            QVERIFY(jobs::SpendLedger(journal).record(QStringLiteral("earlier-run"), 499.50, QDateTime::currentDateTimeUtc()).isOk());
        }
        const test::ProcessResult result = run({QStringLiteral("estimate"), QStringLiteral("--model"), QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct"),
                                                QStringLiteral("--dataset"), QStringLiteral("openai/gsm8k"), QStringLiteral("--gpu"),
                                                QStringLiteral("H100:8"), QStringLiteral("--no-spot"), QStringLiteral("--nodes"), QStringLiteral("1")});
        QCOMPARE(result.exitCode, 0);
        const QString out = QString::fromUtf8(result.out);
        QVERIFY(out.contains(QStringLiteral("Spent this month: $499.50")));
        QVERIFY2(out.contains(QStringLiteral("refused")), qPrintable(out));
        QVERIFY(out.contains(QStringLiteral("exceeds the monthly budget of $500.00")));
        QFile::remove(m_root + QStringLiteral("/data/vibeml/journal.sqlite"));
    }

    void nothingFits()
    {
        const test::ProcessResult result = run({QStringLiteral("estimate"), QStringLiteral("--model"), QStringLiteral("meta-llama/Llama-3.1-70B-Instruct"),
                                                QStringLiteral("--dataset"), QStringLiteral("openai/gsm8k"), QStringLiteral("--method"),
                                                QStringLiteral("full"), QStringLiteral("--gpu"), QStringLiteral("L40S")});
        QCOMPARE(result.exitCode, 4);
        QVERIFY(result.out.contains("No launchable offer fits this plan"));
    }

    void offlineFromTheSnapshot()
    {
        const test::ProcessResult result = run({QStringLiteral("estimate"), QStringLiteral("--model"), QStringLiteral("mistralai/Mistral-7B-Instruct-v0.3"),
                                                QStringLiteral("--dataset"), QStringLiteral("databricks/databricks-dolly-15k"),
                                                QStringLiteral("--method"), QStringLiteral("qlora4")},
                                               {QStringLiteral("HF_HUB_OFFLINE=1")});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.contains("QLoRA 4-bit of mistralai/Mistral-7B-Instruct-v0.3 (7.25 B parameters)"));
        QVERIFY(result.out.contains("Tokens per row: unknown"));
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        const QStringList base{QStringLiteral("estimate"), QStringLiteral("--model"), QStringLiteral("a/b"), QStringLiteral("--dataset"), QStringLiteral("c/d")};
        QTest::newRow("no dataset") << QStringList{QStringLiteral("estimate"), QStringLiteral("--model"), QStringLiteral("a/b")};
        QTest::newRow("bad method") << base + QStringList{QStringLiteral("--method"), QStringLiteral("dpo")};
        QTest::newRow("epochs and steps") << base + QStringList{QStringLiteral("--epochs"), QStringLiteral("2"), QStringLiteral("--max-steps"), QStringLiteral("5")};
        QTest::newRow("zero steps") << base + QStringList{QStringLiteral("--max-steps"), QStringLiteral("0")};
        QTest::newRow("bad gpu count") << base + QStringList{QStringLiteral("--gpu"), QStringLiteral("H100:lots")};
        QTest::newRow("bad runtime") << base + QStringList{QStringLiteral("--max-runtime"), QStringLiteral("forever")};
        QTest::newRow("spot both ways") << base + QStringList{QStringLiteral("--spot"), QStringLiteral("--no-spot")};
        QTest::newRow("stray argument") << base + QStringList{QStringLiteral("extra")};
    }

    void usageErrors()
    {
        QFETCH(QStringList, arguments);
        QCOMPARE(run(arguments).exitCode, 2);
    }

    void gpusListsTheCatalogs()
    {
        test::ProcessResult result = run({QStringLiteral("gpus"), QStringLiteral("--cloud"), QStringLiteral("nebius")});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.contains("Catalog: Nebius: bundled snapshot of"));
        QVERIFY(result.out.contains("gpu-h100-sxm_8gpu-128vcpu-1600gb"));
        QVERIFY(result.out.contains("$23.60"));
        QVERIFY(!result.out.contains("compare only\n"));
        result = run({QStringLiteral("gpus"), QStringLiteral("--gpu"), QStringLiteral("a10"), QStringLiteral("--json")});
        const QJsonArray offers = QJsonDocument::fromJson(result.out).object().value(QStringLiteral("offers")).toArray();
        QVERIFY(!offers.isEmpty());
        for (const QJsonValue &offer : offers) {
            QCOMPARE(offer.toObject().value(QStringLiteral("gpu")).toString(), QStringLiteral("A10"));
            QCOMPARE(offer.toObject().value(QStringLiteral("launchable")).toBool(), false);
        }
    }

    void usersFresherCatalogWins()
    {
        const QString sky = m_root + QStringLiteral("/home/.sky/catalogs/v8/nebius/vms.csv");
        QVERIFY(test::writeFile(sky, "InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,Price,Region,GpuInfo,SpotPrice\r\n"
                                     "gpu-h100-sxm_1gpu-16vcpu-200gb,H100,1,16,200,2.10,eu-north1,,0.99\r\n"));
        const test::ProcessResult result = run({QStringLiteral("gpus"), QStringLiteral("--cloud"), QStringLiteral("nebius")});
        QVERIFY(result.out.contains(".sky/catalogs/v8/nebius/vms.csv"));
        QVERIFY(result.out.contains("$2.10"));
        QVERIFY(!result.out.contains("$2.95"));
        QFile::remove(sky);
    }
};

VIBEML_TEST_MAIN_CORE(TestEstimateCommands)
#include "tst_estimatecommands.moc"
