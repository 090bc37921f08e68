#include "common/Clock.h"
#include "common/ProcessIdentity.h"
#include "jobs/JournalDatabase.h"
#include "jobs/JournalLease.h"

#include "TestSupport.h"

#include <QCoreApplication>
#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QSysInfo>

#include <chrono>

using namespace vibeml;
using namespace vibeml::jobs;
using namespace std::chrono_literals;

namespace {

int g_counter = 0;

QString freshPath()
{
    return test::isolatedRoot() + QStringLiteral("/lease-%1/vibeml/journal.sqlite").arg(++g_counter);
}

const QDateTime kStart(QDate(2026, 11, 28), QTime(12, 0), Qt::UTC);
const QString kMonitor = QStringLiteral("monitor");

QString isoTime(const QDateTime &when)
{
    return when.toUTC().toString(Qt::ISODateWithMs);
}

// Writes a lease row as another VibeML process would have.
bool writeForeignLease(JournalDatabase &journal, const QString &holder, const ProcessIdentity &process,
                       const QDateTime &expires)
{
    QSqlQuery query(journal.database());
    query.prepare(QStringLiteral("INSERT INTO leases (name, holder, pid, process_started, host, role, acquired_at, expires_at) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    query.addBindValue(kMonitor);
    query.addBindValue(holder);
    query.addBindValue(process.pid);
    query.addBindValue(process.started.isNull() ? QStringLiteral("") : process.started);
    query.addBindValue(process.host.isNull() ? QStringLiteral("") : process.host);
    query.addBindValue(QStringLiteral("window"));
    query.addBindValue(isoTime(kStart));
    query.addBindValue(isoTime(expires));
    if (!query.exec()) {
        qWarning("%s", qPrintable(query.lastError().text()));
        return false;
    }
    return true;
}

QString sleepProgram()
{
    return QStandardPaths::findExecutable(QStringLiteral("sleep"));
}

} // namespace

class TestJournalLease : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstAcquireHolds()
    {
        ManualClock clock(kStart);
        JournalDatabase journal(freshPath());
        QVERIFY(journal.open().isOk());
        JournalLease lease(journal, clock, kMonitor, QStringLiteral("window"));
        QVERIFY(!lease.isHeld());
        QVERIFY(!lease.holder().has_value());
        QVERIFY(!lease.id().isEmpty());

        QVERIFY(lease.acquireOrRenew(60s));
        QVERIFY(lease.isHeld());
        const std::optional<JournalLease::Holder> holder = lease.holder();
        QVERIFY(holder.has_value());
        QCOMPARE(holder->id, lease.id());
        QCOMPARE(holder->role, QStringLiteral("window"));
        QCOMPARE(holder->process.pid, QCoreApplication::applicationPid());
        QVERIFY(holder->process.isSelf());
        QCOMPARE(holder->expiresAt, kStart.addSecs(60));
        // Renewing what we hold is no takeover.
        QVERIFY(lease.acquireOrRenew(60s));
        QCOMPARE(lease.holder()->id, lease.id());
    }

    void secondProcessWaitsForRelease()
    {
        ManualClock clock(kStart);
        const QString path = freshPath();
        JournalDatabase windowJournal(path);
        JournalDatabase cliJournal(path);
        QVERIFY(windowJournal.open().isOk());
        QVERIFY(cliJournal.open().isOk());
        JournalLease window(windowJournal, clock, kMonitor, QStringLiteral("window"));
        JournalLease cli(cliJournal, clock, kMonitor, QStringLiteral("cli"));
        QVERIFY(window.id() != cli.id());

        QVERIFY(window.acquireOrRenew(60s));
        QVERIFY(!cli.acquireOrRenew(60s));
        QVERIFY(!cli.isHeld());
        QCOMPARE(cli.holder()->id, window.id());
        QCOMPARE(cli.holder()->role, QStringLiteral("window"));

        // Releasing a lease one does not hold changes nothing.
        cli.release();
        QCOMPARE(window.holder()->id, window.id());

        window.release();
        QVERIFY(!window.isHeld());
        QVERIFY(!cli.holder().has_value());
        QVERIFY(cli.acquireOrRenew(60s));
        QCOMPARE(window.holder()->role, QStringLiteral("cli"));
        QVERIFY(!window.acquireOrRenew(60s));
    }

    void namesAreIndependent()
    {
        ManualClock clock(kStart);
        const QString path = freshPath();
        JournalDatabase first(path);
        JournalDatabase second(path);
        QVERIFY(first.open().isOk());
        QVERIFY(second.open().isOk());
        JournalLease monitor(first, clock, kMonitor, QStringLiteral("window"));
        JournalLease other(second, clock, QStringLiteral("log-export"), QStringLiteral("cli"));
        QVERIFY(monitor.acquireOrRenew(60s));
        QVERIFY(other.acquireOrRenew(60s));
    }

    void expiredLeaseIsTakenOver()
    {
        ManualClock clock(kStart);
        const QString path = freshPath();
        JournalDatabase firstJournal(path);
        JournalDatabase secondJournal(path);
        QVERIFY(firstJournal.open().isOk());
        QVERIFY(secondJournal.open().isOk());
        JournalLease first(firstJournal, clock, kMonitor, QStringLiteral("window"));
        JournalLease second(secondJournal, clock, kMonitor, QStringLiteral("monitor"));

        QVERIFY(first.acquireOrRenew(30s));
        clock.advanceSeconds(29);
        QVERIFY(!second.acquireOrRenew(30s)); // still valid (and its holder, this process, lives)
        clock.advanceSeconds(2);
        QVERIFY(second.acquireOrRenew(30s));
        QCOMPARE(second.holder()->id, second.id());
        QCOMPARE(second.holder()->expiresAt, kStart.addSecs(31 + 30));

        // The first holder has not noticed yet; releasing must not free the new holder's lease.
        QVERIFY(first.isHeld());
        first.release();
        QCOMPARE(second.holder()->id, second.id());
        // Its next renewal tells it the truth.
        QVERIFY(!first.acquireOrRenew(30s));
        QVERIFY(!first.isHeld());
    }

    void renewingExtendsTheLease()
    {
        ManualClock clock(kStart);
        const QString path = freshPath();
        JournalDatabase firstJournal(path);
        JournalDatabase secondJournal(path);
        QVERIFY(firstJournal.open().isOk());
        QVERIFY(secondJournal.open().isOk());
        JournalLease first(firstJournal, clock, kMonitor, QStringLiteral("window"));
        JournalLease second(secondJournal, clock, kMonitor, QStringLiteral("cli"));

        QVERIFY(first.acquireOrRenew(30s));
        clock.advanceSeconds(20);
        QVERIFY(first.acquireOrRenew(30s));
        QCOMPARE(first.holder()->expiresAt, kStart.addSecs(50));
        clock.advanceSeconds(20); // 40 s: past the first expiry, within the renewed one
        QVERIFY(!second.acquireOrRenew(30s));
        QCOMPARE(second.holder()->id, first.id());
        // The holder keeps its original acquisition time across renewals.
        QSqlQuery query(firstJournal.database());
        QVERIFY(query.exec(QStringLiteral("SELECT acquired_at FROM leases")) && query.next());
        QCOMPARE(query.value(0).toString(), isoTime(kStart));

        clock.advanceSeconds(11); // 51 s: expired
        QVERIFY(second.acquireOrRenew(30s));
    }

    void destructorReleases()
    {
        ManualClock clock(kStart);
        const QString path = freshPath();
        JournalDatabase journal(path);
        QVERIFY(journal.open().isOk());
        {
            JournalLease scoped(journal, clock, kMonitor, QStringLiteral("cli"));
            QVERIFY(scoped.acquireOrRenew(600s));
        }
        JournalLease next(journal, clock, kMonitor, QStringLiteral("window"));
        QVERIFY(!next.holder().has_value());
        QVERIFY(next.acquireOrRenew(600s));
    }

    void deadHolderIsTakenOverAtOnce()
    {
        const QString sleep = sleepProgram();
        QVERIFY2(!sleep.isEmpty(), "no sleep(1) on PATH");
        ManualClock clock(kStart);
        JournalDatabase journal(freshPath());
        QVERIFY(journal.open().isOk());

        // Another VibeML process holds the lease for an hour.
        QProcess child;
        child.start(sleep, {QStringLiteral("30")});
        QVERIFY(child.waitForStarted());
        const ProcessIdentity holder = ProcessIdentity::of(child.processId());
        QVERIFY(!holder.started.isEmpty());
        QVERIFY(holder.isAlive());
        QVERIFY(!holder.isSelf());
        QVERIFY(writeForeignLease(journal, QStringLiteral("other-process"), holder, kStart.addSecs(3600)));

        JournalLease lease(journal, clock, kMonitor, QStringLiteral("monitor"));
        QVERIFY(!lease.acquireOrRenew(60s));
        QCOMPARE(lease.holder()->id, QStringLiteral("other-process"));
        QCOMPARE(lease.holder()->process.pid, holder.pid);

        // It dies (SIGKILL, no chance to release): the lease is taken over without waiting an hour.
        child.kill();
        QVERIFY(child.waitForFinished());
        QVERIFY(!holder.isAlive());
        QVERIFY(lease.acquireOrRenew(60s));
        QCOMPARE(lease.holder()->id, lease.id());
        QCOMPARE(lease.holder()->expiresAt, kStart.addSecs(60));
    }

    void recycledPidDoesNotKeepTheLease()
    {
        ManualClock clock(kStart);
        JournalDatabase journal(freshPath());
        QVERIFY(journal.open().isOk());
        // A live pid (ours) but a start time that is not its own: the holder is long gone.
        ProcessIdentity impostor = ProcessIdentity::self();
        impostor.started = QStringLiteral("1@not-this-boot");
        QVERIFY(writeForeignLease(journal, QStringLiteral("old-process"), impostor, kStart.addSecs(3600)));
        JournalLease lease(journal, clock, kMonitor, QStringLiteral("window"));
        QVERIFY(lease.acquireOrRenew(60s));
    }

    void holderOnAnotherHostWaitsForExpiry()
    {
        ManualClock clock(kStart);
        JournalDatabase journal(freshPath());
        QVERIFY(journal.open().isOk());
        const ProcessIdentity remote{1, QStringLiteral("999@other-boot"), QStringLiteral("other-host.example")};
        QVERIFY(writeForeignLease(journal, QStringLiteral("remote-process"), remote, kStart.addSecs(120)));
        JournalLease lease(journal, clock, kMonitor, QStringLiteral("window"));
        QVERIFY(!lease.acquireOrRenew(60s)); // cannot check a pid on another machine: trust the expiry
        clock.advanceSeconds(121);
        QVERIFY(lease.acquireOrRenew(60s));
        QCOMPARE(lease.holder()->process.host, QSysInfo::machineHostName());
    }

    void busyJournalMeansNotHeld()
    {
        ManualClock clock(kStart);
        const QString path = freshPath();
        JournalDatabase mine(path);
        JournalDatabase other(path);
        QVERIFY(mine.open().isOk());
        QVERIFY(other.open().isOk());
        JournalLease lease(mine, clock, kMonitor, QStringLiteral("window"));
        QVERIFY(lease.acquireOrRenew(60s));

        // Another process sits on the write lock past the busy timeout.
        QSqlQuery begin(other.database());
        QVERIFY(begin.exec(QStringLiteral("BEGIN IMMEDIATE")));
        QVERIFY(!lease.acquireOrRenew(60s));
        QVERIFY(!lease.isHeld());
        QSqlQuery rollback(other.database());
        QVERIFY(rollback.exec(QStringLiteral("ROLLBACK")));

        QVERIFY(lease.acquireOrRenew(60s)); // still ours in the journal: renewed
        QCOMPARE(lease.holder()->id, lease.id());
    }

    void processIdentityOfSelf()
    {
        const ProcessIdentity me = ProcessIdentity::self();
        QCOMPARE(me.pid, QCoreApplication::applicationPid());
        QVERIFY(!me.started.isEmpty());
        QVERIFY(me.started.contains(QLatin1Char('@'))); // start ticks @ boot id
        QCOMPARE(me.host, QSysInfo::machineHostName());
        QVERIFY(!me.isEmpty());
        QVERIFY(me.isSelf());
        QVERIFY(me.isOnThisHost());
        QVERIFY(me.isAlive());
        QCOMPARE(ProcessIdentity::self().started, me.started); // stable
    }

    void processIdentityOfAFinishedProcess()
    {
        const QString sleep = sleepProgram();
        QVERIFY2(!sleep.isEmpty(), "no sleep(1) on PATH");
        QProcess child;
        child.start(sleep, {QStringLiteral("30")});
        QVERIFY(child.waitForStarted());
        const qint64 pid = child.processId();
        const ProcessIdentity running = ProcessIdentity::of(pid);
        QVERIFY(running.isAlive());
        QVERIFY(running.started != ProcessIdentity::self().started);
        child.kill();
        QVERIFY(child.waitForFinished());

        QVERIFY(!running.isAlive());
        const ProcessIdentity after = ProcessIdentity::of(pid);
        QVERIFY(after.started.isEmpty());
        QVERIFY(!after.isAlive());
    }

    void processIdentityEdgeCases_data()
    {
        QTest::addColumn<qint64>("pid");
        QTest::addColumn<QString>("started");
        QTest::addColumn<QString>("host"); // "@here": this host
        QTest::addColumn<bool>("alive");
        const qint64 self = QCoreApplication::applicationPid();
        QTest::newRow("wrong start time") << self << QStringLiteral("12345@00000000-boot") << QStringLiteral("@here") << false;
        QTest::newRow("empty start time") << self << QString() << QStringLiteral("@here") << false;
        QTest::newRow("right start time, other boot")
            << self << ProcessIdentity::self().started.section(QLatin1Char('@'), 0, 0) + QStringLiteral("@another-boot")
            << QStringLiteral("@here") << false;
        QTest::newRow("no pid") << qint64(0) << QStringLiteral("1@boot") << QStringLiteral("@here") << false;
        QTest::newRow("negative pid") << qint64(-5) << QStringLiteral("1@boot") << QStringLiteral("other-host") << false;
        QTest::newRow("another host") << qint64(999999) << QStringLiteral("1@boot") << QStringLiteral("other-host.example")
                                      << true;
    }

    void processIdentityEdgeCases()
    {
        QFETCH(qint64, pid);
        QFETCH(QString, started);
        QFETCH(QString, host);
        QFETCH(bool, alive);
        ProcessIdentity identity;
        identity.pid = pid;
        identity.started = started;
        identity.host = host == QLatin1String("@here") ? QSysInfo::machineHostName() : host;
        QCOMPARE(identity.isAlive(), alive);
        QCOMPARE(identity.isOnThisHost(), host == QLatin1String("@here"));
        QVERIFY(!identity.isSelf());
    }
};

VIBEML_TEST_MAIN_CORE(TestJournalLease)
#include "tst_journallease.moc"
