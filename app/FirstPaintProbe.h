#pragma once

#include <QApplication>
#include <QEvent>
#include <QMainWindow>
#include <QTimer>

#include <cstdio>
#include <cstdlib>

// bench/ only (bench/README.md, issue 9 item 3): with VIBEML_BENCH_FIRST_PAINT=1 in the
// environment, prints "vibeml-bench: first-paint" on stderr once the first main window has been
// painted (on the event-loop turn after its first paint event, when that frame is complete).
// bench_startup times the line from the moment it started the process; bench's hello window
// uses this same probe, so both are measured alike. With VIBEML_BENCH_FIRST_PAINT=2 the program
// also ends there, for profiling start-up alone (callgrind, perf). Without the variable it does
// nothing.
namespace vibeml {

class FirstPaintProbe : public QObject
{
public:
    static void installIfAsked(QApplication &application)
    {
        const int mode = qEnvironmentVariableIntValue("VIBEML_BENCH_FIRST_PAINT");
        if (mode == 1 || mode == 2)
            application.installEventFilter(new FirstPaintProbe(&application, mode == 2));
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && !m_seen && qobject_cast<QMainWindow *>(watched)) {
            m_seen = true;
            QTimer::singleShot(0, this, [this] {
                std::fputs("vibeml-bench: first-paint\n", stderr);
                std::fflush(stderr);
                if (m_quit)
                    std::_Exit(0); // at once: no after-first-paint work, no destructors in the profile
                deleteLater();
            });
        }
        return false;
    }

private:
    FirstPaintProbe(QObject *parent, bool quit) : QObject(parent), m_quit(quit) {}

    const bool m_quit;
    bool m_seen = false;
};

} // namespace vibeml
