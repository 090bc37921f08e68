#include "sky/SkyCommand.h"

#include "TestSupport.h"

using namespace vibeml;
using namespace vibeml::sky;

class TestSkyCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void launchArguments()
    {
        skycommand::LaunchOptions options;
        options.cluster = QStringLiteral("vibeml-x-abc123");
        options.taskFile = QStringLiteral("task.yaml");
        options.workingDirectory = QStringLiteral("/data/bundles/vibeml-x-abc123");
        options.idleMinutes = 30;
        options.secrets = {QStringLiteral("HF_TOKEN"), QStringLiteral("WANDB_API_KEY")};
        const SkyInvocation launch = skycommand::launch(options);
        QCOMPARE(launch.arguments,
                 QStringList({QStringLiteral("launch"), QStringLiteral("-y"), QStringLiteral("-d"), QStringLiteral("-c"),
                              QStringLiteral("vibeml-x-abc123"), QStringLiteral("-i"), QStringLiteral("30"), QStringLiteral("--secret"),
                              QStringLiteral("HF_TOKEN"), QStringLiteral("--secret"), QStringLiteral("WANDB_API_KEY"), QStringLiteral("task.yaml")}));
        QCOMPARE(launch.secretNames, options.secrets);
        QCOMPARE(launch.workingDirectory, options.workingDirectory);
        options.dryRun = true;
        options.idleMinutes = 2;
        const SkyInvocation dry = skycommand::launch(options);
        QVERIFY(dry.arguments.contains(QStringLiteral("--dryrun")));
        QCOMPARE(dry.arguments.at(dry.arguments.indexOf(QStringLiteral("-i")) + 1), QStringLiteral("5"));
    }

    void nothingEverAsksForAutodown()
    {
        const QList<SkyInvocation> all = {
            skycommand::version(), skycommand::apiInfo(), skycommand::check(), skycommand::status({QStringLiteral("a")}, true, true, true),
            skycommand::queue({QStringLiteral("a"), QStringLiteral("b")}), skycommand::launch({}),
            skycommand::exec(QStringLiteral("a"), QStringLiteral("t.yaml"), {}), skycommand::logs(QStringLiteral("a"), 1, true, 100),
            skycommand::logsStatus(QStringLiteral("a"), 2), skycommand::cancel(QStringLiteral("a"), {1, 2}),
            skycommand::stop({QStringLiteral("a")}), skycommand::down({QStringLiteral("a")}, true), skycommand::start({QStringLiteral("a")}),
            skycommand::autostop(QStringLiteral("a"), 30), skycommand::showGpus(QStringLiteral("H100")), skycommand::costReport(),
            skycommand::jobsLaunch(QStringLiteral("n"), QStringLiteral("t.yaml"), {}, {}), skycommand::jobsQueue(true),
            skycommand::jobsLogs(3, false), skycommand::jobsCancel(3)};
        for (const SkyInvocation &invocation : all) {
            QVERIFY2(!invocation.arguments.contains(QStringLiteral("--down")), qPrintable(invocation.arguments.join(u' ')));
            QVERIFY(!invocation.purpose.isEmpty());
            QVERIFY(invocation.timeout.count() >= 0);
        }
    }

    void promptsAreAnswered_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("cancel") << skycommand::cancel(QStringLiteral("c")).arguments;
        QTest::newRow("stop") << skycommand::stop({QStringLiteral("c")}).arguments;
        QTest::newRow("down") << skycommand::down({QStringLiteral("c")}).arguments;
        QTest::newRow("start") << skycommand::start({QStringLiteral("c")}).arguments;
        QTest::newRow("autostop") << skycommand::autostop(QStringLiteral("c"), 10).arguments;
        QTest::newRow("jobs cancel") << skycommand::jobsCancel(4).arguments;
        QTest::newRow("jobs launch") << skycommand::jobsLaunch(QStringLiteral("n"), QStringLiteral("t"), {}, {}).arguments;
    }

    void promptsAreAnswered()
    {
        QFETCH(QStringList, arguments);
        QVERIFY(arguments.contains(QStringLiteral("-y")));
    }

    void shapes()
    {
        QCOMPARE(skycommand::down({QStringLiteral("a"), QStringLiteral("b")}, true).arguments,
                 QStringList({QStringLiteral("down"), QStringLiteral("-y"), QStringLiteral("--purge"), QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(skycommand::status({}, false, false, true).arguments,
                 QStringList({QStringLiteral("status"), QStringLiteral("-o"), QStringLiteral("json")}));
        QCOMPARE(skycommand::logs(QStringLiteral("c"), std::nullopt, false).arguments,
                 QStringList({QStringLiteral("logs"), QStringLiteral("--no-follow"), QStringLiteral("c")}));
        QCOMPARE(skycommand::logs(QStringLiteral("c"), 2, true).timeout.count(), 0);
        QCOMPARE(skycommand::logsStatus(QStringLiteral("c"), 2).arguments,
                 QStringList({QStringLiteral("logs"), QStringLiteral("--status"), QStringLiteral("c"), QStringLiteral("2")}));
        QCOMPARE(skycommand::showGpus(QStringLiteral("H100"), QStringLiteral("nebius"), true).arguments,
                 QStringList({QStringLiteral("gpus"), QStringLiteral("list"), QStringLiteral("H100"), QStringLiteral("--infra"), QStringLiteral("nebius")}));
        QCOMPARE(skycommand::autostop(QStringLiteral("c"), 1).arguments.at(3), QStringLiteral("5"));
    }
};

VIBEML_TEST_MAIN_CORE(TestSkyCommand)
#include "tst_skycommand.moc"
