#pragma once

#include "cli/CliCommand.h"

#include <QCommandLineParser>

namespace vibeml {

// QCommandLineParser for one subcommand: parses without exiting the process, and turns errors
// into a message on stderr and exit code 2.
class ArgumentParser
{
public:
    explicit ArgumentParser(QString commandName);

    QCommandLineParser &parser() { return m_parser; }
    // False when the arguments are wrong; the reason is already on context.err.
    bool parse(const QStringList &arguments, CliContext &context, int minPositional, int maxPositional);

private:
    QString m_commandName;
    QCommandLineParser m_parser;
};

} // namespace vibeml
