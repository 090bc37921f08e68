// `vibeml mcp` driven by the official MCP TypeScript SDK client (@modelcontextprotocol/sdk, pinned in
// sdk-client/package-lock.json and installed by the mcp_sdk_install fixture), against the loopback
// fake Hub and the fake `sky`: the client lists the tools, calls each one, launches a job, follows it
// to its end, tears it down and checks the errors (sdk-client/client.mjs).
#include "FakeHub.h"
#include "FakeSky.h"
#include "TestSupport.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

using namespace vibeml;

class TestMcpSdk : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sdkClientDrivesAWholeRun()
    {
        const QString clientDir = QStringLiteral(SDK_CLIENT_DIR);
        const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
        if (node.isEmpty())
            QFAIL("node is not installed: run packaging/install-deps.sh (it installs nodejs and npm).");
        if (!QFileInfo::exists(clientDir + QStringLiteral("/node_modules/@modelcontextprotocol/sdk/package.json")))
            QFAIL(qPrintable(QStringLiteral("The MCP SDK is not installed in %1: the mcp_sdk_install fixture (npm ci) failed; it needs "
                                            "the npm registry or a warm npm cache. Run `ctest -R mcp_sdk_install -V` to see why.")
                                 .arg(clientDir)));

        test::FakeHub hub;
        QVERIFY(hub.start());
        test::FakeSky sky;
        const QString root = test::isolatedRoot() + QStringLiteral("/mcp-sdk");
        QDir().mkpath(root + QStringLiteral("/home"));
        const QStringList environment{QStringLiteral("VIBEML=") + QStringLiteral(VIBEML_EXECUTABLE),
                                      QStringLiteral("HF_ENDPOINT=") + hub.url().toString(),
                                      QStringLiteral("HF_DATASETS_SERVER=") + hub.url().toString(),
                                      QStringLiteral("XDG_CACHE_HOME=") + root + QStringLiteral("/cache"),
                                      QStringLiteral("XDG_CONFIG_HOME=") + root + QStringLiteral("/config"),
                                      QStringLiteral("XDG_DATA_HOME=") + root + QStringLiteral("/data"),
                                      QStringLiteral("XDG_STATE_HOME=") + root + QStringLiteral("/state"),
                                      QStringLiteral("HOME=") + root + QStringLiteral("/home"),
                                      QStringLiteral("PATH=") + QFileInfo(test::FakeSky::program()).absolutePath() + QLatin1Char(':')
                                          + qEnvironmentVariable("PATH"),
                                      QStringLiteral("VIBEML_POLL_SECONDS=1"),
                                      QStringLiteral("DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/vibeml-bus")};
        const test::ProcessResult run = test::runProcess(node, {clientDir + QStringLiteral("/client.mjs")}, {},
                                                         environment + sky.environment(), {QStringLiteral("HF_TOKEN")}, 150000);
        qInfo().noquote() << run.out;
        QVERIFY2(!run.crashed, qPrintable(QStringLiteral("the SDK client hung or crashed:\n%1").arg(QString::fromUtf8(run.err))));
        QVERIFY2(run.exitCode == 0, qPrintable(QString::fromUtf8(run.out.right(4000) + '\n' + run.err.right(8000))));
        QVERIFY(run.out.contains("all checks passed"));
    }
};

VIBEML_TEST_MAIN_CORE(TestMcpSdk)
#include "tst_mcpsdk.moc"
