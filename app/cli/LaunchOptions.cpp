#include "cli/LaunchOptions.h"

namespace vibeml {
namespace {

// Qt's own GUI options that take a value; they still mean "open the window".
bool isQtGuiOptionWithValue(const QString &argument)
{
    static const char *const options[] = {"-platform", "-style", "-stylesheet", "-qwindowgeometry",
                                           "-qwindowtitle", "-qwindowicon", "-session", "-display"};
    for (const char *option : options) {
        if (argument == QLatin1String(option))
            return true;
    }
    return false;
}

} // namespace

LaunchOptions LaunchOptions::parse(const QStringList &arguments)
{
    LaunchOptions options;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (!options.commandArguments.isEmpty()) {
            if (argument == QLatin1String("--debug"))
                options.debug = true;
            else
                options.commandArguments.append(argument);
            continue;
        }
        if (argument == QLatin1String("--debug")) {
            options.debug = true;
        } else if (isQtGuiOptionWithValue(argument) && i + 1 < arguments.size()) {
            ++i;
        } else if (argument == QLatin1String("-reverse")) {
            continue;
        } else if (argument == QLatin1String("--mcp")) {
            options.commandArguments.append(QStringLiteral("mcp")); // `vibeml --mcp` is `vibeml mcp`
        } else {
            options.commandArguments.append(argument);
        }
    }
    options.gui = options.commandArguments.isEmpty();
    return options;
}

LaunchOptions LaunchOptions::parse(int argc, char **argv)
{
    QStringList arguments;
    for (int i = 1; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    return parse(arguments);
}

} // namespace vibeml
