#include "hub/HubCache.h"

#include "config/PrivateFiles.h"
#include "log/Logging.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace vibeml::hub {
namespace {

constexpr int kFormatVersion = 1;
constexpr int kPruneEvery = 50;

} // namespace

HubCache::HubCache(QString directory, qint64 maxBytes) : m_directory(std::move(directory)), m_maxBytes(maxBytes) {}

QString HubCache::tokenFingerprint(const QString &token)
{
    if (token.isEmpty())
        return QStringLiteral("anonymous");
    return QString::fromLatin1(QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256).toHex().left(16));
}

QString HubCache::keyFor(const QByteArray &method, const QUrl &url, const QString &token)
{
    const QByteArray material = method + ' ' + url.toEncoded() + ' ' + tokenFingerprint(token).toLatin1();
    return QString::fromLatin1(QCryptographicHash::hash(material, QCryptographicHash::Sha256).toHex());
}

std::optional<HubCache::Entry> HubCache::lookup(const QString &key) const
{
    const QString base = m_directory + QLatin1Char('/') + key;
    QFile metaFile(base + QStringLiteral(".meta"));
    QFile bodyFile(base + QStringLiteral(".body"));
    if (!metaFile.open(QIODevice::ReadOnly) || !bodyFile.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonObject meta = QJsonDocument::fromJson(metaFile.read(64 * 1024)).object();
    if (meta.value(QStringLiteral("format")).toInt() != kFormatVersion)
        return std::nullopt;
    Entry entry;
    entry.body = bodyFile.readAll();
    // A body that does not match its record was cut short (crash, full disk): ignore it.
    if (entry.body.size() != meta.value(QStringLiteral("bytes")).toInteger(-1))
        return std::nullopt;
    entry.fetchedAt = QDateTime::fromString(meta.value(QStringLiteral("fetchedAt")).toString(), Qt::ISODateWithMs);
    if (!entry.fetchedAt.isValid())
        return std::nullopt;
    const QJsonArray headers = meta.value(QStringLiteral("headers")).toArray();
    for (const QJsonValue &header : headers) {
        const QJsonArray pair = header.toArray();
        if (pair.size() == 2)
            entry.headers.append({pair.at(0).toString().toLatin1(), pair.at(1).toString().toLatin1()});
    }
    return entry;
}

void HubCache::store(const QString &key, const QByteArray &body, const RawHeaders &headers)
{
    const QString base = m_directory + QLatin1Char('/') + key;
    QJsonArray kept;
    for (const auto &[name, value] : headers) {
        if (name.compare("Link", Qt::CaseInsensitive) == 0)
            kept.append(QJsonArray{QString::fromLatin1(name), QString::fromLatin1(value)});
    }
    const QJsonObject meta{{QStringLiteral("format"), kFormatVersion},
                           {QStringLiteral("bytes"), body.size()},
                           {QStringLiteral("fetchedAt"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
                           {QStringLiteral("headers"), kept}};
    // Body first: a crash between the two writes leaves a body without a matching record.
    Status written = privatefiles::write(base + QStringLiteral(".body"), body);
    if (written)
        written = privatefiles::write(base + QStringLiteral(".meta"), QJsonDocument(meta).toJson(QJsonDocument::Compact));
    if (!written)
        log::hub()->warn("Cache: {}", written.message());
    if (++m_storesSincePrune >= kPruneEvery) {
        m_storesSincePrune = 0;
        prune();
    }
}

void HubCache::clear()
{
    QDir(m_directory).removeRecursively();
}

void HubCache::prune()
{
    QDir dir(m_directory);
    QFileInfoList files = dir.entryInfoList({QStringLiteral("*.body")}, QDir::Files, QDir::Time | QDir::Reversed);
    qint64 total = 0;
    for (const QFileInfo &file : std::as_const(files))
        total += file.size();
    for (const QFileInfo &file : std::as_const(files)) {
        if (total <= m_maxBytes)
            break;
        total -= file.size();
        const QString base = file.absolutePath() + QLatin1Char('/') + file.completeBaseName();
        QFile::remove(base + QStringLiteral(".meta"));
        QFile::remove(file.absoluteFilePath());
    }
}

} // namespace vibeml::hub
