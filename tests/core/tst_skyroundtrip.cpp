#include "catalog/Catalog.h"
#include "sky/LaunchPlan.h"
#include "sky/Preflight.h"
#include "sky/RunBundle.h"
#include "sky/SkyProcess.h"

#include "FakeSky.h"

#include <QJsonDocument>

using namespace vibeml;
using namespace vibeml::sky;
using test::FakeSky;

namespace {

const catalog::Catalog &bundled()
{
    static const catalog::Catalog catalog = catalog::Catalog::load(test::isolatedRoot() + QStringLiteral("/no-sky"));
    return catalog;
}

SkyEnvironment environmentFor(const FakeSky &fake, const QString &token = {})
{
    SkyEnvironment environment;
    environment.program = FakeSky::program();
    environment.base.insert(QStringLiteral("FAKE_SKY_STATE"), fake.stateDirectory());
    environment.base.insert(QStringLiteral("HOME"), test::isolatedRoot() + QStringLiteral("/home"));
    if (!token.isEmpty())
        environment.secrets.insert(QStringLiteral("HF_TOKEN"), token);
    return environment;
}

SkyResult runNow(const SkyInvocation &invocation, const SkyEnvironment &environment, QStringList *lines = nullptr)
{
    SkyProcess process(invocation, environment);
    process.setGracePeriod(std::chrono::milliseconds(300));
    std::optional<SkyResult> result;
    QObject::connect(&process, &SkyProcess::finished, [&result](const SkyResult &r) { result = r; });
    if (lines)
        QObject::connect(&process, &SkyProcess::lineReceived, [lines](const QString &line, bool) { lines->append(line); });
    process.start();
    (void)QTest::qWaitFor([&result] { return result.has_value(); }, 60000);
    return result.value_or(SkyResult{});
}

RunBundle writeBundle(const QString &plan, QString *jobId)
{
    const QByteArray json = test::readFile(test::dataPath(QStringLiteral("tasks/%1/plan.json").arg(plan)));
    LaunchPlan launch = launchPlanFromJson(QJsonDocument::fromJson(json).object()).value();
    launch.jobId = newJobId(launch.modelId);
    *jobId = launch.jobId;
    static int counter = 0;
    return RunBundle::write(test::isolatedRoot() + QStringLiteral("/roundtrip-%1").arg(++counter), launch, bundled()).value();
}

} // namespace

class TestSkyRoundTrip : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void launchWatchAndTearDown()
    {
        FakeSky fake;
        const QString token = test::fakeHuggingFaceToken();
        const SkyEnvironment environment = environmentFor(fake, token);
        QString cluster;
        const RunBundle bundle = writeBundle(QStringLiteral("multi-gpu-full"), &cluster);

        skycommand::LaunchOptions options;
        options.cluster = cluster;
        options.taskFile = QStringLiteral("task.yaml");
        options.workingDirectory = bundle.directory;
        options.idleMinutes = 15;
        options.secrets = {QStringLiteral("HF_TOKEN")};
        SkyResult result = runNow(skycommand::launch(options), environment);
        QVERIFY2(result.isSuccess(), qPrintable(result.message()));
        const auto launch = parseLaunch(result.stdoutText);
        QVERIFY2(launch, qPrintable(launch.isOk() ? QString() : launch.error().message));
        QCOMPARE(launch.value().jobId, std::optional<int>(1));
        QVERIFY(!launch.value().considered.isEmpty());
        // The token went to the child through its environment only.
        for (const QStringList &arguments : fake.invocations())
            QVERIFY(!arguments.join(u' ').contains(token));

        result = runNow(skycommand::status({cluster}), environment);
        QVERIFY(result.isSuccess());
        auto status = parseStatus(result.stdoutText);
        QVERIFY(status);
        QCOMPARE(status.value().clusters.size(), 1);
        QCOMPARE(status.value().clusters.first().name, cluster);

        QStringList lines;
        result = runNow(skycommand::logs(cluster, 1, true), environment, &lines);
        QCOMPARE(result.outcome, SkyResult::Outcome::Success);
        QVERIFY(lines.filter(QStringLiteral("@@VIBEML@@ ")).size() >= 3);
        for (const QString &line : std::as_const(lines))
            QVERIFY2(!line.contains(QLatin1Char('\x1b')) && !line.contains(QLatin1Char('\r')), qPrintable(line));

        result = runNow(skycommand::logsStatus(cluster, 1), environment);
        QCOMPARE(finalStatusFromExitCode(result.exitCode), FinalJobStatus::Succeeded);
        QCOMPARE(jobStatusWord(result.stdoutText), std::optional<QString>(QStringLiteral("SUCCEEDED")));

        result = runNow(skycommand::queue({cluster}), environment);
        const auto queue = parseQueue(result.stdoutText);
        QVERIFY(queue);
        QCOMPARE(queue.value().jobs.first().status, QStringLiteral("SUCCEEDED"));

        result = runNow(skycommand::down({cluster}), environment);
        QVERIFY2(result.isSuccess(), qPrintable(result.message()));
        result = runNow(skycommand::status(), environment);
        status = parseStatus(result.stdoutText);
        QVERIFY(status && status.value().clusters.isEmpty());
    }

    void managedSpotJob()
    {
        FakeSky fake;
        const SkyEnvironment environment = environmentFor(fake, test::fakeHuggingFaceToken());
        QString name;
        const RunBundle bundle = writeBundle(QStringLiteral("spot-managed-job"), &name);
        SkyResult result = runNow(skycommand::jobsLaunch(name, QStringLiteral("task.yaml"), bundle.directory, {QStringLiteral("HF_TOKEN")}),
                                  environment);
        QVERIFY2(result.isSuccess(), qPrintable(result.message()));
        const auto launch = parseLaunch(result.stdoutText);
        QVERIFY(launch);
        QVERIFY(launch.value().managedJobId || launch.value().jobId);
        result = runNow(skycommand::jobsQueue(), environment);
        const auto queue = parseJobsQueue(result.stdoutText);
        QVERIFY2(queue, qPrintable(result.stdoutText));
        QCOMPARE(queue.value().size(), 1);
        QCOMPARE(queue.value().first().name, name);
    }

    void jobOutcomesMapToFinalStatus_data()
    {
        QTest::addColumn<QString>("outcome");
        QTest::addColumn<int>("status");
        QTest::newRow("failed") << "FAILED" << int(FinalJobStatus::Failed);
        QTest::newRow("cancelled") << "CANCELLED" << int(FinalJobStatus::Cancelled);
    }

    void jobOutcomesMapToFinalStatus()
    {
        QFETCH(QString, outcome);
        QFETCH(int, status);
        FakeSky fake;
        fake.set(QStringLiteral("job_outcome"), outcome);
        const SkyEnvironment environment = environmentFor(fake);
        QString cluster;
        const RunBundle bundle = writeBundle(QStringLiteral("single-gpu-lora"), &cluster);
        skycommand::LaunchOptions options;
        options.cluster = cluster;
        options.taskFile = QStringLiteral("task.yaml");
        options.workingDirectory = bundle.directory;
        QVERIFY(runNow(skycommand::launch(options), environment).isSuccess());
        (void)runNow(skycommand::logs(cluster, 1, true), environment);
        const SkyResult result = runNow(skycommand::logsStatus(cluster, 1), environment);
        QCOMPARE(int(finalStatusFromExitCode(result.exitCode)), status);
        QCOMPARE(finalStatusFromExitCode(runNow(skycommand::logsStatus(cluster, 9), environment).exitCode), FinalJobStatus::NotFound);
    }

    void faultsBecomeTypedErrors_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<int>("outcome");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("says");
        using O = SkyResult::Outcome;
        using K = SkyFailure::Kind;
        QTest::newRow("no capacity") << "no_capacity" << int(O::NonZeroExit) << int(K::NoCapacity) << "region";
        QTest::newRow("quota") << "quota" << int(O::NonZeroExit) << int(K::Quota) << "quota";
        QTest::newRow("credentials") << "credentials_disabled" << int(O::NonZeroExit) << int(K::CloudDisabled) << "sky check nebius";
        QTest::newRow("version mismatch") << "version_mismatch" << int(O::NonZeroExit) << int(K::VersionMismatch) << "sky api";
        QTest::newRow("api unreachable") << "api_unreachable" << int(O::NonZeroExit) << int(K::ApiServerUnreachable) << "sky api start";
        QTest::newRow("hang") << "hang" << int(O::TimedOut) << -1 << "did not finish in time";
        QTest::newRow("crash") << "crash_mid_output" << int(O::Crashed) << -1 << "crashed";
    }

    void faultsBecomeTypedErrors()
    {
        QFETCH(QString, fault);
        QFETCH(int, outcome);
        QFETCH(int, kind);
        QFETCH(QString, says);
        FakeSky fake;
        fake.setFaults({QStringLiteral("launch:") + fault});
        const SkyEnvironment environment = environmentFor(fake);
        QString cluster;
        const RunBundle bundle = writeBundle(QStringLiteral("single-gpu-lora"), &cluster);
        skycommand::LaunchOptions options;
        options.cluster = cluster;
        options.taskFile = QStringLiteral("task.yaml");
        options.workingDirectory = bundle.directory;
        SkyInvocation invocation = skycommand::launch(options);
        invocation.timeout = std::chrono::milliseconds(1500);
        const SkyResult result = runNow(invocation, environment);
        QCOMPARE(int(result.outcome), outcome);
        if (kind >= 0)
            QCOMPARE(int(result.failure.kind), kind);
        QVERIFY2(result.message().contains(says, Qt::CaseInsensitive), qPrintable(result.message()));
    }

    void garbageOutputIsAReadableError_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::newRow("garbage") << "garbage";
        QTest::newRow("non utf-8") << "non_utf8";
    }

    void garbageOutputIsAReadableError()
    {
        QFETCH(QString, fault);
        FakeSky fake;
        fake.setFaults({QStringLiteral("status:") + fault});
        const SkyResult result = runNow(skycommand::status(), environmentFor(fake));
        const auto status = parseStatus(result.stdoutText);
        if (!status)
            QVERIFY(!status.error().message.isEmpty());
    }

    void hugeOutputStaysBounded()
    {
        FakeSky fake;
        fake.setFaults({QStringLiteral("status:huge_output")});
        int lines = 0;
        SkyProcess process(skycommand::status(), environmentFor(fake));
        std::optional<SkyResult> result;
        QObject::connect(&process, &SkyProcess::lineReceived, [&lines](const QString &, bool) { ++lines; });
        QObject::connect(&process, &SkyProcess::finished, [&result](const SkyResult &r) { result = r; });
        process.start();
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 120000);
        QVERIFY(lines > 100000);
        QVERIFY(result->stdoutText.size() < 11 * 1024 * 1024);
    }

    void preflightPasses()
    {
        FakeSky fake;
        QString cluster;
        const RunBundle bundle = writeBundle(QStringLiteral("single-gpu-lora"), &cluster);
        Preflight preflight(environmentFor(fake));
        std::optional<PreflightReport> report;
        QObject::connect(&preflight, &Preflight::finished, [&report](const PreflightReport &r) { report = r; });
        preflight.run(bundle.directory, cluster);
        QTRY_VERIFY_WITH_TIMEOUT(report.has_value(), 60000);
        QVERIFY2(report->passed(), qPrintable(report->toText()));
        QCOMPARE(report->items.size(), 4);
        QCOMPARE(report->version->clientVersion, QStringLiteral("0.10.3"));
        QVERIFY(report->toText().contains(QStringLiteral("✓ Dry run")));
        // The dry run created nothing.
        const SkyResult status = runNow(skycommand::status(), environmentFor(fake));
        QVERIFY(parseStatus(status.stdoutText).value().clusters.isEmpty());
    }

    void preflightExplainsDisabledNebius()
    {
        FakeSky fake;
        fake.setFaults({QStringLiteral("credentials_disabled")});
        Preflight preflight(environmentFor(fake));
        std::optional<PreflightReport> report;
        QObject::connect(&preflight, &Preflight::finished, [&report](const PreflightReport &r) { report = r; });
        preflight.run();
        QTRY_VERIFY_WITH_TIMEOUT(report.has_value(), 60000);
        QVERIFY(!report->passed());
        const QString text = report->toText();
        QVERIFY2(text.contains(QStringLiteral("✗ Nebius")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("NEBIUS_TENANT_ID.txt")));
        QVERIFY(text.contains(QStringLiteral("- Dry run")));
    }

    void preflightWithoutSky()
    {
        SkyEnvironment environment;
        environment.program = test::isolatedRoot() + QStringLiteral("/nowhere/sky");
        Preflight preflight(environment);
        std::optional<PreflightReport> report;
        QObject::connect(&preflight, &Preflight::finished, [&report](const PreflightReport &r) { report = r; });
        preflight.run();
        QTRY_VERIFY(report.has_value());
        QCOMPARE(report->items.first().verdict, PreflightItem::Verdict::Fail);
        QCOMPARE(report->items.size(), 4);
        QCOMPARE(report->items.last().verdict, PreflightItem::Verdict::Skipped);
    }
};

VIBEML_TEST_MAIN_CORE(TestSkyRoundTrip)
#include "tst_skyroundtrip.moc"
