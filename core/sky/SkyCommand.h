#pragma once

#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>

// Argument lists for every `sky` command VibeML runs. Always a list, never a shell string; user
// values appear only as single arguments (cluster names are validated first). Commands that
// would prompt get -y, because the child has no terminal. There is deliberately no way to ask
// for --down: Nebius cannot autodown, and VibeML tears clusters down with `sky down` itself.
namespace vibeml::sky {

struct SkyInvocation
{
    QStringList arguments;
    QString workingDirectory;      // empty: inherit
    QStringList secretNames;       // passed as --secret NAME; values go in the child's environment
    std::chrono::milliseconds timeout{std::chrono::minutes(2)}; // 0: none (log streaming)
    QString purpose;               // "sky status", for messages and logs
};

namespace skycommand {

SkyInvocation version();
SkyInvocation apiInfo();
SkyInvocation check(const QString &infra = QStringLiteral("nebius"));
SkyInvocation status(const QStringList &clusters = {}, bool refresh = false, bool verbose = false, bool json = false);
SkyInvocation queue(const QStringList &clusters, bool skipFinished = false, bool json = false);

struct LaunchOptions
{
    QString cluster;
    QString taskFile;          // relative to workingDirectory
    QString workingDirectory;  // the run bundle
    bool dryRun = false;
    std::optional<int> idleMinutes;
    QStringList secrets;
};
SkyInvocation launch(const LaunchOptions &options);
SkyInvocation exec(const QString &cluster, const QString &taskFile, const QString &workingDirectory);
SkyInvocation logs(const QString &cluster, std::optional<int> jobId, bool follow, std::optional<int> tail = std::nullopt);
SkyInvocation logsStatus(const QString &cluster, std::optional<int> jobId);
SkyInvocation cancel(const QString &cluster, const QList<int> &jobIds = {});
SkyInvocation stop(const QStringList &clusters);
SkyInvocation down(const QStringList &clusters, bool purge = false);
SkyInvocation start(const QStringList &clusters);
SkyInvocation autostop(const QString &cluster, int idleMinutes);
// `sky gpus list` on CLIs from 2026 on, `sky show-gpus` before (it still works, with a warning).
SkyInvocation showGpus(const QString &gpu = QString(), const QString &infra = QStringLiteral("nebius"), bool gpusList = false);
SkyInvocation costReport(int days = 30);

SkyInvocation jobsLaunch(const QString &name, const QString &taskFile, const QString &workingDirectory, const QStringList &secrets);
SkyInvocation jobsQueue(bool json = false);
SkyInvocation jobsLogs(int jobId, bool follow);
SkyInvocation jobsCancel(int jobId);

} // namespace skycommand
} // namespace vibeml::sky
