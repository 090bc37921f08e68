#include "cli/CommandLine.h"

#include "cli/ConfigCommand.h"
#include "cli/EstimateCommands.h"
#include "cli/ExitCode.h"
#include "cli/JobsCommand.h"
#include "cli/LaunchCommand.h"
#include "cli/ValidateCommands.h"
#include "mcp/McpCommand.h"

#include "vibeml/Version.h"

#include <QCoreApplication>

#include <algorithm>

namespace vibeml {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CommandLine", text);
}

bool isHelpFlag(const QString &argument)
{
    return argument == QLatin1String("--help") || argument == QLatin1String("-h");
}

} // namespace

CommandLine::CommandLine()
{
    m_commands.push_back(std::make_unique<LaunchCommand>());
    m_commands.push_back(std::make_unique<EstimateCommand>());
    m_commands.push_back(std::make_unique<GpusCommand>());
    m_commands.push_back(std::make_unique<ValidateModelCommand>());
    m_commands.push_back(std::make_unique<ValidateDatasetCommand>());
    m_commands.push_back(std::make_unique<JobsCommand>());
    m_commands.push_back(std::make_unique<MonitorCommand>());
    m_commands.push_back(std::make_unique<ConfigCommand>());
    m_commands.push_back(std::make_unique<McpCommand>(*this));
}

CommandLine::~CommandLine() = default;

CliCommand *CommandLine::find(const QString &name) const
{
    for (const auto &command : m_commands) {
        if (command->name() == name)
            return command.get();
    }
    return nullptr;
}

QString CommandLine::globalHelp() const
{
    QString text;
    QTextStream stream(&text);
    stream << tr("Usage: vibeml [--debug] [COMMAND [ARGUMENTS…]]") << "\n\n"
           << tr("Fine-tune Hugging Face models on Nebius GPUs through SkyPilot.\n"
                 "Without a command, VibeML opens its window. With one, it runs headless.")
           << "\n\n"
           << tr("Commands:") << '\n';
    for (const auto &command : m_commands)
        stream << "  " << command->name().leftJustified(18) << command->summary() << '\n';
    stream << "  " << QStringLiteral("help").leftJustified(18) << tr("Show help for a command") << "\n\n"
           << tr("Options:") << '\n'
           << "  " << QStringLiteral("-h, --help").leftJustified(18) << tr("Show this help") << '\n'
           << "  " << QStringLiteral("-v, --version").leftJustified(18) << tr("Print the version") << '\n'
           << "  " << QStringLiteral("--mcp").leftJustified(18) << tr("Same as 'vibeml mcp'") << '\n'
           << "  " << QStringLiteral("--debug").leftJustified(18) << tr("Log at debug level (see VIBEML_LOG_LEVEL)")
           << "\n\n"
           << tr("Exit codes:") << '\n'
           << "  0  " << tr("success") << '\n'
           << "  1  " << tr("the command failed") << '\n'
           << "  2  " << tr("wrong arguments or unknown command") << '\n'
           << "  3  " << tr("a service VibeML needs did not answer (keychain, Hub, sky)") << '\n'
           << "  4  " << tr("a check failed: the model, dataset or plan cannot be used as asked") << "\n\n"
           << tr("Run 'vibeml COMMAND --help' for a command's options.") << '\n';
    return text;
}

std::optional<int> CommandLine::answerWithoutServices(const QStringList &arguments, QTextStream &out,
                                                      QTextStream &err) const
{
    if (arguments.isEmpty() || isHelpFlag(arguments.first())) {
        out << globalHelp();
        return ExitOk;
    }
    const QString &first = arguments.first();
    if (first == QLatin1String("--version") || first == QLatin1String("-v")) {
        out << "vibeml " << kVersion << '\n';
        return ExitOk;
    }
    if (first == QLatin1String("help")) {
        if (arguments.size() < 2) {
            out << globalHelp();
            return ExitOk;
        }
        if (const CliCommand *command = find(arguments.at(1))) {
            out << command->help();
            return ExitOk;
        }
        err << tr("vibeml: there is no command '%1'. Run 'vibeml --help' to list them.").arg(arguments.at(1)) << '\n';
        return ExitUsage;
    }
    const CliCommand *command = find(first);
    if (!command) {
        if (first.startsWith(QLatin1Char('-')))
            err << tr("vibeml: unknown option '%1'. Run 'vibeml --help' for the options.").arg(first) << '\n';
        else
            err << tr("vibeml: unknown command '%1'. Run 'vibeml --help' to list the commands.").arg(first) << '\n';
        return ExitUsage;
    }
    if (std::any_of(arguments.begin() + 1, arguments.end(), isHelpFlag)) {
        out << command->help();
        return ExitOk;
    }
    return std::nullopt;
}

void CommandLine::run(const QStringList &arguments, CliContext &context, CliCommand::Finish finish) const
{
    CliCommand *command = find(arguments.value(0));
    if (!command) {
        finish(ExitUsage);
        return;
    }
    command->run(arguments.mid(1), context, std::move(finish));
}

} // namespace vibeml
