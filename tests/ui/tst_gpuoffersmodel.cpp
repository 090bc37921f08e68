#include "catalog/Catalog.h"
#include "cost/PlanEstimator.h"
#include "cost/TrainingPresets.h"
#include "plan/GpuOffersFilter.h"
#include "plan/GpuOffersModel.h"
#include "plan/GpuPanel.h"

#include "GuiTestMain.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QSignalSpy>
#include <QTableView>

using namespace vibeml;

namespace {

const catalog::Catalog &bundled()
{
    static const catalog::Catalog catalog = catalog::Catalog::load(test::isolatedRoot() + QStringLiteral("/no-sky-catalogs"));
    return catalog;
}

cost::PlanEstimate estimateFor(qint64 parameters, double epochs = 1.0, double perJobUsd = 50)
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
    cost::BudgetLimits limits;
    limits.perJobUsd = perJobUsd;
    return cost::priceFacts(bundled(), model, data, settings, {}, limits, 0.0);
}

QList<int> visibleSourceRows(const QSortFilterProxyModel &proxy)
{
    QList<int> rows;
    for (int row = 0; row < proxy.rowCount(); ++row)
        rows.append(proxy.mapToSource(proxy.index(row, 0)).row());
    return rows;
}

} // namespace

class TestGpuOffersModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyOfferIsARow()
    {
        const cost::PlanEstimate estimate = estimateFor(8'000'000'000);
        QVERIFY(estimate.hasEstimates());
        GpuOffersModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setEstimate(estimate);
        QCOMPARE(model.rowCount(), estimate.table.offers.size());
        QCOMPARE(model.columnCount(), int(GpuOffersModel::ColumnCount));

        int cheapest = -1;
        int fastest = -1;
        for (int row = 0; row < model.rowCount(); ++row) {
            if (model.index(row, 0).data(GpuOffersModel::CheapestRole).toBool()) {
                QCOMPARE(cheapest, -1);
                cheapest = row;
            }
            if (model.index(row, 0).data(GpuOffersModel::FastestRole).toBool()) {
                QCOMPARE(fastest, -1);
                fastest = row;
            }
        }
        QVERIFY(cheapest >= 0 && fastest >= 0);
        QCOMPARE(&estimate.table.offers.at(cheapest), estimate.table.cheapest());
        QVERIFY(model.index(cheapest, GpuOffersModel::MarksColumn).data().toString().contains(QStringLiteral("cheapest")));
        QVERIFY(model.index(fastest, GpuOffersModel::MarksColumn).data().toString().contains(QStringLiteral("fastest")));

        const cost::OfferEstimate &offer = estimate.table.offers.at(cheapest);
        QCOMPARE(model.index(cheapest, GpuOffersModel::GpuColumn).data().toString(), offer.gpuLabel());
        QCOMPARE(model.index(cheapest, GpuOffersModel::HourlyColumn).data().toString(), cost::formatDollars(offer.pricePerHour));
        const QString total = model.index(cheapest, GpuOffersModel::TotalColumn).data().toString();
        QVERIFY2(total.contains(cost::formatDollars(offer.costUsd.low)) && total.contains(cost::formatDollars(offer.costUsd.high)),
                 qPrintable(total));
        QVERIFY(model.index(cheapest, GpuOffersModel::FitColumn).data().toString().contains(QStringLiteral(" GB")));
        QCOMPARE(model.index(cheapest, GpuOffersModel::BudgetColumn).data().toString(), cost::verdictName(estimate.budget.at(cheapest).verdict));

        bool compareOnlyLabelled = false;
        for (int row = 0; row < model.rowCount(); ++row) {
            if (!model.index(row, 0).data(GpuOffersModel::LaunchableRole).toBool())
                compareOnlyLabelled = model.index(row, GpuOffersModel::WhereColumn).data().toString().contains(QStringLiteral("compare only"));
        }
        QVERIFY(compareOnlyLabelled);
    }

    void sortsAndFilters()
    {
        const cost::PlanEstimate estimate = estimateFor(8'000'000'000);
        GpuOffersModel model;
        model.setEstimate(estimate);
        GpuOffersFilter filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);

        // Default: launchable offers that fit.
        QVERIFY(filter.rowCount() > 0);
        QVERIFY(filter.rowCount() < model.rowCount());
        for (int source : visibleSourceRows(filter)) {
            QVERIFY(estimate.table.offers.at(source).fitsInMemory());
            QVERIFY(estimate.table.offers.at(source).launchable);
        }
        filter.sort(GpuOffersModel::TotalColumn, Qt::AscendingOrder);
        double previous = -1;
        for (int source : visibleSourceRows(filter)) {
            QVERIFY(estimate.table.offers.at(source).costUsd.expected >= previous);
            previous = estimate.table.offers.at(source).costUsd.expected;
        }
        filter.sort(GpuOffersModel::TimeColumn, Qt::DescendingOrder);
        previous = 1e12;
        for (int source : visibleSourceRows(filter)) {
            QVERIFY(estimate.table.offers.at(source).time.totalHours.expected <= previous);
            previous = estimate.table.offers.at(source).time.totalHours.expected;
        }

        filter.setPricing(GpuOffersFilter::Pricing::Spot);
        QVERIFY(filter.rowCount() > 0);
        for (int source : visibleSourceRows(filter))
            QVERIFY(estimate.table.offers.at(source).spot);
        filter.setPricing(GpuOffersFilter::Pricing::Any);
        filter.setAccelerator(QStringLiteral("H200"));
        filter.setRegion(QStringLiteral("us-central1"));
        QVERIFY(filter.rowCount() > 0);
        for (int source : visibleSourceRows(filter)) {
            QCOMPARE(estimate.table.offers.at(source).instance.accelerator, QStringLiteral("H200"));
            QCOMPARE(estimate.table.offers.at(source).instance.region, QStringLiteral("us-central1"));
        }
        filter.setAccelerator({});
        filter.setRegion({});
        filter.setFitsOnly(false);
        filter.setIncludeCompareOnly(true);
        QCOMPARE(filter.rowCount(), model.rowCount());
    }

    void repricingUpdatesRowsInPlace()
    {
        GpuOffersModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setEstimate(estimateFor(8'000'000'000));
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        const cost::PlanEstimate longer = estimateFor(8'000'000'000, 3.0);
        model.setEstimate(longer);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.offers().constFirst().costUsd.expected, longer.table.offers.constFirst().costUsd.expected);
        // A persistent index (a view's selection) follows its offer when the order changes.
        const QPersistentModelIndex tracked = model.index(model.rowCount() - 1, GpuOffersModel::GpuColumn);
        const QString key = tracked.data(GpuOffersModel::KeyRole).toString();
        model.setEstimate(estimateFor(8'000'000'000, 1.0));
        QCOMPARE(reset.count(), 0);
        QVERIFY(tracked.isValid());
        QCOMPARE(tracked.data(GpuOffersModel::KeyRole).toString(), key);
        model.setEstimate(estimateFor(70'000'000'000)); // other offers fit: a new table
        QCOMPARE(reset.count(), 1);
    }

    void panelChoiceFollowsTheUser()
    {
        const cost::PlanEstimate estimate = estimateFor(8'000'000'000);
        GpuPanel panel;
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QSignalSpy chosen(&panel, &GpuPanel::offerChosen);
        const qsizetype preferred = cost::preferredOffer(estimate.table, cost::OfferPreference{});
        panel.setEstimate(estimate, preferred);
        QCOMPARE(panel.chosenOffer(), preferred);
        QCOMPARE(chosen.constLast().first().value<qsizetype>(), preferred);
        QVERIFY(panel.summaryLabel()->text().contains(QStringLiteral("Chosen:")));

        // Clicking another row chooses it.
        QTableView *view = panel.view();
        const QModelIndex second = view->model()->index(1, GpuOffersModel::GpuColumn);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(second).center());
        const qsizetype clicked = second.data(GpuOffersModel::OfferIndexRole).toInt();
        QCOMPARE(panel.chosenOffer(), clicked);
        QCOMPARE(chosen.constLast().first().value<qsizetype>(), clicked);
        // Keyboard too.
        view->setFocus();
        QTest::keyClick(view, Qt::Key_Down);
        QCOMPARE(panel.chosenOffer(), qsizetype(view->currentIndex().data(GpuOffersModel::OfferIndexRole).toInt()));

        // Re-pricing keeps the user's choice; a filter hiding it does not change it.
        const QString key = estimate.table.offers.at(panel.chosenOffer()).key();
        panel.setEstimate(estimateFor(8'000'000'000, 2.0), preferred);
        QCOMPARE(panel.model()->offer(panel.chosenOffer())->key(), key);
        panel.pricingBox()->setCurrentIndex(panel.pricingBox()->findData(static_cast<int>(GpuOffersFilter::Pricing::Spot)));
        QCOMPARE(panel.model()->offer(panel.chosenOffer())->key(), key);
        QVERIFY(panel.gpuBox()->count() > 2);
        QVERIFY(panel.regionBox()->findText(QStringLiteral("eu-north1")) > 0);
        panel.compareOnlyBox()->setChecked(true);
        panel.fitsOnlyBox()->setChecked(false);
        panel.pricingBox()->setCurrentIndex(0);
        QCOMPARE(panel.filter()->rowCount(), panel.model()->rowCount());
    }
};

VIBEML_TEST_MAIN_GUI(TestGpuOffersModel)
#include "tst_gpuoffersmodel.moc"
