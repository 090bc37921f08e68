#include "sky/LaunchDraft.h"

#include <QCoreApplication>
#include <QDir>

namespace vibeml::sky {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("LaunchDraft", text);
}

template<typename Report>
void addFailures(QStringList &blockers, const Report &report)
{
    for (const hub::CheckLine &line : report.checks) {
        if (line.verdict == hub::CheckLine::Verdict::Fail)
            blockers.append(QStringLiteral("%1: %2").arg(line.title, line.text));
    }
}

bool restricted(hub::GatedMode gated, bool isPrivate)
{
    return gated != hub::GatedMode::NotGated || isPrivate;
}

} // namespace

QStringList launchBlockers(const cost::PlanEstimate &estimate, qsizetype offerIndex)
{
    QStringList blockers = estimate.blockers;
    addFailures(blockers, estimate.model);
    addFailures(blockers, estimate.dataset);
    if (estimate.model.info && estimate.model.pinnedSha.isEmpty())
        blockers.append(tr("The model's commit is not pinned (the answer came from the offline snapshot); connect to "
                           "the Hub to launch."));
    if (estimate.dataset.info && estimate.dataset.pinnedSha.isEmpty())
        blockers.append(tr("The dataset's commit is not pinned (the answer came from the offline snapshot); connect "
                           "to the Hub to launch."));
    if (offerIndex < 0 || offerIndex >= estimate.table.offers.size()) {
        if (estimate.hasEstimates())
            blockers.append(tr("Choose a GPU offer."));
        return blockers;
    }
    const cost::OfferEstimate &offer = estimate.table.offers.at(offerIndex);
    if (!offer.launchable)
        blockers.append(tr("%1 offers are shown to compare prices only; VibeML launches on Nebius.").arg(offer.instance.cloud));
    if (!offer.fitsInMemory())
        blockers.append(tr("The plan does not fit on %1: %2.").arg(offer.gpuLabel(), offer.fit.text()));
    if (const std::optional<QString> stack = cost::trainingStackProblem(offer.instance.accelerator))
        blockers.append(*stack + QLatin1Char('.'));
    if (offerIndex < estimate.budget.size() && !estimate.budget.at(offerIndex).allowsLaunch())
        blockers.append(estimate.budget.at(offerIndex).reasons);
    return blockers;
}

Result<LaunchPlan, QString> draftLaunchPlan(const QString &jobId, const cost::PlanEstimate &estimate, qsizetype offerIndex,
                                            const cost::TrainingSettings &settings, const LaunchChoices &choices)
{
    if (offerIndex < 0 || offerIndex >= estimate.table.offers.size())
        return tr("No GPU offer is chosen.");
    const cost::OfferEstimate &offer = estimate.table.offers.at(offerIndex);
    const hub::DatasetReport &data = estimate.dataset;
    LaunchPlan plan = planFromOffer(jobId, estimate.modelFacts, estimate.model.pinnedSha, estimate.datasetFacts,
                                    data.pinnedSha, data.config, data.split, data.format.mapping, settings, offer);
    plan.outputRepo = choices.outputRepo.trimmed();
    plan.downloadDir = choices.downloadDir.isEmpty() ? QString() : QDir(choices.downloadDir).absolutePath();
    plan.outputPrivate = choices.outputPrivate;
    plan.useWandb = choices.useWandb;
    plan.idleMinutes = std::max(5, choices.idleMinutes);
    const bool modelRestricted = estimate.model.info && restricted(estimate.model.info->gated, estimate.model.info->isPrivate);
    const bool dataRestricted = data.info && restricted(data.info->gated, data.info->isPrivate);
    plan.useHfToken = modelRestricted || dataRestricted || !plan.outputRepo.isEmpty();
    for (const QString &note : estimate.table.catalogNotes) {
        if (note.startsWith(offer.instance.cloud, Qt::CaseInsensitive)) {
            plan.catalogNote = note;
            break;
        }
    }
    return plan;
}

} // namespace vibeml::sky
