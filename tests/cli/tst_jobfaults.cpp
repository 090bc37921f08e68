// The fault campaign: the real `vibeml` binary against the fake Hub and the fake `sky`, with the
// acting VibeML process SIGKILLed (by the fake, at a chosen command) at each step of the launch
// protocol, of monitoring and of teardown; then a restart (`vibeml monitor --until-idle`) must
// leave every cluster the fake has up known to the journal and torn down (or kept, by policy),
// and no job row lost or stuck.
#include "FakeHub.h"
#include "FakeSky.h"
#include "TestSupport.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace vibeml;

namespace {
const QString kVibeml = QStringLiteral(VIBEML_EXECUTABLE);
}

class TestJobFaults : public QObject
{
    Q_OBJECT

private:
    test::FakeHub m_hub;
    int m_case = 0;
    QString m_root;
    std::unique_ptr<test::FakeSky> m_sky;

    QStringList environment() const
    {
        const QString fakeSkyDir = QFileInfo(test::FakeSky::program()).absolutePath();
        QStringList environment{QStringLiteral("HF_ENDPOINT=") + m_hub.url().toString(),
                                QStringLiteral("HF_DATASETS_SERVER=") + m_hub.url().toString(),
                                QStringLiteral("XDG_CACHE_HOME=") + m_root + QStringLiteral("/cache"),
                                QStringLiteral("XDG_CONFIG_HOME=") + m_root + QStringLiteral("/config"),
                                QStringLiteral("XDG_DATA_HOME=") + m_root + QStringLiteral("/data"),
                                QStringLiteral("XDG_STATE_HOME=") + m_root + QStringLiteral("/state"),
                                QStringLiteral("HOME=") + m_root + QStringLiteral("/home"),
                                QStringLiteral("PATH=") + fakeSkyDir + QLatin1Char(':') + qEnvironmentVariable("PATH"),
                                QStringLiteral("VIBEML_POLL_SECONDS=1"),
                                QStringLiteral("DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/vibeml-bus")};
        return environment + m_sky->environment();
    }

    test::ProcessResult run(const QStringList &arguments, int timeoutMs = 60000)
    {
        return test::runProcess(kVibeml, arguments, {}, environment(), {QStringLiteral("HF_TOKEN")}, timeoutMs);
    }

    test::ProcessResult launch(const QStringList &extra = {})
    {
        return run(QStringList{QStringLiteral("launch-training"), QStringLiteral("--model"), QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct"),
                               QStringLiteral("--dataset"), QStringLiteral("HuggingFaceH4/ultrachat_200k"), QStringLiteral("--max-steps"),
                               QStringLiteral("50"), QStringLiteral("--yes")}
                   + extra);
    }

    QJsonArray jobs()
    {
        const test::ProcessResult listed = run({QStringLiteral("jobs"), QStringLiteral("list"), QStringLiteral("--json"), QStringLiteral("--all")});
        return QJsonDocument::fromJson(listed.out).object().value(QStringLiteral("jobs")).toArray();
    }

    QStringList clustersUp() const
    {
        const QJsonObject state = QJsonDocument::fromJson(test::readFile(m_sky->stateDirectory() + QStringLiteral("/state.json"))).object();
        return state.value(QStringLiteral("clusters")).toObject().keys();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_hub.start()); }

    void init()
    {
        m_root = test::isolatedRoot() + QStringLiteral("/faults-%1").arg(++m_case);
        QDir().mkpath(m_root);
        m_sky = std::make_unique<test::FakeSky>();
        m_sky->set(QStringLiteral("job_seconds"), 2.5);
    }

    void survivesAKillAtEveryStep_data()
    {
        QTest::addColumn<QString>("launchFault");   // the launch-training process is killed here
        QTest::addColumn<QString>("monitorFault");  // then a monitor is killed here
        QTest::addColumn<QString>("outcome");       // what the job finally reports

        QTest::newRow("killed as sky launch starts (nothing created)") << QStringLiteral("launch:kill_caller") << QString() << QStringLiteral("failed");
        QTest::newRow("killed while sky launch runs (it carries on)") << QStringLiteral("launch:kill_caller_midway") << QString() << QStringLiteral("succeeded");
        QTest::newRow("killed before reading sky launch's answer") << QStringLiteral("launch:kill_caller_after") << QString() << QStringLiteral("succeeded");
        QTest::newRow("monitor killed polling sky status") << QString() << QStringLiteral("status:kill_caller") << QStringLiteral("succeeded");
        QTest::newRow("monitor killed polling sky queue") << QString() << QStringLiteral("queue:kill_caller_after") << QStringLiteral("succeeded");
        QTest::newRow("monitor killed following the log") << QString() << QStringLiteral("logs:kill_caller_midway") << QStringLiteral("succeeded");
        QTest::newRow("monitor killed as sky down starts") << QString() << QStringLiteral("down:kill_caller") << QStringLiteral("succeeded");
        QTest::newRow("monitor killed while sky down runs") << QString() << QStringLiteral("down:kill_caller_midway") << QStringLiteral("succeeded");
        QTest::newRow("monitor killed before reading sky down's answer") << QString() << QStringLiteral("down:kill_caller_after") << QStringLiteral("succeeded");
    }

    void survivesAKillAtEveryStep()
    {
        QFETCH(QString, launchFault);
        QFETCH(QString, monitorFault);
        QFETCH(QString, outcome);

        m_sky->setFaults(launchFault.isEmpty() ? QStringList{} : QStringList{launchFault});
        const test::ProcessResult launched = launch();
        if (launchFault.isEmpty()) {
            QVERIFY2(launched.exitCode == 0, launched.err.constData());
        } else {
            QVERIFY2(launched.crashed, "the fake was to kill launch-training");
            // The job's row was committed before sky ran.
            QCOMPARE(jobs().size(), 1);
        }
        if (!monitorFault.isEmpty()) {
            m_sky->setFaults({monitorFault});
            const test::ProcessResult killed = run({QStringLiteral("monitor"), QStringLiteral("--until-idle")}, 90000);
            QVERIFY2(killed.crashed, qPrintable(QStringLiteral("the fake was to kill the monitor at %1: %2").arg(monitorFault, QString::fromUtf8(killed.err))));
        }
        // The restart.
        m_sky->setFaults({});
        const test::ProcessResult restarted = run({QStringLiteral("monitor"), QStringLiteral("--until-idle")}, 120000);
        QVERIFY2(restarted.exitCode == 0, restarted.err.constData());

        // No orphan: the fake has no cluster up. No lost or stuck job: one row, done, with the right outcome.
        QCOMPARE(clustersUp(), QStringList());
        const QJsonArray all = jobs();
        QCOMPARE(all.size(), 1);
        const QJsonObject job = all.first().toObject();
        QCOMPARE(job.value(QStringLiteral("state")).toString(), QStringLiteral("done"));
        if (job.value(QStringLiteral("outcome")).toString() != outcome)
            qWarning().noquote() << run({QStringLiteral("jobs"), QStringLiteral("status"), job.value(QStringLiteral("id")).toString()}).out;
        QCOMPARE(job.value(QStringLiteral("outcome")).toString(), outcome);
        if (outcome == QLatin1String("succeeded")) {
            // The log survived the restarts, whole and once.
            const QByteArray log = test::readFile(job.value(QStringLiteral("logFile")).toString());
            QCOMPARE(log.count("\"event\": \"done\""), 1);
            QCOMPARE(log.count("\"event\": \"start\""), 1);
        } else {
            QCOMPARE(job.value(QStringLiteral("actualUsd")).toDouble(-1), 0.0);
        }
        // And nobody ever asked sky for autodown.
        for (const QStringList &arguments : m_sky->invocations())
            QVERIFY(!arguments.contains(QStringLiteral("--down")));
    }

    void keepsAClusterTheUserAskedToKeep()
    {
        QVERIFY(launch({QStringLiteral("--keep"), QStringLiteral("keep-up")}).exitCode == 0);
        m_sky->setFaults({QStringLiteral("logs:kill_caller_midway")});
        QVERIFY(run({QStringLiteral("monitor"), QStringLiteral("--until-idle")}, 90000).crashed);
        m_sky->setFaults({});
        QCOMPARE(run({QStringLiteral("monitor"), QStringLiteral("--until-idle")}, 120000).exitCode, 0);
        const QJsonObject job = jobs().first().toObject();
        QCOMPARE(job.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        QVERIFY(job.value(QStringLiteral("settled")).toBool());
        QCOMPARE(clustersUp(), QStringList{job.value(QStringLiteral("cluster")).toString()});
        // Known to the journal, so not an orphan; `jobs down` removes it and says so.
        const test::ProcessResult orphans = run({QStringLiteral("jobs"), QStringLiteral("orphans"), QStringLiteral("--json")});
        QCOMPARE(QJsonDocument::fromJson(orphans.out).object().value(QStringLiteral("orphans")).toArray().size(), 0);
        const test::ProcessResult down = run({QStringLiteral("jobs"), QStringLiteral("down"), job.value(QStringLiteral("id")).toString()});
        QVERIFY2(down.exitCode == 0, down.err.constData());
        QCOMPARE(clustersUp(), QStringList());
        QCOMPARE(jobs().first().toObject().value(QStringLiteral("state")).toString(), QStringLiteral("done"));
    }

    void aSecondMonitorStandsBy()
    {
        m_sky->set(QStringLiteral("job_seconds"), 5);
        QVERIFY(launch().exitCode == 0);
        // Two monitors at once (a systemd service and a terminal, say): one acts, one stands by.
        QProcess first;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("HF_TOKEN"));
        for (const QString &entry : environment())
            env.insert(entry.section(QLatin1Char('='), 0, 0), entry.section(QLatin1Char('='), 1));
        first.setProcessEnvironment(env);
        first.start(kVibeml, {QStringLiteral("monitor"), QStringLiteral("--until-idle")});
        QVERIFY(first.waitForStarted());
        QTest::qWait(1500);
        const test::ProcessResult second = run({QStringLiteral("monitor"), QStringLiteral("--until-idle")}, 120000);
        QCOMPARE(second.exitCode, 0);
        QVERIFY(first.state() == QProcess::NotRunning || first.waitForFinished(60000));
        QCOMPARE(first.exitCode(), 0);
        const QByteArray both = first.readAllStandardError() + second.err;
        QVERIFY2(both.contains("standing by"), both.constData());
        int downs = 0;
        for (const QStringList &arguments : m_sky->invocations())
            downs += arguments.value(0) == QLatin1String("down") ? 1 : 0;
        QCOMPARE(downs, 1);
        QCOMPARE(clustersUp(), QStringList());
        const QJsonObject job = jobs().first().toObject();
        if (job.value(QStringLiteral("state")).toString() != QLatin1String("done"))
            qWarning().noquote() << run({QStringLiteral("jobs"), QStringLiteral("status"), job.value(QStringLiteral("id")).toString()}).out
                                 << both;
        QCOMPARE(job.value(QStringLiteral("state")).toString(), QStringLiteral("done"));
    }
};

VIBEML_TEST_MAIN_CORE(TestJobFaults)
#include "tst_jobfaults.moc"
