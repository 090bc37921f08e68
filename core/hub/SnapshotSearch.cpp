#include "hub/SnapshotSearch.h"

#include "hub/HubParsers.h"
#include "hub/OfflineSnapshot.h"

#include <QRegularExpression>

#include <algorithm>

namespace vibeml::hub {
namespace {

bool matches(const QString &id, const QStringList &words)
{
    return std::all_of(words.begin(), words.end(), [&id](const QString &word) { return id.contains(word, Qt::CaseInsensitive); });
}

SearchHit hitFor(const OfflineSnapshot &snapshot, RepoKind kind, const QString &id)
{
    SearchHit hit;
    hit.kind = kind;
    hit.id = id;
    const QString path = (kind == RepoKind::Model ? QStringLiteral("/api/models/") : QStringLiteral("/api/datasets/")) + id;
    const std::optional<QByteArray> body = snapshot.body(path);
    if (!body)
        return hit;
    if (kind == RepoKind::Model) {
        const auto info = parseModelInfo(*body);
        if (!info)
            return hit;
        const ModelInfo &model = info.value();
        hit.downloads = model.downloads;
        hit.likes = model.likes;
        hit.gated = model.gated;
        hit.isPrivate = model.isPrivate;
        hit.pipelineTag = model.pipelineTag;
        hit.libraryName = model.libraryName;
        hit.licenses = model.licenses;
        hit.createdAt = model.createdAt;
        if (model.safetensors && model.safetensors->total > 0)
            hit.parameterCount = model.safetensors->total;
    } else {
        const auto info = parseDatasetInfo(*body);
        if (!info)
            return hit;
        const DatasetInfo &dataset = info.value();
        hit.downloads = dataset.downloads;
        hit.likes = dataset.likes;
        hit.gated = dataset.gated;
        hit.isPrivate = dataset.isPrivate;
        hit.licenses = dataset.licenses;
        hit.createdAt = dataset.createdAt;
    }
    return hit;
}

} // namespace

SearchPage searchSnapshot(const OfflineSnapshot &snapshot, RepoKind kind, const QString &query, int limit)
{
    static const QRegularExpression spaces(QStringLiteral("\\s+"));
    const QStringList words = query.trimmed().split(spaces, Qt::SkipEmptyParts);
    SearchPage page;
    const QStringList ids = kind == RepoKind::Model ? snapshot.modelIds() : snapshot.datasetIds();
    for (const QString &id : ids) {
        if (matches(id, words))
            page.hits.append(hitFor(snapshot, kind, id));
    }
    std::stable_sort(page.hits.begin(), page.hits.end(),
                     [](const SearchHit &a, const SearchHit &b) { return a.downloads > b.downloads; });
    if (page.hits.size() > limit)
        page.hits.resize(std::max(0, limit));
    return page;
}

} // namespace vibeml::hub
