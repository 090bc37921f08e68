#pragma once

#include <QDateTime>
#include <QObject>
#include <QString>

namespace vibeml {

enum class LogLevel { Trace, Debug, Info, Warning, Error, Critical };

struct LogEntry
{
    QDateTime time;
    LogLevel level = LogLevel::Info;
    QString area;    // logger name: app, hub, sky, jobs, ui, qt
    QString message; // already redacted
};

// Delivers application log records (after redaction) to the GUI's log pane, always through
// the event loop of the bus's thread, so a slot that logs cannot recurse into the logger.
class LogBus : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

Q_SIGNALS:
    void entryLogged(const vibeml::LogEntry &entry);
};

} // namespace vibeml
