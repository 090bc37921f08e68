#include "hub/HubAccess.h"

#include "TestSupport.h"

#include <QDir>

using namespace vibeml;
using namespace vibeml::hub;

Q_DECLARE_METATYPE(vibeml::hub::TokenSource)

namespace {

const char *const kTokenVariables[] = {"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_TOKEN_PATH", "HF_HOME", "XDG_CACHE_HOME"};

void clearTokenEnvironment()
{
    for (const char *variable : kTokenVariables)
        qunsetenv(variable);
    QFile::remove(QDir::homePath() + QStringLiteral("/.cache/huggingface/token"));
}

} // namespace

class TestHubAccess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        clearTokenEnvironment();
        qunsetenv("HF_ENDPOINT");
        qunsetenv("HF_DATASETS_SERVER");
        qunsetenv("HF_HUB_OFFLINE");
    }

    void endpointsFollowSettingsThenEnvironment()
    {
        HubEndpoints endpoints = resolveEndpoints({}, {});
        QCOMPARE(endpoints.hub, QUrl(QStringLiteral("https://huggingface.co")));
        QCOMPARE(endpoints.viewer, QUrl(QStringLiteral("https://datasets-server.huggingface.co")));
        QCOMPARE(endpoints.hubSource, QStringLiteral("default"));
        QVERIFY(!endpoints.offline);

        qputenv("HF_ENDPOINT", "https://hf-mirror.example.com/");
        qputenv("HF_DATASETS_SERVER", "http://127.0.0.1:9000");
        endpoints = resolveEndpoints({}, {});
        QCOMPARE(endpoints.hub, QUrl(QStringLiteral("https://hf-mirror.example.com")));
        QCOMPARE(endpoints.hubSource, QStringLiteral("HF_ENDPOINT"));
        QCOMPARE(endpoints.viewer, QUrl(QStringLiteral("http://127.0.0.1:9000")));
        QCOMPARE(endpoints.viewerSource, QStringLiteral("HF_DATASETS_SERVER"));

        endpoints = resolveEndpoints(QStringLiteral("https://settings.example"), QStringLiteral("https://viewer.example"));
        QCOMPARE(endpoints.hub, QUrl(QStringLiteral("https://settings.example")));
        QCOMPARE(endpoints.hubSource, QStringLiteral("settings"));
        QCOMPARE(endpoints.viewerSource, QStringLiteral("settings"));

        qputenv("HF_ENDPOINT", "not a url");
        QCOMPARE(resolveEndpoints({}, {}).hubSource, QStringLiteral("default"));
    }

    void offlineVariable_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<bool>("offline");
        QTest::newRow("1") << QByteArray("1") << true;
        QTest::newRow("true") << QByteArray("TRUE") << true;
        QTest::newRow("0") << QByteArray("0") << false;
        QTest::newRow("empty") << QByteArray("") << false;
    }

    void offlineVariable()
    {
        QFETCH(QByteArray, value);
        QFETCH(bool, offline);
        qputenv("HF_HUB_OFFLINE", value);
        QCOMPARE(resolveEndpoints({}, {}).offline, offline);
    }

    void tokenCleaning()
    {
        QCOMPARE(cleanToken(QStringLiteral("  hf_abc\r\n")), QStringLiteral("hf_abc"));
        QCOMPARE(cleanToken(QStringLiteral("hf_a\nbc")), QStringLiteral("hf_abc"));
        QVERIFY(cleanToken(QStringLiteral(" \n ")).isEmpty());
    }

    void tokenOrder()
    {
        const QString root = test::isolatedRoot();
        const QString home = QDir::homePath();
        const QString tokens[] = {test::fakeHuggingFaceToken(), test::fakeHuggingFaceToken(), test::fakeHuggingFaceToken(),
                                  test::fakeHuggingFaceToken(), test::fakeHuggingFaceToken(), test::fakeHuggingFaceToken()};
        // Lowest priority first; each step adds a higher one and checks it wins.
        QVERIFY(test::writeFile(home + QStringLiteral("/.cache/huggingface/token"), tokens[0].toUtf8() + "\n"));
        ResolvedToken found = tokenFromEnvironment();
        QCOMPARE(found.token, tokens[0]);
        QCOMPARE(found.source, TokenSource::HomeCacheFile);
        QVERIFY(found.describe().endsWith(QStringLiteral(".cache/huggingface/token")));

        qputenv("XDG_CACHE_HOME", QFile::encodeName(root + QStringLiteral("/xdgcache")));
        QVERIFY(test::writeFile(root + QStringLiteral("/xdgcache/huggingface/token"), tokens[1].toUtf8()));
        QCOMPARE(tokenFromEnvironment().source, TokenSource::XdgCacheFile);

        qputenv("HF_HOME", QFile::encodeName(root + QStringLiteral("/hfhome")));
        QVERIFY(test::writeFile(root + QStringLiteral("/hfhome/token"), "\r\n" + tokens[2].toUtf8() + "\r\n"));
        found = tokenFromEnvironment();
        QCOMPARE(found.source, TokenSource::HfHomeFile);
        QCOMPARE(found.token, tokens[2]);

        qputenv("HF_TOKEN_PATH", QFile::encodeName(root + QStringLiteral("/custom-token")));
        QVERIFY(test::writeFile(root + QStringLiteral("/custom-token"), tokens[3].toUtf8()));
        QCOMPARE(tokenFromEnvironment().source, TokenSource::TokenPathFile);

        qputenv("HUGGING_FACE_HUB_TOKEN", tokens[4].toUtf8());
        QCOMPARE(tokenFromEnvironment().source, TokenSource::EnvLegacyToken);

        qputenv("HF_TOKEN", tokens[5].toUtf8());
        found = tokenFromEnvironment();
        QCOMPARE(found.source, TokenSource::EnvHfToken);
        QCOMPARE(found.token, tokens[5]);
        QCOMPARE(found.describe(), QStringLiteral("HF_TOKEN"));
        // The description never contains the token.
        QVERIFY(!found.describe().contains(tokens[5]));
    }

    void emptySourcesAreSkipped()
    {
        qputenv("HF_TOKEN", "   ");
        qputenv("HF_TOKEN_PATH", "/nonexistent/token");
        const ResolvedToken found = tokenFromEnvironment();
        QVERIFY(found.isEmpty());
        QCOMPARE(found.source, TokenSource::None);
        QCOMPARE(found.describe(), QStringLiteral("no token"));
    }

    void trustedOrigins_data()
    {
        QTest::addColumn<QUrl>("url");
        QTest::addColumn<bool>("trusted");
        QTest::newRow("hub") << QUrl(QStringLiteral("https://huggingface.co/api/models/x")) << true;
        QTest::newRow("hub explicit port") << QUrl(QStringLiteral("https://huggingface.co:443/api")) << true;
        QTest::newRow("viewer") << QUrl(QStringLiteral("https://datasets-server.huggingface.co/splits")) << true;
        QTest::newRow("cdn") << QUrl(QStringLiteral("https://cas-bridge.xethub.hf.co/x")) << false;
        QTest::newRow("http downgrade") << QUrl(QStringLiteral("http://huggingface.co/api")) << false;
        QTest::newRow("lookalike") << QUrl(QStringLiteral("https://huggingface.co.evil.example/api")) << false;
        QTest::newRow("other port") << QUrl(QStringLiteral("https://huggingface.co:8443/api")) << false;
    }

    void trustedOrigins()
    {
        QFETCH(QUrl, url);
        QFETCH(bool, trusted);
        QCOMPARE(isTrustedOrigin(url, resolveEndpoints({}, {})), trusted);
    }
};

VIBEML_TEST_MAIN_CORE(TestHubAccess)
#include "tst_hubaccess.moc"
