#include "joblog/JobLogModel.h"
#include "joblog/JobLogPanel.h"
#include "joblog/JobLogView.h"
#include "joblog/JobProgressStrip.h"
#include "charts/Charts.h"
#include "charts/LinkedCharts.h"
#include "joblog/LossChart.h"

#include "GuiTestMain.h"

#include <QFile>
#include <QLineSeries>
#include <QListView>
#include <QScatterSeries>
#include <QTemporaryDir>
#include <QToolButton>

#include <cstdio>

using namespace vibeml;

// The panel's chart, as the linked-in charts draw it.
LossChart *lossChartOf(const JobLogPanel &panel)
{
    return qobject_cast<LossChart *>(panel.chart());
}

class TestJobLogPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { charts::useLinked(&charts::linkedCharts()); }

    void drawsEveryStepOfARunAsTheFakeSkyPrintsIt()
    {
        // 129 progress lines behind SkyPilot's "(task, pid=N) " prefix, among tqdm '\r' redraws.
        QTemporaryDir dir;
        const QString log = dir.filePath(QStringLiteral("train.log"));
        QVERIFY(test::writeFile(log, test::readFile(test::dataPath(QStringLiteral("joblog/fake-sky-run.log")))));
        JobLogPanel panel;
        panel.resize(900, 400);
        panel.show();
        panel.setLogFile(log);
        QTRY_VERIFY(panel.model()->rowCount() > 0);
        QTRY_COMPARE(lossChartOf(panel)->lossSeries()->count(), 129);
        QCOMPARE(panel.progress().step, qint64(1290));
    }

    void tailsTheLogAndDrawsTheCurve()
    {
        QTemporaryDir dir;
        const QString log = dir.filePath(QStringLiteral("train.log"));
        const QByteArray run = test::readFile(test::dataPath(QStringLiteral("joblog/failed-run.log")));
        const qsizetype half = run.indexOf("\"step\": 30") ;
        const qsizetype cut = run.indexOf('\n', half) + 1; // up to and including step 30's progress line
        QVERIFY(test::writeFile(log, run.first(cut)));

        JobLogPanel panel;
        panel.resize(900, 400);
        panel.show();
        QVERIFY(!lossChartOf(panel)->isShowingChart()); // a placeholder until the first step
        panel.setLogFile(log);
        QTRY_VERIFY(panel.model()->rowCount() > 0);
        QTRY_COMPARE(lossChartOf(panel)->lossSeries()->count(), 3);
        QVERIFY(lossChartOf(panel)->isShowingChart());
        QCOMPARE(lossChartOf(panel)->learningRateSeries()->count(), 3);
        QCOMPARE(panel.progress().step, qint64(30));
        QCOMPARE(panel.progressStrip()->progressText(), QStringLiteral("Step 30 of 90 (33%)"));
        QVERIFY(panel.progressStrip()->etaText().startsWith(QStringLiteral("ETA ")));

        // The job writes on: the rest arrives, with the failure.
        QFile file(log);
        QVERIFY(file.open(QIODevice::Append));
        file.write(run.sliced(cut));
        file.close();
        QTRY_COMPARE(panel.model()->rowCount(), int(run.count('\n')));
        QTRY_COMPARE(lossChartOf(panel)->lossSeries()->count(), 5);
        QCOMPARE(panel.model()->errorLineCount(), qint64(4));
        QTRY_COMPARE(panel.progressStrip()->etaText(), QStringLiteral("Failed (oom)"));
        QVERIFY(panel.logView()->jumpToFirstError());

        // Re-fetched after a restart: the file is replaced; nothing shows twice.
        const QString fresh = dir.filePath(QStringLiteral("train.log.new"));
        QVERIFY(test::writeFile(fresh, run));
        QVERIFY(std::rename(QFile::encodeName(fresh).constData(), QFile::encodeName(log).constData()) == 0);
        panel.tail().checkSoon();
        QTRY_COMPARE(panel.tail().position(), qint64(run.size()));
        QTRY_COMPARE(panel.model()->rowCount(), int(run.count('\n')));
        QCOMPARE(lossChartOf(panel)->lossSeries()->count(), 5);
        QCOMPARE(panel.model()->errorLineCount(), qint64(4));
    }

    void progressFromTheCallerAndCost()
    {
        JobLogPanel panel;
        jobs::TrainingProgress progress;
        progress.step = 120;
        progress.totalSteps = 300;
        progress.etaSeconds = 754;
        progress.updatedAt = 100;
        panel.setProgress(progress);
        QCOMPARE(panel.progressStrip()->progressText(), QStringLiteral("Step 120 of 300 (40%)"));
        QCOMPARE(panel.progressStrip()->etaText(), QStringLiteral("ETA 12 min"));
        QCOMPARE(panel.progressStrip()->value(), 120);
        QCOMPARE(panel.progressStrip()->maximum(), 300);

        jobs::TrainingProgress older = progress;
        older.step = 10;
        older.updatedAt = 50;
        panel.setProgress(older); // stale news does not move the bar back
        QCOMPARE(panel.progressStrip()->value(), 120);

        panel.setCost(4.1, 50.0);
        QCOMPARE(panel.progressStrip()->costText(), QStringLiteral("accrued $4.10 of cap $50.00"));
        panel.setCost(2.5, std::nullopt);
        QCOMPARE(panel.progressStrip()->costText(), QStringLiteral("accrued $2.50"));
        QCOMPARE(JobProgressStrip::formatDuration(3 * 3600 + 5 * 60), QStringLiteral("3 h 05 min"));
        QCOMPARE(JobProgressStrip::formatDuration(42), QStringLiteral("42s"));
    }

    void chartTakesPointsInBatches()
    {
        LossChart chart;
        QList<jobs::MetricPoint> points;
        for (int step = 10; step <= 1000; step += 10) {
            jobs::MetricPoint point;
            point.step = step;
            point.loss = 2.0 / step;
            point.learningRate = 2e-4;
            points.append(point);
        }
        chart.setPoints(points);
        QCOMPARE(chart.lossSeries()->count(), 100);
        QVERIFY(chart.isShowingChart());
        jobs::MetricPoint eval;
        eval.step = 1000;
        eval.evalLoss = 0.4;
        chart.appendPoint(eval);
        QCOMPARE(chart.evalLossSeries()->count(), 1);
        QCOMPARE(chart.lossSeries()->count(), 100);
        chart.clear();
        QCOMPARE(chart.lossSeries()->count(), 0);
        QVERIFY(!chart.isShowingChart());
    }
};

VIBEML_TEST_MAIN_GUI(TestJobLogPanel)
#include "tst_joblogpanel.moc"
