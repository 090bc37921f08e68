#include "hub/HubParsers.h"

#include "hub/ParserSupport.h"

// Models, search pages, file trees, whoami and config.json. Datasets and the dataset viewer are
// in DatasetParsers.cpp. Only the top-level shape and the identifying key are required: a field
// with an unexpected type is left at its default so one odd value never hides a whole repository.
namespace vibeml::hub {

using namespace detail;

namespace {

const QLatin1String kModelInfo("model info");
const QLatin1String kSearchPage("search page");
const QLatin1String kTree("file listing");
const QLatin1String kWhoAmI("account information");
const QLatin1String kModelConfig("model config.json");

// `base_model:<id>` and the relation form `base_model:<relation>:<id>` name the same repository;
// repository ids never contain ':', so the id is what follows the last one.
QStringList baseModelsFrom(const QStringList &tags, const QJsonObject &cardData)
{
    QStringList result;
    const QLatin1String prefix("base_model:");
    for (const QString &tag : tags) {
        if (!tag.startsWith(prefix))
            continue;
        const QString id = tag.mid(tag.lastIndexOf(u':') + 1);
        if (!id.isEmpty() && !result.contains(id))
            result.append(id);
    }
    // Older repos have only the card's own words; the Hub's tags win when both exist because it
    // follows renames (the Llama 3.1 card still says Meta-Llama-3.1-8B).
    if (result.isEmpty())
        result = strings(field(cardData, "base_model"));
    return result;
}

bool hasChatTemplate(const QJsonObject &config)
{
    const QJsonValue inTokenizer = field(child(config, "tokenizer_config"), "chat_template");
    // A template is a string, or a list of named templates ({name, template}).
    const bool fromTokenizer = (inTokenizer.isString() && !inTokenizer.toString().isEmpty())
        || (inTokenizer.isArray() && !inTokenizer.toArray().isEmpty());
    const QJsonValue jinja = field(config, "chat_template_jinja");
    return fromTokenizer || (jinja.isString() && !jinja.toString().isEmpty());
}

SearchHit searchHit(const QJsonObject &entry, RepoKind kind)
{
    SearchHit hit;
    hit.kind = kind;
    hit.id = text(entry, "id");
    hit.downloads = countOr0(field(entry, "downloads"));
    hit.likes = countOr0(field(entry, "likes"));
    if (entry.contains(QLatin1String("gated")))
        hit.gated = gatedMode(field(entry, "gated"));
    hit.isPrivate = flag(entry, "private");
    hit.pipelineTag = text(entry, "pipeline_tag");
    hit.libraryName = text(entry, "library_name");
    hit.licenses = licenses(child(entry, "cardData"), strings(field(entry, "tags")));
    if (const std::optional<SafetensorsInfo> weights = safetensors(field(entry, "safetensors")))
        hit.parameterCount = weights->total;
    hit.createdAt = isoDate(field(entry, "createdAt"));
    return hit;
}

// Multimodal configs keep the language model's numbers under text_config.
QJsonValue configValue(const QJsonObject &config, const char *key)
{
    const QJsonValue top = field(config, key);
    if (!top.isUndefined() && !top.isNull())
        return top;
    return field(child(config, "text_config"), key);
}

std::optional<qint64> configCount(const QJsonObject &config, const char *key)
{
    return count(configValue(config, key));
}

} // namespace

Result<ModelInfo, ParseError> parseModelInfo(const QByteArray &body)
{
    Result<QJsonObject, ParseError> document = readObject(body, kModelInfo);
    if (!document)
        return document.error();
    const QJsonObject &object = document.value();
    if (std::optional<ParseError> error = errorBody(object, QLatin1String("id"), kModelInfo))
        return *error;
    ModelInfo info;
    info.id = text(object, "id");
    if (info.id.isEmpty())
        return missingKey(QLatin1String("id"), kModelInfo);
    info.author = text(object, "author");
    info.sha = text(object, "sha");
    info.isPrivate = flag(object, "private");
    info.disabled = flag(object, "disabled");
    info.gated = gatedMode(field(object, "gated")).value_or(GatedMode::NotGated);
    info.pipelineTag = text(object, "pipeline_tag");
    info.libraryName = text(object, "library_name");
    info.tags = strings(field(object, "tags"));
    info.downloads = countOr0(field(object, "downloads"));
    info.likes = countOr0(field(object, "likes"));
    info.createdAt = isoDate(field(object, "createdAt"));
    info.lastModified = isoDate(field(object, "lastModified"));

    const QJsonObject config = child(object, "config");
    info.architectures = strings(field(config, "architectures"));
    info.modelType = text(config, "model_type");
    info.quantizationMethod = text(child(config, "quantization_config"), "quant_method");
    info.hasChatTemplate = hasChatTemplate(config);

    const QJsonObject cardData = child(object, "cardData");
    info.licenses = licenses(cardData, info.tags);
    info.licenseName = text(cardData, "license_name");
    info.licenseLink = text(cardData, "license_link");
    info.baseModels = baseModelsFrom(info.tags, cardData);
    info.safetensors = safetensors(field(object, "safetensors"));
    info.siblings = siblings(field(object, "siblings"));
    info.usedStorage = count(field(object, "usedStorage"));
    return info;
}

Result<SearchPage, ParseError> parseSearchPage(const QByteArray &body, RepoKind kind)
{
    Result<QJsonArray, ParseError> document = readArray(body, kSearchPage);
    if (!document)
        return document.error();
    SearchPage page;
    for (const QJsonValue &element : document.value()) {
        // One malformed entry must not hide the others the user is choosing from.
        SearchHit hit = searchHit(element.toObject(), kind);
        if (!hit.id.isEmpty())
            page.hits.append(std::move(hit));
    }
    return page;
}

Result<QList<TreeEntry>, ParseError> parseTree(const QByteArray &body)
{
    Result<QJsonArray, ParseError> document = readArray(body, kTree);
    if (!document)
        return document.error();
    QList<TreeEntry> entries;
    for (const QJsonValue &element : document.value()) {
        const QJsonObject object = element.toObject();
        TreeEntry entry;
        entry.path = text(object, "path");
        if (entry.path.isEmpty())
            continue;
        entry.isDirectory = text(object, "type") == u"directory";
        entry.oid = text(object, "oid");
        const QJsonObject lfs = child(object, "lfs");
        entry.isLfs = !lfs.isEmpty();
        // lfs.size is the stored blob itself, whatever the top-level `size` says.
        const std::optional<qint64> lfsSize = count(field(lfs, "size"));
        entry.size = lfsSize ? *lfsSize : countOr0(field(object, "size"));
        entries.append(entry);
    }
    return entries;
}

Result<WhoAmI, ParseError> parseWhoAmI(const QByteArray &body)
{
    Result<QJsonObject, ParseError> document = readObject(body, kWhoAmI);
    if (!document)
        return document.error();
    const QJsonObject &object = document.value();
    if (std::optional<ParseError> error = errorBody(object, QLatin1String("name"), kWhoAmI))
        return *error;
    WhoAmI who;
    who.name = text(object, "name");
    if (who.name.isEmpty())
        return missingKey(QLatin1String("name"), kWhoAmI);
    who.fullname = text(object, "fullname");
    who.type = text(object, "type");
    who.isPro = flag(object, "isPro");
    const QJsonArray orgs = field(object, "orgs").toArray();
    for (const QJsonValue &org : orgs) {
        const QString name = text(org.toObject(), "name");
        if (!name.isEmpty())
            who.orgs.append(name);
    }
    const QJsonObject token = child(child(object, "auth"), "accessToken");
    who.tokenName = text(token, "displayName");
    who.tokenRole = text(token, "role");
    const QJsonValue canReadGated = field(child(token, "fineGrained"), "canReadGatedRepos");
    if (canReadGated.isBool())
        who.canReadGatedRepos = canReadGated.toBool();
    return who;
}

Result<ModelConfig, ParseError> parseModelConfig(const QByteArray &body)
{
    Result<QJsonObject, ParseError> document = readObject(body, kModelConfig);
    if (!document)
        return document.error();
    const QJsonObject &object = document.value();
    if (std::optional<ParseError> error = errorBody(object, QLatin1String("model_type"), kModelConfig))
        return *error;
    ModelConfig config;
    config.modelType = text(object, "model_type");
    config.architectures = strings(field(object, "architectures"));
    config.hiddenSize = configCount(object, "hidden_size");
    config.numHiddenLayers = configCount(object, "num_hidden_layers");
    config.intermediateSize = configCount(object, "intermediate_size");
    config.numAttentionHeads = configCount(object, "num_attention_heads");
    config.numKeyValueHeads = configCount(object, "num_key_value_heads");
    config.vocabSize = configCount(object, "vocab_size");
    config.maxPositionEmbeddings = configCount(object, "max_position_embeddings");
    config.headDim = configCount(object, "head_dim");
    config.numLocalExperts = configCount(object, "num_local_experts");
    if (!config.numLocalExperts)
        config.numLocalExperts = configCount(object, "num_experts");
    config.tieWordEmbeddings = configValue(object, "tie_word_embeddings").toBool(false);
    config.torchDtype = configValue(object, "torch_dtype").toString();
    if (config.torchDtype.isEmpty()) // newer transformers releases write "dtype"
        config.torchDtype = configValue(object, "dtype").toString();
    config.quantizationMethod = text(child(object, "quantization_config"), "quant_method");
    return config;
}

} // namespace vibeml::hub
