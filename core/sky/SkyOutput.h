#pragma once

#include "common/Result.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

// Pure parsers for what the `sky` CLI prints (skypilot.md §(b)). Tables are prettytable with
// border=False: cells are sliced by the header's column offsets, because cells contain spaces
// ("7 mins ago", "1x(gpus=H100:1, ...)"). Every parser strips ANSI colour first, tolerates extra
// columns (USER, WORKSPACE, PROGRESS, POOL), "-" for empty, hint and warning lines, and returns a
// readable SkyParseError for output it does not recognise — never a crash.
namespace vibeml::sky {

struct SkyParseError
{
    QString message; // "no 'NAME' header in sky status output"
};

struct ClusterRecord
{
    QString name;
    QString infra;     // "Nebius (eu-north1)"
    QString resources; // "1x(gpus=H100:1, ...)"
    QString status;    // INIT, UP, STOPPED, AUTOSTOPPING, PENDING
    QString autostop;  // "" (none; sky prints "-"), "30m", "30m (down)"
    QString launched;  // "7 mins ago"; from JSON: launched_at as ISO 8601 UTC
    QString user;      // with -u
    QString workspace; // when several workspaces exist
};

struct StatusReport
{
    QList<ClusterRecord> clusters;
    QStringList notFound;  // names from "Cluster 'x' not found." / "Clusters 'a', 'b' not found."
    QStringList enabledInfra; // from "Enabled Infra: nebius, …"
};

// `sky status [-v] [-u] [NAMES…]` (text) and `sky status -o json`.
Result<StatusReport, SkyParseError> parseStatus(const QString &output);
Result<StatusReport, SkyParseError> parseStatusJson(const QByteArray &output);

struct QueueEntry
{
    QString cluster;
    int id = 0;
    QString name;
    QString user;
    QString submitted;
    QString started;
    QString duration;
    QString resources;
    QString status; // INIT, PENDING, SETTING_UP, RUNNING, FAILED_DRIVER, SUCCEEDED, FAILED, FAILED_SETUP, CANCELLED
    QString logPath;
};

struct QueueReport
{
    QList<QueueEntry> jobs;
    QStringList failedClusters; // "Failed to get the job queue for cluster 'X'."
};

// `sky queue [-s] [CLUSTERS…]`: one "Job queue of current user on cluster X" table per cluster.
Result<QueueReport, SkyParseError> parseQueue(const QString &output);

struct ManagedJobEntry
{
    int id = 0;
    QString taskId; // empty for a single-task job; a task row of a multi-task job ("↳") carries its job's id
    QString name;
    QString user;   // with -u
    QString requested;
    QString submitted;
    QString totalDuration;
    QString jobDuration;
    int recoveries = 0;
    QString status; // PENDING, STARTING, RUNNING, RECOVERING, SUCCEEDED, CANCELLING, CANCELLED, FAILED, FAILED_SETUP, …
};

// `sky jobs queue`: "No in-progress managed jobs." or the table (optionally with USER first).
Result<QList<ManagedJobEntry>, SkyParseError> parseJobsQueue(const QString &output);

// `sky logs --status` exit codes: 0 succeeded, 100 failed, 101 not finished, 102 not found, 103 cancelled.
enum class FinalJobStatus { Succeeded, Failed, NotFinished, NotFound, Cancelled, Unknown };
FinalJobStatus finalStatusFromExitCode(int exitCode);
// "Job 3: SUCCEEDED" -> SUCCEEDED etc.
std::optional<QString> jobStatusWord(const QString &output);

struct PlanChoice
{
    QString infra;        // "Nebius (eu-north1)"
    QString instanceType; // "gpu-h100-sxm_1gpu-16vcpu-200gb"
    QString accelerators; // "H100:1"
    double costPerHour = 0;
    bool chosen = false;
};

struct LaunchReport
{
    QList<PlanChoice> considered;   // "Considered resources (1 node):" table
    std::optional<int> jobId;       // "Job submitted, ID: 1"
    std::optional<int> managedJobId; // `sky jobs launch`: "Managed job ID: 3" / "Job submitted, ID: 3"
    QString clusterName;            // from "Launching a new cluster 'X'" or the useful-commands footer
    std::optional<QString> finalJobStatus; // "Job finished (status: SUCCEEDED)."
};
Result<LaunchReport, SkyParseError> parseLaunch(const QString &output);

struct CheckReport
{
    QMap<QString, bool> enabled;    // lower-case cloud -> enabled
    QMap<QString, QString> reasons; // lower-case cloud -> indented reason/hint text when disabled
    QStringList enabledInfra;       // from the "Enabled infra" block
    QString apiServer;              // "http://127.0.0.1:46580"
};
// `sky check [INFRA…]`
Result<CheckReport, SkyParseError> parseCheck(const QString &output);

struct GpuListing
{
    QString gpu;
    int quantity = 0;
    QString cloud;
    QString instanceType;
    QString deviceMemory;   // "80GB"
    std::optional<double> hourlyPrice;
    std::optional<double> hourlySpotPrice;
    QString region;
};
// `sky show-gpus GPU` / `sky gpus list GPU` tables ("Resources 'X' not found on Nebius." is an
// empty result, not an error; so is the COMMON_GPU overview printed without a GPU name).
Result<QList<GpuListing>, SkyParseError> parseShowGpus(const QString &output);

struct VersionInfo
{
    QString clientVersion; // "0.10.3"
    QString clientCommit;
    QString serverUrl;
    QString serverStatus;  // "HEALTHY"
    QString serverVersion;
    QString serverCommit;
    QString user;
    QString userId; // "User: name (id)"
};
// `sky -v` ("skypilot, version 0.10.3") and `sky api info`.
Result<VersionInfo, SkyParseError> parseVersion(const QString &output);
Result<VersionInfo, SkyParseError> parseApiInfo(const QString &output);

// Why a `sky` command failed, recognised from its exit code and output, with advice.
struct SkyFailure
{
    enum class Kind {
        CredentialsMissing,   // no ~/.nebius credentials / tenant id
        CloudDisabled,        // sky check reports Nebius disabled for another reason
        NoCapacity,           // ResourcesUnavailableError / "Resource exhausted"
        Quota,                // quota exceeded
        AutodownUnsupported,  // --down or autostop.down on Nebius
        VersionMismatch,      // client and API server versions disagree
        ApiServerUnreachable, // cannot reach the SkyPilot API server
        ClusterNotFound,
        InvalidTask,          // YAML rejected (schema validation)
        Unknown,
    };
    Kind kind = Kind::Unknown;
    QString message; // one sentence: what happened
    QString advice;  // what to do about it
    QString detail;  // the last meaningful error lines from sky
};
SkyFailure classifyFailure(int exitCode, const QString &stdoutText, const QString &stderrText);

} // namespace vibeml::sky
