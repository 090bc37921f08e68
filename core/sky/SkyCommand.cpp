#include "sky/SkyCommand.h"

namespace vibeml::sky::skycommand {
namespace {

using namespace std::chrono_literals;

SkyInvocation make(QStringList arguments, std::chrono::milliseconds timeout)
{
    SkyInvocation invocation;
    invocation.purpose = QStringLiteral("sky ") + arguments.mid(0, 2).join(QLatin1Char(' '));
    invocation.arguments = std::move(arguments);
    invocation.timeout = timeout;
    return invocation;
}

void addSecrets(SkyInvocation &invocation, const QStringList &secrets)
{
    for (const QString &secret : secrets) {
        invocation.arguments << QStringLiteral("--secret") << secret;
        invocation.secretNames.append(secret);
    }
}

QStringList numbers(const QList<int> &values)
{
    QStringList list;
    for (int value : values)
        list.append(QString::number(value));
    return list;
}

} // namespace

SkyInvocation version()
{
    return make({QStringLiteral("-v")}, 60s);
}

SkyInvocation apiInfo()
{
    return make({QStringLiteral("api"), QStringLiteral("info")}, 60s);
}

SkyInvocation check(const QString &infra)
{
    return make({QStringLiteral("check"), infra}, 3min);
}

SkyInvocation status(const QStringList &clusters, bool refresh, bool verbose, bool json)
{
    QStringList arguments {QStringLiteral("status")};
    if (refresh)
        arguments << QStringLiteral("-r");
    if (verbose)
        arguments << QStringLiteral("-v");
    if (json)
        arguments << QStringLiteral("-o") << QStringLiteral("json");
    arguments += clusters;
    return make(arguments, refresh ? 5min : 2min);
}

SkyInvocation queue(const QStringList &clusters, bool skipFinished, bool json)
{
    QStringList arguments {QStringLiteral("queue")};
    if (skipFinished)
        arguments << QStringLiteral("-s");
    if (json)
        arguments << QStringLiteral("-o") << QStringLiteral("json");
    arguments += clusters;
    return make(arguments, 3min);
}

SkyInvocation launch(const LaunchOptions &options)
{
    QStringList arguments {QStringLiteral("launch"), QStringLiteral("-y"), QStringLiteral("-d"), QStringLiteral("-c"),
                           options.cluster};
    if (options.dryRun)
        arguments << QStringLiteral("--dryrun");
    if (options.idleMinutes)
        arguments << QStringLiteral("-i") << QString::number(std::max(5, *options.idleMinutes));
    SkyInvocation invocation = make(arguments, options.dryRun ? 5min : 60min);
    addSecrets(invocation, options.secrets);
    invocation.arguments << options.taskFile;
    invocation.workingDirectory = options.workingDirectory;
    return invocation;
}

SkyInvocation exec(const QString &cluster, const QString &taskFile, const QString &workingDirectory)
{
    SkyInvocation invocation = make({QStringLiteral("exec"), QStringLiteral("-d"), cluster, taskFile}, 10min);
    invocation.workingDirectory = workingDirectory;
    return invocation;
}

SkyInvocation logs(const QString &cluster, std::optional<int> jobId, bool follow, std::optional<int> tail)
{
    QStringList arguments {QStringLiteral("logs"), follow ? QStringLiteral("--follow") : QStringLiteral("--no-follow")};
    if (tail)
        arguments << QStringLiteral("--tail") << QString::number(*tail);
    arguments << cluster;
    if (jobId)
        arguments << QString::number(*jobId);
    return make(arguments, follow ? 0ms : 3min);
}

SkyInvocation logsStatus(const QString &cluster, std::optional<int> jobId)
{
    QStringList arguments {QStringLiteral("logs"), QStringLiteral("--status"), cluster};
    if (jobId)
        arguments << QString::number(*jobId);
    return make(arguments, 2min);
}

SkyInvocation cancel(const QString &cluster, const QList<int> &jobIds)
{
    return make(QStringList {QStringLiteral("cancel"), QStringLiteral("-y"), cluster} + numbers(jobIds), 3min);
}

SkyInvocation stop(const QStringList &clusters)
{
    return make(QStringList {QStringLiteral("stop"), QStringLiteral("-y")} + clusters, 15min);
}

SkyInvocation down(const QStringList &clusters, bool purge)
{
    QStringList arguments {QStringLiteral("down"), QStringLiteral("-y")};
    if (purge)
        arguments << QStringLiteral("--purge");
    return make(arguments + clusters, 20min);
}

SkyInvocation start(const QStringList &clusters)
{
    return make(QStringList {QStringLiteral("start"), QStringLiteral("-y")} + clusters, 30min);
}

SkyInvocation autostop(const QString &cluster, int idleMinutes)
{
    // -i is always explicit: without it sky schedules 5 minutes.
    return make({QStringLiteral("autostop"), QStringLiteral("-y"), QStringLiteral("-i"),
                 QString::number(std::max(5, idleMinutes)), cluster},
                3min);
}

SkyInvocation showGpus(const QString &gpu, const QString &infra, bool gpusList)
{
    QStringList arguments = gpusList ? QStringList {QStringLiteral("gpus"), QStringLiteral("list")}
                                     : QStringList {QStringLiteral("show-gpus")};
    if (!gpu.isEmpty())
        arguments << gpu;
    if (!infra.isEmpty())
        arguments << QStringLiteral("--infra") << infra;
    return make(arguments, 3min);
}

SkyInvocation costReport(int days)
{
    return make({QStringLiteral("cost-report"), QStringLiteral("--days"), QString::number(std::max(0, days))}, 3min);
}

SkyInvocation jobsLaunch(const QString &name, const QString &taskFile, const QString &workingDirectory,
                         const QStringList &secrets)
{
    SkyInvocation invocation = make({QStringLiteral("jobs"), QStringLiteral("launch"), QStringLiteral("-y"),
                                     QStringLiteral("-d"), QStringLiteral("-n"), name},
                                    60min);
    addSecrets(invocation, secrets);
    invocation.arguments << taskFile;
    invocation.workingDirectory = workingDirectory;
    return invocation;
}

SkyInvocation jobsQueue(bool json)
{
    QStringList arguments {QStringLiteral("jobs"), QStringLiteral("queue")};
    if (json)
        arguments << QStringLiteral("-o") << QStringLiteral("json");
    return make(arguments, 3min);
}

SkyInvocation jobsLogs(int jobId, bool follow)
{
    return make({QStringLiteral("jobs"), QStringLiteral("logs"),
                 follow ? QStringLiteral("--follow") : QStringLiteral("--no-follow"), QString::number(jobId)},
                follow ? 0ms : 3min);
}

SkyInvocation jobsCancel(int jobId)
{
    return make({QStringLiteral("jobs"), QStringLiteral("cancel"), QStringLiteral("-y"), QString::number(jobId)}, 3min);
}

} // namespace vibeml::sky::skycommand
