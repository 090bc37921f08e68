#include "cost/TimeEstimate.h"

#include "cost/Assumptions.h"
#include "cost/MemoryEstimate.h"

#include <QCoreApplication>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace vibeml::cost {
namespace {

using namespace assumptions;

QString tr(const char *text)
{
    return QCoreApplication::translate("TimeEstimate", text);
}

Span utilisation(Method method, double parameters)
{
    const Span base = isLora(method) ? kUtilisationLora : kUtilisationFull;
    const double scale = parameters > 0 ? std::min(1.0, std::pow(parameters / kSmallModelReference, kSmallModelExponent)) : 1.0;
    return {base.low * scale, base.expected * scale, base.high * scale};
}

double scalingEfficiency(const ClusterShape &cluster)
{
    double efficiency = 1.0;
    if (cluster.gpusPerNode > 1)
        efficiency *= cluster.gpu.interconnect.startsWith(QLatin1String("NVLink")) ? kIntraNodeNvlink : kIntraNodePcie;
    if (cluster.nodes > 1)
        efficiency *= cluster.infiniBand ? kInterNodeInfiniBand : kInterNodeEthernet;
    return efficiency;
}

double flopsPerParameterToken(const TrainingSettings &settings)
{
    double flops = kForwardFlops + (isLora(settings.method) ? kBackwardLoraFlops : kBackwardFullFlops);
    if (settings.gradientCheckpointing)
        flops += kRecomputeFlops;
    if (settings.method == Method::Qlora4)
        flops *= kQlora4Penalty;
    else if (settings.method == Method::Qlora8)
        flops *= kQlora8Penalty;
    return flops;
}

} // namespace

double trainingTokens(const DatasetFacts &data, const TrainingSettings &settings, int totalGpus, QStringList *notes)
{
    double perRow = data.tokensPerRow;
    if (perRow <= 0) {
        perRow = settings.sequenceLength * kUnknownRowFill;
        if (notes)
            notes->append(tr("tokens per row unknown; assumed half the sequence length"));
    } else if (perRow > settings.sequenceLength) {
        if (notes)
            notes->append(tr("rows average %1 tokens, truncated to the sequence length %2")
                              .arg(qRound64(perRow))
                              .arg(settings.sequenceLength));
        perRow = settings.sequenceLength;
    }
    if (settings.maxSteps > 0) {
        const double rowsPerStep = static_cast<double>(std::max(1, settings.microBatch)) * std::max(1, settings.gradientAccumulation)
                                   * std::max(1, totalGpus);
        return settings.maxSteps * rowsPerStep * perRow;
    }
    return static_cast<double>(std::max<qint64>(0, data.rows)) * std::max(0.0, settings.epochs) * perRow;
}

TimeEstimate estimateTime(const ModelFacts &model, const DatasetFacts &data, const TrainingSettings &settings,
                          const ClusterShape &cluster)
{
    TimeEstimate estimate;
    const double parameters = static_cast<double>(std::max<qint64>(0, model.parameters));
    estimate.tokens = trainingTokens(data, settings, cluster.totalGpus(), &estimate.notes);
    estimate.flops = flopsPerParameterToken(settings) * parameters * estimate.tokens;

    const double peak = cluster.gpu.bf16DenseTflops * 1e12 * cluster.totalGpus() * scalingEfficiency(cluster);
    const Span mfu = utilisation(settings.method, parameters);
    if (peak > 0 && mfu.expected > 0) {
        // The low time goes with the high utilisation and the other way round.
        estimate.trainingHours = {estimate.flops / (peak * mfu.high) / 3600.0, estimate.flops / (peak * mfu.expected) / 3600.0,
                                  estimate.flops / (peak * mfu.low) / 3600.0};
    }
    // Checkpoint saves and evaluation come on top of the pure training time.
    estimate.trainingHours = {estimate.trainingHours.low * (1 + kSaveAndEvalShare.low),
                              estimate.trainingHours.expected * (1 + kSaveAndEvalShare.expected),
                              estimate.trainingHours.high * (1 + kSaveAndEvalShare.high)};
    if (cluster.spot) {
        estimate.trainingHours = {estimate.trainingHours.low * kSpotTimeFactor.low,
                                  estimate.trainingHours.expected * kSpotTimeFactor.expected,
                                  estimate.trainingHours.high * kSpotTimeFactor.high};
        estimate.notes.append(tr("spot: preemptions repeat work since the last checkpoint (up to +50 %)"));
    }

    const double downloadMB = (model.downloadBytes > 0 ? static_cast<double>(model.downloadBytes) : parameters * 2.0) / 1e6
                              + static_cast<double>(std::max<qint64>(0, data.bytes)) / 1e6;
    double uploadMB = parameters * 2.0 / 1e6;
    if (isLora(settings.method)) {
        const MemoryEstimate memory = estimateMemory(model, settings);
        uploadMB = static_cast<double>(memory.loraParameters) * 2.0 / 1e6;
    }
    estimate.overheadHours = {(kProvisioningMinutes.low + kSetupMinutes.low) / 60.0 + (downloadMB / kDownloadMBps.low + uploadMB / kUploadMBps.low) / 3600.0,
                              (kProvisioningMinutes.expected + kSetupMinutes.expected) / 60.0
                                  + (downloadMB / kDownloadMBps.expected + uploadMB / kUploadMBps.expected) / 3600.0,
                              (kProvisioningMinutes.high + kSetupMinutes.high) / 60.0 + (downloadMB / kDownloadMBps.high + uploadMB / kUploadMBps.high) / 3600.0};
    estimate.totalHours = estimate.trainingHours + estimate.overheadHours;
    if (!cluster.gpu.supportsBf16)
        estimate.notes.append(tr("%1 has no bfloat16: training runs in fp16, which is less stable").arg(cluster.gpu.name));
    return estimate;
}

QString formatHours(double hours)
{
    const QLocale locale = QLocale::system();
    if (hours < 1.0)
        return tr("%1 min").arg(std::max<qint64>(1, qRound64(hours * 60.0)));
    if (hours < 48.0)
        return tr("%1 h").arg(locale.toString(hours, 'f', hours < 10 ? 1 : 0));
    return tr("%1 days").arg(locale.toString(hours / 24.0, 'f', 1));
}

} // namespace vibeml::cost
