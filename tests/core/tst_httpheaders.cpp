#include "hub/HttpHeaders.h"

#include "TestSupport.h"

using namespace vibeml;
using namespace vibeml::hub;

class TestHttpHeaders : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void headerLookupIgnoresCase()
    {
        const RawHeaders headers{{"x-error-code", "GatedRepo"}, {"Content-Type", "application/json"}};
        QCOMPARE(headerValue(headers, "X-Error-Code"), QByteArray("GatedRepo"));
        QCOMPARE(headerValue(headers, "content-type"), QByteArray("application/json"));
        QVERIFY(headerValue(headers, "Link").isEmpty());
    }

    void rateLimit_data()
    {
        QTest::addColumn<QByteArray>("limit");
        QTest::addColumn<QByteArray>("policy");
        QTest::addColumn<bool>("parsed");
        QTest::addColumn<QString>("bucket");
        QTest::addColumn<int>("remaining");
        QTest::addColumn<int>("reset");
        QTest::addColumn<int>("quota");
        QTest::addColumn<int>("window");
        QTest::newRow("real api") << QByteArray("\"api\";r=499;t=295") << QByteArray("\"fixed window\";\"api\";q=500;w=300") << true
                                  << "api" << 499 << 295 << 500 << 300;
        QTest::newRow("exhausted") << QByteArray("\"api\";r=0;t=55") << QByteArray() << true << "api" << 0 << 55 << -1 << -1;
        QTest::newRow("resolvers spaces") << QByteArray("\"resolvers\" ; r = 2999 ; t = 299") << QByteArray("\"fixed window\";\"resolvers\";q=3000;w=300")
                                          << true << "resolvers" << 2999 << 299 << 3000 << 300;
        QTest::newRow("garbage") << QByteArray("lots left") << QByteArray() << false << "" << -1 << -1 << -1 << -1;
        QTest::newRow("huge number") << QByteArray("\"api\";r=99999999999999;t=1") << QByteArray() << true << "api" << -1 << 1 << -1 << -1;
    }

    void rateLimit()
    {
        QFETCH(QByteArray, limit);
        QFETCH(QByteArray, policy);
        QFETCH(bool, parsed);
        RawHeaders headers{{"RateLimit", limit}};
        if (!policy.isEmpty())
            headers.append({"ratelimit-policy", policy});
        const std::optional<RateLimitReading> reading = parseRateLimit(headers);
        QCOMPARE(reading.has_value(), parsed);
        if (!parsed)
            return;
        QTEST(reading->bucket, "bucket");
        QTEST(reading->remaining, "remaining");
        QTEST(reading->resetSeconds, "reset");
        QTEST(reading->quota, "quota");
        QTEST(reading->windowSeconds, "window");
        QCOMPARE(reading->exhausted(), reading->remaining == 0);
    }

    void noRateLimitHeader()
    {
        QVERIFY(!parseRateLimit({{"Content-Type", "text/html"}}));
    }

    void nextPage_data()
    {
        QTest::addColumn<QByteArray>("link");
        QTest::addColumn<QUrl>("endpoint");
        QTest::addColumn<QUrl>("expected");
        const QByteArray real = "<https://huggingface.co/api/models?search=llama&sort=downloads&limit=5&cursor=eyIkb3IiOlt7fV19>; rel=\"next\"";
        QTest::newRow("rebased onto a mirror") << real << QUrl(QStringLiteral("http://127.0.0.1:8123"))
                                               << QUrl(QStringLiteral("http://127.0.0.1:8123/api/models?search=llama&sort=downloads&limit=5&cursor=eyIkb3IiOlt7fV19"));
        QTest::newRow("mirror with path prefix") << real << QUrl(QStringLiteral("https://mirror.example.com/hf"))
                                                 << QUrl(QStringLiteral("https://mirror.example.com/hf/api/models?search=llama&sort=downloads&limit=5&cursor=eyIkb3IiOlt7fV19"));
        QTest::newRow("several rels") << QByteArray("<https://cas.example/x>; rel=\"xet-auth\", <https://huggingface.co/api/datasets?cursor=abc%3D>; rel=\"next\"")
                                      << QUrl(QStringLiteral("https://huggingface.co"))
                                      << QUrl(QStringLiteral("https://huggingface.co/api/datasets?cursor=abc%3D"));
        QTest::newRow("last page") << QByteArray("<https://huggingface.co/api/models?p=0>; rel=\"prev\"") << QUrl(QStringLiteral("https://huggingface.co")) << QUrl();
        QTest::newRow("empty") << QByteArray() << QUrl(QStringLiteral("https://huggingface.co")) << QUrl();
        QTest::newRow("unterminated") << QByteArray("<https://huggingface.co/api/models; rel=\"next\"") << QUrl(QStringLiteral("https://huggingface.co")) << QUrl();
        QTest::newRow("foreign host is replaced") << QByteArray("<https://evil.example:444/api/models?cursor=1>; rel=next")
                                                  << QUrl(QStringLiteral("https://huggingface.co"))
                                                  << QUrl(QStringLiteral("https://huggingface.co/api/models?cursor=1"));
    }

    void nextPage()
    {
        QFETCH(QByteArray, link);
        QFETCH(QUrl, endpoint);
        QFETCH(QUrl, expected);
        QCOMPARE(nextPageUrl(link, endpoint), expected);
    }

    void retryAfter()
    {
        QCOMPARE(parseRetryAfter({{"Retry-After", "7"}}), std::optional<int>(7));
        QCOMPARE(parseRetryAfter({{"retry-after", " 120 "}}), std::optional<int>(120));
        QVERIFY(!parseRetryAfter({{"Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT"}}));
        QVERIFY(!parseRetryAfter({{"Retry-After", "-5"}}));
        QVERIFY(!parseRetryAfter({}));
    }
};

VIBEML_TEST_MAIN_CORE(TestHttpHeaders)
#include "tst_httpheaders.moc"
