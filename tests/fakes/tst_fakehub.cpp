#include "FakeHub.h"
#include "TestSupport.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>

#include <memory>

using namespace std::chrono_literals;
using vibeml::test::FakeHub;

Q_DECLARE_METATYPE(FakeHub::TokenKind)

namespace {

// What a client sees of one exchange.
struct Response
{
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    int status = 0;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;
    qint64 elapsedMs = 0;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        }
        return {};
    }
    bool hasHeader(const QByteArray &name) const
    {
        return std::any_of(headers.cbegin(), headers.cend(),
                           [&name](const auto &h) { return h.first.compare(name, Qt::CaseInsensitive) == 0; });
    }
    QJsonObject object() const { return QJsonDocument::fromJson(body).object(); }
    QJsonArray array() const { return QJsonDocument::fromJson(body).array(); }
};

struct Options
{
    Options(QString withToken = {}, QByteArray withVerb = QByteArrayLiteral("GET"))
        : token(std::move(withToken)), verb(std::move(withVerb))
    {
    }
    QString token;
    QByteArray verb;
    int transferTimeoutMs = 10000;
    QByteArray userAgent;
};

// Tokens are passed around by kind so the data tables read like the matrix in hub.md §1.8.
enum class Caller { Anonymous, Valid, NotApproved, FineGrained, Invalid };

QString tokenFor(Caller caller)
{
    switch (caller) {
    case Caller::Anonymous:
        return {};
    case Caller::Valid:
        return FakeHub::validToken();
    case Caller::NotApproved:
        return FakeHub::notApprovedToken();
    case Caller::FineGrained:
        return FakeHub::fineGrainedNoGatedToken();
    case Caller::Invalid:
        return FakeHub::invalidToken();
    }
    return {};
}

} // namespace

Q_DECLARE_METATYPE(Caller)

class TestFakeHub : public QObject
{
    Q_OBJECT

public:
    // Blocks (tests only) until the reply finishes; redirects are never followed so 307s are visible.
    Response fetch(const QUrl &target, const Options &options = {})
    {
        QNetworkRequest request(target);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        request.setTransferTimeout(options.transferTimeoutMs);
        if (!options.token.isEmpty())
            request.setRawHeader(QByteArrayLiteral("Authorization"), "Bearer " + options.token.toUtf8());
        if (!options.userAgent.isEmpty())
            request.setRawHeader(QByteArrayLiteral("User-Agent"), options.userAgent);
        QElapsedTimer clock;
        clock.start();
        // head() rather than sendCustomRequest("HEAD"): only then does Qt know no body follows.
        std::unique_ptr<QNetworkReply> reply(options.verb == "HEAD" ? m_nam.head(request)
                                                 : options.verb == "GET"
                                                 ? m_nam.get(request)
                                                 : m_nam.sendCustomRequest(request, options.verb));
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        if (!reply->isFinished() && !finished.wait(30000))
            qWarning("request to %s did not finish", qPrintable(target.toString()));
        Response response;
        response.error = reply->error();
        response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->isOpen()) // an aborted reply is closed; reading it only prints a warning
            response.body = reply->readAll();
        response.headers = reply->rawHeaderPairs();
        response.elapsedMs = clock.elapsed();
        return response;
    }

    Response get(const QString &pathAndQuery, const Options &options = {})
    {
        return fetch(QUrl(m_hub.url().toString() + pathAndQuery), options);
    }

    Response get(const QString &pathAndQuery, Caller caller) { return get(pathAndQuery, Options {tokenFor(caller)}); }

private:
    FakeHub m_hub;
    QNetworkAccessManager m_nam;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_hub.start()); }

    void init()
    {
        m_hub.clearFaults();
        m_hub.clearRequests();
        m_hub.setDelay(2s);
        m_hub.setLatency(0ms);
        m_hub.setRemaining(499);
        m_hub.setRateLimitReset(2);
    }

    void listensOnLoopbackOnly()
    {
        const QUrl url = m_hub.url();
        QCOMPARE(url.scheme(), QStringLiteral("http"));
        QCOMPARE(url.host(), QStringLiteral("127.0.0.1"));
        QVERIFY(url.port() > 0);
        FakeHub notStarted;
        QVERIFY(notStarted.url().isEmpty());
    }

    void tokensHaveTheShapeOfRealOnes()
    {
        static const QRegularExpression shape(QStringLiteral("^hf_[A-Za-z0-9]{34}$"));
        const QStringList tokens = {FakeHub::validToken(), FakeHub::notApprovedToken(),
                                    FakeHub::fineGrainedNoGatedToken(), FakeHub::invalidToken()};
        for (const QString &token : tokens)
            QVERIFY2(shape.match(token).hasMatch(), qPrintable(token));
        QCOMPARE(QSet<QString>(tokens.cbegin(), tokens.cend()).size(), 4);
    }

    void modelInfo_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("sha");
        QTest::newRow("qwen") << QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct")
                              << QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct")
                              << QStringLiteral("7ae557604adf67be50417f59c2c2f167def9a775");
        QTest::newRow("qwen at main") << QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct/revision/main")
                                      << QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct")
                                      << QStringLiteral("7ae557604adf67be50417f59c2c2f167def9a775");
        QTest::newRow("qwen at sha") << QStringLiteral(
            "/api/models/Qwen/Qwen2.5-0.5B-Instruct/revision/7ae557604adf67be50417f59c2c2f167def9a775")
                                     << QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct")
                                     << QStringLiteral("7ae557604adf67be50417f59c2c2f167def9a775");
        QTest::newRow("gated llama, anonymous metadata is public")
            << QStringLiteral("/api/models/meta-llama/Llama-3.1-8B-Instruct")
            << QStringLiteral("meta-llama/Llama-3.1-8B-Instruct")
            << QStringLiteral("0e9e39f249a16976918f6564b8830bc894c89659");
        QTest::newRow("dataset") << QStringLiteral("/api/datasets/openai/gsm8k") << QStringLiteral("openai/gsm8k")
                                 << QStringLiteral("e53f048856ff4f594e959d75785d2c2d37b678ee");
        QTest::newRow("dataset at sha") << QStringLiteral(
            "/api/datasets/bigcode/starcoderdata/revision/9fc30b578cedaec69e47302df72cf00feed7c8c4")
                                        << QStringLiteral("bigcode/starcoderdata")
                                        << QStringLiteral("9fc30b578cedaec69e47302df72cf00feed7c8c4");
    }

    void modelInfo()
    {
        QFETCH(QString, path);
        QFETCH(QString, id);
        QFETCH(QString, sha);
        const Response r = get(path);
        QCOMPARE(r.error, QNetworkReply::NoError);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("Content-Type"), QByteArrayLiteral("application/json; charset=utf-8"));
        QCOMPARE(r.object().value(QStringLiteral("id")).toString(), id);
        QCOMPARE(r.object().value(QStringLiteral("sha")).toString(), sha);
    }

    void unknownRevision_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("revision");
        QTest::newRow("model") << QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct/revision/does-not-exist")
                               << QStringLiteral("does-not-exist");
        QTest::newRow("encoded slash") << QStringLiteral(
            "/api/models/Qwen/Qwen2.5-0.5B-Instruct/revision/refs%2Fpr%2F1")
                                       << QStringLiteral("refs/pr/1");
        QTest::newRow("dataset") << QStringLiteral("/api/datasets/openai/gsm8k/revision/v9") << QStringLiteral("v9");
        QTest::newRow("tree") << QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct/tree/nope")
                              << QStringLiteral("nope");
    }

    void unknownRevision()
    {
        QFETCH(QString, path);
        QFETCH(QString, revision);
        const Response r = get(path);
        QCOMPARE(r.status, 404);
        QCOMPARE(r.header("X-Error-Code"), QByteArrayLiteral("RevisionNotFound"));
        QCOMPARE(QString::fromUtf8(r.header("X-Error-Message")), QStringLiteral("Invalid rev id: ") + revision);
        QCOMPARE(r.object().value(QStringLiteral("error")).toString(), QStringLiteral("Invalid rev id: ") + revision);
    }

    void expandServesTheCapturedVariant()
    {
        const Response r
            = get(QStringLiteral("/api/models/meta-llama/Llama-3.1-8B-Instruct?expand[]=gated&expand[]=safetensors"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body,
                 vibeml::test::readFile(vibeml::test::dataPath(
                     QStringLiteral("hub/api__models__meta-llama--Llama-3.1-8B-Instruct__expand.json"))));
    }

    void expandWithoutCaptureKeepsOnlyRequestedKeys()
    {
        const Response r
            = get(QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct?expand=safetensors&expand=gated"));
        QCOMPARE(r.status, 200);
        QStringList keys = r.object().keys();
        keys.sort();
        QCOMPARE(keys,
                 (QStringList {QStringLiteral("_id"), QStringLiteral("gated"), QStringLiteral("id"),
                               QStringLiteral("safetensors")}));
        QCOMPARE(r.object().value(QStringLiteral("safetensors")).toObject().value(QStringLiteral("total")).toInteger(),
                 494032768);
    }

    void invalidExpandIsABadRequest_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("model") << QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct?expand[]=foo");
        QTest::newRow("model, one good one bad")
            << QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct?expand=sha&expand=foo");
        QTest::newRow("dataset") << QStringLiteral("/api/datasets/openai/gsm8k?expand=mask_token");
    }

    void invalidExpandIsABadRequest()
    {
        QFETCH(QString, path);
        const Response r = get(path);
        QCOMPARE(r.status, 400);
        QVERIFY(!r.hasHeader("X-Error-Code"));
        QVERIFY(r.object().value(QStringLiteral("error")).toString().contains(QLatin1String("expected one of")));
    }

    void renamedRepoAnswersARelative307()
    {
        const Response r = get(QStringLiteral("/api/models/bert-base-uncased?expand=sha&x=a%20b"));
        QCOMPARE(r.status, 307);
        const QByteArray location = r.header("Location");
        QCOMPARE(location, QByteArrayLiteral("/api/models/google-bert/bert-base-uncased?expand=sha&x=a%20b"));
        QVERIFY(r.header("Content-Type").startsWith("text/plain"));
        QCOMPARE(r.body, QByteArray("Temporary Redirect. Redirecting to " + location));
        QVERIFY(r.header("RateLimit").startsWith("\"api\";r="));

        // The client resolves the relative Location against the request URL.
        const Response followed = fetch(m_hub.url().resolved(QUrl::fromEncoded(location)));
        QCOMPARE(followed.status, 200);
        const QJsonObject info = followed.object();
        QCOMPARE(info.value(QStringLiteral("id")).toString(), QStringLiteral("google-bert/bert-base-uncased"));
        QCOMPARE(info.value(QStringLiteral("sha")).toString().size(), 40);
        // expand=sha: only _id, id and sha come back.
        QCOMPARE(info.keys().size(), 3);

        const Response full = get(QStringLiteral("/api/models/google-bert/bert-base-uncased"));
        const QJsonObject body = full.object();
        QCOMPARE(body.value(QStringLiteral("pipeline_tag")).toString(), QStringLiteral("fill-mask"));
        QCOMPARE(body.value(QStringLiteral("config")).toObject().value(QStringLiteral("model_type")).toString(),
                 QStringLiteral("bert"));
        QCOMPARE(body.value(QStringLiteral("safetensors"))
                     .toObject()
                     .value(QStringLiteral("parameters"))
                     .toObject()
                     .value(QStringLiteral("F32"))
                     .toInteger(),
                 110106428);
    }

    void renamedRepoKeepsTheRestOfThePath()
    {
        const Response r = get(QStringLiteral("/api/models/bert-base-uncased/revision/main"));
        QCOMPARE(r.status, 307);
        QCOMPARE(r.header("Location"), QByteArrayLiteral("/api/models/google-bert/bert-base-uncased/revision/main"));
    }

    void wrongCaseRedirectsToTheCanonicalId()
    {
        const Response r = get(QStringLiteral("/api/models/qwen/qwen2.5-0.5b-instruct"));
        QCOMPARE(r.status, 307);
        QCOMPARE(r.header("Location"), QByteArrayLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct"));
    }

    void missingRepo_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<Caller>("caller");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("code");
        QTest::addColumn<QString>("message");
        const QString missing = QStringLiteral("/api/models/no-such-org/no-such-model");
        const QString invalid = QStringLiteral("Invalid username or password.");
        QTest::newRow("anonymous") << missing << Caller::Anonymous << 401 << QByteArray() << invalid;
        QTest::newRow("valid") << missing << Caller::Valid << 404 << QByteArrayLiteral("RepoNotFound")
                               << QStringLiteral("Repository not found");
        QTest::newRow("not approved") << missing << Caller::NotApproved << 404 << QByteArrayLiteral("RepoNotFound")
                                      << QStringLiteral("Repository not found");
        QTest::newRow("fine-grained") << missing << Caller::FineGrained << 404 << QByteArrayLiteral("RepoNotFound")
                                      << QStringLiteral("Repository not found");
        QTest::newRow("invalid") << missing << Caller::Invalid << 401 << QByteArray() << invalid;
        QTest::newRow("invalid on a public repo") << QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct")
                                                  << Caller::Invalid << 401 << QByteArray() << invalid;
        QTest::newRow("invalid on search")
            << QStringLiteral("/api/models?search=llama") << Caller::Invalid << 401 << QByteArray() << invalid;
        QTest::newRow("missing dataset, anonymous")
            << QStringLiteral("/api/datasets/no-such/dataset") << Caller::Anonymous << 401 << QByteArray() << invalid;
        QTest::newRow("legacy one-part id, valid")
            << QStringLiteral("/api/models/gpt2") << Caller::Valid << 404 << QByteArrayLiteral("RepoNotFound")
            << QStringLiteral("Repository not found");
    }

    void missingRepo()
    {
        QFETCH(QString, path);
        QFETCH(Caller, caller);
        QFETCH(int, status);
        QFETCH(QByteArray, code);
        QFETCH(QString, message);
        const Response r = get(path, caller);
        QCOMPARE(r.status, status);
        QCOMPARE(r.hasHeader("X-Error-Code"), !code.isEmpty());
        QCOMPARE(r.header("X-Error-Code"), code);
        QCOMPARE(QString::fromUtf8(r.header("X-Error-Message")), message);
        QCOMPARE(r.object().value(QStringLiteral("error")).toString(), message);
        if (status == 401)
            QCOMPARE(r.header("WWW-Authenticate"), QByteArrayLiteral("Bearer realm=\"Authentication required\""));
    }

    void authCheck_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<Caller>("caller");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("code");
        QTest::addColumn<QString>("message");
        const QString llama = QStringLiteral("/api/models/meta-llama/Llama-3.1-8B-Instruct/auth-check");
        const QString qwen = QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct/auth-check");
        const QString starcoder = QStringLiteral("/api/datasets/bigcode/starcoderdata/auth-check");
        const QByteArray gated = QByteArrayLiteral("GatedRepo");
        const QString logIn = QStringLiteral(
            "Access to model meta-llama/Llama-3.1-8B-Instruct is restricted. You must have access to it and be "
            "authenticated to access it. Please log in.");
        const QString notListed = QStringLiteral(
            "Access to model meta-llama/Llama-3.1-8B-Instruct is restricted and you are not in the authorized list. "
            "Visit https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct to ask for access.");
        const QString fineGrained = QStringLiteral("Please enable access to public gated repositories in your "
                                                   "fine-grained token settings to view this repository.");

        QTest::newRow("public, anonymous") << qwen << Caller::Anonymous << 200 << QByteArray() << QString();
        QTest::newRow("public, not approved") << qwen << Caller::NotApproved << 200 << QByteArray() << QString();
        QTest::newRow("gated, anonymous") << llama << Caller::Anonymous << 401 << gated << logIn;
        QTest::newRow("gated, valid") << llama << Caller::Valid << 200 << QByteArray() << QString();
        QTest::newRow("gated, not approved") << llama << Caller::NotApproved << 403 << gated << notListed;
        QTest::newRow("gated, fine-grained") << llama << Caller::FineGrained << 403 << QByteArray() << fineGrained;
        QTest::newRow("gated, invalid") << llama << Caller::Invalid << 401 << QByteArray()
                                        << QStringLiteral("Invalid username or password.");
        QTest::newRow("70B gated, not approved")
            << QStringLiteral("/api/models/meta-llama/Llama-3.1-70B-Instruct/auth-check") << Caller::NotApproved << 403
            << gated << QString(notListed).replace(QStringLiteral("3.1-8B"), QStringLiteral("3.1-70B"));
        QTest::newRow("missing, anonymous")
            << QStringLiteral("/api/models/no-such-org/no-such-model/auth-check") << Caller::Anonymous << 401
            << QByteArray() << QStringLiteral("Invalid username or password.");
        QTest::newRow("gated dataset, anonymous")
            << starcoder << Caller::Anonymous << 401 << gated
            << QStringLiteral(
                   "Access to dataset bigcode/starcoderdata is restricted. You must have access to it and be "
                   "authenticated to access it. Please log in.");
        QTest::newRow("gated dataset, not approved")
            << starcoder << Caller::NotApproved << 403 << gated
            << QStringLiteral("Access to dataset bigcode/starcoderdata is restricted and you are not in the authorized "
                              "list. Visit https://huggingface.co/datasets/bigcode/starcoderdata to ask for access.");
        QTest::newRow("gated dataset, valid") << starcoder << Caller::Valid << 200 << QByteArray() << QString();
        QTest::newRow("gated dataset, fine-grained")
            << starcoder << Caller::FineGrained << 403 << QByteArray() << fineGrained;
    }

    void authCheck()
    {
        QFETCH(QString, path);
        QFETCH(Caller, caller);
        QFETCH(int, status);
        QFETCH(QByteArray, code);
        QFETCH(QString, message);
        const Response r = get(path, caller);
        QCOMPARE(r.status, status);
        QCOMPARE(r.header("X-Error-Code"), code);
        QCOMPARE(r.hasHeader("X-Error-Code"), !code.isEmpty());
        if (status == 200) {
            QCOMPARE(r.body, QByteArrayLiteral("{}"));
        } else {
            QCOMPARE(QString::fromUtf8(r.header("X-Error-Message")), message);
            QCOMPARE(r.object().value(QStringLiteral("error")).toString(), message);
        }
        QVERIFY(r.header("RateLimit").startsWith("\"api\";"));
    }

    void resolveConfig_data()
    {
        QTest::addColumn<QByteArray>("verb");
        QTest::addColumn<QString>("repo");
        QTest::addColumn<Caller>("caller");
        QTest::addColumn<int>("status"); // 0: 200 when the config fixture exists, else 404 EntryNotFound
        QTest::addColumn<QByteArray>("code");
        QTest::addColumn<QString>("message");
        const QString llama = QStringLiteral("meta-llama/Llama-3.1-8B-Instruct");
        const QString qwen = QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct");
        const QByteArray gated = QByteArrayLiteral("GatedRepo");
        for (const QByteArray &verb : {QByteArrayLiteral("GET"), QByteArrayLiteral("HEAD")}) {
            const auto row
                = [&verb](const char *name) -> QTestData & { return QTest::addRow("%s %s", verb.constData(), name); };
            row("public, anonymous") << verb << qwen << Caller::Anonymous << 0 << QByteArray() << QString();
            row("gated, valid") << verb << llama << Caller::Valid << 0 << QByteArray() << QString();
            row("gated, anonymous") << verb << llama << Caller::Anonymous << 401 << gated
                                    << QStringLiteral("Access to model meta-llama/Llama-3.1-8B-Instruct is restricted. "
                                                      "You must have access to it and be authenticated to access it. "
                                                      "Please log in.");
            row("gated, not approved") << verb << llama << Caller::NotApproved << 403 << gated
                                       << QStringLiteral(
                                              "Access to model meta-llama/Llama-3.1-8B-Instruct is restricted "
                                              "and you are not in the authorized list. Visit "
                                              "https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct to ask "
                                              "for access.");
            row("gated, fine-grained") << verb << llama << Caller::FineGrained << 403 << QByteArray()
                                       << QStringLiteral("Please enable access to public gated repositories in your "
                                                         "fine-grained token settings to view this repository.");
            row("gated, invalid") << verb << llama << Caller::Invalid << 401 << QByteArray()
                                  << QStringLiteral("Invalid username or password.");
            row("missing, anonymous") << verb << QStringLiteral("no-such-org/no-such-model") << Caller::Anonymous << 401
                                      << QByteArray() << QStringLiteral("Invalid username or password.");
            row("missing, valid") << verb << QStringLiteral("no-such-org/no-such-model") << Caller::Valid << 404
                                  << QByteArrayLiteral("RepoNotFound") << QStringLiteral("Repository not found");
        }
    }

    void resolveConfig()
    {
        QFETCH(QByteArray, verb);
        QFETCH(QString, repo);
        QFETCH(Caller, caller);
        QFETCH(int, status);
        QFETCH(QByteArray, code);
        QFETCH(QString, message);
        const QString path = u'/' + repo + QStringLiteral("/resolve/main/config.json");
        const Response r = get(path, Options {tokenFor(caller), verb});
        const bool head = verb == "HEAD";
        if (status == 0) {
            const QString file
                = vibeml::test::dataPath(QStringLiteral("hub/config/")
                                         + QString(repo).replace(u'/', QStringLiteral("--")) + QStringLiteral(".json"));
            if (QFileInfo::exists(file)) {
                const QByteArray expected = vibeml::test::readFile(file);
                QCOMPARE(r.status, 200);
                QCOMPARE(r.header("Content-Length").toLongLong(), expected.size());
                QCOMPARE(r.body, head ? QByteArray() : expected);
                QCOMPARE(r.header("X-Repo-Commit").size(), 40);
                QVERIFY(!r.header("ETag").isEmpty());
            } else {
                qInfo("%s: no config fixture yet, expecting 404 EntryNotFound", qPrintable(file));
                QCOMPARE(r.status, 404);
                QCOMPARE(r.header("X-Error-Code"), QByteArrayLiteral("EntryNotFound"));
            }
        } else {
            QCOMPARE(r.status, status);
            QCOMPARE(r.header("X-Error-Code"), code);
            QCOMPARE(r.hasHeader("X-Error-Code"), !code.isEmpty());
            QCOMPARE(QString::fromUtf8(r.header("X-Error-Message")), message);
            if (head)
                QVERIFY(r.body.isEmpty());
            else
                QVERIFY(QString::fromUtf8(r.body).contains(message));
            QVERIFY(r.header("Content-Length").toLongLong() > 0);
        }
        // Resolver calls count against their own bucket (hub.md §1.9).
        QVERIFY2(r.header("RateLimit").startsWith("\"resolvers\";r="), r.header("RateLimit").constData());
        QCOMPARE(r.header("RateLimit-Policy"), QByteArrayLiteral("\"fixed window\";\"resolvers\";q=3000;w=300"));
    }

    void resolveOtherFilesAndRevisions()
    {
        const Response noFile = get(QStringLiteral("/Qwen/Qwen2.5-0.5B-Instruct/resolve/main/no-such-file.txt"));
        QCOMPARE(noFile.status, 404);
        QCOMPARE(noFile.header("X-Error-Code"), QByteArrayLiteral("EntryNotFound"));
        const Response noRevision = get(QStringLiteral("/Qwen/Qwen2.5-0.5B-Instruct/resolve/nope/config.json"));
        QCOMPARE(noRevision.status, 404);
        QCOMPARE(noRevision.header("X-Error-Code"), QByteArrayLiteral("RevisionNotFound"));
        const Response gatedDataset = get(QStringLiteral("/datasets/bigcode/starcoderdata/resolve/main/README.md"));
        QCOMPARE(gatedDataset.status, 401);
        QCOMPARE(gatedDataset.header("X-Error-Code"), QByteArrayLiteral("GatedRepo"));
        QVERIFY(gatedDataset.header("X-Error-Message").startsWith("Access to dataset bigcode/starcoderdata"));
    }

    void tree()
    {
        const Response root = get(QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct/tree/main"));
        QCOMPARE(root.status, 200);
        const QJsonArray entries = root.array();
        const auto weights = std::find_if(entries.cbegin(), entries.cend(), [](const QJsonValue &e) {
            return e.toObject().value(QStringLiteral("path")).toString() == QLatin1String("model.safetensors");
        });
        QVERIFY(weights != entries.cend());
        QCOMPARE((*weights).toObject().value(QStringLiteral("size")).toInteger(), 988097824);

        const Response atSha = get(
            QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct/tree/7ae557604adf67be50417f59c2c2f167def9a775"));
        QCOMPARE(atSha.body, root.body);

        const QString llama = QStringLiteral("/api/models/meta-llama/Llama-3.1-8B-Instruct/tree/main");
        QCOMPARE(get(llama).array().size(), 15);
        QCOMPARE(get(llama + QStringLiteral("?recursive=true")).array().size(), 18);

        const Response folder = get(llama + QStringLiteral("/original"));
        QCOMPARE(folder.status, 200);
        QCOMPARE(folder.array().size(), 3);
        for (const auto &entry : folder.array())
            QVERIFY(entry.toObject().value(QStringLiteral("path")).toString().startsWith(QLatin1String("original/")));

        const Response missing = get(QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct/tree/main/no-such-dir"));
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.header("X-Error-Code"), QByteArrayLiteral("EntryNotFound"));
        const Response noCapture = get(QStringLiteral("/api/models/openai/gpt-oss-120b/tree/main"));
        QCOMPARE(noCapture.header("X-Error-Code"), QByteArrayLiteral("EntryNotFound"));
    }

    void searchRewritesLinkToTheFake()
    {
        const Response first = get(QStringLiteral("/api/models?search=llama&sort=downloads&limit=5"));
        QCOMPARE(first.status, 200);
        QCOMPARE(first.array().size(), 5);
        const QByteArray link = first.header("Link");
        const QByteArray origin = m_hub.url().toString().toUtf8();
        QVERIFY2(link.startsWith(QByteArray("<" + origin + "/api/models?search=llama&sort=downloads&limit=5&cursor=")),
                 link.constData());
        QVERIFY(link.endsWith(">; rel=\"next\""));
        QVERIFY(!link.contains("huggingface.co"));
        QCOMPARE(first.header("X-Powered-By"), QByteArrayLiteral("huggingface-moon"));

        const QByteArray next = link.mid(1, link.indexOf('>') - 1);
        const Response second = fetch(QUrl::fromEncoded(next));
        QCOMPARE(second.status, 200);
        QVERIFY(!second.array().isEmpty());
        QVERIFY(second.array().at(0) != first.array().at(0));
        QVERIFY2(!second.hasHeader("Link"), "the last page has no next link");

        const Response expanded = get(QStringLiteral("/api/models?search=llama&expand[]=gated&expand[]=safetensors"));
        QVERIFY(expanded.array().at(0).toObject().contains(QStringLiteral("safetensors")));
        QVERIFY(!expanded.array().at(0).toObject().contains(QStringLiteral("tags")));

        const Response nothing = get(QStringLiteral("/api/models?search=zzz-no-such-thing"));
        QCOMPARE(nothing.status, 200);
        QCOMPARE(nothing.body, QByteArrayLiteral("[]"));

        const Response datasets = get(QStringLiteral("/api/datasets?search=ultrachat"));
        QCOMPARE(datasets.status, 200);
        QCOMPARE(datasets.array().at(0).toObject().value(QStringLiteral("id")).toString(),
                 QStringLiteral("HuggingFaceH4/ultrachat_200k"));
        QVERIFY(!datasets.hasHeader("Link"));
        const Response datasetsExpanded = get(QStringLiteral("/api/datasets?search=ultrachat&expand=cardData"));
        QVERIFY(datasetsExpanded.array().at(0).toObject().contains(QStringLiteral("cardData")));
    }

    void whoami_data()
    {
        QTest::addColumn<Caller>("caller");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("role");
        QTest::addColumn<bool>("canReadGated");
        QTest::newRow("anonymous") << Caller::Anonymous << 401 << QString() << false;
        QTest::newRow("invalid") << Caller::Invalid << 401 << QString() << false;
        QTest::newRow("valid") << Caller::Valid << 200 << QStringLiteral("fineGrained") << true;
        QTest::newRow("fine-grained without gated scope")
            << Caller::FineGrained << 200 << QStringLiteral("fineGrained") << false;
        QTest::newRow("not approved (read token)") << Caller::NotApproved << 200 << QStringLiteral("read") << false;
    }

    void whoami()
    {
        QFETCH(Caller, caller);
        QFETCH(int, status);
        QFETCH(QString, role);
        QFETCH(bool, canReadGated);
        const Response r = get(QStringLiteral("/api/whoami-v2"), caller);
        QCOMPARE(r.status, status);
        if (status == 401) {
            QCOMPARE(r.object().value(QStringLiteral("error")).toString(),
                     QStringLiteral("Invalid username or password."));
            QCOMPARE(r.header("WWW-Authenticate"), QByteArrayLiteral("Bearer realm=\"Authentication required\""));
            QVERIFY(!r.hasHeader("X-Error-Code"));
            return;
        }
        const QJsonObject token
            = r.object().value(QStringLiteral("auth")).toObject().value(QStringLiteral("accessToken")).toObject();
        QCOMPARE(token.value(QStringLiteral("role")).toString(), role);
        QCOMPARE(
            token.value(QStringLiteral("fineGrained")).toObject().value(QStringLiteral("canReadGatedRepos")).toBool(),
            canReadGated);
    }

    void viewer_data()
    {
        QTest::addColumn<QString>("pathAndQuery");
        QTest::addColumn<Caller>("caller");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("code");
        QTest::addColumn<QString>("jsonPointer"); // "key/key" to a value that must be present
        QTest::addColumn<QString>("expected"); // its value as text ("" = only check presence)
        const QString ultra = QStringLiteral("dataset=HuggingFaceH4/ultrachat_200k");
        const QString star = QStringLiteral("dataset=bigcode/starcoderdata");
        QTest::newRow("is-valid") << (QStringLiteral("/is-valid?") + ultra) << Caller::Anonymous << 200 << QByteArray()
                                  << QStringLiteral("preview") << QStringLiteral("true");
        QTest::newRow("splits") << (QStringLiteral("/splits?") + ultra) << Caller::Anonymous << 200 << QByteArray()
                                << QStringLiteral("splits") << QString();
        QTest::newRow("info with config")
            << (QStringLiteral("/info?config=default&") + ultra) << Caller::Anonymous << 200 << QByteArray()
            << QStringLiteral("dataset_info/config_name") << QStringLiteral("default");
        QTest::newRow("info without config wraps the only one")
            << (QStringLiteral("/info?") + ultra) << Caller::Anonymous << 200 << QByteArray()
            << QStringLiteral("dataset_info/default/config_name") << QStringLiteral("default");
        QTest::newRow("info without config, one captured of two")
            << QStringLiteral("/info?dataset=ibm/duorc") << Caller::Anonymous << 200 << QByteArray()
            << QStringLiteral("dataset_info/SelfRC/config_name") << QStringLiteral("SelfRC");
        QTest::newRow("size") << (QStringLiteral("/size?") + ultra) << Caller::Anonymous << 200 << QByteArray()
                              << QStringLiteral("size/dataset") << QString();
        QTest::newRow("first-rows") << (QStringLiteral("/first-rows?config=default&split=train_sft&") + ultra)
                                    << Caller::Anonymous << 200 << QByteArray() << QStringLiteral("split")
                                    << QStringLiteral("train_sft");
        QTest::newRow("first-rows duorc")
            << QStringLiteral("/first-rows?dataset=ibm%2Fduorc&config=SelfRC&split=train") << Caller::Valid << 200
            << QByteArray() << QStringLiteral("config") << QStringLiteral("SelfRC");
        QTest::newRow("missing dataset") << QStringLiteral("/splits") << Caller::Anonymous << 422
                                         << QByteArrayLiteral("MissingRequiredParameter") << QStringLiteral("error")
                                         << QStringLiteral("Parameter 'dataset' is required");
        QTest::newRow("first-rows without split")
            << (QStringLiteral("/first-rows?config=default&") + ultra) << Caller::Anonymous << 422
            << QByteArrayLiteral("MissingRequiredParameter") << QStringLiteral("error") << QString();
        QTest::newRow("unknown, anonymous")
            << QStringLiteral("/splits?dataset=no-such/dataset") << Caller::Anonymous << 401
            << QByteArrayLiteral("ExternalUnauthenticatedError") << QStringLiteral("error") << QString();
        QTest::newRow("unknown, token") << QStringLiteral("/splits?dataset=no-such/dataset") << Caller::Valid << 404
                                        << QByteArrayLiteral("ExternalAuthenticatedError") << QStringLiteral("error")
                                        << QString();
        QTest::newRow("gated, anonymous")
            << (QStringLiteral("/splits?") + star) << Caller::Anonymous << 401
            << QByteArrayLiteral("ExternalUnauthenticatedError") << QStringLiteral("error") << QString();
        QTest::newRow("gated, not approved")
            << (QStringLiteral("/splits?") + star) << Caller::NotApproved << 404
            << QByteArrayLiteral("ExternalAuthenticatedError") << QStringLiteral("error") << QString();
        QTest::newRow("gated, fine-grained")
            << (QStringLiteral("/info?") + star) << Caller::FineGrained << 404
            << QByteArrayLiteral("ExternalAuthenticatedError") << QStringLiteral("error") << QString();
        QTest::newRow("gated is-valid, anonymous")
            << (QStringLiteral("/is-valid?") + star) << Caller::Anonymous << 200 << QByteArray()
            << QStringLiteral("viewer") << QStringLiteral("false");
        QTest::newRow("gated is-valid, not approved")
            << (QStringLiteral("/is-valid?") + star) << Caller::NotApproved << 200 << QByteArray()
            << QStringLiteral("preview") << QStringLiteral("false");
        QTest::newRow("invalid token") << (QStringLiteral("/splits?") + ultra) << Caller::Invalid << 401
                                       << QByteArrayLiteral("ExternalUnauthenticatedError") << QStringLiteral("error")
                                       << QString();
        QTest::newRow("known dataset, no capture")
            << QStringLiteral("/size?dataset=ibm/duorc&config=ParaphraseRC") << Caller::Anonymous << 404
            << QByteArrayLiteral("ResponseNotFound") << QStringLiteral("error") << QString();
    }

    void viewer()
    {
        QFETCH(QString, pathAndQuery);
        QFETCH(Caller, caller);
        QFETCH(int, status);
        QFETCH(QByteArray, code);
        QFETCH(QString, jsonPointer);
        QFETCH(QString, expected);
        const Response r = get(pathAndQuery, caller);
        QCOMPARE(r.status, status);
        QCOMPARE(r.header("X-Error-Code"), code);
        QVERIFY(r.header("Content-Type").startsWith("application/json"));
        QVERIFY2(!r.hasHeader("RateLimit"), "the viewer is not the Hub and sends no rate-limit headers");
        QJsonValue value = QJsonDocument::fromJson(r.body).object();
        for (const QString &key : jsonPointer.split(u'/'))
            value = value.toObject().value(key);
        QVERIFY2(!value.isUndefined(), qPrintable(jsonPointer));
        if (!expected.isEmpty()) {
            const QString text = value.isBool() ? (value.toBool() ? QStringLiteral("true") : QStringLiteral("false"))
                                                : value.toString();
            QCOMPARE(text, expected);
        }
    }

    void viewerDetails()
    {
        const Response all = get(QStringLiteral("/info?dataset=ibm/duorc"));
        QCOMPARE(all.object().value(QStringLiteral("partial")).toBool(true), false);
        const QJsonArray pending = all.object().value(QStringLiteral("pending")).toArray();
        QCOMPARE(pending.size(), 1);
        QCOMPARE(pending.at(0).toObject().value(QStringLiteral("config")).toString(), QStringLiteral("ParaphraseRC"));

        const Response selfRc = get(QStringLiteral("/splits?dataset=ibm/duorc&config=SelfRC"));
        const QJsonArray splits = selfRc.object().value(QStringLiteral("splits")).toArray();
        QCOMPARE(splits.size(), 3);
        for (const auto &split : splits)
            QCOMPARE(split.toObject().value(QStringLiteral("config")).toString(), QStringLiteral("SelfRC"));
    }

    void rateLimitHeadersCountDown()
    {
        m_hub.setRemaining(42);
        const QRegularExpression shape(QStringLiteral("^\"api\";r=(\\d+);t=(\\d+)$"));
        QSet<QByteArray> requestIds;
        for (int expected : {42, 41, 40}) {
            const Response r = get(QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct"));
            const QRegularExpressionMatch match = shape.match(QString::fromUtf8(r.header("RateLimit")));
            QVERIFY2(match.hasMatch(), r.header("RateLimit").constData());
            QCOMPARE(match.captured(1).toInt(), expected);
            QVERIFY(match.captured(2).toInt() >= 1 && match.captured(2).toInt() <= 300);
            QCOMPARE(r.header("RateLimit-Policy"), QByteArrayLiteral("\"fixed window\";\"api\";q=500;w=300"));
            QVERIFY(r.header("X-Request-Id").startsWith("Root=1-"));
            requestIds.insert(r.header("X-Request-Id"));
        }
        QCOMPARE(requestIds.size(), 3);
        // Errors count too, and the viewer does not touch the Hub's budget.
        QVERIFY(get(QStringLiteral("/api/models/no-such-org/no-such-model"))
                    .header("RateLimit")
                    .startsWith("\"api\";r=39;"));
        get(QStringLiteral("/splits?dataset=ibm/duorc"));
        QCOMPARE(m_hub.remaining(), 38);
        m_hub.setRemaining(0);
        QVERIFY(get(QStringLiteral("/api/whoami-v2")).header("RateLimit").startsWith("\"api\";r=0;"));
        QCOMPARE(m_hub.remaining(), 0);
    }

    void faultRateLimited()
    {
        m_hub.setRateLimitReset(7);
        m_hub.setFault(FakeHub::Fault::RateLimited, QStringLiteral("/api/models"), 1);
        const Response limited = get(QStringLiteral("/api/models?search=llama"));
        QCOMPARE(limited.status, 429);
        QVERIFY(limited.header("Content-Type").startsWith("text/html"));
        QVERIFY(limited.body.contains("<html"));
        QCOMPARE(limited.header("RateLimit"), QByteArrayLiteral("\"api\";r=0;t=7"));
        QCOMPARE(limited.header("RateLimit-Policy"), QByteArrayLiteral("\"fixed window\";\"api\";q=500;w=300"));
        QCOMPARE(get(QStringLiteral("/api/models?search=llama")).status, 200); // times = 1 was used up
    }

    void faultAppliesToItsPrefixOnly()
    {
        m_hub.setFault(FakeHub::Fault::ServerError, QStringLiteral("/api/datasets"));
        QCOMPARE(get(QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct")).status, 200);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(get(QStringLiteral("/api/datasets/openai/gsm8k")).status, 500);
        m_hub.setFault(FakeHub::Fault::None, QStringLiteral("/api/datasets"));
        QCOMPARE(get(QStringLiteral("/api/datasets/openai/gsm8k")).status, 200);

        m_hub.setFault(FakeHub::Fault::ServiceUnavailable, QString(), 2);
        QCOMPARE(get(QStringLiteral("/splits?dataset=ibm/duorc")).status, 503);
        QCOMPARE(get(QStringLiteral("/api/whoami-v2")).status, 503);
        QCOMPARE(get(QStringLiteral("/api/whoami-v2")).status, 401);
    }

    void faultServerErrors()
    {
        m_hub.setFault(FakeHub::Fault::ServerError, QString(), 1);
        const Response error = get(QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct"));
        QCOMPARE(error.status, 500);
        QCOMPARE(error.error, QNetworkReply::InternalServerError);
        QCOMPARE(error.object().value(QStringLiteral("error")).toString(), QStringLiteral("Internal Error"));
        QVERIFY(error.header("RateLimit").startsWith("\"api\";"));

        m_hub.setFault(FakeHub::Fault::ServiceUnavailable, QString(), 1);
        const Response unavailable = get(QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct"));
        QCOMPARE(unavailable.status, 503);
        QCOMPARE(unavailable.error, QNetworkReply::ServiceUnavailableError);
    }

    void faultNeverAnswer()
    {
        m_hub.setFault(FakeHub::Fault::NeverAnswer, QStringLiteral("/api/models/"), 1);
        Options options;
        options.transferTimeoutMs = 300;
        const Response r = get(QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct"), options);
        QVERIFY2(r.error == QNetworkReply::OperationCanceledError || r.error == QNetworkReply::TimeoutError,
                 qPrintable(QString::number(r.error)));
        QCOMPARE(r.status, 0);
        QVERIFY(r.elapsedMs >= 250);
        QCOMPARE(m_hub.countRequests(QStringLiteral("/api/models/")), 1);
        QCOMPARE(get(QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct")).status, 200);
    }

    void faultSlowAnswer()
    {
        m_hub.setDelay(400ms);
        m_hub.setFault(FakeHub::Fault::SlowAnswer, QStringLiteral("/api/whoami-v2"), 1);
        const Response slow = get(QStringLiteral("/api/whoami-v2"), Caller::Valid);
        QCOMPARE(slow.status, 200);
        QVERIFY2(slow.elapsedMs >= 380, qPrintable(QString::number(slow.elapsedMs)));
        QCOMPARE(slow.object().value(QStringLiteral("name")).toString(), QStringLiteral("example-user"));

        // HEAD through the delayed path keeps its headers-only shape.
        m_hub.setFault(FakeHub::Fault::SlowAnswer, QStringLiteral("/Qwen"), 1);
        const Response head = get(QStringLiteral("/Qwen/Qwen2.5-0.5B-Instruct/resolve/main/config.json"),
                                  Options {QString(), QByteArrayLiteral("HEAD")});
        QVERIFY(head.status == 200 || head.status == 404);
        QVERIFY(head.body.isEmpty());
    }

    void injectedLatencyDelaysEveryAnswer()
    {
        const Response fast = get(QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct"));
        QCOMPARE(fast.status, 200);
        m_hub.setLatency(150ms);
        const Response slow = get(QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct"));
        QCOMPARE(slow.status, 200);
        QVERIFY2(slow.elapsedMs >= 140, qPrintable(QString::number(slow.elapsedMs)));
        QCOMPARE(slow.body, fast.body);
        // Errors and redirects wait as long.
        const Response missing = get(QStringLiteral("/api/models/nobody/nothing"));
        QVERIFY(missing.status == 401 || missing.status == 404);
        QVERIFY2(missing.elapsedMs >= 140, qPrintable(QString::number(missing.elapsedMs)));
    }

    void faultSlowAnswerAfterTheClientLeft()
    {
        m_hub.setDelay(300ms);
        m_hub.setFault(FakeHub::Fault::SlowAnswer, QStringLiteral("/api/"), 1);
        QSignalSpy received(&m_hub, &FakeHub::requestReceived);
        QNetworkRequest request(QUrl(m_hub.url().toString() + QStringLiteral("/api/whoami-v2")));
        std::unique_ptr<QNetworkReply> reply(m_nam.get(request));
        QVERIFY(received.wait(5000));
        reply->abort();
        reply.reset();
        QTest::qWait(600); // the timer fires after the socket went away: nothing may be written or crash
        QCOMPARE(get(QStringLiteral("/api/whoami-v2")).status, 401);
    }

    void faultConnectionReset()
    {
        m_hub.setFault(FakeHub::Fault::ConnectionReset, QStringLiteral("/api/models/"));
        const Response r = get(QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct"));
        QVERIFY2(r.error != QNetworkReply::NoError, "a reset connection must surface as a network error");
        QCOMPARE(r.status, 0);
        QVERIFY(r.body.isEmpty());
        QVERIFY(m_hub.countRequests(QStringLiteral("/api/models/")) >= 1);
        m_hub.clearFaults();
        QCOMPARE(get(QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct")).status, 200);
    }

    void faultConnectionResetOnceIsHiddenByQtRetry()
    {
        // QNetworkAccessManager resends an idempotent request once when the connection dies before
        // the first byte of a reply, so one reset is invisible to the client; tests of reset handling
        // need times >= 2 (or -1).
        m_hub.setFault(FakeHub::Fault::ConnectionReset, QStringLiteral("/api/models/"), 1);
        const Response once = get(QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct"));
        QCOMPARE(once.status, 200);
        QCOMPARE(m_hub.countRequests(QStringLiteral("/api/models/")), 2);

        m_hub.clearRequests();
        m_hub.setFault(FakeHub::Fault::ConnectionReset, QStringLiteral("/api/models/"), 2);
        const Response twice = get(QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct"));
        QCOMPARE(twice.error, QNetworkReply::RemoteHostClosedError);
        QCOMPARE(m_hub.countRequests(QStringLiteral("/api/models/")), 2);
    }

    void faultMalformedJson()
    {
        const QByteArray real = get(QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct")).body;
        m_hub.setFault(FakeHub::Fault::MalformedJson, QString(), 1);
        const Response r = get(QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct"));
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("Content-Type").startsWith("application/json"));
        QCOMPARE(r.body, real.left(real.size() / 2));
        QJsonParseError error;
        QJsonDocument::fromJson(r.body, &error);
        QVERIFY(error.error != QJsonParseError::NoError);
    }

    void faultHugeBody()
    {
        m_hub.setFault(FakeHub::Fault::HugeBody, QStringLiteral("/api/models"), 1);
        const Response r = get(QStringLiteral("/api/models?search=llama"));
        QCOMPARE(r.status, 200);
        constexpr qint64 kFiftyMiB = qint64(50) * 1024 * 1024;
        QVERIFY(r.header("Content-Length").toLongLong() >= kFiftyMiB);
        QCOMPARE(r.body.size(), r.header("Content-Length").toLongLong());
        QVERIFY(r.body.startsWith("[{") && r.body.endsWith("}]"));
    }

    void redirectOverrideToAnotherOrigin()
    {
        FakeHub other;
        QVERIFY(other.start());
        QVERIFY(other.url() != m_hub.url());
        const QString path = QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct");
        const QString elsewhere = other.url().toString() + path;
        m_hub.setRedirect(path, elsewhere, 302);

        const Response first = get(path, Caller::Valid);
        QCOMPARE(first.status, 302);
        QCOMPARE(first.header("Location"), elsewhere.toUtf8());
        QVERIFY(first.header("RateLimit").startsWith("\"api\";"));
        QCOMPARE(get(path, Caller::Valid).status, 200); // one-shot

        // A careful client drops the token when it follows a cross-origin Location by hand.
        const Response followed = fetch(QUrl(elsewhere));
        QCOMPARE(followed.status, 200);
        QCOMPARE(other.requests().size(), 1);
        QVERIFY(other.requests().at(0).authorization.isEmpty());

        // The second hub records what a careless client forwards: Qt 6.4's automatic redirects
        // (NoLessSafeRedirectPolicy) keep the Authorization header across origins.
        other.clearRequests();
        m_hub.setRedirect(path, elsewhere, 302);
        QNetworkRequest careless(QUrl(m_hub.url().toString() + path));
        careless.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
        careless.setRawHeader(QByteArrayLiteral("Authorization"), "Bearer " + FakeHub::validToken().toUtf8());
        QNetworkAccessManager fresh; // the shared one has the target's connection cached, which makes Qt 6.4 complain
        std::unique_ptr<QNetworkReply> reply(fresh.get(careless));
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        QVERIFY(finished.wait(10000));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QCOMPARE(other.requests().size(), 1);
        QCOMPARE(other.requests().at(0).authorization, QByteArray("Bearer " + FakeHub::validToken().toUtf8()));

        // Relative targets are passed through verbatim.
        m_hub.setRedirect(path, QStringLiteral("/api/models/Qwen/Qwen2.5-1.5B-Instruct"));
        const Response relative = get(path);
        QCOMPARE(relative.status, 307);
        QCOMPARE(relative.header("Location"), QByteArrayLiteral("/api/models/Qwen/Qwen2.5-1.5B-Instruct"));
    }

    void requestsAreRecorded()
    {
        Options options {FakeHub::validToken()};
        options.userAgent = QByteArrayLiteral("vibeml-test/1.0; hf_hub-compatible");
        get(QStringLiteral("/api/models?search=llama&x=a%20b"), options);
        get(QStringLiteral("/Qwen/Qwen2.5-0.5B-Instruct/resolve/main/config.json"),
            Options {QString(), QByteArrayLiteral("HEAD")});

        const QList<FakeHub::Request> requests = m_hub.requests();
        QCOMPARE(requests.size(), 2);
        QCOMPARE(requests.at(0).method, QByteArrayLiteral("GET"));
        QCOMPARE(requests.at(0).path, QStringLiteral("/api/models"));
        QCOMPARE(requests.at(0).query.queryItemValue(QStringLiteral("search")), QStringLiteral("llama"));
        QCOMPARE(requests.at(0).query.queryItemValue(QStringLiteral("x"), QUrl::FullyDecoded), QStringLiteral("a b"));
        QCOMPARE(requests.at(0).authorization, QByteArray("Bearer " + FakeHub::validToken().toUtf8()));
        QCOMPARE(requests.at(0).userAgent, options.userAgent);
        QCOMPARE(requests.at(1).method, QByteArrayLiteral("HEAD"));
        QVERIFY(requests.at(1).authorization.isEmpty());
        QCOMPARE(m_hub.countRequests(QStringLiteral("/api/")), 1);
        QCOMPARE(m_hub.countRequests(QStringLiteral("/Qwen/")), 1);
        QCOMPARE(m_hub.countRequests(QString()), 2);
        m_hub.clearRequests();
        QVERIFY(m_hub.requests().isEmpty());
    }

    void registeredAndUnknownTokens()
    {
        const QString custom = vibeml::test::fakeHuggingFaceToken();
        QCOMPARE(get(QStringLiteral("/api/whoami-v2"), Options {custom}).status, 401); // unknown = invalid
        m_hub.setToken(custom, FakeHub::TokenKind::Valid);
        QCOMPARE(get(QStringLiteral("/api/whoami-v2"), Options {custom}).status, 200);
        m_hub.setToken(custom, FakeHub::TokenKind::NotApproved);
        QCOMPARE(
            get(QStringLiteral("/api/models/meta-llama/Llama-3.1-8B-Instruct/auth-check"), Options {custom}).status,
            403);
    }

    void unknownPaths()
    {
        QCOMPARE(get(QStringLiteral("/nothing-here")).status, 404);
        QCOMPARE(get(QStringLiteral("/api/spaces/x/y")).status, 404);
        QCOMPARE(get(QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct/discussions")).status, 404);
        // Request-derived names never reach the file system unchecked.
        QCOMPARE(get(QStringLiteral("/api/models/..%2F..%2Fetc/passwd"), Caller::Valid).status, 404);
        QCOMPARE(get(QStringLiteral("/api/models?search=..%2Ferrors%2Fx")).body, QByteArrayLiteral("[]"));
    }

    void teardownWithPendingConnections()
    {
        auto hub = std::make_unique<FakeHub>();
        QVERIFY(hub->start());
        hub->setFault(FakeHub::Fault::NeverAnswer, QStringLiteral("/api/whoami-v2"));
        hub->setDelay(200ms);
        hub->setFault(FakeHub::Fault::SlowAnswer, QStringLiteral("/api/models"));
        QSignalSpy received(hub.get(), &FakeHub::requestReceived);
        const QString base = hub->url().toString();
        std::unique_ptr<QNetworkReply> hanging(
            m_nam.get(QNetworkRequest(QUrl(base + QStringLiteral("/api/whoami-v2")))));
        std::unique_ptr<QNetworkReply> slow(
            m_nam.get(QNetworkRequest(QUrl(base + QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct")))));
        QTRY_COMPARE_WITH_TIMEOUT(received.size(), 2, 5000);
        hub.reset(); // sockets held open by both faults, and the pending timer, go with the server
        QTRY_VERIFY_WITH_TIMEOUT(hanging->isFinished() && slow->isFinished(), 5000);
        QVERIFY(hanging->error() != QNetworkReply::NoError);
        QVERIFY(slow->error() != QNetworkReply::NoError);
        QTest::qWait(300); // past the slow delay: the dead timer must not fire
    }
};

VIBEML_TEST_MAIN_CORE(TestFakeHub)
#include "tst_fakehub.moc"
