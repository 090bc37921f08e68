#pragma once

#include "sky/SkyCommand.h"
#include "sky/SkyOutput.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <functional>

class QTimer;

namespace vibeml::sky {

// How to run `sky`: which program, with which environment.
struct SkyEnvironment
{
    QString program;        // the setting: empty for "sky" on PATH, a bare name, or an absolute path
    QString apiServer;      // SKYPILOT_API_SERVER_ENDPOINT for a team's remote API server; empty: local
    QString rsyncProgram;   // copies outputs off a cluster (over its ssh alias); empty: rsync on PATH
    QHash<QString, QString> secrets; // name -> value, only ever placed in the child's environment
    QProcessEnvironment base = QProcessEnvironment::systemEnvironment();

    // The executable to start, or empty with `problem` saying why.
    QString resolveProgram(QString *problem = nullptr) const;
};

struct SkyResult
{
    enum class Outcome { Success, NonZeroExit, NotInstalled, NotExecutable, TimedOut, Crashed, Cancelled };
    Outcome outcome = Outcome::Success;
    int exitCode = 0;
    QString purpose;
    QString stdoutText; // cleaned (ANSI stripped, '\r' updates collapsed); the last 8 MB at most
    QString stderrText; // cleaned; the last 1 MB at most
    SkyFailure failure; // classified, when outcome is NonZeroExit

    bool isSuccess() const { return outcome == Outcome::Success; }
    QString message() const; // one or two sentences for the user, with advice
};

// One `sky` child process: started from an argument list, read line by line without blocking,
// stopped politely then firmly. Emits every cleaned line as it arrives and one finished().
class SkyProcess : public QObject
{
    Q_OBJECT

public:
    SkyProcess(SkyInvocation invocation, SkyEnvironment environment, QObject *parent = nullptr);
    ~SkyProcess() override;

    void start();
    // Terminates the child (SIGTERM), then kills it after the grace period; finished() reports
    // Cancelled.
    void cancel();
    bool isRunning() const;
    const SkyInvocation &invocation() const { return m_invocation; }
    // How long a child gets between SIGTERM and SIGKILL (default 5 s).
    void setGracePeriod(std::chrono::milliseconds grace) { m_grace = grace; }

Q_SIGNALS:
    void lineReceived(const QString &line, bool fromStderr);
    // The same line as sky wrote it (colours, '\r' redraws and invalid UTF-8 kept), for logs that
    // are stored verbatim. Only emitted when something is connected to it.
    void rawLineReceived(const QByteArray &line, bool fromStderr);
    void finished(const vibeml::sky::SkyResult &result);

private:
    void readChannel(QProcess::ProcessChannel channel);
    void flushPartial(QProcess::ProcessChannel channel);
    void emitLine(QByteArrayView raw, bool fromStderr);
    void finish(SkyResult::Outcome outcome, int exitCode);
    void stop();

    SkyInvocation m_invocation;
    SkyEnvironment m_environment;
    QProcess *m_process = nullptr;
    QTimer *m_timeout = nullptr;
    QTimer *m_killTimer = nullptr;
    QByteArray m_partial[2];
    QByteArray m_stdout;
    QByteArray m_stderr;
    std::chrono::milliseconds m_grace{5000};
    bool m_cancelled = false;
    bool m_timedOut = false;
    bool m_finished = false;
};

// Starts `invocation` and calls `done` once with its result; the process deletes itself after.
// Returns it so the caller can cancel; it is owned by `context` until then.
SkyProcess *runSky(const SkyInvocation &invocation, const SkyEnvironment &environment, QObject *context,
                   std::function<void(const SkyResult &)> done);

} // namespace vibeml::sky
