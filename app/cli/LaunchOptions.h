#pragma once

#include <QStringList>

namespace vibeml {

// How the process was asked to start, decided from argv before any QCoreApplication exists:
// no subcommand opens the GUI, anything else runs headless.
struct LaunchOptions
{
    bool gui = true;
    bool debug = false;
    QStringList commandArguments; // the subcommand and its arguments, global options removed

    static LaunchOptions parse(const QStringList &arguments); // arguments without the program name
    static LaunchOptions parse(int argc, char **argv);
};

} // namespace vibeml
