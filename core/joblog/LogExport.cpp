#include "joblog/LogExport.h"

#include "joblog/LogIngest.h"

#include <QCoreApplication>
#include <QFile>
#include <QSaveFile>

namespace vibeml::joblog {
namespace {

constexpr qint64 kReadBytes = qint64{1} << 20;

// Writes each finished line to the target, buffered.
class FileLineSink final : public LineSink
{
public:
    explicit FileLineSink(QSaveFile &file) : m_file(file) { m_buffer.reserve(2 * kReadBytes); }

    void appendLine(QByteArrayView text, quint8, std::span<const StyleSpan>) override
    {
        m_buffer.append(text);
        m_buffer.append('\n');
        if (m_buffer.size() >= kReadBytes)
            flush();
    }

    bool flush()
    {
        const bool written = m_buffer.isEmpty() || m_file.write(m_buffer) == m_buffer.size();
        m_failed = m_failed || !written;
        m_buffer.clear();
        return !m_failed;
    }

private:
    QSaveFile &m_file;
    QByteArray m_buffer;
    bool m_failed = false;
};

QString tr(const char *text)
{
    return QCoreApplication::translate("vibeml::joblog::LogExport", text);
}

} // namespace

Status exportPlainText(const QString &sourcePath, const QString &targetPath)
{
    QFile source(sourcePath);
    if (!source.open(QIODevice::ReadOnly))
        return Status::failure(tr("Cannot read the job's log %1: %2").arg(sourcePath, source.errorString()));
    QSaveFile target(targetPath);
    if (!target.open(QIODevice::WriteOnly))
        return Status::failure(tr("Cannot write %1: %2").arg(targetPath, target.errorString()));
    FileLineSink sink(target);
    LogIngest ingest(sink);
    QByteArray chunk(kReadBytes, Qt::Uninitialized);
    for (;;) {
        const qint64 got = source.read(chunk.data(), kReadBytes);
        if (got < 0)
            return Status::failure(tr("Reading %1 failed: %2").arg(sourcePath, source.errorString()));
        if (got == 0)
            break;
        ingest.feed(QByteArrayView(chunk.constData(), got));
    }
    ingest.finish();
    if (!sink.flush() || !target.commit())
        return Status::failure(tr("Writing %1 failed: %2").arg(targetPath, target.errorString()));
    return Status::success();
}

} // namespace vibeml::joblog
