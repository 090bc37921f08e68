#include "SingleInstance.h"
#include "TestSupport.h"
#include "config/AppPaths.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QSignalSpy>

using namespace vibeml;

namespace {

const QString kVibeml = QStringLiteral(VIBEML_EXECUTABLE);

// The socket the real `vibeml` computes for this test's private settings folder.
QString windowServerName()
{
    return SingleInstance::serverNameFor(AppPaths::fromEnvironment().configDir);
}

// `vibeml` with no command: the window (offscreen here), never touching the network.
test::ProcessResult launchWindow()
{
    return test::runProcess(kVibeml, {}, {}, {QStringLiteral("HF_HUB_OFFLINE=1")}, {}, 20000);
}

// `vibeml` with no command, started and left running: the window (offscreen here), offline.
void startWindow(QProcess &process)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("HF_HUB_OFFLINE"), QStringLiteral("1"));
    process.setProcessEnvironment(environment);
    process.start(kVibeml, {});
}

} // namespace

class TestSingleInstance : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void serverNameIsPerSettingsFolder()
    {
        const QString a = SingleInstance::serverNameFor(QStringLiteral("/home/a/.config/vibeml"));
        QCOMPARE(SingleInstance::serverNameFor(QStringLiteral("/home/a/.config/vibeml/")), a);
        QVERIFY(SingleInstance::serverNameFor(QStringLiteral("/home/b/.config/vibeml")) != a);
        QVERIFY(QDir::isAbsolutePath(a));
        if (!qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR"))
            QVERIFY2(a.startsWith(qEnvironmentVariable("XDG_RUNTIME_DIR") + QLatin1Char('/')), qPrintable(a));
    }

    void firstClaimListensPrivately()
    {
        SingleInstance instance(windowServerName());
        QCOMPARE(instance.claim(), SingleInstance::Role::Primary);
        QVERIFY(!QFileInfo::exists(instance.serverName())); // the window listens once it has painted
        QVERIFY(instance.listen());
        QVERIFY(instance.isListening());
        const QFileInfo socket(instance.serverName());
        QVERIFY(socket.exists());
        const QFile::Permissions others = QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther;
        QVERIFY2(!(socket.permissions() & others), "other users could connect to the socket");
    }

    void secondLaunchBringsFirstForwardAndLeaves()
    {
        SingleInstance first(windowServerName());
        QCOMPARE(first.claim(), SingleInstance::Role::Primary);
        QVERIFY(first.listen());
        QSignalSpy activations(&first, &SingleInstance::activationRequested);

        const test::ProcessResult second = launchWindow();
        QVERIFY2(!second.crashed, second.err.constData());
        QCOMPARE(second.exitCode, 0);
        QCOMPARE(activations.count(), 1);
        // It left before starting anything: no log written, no second window's worth of state.
        QVERIFY(!QFileInfo::exists(AppPaths::fromEnvironment().logDir() + QStringLiteral("/vibeml.log")));
    }

    void launchWaitsForAWindowThatHasNotListenedYet()
    {
        // Between claim() and listen() (the first paint) the name is taken but nobody answers
        // yet: a second launch waits on the lock instead of opening a second window.
        SingleInstance first(windowServerName());
        QCOMPARE(first.claim(), SingleInstance::Role::Primary);
        QSignalSpy activations(&first, &SingleInstance::activationRequested);
        QProcess second;
        startWindow(second);
        QVERIFY(second.waitForStarted());
        QTest::qWait(1000);
        QCOMPARE(second.state(), QProcess::Running);
        QVERIFY(!QFileInfo::exists(AppPaths::fromEnvironment().logDir() + QStringLiteral("/vibeml.log"))); // still waiting
        QVERIFY(first.listen());
        QTRY_COMPARE_WITH_TIMEOUT(second.state(), QProcess::NotRunning, 20000);
        QCOMPARE(second.exitStatus(), QProcess::NormalExit);
        QCOMPARE(second.exitCode(), 0);
        QCOMPARE(activations.count(), 1);
    }

    void lockFileLeftBehindDoesNotBlock()
    {
        // The lock is a flock on an open file, not the file's existence: it goes with the
        // descriptor (the kernel closes it when a process dies), and the file stays.
        const QString name = windowServerName();
        {
            SingleInstance gone(name);
            QCOMPARE(gone.claim(), SingleInstance::Role::Primary);
        } // never listened, as when a window goes before its first paint
        QVERIFY(QFileInfo::exists(name + QStringLiteral(".flock")));
        SingleInstance next(name);
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(next.claim(), SingleInstance::Role::Primary);
        QVERIFY2(timer.elapsed() < 2000, "the lock outlived its holder");
    }

    void commandsNeverPokeTheWindow()
    {
        SingleInstance first(windowServerName());
        QCOMPARE(first.claim(), SingleInstance::Role::Primary);
        QVERIFY(first.listen());
        QSignalSpy activations(&first, &SingleInstance::activationRequested);

        const test::ProcessResult version = test::runProcess(kVibeml, {QStringLiteral("--version")});
        QCOMPARE(version.exitCode, 0);
        QTest::qWait(200);
        QCOMPARE(activations.count(), 0);
    }

    void staleSocketOfKilledWindowIsRecovered()
    {
        const QString name = windowServerName();
        QProcess crashed;
        startWindow(crashed);
        QVERIFY(crashed.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(name), 20000);
        crashed.kill(); // SIGKILL: no destructor runs, the socket file stays behind
        QVERIFY(crashed.waitForFinished());
        QVERIFY2(QFileInfo::exists(name), "the killed window should have left its socket behind");

        SingleInstance next(name);
        QCOMPARE(next.claim(), SingleInstance::Role::Primary);
        QVERIFY(next.listen());
        QSignalSpy activations(&next, &SingleInstance::activationRequested);
        const test::ProcessResult another = launchWindow();
        QCOMPARE(another.exitCode, 0);
        QCOMPARE(activations.count(), 1);
    }

    void simultaneousLaunchesOpenOneWindow()
    {
        // A double-click that fires twice: whichever listens first keeps the window, the other
        // hands over to it, even while the first is still starting up.
        QProcess a;
        QProcess b;
        for (QProcess *launch : {&a, &b}) {
            startWindow(*launch);
        }
        QVERIFY(a.waitForStarted() && b.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(a.state() == QProcess::NotRunning || b.state() == QProcess::NotRunning, 30000);
        QProcess &left = a.state() == QProcess::NotRunning ? a : b;
        QProcess &stayed = &left == &a ? b : a;
        QCOMPARE(left.exitStatus(), QProcess::NormalExit);
        QCOMPARE(left.exitCode(), 0);
        QTest::qWait(500);
        QCOMPARE(stayed.state(), QProcess::Running);
        stayed.kill();
        stayed.waitForFinished();
    }

    void windowThatNeverAnswersKeepsItsName()
    {
        SingleInstance first(windowServerName());
        QCOMPARE(first.claim(), SingleInstance::Role::Primary);
        QVERIFY(first.listen());
        // Same thread: `first` cannot answer while `second` waits, like a frozen window.
        SingleInstance second(first.serverName());
        QCOMPARE(second.claim(300), SingleInstance::Role::Unresponsive);
        QVERIFY(!second.errorString().isEmpty());
        QVERIFY(QFileInfo::exists(first.serverName()));
    }

    void closingRemovesTheSocket()
    {
        QString name;
        {
            SingleInstance instance(windowServerName());
            QCOMPARE(instance.claim(), SingleInstance::Role::Primary);
            QVERIFY(instance.listen());
            name = instance.serverName();
        }
        QVERIFY(!QFileInfo::exists(name));
    }
};

VIBEML_TEST_MAIN_CORE(TestSingleInstance)
#include "tst_singleinstance.moc"
