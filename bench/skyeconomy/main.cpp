// Issue 9 item 4: how many `sky` processes VibeML spawns, counted by the fake `sky`
// (tests/fakes/fake_sky records the argv of every invocation in invocations.log).
//
// Monitoring: 1, 10 and 50 jobs are launched through the real JobService (one real `sky launch`
// of the fake each, with the monitor not yet started), the fake's clock is moved so every job is
// RUNNING, then the real JobMonitor watches them for 10 simulated minutes. Simulated time: the
// monitor's default timings (steady poll 30 s, reconcile 5 min, …) divided by kScale, and the
// ManualClock the monitor bills with moves kScale times faster than the wall clock. Counted per
// poll: every invocation between two pollFinished signals except the long-lived log followers
// (`sky logs --follow`, one per running job, started once), which are reported on their own.
//
// Launch path: a fresh fake, the monitor already running (as in the window), one launch through
// JobService; every invocation from the launch until the job is followed and two more polls have
// passed, each put in its place: the launch protocol's own calls, and the monitor's polls.

#include "BenchSupport.h"

#include "catalog/Catalog.h"
#include "common/Clock.h"
#include "jobs/JobService.h"
#include "jobs/JournalDatabase.h"
#include "sky/LaunchPlan.h"

#include "FakeSky.h"
#include "JobTestRig.h"
#include "TestSupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <memory>

using namespace vibeml;
using namespace vibeml::bench;
using namespace vibeml::jobs;
using namespace std::chrono_literals;

namespace {

constexpr int kScale = 10;             // 1 simulated second = 100 ms of wall time
constexpr int kSimulatedSeconds = 600; // 10 simulated minutes
constexpr int kLaunchesInFlight = 4;   // while seeding: concurrent `sky launch` processes
constexpr double kShiftSeconds = 4 * 3600; // how far the fake's timestamps move back: past SETTING_UP

MonitorTimings scaledTimings()
{
    const MonitorTimings defaults;
    MonitorTimings timings;
    timings.fast = defaults.fast / kScale;
    timings.steady = defaults.steady / kScale;
    timings.idle = defaults.idle / kScale;
    timings.maxBackoff = defaults.maxBackoff / kScale;
    timings.reconcileEvery = defaults.reconcileEvery / kScale;
    timings.observe = defaults.observe / kScale;
    timings.leaseTtl = defaults.leaseTtl; // on the ManualClock, which runs kScale times faster
    timings.commandTimeout = 60s;
    return timings;
}

cost::BudgetLimits generousLimits()
{
    cost::BudgetLimits limits;
    limits.perJobUsd = 100000;
    limits.monthlyUsd = 1000000;
    limits.approvalThresholdUsd = 100000;
    return limits;
}

bool isFollower(const QStringList &arguments)
{
    return arguments.value(0) == QLatin1String("logs") && arguments.contains(QStringLiteral("--follow"));
}

QString describe(const QStringList &arguments)
{
    // "sky status -r", "sky queue <50 clusters>", "sky logs --follow <cluster> 1"
    QStringList shown;
    int clusters = 0;
    for (const QString &argument : arguments) {
        if (argument.startsWith(QLatin1String("vibeml-")))
            ++clusters;
        else
            shown << argument;
    }
    QString text = QStringLiteral("sky ") + shown.join(u' ');
    if (clusters == 1)
        text += QStringLiteral(" <cluster>");
    else if (clusters > 1)
        text += QStringLiteral(" <%1 clusters>").arg(clusters);
    return text.trimmed();
}

// One VibeML process against one fake `sky`, each with its own folders.
class World
{
public:
    explicit World(const QString &name, int jobSeconds)
    {
        m_root = test::isolatedRoot() + u'/' + name;
        QDir().mkpath(m_root);
        m_sky.setConfig({{QStringLiteral("banner"), false}, {QStringLiteral("provision_seconds"), 0.2},
                         {QStringLiteral("job_seconds"), jobSeconds}, {QStringLiteral("log_lines"), 40},
                         {QStringLiteral("log_delay"), 0}, {QStringLiteral("follow_poll_seconds"), 1.0}});
        m_journal = std::make_unique<JournalDatabase>(m_root + QStringLiteral("/journal.sqlite"));
        if (const Status opened = m_journal->open(); !opened)
            qFatal("bench_skyeconomy: journal: %s", qPrintable(opened.message()));
        JobService::Config config;
        config.bundlesRoot = m_root + QStringLiteral("/runs");
        config.environment = test::fakeSkyEnvironment(m_sky);
        config.timings = scaledTimings();
        config.role = QStringLiteral("bench");
        m_service = std::make_unique<JobService>(*m_journal, m_clock, &m_catalog, config);
        // The billing clock runs kScale times faster than the wall clock.
        m_wall.start();
        m_start = m_clock.now();
        m_ticker.setInterval(50);
        QObject::connect(&m_ticker, &QTimer::timeout, [this] { m_clock.set(m_start.addMSecs(m_wall.elapsed() * kScale)); });
        m_ticker.start();
    }
    ~World()
    {
        m_ticker.stop();
        m_service->monitor().stop();
        m_service.reset();
        m_journal.reset();
    }

    JobService &service() { return *m_service; }
    JobMonitor &monitor() { return m_service->monitor(); }
    test::FakeSky &sky() { return m_sky; }

    // Launches every id (at most kLaunchesInFlight at once); false if one did not submit.
    bool launchAll(const QStringList &ids)
    {
        int next = 0;
        int inFlight = 0;
        int failed = 0;
        int finished = 0;
        QObject guard;
        QObject::connect(m_service.get(), &JobService::launchFinished, &guard, [&](const LaunchResult &result) {
            --inFlight;
            ++finished;
            if (!result.submitted) {
                ++failed;
                note(QStringLiteral("launch of %1 failed: %2").arg(result.jobId, result.message));
            }
        });
        while (finished < ids.size()) {
            while (inFlight < kLaunchesInFlight && next < ids.size()) {
                if (!launch(ids.at(next++)))
                    return false;
                ++inFlight;
            }
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        }
        return failed == 0;
    }

    bool launch(const QString &id)
    {
        LaunchRequest request;
        request.plan = test::samplePlan(id);
        request.source = QStringLiteral("bench");
        auto started = m_service->launch(request, generousLimits(), true);
        if (!started)
            note(QStringLiteral("launch of %1 refused: %2").arg(id, started.error().message));
        return started.isOk();
    }

    // Moves every timestamp of the fake's state back, as if the clusters had been launched hours
    // ago: their jobs are past SETTING_UP and RUNNING. Only while no `sky` process runs.
    void ageClusters(double seconds)
    {
        const QString path = m_sky.stateDirectory() + QStringLiteral("/state.json");
        QJsonObject state = QJsonDocument::fromJson(test::readFile(path)).object();
        const auto shift = [seconds](QJsonObject object) {
            for (auto it = object.begin(); it != object.end(); ++it) {
                if (it.key().endsWith(QLatin1String("_at")) && it.value().isDouble())
                    it.value() = it.value().toDouble() - seconds;
            }
            return object;
        };
        QJsonObject clusters = state.value(QStringLiteral("clusters")).toObject();
        for (auto it = clusters.begin(); it != clusters.end(); ++it) {
            QJsonObject cluster = shift(it.value().toObject());
            QJsonArray jobs;
            for (const QJsonValue &job : cluster.value(QStringLiteral("jobs")).toArray())
                jobs.append(shift(job.toObject()));
            cluster.insert(QStringLiteral("jobs"), jobs);
            it.value() = cluster;
        }
        state.insert(QStringLiteral("clusters"), clusters);
        test::writeFile(path, QJsonDocument(state).toJson(QJsonDocument::Compact));
    }

    int liveJobs(JobState state)
    {
        auto jobs = m_service->store().jobs(JobStore::Which::All, true);
        if (!jobs)
            return 0;
        return int(std::count_if(jobs.value().begin(), jobs.value().end(), [&](const JobRecord &job) {
            return job.state == state && monitor().isFollowing(job.id);
        }));
    }

private:
    QString m_root;
    test::FakeSky m_sky;
    ManualClock m_clock;
    catalog::Catalog m_catalog = catalog::Catalog::load(QStringLiteral("/nonexistent"));
    std::unique_ptr<JournalDatabase> m_journal;
    std::unique_ptr<JobService> m_service;
    QElapsedTimer m_wall;
    QDateTime m_start;
    QTimer m_ticker;
};

bool waitFor(const std::function<bool()> &condition, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!condition()) {
        if (timer.hasExpired(timeoutMs))
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
    }
    return true;
}

struct Watch
{
    int jobs = 0;
    bool ok = false;
    std::vector<int> perPoll; // non-follower invocations of each poll
    std::map<QString, int> kinds; // what those were, over the whole window
    int followersStarted = 0;     // before the window: one per job
    int followersDuringWindow = 0;
    double simulatedSeconds = 0;
};

Watch watchRunningJobs(int count)
{
    Watch watch;
    watch.jobs = count;
    World world(QStringLiteral("watch-%1").arg(count), 36000); // 10 h jobs: RUNNING all along
    QStringList ids;
    for (int i = 0; i < count; ++i)
        ids << QStringLiteral("vibeml-econ%1-j%2").arg(count).arg(i, 2, 10, QLatin1Char('0'));
    QElapsedTimer seeding;
    seeding.start();
    if (!world.launchAll(ids))
        return watch;
    world.ageClusters(kShiftSeconds);
    note(QStringLiteral("skyeconomy: %1 job(s) launched in %2 s").arg(count).arg(seeding.elapsed() / 1000.0, 0, 'f', 1));

    world.monitor().start();
    if (!waitFor([&] { return world.liveJobs(JobState::Running) == count && !world.monitor().isPolling(); }, 120000)) {
        note(QStringLiteral("skyeconomy: %1 job(s) never all RUNNING and followed").arg(count));
        return watch;
    }
    // Each follower's python has logged its invocation (a moment after its process started).
    QList<QStringList> invocations;
    waitFor([&] {
        invocations = world.sky().invocations();
        return std::count_if(invocations.begin(), invocations.end(), isFollower) >= count;
    }, 60000);
    // Steady state from the end of the next poll: count each poll's spawns for 10 simulated minutes.
    const int pollsSoFar = world.monitor().pollCount();
    waitFor([&] { return world.monitor().pollCount() > pollsSoFar && !world.monitor().isPolling(); }, 60000);
    invocations = world.sky().invocations();
    watch.followersStarted = int(std::count_if(invocations.begin(), invocations.end(), isFollower));
    qsizetype seen = invocations.size();
    std::vector<int> perPoll;
    QObject guard;
    QObject::connect(&world.monitor(), &JobMonitor::pollFinished, &guard, [&] {
        const auto now = world.sky().invocations();
        int spawned = 0;
        for (qsizetype i = seen; i < now.size(); ++i) {
            if (isFollower(now.at(i))) {
                ++watch.followersDuringWindow;
                continue;
            }
            ++spawned;
            ++watch.kinds[describe(now.at(i))];
        }
        seen = now.size();
        perPoll.push_back(spawned);
    });
    QElapsedTimer window;
    window.start();
    const qint64 windowMs = qint64(kSimulatedSeconds) * 1000 / kScale;
    waitFor([&] { return window.elapsed() >= windowMs && !world.monitor().isPolling(); }, int(windowMs) + 60000);
    watch.simulatedSeconds = window.elapsed() * double(kScale) / 1000.0;
    watch.perPoll = perPoll;
    watch.ok = !perPoll.empty() && world.liveJobs(JobState::Running) == count;
    world.monitor().stop();
    return watch;
}

struct LaunchPath
{
    bool ok = false;
    std::map<QString, int> launchCalls; // the launch protocol's own calls
    std::map<QString, int> pollCalls;   // the monitor's polls meanwhile
    int polls = 0;
    int other = 0;
    QStringList otherCalls;
};

LaunchPath measureLaunch()
{
    LaunchPath path;
    World world(QStringLiteral("launch"), 3600);
    world.monitor().start();
    waitFor([&] { return world.monitor().pollCount() >= 1 && !world.monitor().isPolling(); }, 30000);
    const qsizetype before = world.sky().invocations().size();
    const int pollsBefore = world.monitor().pollCount();
    const QString id = QStringLiteral("vibeml-econ-launch-a1b2c3");
    bool finished = false;
    bool submitted = false;
    QObject guard;
    QObject::connect(&world.service(), &JobService::launchFinished, &guard, [&](const LaunchResult &result) {
        finished = true;
        submitted = result.submitted;
    });
    if (!world.launch(id) || !waitFor([&] { return finished; }, 60000) || !submitted)
        return path;
    if (!waitFor([&] { return world.monitor().isFollowing(id) && !world.monitor().isPolling(); }, 60000))
        return path;
    const int pollsFollowed = world.monitor().pollCount();
    waitFor([&] { return world.monitor().pollCount() >= pollsFollowed + 2 && !world.monitor().isPolling(); }, 60000);
    path.polls = world.monitor().pollCount() - pollsBefore;
    const auto invocations = world.sky().invocations();
    for (qsizetype i = before; i < invocations.size(); ++i) {
        const QStringList &arguments = invocations.at(i);
        const QString command = arguments.value(0);
        if (command == QLatin1String("launch") || isFollower(arguments))
            ++path.launchCalls[describe(arguments)];
        else if (command == QLatin1String("status") || command == QLatin1String("queue"))
            ++path.pollCalls[describe(arguments)];
        else
            path.otherCalls << describe(arguments);
    }
    path.other = int(path.otherCalls.size());
    path.ok = true;
    world.monitor().stop();
    return path;
}

QString listed(const std::map<QString, int> &calls)
{
    QStringList parts;
    for (const auto &[call, count] : calls)
        parts << QStringLiteral("%1× %2").arg(count).arg(call);
    return parts.isEmpty() ? QStringLiteral("none") : parts.join(QStringLiteral(", "));
}

int total(const std::map<QString, int> &calls)
{
    int sum = 0;
    for (const auto &[call, count] : calls)
        sum += count;
    return sum;
}

} // namespace

int main(int argc, char *argv[])
{
    test::prepareTestProcess(); // private HOME and XDG folders, and isolatedRoot() for the fakes
    QCoreApplication application(argc, argv);

    std::vector<Watch> watches;
    for (const int jobs : {1, 10, 50})
        watches.push_back(watchRunningJobs(jobs));

    const Watch &one = watches.front();
    const double baseline = median(std::vector<double>(one.perPoll.begin(), one.perPoll.end()));
    for (const Watch &watch : watches) {
        std::vector<double> values(watch.perPoll.begin(), watch.perPoll.end());
        const double typical = median(values);
        const int most = values.empty() ? 0 : int(*std::max_element(values.begin(), values.end()));
        const int least = values.empty() ? 0 : int(*std::min_element(values.begin(), values.end()));
        double sum = 0;
        for (const double value : values)
            sum += value;
        const double mean = values.empty() ? 0 : sum / double(values.size());
        note(QStringLiteral("skyeconomy: %1 job(s): %2 polls in %3 simulated s; per poll %4; calls: %5; followers %6 (+%7 in the window)")
                 .arg(watch.jobs).arg(values.size()).arg(watch.simulatedSeconds, 0, 'f', 0)
                 .arg([&] {
                     QStringList numbers;
                     for (const int value : watch.perPoll)
                         numbers << QString::number(value);
                     return numbers.join(u' ');
                 }())
                 .arg(listed(watch.kinds)).arg(watch.followersStarted).arg(watch.followersDuringWindow));
        const bool withinOne = watch.ok && one.ok && most <= baseline + 1 && least >= baseline - 1 && std::abs(mean - baseline) <= 1;
        reportResult(QStringLiteral("sky economy: sky processes per poll, %1 running job%2 (10 simulated min)")
                         .arg(watch.jobs).arg(watch.jobs == 1 ? QString() : QStringLiteral("s")),
                     watch.ok ? QStringLiteral("%1 (median; mean %2, range %3–%4, %5 polls)")
                                    .arg(typical, 0, 'f', 0).arg(mean, 0, 'f', 2).arg(least).arg(most).arg(values.size())
                              : QStringLiteral("not measured (see stderr)"),
                     QStringLiteral("1-job figure (%1) ± 1").arg(baseline, 0, 'f', 0), withinOne);
    }
    const Watch &fifty = watches.back();
    reportInfo(QStringLiteral("sky economy: log followers for 50 running jobs"),
               QStringLiteral("%1 `sky logs --follow`, started once (%2 more during the 10 min)")
                   .arg(fifty.followersStarted).arg(fifty.followersDuringWindow),
               QStringLiteral("one long-lived stream per running job, not per poll"));
    reportInfo(QStringLiteral("sky economy: the naive way, per poll, 50 jobs"),
               QStringLiteral("%1 (a `sky status` + `sky queue` per job)").arg(2 * 50),
               QStringLiteral("for comparison: what a per-job poll would spawn"));

    const LaunchPath launch = measureLaunch();
    note(QStringLiteral("skyeconomy: launch path: own calls: %1; monitor polls meanwhile (%2): %3; other: %4")
             .arg(listed(launch.launchCalls)).arg(launch.polls).arg(listed(launch.pollCalls))
             .arg(launch.otherCalls.isEmpty() ? QStringLiteral("none") : launch.otherCalls.join(QStringLiteral(", "))));
    // The launch protocol needs exactly: `sky launch` (creates the cluster, submits the job, prints
    // its id — the row is in the journal before it starts, so no `sky status` first), then one
    // `sky logs --follow` for the live log. Its state comes from the polls every job shares.
    const bool launchMinimal = launch.ok && total(launch.launchCalls) == 2 && launch.launchCalls.size() == 2 && launch.other == 0
                               && total(launch.pollCalls) <= 2 * launch.polls;
    reportResult(QStringLiteral("sky economy: sky calls one launch makes"),
                 launch.ok ? QStringLiteral("%1 (%2)%3").arg(total(launch.launchCalls)).arg(listed(launch.launchCalls))
                                 .arg(launch.other ? QStringLiteral("; also %1").arg(launch.otherCalls.join(QStringLiteral(", "))) : QString())
                           : QStringLiteral("not measured (see stderr)"),
                 QStringLiteral("2 = the minimum: sky launch + sky logs --follow (state from the shared polls: %1 in %2 polls)")
                     .arg(total(launch.pollCalls)).arg(launch.polls),
                 launchMinimal);
    return 0;
}
