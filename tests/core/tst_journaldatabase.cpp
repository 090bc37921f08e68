#include "jobs/JournalDatabase.h"

#include "TestSupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlQuery>

using namespace vibeml;
using namespace vibeml::jobs;

namespace {
int g_counter = 0;
QString freshPath()
{
    return test::isolatedRoot() + QStringLiteral("/journal-%1/vibeml/journal.sqlite").arg(++g_counter);
}
} // namespace

class TestJournalDatabase : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void createsAPrivateMigratedDatabase()
    {
        const QString path = freshPath();
        JournalDatabase journal(path);
        const Status opened = journal.open();
        QVERIFY2(opened.isOk(), qPrintable(opened.message()));
        QCOMPARE(journal.state(), JournalDatabase::State::Open);
        QCOMPARE(journal.schemaVersion(), JournalDatabase::latestSchemaVersion());
        QCOMPARE(QFileInfo(path).permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup), QFileDevice::Permissions());
        QCOMPARE(QFileInfo(QFileInfo(path).absolutePath()).permissions() & QFileDevice::ReadOther, QFileDevice::Permissions());
        QSqlQuery mode(journal.database());
        QVERIFY(mode.exec(QStringLiteral("PRAGMA journal_mode")) && mode.next());
        QCOMPARE(mode.value(0).toString(), QStringLiteral("wal"));
    }

    void reopeningKeepsData()
    {
        const QString path = freshPath();
        {
            JournalDatabase journal(path);
            QVERIFY(journal.open().isOk());
            QVERIFY(journal.write([](QSqlDatabase &db) {
                QSqlQuery query(db);
                return query.exec(QStringLiteral("INSERT INTO spend (job_id, month, amount_usd, recorded_at) VALUES ('j', '2026-11', 1.5, 'now')"))
                           ? Status::success()
                           : Status::failure(QStringLiteral("insert"));
            }).isOk());
        }
        JournalDatabase again(path);
        QVERIFY(again.open().isOk());
        QSqlQuery query(again.database());
        QVERIFY(query.exec(QStringLiteral("SELECT SUM(amount_usd) FROM spend")) && query.next());
        QCOMPARE(query.value(0).toDouble(), 1.5);
    }

    void failedWorkRollsBack()
    {
        JournalDatabase journal(freshPath());
        QVERIFY(journal.open().isOk());
        const Status failed = journal.write([](QSqlDatabase &db) {
            QSqlQuery query(db);
            query.exec(QStringLiteral("INSERT INTO spend (job_id, month, amount_usd, recorded_at) VALUES ('j', '2026-11', 1, 'now')"));
            return Status::failure(QStringLiteral("changed my mind"));
        });
        QVERIFY(!failed.isOk());
        QSqlQuery count(journal.database());
        QVERIFY(count.exec(QStringLiteral("SELECT COUNT(*) FROM spend")) && count.next());
        QCOMPARE(count.value(0).toInt(), 0);
        // Constraints hold: no negative spend.
        QVERIFY(!journal.write([](QSqlDatabase &db) {
            QSqlQuery query(db);
            return query.exec(QStringLiteral("INSERT INTO spend (job_id, month, amount_usd, recorded_at) VALUES ('j', '2026-11', -1, 'now')"))
                       ? Status::success()
                       : Status::failure(QStringLiteral("refused"));
        }).isOk());
    }

    void twoConnectionsShareTheFile()
    {
        const QString path = freshPath();
        JournalDatabase first(path);
        JournalDatabase second(path);
        QVERIFY(first.open().isOk());
        QVERIFY(second.open().isOk());
        QVERIFY(first.write([](QSqlDatabase &db) {
            QSqlQuery query(db);
            query.exec(QStringLiteral("INSERT INTO spend (job_id, month, amount_usd, recorded_at) VALUES ('a', '2026-11', 2, 'now')"));
            return Status::success();
        }).isOk());
        QSqlQuery query(second.database());
        QVERIFY(query.exec(QStringLiteral("SELECT COUNT(*) FROM spend")) && query.next());
        QCOMPARE(query.value(0).toInt(), 1);
    }

    void corruptFileIsReportedThenRecovered_data()
    {
        QTest::addColumn<QByteArray>("contents");
        QTest::newRow("garbage") << QByteArray(4096, 'x');
        QTest::newRow("truncated header") << QByteArray("SQLite format 3\0\x10\x00", 19);
    }

    void corruptFileIsReportedThenRecovered()
    {
        QFETCH(QByteArray, contents);
        const QString path = freshPath();
        QVERIFY(test::writeFile(path, contents));
        JournalDatabase journal(path);
        const Status opened = journal.open();
        QVERIFY(!opened.isOk());
        QCOMPARE(journal.state(), JournalDatabase::State::Corrupt);
        QVERIFY2(opened.message().contains(QStringLiteral("damaged")), qPrintable(opened.message()));
        QVERIFY(opened.message().contains(QStringLiteral("recover")));
        QCOMPARE(test::readFile(path), contents); // nothing touched yet

        QVERIFY(journal.recoverFromCorruption().isOk());
        QCOMPARE(journal.state(), JournalDatabase::State::Open);
        QVERIFY(journal.keptCopyPath().contains(QStringLiteral(".corrupt-")));
        QCOMPARE(test::readFile(journal.keptCopyPath()), contents);
        QCOMPARE(journal.schemaVersion(), JournalDatabase::latestSchemaVersion());
    }

    void newerSchemaIsReadNotChanged()
    {
        const QString path = freshPath();
        {
            JournalDatabase journal(path);
            QVERIFY(journal.open().isOk());
            QSqlQuery query(journal.database());
            QVERIFY(query.exec(QStringLiteral("PRAGMA user_version = 99")));
        }
        JournalDatabase journal(path);
        QVERIFY(journal.open().isOk());
        QCOMPARE(journal.schemaVersion(), 99);
    }
};

VIBEML_TEST_MAIN_CORE(TestJournalDatabase)
#include "tst_journaldatabase.moc"
