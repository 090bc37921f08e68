#include "mcp/McpCommand.h"

#include "cli/ArgumentParser.h"
#include "cli/CommandLine.h"
#include "cli/ExitCode.h"
#include "config/Settings.h"
#include "jobs/JobService.h"
#include "log/Logging.h"
#include "mcp/McpServer.h"
#include "mcp/StdioChannel.h"

#include <QCoreApplication>
#include <QTimer>

#include <csignal>
#include <memory>

namespace vibeml {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("McpCommand", text);
}

// One tool call's command: its own output buffers and context, alive until it finishes.
struct ToolCallRun
{
    QString out;
    QString err;
    QTextStream outStream{&out};
    QTextStream errStream{&err};
    std::unique_ptr<CliContext> context;
    bool finished = false;
};

} // namespace

QString McpCommand::summary() const
{
    return tr("Serve the Model Context Protocol on stdin/stdout for AI assistants");
}

QString McpCommand::help() const
{
    return tr("Usage: vibeml mcp      (or: vibeml --mcp)\n\n"
              "Runs an MCP server over stdio (JSON-RPC 2.0, one message per line; protocol versions 2025-06-18,\n"
              "2025-03-26 and 2024-11-05). An MCP client (Claude Desktop, an IDE, an agent) starts it as a child\n"
              "process. stdout carries protocol messages only; logs go to stderr and to vibeml-mcp.log.\n\n"
              "Tools: launch_training, get_training_status, stop_training, list_available_workflows,\n"
              "estimate_training_cost, list_active_training_jobs, validate_model, validate_dataset,\n"
              "compare_gpu_costs, get_training_logs, list_orphaned_clusters.\n\n"
              "Each tool runs the matching vibeml command, so the checks, budgets and numbers are the CLI's and the\n"
              "window's, and jobs share the journal with them. While it runs, the server also watches jobs (the same\n"
              "monitor as the window, unless another VibeML process already does). A launch above\n"
              "budget.approval-threshold-usd is refused unless mcp.allow-above-approval is yes; the per-run and\n"
              "monthly budgets always apply. Messages over 4 MiB are answered with an error and dropped.\n\n"
              "Client configuration (Claude Desktop's claude_desktop_config.json and most others):\n"
              "  {\"mcpServers\": {\"vibeml\": {\"command\": \"vibeml\", \"args\": [\"mcp\"]}}}\n\n"
              "Exit codes: 0 the client closed stdin, 2 wrong arguments.\n");
}

void McpCommand::run(const QStringList &arguments, CliContext &context, Finish finish)
{
    ArgumentParser parsing(name());
    if (!parsing.parse(arguments, context, 0, 0)) {
        finish(ExitUsage);
        return;
    }
    // A client that goes away mid-answer must not kill the server with SIGPIPE before it cleans up.
    std::signal(SIGPIPE, SIG_IGN);

    // A long-lived server follows `vibeml config set` and the window's preferences as they change.
    context.settings.watchForExternalChanges();
    QString problem;
    if (jobs::JobService *service = context.jobs(QStringLiteral("mcp"), &problem))
        service->monitor().start(); // launched jobs are watched, torn down and billed like the window's
    else
        log::app()->warn("MCP server without the job journal: {}", problem);

    auto *channel = new mcp::StdioChannel(0, 1, mcp::StdioChannel::kDefaultMaxMessageBytes, QCoreApplication::instance());
    const CommandLine &commands = m_commands;
    auto *server = new mcp::McpServer(
        context.settings,
        [&context, &commands](const QStringList &commandLine, std::function<void(int, const QString &, const QString &)> done) {
            auto call = std::make_shared<ToolCallRun>();
            call->context = context.spawn(call->outStream, call->errStream);
            call->context->surface = QStringLiteral("mcp");
            call->context->longLived = true;
            call->context->stdinIsTerminal = false; // stdin is the protocol: nothing may read or prompt on it
            call->context->readLine = [](const QString &, bool) { return std::optional<QString>(); };
            commands.run(commandLine, *call->context, [call, done](int exitCode) {
                if (call->finished)
                    return;
                call->finished = true;
                call->outStream.flush();
                call->errStream.flush();
                done(exitCode, call->out, call->err);
                // Freed once the command's own code has unwound.
                QTimer::singleShot(0, QCoreApplication::instance(), [call] {});
            });
        },
        channel);
    QObject::connect(channel, &mcp::StdioChannel::messageReceived, server, &mcp::McpServer::handleMessage);
    QObject::connect(channel, &mcp::StdioChannel::messageTooLarge, server,
                     [server, channel](qsizetype bytes) { server->handleTooLarge(bytes, channel->maxMessageBytes()); });
    QObject::connect(server, &mcp::McpServer::reply, channel, [channel](const QByteArray &message) {
        if (!channel->send(message))
            log::app()->warn("MCP client stopped reading; a reply was lost");
    });
    // The client closing stdin ends the session: answer what is in flight (briefly), then exit.
    QObject::connect(channel, &mcp::StdioChannel::closed, server, [server, finish] {
        if (server->pendingCalls() == 0) {
            finish(ExitOk);
            return;
        }
        QObject::connect(server, &mcp::McpServer::idle, server, [finish] { finish(ExitOk); });
        QTimer::singleShot(std::chrono::seconds(30), server, [finish] { finish(ExitOk); });
    });
    log::app()->info("MCP server ready on stdio");
    channel->start();
}

} // namespace vibeml
