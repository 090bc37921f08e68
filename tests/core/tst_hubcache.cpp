#include "hub/HubCache.h"

#include "TestSupport.h"

#include <QDir>
#include <QFile>

using namespace vibeml;
using namespace vibeml::hub;

namespace {
int g_counter = 0;
QString freshDirectory()
{
    return test::isolatedRoot() + QStringLiteral("/cache-%1").arg(++g_counter);
}
} // namespace

class TestHubCache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void storesAndFindsWithTheFetchTime()
    {
        HubCache cache(freshDirectory());
        const QUrl url(QStringLiteral("https://huggingface.co/api/models/a/b"));
        const QString key = HubCache::keyFor("GET", url, QString());
        QVERIFY(!cache.lookup(key));
        const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
        cache.store(key, "{\"id\":\"a/b\"}", {{"Link", "<x>; rel=\"next\""}, {"Set-Cookie", "secret"}});
        const auto entry = cache.lookup(key);
        QVERIFY(entry);
        QCOMPARE(entry->body, QByteArray("{\"id\":\"a/b\"}"));
        QVERIFY(entry->fetchedAt >= before);
        QCOMPARE(entry->headers.size(), 1); // only Link is kept
        QCOMPARE(entry->headers.first().first, QByteArray("Link"));
    }

    void keysSeparateTokensWithoutStoringThem()
    {
        const QString directory = freshDirectory();
        HubCache cache(directory);
        const QUrl url(QStringLiteral("https://huggingface.co/api/models/private/repo"));
        const QString token = test::fakeHuggingFaceToken();
        const QString anonymous = HubCache::keyFor("GET", url, QString());
        const QString withToken = HubCache::keyFor("GET", url, token);
        QVERIFY(anonymous != withToken);
        QVERIFY(HubCache::keyFor("HEAD", url, token) != withToken);
        cache.store(withToken, "private body", {});
        QVERIFY(!cache.lookup(anonymous));
        for (const QString &file : QDir(directory).entryList(QDir::Files)) {
            QVERIFY(!file.contains(token));
            QVERIFY(!test::readFile(directory + QLatin1Char('/') + file).contains(token.toUtf8()));
            QCOMPARE(QFile::permissions(directory + QLatin1Char('/') + file) & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
                     QFileDevice::Permissions());
        }
    }

    void damagedEntriesAreIgnored()
    {
        const QString directory = freshDirectory();
        HubCache cache(directory);
        const QString key = HubCache::keyFor("GET", QUrl(QStringLiteral("https://h/x")), QString());
        cache.store(key, "0123456789", {});
        // A body cut short by a crash no longer matches its record.
        QVERIFY(test::writeFile(directory + QLatin1Char('/') + key + QStringLiteral(".body"), "01234"));
        QVERIFY(!cache.lookup(key));
        cache.store(key, "0123456789", {});
        QVERIFY(test::writeFile(directory + QLatin1Char('/') + key + QStringLiteral(".meta"), "not json"));
        QVERIFY(!cache.lookup(key));
    }

    void pruneKeepsTheNewest()
    {
        const QString directory = freshDirectory();
        HubCache cache(directory, 2500);
        for (int i = 0; i < 5; ++i) {
            cache.store(QStringLiteral("key%1").arg(i), QByteArray(1000, 'x'), {});
            // Distinct modification times so "oldest" is well defined.
            QFile file(directory + QStringLiteral("/key%1.body").arg(i));
            file.open(QIODevice::ReadWrite);
            file.setFileTime(QDateTime::currentDateTimeUtc().addSecs(i - 10), QFileDevice::FileModificationTime);
        }
        cache.prune();
        QVERIFY(!cache.lookup(QStringLiteral("key0")));
        QVERIFY(!cache.lookup(QStringLiteral("key2")));
        QVERIFY(cache.lookup(QStringLiteral("key3")));
        QVERIFY(cache.lookup(QStringLiteral("key4")));
        cache.clear();
        QVERIFY(!cache.lookup(QStringLiteral("key4")));
    }
};

VIBEML_TEST_MAIN_CORE(TestHubCache)
#include "tst_hubcache.moc"
