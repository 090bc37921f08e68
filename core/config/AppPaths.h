#pragma once

#include <QString>

namespace vibeml {

// Where VibeML keeps its files, following the XDG base-directory spec (XDG_CONFIG_HOME,
// XDG_DATA_HOME, XDG_CACHE_HOME, XDG_STATE_HOME). Every directory ends in "/vibeml".
struct AppPaths
{
    QString configDir; // settings.json
    QString dataDir;   // journal, run bundles
    QString cacheDir;  // Hub responses, downloaded catalogs
    QString stateDir;  // logs

    static AppPaths fromEnvironment();
    // All four directories under one root; used by tests and portable set-ups.
    static AppPaths underRoot(const QString &root);

    QString settingsFile() const;
    QString logDir() const;
};

} // namespace vibeml
