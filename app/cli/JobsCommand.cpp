#include "cli/JobsCommand.h"

#include "catalog/Catalog.h"
#include "cli/ArgumentParser.h"
#include "cli/ExitCode.h"
#include "cli/JobsOutput.h"
#include "common/TerminalText.h"
#include "jobs/JobService.h"
#include "jobs/OrphanCluster.h"
#include "log/Logging.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSocketNotifier>
#include <QTimer>

#include <csignal>

namespace vibeml {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("JobsCommand", text);
}

const QStringList kSubcommands = {QStringLiteral("list"),   QStringLiteral("status"), QStringLiteral("logs"),
                                  QStringLiteral("cancel"), QStringLiteral("down"),   QStringLiteral("keep"),
                                  QStringLiteral("orphans"), QStringLiteral("archive"), QStringLiteral("recover-journal")};

jobs::JobService *openService(CliContext &context, const QString &role, CliCommand::Finish &finish)
{
    QString problem;
    jobs::JobService *service = context.jobs(role, &problem);
    if (!service) {
        context.err << QStringLiteral("vibeml jobs: ") << problem << '\n';
        finish(ExitFailure);
    }
    return service;
}

void printLogTail(const QString &path, int tail, QTextStream &out, qint64 *linesPrinted)
{
    QFile file(path);
    *linesPrinted = 0;
    if (!file.open(QIODevice::ReadOnly))
        return;
    QList<QByteArray> lines;
    qint64 total = 0;
    while (!file.atEnd()) {
        QByteArray line = file.readLine();
        if (!line.endsWith('\n'))
            break; // a partial line is still being written; the follower prints it whole
        line.chop(1);
        ++total;
        lines.append(line);
        if (tail > 0 && lines.size() > tail)
            lines.removeFirst();
    }
    for (const QByteArray &line : std::as_const(lines))
        out << QString::fromUtf8(terminal::stripAnsi(terminal::lastCarriageReturnSegment(line))) << '\n';
    *linesPrinted = total;
}

void runAction(jobs::JobService &service, const QString &id, CliContext &context, bool json, CliCommand::Finish finish,
               const std::function<void()> &start)
{
    // Scoped to this action: the service outlives the command in a long-lived process (the MCP server).
    auto *scope = new QObject(&service);
    QObject::connect(&service, &jobs::JobService::actionFinished, scope,
                     [&context, id, json, finish, &service, scope](const QString &subject, bool ok, const QString &message) {
                         if (subject != id)
                             return;
                         scope->deleteLater();
                         if (json) {
                             QJsonObject root{{QStringLiteral("id"), id}, {QStringLiteral("ok"), ok}, {QStringLiteral("message"), message}};
                             if (const auto job = service.store().job(id))
                                 root.insert(QStringLiteral("job"), jobJson(*job, service.store().clock().now()));
                             context.out << QJsonDocument(root).toJson(QJsonDocument::Indented);
                         } else {
                             (ok ? context.out : context.err) << message << '\n';
                         }
                         finish(ok ? ExitOk : ExitFailure);
                     });
    start();
}

// The outcome of a quick action (archive, keep, recover-journal), as text or JSON.
int report(CliContext &context, bool json, const QString &id, bool ok, const QString &message, jobs::JobService *service = nullptr)
{
    if (json) {
        QJsonObject root{{QStringLiteral("id"), id}, {QStringLiteral("ok"), ok}, {QStringLiteral("message"), message}};
        if (service) {
            if (const auto job = service->store().job(id))
                root.insert(QStringLiteral("job"), jobJson(*job, service->store().clock().now()));
        }
        context.out << QJsonDocument(root).toJson(QJsonDocument::Indented);
    } else {
        (ok ? context.out : context.err) << message << '\n';
    }
    return ok ? ExitOk : ExitFailure;
}

} // namespace

QString JobsCommand::summary() const
{
    return tr("List jobs, follow their logs, cancel them, tear clusters down, find orphans");
}

QString JobsCommand::help() const
{
    return tr("Usage: vibeml jobs SUBCOMMAND [ARGUMENTS] [--json]\n\n"
              "  list [--all]                 every job in the journal (--all: archived ones too)\n"
              "  status ID                    one job: state, cost, progress and its history\n"
              "  logs ID [--tail N] [--follow]  the job's log (kept in its run bundle); --follow keeps printing\n"
              "                               until the job is over and its cluster handled\n"
              "  cancel ID                    cancel the running job; its cluster follows the teardown policy\n"
              "  down ID|CLUSTER [--purge]    tear the cluster down now and verify it is gone (--purge: also when\n"
              "                               sky cannot reach the cloud; leftovers may remain)\n"
              "  keep ID --policy P [--minutes N]  what happens to the cluster after the job: down,\n"
              "                               keep-minutes, keep-stopped or keep-up\n"
              "  orphans                      vibeml- clusters that sky lists but no live job owns, with prices\n"
              "  archive ID                   hide a finished job from lists (its history is kept)\n"
              "  recover-journal              keep a damaged journal aside and start a fresh one\n\n"
              "--json prints JSON for every subcommand (logs: the lines as an array; not with --follow).\n\n"
              "Exit codes: 0 done, 1 failed, 2 wrong arguments, 3 sky did not answer; `logs --follow` exits 0 when\n"
              "the job succeeded and 1 otherwise.\n");
}

void JobsCommand::run(const QStringList &arguments, CliContext &context, Finish finish)
{
    const QString sub = arguments.value(0);
    if (!kSubcommands.contains(sub)) {
        context.err << tr("vibeml jobs: give a subcommand: %1. See 'vibeml jobs --help'.").arg(kSubcommands.join(QStringLiteral(", ")))
                    << '\n';
        finish(ExitUsage);
        return;
    }
    ArgumentParser parsing(QStringLiteral("jobs ") + sub);
    QCommandLineParser &parser = parsing.parser();
    parser.addOption({QStringLiteral("json"), tr("Print JSON.")});
    parser.addOption({QStringLiteral("all"), tr("Include archived jobs.")});
    parser.addOption({QStringLiteral("follow"), tr("Keep following.")});
    parser.addOption({QStringLiteral("tail"), tr("Last N lines."), tr("N")});
    parser.addOption({QStringLiteral("purge"), tr("sky down --purge.")});
    parser.addOption({QStringLiteral("policy"), tr("Teardown policy."), tr("POLICY")});
    parser.addOption({QStringLiteral("minutes"), tr("Keep minutes."), tr("N")});
    const bool needsId = sub != QLatin1String("list") && sub != QLatin1String("orphans") && sub != QLatin1String("recover-journal");
    if (!parsing.parse(arguments.mid(1), context, needsId ? 1 : 0, needsId ? 1 : 0)) {
        finish(ExitUsage);
        return;
    }
    const bool json = parser.isSet(QStringLiteral("json"));
    const QString id = parser.positionalArguments().value(0);

    if (sub == QLatin1String("recover-journal")) {
        QString problem;
        if (context.jobs(QStringLiteral("cli"), &problem)) {
            finish(report(context, json, QString(), true, tr("The job journal is healthy; nothing to recover.")));
            return;
        }
        const Status recovered = context.recoverJournal();
        if (!recovered) {
            finish(report(context, json, QString(), false, tr("vibeml jobs recover-journal: %1").arg(recovered.message())));
            return;
        }
        finish(report(context, json, QString(), true,
                      tr("Started a fresh job journal. %1\nClusters that are still running show up with `vibeml jobs orphans`.")
                          .arg(problem)));
        return;
    }

    jobs::JobService *service = openService(context, QStringLiteral("cli"), finish);
    if (!service)
        return;
    const QDateTime now = service->store().clock().now();

    if (sub == QLatin1String("list")) {
        auto all = service->store().jobs(jobs::JobStore::Which::All, parser.isSet(QStringLiteral("all")));
        if (!all) {
            context.err << QStringLiteral("vibeml jobs: ") << all.error() << '\n';
            finish(ExitFailure);
            return;
        }
        if (json) {
            QJsonArray array;
            for (const jobs::JobRecord &job : all.value())
                array.append(jobJson(job, now));
            const std::optional<double> spent = service->monthSpentUsd();
            context.out << QJsonDocument(QJsonObject{{QStringLiteral("jobs"), array},
                                                     {QStringLiteral("monthSpentUsd"), spent ? QJsonValue(*spent) : QJsonValue()}})
                               .toJson(QJsonDocument::Indented);
        } else {
            printJobTable(all.value(), now, context.out);
        }
        finish(ExitOk);
        return;
    }
    if (sub == QLatin1String("orphans")) {
        sky::runSky(sky::skycommand::status({}), service->config().environment, service,
                    [&context, service, json, finish](const sky::SkyResult &result) {
                        auto report = result.isSuccess() ? sky::parseStatus(result.stdoutText)
                                                         : Result<sky::StatusReport, sky::SkyParseError>(sky::SkyParseError{result.message()});
                        if (!report) {
                            context.err << tr("vibeml jobs orphans: %1").arg(report.error().message) << '\n';
                            finish(ExitUnavailable);
                            return;
                        }
                        auto jobsList = service->store().jobs(jobs::JobStore::Which::All, true);
                        const QList<jobs::OrphanCluster> orphans
                            = jobs::findOrphans(report.value(), jobsList ? jobsList.value() : QList<jobs::JobRecord>{}, &context.catalog());
                        if (json) {
                            QJsonArray array;
                            for (const jobs::OrphanCluster &orphan : orphans)
                                array.append(QJsonObject{{QStringLiteral("cluster"), orphan.cluster.name},
                                                         {QStringLiteral("status"), orphan.cluster.status},
                                                         {QStringLiteral("infra"), orphan.cluster.infra},
                                                         {QStringLiteral("resources"), orphan.cluster.resources},
                                                         {QStringLiteral("launched"), orphan.cluster.launched},
                                                         {QStringLiteral("pricePerHour"), orphan.pricePerHour ? QJsonValue(*orphan.pricePerHour) : QJsonValue()},
                                                         {QStringLiteral("endedJob"), orphan.endedJobId},
                                                         {QStringLiteral("teardown"), orphan.teardownCommand()}});
                            context.out << QJsonDocument(QJsonObject{{QStringLiteral("orphans"), array}}).toJson(QJsonDocument::Indented);
                        } else if (orphans.isEmpty()) {
                            context.out << tr("No orphaned clusters: every vibeml- cluster sky lists belongs to a live job.") << '\n';
                        } else {
                            for (const jobs::OrphanCluster &orphan : orphans)
                                context.out << tr("%1  %2  %3  %4  %5  remove: %6")
                                                   .arg(orphan.cluster.name, orphan.cluster.status, orphan.cluster.infra,
                                                        orphan.pricePerHour ? tr("about %1/h").arg(cost::formatDollars(*orphan.pricePerHour))
                                                                            : tr("price unknown"),
                                                        orphan.endedJobId.isEmpty() ? tr("unknown to this journal")
                                                                                    : tr("its job %1 has ended").arg(orphan.endedJobId),
                                                        orphan.teardownCommand())
                                            << '\n';
                        }
                        finish(ExitOk);
                    });
        return;
    }
    if (sub == QLatin1String("down")) {
        runAction(*service, id, context, json, finish, [service, id, purge = parser.isSet(QStringLiteral("purge"))] { service->tearDown(id, purge); });
        return;
    }
    const std::optional<jobs::JobRecord> job = service->store().job(id);
    if (!job) {
        context.err << tr("vibeml jobs %1: there is no job %2. `vibeml jobs list` shows them.").arg(sub, id) << '\n';
        finish(ExitFailure);
        return;
    }
    if (sub == QLatin1String("status")) {
        if (json) {
            QJsonObject root = jobJson(*job, now);
            QJsonArray events;
            for (const jobs::JobEvent &event : service->store().events(id))
                events.append(QJsonObject{{QStringLiteral("at"), event.at.toUTC().toString(Qt::ISODate)},
                                          {QStringLiteral("kind"), event.kind},
                                          {QStringLiteral("state"), event.state},
                                          {QStringLiteral("message"), event.message}});
            root.insert(QStringLiteral("events"), events);
            context.out << QJsonDocument(root).toJson(QJsonDocument::Indented);
        } else {
            printJobDetails(*job, service->store().events(id), now, context.out);
        }
        finish(ExitOk);
        return;
    }
    if (sub == QLatin1String("logs")) {
        int tail = 0;
        if (parser.isSet(QStringLiteral("tail"))) {
            bool ok = false;
            tail = parser.value(QStringLiteral("tail")).toInt(&ok);
            if (!ok || tail < 0) {
                context.err << tr("vibeml jobs logs: --tail takes a number of lines.") << '\n';
                finish(ExitUsage);
                return;
            }
        }
        qint64 printed = 0;
        if (json) {
            if (parser.isSet(QStringLiteral("follow"))) {
                context.err << tr("vibeml jobs logs: --follow prints plain lines; drop --json to follow.") << '\n';
                finish(ExitUsage);
                return;
            }
            QString text;
            QTextStream lines(&text);
            printLogTail(job->logFile(), tail, lines, &printed);
            lines.flush();
            QStringList list = text.split(QLatin1Char('\n'));
            if (!list.isEmpty() && list.last().isEmpty())
                list.removeLast();
            context.out << QJsonDocument(QJsonObject{{QStringLiteral("id"), id},
                                                     {QStringLiteral("state"), jobs::stateName(job->state)},
                                                     {QStringLiteral("logFile"), job->logFile()},
                                                     {QStringLiteral("totalLines"), printed},
                                                     {QStringLiteral("lines"), QJsonArray::fromStringList(list)}})
                               .toJson(QJsonDocument::Indented);
            finish(ExitOk);
            return;
        }
        printLogTail(job->logFile(), tail, context.out, &printed);
        context.out.flush();
        if (!parser.isSet(QStringLiteral("follow")) || isSettled(*job)) {
            finish(ExitOk);
            return;
        }
        followUntilSettled(*service, id, context, false, finish, printed);
        return;
    }
    if (sub == QLatin1String("cancel")) {
        runAction(*service, id, context, json, finish, [service, id] { service->cancel(id); });
        return;
    }
    if (sub == QLatin1String("archive")) {
        const Status archived = service->archive(id);
        finish(report(context, json, id, archived.isOk(), archived ? tr("Archived %1.").arg(id) : archived.message(), service));
        return;
    }
    // keep
    const std::optional<jobs::TeardownPolicy> policy = jobs::policyFromName(parser.value(QStringLiteral("policy")));
    if (!policy) {
        context.err << tr("vibeml jobs keep: --policy must be down, keep-minutes, keep-stopped or keep-up.") << '\n';
        finish(ExitUsage);
        return;
    }
    const int minutes = parser.isSet(QStringLiteral("minutes")) ? parser.value(QStringLiteral("minutes")).toInt() : job->keepMinutes;
    const Status kept = service->keep(id, *policy, minutes);
    finish(report(context, json, id, kept.isOk(), kept ? tr("%1: %2").arg(id, jobs::policyLabel(*policy, minutes)) : kept.message(), service));
}

QString MonitorCommand::summary() const
{
    return tr("Watch jobs without a window: budgets, logs, teardown, orphans");
}

QString MonitorCommand::help() const
{
    return tr("Usage: vibeml monitor [--until-idle] [--json]\n\n"
              "Runs the same monitor as the window, without one: polls sky for every job in the journal, follows the\n"
              "logs of running jobs into their run bundles, enforces the per-job budget, tears clusters down by\n"
              "policy and reports orphaned clusters. Several VibeML processes share the journal: only one of them\n"
              "acts at a time (a lease in the journal); the others stand by and take over if it stops. Meant for a\n"
              "systemd user service (vibeml-monitor.service) or a server. Stops on SIGINT or SIGTERM.\n\n"
              "  --until-idle   exit once no job needs watching (every cluster gone or kept on purpose)\n"
              "  --json         print each notice as one JSON object per line on stdout (else text on stderr)\n\n"
              "Exit codes: 0 stopped or idle, 1 the journal cannot be used.\n");
}

void MonitorCommand::run(const QStringList &arguments, CliContext &context, Finish finish)
{
    ArgumentParser parsing(name());
    QCommandLineParser &parser = parsing.parser();
    parser.addOption({QStringLiteral("until-idle"), tr("Exit when idle.")});
    parser.addOption({QStringLiteral("json"), tr("Notices as JSON lines.")});
    if (!parsing.parse(arguments, context, 0, 0)) {
        finish(ExitUsage);
        return;
    }
    QString problem;
    jobs::JobService *service = context.jobs(QStringLiteral("monitor"), &problem);
    if (!service) {
        context.err << QStringLiteral("vibeml monitor: ") << problem << '\n';
        finish(ExitFailure);
        return;
    }
    const bool untilIdle = parser.isSet(QStringLiteral("until-idle"));
    jobs::JobMonitor &monitor = service->monitor();
    const bool json = parser.isSet(QStringLiteral("json"));
    QObject::connect(&monitor, &jobs::JobMonitor::notice, service, [&context, json](const jobs::MonitorNotice &notice) {
        if (json) {
            context.out << QJsonDocument(QJsonObject{{QStringLiteral("job"), notice.jobId},
                                                     {QStringLiteral("title"), notice.title},
                                                     {QStringLiteral("message"), notice.message}})
                               .toJson(QJsonDocument::Compact)
                        << '\n'
                        << Qt::flush;
            return;
        }
        context.err << QStringLiteral("%1%2: %3\n")
                           .arg(notice.jobId.isEmpty() ? QString() : QStringLiteral("[%1] ").arg(notice.jobId), notice.title, notice.message)
                    << Qt::flush;
    });
    QObject::connect(&monitor, &jobs::JobMonitor::actingChanged, service, [&context, service](bool acting) {
        if (acting) {
            context.err << tr("Monitoring the jobs in the journal.") << '\n' << Qt::flush;
        } else if (const auto holder = service->activeMonitor()) {
            context.err << tr("VibeML's %1 (pid %2) is monitoring; standing by to take over.").arg(holder->role).arg(holder->process.pid)
                        << '\n'
                        << Qt::flush;
        }
    });
    if (untilIdle) {
        // Idle is read from the journal, so a monitor that stands by ends as soon as the acting one is done.
        const auto checkIdle = [service, &monitor, finish] {
            auto live = service->store().jobs(jobs::JobStore::Which::NotTerminal, true);
            if (!live || monitor.isPolling() || !monitor.isRunning() || monitor.hasWorkInFlight())
                return;
            if (std::all_of(live.value().begin(), live.value().end(), isSettled)) {
                monitor.stop();
                finish(ExitOk);
            }
        };
        QObject::connect(&monitor, &jobs::JobMonitor::pollFinished, service, checkIdle);
        QObject::connect(&monitor, &jobs::JobMonitor::jobsChanged, service, checkIdle);
    }
    // SIGINT/SIGTERM end the loop cleanly: the lease is released, so another process takes over at once.
    static int signalPipe[2] = {-1, -1};
    if (signalPipe[0] < 0 && ::pipe(signalPipe) == 0) {
        struct sigaction action {};
        action.sa_handler = [](int) {
            const char byte = 1;
            (void)!::write(signalPipe[1], &byte, 1);
        };
        ::sigaction(SIGINT, &action, nullptr);
        ::sigaction(SIGTERM, &action, nullptr);
        auto *notifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, service);
        QObject::connect(notifier, &QSocketNotifier::activated, service, [service, &context, finish] {
            char byte = 0;
            (void)!::read(signalPipe[0], &byte, 1);
            context.err << tr("Stopping the monitor; jobs keep running and the next monitor re-attaches.") << '\n' << Qt::flush;
            service->monitor().stop();
            finish(ExitOk);
        });
    }
    monitor.start();
}

} // namespace vibeml
