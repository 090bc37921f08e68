#pragma once

#include "jobs/JobReconciler.h"
#include "sky/SkyProcess.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <chrono>

namespace vibeml::jobs {

class JobStore;

// Takes one job's cluster down (or stops it, by policy) and records every step: the claim (so no
// other VibeML process issues the same `sky down` meanwhile), the command's result, and — when
// `verify` is set — `sky status` no longer listing the cluster, which is what makes a job Done.
// Failures are retried later with back-off (the journal holds the next attempt's time); the monitor
// picks them up. `--purge` only when the user asked for it.
class ClusterTeardown : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        ClusterAction action = ClusterAction::Down;
        bool verify = true;
        bool purge = false;      // `sky down --purge`: only when the user asked for it
        bool checkFirst = false; // `sky status` first: a cluster that is not there needs no `sky down`
        QString reason;       // recorded with TearingDown ("job succeeded; policy: tear down")
        std::chrono::milliseconds commandTimeout{0}; // 0: the command's own default
    };

    ClusterTeardown(JobStore &store, sky::SkyEnvironment environment, QString jobId, Options options, QObject *parent = nullptr);

    // A cluster no live job owns (an orphan): `sky down` and verify, recording nothing per job.
    static ClusterTeardown *forOrphan(JobStore &store, sky::SkyEnvironment environment, const QString &cluster, Options options,
                                      QObject *parent = nullptr);

    void start();
    QString jobId() const { return m_jobId; }
    QString cluster() const { return m_cluster; }

    // 30 s, 1, 2, 4, 8 min, then every 10 min.
    static std::chrono::seconds retryDelay(int attempts);

Q_SIGNALS:
    // gone: the cluster is verified gone (or stopped, for a stop). The message says what happened.
    void finished(bool gone, const QString &message);

private:
    void runCommand();
    void onCommand(const sky::SkyResult &result);
    void verify();
    void onStatus(const sky::SkyResult &result);
    void finishGone(const QString &reason, bool billNothing);
    void fail(const QString &message);
    sky::SkyInvocation withTimeout(sky::SkyInvocation invocation) const;

    JobStore &m_store;
    sky::SkyEnvironment m_environment;
    QString m_jobId;
    QString m_cluster;
    bool m_purge = false;
    bool m_checking = false; // the status call is the pre-check, not the verification
    Options m_options;
};

} // namespace vibeml::jobs
