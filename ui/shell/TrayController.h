#pragma once

#include "shell/NotificationPolicy.h"

#include <QObject>
#include <QPointer>

class QAction;
class QMenu;
class QSystemTrayIcon;

namespace vibeml {

namespace jobs {
class JobService;
}

// The tray icon (where the desktop has a tray): a menu with the live jobs and what each has cost so
// far, "Show VibeML" and "Quit"; and the desktop notifications for the monitor's notices. Without a
// tray the notifications are handed to the window (notificationWithoutTray).
class TrayController : public QObject
{
    Q_OBJECT

public:
    explicit TrayController(QObject *parent = nullptr);
    ~TrayController() override;

    bool isAvailable() const { return m_icon != nullptr; }
    void setJobService(jobs::JobService *service);

    QMenu *menu() const { return m_menu; }
    // Rebuilds the job lines from the journal (also done whenever the menu opens).
    void refresh();
    // Shows `notification` when the policy lets it through; returns what was shown.
    std::optional<Notification> notify(const jobs::MonitorNotice &notice);
    // A plain message from the tray (no policy), e.g. "VibeML keeps monitoring here".
    void showMessage(const Notification &notification);
    QString toolTip() const { return m_toolTip; }

Q_SIGNALS:
    void showWindowRequested();
    void quitRequested();
    void notificationWithoutTray(const vibeml::Notification &notification);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QMenu *m_menu;
    QAction *m_jobsHeader;
    QAction *m_jobsEnd;
    QList<QAction *> m_jobActions;
    QSystemTrayIcon *m_icon = nullptr;
    QPointer<jobs::JobService> m_jobService;
    NotificationPolicy m_policy;
    QString m_toolTip;
};

} // namespace vibeml
