#include "joblog/LogFileTail.h"
#include "joblog/LogIngest.h"

#include "TestSupport.h"

#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <cstdio>

using namespace vibeml::joblog;

namespace {

void append(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Append));
    QCOMPARE(file.write(bytes), bytes.size());
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
        QByteArray big;
        for (int i = 0; i < 200'000; ++i)
            big += "(task, pid=3012) a line of a big log " + QByteArray::number(i) + '\n';
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

private:
    QTemporaryDir m_dir{QDir::tempPath() + QStringLiteral("/vibeml-tail-XXXXXX")};
};

VIBEML_TEST_MAIN_CORE(TestLogFileTail)
#include "tst_logfiletail.moc"
