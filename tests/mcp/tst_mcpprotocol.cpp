// The MCP server's JSON-RPC layer, driven raw through `vibeml mcp` (a real child process): every
// malformed, mistyped or oversized message gets a JSON-RPC error, the process never crashes or
// hangs, and stdout carries nothing but protocol messages.
#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>

using namespace vibeml;

namespace {

const QString kVibeml = QStringLiteral(VIBEML_EXECUTABLE);

class McpSession
{
public:
    explicit McpSession(const QString &name, const QStringList &arguments = {QStringLiteral("mcp")})
    {
        const QString root = test::isolatedRoot() + QStringLiteral("/mcp-") + name;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"), root + QStringLiteral("/config"));
        environment.insert(QStringLiteral("XDG_STATE_HOME"), root + QStringLiteral("/state"));
        environment.insert(QStringLiteral("XDG_DATA_HOME"), root + QStringLiteral("/data"));
        environment.insert(QStringLiteral("XDG_CACHE_HOME"), root + QStringLiteral("/cache"));
        environment.insert(QStringLiteral("HF_HUB_OFFLINE"), QStringLiteral("1"));
        environment.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=/nonexistent/vibeml-bus"));
        environment.remove(QStringLiteral("HF_TOKEN"));
        m_process.setProcessEnvironment(environment);
        m_process.start(kVibeml, arguments);
    }
    ~McpSession()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    bool started() { return m_process.waitForStarted(10000); }
    void send(const QByteArray &line) { m_process.write(line + '\n'); }

    // The next line on stdout, parsed; an empty object (and a failed check) when none comes.
    QJsonObject next(int timeoutMs = 30000)
    {
        QElapsedTimer timer;
        timer.start();
        while (!m_buffer.contains('\n') && timer.elapsed() < timeoutMs) {
            if (!m_process.waitForReadyRead(200) && m_process.state() == QProcess::NotRunning)
                break;
            m_buffer += m_process.readAllStandardOutput();
        }
        m_buffer += m_process.readAllStandardOutput();
        const qsizetype newline = m_buffer.indexOf('\n');
        if (newline < 0) {
            m_problem = QStringLiteral("no reply within %1 ms; stderr: %2").arg(timeoutMs).arg(QString::fromUtf8(m_process.readAllStandardError()));
            return {};
        }
        const QByteArray line = m_buffer.left(newline);
        m_buffer.remove(0, newline + 1);
        QJsonParseError error{};
        const QJsonDocument document = QJsonDocument::fromJson(line, &error);
        if (!document.isObject()) {
            m_problem = QStringLiteral("stdout carried something that is not a JSON object: %1").arg(QString::fromUtf8(line.left(300)));
            return {};
        }
        m_problem.clear();
        return document.object();
    }
    QString problem() const { return m_problem; }

    QJsonObject request(const QByteArray &line)
    {
        send(line);
        return next();
    }

    // Closes stdin and waits for a clean exit; returns the exit code (-1 on a crash or a hang).
    int finish(int timeoutMs = 30000)
    {
        m_process.closeWriteChannel();
        if (!m_process.waitForFinished(timeoutMs))
            return -1;
        m_buffer += m_process.readAllStandardOutput();
        if (m_process.exitStatus() == QProcess::CrashExit)
            return -1;
        return m_process.exitCode();
    }
    QByteArray remainingStdout() const { return m_buffer; }
    QProcess &process() { return m_process; }

private:
    QProcess m_process;
    QByteArray m_buffer;
    QString m_problem;
};

QByteArray requestLine(int id, const QString &method, const QJsonObject &params = {})
{
    QJsonObject object{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")}, {QStringLiteral("id"), id}, {QStringLiteral("method"), method}};
    if (!params.isEmpty())
        object.insert(QStringLiteral("params"), params);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray callLine(int id, const QString &tool, const QJsonValue &arguments)
{
    QJsonObject params{{QStringLiteral("name"), tool}};
    if (!arguments.isUndefined())
        params.insert(QStringLiteral("arguments"), arguments);
    return requestLine(id, QStringLiteral("tools/call"), params);
}

int errorCode(const QJsonObject &reply)
{
    return reply.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toInt();
}

QJsonObject initializeParams(const QString &version)
{
    return {{QStringLiteral("protocolVersion"), version},
            {QStringLiteral("capabilities"), QJsonObject{}},
            {QStringLiteral("clientInfo"), QJsonObject{{QStringLiteral("name"), QStringLiteral("raw-test")}, {QStringLiteral("version"), QStringLiteral("1")}}}};
}

} // namespace

class TestMcpProtocol : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void negotiatesTheProtocolVersion_data()
    {
        QTest::addColumn<QString>("asked");
        QTest::addColumn<QString>("answered");
        QTest::newRow("2025-06-18") << "2025-06-18" << "2025-06-18";
        QTest::newRow("2025-03-26") << "2025-03-26" << "2025-03-26";
        QTest::newRow("2024-11-05") << "2024-11-05" << "2024-11-05";
        QTest::newRow("newer than ours") << "2099-01-01" << "2025-06-18";
        QTest::newRow("older than ours") << "2023-01-01" << "2025-06-18";
    }

    void negotiatesTheProtocolVersion()
    {
        QFETCH(QString, asked);
        QFETCH(QString, answered);
        McpSession session(QStringLiteral("version-") + QString::fromUtf8(QTest::currentDataTag()));
        QVERIFY(session.started());
        const QJsonObject reply = session.request(requestLine(1, QStringLiteral("initialize"), initializeParams(asked)));
        QVERIFY2(!reply.isEmpty(), qPrintable(session.problem()));
        QCOMPARE(reply.value(QStringLiteral("jsonrpc")).toString(), QStringLiteral("2.0"));
        QCOMPARE(reply.value(QStringLiteral("id")).toInt(), 1);
        const QJsonObject result = reply.value(QStringLiteral("result")).toObject();
        QCOMPARE(result.value(QStringLiteral("protocolVersion")).toString(), answered);
        QCOMPARE(result.value(QStringLiteral("serverInfo")).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("vibeml"));
        QVERIFY(result.value(QStringLiteral("capabilities")).toObject().contains(QStringLiteral("tools")));
        session.send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
        QCOMPARE(session.finish(), 0);
        QVERIFY2(session.remainingStdout().isEmpty(), "a notification got an answer");
    }

    void dashDashMcpIsTheSameServer()
    {
        McpSession session(QStringLiteral("dash-dash"), {QStringLiteral("--mcp")});
        QVERIFY(session.started());
        const QJsonObject reply = session.request(requestLine(7, QStringLiteral("ping")));
        QVERIFY2(!reply.isEmpty(), qPrintable(session.problem()));
        QCOMPARE(reply.value(QStringLiteral("result")).toObject(), QJsonObject());
        QCOMPARE(session.finish(), 0);
    }

    void malformedMessagesGetErrors_data()
    {
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<int>("code");
        QTest::addColumn<QJsonValue>("id");
        QTest::newRow("not json") << QByteArray("{\"jsonrpc\": \"2.0\", ") << -32700 << QJsonValue();
        QTest::newRow("garbage") << QByteArray("\x01\x02\xff hello") << -32700 << QJsonValue();
        QTest::newRow("a number") << QByteArray("42") << -32600 << QJsonValue();
        QTest::newRow("a string") << QByteArray("\"ping\"") << -32600 << QJsonValue();
        QTest::newRow("batch") << QByteArray(R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])") << -32600 << QJsonValue();
        QTest::newRow("empty batch") << QByteArray("[]") << -32600 << QJsonValue();
        QTest::newRow("no jsonrpc") << QByteArray(R"({"id":3,"method":"ping"})") << -32600 << QJsonValue(3);
        QTest::newRow("jsonrpc 1.0") << QByteArray(R"({"jsonrpc":"1.0","id":3,"method":"ping"})") << -32600 << QJsonValue(3);
        QTest::newRow("object id") << QByteArray(R"({"jsonrpc":"2.0","id":{"a":1},"method":"ping"})") << -32600 << QJsonValue();
        QTest::newRow("fractional id") << QByteArray(R"({"jsonrpc":"2.0","id":1.5,"method":"ping"})") << -32600 << QJsonValue();
        QTest::newRow("null id") << QByteArray(R"({"jsonrpc":"2.0","id":null,"method":"ping"})") << -32600 << QJsonValue();
        QTest::newRow("no method") << QByteArray(R"({"jsonrpc":"2.0","id":"a"})") << -32600 << QJsonValue(QStringLiteral("a"));
        QTest::newRow("numeric method") << QByteArray(R"({"jsonrpc":"2.0","id":4,"method":5})") << -32600 << QJsonValue(4);
        QTest::newRow("unknown method") << QByteArray(R"({"jsonrpc":"2.0","id":5,"method":"resources/list"})") << -32601 << QJsonValue(5);
        QTest::newRow("params array") << QByteArray(R"({"jsonrpc":"2.0","id":6,"method":"tools/list","params":[1]})") << -32602 << QJsonValue(6);
        QTest::newRow("initialize without version") << QByteArray(R"({"jsonrpc":"2.0","id":7,"method":"initialize","params":{}})") << -32602 << QJsonValue(7);
        QTest::newRow("initialize numeric version") << QByteArray(R"({"jsonrpc":"2.0","id":8,"method":"initialize","params":{"protocolVersion":20250618}})") << -32602 << QJsonValue(8);
        QTest::newRow("call without name") << QByteArray(R"({"jsonrpc":"2.0","id":9,"method":"tools/call","params":{}})") << -32602 << QJsonValue(9);
        QTest::newRow("call numeric name") << QByteArray(R"({"jsonrpc":"2.0","id":10,"method":"tools/call","params":{"name":3}})") << -32602 << QJsonValue(10);
        QTest::newRow("unknown tool") << callLine(11, QStringLiteral("rm_rf"), QJsonObject{}) << -32602 << QJsonValue(11);
        QTest::newRow("arguments not an object") << callLine(12, QStringLiteral("validate_model"), QJsonArray{1}) << -32602 << QJsonValue(12);
        QTest::newRow("missing required") << callLine(13, QStringLiteral("validate_model"), QJsonObject{}) << -32602 << QJsonValue(13);
        QTest::newRow("wrong type") << callLine(14, QStringLiteral("validate_model"), QJsonObject{{QStringLiteral("model_id"), 5}}) << -32602 << QJsonValue(14);
        QTest::newRow("empty string") << callLine(15, QStringLiteral("validate_model"), QJsonObject{{QStringLiteral("model_id"), QString()}}) << -32602 << QJsonValue(15);
        QTest::newRow("unknown argument") << callLine(16, QStringLiteral("list_orphaned_clusters"), QJsonObject{{QStringLiteral("all"), true}}) << -32602 << QJsonValue(16);
        QTest::newRow("not a whole number") << callLine(17, QStringLiteral("get_training_logs"), QJsonObject{{QStringLiteral("job_id"), QStringLiteral("x")}, {QStringLiteral("tail"), 2.5}}) << -32602 << QJsonValue(17);
        QTest::newRow("out of range") << callLine(18, QStringLiteral("get_training_logs"), QJsonObject{{QStringLiteral("job_id"), QStringLiteral("x")}, {QStringLiteral("tail"), 100000}}) << -32602 << QJsonValue(18);
        QTest::newRow("bad enum") << callLine(19, QStringLiteral("launch_training"), QJsonObject{{QStringLiteral("model"), QStringLiteral("a/b")}, {QStringLiteral("dataset"), QStringLiteral("c/d")}, {QStringLiteral("method"), QStringLiteral("magic")}}) << -32602 << QJsonValue(19);
        QTest::newRow("boolean as string") << callLine(20, QStringLiteral("launch_training"), QJsonObject{{QStringLiteral("model"), QStringLiteral("a/b")}, {QStringLiteral("dataset"), QStringLiteral("c/d")}, {QStringLiteral("dry_run"), QStringLiteral("yes")}}) << -32602 << QJsonValue(20);
    }

    void malformedMessagesGetErrors()
    {
        QFETCH(QByteArray, message);
        QFETCH(int, code);
        QFETCH(QJsonValue, id);
        McpSession session(QStringLiteral("malformed-%1").arg(QString::fromUtf8(QTest::currentDataTag())).replace(QLatin1Char(' '), QLatin1Char('-')));
        QVERIFY(session.started());
        const QJsonObject reply = session.request(message);
        QVERIFY2(!reply.isEmpty(), qPrintable(session.problem()));
        QCOMPARE(reply.value(QStringLiteral("jsonrpc")).toString(), QStringLiteral("2.0"));
        QVERIFY2(reply.contains(QStringLiteral("error")), qPrintable(QString::fromUtf8(QJsonDocument(reply).toJson())));
        QCOMPARE(errorCode(reply), code);
        QVERIFY(!reply.value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString().isEmpty());
        QCOMPARE(reply.value(QStringLiteral("id")), id.isUndefined() ? QJsonValue() : id);
        // Still serving afterwards.
        const QJsonObject pong = session.request(requestLine(99, QStringLiteral("ping")));
        QVERIFY2(!pong.isEmpty(), qPrintable(session.problem()));
        QCOMPARE(pong.value(QStringLiteral("id")).toInt(), 99);
        QCOMPARE(session.finish(), 0);
    }

    void notificationsAndResponsesGetNoAnswer()
    {
        McpSession session(QStringLiteral("notifications"));
        QVERIFY(session.started());
        session.send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
        session.send(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}})");
        session.send(R"({"jsonrpc":"2.0","method":"no/such/notification"})");
        session.send(R"({"jsonrpc":"2.0","id":"s1","result":{}})"); // a response to a request we never sent
        session.send("");
        session.send("   ");
        const QJsonObject pong = session.request(requestLine(1, QStringLiteral("ping")));
        QCOMPARE(pong.value(QStringLiteral("id")).toInt(), 1);
        QCOMPARE(session.finish(), 0);
        QVERIFY(session.remainingStdout().isEmpty());
    }

    void stringIdsComeBackUnchanged()
    {
        McpSession session(QStringLiteral("string-id"));
        QVERIFY(session.started());
        const QJsonObject reply = session.request(R"({"jsonrpc":"2.0","id":"abc-1","method":"ping"})");
        QCOMPARE(reply.value(QStringLiteral("id")).toString(), QStringLiteral("abc-1"));
        QCOMPARE(session.finish(), 0);
    }

    void listsTheToolsWithSchemas()
    {
        McpSession session(QStringLiteral("tools"));
        QVERIFY(session.started());
        const QJsonObject reply = session.request(requestLine(1, QStringLiteral("tools/list")));
        const QJsonArray tools = reply.value(QStringLiteral("result")).toObject().value(QStringLiteral("tools")).toArray();
        QStringList names;
        for (const QJsonValue &value : tools) {
            const QJsonObject tool = value.toObject();
            names << tool.value(QStringLiteral("name")).toString();
            QCOMPARE(tool.value(QStringLiteral("inputSchema")).toObject().value(QStringLiteral("type")).toString(), QStringLiteral("object"));
            QVERIFY(!tool.value(QStringLiteral("description")).toString().isEmpty());
        }
        names.sort();
        QCOMPARE(names, QStringLiteral("compare_gpu_costs estimate_training_cost get_training_logs get_training_status launch_training "
                                       "list_active_training_jobs list_available_workflows list_orphaned_clusters stop_training "
                                       "validate_dataset validate_model")
                            .split(QLatin1Char(' ')));
        QCOMPARE(session.finish(), 0);
    }

    void toolResultsCarryTextAndStructuredContent()
    {
        McpSession session(QStringLiteral("call"));
        QVERIFY(session.started());
        const QJsonObject reply = session.request(callLine(1, QStringLiteral("list_available_workflows"), QJsonObject{}));
        const QJsonObject result = reply.value(QStringLiteral("result")).toObject();
        QCOMPARE(result.value(QStringLiteral("isError")).toBool(), false);
        QVERIFY(result.value(QStringLiteral("content")).toArray().first().toObject().value(QStringLiteral("text")).toString().contains(QStringLiteral("lora")));
        QVERIFY(!result.value(QStringLiteral("structuredContent")).toObject().value(QStringLiteral("workflows")).toArray().isEmpty());

        // A failure of the tool itself is a result with isError, not a protocol error.
        const QJsonObject missing = session.request(callLine(2, QStringLiteral("get_training_status"), QJsonObject{{QStringLiteral("job_id"), QStringLiteral("vibeml-none")}}));
        const QJsonObject failed = missing.value(QStringLiteral("result")).toObject();
        QCOMPARE(failed.value(QStringLiteral("isError")).toBool(), true);
        QVERIFY2(failed.value(QStringLiteral("content")).toArray().first().toObject().value(QStringLiteral("text")).toString().contains(QStringLiteral("vibeml-none")),
                 qPrintable(QString::fromUtf8(QJsonDocument(failed).toJson())));

        // An id that looks like an option stays an id.
        const QJsonObject sneaky = session.request(callLine(3, QStringLiteral("get_training_status"), QJsonObject{{QStringLiteral("job_id"), QStringLiteral("--help")}}));
        QCOMPARE(sneaky.value(QStringLiteral("result")).toObject().value(QStringLiteral("isError")).toBool(), true);
        QCOMPARE(session.finish(), 0);
    }

    void hugeMessagesAreRefusedNotFatal()
    {
        McpSession session(QStringLiteral("huge"));
        QVERIFY(session.started());
        // 5 MiB in one line (over the 4 MiB cap), written in pieces as a client would.
        QByteArray huge = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"";
        huge += QByteArray(5 * 1024 * 1024, 'x');
        huge += "\"}}";
        session.send(huge);
        const QJsonObject reply = session.next(60000);
        QVERIFY2(!reply.isEmpty(), qPrintable(session.problem()));
        QCOMPARE(errorCode(reply), -32600);
        QVERIFY(reply.value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString().contains(QStringLiteral("larger")));
        // Just under the cap is fine.
        QByteArray large = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\",\"params\":{\"pad\":\"";
        large += QByteArray(3 * 1024 * 1024, 'y');
        large += "\"}}";
        const QJsonObject pong = session.request(large);
        QCOMPARE(pong.value(QStringLiteral("id")).toInt(), 2);
        QVERIFY(pong.contains(QStringLiteral("result")));
        QCOMPARE(session.finish(), 0);
    }

    void endOfInputEndsTheServer()
    {
        McpSession session(QStringLiteral("eof"));
        QVERIFY(session.started());
        session.send(R"({"jsonrpc":"2.0","id":1,"method":"ping"})"); // the last message, answered before exiting
        QCOMPARE(session.finish(), 0);
        QVERIFY(QJsonDocument::fromJson(session.remainingStdout().trimmed()).isObject());
    }

    void manyMessagesAtOnceAreAllAnswered()
    {
        McpSession session(QStringLiteral("burst"));
        QVERIFY(session.started());
        QByteArray burst;
        for (int i = 1; i <= 200; ++i)
            burst += requestLine(i, i % 2 ? QStringLiteral("ping") : QStringLiteral("tools/list")) + '\n';
        session.process().write(burst);
        for (int i = 1; i <= 200; ++i) {
            const QJsonObject reply = session.next();
            QVERIFY2(!reply.isEmpty(), qPrintable(session.problem()));
            QCOMPARE(reply.value(QStringLiteral("id")).toInt(), i);
        }
        QCOMPARE(session.finish(), 0);
    }
};

VIBEML_TEST_MAIN_CORE(TestMcpProtocol)
#include "tst_mcpprotocol.moc"
