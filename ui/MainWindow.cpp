#include "MainWindow.h"

#include "config/Settings.h"
#include "jobs/JobService.h"
#include "dialogs/PreferencesDialog.h"
#include "jobs/JobLaunchController.h"
#include "log/LogBus.h"
#include "models/LogEntryModel.h"
#include "pages/JobsPage.h"
#include "pages/LogPage.h"
#include "pages/PlanPage.h"
#include "shell/CloseGuard.h"
#include "shell/StatusIndicators.h"
#include "shell/TrayController.h"
#include "widgets/AfterFirstPaint.h"
#include "widgets/MessageBanner.h"

#include "vibeml/Version.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QStatusBar>
#include <QTabWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace vibeml {
namespace {

constexpr int kLogEntries = 5000; // the application log's entries kept for the Log page

// A page built after the window: it fills the tab's placeholder, which hands it the focus.
void fillTab(QWidget *tab, QWidget *page)
{
    auto *layout = new QVBoxLayout(tab);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(page);
    tab->setFocusProxy(page);
}

} // namespace

MainWindow::MainWindow(const Services &services, QWidget *parent)
    : QMainWindow(parent), m_services(services), m_tabs(new QTabWidget(this)), m_banner(new MessageBanner(this)),
      m_planPage(new PlanPage({services.settings, services.hub, services.hubSnapshot, services.catalog,
                               services.monthSpentUsd, services.skyEnvironment},
                              this)),
      m_jobsTab(new QWidget(this)), m_logEntries(new LogEntryModel(kLogEntries, this)), m_logTab(new QWidget(this))
{
    setWindowTitle(QLatin1String(kDisplayName));
    m_jobsTab->setAccessibleName(tr("Jobs"));
    setObjectName(QStringLiteral("MainWindow"));
    setAccessibleName(QLatin1String(kDisplayName));

    m_tabs->setDocumentMode(true);
    m_tabs->setAccessibleName(tr("Pages"));
    m_tabs->addTab(m_planPage, tr("&Plan a run"));
    m_tabs->addTab(m_jobsTab, tr("&Jobs"));
    m_tabs->addTab(m_logTab, tr("&Log"));
    m_logTab->setAccessibleName(tr("Application log"));
    if (services.logBus) {
        connect(services.logBus, &LogBus::entryLogged, this, [this](const LogEntry &entry) {
            if (m_logPage)
                m_logPage->appendFollowing(entry);
            else
                m_logEntries->append(entry);
        });
    }

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_banner);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    createMenus();
    createShell();
    statusBar()->showMessage(tr("Ready"), 3000);
    connect(m_planPage, &PlanPage::preferencesRequested, this, &MainWindow::showPreferences);
    m_launcher = new JobLaunchController(services.settings, services.secrets, this);
    connect(m_planPage, &PlanPage::launchRequested, this, &MainWindow::launchPlan);
    connect(m_launcher, &JobLaunchController::started, this, [this](const QString &jobId) {
        jobsPage()->selectJob(jobId);
        statusBar()->showMessage(tr("Launching %1…").arg(jobId), 10000);
    });
    connect(m_launcher, &JobLaunchController::refused, this, [this](const QString &, const QString &message) {
        m_banner->showMessage(message, MessageBanner::Severity::Error);
    });
    connect(this, &MainWindow::jobServiceReady, m_launcher, &JobLaunchController::setService);
    // Opening the Jobs or Log tab before the first paint builds its page at once.
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (index == static_cast<int>(Page::Jobs))
            buildJobsPage();
        if (index == static_cast<int>(Page::Log))
            buildLogPage();
    });
    restoreWindowState();
    // The hidden pages, the journal and the monitor wait until the window has painted.
    runAfterFirstPaint(this, [this] {
        statusIndicators();
        m_planPage->finishBuilding();
        buildJobsPage();
        buildLogPage();
        attachJobService();
    });
}

LogPage *MainWindow::logPage()
{
    buildLogPage();
    return m_logPage;
}

void MainWindow::buildLogPage()
{
    if (m_logPage)
        return;
    m_logPage = new LogPage(m_logEntries, m_services.logDirectory, m_logTab);
    fillTab(m_logTab, m_logPage);
}

JobsPage *MainWindow::jobsPage()
{
    buildJobsPage();
    return m_jobsPage;
}

void MainWindow::buildJobsPage()
{
    if (m_jobsPage)
        return;
    m_jobsPage = new JobsPage(m_services.settings, m_jobsTab);
    fillTab(m_jobsTab, m_jobsPage);
    connect(m_jobsPage, &JobsPage::relaunchRequested, this, &MainWindow::launchPlan);
    connect(m_jobsPage, &JobsPage::statusMessage, this, [this](const QString &message) { statusBar()->showMessage(message, 10000); });
    connect(this, &MainWindow::jobServiceReady, m_jobsPage, &JobsPage::setService);
    if (m_jobService)
        m_jobsPage->setService(m_jobService);
}

void MainWindow::launchPlan(const sky::LaunchPlan &plan)
{
    // The row appears on the Jobs page as soon as it is committed; sky runs in the background.
    showPage(Page::Jobs);
    m_launcher->launch(plan);
}

void MainWindow::attachJobService()
{
    if (!m_services.jobService || m_jobService)
        return;
    QString problem;
    m_jobService = m_services.jobService(&problem);
    if (!m_jobService) {
        m_banner->showMessage(tr("Jobs are unavailable: %1").arg(problem), MessageBanner::Severity::Error);
        return;
    }
    m_jobService->monitor().start();
    Q_EMIT jobServiceReady(m_jobService);
}

StatusIndicators *MainWindow::statusIndicators()
{
    // Built after the first paint: until the account, sky and the journal have been asked, which
    // starts then, they could only say "not checked".
    if (!m_statusIndicators) {
        m_statusIndicators = new StatusIndicators(
            {m_services.settings, &m_services.secrets, m_services.hub, m_services.skyEnvironment}, statusBar());
        if (m_jobService)
            m_statusIndicators->setJobService(m_jobService);
    }
    return m_statusIndicators;
}

// The tray and the question on closing with live jobs; the status bar indicators follow the first
// paint (statusIndicators()).
void MainWindow::createShell()
{
    m_tray = new TrayController(this);
    m_closeGuard = new CloseGuard(this, m_tray->isAvailable(), this);
    connect(this, &MainWindow::jobServiceReady, this, [this](jobs::JobService *service) {
        statusIndicators()->setJobService(service);
        m_tray->setJobService(service);
        m_closeGuard->setJobService(service);
    });
    connect(m_tray, &TrayController::showWindowRequested, this, &MainWindow::bringToFront);
    connect(m_tray, &TrayController::quitRequested, this, [this] {
        bringToFront();
        close();
    });
    connect(m_tray, &TrayController::notificationWithoutTray, this, [this](const Notification &notification) {
        const auto severity = notification.severity == Notification::Severity::Critical  ? MessageBanner::Severity::Error
                              : notification.severity == Notification::Severity::Warning ? MessageBanner::Severity::Warning
                                                                                         : MessageBanner::Severity::Information;
        m_banner->showMessage(tr("%1: %2").arg(notification.title, notification.message), severity);
    });
    connect(m_closeGuard, &CloseGuard::keptInTray, m_tray, [this] {
        m_tray->showMessage({Notification::Severity::Information, tr("VibeML keeps watching your jobs"),
                             tr("It stays here in the tray. Choose Quit VibeML from this icon's menu to stop it."), {}});
    });
    connect(m_closeGuard, &CloseGuard::handOverFailed, m_banner,
            [this](const QString &message) { m_banner->showMessage(message, MessageBanner::Severity::Error); });
}

void MainWindow::bringToFront()
{
    setWindowState(windowState() & ~Qt::WindowMinimized);
    show();
    raise();
    activateWindow();
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *preferences = file->addAction(tr("&Preferences…"), this, &MainWindow::showPreferences);
    preferences->setShortcut(QKeySequence::Preferences);
    if (preferences->shortcut().isEmpty())
        preferences->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    preferences->setMenuRole(QAction::PreferencesRole);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    const std::pair<Page, QString> pages[] = {
        {Page::Plan, tr("&Plan a run")}, {Page::Jobs, tr("&Jobs")}, {Page::Log, tr("&Log")}};
    int number = 1;
    for (const auto &[page, title] : pages) {
        QAction *action = view->addAction(title, this, [this, page = page] { showPage(page); });
        action->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_0 + number++)));
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("Open &log folder"), this, [this] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(m_services.logDirectory));
    });
    help->addSeparator();
    QAction *about = help->addAction(tr("&About VibeML"), this, [this] {
        auto *box = new QMessageBox(QMessageBox::Information, tr("About VibeML"),
                                    tr("<b>VibeML %1</b><p>Fine-tune Hugging Face models on Nebius GPUs through "
                                       "SkyPilot, and know what it costs before you launch.</p>")
                                        .arg(QLatin1String(kVersion)),
                                    QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
    about->setMenuRole(QAction::AboutRole);
}

void MainWindow::showPage(Page page)
{
    m_tabs->setCurrentIndex(static_cast<int>(page));
    if (QWidget *current = m_tabs->currentWidget())
        current->setFocus(Qt::ShortcutFocusReason);
}

PreferencesDialog *MainWindow::preferencesDialog() const
{
    return m_preferences;
}

MainWindow::Page MainWindow::currentPage() const
{
    return static_cast<Page>(m_tabs->currentIndex());
}

void MainWindow::showSettingsReport(const SettingsLoadReport &report)
{
    if (report.hasProblems())
        m_banner->showMessage(report.summary(), MessageBanner::Severity::Warning);
}

void MainWindow::showPreferences()
{
    if (!m_preferences) {
        m_preferences = new PreferencesDialog(m_services.settings, m_services.secrets,
                                              {statusIndicators()->hubAccount(), statusIndicators()->skyHealth()}, this);
        m_preferences->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_preferences->show();
    m_preferences->raise();
    m_preferences->activateWindow();
}

void MainWindow::restoreWindowState()
{
    const QByteArray geometry = m_services.settings.bytes(SettingKey::WindowGeometry);
    if (geometry.isEmpty() || !restoreGeometry(geometry)) {
        const QSize available = screen() ? screen()->availableSize() : QSize(1280, 800);
        resize(QSize(1100, 720).boundedTo(available * 0.9));
    }
    restoreState(m_services.settings.bytes(SettingKey::WindowState));
}

void MainWindow::saveWindowState()
{
    const Status geometry = m_services.settings.set(SettingKey::WindowGeometry, saveGeometry());
    const Status state = m_services.settings.set(SettingKey::WindowState, saveState());
    Q_UNUSED(geometry)
    Q_UNUSED(state)
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveWindowState();
    if (m_closeGuard && m_closeGuard->interceptClose(event))
        return;
    QMainWindow::closeEvent(event);
}

} // namespace vibeml
