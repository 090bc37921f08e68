#include "hub/DatasetValidator.h"

#include "HubTestRig.h"

using namespace vibeml;
using namespace vibeml::hub;
using test::FakeHub;
using test::HubTestRig;

namespace {

std::optional<DatasetReport> validate(HubTestRig &rig, const DatasetRequest &request)
{
    DatasetValidator validator(*rig.client);
    std::optional<DatasetReport> report;
    QObject::connect(&validator, &DatasetValidator::finished, [&report](const DatasetReport &r) { report = r; });
    validator.validate(request);
    (void)QTest::qWaitFor([&report] { return report.has_value(); }, 20000);
    return report;
}

DatasetRequest request(const QString &id)
{
    DatasetRequest r;
    r.id = id;
    return r;
}

QString textOf(const DatasetReport &report, CheckLine::Topic topic)
{
    const CheckLine *line = report.check(topic);
    return line ? line->text : QString();
}

CheckLine::Verdict verdictOf(const DatasetReport &report, CheckLine::Topic topic)
{
    const CheckLine *line = report.check(topic);
    return line ? line->verdict : CheckLine::Verdict::Fail;
}

} // namespace

class TestDatasetValidator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void chatDatasetThroughTheViewer()
    {
        HubTestRig rig;
        const auto report = validate(rig, request(QStringLiteral("HuggingFaceH4/ultrachat_200k")));
        QVERIFY(report);
        QVERIFY2(report->canLaunch(), qPrintable(report->toText()));
        QVERIFY(report->viewerAvailable);
        QCOMPARE(report->config, QStringLiteral("default"));
        QCOMPARE(report->split, QStringLiteral("train_sft"));
        QCOMPARE(report->rowCount, std::optional<qint64>(207865));
        QCOMPARE(report->columns.size(), 3);
        QCOMPARE(report->format.mapping.format, DataFormat::Chat);
        QCOMPARE(report->format.mapping.messages, QStringLiteral("messages"));
        QCOMPARE(report->previewRows.size(), 1);
        QVERIFY(report->tokens.totalTokens > 0);
        QVERIFY(!report->pinnedSha.isEmpty());
        const QString text = report->toText();
        QVERIFY2(text.contains(QStringLiteral("default / train_sft: 207,865 rows")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("First row: user: Create a fully-developed protagonist")));
    }

    void cardFallbackWithoutTheViewer()
    {
        HubTestRig rig;
        const auto report = validate(rig, request(QStringLiteral("openai/gsm8k")));
        QVERIFY(report);
        QVERIFY2(report->canLaunch(), qPrintable(report->toText()));
        QVERIFY(!report->viewerAvailable);
        QCOMPARE(verdictOf(*report, CheckLine::Topic::Viewer), CheckLine::Verdict::Warn);
        QCOMPARE(report->config, QStringLiteral("main"));
        QCOMPARE(report->split, QStringLiteral("train"));
        QCOMPARE(report->rowCount, std::optional<qint64>(7473));
        QCOMPARE(report->format.mapping.format, DataFormat::PromptCompletion);
        QCOMPARE(report->format.mapping.prompt, QStringLiteral("question"));
        QVERIFY(textOf(*report, CheckLine::Topic::Splits).contains(QStringLiteral("2 configs")));
    }

    void chosenConfigAndSplit()
    {
        HubTestRig rig;
        DatasetRequest asked = request(QStringLiteral("openai/gsm8k"));
        asked.config = QStringLiteral("socratic");
        asked.split = QStringLiteral("test");
        auto report = validate(rig, asked);
        QVERIFY(report && report->canLaunch());
        QCOMPARE(report->rowCount, std::optional<qint64>(1319));

        asked.config = QStringLiteral("nope");
        report = validate(rig, asked);
        QVERIFY(report && !report->canLaunch());
        QVERIFY(textOf(*report, CheckLine::Topic::Splits).contains(QStringLiteral("available: main, socratic")));

        asked.config = QStringLiteral("main");
        asked.split = QStringLiteral("validation");
        report = validate(rig, asked);
        QVERIFY(report && !report->canLaunch());
        QVERIFY(textOf(*report, CheckLine::Topic::Splits).contains(QStringLiteral("no split \"validation\"")));
    }

    void userMappingIsChecked()
    {
        HubTestRig rig;
        DatasetRequest asked = request(QStringLiteral("openai/gsm8k"));
        ColumnMapping mapping;
        mapping.format = DataFormat::Text;
        mapping.text = QStringLiteral("answer");
        asked.mapping = mapping;
        auto report = validate(rig, asked);
        QVERIFY(report && report->canLaunch());
        QVERIFY(textOf(*report, CheckLine::Topic::Format).contains(QStringLiteral("chosen by you")));
        mapping.text = QStringLiteral("solution");
        asked.mapping = mapping;
        report = validate(rig, asked);
        QVERIFY(report && !report->canLaunch());
        QVERIFY(textOf(*report, CheckLine::Topic::Format).contains(QStringLiteral("no column \"solution\"")));
    }

    void gatedDataset()
    {
        HubTestRig rig;
        auto report = validate(rig, request(QStringLiteral("bigcode/starcoderdata")));
        QVERIFY(report && !report->canLaunch());
        QCOMPARE(verdictOf(*report, CheckLine::Topic::Access), CheckLine::Verdict::Fail);
        QVERIFY(textOf(*report, CheckLine::Topic::Access).contains(QStringLiteral("https://huggingface.co/datasets/bigcode/starcoderdata")) ||
                textOf(*report, CheckLine::Topic::Access).contains(QStringLiteral("/datasets/bigcode/starcoderdata")));

        rig.useToken(FakeHub::validToken());
        report = validate(rig, request(QStringLiteral("bigcode/starcoderdata")));
        QVERIFY(report);
        QCOMPARE(verdictOf(*report, CheckLine::Topic::Access), CheckLine::Verdict::Pass);
        // No dataset_info in the card and no viewer access: the layout cannot be known.
        QCOMPARE(verdictOf(*report, CheckLine::Topic::Format), CheckLine::Verdict::Fail);
    }

    void missingDataset()
    {
        HubTestRig rig;
        const auto report = validate(rig, request(QStringLiteral("no-such/dataset")));
        QVERIFY(report && !report->canLaunch());
        QCOMPARE(report->checks.size(), 1);
        QVERIFY(report->toText().contains(QStringLiteral("No dataset named no-such/dataset")));
    }

    void offlineSnapshotDataset()
    {
        HubTestRig rig;
        rig.setOffline(true);
        const auto report = validate(rig, request(QStringLiteral("tatsu-lab/alpaca")));
        QVERIFY(report);
        QVERIFY2(report->canLaunch(), qPrintable(report->toText()));
        QCOMPARE(report->origin, AnswerOrigin::Snapshot);
        QCOMPARE(report->format.mapping.format, DataFormat::Instruction);
        QCOMPARE(report->rowCount, std::optional<qint64>(52002));
        QCOMPARE(verdictOf(*report, CheckLine::Topic::Revision), CheckLine::Verdict::Warn);
        QCOMPARE(rig.fake.requests().size(), 0);
    }
};

VIBEML_TEST_MAIN_CORE(TestDatasetValidator)
#include "tst_datasetvalidator.moc"
