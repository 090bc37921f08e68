#include "joblog/LogFileTail.h"

#include <QFileInfo>

#include <sys/stat.h>

namespace vibeml::joblog {
namespace {

// How much of the file's beginning is compared to notice a rewrite that kept or grew the size.
constexpr qsizetype kHeadBytes = 4096;

} // namespace

LogFileTail::LogFileTail(QObject *parent) : QObject(parent)
{
    m_poll.setInterval(kDefaultPollMs);
    connect(&m_poll, &QTimer::timeout, this, &LogFileTail::checkSoon);
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &LogFileTail::checkSoon);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, &LogFileTail::checkSoon);
}

LogFileTail::~LogFileTail() = default;

void LogFileTail::setPath(const QString &path)
{
    ++m_generation;
    m_file.close();
    m_position = 0;
    m_head.clear();
    m_identity = {};
    m_caughtUp = false;
    if (!m_watcher.files().isEmpty())
        m_watcher.removePaths(m_watcher.files());
    if (!m_watcher.directories().isEmpty())
        m_watcher.removePaths(m_watcher.directories());
    m_path = path;
    Q_EMIT reset();
    if (m_path.isEmpty()) {
        m_poll.stop();
        return;
    }
    m_poll.start();
    watchPaths();
    checkSoon();
}

void LogFileTail::setPollInterval(int milliseconds)
{
    m_poll.setInterval(std::max(10, milliseconds));
}

void LogFileTail::setBytesPerTurn(qint64 bytes)
{
    m_bytesPerTurn = std::max<qint64>(1, bytes);
}

void LogFileTail::setChunkBytes(qint64 bytes)
{
    m_chunkBytes = std::max<qint64>(1, bytes);
}

void LogFileTail::checkSoon()
{
    if (m_checkScheduled || m_path.isEmpty())
        return;
    m_checkScheduled = true;
    QTimer::singleShot(0, this, [this] {
        m_checkScheduled = false;
        check();
    });
}

void LogFileTail::watchPaths()
{
    // inotify forgets a file that was replaced; the folder's watch notices the new one appear.
    const QFileInfo info(m_path);
    if (info.exists() && !m_watcher.files().contains(m_path))
        m_watcher.addPath(m_path);
    const QString folder = info.absolutePath();
    if (QFileInfo::exists(folder) && !m_watcher.directories().contains(folder))
        m_watcher.addPath(folder);
}

void LogFileTail::startOver()
{
    m_position = 0;
    m_head.clear();
    m_caughtUp = false;
    Q_EMIT reset();
}

bool LogFileTail::headStillMatches()
{
    if (m_head.isEmpty())
        return true;
    QByteArray now(m_head.size(), Qt::Uninitialized);
    const bool read = m_file.seek(0) && m_file.read(now.data(), now.size()) == now.size();
    return read && now == m_head;
}

void LogFileTail::check()
{
    const quint64 generation = m_generation;
    const QByteArray nativePath = QFile::encodeName(m_path);
    struct stat onDisk {};
    const bool exists = ::stat(nativePath.constData(), &onDisk) == 0;
    const Identity pathIdentity{static_cast<quint64>(onDisk.st_dev), static_cast<quint64>(onDisk.st_ino)};
    // A file that was deleted stays readable through our handle; one that replaced it wins.
    if (m_file.isOpen() && exists && !(pathIdentity == m_identity))
        m_file.close();
    if (!m_file.isOpen()) {
        m_file.setFileName(m_path);
        if (!exists || !m_file.open(QIODevice::ReadOnly | QIODevice::Unbuffered)) {
            watchPaths();
            return; // not there (yet): the folder's watch or the timer brings us back
        }
        struct stat opened {};
        ::fstat(m_file.handle(), &opened);
        const Identity identity{static_cast<quint64>(opened.st_dev), static_cast<quint64>(opened.st_ino)};
        const bool different = !(identity == m_identity);
        m_identity = identity;
        watchPaths();
        if (m_position > 0 && different) {
            startOver();
            if (generation != m_generation)
                return;
        }
    }

    struct stat current {};
    ::fstat(m_file.handle(), &current);
    const qint64 size = current.st_size;
    if (size < m_position || (m_position > 0 && !headStillMatches())) {
        startOver(); // truncated, or rewritten with other content
        if (generation != m_generation)
            return;
    }
    if (!m_file.seek(m_position))
        return;

    qint64 budget = std::min(size - m_position, m_bytesPerTurn);
    bool delivered = false;
    while (budget > 0) {
        const qint64 wanted = std::min(budget, m_chunkBytes);
        QByteArray chunk(wanted, Qt::Uninitialized);
        const qint64 got = m_file.read(chunk.data(), wanted);
        if (got <= 0)
            break;
        chunk.truncate(got);
        m_position += got;
        budget -= got;
        if (m_head.size() < kHeadBytes)
            m_head.append(QByteArrayView(chunk).first(std::min<qint64>(kHeadBytes - m_head.size(), got)));
        delivered = true;
        Q_EMIT bytesRead(chunk);
        if (generation != m_generation)
            return; // a slot followed another file
    }
    if (m_position < size && delivered) {
        m_caughtUp = false;
        checkSoon(); // more to read: on the next turn, after the window had its share
        return;
    }
    if (m_position >= size && (delivered || !m_caughtUp)) {
        m_caughtUp = true;
        Q_EMIT caughtUp();
    }
}

} // namespace vibeml::joblog
