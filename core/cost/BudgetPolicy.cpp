#include "cost/BudgetPolicy.h"

#include "config/Settings.h"
#include "cost/CostTable.h"

#include <QCoreApplication>

namespace vibeml::cost {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("BudgetPolicy", text);
}

// Dollar amounts are compared in whole cents so 50.00 is not "above" a $50 cap through rounding.
qint64 cents(double usd)
{
    return qRound64(usd * 100.0);
}

} // namespace

BudgetLimits BudgetLimits::fromSettings(const Settings &settings)
{
    BudgetLimits limits;
    limits.perJobUsd = settings.decimal(SettingKey::PerJobBudgetUsd);
    limits.monthlyUsd = settings.decimal(SettingKey::MonthlyBudgetUsd);
    limits.warnFraction = settings.decimal(SettingKey::BudgetWarnFraction);
    limits.approvalThresholdUsd = settings.decimal(SettingKey::ApprovalThresholdUsd);
    return limits;
}

WorstCase worstCaseCost(const OfferEstimate &offer, const TrainingSettings &settings)
{
    return worstCaseCost(offer.pricePerHour, offer.time.totalHours.high, offer.costUsd.high, settings.maxRuntimeHours);
}

WorstCase worstCaseCost(double pricePerHour, double highHours, double highUsd, std::optional<double> maxRuntimeHours)
{
    if (maxRuntimeHours && *maxRuntimeHours > 0)
        return {*maxRuntimeHours * pricePerHour,
                tr("max runtime %1 × %2/h").arg(formatHours(*maxRuntimeHours), formatDollars(pricePerHour))};
    return {highUsd, tr("high estimate (%1 × %2/h)").arg(formatHours(highHours), formatDollars(pricePerHour))};
}

QString verdictName(BudgetVerdict verdict)
{
    switch (verdict) {
    case BudgetVerdict::Ok:
        return tr("ok");
    case BudgetVerdict::Warn:
        return tr("warn");
    case BudgetVerdict::NeedsApproval:
        return tr("needs approval");
    case BudgetVerdict::Refused:
        return tr("refused");
    }
    return {};
}

BudgetDecision decideBudget(const BudgetLimits &limits, const WorstCase &worstCase, double monthSpentUsd)
{
    BudgetDecision decision;
    decision.worstCaseUsd = worstCase.usd;
    decision.monthSpentUsd = monthSpentUsd;
    const double monthAfter = monthSpentUsd + worstCase.usd;
    const QString worst = tr("worst case %1 (%2)").arg(formatDollars(worstCase.usd), worstCase.basis);

    if (cents(worstCase.usd) > cents(limits.perJobUsd)) {
        decision.verdict = BudgetVerdict::Refused;
        decision.reasons.append(tr("%1 exceeds the per-run budget of %2").arg(worst, formatDollars(limits.perJobUsd)));
    }
    if (cents(monthAfter) > cents(limits.monthlyUsd)) {
        decision.verdict = BudgetVerdict::Refused;
        decision.reasons.append(tr("%1 on top of %2 already spent this month exceeds the monthly budget of %3")
                                    .arg(worst, formatDollars(monthSpentUsd), formatDollars(limits.monthlyUsd)));
    }
    if (decision.verdict == BudgetVerdict::Refused)
        return decision;

    if (cents(worstCase.usd) > cents(limits.approvalThresholdUsd)) {
        decision.verdict = BudgetVerdict::NeedsApproval;
        decision.reasons.append(tr("%1 is above the approval threshold of %2").arg(worst, formatDollars(limits.approvalThresholdUsd)));
    }
    const bool monthWarning = cents(monthAfter) >= cents(limits.warnFraction * limits.monthlyUsd);
    const bool runWarning = cents(worstCase.usd) >= cents(limits.warnFraction * limits.perJobUsd);
    if (monthWarning)
        decision.reasons.append(tr("this month would reach %1 of the %2 budget (%3 %)")
                                    .arg(formatDollars(monthAfter), formatDollars(limits.monthlyUsd))
                                    .arg(qRound(monthAfter / limits.monthlyUsd * 100)));
    if (runWarning)
        decision.reasons.append(tr("%1 is %2 % of the per-run budget of %3")
                                    .arg(worst)
                                    .arg(qRound(worstCase.usd / limits.perJobUsd * 100))
                                    .arg(formatDollars(limits.perJobUsd)));
    if (decision.verdict == BudgetVerdict::Ok && (monthWarning || runWarning))
        decision.verdict = BudgetVerdict::Warn;
    if (decision.reasons.isEmpty())
        decision.reasons.append(tr("%1, within every budget").arg(worst));
    return decision;
}

QString BudgetDecision::summary() const
{
    return verdictName(verdict) + QStringLiteral(": ") + reasons.join(QStringLiteral("; "));
}

} // namespace vibeml::cost
