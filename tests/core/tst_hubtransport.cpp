#include "hub/HubTransport.h"
#include "net/QtHttpBackend.h"

#include "FakeHub.h"
#include "TestSupport.h"

#include <QElapsedTimer>
#include <QSignalSpy>

using namespace vibeml;
using namespace vibeml::hub;
using test::FakeHub;

namespace {

const QString kQwen = QStringLiteral("/api/models/Qwen/Qwen2.5-0.5B-Instruct");

struct Rig
{
    FakeHub fake;
    net::QtHttpBackend backend;
    HubTransport transport{&backend};

    Rig()
    {
        fake.start();
        HubEndpoints endpoints;
        endpoints.hub = fake.url();
        endpoints.viewer = fake.url();
        transport.setEndpoints(endpoints);
        transport.setTimeout(std::chrono::milliseconds(2000));
        transport.setBackoff(std::chrono::milliseconds(20), std::chrono::milliseconds(80));
    }

    QUrl at(const QString &path) const
    {
        QUrl url = fake.url();
        url.setPath(path);
        return url;
    }

    std::optional<HttpResponse> get(HttpRequest request, int timeoutMs = 15000)
    {
        std::optional<HttpResponse> response;
        transport.send(std::move(request), nullptr, [&response](const HttpResponse &r) { response = r; });
        (void)QTest::qWaitFor([&response] { return response.has_value(); }, timeoutMs);
        return response;
    }

    // A second transport to the same fake Hub, with no backend yet (as the window's, before its
    // first paint), and a request sent through it whose answer lands in `answer`.
    std::unique_ptr<HubTransport> transportWithoutBackend(std::optional<HttpResponse> &answer) const
    {
        auto unattached = std::make_unique<HubTransport>();
        unattached->setEndpoints(transport.endpoints());
        unattached->send(HttpRequest{at(kQwen)}, nullptr, [&answer](const HttpResponse &r) { answer = r; });
        return unattached;
    }

    std::optional<HttpResponse> get(const QString &path)
    {
        HttpRequest request;
        request.url = at(path);
        return get(request);
    }
};

} // namespace

class TestHubTransport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fetchesWithTokenForTheTrustedOrigin()
    {
        Rig rig;
        rig.transport.setToken(FakeHub::validToken());
        QSignalSpy rateLimits(&rig.transport, &HubTransport::rateLimitChanged);
        const auto response = rig.get(kQwen);
        QVERIFY(response);
        QVERIFY(response->isSuccess());
        QCOMPARE(response->status, 200);
        QVERIFY(response->tokenSent);
        QVERIFY(response->body.contains("\"Qwen/Qwen2.5-0.5B-Instruct\""));
        QCOMPARE(rig.fake.requests().last().authorization, QByteArray("Bearer ") + FakeHub::validToken().toUtf8());
        QVERIFY(rig.fake.requests().last().userAgent.startsWith("vibeml/"));
        QCOMPARE(rateLimits.count(), 1);
        QVERIFY(rig.transport.lastRateLimit()->remaining > 0);
    }

    void noTokenForOtherOrigins()
    {
        Rig rig;
        FakeHub elsewhere;
        QVERIFY(elsewhere.start());
        rig.transport.setToken(FakeHub::validToken());
        HttpRequest request;
        request.url = elsewhere.url();
        request.url.setPath(kQwen);
        const auto response = rig.get(request);
        QVERIFY(response && response->isSuccess());
        QVERIFY(!response->tokenSent);
        QVERIFY(elsewhere.requests().last().authorization.isEmpty());
    }

    void followsRelativeRenameKeepingTheToken()
    {
        Rig rig;
        rig.transport.setToken(FakeHub::validToken());
        const auto response = rig.get(QStringLiteral("/api/models/bert-base-uncased"));
        QVERIFY(response && response->isSuccess());
        QCOMPARE(response->finalUrl.path(), QStringLiteral("/api/models/google-bert/bert-base-uncased"));
        QVERIFY(response->tokenSent);
        QCOMPARE(response->attempts, 1);
    }

    void neverCarriesTheTokenAcrossOrigins()
    {
        Rig rig;
        FakeHub elsewhere;
        QVERIFY(elsewhere.start());
        rig.transport.setToken(FakeHub::validToken());
        QUrl target = elsewhere.url();
        target.setPath(kQwen);
        rig.fake.setRedirect(QStringLiteral("/api/models/Qwen/Moved"), target.toString(), 302);
        const auto response = rig.get(QStringLiteral("/api/models/Qwen/Moved"));
        QVERIFY(response && response->isSuccess());
        QVERIFY(!response->tokenSent);
        QCOMPARE(elsewhere.requests().size(), 1);
        QVERIFY(elsewhere.requests().first().authorization.isEmpty());
        QVERIFY(!rig.fake.requests().first().authorization.isEmpty());
    }

    void redirectsAreCapped()
    {
        Rig rig;
        for (int i = 0; i < 7; ++i)
            rig.fake.setRedirect(QStringLiteral("/hop%1").arg(i), QStringLiteral("/hop%1").arg(i + 1));
        const auto response = rig.get(QStringLiteral("/hop0"));
        QVERIFY(response);
        QCOMPARE(response->failure, HttpResponse::Failure::TooManyRedirects);
        QCOMPARE(rig.fake.requests().size(), 6);
    }

    void timesOut()
    {
        Rig rig;
        rig.transport.setTimeout(std::chrono::milliseconds(200));
        rig.fake.setFault(FakeHub::Fault::NeverAnswer);
        HttpRequest request;
        request.url = rig.at(kQwen);
        request.maxAttempts = 2;
        QElapsedTimer clock;
        clock.start();
        const auto response = rig.get(request);
        QVERIFY(response);
        QCOMPARE(response->failure, HttpResponse::Failure::Timeout);
        QCOMPARE(response->attempts, 2);
        QVERIFY(clock.elapsed() < 5000);
    }

    void retriesServerErrorsThenSucceeds()
    {
        Rig rig;
        rig.fake.setFault(FakeHub::Fault::ServerError, kQwen, 2);
        const auto response = rig.get(kQwen);
        QVERIFY(response && response->isSuccess());
        QCOMPARE(response->attempts, 3);
        QCOMPARE(rig.fake.countRequests(kQwen), 3);
    }

    void givesUpAfterTheLastAttempt()
    {
        Rig rig;
        rig.fake.setFault(FakeHub::Fault::ServiceUnavailable);
        HttpRequest request;
        request.url = rig.at(kQwen);
        request.maxAttempts = 3;
        const auto response = rig.get(request);
        QVERIFY(response);
        QCOMPARE(response->status, 503);
        QCOMPARE(response->attempts, 3);
        QCOMPARE(rig.fake.countRequests(kQwen), 3);
    }

    void waitsForTheRateLimitWindow()
    {
        Rig rig;
        rig.fake.setRateLimitReset(1);
        rig.fake.setFault(FakeHub::Fault::RateLimited, kQwen, 1);
        QSignalSpy waiting(&rig.transport, &HubTransport::waitingForRateLimit);
        QElapsedTimer clock;
        clock.start();
        const auto response = rig.get(kQwen);
        QVERIFY(response && response->isSuccess());
        QCOMPARE(waiting.count(), 1);
        QCOMPARE(waiting.first().first().toInt(), 2); // t + 1
        QVERIFY2(clock.elapsed() >= 1900, qPrintable(QString::number(clock.elapsed())));
    }

    void capsTheResponseSize()
    {
        Rig rig;
        rig.fake.setFault(FakeHub::Fault::HugeBody);
        HttpRequest request;
        request.url = rig.at(kQwen);
        request.maxBytes = 1024 * 1024;
        const auto response = rig.get(request);
        QVERIFY(response);
        QCOMPARE(response->failure, HttpResponse::Failure::TooLarge);
        QVERIFY(response->body.isEmpty());
    }

    void connectionResetIsANetworkFailure()
    {
        Rig rig;
        rig.fake.setFault(FakeHub::Fault::ConnectionReset);
        HttpRequest request;
        request.url = rig.at(kQwen);
        request.maxAttempts = 2;
        const auto response = rig.get(request);
        QVERIFY(response);
        QCOMPARE(response->failure, HttpResponse::Failure::Network);
        QVERIFY(!response->failureDetail.isEmpty());
    }

    void limitsRequestsInFlight()
    {
        Rig rig;
        rig.transport.setMaxInFlight(2);
        rig.fake.setDelay(std::chrono::milliseconds(150));
        rig.fake.setFault(FakeHub::Fault::SlowAnswer);
        int done = 0;
        for (int i = 0; i < 6; ++i) {
            HttpRequest request;
            request.url = rig.at(kQwen);
            rig.transport.send(request, nullptr, [&done](const HttpResponse &response) {
                QVERIFY(response.isSuccess());
                ++done;
            });
        }
        QCOMPARE(rig.transport.inFlight(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(done, 6, 10000);
        QCOMPARE(rig.transport.peakInFlight(), 2);
        QCOMPARE(rig.transport.inFlight(), 0);
    }

    void offlineMeansNoNetwork()
    {
        Rig rig;
        HubEndpoints endpoints = rig.transport.endpoints();
        endpoints.offline = true;
        rig.transport.setEndpoints(endpoints);
        const auto response = rig.get(kQwen);
        QVERIFY(response);
        QCOMPARE(response->failure, HttpResponse::Failure::Offline);
        QCOMPARE(rig.fake.requests().size(), 0);
    }

    void requestsWaitForTheBackend()
    {
        // The window hands the transport its backend after the first paint (the network module).
        Rig rig;
        std::optional<HttpResponse> response;
        const std::unique_ptr<HubTransport> unattached = rig.transportWithoutBackend(response);
        HubTransport &early = *unattached;
        early.send(HttpRequest{rig.at(kQwen)}, nullptr, [](const HttpResponse &) {});
        QTest::qWait(100);
        QVERIFY(!response);
        QCOMPARE(early.inFlight(), 0);
        QCOMPARE(rig.fake.requests().size(), 0);
        early.setBackend(&rig.backend);
        QTRY_VERIFY(response);
        QVERIFY(response->isSuccess());
        QTRY_COMPARE(rig.fake.requests().size(), 2);
    }

    void withoutABackendEveryRequestSaysWhy()
    {
        Rig rig;
        std::optional<HttpResponse> waiting;
        const std::unique_ptr<HubTransport> unattached = rig.transportWithoutBackend(waiting);
        HubTransport &stranded = *unattached;
        stranded.setUnavailable(QStringLiteral("libvibeml-network.so is missing"));
        QTRY_VERIFY(waiting);
        QCOMPARE(waiting->failure, HttpResponse::Failure::Network);
        QCOMPARE(waiting->failureDetail, QStringLiteral("libvibeml-network.so is missing"));
        // Later requests too, each answered once, from the event loop.
        int answers = 0;
        stranded.send(HttpRequest{rig.at(kQwen)}, nullptr, [&answers](const HttpResponse &r) {
            QCOMPARE(r.failure, HttpResponse::Failure::Network);
            ++answers;
        });
        QCOMPARE(answers, 0);
        QTRY_COMPARE(answers, 1);
        QTest::qWait(50);
        QCOMPARE(answers, 1);
        QCOMPARE(rig.fake.requests().size(), 0);
    }

    void cancelledRequestsNeverAnswer()
    {
        Rig rig;
        rig.fake.setFault(FakeHub::Fault::NeverAnswer);
        bool answered = false;
        HttpRequest request;
        request.url = rig.at(kQwen);
        const HubTransport::RequestId id = rig.transport.send(request, nullptr, [&answered](const HttpResponse &) { answered = true; });
        QTRY_COMPARE(rig.fake.requests().size(), 1);
        rig.transport.cancel(id);
        QCOMPARE(rig.transport.inFlight(), 0);
        QTest::qWait(200);
        QVERIFY(!answered);
    }

    void deadContextsAreNotCalled()
    {
        Rig rig;
        bool answered = false;
        auto context = std::make_unique<QObject>();
        HttpRequest request;
        request.url = rig.at(kQwen);
        rig.transport.send(request, context.get(), [&answered](const HttpResponse &) { answered = true; });
        context.reset();
        QTest::qWait(300);
        QVERIFY(!answered);
        QCOMPARE(rig.transport.inFlight(), 0);
    }

    void headRequests()
    {
        Rig rig;
        HttpRequest request;
        request.url = rig.at(QStringLiteral("/Qwen/Qwen2.5-0.5B-Instruct/resolve/main/config.json"));
        request.method = "HEAD";
        const auto response = rig.get(request);
        QVERIFY(response && response->isSuccess());
        QVERIFY(response->body.isEmpty());
        QCOMPARE(rig.fake.requests().last().method, QByteArray("HEAD"));
        QCOMPARE(parseRateLimit(response->headers)->bucket, QStringLiteral("resolvers"));
    }

    void errorsComeBackWithTheirBody()
    {
        Rig rig;
        const auto response = rig.get(QStringLiteral("/api/models/no-such-org/no-such-model"));
        QVERIFY(response);
        QCOMPARE(response->status, 401);
        QCOMPARE(response->failure, HttpResponse::Failure::None);
        QVERIFY(response->body.contains("Invalid username or password."));
        QCOMPARE(response->attempts, 1); // 4xx is not retried
    }
};

VIBEML_TEST_MAIN_CORE(TestHubTransport)
#include "tst_hubtransport.moc"
