#include "hub/ModelSupport.h"

#include <QCoreApplication>
#include <QLocale>
#include <QRegularExpression>

#include <array>
#include <cmath>

namespace vibeml::hub {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ModelSupport", text);
}

struct Family
{
    const char *modelType;
    const char *name;
    const char *caveat; // nullptr when none
};

// Causal LMs in transformers that the SFT script handles (LoRA targets known, chat templates
// common). Keep in step with resources/training/train.py.
constexpr std::array<Family, 24> kSupported = {{
    {"llama", "Llama", nullptr},
    {"mistral", "Mistral", nullptr},
    {"mixtral", "Mixtral (MoE)", "all experts must fit in memory during training"},
    {"qwen2", "Qwen 2 / 2.5", nullptr},
    {"qwen2_moe", "Qwen 2 MoE", "all experts must fit in memory during training"},
    {"qwen3", "Qwen 3", nullptr},
    {"qwen3_moe", "Qwen 3 MoE", "all experts must fit in memory during training"},
    {"gemma", "Gemma", nullptr},
    {"gemma2", "Gemma 2", "uses eager attention for soft-capping; training is slower"},
    {"gemma3", "Gemma 3", nullptr},
    {"gemma3_text", "Gemma 3 (text)", nullptr},
    {"phi", "Phi", nullptr},
    {"phi3", "Phi 3", nullptr},
    {"phimoe", "Phi MoE", "all experts must fit in memory during training"},
    {"gpt_oss", "gpt-oss (MoE)", "MXFP4 weights are de-quantized to BF16 for training"},
    {"starcoder2", "StarCoder 2", nullptr},
    {"olmo", "OLMo", nullptr},
    {"olmo2", "OLMo 2", nullptr},
    {"granite", "Granite", nullptr},
    {"cohere", "Command R", nullptr},
    {"falcon", "Falcon", nullptr},
    {"stablelm", "StableLM", nullptr},
    {"smollm3", "SmolLM 3", nullptr},
    {"deepseek_v3", "DeepSeek V3 (MoE)", "all experts must fit in memory during training"},
}};

bool isEncoderOnly(const QString &type)
{
    static const QStringList encoders = {QStringLiteral("bert"), QStringLiteral("roberta"), QStringLiteral("deberta"),
                                         QStringLiteral("deberta-v2"), QStringLiteral("distilbert"), QStringLiteral("albert"),
                                         QStringLiteral("electra"), QStringLiteral("xlm-roberta"), QStringLiteral("modernbert")};
    return encoders.contains(type);
}

bool isEncoderDecoder(const QString &type)
{
    static const QStringList seq2seq = {QStringLiteral("t5"), QStringLiteral("mt5"), QStringLiteral("bart"),
                                        QStringLiteral("mbart"), QStringLiteral("pegasus"), QStringLiteral("marian"),
                                        QStringLiteral("umt5"), QStringLiteral("whisper")};
    return seq2seq.contains(type);
}

} // namespace

ArchitectureSupport architectureSupport(const QString &modelType, const QStringList &architectures)
{
    const QString type = modelType.trimmed().toLower();
    for (const Family &family : kSupported) {
        if (type == QLatin1String(family.modelType))
            return {true, QLatin1String(family.name), family.caveat ? tr(family.caveat) : QString()};
    }
    const QString architecture = architectures.value(0);
    if (type.isEmpty() && architecture.isEmpty())
        return {false, {}, tr("The model does not say what architecture it is (no model_type), so VibeML cannot "
                              "train it. Pick a model with a transformers config.")};
    if (isEncoderOnly(type))
        return {false, type, tr("%1 is an encoder model (for classification and embeddings). VibeML fine-tunes text "
                                "generators (causal language models) such as Llama, Qwen or Mistral.")
                                 .arg(type)};
    if (isEncoderDecoder(type))
        return {false, type, tr("%1 is an encoder-decoder model; VibeML's training script handles decoder-only "
                                "causal language models such as Llama, Qwen or Mistral.")
                                 .arg(type)};
    if (architecture.endsWith(QLatin1String("ForCausalLM")))
        return {false, type, tr("%1 (%2) is a causal language model VibeML has not been tested with, so it will not "
                                "launch it. Supported: Llama, Mistral, Mixtral, Qwen 2/2.5/3, Gemma, Phi, gpt-oss, "
                                "StarCoder 2, OLMo, Granite and others.")
                                 .arg(architecture, type.isEmpty() ? tr("no model_type") : type)};
    return {false, type, tr("%1 is not a text-generation model VibeML can fine-tune (architecture %2).")
                             .arg(type.isEmpty() ? tr("This model") : type, architecture.isEmpty() ? tr("unknown") : architecture)};
}

std::optional<qint64> parametersFromConfig(const ModelConfig &config)
{
    if (!config.hiddenSize || !config.numHiddenLayers || !config.vocabSize || !config.intermediateSize
        || !config.numAttentionHeads)
        return std::nullopt;
    const double h = static_cast<double>(*config.hiddenSize);
    const double layers = static_cast<double>(*config.numHiddenLayers);
    const double vocab = static_cast<double>(*config.vocabSize);
    const double mlp = static_cast<double>(*config.intermediateSize);
    const double heads = static_cast<double>(*config.numAttentionHeads);
    if (h <= 0 || layers <= 0 || vocab <= 0 || mlp <= 0 || heads <= 0 || h > 1e6 || layers > 1e4 || vocab > 1e8)
        return std::nullopt;
    const double headDim = config.headDim && *config.headDim > 0 ? static_cast<double>(*config.headDim) : h / heads;
    const double kvHeads = config.numKeyValueHeads && *config.numKeyValueHeads > 0 ? static_cast<double>(*config.numKeyValueHeads) : heads;
    const double experts = config.numLocalExperts && *config.numLocalExperts > 0 ? static_cast<double>(*config.numLocalExperts) : 1;

    const double attention = h * heads * headDim * 2 + h * kvHeads * headDim * 2;
    const double qkvBias = config.modelType == QLatin1String("qwen2") ? heads * headDim + 2 * kvHeads * headDim : 0;
    const double feedForward = 3 * h * mlp * experts + (experts > 1 ? h * experts : 0);
    const double perLayer = attention + qkvBias + feedForward + 2 * h;
    const double embeddings = vocab * h * (config.tieWordEmbeddings ? 1 : 2);
    const double total = embeddings + layers * perLayer + h;
    if (!std::isfinite(total) || total <= 0 || total > 1e14)
        return std::nullopt;
    return static_cast<qint64>(std::llround(total));
}

std::optional<qint64> parametersFromName(const QString &id)
{
    const QString name = id.section(QLatin1Char('/'), -1);
    static const QRegularExpression moe(QStringLiteral("(?:^|[^0-9.])(\\d{1,3})x(\\d{1,3}(?:\\.\\d+)?)[bB](?![a-zA-Z])"));
    if (const QRegularExpressionMatch match = moe.match(name); match.hasMatch())
        return static_cast<qint64>(match.captured(1).toDouble() * match.captured(2).toDouble() * 1e9);
    static const QRegularExpression plain(QStringLiteral("(?:^|[^0-9.a-zA-Z])(\\d{1,4}(?:\\.\\d{1,3})?)([bBmM])(?![a-zA-Z])"));
    if (const QRegularExpressionMatch match = plain.match(name); match.hasMatch()) {
        const double scale = match.captured(2).compare(QLatin1String("b"), Qt::CaseInsensitive) == 0 ? 1e9 : 1e6;
        return static_cast<qint64>(match.captured(1).toDouble() * scale);
    }
    return std::nullopt;
}

ParameterCount countParameters(const ModelInfo &info, const std::optional<ModelConfig> &config)
{
    ParameterCount count;
    count.quantizationMethod = !info.quantizationMethod.isEmpty() ? info.quantizationMethod
                               : config                           ? config->quantizationMethod
                                                                  : QString();
    if (info.safetensors && info.safetensors->total > 0) {
        count.count = info.safetensors->total;
        count.basis = ParameterCount::Basis::Safetensors;
        // Packed integer storage dominating the map means 4-bit or similar weights.
        const QMap<QString, qint64> &byType = info.safetensors->parameters;
        const qint64 packed = byType.value(QStringLiteral("U8")) + byType.value(QStringLiteral("I32"));
        count.quantized = !count.quantizationMethod.isEmpty() || packed * 2 > count.count;
        return count;
    }
    if (config) {
        if (const auto fromConfig = parametersFromConfig(*config)) {
            count.count = *fromConfig;
            count.basis = ParameterCount::Basis::Config;
            count.quantized = !count.quantizationMethod.isEmpty();
            return count;
        }
    }
    if (const auto fromName = parametersFromName(info.id)) {
        count.count = *fromName;
        count.basis = ParameterCount::Basis::Name;
        count.quantized = !count.quantizationMethod.isEmpty();
    }
    return count;
}

QString dominantDtype(const ModelInfo &info, const std::optional<ModelConfig> &config)
{
    if (info.safetensors && !info.safetensors->parameters.isEmpty()) {
        QString best;
        qint64 most = -1;
        for (auto it = info.safetensors->parameters.cbegin(); it != info.safetensors->parameters.cend(); ++it) {
            if (it.value() > most) {
                most = it.value();
                best = it.key();
            }
        }
        return best;
    }
    if (config && !config->torchDtype.isEmpty())
        return config->torchDtype;
    return {};
}

QString formatParameterCount(qint64 count)
{
    const QLocale locale = QLocale::system();
    if (count >= 1'000'000'000)
        return tr("%1 B").arg(locale.toString(static_cast<double>(count) / 1e9, 'f', 2));
    if (count >= 1'000'000)
        return tr("%1 M").arg(locale.toString(static_cast<double>(count) / 1e6, 'f', 0));
    return locale.toString(count);
}

QString formatBytes(qint64 bytes)
{
    const QLocale locale = QLocale::system();
    const double value = static_cast<double>(bytes);
    if (bytes >= 1'000'000'000'000)
        return tr("%1 TB").arg(locale.toString(value / 1e12, 'f', 2));
    if (bytes >= 1'000'000'000)
        return tr("%1 GB").arg(locale.toString(value / 1e9, 'f', 1));
    if (bytes >= 1'000'000)
        return tr("%1 MB").arg(locale.toString(value / 1e6, 'f', 1));
    if (bytes >= 1000)
        return tr("%1 kB").arg(locale.toString(value / 1e3, 'f', 0));
    return tr("%1 bytes").arg(bytes);
}

} // namespace vibeml::hub
