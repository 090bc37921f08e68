#include "shell/TrayController.h"

#include "cost/CostTable.h"
#include "jobs/JobService.h"

#include <QAction>
#include <QEvent>
#include <QGuiApplication>
#include <QIcon>
#include <QMenu>
#include <QSystemTrayIcon>

namespace vibeml {

TrayController::TrayController(QObject *parent) : QObject(parent), m_menu(new QMenu)
{
    m_menu->setAccessibleName(tr("VibeML tray menu"));
    m_jobsHeader = m_menu->addSection(tr("Running jobs"));
    m_jobsEnd = m_menu->addSeparator();
    QAction *show = m_menu->addAction(tr("&Show VibeML"), this, &TrayController::showWindowRequested);
    show->setObjectName(QStringLiteral("trayShow"));
    QAction *quit = m_menu->addAction(tr("&Quit VibeML…"), this, &TrayController::quitRequested);
    quit->setObjectName(QStringLiteral("trayQuit"));
    connect(m_menu, &QMenu::aboutToShow, this, &TrayController::refresh);

    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        // The application's icon is set after the window's first frame: until then the tray
        // entry waits (a tray icon without an image is not shown), then follows it.
        m_icon = new QSystemTrayIcon(QGuiApplication::windowIcon(), this);
        if (parent && parent->isWidgetType())
            parent->installEventFilter(this);
        m_icon->setContextMenu(m_menu);
        connect(m_icon, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
            if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
                Q_EMIT showWindowRequested();
        });
        connect(m_icon, &QSystemTrayIcon::messageClicked, this, &TrayController::showWindowRequested);
        if (!m_icon->icon().isNull())
            m_icon->show();
    }
    refresh();
}

bool TrayController::eventFilter(QObject *watched, QEvent *event)
{
    // QApplication tells every top-level widget when the application's icon changes.
    if (event->type() == QEvent::ApplicationWindowIconChange && m_icon) {
        m_icon->setIcon(QGuiApplication::windowIcon());
        if (!m_icon->icon().isNull())
            m_icon->show();
    }
    return QObject::eventFilter(watched, event);
}

TrayController::~TrayController()
{
    delete m_icon;
    delete m_menu;
}

void TrayController::setJobService(jobs::JobService *service)
{
    if (m_jobService)
        disconnect(&m_jobService->monitor(), nullptr, this, nullptr);
    m_jobService = service;
    if (service) {
        connect(&service->monitor(), &jobs::JobMonitor::jobsChanged, this, &TrayController::refresh);
        connect(&service->monitor(), &jobs::JobMonitor::notice, this, [this](const jobs::MonitorNotice &notice) { notify(notice); });
    }
    refresh();
}

void TrayController::refresh()
{
    for (QAction *action : std::as_const(m_jobActions)) {
        m_menu->removeAction(action);
        action->deleteLater();
    }
    m_jobActions.clear();

    QList<jobs::JobRecord> live;
    QString problem;
    if (m_jobService) {
        auto read = m_jobService->store().jobs(jobs::JobStore::Which::NotTerminal, true);
        if (read)
            live = read.value();
        else
            problem = read.error();
    }
    const QDateTime now = m_jobService ? m_jobService->store().clock().now() : QDateTime::currentDateTimeUtc();
    double total = 0;
    double perHour = 0;
    const auto addLine = [this](const QString &text) {
        auto *action = new QAction(text, m_menu);
        action->setEnabled(false);
        m_menu->insertAction(m_jobsEnd, action);
        m_jobActions.append(action);
    };
    for (const jobs::JobRecord &job : std::as_const(live)) {
        const double accrued = job.accruedAt(now);
        total += accrued;
        if (job.billingSince.isValid())
            perHour += job.pricePerHour;
        QString line = tr("%1 — %2 — %3").arg(job.id, job.stateText(), cost::formatDollars(accrued));
        if (job.budgetCapUsd && *job.budgetCapUsd > 0)
            line += tr(" of %1 cap").arg(cost::formatDollars(*job.budgetCapUsd));
        addLine(line);
    }
    if (!problem.isEmpty())
        addLine(tr("The job journal cannot be read: %1").arg(problem));
    else if (!m_jobService)
        addLine(tr("Jobs appear once the job journal is open"));
    else if (live.isEmpty())
        addLine(tr("No jobs running"));

    m_toolTip = live.isEmpty() ? tr("VibeML — no jobs running")
                               : tr("VibeML — %1 running, %2 so far, about %3/h")
                                     .arg(live.size() == 1 ? tr("1 job") : tr("%1 jobs").arg(live.size()),
                                          cost::formatDollars(total), cost::formatDollars(perHour));
    if (m_icon)
        m_icon->setToolTip(m_toolTip);
}

std::optional<Notification> TrayController::notify(const jobs::MonitorNotice &notice)
{
    std::optional<jobs::JobRecord> job;
    QDateTime now = QDateTime::currentDateTimeUtc();
    if (m_jobService) {
        now = m_jobService->store().clock().now();
        if (!notice.jobId.isEmpty())
            job = m_jobService->store().job(notice.jobId);
    }
    std::optional<Notification> shown = m_policy.present(notice, job, now);
    if (shown)
        showMessage(*shown);
    return shown;
}

void TrayController::showMessage(const Notification &notification)
{
    if (!m_icon || !m_icon->isVisible()) {
        Q_EMIT notificationWithoutTray(notification);
        return;
    }
    const QSystemTrayIcon::MessageIcon icon = notification.severity == Notification::Severity::Critical ? QSystemTrayIcon::Critical
                                              : notification.severity == Notification::Severity::Warning ? QSystemTrayIcon::Warning
                                                                                                         : QSystemTrayIcon::Information;
    m_icon->showMessage(notification.title, notification.message, icon);
}

} // namespace vibeml
