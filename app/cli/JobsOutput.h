#pragma once

#include "cli/CliCommand.h"
#include "jobs/JobRecord.h"

#include <QDateTime>
#include <QJsonObject>

namespace vibeml::jobs {
class JobService;
}

// How the CLI shows jobs, shared by `launch-training`, `jobs` and `monitor`.
namespace vibeml {

QJsonObject jobJson(const jobs::JobRecord &job, const QDateTime &now);
void printJobTable(const QList<jobs::JobRecord> &jobs, const QDateTime &now, QTextStream &out);
void printJobDetails(const jobs::JobRecord &job, const QList<jobs::JobEvent> &events, const QDateTime &now, QTextStream &out);
// Whether some VibeML process is watching jobs, and what to do if none is.
QString monitorAdvice(jobs::JobService &service);
// Nothing left to do for the job: its cluster is gone, or kept on purpose after it ended.
bool isSettled(const jobs::JobRecord &job);
// Runs the monitor here (or watches the one that runs elsewhere), prints the job's log as it
// grows and its state changes, and finishes once it is settled: 0 when it succeeded, 1 otherwise.
void followUntilSettled(jobs::JobService &service, const QString &jobId, CliContext &context, bool json,
                        CliCommand::Finish finish, qint64 fromLine = -1);

} // namespace vibeml
