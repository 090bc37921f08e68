#include "sky/SkyProcess.h"

#include "TestSupport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTimer>

using namespace vibeml;
using namespace vibeml::sky;

Q_DECLARE_METATYPE(vibeml::sky::SkyResult)

namespace {

int g_counter = 0;

// A stand-in `sky`: a shell script with the given body.
QString script(const QString &body, bool executable = true)
{
    const QString path = test::isolatedRoot() + QStringLiteral("/bin-%1/sky").arg(++g_counter);
    test::writeFile(path, QByteArray("#!/bin/bash\n") + body.toUtf8() + '\n');
    QFile::setPermissions(path, executable ? QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                           : QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return path;
}

struct Run
{
    SkyResult result;
    QStringList stdoutLines;
    QStringList stderrLines;
    qint64 elapsedMs = 0;
};

Run run(const QString &program, SkyInvocation invocation = skycommand::version(), SkyEnvironment environment = {},
        std::function<void(SkyProcess &)> tweak = {})
{
    environment.program = program;
    SkyProcess process(invocation, environment);
    process.setGracePeriod(std::chrono::milliseconds(300));
    Run outcome;
    bool done = false;
    QObject::connect(&process, &SkyProcess::lineReceived, [&outcome](const QString &line, bool fromStderr) {
        (fromStderr ? outcome.stderrLines : outcome.stdoutLines).append(line);
    });
    QObject::connect(&process, &SkyProcess::finished, [&](const SkyResult &result) {
        outcome.result = result;
        done = true;
    });
    QElapsedTimer clock;
    clock.start();
    process.start();
    if (tweak)
        tweak(process);
    (void)QTest::qWaitFor([&done] { return done; }, 30000);
    outcome.elapsedMs = clock.elapsed();
    return outcome;
}

} // namespace

class TestSkyProcess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleansLines()
    {
        const Run outcome = run(script(QStringLiteral("printf '\\033[32mUP\\033[0m  30m\\n'\n"
                                                      "printf ' 10%%|#   |\\r 50%%|##  |\\r100%%|####|\\n'\n"
                                                      "printf 'warning\\n' >&2\n"
                                                      "printf 'no newline at the end'")));
        QCOMPARE(outcome.result.outcome, SkyResult::Outcome::Success);
        QCOMPARE(outcome.stdoutLines, QStringList({QStringLiteral("UP  30m"), QStringLiteral("100%|####|"), QStringLiteral("no newline at the end")}));
        QCOMPARE(outcome.stderrLines, QStringList({QStringLiteral("warning")}));
        QCOMPARE(outcome.result.stdoutText, QStringLiteral("UP  30m\n100%|####|\nno newline at the end\n"));
    }

    void failureIsClassified()
    {
        const Run outcome = run(script(QStringLiteral("echo 'Traceback (most recent call last):' >&2\n"
                                                      "echo '  File \"x.py\", line 1' >&2\n"
                                                      "echo 'sky.exceptions.ResourcesUnavailableError: Failed to provision all possible launchable resources.' >&2\n"
                                                      "exit 1")));
        QCOMPARE(outcome.result.outcome, SkyResult::Outcome::NonZeroExit);
        QCOMPARE(outcome.result.exitCode, 1);
        QCOMPARE(outcome.result.failure.kind, SkyFailure::Kind::NoCapacity);
        QVERIFY(!outcome.result.message().isEmpty());
    }

    void timesOutAndKills()
    {
        SkyInvocation invocation = skycommand::version();
        invocation.timeout = std::chrono::milliseconds(300);
        // Ignores SIGTERM, so only the kill after the grace period ends it.
        const Run outcome = run(script(QStringLiteral("trap '' TERM\necho started\nwhile true; do sleep 0.1; done")), invocation);
        QCOMPARE(outcome.result.outcome, SkyResult::Outcome::TimedOut);
        QVERIFY(outcome.result.message().contains(QStringLiteral("did not finish in time")));
        QVERIFY(outcome.elapsedMs < 10000);
        QCOMPARE(outcome.stdoutLines, QStringList{QStringLiteral("started")});
    }

    void cancelStopsTheChild()
    {
        SkyInvocation invocation = skycommand::logs(QStringLiteral("c"), 1, true);
        const Run outcome = run(script(QStringLiteral("while true; do echo line; sleep 0.05; done")), invocation, {},
                                [](SkyProcess &process) { QTimer::singleShot(200, &process, &SkyProcess::cancel); });
        QCOMPARE(outcome.result.outcome, SkyResult::Outcome::Cancelled);
        QVERIFY(!outcome.stdoutLines.isEmpty());
    }

    void missingAndUnusablePrograms()
    {
        Run outcome = run(QStringLiteral("definitely-not-sky-%1").arg(g_counter));
        QCOMPARE(outcome.result.outcome, SkyResult::Outcome::NotInstalled);
        QVERIFY(outcome.result.message().contains(QStringLiteral("pip install")));
        outcome = run(test::isolatedRoot() + QStringLiteral("/nowhere/sky"));
        QCOMPARE(outcome.result.outcome, SkyResult::Outcome::NotInstalled);
        outcome = run(script(QStringLiteral("echo hi"), false));
        QCOMPARE(outcome.result.outcome, SkyResult::Outcome::NotExecutable);
        QVERIFY(outcome.result.message().contains(QStringLiteral("not an executable")));
    }

    void crashIsReported()
    {
        const Run outcome = run(script(QStringLiteral("echo half of the out\nkill -SEGV $$")));
        QCOMPARE(outcome.result.outcome, SkyResult::Outcome::Crashed);
        QVERIFY(outcome.result.message().contains(QStringLiteral("crashed")));
    }

    void secretsOnlyInTheEnvironment()
    {
        skycommand::LaunchOptions options;
        options.cluster = QStringLiteral("vibeml-c");
        options.taskFile = QStringLiteral("task.yaml");
        options.secrets = {QStringLiteral("HF_TOKEN")};
        SkyEnvironment environment;
        const QString token = test::fakeHuggingFaceToken();
        environment.secrets.insert(QStringLiteral("HF_TOKEN"), token);
        environment.secrets.insert(QStringLiteral("WANDB_API_KEY"), QStringLiteral("not-asked-for"));
        environment.apiServer = QStringLiteral("https://sky.example.com");
        const Run outcome = run(script(QStringLiteral("echo \"argv=$*\"\necho \"token=${HF_TOKEN}\"\necho \"wandb=${WANDB_API_KEY:-unset}\"\n"
                                                      "echo \"api=${SKYPILOT_API_SERVER_ENDPOINT}\"\ncat /proc/$$/cmdline | tr '\\0' ' '; echo")),
                                skycommand::launch(options), environment);
        QCOMPARE(outcome.result.outcome, SkyResult::Outcome::Success);
        QCOMPARE(outcome.stdoutLines.at(0), QStringLiteral("argv=launch -y -d -c vibeml-c --secret HF_TOKEN task.yaml"));
        QCOMPARE(outcome.stdoutLines.at(1), QStringLiteral("token=") + token);
        QCOMPARE(outcome.stdoutLines.at(2), QStringLiteral("wandb=unset"));
        QCOMPARE(outcome.stdoutLines.at(3), QStringLiteral("api=https://sky.example.com"));
        QVERIFY(!outcome.stdoutLines.at(4).contains(token));
    }

    void hugeAndHostileOutput()
    {
        // 40 MB of lines, then bytes that are not UTF-8.
        const Run outcome = run(script(QStringLiteral("yes 'a log line of moderate length for volume' | head -n 950000\n"
                                                      "printf 'bad \\xff\\xfe bytes\\n'")));
        QCOMPARE(outcome.result.outcome, SkyResult::Outcome::Success);
        QVERIFY(outcome.stdoutLines.size() > 900000);
        QVERIFY(outcome.result.stdoutText.size() < 11 * 1024 * 1024);
        QVERIFY(outcome.stdoutLines.last().startsWith(QStringLiteral("bad ")));
    }

    void workingDirectory()
    {
        SkyInvocation invocation = skycommand::version();
        invocation.workingDirectory = test::isolatedRoot();
        const Run outcome = run(script(QStringLiteral("pwd")), invocation);
        QCOMPARE(outcome.stdoutLines.value(0), test::isolatedRoot());
    }

    void runSkyDeletesItself()
    {
        QObject context;
        SkyEnvironment environment;
        environment.program = script(QStringLiteral("echo ok"));
        std::optional<SkyResult> result;
        QPointer<SkyProcess> process = runSky(skycommand::version(), environment, &context, [&result](const SkyResult &r) { result = r; });
        QTRY_VERIFY(result.has_value());
        QTRY_VERIFY(process.isNull());
        QCOMPARE(result->stdoutText, QStringLiteral("ok\n"));
    }
};

VIBEML_TEST_MAIN_CORE(TestSkyProcess)
#include "tst_skyprocess.moc"
