// Issue 9 item 6: how quickly a plan is priced on every offer, and how quickly the GPU panel's
// table and the cost chart show it.
//
// The plan: LoRA on Llama 3.1 8B (its real config.json), 100,000 rows of 700 tokens, default
// settings, every offer of every bundled catalog (all regions, GPUs, node counts, on-demand and
// spot, compare-only clouds included). "Ranking" is core's buildCostTable (memory fit, time and
// cost per offer, then the ordering and the cheapest / fastest / Pareto marks). "Plan to chart"
// is what the window does when a setting changes: priceFacts (the ranking plus a budget decision
// per offer), GpuOffersModel::setEstimate, CostChart::setEstimate, and the chart painted once
// (offscreen). Two plans alternate so every update really changes the chart.

#include "BenchSupport.h"

#include "catalog/Catalog.h"
#include "cost/CostTable.h"
#include "cost/PlanEstimator.h"
#include "hub/HubParsers.h"
#include "plan/CostChart.h"
#include "plan/GpuOffersModel.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace vibeml;
using namespace vibeml::bench;

namespace {

constexpr int kRankingRepeats = 50;
constexpr int kChartRepeats = 20;

cost::ModelFacts llama8b()
{
    cost::ModelFacts facts;
    facts.id = QStringLiteral("meta-llama/Llama-3.1-8B-Instruct");
    facts.parameters = 8030261248;
    facts.downloadBytes = facts.parameters * 2;
    QFile config(QStringLiteral(VIBEML_SOURCE_DIR "/tests/data/hub/config/meta-llama--Llama-3.1-8B-Instruct.json"));
    if (config.open(QIODevice::ReadOnly)) {
        if (auto parsed = hub::parseModelConfig(config.readAll()))
            facts.config = parsed.value();
    }
    return facts;
}

cost::DatasetFacts rows(qint64 count)
{
    cost::DatasetFacts facts;
    facts.id = QStringLiteral("HuggingFaceH4/ultrachat_200k");
    facts.rows = count;
    facts.tokensPerRow = 700;
    return facts;
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication application(argc, argv);
    QTemporaryDir empty(QDir::tempPath() + QStringLiteral("/vibeml-bench-XXXXXX"));
    const catalog::Catalog catalog = catalog::Catalog::load(empty.filePath(QStringLiteral("no-sky-catalogs")));
    const cost::ModelFacts model = llama8b();
    const cost::TrainingSettings settings;
    const cost::OfferFilter everything;

    std::vector<double> rankingMs;
    qsizetype offers = 0;
    for (int i = 0; i < kRankingRepeats; ++i) {
        QElapsedTimer timer;
        timer.start();
        const cost::CostTable table = cost::buildCostTable(catalog, model, rows(100'000 + 20'000 * (i % 2)), settings, everything);
        rankingMs.push_back(timer.nsecsElapsed() / 1e6);
        offers = table.offers.size();
    }

    GpuOffersModel offersModel;
    CostChart chart;
    chart.resize(1100, 420);
    chart.show();
    if (!QTest::qWaitForWindowExposed(&chart))
        note(QStringLiteral("chart window not exposed"));
    std::vector<double> chartMs;
    for (int i = 0; i < kChartRepeats; ++i) {
        QElapsedTimer timer;
        timer.start();
        const cost::PlanEstimate estimate = cost::priceFacts(catalog, model, rows(100'000 + 20'000 * (i % 2)), settings, everything,
                                                             cost::BudgetLimits{}, 12.5);
        offersModel.setEstimate(estimate);
        chart.setEstimate(estimate, cost::BudgetLimits{}.perJobUsd);
        chart.repaint(); // painted now, not on a later frame
        QCoreApplication::processEvents();
        chartMs.push_back(timer.nsecsElapsed() / 1e6);
    }
    note(QStringLiteral("estimator: %1 offers from %2 catalog offers; ranking runs %3, chart runs %4")
             .arg(offers).arg(catalog.offers().size()).arg(kRankingRepeats).arg(kChartRepeats));

    const double ranking = median(rankingMs);
    reportResult(QStringLiteral("Estimator: rank every offer of every bundled catalog (%1 offers)").arg(offers),
                 QStringLiteral("%1 ms (median of %2)").arg(ranking, 0, 'f', 2).arg(kRankingRepeats), QStringLiteral("≤ 5 ms"), ranking <= 5);
    const double update = median(chartMs);
    reportResult(QStringLiteral("Estimator: plan → offers table → cost chart painted"),
                 QStringLiteral("%1 ms (median of %2)").arg(update, 0, 'f', 1).arg(kChartRepeats), QStringLiteral("≤ 50 ms"), update <= 50);
    return 0;
}
