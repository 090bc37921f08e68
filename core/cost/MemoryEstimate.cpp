#include "cost/MemoryEstimate.h"

#include <QCoreApplication>
#include <QLocale>

#include <algorithm>

namespace vibeml::cost {
namespace {

double weightBytesPerParameter(Method method)
{
    switch (method) {
    case Method::FullMixed:
        return 16.0;
    case Method::FullBf16:
        return 8.0;
    case Method::Lora:
        return 2.0;
    case Method::Qlora8:
        return 1.0;
    case Method::Qlora4:
        return 0.516; // NF4 with double-quantized constants (QLoRA paper)
    }
    return 16.0;
}

// Activations without the model's shape: calibrated at s = 2048, b = 1 against the config-based
// formula for Qwen2.5-0.5B, Llama-3.1-8B and -70B (hub.md §4.2).
double fallbackActivations(double parameters, double tokensPerStep, bool checkpointing)
{
    const double calibrated = (1.5 * kGiB + 0.04 * parameters) * tokensPerStep / 2048.0;
    // Without checkpointing every layer keeps its activations: about 8× for 32-layer models.
    return checkpointing ? calibrated : calibrated * 8.0;
}

} // namespace

std::optional<qint64> loraParameterCount(const hub::ModelConfig &config, int rank, const QStringList &targets)
{
    if (!config.hiddenSize || !config.numHiddenLayers || !config.intermediateSize || !config.numAttentionHeads || rank <= 0)
        return std::nullopt;
    const double h = static_cast<double>(*config.hiddenSize);
    const double heads = static_cast<double>(*config.numAttentionHeads);
    const double headDim = config.headDim && *config.headDim > 0 ? static_cast<double>(*config.headDim) : h / heads;
    const double kvHeads = config.numKeyValueHeads && *config.numKeyValueHeads > 0 ? static_cast<double>(*config.numKeyValueHeads) : heads;
    const double mlp = static_cast<double>(*config.intermediateSize);
    const double experts = config.numLocalExperts && *config.numLocalExperts > 0 ? static_cast<double>(*config.numLocalExperts) : 1;
    double perLayer = 0;
    for (const QString &target : targets) {
        if (target == QLatin1String("q_proj"))
            perLayer += h + heads * headDim;
        else if (target == QLatin1String("k_proj") || target == QLatin1String("v_proj"))
            perLayer += h + kvHeads * headDim;
        else if (target == QLatin1String("o_proj"))
            perLayer += heads * headDim + h;
        else if (target == QLatin1String("gate_proj") || target == QLatin1String("up_proj") || target == QLatin1String("down_proj"))
            perLayer += (h + mlp) * experts;
    }
    if (perLayer <= 0)
        return std::nullopt;
    return static_cast<qint64>(perLayer * rank * static_cast<double>(*config.numHiddenLayers));
}

QString parallelismName(Parallelism parallelism)
{
    switch (parallelism) {
    case Parallelism::SingleGpu:
        return QCoreApplication::translate("MemoryEstimate", "1 GPU");
    case Parallelism::DataParallel:
        return QCoreApplication::translate("MemoryEstimate", "data parallel");
    case Parallelism::Sharded:
        return QCoreApplication::translate("MemoryEstimate", "FSDP");
    }
    return {};
}

QString parallelismKey(Parallelism parallelism)
{
    switch (parallelism) {
    case Parallelism::SingleGpu:
        return QStringLiteral("single");
    case Parallelism::DataParallel:
        return QStringLiteral("ddp");
    case Parallelism::Sharded:
        return QStringLiteral("fsdp");
    }
    return QStringLiteral("single");
}

std::optional<Parallelism> parallelismFromKey(const QString &key)
{
    for (Parallelism parallelism : {Parallelism::SingleGpu, Parallelism::DataParallel, Parallelism::Sharded}) {
        if (parallelismKey(parallelism) == key)
            return parallelism;
    }
    return std::nullopt;
}

MemoryEstimate estimateMemory(const ModelFacts &model, const TrainingSettings &settings, int totalGpus, double gpuMemoryGiB)
{
    if (totalGpus <= 1)
        return estimateMemory(model, settings, 1, Parallelism::SingleGpu);
    if (!isLora(settings.method))
        return estimateMemory(model, settings, totalGpus, Parallelism::Sharded);
    // Data parallel is simpler and faster, but only worth it when a full copy fits with headroom.
    const MemoryEstimate replicated = estimateMemory(model, settings, totalGpus, Parallelism::DataParallel);
    if (gpuMemoryGiB <= 0 || replicated.totalBytes <= 0.9 * gpuMemoryGiB * kGiB)
        return replicated;
    return estimateMemory(model, settings, totalGpus, Parallelism::Sharded);
}

MemoryEstimate estimateMemory(const ModelFacts &model, const TrainingSettings &settings, int totalGpus, Parallelism parallelism)
{
    MemoryEstimate estimate;
    const double parameters = static_cast<double>(std::max<qint64>(0, model.parameters));
    const bool lora = isLora(settings.method);
    estimate.parallelism = totalGpus <= 1 ? Parallelism::SingleGpu : parallelism;
    estimate.shardedOver = estimate.parallelism == Parallelism::Sharded ? totalGpus : 1;

    estimate.weightsBytes = parameters * weightBytesPerParameter(settings.method) / estimate.shardedOver;

    if (lora) {
        std::optional<qint64> exact;
        if (model.config)
            exact = loraParameterCount(*model.config, settings.loraRank, settings.loraTargets);
        estimate.loraCountExact = exact.has_value();
        estimate.loraParameters = exact ? *exact : static_cast<qint64>(0.005 * parameters);
        estimate.trainableBytes = 16.0 * static_cast<double>(estimate.loraParameters);
    }

    const double b = std::max(1, settings.microBatch);
    const double s = std::max(1, settings.sequenceLength);
    const hub::ModelConfig *config = model.config ? &*model.config : nullptr;
    if (config && config->hiddenSize && config->numHiddenLayers && config->vocabSize) {
        const double h = static_cast<double>(*config->hiddenSize);
        const double layers = static_cast<double>(*config->numHiddenLayers);
        const double vocab = static_cast<double>(*config->vocabSize);
        const double perLayerKept = settings.gradientCheckpointing ? 2.0 * b * s * h * layers : 34.0 * b * s * h * layers;
        estimate.activationBytes = perLayerKept + 34.0 * b * s * h + 4.0 * b * s * vocab;
        estimate.activationsFromConfig = true;
    } else {
        estimate.activationBytes = fallbackActivations(parameters, b * s, settings.gradientCheckpointing);
    }

    estimate.totalBytes = 1.15 * (estimate.weightsBytes + estimate.trainableBytes + estimate.activationBytes) + kGiB;
    return estimate;
}

QString fitName(Fit fit)
{
    switch (fit) {
    case Fit::Fits:
        return QCoreApplication::translate("MemoryEstimate", "fits");
    case Fit::Tight:
        return QCoreApplication::translate("MemoryEstimate", "tight");
    case Fit::DoesNotFit:
        return QCoreApplication::translate("MemoryEstimate", "does not fit");
    }
    return {};
}

FitVerdict fitOnGpu(const MemoryEstimate &estimate, double gpuMemoryGiB)
{
    FitVerdict verdict;
    verdict.neededBytes = estimate.totalBytes;
    verdict.availableBytes = gpuMemoryGiB * kGiB;
    const double fraction = verdict.fraction();
    verdict.fit = fraction > 1.0 ? Fit::DoesNotFit : fraction > 0.9 ? Fit::Tight : Fit::Fits;
    return verdict;
}

QString FitVerdict::text() const
{
    const QLocale locale = QLocale::system();
    return QCoreApplication::translate("MemoryEstimate", "needs %1 GB of %2 GB per GPU (%3 %)")
        .arg(locale.toString(neededBytes / 1e9, 'f', 1), locale.toString(availableBytes / 1e9, 'f', 1),
             locale.toString(std::min(999.0, fraction() * 100.0), 'f', 0));
}

} // namespace vibeml::cost
