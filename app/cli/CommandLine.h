#pragma once

#include "cli/CliCommand.h"

#include <memory>
#include <vector>

namespace vibeml {

// The list of subcommands, the global help and the dispatch to one command.
class CommandLine
{
public:
    CommandLine();
    ~CommandLine();

    // Answers --version, --help, `help [COMMAND]`, `COMMAND --help` and unknown commands
    // without touching settings, the keychain or the network. Returns the exit code when it
    // answered, std::nullopt when `arguments` name a command to run.
    std::optional<int> answerWithoutServices(const QStringList &arguments, QTextStream &out, QTextStream &err) const;

    // Runs the command named by arguments[0]; see CliCommand::run.
    void run(const QStringList &arguments, CliContext &context, CliCommand::Finish finish) const;

    QString globalHelp() const;
    CliCommand *find(const QString &name) const;

private:
    std::vector<std::unique_ptr<CliCommand>> m_commands;
};

} // namespace vibeml
