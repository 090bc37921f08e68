#include "Application.h"
#include "FirstPaintProbe.h"
#include "common/MemoryTuning.h"

#include <QApplication>
#include <QCoreApplication>

int main(int argc, char *argv[])
{
    vibeml::tuneAllocator();
    // Decided before any Qt application object exists: a subcommand must never need a display.
    vibeml::LaunchOptions options = vibeml::LaunchOptions::parse(argc, argv);
    if (options.gui) {
        QApplication qtApp(argc, argv);
        vibeml::FirstPaintProbe::installIfAsked(qtApp); // VIBEML_BENCH_FIRST_PAINT=1, for bench/ only
        vibeml::Application app(std::move(options));
        return app.runGui();
    }
    QCoreApplication qtApp(argc, argv);
    vibeml::Application app(std::move(options));
    return app.runCommand();
}
