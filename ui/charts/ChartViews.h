#pragma once

#include "cost/PlanEstimator.h"
#include "joblog/MetricPoint.h"

#include <QList>
#include <QString>
#include <QWidget>
#include <QtPlugin>

namespace vibeml {

// The charts, as the pages see them. They are drawn with Qt Charts, which (with the OpenGL
// libraries it needs) is not linked into the program: it is loaded with the charts module after
// the window's first paint (ui/charts/Charts.h), so these interfaces are all the pages know.

// Step four's cost chart (plan/CostChart.h).
class CostChartView : public QWidget
{
public:
    using QWidget::QWidget;

    virtual void setEstimate(const cost::PlanEstimate &estimate, double perRunBudgetUsd) = 0;
    virtual void setChosen(qsizetype offerIndex) = 0;
    virtual void clear(const QString &reason) = 0;
};

// A running job's loss and learning-rate curve (joblog/LossChart.h).
class LossChartView : public QWidget
{
public:
    using QWidget::QWidget;

    virtual void setPoints(const QList<jobs::MetricPoint> &points) = 0;
    virtual void appendPoints(const QList<jobs::MetricPoint> &points) = 0;
    virtual void clear() = 0;
};

// What the charts module provides: its plugin object implements this.
class ChartFactory
{
public:
    virtual ~ChartFactory() = default;

    virtual CostChartView *createCostChart(QWidget *parent) const = 0;
    virtual LossChartView *createLossChart(QWidget *parent) const = 0;
};

} // namespace vibeml

#define VibeMLChartFactory_iid "io.github.vibeml.ChartFactory/1"
Q_DECLARE_INTERFACE(vibeml::ChartFactory, VibeMLChartFactory_iid)
