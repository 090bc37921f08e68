#include "config/Settings.h"
#include "cost/BudgetPolicy.h"

#include "TestSupport.h"

using namespace vibeml;
using namespace vibeml::cost;

Q_DECLARE_METATYPE(vibeml::cost::BudgetVerdict)

class TestBudgetPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decisions_data()
    {
        QTest::addColumn<double>("worst");
        QTest::addColumn<double>("spent");
        QTest::addColumn<BudgetVerdict>("verdict");
        QTest::addColumn<QString>("says");
        // Defaults: $50 per run, $500 a month, warn at 80 %, approval above $10.
        QTest::newRow("small run") << 4.20 << 0.0 << BudgetVerdict::Ok << "within every budget";
        QTest::newRow("exactly the threshold") << 10.00 << 0.0 << BudgetVerdict::Ok << "$10.00";
        QTest::newRow("a cent above the threshold") << 10.01 << 0.0 << BudgetVerdict::NeedsApproval << "approval threshold of $10.00";
        QTest::newRow("80 % of the run budget") << 40.00 << 0.0 << BudgetVerdict::NeedsApproval << "80 % of the per-run budget";
        QTest::newRow("exactly the run budget") << 50.00 << 0.0 << BudgetVerdict::NeedsApproval << "$50.00";
        QTest::newRow("a cent over the run budget") << 50.01 << 0.0 << BudgetVerdict::Refused << "exceeds the per-run budget of $50.00";
        QTest::newRow("month warning") << 5.00 << 395.00 << BudgetVerdict::Warn << "this month would reach $400.00 of the $500.00 budget (80 %)";
        QTest::newRow("just under the month warning") << 5.00 << 394.98 << BudgetVerdict::Ok << "within";
        QTest::newRow("month exactly full") << 5.00 << 495.00 << BudgetVerdict::Warn << "$500.00";
        QTest::newRow("month over") << 5.00 << 495.01 << BudgetVerdict::Refused << "exceeds the monthly budget of $500.00";
        QTest::newRow("both over") << 60.00 << 480.00 << BudgetVerdict::Refused << "monthly";
    }

    void decisions()
    {
        QFETCH(double, worst);
        QFETCH(double, spent);
        QFETCH(BudgetVerdict, verdict);
        QFETCH(QString, says);
        const BudgetDecision decision = decideBudget(BudgetLimits{}, WorstCase{worst, QStringLiteral("high estimate")}, spent);
        QCOMPARE(decision.verdict, verdict);
        QVERIFY2(decision.summary().contains(says), qPrintable(decision.summary()));
        QCOMPARE(decision.allowsLaunch(), verdict != BudgetVerdict::Refused);
        QVERIFY(decision.summary().startsWith(verdictName(verdict)));
    }

    void zeroThresholdAlwaysAsks()
    {
        BudgetLimits limits;
        limits.approvalThresholdUsd = 0;
        QCOMPARE(decideBudget(limits, WorstCase{0.05, QStringLiteral("x")}, 0).verdict, BudgetVerdict::NeedsApproval);
    }

    void limitsComeFromSettings()
    {
        Settings settings(test::isolatedRoot() + QStringLiteral("/budget/settings.json"));
        settings.load();
        QVERIFY(settings.set(SettingKey::PerJobBudgetUsd, 120.0).isOk());
        QVERIFY(settings.set(SettingKey::BudgetWarnFraction, 0.5).isOk());
        const BudgetLimits limits = BudgetLimits::fromSettings(settings);
        QCOMPARE(limits.perJobUsd, 120.0);
        QCOMPARE(limits.monthlyUsd, 500.0);
        QCOMPARE(limits.warnFraction, 0.5);
        QCOMPARE(limits.approvalThresholdUsd, 10.0);
    }
};

VIBEML_TEST_MAIN_CORE(TestBudgetPolicy)
#include "tst_budgetpolicy.moc"
