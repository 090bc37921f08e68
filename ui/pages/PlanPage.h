#pragma once

#include "config/SettingsSchema.h"
#include "cost/PlanEstimator.h"
#include "sky/LaunchPlan.h"
#include "sky/SkyProcess.h"

#include <QHash>
#include <QTimer>
#include <QWidget>

#include <functional>
#include <optional>

class QLabel;
class QPushButton;
class QStackedWidget;
class QTabBar;

namespace vibeml {

class CostChartView;
class DatasetPicker;
class GpuPanel;
class ModelPicker;
class ReviewPanel;
class Settings;
class TrainingSettingsForm;
namespace catalog {
class Catalog;
}
namespace hub {
class HubClient;
class OfflineSnapshot;
} // namespace hub

// Where a run is planned, in five steps: model → dataset → settings → GPU and cost → review.
// The page composes the step panels and wires them together; core decides everything (the
// checks, the prices, the budget, the launch plan). Every change re-prices the plan after a
// short pause, without asking the Hub again.
class PlanPage : public QWidget
{
    Q_OBJECT

public:
    struct Services
    {
        Settings &settings;
        hub::HubClient *hub = nullptr; // without it the page only shows the defaults
        const hub::OfflineSnapshot *hubSnapshot = nullptr;
        std::function<const catalog::Catalog &()> catalog = {};
        std::function<std::optional<double>()> monthSpentUsd = {};
        std::function<sky::SkyEnvironment()> skyEnvironment = {};
    };
    enum class Step { Model, Dataset, Settings, Offers, Review, Count };

    // Builds the model step only: the first frame shows nothing else. The other steps are built
    // by finishBuilding() (the window calls it after its first paint) or when first needed.
    explicit PlanPage(const Services &services, QWidget *parent = nullptr);

    void finishBuilding();

    void showStep(Step step);
    Step currentStep() const;
    QString shownValue(SettingKey key); // builds the remaining steps first

    // Waits this long after the last change before re-pricing (default 250 ms).
    void setEstimateDelay(std::chrono::milliseconds delay) { m_estimateTimer.setInterval(delay); }
    bool isEstimatePending() const { return m_estimateTimer.isActive(); }
    const std::optional<cost::PlanEstimate> &estimate() const { return m_estimate; }
    // Where the person wants the results downloaded (the launcher's business; not in LaunchPlan).
    QString downloadFolder() const;

    ModelPicker *modelPicker() const { return m_modelPicker; }
    DatasetPicker *datasetPicker() { return (finishBuilding(), m_datasetPicker); }
    TrainingSettingsForm *settingsForm() { return (finishBuilding(), m_settingsForm); }
    GpuPanel *gpuPanel() { return (finishBuilding(), m_gpuPanel); }
    CostChartView *costChart() { return (finishBuilding(), m_costChart); }
    ReviewPanel *reviewPanel() { return (finishBuilding(), m_reviewPanel); }
    QLabel *statusLabel() const { return m_status; }
    QTabBar *stepBar() const { return m_steps; }
    QPushButton *nextButton() const { return m_next; }
    QPushButton *backButton() const { return m_back; }

Q_SIGNALS:
    void preferencesRequested();
    void launchRequested(const vibeml::sky::LaunchPlan &plan);
    void estimateUpdated(); // after each re-pricing

private:
    QWidget *createDefaultsBox();
    void showValue(SettingKey key);
    void scheduleEstimate();
    void estimateNow();
    void refreshReview();
    void updateSteps();
    void setStatus(const QString &text);

    Services m_services;
    QTabBar *m_steps;
    QStackedWidget *m_pages;
    QPushButton *m_back;
    QPushButton *m_next;
    QLabel *m_status;
    ModelPicker *m_modelPicker = nullptr;
    DatasetPicker *m_datasetPicker = nullptr;
    TrainingSettingsForm *m_settingsForm = nullptr;
    GpuPanel *m_gpuPanel = nullptr;
    CostChartView *m_costChart = nullptr;
    ReviewPanel *m_reviewPanel = nullptr;
    QHash<SettingKey, QLabel *> m_values;
    QTimer m_estimateTimer;
    std::optional<hub::ModelReport> m_model;
    std::optional<hub::DatasetReport> m_dataset;
    std::optional<cost::PlanEstimate> m_estimate;
    std::optional<cost::TrainingSettings> m_pricedSettings;
    QString m_jobId;
    QString m_jobModelId;
};

} // namespace vibeml
