#include "cli/ArgumentParser.h"

#include <QCoreApplication>

namespace vibeml {

ArgumentParser::ArgumentParser(QString commandName) : m_commandName(std::move(commandName))
{
    m_parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
}

bool ArgumentParser::parse(const QStringList &arguments, CliContext &context, int minPositional, int maxPositional)
{
    if (!m_parser.parse(QStringList{QStringLiteral("vibeml")} + arguments)) {
        context.err << QStringLiteral("vibeml %1: %2\n").arg(m_commandName, m_parser.errorText());
        return false;
    }
    const qsizetype count = m_parser.positionalArguments().size();
    if (count < minPositional || count > maxPositional) {
        context.err << QCoreApplication::translate("ArgumentParser", "vibeml %1: wrong number of arguments. Run 'vibeml %1 --help'.")
                           .arg(m_commandName)
                    << '\n';
        return false;
    }
    return true;
}

} // namespace vibeml
