#pragma once

#include "common/Result.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace vibeml::jobs {

class JournalDatabase;

// What runs actually cost, entry by entry, summed per calendar month (UTC) for the budget.
class SpendLedger
{
public:
    struct Month
    {
        QString month; // "2026-11"
        double usd = 0;
        int entries = 0;
    };

    explicit SpendLedger(JournalDatabase &database) : m_database(database) {}

    Status record(const QString &jobId, double usd, const QDateTime &when, const QString &note = QString());
    // nullopt when the journal cannot be read (the caller must not assume zero spend).
    std::optional<double> monthTotal(const QDate &anyDayOfMonth) const;
    // Newest first, at most `months` months that have entries.
    QList<Month> history(int months = 12) const;

    static QString monthKey(const QDate &date); // "2026-11"

private:
    JournalDatabase &m_database;
};

} // namespace vibeml::jobs
