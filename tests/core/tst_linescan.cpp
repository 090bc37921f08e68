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
        scan.hasControls = scan.hasControls || byte < 0x20 || byte == 0x7f;
    }
    scan.looksLikeError = line.contains("ERROR") || line.contains("Error:") || line.contains("Traceback (most recent call last)");
    scan.hasProgressMarker = line.contains("@@VIBEML@@ ");
    return scan;
}

bool same(const LineScan &a, const LineScan &b)
{
    return a.hasControls == b.hasControls && a.hasNonAscii == b.hasNonAscii && a.looksLikeError == b.looksLikeError
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
        QCOMPARE(scan.hasControls, controls);
        QCOMPARE(scan.hasNonAscii, nonAscii);
        QCOMPARE(scan.looksLikeError, error);
        QCOMPARE(scan.hasProgressMarker, progress);
    }

    void agreesWithTheObviousScanEverywhere()
    {
        // Patterns at every offset and length around the 16-byte steps.
        QRandomGenerator random(7);
        const QByteArrayList pieces = {"ERROR", "Error:", "Traceback (most recent call last)", "@@VIBEML@@ ", "E", "T", "@",
                                       "\x1b[31m", "\t", "é", "█", "\x7f", "plain text ", "ERR", "@@VIBEML@"};
        for (int round = 0; round < 20000; ++round) {
            QByteArray line;
            const int parts = random.bounded(0, 6);
            for (int i = 0; i < parts; ++i) {
                line += QByteArray(random.bounded(0, 20), 'x');
                line += pieces.at(random.bounded(pieces.size()));
            }
            QVERIFY2(same(scanLine(line), reference(line)), line.toPercentEncoding().constData());
        }
    }
};

VIBEML_TEST_MAIN_CORE(TestLineScan)
#include "tst_linescan.moc"
