#pragma once

#include "joblog/LogIngest.h"
#include "joblog/LogLineStore.h"

#include <QByteArray>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

// Decoding a big backlog on two threads: a stretch of whole lines (from a line's first byte to
// just past a '\n') is decoded from a fresh start — default colours, no unfinished line — on a
// helper thread while the reader decodes the next stretch itself. The reader joins the stretches
// in file order with LogIngest::adoptContinuation, which takes a stretch as it is when the lines
// before it ended with the default colours (as training logs nearly always do) and otherwise
// tells the reader to decode it again, so the lines are always exactly what one thread makes.
namespace vibeml::joblog {

struct DecodedStretch
{
    // dropping: the lines will leave the scrollback unseen (LogIngest::setDropping).
    DecodedStretch(QByteArray chunk, qsizetype begin, qsizetype end, size_t expectedChunkBytes, bool dropping = false)
        : bytes(std::move(chunk)), lines(QByteArrayView(bytes).sliced(begin, end - begin))
    {
        batch.setExpectedChunkBytes(expectedChunkBytes);
        ingest.setDropping(dropping);
    }

    void decode()
    {
        ingest.feed(lines);
        decoded.store(true, std::memory_order_release);
    }
    bool isDecoded() const { return decoded.load(std::memory_order_acquire); }

    QByteArray bytes;     // the read the lines are in (shared, not copied)
    QByteArrayView lines; // whole lines
    LogBatch batch;       // the decoded lines
    LogIngest ingest{batch};
    std::atomic<bool> decoded{false};
};

class StretchDecoder
{
public:
    StretchDecoder() = default;
    StretchDecoder(const StretchDecoder &) = delete;
    StretchDecoder &operator=(const StretchDecoder &) = delete;
    ~StretchDecoder(); // waits for the stretch in flight and joins the helper thread

    // Whether a helper thread is worth having here: more than one CPU.
    static bool helps();

    // Two stretches wait for the helper at most: it goes on to the next at once when it finishes
    // one, while the caller, with both queued, decodes the one after itself.
    static constexpr size_t kMaxQueued = 2;

    // Queues `stretch` for the helper thread, which calls `decoded` when it is done. False,
    // queueing nothing, when kMaxQueued are waiting or without a thread to spare.
    bool start(std::shared_ptr<DecodedStretch> stretch, std::function<void()> decoded);
    void wait(); // until every queued stretch is decoded

private:
    struct Job
    {
        std::shared_ptr<DecodedStretch> stretch;
        std::function<void()> decoded;
    };

    void run();

    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::thread m_thread;  // started by the first start()
    std::deque<Job> m_jobs; // the front one is being decoded; guarded by m_mutex
    bool m_quit = false;    // guarded by m_mutex
    bool m_noThread = false; // the thread could not be started
};

} // namespace vibeml::joblog
