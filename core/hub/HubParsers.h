#pragma once

#include "common/Result.h"
#include "hub/HubTypes.h"

#include <QByteArray>
#include <QUrl>

// Pure functions from response bodies to value types. They accept every real shape the Hub
// returns and refuse anything else with a ParseError; they never crash, whatever the input.
namespace vibeml::hub {

struct ParseError
{
    QString message; // e.g. "expected a JSON object at the top level"
};

// Bodies larger than this are refused before parsing.
inline constexpr qsizetype kMaxParsedBodyBytes = 16 * 1024 * 1024;
// Feature types and JSON nested deeper than this are refused (hostile input).
inline constexpr int kMaxFeatureDepth = 32;

Result<ModelInfo, ParseError> parseModelInfo(const QByteArray &body);
Result<DatasetInfo, ParseError> parseDatasetInfo(const QByteArray &body);
// A search/list page; `next` is left empty (it comes from the Link header, see HttpHeaders.h).
Result<SearchPage, ParseError> parseSearchPage(const QByteArray &body, RepoKind kind);
Result<QList<TreeEntry>, ParseError> parseTree(const QByteArray &body);
Result<WhoAmI, ParseError> parseWhoAmI(const QByteArray &body);

Result<ViewerValidity, ParseError> parseViewerValidity(const QByteArray &body);
Result<ViewerSplits, ParseError> parseViewerSplits(const QByteArray &body);
Result<ViewerInfo, ParseError> parseViewerInfo(const QByteArray &body);
Result<ViewerSize, ParseError> parseViewerSize(const QByteArray &body);
Result<FirstRows, ParseError> parseFirstRows(const QByteArray &body);

// config.json (the real file from /resolve/, not the curated `config` in model info).
struct ModelConfig
{
    QString modelType;
    QStringList architectures;
    std::optional<qint64> hiddenSize;
    std::optional<qint64> numHiddenLayers;
    std::optional<qint64> intermediateSize;
    std::optional<qint64> numAttentionHeads;
    std::optional<qint64> numKeyValueHeads;
    std::optional<qint64> vocabSize;
    std::optional<qint64> maxPositionEmbeddings;
    std::optional<qint64> headDim;
    std::optional<qint64> numLocalExperts; // MoE: num_local_experts / num_experts
    bool tieWordEmbeddings = false;
    QString torchDtype;
    QString quantizationMethod;
};
Result<ModelConfig, ParseError> parseModelConfig(const QByteArray &body);

} // namespace vibeml::hub
