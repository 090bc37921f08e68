#include "common/TerminalText.h"

#include "TestSupport.h"

using namespace vibeml;

class TestTerminalText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stripsAnsi_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("plain");
        QTest::newRow("plain") << QByteArray("no colour here") << QByteArray("no colour here");
        QTest::newRow("colour") << QByteArray("\x1b[32mUP\x1b[0m  30m") << QByteArray("UP  30m");
        QTest::newRow("bold multi") << QByteArray("\x1b[1;33mWARNING\x1b[39;22m: x") << QByteArray("WARNING: x");
        QTest::newRow("cursor moves") << QByteArray("a\x1b[2K\x1b[1Gb") << QByteArray("ab");
        QTest::newRow("osc title bel") << QByteArray("\x1b]0;title\x07text") << QByteArray("text");
        QTest::newRow("osc st") << QByteArray("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\") << QByteArray("link");
        QTest::newRow("charset") << QByteArray("\x1b(Bok") << QByteArray("ok");
        QTest::newRow("cut off csi") << QByteArray("text\x1b[3") << QByteArray("text");
        QTest::newRow("lone escape") << QByteArray("end\x1b") << QByteArray("end");
        QTest::newRow("utf8 kept") << QByteArray("\x1b[1m✓ Job finished\x1b[0m") << QByteArray("✓ Job finished");
    }

    void stripsAnsi()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, plain);
        QCOMPARE(terminal::stripAnsi(QByteArrayView(input)), plain);
        QCOMPARE(terminal::stripAnsi(QString::fromUtf8(input)), QString::fromUtf8(plain));
    }

    void carriageReturns_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QByteArray>("shown");
        QTest::newRow("none") << QByteArray("plain") << QByteArray("plain");
        QTest::newRow("tqdm") << QByteArray(" 10%|█ | 1/10\r 20%|██ | 2/10\r100%|████| 10/10") << QByteArray("100%|████| 10/10");
        QTest::newRow("crlf") << QByteArray("windows line\r") << QByteArray("windows line");
        QTest::newRow("redraw then crlf") << QByteArray("a\rbb\r") << QByteArray("bb");
        QTest::newRow("only cr") << QByteArray("\r\r") << QByteArray("");
    }

    void carriageReturns()
    {
        QFETCH(QByteArray, line);
        QFETCH(QByteArray, shown);
        QCOMPARE(terminal::lastCarriageReturnSegment(line).toByteArray(), shown);
    }

    void garbageIsSafe()
    {
        QByteArray garbage;
        for (int i = 0; i < 100000; ++i)
            garbage.append(static_cast<char>((i * 7919) % 256));
        const QByteArray cleaned = terminal::stripAnsi(QByteArrayView(garbage));
        QVERIFY(cleaned.size() <= garbage.size());
        QVERIFY(!cleaned.contains('\x1b'));
    }
};

VIBEML_TEST_MAIN_CORE(TestTerminalText)
#include "tst_terminaltext.moc"
