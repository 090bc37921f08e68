#pragma once

#include "jobs/TrainingProgress.h"
#include "sky/SkyProcess.h"

#include <QElapsedTimer>
#include <QFile>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <optional>

namespace vibeml::jobs {

class JobStore;
struct JobRecord;

// Follows one running job's log with a single `sky logs --follow` and appends it, verbatim, to
// <bundle>/logs/train.log as it arrives, so the log outlives the cluster. Progress lines become
// metrics in the journal (batched, one transaction a second). Re-attaching after a restart skips
// the lines the file already holds, so nothing is duplicated and following simply resumes. When
// the disk is full the job is not disturbed: the user is told once, progress is still recorded,
// and the missing lines are fetched again once there is space.
class JobLogFollower : public QObject
{
    Q_OBJECT

public:
    JobLogFollower(JobStore &store, sky::SkyEnvironment environment, const JobRecord &job, QObject *parent = nullptr);
    ~JobLogFollower() override;

    void start();
    void stop();
    bool isRunning() const;
    QString jobId() const { return m_jobId; }
    qint64 storedLines() const { return m_storedLines; }

    // Lines sky itself prints around a streamed log ("✓ Job finished (status: …)."); they are not
    // part of the job's log and are not stored.
    static bool isClientChatter(QStringView cleanedLine);
    // Complete lines in `path`; a partial last line (a crash mid-write) is cut off first.
    static qint64 prepareLogFile(const QString &path);

Q_SIGNALS:
    void lineAppended(const QString &jobId, const QString &cleanedLine);
    void progressUpdated(const QString &jobId, const vibeml::jobs::TrainingProgress &progress);
    void diskProblem(const QString &jobId, const QString &message);
    void finished(const QString &jobId, int exitCode);

private:
    void onRawLine(const QByteArray &raw, bool fromStderr);
    void onFinished(const sky::SkyResult &result);
    void flushProgress();
    void writeLine(const QByteArray &raw);
    void checkSpace();

    JobStore &m_store;
    sky::SkyEnvironment m_environment;
    QString m_jobId;
    QString m_cluster;
    bool m_managed = false;
    std::optional<int> m_skyJobId;
    QString m_logPath;
    QFile m_file;
    QPointer<sky::SkyProcess> m_process;
    QTimer m_flushTimer;
    QTimer m_spaceTimer;
    qint64 m_skip = 0;        // lines of the new stream already on disk
    qint64 m_storedLines = 0; // complete lines in the file
    qint64 m_newLines = 0;    // since the last progress flush
    QList<ProgressEvent> m_pending;
    TrainingProgress m_progress;
    bool m_writeFailed = false;
    bool m_stopping = false;
};

} // namespace vibeml::jobs
