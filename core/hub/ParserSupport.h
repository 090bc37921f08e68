#pragma once

#include "hub/HubParsers.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QLatin1String>

#include <optional>

// Internal to HubParsers.cpp and DatasetParsers.cpp: reading JSON from an untrusted server where
// every field may be missing or of the wrong type. Nothing outside core/hub should include this.
namespace vibeml::hub::detail {

// Real responses nest at most a handful of levels plus the feature types; cardData features take
// up to two JSON levels per feature level, hence the slack over kMaxFeatureDepth.
inline constexpr int kMaxJsonDepth = 4 * kMaxFeatureDepth;
// Every count the Hub sends is below 2^53; anything larger cannot have come from its JavaScript.
inline constexpr qint64 kMaxExactInteger = (qint64(1) << 53) - 1;

// `what` names the document for messages, e.g. u"model info".
Result<QJsonObject, ParseError> readObject(const QByteArray &body, QLatin1String what);
Result<QJsonArray, ParseError> readArray(const QByteArray &body, QLatin1String what);

// A server error body ({"error": "…"}) in place of the document: a ParseError that quotes it.
std::optional<ParseError> errorBody(const QJsonObject &object, QLatin1String requiredKey, QLatin1String what);
ParseError missingKey(QLatin1String key, QLatin1String what);

inline QJsonValue field(const QJsonObject &object, const char *key)
{
    return object.value(QLatin1String(key));
}
inline QString text(const QJsonObject &object, const char *key)
{
    return field(object, key).toString();
}
inline bool flag(const QJsonObject &object, const char *key, bool fallback = false)
{
    return field(object, key).toBool(fallback);
}
inline QJsonObject child(const QJsonObject &object, const char *key)
{
    return field(object, key).toObject();
}

// A whole number in [0, 2^53); anything else (text, fractions, negatives, null) is absent.
std::optional<qint64> count(const QJsonValue &value);
inline qint64 countOr0(const QJsonValue &value)
{
    return count(value).value_or(0);
}
// A string, or the strings in an array (other elements skipped).
QStringList strings(const QJsonValue &value);
// ISO 8601 with milliseconds ("2024-09-25T17:00:57.000Z"); invalid QDateTime otherwise.
QDateTime isoDate(const QJsonValue &value);
// false | "auto" | "manual"; other strings and `true` are Manual (the safe side); other types absent.
std::optional<GatedMode> gatedMode(const QJsonValue &value);
// cardData.license (string or list), else the `license:<id>` tags.
QStringList licenses(const QJsonObject &cardData, const QStringList &tags);
// {parameters: {dtype: count}, total}; absent when neither is usable.
std::optional<SafetensorsInfo> safetensors(const QJsonValue &value);
// [{rfilename, size?, lfs?{size}}]; entries without a name are skipped.
QList<RepoFile> siblings(const QJsonValue &value);

} // namespace vibeml::hub::detail
