#include "catalog/Catalog.h"
#include "cost/PlanEstimator.h"
#include "cost/TrainingPresets.h"
#include "plan/CostChart.h"

#include "GuiTestMain.h"

#include <QBoxPlotSeries>
#include <QBoxSet>
#include <QChart>
#include <QLabel>
#include <QLineSeries>
#include <QScatterSeries>

using namespace vibeml;

namespace {

const catalog::Catalog &bundled()
{
    static const catalog::Catalog catalog = catalog::Catalog::load(test::isolatedRoot() + QStringLiteral("/no-sky-catalogs"));
    return catalog;
}

cost::PlanEstimate estimateFor(qint64 parameters, double epochs = 1.0)
{
    cost::ModelFacts model;
    model.id = QStringLiteral("test/model");
    model.parameters = parameters;
    cost::DatasetFacts data;
    data.id = QStringLiteral("test/data");
    data.rows = 50'000;
    data.tokensPerRow = 600;
    cost::TrainingSettings settings = cost::preset(cost::Method::Lora, parameters);
    settings.epochs = epochs;
    return cost::priceFacts(bundled(), model, data, settings, {}, {}, 0.0);
}

QList<const cost::OfferEstimate *> fitting(const cost::PlanEstimate &estimate)
{
    QList<const cost::OfferEstimate *> offers;
    for (const cost::OfferEstimate &offer : estimate.table.offers) {
        if (offer.launchable && offer.fitsInMemory())
            offers.append(&offer);
    }
    return offers;
}

} // namespace

class TestCostChart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void seriesFollowTheEstimate()
    {
        const cost::PlanEstimate estimate = estimateFor(8'000'000'000);
        const QList<const cost::OfferEstimate *> fits = fitting(estimate);
        QVERIFY(!fits.isEmpty());
        CostChart chart;
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.setEstimate(estimate, 50.0);

        const auto shortLabel = [](const cost::OfferEstimate *offer) -> QString {
            const QString label = QStringLiteral("%1×%2").arg(offer->instance.accelerator).arg(offer->instance.acceleratorCount);
            return offer->nodes > 1 ? QStringLiteral("%1×").arg(offer->nodes) + label : label;
        };
        QStringList labels;
        for (const cost::OfferEstimate *offer : fits) {
            if (!labels.contains(shortLabel(offer)))
                labels.append(shortLabel(offer));
        }
        labels = labels.mid(0, CostChart::kMaxCategories);
        QCOMPARE(chart.categories(), labels);
        QCOMPARE(chart.onDemandSeries()->count(), labels.size());
        QCOMPARE(chart.spotSeries()->count(), labels.size());

        // Each box spans the cheapest offer's low–high range, the line inside at the expected cost.
        const cost::OfferEstimate *first = nullptr;
        for (const cost::OfferEstimate *offer : fits) {
            if (shortLabel(offer) == labels.first() && !offer->spot
                && (!first || offer->costUsd.expected < first->costUsd.expected))
                first = offer;
        }
        QVERIFY(first);
        QBoxSet *box = chart.onDemandSeries()->boxSets().first();
        QCOMPARE(box->at(QBoxSet::LowerExtreme), first->costUsd.low);
        QCOMPARE(box->at(QBoxSet::Median), first->costUsd.expected);
        QCOMPARE(box->at(QBoxSet::UpperExtreme), first->costUsd.high);
        // L40S has no spot price: its spot box is there (to keep the pairs aligned) but invisible.
        const qsizetype l40s = labels.indexOf(QStringLiteral("L40S×1"));
        QVERIFY(l40s >= 0);
        if (l40s >= 0)
            QCOMPARE(chart.spotSeries()->boxSets().at(l40s)->brush().style(), Qt::NoBrush);

        int spot = 0;
        int pareto = 0;
        for (const cost::OfferEstimate *offer : fits) {
            spot += offer->spot ? 1 : 0;
            pareto += offer->paretoOptimal ? 1 : 0;
        }
        QCOMPARE(chart.spotPoints()->count(), spot);
        QCOMPARE(chart.onDemandPoints()->count(), fits.size() - spot);
        QCOMPARE(chart.paretoLine()->count(), pareto);
        for (int i = 1; i < chart.paretoLine()->count(); ++i)
            QVERIFY(chart.paretoLine()->at(i).x() >= chart.paretoLine()->at(i - 1).x());

        QCOMPARE(chart.budgetLine()->count(), 2);
        QCOMPARE(chart.budgetLine()->at(0).y(), 50.0);
        QCOMPARE(chart.budgetLine()->at(1).y(), 50.0);
        QCOMPARE(chart.scatterBudgetLine()->at(0).y(), 50.0);
        QVERIFY2(chart.catalogLabel()->text().contains(QStringLiteral("2026-11-28")), qPrintable(chart.catalogLabel()->text()));
        QVERIFY(chart.catalogLabel()->text().contains(QStringLiteral("compare only")));

        QCOMPARE(chart.chosenPoint()->count(), 0);
        chart.setChosen(fits.first() - estimate.table.offers.constData());
        QCOMPARE(chart.chosenPoint()->count(), 1);
        QCOMPARE(chart.chosenPoint()->at(0), QPointF(fits.first()->time.totalHours.expected, fits.first()->costUsd.expected));
    }

    void updatesReuseTheSeries()
    {
        CostChart chart;
        chart.setEstimate(estimateFor(8'000'000'000), 50.0);
        QBoxPlotSeries *boxes = chart.onDemandSeries();
        QScatterSeries *points = chart.onDemandPoints();
        const QList<QBoxSet *> sets = boxes->boxSets();
        chart.setEstimate(estimateFor(8'000'000'000, 2.0), 20.0);
        QCOMPARE(chart.onDemandSeries(), boxes);
        QCOMPARE(chart.onDemandPoints(), points);
        QCOMPARE(boxes->boxSets(), sets); // same categories: the boxes are updated in place
        QCOMPARE(chart.budgetLine()->at(0).y(), 20.0);
        QVERIFY(boxes->chart());
        QCOMPARE(boxes->chart()->series().size(), 3);

        chart.clear(QStringLiteral("nothing yet"));
        QCOMPARE(chart.onDemandSeries()->count(), 0);
        QCOMPARE(chart.onDemandPoints()->count(), 0);
        QCOMPARE(chart.categories().size(), 0);
        QCOMPARE(chart.summaryLabel()->text(), QStringLiteral("nothing yet"));
    }

    void farAwayBudgetIsNamed()
    {
        CostChart chart;
        chart.setEstimate(estimateFor(500'000'000), 100'000.0);
        QVERIFY2(chart.summaryLabel()->text().contains(QStringLiteral("off the top")), qPrintable(chart.summaryLabel()->text()));
        QCOMPARE(chart.budgetLine()->at(0).y(), 100'000.0);
    }
};

VIBEML_TEST_MAIN_GUI(TestCostChart)
#include "tst_costchart.moc"
