#include "hub/ParserSupport.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <limits>

namespace vibeml::hub::detail {
namespace {

qsizetype firstNonSpace(const QByteArray &body)
{
    qsizetype i = 0;
    while (i < body.size() && (body.at(i) == ' ' || body.at(i) == '\t' || body.at(i) == '\n' || body.at(i) == '\r'))
        ++i;
    return i;
}

// Scans brackets outside strings without recursing, so a hostile [[[[… never reaches a recursive
// parser. Returns true when the text nests deeper than kMaxJsonDepth.
bool nestsTooDeep(const QByteArray &body)
{
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (const char c : body) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxJsonDepth)
                return true;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return false;
}

// Proxies, captive portals and redirects answer with prose; quote a little of it so the user can
// recognise the source, but never a whole page.
QString snippet(const QByteArray &body, qsizetype start)
{
    constexpr qsizetype kShown = 80;
    QString shown = QString::fromUtf8(body.mid(start, 4 * kShown)).simplified();
    for (QChar &c : shown) {
        if (!c.isPrint())
            c = QChar(u'?');
    }
    if (shown.size() > kShown)
        return QString(shown.left(kShown) + u'…');
    return shown;
}

QLatin1String typeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QLatin1String("null");
    case QJsonValue::Bool:
        return QLatin1String("a boolean");
    case QJsonValue::Double:
        return QLatin1String("a number");
    case QJsonValue::String:
        return QLatin1String("a string");
    case QJsonValue::Array:
        return QLatin1String("an array");
    case QJsonValue::Object:
        return QLatin1String("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QLatin1String("nothing");
}

ParseError wrongTopLevel(bool wantObject, QLatin1String got, QLatin1String what)
{
    return ParseError {
        QStringLiteral("expected %1 at the top level of the %2, got %3")
            .arg(wantObject ? QLatin1String("a JSON object") : QLatin1String("a JSON array"), what, got)};
}

Result<QJsonDocument, ParseError> readDocument(const QByteArray &body, bool wantObject, QLatin1String what)
{
    // Refused before parsing: QJsonDocument would hold several times the body in memory.
    if (body.size() > kMaxParsedBodyBytes) {
        return ParseError {QStringLiteral("the %1 is too large to read (%2 bytes; at most %3 are accepted)")
                               .arg(what)
                               .arg(body.size())
                               .arg(kMaxParsedBodyBytes)};
    }
    const qsizetype start = firstNonSpace(body);
    if (start == body.size())
        return ParseError {QStringLiteral("the %1 response is empty").arg(what)};
    const char first = body.at(start);
    if (first == '<') {
        return ParseError {
            QStringLiteral("the server sent a web page instead of the %1: \"%2\"").arg(what, snippet(body, start))};
    }
    if (nestsTooDeep(body)) {
        return ParseError {
            QStringLiteral("the %1 is nested more than %2 levels deep; refusing it").arg(what).arg(kMaxJsonDepth)};
    }
    if (first != '{' && first != '[') {
        // QJsonDocument refuses bare scalars; tell a JSON scalar (wrong shape) from prose.
        QJsonParseError scalarError {};
        const QJsonDocument wrapped = QJsonDocument::fromJson(QByteArray('[' + body + ']'), &scalarError);
        if (scalarError.error == QJsonParseError::NoError && wrapped.array().size() == 1)
            return wrongTopLevel(wantObject, typeName(wrapped.array().at(0)), what);
        return ParseError {
            QStringLiteral("the server sent text instead of the %1: \"%2\"").arg(what, snippet(body, start))};
    }
    QJsonParseError error {};
    QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError) {
        return ParseError {QStringLiteral("the %1 is not valid JSON (%2 at byte %3)")
                               .arg(what, error.errorString())
                               .arg(error.offset)};
    }
    if (wantObject && !document.isObject())
        return wrongTopLevel(true, QLatin1String("an array"), what);
    if (!wantObject && !document.isArray())
        return wrongTopLevel(false, QLatin1String("an object"), what);
    return document;
}

} // namespace

Result<QJsonObject, ParseError> readObject(const QByteArray &body, QLatin1String what)
{
    Result<QJsonDocument, ParseError> document = readDocument(body, true, what);
    if (!document)
        return document.error();
    return document.value().object();
}

Result<QJsonArray, ParseError> readArray(const QByteArray &body, QLatin1String what)
{
    Result<QJsonDocument, ParseError> document = readDocument(body, false, what);
    if (!document)
        return document.error();
    return document.value().array();
}

std::optional<ParseError> errorBody(const QJsonObject &object, QLatin1String requiredKey, QLatin1String what)
{
    const QJsonValue error = object.value(QLatin1String("error"));
    if (!error.isString() || object.contains(requiredKey))
        return std::nullopt;
    return ParseError {
        QStringLiteral("the server sent an error instead of the %1: \"%2\"").arg(what, error.toString().left(300))};
}

ParseError missingKey(QLatin1String key, QLatin1String what)
{
    return ParseError {QStringLiteral("the %1 has no \"%2\" (or it has the wrong type)").arg(what, key)};
}

std::optional<qint64> count(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    constexpr qint64 kNotIntegral = std::numeric_limits<qint64>::min();
    const qint64 number = value.toInteger(kNotIntegral);
    if (number < 0 || number > kMaxExactInteger)
        return std::nullopt;
    return number;
}

QStringList strings(const QJsonValue &value)
{
    QStringList result;
    if (value.isString()) {
        if (!value.toString().isEmpty())
            result.append(value.toString());
        return result;
    }
    const QJsonArray array = value.toArray();
    for (const QJsonValue &element : array) {
        if (element.isString() && !element.toString().isEmpty())
            result.append(element.toString());
    }
    return result;
}

QDateTime isoDate(const QJsonValue &value)
{
    if (!value.isString())
        return {};
    return QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
}

std::optional<GatedMode> gatedMode(const QJsonValue &value)
{
    if (value.isBool())
        return value.toBool() ? GatedMode::Manual : GatedMode::NotGated;
    if (!value.isString())
        return std::nullopt;
    if (value.toString() == u"auto")
        return GatedMode::Auto;
    // "manual", and any mode the Hub invents later: assume a person must approve.
    return GatedMode::Manual;
}

QStringList licenses(const QJsonObject &cardData, const QStringList &tags)
{
    QStringList result = strings(field(cardData, "license"));
    if (!result.isEmpty())
        return result;
    const QLatin1String prefix("license:");
    for (const QString &tag : tags) {
        if (tag.startsWith(prefix) && tag.size() > prefix.size())
            result.append(tag.mid(prefix.size()));
    }
    return result;
}

std::optional<SafetensorsInfo> safetensors(const QJsonValue &value)
{
    if (!value.isObject())
        return std::nullopt;
    const QJsonObject object = value.toObject();
    SafetensorsInfo info;
    qint64 sum = 0;
    bool sumExact = true;
    const QJsonObject parameters = child(object, "parameters");
    for (auto it = parameters.constBegin(); it != parameters.constEnd(); ++it) {
        const std::optional<qint64> elements = count(it.value());
        if (!elements)
            continue;
        info.parameters.insert(it.key(), *elements);
        // Both terms are below 2^53 and summing stops past it, so this cannot overflow.
        if (sumExact) {
            sum += *elements;
            sumExact = sum <= kMaxExactInteger;
        }
    }
    if (const std::optional<qint64> total = count(field(object, "total")))
        info.total = *total;
    else if (!info.parameters.isEmpty() && sumExact)
        info.total = sum;
    else
        return std::nullopt;
    return info;
}

QList<RepoFile> siblings(const QJsonValue &value)
{
    QList<RepoFile> files;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &element : array) {
        const QJsonObject entry = element.toObject();
        const QString path = text(entry, "rfilename");
        if (path.isEmpty())
            continue;
        std::optional<qint64> size = count(field(entry, "size"));
        if (!size)
            size = count(field(child(entry, "lfs"), "size"));
        files.append(RepoFile {path, size});
    }
    return files;
}

} // namespace vibeml::hub::detail
