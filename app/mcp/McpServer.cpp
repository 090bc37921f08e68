#include "mcp/McpServer.h"

#include "log/Logging.h"

#include "vibeml/Version.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>

#include <cmath>

namespace vibeml::mcp {
namespace {

// JSON-RPC ids are strings or numbers (MCP: never null); anything else makes the request invalid.
bool isValidId(const QJsonValue &id)
{
    if (id.isString())
        return true;
    return id.isDouble() && std::isfinite(id.toDouble()) && std::floor(id.toDouble()) == id.toDouble();
}

} // namespace

const QStringList &McpServer::supportedProtocolVersions()
{
    static const QStringList versions{QStringLiteral("2025-06-18"), QStringLiteral("2025-03-26"), QStringLiteral("2024-11-05")};
    return versions;
}

McpServer::McpServer(const Settings &settings, CommandRunner runner, QObject *parent)
    : QObject(parent), m_settings(settings), m_runner(std::move(runner))
{
}

void McpServer::sendResult(const QJsonValue &id, const QJsonObject &result)
{
    Q_EMIT reply(QJsonDocument(QJsonObject{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                                           {QStringLiteral("id"), id},
                                           {QStringLiteral("result"), result}})
                     .toJson(QJsonDocument::Compact));
}

void McpServer::sendError(const QJsonValue &id, int code, const QString &message, const QJsonValue &data)
{
    QJsonObject error{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}};
    if (!data.isUndefined())
        error.insert(QStringLiteral("data"), data);
    log::app()->info("MCP error {} for request {}: {}", code, QString::fromUtf8(QJsonDocument(QJsonArray{id}).toJson(QJsonDocument::Compact)),
                     message);
    Q_EMIT reply(QJsonDocument(QJsonObject{{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                                           {QStringLiteral("id"), id.isUndefined() ? QJsonValue() : id},
                                           {QStringLiteral("error"), error}})
                     .toJson(QJsonDocument::Compact));
}

void McpServer::handleTooLarge(qsizetype bytes, qsizetype limit)
{
    sendError(QJsonValue(), InvalidRequest,
              tr("Message of %1 bytes is larger than the %2 bytes this server accepts; it was dropped.").arg(bytes).arg(limit));
}

void McpServer::handleMessage(const QByteArray &message)
{
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(message, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // Valid JSON that is not an object or array (42, "text", null) is a request of the wrong shape.
        if (QJsonDocument::fromJson('[' + message + ']').isArray()) {
            sendError(QJsonValue(), InvalidRequest, tr("Invalid request: a message must be a JSON object."));
            return;
        }
        sendError(QJsonValue(), ParseError, tr("Parse error: %1 at offset %2.").arg(parseError.errorString()).arg(parseError.offset));
        return;
    }
    if (document.isArray()) {
        sendError(QJsonValue(), InvalidRequest,
                  tr("JSON-RPC batches are not supported (MCP 2025-06-18 removed them); send one message per line."));
        return;
    }
    if (!document.isObject()) {
        sendError(QJsonValue(), InvalidRequest, tr("Invalid request: a message must be a JSON object."));
        return;
    }
    const QJsonObject request = document.object();
    const QJsonValue id = request.value(QStringLiteral("id"));
    const bool hasId = request.contains(QStringLiteral("id"));
    if (hasId && !isValidId(id)) {
        sendError(QJsonValue(), InvalidRequest, tr("Invalid request: 'id' must be a string or an integer."));
        return;
    }
    if (request.value(QStringLiteral("jsonrpc")).toString() != QLatin1String("2.0")) {
        sendError(hasId ? id : QJsonValue(), InvalidRequest, tr("Invalid request: 'jsonrpc' must be \"2.0\"."));
        return;
    }
    const QJsonValue methodValue = request.value(QStringLiteral("method"));
    if (!methodValue.isString()) {
        // A response to a request of ours (we send none), or nonsense.
        if (hasId && (request.contains(QStringLiteral("result")) || request.contains(QStringLiteral("error"))))
            return;
        sendError(hasId ? id : QJsonValue(), InvalidRequest, tr("Invalid request: 'method' must be a string."));
        return;
    }
    const QString method = methodValue.toString();
    const QJsonValue paramsValue = request.value(QStringLiteral("params"));
    if (!hasId) {
        // Notifications never get an answer, not even an error.
        if (method == QLatin1String("notifications/initialized"))
            m_initialized = true;
        else
            log::app()->debug("MCP notification {} ignored", method);
        return;
    }
    if (!paramsValue.isUndefined() && !paramsValue.isObject()) {
        sendError(id, InvalidParams, tr("Invalid params: 'params' must be an object."));
        return;
    }
    const QJsonObject params = paramsValue.toObject();
    if (method == QLatin1String("initialize"))
        initialize(id, params);
    else if (method == QLatin1String("ping"))
        sendResult(id, QJsonObject{});
    else if (method == QLatin1String("tools/list"))
        sendResult(id, QJsonObject{{QStringLiteral("tools"), m_tools.describe()}});
    else if (method == QLatin1String("tools/call"))
        callTool(id, params);
    else
        sendError(id, MethodNotFound, tr("Method not found: %1. This server offers initialize, ping, tools/list and tools/call.").arg(method));
}

void McpServer::initialize(const QJsonValue &id, const QJsonObject &params)
{
    const QJsonValue requested = params.value(QStringLiteral("protocolVersion"));
    if (!requested.isString()) {
        sendError(id, InvalidParams, tr("Invalid params: initialize needs 'protocolVersion' (a string)."),
                  QJsonObject{{QStringLiteral("supported"), QJsonArray::fromStringList(supportedProtocolVersions())}});
        return;
    }
    // The client's version when we speak it, else our newest (the client decides whether to go on).
    m_protocolVersion = supportedProtocolVersions().contains(requested.toString()) ? requested.toString()
                                                                                   : supportedProtocolVersions().first();
    const QJsonObject clientInfo = params.value(QStringLiteral("clientInfo")).toObject();
    log::app()->info("MCP client {} {} asked for protocol {}; speaking {}", clientInfo.value(QStringLiteral("name")).toString(),
                     clientInfo.value(QStringLiteral("version")).toString(), requested.toString(), m_protocolVersion);
    sendResult(id, QJsonObject{
                       {QStringLiteral("protocolVersion"), m_protocolVersion},
                       {QStringLiteral("capabilities"),
                        QJsonObject{{QStringLiteral("tools"), QJsonObject{{QStringLiteral("listChanged"), false}}}}},
                       {QStringLiteral("serverInfo"), QJsonObject{{QStringLiteral("name"), QStringLiteral("vibeml")},
                                                                  {QStringLiteral("title"), QLatin1String(kDisplayName)},
                                                                  {QStringLiteral("version"), QLatin1String(kVersion)}}},
                       {QStringLiteral("instructions"),
                        tr("VibeML fine-tunes Hugging Face models on Nebius GPUs through SkyPilot. Validate the model and dataset, "
                           "estimate the cost, then launch (dry_run first shows the plan). Launches obey the user's budgets; "
                           "runs above the approval threshold are refused unless the user allowed them.")},
                   });
}

void McpServer::callTool(const QJsonValue &id, const QJsonObject &params)
{
    const QJsonValue nameValue = params.value(QStringLiteral("name"));
    if (!nameValue.isString()) {
        sendError(id, InvalidParams, tr("Invalid params: tools/call needs 'name' (a string)."));
        return;
    }
    const Tool *tool = m_tools.find(nameValue.toString());
    if (!tool) {
        sendError(id, InvalidParams, tr("Unknown tool: %1. tools/list names the tools.").arg(nameValue.toString()));
        return;
    }
    const QJsonValue arguments = params.value(QStringLiteral("arguments"));
    if (const QString problem = checkArguments(tool->inputSchema, arguments); !problem.isEmpty()) {
        sendError(id, InvalidParams, tr("Invalid arguments for %1: %2.").arg(tool->name, problem),
                  QJsonObject{{QStringLiteral("inputSchema"), tool->inputSchema}});
        return;
    }
    const QJsonObject input = arguments.toObject();
    if (tool->local) {
        ToolResult result;
        result.structured = tool->local(input);
        result.text = tool->summary ? tool->summary(*result.structured) : QString();
        sendResult(id, result.toJson());
        return;
    }
    const QStringList commandLine = tool->command(input, m_settings);
    log::app()->info("MCP {}: vibeml {}", tool->name, commandLine.join(QLatin1Char(' ')));
    ++m_pending;
    QPointer<McpServer> self(this);
    const QString toolName = tool->name;
    m_runner(commandLine, [self, id, toolName, input](int exitCode, const QString &out, const QString &err) {
        if (!self)
            return;
        if (const Tool *called = self->m_tools.find(toolName))
            self->sendResult(id, commandResult(*called, input, exitCode, out, err).toJson());
        if (--self->m_pending == 0)
            Q_EMIT self->idle();
    });
}

} // namespace vibeml::mcp
