#pragma once

#include "cost/TrainingPlan.h"

#include <QList>
#include <QString>

#include <optional>

// Where a new plan's training settings start, and what is wrong with settings a person typed.
// The GUI's settings form, the CLI and the MCP server share these rules so all of them accept
// and refuse the same values.
namespace vibeml::cost {

enum class ModelSize {
    Small,  // under 3 B parameters
    Medium, // 3 B to under 15 B
    Large,  // 15 B to under 40 B
    Huge,   // 40 B and more
};

ModelSize modelSize(qint64 parameters); // an unknown size (0) counts as Medium
QString modelSizeTitle(ModelSize size); // "a small model (under 3 B)", …

// Sensible starting values for `method` on a model of `parameters` parameters: the learning rate
// the method is known to train well with, LoRA rank/alpha/dropout (QLoRA follows the QLoRA
// paper: r 64, alpha 16), and a micro-batch × accumulation near a global batch of 16–32 that
// leaves memory to spare on the model's size class.
TrainingSettings preset(Method method, qint64 parameters);

// The fields of TrainingSettings a person types, one by one.
enum class SettingsField {
    Epochs,
    MaxSteps,
    LearningRate,
    MicroBatch,
    GradientAccumulation,
    SequenceLength,
    LoraRank,
    LoraAlpha,
    LoraDropout,
    LoraTargets,
    MaxRuntime,
};

// The field's value as a person would type it back ("2e-4", "q_proj, v_proj", "6h", "" for no
// runtime cap).
QString fieldText(const TrainingSettings &settings, SettingsField field);

// Parses what was typed into `field` and stores it in `settings`; returns why it cannot (one
// sentence, naming the allowed values) and leaves `settings` unchanged. The ranges are those of
// the CLI's options (--epochs, --max-steps, --learning-rate, --batch-size, --grad-accum,
// --max-seq-length, --lora-r, --max-runtime).
std::optional<QString> setField(TrainingSettings &settings, SettingsField field, const QString &text);

// Valid but probably unintended combinations, as advice for one field (never a refusal).
struct SettingsAdvice
{
    SettingsField field = SettingsField::LearningRate;
    QString text;
};
QList<SettingsAdvice> adviseSettings(const TrainingSettings &settings);

// Where the trained adapter or model is uploaded: "name" (your own namespace) or "org/name";
// empty means no upload. The reason when it is not a valid Hub repository id.
std::optional<QString> outputRepoProblem(const QString &repo);

// What a new plan's offer is chosen by: the launch.* settings.
struct OfferPreference
{
    QString gpu;    // launch.gpu; empty: any
    QString region; // launch.region; empty: any
    bool onDemand = true;
    bool spot = false; // launch.spot: on-demand → only on-demand, prefer-spot → both, spot-only → only spot

    static OfferPreference fromSpotSetting(const QString &gpu, const QString &region, const QString &spotSetting);
};

// The offer a new plan preselects: the cheapest launchable offer that fits in memory and is
// allowed by the spot preference, preferring the named GPU and then the named region when some
// offer of them fits. -1 when nothing fits.
struct CostTable;
qsizetype preferredOffer(const CostTable &table, const OfferPreference &preference);

} // namespace vibeml::cost
