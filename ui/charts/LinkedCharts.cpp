#include "charts/LinkedCharts.h"

#include "joblog/LossChart.h"
#include "plan/CostChart.h"

namespace vibeml::charts {
namespace {

class QtCharts final : public ChartFactory
{
public:
    CostChartView *createCostChart(QWidget *parent) const override { return new CostChart(parent); }
    LossChartView *createLossChart(QWidget *parent) const override { return new LossChart(parent); }
};

} // namespace

const ChartFactory &linkedCharts()
{
    static const QtCharts charts{};
    return charts;
}

} // namespace vibeml::charts
