#include "hub/OfflineSnapshot.h"

#include "log/Logging.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace vibeml::hub {

OfflineSnapshot OfflineSnapshot::load(const QString &manifestPath)
{
    OfflineSnapshot snapshot;
    QFile file(manifestPath);
    if (!file.open(QIODevice::ReadOnly)) {
        log::hub()->warn("Offline snapshot manifest {} is missing", manifestPath);
        return snapshot;
    }
    const QJsonObject manifest = QJsonDocument::fromJson(file.readAll()).object();
    snapshot.m_directory = QFileInfo(manifestPath).path();
    snapshot.m_capturedOn = QDate::fromString(manifest.value(QStringLiteral("capturedOn")).toString(), Qt::ISODate);
    snapshot.m_note = manifest.value(QStringLiteral("note")).toString();
    const QJsonObject files = manifest.value(QStringLiteral("files")).toObject();
    for (auto it = files.begin(); it != files.end(); ++it) {
        const QString path = it.key();
        snapshot.m_files.insert(path, it.value().toString());
        static const QString models = QStringLiteral("/api/models/");
        static const QString datasets = QStringLiteral("/api/datasets/");
        if (path.startsWith(models))
            snapshot.m_modelIds.append(path.mid(models.size()));
        else if (path.startsWith(datasets))
            snapshot.m_datasetIds.append(path.mid(datasets.size()));
    }
    snapshot.m_modelIds.sort();
    snapshot.m_datasetIds.sort();
    return snapshot;
}

std::optional<QByteArray> OfflineSnapshot::body(const QString &path) const
{
    const auto found = m_files.constFind(path);
    if (found == m_files.cend())
        return std::nullopt;
    QFile file(m_directory + QLatin1Char('/') + found.value());
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    return file.readAll();
}

} // namespace vibeml::hub
