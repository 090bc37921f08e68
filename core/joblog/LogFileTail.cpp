#include "joblog/LogFileTail.h"

#include "joblog/LogIngest.h"
#include "joblog/StretchDecoder.h"

#include <QFileInfo>
#include <QMetaObject>

#include <algorithm>
#include <cstring>
#include <optional>

#include <sys/stat.h>

namespace vibeml::joblog {
namespace {

// How much of the file's beginning is compared to notice a rewrite that kept or grew the size.
constexpr qsizetype kHeadBytes = 4096;

} // namespace

// The timer and the watcher are children, so moveToThread takes them along.
LogFileTail::LogFileTail(QObject *parent) : QObject(parent), m_watcher(this), m_poll(this)
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
    m_readAhead.discard();
    m_file.close();
    m_position = 0;
    m_head.clear();
    m_identity = {};
    m_caughtUp = false;
    m_backlog.cancel();
    m_backlogCounted = false;
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

void LogFileTail::release()
{
    m_held = false;
    checkSoon();
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
    m_readAhead.discard();
    m_position = 0;
    m_head.clear();
    m_caughtUp = false;
    m_backlog.cancel();
    m_backlogCounted = false;
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
    if (m_held)
        return; // release() looks again
    const quint64 generation = m_generation;
    const QByteArray nativePath = QFile::encodeName(m_path);
    struct stat onDisk {};
    const bool exists = ::stat(nativePath.constData(), &onDisk) == 0;
    const Identity pathIdentity{static_cast<quint64>(onDisk.st_dev), static_cast<quint64>(onDisk.st_ino)};
    // A file that was deleted stays readable through our handle; one that replaced it wins.
    if (m_file.isOpen() && exists && !(pathIdentity == m_identity)) {
        m_readAhead.discard();
        m_file.close();
    }
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
    const int fd = m_file.handle();
    if (m_position == 0 && !m_backlogCounted && size > 0) {
        m_backlog.start(fd, size, m_keepLines, m_chunkBytes);
        m_backlogCounted = true;
    }
    qint64 budget = std::min(size - m_position, m_bytesPerTurn);
    bool delivered = false;
    while (budget > 0) {
        const qint64 wanted = std::min(budget, m_chunkBytes);
        // A backlog is read one chunk ahead (see below); a trickle is read here.
        std::optional<QByteArray> readAhead = m_readAhead.take(fd, m_position, wanted);
        QByteArray chunk = readAhead ? std::move(*readAhead) : m_readAhead.takeSpare();
        if (!readAhead)
            ReadAhead::readAligned(fd, m_position, wanted, chunk);
        const qint64 got = chunk.size();
        if (got <= 0)
            break;
        m_position += got;
        budget -= got;
        // While the slots decode this chunk, the helper reads the next one: of this turn, or the
        // first of the next turn when the backlog goes on (check() then takes it after making
        // sure the file is still the same one).
        const qint64 next = std::min(budget > 0 ? budget : size - m_position, m_chunkBytes);
        if (next > 0)
            m_readAhead.start(fd, m_position, next);
        if (m_head.size() < kHeadBytes)
            m_head.append(QByteArrayView(chunk).first(std::min<qint64>(kHeadBytes - m_head.size(), got)));
        delivered = true;
        Q_EMIT bytesRead(chunk);
        if (generation != m_generation)
            return; // a slot followed another file
        m_readAhead.recycle(std::move(chunk));
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

// ---- LogTailReader ------------------------------------------------------------------------

// Lives on the reader thread: the tail, the ingest, the batch being filled, and the reads not yet
// turned into lines (a big read's middle is decoded on a helper thread, see StretchDecoder.h).
class LogTailReader::Worker final : public QObject
{
public:
    explicit Worker(LogTailReader &front) : m_front(front)
    {
        connect(&m_tail, &LogFileTail::reset, this, [this] {
            m_plan.clear(); // a stretch still on the helper is finished there and dropped
            m_ingest.reset();
            m_batch.clear();
            if (!m_settingPath) { // a replaced or truncated file; setPath's own reset the front announced
                Item item;
                item.kind = Item::Kind::Reset;
                item.generation = m_generation;
                m_front.post(std::move(item));
            }
        });
        connect(&m_tail, &LogFileTail::bytesRead, this, [this](const QByteArray &bytes) {
            plan(bytes, m_tail.position());
            join();
        });
        connect(&m_tail, &LogFileTail::caughtUp, this, [this] {
            m_plan.push_back(Step{Step::Kind::CaughtUp, {}, {}, {}, m_tail.position()});
            join();
        });
    }

    void setPath(const QString &path, quint64 generation)
    {
        m_generation = generation;
        m_front.m_workerHeld.store(false);
        m_tail.hold(); // released below, once the new path is set
        m_settingPath = true;
        m_tail.setPath(path);
        m_settingPath = false;
        m_tail.release();
    }

    void setPollInterval(int milliseconds) { m_tail.setPollInterval(milliseconds); }
    void setChunkBytes(qint64 bytes) { m_tail.setChunkBytes(bytes); }
    void setKeepLines(qint64 lines) { m_tail.setKeepLines(lines); }
    void checkSoon() { m_tail.checkSoon(); }

    void resume()
    {
        m_front.m_workerHeld.store(false);
        if (m_tail.isHeld())
            m_tail.release();
    }

private:
    // A read not yet turned into lines, in file order: bytes for m_ingest, a stretch of whole
    // lines decoded apart (on the helper or here), or the news that the file was read to its end.
    struct Step
    {
        enum class Kind { Bytes, Stretch, CaughtUp };
        Kind kind = Kind::Bytes;
        QByteArray bytes; // Bytes: the read `view` is in
        QByteArrayView view;
        std::shared_ptr<DecodedStretch> stretch;
        qint64 endPosition = 0; // the file offset just past this step's bytes
    };

    // A read of at least this much has its whole lines decoded as a stretch (a backlog's reads;
    // a live log's are smaller).
    static constexpr qsizetype kStretchReadBytes = qsizetype{64} << 10;
    // At most this many stretches wait for the one in front of them (each holds a decoded read).
    static constexpr int kMaxStretchesAhead = 4;

    void plan(const QByteArray &bytes, qint64 endPosition)
    {
        const qint64 begin = endPosition - bytes.size();
        const QByteArrayView view(bytes);
        if (view.size() >= kStretchReadBytes && StretchDecoder::helps()) {
            // The first line may finish the previous read's last one, and the last may go on in
            // the next read: those go through m_ingest, the whole lines between are a stretch.
            const char *const data = view.data();
            const auto size = static_cast<size_t>(view.size());
            const auto *firstNewline = static_cast<const char *>(std::memchr(data, '\n', size));
            const auto *lastNewline = static_cast<const char *>(memrchr(data, '\n', size));
            const qsizetype first = firstNewline ? firstNewline - data + 1 : 0;
            const qsizetype last = lastNewline ? lastNewline - data + 1 : 0;
            if (first > 0 && last - first >= kStretchReadBytes / 2) {
                if (std::count_if(m_plan.begin(), m_plan.end(), [](const Step &step) { return step.stretch != nullptr; }) >= kMaxStretchesAhead) {
                    m_decoder.wait();
                    join();
                }
                m_plan.push_back(Step{Step::Kind::Bytes, bytes, view.first(first), {}, begin + first});
                auto stretch = std::make_shared<DecodedStretch>(bytes, first, last, m_batch.expectedChunkBytes(),
                                                                begin + last <= m_tail.dropEnd());
                m_front.m_stretches.fetch_add(1, std::memory_order_relaxed);
                const bool onHelper = m_decoder.start(stretch, [this] {
                    QMetaObject::invokeMethod(this, [this] { join(); }, Qt::QueuedConnection);
                });
                if (onHelper)
                    m_front.m_stretchesOnHelper.fetch_add(1, std::memory_order_relaxed);
                else
                    stretch->decode(); // the helper is busy with the one before: this thread takes it
                m_plan.push_back(Step{Step::Kind::Stretch, {}, {}, std::move(stretch), begin + last});
                m_plan.push_back(Step{Step::Kind::Bytes, bytes, view.sliced(last), {}, endPosition});
                return;
            }
        }
        m_plan.push_back(Step{Step::Kind::Bytes, bytes, view, {}, endPosition});
    }

    // Turns the front of the plan into lines, in file order, up to a stretch still on the helper
    // (its end calls this again), and hands them over. The lines finished in a step that ends
    // before the tail's dropEnd() began before it: they are dropped (the steps that do are the
    // first ones, so the dropped lines come before every kept one).
    void join()
    {
        std::optional<qint64> endPosition;
        while (!m_plan.empty()) {
            Step &step = m_plan.front();
            m_ingest.setDropping(step.endPosition <= m_tail.dropEnd());
            if (step.kind == Step::Kind::Bytes) {
                m_ingest.feed(step.view);
            } else if (step.kind == Step::Kind::Stretch) {
                if (!step.stretch->isDecoded())
                    break;
                if (m_ingest.adoptContinuation(step.stretch->ingest)) {
                    m_batch.appendBatch(std::move(step.stretch->batch));
                } else { // colours carried over into it: decoded again, from the right state
                    m_front.m_stretchesDecodedAgain.fetch_add(1, std::memory_order_relaxed);
                    m_ingest.feed(step.stretch->lines);
                }
            } else {
                if (endPosition)
                    handOver(*endPosition);
                endPosition.reset();
                Item item;
                item.kind = Item::Kind::CaughtUp;
                item.generation = m_generation;
                m_front.post(std::move(item));
                m_plan.pop_front();
                continue;
            }
            endPosition = step.endPosition;
            m_plan.pop_front();
        }
        if (endPosition)
            handOver(*endPosition);
    }

    void handOver(qint64 endPosition)
    {
        Item item;
        item.generation = m_generation;
        item.lines.lines = std::move(m_batch);
        m_batch.clear();
        item.lines.events = m_ingest.takeEvents();
        item.lines.endPosition = endPosition;
        m_front.post(std::move(item));
        // Too much waits for the window: stop reading until it took some. Held first, then the
        // amount looked at again — the front looks at "held" after taking — so one of the two
        // threads always sees the other's news.
        if (m_front.m_queuedBytes.load() > m_front.m_maxQueuedBytes.load()) {
            m_front.m_workerHeld.store(true);
            if (m_front.m_queuedBytes.load() > m_front.m_maxQueuedBytes.load())
                m_tail.hold();
            else
                m_front.m_workerHeld.store(false);
        }
    }

    LogTailReader &m_front;
    LogFileTail m_tail{this};
    LogBatch m_batch;
    LogIngest m_ingest{m_batch};
    std::deque<Step> m_plan;
    quint64 m_generation = 0;
    bool m_settingPath = false;
    StretchDecoder m_decoder; // last: its thread is joined before anything it reports to goes
};

LogTailReader::LogTailReader(QObject *parent) : QObject(parent), m_thread(new QThread)
{
    m_thread->setObjectName(QStringLiteral("vibeml log reader"));
    m_worker = new Worker(*this);
    m_worker->moveToThread(m_thread);
    m_thread->start();
}

LogTailReader::~LogTailReader()
{
    // The worker goes on its own thread (its timers and watcher belong there), then the thread.
    QMetaObject::invokeMethod(m_worker, [worker = m_worker] { delete worker; }, Qt::BlockingQueuedConnection);
    m_worker = nullptr;
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

void LogTailReader::setPath(const QString &path)
{
    const quint64 generation = ++m_generation;
    {
        const std::lock_guard lock(m_mutex);
        for (const Item &item : m_queue)
            m_queuedBytes -= item.lines.lines.textBytes();
        m_queue.clear();
    }
    m_path = path;
    m_position = 0;
    m_linesEmitted = 0;
    m_caughtUp = false;
    Q_EMIT reset();
    if (generation != m_generation.load())
        return; // a slot followed another file
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, path, generation] { worker->setPath(path, generation); },
                              Qt::QueuedConnection);
}

void LogTailReader::setPollInterval(int milliseconds)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, milliseconds] { worker->setPollInterval(milliseconds); },
                              Qt::QueuedConnection);
}

void LogTailReader::setKeepLines(qint64 lines)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, lines] { worker->setKeepLines(lines); }, Qt::QueuedConnection);
}

void LogTailReader::setChunkBytes(qint64 bytes)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, bytes] { worker->setChunkBytes(bytes); }, Qt::QueuedConnection);
}

LogTailReader::DecodeCounts LogTailReader::decodeCounts() const
{
    return {m_stretches.load(), m_stretchesOnHelper.load(), m_stretchesDecodedAgain.load()};
}

void LogTailReader::checkSoon()
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker] { worker->checkSoon(); }, Qt::QueuedConnection);
}

void LogTailReader::post(Item &&item)
{
    m_queuedBytes += item.lines.lines.textBytes();
    bool notify = false;
    {
        const std::lock_guard lock(m_mutex);
        m_queue.push_back(std::move(item));
        notify = !std::exchange(m_drainPosted, true);
    }
    if (notify)
        QMetaObject::invokeMethod(this, &LogTailReader::drain, Qt::QueuedConnection);
}

void LogTailReader::drain()
{
    std::deque<Item> items;
    {
        const std::lock_guard lock(m_mutex);
        items.swap(m_queue);
        m_drainPosted = false;
    }
    qint64 taken = 0;
    for (const Item &item : items)
        taken += item.lines.lines.textBytes();
    m_queuedBytes -= taken;
    if (m_workerHeld.load())
        QMetaObject::invokeMethod(m_worker, [worker = m_worker] { worker->resume(); }, Qt::QueuedConnection);

    const quint64 generation = m_generation.load();
    for (Item &item : items) {
        if (item.generation != generation)
            continue; // from a file followed before
        switch (item.kind) {
        case Item::Kind::Reset:
            m_position = 0;
            m_linesEmitted = 0;
            m_caughtUp = false;
            Q_EMIT reset();
            break;
        case Item::Kind::Lines:
            m_position = item.lines.endPosition;
            m_linesEmitted += item.lines.lines.lineCount();
            m_caughtUp = false;
            Q_EMIT linesRead(item.lines);
            break;
        case Item::Kind::CaughtUp:
            m_caughtUp = true;
            Q_EMIT caughtUp();
            break;
        }
        if (generation != m_generation.load())
            return; // a slot followed another file
    }
}

} // namespace vibeml::joblog
