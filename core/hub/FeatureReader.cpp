#include "hub/FeatureReader.h"

#include "hub/ParserSupport.h"

#include <algorithm>

namespace vibeml::hub {

using namespace detail;

namespace {

FeatureType valueOrMedia(const QString &dtype)
{
    FeatureType type;
    if (dtype == u"image") {
        type.kind = FeatureType::Kind::Image;
    } else if (dtype == u"audio") {
        type.kind = FeatureType::Kind::Audio;
    } else if (!dtype.isEmpty()) {
        type.kind = FeatureType::Kind::Value;
        type.dtype = dtype;
    }
    return type;
}

FeatureType listOf(FeatureType element)
{
    FeatureType type;
    type.kind = FeatureType::Kind::List;
    type.element = std::make_shared<const FeatureType>(std::move(element));
    return type;
}

// Names come as a list (viewer) or as {"0": "neg", "1": "pos"} (cards, whose YAML keys must be
// strings); the label id is the position, so the map is ordered by number, not by text.
FeatureType classLabel(const QJsonValue &names)
{
    FeatureType type;
    type.kind = FeatureType::Kind::ClassLabel;
    if (names.isArray()) {
        const QJsonArray array = names.toArray();
        for (const QJsonValue &name : array)
            type.classNames.append(name.toString());
        return type;
    }
    const QJsonObject byId = names.toObject();
    std::vector<std::pair<qint64, QString>> numbered;
    for (auto it = byId.constBegin(); it != byId.constEnd(); ++it) {
        bool isNumber = false;
        const qint64 id = it.key().toLongLong(&isNumber);
        if (isNumber)
            numbered.emplace_back(id, it.value().toString());
    }
    std::stable_sort(numbered.begin(), numbered.end(),
                     [](const auto &left, const auto &right) { return left.first < right.first; });
    for (const auto &entry : numbered)
        type.classNames.append(entry.second);
    return type;
}

FeatureType cardTyped(const QJsonObject &dtype)
{
    if (dtype.contains(QLatin1String("class_label")))
        return classLabel(field(child(dtype, "class_label"), "names"));
    if (dtype.contains(QLatin1String("image")))
        return valueOrMedia(QStringLiteral("image"));
    if (dtype.contains(QLatin1String("audio")))
        return valueOrMedia(QStringLiteral("audio"));
    return {};
}

} // namespace

QString FeatureType::describe() const
{
    switch (kind) {
    case Kind::Value:
        return dtype.isEmpty() ? QStringLiteral("unknown") : dtype;
    case Kind::List:
        return QString(u"list<" + (element ? element->describe() : QStringLiteral("unknown")) + u'>');
    case Kind::Struct: {
        QStringList parts;
        for (const auto &[name, type] : fields)
            parts.append(QString(name + u": " + type.describe()));
        return QString(u"struct<" + parts.join(u", ") + u'>');
    }
    case Kind::ClassLabel:
        return QString(u"class_label[" + classNames.join(u", ") + u']');
    case Kind::Image:
        return QStringLiteral("image");
    case Kind::Audio:
        return QStringLiteral("audio");
    case Kind::Other:
        break;
    }
    return QStringLiteral("unknown");
}

namespace detail {

FeatureType FeatureReader::fromCard(const QJsonValue &node, int depth)
{
    if (!enter(depth))
        return {};
    if (node.isString())
        return valueOrMedia(node.toString());
    if (node.isArray())
        return cardStruct(node.toArray(), depth);
    const QJsonObject object = node.toObject();
    const QJsonValue dtype = field(object, "dtype");
    if (dtype.isString())
        return valueOrMedia(dtype.toString());
    if (dtype.isObject())
        return cardTyped(dtype.toObject());
    if (object.contains(QLatin1String("class_label")))
        return classLabel(field(child(object, "class_label"), "names"));
    for (const char *listKey : {"list", "sequence", "large_list"}) {
        if (object.contains(QLatin1String(listKey)))
            return listOf(fromCard(field(object, listKey), depth + 1));
    }
    if (field(object, "struct").isArray())
        return cardStruct(field(object, "struct").toArray(), depth);
    return {};
}

FeatureType FeatureReader::fromViewer(const QJsonValue &node, int depth)
{
    if (!enter(depth))
        return {};
    if (node.isArray()) {
        const QJsonArray array = node.toArray();
        return listOf(array.isEmpty() ? FeatureType {} : fromViewer(array.first(), depth + 1));
    }
    const QJsonObject object = node.toObject();
    const QJsonValue kind = field(object, "_type");
    if (!kind.isString()) {
        FeatureType type;
        if (object.isEmpty())
            return type;
        type.kind = FeatureType::Kind::Struct;
        // QJsonObject orders keys alphabetically, so struct fields from the viewer come sorted.
        for (auto it = object.constBegin(); it != object.constEnd() && !m_tooDeep; ++it)
            type.fields.emplace_back(it.key(), fromViewer(it.value(), depth + 1));
        return m_tooDeep ? FeatureType {} : type;
    }
    const QString name = kind.toString();
    if (name == u"Value") {
        FeatureType type = valueOrMedia(text(object, "dtype"));
        return type.kind == FeatureType::Kind::Value ? type : FeatureType {};
    }
    if (name == u"List" || name == u"Sequence" || name == u"LargeList")
        return listOf(fromViewer(field(object, "feature"), depth + 1));
    if (name == u"ClassLabel")
        return classLabel(field(object, "names"));
    if (name == u"Image")
        return valueOrMedia(QStringLiteral("image"));
    if (name == u"Audio")
        return valueOrMedia(QStringLiteral("audio"));
    return {};
}

std::optional<ParseError> FeatureReader::error(QLatin1String what) const
{
    if (!m_tooDeep)
        return std::nullopt;
    return ParseError {
        QStringLiteral("the %1 has a column type nested more than %2 levels deep").arg(what).arg(kMaxFeatureDepth)};
}

bool FeatureReader::enter(int depth)
{
    if (depth > kMaxFeatureDepth)
        m_tooDeep = true;
    return !m_tooDeep;
}

FeatureType FeatureReader::cardStruct(const QJsonArray &fields, int depth)
{
    FeatureType type;
    type.kind = FeatureType::Kind::Struct;
    for (const QJsonValue &element : fields) {
        const QString name = text(element.toObject(), "name");
        if (name.isEmpty())
            continue;
        type.fields.emplace_back(name, fromCard(element, depth + 1));
        if (m_tooDeep)
            return {};
    }
    return type;
}

} // namespace detail
} // namespace vibeml::hub
