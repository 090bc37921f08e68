#include "cost/PlanEstimator.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace vibeml::cost {

ModelFacts modelFacts(const hub::ModelReport &report)
{
    ModelFacts facts;
    facts.id = report.canonicalId.isEmpty() ? report.requestedId : report.canonicalId;
    facts.parameters = report.parameters.count;
    facts.config = report.config;
    facts.downloadBytes = report.downloadBytes.value_or(0);
    facts.quantizedCheckpoint = report.parameters.quantized;
    return facts;
}

DatasetFacts datasetFacts(const hub::DatasetReport &report)
{
    DatasetFacts facts;
    facts.id = report.canonicalId.isEmpty() ? report.requestedId : report.canonicalId;
    facts.rows = report.rowCount.value_or(0);
    facts.tokensPerRow = report.tokens.tokensPerRow;
    facts.bytes = report.splitBytes.value_or(0);
    return facts;
}

PlanEstimate priceFacts(const catalog::Catalog &catalog, const ModelFacts &model, const DatasetFacts &data,
                        const TrainingSettings &settings, const OfferFilter &filter, const BudgetLimits &limits,
                        std::optional<double> monthSpentUsd)
{
    PlanEstimate estimate;
    estimate.modelFacts = model;
    estimate.datasetFacts = data;
    estimate.monthSpentUsd = monthSpentUsd;
    if (model.parameters <= 0)
        estimate.blockers.append(QCoreApplication::translate("PlanEstimator", "The model's size is unknown, so no GPU can be sized for it."));
    if (data.rows <= 0 && settings.maxSteps <= 0)
        estimate.blockers.append(QCoreApplication::translate(
            "PlanEstimator", "The dataset's row count is unknown; set a number of steps (--max-steps) to estimate time."));
    if (!estimate.hasEstimates())
        return estimate;
    estimate.table = buildCostTable(catalog, model, data, settings, filter);
    for (const OfferEstimate &offer : std::as_const(estimate.table.offers))
        estimate.budget.append(decideBudget(limits, worstCaseCost(offer, settings), monthSpentUsd.value_or(0)));
    return estimate;
}

PlanEstimator::PlanEstimator(hub::HubClient &client, const catalog::Catalog &catalog, QObject *parent)
    : QObject(parent), m_catalog(catalog), m_modelValidator(client), m_datasetValidator(client)
{
    connect(&m_modelValidator, &hub::ModelValidator::finished, this, [this](const hub::ModelReport &report) {
        m_model = report;
        settle();
    });
    connect(&m_datasetValidator, &hub::DatasetValidator::finished, this, [this](const hub::DatasetReport &report) {
        m_dataset = report;
        settle();
    });
}

void PlanEstimator::setBudget(const BudgetLimits &limits, std::optional<double> monthSpentUsd)
{
    m_limits = limits;
    m_monthSpent = monthSpentUsd;
}

void PlanEstimator::estimate(const PlanRequest &request)
{
    m_request = request;
    m_model.reset();
    m_dataset.reset();
    m_modelValidator.validate(request.modelId, request.modelRevision);
    m_datasetValidator.validate(request.dataset);
}

void PlanEstimator::settle()
{
    if (!m_model || !m_dataset)
        return;
    Q_EMIT finished(priceReports(m_catalog, *m_model, *m_dataset, m_request.settings, m_request.filter, m_limits, m_monthSpent));
}

PlanEstimate priceReports(const catalog::Catalog &catalog, const hub::ModelReport &model, const hub::DatasetReport &dataset,
                          const TrainingSettings &settings, const OfferFilter &filter, const BudgetLimits &limits,
                          std::optional<double> monthSpentUsd)
{
    PlanEstimate estimate
        = priceFacts(catalog, modelFacts(model), datasetFacts(dataset), settings, filter, limits, monthSpentUsd);
    estimate.model = model;
    estimate.dataset = dataset;
    if (!model.info)
        estimate.blockers.prepend(model.checks.value(0).text);
    if (!dataset.info)
        estimate.blockers.prepend(dataset.checks.value(0).text);
    return estimate;
}

std::optional<double> parseDurationHours(const QString &text)
{
    static const QRegularExpression pattern(
        QStringLiteral("^\\s*(?:(\\d+(?:\\.\\d+)?)\\s*d)?\\s*(?:(\\d+(?:\\.\\d+)?)\\s*h)?\\s*(?:(\\d+(?:\\.\\d+)?)\\s*m(?:in)?)?\\s*$"),
        QRegularExpression::CaseInsensitiveOption);
    bool plainMinutes = false;
    const double minutes = text.trimmed().toDouble(&plainMinutes);
    if (plainMinutes)
        return minutes > 0 && minutes < 1e6 ? std::optional<double>(minutes / 60.0) : std::nullopt;
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch() || text.trimmed().isEmpty())
        return std::nullopt;
    const double hours = match.captured(1).toDouble() * 24.0 + match.captured(2).toDouble() + match.captured(3).toDouble() / 60.0;
    if (hours <= 0 || hours > 24.0 * 365)
        return std::nullopt;
    return hours;
}

} // namespace vibeml::cost
