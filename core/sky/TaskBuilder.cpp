#include "sky/TaskBuilder.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace vibeml::sky {
namespace {

// Fixed scripts: no value from the plan is ever pasted into them.
const char kSetup[] = "set -euo pipefail\n"
                      "if ! python3 -m venv \"$HOME/vibeml-venv\" 2>/dev/null; then\n"
                      "  sudo apt-get update -q && sudo apt-get install -y -q python3-venv\n"
                      "  python3 -m venv \"$HOME/vibeml-venv\"\n"
                      "fi\n"
                      "\"$HOME/vibeml-venv/bin/pip\" install --quiet --upgrade pip\n"
                      "\"$HOME/vibeml-venv/bin/pip\" install --quiet -r requirements.txt\n";

const char kRun[] = "set -euo pipefail\n"
                    "source \"$HOME/vibeml-venv/bin/activate\"\n"
                    "bash run.sh\n";

} // namespace

int diskSizeGb(const LaunchPlan &plan)
{
    const double parameters = static_cast<double>(plan.modelParameters);
    const double download
        = plan.modelDownloadBytes > 0 ? static_cast<double>(plan.modelDownloadBytes) : parameters * 2.0;
    // Two checkpoints are kept: a full fine-tune saves weights and optimizer state (about 14
    // bytes per parameter, sharded over the nodes); LoRA saves a small adapter.
    const double checkpoints
        = cost::isLora(plan.settings.method) ? 2.0 * 2e9 : 2.0 * parameters * 14.0 / std::max(1, plan.nodes);
    const double final = cost::isLora(plan.settings.method) ? 2e9 : parameters * 2.0;
    const double needed
        = 1.5 * (download + static_cast<double>(plan.datasetBytes) * 2.0 + checkpoints + final) / 1e9 + 40.0;
    const int rounded = static_cast<int>(std::ceil(std::max(128.0, needed) / 64.0)) * 64;
    return std::min(rounded, 65536);
}

TaskSpec buildTask(const LaunchPlan &plan)
{
    TaskSpec task;
    task.name = plan.jobId;
    task.workdir = QStringLiteral(".");
    task.numNodes = std::max(1, plan.nodes);

    TaskResources &resources = task.resources;
    resources.infra = QStringLiteral("nebius/") + plan.region;
    resources.accelerators = plan.accelerators();
    resources.instanceType = plan.instanceType;
    resources.useSpot = plan.spot;
    resources.diskSizeGb = diskSizeGb(plan);
    // InfiniBand pays off between nodes; Nebius offers it on 8-GPU H100/H200/B200 nodes only.
    if (plan.nodes > 1 && plan.infiniBand)
        resources.networkTier = QStringLiteral("best");
    if (plan.managed) {
        resources.jobRecovery = QStringLiteral("EAGER_NEXT_REGION");
        resources.maxRestartsOnErrors = 0;
    } else {
        resources.autostopIdleMinutes = std::max(5, plan.idleMinutes);
    }

    task.envs = {
        {QStringLiteral("VIBEML_JOB"), QStringLiteral("job.json")},
        {QStringLiteral("VIBEML_JOB_ID"), plan.jobId},
        {QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1")},
        {QStringLiteral("HF_HUB_ENABLE_HF_TRANSFER"), QStringLiteral("1")},
        {QStringLiteral("TOKENIZERS_PARALLELISM"), QStringLiteral("false")},
        {QStringLiteral("WANDB_MODE"), plan.useWandb ? QStringLiteral("online") : QStringLiteral("disabled")},
    };
    if (plan.useHfToken)
        task.secrets.append(QStringLiteral("HF_TOKEN"));
    if (plan.useWandb)
        task.secrets.append(QStringLiteral("WANDB_API_KEY"));
    task.setup = QLatin1String(kSetup);
    task.run = QLatin1String(kRun);
    return task;
}

QJsonObject buildJobSpec(const LaunchPlan &plan)
{
    const cost::TrainingSettings &s = plan.settings;
    const hub::ColumnMapping &m = plan.mapping;
    const qint64 maxRuntimeSeconds = s.maxRuntimeHours ? qRound64(*s.maxRuntimeHours * 3600.0) : 0;
    return QJsonObject {
        {QStringLiteral("schema"), 1},
        {QStringLiteral("jobId"), plan.jobId},
        {QStringLiteral("model"),
         QJsonObject {{QStringLiteral("id"), plan.modelId}, {QStringLiteral("revision"), plan.modelRevision}}},
        {QStringLiteral("dataset"),
         QJsonObject {{QStringLiteral("id"), plan.datasetId},
                      {QStringLiteral("revision"), plan.datasetRevision},
                      {QStringLiteral("config"), plan.datasetConfig},
                      {QStringLiteral("split"), plan.datasetSplit},
                      {QStringLiteral("format"), hub::formatName(m.format)},
                      {QStringLiteral("columns"), hub::columnsToJson(m)},
                      {QStringLiteral("maxRows"), static_cast<double>(plan.maxRows)}}},
        {QStringLiteral("method"), cost::methodName(s.method)},
        {QStringLiteral("training"),
         QJsonObject {{QStringLiteral("epochs"), s.epochs},
                      {QStringLiteral("maxSteps"), s.maxSteps},
                      {QStringLiteral("learningRate"), s.learningRate},
                      {QStringLiteral("microBatch"), s.microBatch},
                      {QStringLiteral("gradientAccumulation"), s.gradientAccumulation},
                      {QStringLiteral("sequenceLength"), s.sequenceLength},
                      {QStringLiteral("gradientCheckpointing"), s.gradientCheckpointing},
                      {QStringLiteral("packing"), false},
                      {QStringLiteral("warmupRatio"), 0.03},
                      {QStringLiteral("lrScheduler"), QStringLiteral("cosine")},
                      {QStringLiteral("weightDecay"), 0.0},
                      {QStringLiteral("seed"), 42},
                      {QStringLiteral("saveSteps"), 200},
                      {QStringLiteral("loggingSteps"), 10}}},
        {QStringLiteral("lora"),
         QJsonObject {{QStringLiteral("rank"), s.loraRank},
                      {QStringLiteral("alpha"), s.loraAlpha},
                      {QStringLiteral("dropout"), s.loraDropout},
                      {QStringLiteral("targets"), QJsonArray::fromStringList(s.loraTargets)}}},
        {QStringLiteral("parallelism"), cost::parallelismKey(plan.parallelism)},
        {QStringLiteral("maxRuntimeSeconds"), static_cast<double>(maxRuntimeSeconds)},
        {QStringLiteral("output"),
         QJsonObject {{QStringLiteral("hubRepo"), plan.outputRepo},
                      {QStringLiteral("private"), plan.outputPrivate},
                      {QStringLiteral("dir"), QStringLiteral("outputs")}}},
        {QStringLiteral("reportTo"), plan.useWandb ? QStringLiteral("wandb") : QStringLiteral("none")},
    };
}

} // namespace vibeml::sky
