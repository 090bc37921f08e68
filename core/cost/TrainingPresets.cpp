#include "cost/TrainingPresets.h"

#include "cost/CostTable.h"
#include "cost/PlanEstimator.h"
#include "hub/RepoId.h"

#include <QCoreApplication>
#include <QLocale>
#include <QRegularExpression>

#include <cmath>

namespace vibeml::cost {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("TrainingPresets", text);
}

// The CLI's limits (app/cli/PlanOptions.cpp), so both front ends accept the same plans.
constexpr double kMaxEpochs = 100;
constexpr int kMaxSteps = 10'000'000;
constexpr int kMaxMicroBatch = 1024;
constexpr int kMaxAccumulation = 4096;
constexpr int kMaxSequence = 262144;
constexpr int kMaxRank = 1024;
constexpr int kMaxAlpha = 4096;

QString number(double value)
{
    // "0.0002" reads worse than "2e-4" for learning rates.
    if (value != 0 && std::abs(value) < 1e-2) {
        const int exponent = static_cast<int>(std::floor(std::log10(std::abs(value))));
        const double mantissa = value / std::pow(10.0, exponent);
        return QLocale::c().toString(mantissa, 'g', 4) + QStringLiteral("e") + QString::number(exponent);
    }
    return QLocale::c().toString(value, 'g', 10);
}

std::optional<double> parseNumber(const QString &text)
{
    bool ok = false;
    const double value = QLocale::c().toDouble(text.trimmed(), &ok);
    if (!ok || !std::isfinite(value))
        return std::nullopt;
    return value;
}

// A whole number from `minimum` to `maximum`, or why not.
std::optional<QString> parseWhole(const QString &text, int minimum, int maximum, int *target)
{
    const QString trimmed = text.trimmed();
    bool ok = false;
    const int value = trimmed.toInt(&ok);
    const QLocale english(QLocale::English); // the messages are English: "10,000,000"
    if (trimmed.isEmpty())
        return tr("Enter a whole number from %1 to %2.").arg(minimum).arg(english.toString(maximum));
    if (!ok || value < minimum || value > maximum)
        return tr("\"%1\" is not a whole number from %2 to %3.").arg(trimmed).arg(minimum).arg(english.toString(maximum));
    *target = value;
    return std::nullopt;
}

QString durationText(double hours)
{
    const qint64 minutes = qRound64(hours * 60.0);
    if (minutes % (24 * 60) == 0)
        return QStringLiteral("%1d").arg(minutes / (24 * 60));
    if (minutes % 60 == 0)
        return QStringLiteral("%1h").arg(minutes / 60);
    if (minutes < 60)
        return QStringLiteral("%1m").arg(minutes);
    return QStringLiteral("%1h%2m").arg(minutes / 60).arg(minutes % 60);
}

} // namespace

ModelSize modelSize(qint64 parameters)
{
    if (parameters <= 0)
        return ModelSize::Medium;
    if (parameters < 3'000'000'000)
        return ModelSize::Small;
    if (parameters < 15'000'000'000)
        return ModelSize::Medium;
    if (parameters < 40'000'000'000)
        return ModelSize::Large;
    return ModelSize::Huge;
}

QString modelSizeTitle(ModelSize size)
{
    switch (size) {
    case ModelSize::Small:
        return tr("a small model (under 3 B parameters)");
    case ModelSize::Medium:
        return tr("a medium model (3–15 B parameters)");
    case ModelSize::Large:
        return tr("a large model (15–40 B parameters)");
    case ModelSize::Huge:
        return tr("a very large model (40 B parameters or more)");
    }
    return {};
}

TrainingSettings preset(Method method, qint64 parameters)
{
    const ModelSize size = modelSize(parameters);
    const int index = static_cast<int>(size);
    TrainingSettings s;
    s.method = method;
    s.epochs = 1.0;
    s.maxSteps = 0;
    s.sequenceLength = 2048;
    s.gradientCheckpointing = true;
    s.loraTargets = defaultLoraTargets();
    s.maxRuntimeHours.reset();
    // Micro-batch × accumulation: 16 on small models, 16–32 on bigger ones, with smaller
    // micro-batches (and so less activation memory) as the model grows.
    constexpr int loraBatch[] = {4, 2, 1, 1};
    constexpr int loraAccumulation[] = {4, 8, 16, 16};
    constexpr int fullBatch[] = {2, 1, 1, 1};
    constexpr int fullAccumulation[] = {8, 16, 16, 32};
    switch (method) {
    case Method::Lora:
    case Method::Qlora8:
        s.microBatch = loraBatch[index];
        s.gradientAccumulation = loraAccumulation[index];
        s.learningRate = 2e-4;
        s.loraRank = 16;
        s.loraAlpha = 32;
        s.loraDropout = 0.05;
        break;
    case Method::Qlora4:
        // QLoRA (Dettmers et al. 2023): r 64, alpha 16; dropout 0.1 and lr 2e-4 up to 13 B,
        // 0.05 and 1e-4 above.
        s.microBatch = loraBatch[index];
        s.gradientAccumulation = loraAccumulation[index];
        s.loraRank = 64;
        s.loraAlpha = 16;
        s.loraDropout = size == ModelSize::Small || size == ModelSize::Medium ? 0.1 : 0.05;
        s.learningRate = size == ModelSize::Small || size == ModelSize::Medium ? 2e-4 : 1e-4;
        break;
    case Method::FullMixed:
    case Method::FullBf16:
        s.microBatch = fullBatch[index];
        s.gradientAccumulation = fullAccumulation[index];
        s.learningRate = size == ModelSize::Small ? 2e-5 : 1e-5;
        s.loraRank = 16;
        s.loraAlpha = 32;
        s.loraDropout = 0.05;
        break;
    }
    return s;
}

QString fieldText(const TrainingSettings &settings, SettingsField field)
{
    switch (field) {
    case SettingsField::Epochs:
        return number(settings.epochs);
    case SettingsField::MaxSteps:
        return QString::number(settings.maxSteps);
    case SettingsField::LearningRate:
        return number(settings.learningRate);
    case SettingsField::MicroBatch:
        return QString::number(settings.microBatch);
    case SettingsField::GradientAccumulation:
        return QString::number(settings.gradientAccumulation);
    case SettingsField::SequenceLength:
        return QString::number(settings.sequenceLength);
    case SettingsField::LoraRank:
        return QString::number(settings.loraRank);
    case SettingsField::LoraAlpha:
        return QString::number(settings.loraAlpha);
    case SettingsField::LoraDropout:
        return number(settings.loraDropout);
    case SettingsField::LoraTargets:
        return settings.loraTargets.join(QStringLiteral(", "));
    case SettingsField::MaxRuntime:
        return settings.maxRuntimeHours ? durationText(*settings.maxRuntimeHours) : QString();
    }
    return {};
}

std::optional<QString> setField(TrainingSettings &settings, SettingsField field, const QString &text)
{
    const QString trimmed = text.trimmed();
    switch (field) {
    case SettingsField::Epochs: {
        const std::optional<double> value = parseNumber(trimmed);
        if (!value || *value <= 0 || *value > kMaxEpochs)
            return tr("Epochs must be a number above 0 and at most %1, such as 1 or 2.5.").arg(kMaxEpochs);
        settings.epochs = *value;
        return std::nullopt;
    }
    case SettingsField::MaxSteps:
        return parseWhole(trimmed, 1, kMaxSteps, &settings.maxSteps);
    case SettingsField::LearningRate: {
        const std::optional<double> value = parseNumber(trimmed);
        if (!value || *value <= 0 || *value > 1)
            return tr("The learning rate must be a number above 0 and at most 1, such as 2e-4.");
        settings.learningRate = *value;
        return std::nullopt;
    }
    case SettingsField::MicroBatch:
        return parseWhole(trimmed, 1, kMaxMicroBatch, &settings.microBatch);
    case SettingsField::GradientAccumulation:
        return parseWhole(trimmed, 1, kMaxAccumulation, &settings.gradientAccumulation);
    case SettingsField::SequenceLength:
        return parseWhole(trimmed, 1, kMaxSequence, &settings.sequenceLength);
    case SettingsField::LoraRank:
        return parseWhole(trimmed, 1, kMaxRank, &settings.loraRank);
    case SettingsField::LoraAlpha:
        return parseWhole(trimmed, 1, kMaxAlpha, &settings.loraAlpha);
    case SettingsField::LoraDropout: {
        const std::optional<double> value = parseNumber(trimmed);
        if (!value || *value < 0 || *value >= 1)
            return tr("Dropout must be a number from 0 up to (not including) 1, such as 0.05.");
        settings.loraDropout = *value;
        return std::nullopt;
    }
    case SettingsField::LoraTargets: {
        static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
        static const QRegularExpression moduleName(QStringLiteral("^[A-Za-z_][A-Za-z0-9_.]{0,99}$"));
        const QStringList names = trimmed.split(separators, Qt::SkipEmptyParts);
        if (names.isEmpty())
            return tr("Name at least one module to adapt, such as q_proj, v_proj.");
        for (const QString &name : names) {
            if (!moduleName.match(name).hasMatch())
                return tr("\"%1\" is not a module name; use names such as q_proj, separated by commas.").arg(name);
        }
        if (names.size() > 64)
            return tr("Name at most 64 modules.");
        settings.loraTargets = names;
        settings.loraTargets.removeDuplicates();
        return std::nullopt;
    }
    case SettingsField::MaxRuntime: {
        if (trimmed.isEmpty()) {
            settings.maxRuntimeHours.reset();
            return std::nullopt;
        }
        const std::optional<double> hours = parseDurationHours(trimmed);
        if (!hours)
            return tr("Give a duration such as 90m, 6h or 1d, or leave it empty for no limit.");
        if (*hours < 10.0 / 60.0)
            return tr("Allow at least 10 minutes: provisioning and set-up alone take several.");
        settings.maxRuntimeHours = hours;
        return std::nullopt;
    }
    }
    return std::nullopt;
}

QList<SettingsAdvice> adviseSettings(const TrainingSettings &settings)
{
    QList<SettingsAdvice> advice;
    if (!isLora(settings.method) && settings.learningRate > 1e-4)
        advice.append({SettingsField::LearningRate,
                       tr("%1 is high for a full fine-tune, which usually trains at 1e-5 to 5e-5; it may erase what the "
                          "model knows.")
                           .arg(number(settings.learningRate))});
    if (isLora(settings.method) && settings.learningRate < 1e-5)
        advice.append({SettingsField::LearningRate,
                       tr("%1 is low for LoRA, which usually trains at 1e-4 to 3e-4; the adapter may barely change.")
                           .arg(number(settings.learningRate))});
    if (isLora(settings.method) && settings.loraAlpha > 8 * settings.loraRank)
        advice.append({SettingsField::LoraAlpha,
                       tr("Alpha above 8 × rank scales the adapter's updates strongly; 1–2 × rank is usual.")});
    if (settings.sequenceLength > 32768)
        advice.append({SettingsField::SequenceLength,
                       tr("Sequences this long need a great deal of activation memory; check that your GPU still fits.")});
    if (settings.maxSteps == 0 && settings.epochs > 10)
        advice.append({SettingsField::Epochs, tr("More than 10 epochs over the same data usually over-fits.")});
    return advice;
}

std::optional<QString> outputRepoProblem(const QString &repo)
{
    const QString trimmed = repo.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    if (trimmed.count(QLatin1Char('/')) > 1)
        return tr("Give a repository as name or organisation/name.");
    if (const std::optional<QString> problem = hub::repoIdProblem(trimmed))
        return problem;
    return std::nullopt;
}

OfferPreference OfferPreference::fromSpotSetting(const QString &gpu, const QString &region, const QString &spotSetting)
{
    OfferPreference preference;
    preference.gpu = gpu;
    preference.region = region;
    preference.onDemand = spotSetting != QLatin1String("spot-only");
    preference.spot = spotSetting == QLatin1String("prefer-spot") || spotSetting == QLatin1String("spot-only");
    return preference;
}

qsizetype preferredOffer(const CostTable &table, const OfferPreference &preference)
{
    qsizetype best = -1;
    int bestRank = 0;
    for (qsizetype i = 0; i < table.offers.size(); ++i) {
        const OfferEstimate &offer = table.offers.at(i);
        if (!offer.launchable || !offer.fitsInMemory() || (offer.spot ? !preference.spot : !preference.onDemand))
            continue;
        // Lower is better: the named GPU first, then the named region, then the expected cost.
        const bool gpuMatches
            = preference.gpu.isEmpty() || offer.instance.accelerator.compare(preference.gpu, Qt::CaseInsensitive) == 0;
        const bool regionMatches = preference.region.isEmpty() || offer.instance.region == preference.region;
        const int rank = (gpuMatches ? 0 : 2) + (regionMatches ? 0 : 1);
        if (best < 0 || rank < bestRank
            || (rank == bestRank && offer.costUsd.expected < table.offers.at(best).costUsd.expected)) {
            best = i;
            bestRank = rank;
        }
    }
    return best;
}

} // namespace vibeml::cost
