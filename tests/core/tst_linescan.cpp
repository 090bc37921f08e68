#include "joblog/LineScan.h"

#include "TestSupport.h"

#include <QRandomGenerator>

using namespace vibeml::joblog;

namespace {

// The obvious, slow answer the fast scan must always agree with.
LineScan reference(QByteArrayView line)
{
    LineScan scan;
    for (const char c : line) {
        const auto byte = static_cast<uchar>(c);
        scan.hasNonAscii = scan.hasNonAscii || byte >= 0x80;
        scan.hasCarriageReturn = scan.hasCarriageReturn || byte == '\r';
        scan.hasOtherControls = scan.hasOtherControls || ((byte < 0x20 || byte == 0x7f) && byte != '\r');
    }
    scan.looksLikeError = line.contains("ERROR") || line.contains("Error:") || line.contains("Traceback (most recent call last)");
    scan.hasProgressMarker = line.contains("@@VIBEML@@ ");
    return scan;
}

bool same(const LineScan &a, const LineScan &b)
{
    return a.hasCarriageReturn == b.hasCarriageReturn && a.hasOtherControls == b.hasOtherControls && a.hasNonAscii == b.hasNonAscii && a.looksLikeError == b.looksLikeError
        && a.hasProgressMarker == b.hasProgressMarker;
}

} // namespace

class TestLineScan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void answers_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<bool>("controls");
        QTest::addColumn<bool>("nonAscii");
        QTest::addColumn<bool>("error");
        QTest::addColumn<bool>("progress");
        QTest::newRow("plain") << QByteArray("(t, pid=1) {'loss': 0.41}") << false << false << false << false;
        QTest::newRow("colour") << QByteArray("\x1b[32mINFO\x1b[0m ok") << true << false << false << false;
        QTest::newRow("tab") << QByteArray("a\tb") << true << false << false << false;
        QTest::newRow("del") << QByteArray("a\x7f") << true << false << false << false;
        QTest::newRow("redraw") << QByteArray(" 10%|█ | 1/10\r 20%|██ | 2/10") << true << true << false << false;
        QTest::newRow("utf8") << QByteArray("bar █▌ done") << false << true << false << false;
        QTest::newRow("ERROR at the end") << QByteArray("................................ERROR") << false << false << true << false;
        QTest::newRow("ERROR cut") << QByteArray("................................ERRO") << false << false << false << false;
        QTest::newRow("exception") << QByteArray("torch.OutOfMemoryError: CUDA out of memory") << false << false << true << false;
        QTest::newRow("Error without colon") << QByteArray("no Error here") << false << false << false << false;
        QTest::newRow("traceback") << QByteArray("(t, pid=1) Traceback (most recent call last):") << false << false << true << false;
        QTest::newRow("marker") << QByteArray("(t, pid=1) @@VIBEML@@ {\"event\": \"progress\"}") << false << false << false << true;
        QTest::newRow("marker across 16 bytes") << QByteArray("0123456789abc@@VIBEML@@ {}") << false << false << false << true;
        QTest::newRow("half marker") << QByteArray("@@VIBEML@") << false << false << false << false;
        QTest::newRow("empty") << QByteArray() << false << false << false << false;
    }

    void answers()
    {
        QFETCH(QByteArray, line);
        QFETCH(bool, controls);
        QFETCH(bool, nonAscii);
        QFETCH(bool, error);
        QFETCH(bool, progress);
        const LineScan scan = scanLine(line);
        QCOMPARE(scan.hasControls(), controls);
        QCOMPARE(scan.hasNonAscii, nonAscii);
        QCOMPARE(scan.looksLikeError, error);
        QCOMPARE(scan.hasProgressMarker, progress);
    }

    void tellsCarriageReturnsFromOtherControls()
    {
        const QByteArray tail(40, 'x'); // the vector steps, and the last overlapping one
        for (const QByteArray &body : {QByteArray(), tail}) {
            const LineScan redraw = scanLine(QByteArray(body + "a\rb" + body));
            QVERIFY(redraw.hasCarriageReturn);
            QVERIFY(!redraw.hasOtherControls);
            const LineScan colour = scanLine(QByteArray(body + "\x1b[1mb" + body));
            QVERIFY(!colour.hasCarriageReturn);
            QVERIFY(colour.hasOtherControls);
            const LineScan last = scanLine(QByteArray(body + "\r"));
            QVERIFY(last.hasCarriageReturn);
        }
    }

    // The UTF-8 check answers as Qt's does, on every kind of sequence, anywhere in a line.
    void utf8CheckAgreesWithQt()
    {
        const QByteArrayList edges = {"\xc2\x80", "\xdf\xbf", "\xc0\x80", "\xc1\xbf", "\xe0\xa0\x80", "\xe0\x9f\xbf",
                                      "\xed\x9f\xbf", "\xed\xa0\x80", "\xef\xbf\xbf", "\xef\xbf\xbe", "\xf0\x90\x80\x80",
                                      "\xf0\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
                                      "\xff", "\x80", "\xe2\x9c", "\xe2\x9c\x93", "é", "█", "\xc3", "\xe2\x28\xa1"};
        for (const QByteArray &edge : edges) {
            for (const QByteArray &pad : {QByteArray(), QByteArray(15, 'a'), QByteArray(16, 'a'), QByteArray(40, 'a')}) {
                for (const QByteArray &line : QByteArrayList{edge, pad + edge, edge + pad, pad + edge + pad}) {
                    QVERIFY2(isValidUtf8(line) == QByteArrayView(line).isValidUtf8(), line.toPercentEncoding().constData());
                }
            }
        }
        QRandomGenerator random(5);
        for (int round = 0; round < 50000; ++round) {
            QByteArray line(random.bounded(0, 48), 'x');
            for (qsizetype i = 0; i < line.size(); ++i) {
                if (random.bounded(4) == 0)
                    line[i] = char(random.bounded(0x80, 0x100));
            }
            QVERIFY2(isValidUtf8(line) == QByteArrayView(line).isValidUtf8(), line.toPercentEncoding().constData());
        }
        // Mostly valid text of every character length, up to a few vector steps long, with now
        // and then one byte changed or the end cut off.
        const QList<std::pair<char32_t, char32_t>> ranges = {{0x20, 0x7e},       {0x80, 0x7ff},     {0x800, 0xfff},
                                                              {0xd000, 0xd7ff},   {0xe000, 0xffff},  {0x10000, 0x3ffff},
                                                              {0x100000, 0x10ffff}};
        int valid = 0;
        for (int round = 0; round < 50000; ++round) {
            QString text;
            const int characters = random.bounded(0, 60);
            for (int i = 0; i < characters; ++i) {
                const auto &[low, high] = ranges.at(random.bounded(ranges.size()));
                const char32_t code = low + char32_t(random.bounded(quint32(high - low + 1)));
                text += QString::fromUcs4(&code, 1);
            }
            QByteArray line = text.toUtf8();
            if (!line.isEmpty() && random.bounded(3) == 0)
                line[random.bounded(line.size())] = char(random.bounded(0x100));
            if (!line.isEmpty() && random.bounded(8) == 0)
                line.chop(random.bounded(1, 4));
            valid += QByteArrayView(line).isValidUtf8() ? 1 : 0;
            QVERIFY2(isValidUtf8(line) == QByteArrayView(line).isValidUtf8(), line.toPercentEncoding().constData());
        }
        QVERIFY(valid > 20000 && valid < 45000);
    }

    void agreesWithTheObviousScanEverywhere()
    {
        // Patterns at every offset and length around the 16-byte steps.
        QRandomGenerator random(7);
        const QByteArrayList pieces = {"ERROR", "Error:", "Traceback (most recent call last)", "@@VIBEML@@ ", "E", "T", "@",
                                       "\x1b[31m", "\t", "\r", "é", "█", "\x7f", "plain text ", "ERR", "@@VIBEML@"};
        for (int round = 0; round < 20000; ++round) {
            QByteArray line;
            const int parts = random.bounded(0, 6);
            for (int i = 0; i < parts; ++i) {
                line += QByteArray(random.bounded(0, 20), 'x');
                line += pieces.at(random.bounded(pieces.size()));
            }
            QVERIFY2(same(scanLine(line), reference(line)), line.toPercentEncoding().constData());
            LineScan patterns = reference(line);
            patterns.hasCarriageReturn = patterns.hasOtherControls = patterns.hasNonAscii = false;
            QVERIFY2(same(scanPatterns(line), patterns), line.toPercentEncoding().constData());
        }
    }

    // scanLines (one pass over many lines) finds the same lines as splitting at '\n' and gives
    // each the same answers as scanLine, whatever the lengths and wherever the patterns fall
    // relative to its 16- and 32-byte steps and to the line breaks.
    void scanLinesAgreesWithSplittingAndScanning()
    {
        QRandomGenerator random(11);
        const QByteArrayList pieces = {"ERROR", "Error:", "Traceback (most recent call last)", "@@VIBEML@@ ", "E", "T", "@", "\n",
                                       "\n\n", "\x1b[31m", "\t", "\r", "é", "█", "\x7f", "plain text ", "ERR", "@@VIBEML@", "\nOR"};
        std::vector<ScannedLine> lines;
        for (int round = 0; round < 20000; ++round) {
            QByteArray bytes;
            const int parts = random.bounded(0, 12);
            for (int i = 0; i < parts; ++i) {
                bytes += QByteArray(random.bounded(0, 40), 'x');
                bytes += pieces.at(random.bounded(pieces.size()));
            }
            lines.clear();
            const qsizetype unfinished = scanLines(bytes, lines);
            const qsizetype lastBreak = bytes.lastIndexOf('\n');
            QCOMPARE(unfinished, lastBreak + 1);
            const QByteArrayList expected = bytes.first(unfinished).split('\n');
            QCOMPARE(qsizetype(lines.size()), unfinished ? expected.size() - 1 : 0);
            for (size_t i = 0; i < lines.size(); ++i) {
                const QByteArrayView line = QByteArrayView(bytes).sliced(lines[i].begin, lines[i].end - lines[i].begin);
                QCOMPARE(line, QByteArrayView(expected.at(qsizetype(i))));
                QVERIFY2(same(lines[i].scan, reference(line)), bytes.toPercentEncoding().constData());
            }
        }
    }

    void countingHelpersAgreeWithTheObviousLoops()
    {
        // findSpecialBytes, countNewlines and hasPatternStart (the counting path of a dropped
        // backlog) against byte loops, on random bytes rich in what they look for, every length
        // and offset around their 16- and 32-byte steps.
        QRandomGenerator random(41);
        const QByteArray alphabet = QByteArray("ETR@r\n\r\x1b\t\x07\x7f\x01 xE@@ERErTr\xc3\xa9\xff") + QByteArray(1, '\0');
        for (int round = 0; round < 4000; ++round) {
            QByteArray bytes(random.bounded(0, 300), Qt::Uninitialized);
            for (char &byte : bytes)
                byte = random.bounded(3) ? 'x' : alphabet.at(random.bounded(alphabet.size()));
            const qsizetype from = bytes.isEmpty() ? 0 : random.bounded(bytes.size());
            const QByteArrayView view = QByteArrayView(bytes).sliced(from);
            qsizetype newlines = 0;
            std::vector<qsizetype> expected;
            bool patternStart = false;
            for (qsizetype i = 0; i < view.size(); ++i) {
                const auto byte = static_cast<uchar>(view[i]);
                const auto next = i + 1 < view.size() ? static_cast<uchar>(view[i + 1]) : uchar(0);
                newlines += byte == '\n';
                patternStart = patternStart || byte == 'E' || byte == 'T' || byte == '@';
                const bool control = (byte < 0x20 && byte != '\n' && byte != '\r') || byte == 0x7f;
                const bool candidate = ((byte == 'E' || byte == 'T') && (next == 'r' || next == 'R')) || (byte == '@' && next == '@');
                if (control || candidate)
                    expected.push_back(i);
            }
            std::vector<qsizetype> special{-1}; // appended to, not cleared
            QCOMPARE(findSpecialBytes(view, special), newlines);
            QCOMPARE(special.front(), qsizetype(-1));
            special.erase(special.begin());
            QCOMPARE(special, expected);
            QCOMPARE(countNewlines(view), newlines);
            QCOMPARE(hasPatternStart(view), patternStart);
        }
    }

    void scanLinesAppendsAndHandlesTheEdges()
    {
        std::vector<ScannedLine> lines;
        QCOMPARE(scanLines({}, lines), 0);
        QCOMPARE(scanLines("no line break", lines), 0);
        QVERIFY(lines.empty());
        QCOMPARE(scanLines("\n", lines), 1);
        QCOMPARE(lines.size(), size_t(1));
        QCOMPARE(lines[0].end, 0);
        // Appends: the caller's earlier entries stay.
        QCOMPARE(scanLines("a ERROR\nb", lines), 8);
        QCOMPARE(lines.size(), size_t(2));
        QVERIFY(lines[1].scan.looksLikeError);
        // A pattern cut by a line break matches on neither side.
        lines.clear();
        const QByteArray cut = QByteArray(40, 'x') + "ERR\nOR" + QByteArray(40, 'y') + "\n";
        QCOMPARE(scanLines(cut, lines), cut.size());
        QCOMPARE(lines.size(), size_t(2));
        QVERIFY(!lines[0].scan.looksLikeError);
        QVERIFY(!lines[1].scan.looksLikeError);
    }
};

VIBEML_TEST_MAIN_CORE(TestLineScan)
#include "tst_linescan.moc"
