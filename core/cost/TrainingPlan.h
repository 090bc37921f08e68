#pragma once

#include "hub/HubParsers.h"

#include <QString>
#include <QStringList>

#include <optional>

// What a run will train and how: the inputs every estimate (memory, time, cost) starts from.
namespace vibeml::cost {

enum class Method {
    FullMixed, // full fine-tune, bf16 mixed precision with fp32 master weights and AdamW
    FullBf16,  // full fine-tune in pure bf16 (bf16 weights, grads and optimizer states)
    Lora,      // LoRA on a frozen bf16 base
    Qlora8,    // LoRA on an 8-bit quantized base (bitsandbytes LLM.int8)
    Qlora4,    // LoRA on a 4-bit NF4 base with double quantization
};

QString methodName(Method method);        // "full", "full-bf16", "lora", "qlora8", "qlora4"
QString methodTitle(Method method);       // "Full fine-tune (mixed precision)", …
std::optional<Method> methodFromName(const QString &name);
bool isLora(Method method);

// Why the pinned training stack (resources/training/requirements.txt) cannot use a GPU, if it
// cannot: torch 2.5.1 ships no kernels for Blackwell (B200) GPUs.
std::optional<QString> trainingStackProblem(const QString &accelerator);

// The modules LoRA adapts when none are named: every linear projection of a decoder layer.
QStringList defaultLoraTargets();

struct TrainingSettings
{
    Method method = Method::Lora;
    double epochs = 1.0;   // used when maxSteps is 0
    int maxSteps = 0;
    int microBatch = 1;    // per GPU
    int gradientAccumulation = 8;
    int sequenceLength = 2048;
    bool gradientCheckpointing = true;
    int loraRank = 16;
    int loraAlpha = 32;
    double loraDropout = 0.05;
    QStringList loraTargets = defaultLoraTargets();
    double learningRate = 2e-4;
    std::optional<double> maxRuntimeHours; // a hard cap the run is stopped at
};

// What the estimates need to know about the model (from the model report).
struct ModelFacts
{
    QString id;
    qint64 parameters = 0;
    std::optional<hub::ModelConfig> config;
    qint64 downloadBytes = 0; // 0: assume 2 bytes per parameter
    bool quantizedCheckpoint = false;
};

// What the estimates need to know about the data (from the dataset report).
struct DatasetFacts
{
    QString id;
    qint64 rows = 0;
    double tokensPerRow = 0;
    qint64 bytes = 0;
};

} // namespace vibeml::cost
