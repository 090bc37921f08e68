// The charts module (libvibeml-charts.so): Qt Charts and the charts drawn with it, loaded by
// charts::createCostChart() / createLossChart() the first time a page needs a chart.

#include "charts/ChartViews.h"
#include "charts/LinkedCharts.h"

#include <QObject>

namespace vibeml {

class ChartsModule : public QObject, public ChartFactory
{
    Q_OBJECT
    Q_PLUGIN_METADATA(IID VibeMLChartFactory_iid)
    Q_INTERFACES(vibeml::ChartFactory)

public:
    CostChartView *createCostChart(QWidget *parent) const override { return charts::linkedCharts().createCostChart(parent); }
    LossChartView *createLossChart(QWidget *parent) const override { return charts::linkedCharts().createLossChart(parent); }
};

} // namespace vibeml

#include "ChartsModule.moc"
