#include "catalog/Catalog.h"
#include "cost/PlanEstimator.h"
#include "cost/TrainingPresets.h"
#include "plan/ReviewPanel.h"

#include "FakeSky.h"
#include "GuiTestMain.h"

#include <QCheckBox>
#include <QFrame>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>

using namespace vibeml;

Q_DECLARE_METATYPE(vibeml::sky::LaunchPlan)

namespace {

const catalog::Catalog &bundled()
{
    static const catalog::Catalog catalog = catalog::Catalog::load(test::isolatedRoot() + QStringLiteral("/no-sky-catalogs"));
    return catalog;
}

// A review of the cheapest offer for a small LoRA run, with the budget verdict given.
ReviewPanel::Review review(cost::BudgetVerdict verdict, const QStringList &blockers = {})
{
    cost::ModelFacts model;
    model.id = QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct");
    model.parameters = 494'032'768;
    cost::DatasetFacts data;
    data.id = QStringLiteral("HuggingFaceH4/ultrachat_200k");
    data.rows = 20'000;
    data.tokensPerRow = 800;
    const cost::TrainingSettings settings = cost::preset(cost::Method::Lora, model.parameters);
    const cost::PlanEstimate estimate = cost::priceFacts(bundled(), model, data, settings, {}, {}, 0.0);
    const cost::OfferEstimate &offer = estimate.table.offers.at(cost::preferredOffer(estimate.table, cost::OfferPreference{}));
    Q_ASSERT(!offer.spot);
    hub::ColumnMapping mapping;
    mapping.format = hub::DataFormat::Chat;
    mapping.messages = QStringLiteral("messages");
    mapping.roleKey = QStringLiteral("role");
    mapping.contentKey = QStringLiteral("content");
    ReviewPanel::Review r;
    r.plan = sky::planFromOffer(QStringLiteral("vibeml-qwen2-5-0-5b-instruct-abc123"), model,
                                QStringLiteral("7ae557604adf67be50417f59c2c2f167def9a775"), data, QStringLiteral("8c4a1b2d"),
                                QStringLiteral("default"), QStringLiteral("train_sft"), mapping, settings, offer);
    r.worstCase = {12.4, QStringLiteral("max runtime 6 h × $2.07/h")};
    r.decision.verdict = verdict;
    r.decision.worstCaseUsd = 12.4;
    if (verdict == cost::BudgetVerdict::Refused)
        r.decision.reasons = {QStringLiteral("worst case $12.40 exceeds the per-run budget of $10.00")};
    r.limits.approvalThresholdUsd = 10;
    r.monthSpentUsd = 3.5;
    r.blockers = blockers;
    if (verdict == cost::BudgetVerdict::Refused)
        r.blockers += r.decision.reasons;
    return r;
}

} // namespace

class TestReviewPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<sky::LaunchPlan>(); }

    void showsWhatWouldBeLaunched()
    {
        ReviewPanel panel;
        panel.setReview(review(cost::BudgetVerdict::Ok));
        const QString yaml = panel.taskYaml()->toPlainText();
        QVERIFY(yaml.contains(QStringLiteral("VIBEML_JOB: \"job.json\"")));
        QVERIFY(yaml.contains(QStringLiteral("infra: nebius/")));
        // User values travel in job.json, never inside the scripts.
        const QString run = yaml.mid(yaml.indexOf(QStringLiteral("\nsetup:")));
        QVERIFY(!run.contains(QStringLiteral("Qwen")));
        QVERIFY(!yaml.contains(QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct")));
        QVERIFY(panel.jobJson()->toPlainText().contains(QStringLiteral("\"id\": \"Qwen/Qwen2.5-0.5B-Instruct\"")));
        QVERIFY(panel.trainingScript()->toPlainText().contains(QStringLiteral("def ")));
        QCOMPARE(panel.skyCommand()->text(),
                 QStringLiteral("sky launch -y -d -c vibeml-qwen2-5-0-5b-instruct-abc123 -i 30 task.yaml"));
        QVERIFY(panel.readme()->toPlainText().contains(QStringLiteral("sky down -y vibeml-qwen2-5-0-5b-instruct-abc123")));
        QVERIFY(panel.budgetLabel()->text().contains(QStringLiteral("$12.40")));
        QVERIFY(panel.budgetLabel()->text().contains(QStringLiteral("$3.50")));
        QCOMPARE(panel.launchButton()->text(), QStringLiteral("La&unch — up to $12.40"));
        QVERIFY(panel.launchButton()->isEnabled());
        QVERIFY(panel.approvalBox()->isHidden());
    }

    void launchAsksToConfirm()
    {
        ReviewPanel panel;
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QSignalSpy launched(&panel, &ReviewPanel::launchRequested);
        panel.setReview(review(cost::BudgetVerdict::Ok));
        QTest::mouseClick(panel.launchButton(), Qt::LeftButton);
        QVERIFY(panel.confirmation()->isVisible());
        QVERIFY(!panel.launchButton()->isEnabled());
        QCOMPARE(launched.count(), 0);
        QTest::mouseClick(panel.cancelButton(), Qt::LeftButton);
        QVERIFY(!panel.confirmation()->isVisible());
        QCOMPARE(launched.count(), 0);

        QTest::mouseClick(panel.launchButton(), Qt::LeftButton);
        QTest::keyClick(&panel, Qt::Key_Escape); // Escape cancels too
        QVERIFY(!panel.confirmation()->isVisible());

        QTest::mouseClick(panel.launchButton(), Qt::LeftButton);
        QTest::mouseClick(panel.confirmButton(), Qt::LeftButton);
        QCOMPARE(launched.count(), 1);
        const auto plan = launched.first().first().value<sky::LaunchPlan>();
        QCOMPARE(plan.jobId, QStringLiteral("vibeml-qwen2-5-0-5b-instruct-abc123"));
        QCOMPARE(plan.modelRevision, QStringLiteral("7ae557604adf67be50417f59c2c2f167def9a775"));
        QVERIFY(!panel.confirmation()->isVisible());
    }

    void approvalAboveTheThreshold()
    {
        ReviewPanel panel;
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.setReview(review(cost::BudgetVerdict::NeedsApproval));
        QVERIFY(panel.approvalBox()->isVisible());
        QVERIFY(panel.approvalBox()->text().contains(QStringLiteral("$12.40")));
        QVERIFY(!panel.launchButton()->isEnabled());
        QVERIFY(panel.launchButton()->toolTip().contains(QStringLiteral("approval threshold")));
        panel.approvalBox()->setFocus();
        QTest::keyClick(panel.approvalBox(), Qt::Key_Space);
        QVERIFY(panel.approvalBox()->isChecked());
        QVERIFY(panel.launchButton()->isEnabled());
    }

    void refusedBudgetDisablesLaunch()
    {
        ReviewPanel panel;
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.setReview(review(cost::BudgetVerdict::Refused));
        QVERIFY(!panel.launchButton()->isEnabled());
        QVERIFY(panel.blockersLabel()->isVisible());
        QVERIFY(panel.blockersLabel()->text().contains(QStringLiteral("exceeds the per-run budget")));
        QVERIFY(panel.approvalBox()->isHidden());
        QTest::mouseClick(panel.launchButton(), Qt::LeftButton);
        QVERIFY(!panel.confirmation()->isVisible());

        panel.setReview(review(cost::BudgetVerdict::Ok, {QStringLiteral("Access: request access first")}));
        QVERIFY(!panel.launchButton()->isEnabled());
        QVERIFY(panel.blockersLabel()->text().contains(QStringLiteral("request access")));
    }

    void preflightRunsInTheBackground()
    {
        test::FakeSky fake;
        ReviewPanel panel([&fake] {
            sky::SkyEnvironment environment;
            environment.program = test::FakeSky::program();
            environment.base.insert(QStringLiteral("FAKE_SKY_STATE"), fake.stateDirectory());
            return environment;
        });
        panel.setReview(review(cost::BudgetVerdict::Ok));
        QVERIFY(panel.preflightRunning());
        QVERIFY(panel.preflightLabel()->text().contains(QStringLiteral("Checking")));
        QTRY_VERIFY_WITH_TIMEOUT(!panel.preflightRunning(), 30000);
        const QString checks = panel.preflightLabel()->text();
        QVERIFY2(checks.contains(QStringLiteral("SkyPilot")) && checks.contains(QStringLiteral("version 0.10.3")), qPrintable(checks));
        QVERIFY2(checks.contains(QStringLiteral("enabled in SkyPilot")), qPrintable(checks));
        QVERIFY(!fake.invocations().isEmpty());
    }

    void clearDisablesEverything()
    {
        ReviewPanel panel;
        panel.setReview(review(cost::BudgetVerdict::Ok));
        panel.clear(QStringLiteral("Pick a dataset."));
        QVERIFY(!panel.launchButton()->isEnabled());
        QVERIFY(!panel.plan());
        QVERIFY(panel.taskYaml()->toPlainText().isEmpty());
    }
};

VIBEML_TEST_MAIN_GUI(TestReviewPanel)
#include "tst_reviewpanel.moc"
