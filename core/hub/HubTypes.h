#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>
#include <optional>
#include <utility>
#include <vector>

// Plain value types for what the Hugging Face Hub and its dataset viewer return. Parsers in
// HubParsers.h build them; nothing here talks to the network.
namespace vibeml::hub {

enum class RepoKind { Model, Dataset };

// `gated` is false, "auto" (access granted on request) or "manual" (the author approves).
enum class GatedMode { NotGated, Auto, Manual };

struct SafetensorsInfo
{
    QMap<QString, qint64> parameters; // dtype -> element count, e.g. {"BF16": 8030261248}
    qint64 total = 0;                 // "total", else the sum of `parameters`
};

struct RepoFile
{
    QString path;
    std::optional<qint64> size; // only with blobs=true or from a tree listing
};

struct ModelInfo
{
    QString id;
    QString author;
    QString sha; // the commit the metadata describes; pinned for the launch
    bool isPrivate = false;
    bool disabled = false;
    GatedMode gated = GatedMode::NotGated;
    QString pipelineTag;
    QString libraryName;
    QStringList tags;
    qint64 downloads = 0;
    qint64 likes = 0;
    QDateTime createdAt;
    QDateTime lastModified;
    // From the curated `config` object (not config.json):
    QStringList architectures;
    QString modelType;
    QString quantizationMethod; // config.quantization_config.quant_method, e.g. "mxfp4"
    bool hasChatTemplate = false;
    // Licence: cardData.license (string or list), else the `license:<id>` tag.
    QStringList licenses;
    QString licenseName; // with license "other"
    QString licenseLink;
    QStringList baseModels; // from `base_model:<id>` tags (without relation prefixes)
    std::optional<SafetensorsInfo> safetensors;
    QList<RepoFile> siblings;
    std::optional<qint64> usedStorage;
};

// A datasets `Features` type, from cardData.dataset_info or from the viewer's /info.
struct FeatureType
{
    enum class Kind { Value, List, Struct, ClassLabel, Image, Audio, Other };
    Kind kind = Kind::Other;
    QString dtype;                                      // Value: "string", "int64", …
    std::vector<std::pair<QString, FeatureType>> fields; // Struct, in declaration order
    std::shared_ptr<const FeatureType> element;          // List / Sequence
    QStringList classNames;                             // ClassLabel

    // "string", "list<struct<content: string, role: string>>", "class_label[neg, pos]"
    QString describe() const;
};

struct DatasetColumn
{
    QString name;
    FeatureType type;
};

struct DatasetSplit
{
    QString name;
    std::optional<qint64> numExamples;
    std::optional<qint64> numBytes;
};

struct DatasetConfig
{
    QString name; // "default" when the card has a single unnamed config
    QList<DatasetColumn> columns;
    QList<DatasetSplit> splits;
    std::optional<qint64> downloadSize;
    std::optional<qint64> datasetSize;
};

struct DatasetInfo
{
    QString id;
    QString author;
    QString sha;
    bool isPrivate = false;
    bool disabled = false;
    GatedMode gated = GatedMode::NotGated;
    QStringList tags;
    qint64 downloads = 0;
    qint64 likes = 0;
    QDateTime createdAt;
    QDateTime lastModified;
    QStringList licenses;
    QString prettyName;
    QString description;
    // From cardData.dataset_info (object or list) and cardData.configs[].data_files[].split.
    QList<DatasetConfig> configs;
    QList<RepoFile> siblings;
    std::optional<qint64> usedStorage;
};

struct SearchHit
{
    RepoKind kind = RepoKind::Model;
    QString id;
    qint64 downloads = 0;
    qint64 likes = 0;
    std::optional<GatedMode> gated; // only when the listing included it (expand[]=gated)
    bool isPrivate = false;
    QString pipelineTag;
    QString libraryName;
    QStringList licenses; // from `license:<id>` tags
    std::optional<qint64> parameterCount; // safetensors.total when expanded
    QDateTime createdAt;
};

struct SearchPage
{
    QList<SearchHit> hits;
    QUrl next; // already re-based onto the configured endpoint; empty on the last page
};

struct TreeEntry
{
    bool isDirectory = false;
    QString path;
    qint64 size = 0;
    bool isLfs = false;
    QString oid;
};

struct WhoAmI
{
    QString name;
    QString fullname;
    QString type; // "user" or "org"
    QStringList orgs;
    bool isPro = false;
    QString tokenName;
    QString tokenRole;                     // "read", "write" or "fineGrained"
    std::optional<bool> canReadGatedRepos; // fine-grained tokens only
};

// Dataset viewer (datasets-server) answers.
struct ViewerValidity
{
    bool viewer = false;
    bool preview = false;
    bool search = false;
    bool filter = false;
    bool statistics = false;
};

struct ViewerSplit
{
    QString config;
    QString split;
};

struct ViewerSplits
{
    QList<ViewerSplit> splits;
    int pending = 0;
    int failed = 0;
};

// /info: one DatasetConfig per config (with `config` given: exactly one).
struct ViewerInfo
{
    QList<DatasetConfig> configs;
    bool partial = false;
};

struct ViewerSplitSize
{
    QString config;
    QString split;
    qint64 numRows = 0;
    std::optional<qint64> parquetBytes;
    std::optional<qint64> memoryBytes;
};

struct ViewerSize
{
    qint64 numRows = 0;
    std::optional<qint64> originalBytes;
    std::optional<qint64> parquetBytes;
    std::optional<qint64> memoryBytes;
    QList<ViewerSplitSize> splits;
    bool partial = false;
};

struct FirstRows
{
    QString dataset;
    QString config;
    QString split;
    QList<DatasetColumn> columns;
    QList<QJsonObject> rows; // each row's `row` object
    bool truncated = false;
};

} // namespace vibeml::hub
