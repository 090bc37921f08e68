#pragma once

#include <QByteArray>

#include <atomic>
#include <thread>

// Where the lines of a long backlog start to matter: counting line ends back from the end of a
// file, the offset past the (keepLines + 1)th, before which every line leaves a scrollback of
// keepLines before it can be seen (LogFileTail::dropEnd). On a thread of its own, so that the
// first reads are decoded meanwhile; until it has an answer the answer is 0 (keep everything).
namespace vibeml::joblog {

class BacklogCounter
{
public:
    BacklogCounter() = default;
    BacklogCounter(const BacklogCounter &) = delete;
    BacklogCounter &operator=(const BacklogCounter &) = delete;
    ~BacklogCounter(); // cancels a count under way and joins its thread

    // Counts back from `size` in `fd` (a duplicate of it: the caller may close its own), reading
    // `pieceBytes` at a time, after cancelling a count under way. Without a thread to spare,
    // nothing: the result stays 0.
    void start(int fd, qint64 size, qint64 keepLines, qint64 pieceBytes);
    void cancel(); // stops a count under way; the result is 0 again
    qint64 result() const { return m_result.load(std::memory_order_acquire); }

    // The count itself: 0 when the file has too few lines, when fewer than half its bytes would
    // be dropped, when a read comes back short (the file shrank) or when `cancelled` is set.
    static qint64 dropEnd(int fd, qint64 size, qint64 keepLines, qint64 pieceBytes, const std::atomic<bool> &cancelled);

private:
    std::thread m_thread;
    std::atomic<bool> m_cancelled{false};
    std::atomic<qint64> m_result{0};
};

} // namespace vibeml::joblog
