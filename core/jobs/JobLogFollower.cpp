#include "jobs/JobLogFollower.h"

#include "common/TerminalText.h"
#include "config/PrivateFiles.h"
#include "jobs/JobStore.h"
#include "log/Logging.h"

#include <QFileInfo>
#include <QStorageInfo>

namespace vibeml::jobs {
namespace {

constexpr qint64 kResumeFreeBytes = 16 * 1024 * 1024;

} // namespace

JobLogFollower::JobLogFollower(JobStore &store, sky::SkyEnvironment environment, const JobRecord &job, QObject *parent)
    : QObject(parent), m_store(store), m_environment(std::move(environment)), m_jobId(job.id), m_cluster(job.cluster),
      m_managed(job.managed), m_skyJobId(job.managed ? job.managedJobId : job.skyJobId), m_logPath(job.logFile()),
      m_progress(job.progress)
{
    m_flushTimer.setInterval(1000);
    connect(&m_flushTimer, &QTimer::timeout, this, &JobLogFollower::flushProgress);
    m_spaceTimer.setInterval(30'000);
    connect(&m_spaceTimer, &QTimer::timeout, this, &JobLogFollower::checkSpace);
}

JobLogFollower::~JobLogFollower()
{
    m_stopping = true;
    if (m_process)
        m_process->disconnect(this);
    flushProgress();
}

bool JobLogFollower::isClientChatter(QStringView line)
{
    static constexpr QStringView prefixes[] = {
        u"✓ Job finished",         u"✗ Job finished",         u"Job finished (status", u"✓ Managed job finished",
        u"✗ Managed job finished", u"Managed job finished",   u"Tailing logs of",      u"Skip streaming logs",
        u"Job started. Streaming", u"Waiting for task resources",
    };
    const QStringView trimmed = line.trimmed();
    for (const QStringView prefix : prefixes) {
        if (trimmed.startsWith(prefix))
            return true;
    }
    return false;
}

qint64 JobLogFollower::prepareLogFile(const QString &path)
{
    // Only a regular file is counted: a device (a log redirected to /dev/full, say) reads forever.
    if (!QFileInfo(path).isFile())
        return 0;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    qint64 lines = 0;
    qint64 completeBytes = 0;
    qint64 offset = 0;
    QByteArray chunk;
    while (!(chunk = file.read(4 * 1024 * 1024)).isEmpty()) {
        for (qsizetype at = chunk.indexOf('\n'); at >= 0; at = chunk.indexOf('\n', at + 1)) {
            ++lines;
            completeBytes = offset + at + 1;
        }
        offset += chunk.size();
    }
    file.close();
    if (completeBytes < offset && file.open(QIODevice::ReadWrite))
        file.resize(completeBytes);
    return lines;
}

void JobLogFollower::start()
{
    if (isRunning())
        return;
    m_stopping = false;
    m_writeFailed = false;
    (void)privatefiles::ensureDirectory(QFileInfo(m_logPath).absolutePath());
    m_storedLines = prepareLogFile(m_logPath);
    m_skip = m_storedLines;
    m_file.setFileName(m_logPath);
    if (!m_file.isOpen() && !m_file.open(QIODevice::WriteOnly | QIODevice::Append)) {
        m_writeFailed = true;
        Q_EMIT diskProblem(m_jobId, tr("Cannot write the log of %1 to %2: %3. The job keeps running; its log is still on "
                                       "the cluster (`sky logs %3`).")
                                        .arg(m_jobId, m_logPath, m_file.errorString(), m_cluster));
    } else {
        m_file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }
    const sky::SkyInvocation invocation = m_managed && m_skyJobId ? sky::skycommand::jobsLogs(*m_skyJobId, true)
                                                                  : sky::skycommand::logs(m_cluster, m_skyJobId, true);
    log::jobs()->info("Following the log of {} ({} lines already stored)", m_jobId, m_storedLines);
    m_process = new sky::SkyProcess(invocation, m_environment, this);
    connect(m_process, &sky::SkyProcess::rawLineReceived, this, &JobLogFollower::onRawLine);
    connect(m_process, &sky::SkyProcess::finished, this, &JobLogFollower::onFinished);
    m_flushTimer.start();
    m_process->start();
}

void JobLogFollower::stop()
{
    m_stopping = true;
    m_spaceTimer.stop();
    if (m_process)
        m_process->cancel();
}

bool JobLogFollower::isRunning() const
{
    return m_process && m_process->isRunning();
}

void JobLogFollower::onRawLine(const QByteArray &raw, bool fromStderr)
{
    const QString cleaned = QString::fromUtf8(terminal::stripAnsi(terminal::lastCarriageReturnSegment(raw)));
    if (fromStderr || isClientChatter(cleaned)) {
        if (!cleaned.trimmed().isEmpty())
            log::jobs()->debug("sky logs {}: {}", m_jobId, cleaned);
        return;
    }
    if (std::optional<ProgressEvent> event = parseProgressLine(cleaned)) {
        m_progress.apply(*event);
        m_pending.append(std::move(*event));
    }
    if (m_skip > 0) {
        --m_skip;
        return;
    }
    writeLine(raw);
    Q_EMIT lineAppended(m_jobId, cleaned);
}

void JobLogFollower::writeLine(const QByteArray &raw)
{
    if (m_writeFailed)
        return;
    QByteArray line = raw;
    line.append('\n');
    if (m_file.write(line) != line.size() || !m_file.flush()) {
        m_writeFailed = true;
        const QString reason = m_file.errorString();
        // Whatever part of the line reached the disk is cut off again on the next attach.
        const QString message = tr("The log of %1 could not be written to %2 (%3). The job keeps running and its progress "
                                   "is still recorded; VibeML fetches the missing lines again once there is space. "
                                   "Meanwhile: `sky logs %4`.")
                                    .arg(m_jobId, m_logPath, reason, m_cluster);
        log::jobs()->error("{}", message);
        (void)m_store.addEvent(m_jobId, QStringLiteral("warning"), message);
        Q_EMIT diskProblem(m_jobId, message);
        m_spaceTimer.start();
        return;
    }
    ++m_storedLines;
    ++m_newLines;
}

void JobLogFollower::checkSpace()
{
    const QStorageInfo storage(QFileInfo(m_logPath).absolutePath());
    if (!storage.isValid() || storage.bytesAvailable() < kResumeFreeBytes)
        return;
    log::jobs()->info("Space is back for the log of {}; re-attaching", m_jobId);
    m_spaceTimer.stop();
    if (m_process) {
        m_process->disconnect(this);
        m_process->cancel();
        m_process->deleteLater();
    }
    m_file.close();
    start();
}

void JobLogFollower::flushProgress()
{
    if (m_pending.isEmpty() && m_newLines == 0)
        return;
    const QList<ProgressEvent> events = std::exchange(m_pending, {});
    const qint64 lines = std::exchange(m_newLines, 0);
    if (const Status stored = m_store.addProgress(m_jobId, events, lines); !stored) {
        log::jobs()->warn("Could not store the progress of {}: {}", m_jobId, stored.message());
        // Keep them for the next flush: the journal may just be busy.
        m_pending = events + m_pending;
        m_newLines += lines;
        return;
    }
    if (!events.isEmpty() && !m_stopping)
        Q_EMIT progressUpdated(m_jobId, m_progress);
}

void JobLogFollower::onFinished(const sky::SkyResult &result)
{
    m_flushTimer.stop();
    flushProgress();
    m_file.close();
    if (m_stopping)
        return;
    log::jobs()->info("Log stream of {} ended ({})", m_jobId, result.exitCode);
    Q_EMIT finished(m_jobId, result.exitCode);
}

} // namespace vibeml::jobs
