#include "joblog/LossChart.h"

#include "widgets/AxisScale.h"

#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QLabel>
#include <QLineSeries>
#include <QScatterSeries>
#include <QStackedLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace vibeml {
LossChart::LossChart(QWidget *parent)
    : LossChartView(parent), m_chart(new QChart), m_view(new QChartView(m_chart, this)), m_placeholder(new QLabel(this)),
      m_stack(new QStackedLayout(this)), m_loss(new QLineSeries(m_chart)), m_learningRate(new QLineSeries(m_chart)),
      m_evalLoss(new QScatterSeries(m_chart)), m_stepAxis(new QValueAxis(m_chart)), m_lossAxis(new QValueAxis(m_chart)),
      m_rateAxis(new QValueAxis(m_chart))
{
    setAccessibleName(tr("Training curve"));
    m_view->setAccessibleName(tr("Loss and learning rate by step"));
    m_view->setRenderHint(QPainter::Antialiasing);
    m_placeholder->setText(tr("The loss curve appears when training reports its first step."));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setAccessibleName(tr("Training curve"));

    m_loss->setName(tr("Loss"));
    m_evalLoss->setName(tr("Eval loss"));
    m_evalLoss->setMarkerSize(8);
    m_learningRate->setName(tr("Learning rate"));
    m_stepAxis->setTitleText(tr("Step"));
    m_stepAxis->setLabelFormat(QStringLiteral("%d"));
    m_lossAxis->setTitleText(tr("Loss"));
    m_rateAxis->setTitleText(tr("Learning rate"));
    m_rateAxis->setLabelFormat(QStringLiteral("%.1e"));
    m_chart->addSeries(m_loss);
    m_chart->addSeries(m_evalLoss);
    m_chart->addSeries(m_learningRate);
    m_chart->addAxis(m_stepAxis, Qt::AlignBottom);
    m_chart->addAxis(m_lossAxis, Qt::AlignLeft);
    m_chart->addAxis(m_rateAxis, Qt::AlignRight);
    for (QXYSeries *series : {static_cast<QXYSeries *>(m_loss), static_cast<QXYSeries *>(m_evalLoss)}) {
        series->attachAxis(m_stepAxis);
        series->attachAxis(m_lossAxis);
    }
    m_learningRate->attachAxis(m_stepAxis);
    m_learningRate->attachAxis(m_rateAxis);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setMargins(QMargins(4, 4, 4, 4));

    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(m_view);
    applyPalette();
    clear();
}

bool LossChart::isShowingChart() const
{
    return m_stack->currentWidget() == m_view;
}

void LossChart::clear()
{
    m_lossPoints.clear();
    m_evalPoints.clear();
    m_ratePoints.clear();
    m_loss->clear();
    m_evalLoss->clear();
    m_learningRate->clear();
    m_maxStep = 0;
    m_maxLoss = 0;
    m_maxRate = 0;
    fitAxes();
    m_stack->setCurrentWidget(m_placeholder);
}

void LossChart::setPoints(const QList<jobs::MetricPoint> &points)
{
    clear();
    appendPoints(points);
}

void LossChart::appendPoint(const jobs::MetricPoint &point)
{
    appendPoints({point});
}

QList<QPointF> LossChart::decimated(const QList<QPointF> &points)
{
    // Buckets of a power-of-two size aligned to the first point, so the shown curve changes
    // only where points were added (and everywhere only when the bucket size doubles). Each
    // bucket shows its lowest and highest point, in step order: spikes stay visible.
    const qsizetype count = points.size();
    if (count <= kMaxShownPoints)
        return points;
    qsizetype bucket = 2;
    while (count > bucket * (kMaxShownPoints / 2))
        bucket *= 2;
    QList<QPointF> shown;
    shown.reserve(2 * (count / bucket + 1));
    for (qsizetype first = 0; first < count; first += bucket) {
        const qsizetype last = std::min(count, first + bucket);
        qsizetype low = first;
        qsizetype high = first;
        for (qsizetype i = first + 1; i < last; ++i) {
            if (points[i].y() < points[low].y())
                low = i;
            if (points[i].y() > points[high].y())
                high = i;
        }
        shown.append(points[std::min(low, high)]);
        if (low != high)
            shown.append(points[std::max(low, high)]);
    }
    return shown;
}

void LossChart::appendPoints(const QList<jobs::MetricPoint> &points)
{
    // Every point is kept, but a series shows at most kMaxShownPoints of them (a curve of a
    // long run has more points than the chart has pixels, and each shown point costs a stroke
    // on every repaint); one replace per changed series per batch, since each change makes the
    // chart lay itself out again.
    bool loss = false;
    bool evalLoss = false;
    bool rate = false;
    for (const jobs::MetricPoint &point : points) {
        const auto step = static_cast<double>(point.step);
        if (point.loss) {
            m_lossPoints.append({step, *point.loss});
            m_maxLoss = std::max(m_maxLoss, *point.loss);
            loss = true;
        }
        if (point.evalLoss) {
            m_evalPoints.append({step, *point.evalLoss});
            m_maxLoss = std::max(m_maxLoss, *point.evalLoss);
            evalLoss = true;
        }
        if (point.learningRate) {
            m_ratePoints.append({step, *point.learningRate});
            m_maxRate = std::max(m_maxRate, *point.learningRate);
            rate = true;
        }
        if (point.loss || point.evalLoss || point.learningRate)
            m_maxStep = std::max(m_maxStep, point.step);
    }
    if (!loss && !evalLoss && !rate)
        return;
    // Shown before the points change: a chart laid out while hidden would keep them off-screen.
    m_stack->setCurrentWidget(m_view);
    if (loss)
        m_loss->replace(decimated(m_lossPoints));
    if (evalLoss)
        m_evalLoss->replace(decimated(m_evalPoints));
    if (rate)
        m_learningRate->replace(decimated(m_ratePoints));
    fitAxes();
}

void LossChart::fitAxes()
{
    m_stepAxis->setRange(0, niceCeiling(static_cast<double>(std::max<qint64>(m_maxStep, 10))));
    m_lossAxis->setRange(0, niceCeiling(m_maxLoss > 0 ? m_maxLoss * 1.05 : 1));
    m_rateAxis->setRange(0, niceCeiling(m_maxRate > 0 ? m_maxRate * 1.05 : 1e-4));
}

void LossChart::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

void LossChart::applyPalette()
{
    // Follow the window's light or dark palette instead of a fixed chart theme.
    const QPalette colours = palette();
    const bool dark = colours.color(QPalette::Base).lightness() < 128;
    m_chart->setBackgroundBrush(colours.brush(QPalette::Base));
    m_chart->setBackgroundPen(Qt::NoPen);
    m_chart->legend()->setLabelColor(colours.color(QPalette::Text));
    for (QValueAxis *axis : {m_stepAxis, m_lossAxis, m_rateAxis}) {
        axis->setLabelsColor(colours.color(QPalette::Text));
        axis->setTitleBrush(colours.brush(QPalette::Text));
        axis->setGridLineColor(colours.color(QPalette::Mid));
        axis->setLinePenColor(colours.color(QPalette::Mid));
    }
    m_loss->setColor(dark ? QColor(0x61a0ff) : QColor(0x1f5fbf));
    m_evalLoss->setColor(dark ? QColor(0xffd966) : QColor(0x9e6a00));
    m_evalLoss->setBorderColor(m_evalLoss->color());
    m_learningRate->setColor(dark ? QColor(0x8ee06a) : QColor(0x2e7d32));
    m_rateAxis->setLabelsColor(m_learningRate->color());
}

} // namespace vibeml
