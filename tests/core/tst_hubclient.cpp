#include "hub/HubClient.h"

#include "HubTestRig.h"

using namespace vibeml;
using namespace vibeml::hub;
using test::FakeHub;
using test::HubTestRig;

Q_DECLARE_METATYPE(vibeml::hub::HubError::Kind)

namespace {

const QString kQwen = QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct");
const QString kLlama = QStringLiteral("meta-llama/Llama-3.1-8B-Instruct");

template<typename T>
HubError::Kind errorKind(const std::optional<HubResult<T>> &result)
{
    return result && !*result ? result->error().kind : HubError::Kind::Cancelled;
}

} // namespace

class TestHubClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void modelInfoIsFetchedThenCached()
    {
        HubTestRig rig;
        auto first = rig.await<ModelInfo>([&](QObject *r, auto cb) { rig.client->modelInfo(kQwen, {}, r, cb); });
        QVERIFY(first && *first);
        QCOMPARE(first->value().value.sha, QStringLiteral("7ae557604adf67be50417f59c2c2f167def9a775"));
        QCOMPARE(first->value().origin, AnswerOrigin::Network);
        QCOMPARE(describeOrigin(first->value().origin, first->value().fetchedAt), QStringLiteral("live"));
        const int requests = rig.fake.requests().size();

        auto second = rig.await<ModelInfo>([&](QObject *r, auto cb) { rig.client->modelInfo(kQwen, {}, r, cb); });
        QVERIFY(second && *second);
        QCOMPARE(second->value().origin, AnswerOrigin::Cache);
        QCOMPARE(rig.fake.requests().size(), requests);
        QVERIFY(describeOrigin(AnswerOrigin::Cache, second->value().fetchedAt).startsWith(QStringLiteral("cached")));
    }

    void revisionsArePinnedAndChecked()
    {
        HubTestRig rig;
        auto pinned = rig.await<ModelInfo>([&](QObject *r, auto cb) {
            rig.client->modelInfo(kQwen, QStringLiteral("7ae557604adf67be50417f59c2c2f167def9a775"), r, cb);
        });
        QVERIFY(pinned && *pinned);
        QVERIFY(rig.fake.requests().last().path.endsWith(QStringLiteral("/revision/7ae557604adf67be50417f59c2c2f167def9a775")));
        auto missing = rig.await<ModelInfo>([&](QObject *r, auto cb) { rig.client->modelInfo(kQwen, QStringLiteral("does-not-exist"), r, cb); });
        QCOMPARE(errorKind(missing), HubError::Kind::RevisionNotFound);
        QVERIFY(missing->error().message.contains(QStringLiteral("does-not-exist")));
    }

    void hostileIdsNeverReachTheNetwork()
    {
        HubTestRig rig;
        for (const QString &id : {QStringLiteral("a/b;rm -rf ~"), QStringLiteral("$(curl evil)/x"), QStringLiteral("../../etc/passwd"),
                                  QStringLiteral("a/b\nc"), QStringLiteral("")}) {
            auto result = rig.await<ModelInfo>([&](QObject *r, auto cb) { rig.client->modelInfo(id, {}, r, cb); });
            QCOMPARE(errorKind(result), HubError::Kind::InvalidId);
        }
        auto badRevision = rig.await<DatasetInfo>([&](QObject *r, auto cb) {
            rig.client->datasetInfo(QStringLiteral("a/b"), QStringLiteral("main; id"), r, cb);
        });
        QCOMPARE(errorKind(badRevision), HubError::Kind::InvalidId);
        QCOMPARE(rig.fake.requests().size(), 0);
    }

    void missingRepos_data()
    {
        QTest::addColumn<QString>("token");
        QTest::addColumn<HubError::Kind>("kind");
        QTest::addColumn<QString>("says");
        QTest::newRow("anonymous") << QString() << HubError::Kind::RepoNotFound << "add a Hugging Face token";
        QTest::newRow("valid token") << FakeHub::validToken() << HubError::Kind::RepoNotFound << "cannot see it";
        QTest::newRow("invalid token") << FakeHub::invalidToken() << HubError::Kind::InvalidToken << "HF_TOKEN";
    }

    void missingRepos()
    {
        QFETCH(QString, token);
        QFETCH(HubError::Kind, kind);
        QFETCH(QString, says);
        HubTestRig rig;
        rig.useToken(token);
        auto result = rig.await<ModelInfo>([&](QObject *r, auto cb) { rig.client->modelInfo(QStringLiteral("no-such-org/no-such-model"), {}, r, cb); });
        QCOMPARE(errorKind(result), kind);
        QVERIFY2(result->error().message.contains(says), qPrintable(result->error().message));
    }

    void gatedAccessMatrix_data()
    {
        QTest::addColumn<QString>("token");
        QTest::addColumn<bool>("granted");
        QTest::addColumn<HubError::Kind>("kind");
        QTest::newRow("no token") << QString() << false << HubError::Kind::GatedNeedsToken;
        QTest::newRow("approved") << FakeHub::validToken() << true << HubError::Kind::Cancelled;
        QTest::newRow("not approved") << FakeHub::notApprovedToken() << false << HubError::Kind::GatedNotApproved;
        QTest::newRow("fine-grained") << FakeHub::fineGrainedNoGatedToken() << false << HubError::Kind::GatedTokenScope;
        QTest::newRow("invalid") << FakeHub::invalidToken() << false << HubError::Kind::InvalidToken;
    }

    void gatedAccessMatrix()
    {
        QFETCH(QString, token);
        QFETCH(bool, granted);
        QFETCH(HubError::Kind, kind);
        HubTestRig rig;
        rig.useToken(token);
        auto access = rig.await<bool>([&](QObject *r, auto cb) { rig.client->authCheck(RepoKind::Model, kLlama, r, cb); });
        QVERIFY(access);
        QCOMPARE(bool(*access), granted);
        if (!granted) {
            QCOMPARE(access->error().kind, kind);
            if (kind == HubError::Kind::GatedNotApproved)
                QVERIFY(access->error().message.contains(QStringLiteral("/meta-llama/Llama-3.1-8B-Instruct, then retry")));
        }
        // config.json follows the same rule as the weights.
        auto config = rig.await<ModelConfig>([&](QObject *r, auto cb) { rig.client->modelConfig(kLlama, {}, r, cb); });
        QVERIFY(config);
        QCOMPARE(bool(*config), granted);
        if (granted) {
            QCOMPARE(config->value().value.hiddenSize, std::optional<qint64>(4096));
            QCOMPARE(config->value().value.numHiddenLayers, std::optional<qint64>(32));
        }
    }

    void searchFollowsPagesOnTheConfiguredEndpoint()
    {
        HubTestRig rig;
        auto first = rig.await<SearchPage>([&](QObject *r, auto cb) { rig.client->search(RepoKind::Model, QStringLiteral("llama"), 5, r, cb); });
        QVERIFY(first && *first);
        const SearchPage &page = first->value().value;
        QVERIFY(!page.hits.isEmpty());
        QCOMPARE(page.next.host(), rig.fake.url().host());
        QCOMPARE(page.next.port(), rig.fake.url().port());
        const FakeHub::Request request = rig.fake.requests().last();
        QCOMPARE(request.query.queryItemValue(QStringLiteral("sort")), QStringLiteral("downloads"));
        QCOMPARE(request.query.queryItemValue(QStringLiteral("limit")), QStringLiteral("5"));
        QVERIFY(request.query.allQueryItemValues(QStringLiteral("expand[]")).contains(QStringLiteral("gated")));

        auto second = rig.await<SearchPage>([&](QObject *r, auto cb) { rig.client->nextPage(RepoKind::Model, page.next, r, cb); });
        QVERIFY(second && *second);
        QVERIFY(!second->value().value.hits.isEmpty());
        QVERIFY(second->value().value.next.isEmpty());
        QVERIFY(second->value().value.hits.first().id != page.hits.first().id);

        auto datasets = rig.await<SearchPage>([&](QObject *r, auto cb) { rig.client->search(RepoKind::Dataset, QStringLiteral("ultrachat"), 10, r, cb); });
        QVERIFY(datasets && *datasets);
        QCOMPARE(datasets->value().value.hits.first().kind, RepoKind::Dataset);
    }

    void whoamiIsAskedOncePerToken()
    {
        HubTestRig rig;
        auto none = rig.await<WhoAmI>([&](QObject *r, auto cb) { rig.client->whoami(r, cb); });
        QCOMPARE(errorKind(none), HubError::Kind::NoToken);
        QCOMPARE(rig.fake.countRequests(QStringLiteral("/api/whoami-v2")), 0);

        rig.useToken(FakeHub::fineGrainedNoGatedToken());
        for (int i = 0; i < 3; ++i) {
            auto who = rig.await<WhoAmI>([&](QObject *r, auto cb) { rig.client->whoami(r, cb); });
            QVERIFY(who && *who);
            QCOMPARE(who->value().value.tokenRole, QStringLiteral("fineGrained"));
            QCOMPARE(who->value().value.canReadGatedRepos, std::optional<bool>(false));
        }
        QCOMPARE(rig.fake.countRequests(QStringLiteral("/api/whoami-v2")), 1);

        rig.useToken(FakeHub::invalidToken());
        auto invalid = rig.await<WhoAmI>([&](QObject *r, auto cb) { rig.client->whoami(r, cb); });
        QCOMPARE(errorKind(invalid), HubError::Kind::InvalidToken);
    }

    void treeListsFileSizes()
    {
        HubTestRig rig;
        auto tree = rig.await<QList<TreeEntry>>([&](QObject *r, auto cb) { rig.client->tree(RepoKind::Model, kLlama, {}, {}, true, r, cb); });
        QVERIFY(tree && *tree);
        qint64 shards = 0;
        for (const TreeEntry &entry : tree->value().value) {
            if (entry.path.endsWith(QLatin1String(".safetensors")))
                shards += entry.size;
        }
        QCOMPARE(shards, qint64(4976698672) + 4999802720 + 4915916176 + 1168138808);
        auto missing = rig.await<QList<TreeEntry>>([&](QObject *r, auto cb) {
            rig.client->tree(RepoKind::Model, kQwen, {}, QStringLiteral("no-such-dir"), false, r, cb);
        });
        QCOMPARE(errorKind(missing), HubError::Kind::EntryNotFound);
    }

    void datasetViewer()
    {
        HubTestRig rig;
        const QString id = QStringLiteral("HuggingFaceH4/ultrachat_200k");
        auto validity = rig.await<ViewerValidity>([&](QObject *r, auto cb) { rig.client->viewerValidity(id, r, cb); });
        QVERIFY(validity && *validity && validity->value().value.preview);
        auto splits = rig.await<ViewerSplits>([&](QObject *r, auto cb) { rig.client->viewerSplits(id, r, cb); });
        QVERIFY(splits && *splits);
        QCOMPARE(splits->value().value.splits.size(), 4);
        auto info = rig.await<ViewerInfo>([&](QObject *r, auto cb) { rig.client->viewerInfo(id, QStringLiteral("default"), r, cb); });
        QVERIFY(info && *info);
        QCOMPARE(info->value().value.configs.first().columns.size(), 3);
        auto size = rig.await<ViewerSize>([&](QObject *r, auto cb) { rig.client->viewerSize(id, {}, r, cb); });
        QVERIFY(size && *size);
        QCOMPARE(size->value().value.numRows, qint64(515311));
        auto rows = rig.await<FirstRows>([&](QObject *r, auto cb) {
            rig.client->firstRows(id, QStringLiteral("default"), QStringLiteral("train_sft"), r, cb);
        });
        QVERIFY(rows && *rows);
        QCOMPARE(rows->value().value.rows.size(), 1);
        const FakeHub::Request last = rig.fake.requests().last();
        QCOMPARE(last.path, QStringLiteral("/first-rows"));
        QCOMPARE(last.query.queryItemValue(QStringLiteral("dataset"), QUrl::FullyDecoded), id);

        auto gated = rig.await<ViewerSplits>([&](QObject *r, auto cb) { rig.client->viewerSplits(QStringLiteral("bigcode/starcoderdata"), r, cb); });
        QCOMPARE(errorKind(gated), HubError::Kind::RepoNotFound);
        rig.useToken(FakeHub::notApprovedToken());
        gated = rig.await<ViewerSplits>([&](QObject *r, auto cb) { rig.client->viewerSplits(QStringLiteral("bigcode/starcoderdata"), r, cb); });
        QCOMPARE(errorKind(gated), HubError::Kind::GatedNotApproved);
    }

    void offlineAnswersFromCacheThenSnapshot()
    {
        HubTestRig rig;
        auto live = rig.await<ModelInfo>([&](QObject *r, auto cb) { rig.client->modelInfo(kQwen, {}, r, cb); });
        QVERIFY(live && *live);
        rig.setOffline(true);
        rig.fake.clearRequests();

        auto cached = rig.await<ModelInfo>([&](QObject *r, auto cb) { rig.client->modelInfo(kQwen, {}, r, cb); });
        QVERIFY(cached && *cached);
        QCOMPARE(cached->value().origin, AnswerOrigin::StaleCache);
        QVERIFY(describeOrigin(cached->value().origin, cached->value().fetchedAt).startsWith(QStringLiteral("offline: cached")));

        auto snapshot = rig.await<ModelInfo>([&](QObject *r, auto cb) {
            rig.client->modelInfo(QStringLiteral("mistralai/Mistral-7B-Instruct-v0.3"), {}, r, cb);
        });
        QVERIFY(snapshot && *snapshot);
        QCOMPARE(snapshot->value().origin, AnswerOrigin::Snapshot);
        QCOMPARE(snapshot->value().value.safetensors->total, qint64(7248023552));
        QVERIFY(describeOrigin(snapshot->value().origin, snapshot->value().fetchedAt).contains(QStringLiteral("snapshot of 20")));

        auto unknown = rig.await<ModelInfo>([&](QObject *r, auto cb) { rig.client->modelInfo(QStringLiteral("someone/else"), {}, r, cb); });
        QCOMPARE(errorKind(unknown), HubError::Kind::Offline);
        QVERIFY(unknown->error().message.contains(QStringLiteral("HF_HUB_OFFLINE")));
        QCOMPARE(rig.fake.requests().size(), 0);
    }

    void deadNetworkFallsBackToTheCache()
    {
        HubTestRig rig;
        auto live = rig.await<DatasetInfo>([&](QObject *r, auto cb) {
            rig.client->datasetInfo(QStringLiteral("openai/gsm8k"), {}, r, cb);
        });
        QVERIFY(live && *live);
        HubClient::TimeToLive noFreshness;
        noFreshness.info = std::chrono::seconds(0);
        rig.client->setTimeToLive(noFreshness);
        rig.fake.setFault(FakeHub::Fault::ConnectionReset);
        auto stale = rig.await<DatasetInfo>([&](QObject *r, auto cb) {
            rig.client->datasetInfo(QStringLiteral("openai/gsm8k"), {}, r, cb);
        });
        QVERIFY(stale && *stale);
        QCOMPARE(stale->value().origin, AnswerOrigin::StaleCache);
        QCOMPARE(stale->value().value.configs.size(), 2);
    }

    void malformedAndOversizedAnswers()
    {
        HubTestRig rig;
        rig.fake.setFault(FakeHub::Fault::MalformedJson);
        auto malformed = rig.await<ModelInfo>([&](QObject *r, auto cb) { rig.client->modelInfo(kQwen, {}, r, cb); });
        QCOMPARE(errorKind(malformed), HubError::Kind::MalformedResponse);
        rig.fake.clearFaults();
        rig.fake.setFault(FakeHub::Fault::HugeBody);
        auto huge = rig.await<ModelInfo>([&](QObject *r, auto cb) { rig.client->modelInfo(kQwen, {}, r, cb); });
        QCOMPARE(errorKind(huge), HubError::Kind::ResponseTooLarge);
    }

    void rateLimitedSearchFailsFastWithTheWait()
    {
        HubTestRig rig;
        rig.fake.setRateLimitReset(30);
        rig.fake.setFault(FakeHub::Fault::RateLimited);
        auto result = rig.await<SearchPage>([&](QObject *r, auto cb) { rig.client->search(RepoKind::Model, QStringLiteral("llama"), 5, r, cb); });
        QCOMPARE(errorKind(result), HubError::Kind::RateLimited);
        QCOMPARE(result->error().retryAfterSeconds, std::optional<int>(31));
    }

    void cancelledCallsStaySilent()
    {
        HubTestRig rig;
        bool called = false;
        QObject receiver;
        const auto handle = rig.client->modelInfo(kQwen, {}, &receiver, [&called](const HubResult<ModelInfo> &) { called = true; });
        rig.client->cancel(handle);
        // A cached answer is delivered from the event loop and can be cancelled too.
        auto warm = rig.await<ModelInfo>([&](QObject *r, auto cb) { rig.client->modelInfo(kQwen, {}, r, cb); });
        QVERIFY(warm && *warm);
        const auto cachedHandle = rig.client->modelInfo(kQwen, {}, &receiver, [&called](const HubResult<ModelInfo> &) { called = true; });
        rig.client->cancel(cachedHandle);
        QTest::qWait(300);
        QVERIFY(!called);
    }
};

VIBEML_TEST_MAIN_CORE(TestHubClient)
#include "tst_hubclient.moc"
