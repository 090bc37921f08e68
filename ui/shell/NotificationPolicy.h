#pragma once

#include "jobs/JobMonitor.h"
#include "jobs/JobRecord.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QString>

#include <chrono>
#include <optional>

namespace vibeml {

// A desktop notification, ready to show.
struct Notification
{
    enum class Severity { Information, Warning, Critical };
    Severity severity = Severity::Information;
    QString title;
    QString message;
    QString jobId;
};

// Decides which of the monitor's notices deserve a desktop notification and words them: job
// outcomes, preemption, budget warning and cap, orphaned clusters, failed teardowns, lost clusters
// SkyPilot not answering, and whether the outputs were downloaded before teardown. Routine steps (a cluster removed after a job) stay in the Jobs page.
// The same notice repeated within the quiet period is shown once.
class NotificationPolicy
{
    Q_DECLARE_TR_FUNCTIONS(NotificationPolicy)

public:
    explicit NotificationPolicy(std::chrono::seconds quietPeriod = std::chrono::minutes(10)) : m_quietPeriod(quietPeriod) {}

    // `job` is the notice's job as the journal has it now (nullopt when unknown or not a job).
    std::optional<Notification> present(const jobs::MonitorNotice &notice, const std::optional<jobs::JobRecord> &job,
                                        const QDateTime &now);

private:
    std::optional<Notification> compose(const jobs::MonitorNotice &notice, const std::optional<jobs::JobRecord> &job,
                                        const QDateTime &now) const;

    std::chrono::seconds m_quietPeriod;
    QHash<QString, QDateTime> m_lastShown; // kind|job|message -> when
};

} // namespace vibeml
