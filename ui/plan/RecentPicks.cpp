#include "plan/RecentPicks.h"

#include "config/Settings.h"

namespace vibeml::recentpicks {

QStringList load(const Settings &settings, SettingKey key)
{
    return settings.text(key).split(QLatin1Char(','), Qt::SkipEmptyParts);
}

QStringList remember(Settings &settings, SettingKey key, const QString &id)
{
    QStringList ids = load(settings, key);
    ids.removeAll(id);
    ids.prepend(id);
    while (ids.size() > kKept)
        ids.removeLast();
    const Status saved = settings.set(key, ids.join(QLatin1Char(',')));
    Q_UNUSED(saved)
    return ids;
}

} // namespace vibeml::recentpicks
