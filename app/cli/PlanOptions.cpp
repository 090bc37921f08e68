#include "cli/PlanOptions.h"

#include "hub/DatasetFormat.h"

#include <QCoreApplication>

namespace vibeml {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("PlanOptions", text);
}

bool positiveInteger(const QCommandLineParser &parser, const char *name, int maximum, int *target, QString *problem)
{
    const QString key = QLatin1String(name);
    if (!parser.isSet(key))
        return true;
    bool ok = false;
    const int value = parser.value(key).toInt(&ok);
    if (!ok || value < 1 || value > maximum) {
        *problem = tr("--%1 must be a whole number from 1 to %2.").arg(key).arg(maximum);
        return false;
    }
    *target = value;
    return true;
}

} // namespace

void addPlanOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("model"), tr("Hub model id."), tr("ID")});
    parser.addOption({QStringLiteral("revision"), tr("Model revision."), tr("REV")});
    parser.addOption({QStringLiteral("dataset"), tr("Hub dataset id."), tr("ID")});
    parser.addOption({QStringLiteral("config"), tr("Dataset config."), tr("NAME")});
    parser.addOption({QStringLiteral("split"), tr("Dataset split."), tr("NAME")});
    parser.addOption({QStringLiteral("method"), tr("lora, qlora4, qlora8, full or full-bf16."), tr("METHOD")});
    parser.addOption({QStringLiteral("epochs"), tr("Epochs."), tr("N")});
    parser.addOption({QStringLiteral("max-steps"), tr("Training steps."), tr("N")});
    parser.addOption({QStringLiteral("learning-rate"), tr("Learning rate."), tr("X")});
    parser.addOption({QStringLiteral("batch-size"), tr("Micro-batch per GPU."), tr("N")});
    parser.addOption({QStringLiteral("grad-accum"), tr("Gradient accumulation steps."), tr("N")});
    parser.addOption({QStringLiteral("max-seq-length"), tr("Sequence length."), tr("N")});
    parser.addOption({QStringLiteral("lora-r"), tr("LoRA rank."), tr("N")});
    parser.addOption({QStringLiteral("gpu"), tr("GPU, optionally with a count: H100 or H100:8."), tr("GPU")});
    parser.addOption({QStringLiteral("nodes"), tr("Nodes."), tr("N")});
    parser.addOption({QStringLiteral("region"), tr("Region."), tr("REGION")});
    parser.addOption({QStringLiteral("spot"), tr("Only spot offers.")});
    parser.addOption({QStringLiteral("no-spot"), tr("Only on-demand offers.")});
    parser.addOption({QStringLiteral("max-runtime"), tr("Stop the run after this long: 90m, 6h, 1d."), tr("DURATION")});
}

QString planOptionsHelp()
{
    return tr("  --model ID             the Hub model (required)\n"
              "  --revision REV         the model's branch, tag or commit (default: main)\n"
              "  --dataset ID           the Hub dataset (required); --config NAME and --split NAME choose part of it\n"
              "  --method M             lora (default), qlora4, qlora8, full or full-bf16\n"
              "  --epochs N | --max-steps N   how long to train (default: 1 epoch)\n"
              "  --learning-rate X      learning rate (default 2e-4 for LoRA, 1e-5 for full)\n"
              "  --batch-size N         micro-batch per GPU (default 1); --grad-accum N (default 8)\n"
              "  --max-seq-length N     tokens per example (default 2048)\n"
              "  --lora-r N             LoRA rank (default 16)\n"
              "  --gpu G[:N]            only this GPU, e.g. H100 or H100:8\n"
              "  --nodes N              only this many nodes (multi-node needs 8-GPU instances)\n"
              "  --region R             only this region\n"
              "  --spot | --no-spot     only spot, or only on-demand offers\n"
              "  --max-runtime D        hard time limit (90m, 6h, 1d); the budget uses it as the worst case\n");
}

std::optional<cost::PlanRequest> planRequestFrom(const QCommandLineParser &parser, QString *problem)
{
    cost::PlanRequest request;
    request.modelId = parser.value(QStringLiteral("model")).trimmed();
    request.modelRevision = parser.value(QStringLiteral("revision")).trimmed();
    request.dataset.id = parser.value(QStringLiteral("dataset")).trimmed();
    request.dataset.config = parser.value(QStringLiteral("config"));
    request.dataset.split = parser.value(QStringLiteral("split"));
    if (request.modelId.isEmpty() || request.dataset.id.isEmpty()) {
        *problem = tr("--model and --dataset are required.");
        return std::nullopt;
    }
    cost::TrainingSettings &settings = request.settings;
    if (parser.isSet(QStringLiteral("method"))) {
        const std::optional<cost::Method> method = cost::methodFromName(parser.value(QStringLiteral("method")));
        if (!method) {
            *problem = tr("--method must be lora, qlora4, qlora8, full or full-bf16.");
            return std::nullopt;
        }
        settings.method = *method;
    }
    settings.learningRate = cost::isLora(settings.method) ? 2e-4 : 1e-5;
    if (parser.isSet(QStringLiteral("epochs")) && parser.isSet(QStringLiteral("max-steps"))) {
        *problem = tr("give either --epochs or --max-steps, not both.");
        return std::nullopt;
    }
    if (parser.isSet(QStringLiteral("epochs"))) {
        bool ok = false;
        settings.epochs = parser.value(QStringLiteral("epochs")).toDouble(&ok);
        if (!ok || settings.epochs <= 0 || settings.epochs > 100) {
            *problem = tr("--epochs must be a number above 0 and at most 100.");
            return std::nullopt;
        }
    }
    if (parser.isSet(QStringLiteral("learning-rate"))) {
        bool ok = false;
        settings.learningRate = parser.value(QStringLiteral("learning-rate")).toDouble(&ok);
        if (!ok || settings.learningRate <= 0 || settings.learningRate > 1) {
            *problem = tr("--learning-rate must be a number above 0 and at most 1.");
            return std::nullopt;
        }
    }
    if (!positiveInteger(parser, "max-steps", 10'000'000, &settings.maxSteps, problem)
        || !positiveInteger(parser, "batch-size", 1024, &settings.microBatch, problem)
        || !positiveInteger(parser, "grad-accum", 4096, &settings.gradientAccumulation, problem)
        || !positiveInteger(parser, "max-seq-length", 262144, &settings.sequenceLength, problem)
        || !positiveInteger(parser, "lora-r", 1024, &settings.loraRank, problem))
        return std::nullopt;
    settings.loraAlpha = settings.loraRank * 2;
    if (parser.isSet(QStringLiteral("max-runtime"))) {
        settings.maxRuntimeHours = cost::parseDurationHours(parser.value(QStringLiteral("max-runtime")));
        if (!settings.maxRuntimeHours) {
            *problem = tr("--max-runtime must be a duration such as 90m, 6h or 1d.");
            return std::nullopt;
        }
    }

    cost::OfferFilter &filter = request.filter;
    const QString gpu = parser.value(QStringLiteral("gpu"));
    if (!gpu.isEmpty()) {
        filter.gpu = gpu.section(QLatin1Char(':'), 0, 0);
        if (gpu.contains(QLatin1Char(':'))) {
            bool ok = false;
            filter.gpuCount = gpu.section(QLatin1Char(':'), 1).toInt(&ok);
            if (!ok || filter.gpuCount < 1 || filter.gpuCount > 16) {
                *problem = tr("--gpu takes a name and an optional count, e.g. H100 or H100:8.");
                return std::nullopt;
            }
        }
    }
    int nodes = 0;
    if (!positiveInteger(parser, "nodes", 64, &nodes, problem))
        return std::nullopt;
    if (nodes > 0)
        filter.nodeCounts = {nodes};
    filter.region = parser.value(QStringLiteral("region"));
    if (parser.isSet(QStringLiteral("spot")) && parser.isSet(QStringLiteral("no-spot"))) {
        *problem = tr("give --spot or --no-spot, not both.");
        return std::nullopt;
    }
    if (parser.isSet(QStringLiteral("spot")))
        filter.includeOnDemand = false;
    if (parser.isSet(QStringLiteral("no-spot")))
        filter.includeSpot = false;
    return request;
}

} // namespace vibeml
