#include "joblog/LogIngest.h"

#include "TestSupport.h"

#include <QRandomGenerator>

using namespace vibeml;
using namespace vibeml::joblog;

namespace {

// Everything the ingest produced, published, as plain strings.
QStringList texts(const LogLineStore &store)
{
    QStringList lines;
    for (qsizetype row = 0; row < store.size(); ++row)
        lines.append(QString::fromUtf8(store.line(row).text));
    return lines;
}

// Every line as the store keeps it: text, flags and spans, and the progress events, in order.
struct Ingested
{
    QList<QByteArray> texts;
    QList<quint8> flags;
    QList<std::vector<StyleSpan>> spans;
    QList<jobs::ProgressEvent::Kind> events;
    bool operator==(const Ingested &) const = default;
};

Ingested collected(LogLineStore &store, LogIngest &ingest)
{
    store.commit();
    Ingested result;
    for (qsizetype row = 0; row < store.size(); ++row) {
        const LogLine line = store.line(row);
        result.texts.append(line.text.toByteArray());
        result.flags.append(line.flags);
        result.spans.append(std::vector<StyleSpan>(line.spans.begin(), line.spans.end()));
    }
    for (const jobs::ProgressEvent &event : ingest.takeEvents())
        result.events.append(event.kind);
    return result;
}

Ingested ingestExactly(const QByteArray &bytes, qsizetype pieceSize)
{
    LogLineStore store;
    LogIngest ingest(store);
    for (qsizetype at = 0; at < bytes.size(); at += pieceSize)
        ingest.feed(QByteArrayView(bytes).sliced(at, std::min(pieceSize, bytes.size() - at)));
    ingest.finish();
    return collected(store, ingest);
}

// As the log reader decodes a big read on two threads: the whole lines [begin, end) first, apart,
// from a fresh start; then what comes before them; then the two joined (or those lines decoded
// again, when the join is refused); then the rest.
Ingested ingestWithStretch(const QByteArray &bytes, qsizetype begin, qsizetype end, bool *adopted)
{
    const QByteArrayView all(bytes);
    LogBatch apartLines;
    LogIngest apart(apartLines);
    apart.feed(all.sliced(begin, end - begin));
    LogLineStore store;
    LogIngest ingest(store);
    ingest.feed(all.first(begin));
    *adopted = ingest.adoptContinuation(apart);
    if (*adopted)
        store.appendBatch(std::move(apartLines));
    else
        ingest.feed(all.sliced(begin, end - begin));
    ingest.feed(all.sliced(end));
    ingest.finish();
    return collected(store, ingest);
}

// Everything a scrollback of `cap` lines ends up with: its rows, the whole log's line and error
// counts, and every progress event (kinds and steps), in order.
struct Scrollback
{
    Ingested rows;
    qint64 totalLines = 0;
    qint64 errorLines = 0;
    QList<std::optional<qint64>> steps;
    bool operator==(const Scrollback &) const = default;
};

Scrollback scrollbackOf(LogLineStore &store, QList<jobs::ProgressEvent> events)
{
    store.commit();
    Scrollback result;
    for (qsizetype row = 0; row < store.size(); ++row) {
        const LogLine line = store.line(row);
        result.rows.texts.append(line.text.toByteArray());
        result.rows.flags.append(line.flags);
        result.rows.spans.append(std::vector<StyleSpan>(line.spans.begin(), line.spans.end()));
    }
    for (const jobs::ProgressEvent &event : events) {
        result.rows.events.append(event.kind);
        result.steps.append(event.step);
    }
    result.totalLines = store.totalLines();
    result.errorLines = store.errorLineCount();
    return result;
}

QStringList ingestAll(const QByteArray &bytes, qsizetype pieceSize)
{
    QStringList lines;
    for (const QByteArray &text : ingestExactly(bytes, pieceSize).texts)
        lines.append(QString::fromUtf8(text));
    return lines;
}

} // namespace

class TestLogIngest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readBoundariesChangeNothing()
    {
        // Multi-byte characters, escape sequences and '\r' redraws cut at every possible place.
        const QByteArray log = QByteArray("(setup pid=1) \x1b[31m━━━\x1b[0m 10%\r\x1b[31m━━━━━━\x1b[0m 100%\n"
                                          "naïve “quotes” ✓\r\n"
                                          "\x1b[33mWARNING\x1b[0m: éé\n"
                                          "tail without newline ü");
        const QStringList whole = ingestAll(log, log.size());
        QCOMPARE(whole,
                 QStringList({QStringLiteral("(setup pid=1) ━━━━━━ 100%"), QStringLiteral("naïve “quotes” ✓"),
                              QStringLiteral("WARNING: éé"), QStringLiteral("tail without newline ü")}));
        for (qsizetype piece : {1, 2, 3, 5, 7, 64})
            QCOMPARE(ingestAll(log, piece), whole);
    }

    // Whole reads take the fast path, which reuses the multi-line scan's answers; one byte at a
    // time every line takes the full path and is scanned afresh. Both must give the same lines,
    // flags, colours and events, whatever mix of redraws, colours, patterns and bad UTF-8.
    void fastPathAgreesWithTheFullPath()
    {
        QRandomGenerator random(23);
        const QByteArrayList pieces = {"ERROR", "Error:", "Traceback (most recent call last)", "@@VIBEML@@ {\"event\": \"start\"}",
                                       "\r", "\r", "\n", "\n", "(task, pid=7) ", "\x1b[31m", "\x1b[0m", "\x1b[1;32m", "ER",
                                       "\x1b[2K", "\t", "é", "█", "\xff", "\xe2\x9c", "plain text ", "ERR\rOR", "E\x1b[0mRROR"};
        for (int round = 0; round < 3000; ++round) {
            QByteArray bytes;
            const int parts = random.bounded(1, 16);
            for (int i = 0; i < parts; ++i) {
                bytes += QByteArray(random.bounded(0, 50), 'x');
                bytes += pieces.at(random.bounded(pieces.size()));
            }
            bytes += '\n';
            QVERIFY2(ingestExactly(bytes, bytes.size()) == ingestExactly(bytes, 1), bytes.toPercentEncoding().constData());
        }
    }

    // Lines decoded apart from a fresh start and joined to what came before them are exactly the
    // lines one ingest makes of the whole; where colours carried over into them the join is
    // refused (and they are decoded again), never taken wrong.
    void linesDecodedApartJoinExactly()
    {
        QRandomGenerator random(29);
        const QByteArrayList pieces = {"ERROR", "Traceback (most recent call last)", "@@VIBEML@@ {\"event\": \"start\"}",
                                       "\r", "\n", "\n", "\n", "(task, pid=7) ", "\x1b[31m", "\x1b[0m", "\x1b[1;32m",
                                       "\x1b[2K", "\t", "é", "\xff", "plain text ", "\r\n"};
        int adoptedCount = 0;
        int refusedCount = 0;
        for (int round = 0; round < 3000; ++round) {
            QByteArray bytes;
            const int parts = random.bounded(2, 40);
            for (int i = 0; i < parts; ++i) {
                bytes += QByteArray(random.bounded(0, 30), 'x');
                bytes += pieces.at(random.bounded(pieces.size()));
            }
            QList<qsizetype> lineStarts = {0};
            for (qsizetype at = 0; (at = bytes.indexOf('\n', at)) >= 0; ++at)
                lineStarts.append(at + 1);
            const qsizetype begin = lineStarts.at(random.bounded(lineStarts.size()));
            const qsizetype end = lineStarts.at(random.bounded(lineStarts.size()));
            if (end <= begin)
                continue;
            bool adopted = false;
            QVERIFY2(ingestWithStretch(bytes, begin, end, &adopted) == ingestExactly(bytes, bytes.size()),
                     bytes.toPercentEncoding().constData());
            ++(adopted ? adoptedCount : refusedCount);
        }
        QVERIFY(adoptedCount > 500);
        QVERIFY(refusedCount > 100);
    }

    void droppedLinesLeaveTheSameScrollback()
    {
        // Lines before a point with at least `cap` whole lines after it are only counted while
        // dropping (their text never rendered or stored). Kept first, then dropped, then kept,
        // handed over in batches now and then as the log reader does: the scrollback, the line
        // and error counts, the colours carried on and the progress events are exactly those of
        // keeping every line.
        QRandomGenerator random(37);
        const QByteArrayList pieces = {"ERROR", "Error:", "Error", "Traceback (most recent call last)", "Training",
                                       "@@VIBEML@@ {\"event\": \"progress\", \"step\": 5, \"loss\": 1.5}",
                                       "@@VIBEML@@ {\"event\": \"error\", \"message\": \"\xff\"}", "\r", "\r", "\n", "\n", "\n",
                                       "(task, pid=7) ", "(\x1b[31mtask, pid=7) ", "\x1b[31m", "\x1b[0m", "\x1b[1;32m", "\x1b[2K", "ER",
                                       "E\x1b[0mRROR", "E\x07RROR", "T\x1b[1mraceback (most recent call last)", "ERR\rOR", "\t", "é",
                                       "█", "\xff", "\xe2\x9c", "@", "plain text "};
        // First, by hand: a SkyPilot prefix with a colour in it, then a redraw — the prefix is
        // shown again after the redraw, so its colour applies twice (red, not green, after it).
        const QByteArray prefixTwice = "(\x1b[31mtask, pid=7) aaa\x1b[32m\rbbb\nccc\n";
        for (int round = -1; round < 1500; ++round) {
            QByteArray bytes = round < 0 ? prefixTwice : QByteArray();
            const int parts = round < 0 ? 0 : random.bounded(20, 160);
            for (int i = 0; i < parts; ++i) {
                bytes += QByteArray(random.bounded(0, 30), 'x');
                bytes += pieces.at(random.bounded(pieces.size()));
            }
            if (round >= 0 && random.bounded(2))
                bytes += '\n';
            const qsizetype cap = round < 0 ? 1 : random.bounded(1, 12);
            // The latest point with `cap` whole lines after it, as BacklogCounter finds it.
            qsizetype dropEnd = 0;
            for (qsizetype at = bytes.size(), ends = 0; at > 0; --at) {
                if (bytes[at - 1] == '\n' && ++ends == cap + 1) {
                    dropEnd = at;
                    break;
                }
            }
            LogLineStore kept(cap);
            LogIngest keeping(kept);
            keeping.feed(bytes);
            keeping.finish();
            const Scrollback expected = scrollbackOf(kept, keeping.takeEvents());
            LogLineStore every(1'000'000);
            LogIngest keepingEvery(every);
            keepingEvery.feed(bytes);
            keepingEvery.finish();
            every.commit();

            const qsizetype dropTo = round < 0 ? dropEnd : dropEnd ? random.bounded(dropEnd + 1) : 0;
            const qsizetype dropFrom = round < 0 ? 0 : random.bounded(dropTo + 1);
            LogLineStore store(cap);
            LogBatch batch;
            LogIngest ingest(batch);
            QList<jobs::ProgressEvent> events;
            const auto handOver = [&] {
                events.append(ingest.takeEvents());
                store.appendBatch(std::move(batch));
                store.removeFrontRows(store.overflowRows());
                store.publish();
                // Between hand-overs too, every row is the line its number says.
                for (qsizetype row = 0; row < store.size(); ++row) {
                    const qint64 line = store.lineNumber(row) - 1;
                    QCOMPARE(store.line(row).text, every.line(line).text);
                    QCOMPARE(store.line(row).flags, every.line(line).flags);
                }
            };
            qsizetype at = 0;
            for (const auto &[to, dropping] : {std::pair{dropFrom, false}, std::pair{dropTo, true}, std::pair{bytes.size(), false}}) {
                ingest.setDropping(dropping);
                while (at < to) {
                    const qsizetype piece = std::min<qsizetype>(to - at, random.bounded(1, 120));
                    ingest.feed(QByteArrayView(bytes).sliced(at, piece));
                    at += piece;
                    if (random.bounded(4) == 0)
                        handOver();
                }
            }
            ingest.finish();
            handOver();
            const Scrollback got = scrollbackOf(store, events);
            QVERIFY2(got == expected, qPrintable(QStringLiteral("round %1, cap %2, dropped %3..%4 of %5: %6")
                                                     .arg(round).arg(cap).arg(dropFrom).arg(dropTo).arg(bytes.size())
                                                     .arg(QString::fromLatin1(bytes.toPercentEncoding()))));
        }
    }

    void carriageReturnsCollapse_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("shown");
        QTest::newRow("tqdm") << QByteArray(" 10%|█ | 1/10\r 20%|██ | 2/10\r100%|████| 10/10") << QStringLiteral("100%|████| 10/10");
        QTest::newRow("crlf") << QByteArray("windows line\r") << QStringLiteral("windows line");
        QTest::newRow("redraw then crlf") << QByteArray("a\rbb\r") << QStringLiteral("bb");
        QTest::newRow("only cr") << QByteArray("\r\r") << QString();
    }

    void carriageReturnsCollapse()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, shown);
        QCOMPARE(ingestAll(line + '\n', 4096), QStringList{shown});
    }

    void colourSetBeforeARedrawStillApplies()
    {
        LogLineStore store;
        LogIngest ingest(store);
        ingest.feed("\x1b[32mloading 10%\rloading 100%\x1b[0m\n");
        store.commit();
        const LogLine line = store.line(0);
        QCOMPARE(line.text.toByteArray(), QByteArray("loading 100%"));
        QCOMPARE(line.spans.size(), size_t{1});
        QCOMPARE(line.spans[0].length, 12u);
        QCOMPARE(line.spans[0].style.foreground, TextColor::indexed(2));
    }

    void invalidUtf8IsReplacedNotDropped()
    {
        LogLineStore store;
        LogIngest ingest(store);
        ingest.feed(QByteArray("bad \xff\xfe bytes \xe2\x82 end\n"));
        store.commit();
        const LogLine line = store.line(0);
        QVERIFY(line.text.isValidUtf8());
        const QString text = QString::fromUtf8(line.text);
        QVERIFY(text.startsWith(QStringLiteral("bad ")));
        QVERIFY(text.endsWith(QStringLiteral(" end")));
        QVERIFY(text.contains(QChar::ReplacementCharacter));
        QVERIFY(text.contains(QStringLiteral(" bytes ")));
    }

    void realRunLog()
    {
        // What the fake `sky logs` prints for a failed run (tests/data/joblog/README.md).
        const QByteArray log = test::readFile(test::dataPath(QStringLiteral("joblog/failed-run.log")));
        QVERIFY(!log.isEmpty());
        LogLineStore store;
        LogIngest ingest(store);
        ingest.feed(log);
        store.commit();
        QCOMPARE(store.size(), log.count('\n'));
        QCOMPARE(ingest.linesIngested(), qint64(log.count('\n')));

        for (qsizetype row = 0; row < store.size(); ++row) {
            const LogLine line = store.line(row);
            QVERIFY2(!line.text.contains('\x1b') && !line.text.contains('\r'), line.text.toByteArray().constData());
        }
        const QStringList lines = texts(store);
        QVERIFY(lines.at(2).endsWith(QStringLiteral("906.4/906.4 MB 180.2 MB/s eta 0:00:00"))); // last redraw
        QVERIFY(!store.line(2).spans.empty());                        // in colour
        QVERIFY(lines.at(6).endsWith(QStringLiteral("2/2 [00:04<00:00, 2.41s/it]")));
        // SkyPilot's prefix stays in front of the last redraw.
        QVERIFY(lines.at(2).startsWith(QStringLiteral("(setup pid=2841)    ━")));
        QVERIFY(lines.at(6).startsWith(QStringLiteral("(vibeml-qwen-x7k2p9, pid=3012) Loading checkpoint shards: 100%")));

        // Error lines: the error event, the traceback header, the exception, SkyPilot's ERROR line.
        QCOMPARE(store.errorLineCount(), qint64(4));
        const std::optional<qsizetype> first = store.firstErrorRow();
        QVERIFY(first);
        QVERIFY(lines.at(*first).contains(QStringLiteral("\"event\": \"error\"")));
        QVERIFY(lines.at(*store.nextErrorRow(*first)).endsWith(QStringLiteral("Traceback (most recent call last):")));
        QVERIFY(store.line(*first).flags & ProgressLine);

        // The metrics parser: every progress line, in order.
        const QList<jobs::ProgressEvent> events = ingest.takeEvents();
        QCOMPARE(events.size(), 8);
        QCOMPARE(events.first().kind, jobs::ProgressEvent::Kind::Start);
        QCOMPARE(events.last().kind, jobs::ProgressEvent::Kind::Error);
        QList<jobs::MetricPoint> points;
        for (const jobs::ProgressEvent &event : events) {
            if (const std::optional<jobs::MetricPoint> point = metricPoint(event))
                points.append(*point);
        }
        QCOMPARE(points.size(), 5);
        QCOMPARE(points.first().step, qint64(10));
        QCOMPARE(points.first().loss.value_or(0), 1.5992);
        QCOMPARE(points.first().learningRate.value_or(0), 0.000193969);
        QCOMPARE(points.last().step, qint64(50));
        QVERIFY(ingest.takeEvents().isEmpty());
    }

    void errorsAreRecognised_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<bool>("error");
        QTest::newRow("traceback") << QByteArray("(t, pid=1) Traceback (most recent call last):") << true;
        QTest::newRow("ERROR") << QByteArray("\x1b[31mERROR: Job 3 failed\x1b[0m") << true;
        QTest::newRow("exception") << QByteArray("ValueError: bad column") << true;
        QTest::newRow("error event") << QByteArray("(t, pid=1) @@VIBEML@@ {\"event\": \"error\", \"kind\": \"data\"}") << true;
        QTest::newRow("progress") << QByteArray("(t, pid=1) @@VIBEML@@ {\"event\": \"progress\", \"step\": 3}") << false;
        QTest::newRow("warning") << QByteArray("WARNING: Running pip as root") << false;
        QTest::newRow("error word") << QByteArray("{'loss': 0.3, 'error_rate': 0.1}") << false;
    }

    void errorsAreRecognised()
    {
        QFETCH(QByteArray, line);
        QFETCH(bool, error);
        LogLineStore store;
        LogIngest ingest(store);
        ingest.feed(QByteArray(line + '\n'));
        store.commit();
        QCOMPARE(store.line(0).isError(), error);
        QCOMPARE(store.errorLineCount(), qint64(error ? 1 : 0));
    }

    void unfinishedLineWaitsForItsEnd()
    {
        LogLineStore store;
        LogIngest ingest(store);
        ingest.feed("first\nsecond half");
        store.commit();
        QCOMPARE(texts(store), QStringList{QStringLiteral("first")});
        QCOMPARE(ingest.pendingBytes(), qsizetype(11));
        ingest.feed(" and the rest\n");
        store.commit();
        QCOMPARE(texts(store), QStringList({QStringLiteral("first"), QStringLiteral("second half and the rest")}));
        ingest.feed("no newline at the end");
        ingest.finish();
        store.commit();
        QCOMPARE(store.size(), qsizetype(3));
        QCOMPARE(ingest.pendingBytes(), qsizetype(0));
    }

    // A redrawn line keeps SkyPilot's "(name, pid=N) " in front of what it finally shows, and
    // only that: the parentheses must close with ") " and hold "pid=" and digits at their end.
    void redrawsKeepOnlyARealSkyPilotPrefix_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("shown");
        QTest::newRow("task") << QByteArray("(task, pid=3012) 10%\r100%") << QStringLiteral("(task, pid=3012) 100%");
        QTest::newRow("setup") << QByteArray("(setup pid=7) a\rb") << QStringLiteral("(setup pid=7) b");
        QTest::newRow("only pid") << QByteArray("(pid=12) a\rb") << QStringLiteral("(pid=12) b");
        QTest::newRow("pid glued to a word") << QByteArray("(apid=12) a\rb") << QStringLiteral("(apid=12) b");
        QTest::newRow("no digits") << QByteArray("(task, pid=) a\rb") << QStringLiteral("b");
        QTest::newRow("not only digits") << QByteArray("(task, pid=12a) a\rb") << QStringLiteral("b");
        QTest::newRow("no pid") << QByteArray("(task, 12) a\rb") << QStringLiteral("b");
        QTest::newRow("digits without pid=") << QByteArray("(id=12) a\rb") << QStringLiteral("b");
        QTest::newRow("too short") << QByteArray("(12) a\rb") << QStringLiteral("b");
        QTest::newRow("no space after") << QByteArray("(task, pid=1)a\rb") << QStringLiteral("b");
        QTest::newRow("empty parentheses") << QByteArray("() a\rb") << QStringLiteral("b");
        QTest::newRow("already in front") << QByteArray("(t, pid=1) a\r(t, pid=1) b") << QStringLiteral("(t, pid=1) b");
    }

    void redrawsKeepOnlyARealSkyPilotPrefix()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, shown);
        QCOMPARE(ingestAll(line + '\n', line.size() + 1), QStringList{shown});
    }

    void endlessRedrawsStayBounded()
    {
        // A progress bar redrawn forever without a newline must not grow memory without bound.
        LogLineStore store;
        LogIngest ingest(store);
        const QByteArray redraw = QByteArray("\r\x1b[36m") + QByteArray(60, '#') + "\x1b[0m";
        ingest.feed("(setup pid=7) ");
        for (int i = 0; i < 40000; ++i)
            ingest.feed(redraw);
        QVERIFY(ingest.pendingBytes() <= LogIngest::kMaxPendingBytes + redraw.size());
        ingest.feed("\n");
        store.commit();
        QCOMPARE(texts(store), QStringList{QStringLiteral("(setup pid=7) ") + QString(60, QLatin1Char('#'))});
        QCOMPARE(store.line(0).spans.size(), size_t{1});
        QCOMPARE(store.line(0).spans[0].start, 14u);

        // Without any '\r' a giant line is cut into pieces instead.
        ingest.feed(QByteArray(3 * LogIngest::kMaxPendingBytes, 'x'));
        QVERIFY(ingest.pendingBytes() <= LogIngest::kMaxPendingBytes);
        ingest.finish();
        store.commit();
        qsizetype total = 0;
        for (qsizetype row = 1; row < store.size(); ++row)
            total += store.line(row).text.size();
        QCOMPARE(total, 3 * LogIngest::kMaxPendingBytes);
    }

    void resetForgetsTheUnfinishedLineAndColour()
    {
        LogLineStore store;
        LogIngest ingest(store);
        ingest.feed("\x1b[31mred and unfinished");
        ingest.reset();
        ingest.feed("fresh\n");
        store.commit();
        QCOMPARE(texts(store), QStringList{QStringLiteral("fresh")});
        QVERIFY(store.line(0).spans.empty());
    }
};

VIBEML_TEST_MAIN_CORE(TestLogIngest)
#include "tst_logingest.moc"
