#pragma once

#include <QByteArray>
#include <QDate>
#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

namespace vibeml::hub {

// Hub answers for a dozen popular models and datasets, compiled into VibeML so a fresh install
// can plan a run with no network. Always labelled as a snapshot with its date; never used to
// pin a revision for a launch.
class OfflineSnapshot
{
public:
    // Reads the manifest (default: the one compiled in); an empty snapshot if it is unusable.
    static OfflineSnapshot load(const QString &manifestPath = QStringLiteral(":/vibeml/hub-snapshot/manifest.json"));

    bool isEmpty() const { return m_files.isEmpty(); }
    QDate capturedOn() const { return m_capturedOn; }
    QString note() const { return m_note; }

    // The body for a request path relative to the Hub or viewer root, e.g.
    // "/api/models/Qwen/Qwen2.5-0.5B-Instruct" or "/Qwen/Qwen2.5-0.5B-Instruct/resolve/main/config.json".
    std::optional<QByteArray> body(const QString &path) const;

    QStringList modelIds() const { return m_modelIds; }
    QStringList datasetIds() const { return m_datasetIds; }

private:
    QString m_directory;
    QDate m_capturedOn;
    QString m_note;
    QHash<QString, QString> m_files; // request path -> file name
    QStringList m_modelIds;
    QStringList m_datasetIds;
};

} // namespace vibeml::hub
