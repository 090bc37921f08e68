#pragma once

#include "common/Result.h"
#include "config/SettingsSchema.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QVariant>

class QFileSystemWatcher;

namespace vibeml {

// What happened while reading the settings file, for the user to see once.
struct SettingsLoadReport
{
    QList<SettingKey> resetKeys; // stored values that were invalid and now use defaults
    QStringList problems;        // one sentence each, saying what happened and what to do
    QString backupPath;          // the file as it was before VibeML rewrote it
    int migratedFromVersion = -1;

    bool hasProblems() const { return !problems.isEmpty(); }
    QString summary() const;
};

// The typed settings registry, persisted as JSON in the XDG config dir. Reads go to memory;
// each change re-reads the file under a lock, applies itself and writes the file atomically,
// so the GUI, the CLI and the MCP server can change settings at the same time without losing
// one another's edits.
class Settings : public QObject
{
    Q_OBJECT

public:
    explicit Settings(QString filePath, QObject *parent = nullptr);

    SettingsLoadReport load();
    const SettingsLoadReport &lastLoadReport() const { return m_lastReport; }

    QVariant value(SettingKey key) const;
    int integer(SettingKey key) const { return value(key).toInt(); }
    double decimal(SettingKey key) const { return value(key).toDouble(); }
    QString text(SettingKey key) const { return value(key).toString(); }
    QByteArray bytes(SettingKey key) const { return value(key).toByteArray(); }
    bool isDefault(SettingKey key) const { return !m_values.contains(key); }

    // Validates, applies and saves. A refused value changes nothing; a failed save keeps the
    // value for this session and says why it could not be stored.
    Status set(SettingKey key, const QVariant &value);
    Status setFromText(SettingKey key, const QString &text);
    Status reset(SettingKey key);

    // Picks up changes other VibeML processes make to the file, emitting changed() for each.
    void watchForExternalChanges();

    QString filePath() const { return m_filePath; }

Q_SIGNALS:
    void changed(vibeml::SettingKey key);

private:
    struct FileContents;
    FileContents readFile(SettingsLoadReport &report) const;
    void adopt(const FileContents &contents);
    Status apply(SettingKey key, const std::optional<QVariant> &value);
    Status writeFile() const;

    QString m_filePath;
    QHash<SettingKey, QVariant> m_values; // only keys that differ from their defaults
    QJsonObject m_unknown;                // names from newer releases, kept as they are
    QJsonObject m_otherFields;            // top-level fields besides version and settings
    int m_fileVersion = settingsschema::kCurrentVersion;
    SettingsLoadReport m_lastReport;
    QFileSystemWatcher *m_watcher = nullptr;
};

} // namespace vibeml
