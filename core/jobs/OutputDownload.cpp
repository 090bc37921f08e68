#include "jobs/OutputDownload.h"

#include "log/Logging.h"

#include <QDir>
#include <QStandardPaths>

namespace vibeml::jobs {
namespace {

constexpr qsizetype kMaxErrorBytes = 16 * 1024;

// The line that says why: ssh's own complaint when there is one (rsync's summary only says the
// connection closed), else rsync's last line.
QString reasonFrom(const QByteArray &bytes)
{
    const QStringList lines = QString::fromUtf8(bytes).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (const QString &line : lines) {
        if (line.startsWith(QLatin1String("ssh:")))
            return line.trimmed();
    }
    return lines.isEmpty() ? QString() : lines.last().trimmed();
}

} // namespace

OutputDownload::OutputDownload(const JobRecord &job, Options options, QObject *parent)
    : QObject(parent), m_jobId(job.id), m_cluster(job.cluster), m_destination(destinationFor(job)),
      m_options(std::move(options))
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        if (m_process)
            m_process->kill();
        finish(false, tr("Copying the outputs of %1 took longer than %2 minutes and was stopped.")
                          .arg(m_jobId)
                          .arg(std::chrono::duration_cast<std::chrono::minutes>(m_options.timeout).count()));
    });
}

OutputDownload::~OutputDownload()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        // Never wait on the caller's thread: the killed rsync is reaped, and its QProcess freed,
        // by the event loop once it has exited.
        m_process->disconnect(this);
        m_process->setParent(nullptr);
        QObject::connect(m_process, &QProcess::finished, m_process, &QObject::deleteLater);
        m_process->kill();
    }
}

QString OutputDownload::destinationFor(const JobRecord &job)
{
    if (job.plan.downloadDir.isEmpty())
        return {};
    return QDir(job.plan.downloadDir).absoluteFilePath(job.id);
}

QStringList OutputDownload::arguments(const QString &cluster, const QString &destination)
{
    // BatchMode: never wait for a password prompt nobody sees. The destination is absolute (it
    // starts with '/'), so rsync never mistakes a ':' in it for a remote host, nor it for an option.
    return {QStringLiteral("--archive"),
            QStringLiteral("--partial"),
            QStringLiteral("--compress"),
            QStringLiteral("--rsh=ssh -o BatchMode=yes -o ConnectTimeout=30"),
            QStringLiteral("--"),
            cluster + QStringLiteral(":sky_workdir/outputs/"),
            destination + QLatin1Char('/')};
}

QString OutputDownload::manualCommand(const QString &cluster, const QString &destination)
{
    return QStringLiteral("rsync -Pavz %1:sky_workdir/outputs/ '%2/'").arg(cluster, destination);
}

void OutputDownload::start()
{
    if (m_destination.isEmpty()) {
        QTimer::singleShot(0, this, [this] { finish(false, tr("%1 names no download folder.").arg(m_jobId)); });
        return;
    }
    if (!QDir().mkpath(m_destination)) {
        QTimer::singleShot(0, this, [this] {
            finish(false, tr("Cannot create %1 for the outputs of %2. Check that the folder is writable, or pick "
                             "another download folder.")
                              .arg(m_destination, m_jobId));
        });
        return;
    }
    QString program = m_options.program;
    if (program.isEmpty())
        program = QStandardPaths::findExecutable(
            QStringLiteral("rsync"),
            m_options.environment.value(QStringLiteral("PATH")).split(QLatin1Char(':'), Qt::SkipEmptyParts));
    if (program.isEmpty()) {
        QTimer::singleShot(0, this, [this] {
            finish(false, tr("rsync is not installed, so the outputs of %1 cannot be copied. Install it (apt install "
                             "rsync) and use Download outputs again.")
                              .arg(m_jobId));
        });
        return;
    }
    m_process = new QProcess(this);
    m_process->setProcessEnvironment(m_options.environment);
    m_process->setStandardInputFile(QProcess::nullDevice());
    m_process->setStandardOutputFile(QProcess::nullDevice());
    connect(m_process, &QProcess::readyReadStandardError, this, [this] {
        m_errors += m_process->readAllStandardError();
        if (m_errors.size() > kMaxErrorBytes)
            m_errors = m_errors.right(kMaxErrorBytes);
    });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            finish(false, tr("rsync could not be started: %1").arg(m_process->errorString()));
    });
    connect(m_process, &QProcess::finished, this, [this](int exitCode, QProcess::ExitStatus status) {
        m_errors += m_process->readAllStandardError();
        if (status == QProcess::NormalExit && exitCode == 0) {
            finish(true, tr("Outputs of %1 copied to %2.").arg(m_jobId, m_destination));
            return;
        }
        const QString why = reasonFrom(m_errors);
        finish(false, tr("Copying the outputs of %1 failed%2. Copy them by hand while the cluster is up: %3")
                          .arg(m_jobId, why.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(why),
                               manualCommand(m_cluster, m_destination)));
    });
    log::jobs()->info("Copying the outputs of {} to {}", m_jobId, m_destination);
    if (m_options.timeout.count() > 0)
        m_deadline.start(m_options.timeout);
    m_process->start(program, arguments(m_cluster, m_destination));
}

void OutputDownload::finish(bool ok, const QString &message)
{
    if (m_finished)
        return;
    m_finished = true;
    m_deadline.stop();
    if (ok)
        log::jobs()->info("{}", message);
    else
        log::jobs()->warn("{}", message);
    Q_EMIT finished(ok, message);
}

} // namespace vibeml::jobs
