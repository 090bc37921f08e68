#include "cost/CostTable.h"

#include "catalog/GpuSpecs.h"

#include <QCoreApplication>
#include <QHash>
#include <QLocale>

#include <algorithm>

namespace vibeml::cost {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CostTable", text);
}

// Host memory a node needs to load the model before it reaches the GPUs.
double hostMemoryNeededGiB(const ModelFacts &model)
{
    return std::max(16.0, static_cast<double>(model.parameters) * 2.0 * 1.2 / kGiB);
}

// Instance types that differ only in CPUs and host memory are one offer: keep the cheapest
// with enough host memory (or the biggest when none has enough).
QList<catalog::InstanceOffer> distinctInstances(const QList<catalog::InstanceOffer> &instances, const ModelFacts &model,
                                                const OfferFilter &filter)
{
    const double neededHost = hostMemoryNeededGiB(model);
    QHash<QString, catalog::InstanceOffer> best;
    QStringList order;
    for (const catalog::InstanceOffer &instance : instances) {
        if (!filter.region.isEmpty() && instance.region != filter.region)
            continue;
        if (!filter.gpu.isEmpty() && instance.accelerator.compare(filter.gpu, Qt::CaseInsensitive) != 0)
            continue;
        if (filter.gpuCount > 0 && instance.acceleratorCount != filter.gpuCount)
            continue;
        const std::optional<catalog::GpuSpec> spec = catalog::gpuSpec(instance.accelerator, instance.instanceType);
        const QString key = instance.cloud + QLatin1Char('|') + instance.region + QLatin1Char('|') + instance.accelerator
                            + QLatin1Char('|') + QString::number(instance.acceleratorCount) + QLatin1Char('|')
                            + (spec ? spec->variant : QString());
        const auto found = best.find(key);
        if (found == best.end()) {
            best.insert(key, instance);
            order.append(key);
            continue;
        }
        const bool candidateEnough = instance.hostMemoryGiB >= neededHost;
        const bool currentEnough = found->hostMemoryGiB >= neededHost;
        if ((candidateEnough && !currentEnough) || (candidateEnough == currentEnough && candidateEnough && instance.pricePerHour < found->pricePerHour)
            || (!candidateEnough && !currentEnough && instance.hostMemoryGiB > found->hostMemoryGiB))
            *found = instance;
    }
    QList<catalog::InstanceOffer> result;
    for (const QString &key : std::as_const(order))
        result.append(best.value(key));
    return result;
}

OfferEstimate estimateOffer(const catalog::InstanceOffer &instance, const catalog::GpuSpec &gpu, int nodes, bool spot,
                            bool launchable, const ModelFacts &model, const DatasetFacts &data, const TrainingSettings &settings)
{
    OfferEstimate offer;
    offer.instance = instance;
    offer.gpu = gpu;
    offer.nodes = nodes;
    offer.spot = spot;
    offer.launchable = launchable;
    offer.pricePerHour = (spot ? *instance.spotPricePerHour : instance.pricePerHour) * nodes;
    const double gpuMemory = instance.gpuMemoryGiB > 0 ? instance.gpuMemoryGiB : gpu.memoryGiB;
    offer.memory = estimateMemory(model, settings, offer.totalGpus(), gpuMemory);
    offer.fit = fitOnGpu(offer.memory, gpuMemory);

    ClusterShape shape;
    shape.gpu = gpu;
    shape.gpusPerNode = instance.acceleratorCount;
    shape.nodes = nodes;
    shape.infiniBand = catalog::hasInfiniBand(instance);
    shape.spot = spot;
    offer.time = estimateTime(model, data, settings, shape);
    offer.costUsd = offer.time.totalHours.scaled(offer.pricePerHour);
    offer.notes = offer.time.notes;
    if (spot) {
        const double discount = 1.0 - *instance.spotPricePerHour / instance.pricePerHour;
        offer.notes.prepend(tr("spot: %1 % cheaper than on-demand, may be preempted; VibeML resumes from the last "
                               "checkpoint")
                                .arg(qRound(discount * 100)));
    }
    if (const std::optional<QString> stack = trainingStackProblem(instance.accelerator); stack && launchable) {
        offer.launchable = false;
        offer.notes.prepend(tr("compare only: %1").arg(*stack));
    } else if (!launchable) {
        offer.notes.prepend(tr("compare only: VibeML launches on Nebius"));
    }
    if (nodes > 1 && !shape.infiniBand)
        offer.notes.append(tr("nodes talk over Ethernet, not InfiniBand: multi-node scaling is poor"));
    if (isLora(settings.method) && offer.memory.parallelism == Parallelism::Sharded)
        offer.notes.append(tr("the base model is sharded over the GPUs with FSDP (a full copy does not fit on one)"));
    if (offer.fit.fit == Fit::Tight)
        offer.notes.append(tr("memory is tight: a longer batch or sequence may run out of memory"));
    return offer;
}

} // namespace

QString OfferEstimate::gpuLabel() const
{
    QString label = QStringLiteral("%1 × %2").arg(instance.accelerator).arg(instance.acceleratorCount);
    if (!gpu.variant.isEmpty() && gpu.variant != QLatin1String("SXM"))
        label = QStringLiteral("%1 %2 × %3").arg(instance.accelerator, gpu.variant).arg(instance.acceleratorCount);
    if (nodes > 1)
        label += tr(" × %1 nodes").arg(nodes);
    return label;
}

QString OfferEstimate::key() const
{
    return QStringLiteral("%1/%2/%3/%4/%5")
        .arg(instance.cloud, instance.region, instance.instanceType)
        .arg(nodes)
        .arg(spot ? QStringLiteral("spot") : QStringLiteral("on-demand"));
}

const OfferEstimate *CostTable::cheapest() const
{
    for (const OfferEstimate &offer : offers) {
        if (offer.cheapest)
            return &offer;
    }
    return nullptr;
}

const OfferEstimate *CostTable::fastest() const
{
    for (const OfferEstimate &offer : offers) {
        if (offer.fastest)
            return &offer;
    }
    return nullptr;
}

QList<const OfferEstimate *> CostTable::paretoFrontier() const
{
    QList<const OfferEstimate *> frontier;
    for (const OfferEstimate &offer : offers) {
        if (offer.paretoOptimal)
            frontier.append(&offer);
    }
    std::sort(frontier.begin(), frontier.end(), [](const OfferEstimate *a, const OfferEstimate *b) {
        return a->time.totalHours.expected < b->time.totalHours.expected;
    });
    return frontier;
}

CostTable buildCostTable(const catalog::Catalog &catalog, const ModelFacts &model, const DatasetFacts &data,
                         const TrainingSettings &settings, const OfferFilter &filter)
{
    CostTable table;
    // The launch cloud first, then the clouds shown for comparison.
    for (const bool launchable : {true, false}) {
        for (const catalog::CatalogSource &source : catalog.sources()) {
            if (catalog.isLaunchable(source.cloud) == launchable)
                table.catalogNotes.append(source.describe() + (launchable ? QString() : tr(" — compare only")));
        }
    }

    for (const catalog::InstanceOffer &instance : distinctInstances(catalog.offers(), model, filter)) {
        const bool launchable = catalog.isLaunchable(instance.cloud);
        if (!launchable && !filter.includeCompareOnly)
            continue;
        const std::optional<catalog::GpuSpec> spec = catalog::gpuSpec(instance.accelerator, instance.instanceType);
        if (!spec)
            continue;
        for (int nodes : filter.nodeCounts) {
            if (nodes < 1 || (nodes > 1 && instance.acceleratorCount < 8))
                continue;
            if (filter.includeOnDemand)
                table.offers.append(estimateOffer(instance, *spec, nodes, false, launchable, model, data, settings));
            if (filter.includeSpot && instance.spotPricePerHour && *instance.spotPricePerHour > 0)
                table.offers.append(estimateOffer(instance, *spec, nodes, true, launchable, model, data, settings));
        }
    }

    // Fitting offers first, cheapest first; then the rest, closest to fitting first.
    std::stable_sort(table.offers.begin(), table.offers.end(), [](const OfferEstimate &a, const OfferEstimate &b) {
        if (a.fitsInMemory() != b.fitsInMemory())
            return a.fitsInMemory();
        if (a.fitsInMemory())
            return a.costUsd.expected < b.costUsd.expected;
        return a.fit.fraction() < b.fit.fraction();
    });

    OfferEstimate *cheapest = nullptr;
    OfferEstimate *fastest = nullptr;
    for (OfferEstimate &offer : table.offers) {
        if (!offer.fitsInMemory() || !offer.launchable)
            continue;
        if (!cheapest || offer.costUsd.expected < cheapest->costUsd.expected)
            cheapest = &offer;
        if (!fastest || offer.time.totalHours.expected < fastest->time.totalHours.expected)
            fastest = &offer;
        offer.paretoOptimal = true;
    }
    if (cheapest)
        cheapest->cheapest = true;
    if (fastest)
        fastest->fastest = true;
    // An offer leaves the frontier when another is at least as good on both axes and better on one.
    for (OfferEstimate &offer : table.offers) {
        if (!offer.paretoOptimal)
            continue;
        for (const OfferEstimate &other : std::as_const(table.offers)) {
            if (&other == &offer || !other.fitsInMemory() || !other.launchable)
                continue;
            const bool noWorse = other.costUsd.expected <= offer.costUsd.expected
                                 && other.time.totalHours.expected <= offer.time.totalHours.expected;
            const bool better = other.costUsd.expected < offer.costUsd.expected
                                || other.time.totalHours.expected < offer.time.totalHours.expected;
            if (noWorse && better) {
                offer.paretoOptimal = false;
                break;
            }
        }
    }
    return table;
}

QString formatDollars(double usd)
{
    const QLocale locale(QLocale::English, QLocale::UnitedStates);
    if (usd < 1000.0)
        return QStringLiteral("$") + locale.toString(usd, 'f', 2);
    return QStringLiteral("$") + locale.toString(usd, 'f', 0);
}

} // namespace vibeml::cost
