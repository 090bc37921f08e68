#include "joblog/ReadAhead.h"

#include <algorithm>
#include <cerrno>
#include <system_error>
#include <unistd.h>

namespace vibeml::joblog {

ReadAhead::~ReadAhead()
{
    {
        std::unique_lock lock(m_mutex);
        waitWhileRequested(lock);
        m_quit = true;
    }
    m_changed.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

qint64 ReadAhead::readFully(int fd, qint64 offset, char *into, qint64 size)
{
    qint64 done = 0;
    while (done < size) {
        const ssize_t got = ::pread(fd, into + done, static_cast<size_t>(size - done), static_cast<off_t>(offset + done));
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return done > 0 ? done : -1;
        if (got == 0)
            break; // the end of the file
        done += got;
    }
    return done;
}

void ReadAhead::readAligned(int fd, qint64 offset, qint64 size, QByteArray &buffer)
{
    buffer.truncate(0); // nothing to keep: a resize that moves the bytes moves none
    buffer.resize(size + kCopyAlignment - 1);
    const auto address = reinterpret_cast<quintptr>(buffer.constData());
    const qint64 lead = static_cast<qint64>((static_cast<quintptr>(offset) - address) % kCopyAlignment);
    const qint64 got = readFully(fd, offset, buffer.data() + lead, size);
    buffer.truncate(lead + std::max<qint64>(0, got));
    // Erasing from the front only moves where the bytes start (Qt 6), so nothing is copied.
    buffer.remove(0, lead);
}

void ReadAhead::start(int fd, qint64 offset, qint64 size)
{
    {
        std::unique_lock lock(m_mutex);
        waitWhileRequested(lock);
        if (!m_thread.joinable()) {
            try {
                m_thread = std::thread([this] { run(); });
            } catch (const std::system_error &) {
                return; // no thread to spare: take() finds nothing and the caller reads itself
            }
        }
        if (m_buffer.isEmpty())
            m_buffer = takeSpare();
        m_fd = fd;
        m_offset = offset;
        m_size = size;
        m_state = State::Requested;
    }
    m_changed.notify_all();
}

std::optional<QByteArray> ReadAhead::take(int fd, qint64 offset, qint64 size)
{
    std::unique_lock lock(m_mutex);
    waitWhileRequested(lock);
    if (m_state != State::Done)
        return std::nullopt;
    m_state = State::Idle;
    if (fd != m_fd || offset != m_offset || size != m_size)
        return std::nullopt; // someone else's read: its buffer stays for the next one
    return std::move(m_buffer);
}

void ReadAhead::discard()
{
    std::unique_lock lock(m_mutex);
    waitWhileRequested(lock);
    m_state = State::Idle;
}

void ReadAhead::recycle(QByteArray &&buffer)
{
    if (buffer.capacity() == 0)
        return;
    if (m_spares.size() >= kMaxSpares)
        m_spares.erase(m_spares.begin());
    m_spares.push_back(std::move(buffer));
}

QByteArray ReadAhead::takeSpare()
{
    // Detached: this list holds the only reference, so nobody reads these bytes any more.
    const auto free = std::find_if(m_spares.begin(), m_spares.end(), [](const QByteArray &spare) { return spare.isDetached(); });
    if (free == m_spares.end())
        return {};
    QByteArray buffer = std::move(*free);
    m_spares.erase(free);
    return buffer;
}

void ReadAhead::waitWhileRequested(std::unique_lock<std::mutex> &lock)
{
    m_changed.wait(lock, [this] { return m_state != State::Requested; });
}

void ReadAhead::run()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_changed.wait(lock, [this] { return m_quit || m_state == State::Requested; });
        if (m_state != State::Requested)
            return; // quitting, nothing in flight
        const int fd = m_fd;
        const qint64 offset = m_offset;
        const qint64 size = m_size;
        QByteArray buffer = std::move(m_buffer);
        lock.unlock();
        // Reused buffers are only ever ours (takeSpare gives unshared ones), so this never copies.
        readAligned(fd, offset, size, buffer);
        lock.lock();
        m_buffer = std::move(buffer);
        m_state = State::Done;
        m_changed.notify_all();
    }
}

} // namespace vibeml::joblog
