#include "hub/DatasetFormat.h"
#include "hub/HubParsers.h"

#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace vibeml;
using namespace vibeml::hub;

Q_DECLARE_METATYPE(vibeml::hub::DataFormat)

namespace {

FeatureType stringType()
{
    FeatureType type;
    type.kind = FeatureType::Kind::Value;
    type.dtype = QStringLiteral("string");
    return type;
}

FeatureType messagesType(const char *role, const char *content)
{
    FeatureType message;
    message.kind = FeatureType::Kind::Struct;
    message.fields.emplace_back(QLatin1String(content), stringType());
    message.fields.emplace_back(QLatin1String(role), stringType());
    FeatureType list;
    list.kind = FeatureType::Kind::List;
    list.element = std::make_shared<const FeatureType>(message);
    return list;
}

QList<DatasetColumn> stringColumns(const QStringList &names)
{
    QList<DatasetColumn> columns;
    for (const QString &name : names)
        columns.append(DatasetColumn{name, stringType()});
    return columns;
}

} // namespace

class TestDatasetFormat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void detection_data()
    {
        QTest::addColumn<QList<DatasetColumn>>("columns");
        QTest::addColumn<DataFormat>("format");
        QTest::addColumn<QStringList>("used");

        QList<DatasetColumn> ultrachat = stringColumns({QStringLiteral("prompt"), QStringLiteral("prompt_id")});
        ultrachat.append(DatasetColumn{QStringLiteral("messages"), messagesType("role", "content")});
        QTest::newRow("ultrachat: chat beats prompt") << ultrachat << DataFormat::Chat << QStringList{QStringLiteral("messages")};

        QList<DatasetColumn> sharegpt{DatasetColumn{QStringLiteral("conversations"), messagesType("from", "value")}};
        QTest::newRow("sharegpt") << sharegpt << DataFormat::Chat << QStringList{QStringLiteral("conversations")};

        QTest::newRow("alpaca") << stringColumns({QStringLiteral("instruction"), QStringLiteral("input"), QStringLiteral("output"), QStringLiteral("text")})
                                << DataFormat::Instruction
                                << QStringList{QStringLiteral("instruction"), QStringLiteral("input"), QStringLiteral("output")};
        QTest::newRow("dolly") << stringColumns({QStringLiteral("instruction"), QStringLiteral("context"), QStringLiteral("response"), QStringLiteral("category")})
                               << DataFormat::Instruction
                               << QStringList{QStringLiteral("instruction"), QStringLiteral("context"), QStringLiteral("response")};
        QTest::newRow("gsm8k") << stringColumns({QStringLiteral("question"), QStringLiteral("answer")}) << DataFormat::PromptCompletion
                               << QStringList{QStringLiteral("question"), QStringLiteral("answer")};
        QTest::newRow("prompt completion") << stringColumns({QStringLiteral("prompt"), QStringLiteral("completion")})
                                           << DataFormat::PromptCompletion << QStringList{QStringLiteral("prompt"), QStringLiteral("completion")};
        QTest::newRow("guanaco text") << stringColumns({QStringLiteral("text")}) << DataFormat::Text << QStringList{QStringLiteral("text")};
        QTest::newRow("single string column") << stringColumns({QStringLiteral("code")}) << DataFormat::Text << QStringList{QStringLiteral("code")};
        QList<DatasetColumn> numbers{DatasetColumn{QStringLiteral("label"), FeatureType{}}};
        QTest::newRow("nothing usable") << numbers << DataFormat::Unknown << QStringList{};
        QTest::newRow("no columns") << QList<DatasetColumn>{} << DataFormat::Unknown << QStringList{};
    }

    void detection()
    {
        QFETCH(QList<DatasetColumn>, columns);
        QFETCH(DataFormat, format);
        QFETCH(QStringList, used);
        const FormatDetection detection = detectFormat(columns);
        QCOMPARE(detection.mapping.format, format);
        QCOMPARE(detection.mapping.usedColumns(), used);
        QVERIFY(!detection.reason.isEmpty());
        if (format != DataFormat::Unknown)
            QVERIFY(!mappingProblem(detection.mapping, columns));
        else
            QVERIFY(mappingProblem(detection.mapping, columns));
    }

    void rowsConfirmChatWithoutFeatures()
    {
        // A column whose type is unknown (no viewer) but whose rows are messages.
        QList<DatasetColumn> columns{DatasetColumn{QStringLiteral("messages"), FeatureType{}}};
        const QJsonObject row = QJsonDocument::fromJson(R"({"messages": [{"role": "user", "content": "hi"}]})").object();
        const FormatDetection detection = detectFormat(columns, {row});
        QCOMPARE(detection.mapping.format, DataFormat::Chat);
        QCOMPARE(detection.mapping.roleKey, QStringLiteral("role"));
    }

    void userMappingsAreChecked()
    {
        const QList<DatasetColumn> columns = stringColumns({QStringLiteral("question"), QStringLiteral("answer")});
        ColumnMapping mapping;
        mapping.format = DataFormat::PromptCompletion;
        mapping.prompt = QStringLiteral("question");
        mapping.completion = QStringLiteral("solution");
        QVERIFY(mappingProblem(mapping, columns)->contains(QStringLiteral("solution")));
        mapping.completion = QStringLiteral("answer");
        QVERIFY(!mappingProblem(mapping, columns));
        mapping.format = DataFormat::Chat;
        mapping.messages = QStringLiteral("question");
        QVERIFY(mappingProblem(mapping, columns)->contains(QStringLiteral("not a list of messages")));
        mapping.format = DataFormat::Unknown;
        QVERIFY(mappingProblem(mapping, columns));
    }

    void realPreviewGivesTokens()
    {
        const auto rows = parseFirstRows(test::readFile(
            test::dataPath(QStringLiteral("hub/datasets-server/first-rows__HuggingFaceH4--ultrachat_200k__default__train_sft.json"))));
        QVERIFY(rows);
        const FormatDetection detection = detectFormat(rows.value().columns, rows.value().rows);
        QCOMPARE(detection.mapping.format, DataFormat::Chat);
        const QString text = trainingText(detection.mapping, rows.value().rows.first());
        QVERIFY(text.startsWith(QStringLiteral("user: Create a fully-developed protagonist")));
        QVERIFY(text.contains(QStringLiteral("\nassistant: Name: Ava")));
        const TokenEstimate estimate = estimateTokens(detection.mapping, rows.value().rows, 207865, 1397058554);
        QVERIFY(estimate.tokensPerRow > 40 && estimate.tokensPerRow < 200);
        QCOMPARE(estimate.totalTokens, qint64(std::llround(estimate.tokensPerRow * 207865)));
        QVERIFY(estimate.basis.contains(QStringLiteral("1 preview rows")));
    }

    void bytesFallbackAndNothing()
    {
        ColumnMapping mapping;
        mapping.format = DataFormat::Text;
        mapping.text = QStringLiteral("text");
        TokenEstimate estimate = estimateTokens(mapping, {}, 1000, 400'000);
        QCOMPARE(estimate.tokensPerRow, 100.0);
        QCOMPARE(estimate.totalTokens, qint64(100'000));
        estimate = estimateTokens(mapping, {}, 1000, std::nullopt);
        QCOMPARE(estimate.totalTokens, qint64(0));
        QVERIFY(!estimate.basis.isEmpty());
    }

    void trainingTextForEachLayout()
    {
        const QJsonObject row = QJsonDocument::fromJson(R"({"instruction": "Add", "input": "2 and 3", "output": "5",
            "prompt": "Q", "completion": "A", "text": "plain"})").object();
        ColumnMapping mapping;
        mapping.format = DataFormat::Instruction;
        mapping.instruction = QStringLiteral("instruction");
        mapping.input = QStringLiteral("input");
        mapping.output = QStringLiteral("output");
        QCOMPARE(trainingText(mapping, row), QStringLiteral("Add\n2 and 3\n5"));
        QVERIFY(mapping.describe().contains(QStringLiteral("instruction + input")));
        mapping.format = DataFormat::PromptCompletion;
        mapping.prompt = QStringLiteral("prompt");
        mapping.completion = QStringLiteral("completion");
        QCOMPARE(trainingText(mapping, row), QStringLiteral("Q\nA"));
        mapping.format = DataFormat::Text;
        mapping.text = QStringLiteral("text");
        QCOMPARE(trainingText(mapping, row), QStringLiteral("plain"));
        // Wrong types in a row give empty text, never a crash.
        mapping.format = DataFormat::Chat;
        mapping.messages = QStringLiteral("text");
        QVERIFY(trainingText(mapping, row).isEmpty());
    }

    void namesRoundTrip()
    {
        for (DataFormat format : {DataFormat::Chat, DataFormat::Instruction, DataFormat::PromptCompletion, DataFormat::Text})
            QCOMPARE(formatFromName(formatName(format)), std::optional<DataFormat>(format));
        QVERIFY(!formatFromName(QStringLiteral("yaml")));
    }
};

VIBEML_TEST_MAIN_CORE(TestDatasetFormat)
#include "tst_datasetformat.moc"
