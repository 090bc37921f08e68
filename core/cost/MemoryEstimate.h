#pragma once

#include "cost/TrainingPlan.h"

#include <QString>

#include <optional>

// GPU memory a fine-tune needs, following the formula in hub.md §4.2:
//   weights   = P × {full mixed 16, full bf16 8, LoRA 2, QLoRA-8 1, QLoRA-4 0.516} bytes
//               (full fine-tuning includes gradients and AdamW states)
//   trainable = 16 bytes × LoRA parameters (exact from config.json, else 0.5 % of P)
//   activations = with config: b·s·h·L·2 + 34·b·s·h + 4·b·s·V (checkpointed, flash attention)
//                 without:     (1.5 GiB + 0.04 × P) × b·s/2048
//   estimate  = 1.15 × (weights + trainable + activations) + 1 GiB (allocator slack, CUDA context)
// Full fine-tuning shards weights, gradients and optimizer state over every GPU (FSDP/ZeRO-3).
// LoRA keeps a full copy of the base and the adapter on each GPU (data parallel) — unless that
// copy would not fit with 10 % headroom, in which case the frozen base is sharded with FSDP as well.
namespace vibeml::cost {

inline constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

enum class Parallelism {
    SingleGpu,
    DataParallel, // every GPU holds the whole model (LoRA)
    Sharded,      // FSDP / ZeRO-3: weights (and states) split over the GPUs
};
QString parallelismName(Parallelism parallelism); // "1 GPU", "data parallel", "FSDP"
QString parallelismKey(Parallelism parallelism);  // "single", "ddp", "fsdp" (plan.json, job.json)
std::optional<Parallelism> parallelismFromKey(const QString &key);

struct MemoryEstimate
{
    double weightsBytes = 0;    // per GPU
    double trainableBytes = 0;  // per GPU
    double activationBytes = 0; // per GPU
    double totalBytes = 0;      // per GPU, with slack
    qint64 loraParameters = 0;
    bool loraCountExact = false;
    bool activationsFromConfig = false;
    int shardedOver = 1;
    Parallelism parallelism = Parallelism::SingleGpu;
};

// The estimate for a given layout of `totalGpus` GPUs.
MemoryEstimate estimateMemory(const ModelFacts &model, const TrainingSettings &settings, int totalGpus,
                              Parallelism parallelism);
// The layout a run would use: one GPU; FSDP for full fine-tuning; for LoRA, data parallel when a
// full copy fits on one GPU of `gpuMemoryGiB` with 10 % headroom, else FSDP.
MemoryEstimate estimateMemory(const ModelFacts &model, const TrainingSettings &settings, int totalGpus = 1,
                              double gpuMemoryGiB = 0);

// r·(d_in + d_out) summed over the targeted projections of every layer (experts included);
// nullopt when config.json lacks the sizes.
std::optional<qint64> loraParameterCount(const hub::ModelConfig &config, int rank, const QStringList &targets);

enum class Fit { Fits, Tight, DoesNotFit };

struct FitVerdict
{
    Fit fit = Fit::DoesNotFit;
    double neededBytes = 0;
    double availableBytes = 0;
    double fraction() const { return availableBytes > 0 ? neededBytes / availableBytes : 1e9; }
    QString text() const; // "needs 22.5 GB of 80.0 GB per GPU (28 %)"
};

// Tight above 90 % of the GPU's memory; does not fit above 100 %.
FitVerdict fitOnGpu(const MemoryEstimate &estimate, double gpuMemoryGiB);

QString fitName(Fit fit); // "fits", "tight", "does not fit"

} // namespace vibeml::cost
