#pragma once

#include "hub/HubParsers.h"
#include "hub/HubTypes.h"

#include <QString>

#include <optional>

// What VibeML's training script can fine-tune, and how many parameters a model has.
namespace vibeml::hub {

struct ArchitectureSupport
{
    bool supported = false;
    QString family; // "Llama", "Qwen 2", … for display
    QString reason; // why not, or a caveat when supported
};

// The training script fine-tunes causal language models through transformers'
// AutoModelForCausalLM without remote code; everything else is refused with a reason.
ArchitectureSupport architectureSupport(const QString &modelType, const QStringList &architectures);

struct ParameterCount
{
    enum class Basis { Safetensors, Config, Name, Unknown };
    qint64 count = 0;
    Basis basis = Basis::Unknown;
    // Quantized checkpoints store packed elements (e.g. 4-bit weights in U8): the count is
    // then not the number of logical parameters.
    bool quantized = false;
    QString quantizationMethod;
};

// safetensors total, else derived from config.json, else read from the name (a guess).
ParameterCount countParameters(const ModelInfo &info, const std::optional<ModelConfig> &config);

// Decoder-only transformer arithmetic: embeddings, attention with grouped KV heads, gated MLP
// (times the experts for MoE), norms, an untied LM head. Exact for Llama-style models.
std::optional<qint64> parametersFromConfig(const ModelConfig &config);

// "Llama-3.1-8B-Instruct" -> 8e9, "Qwen2.5-0.5B" -> 5e8, "Mixtral-8x7B" -> 5.6e10, "SmolLM-135M" -> 1.35e8.
std::optional<qint64> parametersFromName(const QString &id);

// The storage dtype that holds most elements ("BF16"), from safetensors or config.json.
QString dominantDtype(const ModelInfo &info, const std::optional<ModelConfig> &config);

// "8.03 B", "494 M"
QString formatParameterCount(qint64 count);
// "16.1 GB" (decimal units, as disks and the Hub count)
QString formatBytes(qint64 bytes);

} // namespace vibeml::hub
