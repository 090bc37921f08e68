// Proves the fake `sky` (tests/fakes/fake_sky/sky) behaves like the real CLI where VibeML looks:
// the exact texts and table layouts of skypilot.md §(b), the exit codes, the time-driven cluster
// and job lifecycle, and every injectable fault. Other tests drive VibeML against this fake, so a
// fake that drifted from the real CLI would make them prove nothing.
#include "TestSupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStringDecoder>

#include <memory>
#include <utility>
#include <vector>

using vibeml::test::ProcessResult;

namespace {

QString fakeSky()
{
    return QStringLiteral(FAKE_SKY);
}

QString stripAnsi(const QString &text)
{
    static const QRegularExpression ansi(QStringLiteral("\\x1b\\[[0-9;]*m"));
    QString copy = text;
    return copy.remove(ansi);
}

QString plain(const QByteArray &bytes)
{
    return stripAnsi(QString::fromUtf8(bytes));
}

bool isValidUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString decoded = decoder(bytes);
    Q_UNUSED(decoded);
    return !decoder.hasError();
}

// The cells of a prettytable row, sliced at the offsets where each header word starts.
QMap<QString, QString> cells(const QString &header, const QString &row, const QStringList &columns)
{
    QList<qsizetype> starts;
    qsizetype from = 0;
    for (const QString &column : columns) {
        const qsizetype at = header.indexOf(column, from);
        if (at < 0)
            return {};
        starts.append(at);
        from = at + column.size();
    }
    QMap<QString, QString> result;
    for (qsizetype i = 0; i < columns.size(); ++i) {
        const qsizetype end = i + 1 < columns.size() ? starts.at(i + 1) : row.size();
        result.insert(columns.at(i), row.mid(starts.at(i), end - starts.at(i)).trimmed());
    }
    return result;
}

// The line after the one that starts with `first` (the header), split into cells.
QMap<QString, QString> firstRow(const QString &output, const QString &first, const QStringList &columns)
{
    const QStringList lines = output.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
        if (lines.at(i).startsWith(first))
            return cells(lines.at(i), lines.at(i + 1), columns);
    }
    return {};
}

QList<QJsonObject> progressEvents(const QString &log)
{
    QList<QJsonObject> events;
    const QString marker = QStringLiteral("@@VIBEML@@ ");
    for (const QString &line : log.split(QLatin1Char('\n'))) {
        const qsizetype at = line.indexOf(marker);
        if (at >= 0)
            events.append(QJsonDocument::fromJson(line.mid(at + marker.size()).toUtf8()).object());
    }
    return events;
}

QStringList statusColumns()
{
    return {QStringLiteral("NAME"),   QStringLiteral("INFRA"),    QStringLiteral("RESOURCES"),
            QStringLiteral("STATUS"), QStringLiteral("AUTOSTOP"), QStringLiteral("LAUNCHED")};
}

QStringList queueColumns()
{
    return {QStringLiteral("ID"),        QStringLiteral("NAME"),    QStringLiteral("USER"),
            QStringLiteral("SUBMITTED"), QStringLiteral("STARTED"), QStringLiteral("DURATION"),
            QStringLiteral("RESOURCES"), QStringLiteral("STATUS"),  QStringLiteral("LOG"),
            QStringLiteral("GIT COMMIT")};
}

// One fake installation: its own state folder, config.json and task bundle.
class Sky
{
public:
    Sky()
    {
        static int counter = 0;
        m_root = vibeml::test::isolatedRoot() + QStringLiteral("/sky-%1").arg(++counter);
        m_state = m_root + QStringLiteral("/state");
        QDir().mkpath(m_state);
        m_task = m_root + QStringLiteral("/bundle/task.yaml");
        vibeml::test::writeFile(m_task,
                                "name: vibeml-qwen-x7k2p9\n"
                                "resources:\n"
                                "  infra: nebius/eu-north1\n"
                                "  accelerators: H100:1\n"
                                "  disk_size: 200\n"
                                "  autostop:\n"
                                "    idle_minutes: 30\n"
                                "envs:\n"
                                "  HF_HUB_ENABLE_HF_TRANSFER: \"1\"\n"
                                "secrets:\n"
                                "  HF_TOKEN: ~\n"
                                "setup: |\n"
                                "  pip install -r requirements.txt\n"
                                "run: |\n"
                                "  python train.py\n");
        vibeml::test::writeFile(m_root + QStringLiteral("/bundle/job.json"),
                                R"({"schema":1,"model":{"id":"Qwen/Qwen2.5-0.5B-Instruct"},)"
                                R"("dataset":{"id":"openai/gsm8k"},"method":"lora"})");
        configure({});
    }

    QString state() const { return m_state; }
    QString task() const { return m_task; }
    QString token() const { return m_token; }

    // Fast defaults, so the whole file runs in seconds; `extra` overrides them.
    void configure(const QJsonObject &extra)
    {
        QJsonObject config {{QStringLiteral("provision_seconds"), 0.2},
                            {QStringLiteral("job_seconds"), 0.6},
                            {QStringLiteral("log_delay"), 0.005}};
        for (auto it = extra.begin(); it != extra.end(); ++it)
            config.insert(it.key(), it.value());
        vibeml::test::writeFile(m_state + QStringLiteral("/config.json"), QJsonDocument(config).toJson());
    }

    ProcessResult run(const QStringList &arguments, const QStringList &extraEnvironment = {},
                      int timeoutMs = 20000) const
    {
        QStringList environment {QStringLiteral("FAKE_SKY_STATE=") + m_state, QStringLiteral("HF_TOKEN=") + m_token};
        environment += extraEnvironment;
        return vibeml::test::runProcess(fakeSky(), arguments, {}, environment,
                                        QStringList {QStringLiteral("FAKE_SKY_FAULTS"),
                                                     QStringLiteral("FAKE_SKY_COLOR"),
                                                     QStringLiteral("SKYPILOT_API_SERVER_ENDPOINT")},
                                        timeoutMs);
    }

    ProcessResult launch(const QString &cluster, const QStringList &extra = {},
                         const QStringList &environment = {}) const
    {
        QStringList arguments {
            QStringLiteral("launch"),   QStringLiteral("-y"),      QStringLiteral("-d"), QStringLiteral("-c"), cluster,
            QStringLiteral("--secret"), QStringLiteral("HF_TOKEN")};
        arguments += extra;
        arguments << m_task;
        return run(arguments, environment);
    }

    QString clusterStatus(const QString &cluster) const
    {
        const QString out = plain(run({QStringLiteral("status"), cluster}).out);
        return firstRow(out, QStringLiteral("NAME"), statusColumns()).value(QStringLiteral("STATUS"));
    }

    QList<QJsonArray> invocations() const
    {
        QList<QJsonArray> result;
        const QByteArray log = vibeml::test::readFile(m_state + QStringLiteral("/invocations.log"));
        for (const QByteArray &line : log.split('\n')) {
            if (!line.isEmpty())
                result.append(QJsonDocument::fromJson(line).array());
        }
        return result;
    }

private:
    QString m_root;
    QString m_state;
    QString m_task;
    QString m_token = vibeml::test::fakeHuggingFaceToken();
};

QStringList faults(const QString &list)
{
    return {QStringLiteral("FAKE_SKY_FAULTS=") + list};
}

} // namespace

class TestFakeSky : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void refusesToRunWithoutAStateFolder()
    {
        const ProcessResult result = vibeml::test::runProcess(fakeSky(), {QStringLiteral("status")}, {}, {},
                                                              {QStringLiteral("FAKE_SKY_STATE")});
        QCOMPARE(result.exitCode, 1);
        QVERIFY(result.err.contains("FAKE_SKY_STATE"));
        QVERIFY(result.out.isEmpty());
    }

    void versionAndCommit()
    {
        Sky sky;
        for (const QString &flag : {QStringLiteral("-v"), QStringLiteral("--version")}) {
            const ProcessResult result = sky.run({flag});
            QCOMPARE(result.exitCode, 0);
            QCOMPARE(result.out, QByteArray("skypilot, version 0.10.3\n"));
        }
        const ProcessResult commit = sky.run({QStringLiteral("-c")});
        QCOMPARE(commit.exitCode, 0);
        QVERIFY(QRegularExpression(QStringLiteral("^skypilot, commit [0-9a-f]{40}\n$"))
                    .match(QString::fromUtf8(commit.out))
                    .hasMatch());
        sky.configure({{QStringLiteral("version"), QStringLiteral("0.11.1")}});
        QCOMPARE(sky.run({QStringLiteral("-v")}).out, QByteArray("skypilot, version 0.11.1\n"));
    }

    void apiInfoHasTheRealLayout()
    {
        Sky sky;
        const ProcessResult result = sky.run({QStringLiteral("api"), QStringLiteral("info")});
        QCOMPARE(result.exitCode, 0);
        const QStringList lines = QString::fromUtf8(result.out).split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 6);
        QVERIFY(QRegularExpression(QStringLiteral("^SkyPilot client version: 0\\.10\\.3, commit: [0-9a-f]{40}$"))
                    .match(lines.at(0))
                    .hasMatch());
        QCOMPARE(lines.at(1), QStringLiteral("Using SkyPilot API server and dashboard: http://127.0.0.1:46580"));
        QVERIFY(lines.at(2).startsWith(QStringLiteral("├── Status: ApiServerStatus.HEALTHY, commit: ")));
        QVERIFY(lines.at(2).endsWith(QStringLiteral(", version: 0.10.3")));
        QVERIFY(lines.at(3).startsWith(QStringLiteral("├── User: ")));
        QCOMPARE(lines.at(4), QStringLiteral("└── Endpoint set to default local API server."));
        // The first call that needs the API server announces the local server it started, once.
        QVERIFY(result.err.contains("SkyPilot API server started."));
        QVERIFY(!sky.run({QStringLiteral("api"), QStringLiteral("info")}).err.contains("started"));
    }

    void checkEnabledAndDisabled()
    {
        Sky sky;
        const ProcessResult enabled = sky.run({QStringLiteral("check"), QStringLiteral("nebius")});
        QCOMPARE(enabled.exitCode, 0);
        QVERIFY(enabled.out.contains("\x1b[")); // `sky check` forces colour
        const QString text = plain(enabled.out);
        QVERIFY(text.startsWith(QStringLiteral("Checking credentials to enable infra for SkyPilot.\n")));
        QVERIFY(text.contains(QStringLiteral("\n  Nebius: enabled [compute, storage]\n")));
        QVERIFY(text.contains(QStringLiteral("\n🎉 Enabled infra 🎉\n  Nebius [compute, storage]\n")));
        QVERIFY(text.contains(QStringLiteral("Using SkyPilot API server: http://127.0.0.1:46580")));

        const ProcessResult disabled = sky.run({QStringLiteral("check"), QStringLiteral("nebius")},
                                               faults(QStringLiteral("credentials_disabled")));
        QCOMPARE(disabled.exitCode, 0);
        const QString reason = plain(disabled.out);
        QVERIFY(reason.contains(QStringLiteral("\n  Nebius: disabled")));
        QVERIFY(reason.contains(QStringLiteral("    Reason [compute]: ")));
        QVERIFY(reason.contains(QStringLiteral("~/.nebius/credentials.json")));
        QVERIFY(reason.contains(QStringLiteral("NEBIUS_TENANT_ID.txt")));
        QVERIFY(reason.contains(QStringLiteral("No infra to check/enabled.")));

        const ProcessResult launch
            = sky.launch(QStringLiteral("nocreds"), {}, faults(QStringLiteral("credentials_disabled")));
        QCOMPARE(launch.exitCode, 1);
        QVERIFY(plain(launch.err)
                    .contains(QStringLiteral(
                        "sky.exceptions.NoCloudAccessError: Cloud access is not set up. Run: sky check")));
        QVERIFY(plain(sky.run({QStringLiteral("status")}).out).contains(QStringLiteral("No existing clusters.")));
    }

    void launchStatusQueueLogsDown()
    {
        Sky sky;
        sky.configure({{QStringLiteral("provision_seconds"), 1.5}});
        const QString name = QStringLiteral("vibeml-life-1");
        const ProcessResult launch = sky.launch(name, {QStringLiteral("-i"), QStringLiteral("45")});
        QCOMPARE(launch.exitCode, 0);
        const QString launched = plain(launch.out);
        QVERIFY(launched.startsWith(QStringLiteral("YAML to run: ") + sky.task() + QLatin1Char('\n')));
        QVERIFY(launched.contains(QStringLiteral("Considered resources (1 node):\n")));
        // The optimizer's framed table: dashed rules above and below the header and at the end.
        QVERIFY(
            QRegularExpression(
                QStringLiteral("\\(1 node\\):\\n-{20,}\\n INFRA {2,}INSTANCE {2,}vCPUs {2,}Mem\\(GB\\) {2,}GPUS {2,}"
                               "COST \\(\\$\\) {2,}CHOSEN {2,}\\n-{20,}\\n"))
                .match(launched)
                .hasMatch());
        QVERIFY(launched.contains(
            QStringLiteral(" Nebius (eu-north1)   gpu-h100-sxm_1gpu-16vcpu-200gb   16      200       H100:1   2.95 ")));
        QVERIFY(launched.contains(QStringLiteral("⚙︎ Job submitted, ID: 1\n")));
        QVERIFY(launched.contains(QStringLiteral("📋 Useful Commands\nJob ID: 1\n")));
        QVERIFY(launched.contains(QStringLiteral("Cluster name: ") + name + QLatin1Char('\n')));

        // Provisioning: INIT first, then UP.
        const QString status = plain(sky.run({QStringLiteral("status")}).out);
        QVERIFY(status.startsWith(QStringLiteral("Enabled Infra: nebius\n\nClusters\n")));
        QVERIFY(status.contains(
            QStringLiteral("\nManaged jobs\nNo in-progress managed jobs.\n\nServices\nNo live services.\n")));
        QMap<QString, QString> row = firstRow(status, QStringLiteral("NAME"), statusColumns());
        QCOMPARE(row.value(QStringLiteral("NAME")), name);
        QCOMPARE(row.value(QStringLiteral("INFRA")), QStringLiteral("Nebius (eu-north1)"));
        QCOMPARE(row.value(QStringLiteral("RESOURCES")), QStringLiteral("1x(gpus=H100:1, ...)"));
        QCOMPARE(row.value(QStringLiteral("STATUS")), QStringLiteral("INIT"));
        QCOMPARE(row.value(QStringLiteral("AUTOSTOP")), QStringLiteral("45m"));
        QCOMPARE(row.value(QStringLiteral("LAUNCHED")), QStringLiteral("a few secs ago"));
        // prettytable layout: every column is its widest cell plus two spaces, the last one too.
        const QStringList lines = status.split(QLatin1Char('\n'));
        qsizetype header = -1;
        for (qsizetype i = 0; i < lines.size() && header < 0; ++i) {
            if (lines.at(i).startsWith(QStringLiteral("NAME ")))
                header = i;
        }
        QVERIFY(header > 0);
        QVERIFY(lines.at(header).startsWith(QStringLiteral("NAME") + QString(name.size() - 4 + 2, QLatin1Char(' '))
                                            + QStringLiteral("INFRA")));
        QVERIFY(lines.at(header).endsWith(QStringLiteral("LAUNCHED        ")));
        QCOMPARE(lines.at(header).size(), lines.at(header + 1).size());
        QTRY_COMPARE_WITH_TIMEOUT(sky.clusterStatus(name), QStringLiteral("UP"), 5000);

        // The job queue.
        const QString queue = plain(sky.run({QStringLiteral("queue"), name}).out);
        QVERIFY(queue.startsWith(
            QStringLiteral("Fetching and parsing job queue...\n\nJob queue of current user on cluster ") + name
            + QLatin1Char('\n')));
        row = firstRow(queue, QStringLiteral("ID  "), queueColumns());
        QCOMPARE(row.value(QStringLiteral("ID")), QStringLiteral("1"));
        QCOMPARE(row.value(QStringLiteral("NAME")), QStringLiteral("vibeml-qwen-x7k2p9"));
        QCOMPARE(row.value(QStringLiteral("RESOURCES")), QStringLiteral("1x[H100:1]"));
        QVERIFY(QStringList({QStringLiteral("PENDING"), QStringLiteral("SETTING_UP"), QStringLiteral("RUNNING"),
                             QStringLiteral("SUCCEEDED")})
                    .contains(row.value(QStringLiteral("STATUS"))));
        QVERIFY(row.value(QStringLiteral("LOG")).startsWith(QStringLiteral("~/sky_logs/sky-")));
        QCOMPARE(row.value(QStringLiteral("GIT COMMIT")), QStringLiteral("-"));

        // Following the log until the job ends: the training script's progress lines arrive in order.
        const ProcessResult follow
            = sky.run({QStringLiteral("logs"), QStringLiteral("--follow"), name, QStringLiteral("1")});
        QCOMPARE(follow.exitCode, 0);
        QVERIFY(follow.out.contains('\r')); // tqdm bars redrawn in place
        QVERIFY(follow.out.contains("\x1b[33m")); // colours from the job's own output
        const QString log = plain(follow.out);
        QVERIFY(log.contains(QStringLiteral("(setup pid=")));
        QVERIFY(log.contains(QStringLiteral("(vibeml-qwen-x7k2p9, pid=")));
        QVERIFY(log.endsWith(QStringLiteral("✓ Job finished (status: SUCCEEDED).\n")));
        const QList<QJsonObject> events = progressEvents(log);
        QVERIFY(events.size() >= 6);
        QCOMPARE(events.first().value(QStringLiteral("event")).toString(), QStringLiteral("start"));
        QCOMPARE(events.first().value(QStringLiteral("model")).toString(),
                 QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct"));
        QCOMPARE(events.first().value(QStringLiteral("dataset")).toString(), QStringLiteral("openai/gsm8k"));
        QCOMPARE(events.last().value(QStringLiteral("event")).toString(), QStringLiteral("done"));
        double previousLoss = 1e9;
        int progress = 0;
        bool checkpoint = false;
        for (const QJsonObject &event : events) {
            QVERIFY(event.value(QStringLiteral("time")).toDouble() > 1.6e9);
            if (event.value(QStringLiteral("event")).toString() == QStringLiteral("progress")) {
                ++progress;
                QVERIFY(event.value(QStringLiteral("loss")).toDouble() < previousLoss);
                previousLoss = event.value(QStringLiteral("loss")).toDouble();
                QVERIFY(event.value(QStringLiteral("totalSteps")).toInt() > 0);
            }
            checkpoint = checkpoint || event.value(QStringLiteral("event")).toString() == QStringLiteral("checkpoint");
        }
        QVERIFY(progress >= 3);
        QVERIFY(checkpoint);

        const ProcessResult final
            = sky.run({QStringLiteral("logs"), QStringLiteral("--status"), name, QStringLiteral("1")});
        QCOMPARE(final.exitCode, 0);
        QCOMPARE(final.out, QByteArray("Job 1: SUCCEEDED\n"));
        const ProcessResult tail = sky.run({QStringLiteral("logs"), QStringLiteral("--no-follow"),
                                            QStringLiteral("--tail"), QStringLiteral("2"), name});
        QCOMPARE(tail.exitCode, 0);
        QCOMPARE(plain(tail.out).count(QStringLiteral("pid=")), 2);

        // Secrets: the name reaches the fake, the value never lands in its state or output.
        const QByteArray stateFile = vibeml::test::readFile(sky.state() + QStringLiteral("/state.json"));
        QVERIFY(stateFile.contains("HF_TOKEN"));
        QVERIFY(!stateFile.contains(sky.token().toUtf8()));
        QVERIFY(!launch.out.contains(sky.token().toUtf8()) && !follow.out.contains(sky.token().toUtf8()));

        const ProcessResult down = sky.run({QStringLiteral("down"), QStringLiteral("-y"), name});
        QCOMPARE(down.exitCode, 0);
        QCOMPARE(down.out, QStringLiteral("Terminating cluster %1...done.\n").arg(name).toUtf8());
        QVERIFY(plain(sky.run({QStringLiteral("status")}).out)
                    .contains(QStringLiteral("Clusters\nNo existing clusters.\n")));
        const ProcessResult again = sky.run({QStringLiteral("down"), QStringLiteral("-y"), name});
        QCOMPARE(again.exitCode, 0);
        QCOMPARE(again.out, QByteArray("Cluster(s) not found (tip: see sky status).\n"));
        const ProcessResult named = sky.run({QStringLiteral("status"), name, QStringLiteral("other")});
        QCOMPARE(named.exitCode, 0);
        QCOMPARE(plain(named.out),
                 QStringLiteral("Enabled Infra: nebius\n\nClusters\nClusters '%1', 'other' not found.\n").arg(name));
        // What it cost is still reported.
        QVERIFY(plain(sky.run({QStringLiteral("cost-report")}).out).contains(QStringLiteral("TERMINATED")));
    }

    void jobOutcomesAndExitCodes_data()
    {
        QTest::addColumn<QString>("outcome");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("mustContain");
        QTest::newRow("failed") << QStringLiteral("FAILED") << 100
                                << QStringLiteral("Traceback (most recent call last):");
        QTest::newRow("cancelled") << QStringLiteral("CANCELLED") << 103
                                   << QStringLiteral("Job finished (status: CANCELLED).");
    }

    void jobOutcomesAndExitCodes()
    {
        QFETCH(QString, outcome);
        QFETCH(int, exitCode);
        QFETCH(QString, mustContain);
        Sky sky;
        sky.configure({{QStringLiteral("job_outcome"), outcome}});
        const QString name = QStringLiteral("outcome-") + outcome.toLower();
        QCOMPARE(sky.launch(name).exitCode, 0);
        const ProcessResult follow = sky.run({QStringLiteral("logs"), name, QStringLiteral("1")});
        QCOMPARE(follow.exitCode, exitCode);
        QVERIFY(plain(follow.out).contains(mustContain));
        const QList<QJsonObject> events = progressEvents(plain(follow.out));
        QCOMPARE(events.first().value(QStringLiteral("event")).toString(), QStringLiteral("start"));
        if (outcome == QStringLiteral("FAILED"))
            QCOMPARE(events.last().value(QStringLiteral("event")).toString(), QStringLiteral("error"));
        for (const QJsonObject &event : events)
            QVERIFY(event.value(QStringLiteral("event")).toString() != QStringLiteral("done"));
        const ProcessResult status
            = sky.run({QStringLiteral("logs"), QStringLiteral("--status"), name, QStringLiteral("1")});
        QCOMPARE(status.exitCode, exitCode);
        QCOMPARE(status.out, QStringLiteral("Job 1: %1\n").arg(outcome).toUtf8());
    }

    void jobStatusCodesForRunningMissingAndCancelled()
    {
        Sky sky;
        sky.configure({{QStringLiteral("job_seconds"), 30.0}});
        const QString name = QStringLiteral("long-run");
        QCOMPARE(sky.launch(name).exitCode, 0);
        QCOMPARE(sky.run({QStringLiteral("logs"), QStringLiteral("--status"), name}).exitCode, 101);
        const ProcessResult missing
            = sky.run({QStringLiteral("logs"), QStringLiteral("--status"), name, QStringLiteral("7")});
        QCOMPARE(missing.exitCode, 102);
        QVERIFY(missing.out.startsWith("Job 7: None\n"));
        const ProcessResult cancel
            = sky.run({QStringLiteral("cancel"), QStringLiteral("-y"), name, QStringLiteral("1")});
        QCOMPARE(cancel.exitCode, 0);
        QVERIFY(cancel.out.contains("Cancelled job ID(s): 1"));
        const ProcessResult cancelled = sky.run({QStringLiteral("logs"), QStringLiteral("--status"), name});
        QCOMPARE(cancelled.exitCode, 103);
        QCOMPARE(cancelled.out, QByteArray("Job 1: CANCELLED\n"));
        // A cluster that does not exist is an exception (1), not a job code.
        const ProcessResult noCluster
            = sky.run({QStringLiteral("logs"), QStringLiteral("--status"), QStringLiteral("ghost")});
        QCOMPARE(noCluster.exitCode, 1);
        QVERIFY(noCluster.err.contains("sky.exceptions.ClusterDoesNotExist: Cluster 'ghost' does not exist."));
        const ProcessResult queue = sky.run({QStringLiteral("queue"), name, QStringLiteral("ghost")});
        QCOMPARE(queue.exitCode, 0);
        QVERIFY(plain(queue.out).contains(QStringLiteral("Failed to get the job queue for cluster 'ghost'.")));
        QVERIFY(plain(queue.out).contains(QStringLiteral("CANCELLED")));
    }

    void dryRunCreatesNothing()
    {
        Sky sky;
        const ProcessResult dry = sky.launch(QStringLiteral("dry-run"), {QStringLiteral("--dryrun")});
        QCOMPARE(dry.exitCode, 0);
        QVERIFY(plain(dry.out).contains(QStringLiteral("Considered resources (1 node):")));
        QVERIFY(!dry.out.contains("Job submitted"));
        QVERIFY(plain(sky.run({QStringLiteral("status")}).out).contains(QStringLiteral("No existing clusters.")));
    }

    void autodownIsRefusedOnNebius()
    {
        Sky sky;
        const ProcessResult launch = sky.launch(QStringLiteral("with-down"), {QStringLiteral("--down")});
        QCOMPARE(launch.exitCode, 1);
        QVERIFY(launch.err.contains(
            "sky.exceptions.NotSupportedError: The following features are not supported by Nebius:"));
        QVERIFY(launch.err.contains("autodown  Autodown not supported. Can't delete OS disk."));
        QCOMPARE(sky.launch(QStringLiteral("keeper")).exitCode, 0);
        const ProcessResult autostop
            = sky.run({QStringLiteral("autostop"), QStringLiteral("-y"), QStringLiteral("-i"), QStringLiteral("10"),
                       QStringLiteral("--down"), QStringLiteral("keeper")});
        QCOMPARE(autostop.exitCode, 1);
        QVERIFY(autostop.err.contains("autodown"));
        const ProcessResult plainAutostop
            = sky.run({QStringLiteral("autostop"), QStringLiteral("-y"), QStringLiteral("-i"), QStringLiteral("10"),
                       QStringLiteral("keeper")});
        QCOMPARE(plainAutostop.exitCode, 0);
        QVERIFY(plainAutostop.out.contains("The cluster will be autostopped after 10 minutes of idleness."));
        const QString status = plain(sky.run({QStringLiteral("status")}).out);
        QCOMPARE(firstRow(status, QStringLiteral("NAME"), statusColumns()).value(QStringLiteral("NAME")),
                 QStringLiteral("keeper"));
        QVERIFY(!status.contains(QStringLiteral("with-down")));
    }

    void invalidClusterNamesAreRefused_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("message");
        QTest::newRow("upper case and underscore") << QStringLiteral("Bad_Name") << QStringLiteral("is invalid");
        QTest::newRow("dot") << QStringLiteral("a.b") << QStringLiteral("is invalid");
        QTest::newRow("51 characters") << QString(51, QLatin1Char('a'))
                                       << QStringLiteral("has 51 chars; maximum length is 50 chars on Nebius.");
    }

    void invalidClusterNamesAreRefused()
    {
        QFETCH(QString, name);
        QFETCH(QString, message);
        Sky sky;
        const ProcessResult result = sky.launch(name);
        QCOMPARE(result.exitCode, 1);
        QVERIFY(result.err.contains("sky.exceptions.InvalidClusterNameError: "));
        QVERIFY(QString::fromUtf8(result.err).contains(message));
        QCOMPARE(sky.launch(QString(50, QLatin1Char('a')), {QStringLiteral("--dryrun")}).exitCode, 0);
    }

    void secretsMustBeSetAndArePassedByName()
    {
        Sky sky;
        // prepareTestProcess() removed WANDB_API_KEY from this process, so the child does not have it.
        const ProcessResult unset
            = sky.launch(QStringLiteral("no-secret"), {QStringLiteral("--secret"), QStringLiteral("WANDB_API_KEY")});
        QCOMPARE(unset.exitCode, 2);
        QVERIFY(unset.err.contains("Error: WANDB_API_KEY is not set in local environment."));
        // The task declares HF_TOKEN: null, so a launch without --secret fails too.
        const ProcessResult withoutFlag = sky.run({QStringLiteral("launch"), QStringLiteral("-y"), QStringLiteral("-d"),
                                                   QStringLiteral("-c"), QStringLiteral("no-flag"), sky.task()});
        QCOMPARE(withoutFlag.exitCode, 1);
        QVERIFY(withoutFlag.err.contains("HF_TOKEN"));
        QVERIFY(plain(sky.run({QStringLiteral("status")}).out).contains(QStringLiteral("No existing clusters.")));
    }

    void showGpusTables()
    {
        Sky sky;
        const ProcessResult h100 = sky.run(
            {QStringLiteral("show-gpus"), QStringLiteral("H100"), QStringLiteral("--infra"), QStringLiteral("nebius")});
        QCOMPARE(h100.exitCode, 0);
        QVERIFY(h100.err.contains("WARNING: `sky show-gpus` has been renamed to `sky gpus list`"));
        const QStringList columns {
            QStringLiteral("GPU"),           QStringLiteral("QTY"),          QStringLiteral("CLOUD"),
            QStringLiteral("INSTANCE_TYPE"), QStringLiteral("DEVICE_MEM"),   QStringLiteral("vCPUs"),
            QStringLiteral("HOST_MEM"),      QStringLiteral("HOURLY_PRICE"), QStringLiteral("HOURLY_SPOT_PRICE"),
            QStringLiteral("REGION")};
        const QString text = plain(h100.out);
        QVERIFY(text.startsWith(QStringLiteral("GPU   QTY  CLOUD   INSTANCE_TYPE ")));
        const QMap<QString, QString> row = firstRow(text, QStringLiteral("GPU "), columns);
        QCOMPARE(row.value(QStringLiteral("GPU")), QStringLiteral("H100"));
        QCOMPARE(row.value(QStringLiteral("QTY")), QStringLiteral("1"));
        QCOMPARE(row.value(QStringLiteral("CLOUD")), QStringLiteral("Nebius"));
        QCOMPARE(row.value(QStringLiteral("INSTANCE_TYPE")), QStringLiteral("gpu-h100-sxm_1gpu-16vcpu-200gb"));
        QCOMPARE(row.value(QStringLiteral("DEVICE_MEM")), QStringLiteral("80GB"));
        QCOMPARE(row.value(QStringLiteral("HOST_MEM")), QStringLiteral("200GB"));
        QCOMPARE(row.value(QStringLiteral("HOURLY_PRICE")), QStringLiteral("$ 2.950"));
        QCOMPARE(row.value(QStringLiteral("HOURLY_SPOT_PRICE")), QStringLiteral("$ 1.250"));
        QCOMPARE(row.value(QStringLiteral("REGION")), QStringLiteral("eu-north1"));
        QVERIFY(text.contains(QStringLiteral("$ 23.600")));

        const ProcessResult b200 = sky.run({QStringLiteral("gpus"), QStringLiteral("list"), QStringLiteral("B200")});
        QCOMPARE(b200.exitCode, 0);
        QVERIFY(!b200.err.contains("renamed"));
        QCOMPARE(firstRow(plain(b200.out), QStringLiteral("GPU "), columns).value(QStringLiteral("HOURLY_SPOT_PRICE")),
                 QStringLiteral("-"));
        const ProcessResult none = sky.run({QStringLiteral("gpus"), QStringLiteral("list"), QStringLiteral("H100:3"),
                                            QStringLiteral("--infra"), QStringLiteral("nebius")});
        QCOMPARE(none.exitCode, 0);
        QVERIFY(none.out.startsWith("Resources 'H100' with requested quantity 3 not found on Nebius."));
        const QString common = plain(sky.run({QStringLiteral("gpus"), QStringLiteral("list")}).out);
        QVERIFY(common.startsWith(QStringLiteral("COMMON_GPU  AVAILABLE_QUANTITIES  \n")));
        QVERIFY(common.contains(QStringLiteral("\nH100        1, 8  ")));

        // An older CLI: no `sky gpus`, and no warning from `sky show-gpus`.
        sky.configure({{QStringLiteral("gpus_list"), false}});
        const ProcessResult old = sky.run({QStringLiteral("gpus"), QStringLiteral("list")});
        QCOMPARE(old.exitCode, 2);
        QVERIFY(old.err.contains("Error: No such command 'gpus'."));
        QVERIFY(sky.run({QStringLiteral("show-gpus"), QStringLiteral("H100")}).err.isEmpty());
    }

    void jsonOutputIsFeatureDetected()
    {
        Sky sky;
        QCOMPARE(sky.launch(QStringLiteral("json-1")).exitCode, 0);
        const QList<QStringList> commands {{QStringLiteral("status")},
                                           {QStringLiteral("queue"), QStringLiteral("json-1")},
                                           {QStringLiteral("check")},
                                           {QStringLiteral("jobs"), QStringLiteral("queue")}};
        for (const QStringList &command : commands) {
            const ProcessResult old = sky.run(command + QStringList {QStringLiteral("-o"), QStringLiteral("json")});
            QCOMPARE(old.exitCode, 2);
            QVERIFY(old.err.contains("Error: No such option: -o"));
            QVERIFY(old.err.startsWith("Usage: sky "));
        }
        sky.configure({{QStringLiteral("json_output"), true}});
        const auto json = [&sky](const QStringList &command) {
            const ProcessResult result = sky.run(command + QStringList {QStringLiteral("-o"), QStringLiteral("json")});
            QJsonParseError error {};
            const QJsonDocument document = QJsonDocument::fromJson(result.out, &error);
            return std::make_pair(result.exitCode == 0 && error.error == QJsonParseError::NoError, document);
        };
        auto [statusOk, status] = json({QStringLiteral("status")});
        QVERIFY(statusOk);
        const QJsonObject cluster = status.object().value(QStringLiteral("clusters")).toArray().first().toObject();
        QCOMPARE(cluster.value(QStringLiteral("name")).toString(), QStringLiteral("json-1"));
        QCOMPARE(cluster.value(QStringLiteral("accelerators")).toString(), QStringLiteral("H100:1"));
        QVERIFY(cluster.value(QStringLiteral("launched_at")).toString().endsWith(QLatin1Char('Z')));
        auto [queueOk, queue] = json({QStringLiteral("queue"), QStringLiteral("json-1")});
        QVERIFY(queueOk);
        QCOMPARE(queue.object()
                     .value(QStringLiteral("jobs"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("job_id"))
                     .toInt(),
                 1);
        auto [checkOk, check] = json({QStringLiteral("check")});
        QVERIFY(checkOk);
        QCOMPARE(
            check.object().value(QStringLiteral("default")).toObject().value(QStringLiteral("Nebius")).toArray().size(),
            2);
        auto [jobsOk, jobs] = json({QStringLiteral("jobs"), QStringLiteral("queue")});
        QVERIFY(jobsOk);
        QVERIFY(jobs.object().contains(QStringLiteral("status_counts")));
        QCOMPARE(sky.run({QStringLiteral("status"), QStringLiteral("-o"), QStringLiteral("xml")}).exitCode, 2);
    }

    void managedJobs()
    {
        Sky sky;
        const ProcessResult empty = sky.run({QStringLiteral("jobs"), QStringLiteral("queue")});
        QCOMPARE(empty.exitCode, 0);
        QVERIFY(plain(empty.out).contains(QStringLiteral("No in-progress managed jobs.")));
        const ProcessResult launch = sky.run({QStringLiteral("jobs"), QStringLiteral("launch"), QStringLiteral("-y"),
                                              QStringLiteral("-d"), QStringLiteral("-n"), QStringLiteral("ft-managed"),
                                              QStringLiteral("--secret"), QStringLiteral("HF_TOKEN"), sky.task()});
        QCOMPARE(launch.exitCode, 0);
        const QString launched = plain(launch.out);
        QVERIFY(launched.contains(QStringLiteral(
            "Managed job 'ft-managed' will be launched on (estimated):\nConsidered resources (1 node):\n")));
        QVERIFY(launched.contains(QStringLiteral("⚙︎ Job submitted, ID: 1\n")));
        QVERIFY(launched.contains(QStringLiteral("\nManaged Job ID: 1\n")));
        const QStringList columns {QStringLiteral("ID"),           QStringLiteral("TASK"),
                                   QStringLiteral("NAME"),         QStringLiteral("REQUESTED"),
                                   QStringLiteral("SUBMITTED"),    QStringLiteral("TOT. DURATION"),
                                   QStringLiteral("JOB DURATION"), QStringLiteral("#RECOVERIES"),
                                   QStringLiteral("STATUS"),       QStringLiteral("POOL")};
        const QString queue = plain(sky.run({QStringLiteral("jobs"), QStringLiteral("queue")}).out);
        QVERIFY(
            queue.startsWith(QStringLiteral("Fetching managed job statuses...\nManaged jobs\nIn progress tasks: 1 ")));
        QMap<QString, QString> row = firstRow(queue, QStringLiteral("ID "), columns);
        QCOMPARE(row.value(QStringLiteral("NAME")), QStringLiteral("ft-managed"));
        QCOMPARE(row.value(QStringLiteral("REQUESTED")), QStringLiteral("1x[H100:1]"));
        QCOMPARE(row.value(QStringLiteral("#RECOVERIES")), QStringLiteral("0"));
        const ProcessResult logs = sky.run({QStringLiteral("jobs"), QStringLiteral("logs"), QStringLiteral("1")});
        QCOMPARE(logs.exitCode, 0);
        QCOMPARE(progressEvents(plain(logs.out)).last().value(QStringLiteral("event")).toString(),
                 QStringLiteral("done"));
        QVERIFY(plain(logs.out).endsWith(QStringLiteral("✓ Managed job finished: 1 (status: SUCCEEDED).\n")));
        row = firstRow(plain(sky.run({QStringLiteral("jobs"), QStringLiteral("queue")}).out), QStringLiteral("ID "),
                       columns);
        QCOMPARE(row.value(QStringLiteral("STATUS")), QStringLiteral("SUCCEEDED"));

        sky.configure({{QStringLiteral("job_seconds"), 30.0}});
        QCOMPARE(sky.run({QStringLiteral("jobs"), QStringLiteral("launch"), QStringLiteral("-y"), QStringLiteral("-d"),
                          QStringLiteral("-n"), QStringLiteral("second"), QStringLiteral("--secret"),
                          QStringLiteral("HF_TOKEN"), sky.task()})
                     .exitCode,
                 0);
        const ProcessResult cancel
            = sky.run({QStringLiteral("jobs"), QStringLiteral("cancel"), QStringLiteral("-y"), QStringLiteral("2")});
        QCOMPARE(cancel.exitCode, 0);
        QCOMPARE(cancel.out, QByteArray("Job with ID 2 is scheduled to be cancelled.\n"));
        QCOMPARE(sky.run({QStringLiteral("jobs"), QStringLiteral("logs"), QStringLiteral("--no-follow"),
                          QStringLiteral("2")})
                     .exitCode,
                 103);
    }

    void usageErrorsExitWithTwo_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("error");
        QTest::newRow("unknown command") << QStringList {QStringLiteral("bogus")}
                                         << QStringLiteral("Error: No such command 'bogus'.");
        QTest::newRow("unknown option") << QStringList {QStringLiteral("status"), QStringLiteral("--colour")}
                                        << QStringLiteral("Error: No such option: --colour");
        QTest::newRow("missing argument")
            << QStringList {QStringLiteral("logs")} << QStringLiteral("Error: Missing argument 'CLUSTER'.");
        QTest::newRow("not an integer") << QStringList {QStringLiteral("autostop"), QStringLiteral("-i"),
                                                        QStringLiteral("soon"), QStringLiteral("x")}
                                        << QStringLiteral("is not a valid integer.");
        QTest::newRow("unknown jobs command") << QStringList {QStringLiteral("jobs"), QStringLiteral("bogus")}
                                              << QStringLiteral("Error: No such command 'bogus'.");
    }

    void usageErrorsExitWithTwo()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, error);
        Sky sky;
        const ProcessResult result = sky.run(arguments);
        QCOMPARE(result.exitCode, 2);
        QVERIFY(result.out.isEmpty());
        QVERIFY(result.err.startsWith("Usage: sky"));
        QVERIFY(QString::fromUtf8(result.err).contains(error));
    }

    void hangIsKilledByTheCaller()
    {
        Sky sky;
        QElapsedTimer timer;
        timer.start();
        const ProcessResult result = sky.run({QStringLiteral("status")}, faults(QStringLiteral("hang")), 1000);
        QVERIFY(result.crashed); // runProcess killed it at the time limit
        QVERIFY(timer.elapsed() < 5000);
        QCOMPARE(result.out, QByteArray("Enabled Infra: nebius\n"));
    }

    void slowDelaysEveryCommand()
    {
        Sky sky;
        sky.configure(
            {{QStringLiteral("faults"), QJsonArray {QStringLiteral("slow")}}, {QStringLiteral("slow_seconds"), 0.6}});
        QElapsedTimer timer;
        timer.start();
        const ProcessResult result = sky.run({QStringLiteral("status")});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(timer.elapsed() >= 600);
    }

    void crashMidOutput()
    {
        Sky sky;
        const QByteArray whole = sky.run({QStringLiteral("status")}).out;
        const ProcessResult result = sky.run({QStringLiteral("status")}, faults(QStringLiteral("crash_mid_output")));
        QVERIFY(result.crashed);
        QVERIFY(!result.out.isEmpty());
        QVERIFY(result.out.size() < whole.size());
        QVERIFY(whole.startsWith(result.out));
    }

    void garbageAndInvalidUtf8()
    {
        Sky sky;
        const ProcessResult garbage = sky.run({QStringLiteral("status")}, faults(QStringLiteral("garbage")));
        QCOMPARE(garbage.exitCode, 0);
        QVERIFY(!isValidUtf8(garbage.out));
        QVERIFY(garbage.out.contains('\x1b'));
        QVERIFY(!garbage.out.contains("Clusters\n"));

        const ProcessResult mangled = sky.run({QStringLiteral("status")}, faults(QStringLiteral("non_utf8")));
        QCOMPARE(mangled.exitCode, 0);
        QVERIFY(!isValidUtf8(mangled.out));
        QVERIFY(plain(mangled.out).contains(QStringLiteral("\nClusters\nNo existing clusters.\n")));
    }

    void hugeOutput()
    {
        Sky sky;
        // Counted as it arrives rather than through runProcess(), which drains the pipe only every 10 ms.
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("FAKE_SKY_STATE"), sky.state());
        environment.insert(QStringLiteral("FAKE_SKY_FAULTS"), QStringLiteral("huge_output"));
        process.setProcessEnvironment(environment);
        qint64 received = 0;
        QByteArray tail;
        connect(&process, &QProcess::readyReadStandardOutput, &process, [&process, &received, &tail] {
            const QByteArray chunk = process.readAllStandardOutput();
            received += chunk.size();
            tail = QByteArray(tail + chunk).right(4096);
        });
        process.start(fakeSky(), {QStringLiteral("queue")});
        QVERIFY(process.waitForFinished(60000));
        const QByteArray rest = process.readAllStandardOutput();
        received += rest.size();
        tail = QByteArray(tail + rest).right(4096);
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
        QVERIFY(received >= 100LL * 1024 * 1024);
        QVERIFY(tail.endsWith("Fetching and parsing job queue...\n")); // the normal output follows the flood
    }

    void stuckInit()
    {
        Sky sky;
        QCOMPARE(sky.launch(QStringLiteral("stuck"), {}, faults(QStringLiteral("stuck_init"))).exitCode, 0);
        QTest::qWait(500); // well past provision_seconds
        QCOMPARE(sky.clusterStatus(QStringLiteral("stuck")), QStringLiteral("INIT"));
        const ProcessResult status
            = sky.run({QStringLiteral("logs"), QStringLiteral("--status"), QStringLiteral("stuck")});
        QCOMPARE(status.exitCode, 101);
        QCOMPARE(status.out, QByteArray("Job 1: PENDING\n"));
        QCOMPARE(sky.run({QStringLiteral("down"), QStringLiteral("-y"), QStringLiteral("stuck")}).exitCode, 0);
    }

    void serverFaults()
    {
        Sky sky;
        const ProcessResult mismatch = sky.run({QStringLiteral("status")}, faults(QStringLiteral("version_mismatch")));
        QCOMPARE(mismatch.exitCode, 1);
        QVERIFY(mismatch.out.isEmpty());
        const QString mismatchText = plain(mismatch.err);
        QVERIFY(mismatchText.startsWith(
            QStringLiteral("sky.exceptions.APIVersionMismatchError: Client and local API server version mismatch:\n")));
        QVERIFY(mismatchText.contains(QStringLiteral("sky api stop; sky api start")));
        QCOMPARE(sky.run({QStringLiteral("-v")}, faults(QStringLiteral("version_mismatch"))).exitCode,
                 0); // no server involved

        const ProcessResult unreachable = sky.run({QStringLiteral("queue")}, faults(QStringLiteral("api_unreachable")));
        QCOMPARE(unreachable.exitCode, 1);
        QVERIFY(unreachable.err.contains(
            "sky.exceptions.ApiServerConnectionError: Could not connect to SkyPilot API server at "
            "http://127.0.0.1:46580."));
        const ProcessResult info
            = sky.run({QStringLiteral("api"), QStringLiteral("info")}, faults(QStringLiteral("api_unreachable")));
        QCOMPARE(info.exitCode, 0);
        QVERIFY(info.out.contains("No SkyPilot API server is connected"));
    }

    void provisioningFaults()
    {
        Sky sky;
        sky.configure({{QStringLiteral("faults"), QJsonArray {QStringLiteral("launch:no_capacity")}}});
        const ProcessResult capacity = sky.launch(QStringLiteral("no-room"));
        QCOMPARE(capacity.exitCode, 1);
        QVERIFY(capacity.err.contains(
            "sky.exceptions.ResourcesUnavailableError: Failed to provision all possible launchable resources."));
        QVERIFY(plain(capacity.out).contains(QStringLiteral("Considered resources (1 node):")));
        // The prefix limits the fault to `launch`: other commands work, and nothing was created.
        const ProcessResult status = sky.run({QStringLiteral("status")});
        QCOMPARE(status.exitCode, 0);
        QVERIFY(plain(status.out).contains(QStringLiteral("No existing clusters.")));

        sky.configure({});
        const ProcessResult quota = sky.launch(QStringLiteral("no-quota"), {}, faults(QStringLiteral("quota")));
        QCOMPARE(quota.exitCode, 1);
        QVERIFY(plain(quota.out).contains(QStringLiteral("Quota limit exceeded")));
        QVERIFY(quota.err.contains("ResourcesUnavailableError"));

        QCOMPARE(sky.launch(QStringLiteral("sticky")).exitCode, 0);
        const ProcessResult failedDown
            = sky.run({QStringLiteral("down"), QStringLiteral("-y"), QStringLiteral("sticky")},
                      faults(QStringLiteral("down_fails")));
        QCOMPARE(failedDown.exitCode, 1);
        QVERIFY(failedDown.out.startsWith("Terminating cluster sticky...failed."));
        QCOMPARE(sky.clusterStatus(QStringLiteral("sticky")).isEmpty(), false);
        QCOMPARE(
            sky.run({QStringLiteral("down"), QStringLiteral("-y"), QStringLiteral("--purge"), QStringLiteral("sticky")},
                    faults(QStringLiteral("down_fails")))
                .exitCode,
            0);

        const ProcessResult unknown = sky.run({QStringLiteral("status")}, faults(QStringLiteral("no_such_fault")));
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY(unknown.err.contains("unknown fault"));
    }

    void invocationsAreLogged()
    {
        Sky sky;
        const QList<QStringList> commands {{QStringLiteral("-v")},
                                           {QStringLiteral("status"), QStringLiteral("-r")},
                                           {QStringLiteral("bogus"), QStringLiteral("with space")}};
        for (const QStringList &command : commands)
            sky.run(command);
        const QList<QJsonArray> logged = sky.invocations();
        QCOMPARE(logged.size(), commands.size());
        for (qsizetype i = 0; i < commands.size(); ++i)
            QCOMPARE(logged.at(i).toVariantList(), QJsonArray::fromStringList(commands.at(i)).toVariantList());
    }

    void concurrentInvocationsKeepEveryChange()
    {
        Sky sky;
        std::vector<std::unique_ptr<QProcess>> processes;
        for (int i = 0; i < 6; ++i) {
            auto process = std::make_unique<QProcess>();
            QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
            environment.remove(QStringLiteral("FAKE_SKY_FAULTS"));
            environment.insert(QStringLiteral("FAKE_SKY_STATE"), sky.state());
            environment.insert(QStringLiteral("HF_TOKEN"), sky.token());
            process->setProcessEnvironment(environment);
            process->start(fakeSky(),
                           {QStringLiteral("launch"), QStringLiteral("-y"), QStringLiteral("-d"), QStringLiteral("-c"),
                            QStringLiteral("par-%1").arg(i), QStringLiteral("--secret"), QStringLiteral("HF_TOKEN"),
                            sky.task()});
            processes.push_back(std::move(process));
        }
        for (const auto &process : processes) {
            QVERIFY(process->waitForFinished(20000));
            QCOMPARE(process->exitCode(), 0);
        }
        const QString status = plain(sky.run({QStringLiteral("status")}).out);
        for (int i = 0; i < 6; ++i)
            QVERIFY2(status.contains(QStringLiteral("\npar-%1 ").arg(i)), qPrintable(status));
        QCOMPARE(sky.invocations().size(), 7);
    }
};

VIBEML_TEST_MAIN_CORE(TestFakeSky)
#include "tst_fakesky.moc"
