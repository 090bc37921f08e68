#pragma once

#include "catalog/Catalog.h"
#include "cost/BudgetPolicy.h"
#include "cost/CostTable.h"
#include "hub/DatasetValidator.h"
#include "hub/ModelValidator.h"

#include <QObject>

#include <optional>

namespace vibeml::cost {

struct PlanRequest
{
    QString modelId;
    QString modelRevision;
    hub::DatasetRequest dataset;
    TrainingSettings settings;
    OfferFilter filter;
};

// A plan checked against the Hub and priced on every offer: what the CLI's `estimate`, the GUI's
// GPU and cost panels and the MCP server's estimate tool all show.
struct PlanEstimate
{
    hub::ModelReport model;
    hub::DatasetReport dataset;
    ModelFacts modelFacts;
    DatasetFacts datasetFacts;
    CostTable table;
    QList<BudgetDecision> budget;       // one per table.offers entry
    std::optional<double> monthSpentUsd; // absent when the ledger could not be read
    QStringList blockers;               // why no estimate could be made at all

    bool hasEstimates() const { return blockers.isEmpty(); }
};

ModelFacts modelFacts(const hub::ModelReport &report);
DatasetFacts datasetFacts(const hub::DatasetReport &report);

// Validates the model and the dataset in parallel, then prices the plan on every catalog offer
// and decides the budget for each.
class PlanEstimator : public QObject
{
    Q_OBJECT

public:
    PlanEstimator(hub::HubClient &client, const catalog::Catalog &catalog, QObject *parent = nullptr);

    void setBudget(const BudgetLimits &limits, std::optional<double> monthSpentUsd);
    void estimate(const PlanRequest &request);

Q_SIGNALS:
    void finished(const vibeml::cost::PlanEstimate &estimate);

private:
    void settle();

    const catalog::Catalog &m_catalog;
    hub::ModelValidator m_modelValidator;
    hub::DatasetValidator m_datasetValidator;
    BudgetLimits m_limits;
    std::optional<double> m_monthSpent;
    PlanRequest m_request;
    std::optional<hub::ModelReport> m_model;
    std::optional<hub::DatasetReport> m_dataset;
};

// Prices a plan whose facts are already known (no Hub calls): used by PlanEstimator and tests.
PlanEstimate priceFacts(const catalog::Catalog &catalog, const ModelFacts &model, const DatasetFacts &data,
                        const TrainingSettings &settings, const OfferFilter &filter, const BudgetLimits &limits,
                        std::optional<double> monthSpentUsd);

// What PlanEstimator answers once both reports are in, for reports a caller already has (the
// GUI's pickers validate as the user chooses, and re-price on every settings change without
// asking the Hub again): priceFacts on the reports' facts, with the reports and their blockers.
PlanEstimate priceReports(const catalog::Catalog &catalog, const hub::ModelReport &model, const hub::DatasetReport &dataset,
                          const TrainingSettings &settings, const OfferFilter &filter, const BudgetLimits &limits,
                          std::optional<double> monthSpentUsd);

// "6h", "90m", "1h30m", "2d", "45" (minutes) -> hours; nullopt for anything else.
std::optional<double> parseDurationHours(const QString &text);

} // namespace vibeml::cost
