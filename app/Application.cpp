#include "Application.h"

#include "MainWindow.h"
#include "SingleInstance.h"
#include "cli/CommandLine.h"
#include "cli/ExitCode.h"
#include "cli/Terminal.h"
#include "common/PluginModules.h"
#include "hub/HttpBackend.h"
#include "hub/HubCache.h"
#include "hub/HubClient.h"
#include "hub/HubToken.h"
#include "hub/HubTransport.h"
#include "jobs/JobService.h"
#include "jobs/JournalDatabase.h"
#include "jobs/SpendLedger.h"
#include "log/Logging.h"
#include "secrets/SecretStore.h"
#include "widgets/AfterFirstPaint.h"
#include "widgets/DeferredImageStyle.h"
#include "widgets/UnshapedText.h"

#include "vibeml/Version.h"

#include <QApplication>
#include <QIcon>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

namespace vibeml {
namespace {

// Asked by a second launch: un-minimise, raise and focus the window we already have.
void bringToFront(QWidget &window)
{
    window.setWindowState(window.windowState() & ~Qt::WindowMinimized);
    window.show();
    window.raise();
    window.activateWindow();
}

} // namespace

Application::Application(LaunchOptions options) : m_options(std::move(options)), m_paths(AppPaths::fromEnvironment())
{
    QCoreApplication::setApplicationName(QLatin1String(kApplicationName));
    QCoreApplication::setApplicationVersion(QLatin1String(kVersion));
}

Application::~Application()
{
    // Objects that log must go before the loggers do.
    m_jobService.reset();
    m_journal.reset();
    m_hubClient.reset();
    m_hubTransport.reset();
    m_httpBackend.reset();
    m_secrets.reset();
    m_settings.reset();
    m_logging.reset();
}

void Application::startServices(const QString &logFileName, bool quietStderr)
{
    const LogLevelChoice level = Logging::levelFromEnvironment(m_options.debug);
    LogOptions logOptions;
    logOptions.directory = m_paths.logDir();
    logOptions.fileName = logFileName;
    logOptions.level = level.level;
    // A command's stdout and stderr belong to its caller: only problems, unless asked.
    logOptions.stderrLevel = quietStderr && !level.explicitlySet ? std::max(level.level, spdlog::level::warn) : level.level;
    m_logging = std::make_unique<Logging>(logOptions);
    if (!level.warning.isEmpty())
        log::app()->warn("{}", level.warning);
    log::app()->info("VibeML {} starting ({})", kVersion,
                     m_options.gui ? QStringLiteral("window") : m_options.commandArguments.value(0));

    m_settings = std::make_unique<Settings>(m_paths.settingsFile());
    m_settingsReport = m_settings->load();
    m_secrets = std::make_unique<SecretStore>();
}

void Application::startHub()
{
    m_hubTransport = std::make_unique<hub::HubTransport>(); // requests wait for attachNetwork()
    m_hubCache = std::make_unique<hub::HubCache>(m_paths.cacheDir + QStringLiteral("/hub"));
    m_hubSnapshot = hub::OfflineSnapshot::load();
    m_hubClient = std::make_unique<hub::HubClient>(*m_hubTransport, m_hubCache.get(), &m_hubSnapshot);
    applyHubEndpoints();
    QObject::connect(m_settings.get(), &Settings::changed, m_hubClient.get(), [this](SettingKey key) {
        if (key == SettingKey::HubEndpoint || key == SettingKey::ViewerEndpoint)
            applyHubEndpoints();
    });
}

void Application::attachNetwork()
{
    if (m_httpBackend)
        return;
    QString problem;
    if (const auto *module = modules::load<hub::NetworkModule>(QStringLiteral("vibeml-network"), &problem)) {
        m_httpBackend = module->createHttpBackend();
        m_hubTransport->setBackend(m_httpBackend.get());
        return;
    }
    log::hub()->error("No network: {}", problem);
    m_hubTransport->setUnavailable(
        QStringLiteral("VibeML's network module is unavailable (%1); reinstalling VibeML restores it").arg(problem));
}

const catalog::Catalog &Application::catalog()
{
    if (!m_catalog) {
        m_catalog = catalog::Catalog::load();
        for (const catalog::CatalogSource &source : m_catalog->sources())
            log::app()->info("Catalog {}", source.describe());
    }
    return *m_catalog;
}

jobs::JournalDatabase *Application::journal(QString *problem)
{
    if (!m_journal)
        m_journal = std::make_unique<jobs::JournalDatabase>(m_paths.dataDir + QStringLiteral("/journal.sqlite"));
    if (m_journal->state() != jobs::JournalDatabase::State::Open) {
        if (const Status opened = m_journal->open(); !opened) {
            log::jobs()->warn("{}", opened.message());
            if (problem)
                *problem = opened.message();
            return nullptr;
        }
    }
    return m_journal.get();
}

Status Application::recoverJournal()
{
    m_jobService.reset();
    if (!m_journal)
        m_journal = std::make_unique<jobs::JournalDatabase>(m_paths.dataDir + QStringLiteral("/journal.sqlite"));
    return m_journal->recoverFromCorruption();
}

sky::SkyEnvironment Application::skyEnvironment() const
{
    sky::SkyEnvironment environment;
    environment.program = m_settings->text(SettingKey::SkyExecutable);
    environment.apiServer = m_settings->text(SettingKey::SkyApiServer);
    return environment;
}

jobs::JobService *Application::jobService(const QString &role, QString *problem)
{
    if (m_jobService)
        return m_jobService.get();
    jobs::JournalDatabase *database = journal(problem);
    if (!database)
        return nullptr;
    jobs::JobService::Config config;
    config.bundlesRoot = m_paths.dataDir + QStringLiteral("/runs");
    config.environment = skyEnvironment();
    config.role = role;
    // Test and headless tuning without a settings key: VIBEML_POLL_SECONDS scales every interval.
    if (const int seconds = qEnvironmentVariableIntValue("VIBEML_POLL_SECONDS"); seconds > 0) {
        using namespace std::chrono;
        config.timings.fast = seconds * 1s;
        config.timings.steady = seconds * 1s;
        config.timings.idle = seconds * 2s;
        config.timings.maxBackoff = seconds * 8s;
        config.timings.observe = std::min(config.timings.observe, milliseconds(seconds * 1000));
        config.timings.leaseTtl = std::max(seconds * 6s, 3s);
        config.timings.reconcile.launchGrace = std::max(seconds * 10s, 5s);
    }
    m_jobService = std::make_unique<jobs::JobService>(*database, m_clock, &catalog(), config);
    m_jobService->monitor().setWarnFraction(cost::BudgetLimits::fromSettings(*m_settings).warnFraction);
    QObject::connect(m_settings.get(), &Settings::changed, m_jobService.get(), [this](SettingKey key) {
        if (key == SettingKey::SkyExecutable || key == SettingKey::SkyApiServer)
            m_jobService->setEnvironment(skyEnvironment());
        if (key == SettingKey::BudgetWarnFraction)
            m_jobService->monitor().setWarnFraction(cost::BudgetLimits::fromSettings(*m_settings).warnFraction);
    });
    return m_jobService.get();
}

std::optional<double> Application::monthSpentUsd()
{
    if (jobs::JobService *service = jobService(QStringLiteral("cli"), nullptr))
        return service->monthSpentUsd();
    return std::nullopt;
}

void Application::applyHubEndpoints()
{
    const hub::HubEndpoints endpoints =
        hub::resolveEndpoints(m_settings->text(SettingKey::HubEndpoint), m_settings->text(SettingKey::ViewerEndpoint));
    m_hubTransport->setEndpoints(endpoints);
    log::hub()->info("Hub at {} ({}), dataset viewer at {} ({}){}", endpoints.hub, endpoints.hubSource, endpoints.viewer,
                     endpoints.viewerSource, endpoints.offline ? QStringLiteral(", offline (HF_HUB_OFFLINE)") : QString());
}

int Application::runGui()
{
    // Before logging starts: a second launch only brings the first window forward and leaves.
    SingleInstance instance(SingleInstance::serverNameFor(m_paths.configDir));
    const SingleInstance::Role role = instance.claim();
    if (role == SingleInstance::Role::Secondary)
        return ExitOk;
    startServices(QStringLiteral("vibeml.log"), false);
    if (role != SingleInstance::Role::Primary)
        log::app()->warn("Opening a window anyway: {}", instance.errorString());
    QGuiApplication::setApplicationDisplayName(QLatin1String(kDisplayName));
    // Wayland matches windows to io.github.vibeml.VibeML.desktop (icon, name) by this id.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.vibeml.VibeML"));

    startHub();
    // Before the first widget: it asks the style for images and measures its text.
    DeferredImageStyle::install();
    useUnshapedText();
    MainWindow window(MainWindow::Services{*m_settings, *m_secrets, m_logging->bus(), m_paths.logDir(), m_hubClient.get(),
                                           &m_hubSnapshot, [this]() -> const catalog::Catalog & { return catalog(); },
                                           [this] { return monthSpentUsd(); }, [this] { return skyEnvironment(); },
                                           [this](QString *problem) { return jobService(QStringLiteral("window"), problem); }});
    followDesktopFont(&window);
    window.showSettingsReport(m_settingsReport);
    m_settings->watchForExternalChanges();
    window.show();
    // The network module, the keychain (D-Bus and libsecret) and the icon (SVG) are not needed
    // for the first frame; Hub requests wait for the network, the tray entry follows the icon.
    runAfterFirstPaint(&window, [this] {
        attachNetwork();
        QGuiApplication::setWindowIcon(QIcon(QStringLiteral(":/vibeml/icons/vibeml.svg")));
        hub::resolveHubToken(*m_secrets, m_hubClient.get(), [this](const hub::ResolvedToken &token, const QString &note) {
            if (!note.isEmpty())
                log::hub()->warn("{}", note);
            m_hubClient->setToken(token);
        });
    });
    // Until the socket listens, a second launch waits on the single-instance lock; it then knocks.
    if (role == SingleInstance::Role::Primary) {
        runAfterFirstPaint(&window, [&instance] {
            if (!instance.listen())
                log::app()->warn("Another launch will open a second window: {}", instance.errorString());
        });
    }
    QObject::connect(&instance, &SingleInstance::activationRequested, &window, [&window] { bringToFront(window); });
    return QApplication::exec();
}

std::unique_ptr<CliContext> Application::commandContext(QTextStream &out, QTextStream &err)
{
    auto context = std::unique_ptr<CliContext>(new CliContext{*m_settings, *m_secrets, out, err, &terminal::readLine,
                                                              terminal::stdinIsTerminal(), m_hubClient.get(), {},
                                                              [this]() -> const catalog::Catalog & { return catalog(); },
                                                              [this] { return monthSpentUsd(); }, QString(), {}, {},
                                                              QStringLiteral("cli"), false, {}});
    CliContext *raw = context.get();
    raw->prepareHub = [this, raw](std::function<void()> ready) {
        hub::resolveHubToken(*m_secrets, m_hubClient.get(), [this, raw, ready](const hub::ResolvedToken &token, const QString &note) {
            if (token.isEmpty() && !note.isEmpty())
                raw->err << note << '\n' << Qt::flush;
            m_hubClient->setToken(token);
            raw->hubToken = token.token;
            ready();
        });
    };
    raw->jobs = [this](const QString &role, QString *problem) { return jobService(role, problem); };
    raw->recoverJournal = [this] { return recoverJournal(); };
    raw->spawn = [this](QTextStream &childOut, QTextStream &childErr) { return commandContext(childOut, childErr); };
    return context;
}

int Application::runCommand()
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    const CommandLine commandLine;
    if (const std::optional<int> answered = commandLine.answerWithoutServices(m_options.commandArguments, out, err))
        return *answered;

    const bool mcp = m_options.commandArguments.value(0) == QLatin1String("mcp");
    startServices(mcp ? QStringLiteral("vibeml-mcp.log") : QStringLiteral("vibeml-cli.log"), true);
    if (m_settingsReport.hasProblems())
        err << m_settingsReport.summary() << '\n' << Qt::flush;

    startHub();
    attachNetwork();
    const std::unique_ptr<CliContext> context = commandContext(out, err);
    std::optional<int> exitCode;
    commandLine.run(m_options.commandArguments, *context, [&exitCode](int code) {
        if (exitCode)
            return;
        exitCode = code;
        QCoreApplication::exit(code);
    });
    if (!exitCode)
        QCoreApplication::exec();
    out.flush();
    err.flush();
    return exitCode.value_or(ExitFailure);
}

} // namespace vibeml
