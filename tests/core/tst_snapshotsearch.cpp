#include "hub/OfflineSnapshot.h"
#include "hub/SnapshotSearch.h"

#include "TestSupport.h"

using namespace vibeml;
using namespace vibeml::hub;

class TestSnapshotSearch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void modelsMatchEveryWord()
    {
        const OfflineSnapshot snapshot = OfflineSnapshot::load();
        QVERIFY(!snapshot.isEmpty());
        const SearchPage qwen = searchSnapshot(snapshot, RepoKind::Model, QStringLiteral("qwen"));
        QCOMPARE(qwen.hits.size(), 4);
        for (const SearchHit &hit : qwen.hits) {
            QVERIFY(hit.id.startsWith(QStringLiteral("Qwen/")));
            QCOMPARE(hit.kind, RepoKind::Model);
        }
        // Most downloaded first, with what the snapshot knows about each.
        for (qsizetype i = 1; i < qwen.hits.size(); ++i)
            QVERIFY(qwen.hits.at(i - 1).downloads >= qwen.hits.at(i).downloads);
        const SearchPage llama8b = searchSnapshot(snapshot, RepoKind::Model, QStringLiteral("LLAMA 8b"));
        QCOMPARE(llama8b.hits.size(), 1);
        const SearchHit &hit = llama8b.hits.first();
        QCOMPARE(hit.id, QStringLiteral("meta-llama/Llama-3.1-8B-Instruct"));
        QCOMPARE(hit.gated, std::optional<GatedMode>(GatedMode::Manual));
        QCOMPARE(hit.parameterCount, std::optional<qint64>(8030261248));
        QVERIFY(hit.licenses.contains(QStringLiteral("llama3.1")));
        QVERIFY(hit.downloads > 0);
        QVERIFY(searchSnapshot(snapshot, RepoKind::Model, QStringLiteral("no-such-model")).hits.isEmpty());
        QCOMPARE(searchSnapshot(snapshot, RepoKind::Model, QString()).hits.size(), snapshot.modelIds().size());
        QCOMPARE(searchSnapshot(snapshot, RepoKind::Model, QString(), 3).hits.size(), 3);
    }

    void datasets()
    {
        const OfflineSnapshot snapshot = OfflineSnapshot::load();
        const SearchPage page = searchSnapshot(snapshot, RepoKind::Dataset, QStringLiteral("alpaca"));
        QCOMPARE(page.hits.size(), 1);
        QCOMPARE(page.hits.first().id, QStringLiteral("tatsu-lab/alpaca"));
        QCOMPARE(page.hits.first().kind, RepoKind::Dataset);
        QVERIFY(!page.hits.first().parameterCount);
        const SearchPage gated = searchSnapshot(snapshot, RepoKind::Dataset, QStringLiteral("starcoder"));
        QCOMPARE(gated.hits.size(), 1);
        QCOMPARE(gated.hits.first().gated, std::optional<GatedMode>(GatedMode::Auto));
    }

    void emptySnapshot()
    {
        const OfflineSnapshot snapshot = OfflineSnapshot::load(test::isolatedRoot() + QStringLiteral("/missing.json"));
        QVERIFY(searchSnapshot(snapshot, RepoKind::Model, QStringLiteral("qwen")).hits.isEmpty());
    }
};

VIBEML_TEST_MAIN_CORE(TestSnapshotSearch)
#include "tst_snapshotsearch.moc"
