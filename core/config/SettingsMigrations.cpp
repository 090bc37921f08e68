#include "config/SettingsMigrations.h"

#include "config/SettingsSchema.h"

#include <QJsonValue>

#include <cmath>
#include <utility>

namespace vibeml::settingsmigrations {
namespace {

// Version 0: the flat preference names of the Python tool VibeML replaces ("default_gpu",
// "use_spot", ...), all at the top level. Version 1 nests VibeML's own names under "settings".
QJsonObject upgradeFrom0(const QJsonObject &flat)
{
    static const std::pair<const char *, const char *> renamed[] = {
        {"default_region", "launch.region"},
        {"default_gpu", "launch.gpu"},
        {"idle_minutes", "cluster.idle-minutes"},
        {"idle_timeout_minutes", "cluster.idle-minutes"},
        {"per_job_budget", "budget.per-job-usd"},
        {"monthly_budget", "budget.monthly-usd"},
        {"approval_threshold", "budget.approval-threshold-usd"},
        {"warn_at_fraction", "budget.warn-fraction"},
        {"hub_endpoint", "hub.endpoint"},
    };
    QJsonObject settings;
    for (auto it = flat.begin(); it != flat.end(); ++it) {
        const QString &oldName = it.key();
        QString newName = oldName;
        QJsonValue value = it.value();
        for (const auto &[from, to] : renamed) {
            if (oldName == QLatin1String(from))
                newName = QLatin1String(to);
        }
        if (oldName == QLatin1String("use_spot") && value.isBool()) {
            newName = QStringLiteral("launch.spot");
            value = value.toBool() ? QStringLiteral("prefer-spot") : QStringLiteral("on-demand");
        }
        settings.insert(newName, value);
    }
    return QJsonObject{{QStringLiteral("version"), 1}, {QStringLiteral("settings"), settings}};
}

// Version 2 renamed the teardown policies after the job-lifecycle work: every old value kept
// the cluster's fate the same or made it safer.
QJsonObject upgradeFrom1(QJsonObject root)
{
    static const std::pair<const char *, const char *> renamed[] = {
        {"down-when-finished", "down"},
        {"down-when-idle", "keep-minutes"},
        {"stop-when-idle", "keep-stopped"},
    };
    root.insert(QStringLiteral("version"), 2);
    if (!root.value(QStringLiteral("settings")).isObject())
        return root; // damaged: the loader reports it as it stands
    QJsonObject settings = root.value(QStringLiteral("settings")).toObject();
    const QString teardown = settings.value(QStringLiteral("cluster.teardown")).toString();
    for (const auto &[from, to] : renamed) {
        if (teardown == QLatin1String(from))
            settings.insert(QStringLiteral("cluster.teardown"), QLatin1String(to));
    }
    root.insert(QStringLiteral("settings"), settings);
    return root;
}

} // namespace

int versionOf(const QJsonObject &root)
{
    const QJsonValue version = root.value(QStringLiteral("version"));
    if (version.isUndefined())
        return 0;
    const double number = version.toDouble(-1);
    if (!version.isDouble() || number < 0 || std::trunc(number) != number || number > 1'000'000)
        return -1;
    return static_cast<int>(number);
}

QJsonObject upgrade(QJsonObject root, int fromVersion)
{
    for (int version = fromVersion; version < settingsschema::kCurrentVersion; ++version) {
        switch (version) {
        case 0:
            root = upgradeFrom0(root);
            break;
        case 1:
            root = upgradeFrom1(root);
            break;
        default:
            break;
        }
    }
    return root;
}

} // namespace vibeml::settingsmigrations
