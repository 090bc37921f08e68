#include "SingleInstance.h"
#include "TestSupport.h"
#include "config/AppPaths.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QSignalSpy>

#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>

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

// Descriptors this process has open: SingleInstance must never leave one behind.
qsizetype openDescriptors()
{
    return QDir(QStringLiteral("/proc/self/fd"))
        .entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot)
        .size();
}

// A path long enough that sun_path (108 bytes) cannot hold it.
QString tooLongServerName()
{
    return test::isolatedRoot() + QLatin1Char('/') + QString(120, QLatin1Char('s')) + QStringLiteral(".socket");
}

// A client written by hand, to behave as no VibeML launch would. Non-blocking: while it waits,
// the event loop runs, so a SingleInstance in this thread can serve it.
class RawPeer
{
public:
    explicit RawPeer(const QString &path)
    {
        sockaddr_un address {};
        address.sun_family = AF_UNIX;
        const QByteArray encoded = QFile::encodeName(path);
        if (encoded.size() >= static_cast<qsizetype>(sizeof(address.sun_path)))
            return;
        std::memcpy(address.sun_path, encoded.constData(), static_cast<size_t>(encoded.size()));
        m_fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (::connect(m_fd, reinterpret_cast<const sockaddr *>(&address), sizeof(address)) != 0)
            close();
    }
    ~RawPeer() { close(); }
    RawPeer(const RawPeer &) = delete;
    RawPeer &operator=(const RawPeer &) = delete;

    bool isConnected() const { return m_fd >= 0; }

    // False when the server closed the connection before it took all of data.
    bool send(QByteArrayView data, int timeoutMs = 5000)
    {
        const QDeadlineTimer deadline(timeoutMs);
        while (!data.isEmpty() && !deadline.hasExpired()) {
            const ssize_t sent = ::send(m_fd, data.data(), static_cast<size_t>(data.size()), MSG_NOSIGNAL);
            if (sent > 0) {
                data = data.sliced(sent);
                continue;
            }
            if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                return false;
            QTest::qWait(5);
        }
        return data.isEmpty();
    }

    // What the server sent before it closed the connection; nothing when it is still open at
    // the deadline.
    std::optional<QByteArray> readUntilClosed(int timeoutMs)
    {
        QByteArray received;
        char buffer[4096];
        const QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            const ssize_t count = ::recv(m_fd, buffer, sizeof(buffer), 0);
            if (count > 0) {
                received.append(buffer, count);
                continue;
            }
            if (count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
                return received; // closed, or reset because it did not read all we sent
            QTest::qWait(5);
        }
        return std::nullopt;
    }

    void close()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }

private:
    int m_fd = -1;
};

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

    void misbehavingPeersAreDroppedAndRealKnocksStillAnswered()
    {
        SingleInstance first(windowServerName());
        QCOMPARE(first.claim(), SingleInstance::Role::Primary);
        QVERIFY(first.listen());
        QSignalSpy activations(&first, &SingleInstance::activationRequested);
        const QString name = first.serverName();

        RawPeer silent(name); // connects and never says a word
        QVERIFY(silent.isConnected());
        RawPeer garbage(name);
        QVERIFY(garbage.send("GET / HTTP/1.0\r\n\r\n"));
        QCOMPARE(garbage.readUntilClosed(2000), QByteArray()); // dropped without an answer
        RawPeer flood(name);
        QVERIFY2(!flood.send(QByteArray(1 << 20, 'a')), "the server read a whole megabyte");
        QVERIFY(flood.readUntilClosed(2000).has_value());
        RawPeer longLine(name);
        QVERIFY(longLine.send(QByteArray(QByteArray(100, ' ') + "activate\n")));
        QVERIFY(longLine.readUntilClosed(2000).has_value());
        RawPeer halfway(name);
        QVERIFY(halfway.send("activ"));
        halfway.close();
        QTest::qWait(100);
        QCOMPARE(activations.count(), 0);

        // Real knocks are answered still, while the silent peer is connected.
        RawPeer knock(name);
        QVERIFY(knock.send("activate\n"));
        QCOMPARE(knock.readUntilClosed(2000), QByteArray("ok\n"));
        QCOMPARE(activations.count(), 1);
        const test::ProcessResult second = launchWindow();
        QVERIFY2(!second.crashed, second.err.constData());
        QCOMPARE(second.exitCode, 0);
        QCOMPARE(activations.count(), 2);

        // Dropped after 5 s, so a stuck peer costs the window nothing for long.
        QVERIFY(silent.readUntilClosed(10000).has_value());
        QCOMPARE(activations.count(), 2);
    }

    void knockerGivesUpOnAWrongAnswer()
    {
        // A server that is not a VibeML window (or a broken one): a launch must not take it for one.
        const QString name = windowServerName();
        const QByteArray encoded = QFile::encodeName(name);
        for (const QByteArray &answer : {QByteArray("nope\n"), QByteArray("ok"), QByteArray()}) {
            const int server = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            sockaddr_un address {};
            address.sun_family = AF_UNIX;
            std::memcpy(address.sun_path, encoded.constData(), static_cast<size_t>(encoded.size()));
            QCOMPARE(::bind(server, reinterpret_cast<const sockaddr *>(&address), sizeof(address)), 0);
            QCOMPARE(::listen(server, 1), 0);
            std::thread answering([server, answer] {
                const int peer = ::accept(server, nullptr, nullptr);
                char request[16];
                [[maybe_unused]] const ssize_t read = ::recv(peer, request, sizeof(request), 0);
                [[maybe_unused]] const ssize_t sent
                    = ::send(peer, answer.constData(), static_cast<size_t>(answer.size()), MSG_NOSIGNAL);
                ::close(peer);
            });
            SingleInstance launch(name);
            QElapsedTimer timer;
            timer.start();
            QCOMPARE(launch.claim(3000), SingleInstance::Role::Unresponsive);
            QVERIFY(timer.elapsed() < 2500); // a closed connection is no reason to wait
            QVERIFY(!launch.errorString().isEmpty());
            answering.join();
            ::close(server);
            ::unlink(encoded.constData());
        }
    }

    void staleSocketFileIsRemoved()
    {
        // A socket file nobody listens on, as a crash leaves it: bound, never (or no longer) listening.
        const QString name = windowServerName();
        const QByteArray encoded = QFile::encodeName(name);
        const int stale = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un address {};
        address.sun_family = AF_UNIX;
        std::memcpy(address.sun_path, encoded.constData(), static_cast<size_t>(encoded.size()));
        QCOMPARE(::bind(stale, reinterpret_cast<const sockaddr *>(&address), sizeof(address)), 0);
        ::close(stale);
        QVERIFY(QFileInfo::exists(name));

        SingleInstance next(name);
        QCOMPARE(next.claim(), SingleInstance::Role::Primary);
        QVERIFY(!QFileInfo::exists(name));
        QVERIFY(next.listen());
        RawPeer knock(name);
        QVERIFY(knock.send("activate\n"));
        QCOMPARE(knock.readUntilClosed(2000), QByteArray("ok\n"));
    }

    void tooLongPathFailsCleanly()
    {
        const QString name = tooLongServerName();
        SingleInstance launch(name);
        QCOMPARE(launch.claim(), SingleInstance::Role::Unresponsive);
        QVERIFY2(launch.errorString().contains(QStringLiteral("too long")), qPrintable(launch.errorString()));

        SingleInstance window(name);
        QVERIFY(!window.listen());
        QVERIFY(!window.isListening());
        QVERIFY2(window.errorString().contains(QStringLiteral("too long")), qPrintable(window.errorString()));
        QVERIFY(!QFileInfo::exists(name));

        // A path that fits, but not with the temporary name listen() binds first.
        const QString tight = test::isolatedRoot() + QLatin1Char('/')
            + QString(105 - QFile::encodeName(test::isolatedRoot()).size(), QLatin1Char('t'));
        QCOMPARE(QFile::encodeName(tight).size(), 106);
        SingleInstance tightWindow(tight);
        QCOMPARE(tightWindow.claim(), SingleInstance::Role::Primary);
        QVERIFY(!tightWindow.listen());
        QVERIFY(!tightWindow.errorString().isEmpty());
        QVERIFY(!QFileInfo::exists(tight));
    }

    void socketIsOwnerOnly()
    {
        SingleInstance instance(windowServerName());
        QCOMPARE(instance.claim(), SingleInstance::Role::Primary);
        QVERIFY(instance.listen());
        struct stat status
        {
        };
        QCOMPARE(::lstat(QFile::encodeName(instance.serverName()).constData(), &status), 0);
        QVERIFY(S_ISSOCK(status.st_mode));
        QCOMPARE(status.st_mode & 07777, 0600u);
        // The temporary name it was bound under is gone: only the socket and its lock file remain.
        const QFileInfo socket(instance.serverName());
        const QStringList files = socket.dir().entryList({socket.fileName() + QLatin1Char('*')},
                                                         QDir::AllEntries | QDir::System | QDir::Hidden);
        QCOMPARE(files, QStringList({socket.fileName(), socket.fileName() + QStringLiteral(".flock")}));
    }

    void destructorRemovesOnlyItsOwnSocket()
    {
        const QString name = windowServerName();
        auto older = std::make_unique<SingleInstance>(name);
        QCOMPARE(older->claim(), SingleInstance::Role::Primary);
        QVERIFY(older->listen());
        {
            // A window that started while the older one did not answer: its socket replaces the older's.
            SingleInstance newer(name);
            QVERIFY(newer.listen());
            QSignalSpy activations(&newer, &SingleInstance::activationRequested);
            older.reset();
            QVERIFY2(QFileInfo::exists(name), "the older window removed the newer one's socket");
            RawPeer knock(name);
            QVERIFY(knock.send("activate\n"));
            QCOMPARE(knock.readUntilClosed(2000), QByteArray("ok\n"));
            QCOMPARE(activations.count(), 1);
        }
        QVERIFY(!QFileInfo::exists(name));
    }

    void noDescriptorIsLeaked()
    {
        const qsizetype before = openDescriptors();
        {
            SingleInstance first(windowServerName());
            QCOMPARE(first.claim(), SingleInstance::Role::Primary);
            QVERIFY(first.listen());
            RawPeer silent(first.serverName());
            RawPeer flood(first.serverName());
            flood.send(QByteArray(1 << 20, 'a'));
            RawPeer knock(first.serverName());
            QVERIFY(knock.send("activate\n"));
            QCOMPARE(knock.readUntilClosed(2000), QByteArray("ok\n"));
            SingleInstance frozen(first.serverName()); // `first` cannot answer from this thread
            QCOMPARE(frozen.claim(200), SingleInstance::Role::Unresponsive);
            SingleInstance tooLong(tooLongServerName());
            QCOMPARE(tooLong.claim(), SingleInstance::Role::Unresponsive);
            QVERIFY(!tooLong.listen());
            silent.close();
            QTest::qWait(100);
        } // `first` goes while peers may still be connected
        QCOMPARE(openDescriptors(), before);
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
