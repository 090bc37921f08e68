#pragma once

#include "charts/ChartViews.h"
#include "joblog/MetricPoint.h"

#include <QList>
#include <QPointF>

class QChart;
class QChartView;
class QLabel;
class QLineSeries;
class QScatterSeries;
class QStackedLayout;
class QValueAxis;

namespace vibeml {

// The training curve of a running job: loss (and eval loss as points) on the left axis, the
// learning rate on the right one, against the step. The chart is built once; new points are
// appended in batches and the axes grow to fit. Every point is kept; a series shows at most
// kMaxShownPoints of them (each bucket's lowest and highest), so a long run costs the same to
// repaint as a short one.
class LossChart : public LossChartView
{
    Q_OBJECT

public:
    static constexpr qsizetype kMaxShownPoints = 1000;

    explicit LossChart(QWidget *parent = nullptr);

    void setPoints(const QList<vibeml::jobs::MetricPoint> &points) override;
    void appendPoint(const vibeml::jobs::MetricPoint &point);
    void appendPoints(const QList<vibeml::jobs::MetricPoint> &points) override;
    void clear() override;

    QLineSeries *lossSeries() const { return m_loss; }
    QLineSeries *learningRateSeries() const { return m_learningRate; }
    QScatterSeries *evalLossSeries() const { return m_evalLoss; }
    QValueAxis *stepAxis() const { return m_stepAxis; }
    bool isShowingChart() const;
    qsizetype pointCount() const { return m_lossPoints.size(); } // loss points received, shown or not

    // At most kMaxShownPoints of `points` (x ascending), keeping each bucket's extremes.
    static QList<QPointF> decimated(const QList<QPointF> &points);

protected:
    void changeEvent(QEvent *event) override;

private:
    void fitAxes();
    void applyPalette();

    QChart *m_chart;
    QChartView *m_view;
    QLabel *m_placeholder;
    QStackedLayout *m_stack;
    QLineSeries *m_loss;
    QLineSeries *m_learningRate;
    QScatterSeries *m_evalLoss;
    QValueAxis *m_stepAxis;
    QValueAxis *m_lossAxis;
    QValueAxis *m_rateAxis;
    QList<QPointF> m_lossPoints;
    QList<QPointF> m_evalPoints;
    QList<QPointF> m_ratePoints;
    qint64 m_maxStep = 0;
    double m_maxLoss = 0;
    double m_maxRate = 0;
};

} // namespace vibeml
