#pragma once

#include "cli/CliCommand.h"

namespace vibeml {

class CommandLine;

// `vibeml mcp` (also `vibeml --mcp`): the MCP server on stdin/stdout. Each tool call runs as the
// matching `vibeml` command in this process, so an assistant gets the same checks, budget rules
// and numbers as the terminal and the window.
class McpCommand : public CliCommand
{
public:
    explicit McpCommand(const CommandLine &commands) : m_commands(commands) {}

    QString name() const override { return QStringLiteral("mcp"); }
    QString summary() const override;
    QString help() const override;
    void run(const QStringList &arguments, CliContext &context, Finish finish) override;

private:
    const CommandLine &m_commands;
};

} // namespace vibeml
