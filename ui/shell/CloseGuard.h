#pragma once

#include "dialogs/CloseWithJobsDialog.h"

#include <QObject>
#include <QPointer>

#include <functional>

class QCloseEvent;
class QWidget;

namespace vibeml {

namespace jobs {
class JobService;
}

// Stands between the window's close and the end of the process while jobs are live: asks
// (CloseWithJobsDialog) and carries out the answer. Handing over starts `vibeml monitor` detached;
// this process then stops its monitor, which releases the journal's monitor lease so the new
// monitor takes it over. The launcher and the quit are injectable for tests.
class CloseGuard : public QObject
{
    Q_OBJECT

public:
    // Starts `program` with `arguments`, detached; false with `error` set when it could not.
    using Launcher = std::function<bool(const QString &program, const QStringList &arguments, QString *error)>;

    CloseGuard(QWidget *window, bool trayAvailable, QObject *parent = nullptr);

    void setJobService(jobs::JobService *service);
    void setLauncher(Launcher launcher) { m_launcher = std::move(launcher); }
    void setQuit(std::function<void()> quit) { m_quit = std::move(quit); }

    // Called from the window's closeEvent: true when the close was held back (the question is open,
    // or the window went to the tray); false when the window may close.
    bool interceptClose(QCloseEvent *event);

    // The open question, for tests and screen readers (nullptr when none is open).
    CloseWithJobsDialog *dialog() const { return m_dialog; }
    bool isQuitting() const { return m_quitting; }

    static QStringList monitorArguments();

Q_SIGNALS:
    void keptInTray();
    void handOverFailed(const QString &message);

private:
    QList<jobs::JobRecord> liveJobs() const;
    void carryOut(CloseWithJobsDialog::Choice choice);
    void quitNow(bool closeWindow);

    QWidget *m_window;
    bool m_trayAvailable;
    QPointer<jobs::JobService> m_jobService;
    Launcher m_launcher;
    std::function<void()> m_quit;
    QPointer<CloseWithJobsDialog> m_dialog;
    bool m_quitting = false;
};

} // namespace vibeml
