#pragma once

#include <QJsonObject>

// Upgrades the settings file's JSON from any older layout to the current one, one version at
// a time, so a new release never misreads a file an older one wrote.
namespace vibeml::settingsmigrations {

// The file's layout version: 0 for the unversioned flat layout, -1 when "version" is not a
// non-negative whole number.
int versionOf(const QJsonObject &root);

// Applies every step from `fromVersion` up to settingsschema::kCurrentVersion. Keys a step
// does not understand are carried over unchanged.
QJsonObject upgrade(QJsonObject root, int fromVersion);

} // namespace vibeml::settingsmigrations
