#include "catalog/Catalog.h"
#include "cost/PlanEstimator.h"
#include "cost/TrainingPresets.h"
#include "sky/LaunchDraft.h"
#include "sky/TaskBuilder.h"

#include "HubTestRig.h"

using namespace vibeml;
using test::HubTestRig;

namespace {

const catalog::Catalog &bundled()
{
    static const catalog::Catalog catalog = catalog::Catalog::load(test::isolatedRoot() + QStringLiteral("/no-sky-catalogs"));
    return catalog;
}

std::optional<cost::PlanEstimate> estimate(HubTestRig &rig, const QString &model, const cost::BudgetLimits &limits = {})
{
    cost::PlanEstimator estimator(*rig.client, bundled());
    estimator.setBudget(limits, 0.0);
    std::optional<cost::PlanEstimate> result;
    QObject::connect(&estimator, &cost::PlanEstimator::finished, [&result](const cost::PlanEstimate &e) { result = e; });
    cost::PlanRequest request;
    request.modelId = model;
    request.dataset.id = QStringLiteral("HuggingFaceH4/ultrachat_200k");
    request.settings = cost::preset(cost::Method::Lora, 494'032'768);
    request.settings.maxSteps = 200;
    estimator.estimate(request);
    (void)QTest::qWaitFor([&result] { return result.has_value(); }, 20000);
    return result;
}

qsizetype indexOf(const cost::CostTable &table, bool launchable)
{
    for (qsizetype i = 0; i < table.offers.size(); ++i) {
        if (table.offers.at(i).launchable == launchable && table.offers.at(i).fitsInMemory())
            return i;
    }
    return -1;
}

} // namespace

class TestLaunchDraft : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cheapestOfferIsLaunchable()
    {
        HubTestRig rig;
        const auto e = estimate(rig, QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct"));
        QVERIFY(e && e->hasEstimates());
        const cost::OfferEstimate *cheapest = e->table.cheapest();
        QVERIFY(cheapest);
        const qsizetype index = cheapest - e->table.offers.constData();
        QVERIFY2(sky::launchBlockers(*e, index).isEmpty(), qPrintable(sky::launchBlockers(*e, index).join(QLatin1Char('\n'))));

        cost::TrainingSettings settings = cost::preset(cost::Method::Lora, 494'032'768);
        sky::LaunchChoices choices;
        choices.idleMinutes = 2; // below the floor
        auto draft = sky::draftLaunchPlan(QStringLiteral("vibeml-qwen-abc123"), *e, index, settings, choices);
        QVERIFY(draft);
        const sky::LaunchPlan &plan = draft.value();
        QCOMPARE(plan.modelId, QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct"));
        QCOMPARE(plan.modelRevision, QStringLiteral("7ae557604adf67be50417f59c2c2f167def9a775"));
        QCOMPARE(plan.datasetRevision, e->dataset.pinnedSha);
        QCOMPARE(plan.datasetConfig, QStringLiteral("default"));
        QCOMPARE(plan.datasetSplit, QStringLiteral("train_sft"));
        QCOMPARE(plan.mapping.format, hub::DataFormat::Chat);
        QCOMPARE(plan.accelerator, cheapest->instance.accelerator);
        QCOMPARE(plan.costUsd.expected, cheapest->costUsd.expected);
        QCOMPARE(plan.idleMinutes, 5);
        QVERIFY(!plan.useHfToken); // public model and data, no upload
        QVERIFY(plan.catalogNote.startsWith(QStringLiteral("Nebius"), Qt::CaseInsensitive));

        choices.outputRepo = QStringLiteral(" me/qwen-lora ");
        choices.useWandb = true;
        draft = sky::draftLaunchPlan(QStringLiteral("vibeml-qwen-abc123"), *e, index, settings, choices);
        QVERIFY(draft);
        QCOMPARE(draft.value().outputRepo, QStringLiteral("me/qwen-lora"));
        QVERIFY(draft.value().useHfToken); // uploading needs the token
        QVERIFY(sky::buildTask(draft.value()).secrets.contains(QStringLiteral("WANDB_API_KEY")));

        QVERIFY(!sky::draftLaunchPlan(QStringLiteral("x"), *e, -1, settings, choices));
        QVERIFY(!sky::draftLaunchPlan(QStringLiteral("x"), *e, e->table.offers.size(), settings, choices));
        QVERIFY(sky::launchBlockers(*e, -1).join(QString()).contains(QStringLiteral("Choose a GPU offer")));
    }

    void offersThatCannotBeLaunched()
    {
        HubTestRig rig;
        auto e = estimate(rig, QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct"));
        QVERIFY(e && e->hasEstimates());
        const qsizetype other = indexOf(e->table, false);
        QVERIFY(other >= 0);
        QVERIFY(sky::launchBlockers(*e, other).join(QString()).contains(QStringLiteral("compare prices only")));

        const qsizetype nebius = indexOf(e->table, true);
        e->table.offers[nebius].fit.fit = cost::Fit::DoesNotFit;
        QVERIFY(sky::launchBlockers(*e, nebius).join(QString()).contains(QStringLiteral("does not fit")));
    }

    void budgetRefusal()
    {
        HubTestRig rig;
        cost::BudgetLimits limits;
        limits.perJobUsd = 0.01;
        const auto e = estimate(rig, QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct"), limits);
        QVERIFY(e && e->hasEstimates());
        const qsizetype index = e->table.cheapest() - e->table.offers.constData();
        QCOMPARE(e->budget.at(index).verdict, cost::BudgetVerdict::Refused);
        QVERIFY(sky::launchBlockers(*e, index).join(QString()).contains(QStringLiteral("per-run budget")));
    }

    void gatedModelWithoutToken()
    {
        HubTestRig rig;
        const auto e = estimate(rig, QStringLiteral("meta-llama/Llama-3.1-8B-Instruct"));
        QVERIFY(e);
        const QStringList blockers = sky::launchBlockers(*e, indexOf(e->table, true));
        QVERIFY2(blockers.join(QString()).contains(QStringLiteral("Access")), qPrintable(blockers.join(QLatin1Char('\n'))));
    }

    void offlineSnapshotIsNotPinned()
    {
        HubTestRig rig;
        rig.setOffline(true);
        const auto e = estimate(rig, QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct"));
        QVERIFY(e);
        const QStringList blockers = sky::launchBlockers(*e, indexOf(e->table, true));
        QVERIFY2(blockers.join(QString()).contains(QStringLiteral("not pinned")), qPrintable(blockers.join(QLatin1Char('\n'))));
    }
};

VIBEML_TEST_MAIN_CORE(TestLaunchDraft)
#include "tst_launchdraft.moc"
