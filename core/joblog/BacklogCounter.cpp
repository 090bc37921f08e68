#include "joblog/BacklogCounter.h"

#include "joblog/LineScan.h"
#include "joblog/ReadAhead.h"

#include <cstring>
#include <fcntl.h>
#include <system_error>
#include <unistd.h>

namespace vibeml::joblog {

BacklogCounter::~BacklogCounter()
{
    cancel();
}

void BacklogCounter::start(int fd, qint64 size, qint64 keepLines, qint64 pieceBytes)
{
    cancel();
    if (keepLines <= 0 || size <= keepLines) // fewer bytes than lines to keep: nothing can go
        return;
    const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (copy < 0)
        return;
    try {
        m_thread = std::thread([this, copy, size, keepLines, pieceBytes] {
            const qint64 found = dropEnd(copy, size, keepLines, pieceBytes, m_cancelled);
            ::close(copy);
            if (!m_cancelled.load())
                m_result.store(found, std::memory_order_release);
        });
    } catch (const std::system_error &) {
        ::close(copy); // no thread to spare: nothing is dropped
    }
}

void BacklogCounter::cancel()
{
    m_cancelled.store(true);
    if (m_thread.joinable())
        m_thread.join();
    m_cancelled.store(false);
    m_result.store(0);
}

qint64 BacklogCounter::dropEnd(int fd, qint64 size, qint64 keepLines, qint64 pieceBytes, const std::atomic<bool> &cancelled)
{
    // The (keepLines + 1)th line end from the end of the file: the lines before it go.
    qint64 wanted = keepLines + 1;
    QByteArray piece;
    qint64 end = size;
    while (end > 0 && !cancelled.load(std::memory_order_relaxed)) {
        const qint64 begin = std::max<qint64>(0, end - pieceBytes);
        ReadAhead::readAligned(fd, begin, end - begin, piece);
        if (piece.size() != end - begin)
            return 0; // shorter than it was a moment ago: keep everything, as without a scrollback
        const qint64 found = countNewlines(piece);
        if (found >= wanted) {
            const char *const data = piece.constData();
            const char *at = data + piece.size();
            for (; wanted > 0; --wanted)
                at = static_cast<const char *>(memrchr(data, '\n', static_cast<size_t>(at - data)));
            return begin + (at - data) + 1;
        }
        wanted -= found;
        // Counting back costs a read of what is counted; dropping saves several times that per
        // byte, but not when less than half the file would go, or, judging by the lines counted
        // so far, less than a fifth of its lines.
        const qint64 counted = size - begin;
        const double linesSoFar = double(keepLines + 1 - wanted);
        if (2 * counted > size || linesSoFar / double(counted) * double(size) < 1.25 * double(keepLines))
            return 0;
        end = begin;
    }
    return 0;
}

} // namespace vibeml::joblog
