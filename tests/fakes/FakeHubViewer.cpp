// The dataset-viewer side of FakeHub (https://datasets-server.huggingface.co, hub.md §3):
// /is-valid, /splits, /info, /size, /first-rows served from tests/data/hub/datasets-server.

#include "FakeHub.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace vibeml::test {

namespace {

constexpr QLatin1String kViewerDir("datasets-server/");

QString viewerFile(const QString &endpoint, const QString &stem, const QString &config = {}, const QString &split = {})
{
    QString name = kViewerDir + endpoint + QStringLiteral("__") + stem;
    if (!config.isEmpty())
        name += QStringLiteral("__") + config;
    if (!split.isEmpty())
        name += QStringLiteral("__") + split;
    return name + QStringLiteral(".json");
}

} // namespace

FakeHub::Reply FakeHub::routeViewer(const Call &call) const
{
    const auto viewerEnvelope = [this](const QString &name) { return envelope(kViewerDir + name); };
    Reply unauthenticated = viewerEnvelope(QStringLiteral("errors__splits__no-such--dataset__401-anonymous.json"));
    // The viewer asks the Hub whether the caller may read the dataset; a bad token fails that check.
    if (!call.anonymous && call.token == TokenKind::Invalid)
        return unauthenticated;

    const QString endpoint = call.segments.at(0);
    const QString dataset = call.query.queryItemValue(QStringLiteral("dataset"), QUrl::FullyDecoded);
    const QString config = call.query.queryItemValue(QStringLiteral("config"), QUrl::FullyDecoded);
    const QString split = call.query.queryItemValue(QStringLiteral("split"), QUrl::FullyDecoded);
    Reply missingParameter = viewerEnvelope(QStringLiteral("errors__splits__missing-parameter__422.json"));
    if (dataset.isEmpty())
        return missingParameter;
    if (endpoint == QLatin1String("first-rows") && (config.isEmpty() || split.isEmpty())) {
        const QString message = QStringLiteral("Parameters 'dataset', 'config' and 'split' are required");
        missingParameter.body
            = QJsonDocument(QJsonObject {{QStringLiteral("error"), message}}).toJson(QJsonDocument::Compact);
        return missingParameter;
    }

    const QStringList parts = dataset.split(u'/');
    const bool wellFormed = (parts.size() == 1 || parts.size() == 2)
        && std::all_of(parts.cbegin(), parts.cend(), [](const QString &p) { return isSafeName(p); })
        && (config.isEmpty() || isSafeName(config)) && (split.isEmpty() || isSafeName(split));
    const QString stem = parts.join(QStringLiteral("--"));
    bool known = wellFormed && hasFixture(QStringLiteral("api__datasets__") + stem + QStringLiteral(".json"));
    if (wellFormed && !known) {
        const QStringList captured = QDir(m_root + u'/' + kViewerDir)
                                         .entryList({QStringLiteral("*__") + stem + QStringLiteral(".json"),
                                                     QStringLiteral("*__") + stem + QStringLiteral("__*.json")},
                                                    QDir::Files);
        known = std::any_of(captured.cbegin(), captured.cend(),
                            [](const QString &name) { return !name.startsWith(QLatin1String("errors__")); });
    }
    // Anonymous callers cannot tell missing from private/gated (401); authenticated ones get 404.
    const Reply authenticatedNoAccess
        = viewerEnvelope(QStringLiteral("errors__splits__bigcode--starcoderdata__404-authenticated-no-access.json"));
    if (!known)
        return call.anonymous ? unauthenticated : authenticatedNoAccess;

    const std::optional<RepoInfo> repo = findRepo(RepoType::Dataset, dataset);
    if (repo && repo->gated && (call.anonymous || call.token != TokenKind::Valid)) {
        if (endpoint == QLatin1String("is-valid")) {
            // "All false when … the dataset is gated and access not granted" (dataset-viewer valid.md).
            const QString noAccess
                = kViewerDir + QStringLiteral("is-valid__") + stem + QStringLiteral("__no-access.json");
            return jsonReply(hasFixture(noAccess) ? fixture(noAccess)
                                                  : QByteArrayLiteral("{\"viewer\":false,\"preview\":false,\"search\":"
                                                                      "false,\"filter\":false,\"statistics\":false}"));
        }
        return call.anonymous
            ? viewerEnvelope(QStringLiteral("errors__splits__bigcode--starcoderdata__401-anonymous.json"))
            : authenticatedNoAccess;
    }

    Reply notFound = errorReply(404, QStringLiteral("Not found."), QByteArrayLiteral("ResponseNotFound"));
    const auto serve = [this](const QByteArray &body) {
        Reply reply = jsonReply(body);
        reply.setHeader(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json"));
        reply.setHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("max-age=120"));
        return reply;
    };

    if (endpoint == QLatin1String("is-valid")) {
        for (const QString &name : {viewerFile(endpoint, stem, config, split), viewerFile(endpoint, stem, config),
                                    viewerFile(endpoint, stem)}) {
            if (hasFixture(name))
                return serve(fixture(name));
        }
        return notFound;
    }
    if (endpoint == QLatin1String("splits")) {
        const QString name = viewerFile(endpoint, stem);
        if (!hasFixture(name))
            return notFound;
        if (config.isEmpty())
            return serve(fixture(name));
        QJsonObject object = QJsonDocument::fromJson(fixture(name)).object();
        QJsonArray kept;
        const QJsonArray splits = object.value(QStringLiteral("splits")).toArray();
        for (const auto &entry : splits) {
            if (entry.toObject().value(QStringLiteral("config")).toString() == config)
                kept.append(entry);
        }
        if (kept.isEmpty())
            return notFound;
        object.insert(QStringLiteral("splits"), kept);
        return serve(QJsonDocument(object).toJson());
    }
    if (endpoint == QLatin1String("info") && config.isEmpty()) {
        Reply reply = viewerInfoAllConfigs(stem, dataset);
        return reply.status == 200 ? serve(reply.body) : notFound;
    }
    // info with a config, size, first-rows: the most specific capture or nothing.
    const QString name = endpoint == QLatin1String("first-rows") ? viewerFile(endpoint, stem, config, split)
                                                                 : viewerFile(endpoint, stem, config);
    return hasFixture(name) ? serve(fixture(name)) : notFound;
}

// /info without a config answers a map config → info (openapi.json, ylecun/mnist example). Configs
// come from the /splits capture when there is one; those without an /info capture are reported as
// still pending, the way the real viewer reports configs it has not processed yet.
FakeHub::Reply FakeHub::viewerInfoAllConfigs(const QString &stem, const QString &dataset) const
{
    QStringList configs;
    const QJsonArray splits = QJsonDocument::fromJson(fixture(viewerFile(QStringLiteral("splits"), stem)))
                                  .object()
                                  .value(QStringLiteral("splits"))
                                  .toArray();
    for (const auto &entry : splits) {
        const QString config = entry.toObject().value(QStringLiteral("config")).toString();
        if (!config.isEmpty() && !configs.contains(config))
            configs.append(config);
    }
    if (configs.isEmpty()) {
        const QString prefix = QStringLiteral("info__") + stem + QStringLiteral("__");
        const QStringList names
            = QDir(m_root + u'/' + kViewerDir).entryList({prefix + QStringLiteral("*.json")}, QDir::Files);
        for (const QString &name : names)
            configs.append(name.mid(prefix.size()).chopped(5));
    }

    QJsonObject infos;
    QJsonArray pending;
    for (const QString &config : std::as_const(configs)) {
        const QString name = viewerFile(QStringLiteral("info"), stem, config);
        if (hasFixture(name)) {
            infos.insert(config, QJsonDocument::fromJson(fixture(name)).object().value(QStringLiteral("dataset_info")));
        } else {
            pending.append(QJsonObject {{QStringLiteral("kind"), QStringLiteral("config-parquet-and-info")},
                                        {QStringLiteral("dataset"), dataset},
                                        {QStringLiteral("config"), config},
                                        {QStringLiteral("split"), QJsonValue::Null}});
        }
    }
    Reply reply;
    if (infos.isEmpty()) {
        reply.status = 404;
        return reply;
    }
    const QJsonObject body {{QStringLiteral("dataset_info"), infos},
                            {QStringLiteral("pending"), pending},
                            {QStringLiteral("failed"), QJsonArray()},
                            {QStringLiteral("partial"), false}};
    reply.body = QJsonDocument(body).toJson();
    return reply;
}

} // namespace vibeml::test
