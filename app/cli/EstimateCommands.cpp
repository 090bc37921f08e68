#include "cli/EstimateCommands.h"

#include "catalog/Catalog.h"
#include "catalog/GpuSpecs.h"
#include "cli/ArgumentParser.h"
#include "cli/ExitCode.h"
#include "cli/PlanOptions.h"
#include "cost/PlanEstimator.h"
#include "hub/ModelSupport.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

namespace vibeml {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("EstimateCommands", text);
}

QString rangeText(const cost::Range &range, QString (*format)(double))
{
    return QStringLiteral("%1 (%2–%3)").arg(format(range.expected), format(range.low), format(range.high));
}

QString dollars(double usd)
{
    return cost::formatDollars(usd);
}

QString marks(const cost::OfferEstimate &offer)
{
    QString text;
    if (offer.cheapest)
        text += QLatin1Char('C');
    if (offer.fastest)
        text += QLatin1Char('F');
    if (offer.paretoOptimal)
        text += QLatin1Char('P');
    return text;
}

QJsonObject rangeJson(const cost::Range &range)
{
    return QJsonObject{{QStringLiteral("low"), range.low}, {QStringLiteral("expected"), range.expected}, {QStringLiteral("high"), range.high}};
}

} // namespace

QJsonObject offerJson(const cost::OfferEstimate &offer, const cost::BudgetDecision &budget)
{
    return QJsonObject{
        {QStringLiteral("cloud"), offer.instance.cloud},
        {QStringLiteral("region"), offer.instance.region},
        {QStringLiteral("instanceType"), offer.instance.instanceType},
        {QStringLiteral("gpu"), offer.instance.accelerator},
        {QStringLiteral("gpusPerNode"), offer.instance.acceleratorCount},
        {QStringLiteral("nodes"), offer.nodes},
        {QStringLiteral("spot"), offer.spot},
        {QStringLiteral("launchable"), offer.launchable},
        {QStringLiteral("pricePerHour"), offer.pricePerHour},
        {QStringLiteral("fit"), cost::fitName(offer.fit.fit)},
        {QStringLiteral("memoryNeededGB"), offer.fit.neededBytes / 1e9},
        {QStringLiteral("memoryAvailableGB"), offer.fit.availableBytes / 1e9},
        {QStringLiteral("parallelism"), cost::parallelismName(offer.memory.parallelism)},
        {QStringLiteral("hours"), rangeJson(offer.time.totalHours)},
        {QStringLiteral("costUsd"), rangeJson(offer.costUsd)},
        {QStringLiteral("cheapest"), offer.cheapest},
        {QStringLiteral("fastest"), offer.fastest},
        {QStringLiteral("pareto"), offer.paretoOptimal},
        {QStringLiteral("budget"), cost::verdictName(budget.verdict)},
        {QStringLiteral("budgetReasons"), QJsonArray::fromStringList(budget.reasons)},
        {QStringLiteral("worstCaseUsd"), budget.worstCaseUsd},
        {QStringLiteral("notes"), QJsonArray::fromStringList(offer.notes)},
    };
}

void printEstimateTable(const cost::PlanEstimate &estimate, const cost::TrainingSettings &settings, bool all, QTextStream &out)
{
    const cost::ModelFacts &model = estimate.modelFacts;
    const cost::DatasetFacts &data = estimate.datasetFacts;
    const QLocale locale = QLocale::system();
    const QString length = settings.maxSteps > 0 ? tr("%1 steps").arg(settings.maxSteps)
                           : settings.epochs == 1.0 ? tr("1 epoch")
                                                    : tr("%1 epochs").arg(settings.epochs);
    out << tr("Plan: %1 of %2 (%3 parameters) on %4 (%5 rows), %6")
               .arg(cost::methodTitle(settings.method), model.id, hub::formatParameterCount(model.parameters), data.id,
                    locale.toString(data.rows), length)
        << '\n';
    if (data.tokensPerRow > 0)
        out << tr("Tokens per row: about %1 (%2)").arg(locale.toString(qRound64(data.tokensPerRow)), estimate.dataset.tokens.basis) << '\n';
    else
        out << tr("Tokens per row: unknown; the estimates assume rows fill half the sequence length") << '\n';
    for (const QString &note : estimate.table.catalogNotes)
        out << tr("Catalog: %1").arg(note) << '\n';
    if (estimate.monthSpentUsd)
        out << tr("Spent this month: %1").arg(dollars(*estimate.monthSpentUsd)) << '\n';
    else
        out << tr("Spent this month: unknown (the job journal could not be read)") << '\n';
    out << '\n';

    const QStringList header = {QString(), tr("GPU"), tr("Where"), tr("Pricing"), tr("Memory"), tr("Time"), tr("$/h"), tr("Total"), tr("Budget")};
    QList<QStringList> rows;
    int hidden = 0;
    for (qsizetype i = 0; i < estimate.table.offers.size(); ++i) {
        const cost::OfferEstimate &offer = estimate.table.offers.at(i);
        if (!all && (!offer.fitsInMemory() || !offer.launchable)) {
            ++hidden;
            continue;
        }
        QStringList row{marks(offer), offer.gpuLabel(), offer.instance.cloud + QLatin1Char('/') + offer.instance.region,
                        offer.spot ? tr("spot") : tr("on-demand"),
                        QStringLiteral("%1 %2 %").arg(cost::fitName(offer.fit.fit)).arg(qRound(offer.fit.fraction() * 100)),
                        rangeText(offer.time.totalHours, &cost::formatHours), dollars(offer.pricePerHour),
                        rangeText(offer.costUsd, &dollars), cost::verdictName(estimate.budget.at(i).verdict)};
        // The same offer in several regions of one cloud reads better as one row.
        if (!rows.isEmpty()) {
            QStringList &previous = rows.last();
            const QString cloudPrefix = offer.instance.cloud + QLatin1Char('/');
            bool same = previous.at(2).startsWith(cloudPrefix);
            for (int c : {0, 1, 3, 4, 5, 6, 7, 8})
                same = same && previous.at(c) == row.at(c);
            if (same) {
                previous[2] += QStringLiteral(", ") + offer.instance.region;
                continue;
            }
        }
        rows.append(row);
    }
    QList<qsizetype> widths(header.size(), 0);
    for (qsizetype c = 0; c < header.size(); ++c) {
        widths[c] = header.at(c).size();
        for (const QStringList &row : std::as_const(rows))
            widths[c] = std::max(widths[c], row.at(c).size());
    }
    const auto printRow = [&out, &widths](const QStringList &row) {
        QString line;
        for (qsizetype c = 0; c < row.size(); ++c)
            line += row.at(c).leftJustified(widths.at(c)) + QStringLiteral("  ");
        while (line.endsWith(QLatin1Char(' ')))
            line.chop(1);
        out << line << '\n';
    };
    printRow(header);
    for (const QStringList &row : std::as_const(rows))
        printRow(row);
    if (rows.isEmpty())
        out << tr("No launchable offer fits this plan in GPU memory. Try QLoRA, a shorter sequence or more GPUs.") << '\n';
    out << '\n' << tr("C cheapest, F fastest, P on the time/cost frontier. Times include provisioning, set-up and downloads.") << '\n';
    if (hidden > 0)
        out << tr("%1 more offers do not fit or are on other clouds; --all shows them.").arg(hidden) << '\n';
    if (const cost::OfferEstimate *best = estimate.table.cheapest()) {
        const qsizetype index = best - estimate.table.offers.constData();
        out << tr("Cheapest: %1 %2 in %3, %4 expected; budget %5.")
                   .arg(best->gpuLabel(), best->spot ? tr("spot") : tr("on-demand"), best->instance.region,
                        dollars(best->costUsd.expected), estimate.budget.at(index).summary())
            << '\n';
    }
}

QString EstimateCommand::summary() const
{
    return tr("Price a plan on every GPU offer: fit, time and cost ranges, budget");
}

QString EstimateCommand::help() const
{
    return tr("Usage: vibeml estimate --model ID --dataset ID [options]\n\n"
              "Checks the model and dataset on the Hub (or the offline snapshot), then estimates GPU memory, time and\n"
              "cost on every offer of the bundled catalogs (Nebius launchable, others to compare), ranks them by\n"
              "expected cost and applies your budget. Nothing is launched.\n\n")
           + planOptionsHelp()
           + tr("  --all                  also list offers that do not fit and other clouds' offers\n"
                "  --json                 print the whole estimate as JSON\n\n"
                "Exit codes: 0 at least one offer fits, 2 wrong arguments, 3 the Hub could not be reached, 4 nothing fits or the\n"
                "model or dataset cannot be used.\n");
}

void EstimateCommand::run(const QStringList &arguments, CliContext &context, Finish finish)
{
    ArgumentParser parsing(name());
    QCommandLineParser &parser = parsing.parser();
    addPlanOptions(parser);
    parser.addOption({QStringLiteral("all"), tr("Show every offer.")});
    parser.addOption({QStringLiteral("json"), tr("Print JSON.")});
    if (!parsing.parse(arguments, context, 0, 0)) {
        finish(ExitUsage);
        return;
    }
    QString problem;
    const std::optional<cost::PlanRequest> request = planRequestFrom(parser, &problem);
    if (!request) {
        context.err << QStringLiteral("vibeml estimate: ") << problem << '\n';
        finish(ExitUsage);
        return;
    }
    const bool json = parser.isSet(QStringLiteral("json"));
    const bool all = parser.isSet(QStringLiteral("all"));
    context.prepareHub([&context, request = *request, json, all, finish] {
        auto *estimator = new cost::PlanEstimator(*context.hub, context.catalog(), context.hub);
        estimator->setBudget(cost::BudgetLimits::fromSettings(context.settings), context.monthSpentUsd());
        QObject::connect(estimator, &cost::PlanEstimator::finished, estimator,
                         [estimator, &context, request, json, all, finish](const cost::PlanEstimate &estimate) {
                             estimator->deleteLater();
                             const bool anyFits = estimate.table.cheapest() != nullptr;
                             if (json) {
                                 QJsonArray offers;
                                 for (qsizetype i = 0; i < estimate.table.offers.size(); ++i)
                                     offers.append(offerJson(estimate.table.offers.at(i), estimate.budget.at(i)));
                                 const QJsonObject root{
                                     {QStringLiteral("model"), estimate.modelFacts.id},
                                     {QStringLiteral("dataset"), estimate.datasetFacts.id},
                                     {QStringLiteral("method"), cost::methodName(request.settings.method)},
                                     {QStringLiteral("parameters"), static_cast<double>(estimate.modelFacts.parameters)},
                                     {QStringLiteral("tokens"), estimate.table.offers.isEmpty() ? 0.0 : estimate.table.offers.first().time.tokens},
                                     {QStringLiteral("catalogs"), QJsonArray::fromStringList(estimate.table.catalogNotes)},
                                     {QStringLiteral("monthSpentUsd"), estimate.monthSpentUsd ? QJsonValue(*estimate.monthSpentUsd) : QJsonValue()},
                                     {QStringLiteral("blockers"), QJsonArray::fromStringList(estimate.blockers)},
                                     {QStringLiteral("offers"), offers}};
                                 context.out << QJsonDocument(root).toJson(QJsonDocument::Indented);
                             } else {
                                 for (const hub::CheckLine &line : estimate.model.checks + estimate.dataset.checks) {
                                     if (line.verdict == hub::CheckLine::Verdict::Fail)
                                         context.err << tr("Warning: %1: %2").arg(line.title, line.text) << '\n';
                                 }
                                 if (!estimate.hasEstimates()) {
                                     for (const QString &blocker : estimate.blockers)
                                         context.err << QStringLiteral("vibeml estimate: ") << blocker << '\n';
                                 } else {
                                     printEstimateTable(estimate, request.settings, all, context.out);
                                 }
                             }
                             if (!estimate.hasEstimates())
                                 finish(estimate.model.infoError && estimate.model.infoError->isRetryable() ? ExitUnavailable : ExitNotReady);
                             else
                                 finish(anyFits ? ExitOk : ExitNotReady);
                         });
        estimator->estimate(request);
    });
}

QString GpusCommand::summary() const
{
    return tr("List the GPU offers of the catalogs with their prices");
}

QString GpusCommand::help() const
{
    return tr("Usage: vibeml gpus [--cloud NAME] [--gpu NAME] [--region NAME] [--json]\n\n"
              "Every GPU instance in the catalogs VibeML uses (bundled snapshots, or SkyPilot's fresher copies in\n"
              "~/.sky/catalogs), with GPU memory, on-demand and spot prices. Nebius offers can be launched; the\n"
              "others are for comparison.\n\n"
              "  --cloud NAME     only this cloud (nebius, aws, gcp, …)\n"
              "  --gpu NAME       only this accelerator (H100, H200, L40S, …)\n"
              "  --region NAME    only this region\n"
              "  --json           print the offers as JSON\n\n"
              "Exit codes: 0 listed (also when nothing matches), 2 wrong arguments.\n");
}

void GpusCommand::run(const QStringList &arguments, CliContext &context, Finish finish)
{
    ArgumentParser parsing(name());
    QCommandLineParser &parser = parsing.parser();
    parser.addOption({QStringLiteral("cloud"), tr("Only this cloud."), tr("NAME")});
    parser.addOption({QStringLiteral("gpu"), tr("Only this accelerator."), tr("NAME")});
    parser.addOption({QStringLiteral("region"), tr("Only this region."), tr("NAME")});
    parser.addOption({QStringLiteral("json"), tr("Print JSON.")});
    if (!parsing.parse(arguments, context, 0, 0)) {
        finish(ExitUsage);
        return;
    }
    const catalog::Catalog &catalog = context.catalog();
    const QString cloud = parser.value(QStringLiteral("cloud")).toLower();
    const QString gpu = parser.value(QStringLiteral("gpu"));
    const QString region = parser.value(QStringLiteral("region"));
    QList<catalog::InstanceOffer> offers;
    for (const catalog::InstanceOffer &offer : catalog.offers()) {
        if ((cloud.isEmpty() || offer.cloud == cloud) && (gpu.isEmpty() || offer.accelerator.compare(gpu, Qt::CaseInsensitive) == 0)
            && (region.isEmpty() || offer.region == region))
            offers.append(offer);
    }
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray rows;
        for (const catalog::InstanceOffer &offer : std::as_const(offers))
            rows.append(QJsonObject{{QStringLiteral("cloud"), offer.cloud},
                                    {QStringLiteral("region"), offer.region},
                                    {QStringLiteral("instanceType"), offer.instanceType},
                                    {QStringLiteral("gpu"), offer.accelerator},
                                    {QStringLiteral("count"), offer.acceleratorCount},
                                    {QStringLiteral("gpuMemoryGiB"), offer.gpuMemoryGiB},
                                    {QStringLiteral("vcpus"), offer.vcpus},
                                    {QStringLiteral("hostMemoryGiB"), offer.hostMemoryGiB},
                                    {QStringLiteral("pricePerHour"), offer.pricePerHour},
                                    {QStringLiteral("spotPricePerHour"), offer.spotPricePerHour ? QJsonValue(*offer.spotPricePerHour) : QJsonValue()},
                                    {QStringLiteral("launchable"), catalog.isLaunchable(offer.cloud)}});
        QJsonArray sources;
        for (const catalog::CatalogSource &source : catalog.sources())
            sources.append(source.describe());
        context.out << QJsonDocument(QJsonObject{{QStringLiteral("catalogs"), sources}, {QStringLiteral("offers"), rows}})
                           .toJson(QJsonDocument::Indented);
        finish(ExitOk);
        return;
    }
    for (const catalog::CatalogSource &source : catalog.sources())
        context.out << tr("Catalog: %1").arg(source.describe()) << '\n';
    context.out << '\n'
                << QStringLiteral("%1  %2  %3  %4  %5  %6  %7")
                       .arg(tr("GPU").leftJustified(14), tr("Memory").leftJustified(8), tr("Cloud/region").leftJustified(22),
                            tr("Instance type").leftJustified(36), tr("$/h").leftJustified(9), tr("Spot $/h").leftJustified(9),
                            QString())
                       .trimmed()
                << '\n';
    for (const catalog::InstanceOffer &offer : std::as_const(offers)) {
        context.out << QStringLiteral("%1  %2  %3  %4  %5  %6  %7")
                           .arg(QStringLiteral("%1 × %2").arg(offer.accelerator).arg(offer.acceleratorCount).leftJustified(14),
                                QStringLiteral("%1 GiB").arg(qRound(offer.gpuMemoryGiB)).leftJustified(8),
                                QString(offer.cloud + QLatin1Char('/') + offer.region).leftJustified(22), offer.instanceType.leftJustified(36),
                                dollars(offer.pricePerHour).leftJustified(9),
                                (offer.spotPricePerHour ? dollars(*offer.spotPricePerHour) : QStringLiteral("–")).leftJustified(9),
                                catalog.isLaunchable(offer.cloud) ? QString() : tr("compare only"))
                           .trimmed()
                    << '\n';
    }
    if (offers.isEmpty())
        context.out << tr("No offer matches.") << '\n';
    finish(ExitOk);
}

} // namespace vibeml
