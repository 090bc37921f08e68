#pragma once

#include "charts/ChartViews.h"
#include "cost/PlanEstimator.h"

#include <QHash>
#include <QPointF>

class QBarCategoryAxis;
class QBoxPlotSeries;
class QChart;
class QChartView;
class QLabel;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace vibeml {

// Step four, bottom half: what the run costs across the offers that fit. Left, the total cost of
// each GPU configuration as a low–expected–high box, on-demand and spot side by side; right, time
// against cost with the Pareto frontier (nothing both cheaper and faster) and the chosen offer.
// Both show the per-run budget as a line, and the catalog's date underneath. The charts, series
// and axes are built once; an update only replaces the points.
class CostChart : public CostChartView
{
    Q_OBJECT

public:
    explicit CostChart(QWidget *parent = nullptr);

    void setEstimate(const cost::PlanEstimate &estimate, double perRunBudgetUsd) override;
    void setChosen(qsizetype offerIndex) override;
    void clear(const QString &reason) override;

    // At most this many GPU configurations in the box chart, the cheapest first.
    static constexpr int kMaxCategories = 8;

    QStringList categories() const;
    QBoxPlotSeries *onDemandSeries() const { return m_onDemandBoxes; }
    QBoxPlotSeries *spotSeries() const { return m_spotBoxes; }
    QScatterSeries *onDemandPoints() const { return m_onDemandPoints; }
    QScatterSeries *spotPoints() const { return m_spotPoints; }
    QScatterSeries *chosenPoint() const { return m_chosenPoint; }
    QLineSeries *paretoLine() const { return m_pareto; }
    QLineSeries *budgetLine() const { return m_boxBudget; }
    QLineSeries *scatterBudgetLine() const { return m_scatterBudget; }
    QLabel *catalogLabel() const { return m_catalog; }
    QLabel *summaryLabel() const { return m_summary; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildBoxChart();
    void buildScatterChart();
    void applyPalette();
    void updateBoxes(const QList<const cost::OfferEstimate *> &fitting, double highest);
    void updateScatter(const QList<const cost::OfferEstimate *> &fitting, double highest);
    void showToolTip(const QPointF &point, bool state);

    QChart *m_boxChart;
    QChart *m_scatterChart;
    QChartView *m_boxView;
    QChartView *m_scatterView;
    QBoxPlotSeries *m_onDemandBoxes;
    QBoxPlotSeries *m_spotBoxes;
    QLineSeries *m_boxBudget;
    QBarCategoryAxis *m_categoryAxis;
    QValueAxis *m_boxCostAxis;
    QScatterSeries *m_onDemandPoints;
    QScatterSeries *m_spotPoints;
    QScatterSeries *m_chosenPoint;
    QLineSeries *m_pareto;
    QLineSeries *m_scatterBudget;
    QValueAxis *m_hoursAxis;
    QValueAxis *m_scatterCostAxis;
    QLabel *m_summary;
    QLabel *m_catalog;
    QList<cost::OfferEstimate> m_offers;
    QHash<qsizetype, QString> m_pointLabels; // qHash of a point's rounded coordinates -> offer text
    double m_budget = 0;
};

} // namespace vibeml
