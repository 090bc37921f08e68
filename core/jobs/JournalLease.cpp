#include "jobs/JournalLease.h"

#include "jobs/JournalDatabase.h"
#include "log/Logging.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace vibeml::jobs {
namespace {

QString timeText(const QDateTime &when)
{
    return when.toUTC().toString(Qt::ISODateWithMs);
}

QDateTime timeFrom(const QString &text)
{
    QDateTime when = QDateTime::fromString(text, Qt::ISODateWithMs);
    when.setTimeSpec(Qt::UTC);
    return when;
}

std::optional<JournalLease::Holder> readHolder(QSqlDatabase db, const QString &name)
{
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT holder, pid, process_started, host, role, expires_at FROM leases WHERE name = ?"));
    query.addBindValue(name);
    if (!query.exec() || !query.next())
        return std::nullopt;
    JournalLease::Holder holder;
    holder.id = query.value(0).toString();
    holder.process.pid = query.value(1).toLongLong();
    holder.process.started = query.value(2).toString();
    holder.process.host = query.value(3).toString();
    holder.role = query.value(4).toString();
    holder.expiresAt = timeFrom(query.value(5).toString());
    return holder;
}

} // namespace

JournalLease::JournalLease(JournalDatabase &database, const Clock &clock, QString name, QString role)
    : m_database(database), m_clock(clock), m_name(std::move(name)), m_role(std::move(role)),
      m_id(QUuid::createUuid().toString(QUuid::WithoutBraces))
{
}

JournalLease::~JournalLease()
{
    release();
}

bool JournalLease::acquireOrRenew(std::chrono::seconds ttl)
{
    bool took = false;
    const Status written = m_database.write([&](QSqlDatabase &db) -> Status {
        const QDateTime now = m_clock.now();
        const std::optional<Holder> current = readHolder(db, m_name);
        const bool ours = current && current->id == m_id;
        const bool free = !current || current->expiresAt <= now || !current->process.isAlive();
        if (!ours && !free)
            return Status::success();
        if (current && !ours)
            log::jobs()->info("Taking over the {} lease from {} (pid {}, {})", m_name, current->role, current->process.pid,
                              current->expiresAt <= now ? "expired" : "process gone");
        const ProcessIdentity me = ProcessIdentity::self();
        QSqlQuery query(db);
        query.prepare(QStringLiteral("INSERT INTO leases (name, holder, pid, process_started, host, role, acquired_at, expires_at) "
                                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, "
                                     "pid = excluded.pid, process_started = excluded.process_started, host = excluded.host, "
                                     "role = excluded.role, acquired_at = CASE WHEN leases.holder = excluded.holder "
                                     "THEN leases.acquired_at ELSE excluded.acquired_at END, expires_at = excluded.expires_at"));
        query.addBindValue(m_name);
        query.addBindValue(m_id);
        query.addBindValue(me.pid);
        query.addBindValue(me.started.isNull() ? QStringLiteral("") : me.started);
        query.addBindValue(me.host.isNull() ? QStringLiteral("") : me.host);
        query.addBindValue(m_role);
        query.addBindValue(timeText(now));
        query.addBindValue(timeText(now.addSecs(ttl.count())));
        if (!query.exec())
            return Status::failure(query.lastError().text());
        took = true;
        return Status::success();
    });
    if (!written)
        log::jobs()->warn("Could not renew the {} lease: {}", m_name, written.message());
    const bool was = m_held;
    m_held = written && took;
    if (m_held != was)
        log::jobs()->info("{} the {} lease ({})", m_held ? "Holding" : "Lost", m_name, m_role);
    return m_held;
}

void JournalLease::release()
{
    if (!m_held)
        return;
    const Status released = m_database.write([&](QSqlDatabase &db) -> Status {
        QSqlQuery query(db);
        query.prepare(QStringLiteral("DELETE FROM leases WHERE name = ? AND holder = ?"));
        query.addBindValue(m_name);
        query.addBindValue(m_id);
        if (!query.exec())
            return Status::failure(query.lastError().text());
        return Status::success();
    });
    if (!released)
        log::jobs()->warn("Could not release the {} lease: {}", m_name, released.message());
    m_held = false;
}

std::optional<JournalLease::Holder> JournalLease::holder() const
{
    return readHolder(m_database.database(), m_name);
}

} // namespace vibeml::jobs
