#pragma once

#include "jobs/JobReconciler.h"
#include "jobs/OrphanCluster.h"
#include "jobs/TrainingProgress.h"
#include "sky/SkyProcess.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <chrono>
#include <functional>

namespace vibeml::catalog {
class Catalog;
}

namespace vibeml::jobs {

class ClusterTeardown;
class JobLogFollower;
class JobStore;
class JournalLease;

struct MonitorTimings
{
    std::chrono::milliseconds fast{std::chrono::seconds(5)};    // launching, setting up, tearing down
    std::chrono::milliseconds steady{std::chrono::seconds(30)}; // jobs running
    std::chrono::milliseconds idle{std::chrono::minutes(5)};    // nothing to watch but orphans
    std::chrono::milliseconds maxBackoff{std::chrono::minutes(5)};
    std::chrono::milliseconds reconcileEvery{std::chrono::minutes(5)}; // `sky status -r` + orphan report
    std::chrono::seconds leaseTtl{90};
    std::chrono::milliseconds observe{std::chrono::seconds(2)}; // not acting: re-read the journal
    std::chrono::milliseconds commandTimeout{0};                // 0: each command's own limit
    std::chrono::milliseconds downloadTimeout{std::chrono::hours(3)}; // copying a job's outputs
    ReconcileTimings reconcile;
};

struct MonitorNotice
{
    enum class Kind {
        JobEnded,
        BudgetWarning,
        BudgetCap,
        Preempted,
        OrphanFound,
        ClusterGone,
        TeardownFailed,
        DiskProblem,
        SkyProblem,
        JobLost,
        OutputsDownloaded,
        DownloadFailed
    };
    Kind kind = Kind::JobEnded;
    QString jobId;
    QString title;
    QString message;
};

// Watches every job of the journal with as few `sky` processes as correctness allows: per poll one
// `sky status` (all clusters), one `sky queue` naming every cluster whose job is live, and one
// `sky jobs queue` when managed jobs exist — however many jobs there are. It moves jobs to their
// true state (JobReconciler), asks `sky logs --status` for a final verdict, applies the teardown
// policy, accrues cost and enforces the per-job budget, follows each running job's log, and reports
// orphaned clusters. Only the holder of the journal's monitor lease acts; other processes observe
// the journal. Polls come fast while something changes, slowly while jobs run, and back off while
// sky fails.
class JobMonitor : public QObject
{
    Q_OBJECT

public:
    JobMonitor(JobStore &store, JournalLease &lease, sky::SkyEnvironment environment, const catalog::Catalog *catalog,
               MonitorTimings timings = {}, QObject *parent = nullptr);
    ~JobMonitor() override;

    void start();
    void stop();
    void pollNow();
    void setEnvironment(const sky::SkyEnvironment &environment) { m_environment = environment; }
    void setWarnFraction(double fraction) { m_warnFraction = fraction; }

    bool isActing() const;
    bool isPolling() const { return m_polling; }
    bool isRunning() const { return m_running; }
    QList<OrphanCluster> orphans() const { return m_orphans; }
    int pollCount() const { return m_polls; }
    std::chrono::milliseconds nextInterval() const { return m_nextInterval; }
    bool isFollowing(const QString &jobId) const;
    bool isDownloading(const QString &jobId) const { return m_downloads.contains(jobId); }
    // Something this process started is not finished: a log being fetched (or due), outputs being
    // copied, a teardown in flight. A monitor that exits when idle waits for it.
    bool hasWorkInFlight() const;
    // Copies the job's outputs to its plan's download folder now (the user asked); `done` runs
    // once with the result. The automatic copy before teardown goes through the same path.
    void downloadOutputs(const JobRecord &job, std::function<void(bool ok, const QString &message)> done = {});

Q_SIGNALS:
    void jobsChanged();
    void notice(const vibeml::jobs::MonitorNotice &notice);
    void orphansChanged();
    void actingChanged(bool acting);
    void pollFinished();
    void logLine(const QString &jobId, const QString &line);
    void progressUpdated(const QString &jobId, const vibeml::jobs::TrainingProgress &progress);

private:
    void poll();
    void onStatus(const sky::SkyResult &result, bool refreshed);
    void queryQueues();
    void onQueue(const sky::SkyResult &result);
    void queryManaged();
    void onManaged(const sky::SkyResult &result);
    void apply();
    void applyDecision(const JobRecord &job, const Decision &decision);
    void confirmOutcome(const JobRecord &job, const Decision &decision);
    void act(const JobRecord &job, ClusterAction action, const QString &reason);
    void enforceBudget(const JobRecord &job);
    void cancelForBudget(const JobRecord &job, const QString &reason);
    void updateFollowers(const QList<JobRecord> &jobs);
    bool needsFinalLog(const JobRecord &job) const;
    void updateOrphans(const QList<JobRecord> &allJobs);
    void finishPoll(bool skyFailed, const QString &failure);
    void schedule(std::chrono::milliseconds interval);
    std::chrono::milliseconds intervalFor(const QList<JobRecord> &jobs) const;
    sky::SkyInvocation limited(sky::SkyInvocation invocation) const;
    void observe();

    JobStore &m_store;
    JournalLease &m_lease;
    sky::SkyEnvironment m_environment;
    const catalog::Catalog *m_catalog;
    MonitorTimings m_timings;
    double m_warnFraction = 0.8;

    QTimer m_timer;
    QTimer m_leaseTimer;
    QElapsedTimer m_sinceReconcile;
    bool m_running = false;
    bool m_polling = false;
    bool m_pollAgain = false;
    std::optional<bool> m_wasActing;
    int m_polls = 0;
    int m_failures = 0;
    qint64 m_seenDataVersion = -1;
    std::chrono::milliseconds m_nextInterval{0};

    // What this poll learned.
    QList<JobRecord> m_jobs;
    std::optional<sky::StatusReport> m_status;
    std::optional<sky::QueueReport> m_queue;
    std::optional<QList<sky::ManagedJobEntry>> m_managed;

    QHash<QString, QPointer<ClusterTeardown>> m_teardowns; // job id or orphan cluster → in flight
    QHash<QString, QPointer<JobLogFollower>> m_followers;
    QSet<QString> m_confirming;
    QSet<QString> m_finalLogs; // jobs whose log stream this process saw to its end (or tried to)
    QHash<QString, QPointer<QObject>> m_downloads; // job id → OutputDownload in flight
    QSet<QString> m_reportedOrphans;
    QSet<QString> m_diskWarned;
    QList<OrphanCluster> m_orphans;
};

} // namespace vibeml::jobs
