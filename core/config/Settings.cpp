#include "config/Settings.h"

#include "config/PrivateFiles.h"
#include "config/SettingsMigrations.h"
#include "log/Logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QJsonDocument>
#include <QLockFile>
#include <QTimer>

#include <utility>

namespace vibeml {
namespace {

constexpr qint64 kMaxFileBytes = 1024 * 1024;
constexpr int kLockWaitMs = 500;
const QString kVersionField = QStringLiteral("version");
const QString kSettingsField = QStringLiteral("settings");

QList<SettingKey> userVisibleKeys()
{
    QList<SettingKey> keys;
    for (const SettingDefinition &def : settingsschema::definitions()) {
        if (def.userVisible)
            keys.append(def.key);
    }
    return keys;
}

} // namespace

struct Settings::FileContents
{
    bool readable = true;     // false: keep what is in memory, do not overwrite the file
    bool needsRewrite = false;
    QHash<SettingKey, QVariant> values;
    QJsonObject unknownSettings;
    QJsonObject otherFields;
    int version = settingsschema::kCurrentVersion;
};

QString SettingsLoadReport::summary() const
{
    QStringList lines = problems;
    if (!resetKeys.isEmpty()) {
        QStringList names;
        for (SettingKey key : resetKeys)
            names.append(settingsschema::name(key));
        lines.append(Settings::tr("Reset to defaults: %1.").arg(names.join(QStringLiteral(", "))));
    }
    if (!backupPath.isEmpty())
        lines.append(Settings::tr("The previous file is kept at %1.").arg(QDir::toNativeSeparators(backupPath)));
    return lines.join(QLatin1Char('\n'));
}

Settings::Settings(QString filePath, QObject *parent)
    : QObject(parent), m_filePath(std::move(filePath))
{
}

Settings::FileContents Settings::readFile(SettingsLoadReport &report) const
{
    FileContents contents;
    QFile file(m_filePath);
    if (!file.exists())
        return contents;
    const QString shownPath = QDir::toNativeSeparators(m_filePath);
    if (!file.open(QIODevice::ReadOnly)) {
        report.problems.append(tr("Could not read %1 (%2). VibeML uses default settings and leaves the file alone; "
                                  "fix its permissions and restart.")
                                   .arg(shownPath, file.errorString()));
        contents.readable = false;
        return contents;
    }
    const QByteArray data = file.read(kMaxFileBytes + 1);
    file.close();

    const auto keepBackup = [&](const QString &suffix) {
        if (report.backupPath.isEmpty())
            report.backupPath = privatefiles::backup(m_filePath, suffix);
    };
    const auto resetEverything = [&](const QString &why) {
        keepBackup(QStringLiteral("bak"));
        report.problems.append(tr("%1 is damaged (%2), so all settings were reset to their defaults.").arg(shownPath, why));
        report.resetKeys = userVisibleKeys();
        contents.needsRewrite = true;
    };

    if (data.size() > kMaxFileBytes) {
        resetEverything(tr("it is larger than 1 MB"));
        return contents;
    }
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(data, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        resetEverything(tr("%1 at byte %2").arg(parseError.errorString()).arg(parseError.offset));
        return contents;
    }
    if (!document.isObject()) {
        resetEverything(tr("it does not hold a JSON object"));
        return contents;
    }

    QJsonObject root = document.object();
    int version = settingsmigrations::versionOf(root);
    if (version < 0) {
        keepBackup(QStringLiteral("bak"));
        report.problems.append(tr("%1 has an invalid \"version\"; it was read as version %2.")
                                   .arg(shownPath)
                                   .arg(settingsschema::kCurrentVersion));
        version = settingsschema::kCurrentVersion;
        contents.needsRewrite = true;
    } else if (version < settingsschema::kCurrentVersion) {
        keepBackup(QStringLiteral("v%1.bak").arg(version));
        root = settingsmigrations::upgrade(std::move(root), version);
        report.migratedFromVersion = version;
        contents.needsRewrite = true;
    }
    contents.version = std::max(version, settingsschema::kCurrentVersion);

    const QJsonValue settingsValue = root.take(kSettingsField);
    root.remove(kVersionField);
    contents.otherFields = root;
    if (!settingsValue.isObject() && !settingsValue.isUndefined()) {
        resetEverything(tr("\"settings\" is not a JSON object"));
        return contents;
    }

    const QJsonObject stored = settingsValue.toObject();
    for (auto it = stored.begin(); it != stored.end(); ++it) {
        const std::optional<SettingKey> key = settingsschema::keyFromName(it.key());
        if (!key) {
            contents.unknownSettings.insert(it.key(), it.value());
            continue;
        }
        SettingValidation checked = settingsschema::fromJson(*key, it.value());
        if (checked.isOk()) {
            contents.values.insert(*key, checked.value);
            continue;
        }
        keepBackup(QStringLiteral("bak"));
        report.resetKeys.append(*key);
        const QString defaultText = settingsschema::toText(*key, settingsschema::definition(*key).defaultValue);
        report.problems.append(tr("%1 It was reset to its default (%2).")
                                   .arg(checked.error, defaultText.isEmpty() ? tr("empty") : defaultText));
        contents.needsRewrite = true;
    }
    return contents;
}

void Settings::adopt(const FileContents &contents)
{
    QList<SettingKey> changedKeys;
    for (const SettingDefinition &def : settingsschema::definitions()) {
        if (value(def.key) != contents.values.value(def.key, def.defaultValue))
            changedKeys.append(def.key);
    }
    m_values = contents.values;
    m_unknown = contents.unknownSettings;
    m_otherFields = contents.otherFields;
    m_fileVersion = contents.version;
    for (SettingKey key : std::as_const(changedKeys))
        Q_EMIT changed(key);
}

SettingsLoadReport Settings::load()
{
    SettingsLoadReport report;
    const FileContents contents = readFile(report);
    if (contents.readable) {
        adopt(contents);
        if (contents.needsRewrite) {
            if (const Status saved = writeFile(); !saved)
                report.problems.append(saved.message());
        }
    }
    if (report.hasProblems())
        log::app()->warn("Settings: {}", report.summary());
    else if (report.migratedFromVersion >= 0)
        log::app()->info("Settings migrated from version {}; backup at {}", report.migratedFromVersion,
                         report.backupPath);
    m_lastReport = report;
    return report;
}

QVariant Settings::value(SettingKey key) const
{
    return m_values.value(key, settingsschema::definition(key).defaultValue);
}

Status Settings::set(SettingKey key, const QVariant &newValue)
{
    SettingValidation checked = settingsschema::validate(key, newValue);
    if (!checked.isOk())
        return Status::failure(checked.error);
    return apply(key, checked.value);
}

Status Settings::setFromText(SettingKey key, const QString &text)
{
    SettingValidation checked = settingsschema::parse(key, text);
    if (!checked.isOk())
        return Status::failure(checked.error);
    return apply(key, checked.value);
}

Status Settings::reset(SettingKey key)
{
    return apply(key, std::nullopt);
}

Status Settings::apply(SettingKey key, const std::optional<QVariant> &newValue)
{
    const QString directory = QFileInfo(m_filePath).absolutePath();
    if (const Status dirStatus = privatefiles::ensureDirectory(directory); !dirStatus)
        log::app()->warn("Settings: {}", dirStatus.message());

    // Re-read under the lock so a change made by another VibeML process is not overwritten.
    QLockFile lock(m_filePath + QStringLiteral(".lock"));
    lock.setStaleLockTime(10'000);
    const bool locked = lock.tryLock(kLockWaitMs);
    if (locked) {
        SettingsLoadReport report;
        const FileContents contents = readFile(report);
        if (report.hasProblems())
            log::app()->warn("Settings: {}", report.summary());
        if (contents.readable)
            adopt(contents);
    } else {
        log::app()->warn("Settings: {} is locked by another process; writing without merging", m_filePath);
    }

    const QVariant before = value(key);
    if (newValue)
        m_values.insert(key, *newValue);
    else
        m_values.remove(key);
    if (value(key) != before)
        Q_EMIT changed(key);
    return writeFile();
}

Status Settings::writeFile() const
{
    QJsonObject root = m_otherFields;
    QJsonObject stored = m_unknown;
    for (auto it = m_values.cbegin(); it != m_values.cend(); ++it)
        stored.insert(settingsschema::name(it.key()), settingsschema::toJson(it.key(), it.value()));
    root.insert(kVersionField, m_fileVersion);
    root.insert(kSettingsField, stored);
    return privatefiles::write(m_filePath, QJsonDocument(root).toJson(QJsonDocument::Indented));
}

void Settings::watchForExternalChanges()
{
    if (m_watcher)
        return;
    m_watcher = new QFileSystemWatcher(this);
    // Atomic saves replace the file, so watch the directory as well as the file.
    m_watcher->addPath(QFileInfo(m_filePath).absolutePath());
    if (QFileInfo::exists(m_filePath))
        m_watcher->addPath(m_filePath);
    auto *debounce = new QTimer(this);
    debounce->setSingleShot(true);
    debounce->setInterval(150);
    connect(debounce, &QTimer::timeout, this, [this] {
        SettingsLoadReport report;
        const FileContents contents = readFile(report);
        if (report.hasProblems())
            log::app()->warn("Settings changed on disk: {}", report.summary());
        if (contents.readable)
            adopt(contents);
        if (QFileInfo::exists(m_filePath) && !m_watcher->files().contains(m_filePath))
            m_watcher->addPath(m_filePath);
    });
    const auto schedule = [debounce] { debounce->start(); };
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, debounce, schedule);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, debounce, schedule);
}

} // namespace vibeml
