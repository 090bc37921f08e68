#include "jobs/SpendLedger.h"

#include "jobs/JournalDatabase.h"

#include <QCoreApplication>
#include <QSqlError>
#include <QSqlQuery>

#include <cmath>

namespace vibeml::jobs {

QString SpendLedger::monthKey(const QDate &date)
{
    return date.toString(QStringLiteral("yyyy-MM"));
}

Status SpendLedger::record(const QString &jobId, double usd, const QDateTime &when, const QString &note)
{
    if (!std::isfinite(usd) || usd < 0)
        return Status::failure(QCoreApplication::translate("SpendLedger", "A spend of %1 dollars cannot be recorded.").arg(usd));
    if (jobId.isEmpty())
        return Status::failure(QCoreApplication::translate("SpendLedger", "A spend needs the job it belongs to."));
    return m_database.write([&](QSqlDatabase &db) -> Status {
        QSqlQuery query(db);
        query.prepare(QStringLiteral("INSERT INTO spend (job_id, month, amount_usd, recorded_at, note) VALUES (?, ?, ?, ?, ?)"));
        const QDateTime utc = when.toUTC();
        query.addBindValue(jobId);
        query.addBindValue(monthKey(utc.date()));
        query.addBindValue(usd);
        query.addBindValue(utc.toString(Qt::ISODateWithMs));
        query.addBindValue(note.isEmpty() ? QStringLiteral("") : note); // a null QString would bind as NULL
        if (!query.exec())
            return Status::failure(query.lastError().text());
        return Status::success();
    });
}

std::optional<double> SpendLedger::monthTotal(const QDate &anyDayOfMonth) const
{
    QSqlQuery query(m_database.database());
    query.prepare(QStringLiteral("SELECT COALESCE(SUM(amount_usd), 0) FROM spend WHERE month = ?"));
    query.addBindValue(monthKey(anyDayOfMonth));
    if (!query.exec() || !query.next())
        return std::nullopt;
    return query.value(0).toDouble();
}

QList<SpendLedger::Month> SpendLedger::history(int months) const
{
    QList<Month> result;
    QSqlQuery query(m_database.database());
    query.prepare(QStringLiteral("SELECT month, SUM(amount_usd), COUNT(*) FROM spend GROUP BY month ORDER BY month DESC LIMIT ?"));
    query.addBindValue(std::max(1, months));
    if (!query.exec())
        return result;
    while (query.next())
        result.append(Month{query.value(0).toString(), query.value(1).toDouble(), query.value(2).toInt()});
    return result;
}

} // namespace vibeml::jobs
