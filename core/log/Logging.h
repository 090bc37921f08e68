#pragma once

#include "log/LogFormat.h"

#include <QString>
#include <QtGlobal>

#include <spdlog/logger.h>

#include <memory>
#include <optional>

namespace vibeml {

class LogBus;

struct LogOptions
{
    QString directory;                // empty: no log file
    QString fileName = QStringLiteral("vibeml.log");
    spdlog::level::level_enum level = spdlog::level::info;
    spdlog::level::level_enum stderrLevel = spdlog::level::info;
    std::size_t maxFileBytes = 5 * 1024 * 1024;
    std::size_t maxFiles = 5;
};

struct LogLevelChoice
{
    spdlog::level::level_enum level = spdlog::level::info;
    bool explicitlySet = false; // by VIBEML_LOG_LEVEL or --debug
    QString warning;            // set when VIBEML_LOG_LEVEL held something unusable
};

// Sets up spdlog for the process: a stderr sink and a rotating file, both behind the
// redaction filter, the LogBus for the GUI, named loggers per area, and Qt's own messages
// routed into the "qt" logger. Construct exactly one, in Application; it undoes all of it
// when destroyed.
class Logging
{
public:
    explicit Logging(const LogOptions &options);
    ~Logging();
    Logging(const Logging &) = delete;
    Logging &operator=(const Logging &) = delete;

    LogBus *bus() const { return m_bus.get(); }
    QString filePath() const { return m_filePath; }
    // Why the log file could not be opened; empty when it is in use.
    QString fileError() const { return m_fileError; }

    static std::optional<spdlog::level::level_enum> parseLevel(const QString &name);
    static LogLevelChoice levelFromEnvironment(bool debugFlag);

private:
    std::unique_ptr<LogBus> m_bus;
    std::shared_ptr<spdlog::sinks::sink> m_busSink;
    QtMessageHandler m_previousQtHandler = nullptr;
    QString m_filePath;
    QString m_fileError;
};

// Named loggers. Before a Logging exists (unit tests) they log warnings and worse to stderr,
// still redacted.
namespace log {
std::shared_ptr<spdlog::logger> app();
std::shared_ptr<spdlog::logger> hub();
std::shared_ptr<spdlog::logger> sky();
std::shared_ptr<spdlog::logger> jobs();
std::shared_ptr<spdlog::logger> ui();
std::shared_ptr<spdlog::logger> qt();
} // namespace log

} // namespace vibeml
