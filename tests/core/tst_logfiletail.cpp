#include "joblog/BacklogCounter.h"
#include "joblog/LogFileTail.h"
#include "joblog/LogIngest.h"
#include "joblog/ReadAhead.h"

#include "TestSupport.h"

#include <QDir>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QStringList>
#include <QThread>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <fcntl.h>
#include <memory>
#include <unistd.h>
#include <utility>

using namespace vibeml::joblog;

namespace {

void append(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Append));
    QCOMPARE(file.write(bytes), bytes.size());
}

// `count` numbered lines: "<prefix>0\n<prefix>1\n…".
QByteArray numberedLines(const QByteArray &prefix, int count)
{
    QByteArray lines;
    for (int i = 0; i < count; ++i)
        lines += prefix + QByteArray::number(i) + '\n';
    return lines;
}

// What a reader assembles from the tail: everything since the last reset().
struct Reader
{
    explicit Reader(LogFileTail &tail)
    {
        QObject::connect(&tail, &LogFileTail::reset, [this] {
            ++resets;
            bytes.clear();
        });
        QObject::connect(&tail, &LogFileTail::bytesRead, [this](const QByteArray &chunk) {
            bytes += chunk;
            ++chunks;
        });
    }
    QByteArray bytes;
    int resets = 0;
    int chunks = 0;
};

} // namespace

class TestLogFileTail : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { QVERIFY(m_dir.isValid()); }

    void followsAGrowingFile()
    {
        const QString path = m_dir.filePath(QStringLiteral("grow/train.log"));
        QDir().mkpath(m_dir.filePath(QStringLiteral("grow")));
        append(path, "first line\n");
        LogFileTail tail;
        tail.setPollInterval(5000); // the file watcher, not the timer, must bring the news
        Reader reader(tail);
        QSignalSpy caughtUp(&tail, &LogFileTail::caughtUp);
        tail.setPath(path);
        QCOMPARE(reader.resets, 1);
        QTRY_COMPARE(reader.bytes, QByteArray("first line\n"));
        QTRY_VERIFY(tail.isCaughtUp());
        QVERIFY(caughtUp.count() >= 1);
        append(path, "second line\nthird ");
        QTRY_COMPARE_WITH_TIMEOUT(reader.bytes, QByteArray("first line\nsecond line\nthird "), 3000);
        append(path, "line\n");
        QTRY_COMPARE_WITH_TIMEOUT(reader.bytes, QByteArray("first line\nsecond line\nthird line\n"), 3000);
        QCOMPARE(tail.position(), qint64(reader.bytes.size()));
        QCOMPARE(reader.resets, 1);
    }

    void waitsForAFileThatDoesNotExistYet()
    {
        const QString path = m_dir.filePath(QStringLiteral("later.log"));
        LogFileTail tail;
        tail.setPollInterval(50);
        Reader reader(tail);
        tail.setPath(path);
        QTest::qWait(100);
        QVERIFY(reader.bytes.isEmpty());
        append(path, "hello\n");
        QTRY_COMPARE(reader.bytes, QByteArray("hello\n"));
    }

    void readsABoundedAmountPerTurn()
    {
        const QString path = m_dir.filePath(QStringLiteral("big.log"));
        const QByteArray big = numberedLines("(task, pid=3012) a line of a big log ", 200'000);
        append(path, big);
        LogFileTail tail;
        tail.setBytesPerTurn(256 * 1024);
        tail.setChunkBytes(64 * 1024);
        Reader reader(tail);
        tail.setPath(path);
        // One event-loop turn reads at most one turn's worth; the rest follows on later turns.
        QCoreApplication::processEvents();
        QVERIFY(!reader.bytes.isEmpty());
        QVERIFY(reader.bytes.size() <= 256 * 1024);
        QVERIFY(!tail.isCaughtUp());
        QTRY_VERIFY(tail.isCaughtUp());
        QCOMPARE(reader.bytes, big);
        QVERIFY(reader.chunks >= big.size() / (64 * 1024));
    }

    void readAheadReadsWhatWasAskedAndNothingElse()
    {
        const QString path = m_dir.filePath(QStringLiteral("ahead.log"));
        append(path, "0123456789abcdefghij");
        const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY);
        QVERIFY(fd >= 0);
        {
            ReadAhead ahead;
            QVERIFY(!ahead.take(fd, 0, 4)); // nothing started
            ahead.start(fd, 2, 5);
            QCOMPARE(ahead.take(fd, 2, 5).value_or("?"), QByteArray("23456"));
            QVERIFY(!ahead.take(fd, 2, 5)); // taken once
            ahead.start(fd, 15, 10);
            QCOMPARE(ahead.take(fd, 15, 10).value_or("?"), QByteArray("fghij")); // short at the end
            ahead.start(fd, 20, 10);
            QCOMPARE(ahead.take(fd, 20, 10).value_or("?"), QByteArray()); // at the end
            ahead.start(fd, 0, 4);
            QVERIFY(!ahead.take(fd, 1, 4)); // another read than the one started: dropped
            QVERIFY(!ahead.take(fd, 0, 4));
            ahead.start(fd, 0, 4);
            ahead.discard();
            QVERIFY(!ahead.take(fd, 0, 4));

            // A buffer someone still holds is never read into again.
            ahead.start(fd, 0, 10);
            QByteArray first = *ahead.take(fd, 0, 10);
            QByteArray kept = first;
            ahead.recycle(std::move(first));
            ahead.start(fd, 10, 10);
            QByteArray second = ahead.take(fd, 10, 10).value_or("?");
            QCOMPARE(second, QByteArray("abcdefghij"));
            QCOMPARE(kept, QByteArray("0123456789"));
            // Once its last holder lets go, it is read into again (its bytes then start where
            // offset 5 falls modulo 64: a few bytes on, in the same allocation).
            const char *const keptAt = kept.constData();
            ahead.recycle(std::move(second));
            kept = QByteArray();
            ahead.start(fd, 5, 10);
            const QByteArray reused = ahead.take(fd, 5, 10).value_or("?");
            QCOMPARE(reused, QByteArray("56789abcde"));
            QVERIFY(std::abs(reused.constData() - keptAt) < ReadAhead::kCopyAlignment);
            // An unshared one is.
            ahead.start(fd, 0, 3);
            QByteArray own = *ahead.take(fd, 0, 3);
            ahead.recycle(std::move(own));
            ahead.start(fd, 3, 3);
            QCOMPARE(ahead.take(fd, 3, 3).value_or("?"), QByteArray("345"));
            ahead.start(fd, 0, 8); // still in flight when it is destroyed: waited for
        }
        ::close(fd);
        char byte = 0;
        QCOMPARE(ReadAhead::readFully(-1, 0, &byte, 1), qint64(-1));
    }

    void readsLandAtTheFileOffsetModulo64()
    {
        // The kernel's copy is fast only when the bytes keep their file offset modulo 64 in
        // memory (ReadAhead::readAligned); the bytes must be the file's, whatever the buffer held.
        const QString path = m_dir.filePath(QStringLiteral("aligned.log"));
        QByteArray content(5000, Qt::Uninitialized);
        for (qsizetype i = 0; i < content.size(); ++i)
            content[i] = static_cast<char>('a' + i % 26);
        append(path, content);
        const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY);
        QVERIFY(fd >= 0);
        QByteArray reused;
        for (const qint64 size : {qint64(1), qint64(63), qint64(64), qint64(65), qint64(1000), qint64(4000)}) {
            for (qint64 offset = 0; offset < 140; ++offset) {
                QByteArray fresh;
                for (QByteArray *buffer : {&reused, &fresh}) {
                    ReadAhead::readAligned(fd, offset, size, *buffer);
                    QCOMPARE(*buffer, content.mid(offset, size));
                    QCOMPARE((reinterpret_cast<quintptr>(buffer->constData()) - quintptr(offset)) % ReadAhead::kCopyAlignment, quintptr(0));
                }
            }
        }
        ReadAhead::readAligned(fd, 4990, 100, reused); // short at the end of the file
        QCOMPARE(reused, content.mid(4990));
        ReadAhead::readAligned(fd, 6000, 100, reused); // past it
        QVERIFY(reused.isEmpty());
        ::close(fd);
        ReadAhead::readAligned(-1, 0, 100, reused); // an error: no bytes
        QVERIFY(reused.isEmpty());
    }

    void rewrittenWhileAChunkIsReadAhead()
    {
        // A backlog is read a chunk ahead, across turns; a file rewritten meanwhile must still
        // end up as exactly its new content.
        const QString path = m_dir.filePath(QStringLiteral("ahead-rewritten.log"));
        append(path, numberedLines("old line ", 20'000));
        LogFileTail tail;
        tail.setPollInterval(20);
        tail.setBytesPerTurn(16 * 1024);
        tail.setChunkBytes(4 * 1024);
        Reader reader(tail);
        tail.setPath(path);
        QCoreApplication::processEvents(); // one turn: the next turn's first chunk is being read
        QVERIFY(!reader.bytes.isEmpty());
        QVERIFY(!tail.isCaughtUp());
        const QByteArray fresh = numberedLines("new line ", 30'000);
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            QCOMPARE(file.write(fresh), fresh.size());
        }
        QTRY_VERIFY_WITH_TIMEOUT(reader.bytes == fresh, 10000);
        QVERIFY(reader.resets >= 2);
    }

    void truncationStartsOver()
    {
        const QString path = m_dir.filePath(QStringLiteral("trunc.log"));
        append(path, "old line one\nold line two\n");
        LogFileTail tail;
        tail.setPollInterval(50);
        Reader reader(tail);
        tail.setPath(path);
        QTRY_COMPARE(reader.bytes, QByteArray("old line one\nold line two\n"));
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write("new\n");
        }
        QTRY_COMPARE(reader.bytes, QByteArray("new\n"));
        QCOMPARE(reader.resets, 2);
    }

    void replacedFileIsReadAgainNeverTwice()
    {
        // A log re-fetched after a restart replaces the file (same beginning, more lines): the
        // reader starts over and ends up with exactly the file's content, nothing duplicated.
        const QString path = m_dir.filePath(QStringLiteral("replaced.log"));
        append(path, "line 1\nline 2\n");
        LogFileTail tail;
        tail.setPollInterval(50);
        Reader reader(tail);
        tail.setPath(path);
        QTRY_COMPARE(reader.bytes, QByteArray("line 1\nline 2\n"));
        const QString fresh = m_dir.filePath(QStringLiteral("replaced.log.part"));
        append(fresh, "line 1\nline 2\nline 3\n");
        QVERIFY(::rename(QFile::encodeName(fresh).constData(), QFile::encodeName(path).constData()) == 0);
        QTRY_COMPARE(reader.bytes, QByteArray("line 1\nline 2\nline 3\n"));
        QCOMPARE(reader.resets, 2);
    }

    void rewrittenInPlaceWithOtherContent()
    {
        // Same file, rewritten from the start and already longer than what was read.
        const QString path = m_dir.filePath(QStringLiteral("rewritten.log"));
        append(path, "aaaa\n");
        LogFileTail tail;
        tail.setPollInterval(50);
        Reader reader(tail);
        tail.setPath(path);
        QTRY_COMPARE(reader.bytes, QByteArray("aaaa\n"));
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadWrite));
            file.write("bbbb\ncccc\n");
        }
        QTRY_COMPARE(reader.bytes, QByteArray("bbbb\ncccc\n"));
    }

    void utf8CutByChunksSurvivesTheIngest()
    {
        const QString path = m_dir.filePath(QStringLiteral("utf8.log"));
        const QByteArray text = QStringLiteral("naïve ✓ Über\n\x1b[32mgrün\x1b[0m\n").toUtf8();
        append(path, text);
        LogFileTail tail;
        tail.setChunkBytes(3); // cuts characters and escape sequences
        LogLineStore store;
        LogIngest ingest(store);
        connect(&tail, &LogFileTail::bytesRead, this, [&ingest](const QByteArray &bytes) { ingest.feed(bytes); });
        tail.setPath(path);
        QTRY_VERIFY(tail.isCaughtUp());
        store.commit();
        QCOMPARE(store.size(), qsizetype(2));
        QCOMPARE(QString::fromUtf8(store.line(0).text), QStringLiteral("naïve ✓ Über"));
        QCOMPARE(QString::fromUtf8(store.line(1).text), QStringLiteral("grün"));
        QCOMPARE(store.line(1).spans.size(), size_t{1});
    }

    void emptyPathStops()
    {
        const QString path = m_dir.filePath(QStringLiteral("stop.log"));
        append(path, "one\n");
        LogFileTail tail;
        tail.setPollInterval(20);
        Reader reader(tail);
        tail.setPath(path);
        QTRY_COMPARE(reader.bytes, QByteArray("one\n"));
        tail.setPath(QString());
        QCOMPARE(reader.resets, 2);
        append(path, "two\n");
        QTest::qWait(100);
        QVERIFY(reader.bytes.isEmpty());
    }

    // ---- LogTailReader: the same, read and decoded on a thread of its own ----

    void readerDeliversEveryLineOnceInOrder()
    {
        // Written in pieces that cut lines, while the reader thread follows; with a tiny queue
        // limit the worker stops and resumes many times. Every line arrives once, in order.
        const QString path = m_dir.filePath(QStringLiteral("threaded.log"));
        append(path, QByteArray());
        LogTailReader reader;
        reader.setPollInterval(20);
        reader.setMaxQueuedBytes(4096);
        LogLineStore store(1'000'000);
        int resets = 0;
        qint64 events = 0;
        connect(&reader, &LogTailReader::reset, this, [&] { ++resets; });
        connect(&reader, &LogTailReader::linesRead, this, [&](IngestedLines &lines) {
            QVERIFY(QThread::currentThread() == thread());
            events += lines.events.size();
            store.appendBatch(std::move(lines.lines));
            store.commit();
        });
        reader.setPath(path);
        QCOMPARE(resets, 1);
        constexpr int kLines = 60'000;
        QByteArray all;
        for (int i = 0; i < kLines; ++i) {
            all += "(task, pid=7) \x1b[3" + QByteArray::number(i % 8) + "mline " + QByteArray::number(i) + "\x1b[0m\n";
            if (i % 1000 == 999)
                all += "@@VIBEML@@ {\"event\": \"progress\", \"step\": " + QByteArray::number(i) + "}\n";
        }
        for (qsizetype at = 0; at < all.size(); at += 300'007) // not on line boundaries
            append(path, all.mid(at, 300'007));
        QTRY_VERIFY_WITH_TIMEOUT(reader.position() == all.size() && reader.isCaughtUp(), 20000);
        QCOMPARE(store.totalLines(), qint64(kLines + kLines / 1000));
        QCOMPARE(reader.linesEmitted(), store.totalLines());
        QCOMPARE(events, qint64(kLines / 1000));
        qint64 line = 0;
        for (qsizetype row = 0; row < store.size(); ++row) {
            const QByteArray text = store.line(row).text.toByteArray();
            if (text.startsWith("@@VIBEML@@"))
                continue;
            QCOMPARE(text, "(task, pid=7) line " + QByteArray::number(line));
            QCOMPARE(store.line(row).spans.size(), size_t{1});
            ++line;
        }
        QCOMPARE(line, qint64(kLines));
        QCOMPARE(resets, 1);
    }

    void readerDecodesBigReadsOnTwoThreadsExactlyAsOne()
    {
        // A backlog read in 64 KiB pieces: the whole lines of each are decoded apart (on the
        // helper thread or the reader's) and joined in order. Colours left set at a line's end,
        // redraws, long lines that span reads, progress lines and bad UTF-8: the lines, flags,
        // colours and events are exactly those of one ingest over the whole file.
        QRandomGenerator random(31);
        const QByteArrayList pieces = {"ERROR", "Traceback (most recent call last)", "@@VIBEML@@ {\"event\": \"progress\", \"step\": 3}",
                                       "\r", "(task, pid=7) ", "\x1b[31m", "\x1b[0m", "\x1b[0m", "\x1b[1;32m", "\t", "é", "█",
                                       "\xff", "plain text "};
        QByteArray all;
        while (all.size() < 4'000'000) {
            const int parts = random.bounded(0, 8);
            for (int i = 0; i < parts; ++i) {
                all += QByteArray(random.bounded(0, 40), 'x');
                all += pieces.at(random.bounded(pieces.size()));
            }
            if (all.size() > 1'000'000 && all.size() < 1'000'300)
                all += QByteArray(200'000, 'y'); // longer than a read: three reads without a line's end
            all += '\n';
        }
        const QString path = m_dir.filePath(QStringLiteral("threaded-stretches.log"));
        append(path, all);

        LogTailReader reader;
        reader.setChunkBytes(64 << 10);
        reader.setMaxQueuedBytes(qint64{1} << 30);
        LogLineStore store(10'000'000);
        QList<vibeml::jobs::ProgressEvent::Kind> events;
        connect(&reader, &LogTailReader::linesRead, this, [&](IngestedLines &lines) {
            for (const vibeml::jobs::ProgressEvent &event : lines.events)
                events.append(event.kind);
            store.appendBatch(std::move(lines.lines));
            store.commit();
        });
        reader.setPath(path);
        QTRY_VERIFY_WITH_TIMEOUT(reader.position() == all.size() && reader.isCaughtUp(), 30000);

        LogLineStore expected(10'000'000);
        LogIngest ingest(expected);
        ingest.feed(all);
        expected.commit();
        QList<vibeml::jobs::ProgressEvent::Kind> expectedEvents;
        for (const vibeml::jobs::ProgressEvent &event : ingest.takeEvents())
            expectedEvents.append(event.kind);
        QCOMPARE(store.size(), expected.size());
        for (qsizetype row = 0; row < store.size(); ++row) {
            const LogLine got = store.line(row);
            const LogLine want = expected.line(row);
            QCOMPARE(got.text, want.text);
            QCOMPARE(got.flags, want.flags);
            QVERIFY(std::equal(got.spans.begin(), got.spans.end(), want.spans.begin(), want.spans.end()));
        }
        QCOMPARE(events, expectedEvents);
        QCOMPARE(reader.linesEmitted(), expected.totalLines());

        const LogTailReader::DecodeCounts counts = reader.decodeCounts();
        QVERIFY2(counts.stretches > 30, QByteArray::number(counts.stretches).constData());
        QVERIFY(counts.decodedAgain > 0); // some reads began with colours still set
        QVERIFY(counts.decodedAgain < counts.stretches);
        if (QThread::idealThreadCount() > 1)
            QVERIFY(counts.onHelper > 0);
    }

    void readerStartsOverOnAReplacedFileAndDropsTheOldOne()
    {
        const QString path = m_dir.filePath(QStringLiteral("threaded-replaced.log"));
        append(path, "line 1\nline 2\n");
        LogTailReader reader;
        reader.setPollInterval(20);
        QStringList lines;
        int resets = 0;
        connect(&reader, &LogTailReader::reset, this, [&] {
            ++resets;
            lines.clear();
        });
        connect(&reader, &LogTailReader::linesRead, this, [&](IngestedLines &batch) {
            LogLineStore store;
            store.appendBatch(std::move(batch.lines));
            store.commit();
            for (qsizetype row = 0; row < store.size(); ++row)
                lines << QString::fromUtf8(store.line(row).text);
        });
        reader.setPath(path);
        QTRY_COMPARE(lines, QStringList({QStringLiteral("line 1"), QStringLiteral("line 2")}));
        const QString fresh = m_dir.filePath(QStringLiteral("threaded-replaced.log.part"));
        append(fresh, "line 1\nline 2\nline 3\n");
        QVERIFY(::rename(QFile::encodeName(fresh).constData(), QFile::encodeName(path).constData()) == 0);
        reader.checkSoon();
        QTRY_COMPARE(lines, QStringList({QStringLiteral("line 1"), QStringLiteral("line 2"), QStringLiteral("line 3")}));
        QCOMPARE(resets, 2);

        // Another file: nothing more from the first one, even what was already on its way.
        const QString other = m_dir.filePath(QStringLiteral("threaded-other.log"));
        append(other, "other\n");
        append(path, "line 4\n");
        reader.setPath(other);
        QCOMPARE(resets, 3);
        QTRY_COMPARE(lines, QStringList({QStringLiteral("other")}));
        QTest::qWait(100);
        QCOMPARE(lines, QStringList({QStringLiteral("other")}));
        QCOMPARE(reader.path(), other);
    }

    void backlogCounterFindsWhereTheKeptLinesBegin()
    {
        const QString path = m_dir.filePath(QStringLiteral("counted.log"));
        append(path, numberedLines("line ", 1000)); // "line 0\n" … "line 999\n"
        const QByteArray all = numberedLines("line ", 1000);
        const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY);
        QVERIFY(fd >= 0);
        const std::atomic<bool> going{false};
        const qint64 size = all.size();
        // Read back 8 or 64 KiB at a time: the lines from the returned offset on are the last ten.
        for (const qint64 piece : {qint64(8), qint64(64 << 10)}) {
            const qint64 dropEnd = BacklogCounter::dropEnd(fd, size, 10, piece, going);
            QCOMPARE(all.mid(dropEnd), numberedLines("line ", 1000).mid(all.indexOf("line 990\n")));
        }
        // In one read the answer is exact however little goes; read back in pieces, counting stops
        // once it would read more than it could save.
        QCOMPARE(BacklogCounter::dropEnd(fd, size, 999, 64 << 10, going), qint64(all.indexOf("line 1\n"))); // only "line 0" goes
        QCOMPARE(BacklogCounter::dropEnd(fd, size, 1000, 64, going), qint64(0)); // nothing to drop
        QCOMPARE(BacklogCounter::dropEnd(fd, size, 900, 64, going), qint64(0)); // too little to be worth a count
        QCOMPARE(BacklogCounter::dropEnd(fd, size + 100, 10, 64, going), qint64(0)); // the file is shorter than said
        const std::atomic<bool> cancelled{true};
        QCOMPARE(BacklogCounter::dropEnd(fd, size, 10, 64, cancelled), qint64(0));
        {
            BacklogCounter counter;
            counter.start(fd, size, 10, 64);
            ::close(fd); // it reads its own duplicate
            QTRY_COMPARE(counter.result(), qint64(all.indexOf("line 990\n")));
            counter.cancel();
            QCOMPARE(counter.result(), qint64(0));
        }
    }

    void readerOnlyCountsWhatTheScrollbackWouldDrop()
    {
        // A backlog of 60,000 lines for a scrollback of 1,000: the lines before the last 1,000 are
        // counted, not rendered or stored. The store ends with exactly the rows, line numbers,
        // colours, error count and progress events of keeping every line, and every row it shows
        // on the way is the line its number says.
        QByteArray all;
        for (int i = 0; i < 60'000; ++i) {
            all += "(task, pid=7) \x1b[3" + QByteArray::number(i % 8) + "mline " + QByteArray::number(i) + "\x1b[0m\n";
            if (i % 97 == 0)
                all += "ERROR something failed at line " + QByteArray::number(i) + '\n';
            if (i % 500 == 499)
                all += "@@VIBEML@@ {\"event\": \"progress\", \"step\": " + QByteArray::number(i) + "}\n";
            if (i % 300 == 0)
                all += " 40%|\xe2\x96\x88\xe2\x96\x88 | 4/10\r 50%|\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88 | 5/10\n";
        }
        const QString path = m_dir.filePath(QStringLiteral("dropped-front.log"));
        append(path, all);
        LogLineStore every(10'000'000);
        LogIngest keepingEvery(every);
        keepingEvery.feed(all);
        every.commit();
        const qsizetype everyEvents = keepingEvery.takeEvents().size();

        LogTailReader reader;
        reader.setChunkBytes(64 << 10);
        reader.setMaxQueuedBytes(64 << 10); // the reader waits for us while we wait below
        reader.setKeepLines(1000);
        LogLineStore store(1000);
        qsizetype events = 0;
        qsizetype dropped = 0;
        bool first = true;
        connect(&reader, &LogTailReader::linesRead, this, [&](IngestedLines &lines) {
            if (std::exchange(first, false))
                QThread::msleep(300); // the count back (its own thread) is surely done by now

            events += lines.events.size();
            dropped += lines.lines.droppedLineCount();
            store.appendBatch(std::move(lines.lines));
            store.removeFrontRows(store.overflowRows());
            store.publish();
            for (qsizetype row = 0; row < store.size(); ++row)
                QCOMPARE(store.line(row).text, every.line(store.lineNumber(row) - 1).text);
        });
        reader.setPath(path);
        QTRY_VERIFY_WITH_TIMEOUT(reader.position() == all.size() && reader.isCaughtUp(), 20000);
        QVERIFY2(dropped > 50'000, qPrintable(QString::number(dropped)));
        QCOMPARE(store.totalLines(), every.totalLines());
        QCOMPARE(reader.linesEmitted(), every.totalLines());
        QCOMPARE(store.errorLineCount(), every.errorLineCount());
        QCOMPARE(events, everyEvents);
        QCOMPARE(store.size(), qsizetype(1000));
        for (qsizetype row = 0; row < store.size(); ++row) {
            const LogLine line = every.line(every.size() - 1000 + row);
            QCOMPARE(store.lineNumber(row), every.lineNumber(every.size() - 1000 + row));
            QCOMPARE(store.line(row).text, line.text);
            QCOMPARE(store.line(row).flags, line.flags);
            QVERIFY(std::equal(store.line(row).spans.begin(), store.line(row).spans.end(), line.spans.begin(), line.spans.end()));
        }
    }

    void readerStopsCleanlyWhileReading()
    {
        // Destroyed in the middle of a big file, with batches queued and a drain posted: the
        // worker stops on its thread and the thread is joined; nothing arrives afterwards.
        const QString path = m_dir.filePath(QStringLiteral("threaded-big.log"));
        append(path, numberedLines("\x1b[1mbold\x1b[0m a line of a big log ", 100'000));
        for (int round = 0; round < 5; ++round) {
            qint64 received = 0;
            {
                auto reader = std::make_unique<LogTailReader>();
                connect(reader.get(), &LogTailReader::linesRead, this, [&](IngestedLines &lines) { received += lines.lines.lineCount(); });
                reader->setPath(path);
                QTest::qWait(round); // from "not started yet" to "some batches in"
            }
            QCoreApplication::processEvents();
            const qint64 after = received;
            QTest::qWait(20);
            QCOMPARE(received, after);
        }
    }

private:
    QTemporaryDir m_dir{QDir::tempPath() + QStringLiteral("/vibeml-tail-XXXXXX")};
};

VIBEML_TEST_MAIN_CORE(TestLogFileTail)
#include "tst_logfiletail.moc"
