#include "TestSupport.h"
#include "jobs/TrainingProgress.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

using namespace vibeml::jobs;

class TestTrainingProgress : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesLinesAsSkyPrintsThem_data();
    void parsesLinesAsSkyPrintsThem();
    void ignoresOrdinaryAndDamagedLines_data();
    void ignoresOrdinaryAndDamagedLines();
    void foldsEventsIntoProgress();
    void roundTripsThroughJson();
    void summaryReadsWell();
    void numbersReadAsQJsonDocumentReadsThem();
};

void TestTrainingProgress::parsesLinesAsSkyPrintsThem_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<int>("kind");
    QTest::addColumn<qint64>("step");
    QTest::addColumn<double>("loss");

    QTest::newRow("progress after the task prefix")
        << QStringLiteral("(vibeml-qwen-x7k2p9, pid=3012) @@VIBEML@@ {\"event\": \"progress\", \"time\": 1795892398.22, "
                          "\"step\": 10, \"totalSteps\": 300, \"loss\": 1.6581, \"learningRate\": 0.000199, "
                          "\"epoch\": 0.03, \"tokensPerSecond\": 2740.5, \"etaSeconds\": 181, \"gpuMemoryGB\": 21.4}")
        << int(ProgressEvent::Kind::Progress) << qint64(10) << 1.6581;
    QTest::newRow("multi-node rank prefix, trailing colour reset")
        << QStringLiteral("(head, rank=0, pid=44) @@VIBEML@@ {\"event\":\"done\",\"time\":5,\"steps\":300,\"finalLoss\":0.41,"
                          "\"stoppedEarly\":false}\x1b[0m")
        << int(ProgressEvent::Kind::Done) << qint64(300) << 0.41;
    QTest::newRow("bare line") << QStringLiteral("@@VIBEML@@ {\"event\": \"eval\", \"time\": 3, \"step\": 40, \"evalLoss\": 0.5}")
                               << int(ProgressEvent::Kind::Eval) << qint64(40) << -1.0;
    QTest::newRow("unknown event name is still an event")
        << QStringLiteral("@@VIBEML@@ {\"event\": \"heartbeat\", \"time\": 3}") << int(ProgressEvent::Kind::Unknown) << qint64(-1) << -1.0;
}

void TestTrainingProgress::parsesLinesAsSkyPrintsThem()
{
    QFETCH(QString, line);
    QFETCH(int, kind);
    QFETCH(qint64, step);
    QFETCH(double, loss);
    const std::optional<ProgressEvent> event = parseProgressLine(line);
    QVERIFY(event);
    QCOMPARE(int(event->kind), kind);
    QCOMPARE(event->step.value_or(-1), step);
    QCOMPARE(event->loss.value_or(-1.0), loss);
}

void TestTrainingProgress::ignoresOrdinaryAndDamagedLines_data()
{
    QTest::addColumn<QString>("line");
    QTest::newRow("empty") << QString();
    QTest::newRow("trainer dict") << QStringLiteral("(task, pid=3) {'loss': 1.2, 'epoch': 0.1}");
    QTest::newRow("marker only") << QStringLiteral("@@VIBEML@@ ");
    QTest::newRow("truncated json") << QStringLiteral("@@VIBEML@@ {\"event\": \"progress\", \"step\": 1");
    QTest::newRow("not an object") << QStringLiteral("@@VIBEML@@ [1, 2, 3]");
    QTest::newRow("no event key") << QStringLiteral("@@VIBEML@@ {\"step\": 3}");
    QTest::newRow("event not a string") << QStringLiteral("@@VIBEML@@ {\"event\": 7}");
    QTest::newRow("garbage after marker") << QStringLiteral("@@VIBEML@@ {\x01\xff}}}");
}

void TestTrainingProgress::ignoresOrdinaryAndDamagedLines()
{
    QFETCH(QString, line);
    QVERIFY(!parseProgressLine(line));
}

void TestTrainingProgress::foldsEventsIntoProgress()
{
    TrainingProgress progress;
    QVERIFY(progress.isEmpty());
    const QStringList lines = {
        QStringLiteral("@@VIBEML@@ {\"event\": \"start\", \"time\": 1, \"totalSteps\": 100, \"resumedFromStep\": 20}"),
        QStringLiteral("@@VIBEML@@ {\"event\": \"progress\", \"time\": 2, \"step\": 30, \"loss\": 1.5, \"etaSeconds\": 700, \"tokensPerSecond\": 1000}"),
        QStringLiteral("@@VIBEML@@ {\"event\": \"progress\", \"time\": 3, \"step\": 50, \"loss\": 1.1, \"etaSeconds\": 500}"),
        QStringLiteral("@@VIBEML@@ {\"event\": \"checkpoint\", \"time\": 4, \"step\": 50, \"path\": \"outputs/checkpoint-50\"}"),
        // A progress line replayed out of order (re-attach) never moves the step backwards.
        QStringLiteral("@@VIBEML@@ {\"event\": \"progress\", \"time\": 2.5, \"step\": 40, \"loss\": 1.3}"),
    };
    for (const QString &line : lines)
        progress.apply(*parseProgressLine(line));
    QCOMPARE(progress.step, 50);
    QCOMPARE(progress.totalSteps, 100);
    QCOMPARE(progress.resumedFromStep.value_or(-1), 20);
    QCOMPARE(progress.lastCheckpoint, QStringLiteral("outputs/checkpoint-50"));
    QCOMPARE(progress.fraction(), 0.5);
    QVERIFY(!progress.done);

    progress.apply(*parseProgressLine(QStringLiteral("@@VIBEML@@ {\"event\": \"error\", \"time\": 5, \"kind\": \"oom\", \"message\": \"CUDA out of memory\"}")));
    QCOMPARE(progress.errorKind, QStringLiteral("oom"));
    progress.apply(*parseProgressLine(QStringLiteral("@@VIBEML@@ {\"event\": \"done\", \"time\": 6, \"steps\": 100, \"finalLoss\": 0.4, \"stoppedEarly\": true}")));
    QVERIFY(progress.done);
    QVERIFY(progress.stoppedEarly);
    QCOMPARE(progress.step, 100);
    QCOMPARE(progress.fraction(), 1.0);
    QCOMPARE(progress.updatedAt, 6.0);
}

void TestTrainingProgress::roundTripsThroughJson()
{
    TrainingProgress progress;
    progress.apply(*parseProgressLine(QStringLiteral("@@VIBEML@@ {\"event\": \"progress\", \"time\": 9, \"step\": 7, \"totalSteps\": 70, "
                                                     "\"loss\": 0.9, \"learningRate\": 0.0002, \"epoch\": 0.1, \"etaSeconds\": 60}")));
    const TrainingProgress back = TrainingProgress::fromJson(progress.toJson());
    QCOMPARE(back.step, 7);
    QCOMPARE(back.totalSteps, 70);
    QCOMPARE(back.loss.value_or(0), 0.9);
    QCOMPARE(back.learningRate.value_or(0), 0.0002);
    QCOMPARE(back.etaSeconds.value_or(0), 60.0);
    QCOMPARE(back.updatedAt, 9.0);
    QVERIFY(!back.evalLoss);
    // Hostile or damaged stored JSON reads as empty figures, not garbage.
    const TrainingProgress junk = TrainingProgress::fromJson(QJsonObject{{QStringLiteral("step"), QStringLiteral("x")},
                                                                         {QStringLiteral("loss"), QJsonValue()}});
    QCOMPARE(junk.step, 0);
    QVERIFY(!junk.loss);
}

void TestTrainingProgress::summaryReadsWell()
{
    TrainingProgress progress;
    QVERIFY(progress.summary().isEmpty());
    progress.apply(*parseProgressLine(QStringLiteral("@@VIBEML@@ {\"event\": \"progress\", \"time\": 9, \"step\": 120, \"totalSteps\": 300, "
                                                     "\"loss\": 0.41234, \"tokensPerSecond\": 2740.5, \"etaSeconds\": 725}")));
    QCOMPARE(progress.summary(), QStringLiteral("step 120/300 · loss 0.4123 · 2,741 tok/s · ETA 12m"));
}

void TestTrainingProgress::numbersReadAsQJsonDocumentReadsThem()
{
    // The line reader's own number parsing (a fast path for plain decimals) must give the very
    // double QJsonDocument gives, including where the fast path does not apply.
    QStringList numbers = {QStringLiteral("0"), QStringLiteral("-0"), QStringLiteral("0.0"), QStringLiteral("-0.0"),
                           QStringLiteral("2.1081"), QStringLiteral("0.0002"), QStringLiteral("1795892035.000"),
                           QStringLiteral("0.30000000000000004"), QStringLiteral("9007199254740992"),
                           QStringLiteral("9007199254740993"), QStringLiteral("18446744073709551615"),
                           QStringLiteral("123456789012345678901234567890"), QStringLiteral("0.1234567890123456789012345"),
                           QStringLiteral("1e-5"), QStringLiteral("2.5E+3"), QStringLiteral("-7.25e-300"),
                           QStringLiteral("1.7976931348623157e308"), QStringLiteral("4.9e-324"),
                           QStringLiteral("0.00000000000000000000001"), QStringLiteral("1.0000000000000000000000001")};
    QRandomGenerator random(20261129);
    for (int i = 0; i < 20000; ++i) {
        QString number = random.bounded(4) == 0 ? QStringLiteral("-") : QString();
        const int whole = random.bounded(1, 18);
        number += QString::number(random.bounded(1, 10));
        for (int d = 1; d < whole; ++d)
            number += QString::number(random.bounded(10));
        if (random.bounded(3) != 0) {
            number += QLatin1Char('.');
            const int fraction = random.bounded(1, 24);
            for (int d = 0; d < fraction; ++d)
                number += QString::number(random.bounded(10));
        }
        if (random.bounded(8) == 0)
            number += QStringLiteral("e%1").arg(random.bounded(-30, 30));
        numbers << number;
    }
    for (const QString &number : std::as_const(numbers)) {
        const QString json = QStringLiteral("{\"event\": \"progress\", \"step\": 1, \"loss\": %1}").arg(number);
        const std::optional<ProgressEvent> event = parseProgressLine(QString(QStringLiteral("@@VIBEML@@ ") + json));
        QVERIFY2(event && event->loss, qPrintable(number));
        const double expected = QJsonDocument::fromJson(json.toUtf8()).object().value(QLatin1String("loss")).toDouble();
        QVERIFY2(*event->loss == expected,
                 qPrintable(QStringLiteral("%1: %2 instead of %3").arg(number).arg(*event->loss, 0, 'g', 17).arg(expected, 0, 'g', 17)));
    }
}

VIBEML_TEST_MAIN_CORE(TestTrainingProgress)
#include "tst_trainingprogress.moc"
