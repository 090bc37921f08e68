#include "hub/FeatureReader.h"
#include "hub/HubParsers.h"
#include "hub/ParserSupport.h"

#include <algorithm>

// Datasets (/api/datasets) and the dataset viewer (datasets-server). Model parsers are in
// HubParsers.cpp; both implement HubParsers.h.
namespace vibeml::hub {

using namespace detail;

namespace {

const QLatin1String kDatasetInfo("dataset info");
const QLatin1String kValidity("dataset viewer status");
const QLatin1String kSplits("dataset viewer split list");
const QLatin1String kViewerInfo("dataset viewer info");
const QLatin1String kSize("dataset viewer size report");
const QLatin1String kFirstRows("dataset viewer row sample");

// Cards list splits ([{name, num_bytes, num_examples}]); the viewer maps name → split.
QList<DatasetSplit> splitsFrom(const QJsonValue &value)
{
    QList<DatasetSplit> splits;
    auto add = [&splits](const QJsonObject &split, const QString &fallbackName) {
        QString name = text(split, "name");
        if (name.isEmpty())
            name = fallbackName;
        if (!name.isEmpty())
            splits.append(DatasetSplit {name, count(field(split, "num_examples")), count(field(split, "num_bytes"))});
    };
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (const QJsonValue &split : array)
            add(split.toObject(), QString());
    } else {
        const QJsonObject byName = value.toObject();
        for (auto it = byName.constBegin(); it != byName.constEnd(); ++it)
            add(it.value().toObject(), it.key());
    }
    return splits;
}

void readSizes(DatasetConfig &config, const QJsonObject &info)
{
    config.splits = splitsFrom(field(info, "splits"));
    config.downloadSize = count(field(info, "download_size"));
    config.datasetSize = count(field(info, "dataset_size"));
}

DatasetConfig cardConfig(const QJsonObject &info, FeatureReader &reader)
{
    DatasetConfig config;
    config.name = text(info, "config_name");
    if (config.name.isEmpty())
        config.name = QStringLiteral("default");
    const QJsonArray features = field(info, "features").toArray();
    for (const QJsonValue &feature : features) {
        const QString name = text(feature.toObject(), "name");
        if (!name.isEmpty())
            config.columns.append(DatasetColumn {name, reader.fromCard(feature, 1)});
    }
    readSizes(config, info);
    return config;
}

// cardData.configs[].data_files names splits even for cards without dataset_info. A file
// pattern without a split is the "train" split, as in the datasets library.
void addDataFileSplits(QList<DatasetConfig> &configs, const QJsonValue &cardConfigs)
{
    const QJsonArray array = cardConfigs.toArray();
    for (const QJsonValue &element : array) {
        const QJsonObject entry = element.toObject();
        if (entry.isEmpty())
            continue;
        QString name = text(entry, "config_name");
        if (name.isEmpty())
            name = QStringLiteral("default");
        QStringList splitNames;
        const QJsonValue dataFiles = field(entry, "data_files");
        const QJsonArray files = dataFiles.isString() ? QJsonArray {dataFiles} : dataFiles.toArray();
        for (const QJsonValue &file : files) {
            const QString split = file.isString() ? QStringLiteral("train") : text(file.toObject(), "split");
            if (!split.isEmpty() && !splitNames.contains(split))
                splitNames.append(split);
        }
        auto config = std::find_if(configs.begin(), configs.end(),
                                   [&name](const DatasetConfig &known) { return known.name == name; });
        if (config == configs.end()) {
            configs.append(DatasetConfig {name, {}, {}, std::nullopt, std::nullopt});
            config = configs.end() - 1;
        }
        for (const QString &split : std::as_const(splitNames)) {
            const bool known = std::any_of(config->splits.cbegin(), config->splits.cend(),
                                           [&split](const DatasetSplit &s) { return s.name == split; });
            if (!known)
                config->splits.append(DatasetSplit {split, std::nullopt, std::nullopt});
        }
    }
}

DatasetConfig viewerConfig(const QJsonObject &info, const QString &fallbackName, FeatureReader &reader)
{
    DatasetConfig config;
    config.name = text(info, "config_name");
    if (config.name.isEmpty())
        config.name = fallbackName.isEmpty() ? QStringLiteral("default") : fallbackName;
    const QJsonObject features = child(info, "features");
    for (auto it = features.constBegin(); it != features.constEnd(); ++it)
        config.columns.append(DatasetColumn {it.key(), reader.fromViewer(it.value(), 1)});
    readSizes(config, info);
    return config;
}

// Without `config`, /info's dataset_info maps each config name to an info object.
bool isConfigMap(const QJsonObject &datasetInfo)
{
    return std::all_of(datasetInfo.constBegin(), datasetInfo.constEnd(), [](const QJsonValue &value) {
        const QJsonObject info = value.toObject();
        return info.contains(QLatin1String("features")) || info.contains(QLatin1String("splits"))
            || info.contains(QLatin1String("config_name"));
    });
}

} // namespace

Result<DatasetInfo, ParseError> parseDatasetInfo(const QByteArray &body)
{
    Result<QJsonObject, ParseError> document = readObject(body, kDatasetInfo);
    if (!document)
        return document.error();
    const QJsonObject &object = document.value();
    if (std::optional<ParseError> error = errorBody(object, QLatin1String("id"), kDatasetInfo))
        return *error;
    DatasetInfo info;
    info.id = text(object, "id");
    if (info.id.isEmpty())
        return missingKey(QLatin1String("id"), kDatasetInfo);
    info.author = text(object, "author");
    info.sha = text(object, "sha");
    info.isPrivate = flag(object, "private");
    info.disabled = flag(object, "disabled");
    info.gated = gatedMode(field(object, "gated")).value_or(GatedMode::NotGated);
    info.tags = strings(field(object, "tags"));
    info.downloads = countOr0(field(object, "downloads"));
    info.likes = countOr0(field(object, "likes"));
    info.createdAt = isoDate(field(object, "createdAt"));
    info.lastModified = isoDate(field(object, "lastModified"));
    info.description = text(object, "description");

    const QJsonObject cardData = child(object, "cardData");
    info.licenses = licenses(cardData, info.tags);
    info.prettyName = text(cardData, "pretty_name");
    FeatureReader reader;
    const QJsonValue datasetInfo = field(cardData, "dataset_info");
    if (datasetInfo.isObject()) {
        info.configs.append(cardConfig(datasetInfo.toObject(), reader));
    } else {
        const QJsonArray perConfig = datasetInfo.toArray();
        for (const QJsonValue &config : perConfig) {
            if (config.isObject())
                info.configs.append(cardConfig(config.toObject(), reader));
        }
    }
    if (std::optional<ParseError> error = reader.error(kDatasetInfo))
        return *error;
    addDataFileSplits(info.configs, field(cardData, "configs"));
    info.siblings = siblings(field(object, "siblings"));
    info.usedStorage = count(field(object, "usedStorage"));
    return info;
}

Result<ViewerValidity, ParseError> parseViewerValidity(const QByteArray &body)
{
    Result<QJsonObject, ParseError> document = readObject(body, kValidity);
    if (!document)
        return document.error();
    const QJsonObject &object = document.value();
    if (std::optional<ParseError> error = errorBody(object, QLatin1String("viewer"), kValidity))
        return *error;
    const bool answered
        = std::any_of(object.constBegin(), object.constEnd(), [](const QJsonValue &v) { return v.isBool(); });
    if (!answered)
        return missingKey(QLatin1String("viewer"), kValidity);
    return ViewerValidity {flag(object, "viewer"), flag(object, "preview"), flag(object, "search"),
                           flag(object, "filter"), flag(object, "statistics")};
}

Result<ViewerSplits, ParseError> parseViewerSplits(const QByteArray &body)
{
    Result<QJsonObject, ParseError> document = readObject(body, kSplits);
    if (!document)
        return document.error();
    const QJsonObject &object = document.value();
    if (std::optional<ParseError> error = errorBody(object, QLatin1String("splits"), kSplits))
        return *error;
    if (!field(object, "splits").isArray())
        return missingKey(QLatin1String("splits"), kSplits);
    ViewerSplits result;
    const QJsonArray splits = field(object, "splits").toArray();
    for (const QJsonValue &element : splits) {
        const QJsonObject split = element.toObject();
        if (!text(split, "split").isEmpty())
            result.splits.append(ViewerSplit {text(split, "config"), text(split, "split")});
    }
    result.pending = static_cast<int>(field(object, "pending").toArray().size());
    result.failed = static_cast<int>(field(object, "failed").toArray().size());
    return result;
}

Result<ViewerInfo, ParseError> parseViewerInfo(const QByteArray &body)
{
    Result<QJsonObject, ParseError> document = readObject(body, kViewerInfo);
    if (!document)
        return document.error();
    const QJsonObject &object = document.value();
    if (std::optional<ParseError> error = errorBody(object, QLatin1String("dataset_info"), kViewerInfo))
        return *error;
    if (!field(object, "dataset_info").isObject())
        return missingKey(QLatin1String("dataset_info"), kViewerInfo);
    const QJsonObject datasetInfo = child(object, "dataset_info");
    ViewerInfo info;
    FeatureReader reader;
    if (isConfigMap(datasetInfo)) {
        for (auto it = datasetInfo.constBegin(); it != datasetInfo.constEnd(); ++it)
            info.configs.append(viewerConfig(it.value().toObject(), it.key(), reader));
    } else {
        info.configs.append(viewerConfig(datasetInfo, QString(), reader));
    }
    if (std::optional<ParseError> error = reader.error(kViewerInfo))
        return *error;
    info.partial = flag(object, "partial");
    return info;
}

Result<ViewerSize, ParseError> parseViewerSize(const QByteArray &body)
{
    Result<QJsonObject, ParseError> document = readObject(body, kSize);
    if (!document)
        return document.error();
    const QJsonObject &object = document.value();
    if (std::optional<ParseError> error = errorBody(object, QLatin1String("size"), kSize))
        return *error;
    if (!field(object, "size").isObject())
        return missingKey(QLatin1String("size"), kSize);
    const QJsonObject size = child(object, "size");
    // The summary is under "dataset", or under "config" when the request named one.
    const QJsonObject summary
        = size.contains(QLatin1String("dataset")) ? child(size, "dataset") : child(size, "config");
    ViewerSize result;
    result.numRows = count(field(summary, "num_rows")).value_or(countOr0(field(summary, "estimated_num_rows")));
    result.originalBytes = count(field(summary, "num_bytes_original_files"));
    result.parquetBytes = count(field(summary, "num_bytes_parquet_files"));
    result.memoryBytes = count(field(summary, "num_bytes_memory"));
    const QJsonArray splits = field(size, "splits").toArray();
    for (const QJsonValue &element : splits) {
        const QJsonObject split = element.toObject();
        if (text(split, "split").isEmpty())
            continue;
        result.splits.append(
            ViewerSplitSize {text(split, "config"), text(split, "split"),
                             count(field(split, "num_rows")).value_or(countOr0(field(split, "estimated_num_rows"))),
                             count(field(split, "num_bytes_parquet_files")), count(field(split, "num_bytes_memory"))});
    }
    result.partial = flag(object, "partial");
    return result;
}

Result<FirstRows, ParseError> parseFirstRows(const QByteArray &body)
{
    Result<QJsonObject, ParseError> document = readObject(body, kFirstRows);
    if (!document)
        return document.error();
    const QJsonObject &object = document.value();
    if (std::optional<ParseError> error = errorBody(object, QLatin1String("features"), kFirstRows))
        return *error;
    if (!field(object, "features").isArray())
        return missingKey(QLatin1String("features"), kFirstRows);
    FirstRows result;
    result.dataset = text(object, "dataset");
    result.config = text(object, "config");
    result.split = text(object, "split");
    FeatureReader reader;
    const QJsonArray features = field(object, "features").toArray();
    for (const QJsonValue &element : features) {
        const QJsonObject feature = element.toObject();
        const QString name = text(feature, "name");
        if (!name.isEmpty())
            result.columns.append(DatasetColumn {name, reader.fromViewer(field(feature, "type"), 1)});
    }
    if (std::optional<ParseError> error = reader.error(kFirstRows))
        return *error;
    const QJsonArray rows = field(object, "rows").toArray();
    for (const QJsonValue &row : rows) {
        if (row.isObject())
            result.rows.append(child(row.toObject(), "row"));
    }
    result.truncated = flag(object, "truncated");
    return result;
}

} // namespace vibeml::hub
