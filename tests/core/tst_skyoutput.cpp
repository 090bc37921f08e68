#include "TestSupport.h"
#include "sky/SkyOutput.h"

#include <QElapsedTimer>
#include <QRandomGenerator>

#include <algorithm>
#include <functional>
#include <optional>

using namespace vibeml;
using namespace vibeml::sky;

// Declared before any raw string literal: moc does not lex those reliably.
class TestSkyOutput : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // ---- sky status ----------------------------------------------------------------------------
    void status_data();
    void status();
    void statusJson_data();
    void statusJson();
    void statusJsonRefused_data();
    void statusJsonRefused();

    // ---- sky queue / sky jobs queue --------------------------------------------------------------
    void queue_data();
    void queue();
    void jobsQueue_data();
    void jobsQueue();

    // ---- sky launch / sky jobs launch ------------------------------------------------------------
    void launch_data();
    void launch();

    // ---- sky check, show-gpus, versions ----------------------------------------------------------
    void check_data();
    void check();
    void showGpus_data();
    void showGpus();
    void version_data();
    void version();
    void apiInfo_data();
    void apiInfo();

    // ---- sky logs --status -----------------------------------------------------------------------
    void finalStatus_data();
    void finalStatus();
    void statusWord_data();
    void statusWord();

    // ---- failures --------------------------------------------------------------------------------
    void failure_data();
    void failure();
    void failureDetail_data();
    void failureDetail();

    // ---- tables in general -----------------------------------------------------------------------
    void headerWithoutRows_data();
    void headerWithoutRows();
    void raggedRows();

    // ---- hostile input ---------------------------------------------------------------------------
    void hostile_data();
    void hostile();
    void hugeInputsStayFast_data();
    void hugeInputsStayFast();
};

namespace {

// UTF-8 test text; "~[" stands for the escape character that starts an ANSI colour code.
QString text(const char *utf8)
{
    return QString::fromUtf8(utf8).replace(QStringLiteral("~["), QStringLiteral("\x1b["));
}

QString crlf(const QString &lf)
{
    QString copy = lf;
    return copy.replace(u'\n', QStringLiteral("\r\n"));
}

QString orDash(const std::optional<double> &value)
{
    return value ? QString::number(*value, 'f', 3) : QStringLiteral("-");
}

QStringList dump(const StatusReport &report)
{
    QStringList rows;
    for (const ClusterRecord &c : report.clusters)
        rows.append(
            QStringList {c.name, c.infra, c.resources, c.status, c.autostop, c.launched, c.user, c.workspace}.join(
                u'|'));
    return rows;
}

QStringList dump(const QueueReport &report)
{
    QStringList rows;
    for (const QueueEntry &e : report.jobs)
        rows.append(QStringList {e.cluster, QString::number(e.id), e.name, e.user, e.submitted, e.started, e.duration,
                                 e.resources, e.status, e.logPath}
                        .join(u'|'));
    return rows;
}

QStringList dump(const QList<ManagedJobEntry> &jobs)
{
    QStringList rows;
    for (const ManagedJobEntry &j : jobs)
        rows.append(QStringList {QString::number(j.id), j.taskId, j.name, j.user, j.requested, j.submitted,
                                 j.totalDuration, j.jobDuration, QString::number(j.recoveries), j.status}
                        .join(u'|'));
    return rows;
}

QStringList dump(const QList<PlanChoice> &plan)
{
    QStringList rows;
    for (const PlanChoice &p : plan)
        rows.append(QStringList {p.infra, p.instanceType, p.accelerators, QString::number(p.costPerHour, 'f', 2),
                                 p.chosen ? QStringLiteral("chosen") : QString()}
                        .join(u'|'));
    return rows;
}

QStringList dump(const QList<GpuListing> &gpus)
{
    QStringList rows;
    for (const GpuListing &g : gpus)
        rows.append(QStringList {g.gpu, QString::number(g.quantity), g.cloud, g.instanceType, g.deviceMemory,
                                 orDash(g.hourlyPrice), orDash(g.hourlySpotPrice), g.region}
                        .join(u'|'));
    return rows;
}

QStringList dump(const QMap<QString, bool> &enabled)
{
    QStringList rows;
    for (auto it = enabled.cbegin(); it != enabled.cend(); ++it)
        rows.append(it.key() + (it.value() ? QStringLiteral("=enabled") : QStringLiteral("=disabled")));
    return rows;
}

bool isReadable(const QString &message)
{
    if (message.size() < 10 || message.size() > 400)
        return false;
    const QList<uint> codePoints = message.toUcs4();
    return std::all_of(codePoints.cbegin(), codePoints.cend(),
                       [](uint c) { return QChar::isPrint(static_cast<char32_t>(c)); });
}

// Every parser behind one signature: nothing on success, the message on failure.
using Outcome = std::optional<QString>;
template<typename T> Outcome outcome(const Result<T, SkyParseError> &result)
{
    return result ? std::nullopt : std::optional<QString>(result.error().message);
}

struct Parser
{
    const char *name;
    bool canFail; // jobStatusWord and classifyFailure always answer
    std::function<Outcome(const QString &)> parse;
};

const QList<Parser> &allParsers()
{
    static const QList<Parser> parsers {
        {"status", true, [](const QString &s) { return outcome(parseStatus(s)); }},
        {"status-json", true, [](const QString &s) { return outcome(parseStatusJson(s.toUtf8())); }},
        {"queue", true, [](const QString &s) { return outcome(parseQueue(s)); }},
        {"jobs-queue", true, [](const QString &s) { return outcome(parseJobsQueue(s)); }},
        {"launch", true, [](const QString &s) { return outcome(parseLaunch(s)); }},
        {"check", true, [](const QString &s) { return outcome(parseCheck(s)); }},
        {"show-gpus", true, [](const QString &s) { return outcome(parseShowGpus(s)); }},
        {"version", true, [](const QString &s) { return outcome(parseVersion(s)); }},
        {"api-info", true, [](const QString &s) { return outcome(parseApiInfo(s)); }},
        {"job-status-word", false,
         [](const QString &s) {
             (void)jobStatusWord(s);
             return Outcome {};
         }},
        {"classify-failure", false,
         [](const QString &s) {
             const SkyFailure failure = classifyFailure(1, s, s);
             return failure.message.isEmpty() ? Outcome(QStringLiteral("empty message")) : Outcome {};
         }},
    };
    return parsers;
}

} // namespace

// ================================================================================================
// sky status
// ================================================================================================

namespace {

const char *const kStatusTwoClusters = R"SKY(Enabled Infra: nebius

Clusters
NAME            INFRA                 RESOURCES             STATUS        AUTOSTOP    LAUNCHED    
vibeml-ft-1a2b  Nebius (eu-north1)    1x(gpus=H100:1, ...)  UP            30m         7 mins ago  
dev-h200        Nebius (us-central1)  1x(gpus=H200:8, ...)  STOPPED       -           2 hrs ago   
sft-down        Nebius (eu-west1)     1x(gpus=H200:1, ...)  AUTOSTOPPING  30m (down)  1 hr ago    

Managed jobs
No in-progress managed jobs.

Services
No live services.

* 2 clusters have auto{stop,down} scheduled. Refresh statuses with: sky status --refresh
)SKY";

const char *const kStatusVerboseAllUsers = R"SKY(Enabled Infra: nebius, aws

Clusters
NAME            USER   USER_ID   INFRA               RESOURCES                                                                    STATUS  AUTOSTOP  LAUNCHED        HEAD_IP       COMMAND                                                                
vibeml-ft-1a2b  alice  a1b2c3d4  Nebius (eu-north1)  1x(gpus=H100:1, cpus=16, mem=200, gpu-h100-sxm_1gpu-16vcpu-200gb, disk=200)  UP      30m       7 mins ago      195.242.10.7  sky launch -y -d -c vibeml-ft-1a2b --infra nebius/eu-north1 task.yaml  
aws-small       bob    e5f6a7b8  AWS (us-east-1a)    1x(cpus=2, mem=2, t3.small, disk=50)                                         INIT    -         a few secs ago  -             sky launch -c aws-small                                                
)SKY";

const char *const kStatusWorkspaces = R"SKY(Enabled Infra: nebius

Clusters
WORKSPACE  NAME            USER   INFRA               RESOURCES             STATUS   AUTOSTOP   LAUNCHED    
default    vibeml-ft-1a2b  alice  Nebius (eu-north1)  1x(gpus=H100:1, ...)  UP       30m        7 mins ago  
research   exp-7           carol  Nebius (eu-west1)   1x(gpus=H200:8, ...)  PENDING  4h (down)  1 min ago   
)SKY";

// Colours as click leaves them on a terminal: prettytable pads by the visible width.
const char *const kStatusColoured = R"SKY(~[36m~[1mEnabled Infra:~[0m nebius

~[36m~[1mClusters~[0m
~[1mNAME~[0m            ~[1mINFRA~[0m                 RESOURCES             STATUS        AUTOSTOP    LAUNCHED    
vibeml-ft-1a2b  Nebius (eu-north1)    1x(gpus=H100:1, ...)  ~[32mUP~[0m            30m         7 mins ago  
dev-h200        Nebius (us-central1)  1x(gpus=H200:8, ...)  ~[33mSTOPPED~[0m       -           2 hrs ago   
)SKY";

// The managed-jobs and services sections carry NAME … STATUS tables of their own.
const char *const kStatusWithManagedJobs = R"SKY(✓ SkyPilot API server started.
├── SkyPilot API server and dashboard: http://127.0.0.1:46580
└── View API server logs at: ~/.sky/api_server/server.log
Enabled Infra: nebius

Clusters
No existing clusters.

Managed jobs
In progress tasks: 1 RUNNING
ID  TASK  NAME         REQUESTED   SUBMITTED   TOT. DURATION  JOB DURATION  #RECOVERIES  STATUS   
3   -     sft-managed  1x[H100:1]  5 mins ago  5m 2s          3m 10s        0            RUNNING  

Services
NAME  VERSION  UPTIME  STATUS  REPLICAS  ENDPOINT       
llm   1        1h 2m   READY   2/2       1.2.3.4:30001  
)SKY";

const char *const kStatusOneAndNotFound = R"SKY(Enabled Infra: nebius

Clusters
NAME            INFRA               RESOURCES             STATUS  AUTOSTOP  LAUNCHED    
vibeml-ft-1a2b  Nebius (eu-north1)  1x(gpus=H100:1, ...)  INIT    -         1 min ago   
Clusters 'gone-1', 'gone-2' not found.
)SKY";

// An older layout without INFRA and without section titles.
const char *const kStatusLegacy
    = R"SKY(NAME      LAUNCHED    RESOURCES                       REGION     STATUS  AUTOSTOP  COMMAND             
old-one   1 day ago   1x Nebius(gpu-h100-sxm_1gpu...  eu-north1  UP      -         sky launch -c ol... 
)SKY";

} // namespace

void TestSkyOutput::status_data()
{
    QTest::addColumn<QString>("output");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QStringList>("notFound");
    QTest::addColumn<QStringList>("enabledInfra");

    const QString vibemlUp
        = QStringLiteral("vibeml-ft-1a2b|Nebius (eu-north1)|1x(gpus=H100:1, ...)|UP|30m|7 mins ago||");
    const QStringList nebius {QStringLiteral("nebius")};

    QTest::newRow("no clusters") << text(
        "Enabled Infra: nebius\n\nClusters\nNo existing clusters.\n\nManaged jobs\n"
        "No in-progress managed jobs. (See: sky jobs -h)\n\nServices\nNo live services.\n")
                                 << QStringList() << QStringList() << nebius;
    QTest::newRow("two clusters, hint line, (down)")
        << text(kStatusTwoClusters)
        << QStringList {vibemlUp,
                        QStringLiteral("dev-h200|Nebius (us-central1)|1x(gpus=H200:8, ...)|STOPPED||2 hrs ago||"),
                        QStringLiteral(
                            "sft-down|Nebius (eu-west1)|1x(gpus=H200:1, ...)|AUTOSTOPPING|30m (down)|1 hr ago||")}
        << QStringList() << nebius;
    QTest::newRow("CRLF")
        << crlf(text(kStatusTwoClusters))
        << QStringList {vibemlUp,
                        QStringLiteral("dev-h200|Nebius (us-central1)|1x(gpus=H200:8, ...)|STOPPED||2 hrs ago||"),
                        QStringLiteral(
                            "sft-down|Nebius (eu-west1)|1x(gpus=H200:1, ...)|AUTOSTOPPING|30m (down)|1 hr ago||")}
        << QStringList() << nebius;
    QTest::newRow("-v -u: USER, USER_ID, HEAD_IP, COMMAND")
        << text(kStatusVerboseAllUsers)
        << QStringList {QStringLiteral("vibeml-ft-1a2b|Nebius (eu-north1)|1x(gpus=H100:1, cpus=16, mem=200, "
                                       "gpu-h100-sxm_1gpu-16vcpu-200gb, disk=200)|UP|30m|7 mins ago|alice|"),
                        QStringLiteral("aws-small|AWS (us-east-1a)|1x(cpus=2, mem=2, t3.small, disk=50)|INIT||"
                                       "a few secs ago|bob|")}
        << QStringList() << QStringList {QStringLiteral("nebius"), QStringLiteral("aws")};
    QTest::newRow("WORKSPACE first")
        << text(kStatusWorkspaces)
        << QStringList {QStringLiteral(
                            "vibeml-ft-1a2b|Nebius (eu-north1)|1x(gpus=H100:1, ...)|UP|30m|7 mins ago|alice|default"),
                        QStringLiteral(
                            "exp-7|Nebius (eu-west1)|1x(gpus=H200:8, ...)|PENDING|4h (down)|1 min ago|carol|research")}
        << QStringList() << nebius;
    QTest::newRow("ANSI colours")
        << text(kStatusColoured)
        << QStringList {vibemlUp,
                        QStringLiteral("dev-h200|Nebius (us-central1)|1x(gpus=H200:8, ...)|STOPPED||2 hrs ago||")}
        << QStringList() << nebius;
    QTest::newRow("managed jobs and services sections are not clusters")
        << text(kStatusWithManagedJobs) << QStringList() << QStringList() << nebius;
    QTest::newRow("one not found") << text("Enabled Infra: nebius\n\nClusters\nCluster 'vibeml-gone' not found.\n")
                                   << QStringList() << QStringList {QStringLiteral("vibeml-gone")} << nebius;
    QTest::newRow("a cluster and two not found")
        << text(kStatusOneAndNotFound)
        << QStringList {QStringLiteral("vibeml-ft-1a2b|Nebius (eu-north1)|1x(gpus=H100:1, ...)|INIT||1 min ago||")}
        << QStringList {QStringLiteral("gone-1"), QStringLiteral("gone-2")} << nebius;
    QTest::newRow("legacy layout: REGION, no INFRA, no titles")
        << text(kStatusLegacy)
        << QStringList {QStringLiteral("old-one|eu-north1|1x Nebius(gpu-h100-sxm_1gpu...|UP||1 day ago||")}
        << QStringList() << QStringList();
}

void TestSkyOutput::status()
{
    QFETCH(QString, output);
    QFETCH(QStringList, expected);
    QFETCH(QStringList, notFound);
    QFETCH(QStringList, enabledInfra);

    const auto result = parseStatus(output);
    QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
    QCOMPARE(dump(result.value()), expected);
    QCOMPARE(result.value().notFound, notFound);
    QCOMPARE(result.value().enabledInfra, enabledInfra);
}

namespace {

const char *const kStatusJsonList = R"SKY([
  {"name": "vibeml-ft-1a2b", "status": "UP", "infra": "Nebius (eu-north1)",
   "resources_str": "1x(gpus=H100:1, cpus=16, mem=200, gpu-h100-sxm_1gpu-16vcpu-200gb, disk=200)",
   "autostop": 30, "to_down": false, "launched_at": 1761494056, "user_name": "alice", "workspace": "default"},
  {"name": "dev-h200", "status": "ClusterStatus.STOPPED", "cloud": "Nebius", "region": "us-central1",
   "resources_str": "1x(gpus=H200:8, ...)", "autostop": -1, "launched_at": 1761480000},
  {"name": "sft-down", "status": "AUTOSTOPPING", "infra": "Nebius (eu-west1)", "autostop": 30, "to_down": true},
  {"status": "UP"},
  42
])SKY";

} // namespace

void TestSkyOutput::statusJson_data()
{
    QTest::addColumn<QByteArray>("output");
    QTest::addColumn<QStringList>("expected");

    const QStringList threeClusters {
        QStringLiteral("vibeml-ft-1a2b|Nebius (eu-north1)|1x(gpus=H100:1, cpus=16, mem=200, "
                       "gpu-h100-sxm_1gpu-16vcpu-200gb, disk=200)|UP|30m|2025-10-26T15:54:16Z|alice|default"),
        QStringLiteral("dev-h200|Nebius (us-central1)|1x(gpus=H200:8, ...)|STOPPED||2025-10-26T12:00:00Z||"),
        QStringLiteral("sft-down|Nebius (eu-west1)||AUTOSTOPPING|30m (down)|||")};
    QTest::newRow("list of clusters") << QByteArray(kStatusJsonList) << threeClusters;
    QTest::newRow("object with clusters")
        << QByteArray("{\"clusters\": ") + QByteArray(kStatusJsonList) + QByteArray("}") << threeClusters;
    QTest::newRow("after an API server banner, with a trailing newline")
        << QByteArray("\xe2\x9c\x93 SkyPilot API server started.\n") + QByteArray(kStatusJsonList) + QByteArray("\n")
        << threeClusters;
    QTest::newRow("empty list") << QByteArray("[]") << QStringList();
    QTest::newRow("empty clusters") << QByteArray("{\"clusters\": []}") << QStringList();
}

void TestSkyOutput::statusJson()
{
    QFETCH(QByteArray, output);
    QFETCH(QStringList, expected);
    const auto result = parseStatusJson(output);
    QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
    QCOMPARE(dump(result.value()), expected);
}

void TestSkyOutput::statusJsonRefused_data()
{
    QTest::addColumn<QByteArray>("output");
    QTest::addColumn<QString>("mentions");

    QTest::newRow("empty") << QByteArray() << QStringLiteral("did not print JSON");
    QTest::newRow("text table") << QByteArray(kStatusTwoClusters) << QStringLiteral("did not print JSON");
    QTest::newRow("truncated") << QByteArray(kStatusJsonList).left(120) << QStringLiteral("did not print JSON");
    QTest::newRow("object without clusters")
        << QByteArray("{\"name\": \"x\", \"status\": \"UP\"}") << QStringLiteral("unknown shape");
    QTest::newRow("clusters is not a list")
        << QByteArray("{\"clusters\": {\"name\": \"x\"}}") << QStringLiteral("unknown shape");
    QTest::newRow("a number") << QByteArray("42") << QStringLiteral("JSON");
    QTest::newRow("list of numbers") << QByteArray("[1, 2, 3]") << QStringLiteral("none is a cluster");
    QTest::newRow("invalid UTF-8") << QByteArray("[{\"name\": \"\xff\xfe\"") << QStringLiteral("did not print JSON");
}

void TestSkyOutput::statusJsonRefused()
{
    QFETCH(QByteArray, output);
    QFETCH(QString, mentions);
    const auto result = parseStatusJson(output);
    QVERIFY(!result);
    QVERIFY2(result.error().message.contains(mentions), qPrintable(result.error().message));
    QVERIFY2(isReadable(result.error().message), qPrintable(result.error().message));
}

// ================================================================================================
// sky queue / sky jobs queue
// ================================================================================================

namespace {

// Two clusters (the second with wide characters in job names) and one that could not be reached.
const char *const kQueueTwoClustersAndAFailure = R"SKY(Fetching and parsing job queue...
Fetching job queue for: vibeml-ft-1a2b, dev-h200, vibeml-stopped

Job queue of current user on cluster vibeml-ft-1a2b
ID  NAME     USER   SUBMITTED   STARTED     DURATION  RESOURCES   STATUS     LOG                                        GIT COMMIT  
2   sft-run  alice  3 mins ago  3 mins ago  2m 41s    1x[H100:1]  RUNNING    ~/sky_logs/sky-2025-10-26-15-54-16-303492  -           
1   sky-cmd  alice  1 hr ago    1 hr ago    20m 4s    1x[CPU:1+]  SUCCEEDED  ~/sky_logs/sky-2025-10-26-14-40-49-838640  -           

Job queue of current user on cluster dev-h200
ID  NAME       USER  SUBMITTED       STARTED    DURATION   RESOURCES   STATUS        LOG                                        GIT COMMIT  
7   微调-qwen  bob   a few secs ago  -          -          1x[H200:8]  PENDING       ~/sky_logs/sky-2025-10-26-16-00-01-000001  3f2a9c1     
6   eval 🚀    bob   2 hrs ago       2 hrs ago  1h 2m 23s  1x[H200:8]  FAILED_SETUP  ~/sky_logs/sky-2025-10-26-14-00-01-000001  3f2a9c1     
~[31mFailed to get the job queue for cluster 'vibeml-stopped'.~[0m
  sky.exceptions.ClusterNotUpError: Cluster 'vibeml-stopped' with status STOPPED is not up.
)SKY";

const char *const kQueueLegacy = R"SKY(Job queue of cluster old-one
ID  NAME   SUBMITTED   STARTED     DURATION    RESOURCES   STATUS     LOG                                        
1   train  5 mins ago  5 mins ago  < 1 second  1x[H100:1]  CANCELLED  ~/sky_logs/sky-2024-01-01-00-00-00-000000  
)SKY";

const char *const kJobsQueuePlain = R"SKY(Fetching managed job statuses...
Managed jobs
In progress tasks: 1 STARTING, 1 RECOVERING
ID  TASK  NAME       REQUESTED   SUBMITTED   TOT. DURATION  JOB DURATION  #RECOVERIES  STATUS      
4   -     sft-qwen   1x[H100:1]  2 mins ago  2m 5s          -             0            STARTING    
3   -     sft-llama  1x[H200:1]  1 hr ago    1h 2m          58m 1s        2            RECOVERING  
)SKY";

const char *const kJobsQueueProgressPool = R"SKY(Managed jobs
In progress tasks: 1 RUNNING
ID  TASK  NAME      USER   REQUESTED   SUBMITTED   TOT. DURATION  JOB DURATION  #RECOVERIES  STATUS     PROGRESS  POOL      
12  -     sft-qwen  alice  1x[H100:1]  2 mins ago  2m 5s          1m 1s         0            RUNNING    1/3       -         
11        pipeline  bob    -           1 hr ago    1h 2m          50m           1            SUCCEEDED  -         gpu-pool  
 ↳  0     prep      bob    1x[CPU:4+]  1 hr ago    10m            9m            0            SUCCEEDED  -         gpu-pool  
 ↳  1     train     bob    1x[H100:8]  1 hr ago    40m            39m           1            SUCCEEDED  -         gpu-pool  
)SKY";

const char *const kJobsQueueUserFirst
    = R"SKY(USER   ID  TASK  NAME   REQUESTED   SUBMITTED    TOT. DURATION  JOB DURATION  #RECOVERIES  STATUS              
alice  5   -     sft-x  1x[H100:1]  10 mins ago  10m            9m 58s        0            FAILED_NO_RESOURCE  
)SKY";

} // namespace

void TestSkyOutput::queue_data()
{
    QTest::addColumn<QString>("output");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QStringList>("failedClusters");

    const QStringList twoClusters {
        QStringLiteral("vibeml-ft-1a2b|2|sft-run|alice|3 mins ago|3 mins ago|2m 41s|1x[H100:1]|RUNNING|"
                       "~/sky_logs/sky-2025-10-26-15-54-16-303492"),
        QStringLiteral("vibeml-ft-1a2b|1|sky-cmd|alice|1 hr ago|1 hr ago|20m 4s|1x[CPU:1+]|SUCCEEDED|"
                       "~/sky_logs/sky-2025-10-26-14-40-49-838640"),
        QString::fromUtf8("dev-h200|7|微调-qwen|bob|a few secs ago|||1x[H200:8]|PENDING|"
                          "~/sky_logs/sky-2025-10-26-16-00-01-000001"),
        QString::fromUtf8("dev-h200|6|eval 🚀|bob|2 hrs ago|2 hrs ago|1h 2m 23s|1x[H200:8]|FAILED_SETUP|"
                          "~/sky_logs/sky-2025-10-26-14-00-01-000001")};
    QTest::newRow("two clusters and a failed one")
        << text(kQueueTwoClustersAndAFailure) << twoClusters << QStringList {QStringLiteral("vibeml-stopped")};
    QTest::newRow("CRLF") << crlf(text(kQueueTwoClustersAndAFailure)) << twoClusters
                          << QStringList {QStringLiteral("vibeml-stopped")};
    QTest::newRow("all users, skip finished, empty table")
        << text("Fetching and parsing job queue...\n\nJob queue of all users on cluster vibeml-ft-1a2b\n"
                "ID  NAME  USER  SUBMITTED  STARTED  DURATION  RESOURCES  STATUS  LOG  GIT COMMIT  \n")
        << QStringList() << QStringList();
    QTest::newRow("legacy layout") << text(kQueueLegacy)
                                   << QStringList {QStringLiteral(
                                          "old-one|1|train||5 mins ago|5 mins ago|< 1 second|1x[H100:1]|CANCELLED|"
                                          "~/sky_logs/sky-2024-01-01-00-00-00-000000")}
                                   << QStringList();
    QTest::newRow("only a failure") << text(
        "Fetching and parsing job queue...\nFailed to get the job queue for cluster 'dev-h200'.\n"
        "  sky.exceptions.ClusterNotUpError: Cluster 'dev-h200' with status INIT is not up.\n")
                                    << QStringList() << QStringList {QStringLiteral("dev-h200")};
}

void TestSkyOutput::queue()
{
    QFETCH(QString, output);
    QFETCH(QStringList, expected);
    QFETCH(QStringList, failedClusters);
    const auto result = parseQueue(output);
    QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
    QCOMPARE(dump(result.value()), expected);
    QCOMPARE(result.value().failedClusters, failedClusters);
}

void TestSkyOutput::jobsQueue_data()
{
    QTest::addColumn<QString>("output");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("none in progress") << text("Fetching managed job statuses...\nNo in-progress managed jobs.\n")
                                      << QStringList();
    QTest::newRow("none, without a controller")
        << text("No in-progress managed jobs. (See: sky jobs -h)\n") << QStringList();
    QTest::newRow("table without USER")
        << text(kJobsQueuePlain)
        << QStringList {QStringLiteral("4||sft-qwen||1x[H100:1]|2 mins ago|2m 5s||0|STARTING"),
                        QStringLiteral("3||sft-llama||1x[H200:1]|1 hr ago|1h 2m|58m 1s|2|RECOVERING")};
    QTest::newRow("USER, PROGRESS, POOL and a multi-task job")
        << text(kJobsQueueProgressPool)
        << QStringList {QStringLiteral("12||sft-qwen|alice|1x[H100:1]|2 mins ago|2m 5s|1m 1s|0|RUNNING"),
                        QStringLiteral("11||pipeline|bob||1 hr ago|1h 2m|50m|1|SUCCEEDED"),
                        QStringLiteral("11|0|prep|bob|1x[CPU:4+]|1 hr ago|10m|9m|0|SUCCEEDED"),
                        QStringLiteral("11|1|train|bob|1x[H100:8]|1 hr ago|40m|39m|1|SUCCEEDED")};
    QTest::newRow("USER first (-u)") << text(kJobsQueueUserFirst)
                                     << QStringList {QStringLiteral(
                                            "5||sft-x|alice|1x[H100:1]|10 mins ago|10m|9m 58s|0|FAILED_NO_RESOURCE")};
    QTest::newRow("ANSI, CRLF")
        << crlf(text(kJobsQueuePlain).replace(QStringLiteral("STARTING  "), text("~[36mSTARTING~[0m  ")))
        << QStringList {QStringLiteral("4||sft-qwen||1x[H100:1]|2 mins ago|2m 5s||0|STARTING"),
                        QStringLiteral("3||sft-llama||1x[H200:1]|1 hr ago|1h 2m|58m 1s|2|RECOVERING")};
}

void TestSkyOutput::jobsQueue()
{
    QFETCH(QString, output);
    QFETCH(QStringList, expected);
    const auto result = parseJobsQueue(output);
    QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
    QCOMPARE(dump(result.value()), expected);
}

// ================================================================================================
// sky launch / sky jobs launch
// ================================================================================================

namespace {

const char *const kPlanTwoOffers = R"SKY(Considered resources (1 node):
---------------------------------------------------------------------------------------------------
 INFRA                INSTANCE                         vCPUs   Mem(GB)   GPUS     COST ($)   CHOSEN  
---------------------------------------------------------------------------------------------------
 Nebius (eu-north1)   gpu-h100-sxm_1gpu-16vcpu-200gb   16      200       H100:1   2.95          ✔    
 Nebius (eu-west1)    gpu-h200-sxm_1gpu-16vcpu-200gb   16      200       H200:1   3.50               
---------------------------------------------------------------------------------------------------
)SKY";

const char *const kLaunchFull = R"SKY(YAML to run: /home/alice/.local/share/vibeml/runs/ft-1a2b/task.yaml
Considered resources (1 node):
---------------------------------------------------------------------------------------------------
 INFRA                INSTANCE                         vCPUs   Mem(GB)   GPUS     COST ($)   CHOSEN  
---------------------------------------------------------------------------------------------------
 Nebius (eu-north1)   gpu-h100-sxm_1gpu-16vcpu-200gb   16      200       H100:1   2.95          ✔    
 Nebius (eu-west1)    gpu-h200-sxm_1gpu-16vcpu-200gb   16      200       H200:1   3.50               
---------------------------------------------------------------------------------------------------
Launching a new cluster 'vibeml-ft-1a2b'. Proceed? [Y/n]: 
⚙︎ Launching on Nebius eu-north1.
└── Instance is up.
✓ Cluster launched: vibeml-ft-1a2b.  View logs: sky logs --provision vibeml-ft-1a2b
⚙︎ Syncing files.
⚙︎ Job submitted, ID: 1
├── Waiting for task resources on 1 node.
└── Job started. Streaming logs... (Ctrl-C to exit log streaming; job will not be killed)
(task, pid=2107) {'loss': 1.234, 'learning_rate': 0.0002, 'epoch': 0.1}
(task, pid=2107) Job ID: 99 is not a footer line
✓ Job finished (status: SUCCEEDED).

📋 Useful Commands
Job ID: 1
├── To cancel the job:          sky cancel vibeml-ft-1a2b 1
├── To stream job logs:         sky logs vibeml-ft-1a2b 1
└── To view job queue:          sky queue vibeml-ft-1a2b
Cluster name: vibeml-ft-1a2b
├── To log into the head VM:    ssh vibeml-ft-1a2b
├── To submit a job:            sky exec vibeml-ft-1a2b yaml_file
├── To stop the cluster:        sky stop vibeml-ft-1a2b
└── To teardown the cluster:    sky down vibeml-ft-1a2b
)SKY";

const char *const kLaunchManaged = R"SKY(YAML to run: task.yaml
Managed job 'sft-qwen' will be launched on (estimated):
Considered resources (1 node):
-----------------------------------------------------------------------------------------------------
 INFRA                INSTANCE                           vCPUs   Mem(GB)   GPUS     COST ($)   CHOSEN  
-----------------------------------------------------------------------------------------------------
 Nebius (eu-north1)   gpu-h100-sxm_8gpu-128vcpu-1600gb   128     1600      H100:8   10.00         ✔    
-----------------------------------------------------------------------------------------------------
Launching a managed job 'sft-qwen'. Proceed? [Y/n]: 
⚙︎ Uploading files to API server
✓ Files uploaded  View logs: ~/sky_logs/file_uploads/sky-2025-10-26-18-09-53-882143-c194e4ef.log
Launching managed job 'sft-qwen' from jobs controller...
⚙︎ Job submitted, ID: 3
├── Waiting for task resources on 1 node.
└── Job started. Streaming logs... (Ctrl-C to exit log streaming; job will not be killed)
✓ Managed job finished: 3 (status: SUCCEEDED).

Managed Job ID: 3
📋 Useful Commands
├── To cancel the job:                sky jobs cancel 3
├── To stream job logs:               sky jobs logs 3
├── To stream controller logs:        sky jobs logs --controller 3
└── To view all managed jobs:         sky jobs queue
)SKY";

const char *const kPlanLegacy = R"SKY(I 10-26 15:54:16 optimizer.py:693] == Optimizer ==
Considered resources (1 node):
-----------------------------------------------------------------------------------------------------------
 CLOUD    INSTANCE                         vCPUs   Mem(GB)   ACCELERATORS   REGION/ZONE   COST ($)   CHOSEN  
-----------------------------------------------------------------------------------------------------------
 Nebius   gpu-h100-sxm_1gpu-16vcpu-200gb   16      200       H100:1         eu-north1     2.95          ✔    
 AWS      p5.48xlarge                      192     2048      H100:8         us-east-1     98.32              
-----------------------------------------------------------------------------------------------------------
)SKY";

} // namespace

void TestSkyOutput::launch_data()
{
    QTest::addColumn<QString>("output");
    QTest::addColumn<QStringList>("plan");
    QTest::addColumn<int>("jobId"); // -1: none
    QTest::addColumn<int>("managedJobId"); // -1: none
    QTest::addColumn<QString>("cluster");
    QTest::addColumn<QString>("finalStatus");

    const QStringList twoOffers {QStringLiteral("Nebius (eu-north1)|gpu-h100-sxm_1gpu-16vcpu-200gb|H100:1|2.95|chosen"),
                                 QStringLiteral("Nebius (eu-west1)|gpu-h200-sxm_1gpu-16vcpu-200gb|H200:1|3.50|")};
    const QString vibeml = QStringLiteral("vibeml-ft-1a2b");

    QTest::newRow("full: plan, job id, log, footer")
        << text(kLaunchFull) << twoOffers << 1 << -1 << vibeml << QStringLiteral("SUCCEEDED");
    QTest::newRow("full, CRLF and colours")
        << crlf(text(kLaunchFull).replace(QStringLiteral("Job ID:"), text("~[1mJob ID:~[0m"))) << twoOffers << 1 << -1
        << vibeml << QStringLiteral("SUCCEEDED");
    QTest::newRow("dry run: the plan only")
        << text("YAML to run: task.yaml\n") + text(kPlanTwoOffers) << twoOffers << -1 << -1 << QString() << QString();
    QTest::newRow("detached (-d): prompt and job id, no footer")
        << text(kPlanTwoOffers)
            + text("Launching a new cluster 'vibeml-ft-9z9z'. Proceed? [Y/n]: \n⚙︎ Launching on Nebius eu-north1.\n"
                   "⠏ Launching  View logs: sky api logs -l sky-2025-10-26-10-09-55-434972/provision.log\r"
                   "✓ Cluster launched: vibeml-ft-9z9z.\n⚙︎ Job submitted, ID: 2\n")
        << twoOffers << 2 << -1 << QStringLiteral("vibeml-ft-9z9z") << QString();
    QTest::newRow("existing cluster, failed job")
        << text("Running on cluster: vibeml-ft-1a2b\n⚙︎ Job submitted, ID: 4\n"
                "(task, pid=3001) Cluster name: not-from-the-log\n(task, pid=3001) Job submitted, ID: 99\n"
                "(task, pid=3001) RuntimeError: CUDA error: out of memory\n✗ Job finished (status: FAILED).\n")
        << QStringList() << 4 << -1 << vibeml << QStringLiteral("FAILED");
    QTest::newRow("managed job") << text(kLaunchManaged)
                                 << QStringList {QStringLiteral(
                                        "Nebius (eu-north1)|gpu-h100-sxm_8gpu-128vcpu-1600gb|H100:8|10.00|chosen")}
                                 << -1 << 3 << QString() << QStringLiteral("SUCCEEDED");
    QTest::newRow("managed job, detached")
        << text("Managed job 'sft-qwen' will be launched on (estimated):\n") + text(kPlanTwoOffers)
            + text("Launching managed job 'sft-qwen' from jobs controller...\n⚙︎ Job submitted, ID: 7\n")
        << twoOffers << -1 << 7 << QString() << QString();
    QTest::newRow("legacy plan: CLOUD, ACCELERATORS, REGION/ZONE")
        << text(kPlanLegacy)
        << QStringList {QStringLiteral("Nebius (eu-north1)|gpu-h100-sxm_1gpu-16vcpu-200gb|H100:1|2.95|chosen"),
                        QStringLiteral("AWS (us-east-1)|p5.48xlarge|H100:8|98.32|")}
        << -1 << -1 << QString() << QString();
}

void TestSkyOutput::launch()
{
    QFETCH(QString, output);
    QFETCH(QStringList, plan);
    QFETCH(int, jobId);
    QFETCH(int, managedJobId);
    QFETCH(QString, cluster);
    QFETCH(QString, finalStatus);

    const auto result = parseLaunch(output);
    QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
    const LaunchReport &report = result.value();
    QCOMPARE(dump(report.considered), plan);
    QCOMPARE(report.jobId.value_or(-1), jobId);
    QCOMPARE(report.managedJobId.value_or(-1), managedJobId);
    QCOMPARE(report.clusterName, cluster);
    QCOMPARE(report.finalJobStatus.value_or(QString()), finalStatus);
}

// ================================================================================================
// sky check, sky show-gpus, sky -v, sky api info
// ================================================================================================

namespace {

const char *const kCheckEnabled = R"SKY(Checking credentials to enable infra for SkyPilot.
  Nebius: enabled [compute, storage]

🎉 Enabled infra 🎉
  Nebius [compute, storage]

To enable a cloud, follow the hints above and rerun: sky check
If any problems remain, refer to detailed docs at: https://docs.skypilot.co/en/latest/getting-started/installation.html

Using SkyPilot API server: http://127.0.0.1:46580
)SKY";

const char *const kCheckNoCredentials = R"SKY(Checking credentials to enable infra for SkyPilot.
~[2m  Nebius: disabled ~[0m
    Reason [compute]: Credentials can be set up by running: 
        $ nebius iam get-access-token > ~/.nebius/NEBIUS_IAM_TOKEN.txt 
       or generate  ~/.nebius/credentials.json 
    Reason [storage]: [nebius] profile is not set in ~/.aws/credentials. Run the following commands:
        $ pip install boto3
        $ aws configure --profile nebius
    For more info: https://docs.skypilot.co/en/latest/getting-started/installation.html#nebius

🎉 Enabled infra 🎉
  No infra to check/enabled.

To enable a cloud, follow the hints above and rerun: sky check
If any problems remain, refer to detailed docs at: https://docs.skypilot.co/en/latest/getting-started/installation.html

Using SkyPilot API server and dashboard: http://127.0.0.1:46580
)SKY";

const char *const kCheckSeveral = R"SKY(Checking credentials to enable infra for SkyPilot.
~[2m  AWS: disabled ~[0m
    Reason [compute, storage]: AWS credentials are not set. Run the following commands:
      $ pip install boto3
      $ aws configure
~[2m  Cloudflare (for R2 object store): disabled ~[0m
    Reason [storage]: [r2] profile is not set in ~/.cloudflare/r2.credentials.
~[32m~[22m  Kubernetes: enabled [compute]~[0m
    Allowed contexts:
    └── kind-skypilot: enabled.
~[32m~[22m  Nebius: enabled [compute]~[0m
    Activated account: vibeml-sa
    Reason [storage]: [nebius] profile is not set in ~/.aws/credentials.

🎉 Enabled infra 🎉
  ~[32mKubernetes [compute]~[0m
    Allowed contexts:
    └── kind-skypilot
  ~[32mNebius [compute]~[0m
)SKY";

const char *const kGpusWithRegion
    = R"SKY(GPU   QTY  CLOUD   INSTANCE_TYPE                     DEVICE_MEM  vCPUs  HOST_MEM  HOURLY_PRICE  HOURLY_SPOT_PRICE  REGION     
H100  1    Nebius  gpu-h100-sxm_1gpu-16vcpu-200gb    80GB        16     200GB     $ 2.950       $ 1.250            eu-north1  
H100  8    Nebius  gpu-h100-sxm_8gpu-128vcpu-1600gb  80GB        128    1600GB    $ 23.600      $ 10.000           eu-north1  

GPU   QTY  CLOUD   INSTANCE_TYPE               DEVICE_MEM  vCPUs  HOST_MEM  HOURLY_PRICE  HOURLY_SPOT_PRICE  REGION     
L40S  1    Nebius  gpu-l40s-a_1gpu-8vcpu-32gb  48GB        8      32GB      $ 1.548       -                  eu-north1  
)SKY";

const char *const kGpusAll
    = R"SKY(GPU   QTY  CLOUD   INSTANCE_TYPE                     DEVICE_MEM  vCPUs  HOST_MEM  HOURLY_PRICE  HOURLY_SPOT_PRICE  
H200  1    Nebius  gpu-h200-sxm_1gpu-16vcpu-200gb    141GB       16     200GB     $ 3.500       $ 1.450            
H200  8    Nebius  gpu-h200-sxm_8gpu-128vcpu-1600gb  141GB       128    1600GB    $ 28.000      $ 11.600           
)SKY";

const char *const kApiInfo = R"SKY(SkyPilot client version: 0.10.3, commit: 8e4a1b2c3d4e5f60718293a4b5c6d7e8f9012345
Using SkyPilot API server and dashboard: http://127.0.0.1:46580
├── Status: ApiServerStatus.HEALTHY, commit: 8e4a1b2c3d4e5f60718293a4b5c6d7e8f9012345, version: 0.10.3
├── User: alice (a1b2c3d4)
└── Endpoint set via the default endpoint
)SKY";

} // namespace

void TestSkyOutput::check_data()
{
    QTest::addColumn<QString>("output");
    QTest::addColumn<QStringList>("enabled");
    QTest::addColumn<QStringList>("enabledInfra");
    QTest::addColumn<QString>("apiServer");
    QTest::addColumn<QString>("nebiusReason"); // a piece of it; empty: none recorded

    QTest::newRow("Nebius enabled") << text(kCheckEnabled) << QStringList {QStringLiteral("nebius=enabled")}
                                    << QStringList {QStringLiteral("nebius")}
                                    << QStringLiteral("http://127.0.0.1:46580") << QString();
    QTest::newRow("Nebius disabled: no credentials")
        << text(kCheckNoCredentials) << QStringList {QStringLiteral("nebius=disabled")} << QStringList()
        << QStringLiteral("http://127.0.0.1:46580") << QStringLiteral("nebius iam get-access-token");
    QTest::newRow("several clouds, colours, contexts")
        << text(kCheckSeveral)
        << QStringList {QStringLiteral("aws=disabled"), QStringLiteral("cloudflare=disabled"),
                        QStringLiteral("kubernetes=enabled"), QStringLiteral("nebius=enabled")}
        << QStringList {QStringLiteral("kubernetes"), QStringLiteral("nebius")} << QString() << QString();
    QTest::newRow("CRLF") << crlf(text(kCheckNoCredentials)) << QStringList {QStringLiteral("nebius=disabled")}
                          << QStringList() << QStringLiteral("http://127.0.0.1:46580")
                          << QStringLiteral("or generate  ~/.nebius/credentials.json");
}

void TestSkyOutput::check()
{
    QFETCH(QString, output);
    QFETCH(QStringList, enabled);
    QFETCH(QStringList, enabledInfra);
    QFETCH(QString, apiServer);
    QFETCH(QString, nebiusReason);

    const auto result = parseCheck(output);
    QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
    const CheckReport &report = result.value();
    QCOMPARE(dump(report.enabled), enabled);
    QCOMPARE(report.enabledInfra, enabledInfra);
    QCOMPARE(report.apiServer, apiServer);
    if (nebiusReason.isEmpty()) {
        QVERIFY(!report.reasons.contains(QStringLiteral("nebius")));
    } else {
        QVERIFY2(report.reasons.value(QStringLiteral("nebius")).contains(nebiusReason),
                 qPrintable(report.reasons.value(QStringLiteral("nebius"))));
        // Reasons are plain lines: no colour codes, no indentation.
        QVERIFY(!report.reasons.value(QStringLiteral("nebius")).contains(QChar(0x1b)));
        QVERIFY(report.reasons.value(QStringLiteral("nebius")).startsWith(QStringLiteral("Reason [compute]:")));
    }
    if (report.enabled.contains(QStringLiteral("aws")))
        QVERIFY(report.reasons.value(QStringLiteral("aws")).contains(QStringLiteral("aws configure")));
}

void TestSkyOutput::showGpus_data()
{
    QTest::addColumn<QString>("output");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("two tables with REGION")
        << text(kGpusWithRegion)
        << QStringList {QStringLiteral("H100|1|Nebius|gpu-h100-sxm_1gpu-16vcpu-200gb|80GB|2.950|1.250|eu-north1"),
                        QStringLiteral("H100|8|Nebius|gpu-h100-sxm_8gpu-128vcpu-1600gb|80GB|23.600|10.000|eu-north1"),
                        QStringLiteral("L40S|1|Nebius|gpu-l40s-a_1gpu-8vcpu-32gb|48GB|1.548|-|eu-north1")};
    QTest::newRow("-a: no REGION")
        << text(kGpusAll)
        << QStringList {QStringLiteral("H200|1|Nebius|gpu-h200-sxm_1gpu-16vcpu-200gb|141GB|3.500|1.450|"),
                        QStringLiteral("H200|8|Nebius|gpu-h200-sxm_8gpu-128vcpu-1600gb|141GB|28.000|11.600|")};
    QTest::newRow("not found is an empty list")
        << text("Resources 'B300:8' not found on Nebius. To show available accelerators, run: sky show-gpus --all\n")
        << QStringList();
    QTest::newRow("overview without a GPU name") << text(
        "COMMON_GPU  AVAILABLE_QUANTITIES  \nH100        1, 8                  \nH200        1, 8                  \n\n"
        "Hint: use -a/--all to see all accelerators (including non-common ones) and pricing.\n")
                                                 << QStringList();
}

void TestSkyOutput::showGpus()
{
    QFETCH(QString, output);
    QFETCH(QStringList, expected);
    const auto result = parseShowGpus(output);
    QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
    QCOMPARE(dump(result.value()), expected);
}

void TestSkyOutput::version_data()
{
    QTest::addColumn<QString>("output");
    QTest::addColumn<QString>("version"); // empty: refused

    QTest::newRow("release") << text("skypilot, version 0.10.3\n") << QStringLiteral("0.10.3");
    QTest::newRow("nightly") << text("skypilot, version 1.0.0.dev20250926\n") << QStringLiteral("1.0.0.dev20250926");
    QTest::newRow("after a warning") << text(
        "W 10-26 15:54:16 skypilot_config.py:120] Config file ~/.sky/config.yaml is empty.\n"
        "skypilot, version 0.10.5\n") << QStringLiteral("0.10.5");
    QTest::newRow("CRLF, colour") << text("~[1mskypilot~[0m, version 0.9.3\r\n") << QStringLiteral("0.9.3");
    QTest::newRow("api info client line")
        << text("SkyPilot client version: 0.10.3, commit: 8e4a1b2c\n") << QStringLiteral("0.10.3");
    QTest::newRow("no version") << text("skypilot\n") << QString();
    QTest::newRow("not a version") << text("version: unknown\n") << QString();
    QTest::newRow("command not found") << text("bash: sky: command not found\n") << QString();
}

void TestSkyOutput::version()
{
    QFETCH(QString, output);
    QFETCH(QString, version);
    const auto result = parseVersion(output);
    if (version.isEmpty()) {
        QVERIFY(!result);
        QVERIFY2(isReadable(result.error().message), qPrintable(result.error().message));
        return;
    }
    QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
    QCOMPARE(result.value().clientVersion, version);
}

void TestSkyOutput::apiInfo_data()
{
    QTest::addColumn<QString>("output");
    QTest::addColumn<QStringList>("expected"); // client|commit|url|status|server version|server commit|user|user id

    const QString commit = QStringLiteral("8e4a1b2c3d4e5f60718293a4b5c6d7e8f9012345");
    QTest::newRow("current") << text(kApiInfo)
                             << QStringList {QStringLiteral("0.10.3"),
                                             commit,
                                             QStringLiteral("http://127.0.0.1:46580"),
                                             QStringLiteral("HEALTHY"),
                                             QStringLiteral("0.10.3"),
                                             commit,
                                             QStringLiteral("alice"),
                                             QStringLiteral("a1b2c3d4")};
    QTest::newRow("server just started, CRLF") << crlf(text("✓ SkyPilot API server started.\n") + text(kApiInfo))
                                               << QStringList {QStringLiteral("0.10.3"),
                                                               commit,
                                                               QStringLiteral("http://127.0.0.1:46580"),
                                                               QStringLiteral("HEALTHY"),
                                                               QStringLiteral("0.10.3"),
                                                               commit,
                                                               QStringLiteral("alice"),
                                                               QStringLiteral("a1b2c3d4")};
    QTest::newRow("older wording, remote server needing auth")
        << text("Using SkyPilot API server: https://sky.example.com\n"
                "├── Status: needs_auth, commit: abc1234, version: 1.0.0-dev0\n└── User: bob@example.com\n")
        << QStringList {QString(),
                        QString(),
                        QStringLiteral("https://sky.example.com"),
                        QStringLiteral("NEEDS_AUTH"),
                        QStringLiteral("1.0.0-dev0"),
                        QStringLiteral("abc1234"),
                        QStringLiteral("bob@example.com"),
                        QString()};
}

void TestSkyOutput::apiInfo()
{
    QFETCH(QString, output);
    QFETCH(QStringList, expected);
    const auto result = parseApiInfo(output);
    QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
    const VersionInfo &info = result.value();
    QCOMPARE((QStringList {info.clientVersion, info.clientCommit, info.serverUrl, info.serverStatus, info.serverVersion,
                           info.serverCommit, info.user, info.userId}),
             expected);
}

// ================================================================================================
// sky logs --status
// ================================================================================================

void TestSkyOutput::finalStatus_data()
{
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<FinalJobStatus>("expected");
    QTest::newRow("0") << 0 << FinalJobStatus::Succeeded;
    QTest::newRow("100") << 100 << FinalJobStatus::Failed;
    QTest::newRow("101") << 101 << FinalJobStatus::NotFinished;
    QTest::newRow("102") << 102 << FinalJobStatus::NotFound;
    QTest::newRow("103") << 103 << FinalJobStatus::Cancelled;
    QTest::newRow("1") << 1 << FinalJobStatus::Unknown;
    QTest::newRow("2") << 2 << FinalJobStatus::Unknown;
    QTest::newRow("104") << 104 << FinalJobStatus::Unknown;
    QTest::newRow("-1 (crashed)") << -1 << FinalJobStatus::Unknown;
    QTest::newRow("255") << 255 << FinalJobStatus::Unknown;
}

void TestSkyOutput::finalStatus()
{
    QFETCH(int, exitCode);
    QFETCH(FinalJobStatus, expected);
    QCOMPARE(finalStatusFromExitCode(exitCode), expected);
}

void TestSkyOutput::statusWord_data()
{
    QTest::addColumn<QString>("output");
    QTest::addColumn<QString>("expected"); // empty: none

    QTest::newRow("succeeded") << text("Job 3: SUCCEEDED\n") << QStringLiteral("SUCCEEDED");
    QTest::newRow("failed setup, colour") << text("Job 12: ~[31mFAILED_SETUP~[0m\n") << QStringLiteral("FAILED_SETUP");
    QTest::newRow("after a banner, CRLF")
        << text("✓ SkyPilot API server started.\r\nJob 1: RUNNING\r\n") << QStringLiteral("RUNNING");
    QTest::newRow("last one wins") << text("Job 3: PENDING\nJob 4: CANCELLED\n") << QStringLiteral("CANCELLED");
    QTest::newRow("no job") << text("No job found on cluster 'vibeml-ft-1a2b'.\n") << QString();
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("lower case is not a status") << text("Job 3: succeeded\n") << QString();
}

void TestSkyOutput::statusWord()
{
    QFETCH(QString, output);
    QFETCH(QString, expected);
    QCOMPARE(jobStatusWord(output).value_or(QString()), expected);
}

// ================================================================================================
// Failures
// ================================================================================================

namespace {

const char *const kTracebackNoCapacity = R"SKY(⚙︎ Launching on Nebius eu-north1.
W 10-26 15:54:16 instance.py:212] Failed to create instance vibeml-ft-1a2b-head: Resource exhausted: no H100 hosts left in eu-north1
Traceback (most recent call last):
  File "/home/alice/.venv/bin/sky", line 8, in <module>
    sys.exit(cli())
  File "/home/alice/.venv/lib/python3.11/site-packages/sky/client/cli/command.py", line 1203, in launch
    _async_call_or_wait(request_id, async_call, 'sky.launch')
  File "/home/alice/.venv/lib/python3.11/site-packages/sky/client/sdk.py", line 1810, in get
    raise exception
sky.exceptions.ResourcesUnavailableError: Failed to provision all possible launchable resources. Relax the task's resource requirements: 1x Nebius({'H100': 8})
To keep retrying until the cluster is up, use the `--retry-until-up` flag.
)SKY";

const char *const kQuota = R"SKY(⚙︎ Launching on Nebius eu-north1.
sky.exceptions.ResourcesUnavailableError: Failed to acquire resources in all zones in eu-north1 for {Nebius({'H100': 8})}. RESOURCE_EXHAUSTED: Quota exceeded for compute.gpu.h100: limit 8, requested 16
)SKY";

const char *const kAutodown = R"SKY(Traceback (most recent call last):
  File "/home/alice/.venv/lib/python3.11/site-packages/sky/resources.py", line 1502, in _try_validate_autostop
    raise exceptions.NotSupportedError(
sky.exceptions.NotSupportedError: The following features are not supported by Nebius:
        Feature                     Reason
        autodown                    Autodown not supported. Can't delete OS disk.
)SKY";

const char *const kVersionMismatch
    = R"SKY(sky.exceptions.APIVersionMismatchError: Client and local API server version mismatch: client 0.10.3 (API version 14), server 0.9.1 (API version 11).
Please restart the local API server with: sky api stop; sky api start
)SKY";

const char *const kTooOld
    = R"SKY(RuntimeError: SkyPilot API server is too old: v10 (client version is v14). Please refer to the following link to upgrade your server: https://docs.skypilot.co/en/latest/reference/api-server/api-server-upgrade.html
)SKY";

const char *const kConnectionRefused = R"SKY(Traceback (most recent call last):
  File "/home/alice/.venv/lib/python3.11/site-packages/urllib3/connection.py", line 198, in _new_conn
    sock = connection.create_connection(
ConnectionRefusedError: [Errno 111] Connection refused

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/home/alice/.venv/lib/python3.11/site-packages/requests/adapters.py", line 667, in send
    resp = conn.urlopen(
requests.exceptions.ConnectionError: HTTPConnectionPool(host='127.0.0.1', port=46580): Max retries exceeded with url: /api/health (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f3a2c1d5e10>: Failed to establish a new connection: [Errno 111] Connection refused'))
)SKY";

const char *const kInvalidTask = R"SKY(Traceback (most recent call last):
  File "/home/alice/.venv/lib/python3.11/site-packages/sky/utils/common_utils.py", line 823, in validate_schema
    raise exceptions.InvalidSkyPilotConfigError(err_msg)
ValueError: Invalid task YAML: Additional properties are not allowed ('resourcs' was unexpected)
)SKY";

const char *const kTrainingCrash = R"SKY(⚙︎ Job submitted, ID: 2
(task, pid=2107) Traceback (most recent call last):
(task, pid=2107)   File "/home/ubuntu/sky_workdir/train.py", line 311, in <module>
(task, pid=2107)     trainer.train()
(task, pid=2107) torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.10 GiB
✗ Job finished (status: FAILED).
)SKY";

} // namespace

void TestSkyOutput::failure_data()
{
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("out");
    QTest::addColumn<QString>("err");
    QTest::addColumn<SkyFailure::Kind>("kind");
    QTest::addColumn<QString>("inMessage");
    QTest::addColumn<QString>("inAdvice");
    QTest::addColumn<QString>("inDetail");

    using Kind = SkyFailure::Kind;
    QTest::newRow("no Nebius credentials (sky check)")
        << 1 << text(kCheckNoCredentials) << QString() << Kind::CredentialsMissing
        << QStringLiteral("no Nebius credentials")
        << QStringLiteral("nebius iam auth-public-key generate --service-account-id $SA_ID --output "
                          "~/.nebius/credentials.json")
        << QStringLiteral("Using SkyPilot API server");
    QTest::newRow("no tenant id") << 1
                                  << text("  Nebius: disabled \n    Reason [compute]: Copy your tenant ID from the web "
                                          "console and save it to file \n"
                                          "        $ echo $NEBIUS_TENANT_ID_PATH > ~/.nebius/NEBIUS_TENANT_ID.txt \n")
                                  << QString() << Kind::CredentialsMissing << QStringLiteral("tenant ID")
                                  << QStringLiteral("~/.nebius/NEBIUS_TENANT_ID.txt")
                                  << QStringLiteral("NEBIUS_TENANT_ID");
    QTest::newRow("credentials rejected")
        << 1
        << text("  Nebius: disabled \n    Reason [compute]: UNAUTHENTICATED: token is expired \n"
                "    Credentials can be set up by running: \n")
        << QString() << Kind::CredentialsMissing << QStringLiteral("rejected") << QStringLiteral("sky check nebius")
        << QStringLiteral("UNAUTHENTICATED");
    QTest::newRow("cloud access not set up")
        << 1 << QString()
        << text("sky.exceptions.NoCloudAccessError: Cloud access is not set up. Run: ~[1msky check~[0m\n")
        << Kind::CloudDisabled << QStringLiteral("not enabled") << QStringLiteral("sky check nebius")
        << QStringLiteral("NoCloudAccessError: Cloud access is not set up. Run: sky check");
    QTest::newRow("no cloud is enabled") << 1 << QString()
                                         << text("RuntimeError: No cloud is enabled. Run `sky check` to enable one.\n")
                                         << Kind::CloudDisabled << QStringLiteral("Nebius")
                                         << QStringLiteral("sky check") << QStringLiteral("No cloud");
    QTest::newRow("Nebius not enabled")
        << 1 << QString()
        << text("ValueError: Cloud Nebius is not enabled. Enabled clouds: [Kubernetes]. Run `sky check`.\n")
        << Kind::CloudDisabled << QStringLiteral("not enabled") << QStringLiteral("sky check nebius")
        << QStringLiteral("Cloud Nebius is not enabled");
    QTest::newRow("no capacity, with a traceback")
        << 1 << QString() << text(kTracebackNoCapacity) << Kind::NoCapacity << QStringLiteral("capacity")
        << QStringLiteral("another region") << QStringLiteral("ResourcesUnavailableError: Failed to provision");
    QTest::newRow("insufficient capacity")
        << 1 << QString() << text("RuntimeError: insufficient capacity for gpu-h200-sxm in eu-west1\n")
        << Kind::NoCapacity << QStringLiteral("capacity") << QStringLiteral("spot and on-demand")
        << QStringLiteral("insufficient capacity");
    QTest::newRow("quota") << 1 << QString() << text(kQuota) << Kind::Quota << QStringLiteral("quota")
                           << QStringLiteral("raise") << QStringLiteral("Quota exceeded");
    QTest::newRow("autodown") << 1 << QString() << text(kAutodown) << Kind::AutodownUnsupported
                              << QStringLiteral("autodown") << QStringLiteral("sky down")
                              << QStringLiteral("Autodown not supported");
    QTest::newRow("version mismatch") << 1 << QString() << text(kVersionMismatch) << Kind::VersionMismatch
                                      << QStringLiteral("different versions")
                                      << QStringLiteral("pip install -U \"skypilot[nebius]\"")
                                      << QStringLiteral("sky api stop; sky api start");
    QTest::newRow("server too old") << 1 << QString() << text(kTooOld) << Kind::VersionMismatch
                                    << QStringLiteral("versions") << QStringLiteral("sky api stop; sky api start")
                                    << QStringLiteral("too old");
    QTest::newRow("could not connect")
        << 1 << QString()
        << text("RuntimeError: Could not connect to SkyPilot API server at http://127.0.0.1:46580. Please ensure "
                "that the server is running. Try: curl http://127.0.0.1:46580/api/health\n")
        << Kind::ApiServerUnreachable << QStringLiteral("cannot be reached") << QStringLiteral("sky api start")
        << QStringLiteral("Could not connect");
    QTest::newRow("connection refused, chained tracebacks")
        << 1 << QString() << text(kConnectionRefused) << Kind::ApiServerUnreachable << QStringLiteral("API server")
        << QStringLiteral("SKYPILOT_API_SERVER_ENDPOINT") << QStringLiteral("requests.exceptions.ConnectionError");
    QTest::newRow("cluster does not exist")
        << 1 << QString() << text("sky.exceptions.ClusterDoesNotExist: Cluster 'vibeml-ft-1a2b' does not exist.\n")
        << Kind::ClusterNotFound << QStringLiteral("'vibeml-ft-1a2b'") << QStringLiteral("sky status --refresh")
        << QStringLiteral("ClusterDoesNotExist");
    QTest::newRow("sky down: not found") << 0 << text("Cluster(s) not found (tip: see sky status).\n") << QString()
                                         << Kind::ClusterNotFound << QStringLiteral("does not exist")
                                         << QStringLiteral("refresh") << QStringLiteral("Cluster(s) not found");
    QTest::newRow("invalid task") << 1 << QString() << text(kInvalidTask) << Kind::InvalidTask
                                  << QStringLiteral("task YAML") << QStringLiteral("unknown keys")
                                  << QStringLiteral("Additional properties are not allowed");
    QTest::newRow("jsonschema")
        << 1 << QString()
        << text("jsonschema.exceptions.ValidationError: 'H100:x' is not valid under any of the given schemas\n")
        << Kind::InvalidTask << QStringLiteral("rejected") << QStringLiteral("detail")
        << QStringLiteral("ValidationError");
    QTest::newRow("training crash") << 1 << text(kTrainingCrash) << QString() << Kind::Unknown
                                    << QStringLiteral("exit code 1") << QStringLiteral("sky api logs")
                                    << QStringLiteral("torch.OutOfMemoryError: CUDA out of memory");
    QTest::newRow("usage error") << 2 << QString()
                                 << text(
                                        "Usage: sky launch [OPTIONS] [ENTRYPOINT]...\nTry 'sky launch -h' for help.\n\n"
                                        "Error: No such option: --frobnicate\n")
                                 << Kind::Unknown << QStringLiteral("usage error") << QStringLiteral("detail")
                                 << QStringLiteral("Error: No such option: --frobnicate");
    QTest::newRow("nothing at all") << 137 << QString() << QString() << Kind::Unknown << QStringLiteral("exit code 137")
                                    << QStringLiteral("sky api logs") << QString();
    QTest::newRow("no job found is not a missing cluster")
        << 102 << text("No job found on cluster 'vibeml-ft-1a2b'.\n") << QString() << Kind::Unknown
        << QStringLiteral("102") << QString() << QStringLiteral("No job found");
}

void TestSkyOutput::failure()
{
    QFETCH(int, exitCode);
    QFETCH(QString, out);
    QFETCH(QString, err);
    QFETCH(SkyFailure::Kind, kind);
    QFETCH(QString, inMessage);
    QFETCH(QString, inAdvice);
    QFETCH(QString, inDetail);

    const SkyFailure failure = classifyFailure(exitCode, out, err);
    QCOMPARE(failure.kind, kind);
    QVERIFY2(failure.message.contains(inMessage), qPrintable(failure.message));
    QVERIFY2(failure.advice.contains(inAdvice), qPrintable(failure.advice));
    QVERIFY2(failure.detail.contains(inDetail), qPrintable(failure.detail));
    QVERIFY2(isReadable(failure.message), qPrintable(failure.message));
    QVERIFY2(failure.message.endsWith(u'.'), qPrintable(failure.message));
    QVERIFY(!failure.advice.isEmpty());
    QVERIFY(!failure.detail.contains(QChar(0x1b)));
    QVERIFY2(failure.detail.count(u'\n') <= 2, qPrintable(failure.detail));
}

void TestSkyOutput::failureDetail_data()
{
    QTest::addColumn<QString>("err");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("traceback frames are skipped")
        << text(kInvalidTask)
        << QStringList {QStringLiteral("ValueError: Invalid task YAML: Additional properties are not allowed "
                                       "('resourcs' was unexpected)")};
    QTest::newRow("chained tracebacks keep both exception lines")
        << text(kConnectionRefused)
        << QStringList {QStringLiteral("ConnectionRefusedError: [Errno 111] Connection refused"),
                        text(kConnectionRefused).split(u'\n').at(10)};
    QTest::newRow("exception line kept when hints follow it")
        << text("sky.exceptions.ResourcesUnavailableError: Failed to provision all possible launchable resources.\n"
                "To keep retrying until the cluster is up, use the `--retry-until-up` flag.\nHint: try eu-west1\n"
                "Hint: try H200\n")
        << QStringList {QStringLiteral("sky.exceptions.ResourcesUnavailableError: Failed to provision all possible "
                                       "launchable resources."),
                        QStringLiteral("Hint: try eu-west1"), QStringLiteral("Hint: try H200")};
    QTest::newRow("spinner frames and markers are skipped")
        << text("⠏ Launching  View logs: sky api logs -l x\n    ^^^^^^^^\nRuntimeError: boom\n")
        << QStringList {QStringLiteral("RuntimeError: boom")};
    QTest::newRow("very long lines are cut")
        << QString(QStringLiteral("RuntimeError: ") + QString(1000, u'x'))
        << QStringList {QString(QStringLiteral("RuntimeError: ") + QString(286, u'x') + u'…')};
}

void TestSkyOutput::failureDetail()
{
    QFETCH(QString, err);
    QFETCH(QStringList, expected);
    QCOMPARE(classifyFailure(1, QString(), err).detail, expected.join(u'\n'));
}

// ================================================================================================
// Tables in general
// ================================================================================================

namespace {

const Parser &parserNamed(const QString &name)
{
    for (const Parser &parser : allParsers()) {
        if (QLatin1String(parser.name) == name)
            return parser;
    }
    qFatal("no parser named %s", qPrintable(name));
}

const char *const kRagged = R"SKY(Clusters
NAME            INFRA               RESOURCES             STATUS  AUTOSTOP  LAUNCHED    
short-row       Nebius (eu-north1)
long-row        Nebius (eu-north1)  1x(gpus=H100:1, ...)  UP      30m       7 mins ago  and text past the end
half            Nebius (eu-north1)  1x(gpus=H1
n
)SKY";

} // namespace

void TestSkyOutput::headerWithoutRows_data()
{
    QTest::addColumn<QString>("parser");
    QTest::addColumn<QString>("output");

    QTest::newRow("status") << QStringLiteral("status")
                            << text("Clusters\nNAME  INFRA  RESOURCES  STATUS  AUTOSTOP  LAUNCHED  \n");
    QTest::newRow("queue") << QStringLiteral("queue")
                           << text("ID  NAME  USER  SUBMITTED  STARTED  DURATION  RESOURCES  STATUS  LOG  \n");
    QTest::newRow("jobs queue")
        << QStringLiteral("jobs-queue")
        << text("ID  TASK  NAME  REQUESTED  SUBMITTED  TOT. DURATION  JOB DURATION  #RECOVERIES  STATUS  \n");
    QTest::newRow("show-gpus")
        << QStringLiteral("show-gpus")
        << text("GPU  QTY  CLOUD  INSTANCE_TYPE  DEVICE_MEM  vCPUs  HOST_MEM  HOURLY_PRICE  HOURLY_SPOT_PRICE  \n");
    QTest::newRow("launch plan") << QStringLiteral("launch")
                                 << text("Considered resources (1 node):\n-----\n INFRA  INSTANCE  vCPUs  Mem(GB)  "
                                         "GPUS  COST ($)  CHOSEN  \n-----\n-----\n");
}

void TestSkyOutput::headerWithoutRows()
{
    QFETCH(QString, parser);
    QFETCH(QString, output);
    const Outcome outcome = parserNamed(parser).parse(output);
    QVERIFY2(!outcome, qPrintable(outcome.value_or(QString())));
    // And nothing is invented from the header itself.
    if (parser == u"status")
        QVERIFY(parseStatus(output).value().clusters.isEmpty());
    if (parser == u"queue")
        QVERIFY(parseQueue(output).value().jobs.isEmpty());
    if (parser == u"jobs-queue")
        QVERIFY(parseJobsQueue(output).value().isEmpty());
    if (parser == u"show-gpus")
        QVERIFY(parseShowGpus(output).value().isEmpty());
    if (parser == u"launch")
        QVERIFY(parseLaunch(output).value().considered.isEmpty());
}

void TestSkyOutput::raggedRows()
{
    const auto status = parseStatus(text(kRagged));
    QVERIFY(status);
    QCOMPARE(dump(status.value()),
             (QStringList {QStringLiteral("short-row|Nebius (eu-north1)||||||"),
                           QStringLiteral("long-row|Nebius (eu-north1)|1x(gpus=H100:1, ...)|UP|30m|"
                                          "7 mins ago  and text past the end||"),
                           QStringLiteral("half|Nebius (eu-north1)|1x(gpus=H1|||||"), QStringLiteral("n|||||||")}));

    const auto queue
        = parseQueue(text("Job queue of current user on cluster c\n"
                          "ID  NAME  STATUS  \n3\nx   bad   RUNNING\n4   ok    RUNNING  trailing words\n"));
    QVERIFY(queue);
    QCOMPARE(dump(queue.value()),
             (QStringList {QStringLiteral("c|3||||||||"), QStringLiteral("c|4|ok||||||RUNNING  trailing words|")}));

    const auto gpus = parseShowGpus(text("GPU   QTY  CLOUD   \nH100\nH100  x    Nebius  extra\n"));
    QVERIFY(gpus);
    QCOMPARE(dump(gpus.value()),
             (QStringList {QStringLiteral("H100|0||||-|-|"), QStringLiteral("H100|0|Nebius  extra|||-|-|")}));
}

// ================================================================================================
// Hostile input
// ================================================================================================

namespace {

QByteArray randomBytes(qsizetype size, quint32 seed, bool withNewlines)
{
    QRandomGenerator generator(seed);
    QByteArray bytes(size, Qt::Uninitialized);
    for (char &byte : bytes) {
        byte = static_cast<char>(generator.bounded(256));
        if (withNewlines && generator.bounded(40) == 0)
            byte = '\n';
    }
    return bytes;
}

// Repeats line until the result holds at least `size` characters (appending: linear).
QString repeated(const QString &line, qsizetype size)
{
    QString out;
    out.reserve(size + line.size());
    while (out.size() < size)
        out.append(line);
    return out;
}

constexpr qsizetype kTenMegabytes = 10 * 1024 * 1024;

} // namespace

void TestSkyOutput::hostile_data()
{
    QTest::addColumn<QString>("input");

    QTest::newRow("empty") << QString();
    QTest::newRow("blank lines") << text("\n\n   \n\t\n\r\n");
    QTest::newRow("random bytes") << QString::fromUtf8(randomBytes(64 * 1024, 7, false));
    QTest::newRow("random bytes with newlines") << QString::fromUtf8(randomBytes(64 * 1024, 11, true));
    QTest::newRow("random bytes as Latin-1") << QString::fromLatin1(randomBytes(64 * 1024, 13, true));
    QTest::newRow("invalid UTF-8") << QString::fromUtf8(
        QByteArray("\xff\xfe\xfd N\xc3\x28M\xe2\x82 E\n\xf0\x28\x8c\x28 \xed\xa0\x80\n"));
    QTest::newRow("lone surrogates") << QStringView(u"\xD800 a\xDC00  b\xD800\n\xDBFF\xDBFF  \xDFFF  x\n").toString();
    QTest::newRow("only ANSI codes") << text("~[31m~[0m~[1m~[2K~[1A~[?25l~[?25h\r~[0m\n~[36m~[1m~[0m\n");
    QTest::newRow("OSC hyperlink and charset codes")
        << QString(text("\x1b]8;;http://127.0.0.1:46580\x07\x1b]8;;\x1b\\\x1b(B\x1b)0\x1b=\x1b>\n"));
    QTest::newRow("unterminated escapes") << text("~[38;5;") + QStringLiteral("\x1b]8;;http://x") + QChar(0x1b);
    QTest::newRow("NUL and control characters") << QString(256, QChar(0)) + QStringLiteral("\x01\x02\x07\x08\x7f");
    QTest::newRow("one long line") << QString(1024 * 1024, u'x');
    QTest::newRow("carriage returns only") << text("abc\rdef\rghi\r");
    QTest::newRow("rules only") << text("-----\n----------\n   -----\n");
    QTest::newRow("emoji and combining marks") << QString::fromUtf8(
        "🎉\xcc\x81\xcc\x81\xe2\x80\x8b ☃️ 👩‍👩‍👧  ✔  ✗ ⚙︎ 📋\n├── └──\n");
    QTest::newRow("a lone table header of another command") << text("COST/hr  COST (est.)  \n$ 1.00   $ 2.00\n");
    QTest::newRow("prompt only") << text("Proceed? [Y/n]: ");
}

void TestSkyOutput::hostile()
{
    QFETCH(QString, input);
    for (const Parser &parser : allParsers()) {
        const Outcome outcome = parser.parse(input);
        if (!parser.canFail)
            continue;
        QVERIFY2(outcome.has_value(), parser.name);
        QVERIFY2(isReadable(*outcome), qPrintable(QLatin1String(parser.name) + u": " + *outcome));
        QVERIFY2(outcome->startsWith(u"sky "), qPrintable(*outcome));
    }
    // The failure classifier always answers, with a sentence and advice.
    const SkyFailure failure = classifyFailure(1, input, input);
    QCOMPARE(failure.kind, SkyFailure::Kind::Unknown);
    QVERIFY(isReadable(failure.message));
    QVERIFY(!failure.advice.isEmpty());
    QVERIFY(!jobStatusWord(input).has_value());
}

void TestSkyOutput::hugeInputsStayFast_data()
{
    QTest::addColumn<QString>("parser");
    QTest::addColumn<QString>("input");
    QTest::addColumn<int>("expectedCount"); // rows parsed; -1: only that it answers

    const QString clusterRow = QStringLiteral(
        "vibeml-ft-1a2b  Nebius (eu-north1)    1x(gpus=H100:1, ...)  UP            30m         7 mins ago  \n");
    const QString statusHead
        = text("Clusters\nNAME            INFRA                 RESOURCES             STATUS        "
               "AUTOSTOP    LAUNCHED    \n");
    const QString statusRows = repeated(clusterRow, kTenMegabytes);
    QTest::newRow("status: 10 MB table") << QStringLiteral("status") << statusHead + statusRows
                                         << int(statusRows.size() / clusterRow.size());

    const QString jobRow = QStringLiteral("2   sft-run  alice  3 mins ago  3 mins ago  2m 41s    1x[H100:1]  RUNNING   "
                                          " ~/sky_logs/sky-2025-10-26  -  \n");
    const QString queueRows = repeated(jobRow, kTenMegabytes);
    QTest::newRow("queue: 10 MB table")
        << QStringLiteral("queue")
        << text("Job queue of current user on cluster c\nID  NAME     USER   SUBMITTED   STARTED     DURATION  "
                "RESOURCES   STATUS     LOG                        GIT COMMIT  \n")
            + queueRows
        << int(queueRows.size() / jobRow.size());

    const QString managedRow = QStringLiteral(
        "4   -     sft-qwen   1x[H100:1]  2 mins ago  2m 5s          -             0            STARTING    \n");
    const QString managedRows = repeated(managedRow, kTenMegabytes);
    QTest::newRow("jobs queue: 10 MB table")
        << QStringLiteral("jobs-queue")
        << text("ID  TASK  NAME       REQUESTED   SUBMITTED   TOT. DURATION  JOB DURATION  #RECOVERIES  STATUS      \n")
            + managedRows
        << int(managedRows.size() / managedRow.size());

    const QString gpuRow = QStringLiteral("H100  1    Nebius  gpu-h100-sxm_1gpu-16vcpu-200gb    80GB        16     "
                                          "200GB     $ 2.950       $ 1.250            eu-north1  \n");
    const QString gpuRows = repeated(gpuRow, kTenMegabytes);
    QTest::newRow("show-gpus: 10 MB table")
        << QStringLiteral("show-gpus")
        << text("GPU   QTY  CLOUD   INSTANCE_TYPE                     DEVICE_MEM  vCPUs  HOST_MEM  HOURLY_PRICE  "
                "HOURLY_SPOT_PRICE  REGION     \n")
            + gpuRows
        << int(gpuRows.size() / gpuRow.size());

    QTest::newRow("launch: 10 MB of streamed log") << QStringLiteral("launch")
                                                   << text(kPlanTwoOffers) + text("⚙︎ Job submitted, ID: 1\n")
            + repeated(QStringLiteral("(task, pid=2107) {'loss': 1.234, 'epoch': 0.1} Job ID: 7 status: ok\n"),
                       kTenMegabytes)
            + text("✓ Job finished (status: SUCCEEDED).\nJob ID: 1\nCluster name: vibeml-ft-1a2b\n")
                                                   << 2;
    QTest::newRow("check: 10 MB of reasons") << QStringLiteral("check")
                                             << text("  Nebius: disabled\n")
            + repeated(QStringLiteral("    Reason: something is not right here\n"), kTenMegabytes)
                                             << 1;
    QTest::newRow("version after 10 MB of warnings")
        << QStringLiteral("version")
        << repeated(QStringLiteral("W 10-26 15:54:16 config.py:1] warning about version numbers\n"), kTenMegabytes)
            + text("skypilot, version 0.10.3\n")
        << -1;
    QTest::newRow("api info after 10 MB")
        << QStringLiteral("api-info")
        << repeated(QStringLiteral("noise noise noise noise\n"), kTenMegabytes) + text(kApiInfo) << -1;
    QTest::newRow("job status word in 10 MB")
        << QStringLiteral("job-status-word") << repeated(QStringLiteral("Job 1: RUNNING\n"), kTenMegabytes) << -1;
    QTest::newRow("failure: 10 MB of log")
        << QStringLiteral("classify-failure")
        << repeated(QStringLiteral("(task, pid=1) step 10 loss 0.5\n"), kTenMegabytes) + text(kQuota) << 0;
    const QString garbage = QString::fromUtf8(randomBytes(kTenMegabytes, 17, true));
    for (const Parser &parser : allParsers())
        QTest::addRow("%s: 10 MB of garbage", parser.name) << QString::fromLatin1(parser.name) << garbage << -1;
    const QString oneLine = QString(kTenMegabytes, u'-') + QStringLiteral("  NAME  STATUS  ID  GPU  QTY");
    for (const Parser &parser : allParsers())
        QTest::addRow("%s: one 10 MB line", parser.name) << QString::fromLatin1(parser.name) << oneLine << -1;
}

void TestSkyOutput::hugeInputsStayFast()
{
    QFETCH(QString, parser);
    QFETCH(QString, input);
    QFETCH(int, expectedCount);

    QElapsedTimer timer;
    timer.start();
    int count = -1;
    if (expectedCount < 0) {
        (void)parserNamed(parser).parse(input); // only that it answers, and in time
    } else if (parser == u"status") {
        count = int(parseStatus(input).value().clusters.size());
    } else if (parser == u"queue") {
        count = int(parseQueue(input).value().jobs.size());
    } else if (parser == u"jobs-queue") {
        count = int(parseJobsQueue(input).value().size());
    } else if (parser == u"show-gpus") {
        count = int(parseShowGpus(input).value().size());
    } else if (parser == u"launch") {
        const LaunchReport report = parseLaunch(input).value();
        QCOMPARE(report.jobId.value_or(-1), 1);
        QCOMPARE(report.clusterName, QStringLiteral("vibeml-ft-1a2b"));
        QCOMPARE(report.finalJobStatus.value_or(QString()), QStringLiteral("SUCCEEDED"));
        count = int(report.considered.size());
    } else if (parser == u"check") {
        const CheckReport report = parseCheck(input).value();
        QCOMPARE(report.enabled.value(QStringLiteral("nebius"), true), false);
        count = int(report.enabled.size());
    } else if (parser == u"classify-failure") {
        const SkyFailure failure = classifyFailure(1, input, input);
        QCOMPARE(failure.kind, SkyFailure::Kind::Quota);
        QVERIFY(failure.detail.contains(QStringLiteral("Quota exceeded")));
        count = 0;
    } else {
        QFAIL("no checks for this parser");
    }
    const qint64 elapsed = timer.elapsed();
    qInfo("%s: %lld ms for %lld characters", qPrintable(parser), elapsed, static_cast<long long>(input.size()));
    if (expectedCount >= 0)
        QCOMPARE(count, expectedCount);
    // Linear work on 10 MB takes well under a second in a release build; quadratic work would take hours.
    QVERIFY2(elapsed < 20000, qPrintable(QStringLiteral("%1 ms").arg(elapsed)));
}

VIBEML_TEST_MAIN_CORE(TestSkyOutput)
#include "tst_skyoutput.moc"
