#include "cli/JobsOutput.h"

#include "cli/ExitCode.h"
#include "common/TerminalText.h"
#include "jobs/JobService.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

#include <memory>

namespace vibeml {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("JobsOutput", text);
}

QString isoOrNull(const QDateTime &when)
{
    return when.isValid() ? when.toUTC().toString(Qt::ISODate) : QString();
}

QString elapsedText(const jobs::JobRecord &job, const QDateTime &now)
{
    const qint64 seconds = job.elapsedSecondsAt(now);
    if (seconds >= 3600)
        return QStringLiteral("%1h%2m").arg(seconds / 3600).arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1m%2s").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

QString costText(const jobs::JobRecord &job, const QDateTime &now)
{
    const double accrued = job.costAt(now);
    QString text = cost::formatDollars(accrued) + QStringLiteral(" / ") + cost::formatDollars(job.estimateHighUsd);
    if (job.budgetCapUsd)
        text += QStringLiteral(" / ") + cost::formatDollars(*job.budgetCapUsd);
    return text;
}

} // namespace

QJsonObject jobJson(const jobs::JobRecord &job, const QDateTime &now)
{
    QJsonObject object{
        {QStringLiteral("id"), job.id},
        {QStringLiteral("cluster"), job.cluster},
        {QStringLiteral("managed"), job.managed},
        {QStringLiteral("state"), jobs::stateName(job.state)},
        {QStringLiteral("stateText"), job.stateText()},
        {QStringLiteral("outcome"), jobs::isOutcome(job.outcome) ? jobs::stateName(job.outcome) : QString()},
        {QStringLiteral("reason"), job.reason},
        {QStringLiteral("source"), job.source},
        {QStringLiteral("model"), job.plan.modelId},
        {QStringLiteral("dataset"), job.plan.datasetId},
        {QStringLiteral("gpu"), job.plan.accelerators()},
        {QStringLiteral("nodes"), job.plan.nodes},
        {QStringLiteral("region"), job.plan.region},
        {QStringLiteral("spot"), job.plan.spot},
        {QStringLiteral("skyJobId"), job.skyJobId ? QJsonValue(*job.skyJobId) : QJsonValue()},
        {QStringLiteral("managedJobId"), job.managedJobId ? QJsonValue(*job.managedJobId) : QJsonValue()},
        {QStringLiteral("pricePerHour"), job.pricePerHour},
        {QStringLiteral("estimateUsd"), QJsonObject{{QStringLiteral("low"), job.estimateLowUsd}, {QStringLiteral("high"), job.estimateHighUsd}}},
        {QStringLiteral("budgetCapUsd"), job.budgetCapUsd ? QJsonValue(*job.budgetCapUsd) : QJsonValue()},
        {QStringLiteral("accruedUsd"), job.accruedAt(now)},
        {QStringLiteral("actualUsd"), job.actualUsd ? QJsonValue(*job.actualUsd) : QJsonValue()},
        {QStringLiteral("teardownPolicy"), jobs::policyName(job.policy)},
        {QStringLiteral("keepMinutes"), job.keepMinutes},
        {QStringLiteral("createdAt"), isoOrNull(job.createdAt)},
        {QStringLiteral("endedAt"), isoOrNull(job.endedAt)},
        {QStringLiteral("tornDownAt"), isoOrNull(job.tornDownAt)},
        {QStringLiteral("bundle"), job.bundleDirectory},
        {QStringLiteral("logFile"), job.logFile()},
        {QStringLiteral("logLines"), job.logLines},
        {QStringLiteral("progress"), job.progress.toJson()},
        {QStringLiteral("settled"), isSettled(job)},
    };
    return object;
}

void printJobTable(const QList<jobs::JobRecord> &jobs, const QDateTime &now, QTextStream &out)
{
    if (jobs.isEmpty()) {
        out << tr("No jobs yet. Start one with `vibeml launch-training`.") << '\n';
        return;
    }
    const QStringList header = {tr("JOB"), tr("STATE"), tr("MODEL"), tr("GPU"), tr("ELAPSED"), tr("COST / EST / CAP"), tr("PROGRESS")};
    QList<QStringList> rows;
    for (const jobs::JobRecord &job : jobs) {
        rows.append({job.id, job.stateText(), job.plan.modelId, job.plan.accelerators() + (job.plan.nodes > 1 ? QStringLiteral(" ×%1").arg(job.plan.nodes) : QString()),
                     elapsedText(job, now), costText(job, now), job.progress.summary()});
    }
    QList<qsizetype> widths(header.size());
    for (qsizetype c = 0; c < header.size(); ++c) {
        widths[c] = header.at(c).size();
        for (const QStringList &row : std::as_const(rows))
            widths[c] = std::max(widths[c], row.at(c).size());
    }
    const auto print = [&](const QStringList &row) {
        QString line;
        for (qsizetype c = 0; c < row.size(); ++c)
            line += row.at(c).leftJustified(widths.at(c)) + QStringLiteral("  ");
        out << line.trimmed() << '\n';
    };
    print(header);
    for (const QStringList &row : std::as_const(rows))
        print(row);
}

void printJobDetails(const jobs::JobRecord &job, const QList<jobs::JobEvent> &events, const QDateTime &now, QTextStream &out)
{
    out << tr("Job:       %1").arg(job.id) << '\n'
        << tr("State:     %1").arg(job.stateText()) << (job.reason.isEmpty() ? QString() : QStringLiteral(" — ") + job.reason) << '\n'
        << tr("Model:     %1").arg(job.plan.modelId) << '\n'
        << tr("Dataset:   %1").arg(job.plan.datasetId) << '\n'
        << tr("Cluster:   %1 (%2 × %3 in %4%5)")
               .arg(job.cluster, job.plan.accelerators())
               .arg(job.plan.nodes)
               .arg(job.plan.region, job.plan.spot ? tr(", spot") : QString())
        << '\n'
        << tr("Cost:      %1 so far at %2/h; estimate %3–%4%5")
               .arg(cost::formatDollars(job.actualUsd ? *job.actualUsd : job.accruedAt(now)), cost::formatDollars(job.pricePerHour),
                    cost::formatDollars(job.estimateLowUsd), cost::formatDollars(job.estimateHighUsd),
                    job.budgetCapUsd ? tr("; stopped at %1").arg(cost::formatDollars(*job.budgetCapUsd)) : QString())
        << '\n'
        << tr("After it:  %1").arg(jobs::policyLabel(job.policy, job.keepMinutes)) << '\n';
    if (!job.progress.isEmpty())
        out << tr("Progress:  %1").arg(job.progress.summary()) << '\n';
    out << tr("Bundle:    %1").arg(job.bundleDirectory) << '\n' << tr("Log:       %1").arg(job.logFile()) << "\n\n" << tr("History:") << '\n';
    for (const jobs::JobEvent &event : events) {
        out << "  " << event.at.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) << "  "
            << (event.state.isEmpty() ? event.kind : event.state).leftJustified(12) << ' ' << event.message << '\n';
    }
}

QString monitorAdvice(jobs::JobService &service)
{
    if (const auto holder = service.activeMonitor())
        return QCoreApplication::translate("JobsOutput", "VibeML's %1 (pid %2) is watching it and tears the cluster down per policy.")
            .arg(holder->role)
            .arg(holder->process.pid);
    return QCoreApplication::translate("JobsOutput",
                                       "No VibeML monitor is running: start the app or `vibeml monitor` (or rerun with --wait) so the "
                                       "cluster is torn down when the job ends. Until then SkyPilot's autostop stops it when idle.");
}

bool isSettled(const jobs::JobRecord &job)
{
    if (jobs::isTerminal(job.state))
        return true;
    if (!job.hasEnded() || job.state == jobs::JobState::TearingDown)
        return false;
    return job.policy == jobs::TeardownPolicy::KeepUp
           || (job.policy == jobs::TeardownPolicy::KeepStopped && job.state == jobs::JobState::Stopped);
}

void followUntilSettled(jobs::JobService &service, const QString &jobId, CliContext &context, bool json, CliCommand::Finish finish,
                        qint64 fromLine)
{
    struct Follow
    {
        qint64 offset = 0;
        qint64 skipLines = 0;
        QByteArray partial;
        jobs::JobState lastState = jobs::JobState::Launching;
        bool finished = false;
        QTimer timer;
    };
    auto follow = std::make_shared<Follow>();
    const std::optional<jobs::JobRecord> initial = service.store().job(jobId);
    if (!initial) {
        context.err << tr("There is no job %1.").arg(jobId) << '\n';
        finish(ExitFailure);
        return;
    }
    follow->lastState = initial->state;
    follow->skipLines = fromLine < 0 ? 0 : fromLine;
    const QString logPath = initial->logFile();
    const auto printNewLog = [follow, logPath, &context, json] {
        if (json)
            return;
        QFile file(logPath);
        if (!file.open(QIODevice::ReadOnly) || file.size() < follow->offset) {
            follow->offset = 0; // replaced or truncated: start over
            return;
        }
        file.seek(follow->offset);
        const QByteArray chunk = file.read(8 * 1024 * 1024);
        follow->offset += chunk.size();
        follow->partial += chunk;
        qsizetype start = 0;
        for (qsizetype newline = follow->partial.indexOf('\n'); newline >= 0; newline = follow->partial.indexOf('\n', start)) {
            const QByteArrayView line = QByteArrayView(follow->partial).sliced(start, newline - start);
            start = newline + 1;
            if (follow->skipLines > 0) {
                --follow->skipLines;
                continue;
            }
            context.out << QString::fromUtf8(terminal::stripAnsi(terminal::lastCarriageReturnSegment(line))) << '\n';
        }
        follow->partial.remove(0, start);
        context.out.flush();
    };
    const auto check = [follow, &service, jobId, &context, json, finish, printNewLog] {
        if (follow->finished)
            return;
        printNewLog();
        const std::optional<jobs::JobRecord> job = service.store().job(jobId);
        if (!job)
            return;
        if (job->state != follow->lastState) {
            follow->lastState = job->state;
            context.err << QStringLiteral("[%1] %2%3\n").arg(jobId, job->stateText(), job->reason.isEmpty() ? QString() : QStringLiteral(": ") + job->reason)
                        << Qt::flush;
        }
        if (!isSettled(*job))
            return;
        follow->finished = true;
        follow->timer.stop();
        if (json)
            context.out << QJsonDocument(jobJson(*job, service.store().clock().now())).toJson(QJsonDocument::Indented);
        finish(job->outcome == jobs::JobState::Succeeded ? ExitOk : ExitFailure);
    };
    QObject::connect(&follow->timer, &QTimer::timeout, &service, check);
    QObject::connect(&service.monitor(), &jobs::JobMonitor::jobsChanged, &service, check);
    QObject::connect(&service.monitor(), &jobs::JobMonitor::notice, &service, [&context](const jobs::MonitorNotice &notice) {
        context.err << QStringLiteral("%1: %2\n").arg(notice.title, notice.message) << Qt::flush;
    });
    follow->timer.start(500);
    service.monitor().start();
    check();
}

} // namespace vibeml
