#pragma once

#include "common/Clock.h"
#include "cost/BudgetPolicy.h"
#include "jobs/JobLauncher.h"
#include "jobs/JobMonitor.h"
#include "jobs/JobStore.h"
#include "jobs/JournalLease.h"
#include "jobs/SpendLedger.h"

#include <QObject>
#include <QPointer>

#include <memory>
#include <optional>

namespace vibeml::catalog {
class Catalog;
}

namespace vibeml::jobs {

class JournalDatabase;

struct LaunchBudgetCheck
{
    cost::WorstCase worstCase;
    cost::BudgetDecision decision;
    double capUsd = 0; // the per-job cap the monitor will enforce
};

// What the window, the CLI and the MCP server share about jobs: the same budget rules before a
// launch, the same launch protocol, the same actions (cancel, tear down, keep), and the monitor.
class JobService : public QObject
{
    Q_OBJECT

public:
    struct Config
    {
        QString bundlesRoot;
        sky::SkyEnvironment environment;
        MonitorTimings timings;
        QString role; // "window", "monitor", "cli", "mcp" (who holds the monitor lease)
    };

    JobService(JournalDatabase &database, const Clock &clock, const catalog::Catalog *catalog, Config config,
               QObject *parent = nullptr);
    ~JobService() override;

    JobStore &store() { return m_store; }
    JobMonitor &monitor() { return *m_monitor; }
    SpendLedger &ledger() { return m_ledger; }
    const Config &config() const { return m_config; }
    // Who watches the jobs now (this or another VibeML process); nullopt when nobody does.
    std::optional<JournalLease::Holder> activeMonitor() const;
    void setEnvironment(const sky::SkyEnvironment &environment);

    // Recorded spend this month plus what live jobs have accrued so far; nullopt when unreadable.
    std::optional<double> monthSpentUsd() const;

    LaunchBudgetCheck checkBudget(const sky::LaunchPlan &plan, const cost::BudgetLimits &limits,
                                  std::optional<double> maxCostUsd = std::nullopt) const;
    // Refuses what the budget refuses, and what needs approval unless `approved`. Emits
    // launchFinished when sky is done.
    Result<QString, LaunchRefusal> launch(LaunchRequest request, const cost::BudgetLimits &limits, bool approved,
                                          std::optional<double> maxCostUsd = std::nullopt);
    bool isLaunching(const QString &jobId) const;

    // Each reports through actionFinished(id, ok, message) once done (cluster verified gone where
    // the action removes it).
    void cancel(const QString &jobId);
    void tearDown(const QString &jobIdOrCluster, bool purge);
    Status keep(const QString &jobId, TeardownPolicy policy, int keepMinutes);
    // Copies an ended job's outputs from its cluster into <folder or the plan's folder>/<job id>.
    void downloadOutputs(const QString &jobId, const QString &folder = {});
    Status archive(const QString &jobId) { return m_store.archive(jobId); }

Q_SIGNALS:
    void launchOutput(const QString &jobId, const QString &line);
    void launchFinished(const vibeml::jobs::LaunchResult &result);
    void actionFinished(const QString &id, bool ok, const QString &message);

private:
    void tearDownJob(const JobRecord &job, const QString &reason);

    JournalDatabase &m_database;
    const Clock &m_clock;
    const catalog::Catalog *m_catalog;
    Config m_config;
    JobStore m_store;
    SpendLedger m_ledger;
    JournalLease m_lease;
    std::unique_ptr<JobMonitor> m_monitor;
    QHash<QString, QPointer<JobLauncher>> m_launchers;
};

} // namespace vibeml::jobs
