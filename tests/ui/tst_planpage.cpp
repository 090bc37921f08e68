#include "MainWindow.h"
#include "catalog/Catalog.h"
#include "config/Settings.h"
#include "pages/PlanPage.h"
#include "plan/ColumnMappingEditor.h"
#include "charts/Charts.h"
#include "charts/LinkedCharts.h"
#include "plan/CostChart.h"
#include "plan/DatasetPicker.h"
#include "plan/GpuOffersModel.h"
#include "plan/GpuPanel.h"
#include "plan/HubSearchBox.h"
#include "plan/HubSearchModel.h"
#include "plan/ModelPicker.h"
#include "plan/ReviewPanel.h"
#include "plan/TrainingSettingsForm.h"
#include "secrets/SecretStore.h"

#include "FakeSky.h"
#include "GuiDrivers.h"
#include "GuiTestMain.h"
#include "HubTestRig.h"

#include <QAbstractButton>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QMenuBar>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QLineSeries>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QTabBar>
#include <QTableView>

using namespace vibeml;
using test::HubTestRig;
using test::findOffer;
using test::pickModelAndDataset;
using test::typeAndEnter;

Q_DECLARE_METATYPE(vibeml::sky::LaunchPlan)

namespace {

int g_counter = 0;

// Everything a plan page needs, against the fake Hub and the fake `sky`.
struct PageRig
{
    HubTestRig hub;
    test::FakeSky sky;
    Settings settings{test::isolatedRoot() + QStringLiteral("/plan-%1/settings.json").arg(++g_counter)};
    double monthSpent = 4.25;

    PageRig() { settings.load(); }

    PlanPage::Services services()
    {
        return {settings,
                hub.client.get(),
                &hub.snapshot,
                []() -> const catalog::Catalog & { return test::bundledCatalog(); },
                [this] { return std::optional<double>(monthSpent); },
                [this] {
                    sky::SkyEnvironment environment;
                    environment.program = test::FakeSky::program();
                    environment.base.insert(QStringLiteral("FAKE_SKY_STATE"), sky.stateDirectory());
                    return environment;
                }};
    }
};

} // namespace

class TestPlanPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<sky::LaunchPlan>();
        charts::useLinked(&charts::linkedCharts());
    }

    void fromAModelIdToALaunch()
    {
        PageRig rig;
        PlanPage page(rig.services());
        page.resize(1300, 850);
        page.show();
        page.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        QSignalSpy estimated(&page, &PlanPage::estimateUpdated);
        QVERIFY(pickModelAndDataset(page));
        QTRY_VERIFY_WITH_TIMEOUT(page.estimate() && page.estimate()->hasEstimates(), 5000);
        QVERIFY(page.stepBar()->tabText(0).contains(QStringLiteral("✓")));
        QVERIFY(page.stepBar()->tabText(1).contains(QStringLiteral("✓")));
        QVERIFY2(page.statusLabel()->text().contains(QStringLiteral("Cheapest that fits")), qPrintable(page.statusLabel()->text()));
        // The settings step picked the preset for a small model.
        QVERIFY(page.settingsForm()->presetLabel()->text().contains(QStringLiteral("small model")));

        // Step 4: the cheapest on-demand offer is preselected (launch.spot is on-demand); choose H100 × 1.
        QTest::mouseClick(page.nextButton(), Qt::LeftButton);
        QTest::mouseClick(page.nextButton(), Qt::LeftButton);
        QCOMPARE(page.currentStep(), PlanPage::Step::Offers);
        const cost::PlanEstimate &estimate = *page.estimate();
        const qsizetype preselected = page.gpuPanel()->chosenOffer();
        QVERIFY(preselected >= 0);
        QVERIFY(!estimate.table.offers.at(preselected).spot);
        QTableView *view = page.gpuPanel()->view();
        const QModelIndex h100 = findOffer(view, QStringLiteral("H100 × 1"), false);
        QVERIFY(h100.isValid());
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(h100).center());
        const qsizetype chosen = page.gpuPanel()->chosenOffer();
        QCOMPARE(estimate.table.offers.at(chosen).instance.accelerator, QStringLiteral("H100"));
        QCOMPARE(qobject_cast<CostChart *>(page.costChart())->chosenPoint()->count(), 1);
        QVERIFY(page.stepBar()->tabText(3).contains(QStringLiteral("✓")));

        // Step 5: what would run.
        QTest::mouseClick(page.nextButton(), Qt::LeftButton);
        QCOMPARE(page.currentStep(), PlanPage::Step::Review);
        ReviewPanel *review = page.reviewPanel();
        const QString yaml = review->taskYaml()->toPlainText();
        QVERIFY(yaml.contains(QStringLiteral("accelerators: H100:1")));
        QVERIFY(yaml.contains(QStringLiteral("VIBEML_JOB: \"job.json\"")));
        QVERIFY2(!yaml.contains(QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct")), qPrintable(yaml)); // the id travels in job.json
        const QString job = review->jobJson()->toPlainText();
        QVERIFY(job.contains(QStringLiteral("\"id\": \"Qwen/Qwen2.5-0.5B-Instruct\"")));
        QVERIFY(job.contains(QStringLiteral("\"revision\": \"7ae557604adf67be50417f59c2c2f167def9a775\"")));
        QVERIFY(job.contains(QStringLiteral("\"split\": \"train_sft\"")));
        QVERIFY(review->skyCommand()->text().startsWith(QStringLiteral("sky launch -y -d -c vibeml-qwen2-5-0-5b-instruct-")));
        QVERIFY(review->launchButton()->text().startsWith(QStringLiteral("La&unch — up to $")));
        QVERIFY(review->budgetLabel()->text().contains(QStringLiteral("$4.25")));

        QSignalSpy launched(&page, &PlanPage::launchRequested);
        if (review->approvalBox()->isVisible())
            review->approvalBox()->setChecked(true);
        QVERIFY(review->launchButton()->isEnabled());
        QTest::mouseClick(review->launchButton(), Qt::LeftButton);
        QVERIFY(review->confirmation()->isVisible());
        QTest::mouseClick(review->confirmButton(), Qt::LeftButton);
        QCOMPARE(launched.count(), 1);
        const auto plan = launched.first().first().value<sky::LaunchPlan>();
        QCOMPARE(plan.modelId, QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct"));
        QCOMPARE(plan.modelRevision, QStringLiteral("7ae557604adf67be50417f59c2c2f167def9a775"));
        QCOMPARE(plan.datasetId, QStringLiteral("HuggingFaceH4/ultrachat_200k"));
        QCOMPARE(plan.accelerator, QStringLiteral("H100"));
        QCOMPARE(plan.gpusPerNode, 1);
        QCOMPARE(plan.costUsd.expected, estimate.table.offers.at(chosen).costUsd.expected);
        QCOMPARE(plan.mapping.format, hub::DataFormat::Chat);
        // The next launch from the page would be another cluster.
        QVERIFY(review->plan()->jobId != plan.jobId);
        QTRY_VERIFY_WITH_TIMEOUT(!review->preflightRunning(), 30000);
        QVERIFY(review->preflightLabel()->text().contains(QStringLiteral("enabled in SkyPilot")));
    }

    void stepsWorkFromTheKeyboard()
    {
        PageRig rig;
        PlanPage page(rig.services());
        page.show();
        page.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        page.setFocus();
        QVERIFY(page.modelPicker()->searchBox()->field()->hasFocus());
        QTest::keyClick(&page, Qt::Key_X, Qt::AltModifier); // Ne&xt (an animated click)
        QTRY_COMPARE(page.currentStep(), PlanPage::Step::Dataset);
        QVERIFY(page.datasetPicker()->searchBox()->field()->hasFocus());
        QTest::keyClick(&page, Qt::Key_X, Qt::AltModifier);
        QTRY_COMPARE(page.currentStep(), PlanPage::Step::Settings);
        QTest::keyClick(&page, Qt::Key_B, Qt::AltModifier); // &Back
        QTRY_COMPARE(page.currentStep(), PlanPage::Step::Dataset);
        QVERIFY(!page.stepBar()->accessibleName().isEmpty());
        for (QWidget *widget : page.findChildren<QWidget *>()) {
            if (qobject_cast<QPushButton *>(widget) || qobject_cast<QLineEdit *>(widget) || qobject_cast<QTableView *>(widget)) {
                if (widget->parentWidget() && widget->parentWidget()->inherits("QComboBox"))
                    continue; // an editable combo box's own line edit: the combo box is named
                QVERIFY2(!widget->accessibleName().isEmpty(),
                         qPrintable(QStringLiteral("%1 %2").arg(QLatin1String(widget->metaObject()->className()), widget->objectName())));
            }
        }
    }

    // Inside the window, no two visible mnemonics clash on any step (Qt would then cycle between
    // them instead of acting): the menus' and the page tabs' letters included.
    void mnemonicsAreUnique()
    {
        PageRig rig;
        SecretStore secrets;
        MainWindow window({rig.settings, secrets, nullptr, QString(), rig.hub.client.get(), &rig.hub.snapshot,
                           []() -> const catalog::Catalog & { return test::bundledCatalog(); }});
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        PlanPage &page = *window.planPage();
        QVERIFY(pickModelAndDataset(page));
        QTRY_VERIFY_WITH_TIMEOUT(page.estimate() && page.estimate()->hasEstimates(), 5000);
        const QList<hub::DataFormat> layouts = {hub::DataFormat::Chat, hub::DataFormat::Instruction,
                                                hub::DataFormat::PromptCompletion, hub::DataFormat::Text};
        for (int step = 0; step < int(PlanPage::Step::Count); ++step) {
            page.showStep(PlanPage::Step(step));
            for (hub::DataFormat layout : step == int(PlanPage::Step::Dataset) ? layouts : QList<hub::DataFormat>{layouts.first()}) {
                if (step == int(PlanPage::Step::Dataset)) {
                    QComboBox *format = page.datasetPicker()->mappingEditor()->formatBox();
                    format->setCurrentIndex(format->findData(int(layout)));
                }
                QHash<QKeySequence, QString> seen;
                QStringList clashes;
                const auto claim = [&seen, &clashes](const QKeySequence &key, const QString &owner) {
                    if (key.isEmpty())
                        return;
                    if (seen.contains(key))
                        clashes << QStringLiteral("%1: %2 / %3").arg(key.toString(), seen.value(key), owner);
                    seen.insert(key, owner);
                };
                for (QAction *menu : window.menuBar()->actions())
                    claim(QKeySequence::mnemonic(menu->text()), menu->text());
                for (QTabBar *tabs : window.findChildren<QTabBar *>()) {
                    for (int i = 0; tabs->isVisible() && i < tabs->count(); ++i)
                        claim(QKeySequence::mnemonic(tabs->tabText(i)), tabs->tabText(i));
                }
                for (QAbstractButton *button : window.findChildren<QAbstractButton *>()) {
                    if (button->isVisible())
                        claim(button->shortcut(), button->text());
                }
                for (QLabel *label : window.findChildren<QLabel *>()) {
                    if (label->isVisible() && label->buddy())
                        claim(QKeySequence::mnemonic(label->text()), label->text());
                }
                QVERIFY(seen.size() >= 8); // menus, page tabs, Back/Next and the step's own
                QVERIFY2(clashes.isEmpty(), qPrintable(QStringLiteral("step %1: %2").arg(step).arg(clashes.join(QStringLiteral("; ")))));
            }
        }
    }

    void changesArePricedAgainAfterAPause()
    {
        PageRig rig;
        PlanPage page(rig.services());
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(pickModelAndDataset(page));
        QTRY_VERIFY_WITH_TIMEOUT(page.estimate() && page.estimate()->hasEstimates(), 5000);
        const int hubRequests = static_cast<int>(rig.hub.fake.requests().size());
        const double before = page.estimate()->table.cheapest()->costUsd.expected;

        QSignalSpy estimated(&page, &PlanPage::estimateUpdated);
        page.showStep(PlanPage::Step::Settings);
        QLineEdit *epochs = page.settingsForm()->field(cost::SettingsField::Epochs);
        epochs->setFocus();
        epochs->selectAll();
        QTest::keyClicks(epochs, QStringLiteral("2.5"));
        QVERIFY(page.isEstimatePending());
        QVERIFY(estimated.wait(3000));
        QTest::qWait(400);
        QCOMPARE(estimated.count(), 1); // three keystrokes, one re-pricing
        QCOMPARE(page.settingsForm()->settings()->epochs, 2.5);
        QVERIFY(page.estimate()->table.cheapest()->costUsd.expected > before); // more epochs, same fixed overhead
        QCOMPARE(rig.hub.fake.requests().size(), hubRequests); // re-pricing never asks the Hub

        // An invalid value stops the estimate and says why.
        epochs->selectAll();
        QTest::keyClicks(epochs, QStringLiteral("0"));
        QVERIFY(estimated.wait(3000));
        QVERIFY(!page.estimate());
        QVERIFY2(page.statusLabel()->text().contains(QStringLiteral("Fix the training settings")), qPrintable(page.statusLabel()->text()));
        QVERIFY(page.stepBar()->tabText(2).contains(QStringLiteral("!")));
        QVERIFY(!page.reviewPanel()->launchButton()->isEnabled());
    }

    void budgetSettingsReachTheReview()
    {
        PageRig rig;
        PlanPage page(rig.services());
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(pickModelAndDataset(page));
        QTRY_VERIFY_WITH_TIMEOUT(page.estimate() && page.estimate()->hasEstimates(), 5000);
        ReviewPanel *review = page.reviewPanel();

        QSignalSpy estimated(&page, &PlanPage::estimateUpdated);
        QVERIFY(rig.settings.set(SettingKey::ApprovalThresholdUsd, 0.0).isOk());
        QVERIFY(estimated.wait(3000));
        page.showStep(PlanPage::Step::Review);
        QVERIFY(review->approvalBox()->isVisible());
        QVERIFY(!review->launchButton()->isEnabled());
        review->approvalBox()->setChecked(true);
        QVERIFY(review->launchButton()->isEnabled());

        QVERIFY(rig.settings.set(SettingKey::PerJobBudgetUsd, 1.0).isOk());
        QVERIFY(estimated.wait(3000));
        QVERIFY(!review->launchButton()->isEnabled());
        QVERIFY2(review->blockersLabel()->text().contains(QStringLiteral("per-run budget")), qPrintable(review->blockersLabel()->text()));
        QCOMPARE(qobject_cast<CostChart *>(page.costChart())->budgetLine()->at(0).y(), 1.0);
        QCOMPARE(page.shownValue(SettingKey::PerJobBudgetUsd), QStringLiteral("$1.00"));
    }

    // Not a check: the pictures for the README. Runs only with VIBEML_SCREENSHOT_DIR=<folder>, which
    // receives plan-page.png (the GPU and cost step) and one picture of each other step.
    void screenshots()
    {
        const QString folder = qEnvironmentVariable("VIBEML_SCREENSHOT_DIR");
        if (folder.isEmpty())
            QSKIP("set VIBEML_SCREENSHOT_DIR to take the plan page's pictures");
        QVERIFY(QDir().mkpath(folder));
        PageRig rig;
        SecretStore secrets;
        MainWindow::Services services{rig.settings, secrets, nullptr, QString(), rig.hub.client.get(), &rig.hub.snapshot,
                                      []() -> const catalog::Catalog & { return test::bundledCatalog(); },
                                      [&rig] { return std::optional<double>(rig.monthSpent); }};
        MainWindow window(services);
        window.resize(1400, 900);
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        PlanPage &page = *window.planPage();
        QVERIFY(pickModelAndDataset(page));
        QTRY_VERIFY_WITH_TIMEOUT(page.estimate() && page.estimate()->hasEstimates(), 5000);
        const std::pair<PlanPage::Step, const char *> steps[] = {{PlanPage::Step::Model, "plan-model.png"},
                                                                 {PlanPage::Step::Dataset, "plan-dataset.png"},
                                                                 {PlanPage::Step::Settings, "plan-settings.png"},
                                                                 {PlanPage::Step::Review, "plan-review.png"},
                                                                 {PlanPage::Step::Offers, "plan-page.png"}};
        for (const auto &[step, name] : steps) {
            page.showStep(step);
            QTest::qWait(300);
            QVERIFY(window.grab().save(folder + QLatin1Char('/') + QLatin1String(name)));
        }
    }
};

VIBEML_TEST_MAIN_GUI(TestPlanPage)
#include "tst_planpage.moc"
