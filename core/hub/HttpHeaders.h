#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

#include <optional>

// Pure helpers for the HTTP headers the Hub sends: RateLimit (IETF draft), Link pagination,
// Retry-After. Header names compare case-insensitively (HTTP/2 sends them lower-case).
namespace vibeml::hub {

using RawHeaders = QList<QPair<QByteArray, QByteArray>>;

QByteArray headerValue(const RawHeaders &headers, const QByteArray &name);

// `RateLimit: "api";r=499;t=295` plus `RateLimit-Policy: "fixed window";"api";q=500;w=300`.
struct RateLimitReading
{
    QString bucket;            // "api", "resolvers", "pages"
    int remaining = -1;        // r
    int resetSeconds = -1;     // t: seconds until the window resets
    int quota = -1;            // q from the policy
    int windowSeconds = -1;    // w from the policy
    bool exhausted() const { return remaining == 0; }
};
std::optional<RateLimitReading> parseRateLimit(const RawHeaders &headers);

// The `rel="next"` target of a Link header, re-based onto `endpoint` (keeps path and query,
// replaces scheme, host and port) so pagination never escapes a configured mirror.
QUrl nextPageUrl(const QByteArray &linkHeader, const QUrl &endpoint);

// Retry-After in seconds (only the numeric form), when present and sane.
std::optional<int> parseRetryAfter(const RawHeaders &headers);

} // namespace vibeml::hub
