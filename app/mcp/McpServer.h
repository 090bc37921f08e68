#pragma once

#include "mcp/McpTools.h"

#include <QJsonValue>
#include <QObject>

#include <functional>

namespace vibeml {
class Settings;
}

namespace vibeml::mcp {

// The Model Context Protocol over JSON-RPC 2.0: initialize (with protocol-version negotiation),
// ping, tools/list and tools/call. Messages in, replies out as signals; it never writes anywhere
// itself. Tool calls run asynchronously and may overlap.
class McpServer : public QObject
{
    Q_OBJECT

public:
    // Runs a `vibeml` command line and reports its exit code, stdout and stderr.
    using CommandRunner =
        std::function<void(const QStringList &arguments, std::function<void(int exitCode, const QString &out, const QString &err)> done)>;

    static const QStringList &supportedProtocolVersions(); // newest first

    McpServer(const Settings &settings, CommandRunner runner, QObject *parent = nullptr);

    void handleMessage(const QByteArray &message);
    void handleTooLarge(qsizetype bytes, qsizetype limit);
    int pendingCalls() const { return m_pending; }
    const ToolCatalog &tools() const { return m_tools; }

    // JSON-RPC error codes.
    enum ErrorCode { ParseError = -32700, InvalidRequest = -32600, MethodNotFound = -32601, InvalidParams = -32602, InternalError = -32603 };

Q_SIGNALS:
    void reply(const QByteArray &message);
    void idle(); // the last pending tool call has answered

private:
    void sendResult(const QJsonValue &id, const QJsonObject &result);
    void sendError(const QJsonValue &id, int code, const QString &message, const QJsonValue &data = QJsonValue(QJsonValue::Undefined));
    void initialize(const QJsonValue &id, const QJsonObject &params);
    void callTool(const QJsonValue &id, const QJsonObject &params);

    const Settings &m_settings;
    CommandRunner m_runner;
    ToolCatalog m_tools;
    int m_pending = 0;
    bool m_initialized = false;
    QString m_protocolVersion;
};

} // namespace vibeml::mcp
