#include "sky/SkyProcess.h"

#include "common/TerminalText.h"
#include "log/Logging.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QStandardPaths>
#include <QMetaMethod>
#include <QTimer>

namespace vibeml::sky {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("SkyProcess", text);
}

constexpr qsizetype kStdoutKeep = 8 * 1024 * 1024;
constexpr qsizetype kStderrKeep = 1024 * 1024;
constexpr qsizetype kPartialLimit = 256 * 1024; // a progress bar redrawn forever without '\n'

void appendCapped(QByteArray &buffer, QByteArrayView line, qsizetype cap)
{
    buffer.append(line);
    buffer.append('\n');
    if (buffer.size() > cap + cap / 4) {
        // Keep whole lines: cut at the first newline after the excess.
        const qsizetype cut = buffer.indexOf('\n', buffer.size() - cap);
        buffer.remove(0, cut < 0 ? buffer.size() - cap : cut + 1);
    }
}

QByteArray cleanLine(QByteArrayView raw)
{
    return terminal::stripAnsi(terminal::lastCarriageReturnSegment(raw));
}

} // namespace

QString SkyEnvironment::resolveProgram(QString *problem) const
{
    const QString wanted = program.trimmed().isEmpty() ? QStringLiteral("sky") : program.trimmed();
    QString path = wanted;
    if (!wanted.contains(QLatin1Char('/'))) {
        path = QStandardPaths::findExecutable(
            wanted, base.value(QStringLiteral("PATH")).split(QLatin1Char(':'), Qt::SkipEmptyParts));
        if (path.isEmpty()) {
            if (problem)
                *problem = tr("SkyPilot's `%1` command was not found on PATH. Install it with `pip install "
                              "\"skypilot[nebius]\"`, "
                              "or set its full path in Preferences › SkyPilot (sky.executable).")
                               .arg(wanted);
            return {};
        }
        return path;
    }
    const QFileInfo info(path);
    if (!info.exists()) {
        if (problem)
            *problem = tr("The sky program %1 does not exist. Fix sky.executable in Preferences, or clear it to use "
                          "sky from PATH.")
                           .arg(path);
        return {};
    }
    if (!info.isFile() || !info.isExecutable()) {
        if (problem)
            *problem = tr("%1 is not an executable program. Fix sky.executable in Preferences.").arg(path);
        return {};
    }
    return path;
}

QString SkyResult::message() const
{
    switch (outcome) {
    case Outcome::Success:
        return tr("%1 succeeded.").arg(purpose);
    case Outcome::NotInstalled:
    case Outcome::NotExecutable:
        return stderrText;
    case Outcome::TimedOut:
        return tr("%1 did not finish in time and was stopped. SkyPilot's API server may be busy or stuck: check it "
                  "with "
                  "`sky api status`, or restart it with `sky api stop && sky api start`.")
            .arg(purpose);
    case Outcome::Crashed:
        return tr("%1 crashed. Its last words: %2")
            .arg(purpose, failure.detail.isEmpty() ? tr("(none)") : failure.detail);
    case Outcome::Cancelled:
        return tr("%1 was cancelled.").arg(purpose);
    case Outcome::NonZeroExit:
        break;
    }
    QString text
        = failure.message.isEmpty() ? tr("%1 failed (exit code %2).").arg(purpose).arg(exitCode) : failure.message;
    if (!failure.advice.isEmpty())
        text += QLatin1Char(' ') + failure.advice;
    return text;
}

SkyProcess::SkyProcess(SkyInvocation invocation, SkyEnvironment environment, QObject *parent)
    : QObject(parent), m_invocation(std::move(invocation)), m_environment(std::move(environment))
{
}

SkyProcess::~SkyProcess()
{
    // QProcess's own destructor kills and reaps a child that is still running.
    if (m_process)
        m_process->disconnect(this);
}

bool SkyProcess::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

void SkyProcess::start()
{
    QString problem;
    const QString program = m_environment.resolveProgram(&problem);
    if (program.isEmpty()) {
        m_stderr = problem.toUtf8();
        const bool exists = QFileInfo::exists(m_environment.program);
        QTimer::singleShot(0, this, [this, exists] {
            finish(exists ? SkyResult::Outcome::NotExecutable : SkyResult::Outcome::NotInstalled, -1);
        });
        return;
    }

    QProcessEnvironment environment = m_environment.base;
    if (!m_environment.apiServer.isEmpty())
        environment.insert(QStringLiteral("SKYPILOT_API_SERVER_ENDPOINT"), m_environment.apiServer);
    // Only the secrets this command names, and only in the environment (argv is world-readable).
    for (const QString &name : std::as_const(m_invocation.secretNames))
        environment.insert(name, m_environment.secrets.value(name));
    environment.insert(QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1"));

    m_process = new QProcess(this);
    m_process->setProgram(program);
    m_process->setArguments(m_invocation.arguments);
    m_process->setProcessEnvironment(environment);
    if (!m_invocation.workingDirectory.isEmpty())
        m_process->setWorkingDirectory(m_invocation.workingDirectory);
    m_process->setStandardInputFile(QProcess::nullDevice());
    connect(m_process, &QProcess::readyReadStandardOutput, this, [this] { readChannel(QProcess::StandardOutput); });
    connect(m_process, &QProcess::readyReadStandardError, this, [this] { readChannel(QProcess::StandardError); });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) {
            m_stderr = tr("Could not start %1: %2").arg(m_process->program(), m_process->errorString()).toUtf8();
            finish(SkyResult::Outcome::NotExecutable, -1);
        }
    });
    connect(m_process, &QProcess::finished, this, [this](int exitCode, QProcess::ExitStatus status) {
        readChannel(QProcess::StandardOutput);
        readChannel(QProcess::StandardError);
        flushPartial(QProcess::StandardOutput);
        flushPartial(QProcess::StandardError);
        if (m_cancelled)
            finish(SkyResult::Outcome::Cancelled, exitCode);
        else if (m_timedOut)
            finish(SkyResult::Outcome::TimedOut, exitCode);
        else if (status == QProcess::CrashExit)
            finish(SkyResult::Outcome::Crashed, exitCode);
        else
            finish(exitCode == 0 ? SkyResult::Outcome::Success : SkyResult::Outcome::NonZeroExit, exitCode);
    });

    if (m_invocation.timeout.count() > 0) {
        m_timeout = new QTimer(this);
        m_timeout->setSingleShot(true);
        connect(m_timeout, &QTimer::timeout, this, [this] {
            log::sky()->warn("{} timed out after {} s", m_invocation.purpose, m_invocation.timeout.count() / 1000);
            m_timedOut = true;
            stop();
        });
        m_timeout->start(m_invocation.timeout);
    }
    log::sky()->debug("Running {} {}", program, m_invocation.arguments.join(QLatin1Char(' ')));
    m_process->start();
}

void SkyProcess::cancel()
{
    if (!isRunning() || m_cancelled)
        return;
    m_cancelled = true;
    stop();
}

void SkyProcess::stop()
{
    if (!isRunning())
        return;
    m_process->terminate();
    if (!m_killTimer) {
        m_killTimer = new QTimer(this);
        m_killTimer->setSingleShot(true);
        connect(m_killTimer, &QTimer::timeout, this, [this] {
            if (isRunning())
                m_process->kill();
        });
    }
    m_killTimer->start(m_grace);
}

void SkyProcess::readChannel(QProcess::ProcessChannel channel)
{
    if (!m_process)
        return;
    m_process->setReadChannel(channel);
    QByteArray &partial = m_partial[channel == QProcess::StandardError ? 1 : 0];
    partial.append(m_process->readAll());
    const bool fromStderr = channel == QProcess::StandardError;
    qsizetype start = 0;
    for (qsizetype newline = partial.indexOf('\n'); newline >= 0; newline = partial.indexOf('\n', start)) {
        emitLine(QByteArrayView(partial).sliced(start, newline - start), fromStderr);
        start = newline + 1;
    }
    partial.remove(0, start);
    if (partial.size() > kPartialLimit) {
        // Endless '\r' redraws: only what the terminal would show matters.
        const QByteArrayView shown = terminal::lastCarriageReturnSegment(partial);
        partial = shown.last(std::min(shown.size(), kPartialLimit)).toByteArray();
    }
}

void SkyProcess::flushPartial(QProcess::ProcessChannel channel)
{
    QByteArray &partial = m_partial[channel == QProcess::StandardError ? 1 : 0];
    if (!partial.isEmpty())
        emitLine(partial, channel == QProcess::StandardError);
    partial.clear();
}

void SkyProcess::emitLine(QByteArrayView raw, bool fromStderr)
{
    static const QMetaMethod rawSignal = QMetaMethod::fromSignal(&SkyProcess::rawLineReceived);
    if (isSignalConnected(rawSignal))
        Q_EMIT rawLineReceived(raw.toByteArray(), fromStderr);
    const QByteArray line = cleanLine(raw);
    appendCapped(fromStderr ? m_stderr : m_stdout, line, fromStderr ? kStderrKeep : kStdoutKeep);
    Q_EMIT lineReceived(QString::fromUtf8(line), fromStderr);
}

void SkyProcess::finish(SkyResult::Outcome outcome, int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_timeout)
        m_timeout->stop();
    if (m_killTimer)
        m_killTimer->stop();
    SkyResult result;
    result.outcome = outcome;
    result.exitCode = exitCode;
    result.purpose = m_invocation.purpose;
    result.stdoutText = QString::fromUtf8(m_stdout);
    result.stderrText = QString::fromUtf8(m_stderr);
    if (outcome == SkyResult::Outcome::NonZeroExit || outcome == SkyResult::Outcome::Crashed)
        result.failure = classifyFailure(exitCode, result.stdoutText, result.stderrText);
    log::sky()->info("{} finished: outcome {}, exit code {}", m_invocation.purpose, static_cast<int>(outcome),
                     exitCode);
    Q_EMIT finished(result);
}

SkyProcess *runSky(const SkyInvocation &invocation, const SkyEnvironment &environment, QObject *context,
                   std::function<void(const SkyResult &)> done)
{
    auto *process = new SkyProcess(invocation, environment, context);
    QObject::connect(process, &SkyProcess::finished, context,
                     [process, done = std::move(done)](const SkyResult &result) {
                         process->deleteLater();
                         done(result);
                     });
    process->start();
    return process;
}

} // namespace vibeml::sky
