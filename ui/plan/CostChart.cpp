#include "plan/CostChart.h"

#include "plan/PlanStyle.h"
#include "widgets/AxisScale.h"

#include <QBarCategoryAxis>
#include <QBoxPlotSeries>
#include <QBoxSet>
#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace vibeml {
namespace {

// Above this many times the most expensive offer the budget line would squash the boxes flat;
// the axis then stops at the costs and the caption says where the budget is.
constexpr double kBudgetOnChartFactor = 3.0;

qsizetype pointKey(const QPointF &point)
{
    return static_cast<qsizetype>(qHash(qMakePair(qRound64(point.x() * 1000), qRound64(point.y() * 100))));
}

QString offerText(const cost::OfferEstimate &offer)
{
    return CostChart::tr("%1 %2 in %3: %4 (%5–%6), %7")
        .arg(offer.gpuLabel(), offer.spot ? CostChart::tr("spot") : CostChart::tr("on-demand"), offer.instance.region,
             cost::formatDollars(offer.costUsd.expected), cost::formatDollars(offer.costUsd.low),
             cost::formatDollars(offer.costUsd.high), cost::formatHours(offer.time.totalHours.expected));
}

// Category labels must fit under a narrow box pair: "H100×8", and "2×H100×8" for two such nodes
// (the tooltip says more).
QString shortLabel(const cost::OfferEstimate &offer)
{
    const QString label = QStringLiteral("%1×%2").arg(offer.instance.accelerator).arg(offer.instance.acceleratorCount);
    return offer.nodes > 1 ? QStringLiteral("%1×").arg(offer.nodes) + label : label;
}

void setBox(QBoxSet *set, const cost::OfferEstimate *offer, const QColor &colour)
{
    if (!offer) {
        // Keeps the other series' box beside it in the same category, drawn as nothing.
        for (int i = 0; i < 5; ++i)
            set->setValue(i, 0);
        set->setPen(Qt::NoPen);
        set->setBrush(Qt::NoBrush);
        set->setLabel(QString());
        return;
    }
    const cost::Range &r = offer->costUsd;
    set->setValue(QBoxSet::LowerExtreme, r.low);
    set->setValue(QBoxSet::LowerQuartile, r.low);
    set->setValue(QBoxSet::Median, r.expected);
    set->setValue(QBoxSet::UpperQuartile, r.high);
    set->setValue(QBoxSet::UpperExtreme, r.high);
    set->setPen(QPen(colour.darker(140), 1));
    QColor fill = colour;
    fill.setAlphaF(0.55f);
    set->setBrush(fill);
    set->setLabel(offerText(*offer));
}

void resizeSeries(QBoxPlotSeries *series, qsizetype count)
{
    while (series->count() > count)
        series->remove(series->boxSets().constLast());
    while (series->count() < count)
        series->append(new QBoxSet);
}

} // namespace

CostChart::CostChart(QWidget *parent)
    : CostChartView(parent), m_boxChart(new QChart), m_scatterChart(new QChart), m_boxView(new QChartView(m_boxChart, this)),
      m_scatterView(new QChartView(m_scatterChart, this)), m_onDemandBoxes(new QBoxPlotSeries),
      m_spotBoxes(new QBoxPlotSeries), m_boxBudget(new QLineSeries), m_categoryAxis(new QBarCategoryAxis),
      m_boxCostAxis(new QValueAxis), m_onDemandPoints(new QScatterSeries), m_spotPoints(new QScatterSeries),
      m_chosenPoint(new QScatterSeries), m_pareto(new QLineSeries), m_scatterBudget(new QLineSeries),
      m_hoursAxis(new QValueAxis), m_scatterCostAxis(new QValueAxis), m_summary(new QLabel(this)), m_catalog(new QLabel(this))
{
    setAccessibleName(tr("Cost charts"));
    buildBoxChart();
    buildScatterChart();
    for (QChartView *view : {m_boxView, m_scatterView}) {
        view->setRenderHint(QPainter::Antialiasing);
        view->setMinimumHeight(fontMetrics().height() * 16);
        view->setFocusPolicy(Qt::NoFocus);
    }
    m_boxView->setAccessibleName(tr("Total cost per GPU, on-demand and spot"));
    m_scatterView->setAccessibleName(tr("Time against cost, with the Pareto frontier"));
    m_summary->setWordWrap(true);
    m_summary->setAccessibleName(tr("Cost summary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_catalog->setWordWrap(true);
    m_catalog->setAccessibleName(tr("Price catalog"));
    m_catalog->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *charts = new QHBoxLayout;
    charts->addWidget(m_boxView, 1);
    charts->addWidget(m_scatterView, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(charts, 1);
    layout->addWidget(m_summary);
    layout->addWidget(m_catalog);
    applyPalette();
    clear(tr("Choose a model, a dataset and valid settings to see what the run costs."));
}

void CostChart::buildBoxChart()
{
    m_boxChart->setTitle(tr("Total cost per GPU configuration (low–expected–high)"));
    m_onDemandBoxes->setName(tr("On-demand"));
    m_spotBoxes->setName(tr("Spot"));
    m_boxBudget->setName(tr("Budget per run"));
    m_boxChart->addSeries(m_onDemandBoxes);
    m_boxChart->addSeries(m_spotBoxes);
    m_boxChart->addSeries(m_boxBudget);
    m_boxCostAxis->setLabelFormat(QStringLiteral("$%.0f"));
    m_boxCostAxis->setTitleText(tr("US dollars"));
    m_boxChart->addAxis(m_categoryAxis, Qt::AlignBottom);
    m_boxChart->addAxis(m_boxCostAxis, Qt::AlignLeft);
    for (QAbstractSeries *series : m_boxChart->series()) {
        series->attachAxis(m_categoryAxis);
        series->attachAxis(m_boxCostAxis);
    }
    m_boxChart->legend()->setAlignment(Qt::AlignBottom);
    connect(m_onDemandBoxes, &QBoxPlotSeries::hovered, this, [this](bool state, QBoxSet *set) {
        if (state && set && !set->label().isEmpty())
            QToolTip::showText(QCursor::pos(), set->label(), m_boxView);
    });
    connect(m_spotBoxes, &QBoxPlotSeries::hovered, this, [this](bool state, QBoxSet *set) {
        if (state && set && !set->label().isEmpty())
            QToolTip::showText(QCursor::pos(), set->label(), m_boxView);
    });
}

void CostChart::buildScatterChart()
{
    m_scatterChart->setTitle(tr("Time against cost"));
    m_onDemandPoints->setName(tr("On-demand"));
    m_spotPoints->setName(tr("Spot"));
    m_pareto->setName(tr("Pareto frontier"));
    m_chosenPoint->setName(tr("Chosen"));
    m_scatterBudget->setName(tr("Budget per run"));
    const qreal marker = fontMetrics().height() * 0.6;
    m_onDemandPoints->setMarkerSize(marker);
    m_spotPoints->setMarkerSize(marker);
    m_spotPoints->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    m_chosenPoint->setMarkerSize(marker * 1.9);
    m_chosenPoint->setBorderColor(Qt::transparent);
    for (QAbstractSeries *series : std::initializer_list<QAbstractSeries *>{m_pareto, m_scatterBudget, m_chosenPoint,
                                                                            m_onDemandPoints, m_spotPoints})
        m_scatterChart->addSeries(series);
    m_hoursAxis->setTitleText(tr("Hours (expected)"));
    m_hoursAxis->setLabelFormat(QStringLiteral("%.1f"));
    m_scatterCostAxis->setTitleText(tr("US dollars (expected)"));
    m_scatterCostAxis->setLabelFormat(QStringLiteral("$%.0f"));
    m_scatterChart->addAxis(m_hoursAxis, Qt::AlignBottom);
    m_scatterChart->addAxis(m_scatterCostAxis, Qt::AlignLeft);
    for (QAbstractSeries *series : m_scatterChart->series()) {
        series->attachAxis(m_hoursAxis);
        series->attachAxis(m_scatterCostAxis);
    }
    m_scatterChart->legend()->setAlignment(Qt::AlignBottom);
    for (QScatterSeries *series : {m_onDemandPoints, m_spotPoints, m_chosenPoint})
        connect(series, &QScatterSeries::hovered, this, &CostChart::showToolTip);
}

void CostChart::applyPalette()
{
    const QPalette pal = palette();
    const QColor text = pal.color(QPalette::WindowText);
    const QColor grid = planstyle::color(planstyle::Tone::Muted, pal);
    const QColor onDemand = pal.color(QPalette::Highlight);
    const QColor spot = planstyle::color(planstyle::Tone::Good, pal);
    const QColor budget = planstyle::color(planstyle::Tone::Problem, pal);
    for (QChart *chart : {m_boxChart, m_scatterChart}) {
        chart->setBackgroundBrush(pal.brush(QPalette::Base));
        chart->setTitleBrush(text);
        chart->legend()->setLabelColor(text);
        for (QAbstractAxis *axis : chart->axes()) {
            axis->setLabelsColor(text);
            axis->setTitleBrush(text);
            axis->setLinePenColor(grid);
            axis->setGridLineColor(grid.lighter(pal.color(QPalette::Base).lightness() > 128 ? 160 : 60));
        }
    }
    QPen budgetPen(budget, 2, Qt::DashLine);
    m_boxBudget->setPen(budgetPen);
    m_scatterBudget->setPen(budgetPen);
    m_pareto->setPen(QPen(text, 1.5));
    m_onDemandPoints->setColor(onDemand);
    m_onDemandPoints->setBorderColor(onDemand.darker(140));
    m_spotPoints->setColor(spot);
    m_spotPoints->setBorderColor(spot.darker(140));
    QColor chosen = planstyle::color(planstyle::Tone::Caution, pal);
    chosen.setAlphaF(0.6f);
    m_chosenPoint->setColor(chosen);
    m_onDemandBoxes->setBrush(onDemand);
    m_spotBoxes->setBrush(spot);
    // Keep each box's own colour in step with the series (legend markers use the series brush).
    for (QBoxSet *set : m_onDemandBoxes->boxSets())
        if (set->brush().style() != Qt::NoBrush)
            set->setBrush(QColor(onDemand.red(), onDemand.green(), onDemand.blue(), 140));
    for (QBoxSet *set : m_spotBoxes->boxSets())
        if (set->brush().style() != Qt::NoBrush)
            set->setBrush(QColor(spot.red(), spot.green(), spot.blue(), 140));
}

void CostChart::clear(const QString &reason)
{
    m_offers.clear();
    m_pointLabels.clear();
    resizeSeries(m_onDemandBoxes, 0);
    resizeSeries(m_spotBoxes, 0);
    m_categoryAxis->clear();
    m_boxBudget->clear();
    m_onDemandPoints->clear();
    m_spotPoints->clear();
    m_chosenPoint->clear();
    m_pareto->clear();
    m_scatterBudget->clear();
    m_summary->setText(reason);
    m_catalog->clear();
}

void CostChart::setEstimate(const cost::PlanEstimate &estimate, double perRunBudgetUsd)
{
    m_offers = estimate.table.offers;
    m_budget = perRunBudgetUsd;
    QList<const cost::OfferEstimate *> fitting;
    double highest = 0;
    for (const cost::OfferEstimate &offer : std::as_const(m_offers)) {
        if (offer.launchable && offer.fitsInMemory()) {
            fitting.append(&offer);
            highest = std::max(highest, offer.costUsd.high);
        }
    }
    if (fitting.isEmpty()) {
        clear(estimate.hasEstimates() ? tr("No offer that VibeML can launch fits this plan in GPU memory.")
                                      : estimate.blockers.join(QLatin1Char(' ')));
        m_catalog->setText(estimate.table.catalogNotes.join(QStringLiteral(" · ")));
        return;
    }
    updateBoxes(fitting, highest);
    updateScatter(fitting, highest);

    double lowest = fitting.constFirst()->costUsd.low;
    double top = 0;
    for (const cost::OfferEstimate *offer : std::as_const(fitting)) {
        lowest = std::min(lowest, offer->costUsd.low);
        top = std::max(top, offer->costUsd.high);
    }
    QString summary = tr("%n offer(s) fit: from %1 to %2 in total.", nullptr, static_cast<int>(fitting.size()))
                          .arg(cost::formatDollars(lowest), cost::formatDollars(top));
    if (perRunBudgetUsd > kBudgetOnChartFactor * highest)
        summary += QLatin1Char(' ') + tr("The per-run budget of %1 is far above every offer (off the top of the charts).")
                                          .arg(cost::formatDollars(perRunBudgetUsd));
    else
        summary += QLatin1Char(' ') + tr("Dashed line: the per-run budget of %1.").arg(cost::formatDollars(perRunBudgetUsd));
    m_summary->setText(summary);
    m_catalog->setText(tr("Prices: %1").arg(estimate.table.catalogNotes.join(QStringLiteral(" · "))));
}

void CostChart::updateBoxes(const QList<const cost::OfferEstimate *> &fitting, double highest)
{
    // One category per GPU configuration, cheapest first; in each, the cheapest region's
    // on-demand and spot offers.
    QStringList labels;
    QHash<QString, const cost::OfferEstimate *> onDemand;
    QHash<QString, const cost::OfferEstimate *> spot;
    for (const cost::OfferEstimate *offer : fitting) {
        const QString label = shortLabel(*offer);
        if (!labels.contains(label)) {
            if (labels.size() >= kMaxCategories)
                continue;
            labels.append(label);
        }
        auto &best = offer->spot ? spot[label] : onDemand[label];
        if (!best || offer->costUsd.expected < best->costUsd.expected)
            best = offer;
    }
    resizeSeries(m_onDemandBoxes, labels.size());
    resizeSeries(m_spotBoxes, labels.size());
    const QPalette pal = palette();
    for (qsizetype i = 0; i < labels.size(); ++i) {
        setBox(m_onDemandBoxes->boxSets().at(i), onDemand.value(labels.at(i)), pal.color(QPalette::Highlight));
        setBox(m_spotBoxes->boxSets().at(i), spot.value(labels.at(i)), planstyle::color(planstyle::Tone::Good, pal));
    }
    if (m_categoryAxis->categories() != labels) {
        m_categoryAxis->clear();
        m_categoryAxis->append(labels);
    }
    const double axisTop = niceCeiling(m_budget > kBudgetOnChartFactor * highest ? highest * 1.1 : std::max(highest, m_budget) * 1.1);
    m_boxCostAxis->setRange(0, axisTop);
    m_boxBudget->replace({QPointF(-0.5, m_budget), QPointF(static_cast<qreal>(labels.size()) - 0.5, m_budget)});
}

void CostChart::updateScatter(const QList<const cost::OfferEstimate *> &fitting, double highest)
{
    QList<QPointF> onDemand;
    QList<QPointF> spot;
    double longest = 0;
    m_pointLabels.clear();
    for (const cost::OfferEstimate *offer : fitting) {
        const QPointF point(offer->time.totalHours.expected, offer->costUsd.expected);
        (offer->spot ? spot : onDemand).append(point);
        longest = std::max(longest, point.x());
        QString &label = m_pointLabels[pointKey(point)];
        if (label.isEmpty())
            label = offerText(*offer);
    }
    m_onDemandPoints->replace(onDemand);
    m_spotPoints->replace(spot);
    QList<QPointF> frontier;
    for (const cost::OfferEstimate *offer : fitting) {
        if (offer->paretoOptimal)
            frontier.append(QPointF(offer->time.totalHours.expected, offer->costUsd.expected));
    }
    std::sort(frontier.begin(), frontier.end(), [](const QPointF &a, const QPointF &b) { return a.x() < b.x(); });
    m_pareto->replace(frontier);
    const double xTop = niceCeiling(longest * 1.1);
    m_hoursAxis->setRange(0, xTop);
    double expectedTop = 0;
    for (const cost::OfferEstimate *offer : fitting)
        expectedTop = std::max(expectedTop, offer->costUsd.expected);
    m_scatterCostAxis->setRange(
        0, niceCeiling(m_budget > kBudgetOnChartFactor * highest ? expectedTop * 1.15 : std::max(expectedTop, m_budget) * 1.1));
    m_scatterBudget->replace({QPointF(0, m_budget), QPointF(xTop, m_budget)});
}

void CostChart::setChosen(qsizetype offerIndex)
{
    if (offerIndex < 0 || offerIndex >= m_offers.size()) {
        m_chosenPoint->clear();
        return;
    }
    const cost::OfferEstimate &offer = m_offers.at(offerIndex);
    m_chosenPoint->replace({QPointF(offer.time.totalHours.expected, offer.costUsd.expected)});
}

QStringList CostChart::categories() const
{
    return m_categoryAxis->categories();
}

void CostChart::showToolTip(const QPointF &point, bool state)
{
    if (!state)
        return;
    const QString label = m_pointLabels.value(pointKey(point));
    if (!label.isEmpty())
        QToolTip::showText(QCursor::pos(), label, m_scatterView);
}

void CostChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
    QWidget::changeEvent(event);
}

} // namespace vibeml
