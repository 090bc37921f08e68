#pragma once

#include "cli/CliCommand.h"
#include "cost/PlanEstimator.h"

#include <QJsonObject>

namespace vibeml {

// Shared with `launch-training`: one offer as JSON, and the human table of an estimate.
QJsonObject offerJson(const cost::OfferEstimate &offer, const cost::BudgetDecision &budget);
void printEstimateTable(const cost::PlanEstimate &estimate, const cost::TrainingSettings &settings, bool all, QTextStream &out);

// `vibeml estimate`: the offers table (fit, time range, cost range, budget) for a plan.
class EstimateCommand : public CliCommand
{
public:
    QString name() const override { return QStringLiteral("estimate"); }
    QString summary() const override;
    QString help() const override;
    void run(const QStringList &arguments, CliContext &context, Finish finish) override;
};

// `vibeml gpus`: what the catalogs offer, with prices and where the data comes from.
class GpusCommand : public CliCommand
{
public:
    QString name() const override { return QStringLiteral("gpus"); }
    QString summary() const override;
    QString help() const override;
    void run(const QStringList &arguments, CliContext &context, Finish finish) override;
};

} // namespace vibeml
