#pragma once

#include "jobs/JobRecord.h"

#include <QObject>
#include <QPointer>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QTimer>

#include <chrono>

namespace vibeml::jobs {

// Copies a finished job's outputs — the head node's ~/sky_workdir/outputs, where train.py writes
// the model and its checkpoints — into <plan.downloadDir>/<job id>/ with rsync over the ssh alias
// `sky status` keeps for every cluster. Resumable (--partial): a retry after a crash or a dropped
// connection continues where the last one stopped. Paths reach rsync as arguments, never a shell.
class OutputDownload : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        QString program; // empty: rsync on PATH
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        std::chrono::milliseconds timeout{std::chrono::hours(3)};
    };

    OutputDownload(const JobRecord &job, Options options, QObject *parent = nullptr);
    ~OutputDownload() override;

    // <downloadDir>/<job id>; empty when the plan asks for no download.
    static QString destinationFor(const JobRecord &job);
    static QStringList arguments(const QString &cluster, const QString &destination);
    // The command to copy them by hand, for messages.
    static QString manualCommand(const QString &cluster, const QString &destination);

    void start();
    QString jobId() const { return m_jobId; }
    QString destination() const { return m_destination; }

Q_SIGNALS:
    // ok: the outputs are in destination(). The message says what happened, with advice on failure.
    void finished(bool ok, const QString &message);

private:
    void finish(bool ok, const QString &message);

    QString m_jobId;
    QString m_cluster;
    QString m_destination;
    Options m_options;
    QPointer<QProcess> m_process;
    QTimer m_deadline;
    QByteArray m_errors;
    bool m_finished = false;
};

} // namespace vibeml::jobs
