#include "hub/HubError.h"

#include "TestSupport.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace vibeml;
using namespace vibeml::hub;

Q_DECLARE_METATYPE(vibeml::hub::HubError::Kind)
Q_DECLARE_METATYPE(vibeml::hub::RequestContext::Target)

namespace {

struct Envelope
{
    int status = 0;
    RawHeaders headers;
    QByteArray body;
};

Envelope loadEnvelope(const QString &file)
{
    const QJsonObject object = QJsonDocument::fromJson(test::readFile(test::dataPath(QStringLiteral("hub/") + file))).object();
    Envelope envelope;
    envelope.status = object.value(QStringLiteral("status")).toInt();
    const QJsonObject headers = object.value(QStringLiteral("headers")).toObject();
    for (auto it = headers.begin(); it != headers.end(); ++it)
        envelope.headers.append({it.key().toLatin1(), it.value().toString().toUtf8()});
    const QJsonValue body = object.value(QStringLiteral("body"));
    envelope.body = body.isString() ? body.toString().toUtf8() : QJsonDocument(body.toObject()).toJson();
    return envelope;
}

} // namespace

class TestHubError : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void classifiesRealEnvelopes_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<RequestContext::Target>("target");
        QTest::addColumn<bool>("tokenSent");
        QTest::addColumn<QString>("repo");
        QTest::addColumn<HubError::Kind>("kind");
        QTest::addColumn<QString>("says");

        using T = RequestContext::Target;
        using K = HubError::Kind;
        QTest::newRow("anonymous missing repo") << "errors/api__models__no-such-org--no-such-model__401-anonymous.json" << T::Repo << false
                                                << "no-such-org/no-such-model" << K::RepoNotFound << "add a Hugging Face token";
        QTest::newRow("authenticated missing repo") << "errors/api__models__no-such-org--no-such-model__404-authenticated.json" << T::Repo
                                                    << true << "no-such-org/no-such-model" << K::RepoNotFound << "cannot see it";
        QTest::newRow("invalid token") << "errors/api__whoami-v2__401-invalid-token.json" << T::Whoami << true << ""
                                       << K::InvalidToken << "was refused";
        QTest::newRow("401 with token on a repo is the token") << "errors/api__models__no-such-org--no-such-model__401-anonymous.json"
                                                               << T::Repo << true << "no-such-org/no-such-model" << K::InvalidToken
                                                               << "settings/tokens";
        QTest::newRow("gated anonymous") << "errors/meta-llama--Llama-3.1-8B-Instruct__resolve__main__config.json__401-gated-anonymous.json"
                                         << T::RepoFile << false << "meta-llama/Llama-3.1-8B-Instruct" << K::GatedNeedsToken
                                         << "https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct";
        QTest::newRow("gated not approved") << "errors/meta-llama--Llama-3.1-8B-Instruct__resolve__main__config.json__403-gated-not-authorized.json"
                                            << T::RepoFile << true << "meta-llama/Llama-3.1-8B-Instruct" << K::GatedNotApproved
                                            << "Request access at https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct, then retry";
        QTest::newRow("auth-check not approved") << "errors/api__models__meta-llama--Llama-3.1-8B-Instruct__auth-check__403-gated.json"
                                                 << T::Repo << true << "meta-llama/Llama-3.1-8B-Instruct" << K::GatedNotApproved << "Request access";
        QTest::newRow("fine-grained scope") << "errors/meta-llama--Llama-3.1-8B-Instruct__resolve__main__config.json__403-finegrained-no-gated-scope.json"
                                            << T::RepoFile << true << "meta-llama/Llama-3.1-8B-Instruct" << K::GatedTokenScope
                                            << "Read access to contents of all public gated repos";
        QTest::newRow("commits gated anonymous") << "errors/api__models__meta-llama--Llama-3.1-8B-Instruct__commits__main__401-gated-anonymous.json"
                                                 << T::Repo << false << "meta-llama/Llama-3.1-8B-Instruct" << K::GatedNeedsToken << "is gated";
        QTest::newRow("revision") << "errors/api__models__Qwen--Qwen2.5-0.5B-Instruct__revision__does-not-exist__404.json" << T::Repo << false
                                  << "Qwen/Qwen2.5-0.5B-Instruct" << K::RevisionNotFound << "does-not-exist";
        QTest::newRow("entry") << "errors/api__models__Qwen--Qwen2.5-0.5B-Instruct__tree__main__no-such-dir__404.json" << T::RepoFile << false
                               << "Qwen/Qwen2.5-0.5B-Instruct" << K::EntryNotFound << "no-such-dir";
        QTest::newRow("bad expand") << "errors/api__models__Qwen--Qwen2.5-0.5B-Instruct__400-invalid-expand.json" << T::Repo << false
                                    << "Qwen/Qwen2.5-0.5B-Instruct" << K::BadRequest << "Invalid expand value";
        QTest::newRow("rate limited html") << "errors/api__models__search-llama__429-rate-limited.json" << T::Search << false << ""
                                           << K::RateLimited << "56 s";
        QTest::newRow("viewer anonymous gated") << "datasets-server/errors__splits__bigcode--starcoderdata__401-anonymous.json" << T::Viewer
                                                << false << "bigcode/starcoderdata" << K::RepoNotFound << "add a Hugging Face token";
        QTest::newRow("viewer no access") << "datasets-server/errors__splits__bigcode--starcoderdata__404-authenticated-no-access.json"
                                          << T::Viewer << true << "bigcode/starcoderdata" << K::GatedNotApproved
                                          << "https://huggingface.co/datasets/bigcode/starcoderdata";
        QTest::newRow("viewer not ready") << "datasets-server/errors__first-rows__500-not-ready.json" << T::Viewer << false << "x/y"
                                          << K::ViewerNotReady << "still preparing";
        QTest::newRow("viewer missing parameter") << "datasets-server/errors__splits__missing-parameter__422.json" << T::Viewer << false
                                                  << "x/y" << K::BadRequest << "Parameter 'dataset' is required";
    }

    void classifiesRealEnvelopes()
    {
        QFETCH(QString, file);
        QFETCH(RequestContext::Target, target);
        QFETCH(bool, tokenSent);
        QFETCH(QString, repo);
        QFETCH(HubError::Kind, kind);
        QFETCH(QString, says);
        const Envelope envelope = loadEnvelope(file);
        QVERIFY2(envelope.status >= 400, qPrintable(file));
        RequestContext context;
        context.target = target;
        context.repoKind = file.contains(QLatin1String("starcoder")) ? RepoKind::Dataset : RepoKind::Model;
        context.repoId = repo;
        context.tokenSent = tokenSent;
        context.tokenSource = QStringLiteral("HF_TOKEN");
        context.revision = file.contains(QLatin1String("revision")) ? QStringLiteral("does-not-exist") : QString();
        context.path = file.contains(QLatin1String("tree")) ? QStringLiteral("no-such-dir") : QString();
        const HubError error = classifyHttpError(envelope.status, envelope.headers, envelope.body, context);
        QCOMPARE(error.kind, kind);
        QVERIFY2(error.message.contains(says), qPrintable(error.message));
        QCOMPARE(error.httpStatus, envelope.status);
        QVERIFY(!error.detail.isEmpty());
        if (kind == HubError::Kind::GatedNotApproved || kind == HubError::Kind::GatedNeedsToken)
            QVERIFY(error.actionUrl.isValid());
    }

    void invalidTokenFromHfTokenMentionsPrecedence()
    {
        const Envelope envelope = loadEnvelope(QStringLiteral("errors/api__whoami-v2__401-invalid-token.json"));
        RequestContext context;
        context.target = RequestContext::Target::Whoami;
        context.tokenSent = true;
        context.tokenSource = QStringLiteral("HF_TOKEN");
        const HubError error = classifyHttpError(envelope.status, envelope.headers, envelope.body, context);
        QVERIFY(error.message.contains(QStringLiteral("HF_TOKEN takes precedence")));
        QVERIFY(!error.requestId.isEmpty());
    }

    void serverErrorsAndOddBodies_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<HubError::Kind>("kind");
        QTest::newRow("503 html") << 503 << QByteArray("<html><body>Service Unavailable</body></html>") << HubError::Kind::ServerError;
        QTest::newRow("500 plain") << 500 << QByteArray("Internal Error") << HubError::Kind::ServerError;
        QTest::newRow("500 garbage json") << 500 << QByteArray("{\"error\": [") << HubError::Kind::ServerError;
        QTest::newRow("403 errors array") << 403 << QByteArray("{\"errors\":[{\"message\":\"nope\"}]}") << HubError::Kind::Forbidden;
        QTest::newRow("418 oauth") << 418 << QByteArray("{\"error\":\"teapot\",\"error_description\":\"short and stout\"}") << HubError::Kind::BadRequest;
        QTest::newRow("429 retry-after") << 429 << QByteArray() << HubError::Kind::RateLimited;
        QTest::newRow("binary") << 500 << QByteArray("\xff\xfe\x00\x01", 4) << HubError::Kind::ServerError;
    }

    void serverErrorsAndOddBodies()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(HubError::Kind, kind);
        RequestContext context;
        context.target = RequestContext::Target::Repo;
        context.repoId = QStringLiteral("a/b");
        const RawHeaders headers = status == 429 ? RawHeaders{{"Retry-After", "30"}} : RawHeaders{};
        const HubError error = classifyHttpError(status, headers, body, context);
        QCOMPARE(error.kind, kind);
        QVERIFY(!error.message.isEmpty());
        if (status == 429)
            QCOMPARE(error.retryAfterSeconds, std::optional<int>(30));
        QCOMPARE(error.isRetryable(), kind == HubError::Kind::ServerError || kind == HubError::Kind::RateLimited);
    }

    void disabledRepo()
    {
        RequestContext context;
        context.repoId = QStringLiteral("a/b");
        const HubError error =
            classifyHttpError(403, {{"X-Error-Message", "Access to this resource is disabled."}}, {}, context);
        QCOMPARE(error.kind, HubError::Kind::Disabled);
    }

    void transportErrorsSayWhatToDo()
    {
        RequestContext context;
        context.repoId = QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct");
        QVERIFY(offlineError(context).message.contains(QStringLiteral("HF_HUB_OFFLINE")));
        QVERIFY(transportError(HubError::Kind::Timeout, {}, context).message.contains(QStringLiteral("in time")));
        QVERIFY(transportError(HubError::Kind::NetworkError, QStringLiteral("Host not found"), context).message.contains(QStringLiteral("Host not found")));
        QCOMPARE(malformedResponse(QStringLiteral("truncated"), context).kind, HubError::Kind::MalformedResponse);
    }

    void repoPages()
    {
        QCOMPARE(repoPageUrl(QUrl(QStringLiteral("https://huggingface.co")), RepoKind::Model, QStringLiteral("a/b")),
                 QUrl(QStringLiteral("https://huggingface.co/a/b")));
        QCOMPARE(repoPageUrl(QUrl(QStringLiteral("https://mirror.example/hf/")), RepoKind::Dataset, QStringLiteral("a/b")),
                 QUrl(QStringLiteral("https://mirror.example/hf/datasets/a/b")));
    }
};

VIBEML_TEST_MAIN_CORE(TestHubError)
#include "tst_huberror.moc"
