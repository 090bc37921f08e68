#include "joblog/JobLogModel.h"

#include "GuiTestMain.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QSignalSpy>

using namespace vibeml;

namespace {

QByteArray lines(int from, int count)
{
    QByteArray bytes;
    for (int i = from; i < from + count; ++i)
        bytes += "line " + QByteArray::number(i) + '\n';
    return bytes;
}

} // namespace

class TestJobLogModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rowsArriveOncePerFrame()
    {
        JobLogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &JobLogModel::rowsInserted);
        // Many small writes within one frame: nothing yet, then a single insertion.
        for (int i = 0; i < 100; ++i)
            model.appendBytes(lines(i * 10, 10));
        QCOMPARE(model.rowCount(), 0);
        QTRY_COMPARE(model.rowCount(), 1000);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.first().at(1).toInt(), 0);
        QCOMPARE(inserted.first().at(2).toInt(), 999);
        QCOMPARE(model.index(0).data().toString(), QStringLiteral("line 0"));
        QCOMPARE(model.index(999).data().toString(), QStringLiteral("line 999"));
        QCOMPARE(model.index(999).data(JobLogModel::LineNumberRole).toLongLong(), 1000);
    }

    void capRemovesOldRowsFromTheFront()
    {
        JobLogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setMaxLines(100);
        model.appendBytes(lines(0, 80));
        model.flush();
        QSignalSpy removed(&model, &JobLogModel::rowsRemoved);
        QSignalSpy inserted(&model, &JobLogModel::rowsInserted);
        model.appendBytes(lines(80, 50));
        model.flush();
        QCOMPARE(model.rowCount(), 100);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(removed.first().at(1).toInt(), 0);
        QCOMPARE(removed.first().at(2).toInt(), 29);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(model.index(0).data().toString(), QStringLiteral("line 30"));
        QCOMPARE(model.index(99).data().toString(), QStringLiteral("line 129"));
        QCOMPARE(model.totalLines(), qint64(130));

        // A batch larger than the cap replaces everything.
        model.appendBytes(lines(130, 1000));
        model.flush();
        QCOMPARE(model.rowCount(), 100);
        QCOMPARE(model.index(0).data().toString(), QStringLiteral("line 1030"));

        model.setMaxLines(10); // a smaller cap applies at once
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(model.index(0).data().toString(), QStringLiteral("line 1120"));
    }

    void rolesDescribeTheLine()
    {
        JobLogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy errors(&model, &JobLogModel::errorLineCountChanged);
        QSignalSpy events(&model, &JobLogModel::progressEvents);
        model.appendBytes("(t, pid=1) \x1b[32mstarting\x1b[0m\n"
                          "(t, pid=1) @@VIBEML@@ {\"event\": \"progress\", \"step\": 10, \"totalSteps\": 90, \"loss\": 1.5}\n"
                          "Traceback (most recent call last):\n");
        model.flush();
        QCOMPARE(model.index(0).data().toString(), QStringLiteral("(t, pid=1) starting"));
        QCOMPARE(model.index(0).data(Qt::AccessibleTextRole).toString(), QStringLiteral("(t, pid=1) starting"));
        QCOMPARE(model.line(0).spans.size(), size_t{1});
        QCOMPARE(model.index(1).data(JobLogModel::ProgressRole).toBool(), true);
        QCOMPARE(model.index(1).data(JobLogModel::ErrorRole).toBool(), false);
        QCOMPARE(model.index(2).data(JobLogModel::ErrorRole).toBool(), true);
        QCOMPARE(model.firstErrorRow(), 2);
        QCOMPARE(errors.count(), 1);
        QCOMPARE(errors.first().first().toLongLong(), 1);
        QCOMPARE(events.count(), 1);
        const auto received = events.first().first().value<QList<jobs::ProgressEvent>>();
        QCOMPARE(received.size(), 1);
        QCOMPARE(received.first().step.value_or(0), 10);
        QVERIFY(model.flags(model.index(0)) & Qt::ItemIsSelectable);
        QVERIFY(!(model.flags(model.index(0)) & Qt::ItemIsEditable));
        QVERIFY(!model.index(5).data().isValid());
    }

    void unfinishedLastLineOnlyWhenTheInputEnds()
    {
        JobLogModel model;
        model.appendBytes("complete\npartial");
        model.flush();
        QCOMPARE(model.rowCount(), 1);
        model.finishInput();
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.text(1), QStringLiteral("partial"));
    }

    void clearStartsANewLog()
    {
        JobLogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.appendBytes("ERROR: one\nhalf a li");
        model.flush();
        QSignalSpy reset(&model, &JobLogModel::modelReset);
        model.clear();
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.errorLineCount(), qint64(0));
        model.appendBytes("ne\n");
        model.flush();
        QCOMPARE(model.text(0), QStringLiteral("ne")); // the old unfinished line is gone
    }

    void bigBatchStaysFast()
    {
        // 200,000 lines through the model in one go: one insertion, well under a second.
        JobLogModel model;
        QSignalSpy inserted(&model, &JobLogModel::rowsInserted);
        const QByteArray bytes = lines(0, 200'000);
        QElapsedTimer timer;
        timer.start();
        model.appendBytes(bytes);
        model.flush();
        QCOMPARE(model.rowCount(), 200'000);
        QVERIFY(inserted.count() <= 2);
        QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
    }
};

VIBEML_TEST_MAIN_GUI(TestJobLogModel)
#include "tst_joblogmodel.moc"
