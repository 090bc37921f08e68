// The Hub side of FakeHub: /api/… and /<org>/<name>/resolve/…, reproducing the status and header
// matrix of hub.md §1.8 for every kind of token.

#include "FakeHub.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace vibeml::test {

namespace {

constexpr QLatin1String kEnvelopeRepo("meta-llama/Llama-3.1-8B-Instruct");
constexpr QLatin1String kFineGrainedMessage(
    "Please enable access to public gated repositories in your fine-grained token settings to view this repository.");

// Repos the real Hub moved; it answers their old ids with a relative 307 (hub.md §1.7).
QString renamedModel(const QString &legacyId)
{
    if (legacyId == QLatin1String("bert-base-uncased"))
        return QStringLiteral("google-bert/bert-base-uncased");
    return {};
}

// huggingface_hub ExpandDatasetProperty_T: the values /api/datasets accepts for expand[].
const QStringList &datasetExpand()
{
    static const QStringList values = {
        QStringLiteral("author"),        QStringLiteral("cardData"),
        QStringLiteral("citation"),      QStringLiteral("createdAt"),
        QStringLiteral("description"),   QStringLiteral("disabled"),
        QStringLiteral("downloads"),     QStringLiteral("downloadsAllTime"),
        QStringLiteral("gated"),         QStringLiteral("lastModified"),
        QStringLiteral("likes"),         QStringLiteral("paperswithcode_id"),
        QStringLiteral("private"),       QStringLiteral("siblings"),
        QStringLiteral("sha"),           QStringLiteral("tags"),
        QStringLiteral("trendingScore"), QStringLiteral("usedStorage"),
        QStringLiteral("resourceGroup"), QStringLiteral("xetEnabled"),
    };
    return values;
}

// Clients spell list parameters "expand=a&expand=b" (huggingface_hub) or "expand[]=a" (browsers).
QStringList expandValues(const QUrlQuery &query)
{
    QStringList values;
    const auto items = query.queryItems(QUrl::FullyDecoded);
    for (const auto &[key, value] : items) {
        if (key == QLatin1String("expand") || key == QLatin1String("expand[]"))
            values.append(value);
    }
    return values;
}

QString queryValue(const QUrlQuery &query, const QString &key)
{
    return query.queryItemValue(key, QUrl::FullyDecoded);
}

QString joinedTail(const QStringList &encodedSegments, qsizetype from, const QString &rawQuery)
{
    QString tail;
    for (qsizetype i = from; i < encodedSegments.size(); ++i)
        tail += u'/' + encodedSegments.at(i);
    if (!rawQuery.isEmpty())
        tail += u'?' + rawQuery;
    return tail;
}

// Git's blob id, as the Hub sends it in ETag for small files.
QByteArray gitBlobId(const QByteArray &content)
{
    QCryptographicHash hash(QCryptographicHash::Sha1);
    hash.addData(QByteArray("blob " + QByteArray::number(content.size()) + '\0'));
    hash.addData(content);
    return hash.result().toHex();
}

} // namespace

FakeHub::Reply FakeHub::route(const Call &call)
{
    const QStringList &s = call.segments;
    if (s.value(0) == QLatin1String("api"))
        return routeApi(call);
    if (s.size() >= 5 && s.at(2) == QLatin1String("resolve"))
        return routeResolve(RepoType::Model, s, call);
    if (s.size() >= 6 && s.at(0) == QLatin1String("datasets") && s.at(3) == QLatin1String("resolve"))
        return routeResolve(RepoType::Dataset, s.mid(1), call);
    static const QStringList viewerEndpoints
        = {QStringLiteral("is-valid"), QStringLiteral("splits"), QStringLiteral("info"), QStringLiteral("size"),
           QStringLiteral("first-rows")};
    if (s.size() == 1 && viewerEndpoints.contains(s.at(0)))
        return routeViewer(call);
    Reply reply;
    reply.status = 404;
    reply.setHeader(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/plain; charset=utf-8"));
    reply.body = QByteArrayLiteral("Not Found");
    return reply;
}

FakeHub::Reply FakeHub::routeApi(const Call &call)
{
    // A bad token fails every Hub call, public repos included (hub.md §1.8: never "not found").
    if (!call.anonymous && call.token == TokenKind::Invalid)
        return invalidTokenReply();
    const QStringList &s = call.segments;
    if (s.size() == 2 && s.at(1) == QLatin1String("whoami-v2"))
        return routeWhoami(call);
    const QString kind = s.value(1);
    if (kind == QLatin1String("models") || kind == QLatin1String("datasets")) {
        const RepoType type = kind == QLatin1String("models") ? RepoType::Model : RepoType::Dataset;
        return s.size() == 2 ? routeSearch(type, call) : routeRepo(type, call);
    }
    return errorReply(404, QStringLiteral("Sorry, we can't find the page you are looking for."));
}

FakeHub::Reply FakeHub::routeWhoami(const Call &call) const
{
    if (call.anonymous)
        return envelope(QStringLiteral("errors/api__whoami-v2__401-no-token.json"));
    switch (call.token) {
    case TokenKind::Valid:
        return jsonReply(fixture(QStringLiteral("api__whoami-v2.json")));
    case TokenKind::FineGrainedNoGatedScope: {
        // Text substitution keeps the captured key order, which a QJsonObject round trip would sort.
        QByteArray body = fixture(QStringLiteral("api__whoami-v2.json"));
        body.replace("\"canReadGatedRepos\": true", "\"canReadGatedRepos\": false");
        return jsonReply(body);
    }
    case TokenKind::NotApproved:
        return jsonReply(fixture(QStringLiteral("api__whoami-v2__read-token.json")));
    case TokenKind::Invalid:
        break;
    }
    return invalidTokenReply();
}

FakeHub::Reply FakeHub::routeSearch(RepoType type, const Call &call) const
{
    const QString search = queryValue(call.query, QStringLiteral("search")).toLower();
    if (!isSafeName(search))
        return jsonReply(QByteArrayLiteral("[]"));
    const QString base = QStringLiteral("api__") + typePlural(type) + QStringLiteral("__search-") + search;
    QString stem = base;
    if (call.query.hasQueryItem(QStringLiteral("cursor")))
        stem = base + QStringLiteral("__page2");
    else if (!expandValues(call.query).isEmpty() && hasFixture(base + QStringLiteral("__expand.json")))
        stem = base + QStringLiteral("__expand");
    if (!hasFixture(stem + QStringLiteral(".json")))
        return jsonReply(QByteArrayLiteral("[]"));

    Reply reply = jsonReply(fixture(stem + QStringLiteral(".json")));
    // An expanded first page pages on like the plain one: it shares the plain page's headers.
    const QString sidecar = (stem.endsWith(QLatin1String("__expand")) ? base : stem) + QStringLiteral(".headers.json");
    if (hasFixture(sidecar)) {
        const Reply recorded = envelope(sidecar);
        for (const auto &[name, value] : recorded.headers) {
            if (name.startsWith("RateLimit") || name == "X-Request-Id")
                continue; // live values are added by finishHeaders()
            if (name.compare("Link", Qt::CaseInsensitive) != 0) {
                reply.setHeader(name, value);
                continue;
            }
            // The Hub writes its own absolute origin into Link; a fake must point at itself or the
            // client would page on to the real huggingface.co.
            static const QRegularExpression origin(QStringLiteral("<[A-Za-z][A-Za-z0-9+.-]*://[^/>]*"));
            QString link = QString::fromUtf8(value);
            link.replace(origin, u'<' + url().toString());
            reply.setHeader(name, link.toUtf8());
        }
    }
    return reply;
}

FakeHub::Reply FakeHub::routeRepo(RepoType type, const Call &call) const
{
    const QStringList rest = call.segments.mid(2);
    const QString plural = QStringLiteral("/api/") + typePlural(type) + u'/';
    if (type == RepoType::Model) {
        if (const QString target = renamedModel(rest.at(0)); !target.isEmpty())
            return redirectTo(307, plural + target + joinedTail(call.encodedSegments, 3, call.rawQuery));
    }
    if (rest.size() < 2)
        return missingRepo(call);
    const QString id = rest.at(0) + u'/' + rest.at(1);
    const std::optional<RepoInfo> repo = findRepo(type, id);
    if (!repo) {
        if (const QString canonical = caseInsensitiveRepo(type, id); !canonical.isEmpty())
            return redirectTo(307, plural + canonical + joinedTail(call.encodedSegments, 4, call.rawQuery));
        return missingRepo(call);
    }

    const QStringList tail = rest.mid(2);
    if (tail.isEmpty())
        return routeInfo(type, *repo, QStringLiteral("main"), call);
    if (tail.size() == 2 && tail.at(0) == QLatin1String("revision"))
        return routeInfo(type, *repo, tail.at(1), call);
    if (tail.size() >= 2 && tail.at(0) == QLatin1String("tree"))
        return routeTree(type, *repo, tail, call);
    if (tail.size() == 1 && tail.at(0) == QLatin1String("auth-check"))
        return routeAuthCheck(type, *repo, call);
    return errorReply(404, QStringLiteral("Sorry, we can't find the page you are looking for."));
}

FakeHub::Reply FakeHub::routeInfo(RepoType type, const RepoInfo &repo, const QString &revision, const Call &call) const
{
    if (revision != QLatin1String("main") && revision != repo.sha)
        return revisionNotFound(revision);
    const QStringList expand = expandValues(call.query);
    if (expand.isEmpty())
        return jsonReply(repo.body);

    Reply invalid
        = envelope(QStringLiteral("errors/api__models__Qwen--Qwen2.5-0.5B-Instruct__400-invalid-expand.json"));
    QStringList allowed = datasetExpand();
    if (type == RepoType::Model) {
        const QString message = QString::fromUtf8(invalid.body);
        const QString marker = QStringLiteral("expected one of: ");
        const qsizetype at = message.indexOf(marker);
        QString list = message.mid(at + marker.size());
        list.truncate(list.indexOf(u'"'));
        allowed = list.split(QStringLiteral(", "));
    } else {
        const QString message
            = QStringLiteral("Invalid expand value; expected one of: ") + datasetExpand().join(QStringLiteral(", "));
        invalid.body = QJsonDocument(QJsonObject {{QStringLiteral("error"), message}}).toJson(QJsonDocument::Compact);
    }
    for (const QString &value : expand) {
        if (!allowed.contains(value))
            return invalid;
    }

    const QString stem = QStringLiteral("api__") + typePlural(type) + QStringLiteral("__")
        + QString(repo.id).replace(u'/', QStringLiteral("--"));
    if (hasFixture(stem + QStringLiteral("__expand.json")))
        return jsonReply(fixture(stem + QStringLiteral("__expand.json")));
    // No captured variant: the Hub's rule is "_id and id plus the requested keys".
    const QJsonObject full = QJsonDocument::fromJson(repo.body).object();
    QJsonObject partial;
    QStringList keys = {QStringLiteral("_id"), QStringLiteral("id")};
    keys += expand;
    for (const QString &key : std::as_const(keys)) {
        if (full.contains(key))
            partial.insert(key, full.value(key));
    }
    return jsonReply(QJsonDocument(partial).toJson());
}

FakeHub::Reply FakeHub::routeTree(RepoType type, const RepoInfo &repo, const QStringList &tail, const Call &call) const
{
    const QString &revision = tail.at(1);
    if (revision != QLatin1String("main") && revision != repo.sha)
        return revisionNotFound(revision);
    const QString subPath = tail.mid(2).join(u'/');
    const QString recursiveValue = queryValue(call.query, QStringLiteral("recursive")).toLower();
    const bool recursive = recursiveValue == QLatin1String("true") || recursiveValue == QLatin1String("1");
    // Fixtures exist for "main" only; a pinned sha is the same tree.
    const QString stem = QStringLiteral("api__") + typePlural(type) + QStringLiteral("__")
        + QString(repo.id).replace(u'/', QStringLiteral("--")) + QStringLiteral("__tree__main");
    const QString flat = stem + QStringLiteral(".json");
    const QString deep = stem + QStringLiteral("__recursive.json");

    if (subPath.isEmpty()) {
        if (recursive && hasFixture(deep))
            return jsonReply(fixture(deep));
        return hasFixture(flat) ? jsonReply(fixture(flat)) : entryNotFound();
    }
    // A folder listing is cut out of the recursive capture (or the flat one when there is none).
    const QByteArray source = hasFixture(deep) ? fixture(deep) : fixture(flat);
    const QString prefix = subPath + u'/';
    QJsonArray entries;
    const QJsonArray all = QJsonDocument::fromJson(source).array();
    for (const auto &entry : all) {
        const QString path = entry.toObject().value(QStringLiteral("path")).toString();
        if (path.startsWith(prefix) && (recursive || !path.mid(prefix.size()).contains(u'/')))
            entries.append(entry);
    }
    if (entries.isEmpty())
        return entryNotFound();
    return jsonReply(QJsonDocument(entries).toJson());
}

FakeHub::Reply FakeHub::routeAuthCheck(RepoType type, const RepoInfo &repo, const Call &call) const
{
    if (!repo.gated || (!call.anonymous && call.token == TokenKind::Valid))
        return jsonReply(QByteArrayLiteral("{}"));
    return gatedDenied(type, repo.id, call, false);
}

FakeHub::Reply FakeHub::routeResolve(RepoType type, const QStringList &rest, const Call &call) const
{
    // rest = org, name, "resolve", revision, path…
    if (!call.anonymous && call.token == TokenKind::Invalid)
        return invalidTokenReply();
    const QString id = rest.at(0) + u'/' + rest.at(1);
    const std::optional<RepoInfo> repo = findRepo(type, id);
    if (!repo)
        return missingRepo(call);
    if (repo->gated && (call.anonymous || call.token != TokenKind::Valid))
        return gatedDenied(type, repo->id, call, true);
    const QString &revision = rest.at(3);
    if (revision != QLatin1String("main") && revision != repo->sha)
        return revisionNotFound(revision);
    const QString file = rest.mid(4).join(u'/');
    if (type == RepoType::Model && file == QLatin1String("config.json")) {
        const QString name
            = QStringLiteral("config/") + rest.at(0) + QStringLiteral("--") + rest.at(1) + QStringLiteral(".json");
        if (hasFixture(name)) {
            Reply reply;
            reply.body = fixture(name);
            reply.setHeader(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json; charset=utf-8"));
            reply.setHeader(QByteArrayLiteral("X-Repo-Commit"), repo->sha.toUtf8());
            reply.setHeader(QByteArrayLiteral("ETag"), '"' + gitBlobId(reply.body) + '"');
            reply.setHeader(QByteArrayLiteral("Accept-Ranges"), QByteArrayLiteral("bytes"));
            reply.setHeader(QByteArrayLiteral("X-Powered-By"), QByteArrayLiteral("huggingface-moon"));
            return reply;
        }
    }
    return entryNotFound();
}

FakeHub::Reply FakeHub::missingRepo(const Call &call) const
{
    // Anonymous: 401 without X-Error-Code (missing and private look the same); with a token: 404.
    if (call.anonymous)
        return envelope(QStringLiteral("errors/api__models__no-such-org--no-such-model__401-anonymous.json"));
    return envelope(QStringLiteral("errors/api__models__no-such-org--no-such-model__404-authenticated.json"));
}

FakeHub::Reply FakeHub::invalidTokenReply() const
{
    return envelope(QStringLiteral("errors/api__whoami-v2__401-invalid-token.json"));
}

FakeHub::Reply FakeHub::revisionNotFound(const QString &revision) const
{
    Reply reply = envelope(
        QStringLiteral("errors/api__models__Qwen--Qwen2.5-0.5B-Instruct__revision__does-not-exist__404.json"));
    const QString message = QStringLiteral("Invalid rev id: ") + revision;
    reply.setHeader(QByteArrayLiteral("X-Error-Message"), message.toUtf8());
    reply.body = QJsonDocument(QJsonObject {{QStringLiteral("error"), message}}).toJson(QJsonDocument::Compact);
    return reply;
}

FakeHub::Reply FakeHub::entryNotFound() const
{
    return envelope(
        QStringLiteral("errors/api__models__Qwen--Qwen2.5-0.5B-Instruct__tree__main__no-such-dir__404.json"));
}

// The gated matrix: anonymous 401 GatedRepo, not approved 403 GatedRepo, fine-grained token without
// the gated scope 403 without a code. The envelopes were captured for meta-llama/Llama-3.1-8B-Instruct;
// the repo named in their messages is swapped for the one asked about.
FakeHub::Reply FakeHub::gatedDenied(RepoType type, const QString &id, const Call &call, bool resolve) const
{
    const QString resolvePrefix
        = QStringLiteral("errors/meta-llama--Llama-3.1-8B-Instruct__resolve__main__config.json__");
    Reply reply;
    if (call.anonymous) {
        reply = envelope(
            resolve
                ? resolvePrefix + QStringLiteral("401-gated-anonymous.json")
                : QStringLiteral(
                    "errors/api__models__meta-llama--Llama-3.1-8B-Instruct__commits__main__401-gated-anonymous.json"));
    } else if (call.token == TokenKind::FineGrainedNoGatedScope) {
        if (resolve) {
            reply = envelope(resolvePrefix + QStringLiteral("403-finegrained-no-gated-scope.json"));
        } else {
            reply = envelope(
                QStringLiteral("errors/api__models__meta-llama--Llama-3.1-8B-Instruct__auth-check__403-gated.json"));
            reply.removeHeader(QByteArrayLiteral("X-Error-Code"));
            reply.setHeader(QByteArrayLiteral("X-Error-Message"), QString(kFineGrainedMessage).toUtf8());
            reply.body = QJsonDocument(QJsonObject {{QStringLiteral("error"), QString(kFineGrainedMessage)}})
                             .toJson(QJsonDocument::Compact);
        }
    } else {
        reply = envelope(
            resolve
                ? resolvePrefix + QStringLiteral("403-gated-not-authorized.json")
                : QStringLiteral("errors/api__models__meta-llama--Llama-3.1-8B-Instruct__auth-check__403-gated.json"));
    }
    const QString site = QStringLiteral("https://huggingface.co/");
    const QByteArray capturedUrl = QString(site + kEnvelopeRepo).toUtf8();
    const QByteArray url
        = QString(site + (type == RepoType::Dataset ? QStringLiteral("datasets/") : QString()) + id).toUtf8();
    const QByteArray capturedName = QString(QStringLiteral("model ") + kEnvelopeRepo).toUtf8();
    const QByteArray name = (typeSingular(type) + u' ' + id).toUtf8();
    for (auto &header : reply.headers)
        header.second.replace(capturedUrl, url).replace(capturedName, name);
    reply.body.replace(capturedUrl, url).replace(capturedName, name);
    return reply;
}

FakeHub::Reply FakeHub::redirectTo(int status, const QString &location) const
{
    Reply reply = envelope(QStringLiteral("errors/api__models__bert-base-uncased__307-renamed.json"));
    reply.status = status;
    reply.setHeader(QByteArrayLiteral("Location"), location.toUtf8());
    const QByteArray reason = status == 307 ? QByteArrayLiteral("Temporary Redirect")
        : status == 308                     ? QByteArrayLiteral("Permanent Redirect")
        : status == 301                     ? QByteArrayLiteral("Moved Permanently")
        : status == 303                     ? QByteArrayLiteral("See Other")
                                            : QByteArrayLiteral("Found");
    reply.body = reason + ". Redirecting to " + location.toUtf8();
    return reply;
}

} // namespace vibeml::test
