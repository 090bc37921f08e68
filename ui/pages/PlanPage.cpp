#include "pages/PlanPage.h"

#include "catalog/Catalog.h"
#include "charts/Charts.h"
#include "config/Settings.h"
#include "cost/TrainingPresets.h"
#include "plan/DatasetPicker.h"
#include "plan/GpuPanel.h"
#include "plan/ModelPicker.h"
#include "plan/PlanStyle.h"
#include "plan/ReviewPanel.h"
#include "plan/TrainingSettingsForm.h"
#include "sky/LaunchDraft.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabBar>
#include <QVBoxLayout>

namespace vibeml {
namespace {

// Settings that change what a plan costs or how it would launch.
bool affectsPlan(SettingKey key)
{
    switch (key) {
    case SettingKey::DefaultRegion:
    case SettingKey::DefaultGpu:
    case SettingKey::SpotPreference:
    case SettingKey::AutostopIdleMinutes:
    case SettingKey::PerJobBudgetUsd:
    case SettingKey::MonthlyBudgetUsd:
    case SettingKey::ApprovalThresholdUsd:
    case SettingKey::BudgetWarnFraction:
        return true;
    default:
        return false;
    }
}

QStringList stepTitles()
{
    return {PlanPage::tr("1 · Model"), PlanPage::tr("2 · Dataset"), PlanPage::tr("3 · Settings"), PlanPage::tr("4 · GPU and cost"),
            PlanPage::tr("5 · Review")};
}

// Stands in for a step that needs the Hub when the window has no Hub client.
QLabel *noHubPlaceholder(QWidget *parent)
{
    auto *label = new QLabel(PlanPage::tr("The Hugging Face Hub client is not available in this window."), parent);
    label->setWordWrap(true);
    label->setAlignment(Qt::AlignCenter);
    return label;
}

} // namespace

PlanPage::PlanPage(const Services &services, QWidget *parent)
    : QWidget(parent), m_services(services), m_steps(new QTabBar(this)), m_pages(new QStackedWidget(this)),
      m_back(new QPushButton(tr("&Back"), this)), m_next(new QPushButton(tr("Ne&xt"), this)), m_status(new QLabel(this))
{
    setAccessibleName(tr("Plan a run"));
    m_estimateTimer.setSingleShot(true);
    m_estimateTimer.setInterval(std::chrono::milliseconds(250));
    connect(&m_estimateTimer, &QTimer::timeout, this, &PlanPage::estimateNow);

    if (m_services.hub) {
        m_modelPicker = new ModelPicker(*m_services.hub, &m_services.settings, m_services.hubSnapshot, this);
        m_pages->addWidget(m_modelPicker);
    } else {
        m_pages->addWidget(noHubPlaceholder(this));
    }
    for (int step = 1; step < static_cast<int>(Step::Count); ++step)
        m_pages->addWidget(new QWidget(this)); // finishBuilding() puts the real step here

    for (const QString &title : stepTitles())
        m_steps->addTab(title);
    m_steps->setAccessibleName(tr("Plan steps"));
    m_steps->setExpanding(false);
    m_steps->setDrawBase(false);
    m_back->setAccessibleName(tr("Previous step"));
    m_next->setAccessibleName(tr("Next step"));
    m_status->setWordWrap(true);
    m_status->setAccessibleName(tr("Plan status"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *top = new QHBoxLayout;
    top->addWidget(planstyle::heading(tr("Plan a run"), this));
    top->addSpacing(fontMetrics().averageCharWidth() * 2);
    top->addWidget(m_steps, 1);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_status, 1);
    bottom->addWidget(m_back);
    bottom->addWidget(m_next);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_pages, 1);
    layout->addLayout(bottom);
    setFocusProxy(m_pages->widget(0));

    connect(m_steps, &QTabBar::currentChanged, this, [this](int index) { showStep(static_cast<Step>(index)); });
    connect(m_back, &QPushButton::clicked, this, [this] { showStep(static_cast<Step>(std::max(0, m_steps->currentIndex() - 1))); });
    connect(m_next, &QPushButton::clicked, this, [this] {
        showStep(static_cast<Step>(std::min(static_cast<int>(Step::Count) - 1, m_steps->currentIndex() + 1)));
    });
    if (m_modelPicker) {
        connect(m_modelPicker, &ModelPicker::validationStarted, this, [this] {
            m_model.reset();
            scheduleEstimate();
        });
        connect(m_modelPicker, &ModelPicker::modelChosen, this, [this](const hub::ModelReport &report) {
            const QString id = report.canonicalId.isEmpty() ? report.requestedId : report.canonicalId;
            if (id != m_jobModelId) { // a new model: a new cluster name
                m_jobId = sky::newJobId(id);
                m_jobModelId = id;
            }
            m_model = report;
            finishBuilding();
            m_settingsForm->setModelParameters(report.parameters.count);
            scheduleEstimate();
        });
    }
    connect(&m_services.settings, &Settings::changed, this, [this](SettingKey key) {
        if (m_values.contains(key))
            showValue(key);
        if (affectsPlan(key))
            scheduleEstimate();
    });
    showStep(Step::Model);
    setStatus(tr("Pick a model to start."));
}

void PlanPage::finishBuilding()
{
    if (m_settingsForm)
        return;
    Settings *settings = &m_services.settings;
    QWidget *datasetPage = nullptr;
    if (m_services.hub) {
        m_datasetPicker = new DatasetPicker(*m_services.hub, settings, m_services.hubSnapshot, this);
        datasetPage = m_datasetPicker;
    } else {
        datasetPage = noHubPlaceholder(this);
    }
    m_settingsForm = new TrainingSettingsForm(this);
    auto *settingsPage = new QWidget(this);
    auto *settingsLayout = new QVBoxLayout(settingsPage);
    settingsLayout->addWidget(m_settingsForm);
    settingsLayout->addWidget(createDefaultsBox());
    settingsLayout->addStretch(1);
    auto *settingsScroll = new QScrollArea(this);
    settingsScroll->setWidget(settingsPage);
    settingsScroll->setWidgetResizable(true);
    settingsScroll->setFrameShape(QFrame::NoFrame);
    settingsScroll->setFocusProxy(m_settingsForm);

    m_gpuPanel = new GpuPanel(this);
    m_costChart = charts::createCostChart(this);
    auto *offers = new QSplitter(Qt::Vertical, this);
    offers->addWidget(m_gpuPanel);
    offers->addWidget(m_costChart);
    offers->setStretchFactor(0, 1);
    offers->setStretchFactor(1, 1);
    offers->setChildrenCollapsible(false);
    offers->setFocusProxy(m_gpuPanel);
    m_reviewPanel = new ReviewPanel(m_services.skyEnvironment, this);

    const std::pair<Step, QWidget *> built[] = {
        {Step::Dataset, datasetPage}, {Step::Settings, settingsScroll}, {Step::Offers, offers}, {Step::Review, m_reviewPanel}};
    for (const auto &[step, page] : built) {
        const int index = static_cast<int>(step);
        QWidget *stand = m_pages->widget(index);
        m_pages->insertWidget(index, page);
        m_pages->removeWidget(stand);
        delete stand;
    }

    if (m_datasetPicker) {
        connect(m_datasetPicker, &DatasetPicker::validationStarted, this, [this] {
            m_dataset.reset();
            scheduleEstimate();
        });
        connect(m_datasetPicker, &DatasetPicker::datasetChosen, this, [this](const hub::DatasetReport &report) {
            m_dataset = report;
            scheduleEstimate();
        });
    }
    connect(m_settingsForm, &TrainingSettingsForm::settingsChanged, this, &PlanPage::scheduleEstimate);
    connect(m_gpuPanel, &GpuPanel::offerChosen, this, [this](qsizetype index) {
        m_costChart->setChosen(index);
        refreshReview();
        updateSteps();
    });
    connect(m_reviewPanel, &ReviewPanel::launchRequested, this, [this](const sky::LaunchPlan &plan) {
        Q_EMIT launchRequested(plan);
        // The next launch from this page is another run, with its own cluster name.
        m_jobId = sky::newJobId(plan.modelId);
        refreshReview();
    });
    updateSteps();
}

QWidget *PlanPage::createDefaultsBox()
{
    auto *defaultsBox = new QGroupBox(tr("Every new plan starts from these defaults"), this);
    auto *form = new QFormLayout(defaultsBox);
    const SettingKey shown[] = {SettingKey::DefaultRegion,       SettingKey::DefaultGpu,     SettingKey::SpotPreference,
                                SettingKey::AutostopIdleMinutes, SettingKey::TeardownPolicy, SettingKey::PerJobBudgetUsd,
                                SettingKey::MonthlyBudgetUsd,    SettingKey::ApprovalThresholdUsd};
    for (SettingKey key : shown) {
        auto *value = new QLabel(defaultsBox);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        auto *label = new QLabel(settingsschema::label(key) + QLatin1Char(':'), defaultsBox);
        label->setToolTip(settingsschema::summary(key));
        value->setToolTip(settingsschema::summary(key));
        value->setAccessibleName(settingsschema::label(key));
        value->setAccessibleDescription(settingsschema::summary(key));
        form->addRow(label, value);
        m_values.insert(key, value);
        showValue(key);
    }
    auto *change = new QPushButton(tr("Change defaults…"), defaultsBox);
    change->setAccessibleName(tr("Change the defaults in Preferences"));
    connect(change, &QPushButton::clicked, this, &PlanPage::preferencesRequested);
    auto *buttonRow = new QHBoxLayout;
    buttonRow->addWidget(change);
    buttonRow->addStretch(1);
    form->addRow(buttonRow);
    return defaultsBox;
}

void PlanPage::showValue(SettingKey key)
{
    const QVariant value = m_services.settings.value(key);
    QString text = settingsschema::toText(key, value);
    if (key == SettingKey::DefaultGpu && text.isEmpty())
        text = tr("the cheapest that fits");
    else if (settingsschema::definition(key).type == SettingType::Decimal)
        text = QStringLiteral("$%1").arg(value.toDouble(), 0, 'f', 2);
    else if (key == SettingKey::AutostopIdleMinutes)
        text = tr("%1 min").arg(value.toInt());
    m_values.value(key)->setText(text);
}

QString PlanPage::shownValue(SettingKey key)
{
    finishBuilding();
    const QLabel *label = m_values.value(key);
    return label ? label->text() : QString();
}

void PlanPage::showStep(Step step)
{
    if (step != Step::Model)
        finishBuilding();
    const int index = static_cast<int>(step);
    if (index < 0 || index >= static_cast<int>(Step::Count))
        return;
    if (m_steps->currentIndex() != index)
        m_steps->setCurrentIndex(index); // comes back here through currentChanged
    m_pages->setCurrentIndex(index);
    m_back->setEnabled(index > 0);
    m_next->setEnabled(index + 1 < static_cast<int>(Step::Count));
    if (QWidget *page = m_pages->currentWidget(); page && isVisible())
        page->setFocus(Qt::TabFocusReason);
}

PlanPage::Step PlanPage::currentStep() const
{
    return static_cast<Step>(m_pages->currentIndex());
}

QString PlanPage::downloadFolder() const
{
    return m_settingsForm ? m_settingsForm->downloadFolder() : QString();
}

void PlanPage::scheduleEstimate()
{
    m_estimateTimer.start();
    updateSteps();
}

void PlanPage::estimateNow()
{
    finishBuilding();
    const auto clearAll = [this](const QString &reason) {
        m_estimate.reset();
        m_pricedSettings.reset();
        m_gpuPanel->clear(reason);
        m_costChart->clear(reason);
        m_reviewPanel->clear(reason);
        setStatus(reason);
        updateSteps();
        Q_EMIT estimateUpdated();
    };
    if (!m_model || !m_dataset) {
        const bool checking = (m_modelPicker && m_modelPicker->isValidating()) || (m_datasetPicker && m_datasetPicker->isValidating());
        clearAll(checking ? tr("Checking on the Hub…")
                 : !m_model ? tr("Pick a model to start.")
                            : tr("Pick a dataset to see which GPUs fit and what the run costs."));
        return;
    }
    const std::optional<cost::TrainingSettings> settings = m_settingsForm->settings();
    if (!settings) {
        clearAll(tr("Fix the training settings: %1").arg(m_settingsForm->problems().join(QLatin1Char(' '))));
        return;
    }
    if (!m_services.catalog) {
        clearAll(tr("No GPU catalog is available in this window."));
        return;
    }
    const cost::BudgetLimits limits = cost::BudgetLimits::fromSettings(m_services.settings);
    const std::optional<double> spent = m_services.monthSpentUsd ? m_services.monthSpentUsd() : std::nullopt;
    m_estimate = cost::priceReports(m_services.catalog(), *m_model, *m_dataset, *settings, cost::OfferFilter{}, limits, spent);
    m_pricedSettings = settings;
    if (!m_estimate->hasEstimates()) {
        const QString reason = m_estimate->blockers.join(QLatin1Char(' '));
        m_gpuPanel->clear(reason);
        m_costChart->clear(reason);
        setStatus(reason);
    } else {
        const cost::OfferPreference preference = cost::OfferPreference::fromSpotSetting(
            m_services.settings.text(SettingKey::DefaultGpu), m_services.settings.text(SettingKey::DefaultRegion),
            m_services.settings.text(SettingKey::SpotPreference));
        m_costChart->setEstimate(*m_estimate, limits.perJobUsd);
        m_gpuPanel->setEstimate(*m_estimate, cost::preferredOffer(m_estimate->table, preference));
        const cost::OfferEstimate *cheapest = m_estimate->table.cheapest();
        setStatus(cheapest ? tr("Cheapest that fits: %1 %2 in %3, %4 expected (%5).")
                                 .arg(cheapest->gpuLabel(), cheapest->spot ? tr("spot") : tr("on-demand"),
                                      cheapest->instance.region, cost::formatDollars(cheapest->costUsd.expected),
                                      cost::formatHours(cheapest->time.totalHours.expected))
                           : tr("No launchable offer fits this plan in GPU memory: try QLoRA, a shorter sequence "
                                "length or a smaller batch."));
    }
    refreshReview();
    updateSteps();
    Q_EMIT estimateUpdated();
}

void PlanPage::refreshReview()
{
    finishBuilding();
    if (!m_estimate || !m_pricedSettings || !m_estimate->hasEstimates()) {
        m_reviewPanel->clear(m_estimate ? m_estimate->blockers.join(QLatin1Char(' '))
                                        : tr("Choose a model, a dataset, settings and a GPU offer; the launch is reviewed here."));
        return;
    }
    const qsizetype index = m_gpuPanel->chosenOffer();
    if (index < 0 || index >= m_estimate->table.offers.size()) {
        m_reviewPanel->clear(tr("Choose a GPU offer in step 4."));
        return;
    }
    sky::LaunchChoices choices;
    choices.outputRepo = m_settingsForm->outputRepo();
    choices.outputPrivate = m_settingsForm->outputPrivate();
    choices.downloadDir = m_settingsForm->downloadFolder();
    choices.useWandb = m_settingsForm->useWandb();
    choices.idleMinutes = m_services.settings.integer(SettingKey::AutostopIdleMinutes);
    if (m_jobId.isEmpty() || m_jobModelId != m_estimate->modelFacts.id) {
        m_jobId = sky::newJobId(m_estimate->modelFacts.id);
        m_jobModelId = m_estimate->modelFacts.id;
    }
    const auto draft = sky::draftLaunchPlan(m_jobId, *m_estimate, index, *m_pricedSettings, choices);
    if (!draft) {
        m_reviewPanel->clear(draft.error());
        return;
    }
    ReviewPanel::Review review;
    review.plan = draft.value();
    const cost::OfferEstimate &offer = m_estimate->table.offers.at(index);
    review.worstCase = cost::worstCaseCost(offer, *m_pricedSettings);
    review.decision = m_estimate->budget.value(index);
    review.limits = cost::BudgetLimits::fromSettings(m_services.settings);
    review.monthSpentUsd = m_estimate->monthSpentUsd;
    review.blockers = sky::launchBlockers(*m_estimate, index) + m_settingsForm->problems();
    m_reviewPanel->setReview(review);
}

void PlanPage::updateSteps()
{
    if (!m_settingsForm)
        return; // finishBuilding() marks the steps
    const auto mark = [](bool known, bool good) {
        return !known ? QString() : good ? QStringLiteral("  ✓") : QStringLiteral("  !");
    };
    const QStringList titles = stepTitles();
    const qsizetype chosen = m_gpuPanel->chosenOffer();
    const bool offerKnown = m_estimate && chosen >= 0;
    const bool offerGood = offerKnown && chosen < m_estimate->table.offers.size() && m_estimate->table.offers.at(chosen).fitsInMemory();
    const QString marks[] = {mark(m_model.has_value(), m_model && m_model->canLaunch()),
                             mark(m_dataset.has_value(), m_dataset && m_dataset->canLaunch()),
                             mark(true, m_settingsForm->isValid()), mark(offerKnown, offerGood), QString()};
    for (int i = 0; i < static_cast<int>(Step::Count); ++i) {
        m_steps->setTabText(i, titles[i] + marks[i]);
        m_steps->setAccessibleTabName(i, titles[i] + (marks[i].isEmpty() ? QString()
                                                      : marks[i].contains(QLatin1Char('!')) ? tr(", needs attention")
                                                                                            : tr(", done")));
    }
}

void PlanPage::setStatus(const QString &text)
{
    m_status->setText(text);
    m_status->setAccessibleDescription(text);
}

} // namespace vibeml
