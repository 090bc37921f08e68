#pragma once

#include "joblog/BacklogCounter.h"
#include "joblog/LogLineStore.h"
#include "joblog/ReadAhead.h"
#include "jobs/TrainingProgress.h"

#include <QByteArray>
#include <QFile>
#include <QFileSystemWatcher>
#include <QObject>
#include <QString>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>

// Follows a log file that another process appends to (`tail -F`): reads what is new, a bounded
// amount per event-loop turn so the window stays responsive on a huge file, and notices when the
// file is truncated, replaced or rewritten (a re-fetched log), in which case it starts over from
// the first byte — the reader is told to forget what it had, so no line is ever shown twice.
// Change notification comes from QFileSystemWatcher, with a polling timer as the fallback for
// file systems that do not report changes.
namespace vibeml::joblog {

class LogFileTail : public QObject
{
    Q_OBJECT

public:
    static constexpr qint64 kDefaultChunkBytes = qint64{1} << 20;
    static constexpr qint64 kDefaultBytesPerTurn = qint64{4} << 20;
    static constexpr int kDefaultPollMs = 1000;

    explicit LogFileTail(QObject *parent = nullptr);
    ~LogFileTail() override;

    // Follows `path` from its first byte (emitting reset() first); an empty path stops following.
    void setPath(const QString &path);
    QString path() const { return m_path; }

    void setPollInterval(int milliseconds);
    void setBytesPerTurn(qint64 bytes);
    void setChunkBytes(qint64 bytes);

    // The scrollback the lines go to (0: unknown, the default). With it, a file that already holds
    // more lines than that when reading starts gets a dropEnd().
    void setKeepLines(qint64 lines) { m_keepLines = std::max<qint64>(0, lines); }
    // Lines of the current file that begin before this offset leave a scrollback of keepLines
    // before they can be seen: at least that many whole lines follow them. Counted back from the
    // end of the file as it was when reading started (BacklogCounter, on its own thread), so it
    // holds however the file grows; 0 until then, and when there is nothing to drop (or counting
    // would cost more than it saves).
    qint64 dropEnd() const { return m_backlog.result(); }

    qint64 position() const { return m_position; } // bytes delivered from the current file
    bool isCaughtUp() const { return m_caughtUp; }

    // Held: reads nothing until released (a consumer that is behind); release() looks at once.
    void hold() { m_held = true; }
    void release();
    bool isHeld() const { return m_held; }

    // Looks at the file soon (on the next event-loop turn); the watcher and the timer call it.
    void checkSoon();

Q_SIGNALS:
    void reset(); // what was delivered so far no longer holds: the file was replaced or truncated
    void bytesRead(const QByteArray &bytes);
    void caughtUp(); // delivered everything the file had when last looked at

private:
    struct Identity
    {
        quint64 device = 0;
        quint64 inode = 0;
        friend bool operator==(const Identity &, const Identity &) = default;
    };

    void check();
    void startOver();
    bool headStillMatches();
    void watchPaths();

    QString m_path;
    QFile m_file;
    Identity m_identity;
    QByteArray m_head; // the first bytes delivered, to recognise a rewritten file
    qint64 m_position = 0;
    qint64 m_bytesPerTurn = kDefaultBytesPerTurn;
    qint64 m_chunkBytes = kDefaultChunkBytes;
    qint64 m_keepLines = 0;
    BacklogCounter m_backlog; // started when reading the current file starts
    bool m_backlogCounted = false;
    quint64 m_generation = 0; // bumped by setPath, so a slot that changes the path stops the loop
    bool m_caughtUp = false;
    bool m_checkScheduled = false;
    bool m_held = false;
    QFileSystemWatcher m_watcher;
    QTimer m_poll;
    ReadAhead m_readAhead; // after m_file: finishes its read before the file closes
};

// What the reader thread hands over: the finished lines of a stretch of the file, ready for the
// store, with the progress events among them, or a note that the file started over / that
// everything it had was read.
struct IngestedLines
{
    LogBatch lines;
    QList<vibeml::jobs::ProgressEvent> events;
    qint64 endPosition = 0; // the file offset just past the bytes these lines came from
};

// LogFileTail + LogIngest (split, '\r' collapse, UTF-8 repair, ANSI colours, error flags, the
// progress parser) on a thread of their own, so that reading and decoding a fast or huge log
// never holds up the window. Lives on the thread that creates it (the GUI thread) and speaks only
// there: the worker queues finished batches, and one queued call at a time — not one per line or
// per read — tells this object to emit them, in file order. The worker stops reading while more
// than maxQueuedBytes() of text waits to be taken, and resumes when it was taken.
class LogTailReader : public QObject
{
    Q_OBJECT

public:
    static constexpr qint64 kDefaultMaxQueuedBytes = qint64{32} << 20;

    explicit LogTailReader(QObject *parent = nullptr);
    ~LogTailReader() override; // stops the worker and joins its thread

    // Follows `path` from its first byte; emits reset() now. An empty path stops following.
    void setPath(const QString &path);
    QString path() const { return m_path; }
    void setPollInterval(int milliseconds);
    void setChunkBytes(qint64 bytes); // as LogFileTail::setChunkBytes (tests)
    // The scrollback of the store the lines go to: the front of a backlog longer than that is
    // only counted, never rendered or stored (LogFileTail::dropEnd, LogIngest::setDropping).
    // Takes effect for the next file (or the next start over), like the reading itself.
    void setKeepLines(qint64 lines);
    void setMaxQueuedBytes(qint64 bytes) { m_maxQueuedBytes.store(std::max<qint64>(1, bytes)); }
    qint64 maxQueuedBytes() const { return m_maxQueuedBytes.load(); }

    // Asks the worker to look at the file soon (as LogFileTail::checkSoon).
    void checkSoon();

    qint64 position() const { return m_position; } // file bytes whose lines were emitted
    bool isCaughtUp() const { return m_caughtUp; }
    qint64 linesEmitted() const { return m_linesEmitted; }

    // How the whole lines of big reads were decoded (StretchDecoder.h), since construction.
    struct DecodeCounts
    {
        qint64 stretches = 0;
        qint64 onHelper = 0;      // decoded on the helper thread (the rest on the reader's)
        qint64 decodedAgain = 0;  // colours carried over into them: decoded again, in order
    };
    DecodeCounts decodeCounts() const;

    // Emits what the worker has ready now (it also happens on its own, soon after the worker queues).
    void drain();

Q_SIGNALS:
    void reset(); // the file was replaced or truncated: forget what was emitted so far
    // Lines in file order. Receivers (direct connections only) may take the batch's contents.
    void linesRead(vibeml::joblog::IngestedLines &lines);
    void caughtUp(); // everything the file had when last looked at was emitted

private:
    class Worker;
    struct Item
    {
        enum class Kind { Reset, Lines, CaughtUp };
        Kind kind = Kind::Lines;
        quint64 generation = 0;
        IngestedLines lines;
    };
    friend class Worker;

    // Called on the worker thread.
    void post(Item &&item);

    QString m_path;
    QThread *m_thread = nullptr;
    Worker *m_worker = nullptr;
    std::mutex m_mutex;
    std::deque<Item> m_queue;      // guarded by m_mutex
    bool m_drainPosted = false;    // guarded by m_mutex
    std::atomic<qint64> m_queuedBytes{0};
    std::atomic<qint64> m_maxQueuedBytes{kDefaultMaxQueuedBytes};
    std::atomic<quint64> m_generation{0}; // bumped by setPath; older items are dropped
    std::atomic<bool> m_workerHeld{false};
    std::atomic<qint64> m_stretches{0};
    std::atomic<qint64> m_stretchesOnHelper{0};
    std::atomic<qint64> m_stretchesDecodedAgain{0};
    qint64 m_position = 0;
    qint64 m_linesEmitted = 0;
    bool m_caughtUp = false;
};

} // namespace vibeml::joblog
