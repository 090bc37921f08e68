#include "shell/CloseGuard.h"

#include "jobs/JobService.h"
#include "log/Logging.h"

#include <QCloseEvent>
#include <QCoreApplication>
#include <QGuiApplication>
#include <QProcess>
#include <QTimer>
#include <QWidget>

namespace vibeml {

CloseGuard::CloseGuard(QWidget *window, bool trayAvailable, QObject *parent)
    : QObject(parent), m_window(window), m_trayAvailable(trayAvailable),
      m_launcher([](const QString &program, const QStringList &arguments, QString *error) {
          QProcess process;
          process.setProgram(program);
          process.setArguments(arguments);
          process.setStandardInputFile(QProcess::nullDevice());
          process.setStandardOutputFile(QProcess::nullDevice());
          process.setStandardErrorFile(QProcess::nullDevice());
          qint64 pid = 0;
          if (process.startDetached(&pid))
              return true;
          if (error)
              *error = process.errorString();
          return false;
      }),
      m_quit([] { QTimer::singleShot(0, qApp, &QCoreApplication::quit); })
{
}

void CloseGuard::setJobService(jobs::JobService *service)
{
    m_jobService = service;
}

QStringList CloseGuard::monitorArguments()
{
    // Until idle: the hand-over ends by itself once every cluster is gone or kept on purpose.
    return {QStringLiteral("monitor"), QStringLiteral("--until-idle")};
}

QList<jobs::JobRecord> CloseGuard::liveJobs() const
{
    if (!m_jobService)
        return {};
    auto read = m_jobService->store().jobs(jobs::JobStore::Which::NotTerminal, true);
    return read ? read.value() : QList<jobs::JobRecord>();
}

bool CloseGuard::interceptClose(QCloseEvent *event)
{
    if (m_quitting)
        return false;
    if (m_dialog) {
        event->ignore();
        m_dialog->raise();
        m_dialog->activateWindow();
        return true;
    }
    const QList<jobs::JobRecord> live = liveJobs();
    if (live.isEmpty()) {
        // The tray kept the process alive on purpose; closing with nothing to watch ends it.
        if (!QGuiApplication::quitOnLastWindowClosed())
            quitNow(false);
        return false;
    }
    event->ignore();
    m_dialog = new CloseWithJobsDialog(live, m_trayAvailable, m_jobService->store().clock().now(), m_window);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_dialog, &QDialog::finished, this, [this, dialog = m_dialog.data()] {
        const CloseWithJobsDialog::Choice choice = dialog->choice();
        m_dialog = nullptr;
        carryOut(choice);
    });
    m_dialog->open();
    return true;
}

void CloseGuard::carryOut(CloseWithJobsDialog::Choice choice)
{
    using Choice = CloseWithJobsDialog::Choice;
    switch (choice) {
    case Choice::Cancel:
        return;
    case Choice::KeepInTray:
        // Hidden, not closed: the process stays and so does the monitor.
        QGuiApplication::setQuitOnLastWindowClosed(false);
        m_window->hide();
        Q_EMIT keptInTray();
        return;
    case Choice::HandOver: {
        QString error;
        const QString program = QCoreApplication::applicationFilePath();
        if (!m_launcher(program, monitorArguments(), &error)) {
            log::jobs()->warn("Could not start vibeml monitor: {}", error);
            Q_EMIT handOverFailed(tr("Could not start `vibeml monitor` (%1): %2. This window keeps watching the jobs; "
                                     "run `vibeml monitor` in a terminal, or keep the window open.")
                                      .arg(program, error));
            return;
        }
        log::jobs()->info("Handed the jobs over to vibeml monitor");
        quitNow(true);
        return;
    }
    case Choice::Quit:
        log::jobs()->info("Quitting with live jobs; they are picked up at the next start");
        quitNow(true);
        return;
    }
}

void CloseGuard::quitNow(bool closeWindow)
{
    m_quitting = true;
    // Stopping releases the monitor lease at once, so `vibeml monitor` (or the next start) takes over.
    if (m_jobService)
        m_jobService->monitor().stop();
    if (closeWindow && m_window->isVisible())
        m_window->close();
    m_quit();
}

} // namespace vibeml
