#include "log/Logging.h"

#include "config/PrivateFiles.h"
#include "log/LogBus.h"
#include "log/Redactor.h"

#include <QDir>
#include <QFile>
#include <QMetaObject>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <array>
#include <chrono>
#include <cstring>
#include <mutex>
#include <vector>

namespace vibeml {
namespace {

constexpr std::array<const char *, 6> kAreas = {"app", "hub", "sky", "jobs", "ui", "qt"};
constexpr char kFilePattern[] = "%Y-%m-%d %H:%M:%S.%e %P [%n] %l: %v";
constexpr char kStderrPattern[] = "%H:%M:%S.%e [%n] %^%l%$: %v";

// Every record passes through here on its way to the real sinks, so no sink ever sees a secret.
class RedactingSink final : public spdlog::sinks::base_sink<std::mutex>
{
public:
    explicit RedactingSink(std::vector<spdlog::sink_ptr> children) : m_children(std::move(children)) {}

protected:
    void sink_it_(const spdlog::details::log_msg &message) override
    {
        const std::string_view payload(message.payload.data(), message.payload.size());
        if (!redaction::mightContainSecret(payload)) {
            forward(message);
            return;
        }
        const std::string cleaned = redaction::redact(payload);
        spdlog::details::log_msg copy(message);
        copy.payload = spdlog::string_view_t(cleaned.data(), cleaned.size());
        forward(copy);
    }

    void flush_() override
    {
        for (const auto &child : m_children)
            child->flush();
    }

private:
    void forward(const spdlog::details::log_msg &message)
    {
        for (const auto &child : m_children) {
            if (child->should_log(message.level))
                child->log(message);
        }
    }

    std::vector<spdlog::sink_ptr> m_children;
};

LogLevel toLogLevel(spdlog::level::level_enum level)
{
    switch (level) {
    case spdlog::level::trace:
        return LogLevel::Trace;
    case spdlog::level::debug:
        return LogLevel::Debug;
    case spdlog::level::info:
        return LogLevel::Info;
    case spdlog::level::warn:
        return LogLevel::Warning;
    case spdlog::level::err:
        return LogLevel::Error;
    default:
        return LogLevel::Critical;
    }
}

class BusSink final : public spdlog::sinks::base_sink<std::mutex>
{
public:
    explicit BusSink(LogBus *bus) : m_bus(bus) {}

    void detach()
    {
        std::lock_guard<std::mutex> lock(mutex_);
        m_bus = nullptr;
    }

protected:
    void sink_it_(const spdlog::details::log_msg &message) override
    {
        if (!m_bus)
            return;
        const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(message.time.time_since_epoch());
        LogEntry entry{QDateTime::fromMSecsSinceEpoch(millis.count()), toLogLevel(message.level),
                       QString::fromUtf8(message.logger_name.data(), static_cast<qsizetype>(message.logger_name.size())),
                       QString::fromUtf8(message.payload.data(), static_cast<qsizetype>(message.payload.size()))};
        LogBus *bus = m_bus;
        QMetaObject::invokeMethod(
            bus, [bus, entry = std::move(entry)] { Q_EMIT bus->entryLogged(entry); }, Qt::QueuedConnection);
    }

    void flush_() override {}

private:
    LogBus *m_bus;
};

std::mutex g_loggerCreation; // guards spdlog's registry between lookup and registration

void routeQtMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    spdlog::level::level_enum level = spdlog::level::info;
    switch (type) {
    case QtDebugMsg:
        level = spdlog::level::debug;
        break;
    case QtInfoMsg:
        level = spdlog::level::info;
        break;
    case QtWarningMsg:
        level = spdlog::level::warn;
        break;
    case QtCriticalMsg:
        level = spdlog::level::err;
        break;
    case QtFatalMsg:
        level = spdlog::level::critical;
        break;
    }
    const auto logger = log::qt();
    if (context.category && std::strcmp(context.category, "default") != 0)
        logger->log(level, "{}: {}", context.category, message);
    else
        logger->log(level, "{}", message);
    if (type == QtFatalMsg)
        logger->flush();
}

std::shared_ptr<spdlog::logger> namedLogger(const char *name)
{
    if (auto existing = spdlog::get(name))
        return existing;
    std::lock_guard<std::mutex> lock(g_loggerCreation);
    if (auto existing = spdlog::get(name))
        return existing;
    // No Logging yet: warnings and worse to stderr, still through the redaction filter.
    auto stderrSink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    stderrSink->set_pattern(kStderrPattern);
    auto logger = std::make_shared<spdlog::logger>(
        name, std::make_shared<RedactingSink>(std::vector<spdlog::sink_ptr>{stderrSink}));
    logger->set_level(spdlog::level::warn);
    spdlog::register_logger(logger);
    return logger;
}

} // namespace

Logging::Logging(const LogOptions &options)
{
    std::vector<spdlog::sink_ptr> sinks;

    auto stderrSink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    stderrSink->set_pattern(kStderrPattern);
    stderrSink->set_level(options.stderrLevel);
    sinks.push_back(stderrSink);

    if (!options.directory.isEmpty()) {
        const QString path = options.directory + QLatin1Char('/') + options.fileName;
        if (const Status dir = privatefiles::ensureDirectory(options.directory); !dir) {
            m_fileError = dir.message();
        } else {
            // Create the file owner-only before spdlog opens it for appending.
            QFile file(path);
            if (file.open(QIODevice::Append))
                file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
            try {
                auto fileSink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
                    QFile::encodeName(path).toStdString(), options.maxFileBytes, options.maxFiles);
                fileSink->set_pattern(kFilePattern);
                fileSink->set_level(options.level);
                sinks.push_back(fileSink);
                m_filePath = path;
            } catch (const spdlog::spdlog_ex &error) {
                m_fileError = QString::fromLocal8Bit(error.what());
            }
        }
    }

    m_bus = std::make_unique<LogBus>();
    auto busSink = std::make_shared<BusSink>(m_bus.get());
    busSink->set_level(options.level);
    sinks.push_back(busSink);
    m_busSink = busSink;

    auto root = std::make_shared<RedactingSink>(std::move(sinks));
    {
        std::lock_guard<std::mutex> lock(g_loggerCreation);
        spdlog::drop_all();
        for (const char *area : kAreas) {
            auto logger = std::make_shared<spdlog::logger>(area, root);
            logger->set_level(options.level);
            logger->flush_on(spdlog::level::warn);
            spdlog::register_logger(logger);
        }
    }
    spdlog::flush_every(std::chrono::seconds(2));
    m_previousQtHandler = qInstallMessageHandler(routeQtMessage);

    if (!m_fileError.isEmpty())
        log::app()->warn("Logging to a file is off: {}", m_fileError);
}

Logging::~Logging()
{
    qInstallMessageHandler(m_previousQtHandler);
    // Loggers handed out earlier may outlive this object; they must not reach the dead bus.
    std::static_pointer_cast<BusSink>(m_busSink)->detach();
    std::lock_guard<std::mutex> lock(g_loggerCreation);
    spdlog::shutdown();
}

std::optional<spdlog::level::level_enum> Logging::parseLevel(const QString &name)
{
    const QString key = name.trimmed().toLower();
    static const std::array<std::pair<const char *, spdlog::level::level_enum>, 9> names = {{
        {"trace", spdlog::level::trace},
        {"debug", spdlog::level::debug},
        {"info", spdlog::level::info},
        {"warn", spdlog::level::warn},
        {"warning", spdlog::level::warn},
        {"error", spdlog::level::err},
        {"err", spdlog::level::err},
        {"critical", spdlog::level::critical},
        {"off", spdlog::level::off},
    }};
    for (const auto &[text, level] : names) {
        if (key == QLatin1String(text))
            return level;
    }
    return std::nullopt;
}

LogLevelChoice Logging::levelFromEnvironment(bool debugFlag)
{
    if (debugFlag)
        return {spdlog::level::debug, true, {}};
    const QString fromEnv = qEnvironmentVariable("VIBEML_LOG_LEVEL");
    if (fromEnv.trimmed().isEmpty())
        return {};
    if (const auto level = parseLevel(fromEnv))
        return {*level, true, {}};
    return {spdlog::level::info, false,
            QStringLiteral("VIBEML_LOG_LEVEL=\"%1\" is not a log level (use trace, debug, info, warn, error, critical "
                           "or off); logging at info.")
                .arg(fromEnv)};
}

namespace log {
std::shared_ptr<spdlog::logger> app() { return namedLogger("app"); }
std::shared_ptr<spdlog::logger> hub() { return namedLogger("hub"); }
std::shared_ptr<spdlog::logger> sky() { return namedLogger("sky"); }
std::shared_ptr<spdlog::logger> jobs() { return namedLogger("jobs"); }
std::shared_ptr<spdlog::logger> ui() { return namedLogger("ui"); }
std::shared_ptr<spdlog::logger> qt() { return namedLogger("qt"); }
} // namespace log

} // namespace vibeml
