#include "joblog/LogLineStore.h"

#include "TestSupport.h"

using namespace vibeml::joblog;

namespace {

QByteArray numbered(qint64 number)
{
    return QByteArrayLiteral("line ") + QByteArray::number(number);
}

void appendNumbered(LogLineStore &store, qint64 from, qint64 count, quint8 flags = 0)
{
    for (qint64 i = from; i < from + count; ++i)
        store.appendLine(numbered(i), flags);
}

} // namespace

class TestLogLineStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void linesBecomeRowsWhenPublished()
    {
        LogLineStore store(10);
        appendNumbered(store, 1, 3);
        QCOMPARE(store.size(), qsizetype(0)); // staged, not yet visible
        QCOMPARE(store.stagedCount(), qsizetype(3));
        QCOMPARE(store.overflowRows(), qsizetype(0));
        QCOMPARE(store.publish(), qsizetype(3));
        QCOMPARE(store.size(), qsizetype(3));
        QCOMPARE(store.line(0).text.toByteArray(), numbered(1));
        QCOMPARE(store.line(2).text.toByteArray(), numbered(3));
        QCOMPARE(store.lineNumber(0), qint64(1));
        QVERIFY(store.line(3).text.isNull()); // out of range: empty, never a crash
        QVERIFY(store.line(-1).text.isNull());
    }

    void capRemovesFromTheFront()
    {
        LogLineStore store(5);
        appendNumbered(store, 1, 4);
        store.commit();
        appendNumbered(store, 5, 3); // 7 lines for 5 places: 2 published rows must leave
        QCOMPARE(store.overflowRows(), qsizetype(2));
        store.removeFrontRows(2);
        QCOMPARE(store.size(), qsizetype(2));
        QCOMPARE(store.line(0).text.toByteArray(), numbered(3));
        QCOMPARE(store.publishableCount(), qsizetype(3));
        QCOMPARE(store.publish(), qsizetype(3));
        QCOMPARE(store.size(), qsizetype(5));
        QCOMPARE(store.line(0).text.toByteArray(), numbered(3));
        QCOMPARE(store.line(4).text.toByteArray(), numbered(7));
        QCOMPARE(store.lineNumber(0), qint64(3));
        QCOMPARE(store.totalLines(), qint64(7));
        QCOMPARE(store.droppedLines(), qint64(2));
    }

    void moreStagedThanTheCap()
    {
        LogLineStore store(100);
        appendNumbered(store, 1, 50);
        store.commit();
        appendNumbered(store, 51, 10'000); // one batch far larger than the cap
        QCOMPARE(store.overflowRows(), qsizetype(50)); // every published row goes
        store.removeFrontRows(store.overflowRows());
        QCOMPARE(store.publishableCount(), qsizetype(100));
        QCOMPARE(store.publish(), qsizetype(100));
        QCOMPARE(store.line(0).text.toByteArray(), numbered(9951));
        QCOMPARE(store.line(99).text.toByteArray(), numbered(10050));
        qint64 bytes = 0;
        for (qint64 number = 9951; number <= 10050; ++number)
            bytes += numbered(number).size();
        QCOMPARE(store.textBytes(), bytes);
    }

    void manyChunksKeepOrderAndAccounting()
    {
        LogLineStore store(30'000);
        qint64 next = 1;
        for (int batch = 0; batch < 20; ++batch) {
            appendNumbered(store, next, 7'777);
            next += 7'777;
            store.commit();
            QVERIFY(store.size() <= 30'000);
        }
        QCOMPARE(store.size(), qsizetype(30'000));
        qint64 bytes = 0;
        for (qsizetype row = 0; row < store.size(); ++row) {
            const QByteArray expected = numbered(next - 30'000 + row);
            QCOMPARE(store.line(row).text.toByteArray(), expected);
            bytes += expected.size();
        }
        QCOMPARE(store.textBytes(), bytes);
    }

    void spansBelongToTheirLine()
    {
        LogLineStore store;
        TextStyle red;
        red.foreground = TextColor::indexed(1);
        store.appendLine("plain", 0);
        const StyleSpan spans[] = {{0, 3, red}, {4, 100, red}, {50, 2, red}};
        store.appendLine("red and more", 0, spans); // the 2nd span is clipped, the 3rd is outside
        store.appendLine("plain again", 0);
        store.commit();
        QVERIFY(store.line(0).spans.empty());
        QVERIFY(store.line(2).spans.empty());
        const LogLine coloured = store.line(1);
        QCOMPARE(coloured.spans.size(), size_t{2});
        QCOMPARE(coloured.spans[0], (StyleSpan{0, 3, red}));
        QCOMPARE(coloured.spans[1], (StyleSpan{4, 8, red}));
    }

    void errorsCanBeFoundAndCounted()
    {
        LogLineStore store(10);
        appendNumbered(store, 1, 3);
        store.appendLine("Traceback (most recent call last):", ErrorLine);
        appendNumbered(store, 5, 2);
        store.appendLine("ValueError: x", ErrorLine);
        QVERIFY(!store.firstErrorRow()); // not published yet
        store.commit();
        QCOMPARE(store.errorLineCount(), qint64(2));
        QCOMPARE(store.firstErrorRow(), std::optional<qsizetype>(3));
        QCOMPARE(store.nextErrorRow(3), std::optional<qsizetype>(6));
        QCOMPARE(store.nextErrorRow(6), std::nullopt);

        appendNumbered(store, 8, 7); // the first error scrolls out of the retained lines
        store.commit();
        QCOMPARE(store.firstErrorRow(), std::optional<qsizetype>(2));
        QCOMPARE(store.errorLineCount(), qint64(2)); // still counted
        appendNumbered(store, 15, 10);
        store.commit();
        QCOMPARE(store.firstErrorRow(), std::nullopt);
    }

    void droppedLinesNeverBecomeRows()
    {
        // A batch's dropped lines (the front of a long backlog) are counted, with their errors,
        // and take every line before them along; rows go on from the kept lines after them.
        LogLineStore store(5);
        appendNumbered(store, 1, 3);
        store.commit();
        LogBatch batch;
        batch.appendLine(numbered(4), 0);
        batch.appendDroppedLine(ErrorLine); // line 5: line 4 goes with it
        QCOMPARE(batch.lineCount(), qsizetype(2));
        QCOMPARE(batch.droppedLineCount(), qsizetype(2));
        batch.appendDroppedLines(3); // lines 6–8
        for (qint64 i = 9; i <= 10; ++i)
            batch.appendLine(numbered(i), i == 10 ? ErrorLine : 0);
        LogBatch later;
        later.appendLine(numbered(11), 0);
        batch.appendBatch(std::move(later));
        QCOMPARE(batch.lineCount(), qsizetype(8));
        store.appendBatch(std::move(batch));
        QCOMPARE(store.overflowRows(), qsizetype(3)); // the published rows go before the dropped lines
        store.removeFrontRows(store.overflowRows());
        QCOMPARE(store.publishableCount(), qsizetype(3));
        QCOMPARE(store.publish(), qsizetype(3));
        QCOMPARE(store.size(), qsizetype(3));
        QCOMPARE(store.totalLines(), qint64(11));
        QCOMPARE(store.droppedLines(), qint64(8));
        QCOMPARE(store.errorLineCount(), qint64(2));
        QCOMPARE(store.firstErrorRow(), std::optional<qsizetype>(1));
        for (qsizetype row = 0; row < 3; ++row) {
            QCOMPARE(store.lineNumber(row), qint64(9 + row));
            QCOMPARE(store.line(row).text.toByteArray(), numbered(9 + row));
        }
        // A trickle after them is copied into a chunk of its own, never into one before the gap.
        LogBatch dropping;
        dropping.appendDroppedLines(2);
        store.appendBatch(std::move(dropping));
        store.appendLine(numbered(14), 0);
        store.commit();
        QCOMPARE(store.size(), qsizetype(1));
        QCOMPARE(store.lineNumber(0), qint64(14));
        QCOMPARE(store.line(0).text.toByteArray(), numbered(14));
        QCOMPARE(store.textBytes(), qint64(numbered(14).size()));
    }

    void findsForwardBackwardAndWraps()
    {
        LogLineStore store;
        store.appendLine("alpha", 0);
        store.appendLine("Loss went DOWN", 0);
        store.appendLine("beta", 0);
        store.appendLine("loss is down again", 0);
        store.appendLine("Über naïve", 0);
        store.commit();
        const TextMatcher loss(u"loss", Qt::CaseInsensitive);
        QCOMPARE(store.find(loss, -1, SearchDirection::Forward), std::optional<qsizetype>(1));
        QCOMPARE(store.find(loss, 1, SearchDirection::Forward), std::optional<qsizetype>(3));
        QCOMPARE(store.find(loss, 3, SearchDirection::Forward), std::optional<qsizetype>(1)); // wrapped
        QCOMPARE(store.find(loss, 3, SearchDirection::Forward, false), std::nullopt);
        QCOMPARE(store.find(loss, 1, SearchDirection::Backward), std::optional<qsizetype>(3)); // wrapped
        QCOMPARE(store.find(loss, store.size(), SearchDirection::Backward), std::optional<qsizetype>(3));
        const TextMatcher exact(u"loss", Qt::CaseSensitive);
        QCOMPARE(store.find(exact, -1, SearchDirection::Forward), std::optional<qsizetype>(3));
        const TextMatcher unicode(u"über", Qt::CaseInsensitive);
        QCOMPARE(store.find(unicode, -1, SearchDirection::Forward), std::optional<qsizetype>(4));
        QCOMPARE(store.find(TextMatcher(u"missing", Qt::CaseInsensitive), -1, SearchDirection::Forward), std::nullopt);
        QCOMPARE(store.find(TextMatcher(), -1, SearchDirection::Forward), std::nullopt);
    }

    void matcherOffsets()
    {
        const TextMatcher folded(u"DoWn", Qt::CaseInsensitive);
        QCOMPARE(folded.indexIn("up, down, DOWN", 0), qsizetype(4));
        QCOMPARE(folded.indexIn("up, down, DOWN", 5), qsizetype(10));
        QCOMPARE(folded.indexIn("dow", 0), qsizetype(-1));
        const TextMatcher accent(u"NAÏVE", Qt::CaseInsensitive);
        QCOMPARE(accent.indexIn(QStringLiteral("très naïve").toUtf8()), qsizetype(6)); // bytes: "très " is 6
    }

    void memoryStaysCloseToTheText()
    {
        // The target: retained lines cost at most 1.3 × their text + 16 bytes per line.
        LogLineStore store(100'000);
        const QByteArray text = QByteArray("(vibeml-qwen-x7k2p9, pid=3012) {'loss': 0.4123, 'grad_norm': 0.3, "
                                           "'learning_rate': 0.0001, 'epoch': 0.5}");
        for (int i = 0; i < 150'000; ++i)
            store.appendLine(text, 0);
        store.commit();
        QCOMPARE(store.size(), qsizetype(100'000));
        const qint64 budget = qint64(1.3 * double(store.textBytes())) + 16 * store.size();
        QVERIFY2(store.memoryBytes() <= budget,
                 qPrintable(QStringLiteral("%1 bytes for a budget of %2").arg(store.memoryBytes()).arg(budget)));
    }

    void clearStartsOver()
    {
        LogLineStore store;
        appendNumbered(store, 1, 10, ErrorLine);
        store.commit();
        store.clear();
        QCOMPARE(store.size(), qsizetype(0));
        QCOMPARE(store.errorLineCount(), qint64(0));
        QCOMPARE(store.textBytes(), qint64(0));
        appendNumbered(store, 1, 1);
        store.commit();
        QCOMPARE(store.lineNumber(0), qint64(1));
    }
};

VIBEML_TEST_MAIN_CORE(TestLogLineStore)
#include "tst_loglinestore.moc"
