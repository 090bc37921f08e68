#include "SingleInstance.h"
#include "TestSupport.h"
#include "config/AppPaths.h"

#include <QDir>
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
        const QFileInfo socket(instance.serverName());
        QVERIFY(socket.exists());
        const QFile::Permissions others = QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther;
        QVERIFY2(!(socket.permissions() & others), "other users could connect to the socket");
    }

    void secondLaunchBringsFirstForwardAndLeaves()
    {
        SingleInstance first(windowServerName());
        QCOMPARE(first.claim(), SingleInstance::Role::Primary);
        QSignalSpy activations(&first, &SingleInstance::activationRequested);

        const test::ProcessResult second = launchWindow();
        QVERIFY2(!second.crashed, second.err.constData());
        QCOMPARE(second.exitCode, 0);
        QCOMPARE(activations.count(), 1);
        // It left before starting anything: no log written, no second window's worth of state.
        QVERIFY(!QFileInfo::exists(AppPaths::fromEnvironment().logDir() + QStringLiteral("/vibeml.log")));
    }

    void commandsNeverPokeTheWindow()
    {
        SingleInstance first(windowServerName());
        QCOMPARE(first.claim(), SingleInstance::Role::Primary);
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
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("HF_HUB_OFFLINE"), QStringLiteral("1"));
        crashed.setProcessEnvironment(environment);
        crashed.start(kVibeml, {});
        QVERIFY(crashed.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(name), 20000);
        crashed.kill(); // SIGKILL: no destructor runs, the socket file stays behind
        QVERIFY(crashed.waitForFinished());
        QVERIFY2(QFileInfo::exists(name), "the killed window should have left its socket behind");

        SingleInstance next(name);
        QCOMPARE(next.claim(), SingleInstance::Role::Primary);
        QSignalSpy activations(&next, &SingleInstance::activationRequested);
        const test::ProcessResult another = launchWindow();
        QCOMPARE(another.exitCode, 0);
        QCOMPARE(activations.count(), 1);
    }

    void simultaneousLaunchesOpenOneWindow()
    {
        // A double-click that fires twice: whichever listens first keeps the window, the other
        // hands over to it, even while the first is still starting up.
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("HF_HUB_OFFLINE"), QStringLiteral("1"));
        QProcess a;
        QProcess b;
        for (QProcess *launch : {&a, &b}) {
            launch->setProcessEnvironment(environment);
            launch->start(kVibeml, {});
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
            name = instance.serverName();
        }
        QVERIFY(!QFileInfo::exists(name));
    }
};

VIBEML_TEST_MAIN_CORE(TestSingleInstance)
#include "tst_singleinstance.moc"
