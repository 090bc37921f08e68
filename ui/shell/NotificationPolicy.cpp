#include "shell/NotificationPolicy.h"

#include "cost/CostTable.h"

namespace vibeml {
namespace {

QString jobName(const jobs::MonitorNotice &notice, const std::optional<jobs::JobRecord> &job)
{
    if (job && !job->plan.modelId.isEmpty())
        return NotificationPolicy::tr("%1 (%2)").arg(job->id, job->plan.modelId);
    return notice.jobId;
}

// "vibeml-qwen-x7k2p9 (Qwen/Qwen2.5-0.5B): reason" — the reason alone when there is no job.
QString aboutJob(const QString &name, const QString &text)
{
    if (name.isEmpty())
        return text;
    if (text.isEmpty())
        return name;
    return NotificationPolicy::tr("%1: %2").arg(name, text);
}

} // namespace

std::optional<Notification> NotificationPolicy::present(const jobs::MonitorNotice &notice,
                                                        const std::optional<jobs::JobRecord> &job, const QDateTime &now)
{
    std::optional<Notification> shown = compose(notice, job, now);
    if (!shown)
        return std::nullopt;
    const QString key = QStringLiteral("%1|%2|%3").arg(int(notice.kind)).arg(notice.jobId, notice.message);
    const auto last = m_lastShown.constFind(key);
    if (last != m_lastShown.cend() && last.value().secsTo(now) < m_quietPeriod.count())
        return std::nullopt;
    m_lastShown.insert(key, now);
    return shown;
}

std::optional<Notification> NotificationPolicy::compose(const jobs::MonitorNotice &notice,
                                                        const std::optional<jobs::JobRecord> &job, const QDateTime &now) const
{
    using Kind = jobs::MonitorNotice::Kind;
    using Severity = Notification::Severity;
    const QString name = jobName(notice, job);
    Notification shown;
    shown.jobId = notice.jobId;
    switch (notice.kind) {
    case Kind::JobEnded: {
        const jobs::JobState outcome = job && jobs::isOutcome(job->outcome) ? job->outcome : jobs::JobState::Launching;
        QString cost;
        if (job)
            cost = tr(" It cost %1 so far.").arg(cost::formatDollars(job->accruedAt(now)));
        if (outcome == jobs::JobState::Succeeded) {
            shown.title = tr("Job succeeded");
            shown.message = aboutJob(name, notice.message) + cost;
        } else if (outcome == jobs::JobState::Failed) {
            shown.severity = Severity::Critical;
            shown.title = tr("Job failed");
            shown.message = aboutJob(name, notice.message) + cost + tr(" Open the Jobs page for its log.");
        } else if (outcome == jobs::JobState::Cancelled) {
            shown.title = tr("Job cancelled");
            shown.message = aboutJob(name, notice.message) + cost;
        } else {
            shown.title = tr("Job ended: %1").arg(notice.title);
            shown.message = aboutJob(name, notice.message) + cost;
        }
        return shown;
    }
    case Kind::Preempted:
        shown.severity = Severity::Warning;
        shown.title = tr("Spot instance preempted");
        shown.message = aboutJob(name, notice.message.isEmpty() ? tr("SkyPilot is replacing the instance.") : notice.message);
        return shown;
    case Kind::BudgetWarning:
        shown.severity = Severity::Warning;
        shown.title = tr("Budget warning");
        shown.message = notice.message;
        return shown;
    case Kind::BudgetCap:
        shown.severity = Severity::Critical;
        shown.title = tr("Budget cap reached");
        shown.message = aboutJob(name, notice.message + tr(" VibeML is cancelling the job and tearing its cluster down."));
        return shown;
    case Kind::OrphanFound:
        shown.severity = Severity::Warning;
        shown.title = tr("Orphaned cluster");
        shown.message = notice.message;
        return shown;
    case Kind::TeardownFailed:
        shown.severity = Severity::Critical;
        shown.title = tr("Teardown failed: the cluster may still bill");
        shown.message = aboutJob(name, notice.message + tr(" VibeML retries; you can also tear it down from the Jobs page."));
        return shown;
    case Kind::JobLost:
        shown.severity = Severity::Warning;
        shown.title = tr("Cluster lost");
        shown.message = aboutJob(name, notice.message);
        return shown;
    case Kind::SkyProblem:
        shown.severity = Severity::Warning;
        shown.title = tr("SkyPilot is not answering");
        shown.message = notice.message;
        return shown;
    case Kind::OutputsDownloaded:
        shown.title = tr("Outputs downloaded");
        shown.message = aboutJob(name, notice.message);
        return shown;
    case Kind::DownloadFailed:
        shown.severity = Severity::Critical;
        shown.title = tr("Outputs not downloaded");
        shown.message = aboutJob(name, notice.message);
        return shown;
    case Kind::ClusterGone:
    case Kind::DiskProblem:
        return std::nullopt;
    }
    return std::nullopt;
}

} // namespace vibeml
