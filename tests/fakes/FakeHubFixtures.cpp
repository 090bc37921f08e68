// Reading fixture bodies and {request,status,headers,body,note} envelopes from tests/data/hub.

#include "FakeHub.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace vibeml::test {

namespace {

// The headers the real Hub puts on every JSON reply (copied from the captured envelopes).
constexpr char kExposeHeaders[]
    = "X-Repo-Commit,X-Request-Id,X-Error-Code,X-Error-Message,X-Total-Count,ETag,Link,Accept-Ranges,Content-Range,"
      "X-Xet-Access-Token,X-Xet-Token-Expiration,X-Xet-Refresh-Route,X-Xet-Cas-Url,X-Xet-Hash";

} // namespace

QByteArray FakeHub::fixture(const QString &relative) const
{
    for (const QString &dir : QStringList {m_root, m_root + QStringLiteral("/fake")}) {
        QFile file(dir + u'/' + relative);
        if (file.open(QIODevice::ReadOnly)) {
            QByteArray bytes = file.readAll();
            if (bytes.isNull())
                bytes = QByteArray(""); // an empty file still exists
            return bytes;
        }
    }
    return {};
}

bool FakeHub::hasFixture(const QString &relative) const
{
    return QFileInfo::exists(m_root + u'/' + relative)
        || QFileInfo::exists(m_root + QStringLiteral("/fake/") + relative);
}

FakeHub::Reply FakeHub::envelope(const QString &relative) const
{
    const QJsonObject object = QJsonDocument::fromJson(fixture(relative)).object();
    Q_ASSERT_X(!object.isEmpty(), "FakeHub::envelope", "missing or unreadable envelope fixture");
    Reply reply;
    reply.status = object.value(QStringLiteral("status")).toInt(500);
    const QJsonObject headers = object.value(QStringLiteral("headers")).toObject();
    for (auto it = headers.constBegin(); it != headers.constEnd(); ++it)
        reply.setHeader(it.key().toUtf8(), it.value().toString().toUtf8());
    const QJsonValue body = object.value(QStringLiteral("body"));
    if (body.isString())
        reply.body = body.toString().toUtf8();
    else if (body.isObject())
        reply.body = QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact);
    else if (body.isArray())
        reply.body = QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact);
    return reply;
}

FakeHub::Reply FakeHub::jsonReply(const QByteArray &body, int status) const
{
    Reply reply;
    reply.status = status;
    reply.setHeader(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json; charset=utf-8"));
    reply.setHeader(QByteArrayLiteral("X-Powered-By"), QByteArrayLiteral("huggingface-moon"));
    reply.setHeader(QByteArrayLiteral("Access-Control-Expose-Headers"), QByteArray(kExposeHeaders));
    reply.setHeader(QByteArrayLiteral("Vary"), QByteArrayLiteral("Origin"));
    reply.body = body;
    return reply;
}

FakeHub::Reply FakeHub::errorReply(int status, const QString &message, const QByteArray &errorCode)
{
    Reply reply;
    reply.status = status;
    reply.setHeader(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json; charset=utf-8"));
    if (!errorCode.isEmpty())
        reply.setHeader(QByteArrayLiteral("X-Error-Code"), errorCode);
    reply.setHeader(QByteArrayLiteral("X-Error-Message"), message.toUtf8());
    reply.body = QJsonDocument(QJsonObject {{QStringLiteral("error"), message}}).toJson(QJsonDocument::Compact);
    return reply;
}

// Request-derived names become file names: allow only what Hub names allow, so "..", "/" and the
// like can never reach the file system.
bool FakeHub::isSafeName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$"));
    return pattern.match(name).hasMatch() && !name.contains(QLatin1String(".."));
}

QString FakeHub::typePlural(RepoType type)
{
    return type == RepoType::Model ? QStringLiteral("models") : QStringLiteral("datasets");
}

QString FakeHub::typeSingular(RepoType type)
{
    return type == RepoType::Model ? QStringLiteral("model") : QStringLiteral("dataset");
}

std::optional<FakeHub::RepoInfo> FakeHub::findRepo(RepoType type, const QString &id) const
{
    const QStringList parts = id.split(u'/');
    if (parts.size() != 2 || !isSafeName(parts.at(0)) || !isSafeName(parts.at(1)))
        return std::nullopt;
    const QString name = QStringLiteral("api__") + typePlural(type) + QStringLiteral("__") + parts.at(0)
        + QStringLiteral("--") + parts.at(1) + QStringLiteral(".json");
    if (!hasFixture(name))
        return std::nullopt;
    RepoInfo repo;
    repo.id = id;
    repo.body = fixture(name);
    const QJsonObject object = QJsonDocument::fromJson(repo.body).object();
    repo.sha = object.value(QStringLiteral("sha")).toString();
    // gated is false, or "auto"/"manual" (older captures: true).
    const QJsonValue gated = object.value(QStringLiteral("gated"));
    repo.gated = gated.isBool() ? gated.toBool() : (gated.isString() && gated.toString() != QLatin1String("false"));
    return repo;
}

// The Hub answers a repo id typed in the wrong case with a 307 to the canonical spelling (hub.md §1.7).
QString FakeHub::caseInsensitiveRepo(RepoType type, const QString &id) const
{
    const QString prefix = QStringLiteral("api__") + typePlural(type) + QStringLiteral("__");
    for (const QString &dir : QStringList {m_root, m_root + QStringLiteral("/fake")}) {
        const QStringList names = QDir(dir).entryList({prefix + QStringLiteral("*.json")}, QDir::Files);
        for (const QString &name : names) {
            QString stem = name.mid(prefix.size());
            stem.chop(5); // ".json"
            if (stem.contains(QLatin1String("__")) || stem.startsWith(QLatin1String("search-")))
                continue; // variants and list pages, not repos
            const qsizetype separator = stem.indexOf(QLatin1String("--"));
            if (separator < 0)
                continue;
            QString candidate = stem.left(separator) + u'/' + stem.mid(separator + 2);
            if (candidate.compare(id, Qt::CaseInsensitive) == 0 && candidate != id)
                return candidate;
        }
    }
    return {};
}

} // namespace vibeml::test
