#pragma once

#include "hub/HttpHeaders.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QUrl>

#include <optional>

namespace vibeml::hub {

// Successful Hub answers on disk (XDG cache dir), keyed by URL and by which token asked — the
// token itself is never written, only a fingerprint. Each entry remembers when it was fetched
// so callers can decide freshness and label offline answers with their age.
class HubCache
{
public:
    struct Entry
    {
        QByteArray body;
        RawHeaders headers; // only the ones worth keeping (Link)
        QDateTime fetchedAt;
    };

    explicit HubCache(QString directory, qint64 maxBytes = 256LL * 1024 * 1024);

    std::optional<Entry> lookup(const QString &key) const;
    void store(const QString &key, const QByteArray &body, const RawHeaders &headers);
    void clear();

    // Keeps the directory under maxBytes by removing the least recently fetched entries.
    void prune();

    QString directory() const { return m_directory; }

    static QString keyFor(const QByteArray &method, const QUrl &url, const QString &token);
    static QString tokenFingerprint(const QString &token);

private:
    QString m_directory;
    qint64 m_maxBytes;
    int m_storesSincePrune = 0;
};

} // namespace vibeml::hub
