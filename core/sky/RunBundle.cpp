#include "sky/RunBundle.h"

#include "catalog/Catalog.h"
#include "config/PrivateFiles.h"
#include "sky/TaskBuilder.h"
#include "sky/TaskYaml.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTextStream>

namespace vibeml::sky {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("RunBundle", text);
}

// Files of the training side, compiled in (resources/training).
const char *const kTrainingFiles[] = {"train.py", "run.sh", "requirements.txt"};

Result<QByteArray, QString> resource(const QString &name)
{
    QFile file(QStringLiteral(":/vibeml/training/") + name);
    if (!file.open(QIODevice::ReadOnly))
        return tr("The training file %1 is missing from this build of VibeML.").arg(name);
    return file.readAll();
}

} // namespace

QString bundleReadme(const LaunchPlan &plan, const TaskSpec &task)
{
    QString text;
    QTextStream out(&text);
    out << "# VibeML run " << plan.jobId << "\n\n"
        << "Fine-tunes `" << plan.modelId << "` (commit " << plan.modelRevision.left(12) << ") on `" << plan.datasetId
        << "`";
    if (!plan.datasetConfig.isEmpty())
        out << " (" << plan.datasetConfig << " / " << plan.datasetSplit << ")";
    out << " with " << cost::methodTitle(plan.settings.method) << " on " << plan.nodes << " × " << plan.accelerators()
        << " in nebius/" << plan.region << (plan.spot ? " (spot)" : "") << ".\n\n"
        << "Estimated " << cost::formatHours(plan.hours.low) << "–" << cost::formatHours(plan.hours.high) << " at "
        << cost::formatDollars(plan.pricePerHour) << "/h: " << cost::formatDollars(plan.costUsd.low) << "–"
        << cost::formatDollars(plan.costUsd.high) << " (expected " << cost::formatDollars(plan.costUsd.expected)
        << ").\n\n"
        << "Files: `task.yaml` (the SkyPilot task), `job.json` (every setting the training script reads), "
           "`plan.json` (the plan and the price snapshot it was estimated with), `train.py`, `run.sh`, "
           "`requirements.txt`.\n\n"
        << "## Running it by hand\n\n"
        << "From this folder, with the secrets in your environment (never on the command line):\n\n```sh\n";
    QString secrets;
    for (const QString &secret : task.secrets)
        secrets += QStringLiteral(" --secret ") + secret;
    if (plan.managed) {
        out << "sky jobs launch -y -d -n " << plan.jobId << secrets << " task.yaml\n"
            << "sky jobs queue\n"
            << "sky jobs logs --no-follow <ID>     # the ID printed by the launch\n"
            << "sky jobs cancel -y <ID>\n";
    } else {
        out << "sky launch -y -d -c " << plan.jobId << " -i " << std::max(5, plan.idleMinutes) << secrets
            << " task.yaml\n"
            << "sky queue " << plan.jobId << "\n"
            << "sky logs " << plan.jobId << " 1          # follow the training log\n"
            << "sky logs --status " << plan.jobId << " 1 # 0 succeeded, 100 failed, 101 running, 103 cancelled\n"
            << "rsync -Pavz " << plan.jobId << ":~/sky_workdir/outputs/ outputs/   # fetch the results\n"
            << "sky down -y " << plan.jobId << "        # Nebius cannot autodown: always tear down yourself\n";
    }
    out << "```\n\n"
        << "Nebius clusters are not removed automatically when idle (autodown is not supported there); a stopped "
           "cluster still bills its disks. `sky status` lists what is still up.\n";
    return text;
}

Result<RunBundle, QString> RunBundle::write(const QString &bundlesRoot, const LaunchPlan &plan,
                                            const catalog::Catalog &catalog)
{
    if (const auto problem = clusterNameProblem(plan.jobId))
        return *problem;
    const TaskSpec task = buildTask(plan);
    const QList<RuleViolation> violations = checkTask(task, catalog);
    if (!violations.isEmpty()) {
        QStringList messages;
        for (const RuleViolation &violation : violations)
            messages.append(violation.message);
        return messages.join(QLatin1Char(' '));
    }

    if (const Status root = privatefiles::ensureDirectory(bundlesRoot); !root)
        return root.message();
    RunBundle bundle;
    bundle.directory = QDir::cleanPath(bundlesRoot + QLatin1Char('/') + plan.jobId);
    if (QFileInfo::exists(bundle.directory))
        return tr("A run bundle named %1 already exists.").arg(plan.jobId);
    if (const Status created = privatefiles::ensureDirectory(bundle.directory); !created)
        return created.message();
    bundle.taskFile = bundle.directory + QStringLiteral("/task.yaml");
    bundle.jobFile = bundle.directory + QStringLiteral("/job.json");
    bundle.planFile = bundle.directory + QStringLiteral("/plan.json");

    const std::pair<QString, QByteArray> files[] = {
        {bundle.taskFile, toYaml(task)},
        {bundle.jobFile, QJsonDocument(buildJobSpec(plan)).toJson(QJsonDocument::Indented)},
        {bundle.planFile, QJsonDocument(toJson(plan)).toJson(QJsonDocument::Indented)},
        {bundle.directory + QStringLiteral("/README.md"), bundleReadme(plan, task).toUtf8()},
    };
    for (const auto &[path, content] : files) {
        if (const Status written = privatefiles::write(path, content); !written)
            return written.message();
    }
    for (const char *name : kTrainingFiles) {
        const Result<QByteArray, QString> content = resource(QLatin1String(name));
        if (!content)
            return content.error();
        if (const Status written
            = privatefiles::write(bundle.directory + QLatin1Char('/') + QLatin1String(name), content.value());
            !written)
            return written.message();
    }
    return bundle;
}

Result<LaunchPlan, QString> RunBundle::readPlan(const QString &directory)
{
    QFile file(directory + QStringLiteral("/plan.json"));
    if (!file.open(QIODevice::ReadOnly))
        return tr("No plan.json in %1.").arg(QDir::toNativeSeparators(directory));
    QJsonParseError error {};
    const QJsonDocument document = QJsonDocument::fromJson(file.read(4 * 1024 * 1024), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return tr("%1/plan.json is damaged: %2").arg(QDir::toNativeSeparators(directory), error.errorString());
    return launchPlanFromJson(document.object());
}

} // namespace vibeml::sky
