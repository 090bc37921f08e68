#pragma once

#include "common/Result.h"
#include "jobs/JobState.h"
#include "sky/LaunchPlan.h"
#include "sky/SkyProcess.h"

#include <QFile>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>

#include <chrono>
#include <optional>

namespace vibeml::catalog {
class Catalog;
}

namespace vibeml::jobs {

class JobStore;

struct LaunchRequest
{
    sky::LaunchPlan plan;
    QString bundlesRoot;  // <data dir>/runs
    QString source;       // "gui", "cli", "mcp"
    TeardownPolicy policy = TeardownPolicy::Down;
    int keepMinutes = 30;
    std::optional<double> budgetCapUsd;
    QHash<QString, QString> secrets; // HF_TOKEN / WANDB_API_KEY values; only ever in sky's environment
    std::chrono::milliseconds commandTimeout{0}; // 0: sky launch's own limit
};

struct LaunchRefusal
{
    QString message;
};

struct LaunchResult
{
    QString jobId;
    bool submitted = false; // the job runs; the monitor watches it from here
    QString message;
};

// The launch protocol. The run bundle is written and the job's row (state Launching, cluster name,
// this process as launcher) is committed BEFORE `sky launch` starts; each step after that is
// recorded as it happens (provisioning, the job id sky prints, submitted). A launch that fails or
// is cancelled ends with the cluster torn down (checked with `sky status` first, so a cluster that
// was never created costs one call). A launcher that dies midway leaves a row the monitor
// reconciles. One launcher per launch; it deletes itself after finished().
class JobLauncher : public QObject
{
    Q_OBJECT

public:
    JobLauncher(JobStore &store, const catalog::Catalog &catalog, sky::SkyEnvironment environment, QObject *parent = nullptr);

    // Writes the bundle and the row, then starts sky. Returns the job id, or why nothing started
    // (nothing was recorded then either, except a bundle folder that is removed again).
    Result<QString, LaunchRefusal> launch(const LaunchRequest &request);
    void cancel();
    QString jobId() const { return m_jobId; }

Q_SIGNALS:
    void output(const QString &jobId, const QString &line);
    void stateChanged(const QString &jobId, vibeml::jobs::JobState state);
    void finished(const vibeml::jobs::LaunchResult &result);

private:
    void onLine(const QString &line);
    void onFinished(const sky::SkyResult &result);
    void tearDownAfterFailure(JobState outcome, const QString &reason);
    void advance(JobState state, const QString &reason);
    void done(bool submitted, const QString &message);

    JobStore &m_store;
    const catalog::Catalog &m_catalog;
    sky::SkyEnvironment m_environment;
    std::chrono::milliseconds m_commandTimeout{0};
    QString m_jobId;
    bool m_managed = false;
    std::optional<int> m_submittedId;
    bool m_cancelled = false;
    JobState m_state = JobState::Launching;
    QPointer<sky::SkyProcess> m_process;
    QFile m_launchLog;
};

} // namespace vibeml::jobs
