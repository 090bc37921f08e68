#include "hub/ModelValidator.h"

#include "HubTestRig.h"

#include <QSignalSpy>

using namespace vibeml;
using namespace vibeml::hub;
using test::FakeHub;
using test::HubTestRig;

Q_DECLARE_METATYPE(vibeml::hub::CheckLine::Verdict)

namespace {

std::optional<ModelReport> validate(HubTestRig &rig, const QString &id, const QString &revision = {})
{
    ModelValidator validator(*rig.client);
    std::optional<ModelReport> report;
    QObject::connect(&validator, &ModelValidator::finished, [&report](const ModelReport &r) { report = r; });
    validator.validate(id, revision);
    (void)QTest::qWaitFor([&report] { return report.has_value(); }, 20000);
    return report;
}

CheckLine::Verdict verdictOf(const ModelReport &report, CheckLine::Topic topic)
{
    const CheckLine *line = report.check(topic);
    return line ? line->verdict : CheckLine::Verdict::Fail;
}

QString textOf(const ModelReport &report, CheckLine::Topic topic)
{
    const CheckLine *line = report.check(topic);
    return line ? line->text : QString();
}

} // namespace

class TestModelValidator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void publicModelIsReady()
    {
        HubTestRig rig;
        const auto report = validate(rig, QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct"));
        QVERIFY(report);
        QVERIFY2(report->canLaunch(), qPrintable(report->toText()));
        QCOMPARE(report->pinnedSha, QStringLiteral("7ae557604adf67be50417f59c2c2f167def9a775"));
        QCOMPARE(report->parameters.count, qint64(494032768));
        QCOMPARE(report->dtype, QStringLiteral("BF16"));
        QVERIFY(report->architecture.supported);
        QCOMPARE(textOf(*report, CheckLine::Topic::Access), QStringLiteral("public"));
        QVERIFY(report->config.has_value()); // config.json is public for public repos
        QVERIFY(report->downloadBytes.has_value());
        QVERIFY(*report->downloadBytes >= 988097824);
        QVERIFY(*report->downloadBytes < 988097824 + 20'000'000);
        const QString text = report->toText();
        QVERIFY(text.contains(QStringLiteral("✓ Parameters")));
        QVERIFY(text.contains(QStringLiteral("commit 7ae557604adf")));
        QVERIFY(text.endsWith(QStringLiteral("Ready to train.\n")));
    }

    void gatedModelWithAccess()
    {
        HubTestRig rig;
        rig.useToken(FakeHub::validToken());
        const auto report = validate(rig, QStringLiteral("meta-llama/Llama-3.1-8B-Instruct"));
        QVERIFY(report);
        QVERIFY2(report->canLaunch(), qPrintable(report->toText()));
        QVERIFY(textOf(*report, CheckLine::Topic::Access).contains(QStringLiteral("your account has access")));
        QCOMPARE(textOf(*report, CheckLine::Topic::Licence), QStringLiteral("llama3.1"));
        QCOMPARE(report->config->numKeyValueHeads, std::optional<qint64>(8));
        // The four safetensors shards plus small files; Meta's original/ checkpoint is left out.
        const qint64 shards = qint64(4976698672) + 4999802720 + 4915916176 + 1168138808;
        QVERIFY(*report->downloadBytes >= shards);
        QVERIFY(*report->downloadBytes < shards + 50'000'000);
    }

    void gatedModelRefusals_data()
    {
        QTest::addColumn<QString>("token");
        QTest::addColumn<QString>("says");
        QTest::newRow("no token") << QString() << "add a Hugging Face token";
        QTest::newRow("not approved") << FakeHub::notApprovedToken() << "Request access at";
        QTest::newRow("fine-grained without gated scope") << FakeHub::fineGrainedNoGatedToken() << "fine-grained token";
        QTest::newRow("invalid token") << FakeHub::invalidToken() << "refused";
    }

    void gatedModelRefusals()
    {
        QFETCH(QString, token);
        QFETCH(QString, says);
        HubTestRig rig;
        rig.useToken(token);
        const auto report = validate(rig, QStringLiteral("meta-llama/Llama-3.1-8B-Instruct"));
        QVERIFY(report);
        QVERIFY(!report->canLaunch());
        const QString text = report->toText();
        QVERIFY2(text.contains(says), qPrintable(text));
        if (token != FakeHub::invalidToken()) {
            QCOMPARE(verdictOf(*report, CheckLine::Topic::Access), CheckLine::Verdict::Fail);
            QVERIFY(report->check(CheckLine::Topic::Access)->actionUrl.isValid());
            // Metadata is public: the rest of the report is still useful.
            QCOMPARE(report->parameters.count, qint64(8030261248));
        }
    }

    void renamedModelAndUnsupportedArchitecture()
    {
        HubTestRig rig;
        const auto report = validate(rig, QStringLiteral("bert-base-uncased"));
        QVERIFY(report);
        QCOMPARE(report->canonicalId, QStringLiteral("google-bert/bert-base-uncased"));
        QCOMPARE(verdictOf(*report, CheckLine::Topic::Exists), CheckLine::Verdict::Warn);
        QVERIFY(textOf(*report, CheckLine::Topic::Exists).contains(QStringLiteral("is now google-bert/bert-base-uncased")));
        QCOMPARE(verdictOf(*report, CheckLine::Topic::Architecture), CheckLine::Verdict::Fail);
        QVERIFY(textOf(*report, CheckLine::Topic::Architecture).contains(QStringLiteral("encoder model")));
        QVERIFY(!report->canLaunch());
    }

    void quantizedCheckpointIsFlagged()
    {
        HubTestRig rig;
        const auto report = validate(rig, QStringLiteral("openai/gpt-oss-120b"));
        QVERIFY(report);
        QVERIFY(report->parameters.quantized);
        QVERIFY(report->toText().contains(QStringLiteral("quantized checkpoint (mxfp4)")));
        QVERIFY(report->architecture.supported);
    }

    void missingModelAndBadRevision()
    {
        HubTestRig rig;
        auto report = validate(rig, QStringLiteral("no-such-org/no-such-model"));
        QVERIFY(report);
        QVERIFY(!report->canLaunch());
        QCOMPARE(report->checks.size(), 1);
        QCOMPARE(report->infoError->kind, HubError::Kind::RepoNotFound);
        report = validate(rig, QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct"), QStringLiteral("does-not-exist"));
        QVERIFY(report);
        QCOMPARE(verdictOf(*report, CheckLine::Topic::Revision), CheckLine::Verdict::Fail);
    }

    void offlineUsesTheSnapshotWithoutPinning()
    {
        HubTestRig rig;
        rig.setOffline(true);
        const auto report = validate(rig, QStringLiteral("meta-llama/Llama-3.2-1B-Instruct"));
        QVERIFY(report);
        QCOMPARE(report->origin, AnswerOrigin::Snapshot);
        QVERIFY(report->pinnedSha.isEmpty());
        QCOMPARE(verdictOf(*report, CheckLine::Topic::Revision), CheckLine::Verdict::Warn);
        QCOMPARE(report->parameters.count, qint64(1235814400));
        QVERIFY(report->toText().contains(QStringLiteral("offline snapshot of")));
        QCOMPARE(rig.fake.requests().size(), 0);
    }

    void survivesARateLimitDuringValidation()
    {
        HubTestRig rig;
        rig.fake.setRateLimitReset(1);
        rig.fake.setFault(FakeHub::Fault::RateLimited, QStringLiteral("/api/models/Qwen"), 1);
        const auto report = validate(rig, QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct"));
        QVERIFY(report);
        QVERIFY2(report->canLaunch(), qPrintable(report->toText()));
    }

    void aNewValidationAbandonsTheOldOne()
    {
        HubTestRig rig;
        ModelValidator validator(*rig.client);
        QSignalSpy finished(&validator, &ModelValidator::finished);
        validator.validate(QStringLiteral("meta-llama/Llama-3.1-70B-Instruct"));
        validator.validate(QStringLiteral("Qwen/Qwen2.5-1.5B-Instruct"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
        QTest::qWait(200);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.first().first().value<ModelReport>().canonicalId, QStringLiteral("Qwen/Qwen2.5-1.5B-Instruct"));
    }
};

VIBEML_TEST_MAIN_CORE(TestModelValidator)
#include "tst_modelvalidator.moc"
