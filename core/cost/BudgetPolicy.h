#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace vibeml {
class Settings;
}

namespace vibeml::cost {

struct OfferEstimate;
struct TrainingSettings;

struct BudgetLimits
{
    double perJobUsd = 50;
    double monthlyUsd = 500;
    double warnFraction = 0.8;
    double approvalThresholdUsd = 10;

    static BudgetLimits fromSettings(const Settings &settings);
};

// The most a run can cost: with a runtime cap, the cap's hours at the cluster's price (the run is
// stopped there, so this is a guarantee); without one, the high end of the estimate.
struct WorstCase
{
    double usd = 0;
    QString basis; // "max runtime 6 h × $23.60/h" or "high estimate (4.1 h × $23.60/h)"
};
WorstCase worstCaseCost(const OfferEstimate &offer, const TrainingSettings &settings);
// The same from the figures a saved plan keeps.
WorstCase worstCaseCost(double pricePerHour, double highHours, double highUsd, std::optional<double> maxRuntimeHours);

enum class BudgetVerdict { Ok, Warn, NeedsApproval, Refused };
QString verdictName(BudgetVerdict verdict); // "ok", "warn", "needs approval", "refused"

struct BudgetDecision
{
    BudgetVerdict verdict = BudgetVerdict::Ok;
    double worstCaseUsd = 0;
    double monthSpentUsd = 0;
    QStringList reasons; // in dollars: "worst case $61.20 exceeds the per-run budget of $50.00"

    bool allowsLaunch() const { return verdict != BudgetVerdict::Refused; }
    QString summary() const;
};

// Refused when the worst case exceeds the per-run cap or would take the month past its cap;
// needs approval above the approval threshold; warns when the run or the month would pass the
// warn-at fraction of its cap. A cost exactly at a cap is allowed.
BudgetDecision decideBudget(const BudgetLimits &limits, const WorstCase &worstCase, double monthSpentUsd);

} // namespace vibeml::cost
