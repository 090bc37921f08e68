#include "hub/HubClient.h"

#include "hub/HubCache.h"
#include "hub/OfflineSnapshot.h"
#include "hub/RepoId.h"
#include "log/Logging.h"

#include <QCoreApplication>
#include <QPointer>
#include <QTimer>
#include <QUrlQuery>

namespace vibeml::hub {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("HubClient", text);
}

QString repoSegment(RepoKind kind)
{
    return kind == RepoKind::Dataset ? QStringLiteral("datasets") : QStringLiteral("models");
}

bool isCommitSha(const QString &revision)
{
    static const QRegularExpression sha(QStringLiteral("^[0-9a-f]{40}$"));
    return sha.match(revision).hasMatch();
}

HubError errorFor(const HttpResponse &response, RequestContext context)
{
    context.tokenSent = response.tokenSent;
    switch (response.failure) {
    case HttpResponse::Failure::Offline:
        return offlineError(context);
    case HttpResponse::Failure::Timeout:
        return transportError(HubError::Kind::Timeout, response.failureDetail, context);
    case HttpResponse::Failure::Network:
        return transportError(HubError::Kind::NetworkError, response.failureDetail, context);
    case HttpResponse::Failure::TooLarge:
        return transportError(HubError::Kind::ResponseTooLarge, response.failureDetail, context);
    case HttpResponse::Failure::TooManyRedirects:
        return transportError(HubError::Kind::TooManyRedirects, response.failureDetail, context);
    case HttpResponse::Failure::None:
        break;
    }
    return classifyHttpError(response.status, response.headers, response.body, context);
}

bool unreachable(const HttpResponse &response)
{
    return response.failure == HttpResponse::Failure::Offline || response.failure == HttpResponse::Failure::Network
           || response.failure == HttpResponse::Failure::Timeout;
}

template<typename T>
auto ignoreHeaders(Result<T, ParseError> (*parser)(const QByteArray &))
{
    return [parser](const QByteArray &body, const RawHeaders &) { return parser(body); };
}

// The first page of a search, sorted by downloads, with the fields the pickers show.
QUrl searchUrl(QUrl url, RepoKind kind, const QString &query, int limit)
{
    QUrlQuery items;
    items.addQueryItem(QStringLiteral("search"), QString::fromLatin1(QUrl::toPercentEncoding(query.trimmed().left(200))));
    items.addQueryItem(QStringLiteral("sort"), QStringLiteral("downloads"));
    items.addQueryItem(QStringLiteral("limit"), QString::number(std::clamp(limit, 1, 100)));
    const QStringList expand = kind == RepoKind::Model
                                   ? QStringList{QStringLiteral("downloads"), QStringLiteral("likes"), QStringLiteral("gated"),
                                                 QStringLiteral("pipeline_tag"), QStringLiteral("library_name"),
                                                 QStringLiteral("safetensors"), QStringLiteral("tags"), QStringLiteral("private"),
                                                 QStringLiteral("createdAt")}
                                   : QStringList{QStringLiteral("downloads"), QStringLiteral("likes"), QStringLiteral("gated"),
                                                 QStringLiteral("tags"), QStringLiteral("private"), QStringLiteral("createdAt")};
    for (const QString &field : expand)
        items.addQueryItem(QStringLiteral("expand[]"), field);
    url.setQuery(items);
    return url;
}

Result<SearchPage, ParseError> parseSearch(const QByteArray &body, const RawHeaders &headers, RepoKind kind, const QUrl &endpoint)
{
    auto page = parseSearchPage(body, kind);
    if (!page)
        return page;
    SearchPage value = std::move(page).value();
    value.next = nextPageUrl(headerValue(headers, "Link"), endpoint);
    return value;
}

} // namespace

QString describeOrigin(AnswerOrigin origin, const QDateTime &fetchedAt, const QDateTime &now)
{
    const qint64 seconds = fetchedAt.isValid() ? std::max<qint64>(0, fetchedAt.secsTo(now)) : 0;
    QString age;
    if (seconds < 90)
        age = tr("just now");
    else if (seconds < 90 * 60)
        age = tr("%1 min ago").arg(seconds / 60);
    else if (seconds < 36 * 3600)
        age = tr("%1 h ago").arg(seconds / 3600);
    else
        age = tr("%1 days ago").arg(seconds / 86400);
    switch (origin) {
    case AnswerOrigin::Network:
        return tr("live");
    case AnswerOrigin::Cache:
        return tr("cached %1").arg(age);
    case AnswerOrigin::StaleCache:
        return tr("offline: cached %1").arg(age);
    case AnswerOrigin::Snapshot:
        return tr("offline snapshot of %1").arg(fetchedAt.date().toString(Qt::ISODate));
    }
    return {};
}

HubClient::HubClient(HubTransport &transport, HubCache *cache, const OfflineSnapshot *snapshot, QObject *parent)
    : QObject(parent), m_transport(transport), m_cache(cache), m_snapshot(snapshot)
{
}

void HubClient::setToken(const ResolvedToken &token)
{
    m_token = token;
    m_transport.setToken(token.token);
    Q_EMIT tokenChanged();
}

QUrl HubClient::hubUrl(const QString &path) const
{
    QUrl url = m_transport.endpoints().hub;
    QString prefix = url.path();
    while (prefix.endsWith(QLatin1Char('/')))
        prefix.chop(1);
    url.setPath(prefix + path, QUrl::TolerantMode);
    return url;
}

QUrl HubClient::viewerUrl(const QString &path, const QList<std::pair<QString, QString>> &query) const
{
    QUrl url = m_transport.endpoints().viewer;
    QString prefix = url.path();
    while (prefix.endsWith(QLatin1Char('/')))
        prefix.chop(1);
    url.setPath(prefix + path);
    QUrlQuery items;
    for (const auto &[key, value] : query) {
        if (!value.isEmpty())
            items.addQueryItem(key, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    }
    url.setQuery(items);
    return url;
}

RequestContext HubClient::repoContext(RepoKind kind, const QString &id, const QString &revision) const
{
    RequestContext context;
    context.target = RequestContext::Target::Repo;
    context.repoKind = kind;
    context.repoId = id;
    context.revision = revision;
    context.tokenSource = m_token.describe();
    context.hubEndpoint = m_transport.endpoints().hub;
    return context;
}

std::optional<HubError> HubClient::checkId(const QString &id, const QString &revision, RepoKind kind) const
{
    std::optional<QString> problem = repoIdProblem(id);
    if (!problem && !revision.isEmpty())
        problem = revisionProblem(revision);
    if (!problem)
        return std::nullopt;
    HubError error;
    error.kind = HubError::Kind::InvalidId;
    error.message = *problem;
    Q_UNUSED(kind)
    return error;
}

bool HubClient::takeCancelled(Handle handle)
{
    return m_cancelled.remove(handle);
}

void HubClient::deliverLater(Handle handle, QObject *receiver, std::function<void()> deliver)
{
    m_deliveringLater.insert(handle);
    QPointer<QObject> guard(receiver);
    const bool hadReceiver = receiver != nullptr;
    QTimer::singleShot(0, this, [this, handle, guard, hadReceiver, deliver = std::move(deliver)] {
        m_deliveringLater.remove(handle);
        if (takeCancelled(handle) || (hadReceiver && !guard))
            return;
        deliver();
    });
}

template<typename T>
HubClient::Handle HubClient::failLater(HubError error, QObject *receiver, Callback<T> callback)
{
    const Handle handle = m_nextHandle++;
    deliverLater(handle, receiver, [error = std::move(error), callback = std::move(callback)] { callback(error); });
    return handle;
}

template<typename T, typename Parse>
HubClient::Handle HubClient::fetch(Call call, QObject *receiver, Parse parse, Callback<T> callback)
{
    const Handle handle = m_nextHandle++;
    fetchInto<T>(handle, std::move(call), receiver, std::move(parse), std::move(callback));
    return handle;
}

template<typename T, typename Parse>
void HubClient::fetchInto(Handle handle, Call call, QObject *receiver, Parse parse, Callback<T> callback)
{
    const QString cacheToken = call.request.allowToken ? m_token.token : QString();
    const QString key = HubCache::keyFor(call.request.method, call.request.url, cacheToken);

    if (m_cache && call.ttl.count() > 0 && !m_transport.endpoints().offline) {
        if (const auto entry = m_cache->lookup(key)) {
            const qint64 age = entry->fetchedAt.secsTo(QDateTime::currentDateTimeUtc());
            if (age >= 0 && age < call.ttl.count()) {
                auto parsed = parse(entry->body, entry->headers);
                if (parsed) {
                    Fetched<T> answer{std::move(parsed).value(), AnswerOrigin::Cache, entry->fetchedAt};
                    deliverLater(handle, receiver, [callback, answer = std::move(answer)] { callback(answer); });
                    return;
                }
            }
        }
    }

    QPointer<QObject> guard(receiver);
    const bool hadReceiver = receiver != nullptr;
    const auto onResponse = [this, handle, call, key, guard, hadReceiver, parse, callback](const HttpResponse &response) {
        m_inFlight.erase(handle);
        if (hadReceiver && !guard)
            return;
        if (response.isSuccess()) {
            auto parsed = parse(response.body, response.headers);
            if (!parsed) {
                log::hub()->warn("Unreadable answer from {}: {}", response.finalUrl, parsed.error().message);
                callback(malformedResponse(parsed.error().message, call.context));
                return;
            }
            if (m_cache && call.ttl.count() > 0)
                m_cache->store(key, response.body, response.headers);
            callback(Fetched<T>{std::move(parsed).value(), AnswerOrigin::Network, QDateTime::currentDateTimeUtc()});
            return;
        }
        if (unreachable(response)) {
            // Better an answer with a visible age than none at all.
            if (m_cache) {
                if (const auto entry = m_cache->lookup(key)) {
                    if (auto parsed = parse(entry->body, entry->headers)) {
                        callback(Fetched<T>{std::move(parsed).value(), AnswerOrigin::StaleCache, entry->fetchedAt});
                        return;
                    }
                }
            }
            if (m_snapshot && !call.snapshotPath.isEmpty()) {
                if (const auto body = m_snapshot->body(call.snapshotPath)) {
                    if (auto parsed = parse(*body, RawHeaders{})) {
                        callback(Fetched<T>{std::move(parsed).value(), AnswerOrigin::Snapshot,
                                            QDateTime(m_snapshot->capturedOn(), QTime(0, 0), Qt::UTC)});
                        return;
                    }
                }
            }
        }
        const HubError error = errorFor(response, call.context);
        log::hub()->info("{}: {} ({})", response.finalUrl, error.message, error.detail);
        callback(error);
    };
    m_inFlight[handle] = m_transport.send(call.request, this, onResponse);
}

void HubClient::cancel(Handle handle)
{
    const auto found = m_inFlight.find(handle);
    if (found != m_inFlight.end()) {
        m_transport.cancel(found->second);
        m_inFlight.erase(found);
    } else if (m_deliveringLater.contains(handle)) {
        m_cancelled.insert(handle);
    }
}

HubClient::Handle HubClient::modelInfo(const QString &id, const QString &revision, QObject *receiver,
                                       Callback<ModelInfo> callback)
{
    if (auto problem = checkId(id, revision, RepoKind::Model))
        return failLater<ModelInfo>(*problem, receiver, std::move(callback));
    const bool pinned = !revision.isEmpty() && revision != QLatin1String("main");
    Call call;
    call.context = repoContext(RepoKind::Model, id, revision.isEmpty() ? QStringLiteral("main") : revision);
    const QString base = QStringLiteral("/api/models/") + id;
    call.request.url = hubUrl(pinned ? base + QStringLiteral("/revision/") + encodePathSegment(revision) : base);
    call.ttl = isCommitSha(revision) ? m_ttl.pinned : m_ttl.info;
    call.snapshotPath = pinned ? QString() : base;
    return fetch<ModelInfo>(std::move(call), receiver, ignoreHeaders(&parseModelInfo), std::move(callback));
}

HubClient::Handle HubClient::datasetInfo(const QString &id, const QString &revision, QObject *receiver,
                                         Callback<DatasetInfo> callback)
{
    if (auto problem = checkId(id, revision, RepoKind::Dataset))
        return failLater<DatasetInfo>(*problem, receiver, std::move(callback));
    const bool pinned = !revision.isEmpty() && revision != QLatin1String("main");
    Call call;
    call.context = repoContext(RepoKind::Dataset, id, revision.isEmpty() ? QStringLiteral("main") : revision);
    const QString base = QStringLiteral("/api/datasets/") + id;
    call.request.url = hubUrl(pinned ? base + QStringLiteral("/revision/") + encodePathSegment(revision) : base);
    call.ttl = isCommitSha(revision) ? m_ttl.pinned : m_ttl.info;
    call.snapshotPath = pinned ? QString() : base;
    return fetch<DatasetInfo>(std::move(call), receiver, ignoreHeaders(&parseDatasetInfo), std::move(callback));
}

HubClient::Handle HubClient::search(RepoKind kind, const QString &query, int limit, QObject *receiver,
                                    Callback<SearchPage> callback)
{
    return nextPage(kind, searchUrl(hubUrl(QStringLiteral("/api/") + repoSegment(kind)), kind, query, limit), receiver,
                    std::move(callback));
}

std::optional<Fetched<SearchPage>> HubClient::cachedSearch(RepoKind kind, const QString &query, int limit) const
{
    // The same lookup fetchInto() makes for search() before it goes to the network.
    if (!m_cache || m_ttl.search.count() <= 0 || m_transport.endpoints().offline)
        return std::nullopt;
    const QUrl url = searchUrl(hubUrl(QStringLiteral("/api/") + repoSegment(kind)), kind, query, limit);
    const auto entry = m_cache->lookup(HubCache::keyFor("GET", url, m_token.token));
    if (!entry)
        return std::nullopt;
    const qint64 age = entry->fetchedAt.secsTo(QDateTime::currentDateTimeUtc());
    if (age < 0 || age >= m_ttl.search.count())
        return std::nullopt;
    auto parsed = parseSearch(entry->body, entry->headers, kind, m_transport.endpoints().hub);
    if (!parsed)
        return std::nullopt;
    return Fetched<SearchPage>{std::move(parsed).value(), AnswerOrigin::Cache, entry->fetchedAt};
}

HubClient::Handle HubClient::nextPage(RepoKind kind, const QUrl &next, QObject *receiver, Callback<SearchPage> callback)
{
    Call call;
    call.context.target = RequestContext::Target::Search;
    call.context.repoKind = kind;
    call.context.tokenSource = m_token.describe();
    call.context.hubEndpoint = m_transport.endpoints().hub;
    call.request.url = next;
    call.request.maxAttempts = 1;
    call.ttl = m_ttl.search;
    const QUrl endpoint = m_transport.endpoints().hub;
    const auto parse = [kind, endpoint](const QByteArray &body, const RawHeaders &headers) {
        return parseSearch(body, headers, kind, endpoint);
    };
    return fetch<SearchPage>(std::move(call), receiver, parse, std::move(callback));
}

HubClient::Handle HubClient::authCheck(RepoKind kind, const QString &id, QObject *receiver, Callback<bool> callback)
{
    if (auto problem = checkId(id, {}, kind))
        return failLater<bool>(*problem, receiver, std::move(callback));
    Call call;
    call.context = repoContext(kind, id, {});
    call.request.url = hubUrl(QStringLiteral("/api/") + repoSegment(kind) + QLatin1Char('/') + id + QStringLiteral("/auth-check"));
    const auto parse = [](const QByteArray &, const RawHeaders &) -> Result<bool, ParseError> { return true; };
    return fetch<bool>(std::move(call), receiver, parse, std::move(callback));
}

HubClient::Handle HubClient::whoami(QObject *receiver, Callback<WhoAmI> callback)
{
    if (m_token.isEmpty()) {
        HubError error;
        error.kind = HubError::Kind::NoToken;
        error.message = tr("No Hugging Face token is set. Save one in Preferences › Secrets (or `vibeml config set-token "
                           "hf`), or set HF_TOKEN.");
        return failLater<WhoAmI>(error, receiver, std::move(callback));
    }
    const QString fingerprint = HubCache::tokenFingerprint(m_token.token);
    if (const auto known = m_whoamiByToken.constFind(fingerprint); known != m_whoamiByToken.cend()) {
        const Handle handle = m_nextHandle++;
        Fetched<WhoAmI> answer{known.value(), AnswerOrigin::Cache, QDateTime::currentDateTimeUtc()};
        deliverLater(handle, receiver, [callback = std::move(callback), answer] { callback(answer); });
        return handle;
    }
    Call call;
    call.context.target = RequestContext::Target::Whoami;
    call.context.tokenSource = m_token.describe();
    call.context.hubEndpoint = m_transport.endpoints().hub;
    call.request.url = hubUrl(QStringLiteral("/api/whoami-v2"));
    call.ttl = m_ttl.whoami;
    const auto remember = [this, fingerprint, callback = std::move(callback)](const HubResult<WhoAmI> &result) {
        if (result)
            m_whoamiByToken.insert(fingerprint, result.value().value);
        callback(result);
    };
    return fetch<WhoAmI>(std::move(call), receiver, ignoreHeaders(&parseWhoAmI), Callback<WhoAmI>(remember));
}

HubClient::Handle HubClient::modelConfig(const QString &id, const QString &revision, QObject *receiver,
                                         Callback<ModelConfig> callback)
{
    const QString rev = revision.isEmpty() ? QStringLiteral("main") : revision;
    if (auto problem = checkId(id, rev, RepoKind::Model))
        return failLater<ModelConfig>(*problem, receiver, std::move(callback));
    Call call;
    call.context = repoContext(RepoKind::Model, id, rev);
    call.context.target = RequestContext::Target::RepoFile;
    call.context.path = QStringLiteral("config.json");
    const QString path = QLatin1Char('/') + id + QStringLiteral("/resolve/") + encodePathSegment(rev) + QStringLiteral("/config.json");
    call.request.url = hubUrl(path);
    call.request.maxBytes = 4 * 1024 * 1024;
    call.ttl = isCommitSha(rev) ? m_ttl.pinned : m_ttl.info;
    call.snapshotPath = QLatin1Char('/') + id + QStringLiteral("/resolve/main/config.json");
    return fetch<ModelConfig>(std::move(call), receiver, ignoreHeaders(&parseModelConfig), std::move(callback));
}

HubClient::Handle HubClient::tree(RepoKind kind, const QString &id, const QString &revision, const QString &path,
                                  bool recursive, QObject *receiver, Callback<QList<TreeEntry>> callback)
{
    const QString rev = revision.isEmpty() ? QStringLiteral("main") : revision;
    if (auto problem = checkId(id, rev, kind))
        return failLater<QList<TreeEntry>>(*problem, receiver, std::move(callback));
    Call call;
    call.context = repoContext(kind, id, rev);
    call.context.target = RequestContext::Target::RepoFile;
    call.context.path = path;
    QString urlPath = QStringLiteral("/api/") + repoSegment(kind) + QLatin1Char('/') + id + QStringLiteral("/tree/")
                      + encodePathSegment(rev);
    for (const QString &segment : path.split(QLatin1Char('/'), Qt::SkipEmptyParts))
        urlPath += QLatin1Char('/') + encodePathSegment(segment);
    QUrl url = hubUrl(urlPath);
    if (recursive)
        url.setQuery(QStringLiteral("recursive=true"));
    call.request.url = url;
    call.ttl = isCommitSha(rev) ? m_ttl.pinned : m_ttl.info;
    const Handle handle = m_nextHandle++;
    fetchTreePage(handle, call, url, {}, 1, receiver, std::move(callback));
    return handle;
}

void HubClient::fetchTreePage(Handle handle, const Call &first, QUrl url, QList<TreeEntry> soFar, int page,
                              QObject *receiver, Callback<QList<TreeEntry>> callback)
{
    struct TreePage
    {
        QList<TreeEntry> entries;
        QUrl next;
    };
    Call call = first;
    call.request.url = std::move(url);
    const QUrl endpoint = m_transport.endpoints().hub;
    const auto parse = [endpoint](const QByteArray &body, const RawHeaders &headers) -> Result<TreePage, ParseError> {
        auto entries = parseTree(body);
        if (!entries)
            return entries.error();
        return TreePage{std::move(entries).value(), nextPageUrl(headerValue(headers, "Link"), endpoint)};
    };
    const auto onPage = [this, handle, first, soFar, page, receiver, callback](const HubResult<TreePage> &result) {
        if (!result) {
            callback(result.error());
            return;
        }
        QList<TreeEntry> all = soFar + result.value().value.entries;
        const QUrl next = result.value().value.next;
        if (next.isValid() && !next.isEmpty() && page < 20) {
            fetchTreePage(handle, first, next, std::move(all), page + 1, receiver, callback);
            return;
        }
        callback(Fetched<QList<TreeEntry>>{std::move(all), result.value().origin, result.value().fetchedAt});
    };
    fetchInto<TreePage>(handle, std::move(call), receiver, parse, Callback<TreePage>(onPage));
}

HubClient::Handle HubClient::viewerValidity(const QString &dataset, QObject *receiver, Callback<ViewerValidity> callback)
{
    if (auto problem = checkId(dataset, {}, RepoKind::Dataset))
        return failLater<ViewerValidity>(*problem, receiver, std::move(callback));
    Call call;
    call.context = repoContext(RepoKind::Dataset, dataset, {});
    call.context.target = RequestContext::Target::Viewer;
    call.request.url = viewerUrl(QStringLiteral("/is-valid"), {{QStringLiteral("dataset"), dataset}});
    call.request.maxAttempts = 3;
    call.ttl = m_ttl.viewer;
    return fetch<ViewerValidity>(std::move(call), receiver, ignoreHeaders(&parseViewerValidity), std::move(callback));
}

HubClient::Handle HubClient::viewerSplits(const QString &dataset, QObject *receiver, Callback<ViewerSplits> callback)
{
    if (auto problem = checkId(dataset, {}, RepoKind::Dataset))
        return failLater<ViewerSplits>(*problem, receiver, std::move(callback));
    Call call;
    call.context = repoContext(RepoKind::Dataset, dataset, {});
    call.context.target = RequestContext::Target::Viewer;
    call.request.url = viewerUrl(QStringLiteral("/splits"), {{QStringLiteral("dataset"), dataset}});
    call.request.maxAttempts = 3;
    call.ttl = m_ttl.viewer;
    return fetch<ViewerSplits>(std::move(call), receiver, ignoreHeaders(&parseViewerSplits), std::move(callback));
}

HubClient::Handle HubClient::viewerInfo(const QString &dataset, const QString &config, QObject *receiver,
                                        Callback<ViewerInfo> callback)
{
    if (auto problem = checkId(dataset, {}, RepoKind::Dataset))
        return failLater<ViewerInfo>(*problem, receiver, std::move(callback));
    Call call;
    call.context = repoContext(RepoKind::Dataset, dataset, {});
    call.context.target = RequestContext::Target::Viewer;
    call.request.url = viewerUrl(QStringLiteral("/info"), {{QStringLiteral("dataset"), dataset}, {QStringLiteral("config"), config}});
    call.request.maxAttempts = 3;
    call.ttl = m_ttl.viewer;
    return fetch<ViewerInfo>(std::move(call), receiver, ignoreHeaders(&parseViewerInfo), std::move(callback));
}

HubClient::Handle HubClient::viewerSize(const QString &dataset, const QString &config, QObject *receiver,
                                        Callback<ViewerSize> callback)
{
    if (auto problem = checkId(dataset, {}, RepoKind::Dataset))
        return failLater<ViewerSize>(*problem, receiver, std::move(callback));
    Call call;
    call.context = repoContext(RepoKind::Dataset, dataset, {});
    call.context.target = RequestContext::Target::Viewer;
    call.request.url = viewerUrl(QStringLiteral("/size"), {{QStringLiteral("dataset"), dataset}, {QStringLiteral("config"), config}});
    call.request.maxAttempts = 3;
    call.ttl = m_ttl.viewer;
    return fetch<ViewerSize>(std::move(call), receiver, ignoreHeaders(&parseViewerSize), std::move(callback));
}

HubClient::Handle HubClient::firstRows(const QString &dataset, const QString &config, const QString &split,
                                       QObject *receiver, Callback<FirstRows> callback)
{
    if (auto problem = checkId(dataset, {}, RepoKind::Dataset))
        return failLater<FirstRows>(*problem, receiver, std::move(callback));
    Call call;
    call.context = repoContext(RepoKind::Dataset, dataset, {});
    call.context.target = RequestContext::Target::Viewer;
    call.request.url = viewerUrl(QStringLiteral("/first-rows"), {{QStringLiteral("dataset"), dataset},
                                                                 {QStringLiteral("config"), config},
                                                                 {QStringLiteral("split"), split}});
    call.request.maxAttempts = 3;
    call.request.maxBytes = 4 * 1024 * 1024;
    call.ttl = m_ttl.viewer;
    return fetch<FirstRows>(std::move(call), receiver, ignoreHeaders(&parseFirstRows), std::move(callback));
}

} // namespace vibeml::hub
