#include "catalog/Catalog.h"
#include "cost/BudgetPolicy.h"
#include "cost/CostTable.h"
#include "cost/PlanEstimator.h"
#include "hub/HubParsers.h"

#include "TestSupport.h"

#include <QElapsedTimer>

using namespace vibeml;
using namespace vibeml::cost;

Q_DECLARE_METATYPE(vibeml::cost::Method)

namespace {

const catalog::Catalog &bundled()
{
    static const catalog::Catalog catalog = catalog::Catalog::load(test::isolatedRoot() + QStringLiteral("/no-sky-catalogs"));
    return catalog;
}

ModelFacts model(const QString &stem, qint64 parameters)
{
    ModelFacts facts;
    facts.id = stem;
    facts.parameters = parameters;
    const auto config = hub::parseModelConfig(test::readFile(test::dataPath(QStringLiteral("hub/config/") + stem + QStringLiteral(".json"))));
    if (config)
        facts.config = config.value();
    facts.downloadBytes = parameters * 2;
    return facts;
}

DatasetFacts data(const QString &id, qint64 rows, double tokensPerRow)
{
    DatasetFacts facts;
    facts.id = id;
    facts.rows = rows;
    facts.tokensPerRow = tokensPerRow;
    return facts;
}

const OfferEstimate *find(const CostTable &table, const QString &gpu, int count, bool spot, int nodes = 1)
{
    for (const OfferEstimate &offer : table.offers) {
        if (offer.instance.cloud == QLatin1String("nebius") && offer.instance.accelerator == gpu
            && offer.instance.acceleratorCount == count && offer.spot == spot && offer.nodes == nodes
            && offer.instance.region == QLatin1String("eu-north1"))
            return &offer;
    }
    for (const OfferEstimate &offer : table.offers) {
        if (offer.instance.cloud == QLatin1String("nebius") && offer.instance.accelerator == gpu
            && offer.instance.acceleratorCount == count && offer.spot == spot && offer.nodes == nodes)
            return &offer;
    }
    return nullptr;
}

} // namespace

class TestCostTable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void qwenLoraOnAlpacaFitsAnL40S()
    {
        TrainingSettings settings;
        const CostTable table = buildCostTable(bundled(), model(QStringLiteral("Qwen--Qwen2.5-0.5B-Instruct"), 494032768),
                                               data(QStringLiteral("tatsu-lab/alpaca"), 52002, 180), settings);
        const OfferEstimate *l40s = find(table, QStringLiteral("L40S"), 1, false);
        QVERIFY(l40s);
        QCOMPARE(l40s->fit.fit, Fit::Fits);
        QCOMPARE(l40s->memory.parallelism, Parallelism::SingleGpu);
        QVERIFY(l40s->launchable);
        // The cheapest L40S instance with enough host memory, not a bigger one.
        QCOMPARE(l40s->instance.instanceType, QStringLiteral("gpu-l40s-a_1gpu-8vcpu-32gb"));
        QCOMPARE(l40s->pricePerHour, 1.5484);
        // About 9.4 M tokens: minutes of training plus fixed overheads, well under a dollar or two.
        QVERIFY(l40s->time.totalHours.expected > 0.2 && l40s->time.totalHours.expected < 2.0);
        QVERIFY(l40s->costUsd.expected < 3.0);
        QVERIFY(l40s->costUsd.low < l40s->costUsd.expected && l40s->costUsd.expected < l40s->costUsd.high);
        // No spot on Nebius L40S: the catalog has no spot price.
        QVERIFY(!find(table, QStringLiteral("L40S"), 1, true));
        QVERIFY(table.cheapest());
        QVERIFY(table.cheapest()->launchable);
    }

    void llama8bQloraH100VersusH200Spot()
    {
        TrainingSettings settings;
        settings.method = Method::Qlora4;
        const CostTable table = buildCostTable(bundled(), model(QStringLiteral("meta-llama--Llama-3.1-8B-Instruct"), 8030261248),
                                               data(QStringLiteral("HuggingFaceH4/ultrachat_200k"), 207865, 1200), settings);
        const OfferEstimate *h100 = find(table, QStringLiteral("H100"), 1, false);
        const OfferEstimate *h200Spot = find(table, QStringLiteral("H200"), 1, true);
        QVERIFY(h100 && h200Spot);
        QCOMPARE(h100->fit.fit, Fit::Fits);
        QCOMPARE(h200Spot->fit.fit, Fit::Fits);
        // Same compute: similar times; spot's range is wider (preemptions) but its price far lower.
        QVERIFY(std::abs(h100->time.trainingHours.expected / h200Spot->time.trainingHours.expected - 1.0) < 0.15);
        QVERIFY(h200Spot->time.totalHours.high > h100->time.totalHours.high);
        QVERIFY(h200Spot->costUsd.expected < h100->costUsd.expected * 0.6);
        QCOMPARE(h200Spot->pricePerHour, 1.45);
        QVERIFY(h200Spot->notes.join(u' ').contains(QStringLiteral("59 % cheaper")));
        // QLoRA 4-bit of an 8B model needs under 10 GB: far below an H100's memory.
        QVERIFY(h100->fit.neededBytes < 10e9);
    }

    void llama70bLoraNeedsEightGpus()
    {
        TrainingSettings settings;
        settings.maxSteps = 100;
        const CostTable table = buildCostTable(bundled(), model(QStringLiteral("meta-llama--Llama-3.1-70B-Instruct"), 70553706496),
                                               data(QStringLiteral("HuggingFaceH4/ultrachat_200k"), 207865, 1200), settings);
        QCOMPARE(find(table, QStringLiteral("H100"), 1, false)->fit.fit, Fit::DoesNotFit);
        QCOMPARE(find(table, QStringLiteral("H200"), 1, false)->fit.fit, Fit::DoesNotFit);
        // 4 × L40S (4 × 48 GiB) holds a sharded 70B base only just: never comfortably.
        QVERIFY(find(table, QStringLiteral("L40S"), 4, false)->fit.fit != Fit::Fits);
        for (const QString &gpu : {QStringLiteral("H100"), QStringLiteral("H200")}) {
            const OfferEstimate *eight = find(table, gpu, 8, false);
            QVERIFY(eight);
            QVERIFY2(eight->fitsInMemory(), qPrintable(eight->fit.text()));
            QCOMPARE(eight->memory.parallelism, Parallelism::Sharded);
            QVERIFY(eight->notes.join(u' ').contains(QStringLiteral("FSDP")));
        }
        // Every launchable offer that fits with headroom has at least eight GPUs.
        for (const OfferEstimate &offer : table.offers) {
            if (offer.fit.fit == Fit::Fits && offer.launchable)
                QVERIFY(offer.totalGpus() >= 8);
        }
    }

    void fullFineTuneOf70bNeedsSeveralNodes()
    {
        TrainingSettings settings;
        settings.method = Method::FullMixed;
        settings.maxSteps = 50;
        const CostTable table = buildCostTable(bundled(), model(QStringLiteral("meta-llama--Llama-3.1-70B-Instruct"), 70553706496),
                                               data(QStringLiteral("x/y"), 1000, 1000), settings);
        QCOMPARE(find(table, QStringLiteral("H100"), 8, false, 1)->fit.fit, Fit::DoesNotFit);
        const OfferEstimate *twoNodes = find(table, QStringLiteral("H200"), 8, false, 2);
        QVERIFY(twoNodes);
        QVERIFY2(twoNodes->fitsInMemory(), qPrintable(twoNodes->fit.text()));
        QCOMPARE(twoNodes->pricePerHour, 56.0);
        QVERIFY(find(table, QStringLiteral("H100"), 8, false, 4)->fitsInMemory());
    }

    void marksAndOrder()
    {
        const CostTable table = buildCostTable(bundled(), model(QStringLiteral("meta-llama--Llama-3.1-8B-Instruct"), 8030261248),
                                               data(QStringLiteral("d/d"), 20000, 800), TrainingSettings{});
        const OfferEstimate *cheapest = table.cheapest();
        const OfferEstimate *fastest = table.fastest();
        QVERIFY(cheapest && fastest);
        QVERIFY(cheapest->paretoOptimal && fastest->paretoOptimal);
        bool seenNonFitting = false;
        double previousCost = 0;
        for (const OfferEstimate &offer : table.offers) {
            if (!offer.fitsInMemory()) {
                seenNonFitting = true;
                continue;
            }
            QVERIFY2(!seenNonFitting, "fitting offers come first");
            QVERIFY(offer.costUsd.expected >= previousCost);
            previousCost = offer.costUsd.expected;
            if (offer.launchable) {
                QVERIFY(offer.costUsd.expected >= cheapest->costUsd.expected);
                QVERIFY(offer.time.totalHours.expected >= fastest->time.totalHours.expected);
            } else {
                QVERIFY(!offer.cheapest && !offer.fastest && !offer.paretoOptimal);
                QVERIFY(offer.notes.first().startsWith(QStringLiteral("compare only")));
            }
        }
        // Nothing on the frontier is dominated by another fitting, launchable offer.
        const QList<const OfferEstimate *> frontier = table.paretoFrontier();
        QVERIFY(frontier.size() >= 2);
        for (const OfferEstimate *point : frontier) {
            for (const OfferEstimate &other : table.offers) {
                if (!other.fitsInMemory() || !other.launchable || &other == point)
                    continue;
                QVERIFY(!(other.costUsd.expected < point->costUsd.expected && other.time.totalHours.expected < point->time.totalHours.expected));
            }
        }
        QVERIFY(table.catalogNotes.first().startsWith(QStringLiteral("Nebius")));
    }

    void filters()
    {
        OfferFilter filter;
        filter.gpu = QStringLiteral("h100");
        filter.gpuCount = 8;
        filter.includeSpot = false;
        filter.nodeCounts = {1};
        filter.includeCompareOnly = false;
        const CostTable table = buildCostTable(bundled(), model(QStringLiteral("meta-llama--Llama-3.1-8B-Instruct"), 8030261248),
                                               data(QStringLiteral("d/d"), 1000, 500), TrainingSettings{}, filter);
        QCOMPARE(table.offers.size(), 1);
        QCOMPARE(table.offers.first().gpuLabel(), QStringLiteral("H100 × 8"));
        QVERIFY(!table.offers.first().spot);
        filter = OfferFilter{};
        filter.region = QStringLiteral("us-central1");
        for (const OfferEstimate &offer :
             buildCostTable(bundled(), model(QStringLiteral("Qwen--Qwen2.5-0.5B-Instruct"), 494032768), data(QStringLiteral("d/d"), 10, 10),
                            TrainingSettings{}, filter)
                 .offers)
            QCOMPARE(offer.instance.region, QStringLiteral("us-central1"));
    }

    void pricingTheWholeCatalogIsQuick()
    {
        // Not a timed assertion (machines are noisy): it only has to finish; bench/ measures it.
        QElapsedTimer clock;
        clock.start();
        const CostTable table = buildCostTable(bundled(), model(QStringLiteral("meta-llama--Llama-3.1-8B-Instruct"), 8030261248),
                                               data(QStringLiteral("d/d"), 100000, 700), TrainingSettings{});
        qInfo("priced %lld offers in %lld ms (debug build)", static_cast<long long>(table.offers.size()), static_cast<long long>(clock.elapsed()));
        QVERIFY(table.offers.size() > 300);
    }

    void budgetsPerOffer()
    {
        TrainingSettings settings;
        settings.maxRuntimeHours = 2;
        const PlanEstimate estimate = priceFacts(bundled(), model(QStringLiteral("meta-llama--Llama-3.1-8B-Instruct"), 8030261248),
                                                 data(QStringLiteral("d/d"), 5000, 700), settings, OfferFilter{}, BudgetLimits{}, 30.0);
        QVERIFY(estimate.hasEstimates());
        QCOMPARE(estimate.budget.size(), estimate.table.offers.size());
        for (qsizetype i = 0; i < estimate.table.offers.size(); ++i) {
            const OfferEstimate &offer = estimate.table.offers.at(i);
            const BudgetDecision &decision = estimate.budget.at(i);
            // With a runtime cap the worst case is the cap at the cluster's price.
            QCOMPARE(decision.worstCaseUsd, 2.0 * offer.pricePerHour);
            QVERIFY(decision.summary().contains(QStringLiteral("max runtime 2.0 h")));
            if (decision.worstCaseUsd > 50.0)
                QCOMPARE(decision.verdict, BudgetVerdict::Refused);
            else if (decision.worstCaseUsd > 10.0)
                QCOMPARE(decision.verdict, BudgetVerdict::NeedsApproval);
        }
        const PlanEstimate unknown = priceFacts(bundled(), ModelFacts{}, DatasetFacts{}, settings, OfferFilter{}, BudgetLimits{}, 0.0);
        QVERIFY(!unknown.hasEstimates());
        QCOMPARE(unknown.blockers.size(), 2);
    }

    void durations_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<double>("hours");
        QTest::newRow("hours") << "6h" << 6.0;
        QTest::newRow("minutes") << "90m" << 1.5;
        QTest::newRow("combined") << "1h30m" << 1.5;
        QTest::newRow("days") << "2d" << 48.0;
        QTest::newRow("bare minutes") << "45" << 0.75;
        QTest::newRow("min spelled") << "30 min" << 0.5;
        QTest::newRow("garbage") << "soon" << -1.0;
        QTest::newRow("zero") << "0h" << -1.0;
        QTest::newRow("empty") << "" << -1.0;
        QTest::newRow("negative") << "-5" << -1.0;
    }

    void durations()
    {
        QFETCH(QString, text);
        QFETCH(double, hours);
        const std::optional<double> parsed = parseDurationHours(text);
        QCOMPARE(parsed.value_or(-1.0), hours);
    }
};

VIBEML_TEST_MAIN_CORE(TestCostTable)
#include "tst_costtable.moc"
