#pragma once

#include "config/SettingsSchema.h"

#include <QStringList>

namespace vibeml {

class Settings;

// The last picks of the model and dataset pickers, newest first, kept in a hidden setting
// (ui.recent-models, ui.recent-datasets) so they survive restarts and follow the settings file.
namespace recentpicks {

inline constexpr int kKept = 10;

QStringList load(const Settings &settings, SettingKey key);
// Puts `id` first, drops duplicates and anything beyond kKept; failures to save are ignored
// (recent picks are a convenience).
QStringList remember(Settings &settings, SettingKey key, const QString &id);

} // namespace recentpicks
} // namespace vibeml
