#include "jobs/JournalDatabase.h"
#include "jobs/SpendLedger.h"

#include "TestSupport.h"

using namespace vibeml;
using namespace vibeml::jobs;

class TestSpendLedger : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sumsPerCalendarMonth()
    {
        JournalDatabase journal(test::isolatedRoot() + QStringLiteral("/ledger/journal.sqlite"));
        QVERIFY(journal.open().isOk());
        SpendLedger ledger(journal);
        const QDateTime november(QDate(2026, 11, 30), QTime(23, 30), Qt::UTC);
        const Status first = ledger.record(QStringLiteral("job-1"), 12.25, november);
        QVERIFY2(first.isOk(), qPrintable(first.message()));
        QVERIFY(ledger.record(QStringLiteral("job-2"), 7.75, november.addDays(-20), QStringLiteral("final")).isOk());
        QVERIFY(ledger.record(QStringLiteral("job-3"), 3.00, november.addSecs(3600)).isOk()); // December, UTC
        QCOMPARE(ledger.monthTotal(QDate(2026, 11, 2)), std::optional<double>(20.0));
        QCOMPARE(ledger.monthTotal(QDate(2026, 12, 31)), std::optional<double>(3.0));
        QCOMPARE(ledger.monthTotal(QDate(2025, 1, 1)), std::optional<double>(0.0));

        const QList<SpendLedger::Month> history = ledger.history();
        QCOMPARE(history.size(), 2);
        QCOMPARE(history.first().month, QStringLiteral("2026-12"));
        QCOMPARE(history.last().usd, 20.0);
        QCOMPARE(history.last().entries, 2);
    }

    void refusesNonsense()
    {
        JournalDatabase journal(test::isolatedRoot() + QStringLiteral("/ledger2/journal.sqlite"));
        QVERIFY(journal.open().isOk());
        SpendLedger ledger(journal);
        QVERIFY(!ledger.record(QStringLiteral("job"), -1, QDateTime::currentDateTimeUtc()).isOk());
        QVERIFY(!ledger.record(QStringLiteral("job"), qQNaN(), QDateTime::currentDateTimeUtc()).isOk());
        QVERIFY(!ledger.record(QString(), 1, QDateTime::currentDateTimeUtc()).isOk());
        QCOMPARE(ledger.monthTotal(QDate::currentDate()), std::optional<double>(0.0));
    }

    void unreadableJournalIsNotZero()
    {
        JournalDatabase journal(test::isolatedRoot() + QStringLiteral("/ledger3/journal.sqlite"));
        SpendLedger ledger(journal); // never opened
        QVERIFY(!ledger.monthTotal(QDate::currentDate()).has_value());
    }
};

VIBEML_TEST_MAIN_CORE(TestSpendLedger)
#include "tst_spendledger.moc"
