#pragma once

#include "cli/LaunchOptions.h"
#include "config/AppPaths.h"
#include "config/Settings.h"
#include "catalog/Catalog.h"
#include "common/Clock.h"
#include "common/Result.h"
#include "hub/OfflineSnapshot.h"

#include <memory>
#include <optional>


class QTextStream;

namespace vibeml {

struct CliContext;
class Logging;
class SecretStore;
namespace jobs {
class JobService;
class JournalDatabase;
}
namespace sky {
struct SkyEnvironment;
}
namespace hub {
class HttpBackend;
class HubCache;
class HubClient;
class HubTransport;
} // namespace hub

// The composition root: builds the object graph once (paths, logging, settings, keychain)
// and hands it to the window or to a command. Nothing else creates these objects.
class Application
{
public:
    explicit Application(LaunchOptions options);
    ~Application();
    Application(const Application &) = delete;
    Application &operator=(const Application &) = delete;

    int runGui();     // requires a QApplication
    int runCommand(); // runs on a QCoreApplication; never needs a display

private:
    void startServices(const QString &logFileName, bool quietStderr);
    void startHub();
    // Loads the network module and hands HubTransport its backend (the window: after its first
    // paint); without the module every Hub request fails with a message that says so.
    void attachNetwork();
    void applyHubEndpoints();
    const catalog::Catalog &catalog();
    std::optional<double> monthSpentUsd();
    // The journal, opened on first use; nullptr with `problem` set when it cannot be used.
    jobs::JournalDatabase *journal(QString *problem);
    jobs::JobService *jobService(const QString &role, QString *problem);
    Status recoverJournal();
    sky::SkyEnvironment skyEnvironment() const;
    // What a command may use, writing to `out` and `err` (the MCP server makes one per tool call).
    std::unique_ptr<CliContext> commandContext(QTextStream &out, QTextStream &err);

    LaunchOptions m_options;
    AppPaths m_paths;
    std::unique_ptr<Logging> m_logging;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<SecretStore> m_secrets;
    SettingsLoadReport m_settingsReport;
    std::unique_ptr<hub::HttpBackend> m_httpBackend;
    std::unique_ptr<hub::HubTransport> m_hubTransport;
    std::unique_ptr<hub::HubCache> m_hubCache;
    hub::OfflineSnapshot m_hubSnapshot;
    std::unique_ptr<hub::HubClient> m_hubClient;
    std::optional<catalog::Catalog> m_catalog;
    std::unique_ptr<jobs::JournalDatabase> m_journal;
    SystemClock m_clock;
    std::unique_ptr<jobs::JobService> m_jobService;
};

} // namespace vibeml
