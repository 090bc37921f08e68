#include "jobs/JobStore.h"

#include "jobs/JournalDatabase.h"
#include "jobs/TrainingProgress.h"
#include "log/Logging.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

#include <utility>

namespace vibeml::jobs {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("JobStore", text);
}

QVariant timeValue(const QDateTime &when)
{
    return when.isValid() ? QVariant(when.toUTC().toString(Qt::ISODateWithMs)) : QVariant();
}

QDateTime timeFrom(const QVariant &value)
{
    if (value.isNull())
        return QDateTime();
    QDateTime when = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    when.setTimeSpec(Qt::UTC);
    return when;
}

template <typename T>
QVariant optionalValue(const std::optional<T> &value)
{
    return value ? QVariant::fromValue(*value) : QVariant();
}

QString text(const QString &value)
{
    return value.isNull() ? QStringLiteral("") : value; // a null QString would bind as NULL
}

QList<std::pair<QLatin1StringView, QVariant>> columns(const JobRecord &job)
{
    const QByteArray plan = QJsonDocument(sky::toJson(job.plan)).toJson(QJsonDocument::Compact);
    const QByteArray progress = QJsonDocument(job.progress.toJson()).toJson(QJsonDocument::Compact);
    return {
        {QLatin1StringView("cluster"), job.cluster},
        {QLatin1StringView("managed"), job.managed ? 1 : 0},
        {QLatin1StringView("state"), stateName(job.state)},
        {QLatin1StringView("outcome"), isOutcome(job.outcome) ? stateName(job.outcome) : QStringLiteral("")},
        {QLatin1StringView("reason"), text(job.reason)},
        {QLatin1StringView("source"), text(job.source)},
        {QLatin1StringView("plan_json"), QString::fromUtf8(plan)},
        {QLatin1StringView("bundle_dir"), text(job.bundleDirectory)},
        {QLatin1StringView("model_id"), text(job.plan.modelId)},
        {QLatin1StringView("dataset_id"), text(job.plan.datasetId)},
        {QLatin1StringView("accelerators"), text(job.plan.accelerators())},
        {QLatin1StringView("nodes"), job.plan.nodes},
        {QLatin1StringView("spot"), job.plan.spot ? 1 : 0},
        {QLatin1StringView("region"), text(job.plan.region)},
        {QLatin1StringView("sky_job_id"), optionalValue(job.skyJobId)},
        {QLatin1StringView("managed_job_id"), optionalValue(job.managedJobId)},
        {QLatin1StringView("price_per_hour"), job.pricePerHour},
        {QLatin1StringView("estimate_low_usd"), job.estimateLowUsd},
        {QLatin1StringView("estimate_high_usd"), job.estimateHighUsd},
        {QLatin1StringView("budget_cap_usd"), optionalValue(job.budgetCapUsd)},
        {QLatin1StringView("teardown_policy"), policyName(job.policy)},
        {QLatin1StringView("keep_minutes"), job.keepMinutes},
        {QLatin1StringView("purge"), job.purge ? 1 : 0},
        {QLatin1StringView("created_at"), timeValue(job.createdAt)},
        {QLatin1StringView("launch_started_at"), timeValue(job.launchStartedAt)},
        {QLatin1StringView("ended_at"), timeValue(job.endedAt)},
        {QLatin1StringView("torn_down_at"), timeValue(job.tornDownAt)},
        {QLatin1StringView("updated_at"), timeValue(job.updatedAt)},
        {QLatin1StringView("billed_seconds"), job.billedSeconds},
        {QLatin1StringView("billing_since"), timeValue(job.billingSince)},
        {QLatin1StringView("accrued_usd"), job.accruedUsd},
        {QLatin1StringView("actual_usd"), optionalValue(job.actualUsd)},
        {QLatin1StringView("budget_warned"), job.budgetWarned ? 1 : 0},
        {QLatin1StringView("cluster_seen"), job.clusterSeen ? 1 : 0},
        {QLatin1StringView("outputs_state"), text(job.outputsState)},
        {QLatin1StringView("launcher_pid"), job.launcher.isEmpty() ? QVariant() : QVariant(job.launcher.pid)},
        {QLatin1StringView("launcher_started"), text(job.launcher.started)},
        {QLatin1StringView("launcher_host"), text(job.launcher.host)},
        {QLatin1StringView("teardown_attempts"), job.teardownAttempts},
        {QLatin1StringView("next_teardown_at"), timeValue(job.nextTeardownAt)},
        {QLatin1StringView("progress_json"), QString::fromUtf8(progress)},
        {QLatin1StringView("log_lines"), job.logLines},
        {QLatin1StringView("archived"), job.archived ? 1 : 0},
    };
}

template <typename T>
std::optional<T> optionalFrom(const QVariant &value)
{
    if (value.isNull())
        return std::nullopt;
    return value.value<T>();
}

// A row as stored. A damaged plan or an unknown state (a newer VibeML wrote it) still yields a
// record — with the facts the columns hold — so the job stays visible and its cluster findable.
JobRecord recordFrom(const QSqlQuery &query)
{
    const QSqlRecord row = query.record();
    auto value = [&](const char *name) { return query.value(row.indexOf(QLatin1StringView(name))); };
    JobRecord job;
    job.id = value("id").toString();
    job.cluster = value("cluster").toString();
    job.managed = value("managed").toInt() != 0;
    const QString state = value("state").toString();
    job.state = stateFromName(state).value_or(JobState::Running);
    job.outcome = stateFromName(value("outcome").toString()).value_or(JobState::Launching);
    job.reason = value("reason").toString();
    if (!stateFromName(state))
        job.reason = tr("Unknown state “%1” (written by a newer VibeML?)").arg(state);
    job.source = value("source").toString();
    const QJsonDocument plan = QJsonDocument::fromJson(value("plan_json").toString().toUtf8());
    if (auto parsed = sky::launchPlanFromJson(plan.object()); parsed) {
        job.plan = parsed.value();
    } else {
        // The hardware (what was paid for) from its columns, so a rewrite of the row keeps it.
        const QString accelerators = value("accelerators").toString();
        job.plan.accelerator = accelerators.section(u':', 0, 0);
        job.plan.gpusPerNode = std::max(1, accelerators.section(u':', 1, 1).toInt());
        job.plan.nodes = std::max(1, value("nodes").toInt());
        job.plan.spot = value("spot").toInt() != 0;
        job.plan.region = value("region").toString();
    }
    job.plan.jobId = job.id;
    if (job.plan.modelId.isEmpty())
        job.plan.modelId = value("model_id").toString();
    if (job.plan.datasetId.isEmpty())
        job.plan.datasetId = value("dataset_id").toString();
    job.bundleDirectory = value("bundle_dir").toString();
    job.skyJobId = optionalFrom<int>(value("sky_job_id"));
    job.managedJobId = optionalFrom<int>(value("managed_job_id"));
    job.pricePerHour = value("price_per_hour").toDouble();
    job.estimateLowUsd = value("estimate_low_usd").toDouble();
    job.estimateHighUsd = value("estimate_high_usd").toDouble();
    job.budgetCapUsd = optionalFrom<double>(value("budget_cap_usd"));
    job.policy = policyFromName(value("teardown_policy").toString()).value_or(TeardownPolicy::Down);
    job.keepMinutes = value("keep_minutes").toInt();
    job.purge = value("purge").toInt() != 0;
    job.createdAt = timeFrom(value("created_at"));
    job.launchStartedAt = timeFrom(value("launch_started_at"));
    job.endedAt = timeFrom(value("ended_at"));
    job.tornDownAt = timeFrom(value("torn_down_at"));
    job.updatedAt = timeFrom(value("updated_at"));
    job.billedSeconds = value("billed_seconds").toDouble();
    job.billingSince = timeFrom(value("billing_since"));
    job.accruedUsd = value("accrued_usd").toDouble();
    job.actualUsd = optionalFrom<double>(value("actual_usd"));
    job.budgetWarned = value("budget_warned").toInt() != 0;
    job.clusterSeen = value("cluster_seen").toInt() != 0;
    job.outputsState = value("outputs_state").toString();
    if (const QVariant pid = value("launcher_pid"); !pid.isNull()) {
        job.launcher.pid = pid.toLongLong();
        job.launcher.started = value("launcher_started").toString();
        job.launcher.host = value("launcher_host").toString();
    }
    job.teardownAttempts = value("teardown_attempts").toInt();
    job.nextTeardownAt = timeFrom(value("next_teardown_at"));
    job.progress = TrainingProgress::fromJson(QJsonDocument::fromJson(value("progress_json").toString().toUtf8()).object());
    job.logLines = value("log_lines").toLongLong();
    job.archived = value("archived").toInt() != 0;
    return job;
}

std::optional<JobRecord> readJob(QSqlDatabase db, const QString &id)
{
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT * FROM jobs WHERE id = ?"));
    query.addBindValue(id);
    if (!query.exec() || !query.next())
        return std::nullopt;
    return recordFrom(query);
}

Status insertEvent(QSqlDatabase &db, const QString &id, const QDateTime &at, const QString &kind, const QString &state,
                   const QString &message)
{
    QSqlQuery query(db);
    query.prepare(QStringLiteral("INSERT INTO job_events (job_id, at, kind, state, message) VALUES (?, ?, ?, ?, ?)"));
    query.addBindValue(id);
    query.addBindValue(timeValue(at));
    query.addBindValue(kind);
    query.addBindValue(text(state));
    query.addBindValue(text(message));
    if (!query.exec())
        return Status::failure(query.lastError().text());
    return Status::success();
}

// Opens or closes the billing interval so it matches the state.
void keepBillingInStep(JobRecord &job, const QDateTime &now)
{
    const bool bills = mayBill(job.state);
    if (bills && !job.billingSince.isValid()) {
        job.billingSince = now;
    } else if (!bills && job.billingSince.isValid()) {
        job.billedSeconds = job.billedSecondsAt(now);
        job.billingSince = QDateTime();
    }
    job.accruedUsd = job.accruedAt(now);
    if (isTerminal(job.state) && !job.actualUsd)
        job.actualUsd = job.accruedUsd;
}

} // namespace

Status JobStore::insert(const JobRecord &job, const QString &message)
{
    if (job.id.isEmpty() || job.cluster.isEmpty())
        return Status::failure(tr("A job needs an id and a cluster name."));
    return m_database.write([&](QSqlDatabase &db) -> Status {
        JobRecord row = job;
        const QDateTime now = m_clock.now();
        if (!row.createdAt.isValid())
            row.createdAt = now;
        row.updatedAt = now;
        keepBillingInStep(row, now);
        const auto values = columns(row);
        QStringList names{QStringLiteral("id")};
        QStringList marks{QStringLiteral("?")};
        for (const auto &[name, value] : values) {
            names << name;
            marks << QStringLiteral("?");
        }
        QSqlQuery query(db);
        query.prepare(QStringLiteral("INSERT INTO jobs (%1) VALUES (%2)").arg(names.join(u','), marks.join(u',')));
        query.addBindValue(row.id);
        for (const auto &[name, value] : values)
            query.addBindValue(value);
        if (!query.exec())
            return Status::failure(tr("Could not record job %1: %2").arg(row.id, query.lastError().text()));
        return insertEvent(db, row.id, now, QStringLiteral("state"), stateName(row.state), message);
    });
}

std::optional<JobRecord> JobStore::job(const QString &id) const
{
    return readJob(m_database.database(), id);
}

Result<QList<JobRecord>, QString> JobStore::jobs(Which which, bool includeArchived) const
{
    QSqlQuery query(m_database.database());
    QString sql = QStringLiteral("SELECT * FROM jobs");
    QStringList conditions;
    if (which == Which::NotTerminal)
        conditions << QStringLiteral("state NOT IN ('done', 'lost')");
    else if (which == Which::Terminal)
        conditions << QStringLiteral("state IN ('done', 'lost')");
    if (!includeArchived)
        conditions << QStringLiteral("archived = 0");
    if (!conditions.isEmpty())
        sql += QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND "));
    sql += QStringLiteral(" ORDER BY created_at DESC, id");
    if (!query.exec(sql))
        return tr("Could not read the job journal: %1").arg(query.lastError().text());
    QList<JobRecord> result;
    while (query.next())
        result.append(recordFrom(query));
    return result;
}

Status JobStore::modify(const QString &id, const std::function<Status(JobRecord &)> &change, const QString &eventKind,
                        const QString &eventMessage)
{
    return m_database.write([&](QSqlDatabase &db) -> Status {
        std::optional<JobRecord> row = readJob(db, id);
        if (!row)
            return Status::failure(tr("There is no job %1 in the journal.").arg(id));
        const JobState before = row->state;
        if (const Status changed = change(*row); !changed)
            return changed;
        const QDateTime now = m_clock.now();
        row->updatedAt = now;
        keepBillingInStep(*row, now);
        const auto values = columns(*row);
        QStringList assignments;
        for (const auto &[name, value] : values)
            assignments << name + QStringLiteral(" = ?");
        QSqlQuery query(db);
        query.prepare(QStringLiteral("UPDATE jobs SET %1 WHERE id = ?").arg(assignments.join(u',')));
        for (const auto &[name, value] : values)
            query.addBindValue(value);
        query.addBindValue(id);
        if (!query.exec())
            return Status::failure(tr("Could not update job %1: %2").arg(id, query.lastError().text()));
        // What the job finally cost joins the month's spend in the same transaction, exactly once.
        if (isTerminal(row->state) && !isTerminal(before) && row->actualUsd.value_or(0) > 0) {
            QSqlQuery spend(db);
            spend.prepare(QStringLiteral("INSERT INTO spend (job_id, month, amount_usd, recorded_at, note) VALUES (?, ?, ?, ?, ?)"));
            spend.addBindValue(id);
            spend.addBindValue(now.date().toString(QStringLiteral("yyyy-MM")));
            spend.addBindValue(*row->actualUsd);
            spend.addBindValue(timeValue(now));
            spend.addBindValue(QStringLiteral("%1 h on %2").arg(row->billedSeconds / 3600.0, 0, 'f', 2).arg(row->plan.accelerators()));
            if (!spend.exec())
                return Status::failure(spend.lastError().text());
        }
        const QString kind = eventKind.isEmpty() ? QStringLiteral("state") : eventKind;
        if (kind == QLatin1String("state") && row->state == before)
            return Status::success(); // nothing happened worth a line in the history
        return insertEvent(db, id, now, kind, row->state != before || kind == QLatin1String("state") ? stateName(row->state) : QString(),
                           eventMessage);
    });
}

Status JobStore::transition(const QString &id, JobState to, const QString &reason, const std::function<void(JobRecord &)> &also)
{
    return transitionFrom(id, JobState::Launching, to, reason, also, nullptr);
}

Status JobStore::transitionFrom(const QString &id, JobState from, JobState to, const QString &reason,
                                const std::function<void(JobRecord &)> &also, bool *moved)
{
    if (moved)
        *moved = false;
    return modify(
        id,
        [&](JobRecord &job) -> Status {
            if (moved && job.state != from)
                return Status::success(); // moved on meanwhile: nothing to write
            if (moved)
                *moved = true;
            if (!canTransition(job.state, to))
                return Status::failure(tr("Job %1 cannot go from %2 to %3.").arg(id, stateName(job.state), stateName(to)));
            if (job.state != to)
                log::jobs()->info("Job {}: {} -> {} ({})", id, stateName(job.state), stateName(to), reason);
            job.state = to;
            if (!reason.isEmpty())
                job.reason = reason;
            if (isOutcome(to)) {
                job.outcome = to;
                if (!job.endedAt.isValid())
                    job.endedAt = m_clock.now();
            }
            if (also)
                also(job);
            return Status::success();
        },
        QStringLiteral("state"), reason);
}

Status JobStore::update(const QString &id, const std::function<void(JobRecord &)> &change, const QString &eventKind,
                        const QString &eventMessage)
{
    return modify(
        id,
        [&](JobRecord &job) {
            change(job);
            return Status::success();
        },
        eventKind, eventMessage);
}

Status JobStore::addEvent(const QString &id, const QString &kind, const QString &message)
{
    return m_database.write([&](QSqlDatabase &db) { return insertEvent(db, id, m_clock.now(), kind, QString(), message); });
}

QList<JobEvent> JobStore::events(const QString &id, int limit) const
{
    QList<JobEvent> result;
    QSqlQuery query(m_database.database());
    query.prepare(QStringLiteral("SELECT id, at, kind, state, message FROM job_events WHERE job_id = ? ORDER BY id LIMIT ?"));
    query.addBindValue(id);
    query.addBindValue(std::max(1, limit));
    if (!query.exec())
        return result;
    while (query.next())
        result.append(JobEvent{query.value(0).toLongLong(), id, timeFrom(query.value(1)), query.value(2).toString(),
                               query.value(3).toString(), query.value(4).toString()});
    return result;
}

Status JobStore::addProgress(const QString &id, const QList<ProgressEvent> &events, qint64 logLinesAdded)
{
    return m_database.write([&](QSqlDatabase &db) -> Status {
        std::optional<JobRecord> row = readJob(db, id);
        if (!row)
            return Status::failure(tr("There is no job %1 in the journal.").arg(id));
        for (const ProgressEvent &event : events) {
            row->progress.apply(event);
            const bool point = (event.kind == ProgressEvent::Kind::Progress || event.kind == ProgressEvent::Kind::Eval) && event.step;
            if (!point)
                continue;
            QSqlQuery query(db);
            query.prepare(QStringLiteral("INSERT OR IGNORE INTO job_metrics (job_id, kind, step, loss, learning_rate, eval_loss, at) "
                                         "VALUES (?, ?, ?, ?, ?, ?, ?)"));
            query.addBindValue(id);
            query.addBindValue(event.kind == ProgressEvent::Kind::Eval ? QStringLiteral("eval") : QStringLiteral("train"));
            query.addBindValue(*event.step);
            query.addBindValue(optionalValue(event.loss));
            query.addBindValue(optionalValue(event.learningRate));
            query.addBindValue(optionalValue(event.evalLoss));
            query.addBindValue(event.time);
            if (!query.exec())
                return Status::failure(query.lastError().text());
        }
        QSqlQuery update(db);
        update.prepare(QStringLiteral("UPDATE jobs SET progress_json = ?, log_lines = log_lines + ?, updated_at = ? WHERE id = ?"));
        update.addBindValue(QString::fromUtf8(QJsonDocument(row->progress.toJson()).toJson(QJsonDocument::Compact)));
        update.addBindValue(logLinesAdded);
        update.addBindValue(timeValue(m_clock.now()));
        update.addBindValue(id);
        if (!update.exec())
            return Status::failure(update.lastError().text());
        return Status::success();
    });
}

QList<MetricPoint> JobStore::metrics(const QString &id) const
{
    QList<MetricPoint> result;
    QSqlQuery query(m_database.database());
    query.prepare(QStringLiteral("SELECT step, MAX(loss), MAX(learning_rate), MAX(eval_loss), MAX(at) FROM job_metrics "
                                 "WHERE job_id = ? GROUP BY step ORDER BY step"));
    query.addBindValue(id);
    if (!query.exec())
        return result;
    while (query.next()) {
        MetricPoint point;
        point.step = query.value(0).toLongLong();
        point.loss = optionalFrom<double>(query.value(1));
        point.learningRate = optionalFrom<double>(query.value(2));
        point.evalLoss = optionalFrom<double>(query.value(3));
        point.time = query.value(4).toDouble();
        result.append(point);
    }
    return result;
}

Status JobStore::archive(const QString &id)
{
    return modify(
        id,
        [&](JobRecord &job) -> Status {
            if (!isTerminal(job.state))
                return Status::failure(tr("Job %1 still has a cluster (%2); tear it down before removing the record.")
                                           .arg(id, stateLabel(job.state)));
            job.archived = true;
            return Status::success();
        },
        QStringLiteral("note"), tr("Record archived"));
}

qint64 JobStore::dataVersion() const
{
    QSqlQuery query(m_database.database());
    if (!query.exec(QStringLiteral("PRAGMA data_version")) || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

} // namespace vibeml::jobs
