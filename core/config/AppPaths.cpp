#include "config/AppPaths.h"

#include <QDir>
#include <QStandardPaths>

namespace vibeml {
namespace {

const QString kAppDir = QStringLiteral("/vibeml");

QString xdgOrDefault(const char *variable, const QString &fallbackUnderHome)
{
    const QString fromEnv = qEnvironmentVariable(variable);
    // The spec says relative paths are invalid and must be ignored.
    if (!fromEnv.isEmpty() && QDir::isAbsolutePath(fromEnv))
        return QDir::cleanPath(fromEnv);
    return QDir::homePath() + fallbackUnderHome;
}

} // namespace

AppPaths AppPaths::fromEnvironment()
{
    AppPaths paths;
    paths.configDir = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + kAppDir;
    paths.dataDir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + kAppDir;
    paths.cacheDir = QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + kAppDir;
    // Qt 6.4 has no state location; XDG_STATE_HOME defaults to ~/.local/state.
    paths.stateDir = xdgOrDefault("XDG_STATE_HOME", QStringLiteral("/.local/state")) + kAppDir;
    return paths;
}

AppPaths AppPaths::underRoot(const QString &root)
{
    const QString base = QDir::cleanPath(root);
    return AppPaths{base + QStringLiteral("/config") + kAppDir, base + QStringLiteral("/data") + kAppDir,
                    base + QStringLiteral("/cache") + kAppDir, base + QStringLiteral("/state") + kAppDir};
}

QString AppPaths::settingsFile() const
{
    return configDir + QStringLiteral("/settings.json");
}

QString AppPaths::logDir() const
{
    return stateDir + QStringLiteral("/logs");
}

} // namespace vibeml
