#include "hub/HttpHeaders.h"

#include <QRegularExpression>

namespace vibeml::hub {
namespace {

// Reads `key=value` integers from a `;`-separated list, tolerating whitespace around both.
std::optional<int> integerParameter(const QString &text, QChar key)
{
    const QRegularExpression pattern(QStringLiteral("(?:^|;)\\s*%1\\s*=\\s*(\\d{1,9})\\s*(?:;|$)").arg(key));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    return match.captured(1).toInt();
}

QString quotedName(const QString &text, qsizetype startAt = 0)
{
    const qsizetype open = text.indexOf(QLatin1Char('"'), startAt);
    const qsizetype close = open < 0 ? -1 : text.indexOf(QLatin1Char('"'), open + 1);
    return close < 0 ? QString() : text.mid(open + 1, close - open - 1);
}

} // namespace

QByteArray headerValue(const RawHeaders &headers, const QByteArray &name)
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

std::optional<RateLimitReading> parseRateLimit(const RawHeaders &headers)
{
    const QString limit = QString::fromLatin1(headerValue(headers, "RateLimit"));
    if (limit.isEmpty())
        return std::nullopt;
    RateLimitReading reading;
    reading.bucket = quotedName(limit);
    reading.remaining = integerParameter(limit, QLatin1Char('r')).value_or(-1);
    reading.resetSeconds = integerParameter(limit, QLatin1Char('t')).value_or(-1);
    if (reading.remaining < 0 && reading.resetSeconds < 0)
        return std::nullopt;

    // The policy names its type first ("fixed window"), then the bucket.
    const QString policy = QString::fromLatin1(headerValue(headers, "RateLimit-Policy"));
    if (!policy.isEmpty()) {
        reading.quota = integerParameter(policy, QLatin1Char('q')).value_or(-1);
        reading.windowSeconds = integerParameter(policy, QLatin1Char('w')).value_or(-1);
    }
    return reading;
}

QUrl nextPageUrl(const QByteArray &linkHeader, const QUrl &endpoint)
{
    // Entries are separated by commas outside <…>; each is `<url>; rel="next"; …`.
    const QString text = QString::fromLatin1(linkHeader);
    qsizetype position = 0;
    while (position < text.size()) {
        const qsizetype open = text.indexOf(QLatin1Char('<'), position);
        const qsizetype close = open < 0 ? -1 : text.indexOf(QLatin1Char('>'), open + 1);
        if (close < 0)
            return {};
        const qsizetype entryEnd = text.indexOf(QLatin1Char(','), close);
        const QString parameters = text.mid(close + 1, (entryEnd < 0 ? text.size() : entryEnd) - close - 1);
        static const QRegularExpression relNext(QStringLiteral("(?:^|;)\\s*rel\\s*=\\s*\"?([^\";]*)\"?"),
                                                QRegularExpression::CaseInsensitiveOption);
        const QRegularExpressionMatch rel = relNext.match(parameters);
        if (rel.hasMatch() && rel.captured(1).split(QLatin1Char(' ')).contains(QStringLiteral("next"))) {
            const QUrl target(text.mid(open + 1, close - open - 1), QUrl::StrictMode);
            if (!target.isValid())
                return {};
            QUrl rebased = endpoint;
            // Keep any path prefix of the endpoint (mirrors under a sub-path).
            QString prefix = endpoint.path();
            while (prefix.endsWith(QLatin1Char('/')))
                prefix.chop(1);
            const QString targetPath = target.path(QUrl::FullyEncoded);
            const bool alreadyPrefixed = !prefix.isEmpty() && targetPath.startsWith(prefix + QLatin1Char('/'));
            rebased.setPath(alreadyPrefixed ? targetPath : prefix + targetPath, QUrl::TolerantMode);
            rebased.setQuery(target.query(QUrl::FullyEncoded), QUrl::TolerantMode);
            rebased.setFragment({});
            return rebased;
        }
        if (entryEnd < 0)
            break;
        position = entryEnd + 1;
    }
    return {};
}

std::optional<int> parseRetryAfter(const RawHeaders &headers)
{
    bool ok = false;
    const int seconds = headerValue(headers, "Retry-After").trimmed().toInt(&ok);
    if (!ok || seconds < 0 || seconds > 24 * 3600)
        return std::nullopt;
    return seconds;
}

} // namespace vibeml::hub
