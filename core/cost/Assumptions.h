#pragma once

// Every assumption behind VibeML's time and cost estimates, in one place, so the README and
// the UI can state them and a reviewer can argue with them. Ranges are low / expected / high.
namespace vibeml::cost::assumptions {

struct Span
{
    double low;
    double expected;
    double high;
};

// Model FLOPs utilisation of Hugging Face Trainer/TRL fine-tuning at the dense bf16 peak
// (large models, reasonable batch). Small models use a GPU less well: see smallModelScale.
inline constexpr Span kUtilisationFull{0.25, 0.35, 0.45};
inline constexpr Span kUtilisationLora{0.20, 0.30, 0.40};
// Utilisation shrinks as (P / 7e9)^0.25 below 7 B parameters: short kernels, launch overhead.
inline constexpr double kSmallModelReference = 7e9;
inline constexpr double kSmallModelExponent = 0.25;

// Slow-down of QLoRA's de-quantisation of every weight on every forward and backward pass.
inline constexpr double kQlora4Penalty = 1.25;
inline constexpr double kQlora8Penalty = 1.6;

// FLOPs per parameter per token: forward 2; backward 4 (full) or 2 (LoRA: no weight gradients
// for the frozen base); gradient checkpointing recomputes the forward pass (+2).
inline constexpr double kForwardFlops = 2.0;
inline constexpr double kBackwardFullFlops = 4.0;
inline constexpr double kBackwardLoraFlops = 2.0;
inline constexpr double kRecomputeFlops = 2.0;

// Scaling efficiency of data/FSDP parallelism inside one node, and across nodes.
inline constexpr double kIntraNodeNvlink = 0.92;
inline constexpr double kIntraNodePcie = 0.75;
inline constexpr double kInterNodeInfiniBand = 0.85;
inline constexpr double kInterNodeEthernet = 0.5;

// Fixed costs of every run, billed because the cluster is up.
inline constexpr Span kProvisioningMinutes{3, 8, 20};
inline constexpr Span kSetupMinutes{3, 6, 12};          // pip install, CUDA checks
inline constexpr Span kDownloadMBps{1000, 400, 150};    // model and dataset from the Hub
inline constexpr Span kUploadMBps{200, 80, 30};         // adapter or checkpoint back to the Hub
inline constexpr Span kSaveAndEvalShare{0.02, 0.05, 0.10}; // of training time

// Spot (preemptible) capacity: recovery after a preemption repeats work since the last checkpoint.
inline constexpr Span kSpotTimeFactor{1.0, 1.1, 1.5};

// When a dataset's tokens per row are unknown, rows are assumed to fill this share of the
// sequence length.
inline constexpr double kUnknownRowFill = 0.5;

} // namespace vibeml::cost::assumptions
