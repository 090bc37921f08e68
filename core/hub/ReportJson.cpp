#include "hub/ReportJson.h"

#include <QJsonArray>

namespace vibeml::hub {
namespace {

QJsonArray checksJson(const QList<CheckLine> &checks)
{
    QJsonArray array;
    for (const CheckLine &line : checks) {
        QJsonObject object{{QStringLiteral("check"), line.title},
                           {QStringLiteral("verdict"), verdictName(line.verdict)},
                           {QStringLiteral("text"), line.text}};
        if (line.actionUrl.isValid())
            object.insert(QStringLiteral("actionUrl"), line.actionUrl.toString());
        array.append(object);
    }
    return array;
}

QString originName(AnswerOrigin origin)
{
    switch (origin) {
    case AnswerOrigin::Network:
        return QStringLiteral("live");
    case AnswerOrigin::Cache:
        return QStringLiteral("cache");
    case AnswerOrigin::StaleCache:
        return QStringLiteral("stale-cache");
    case AnswerOrigin::Snapshot:
        return QStringLiteral("snapshot");
    }
    return {};
}

QJsonValue optionalNumber(const std::optional<qint64> &value)
{
    return value ? QJsonValue(static_cast<double>(*value)) : QJsonValue();
}

} // namespace

QJsonObject toJson(const ModelReport &report)
{
    QJsonObject object{{QStringLiteral("id"), report.canonicalId.isEmpty() ? report.requestedId : report.canonicalId},
                       {QStringLiteral("requestedId"), report.requestedId},
                       {QStringLiteral("ready"), report.canLaunch()},
                       {QStringLiteral("pinnedSha"), report.pinnedSha},
                       {QStringLiteral("source"), originName(report.origin)},
                       {QStringLiteral("fetchedAt"), report.fetchedAt.toString(Qt::ISODate)},
                       {QStringLiteral("checks"), checksJson(report.checks)}};
    if (report.info) {
        object.insert(QStringLiteral("gated"), report.info->gated == GatedMode::NotGated ? QStringLiteral("no")
                                               : report.info->gated == GatedMode::Auto  ? QStringLiteral("auto")
                                                                                         : QStringLiteral("manual"));
        object.insert(QStringLiteral("licenses"), QJsonArray::fromStringList(report.info->licenses));
        object.insert(QStringLiteral("modelType"), report.info->modelType);
    }
    object.insert(QStringLiteral("parameters"), report.parameters.count > 0 ? QJsonValue(static_cast<double>(report.parameters.count)) : QJsonValue());
    object.insert(QStringLiteral("parametersQuantized"), report.parameters.quantized);
    object.insert(QStringLiteral("dtype"), report.dtype);
    object.insert(QStringLiteral("architectureSupported"), report.architecture.supported);
    object.insert(QStringLiteral("downloadBytes"), optionalNumber(report.downloadBytes));
    return object;
}

QJsonObject toJson(const DatasetReport &report)
{
    QJsonArray columns;
    for (const DatasetColumn &column : report.columns)
        columns.append(QJsonObject{{QStringLiteral("name"), column.name}, {QStringLiteral("type"), column.type.describe()}});
    const ColumnMapping &mapping = report.format.mapping;
    QJsonObject mappingJson{{QStringLiteral("format"), formatName(mapping.format)}};
    const std::pair<const char *, QString> parts[] = {{"messages", mapping.messages}, {"instruction", mapping.instruction},
                                                      {"input", mapping.input},       {"output", mapping.output},
                                                      {"prompt", mapping.prompt},     {"completion", mapping.completion},
                                                      {"text", mapping.text}};
    for (const auto &[name, column] : parts) {
        if (!column.isEmpty())
            mappingJson.insert(QLatin1String(name), column);
    }
    QJsonArray preview;
    for (const QJsonObject &row : report.previewRows.mid(0, 5))
        preview.append(row);
    return QJsonObject{{QStringLiteral("id"), report.canonicalId.isEmpty() ? report.requestedId : report.canonicalId},
                       {QStringLiteral("requestedId"), report.requestedId},
                       {QStringLiteral("ready"), report.canLaunch()},
                       {QStringLiteral("pinnedSha"), report.pinnedSha},
                       {QStringLiteral("source"), originName(report.origin)},
                       {QStringLiteral("config"), report.config},
                       {QStringLiteral("split"), report.split},
                       {QStringLiteral("rows"), optionalNumber(report.rowCount)},
                       {QStringLiteral("bytes"), optionalNumber(report.splitBytes)},
                       {QStringLiteral("columns"), columns},
                       {QStringLiteral("mapping"), mappingJson},
                       {QStringLiteral("tokensPerRow"), report.tokens.tokensPerRow},
                       {QStringLiteral("totalTokens"), static_cast<double>(report.tokens.totalTokens)},
                       {QStringLiteral("preview"), preview},
                       {QStringLiteral("checks"), checksJson(report.checks)}};
}

} // namespace vibeml::hub
