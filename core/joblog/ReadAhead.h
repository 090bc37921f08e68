#pragma once

#include <QByteArray>

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

// Reads the next stretch of a file on a helper thread while the caller decodes the current one,
// so that copying a big log out of the page cache overlaps with its decoding (LogFileTail uses it
// when a backlog spans more than one read). One read in flight at a time, by offset (pread), so
// it never moves a file position the caller relies on. The caller must discard() before it
// closes the file descriptor a read may still be using.
namespace vibeml::joblog {

class ReadAhead
{
public:
    ReadAhead() = default;
    ReadAhead(const ReadAhead &) = delete;
    ReadAhead &operator=(const ReadAhead &) = delete;
    ~ReadAhead(); // waits for a read in flight and joins the helper thread

    // Starts reading `size` bytes at `offset` of `fd` in the background (after discarding any
    // read not taken yet). Without a thread to spare it starts nothing, and take() says so.
    void start(int fd, qint64 offset, qint64 size);

    // The bytes of the read started with exactly these arguments, waiting for it to finish: fewer
    // than `size` at the end of the file, empty at its end or on an error. nullopt when no such
    // read was started (or it was discarded); a different read in flight is discarded.
    std::optional<QByteArray> take(int fd, qint64 offset, qint64 size);

    // Waits for a read in flight and forgets it.
    void discard();

    // Hands back a buffer the caller delivered, to read into again once nobody else holds it (a
    // reader may keep a read until its lines are done): a reused buffer's pages are already
    // there, a fresh one's are faulted in and zeroed by the kernel first.
    void recycle(QByteArray &&buffer);
    // A recycled buffer nobody else holds any more, or an empty one.
    QByteArray takeSpare();

    // Reads like pread, retrying interrupted and short reads until `size` bytes or the end of the file.
    static qint64 readFully(int fd, qint64 offset, char *into, qint64 size);

    // readFully into `buffer` (its capacity reused), which then holds the bytes read (none on an
    // error), placed in memory at the same offset modulo 64 as they have in the file. The kernel
    // copies page-cache bytes with `rep movsb`, which on some x86 processors runs three to five
    // times slower when the destination lies 8 to 24 bytes past the source modulo 64 (measured on
    // AMD EPYC: 200 MB in 0.03 s or 0.10–0.15 s); where a QByteArray's bytes start is up to malloc.
    static void readAligned(int fd, qint64 offset, qint64 size, QByteArray &buffer);
    static constexpr qint64 kCopyAlignment = 64;

private:
    enum class State { Idle, Requested, Done };

    void run();
    void waitWhileRequested(std::unique_lock<std::mutex> &lock);

    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::thread m_thread;       // started by the first start()
    State m_state = State::Idle; // guarded by m_mutex
    bool m_quit = false;         // guarded by m_mutex
    int m_fd = -1;
    qint64 m_offset = 0;
    qint64 m_size = 0;
    QByteArray m_buffer; // the helper's while Requested, the caller's otherwise
    static constexpr size_t kMaxSpares = 8;
    std::vector<QByteArray> m_spares; // the caller's only; oldest first
};

} // namespace vibeml::joblog
