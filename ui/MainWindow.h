#pragma once

#include <QMainWindow>
#include <QPointer>

#include <functional>
#include <optional>

class QTabWidget;

namespace vibeml {

class CloseGuard;
class JobLaunchController;
class JobsPage;
class LogBus;
class LogEntryModel;
class LogPage;
class MessageBanner;
class PlanPage;
class PreferencesDialog;
class SecretStore;
class Settings;
class StatusIndicators;
class TrayController;
struct SettingsLoadReport;
namespace catalog {
class Catalog;
}
namespace hub {
class HubClient;
class OfflineSnapshot;
} // namespace hub
namespace sky {
struct LaunchPlan;
struct SkyEnvironment;
}
namespace jobs {
class JobService;
}

// Composes the pages, menus and status bar; every decision lives in the pages and in core.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    enum class Page { Plan, Jobs, Log };

    struct Services
    {
        Settings &settings;
        SecretStore &secrets;
        LogBus *logBus = nullptr;
        QString logDirectory;
        // The plan page's: without a Hub client it only shows the plan defaults.
        hub::HubClient *hub = nullptr;
        const hub::OfflineSnapshot *hubSnapshot = nullptr;
        std::function<const catalog::Catalog &()> catalog = {};
        std::function<std::optional<double>()> monthSpentUsd = {};
        std::function<sky::SkyEnvironment()> skyEnvironment = {};
        // Opens the journal and the job monitor; called once, after the first paint. Returns
        // nullptr with `problem` set when the journal cannot be used.
        std::function<jobs::JobService *(QString *problem)> jobService = {};
    };

    explicit MainWindow(const Services &services, QWidget *parent = nullptr);

    void showPage(Page page);
    Page currentPage() const;
    void showSettingsReport(const SettingsLoadReport &report);
    void showPreferences();

    MessageBanner *banner() const { return m_banner; }
    PlanPage *planPage() const { return m_planPage; }
    JobsPage *jobsPage(); // built after the first paint, or now when asked for first
    JobLaunchController *launchController() const { return m_launcher; }
    LogPage *logPage(); // built after the first paint, or now when asked for first
    PreferencesDialog *preferencesDialog() const;
    StatusIndicators *statusIndicators(); // built after the first paint, or now when asked for first
    TrayController *tray() const { return m_tray; }
    CloseGuard *closeGuard() const { return m_closeGuard; }
    // nullptr until the journal is open (shortly after the first paint), or when it cannot be.
    jobs::JobService *jobService() const { return m_jobService; }

Q_SIGNALS:
    // The journal is open and the monitor started: pages may now show and act on jobs.
    void jobServiceReady(vibeml::jobs::JobService *service);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createMenus();
    void restoreWindowState();
    void saveWindowState();
    void attachJobService();
    void buildJobsPage();
    void buildLogPage();
    // A confirmed plan (the Plan page, or a relaunch from the Jobs page) goes to the launcher.
    void launchPlan(const sky::LaunchPlan &plan);
    void createShell();
    void bringToFront();

    Services m_services;
    QTabWidget *m_tabs;
    MessageBanner *m_banner;
    PlanPage *m_planPage;
    QWidget *m_jobsTab;            // holds the Jobs page once it is built
    JobsPage *m_jobsPage = nullptr;
    LogEntryModel *m_logEntries;   // the application log, kept from the start
    QWidget *m_logTab;             // holds the Log page once it is built
    LogPage *m_logPage = nullptr;
    QPointer<PreferencesDialog> m_preferences;
    jobs::JobService *m_jobService = nullptr;
    JobLaunchController *m_launcher = nullptr;
    StatusIndicators *m_statusIndicators = nullptr;
    TrayController *m_tray = nullptr;
    CloseGuard *m_closeGuard = nullptr;
};

} // namespace vibeml
