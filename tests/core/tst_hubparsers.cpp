#include "TestSupport.h"
#include "hub/HubParsers.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <functional>
#include <optional>
#include <vector>

using namespace vibeml;
using namespace vibeml::hub;

// Declared before any raw string literal: moc does not lex those reliably.
class TestHubParsers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // ---- every fixture -------------------------------------------------------------------------
    void fixturesAreAllCovered();
    void everyFixtureParses_data();
    void everyFixtureParses();

    // ---- models --------------------------------------------------------------------------------
    void modelInfo_data();
    void modelInfo();
    void modelInfoDetails();
    void modelGated_data();
    void modelGated();
    void modelGatedAbsentFromListing();
    void modelLicence_data();
    void modelLicence();
    void modelSafetensors_data();
    void modelSafetensors();
    void modelBaseModels_data();
    void modelBaseModels();
    void modelChatTemplate_data();
    void modelChatTemplate();
    void modelSiblings();
    void modelWrongFieldTypesKeepDefaults();
    void modelWithoutId_data();
    void modelWithoutId();
    void largeIntegersAreExact();

    // ---- search pages and trees ----------------------------------------------------------------
    void searchPage_data();
    void searchPage();
    void searchHitDetails();
    void searchSkipsBadEntries();
    void treeListing();
    void treeEdgeCases();

    // ---- whoami --------------------------------------------------------------------------------
    void whoAmI();

    // ---- datasets ------------------------------------------------------------------------------
    void datasetUltrachat();
    void datasetGsm8k();
    void datasetStarcoderGated();
    void datasetConfigsFromDataFiles();
    void datasetDataFilesAddMissingSplits();
    void cardFeatureForms_data();
    void cardFeatureForms();

    // ---- dataset viewer ------------------------------------------------------------------------
    void viewerFeatureForms_data();
    void viewerFeatureForms();
    void describeBuiltTypes();
    void featureDepthIsBounded_data();
    void featureDepthIsBounded();
    void viewerStructDepthIsBounded();
    void viewerValidity_data();
    void viewerValidity();
    void viewerValidityPartial();
    void viewerSplits();
    void viewerInfoUltrachat();
    void viewerInfoDuorc();
    void viewerInfoWithoutConfig();
    void viewerSize();
    void firstRows();

    // ---- config.json ---------------------------------------------------------------------------
    void modelConfig_data();
    void modelConfig();
    void modelConfigVariants();

    // ---- hostile input -------------------------------------------------------------------------
    void errorBodiesAreRefused_data();
    void errorBodiesAreRefused();
    void hostile_data();
    void hostile();
    void failureMessagesAreHuman_data();
    void failureMessagesAreHuman();
    void tooLargeBodiesAreRefusedBeforeParsing();
    void wrongTypesAnywhere_data();
    void wrongTypesAnywhere();
};

namespace {

// Every parser behind one signature, so hostile input can be thrown at all of them alike.
// Returns nothing on success, the message on failure.
using Outcome = std::optional<QString>;

template<typename T> Outcome outcome(const Result<T, ParseError> &result)
{
    if (result)
        return std::nullopt;
    return result.error().message;
}

struct Parser
{
    const char *name;
    bool wantsArray;
    QStringList requiredKeys; // top-level keys whose absence or wrong type may fail the parse
    std::function<Outcome(const QByteArray &)> run;
};

enum ParserIndex {
    Model,
    Dataset,
    SearchModels,
    SearchDatasets,
    Tree,
    Who,
    Validity,
    Splits,
    Info,
    Size,
    Rows,
    Config
};

const std::vector<Parser> &parsers()
{
    static const std::vector<Parser> all = {
        {"parseModelInfo",
         false,
         {QStringLiteral("id")},
         [](const QByteArray &b) { return outcome(parseModelInfo(b)); }},
        {"parseDatasetInfo",
         false,
         {QStringLiteral("id")},
         [](const QByteArray &b) { return outcome(parseDatasetInfo(b)); }},
        {"parseSearchPage(models)",
         true,
         {},
         [](const QByteArray &b) { return outcome(parseSearchPage(b, RepoKind::Model)); }},
        {"parseSearchPage(datasets)",
         true,
         {},
         [](const QByteArray &b) { return outcome(parseSearchPage(b, RepoKind::Dataset)); }},
        {"parseTree", true, {}, [](const QByteArray &b) { return outcome(parseTree(b)); }},
        {"parseWhoAmI", false, {QStringLiteral("name")}, [](const QByteArray &b) { return outcome(parseWhoAmI(b)); }},
        {"parseViewerValidity", false, {}, [](const QByteArray &b) { return outcome(parseViewerValidity(b)); }},
        {"parseViewerSplits",
         false,
         {QStringLiteral("splits")},
         [](const QByteArray &b) { return outcome(parseViewerSplits(b)); }},
        {"parseViewerInfo",
         false,
         {QStringLiteral("dataset_info")},
         [](const QByteArray &b) { return outcome(parseViewerInfo(b)); }},
        {"parseViewerSize",
         false,
         {QStringLiteral("size")},
         [](const QByteArray &b) { return outcome(parseViewerSize(b)); }},
        {"parseFirstRows",
         false,
         {QStringLiteral("features")},
         [](const QByteArray &b) { return outcome(parseFirstRows(b)); }},
        {"parseModelConfig", false, {}, [](const QByteArray &b) { return outcome(parseModelConfig(b)); }},
    };
    return all;
}

// Which parser reads which fixture; fixturesAreAllCovered() proves none is forgotten.
const QList<std::pair<QString, int>> &fixtureParsers()
{
    static const QList<std::pair<QString, int>> all = {
        {QStringLiteral("api__models__Qwen--Qwen2.5-0.5B-Instruct.json"), Model},
        {QStringLiteral("api__models__Qwen--Qwen2.5-1.5B-Instruct.json"), Model},
        {QStringLiteral("api__models__meta-llama--Llama-3.1-8B-Instruct.json"), Model},
        {QStringLiteral("api__models__meta-llama--Llama-3.1-8B-Instruct__expand.json"), Model},
        {QStringLiteral("api__models__meta-llama--Llama-3.1-70B-Instruct.json"), Model},
        {QStringLiteral("api__models__openai--gpt-oss-120b.json"), Model},
        {QStringLiteral("api__datasets__HuggingFaceH4--ultrachat_200k.json"), Dataset},
        {QStringLiteral("api__datasets__openai--gsm8k.json"), Dataset},
        {QStringLiteral("api__datasets__bigcode--starcoderdata.json"), Dataset},
        {QStringLiteral("api__models__search-llama.json"), SearchModels},
        {QStringLiteral("api__models__search-llama__page2.json"), SearchModels},
        {QStringLiteral("api__models__search-llama__expand.json"), SearchModels},
        {QStringLiteral("api__datasets__search-ultrachat.json"), SearchDatasets},
        {QStringLiteral("api__datasets__search-ultrachat__expand.json"), SearchDatasets},
        {QStringLiteral("api__models__Qwen--Qwen2.5-0.5B-Instruct__tree__main.json"), Tree},
        {QStringLiteral("api__models__meta-llama--Llama-3.1-8B-Instruct__tree__main.json"), Tree},
        {QStringLiteral("api__models__meta-llama--Llama-3.1-8B-Instruct__tree__main__recursive.json"), Tree},
        {QStringLiteral("api__whoami-v2.json"), Who},
        {QStringLiteral("api__whoami-v2__read-token.json"), Who},
        {QStringLiteral("datasets-server/is-valid__HuggingFaceH4--ultrachat_200k.json"), Validity},
        {QStringLiteral("datasets-server/is-valid__bigcode--starcoderdata__no-access.json"), Validity},
        {QStringLiteral("datasets-server/is-valid__cornell-movie-review-data--rotten_tomatoes.json"), Validity},
        {QStringLiteral("datasets-server/splits__HuggingFaceH4--ultrachat_200k.json"), Splits},
        {QStringLiteral("datasets-server/splits__ibm--duorc.json"), Splits},
        {QStringLiteral("datasets-server/info__HuggingFaceH4--ultrachat_200k__default.json"), Info},
        {QStringLiteral("datasets-server/info__ibm--duorc__SelfRC.json"), Info},
        {QStringLiteral("datasets-server/size__HuggingFaceH4--ultrachat_200k.json"), Size},
        {QStringLiteral("datasets-server/size__ibm--duorc.json"), Size},
        {QStringLiteral("datasets-server/first-rows__HuggingFaceH4--ultrachat_200k__default__train_sft.json"), Rows},
        {QStringLiteral("datasets-server/first-rows__ibm--duorc__SelfRC__train.json"), Rows},
        {QStringLiteral("config/Qwen--Qwen2.5-0.5B-Instruct.json"), Config},
        {QStringLiteral("config/meta-llama--Llama-3.1-8B-Instruct.json"), Config},
        {QStringLiteral("config/meta-llama--Llama-3.1-70B-Instruct.json"), Config},
    };
    return all;
}

QByteArray fixture(const QString &name)
{
    return test::readFile(test::dataPath(QString(u"hub/" + name)));
}

QJsonObject objectFixture(const QString &name)
{
    return QJsonDocument::fromJson(fixture(name)).object();
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray json(const QJsonArray &array)
{
    return QJsonDocument(array).toJson(QJsonDocument::Compact);
}

QJsonValue parsed(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(R"({"v":)") + text + '}').object().value(QLatin1String("v"));
}

QDateTime utc(int year, int month, int day, int hour, int minute, int second)
{
    return QDateTime(QDate(year, month, day), QTime(hour, minute, second), Qt::UTC);
}

QStringList names(std::initializer_list<const char *> items)
{
    QStringList result;
    for (const char *item : items)
        result.append(QString::fromUtf8(item));
    return result;
}

QByteArray repeated(const QByteArray &piece, int times)
{
    return piece.repeated(times);
}

// Column type nested `levels` deep (1 = a plain string column), in each JSON spelling.
QByteArray cardColumn(int levels)
{
    if (levels == 1)
        return QByteArrayLiteral(R"({"name":"c","dtype":"string"})");
    return R"({"name":"c","list":)" + repeated(R"({"list":)", levels - 2) + R"("string")" + repeated("}", levels - 2)
        + '}';
}

QByteArray viewerType(int levels)
{
    return repeated(R"({"_type":"List","feature":)", levels - 1) + R"({"dtype":"string","_type":"Value"})"
        + repeated("}", levels - 1);
}

QByteArray cardDatasetBody(const QByteArray &column)
{
    return R"({"id":"o/d","cardData":{"dataset_info":{"features":[)" + column + "]}}}";
}

QByteArray viewerInfoBody(const QByteArray &type)
{
    return R"({"dataset_info":{"config_name":"default","features":{"c":)" + type + "}},\"partial\":false}";
}

QByteArray firstRowsBody(const QByteArray &type)
{
    return R"({"dataset":"o/d","config":"default","split":"train","features":[{"feature_idx":0,"name":"c","type":)"
        + type + R"(}],"rows":[],"truncated":false})";
}

// Every path to a value in a JSON tree, as keys and array indices.
void collectPaths(const QJsonValue &node, QStringList &path, QList<QStringList> &paths)
{
    if (node.isObject()) {
        const QJsonObject object = node.toObject();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            path.append(it.key());
            paths.append(path);
            collectPaths(it.value(), path, paths);
            path.removeLast();
        }
    } else if (node.isArray()) {
        const QJsonArray array = node.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            path.append(QString::number(i));
            paths.append(path);
            collectPaths(array.at(i), path, paths);
            path.removeLast();
        }
    }
}

QJsonValue replaced(const QJsonValue &node, const QStringList &path, qsizetype at, const QJsonValue &with)
{
    if (at == path.size())
        return with;
    if (node.isObject()) {
        QJsonObject object = node.toObject();
        object.insert(path.at(at), replaced(object.value(path.at(at)), path, at + 1, with));
        return object;
    }
    QJsonArray array = node.toArray();
    const qsizetype index = path.at(at).toLongLong();
    array.replace(index, replaced(array.at(index), path, at + 1, with));
    return array;
}

QStringList describedColumns(const QList<DatasetColumn> &columns)
{
    QStringList result;
    for (const DatasetColumn &column : columns)
        result.append(QString(column.name + u": " + column.type.describe()));
    return result;
}

} // namespace

void TestHubParsers::fixturesAreAllCovered()
{
    QSet<QString> mapped;
    for (const auto &[file, parser] : fixtureParsers())
        mapped.insert(file);
    const QDir root(test::dataPath(QStringLiteral("hub")));
    for (const QString &folder : {QString(), QStringLiteral("datasets-server"), QStringLiteral("config")}) {
        const QStringList files = QDir(root.filePath(folder)).entryList({QStringLiteral("*.json")}, QDir::Files);
        for (const QString &file : files) {
            const QString relative = folder.isEmpty() ? file : QString(folder + u'/' + file);
            if (file.endsWith(u".headers.json") || file.startsWith(u"errors__"))
                continue;
            QVERIFY2(mapped.contains(relative), qPrintable(QString(u"no parser reads " + relative)));
        }
    }
}

void TestHubParsers::everyFixtureParses_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("parser");
    for (const auto &[file, parser] : fixtureParsers())
        QTest::newRow(qPrintable(file)) << file << parser;
}

void TestHubParsers::everyFixtureParses()
{
    QFETCH(QString, file);
    QFETCH(int, parser);
    const QByteArray body = fixture(file);
    QVERIFY2(!body.isEmpty(), qPrintable(file));
    const Outcome failure = parsers().at(parser).run(body);
    QVERIFY2(!failure, qPrintable(failure.value_or(QString())));
}

void TestHubParsers::modelInfo_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("sha");
    QTest::addColumn<int>("gated");
    QTest::addColumn<QStringList>("licenses");
    QTest::addColumn<qint64>("total");
    QTest::addColumn<qint64>("usedStorage");
    QTest::addColumn<QString>("modelType");
    QTest::addColumn<QStringList>("architectures");
    QTest::addColumn<bool>("chatTemplate");
    QTest::addColumn<QStringList>("baseModels");
    QTest::addColumn<QString>("quantization");
    QTest::addColumn<int>("siblings");

    const QStringList llama = names({"LlamaForCausalLM"});
    const QStringList qwen = names({"Qwen2ForCausalLM"});
    QTest::newRow("Qwen2.5-0.5B-Instruct") << "api__models__Qwen--Qwen2.5-0.5B-Instruct.json"
                                           << "Qwen/Qwen2.5-0.5B-Instruct"
                                           << "7ae557604adf67be50417f59c2c2f167def9a775" << int(GatedMode::NotGated)
                                           << names({"apache-2.0"}) << qint64(494032768) << qint64(988097824) << "qwen2"
                                           << qwen << true << names({"Qwen/Qwen2.5-0.5B"}) << "" << 10;
    QTest::newRow("Qwen2.5-1.5B-Instruct") << "api__models__Qwen--Qwen2.5-1.5B-Instruct.json"
                                           << "Qwen/Qwen2.5-1.5B-Instruct"
                                           << "989aa7980e4cf806f80c7fef2b1adb7bc71aa306" << int(GatedMode::NotGated)
                                           << names({"apache-2.0"}) << qint64(1543714304) << qint64(3087467144)
                                           << "qwen2" << qwen << true << names({"Qwen/Qwen2.5-1.5B"}) << "" << 10;
    QTest::newRow("Llama-3.1-8B-Instruct")
        << "api__models__meta-llama--Llama-3.1-8B-Instruct.json"
        << "meta-llama/Llama-3.1-8B-Instruct"
        << "0e9e39f249a16976918f6564b8830bc894c89659" << int(GatedMode::Manual) << names({"llama3.1"})
        << qint64(8030261248) << qint64(32123357950) << "llama" << llama << true << names({"meta-llama/Llama-3.1-8B"})
        << "" << 17;
    // expand[]: no cardData (licence from the tag), curated config without tokenizer_config.
    QTest::newRow("Llama-3.1-8B-Instruct expand")
        << "api__models__meta-llama--Llama-3.1-8B-Instruct__expand.json"
        << "meta-llama/Llama-3.1-8B-Instruct"
        << "0e9e39f249a16976918f6564b8830bc894c89659" << int(GatedMode::Manual) << names({"llama3.1"})
        << qint64(8030261248) << qint64(32123357950) << "llama" << llama << false << names({"meta-llama/Llama-3.1-8B"})
        << "" << 0;
    QTest::newRow("Llama-3.1-70B-Instruct")
        << "api__models__meta-llama--Llama-3.1-70B-Instruct.json"
        << "meta-llama/Llama-3.1-70B-Instruct"
        << "1605565b47bb9346c5515c34102e054115b4f98b" << int(GatedMode::Manual) << names({"llama3.1"})
        << qint64(70553706496) << qint64(282217009966) << "llama" << llama << true
        << names({"meta-llama/Llama-3.1-70B"}) << "" << 50;
    // Quantized: U8 counts packed storage elements; the method says how to read them.
    QTest::newRow("gpt-oss-120b") << "api__models__openai--gpt-oss-120b.json"
                                  << "openai/gpt-oss-120b"
                                  << "b5c939de8f754692c1647ca79fbf85e8c1e70f8a" << int(GatedMode::NotGated)
                                  << names({"apache-2.0"}) << qint64(120412337472) << qint64(195763884726) << "gpt_oss"
                                  << names({"GptOssForCausalLM"}) << true << QStringList {} << "mxfp4" << 37;
}

void TestHubParsers::modelInfo()
{
    QFETCH(QString, file);
    const Result<ModelInfo, ParseError> result = parseModelInfo(fixture(file));
    QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
    const ModelInfo &info = result.value();
    QTEST(info.id, "id");
    QTEST(info.sha, "sha");
    QTEST(int(info.gated), "gated");
    QTEST(info.licenses, "licenses");
    QVERIFY(info.safetensors);
    QTEST(info.safetensors->total, "total");
    QVERIFY(info.usedStorage);
    QTEST(*info.usedStorage, "usedStorage");
    QTEST(info.modelType, "modelType");
    QTEST(info.architectures, "architectures");
    QTEST(info.hasChatTemplate, "chatTemplate");
    QTEST(info.baseModels, "baseModels");
    QTEST(info.quantizationMethod, "quantization");
    QTEST(int(info.siblings.size()), "siblings");
}

void TestHubParsers::modelInfoDetails()
{
    const Result<ModelInfo, ParseError> llama
        = parseModelInfo(fixture(QStringLiteral("api__models__meta-llama--Llama-3.1-8B-Instruct.json")));
    QVERIFY(llama);
    const ModelInfo &info = llama.value();
    QVERIFY(info.sha.startsWith(u"0e9e39f2"));
    QCOMPARE(info.author, QStringLiteral("meta-llama"));
    QCOMPARE(info.pipelineTag, QStringLiteral("text-generation"));
    QCOMPARE(info.libraryName, QStringLiteral("transformers"));
    QCOMPARE(info.downloads, qint64(6942353));
    QCOMPARE(info.likes, qint64(4651));
    QCOMPARE(info.createdAt, utc(2024, 7, 18, 8, 56, 0));
    QCOMPARE(info.lastModified, utc(2024, 9, 25, 17, 0, 57));
    QVERIFY(!info.isPrivate);
    QVERIFY(!info.disabled);
    QVERIFY(info.tags.contains(u"conversational"));
    QCOMPARE(info.safetensors->parameters, (QMap<QString, qint64> {{QStringLiteral("BF16"), 8030261248}}));
    QCOMPARE(info.siblings.first().path, QStringLiteral(".gitattributes"));
    QCOMPARE(info.siblings.first().size, std::nullopt);
    QVERIFY(info.licenseName.isEmpty());

    const Result<ModelInfo, ParseError> qwen
        = parseModelInfo(fixture(QStringLiteral("api__models__Qwen--Qwen2.5-0.5B-Instruct.json")));
    QVERIFY(qwen);
    QCOMPARE(qwen.value().safetensors->parameters.value(QStringLiteral("BF16")), qint64(494032768));
    QCOMPARE(qwen.value().licenseLink,
             QStringLiteral("https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct/blob/main/LICENSE"));

    const Result<ModelInfo, ParseError> oss
        = parseModelInfo(fixture(QStringLiteral("api__models__openai--gpt-oss-120b.json")));
    QVERIFY(oss);
    QCOMPARE(oss.value().safetensors->parameters,
             (QMap<QString, qint64> {{QStringLiteral("BF16"), 2167371072}, {QStringLiteral("U8"), 118244966400}}));
}

void TestHubParsers::modelGated_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<int>("expected");
    QTest::newRow("false") << QByteArray("false") << int(GatedMode::NotGated);
    QTest::newRow("auto") << QByteArray(R"("auto")") << int(GatedMode::Auto);
    QTest::newRow("manual") << QByteArray(R"("manual")") << int(GatedMode::Manual);
    QTest::newRow("unknown mode is the safe side") << QByteArray(R"("by-invitation")") << int(GatedMode::Manual);
    QTest::newRow("empty string is the safe side") << QByteArray(R"("")") << int(GatedMode::Manual);
    QTest::newRow("true is the safe side") << QByteArray("true") << int(GatedMode::Manual);
    QTest::newRow("number ignored") << QByteArray("1") << int(GatedMode::NotGated);
    QTest::newRow("null ignored") << QByteArray("null") << int(GatedMode::NotGated);
    QTest::newRow("object ignored") << QByteArray(R"({"mode":"auto"})") << int(GatedMode::NotGated);
}

void TestHubParsers::modelGated()
{
    QFETCH(QByteArray, value);
    QFETCH(int, expected);
    const Result<ModelInfo, ParseError> model = parseModelInfo(R"({"id":"o/m","gated":)" + value + '}');
    QVERIFY(model);
    QCOMPARE(int(model.value().gated), expected);
    const Result<DatasetInfo, ParseError> dataset = parseDatasetInfo(R"({"id":"o/d","gated":)" + value + '}');
    QVERIFY(dataset);
    QCOMPARE(int(dataset.value().gated), expected);
    const Result<SearchPage, ParseError> page
        = parseSearchPage(R"([{"id":"o/m","gated":)" + value + "}]", RepoKind::Model);
    QVERIFY(page);
    QCOMPARE(page.value().hits.size(), 1);
    // A listing only says "gated" when asked; a value it cannot read is no answer.
    const bool readable = value != "1" && value != "null" && !value.startsWith('{');
    QCOMPARE(page.value().hits.first().gated.has_value(), readable);
    if (readable)
        QCOMPARE(int(*page.value().hits.first().gated), expected);
}

void TestHubParsers::modelGatedAbsentFromListing()
{
    const Result<SearchPage, ParseError> page = parseSearchPage(R"([{"id":"o/m"}])", RepoKind::Model);
    QVERIFY(page);
    QCOMPARE(page.value().hits.first().gated, std::nullopt);
}

void TestHubParsers::modelLicence_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QStringList>("licenses");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("link");
    QTest::newRow("card string") << QByteArray(
        R"({"id":"o/m","cardData":{"license":"mit"},"tags":["license:apache-2.0"]})")
                                 << names({"mit"}) << ""
                                 << "";
    QTest::newRow("card list") << QByteArray(R"({"id":"o/m","cardData":{"license":["mit","apache-2.0"]}})")
                               << names({"mit", "apache-2.0"}) << ""
                               << "";
    QTest::newRow("no card: tag") << QByteArray(R"({"id":"o/m","tags":["llama","license:llama3.1"]})")
                                  << names({"llama3.1"}) << ""
                                  << "";
    QTest::newRow("card without licence: tag")
        << QByteArray(R"({"id":"o/m","cardData":{"language":["en"]},"tags":["license:gemma"]})") << names({"gemma"})
        << ""
        << "";
    QTest::newRow("card licence wrong type: tag")
        << QByteArray(R"({"id":"o/m","cardData":{"license":5},"tags":["license:mit"]})") << names({"mit"}) << ""
        << "";
    QTest::newRow("other with name and link") << QByteArray(
        R"({"id":"o/m","cardData":{"license":"other","license_name":"deepseek","license_link":"LICENSE"}})")
                                              << names({"other"}) << "deepseek"
                                              << "LICENSE";
    QTest::newRow("none anywhere") << QByteArray(R"({"id":"o/m","tags":["license:"]})") << QStringList {} << ""
                                   << "";
}

void TestHubParsers::modelLicence()
{
    QFETCH(QByteArray, body);
    const Result<ModelInfo, ParseError> result = parseModelInfo(body);
    QVERIFY(result);
    QTEST(result.value().licenses, "licenses");
    QTEST(result.value().licenseName, "name");
    QTEST(result.value().licenseLink, "link");
}

void TestHubParsers::modelSafetensors_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("present");
    QTest::addColumn<qint64>("total");
    QTest::addColumn<int>("dtypes");
    QTest::newRow("absent (GGUF, .bin)") << QByteArray() << false << qint64(0) << 0;
    QTest::newRow("with total") << QByteArray(R"({"parameters":{"BF16":8030261248},"total":8030261248})") << true
                                << qint64(8030261248) << 1;
    QTest::newRow("total missing: sum") << QByteArray(R"({"parameters":{"F32":2048,"F16":6738415616}})") << true
                                        << qint64(6738417664) << 2;
    QTest::newRow("total as text: sum") << QByteArray(R"({"parameters":{"F32":124056578,"I64":514},"total":"many"})")
                                        << true << qint64(124057092) << 2;
    QTest::newRow("parameters wrong type")
        << QByteArray(R"({"parameters":[1,2],"total":42})") << true << qint64(42) << 0;
    QTest::newRow("bad counts skipped") << QByteArray(R"({"parameters":{"F32":-5,"F16":1.5,"BF16":"x","I8":7}})")
                                        << true << qint64(7) << 1;
    QTest::newRow("nothing usable") << QByteArray(R"({"parameters":"BF16","total":null})") << false << qint64(0) << 0;
    QTest::newRow("not an object") << QByteArray(R"("8B")") << false << qint64(0) << 0;
    QTest::newRow("largest exact integer")
        << QByteArray(R"({"parameters":{"F32":9007199254740991}})") << true << qint64(9007199254740991) << 1;
    QTest::newRow("sum past 2^53 is not trusted")
        << QByteArray(R"({"parameters":{"A":9007199254740991,"B":9007199254740991,"C":9007199254740991}})") << false
        << qint64(0) << 0;
    QTest::newRow("beyond 2^53 ignored") << QByteArray(R"({"parameters":{"F32":9223372036854775807},"total":1e300})")
                                         << false << qint64(0) << 0;
}

void TestHubParsers::modelSafetensors()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, present);
    const QByteArray body
        = value.isEmpty() ? QByteArray(R"({"id":"o/m"})") : R"({"id":"o/m","safetensors":)" + value + '}';
    const Result<ModelInfo, ParseError> result = parseModelInfo(body);
    QVERIFY(result);
    QCOMPARE(result.value().safetensors.has_value(), present);
    if (present) {
        QTEST(result.value().safetensors->total, "total");
        QTEST(int(result.value().safetensors->parameters.size()), "dtypes");
    }
}

void TestHubParsers::modelBaseModels_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("plain and finetune tags name one model")
        << QByteArray(R"({"id":"o/m","tags":["base_model:a/x","base_model:finetune:a/x"]})") << names({"a/x"});
    QTest::newRow("relation before plain")
        << QByteArray(R"({"id":"o/m","tags":["base_model:quantized:a/x","base_model:a/x"]})") << names({"a/x"});
    QTest::newRow("merge of two") << QByteArray(
        R"({"id":"o/m","tags":["base_model:a/x","base_model:b/y","base_model:merge:a/x","base_model:merge:b/y"]})")
                                  << names({"a/x", "b/y"});
    QTest::newRow("adapter only") << QByteArray(R"({"id":"o/m","tags":["base_model:adapter:a/x"]})") << names({"a/x"});
    QTest::newRow("empty tag") << QByteArray(R"({"id":"o/m","tags":["base_model:","base_model:finetune:"]})")
                               << QStringList {};
    QTest::newRow("card fallback string")
        << QByteArray(R"({"id":"o/m","cardData":{"base_model":"a/x"}})") << names({"a/x"});
    QTest::newRow("card fallback list") << QByteArray(R"({"id":"o/m","cardData":{"base_model":["a/x","b/y"]}})")
                                        << names({"a/x", "b/y"});
    QTest::newRow("tags win over card (renamed repos)")
        << QByteArray(R"({"id":"o/m","tags":["base_model:a/new"],"cardData":{"base_model":"a/old"}})")
        << names({"a/new"});
    QTest::newRow("none") << QByteArray(R"({"id":"o/m","tags":["llama"]})") << QStringList {};
}

void TestHubParsers::modelBaseModels()
{
    QFETCH(QByteArray, body);
    const Result<ModelInfo, ParseError> result = parseModelInfo(body);
    QVERIFY(result);
    QTEST(result.value().baseModels, "expected");
}

void TestHubParsers::modelChatTemplate_data()
{
    QTest::addColumn<QByteArray>("config");
    QTest::addColumn<bool>("expected");
    QTest::newRow("tokenizer template") << QByteArray(R"({"tokenizer_config":{"chat_template":"{{ messages }}"}})")
                                        << true;
    QTest::newRow("jinja file") << QByteArray(R"({"chat_template_jinja":"{%- if tools %}x{%- endif %}"})") << true;
    QTest::newRow("named templates") << QByteArray(
        R"({"tokenizer_config":{"chat_template":[{"name":"default","template":"x"}]}})")
                                     << true;
    QTest::newRow("empty template") << QByteArray(R"({"tokenizer_config":{"chat_template":""}})") << false;
    QTest::newRow("no template") << QByteArray(R"({"tokenizer_config":{"bos_token":"<s>"}})") << false;
    QTest::newRow("tokenizer config wrong type") << QByteArray(R"({"tokenizer_config":"chat_template"})") << false;
    QTest::newRow("config wrong type") << QByteArray(R"(["chat_template"])") << false;
}

void TestHubParsers::modelChatTemplate()
{
    QFETCH(QByteArray, config);
    const Result<ModelInfo, ParseError> result = parseModelInfo(R"({"id":"o/m","config":)" + config + '}');
    QVERIFY(result);
    QTEST(result.value().hasChatTemplate, "expected");
}

void TestHubParsers::modelSiblings()
{
    const Result<ModelInfo, ParseError> result = parseModelInfo(
        R"({"id":"o/m","siblings":[{"rfilename":"a.json","size":5},{"rfilename":"b.safetensors","lfs":{"size":7,"sha256":"00"}},)"
        R"({"size":3},"c",null,{"rfilename":7},{"rfilename":"d","size":"big"}]})");
    QVERIFY(result);
    const QList<RepoFile> &files = result.value().siblings;
    QCOMPARE(files.size(), 3);
    QCOMPARE(files.at(0).path, QStringLiteral("a.json"));
    QCOMPARE(files.at(0).size, std::optional<qint64>(5));
    QCOMPARE(files.at(1).size, std::optional<qint64>(7));
    QCOMPARE(files.at(2).path, QStringLiteral("d"));
    QCOMPARE(files.at(2).size, std::nullopt);
}

void TestHubParsers::modelWrongFieldTypesKeepDefaults()
{
    QJsonObject object = objectFixture(QStringLiteral("api__models__meta-llama--Llama-3.1-8B-Instruct.json"));
    object.insert(QStringLiteral("downloads"), QStringLiteral("many"));
    object.insert(QStringLiteral("siblings"), 5);
    object.insert(QStringLiteral("tags"), QJsonObject {{QStringLiteral("a"), 1}});
    object.insert(QStringLiteral("likes"), -3);
    object.insert(QStringLiteral("private"), QStringLiteral("yes"));
    object.insert(QStringLiteral("sha"), 42);
    object.insert(QStringLiteral("createdAt"), 1721292960);
    object.insert(QStringLiteral("lastModified"), QStringLiteral("last tuesday"));
    object.insert(QStringLiteral("config"), QJsonArray {1, 2});
    object.insert(QStringLiteral("safetensors"), QStringLiteral("8B"));
    object.insert(QStringLiteral("usedStorage"), 1.5);
    const Result<ModelInfo, ParseError> result = parseModelInfo(json(object));
    QVERIFY(result);
    const ModelInfo &info = result.value();
    QCOMPARE(info.id, QStringLiteral("meta-llama/Llama-3.1-8B-Instruct"));
    QCOMPARE(info.downloads, qint64(0));
    QCOMPARE(info.likes, qint64(0));
    QVERIFY(info.siblings.isEmpty());
    QVERIFY(info.tags.isEmpty());
    QVERIFY(!info.isPrivate);
    QVERIFY(info.sha.isEmpty());
    QVERIFY(!info.createdAt.isValid());
    QVERIFY(!info.lastModified.isValid());
    QVERIFY(info.architectures.isEmpty());
    QCOMPARE(info.safetensors, std::nullopt);
    QCOMPARE(info.usedStorage, std::nullopt);
    // Untouched fields still come through.
    QCOMPARE(int(info.gated), int(GatedMode::Manual));
    QCOMPARE(info.licenses, QStringList {QStringLiteral("llama3.1")});
}

void TestHubParsers::modelWithoutId_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("empty object") << QByteArray("{}");
    QTest::newRow("id number") << QByteArray(R"({"id":5})");
    QTest::newRow("id empty") << QByteArray(R"({"id":""})");
    QTest::newRow("id null") << QByteArray(R"({"id":null})");
    QTest::newRow("modelId only") << QByteArray(R"({"modelId":"a/b"})");
}

void TestHubParsers::modelWithoutId()
{
    QFETCH(QByteArray, body);
    for (int parser : {Model, Dataset}) {
        const Outcome failure = parsers().at(parser).run(body);
        QVERIFY(failure);
        QVERIFY2(failure->contains(u"\"id\""), qPrintable(*failure));
    }
}

void TestHubParsers::largeIntegersAreExact()
{
    const Result<ModelInfo, ParseError> result
        = parseModelInfo(R"({"id":"o/m","usedStorage":9007199254740991,"downloads":1099511627776,"likes":1e3})");
    QVERIFY(result);
    QCOMPARE(result.value().usedStorage, std::optional<qint64>(9007199254740991));
    QCOMPARE(result.value().downloads, qint64(1099511627776));
    QCOMPARE(result.value().likes, qint64(1000));
}

void TestHubParsers::searchPage_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QStringList>("ids");
    const QStringList firstPage
        = names({"meta-llama/Llama-3.2-1B-Instruct", "meta-llama/Llama-3.1-8B-Instruct", "meta-llama/Llama-3.2-1B",
                 "deepseek-ai/DeepSeek-R1-Distill-Llama-8B", "meta-llama/Meta-Llama-3-8B"});
    QTest::newRow("models") << "api__models__search-llama.json" << int(RepoKind::Model) << firstPage;
    QTest::newRow("models page 2") << "api__models__search-llama__page2.json" << int(RepoKind::Model)
                                   << names({"meta-llama/Llama-2-7b-hf", "TinyLlama/TinyLlama-1.1B-Chat-v1.0"});
    QTest::newRow("models expanded") << "api__models__search-llama__expand.json" << int(RepoKind::Model) << firstPage;
    QTest::newRow("datasets") << "api__datasets__search-ultrachat.json" << int(RepoKind::Dataset)
                              << names({"HuggingFaceH4/ultrachat_200k", "stingning/ultrachat"});
    QTest::newRow("datasets expanded") << "api__datasets__search-ultrachat__expand.json" << int(RepoKind::Dataset)
                                       << names({"HuggingFaceH4/ultrachat_200k"});
}

void TestHubParsers::searchPage()
{
    QFETCH(QString, file);
    QFETCH(int, kind);
    const Result<SearchPage, ParseError> result = parseSearchPage(fixture(file), RepoKind(kind));
    QVERIFY(result);
    QStringList ids;
    for (const SearchHit &hit : result.value().hits) {
        ids.append(hit.id);
        QCOMPARE(int(hit.kind), kind);
    }
    QTEST(ids, "ids");
    QVERIFY(result.value().next.isEmpty());
}

void TestHubParsers::searchHitDetails()
{
    const Result<SearchPage, ParseError> plain
        = parseSearchPage(fixture(QStringLiteral("api__models__search-llama.json")), RepoKind::Model);
    QVERIFY(plain);
    const SearchHit &first = plain.value().hits.first();
    QCOMPARE(first.downloads, qint64(7477484));
    QCOMPARE(first.likes, qint64(1073));
    QCOMPARE(first.licenses, QStringList {QStringLiteral("llama3.2")});
    QCOMPARE(first.pipelineTag, QStringLiteral("text-generation"));
    QCOMPARE(first.libraryName, QStringLiteral("transformers"));
    QCOMPARE(first.createdAt, utc(2024, 9, 18, 15, 12, 47));
    QCOMPARE(first.gated, std::nullopt);
    QCOMPARE(first.parameterCount, std::nullopt);
    QVERIFY(!first.isPrivate);

    const Result<SearchPage, ParseError> expanded
        = parseSearchPage(fixture(QStringLiteral("api__models__search-llama__expand.json")), RepoKind::Model);
    QVERIFY(expanded);
    const QList<SearchHit> &hits = expanded.value().hits;
    QCOMPARE(hits.at(0).gated, std::optional<GatedMode>(GatedMode::Manual));
    QCOMPARE(hits.at(0).parameterCount, std::optional<qint64>(1235814400));
    QCOMPARE(hits.at(3).gated, std::optional<GatedMode>(GatedMode::NotGated));
    QCOMPARE(hits.at(3).parameterCount, std::optional<qint64>(8030261248));

    const Result<SearchPage, ParseError> datasets
        = parseSearchPage(fixture(QStringLiteral("api__datasets__search-ultrachat__expand.json")), RepoKind::Dataset);
    QVERIFY(datasets);
    QCOMPARE(datasets.value().hits.first().licenses, QStringList {QStringLiteral("mit")});
    QCOMPARE(datasets.value().hits.first().gated, std::optional<GatedMode>(GatedMode::NotGated));
    QCOMPARE(datasets.value().hits.first().downloads, qint64(25534));
}

void TestHubParsers::searchSkipsBadEntries()
{
    const Result<SearchPage, ParseError> result = parseSearchPage(
        R"([5,"x",null,{},{"id":3},{"id":"a/b","downloads":"many","tags":{"a":1}},[],{"id":"c/d","safetensors":5}])",
        RepoKind::Model);
    QVERIFY(result);
    QCOMPARE(result.value().hits.size(), 2);
    QCOMPARE(result.value().hits.at(0).id, QStringLiteral("a/b"));
    QCOMPARE(result.value().hits.at(0).downloads, qint64(0));
    QCOMPARE(result.value().hits.at(1).id, QStringLiteral("c/d"));
    QCOMPARE(result.value().hits.at(1).parameterCount, std::nullopt);

    const Result<SearchPage, ParseError> empty = parseSearchPage("[]", RepoKind::Dataset);
    QVERIFY(empty);
    QVERIFY(empty.value().hits.isEmpty());
}

void TestHubParsers::treeListing()
{
    const Result<QList<TreeEntry>, ParseError> qwen
        = parseTree(fixture(QStringLiteral("api__models__Qwen--Qwen2.5-0.5B-Instruct__tree__main.json")));
    QVERIFY(qwen);
    QCOMPARE(qwen.value().size(), 10);
    const TreeEntry &weights = qwen.value().at(6);
    QCOMPARE(weights.path, QStringLiteral("model.safetensors"));
    QVERIFY(weights.isLfs);
    QVERIFY(!weights.isDirectory);
    QCOMPARE(weights.size, qint64(988097824));
    QCOMPARE(weights.oid, QStringLiteral("d7db405a3f0d9bf1ba5bdd4e4211db8022ebe4eb"));
    QCOMPARE(qwen.value().at(3).path, QStringLiteral("config.json"));
    QCOMPARE(qwen.value().at(3).size, qint64(659));
    QVERIFY(!qwen.value().at(3).isLfs);

    const Result<QList<TreeEntry>, ParseError> top
        = parseTree(fixture(QStringLiteral("api__models__meta-llama--Llama-3.1-8B-Instruct__tree__main.json")));
    QVERIFY(top);
    QCOMPARE(top.value().size(), 15);

    // The LFS blobs of the recursive listing add up to the repository's usedStorage exactly.
    const Result<QList<TreeEntry>, ParseError> all = parseTree(
        fixture(QStringLiteral("api__models__meta-llama--Llama-3.1-8B-Instruct__tree__main__recursive.json")));
    QVERIFY(all);
    QCOMPARE(all.value().size(), 18);
    qint64 lfsBytes = 0;
    QStringList directories;
    for (const TreeEntry &entry : all.value()) {
        if (entry.isLfs)
            lfsBytes += entry.size;
        if (entry.isDirectory)
            directories.append(entry.path);
    }
    QCOMPARE(directories, QStringList {QStringLiteral("original")});
    const Result<ModelInfo, ParseError> model
        = parseModelInfo(fixture(QStringLiteral("api__models__meta-llama--Llama-3.1-8B-Instruct.json")));
    QVERIFY(model);
    QCOMPARE(lfsBytes, *model.value().usedStorage);
    QCOMPARE(lfsBytes, qint64(32123357950));
}

void TestHubParsers::treeEdgeCases()
{
    const Result<QList<TreeEntry>, ParseError> result
        = parseTree(R"([{"type":"file","path":"a","size":134,"lfs":{"oid":"x","size":999,"pointerSize":134}},)"
                    R"({"type":"file","path":"b","size":"big"},{"type":"directory","path":"d","size":0},)"
                    R"({"type":"file","size":3},7,null,{"path":"e","lfs":"yes","size":4}])");
    QVERIFY(result);
    const QList<TreeEntry> &entries = result.value();
    QCOMPARE(entries.size(), 4);
    QCOMPARE(entries.at(0).size, qint64(999));
    QVERIFY(entries.at(0).isLfs);
    QCOMPARE(entries.at(1).size, qint64(0));
    QVERIFY(entries.at(2).isDirectory);
    QVERIFY(!entries.at(3).isLfs);
    QCOMPARE(entries.at(3).size, qint64(4));
}

void TestHubParsers::whoAmI()
{
    const Result<WhoAmI, ParseError> fine = parseWhoAmI(fixture(QStringLiteral("api__whoami-v2.json")));
    QVERIFY(fine);
    QCOMPARE(fine.value().name, QStringLiteral("example-user"));
    QCOMPARE(fine.value().fullname, QStringLiteral("Example User"));
    QCOMPARE(fine.value().type, QStringLiteral("user"));
    QVERIFY(fine.value().orgs.isEmpty());
    QVERIFY(!fine.value().isPro);
    QCOMPARE(fine.value().tokenName, QStringLiteral("finetune-launcher"));
    QCOMPARE(fine.value().tokenRole, QStringLiteral("fineGrained"));
    QCOMPARE(fine.value().canReadGatedRepos, std::optional<bool>(true));

    const Result<WhoAmI, ParseError> read = parseWhoAmI(fixture(QStringLiteral("api__whoami-v2__read-token.json")));
    QVERIFY(read);
    QCOMPARE(read.value().tokenRole, QStringLiteral("read"));
    QCOMPARE(read.value().tokenName, QStringLiteral("read-token"));
    QCOMPARE(read.value().canReadGatedRepos, std::nullopt);
    QCOMPARE(read.value().orgs, QStringList {QStringLiteral("example-org")});

    const Result<WhoAmI, ParseError> denied = parseWhoAmI(
        R"({"name":"u","orgs":[{"name":"o"},{"fullname":"x"},7],"auth":{"accessToken":{"role":"fineGrained","fineGrained":{"canReadGatedRepos":false}}}})");
    QVERIFY(denied);
    QCOMPARE(denied.value().canReadGatedRepos, std::optional<bool>(false));
    QCOMPARE(denied.value().orgs, QStringList {QStringLiteral("o")});

    const Result<WhoAmI, ParseError> nameless = parseWhoAmI(R"({"type":"user","auth":{}})");
    QVERIFY(!nameless);
    QVERIFY(nameless.error().message.contains(u"\"name\""));
}

void TestHubParsers::datasetUltrachat()
{
    const Result<DatasetInfo, ParseError> result
        = parseDatasetInfo(fixture(QStringLiteral("api__datasets__HuggingFaceH4--ultrachat_200k.json")));
    QVERIFY(result);
    const DatasetInfo &info = result.value();
    QCOMPARE(info.id, QStringLiteral("HuggingFaceH4/ultrachat_200k"));
    QCOMPARE(info.author, QStringLiteral("HuggingFaceH4"));
    QCOMPARE(info.sha, QStringLiteral("8049631c405ae6576f93f445c6b8166f76f5505a"));
    QCOMPARE(int(info.gated), int(GatedMode::NotGated));
    QCOMPARE(info.licenses, QStringList {QStringLiteral("mit")});
    QCOMPARE(info.prettyName, QStringLiteral("UltraChat 200k"));
    QVERIFY(info.description.contains(u"UltraChat 200k"));
    QCOMPARE(info.downloads, qint64(25534));
    QCOMPARE(info.likes, qint64(577));
    QCOMPARE(info.createdAt, utc(2023, 10, 24, 8, 24, 57));
    QCOMPARE(info.usedStorage, std::optional<qint64>(50166748444));
    QCOMPARE(info.siblings.size(), 10);
    // dataset_info (a dict) and configs[].data_files describe one config; it is not doubled.
    QCOMPARE(info.configs.size(), 1);
    const DatasetConfig &config = info.configs.first();
    QCOMPARE(config.name, QStringLiteral("default"));
    QCOMPARE(config.downloadSize, std::optional<qint64>(1624049723));
    QCOMPARE(config.datasetSize, std::optional<qint64>(3047427114));
    QCOMPARE(describedColumns(config.columns),
             (names({"prompt: string", "prompt_id: string", "messages: list<struct<content: string, role: string>>"})));
    QCOMPARE(config.columns.at(2).type.describe(), QStringLiteral("list<struct<content: string, role: string>>"));
    QCOMPARE(config.splits.size(), 4);
    const QList<std::tuple<QString, qint64, qint64>> splits = {
        {QStringLiteral("train_sft"), 207865, 1397058554},
        {QStringLiteral("test_sft"), 23110, 154695659},
        {QStringLiteral("train_gen"), 256032, 1347396812},
        {QStringLiteral("test_gen"), 28304, 148276089},
    };
    for (qsizetype i = 0; i < splits.size(); ++i) {
        QCOMPARE(config.splits.at(i).name, std::get<0>(splits.at(i)));
        QCOMPARE(config.splits.at(i).numExamples, std::optional<qint64>(std::get<1>(splits.at(i))));
        QCOMPARE(config.splits.at(i).numBytes, std::optional<qint64>(std::get<2>(splits.at(i))));
    }
}

void TestHubParsers::datasetGsm8k()
{
    const Result<DatasetInfo, ParseError> result
        = parseDatasetInfo(fixture(QStringLiteral("api__datasets__openai--gsm8k.json")));
    QVERIFY(result);
    const DatasetInfo &info = result.value();
    QCOMPARE(info.licenses, QStringList {QStringLiteral("mit")});
    QCOMPARE(info.prettyName, QStringLiteral("Grade School Math 8K"));
    QCOMPARE(info.configs.size(), 2);
    QCOMPARE(info.configs.at(0).name, QStringLiteral("main"));
    QCOMPARE(info.configs.at(1).name, QStringLiteral("socratic"));
    const DatasetConfig &main = info.configs.at(0);
    QCOMPARE(describedColumns(main.columns), (names({"question: string", "answer: string"})));
    QCOMPARE(main.splits.size(), 2);
    QCOMPARE(main.splits.at(0).name, QStringLiteral("train"));
    QCOMPARE(main.splits.at(0).numExamples, std::optional<qint64>(7473));
    QCOMPARE(main.splits.at(0).numBytes, std::optional<qint64>(3963202));
    QCOMPARE(main.splits.at(1).numExamples, std::optional<qint64>(1319));
    QCOMPARE(main.downloadSize, std::optional<qint64>(2725633));
    QCOMPARE(info.configs.at(1).splits.at(0).numExamples, std::optional<qint64>(7473));
    QCOMPARE(info.configs.at(1).datasetSize, std::optional<qint64>(6134967));
}

void TestHubParsers::datasetStarcoderGated()
{
    const Result<DatasetInfo, ParseError> result
        = parseDatasetInfo(fixture(QStringLiteral("api__datasets__bigcode--starcoderdata.json")));
    QVERIFY(result);
    const DatasetInfo &info = result.value();
    QCOMPARE(int(info.gated), int(GatedMode::Auto));
    QCOMPARE(info.licenses, QStringList {QStringLiteral("other")});
    QCOMPARE(info.prettyName, QStringLiteral("The-Stack"));
    QVERIFY(info.configs.isEmpty()); // no dataset_info, no configs
    QCOMPARE(info.siblings.size(), 12);
    QCOMPARE(info.usedStorage, std::optional<qint64>(317085899153));
}

void TestHubParsers::datasetConfigsFromDataFiles()
{
    const Result<DatasetInfo, ParseError> result = parseDatasetInfo(
        R"({"id":"o/d","cardData":{"configs":[)"
        R"({"config_name":"en","data_files":[{"split":"train","path":"en/train-*"},{"split":"train","path":"en/more-*"},{"split":"test","path":"en/test-*"}]},)"
        R"({"config_name":"fr","data_files":"fr/data-*.parquet"},)"
        R"({"data_files":["a.csv","b.csv"]},)"
        R"({"config_name":"broken","data_files":7},5]}})");
    QVERIFY(result);
    const QList<DatasetConfig> &configs = result.value().configs;
    QCOMPARE(configs.size(), 4);
    QCOMPARE(configs.at(0).name, QStringLiteral("en"));
    QCOMPARE(configs.at(0).splits.size(), 2);
    QCOMPARE(configs.at(0).splits.at(0).name, QStringLiteral("train"));
    QCOMPARE(configs.at(0).splits.at(0).numExamples, std::nullopt);
    QCOMPARE(configs.at(0).splits.at(1).name, QStringLiteral("test"));
    QCOMPARE(configs.at(1).splits.first().name, QStringLiteral("train"));
    QCOMPARE(configs.at(2).name, QStringLiteral("default"));
    QCOMPARE(configs.at(2).splits.size(), 1);
    QCOMPARE(configs.at(3).name, QStringLiteral("broken"));
    QVERIFY(configs.at(3).splits.isEmpty());
    QCOMPARE(configs.at(0).downloadSize, std::nullopt);
}

void TestHubParsers::datasetDataFilesAddMissingSplits()
{
    // dataset_info names one split; data_files adds the one the card forgot.
    const Result<DatasetInfo, ParseError> result = parseDatasetInfo(
        R"({"id":"o/d","cardData":{"dataset_info":{"config_name":"x","splits":[{"name":"train","num_examples":10}]},)"
        R"("configs":[{"config_name":"x","data_files":[{"split":"train"},{"split":"validation"}]}]}})");
    QVERIFY(result);
    QCOMPARE(result.value().configs.size(), 1);
    const QList<DatasetSplit> &splits = result.value().configs.first().splits;
    QCOMPARE(splits.size(), 2);
    QCOMPARE(splits.at(0).numExamples, std::optional<qint64>(10));
    QCOMPARE(splits.at(1).name, QStringLiteral("validation"));
    QCOMPARE(splits.at(1).numExamples, std::nullopt);
}

void TestHubParsers::cardFeatureForms_data()
{
    QTest::addColumn<QByteArray>("column");
    QTest::addColumn<QString>("expected");
    QTest::newRow("string") << QByteArray(R"({"name":"c","dtype":"string"})") << "string";
    QTest::newRow("int64") << QByteArray(R"({"name":"c","dtype":"int64"})") << "int64";
    QTest::newRow("list of struct") << QByteArray(
        R"({"name":"c","list":[{"name":"content","dtype":"string"},{"name":"role","dtype":"string"}]})")
                                    << "list<struct<content: string, role: string>>";
    QTest::newRow("list of value") << QByteArray(R"({"name":"c","list":"string"})") << "list<string>";
    QTest::newRow("list of dtype object") << QByteArray(R"({"name":"c","list":{"dtype":"int32"}})") << "list<int32>";
    QTest::newRow("sequence") << QByteArray(R"({"name":"c","sequence":"string"})") << "list<string>";
    QTest::newRow("sequence of sequence")
        << QByteArray(R"({"name":"c","sequence":{"sequence":"int32"}})") << "list<list<int32>>";
    QTest::newRow("sequence of struct") << QByteArray(
        R"({"name":"c","sequence":{"struct":[{"name":"a","dtype":"string"}]}})")
                                        << "list<struct<a: string>>";
    QTest::newRow("large list") << QByteArray(R"({"name":"c","large_list":"float32"})") << "list<float32>";
    QTest::newRow("struct") << QByteArray(
        R"({"name":"c","struct":[{"name":"a","dtype":"string"},{"name":"b","dtype":"int32"}]})")
                            << "struct<a: string, b: int32>";
    QTest::newRow("struct keeps declaration order")
        << QByteArray(R"({"name":"c","struct":[{"name":"z","dtype":"string"},{"name":"a","sequence":"string"}]})")
        << "struct<z: string, a: list<string>>";
    QTest::newRow("class label") << QByteArray(R"({"name":"c","class_label":{"names":{"0":"neg","1":"pos"}}})")
                                 << "class_label[neg, pos]";
    QTest::newRow("class label under dtype (imdb)")
        << QByteArray(R"({"name":"c","dtype":{"class_label":{"names":{"0":"neg","1":"pos"}}}})")
        << "class_label[neg, pos]";
    QTest::newRow("class label ids are numbers")
        << QByteArray(R"({"name":"c","class_label":{"names":{"0":"a","1":"b","2":"c","10":"k","9":"j"}}})")
        << "class_label[a, b, c, j, k]";
    QTest::newRow("class label list") << QByteArray(R"({"name":"c","class_label":{"names":["neg","pos"]}})")
                                      << "class_label[neg, pos]";
    QTest::newRow("image") << QByteArray(R"({"name":"c","dtype":"image"})") << "image";
    QTest::newRow("audio") << QByteArray(R"({"name":"c","dtype":"audio"})") << "audio";
    QTest::newRow("audio with rate") << QByteArray(R"({"name":"c","dtype":{"audio":{"sampling_rate":16000}}})")
                                     << "audio";
    QTest::newRow("no type") << QByteArray(R"({"name":"c"})") << "unknown";
    QTest::newRow("dtype number") << QByteArray(R"({"name":"c","dtype":5})") << "unknown";
    QTest::newRow("unknown typed dtype") << QByteArray(R"({"name":"c","dtype":{"video":{}}})") << "unknown";
    QTest::newRow("struct not a list") << QByteArray(R"({"name":"c","struct":{"a":1}})") << "unknown";
    QTest::newRow("fields without names skipped")
        << QByteArray(R"({"name":"c","list":[{"dtype":"string"},{"name":"a","dtype":"bool"},7]})")
        << "list<struct<a: bool>>";
}

void TestHubParsers::cardFeatureForms()
{
    QFETCH(QByteArray, column);
    const Result<DatasetInfo, ParseError> result = parseDatasetInfo(cardDatasetBody(column));
    QVERIFY(result);
    QCOMPARE(result.value().configs.size(), 1);
    QCOMPARE(result.value().configs.first().columns.size(), 1);
    QTEST(result.value().configs.first().columns.first().type.describe(), "expected");
}

void TestHubParsers::viewerFeatureForms_data()
{
    QTest::addColumn<QByteArray>("type");
    QTest::addColumn<QString>("expected");
    QTest::newRow("value") << QByteArray(R"({"dtype":"string","_type":"Value"})") << "string";
    QTest::newRow("bool") << QByteArray(R"({"dtype":"bool","_type":"Value"})") << "bool";
    QTest::newRow("list") << QByteArray(R"({"feature":{"dtype":"string","_type":"Value"},"_type":"List"})")
                          << "list<string>";
    QTest::newRow("list of dict") << QByteArray(
        R"({"feature":{"role":{"dtype":"string","_type":"Value"},"content":{"dtype":"string","_type":"Value"}},"_type":"List"})")
                                  << "list<struct<content: string, role: string>>";
    QTest::newRow("sequence") << QByteArray(
        R"({"feature":{"dtype":"int32","_type":"Value"},"length":-1,"_type":"Sequence"})")
                              << "list<int32>";
    QTest::newRow("sequence of dict") << QByteArray(
        R"({"feature":{"a":{"dtype":"int64","_type":"Value"}},"_type":"Sequence"})")
                                      << "list<struct<a: int64>>";
    QTest::newRow("large list") << QByteArray(R"({"feature":{"dtype":"float32","_type":"Value"},"_type":"LargeList"})")
                                << "list<float32>";
    QTest::newRow("class label") << QByteArray(R"({"names":["neg","pos"],"_type":"ClassLabel"})")
                                 << "class_label[neg, pos]";
    QTest::newRow("image") << QByteArray(R"({"_type":"Image"})") << "image";
    QTest::newRow("audio") << QByteArray(R"({"sampling_rate":16000,"_type":"Audio"})") << "audio";
    QTest::newRow("struct") << QByteArray(
        R"({"b":{"dtype":"string","_type":"Value"},"a":{"dtype":"int64","_type":"Value"}})")
                            << "struct<a: int64, b: string>";
    QTest::newRow("legacy list") << QByteArray(R"([{"dtype":"string","_type":"Value"}])") << "list<string>";
    QTest::newRow("empty legacy list") << QByteArray("[]") << "list<unknown>";
    QTest::newRow("list without feature") << QByteArray(R"({"_type":"List"})") << "list<unknown>";
    QTest::newRow("translation") << QByteArray(R"({"languages":["en","fr"],"_type":"Translation"})") << "unknown";
    QTest::newRow("value without dtype") << QByteArray(R"({"_type":"Value"})") << "unknown";
    QTest::newRow("bare string") << QByteArray(R"("string")") << "unknown";
    QTest::newRow("number") << QByteArray("5") << "unknown";
    QTest::newRow("empty object") << QByteArray("{}") << "unknown";
}

void TestHubParsers::viewerFeatureForms()
{
    QFETCH(QByteArray, type);
    QFETCH(QString, expected);
    const Result<FirstRows, ParseError> rows = parseFirstRows(firstRowsBody(type));
    QVERIFY(rows);
    QCOMPARE(rows.value().columns.size(), 1);
    QCOMPARE(rows.value().columns.first().type.describe(), expected);
    const Result<ViewerInfo, ParseError> info = parseViewerInfo(viewerInfoBody(type));
    QVERIFY(info);
    QCOMPARE(info.value().configs.size(), 1);
    QCOMPARE(info.value().configs.first().columns.first().type.describe(), expected);
}

void TestHubParsers::describeBuiltTypes()
{
    QCOMPARE(FeatureType {}.describe(), QStringLiteral("unknown"));
    FeatureType value;
    value.kind = FeatureType::Kind::Value;
    QCOMPARE(value.describe(), QStringLiteral("unknown")); // no dtype
    FeatureType list;
    list.kind = FeatureType::Kind::List;
    QCOMPARE(list.describe(), QStringLiteral("list<unknown>")); // no element
    FeatureType empty;
    empty.kind = FeatureType::Kind::Struct;
    QCOMPARE(empty.describe(), QStringLiteral("struct<>"));
}

void TestHubParsers::featureDepthIsBounded_data()
{
    QTest::addColumn<int>("form");
    QTest::addColumn<int>("levels");
    QTest::addColumn<bool>("accepted");
    const char *forms[] = {"card", "viewer info", "first rows"};
    for (int form = 0; form < 3; ++form) {
        const std::pair<int, bool> cases[]
            = {{1, true}, {kMaxFeatureDepth, true}, {kMaxFeatureDepth + 1, false}, {60, false}, {10000, false}};
        for (const auto &[levels, accepted] : cases)
            QTest::addRow("%s %d levels", forms[form], levels) << form << levels << accepted;
    }
}

void TestHubParsers::featureDepthIsBounded()
{
    QFETCH(int, form);
    QFETCH(int, levels);
    QFETCH(bool, accepted);
    std::optional<QString> failure;
    QString described;
    if (form == 0) {
        const Result<DatasetInfo, ParseError> result = parseDatasetInfo(cardDatasetBody(cardColumn(levels)));
        failure = outcome(result);
        if (result)
            described = result.value().configs.first().columns.first().type.describe();
    } else if (form == 1) {
        const Result<ViewerInfo, ParseError> result = parseViewerInfo(viewerInfoBody(viewerType(levels)));
        failure = outcome(result);
        if (result)
            described = result.value().configs.first().columns.first().type.describe();
    } else {
        const Result<FirstRows, ParseError> result = parseFirstRows(firstRowsBody(viewerType(levels)));
        failure = outcome(result);
        if (result)
            described = result.value().columns.first().type.describe();
    }
    QCOMPARE(!failure, accepted);
    if (accepted) {
        QCOMPARE(described.count(u"list<"), levels - 1);
        QVERIFY(described.contains(u"string"));
    } else {
        QVERIFY2(failure->contains(u"nested"), qPrintable(*failure));
    }
}

void TestHubParsers::viewerStructDepthIsBounded()
{
    const int levels = kMaxFeatureDepth + 1;
    const QByteArray type
        = repeated(R"({"a":)", levels - 1) + R"({"dtype":"string","_type":"Value"})" + repeated("}", levels - 1);
    const Result<FirstRows, ParseError> result = parseFirstRows(firstRowsBody(type));
    QVERIFY(!result);
    QVERIFY(!result.error().message.isEmpty());
    const QByteArray cardStruct = R"({"name":"c","struct":)" + repeated(R"([{"name":"a","struct":)", levels - 2)
        + R"([{"name":"a","dtype":"string"}])" + repeated("}]", levels - 2) + '}';
    QVERIFY(!parseDatasetInfo(cardDatasetBody(cardStruct)));
}

void TestHubParsers::viewerValidity_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("all");
    QTest::newRow("ultrachat") << "datasets-server/is-valid__HuggingFaceH4--ultrachat_200k.json" << true;
    QTest::newRow("rotten tomatoes") << "datasets-server/is-valid__cornell-movie-review-data--rotten_tomatoes.json"
                                     << true;
    QTest::newRow("gated without access")
        << "datasets-server/is-valid__bigcode--starcoderdata__no-access.json" << false;
}

void TestHubParsers::viewerValidity()
{
    QFETCH(QString, file);
    QFETCH(bool, all);
    const Result<ViewerValidity, ParseError> result = parseViewerValidity(fixture(file));
    QVERIFY(result);
    const ViewerValidity &valid = result.value();
    QCOMPARE(valid.viewer, all);
    QCOMPARE(valid.preview, all);
    QCOMPARE(valid.search, all);
    QCOMPARE(valid.filter, all);
    QCOMPARE(valid.statistics, all);
}

void TestHubParsers::viewerValidityPartial()
{
    const Result<ViewerValidity, ParseError> previewOnly = parseViewerValidity(R"({"viewer":false,"preview":true})");
    QVERIFY(previewOnly);
    QVERIFY(!previewOnly.value().viewer);
    QVERIFY(previewOnly.value().preview);
    QVERIFY(!previewOnly.value().statistics);
    QVERIFY(!parseViewerValidity("{}"));
    QVERIFY(!parseViewerValidity(R"({"viewer":"yes"})"));
}

void TestHubParsers::viewerSplits()
{
    const Result<ViewerSplits, ParseError> ultrachat
        = parseViewerSplits(fixture(QStringLiteral("datasets-server/splits__HuggingFaceH4--ultrachat_200k.json")));
    QVERIFY(ultrachat);
    QStringList splitNames;
    for (const ViewerSplit &split : ultrachat.value().splits) {
        QCOMPARE(split.config, QStringLiteral("default"));
        splitNames.append(split.split);
    }
    QCOMPARE(splitNames, (names({"train_sft", "test_sft", "train_gen", "test_gen"})));
    QCOMPARE(ultrachat.value().pending, 0);
    QCOMPARE(ultrachat.value().failed, 0);

    const Result<ViewerSplits, ParseError> duorc
        = parseViewerSplits(fixture(QStringLiteral("datasets-server/splits__ibm--duorc.json")));
    QVERIFY(duorc);
    QCOMPARE(duorc.value().splits.size(), 6);
    QCOMPARE(duorc.value().splits.at(0).config, QStringLiteral("ParaphraseRC"));
    QCOMPARE(duorc.value().splits.at(3).config, QStringLiteral("SelfRC"));
    QCOMPARE(duorc.value().splits.at(4).split, QStringLiteral("validation"));

    const Result<ViewerSplits, ParseError> waiting = parseViewerSplits(
        R"({"splits":[{"config":"a"},7,{"config":"a","split":"train"}],"pending":[{"config":"b"}],"failed":[{},{}]})");
    QVERIFY(waiting);
    QCOMPARE(waiting.value().splits.size(), 1);
    QCOMPARE(waiting.value().pending, 1);
    QCOMPARE(waiting.value().failed, 2);
    QVERIFY(!parseViewerSplits(R"({"splits":{"train":{}}})"));
}

void TestHubParsers::viewerInfoUltrachat()
{
    const Result<ViewerInfo, ParseError> result
        = parseViewerInfo(fixture(QStringLiteral("datasets-server/info__HuggingFaceH4--ultrachat_200k__default.json")));
    QVERIFY(result);
    QVERIFY(!result.value().partial);
    QCOMPARE(result.value().configs.size(), 1);
    const DatasetConfig &config = result.value().configs.first();
    QCOMPARE(config.name, QStringLiteral("default"));
    QCOMPARE(config.columns.size(), 3);
    // The viewer sends columns as a JSON object, so they arrive in key order.
    QCOMPARE(describedColumns(config.columns),
             (names({"messages: list<struct<content: string, role: string>>", "prompt: string", "prompt_id: string"})));
    QCOMPARE(config.splits.size(), 4);
    for (const DatasetSplit &split : config.splits) {
        if (split.name == u"train_sft") {
            QCOMPARE(split.numExamples, std::optional<qint64>(207865));
            QCOMPARE(split.numBytes, std::optional<qint64>(1397058554));
        }
    }
    QCOMPARE(config.downloadSize, std::optional<qint64>(1624049723));
    QCOMPARE(config.datasetSize, std::optional<qint64>(3047427114));
}

void TestHubParsers::viewerInfoDuorc()
{
    const Result<ViewerInfo, ParseError> result
        = parseViewerInfo(fixture(QStringLiteral("datasets-server/info__ibm--duorc__SelfRC.json")));
    QVERIFY(result);
    QCOMPARE(result.value().configs.size(), 1);
    const DatasetConfig &config = result.value().configs.first();
    QCOMPARE(config.name, QStringLiteral("SelfRC"));
    QCOMPARE(config.columns.size(), 7);
    const QStringList described = describedColumns(config.columns);
    QVERIFY(described.contains(u"answers: list<string>"));
    QVERIFY(described.contains(u"no_answer: bool"));
    QCOMPARE(config.splits.size(), 3);
    qint64 rows = 0;
    for (const DatasetSplit &split : config.splits)
        rows += split.numExamples.value_or(0);
    QCOMPARE(rows, qint64(60721 + 12961 + 12559));
    QCOMPARE(config.downloadSize, std::optional<qint64>(21001846));
}

void TestHubParsers::viewerInfoWithoutConfig()
{
    // Without `config`, dataset_info maps each config to its info (openapi example for mnist).
    const QJsonObject selfRc = objectFixture(QStringLiteral("datasets-server/info__ibm--duorc__SelfRC.json"))
                                   .value(QLatin1String("dataset_info"))
                                   .toObject();
    QJsonObject paraphrase = selfRc;
    paraphrase.remove(QStringLiteral("config_name")); // the key names the config then
    const QJsonObject body {
        {QStringLiteral("dataset_info"),
         QJsonObject {{QStringLiteral("SelfRC"), selfRc}, {QStringLiteral("ParaphraseRC"), paraphrase}}},
        {QStringLiteral("pending"), QJsonArray {}},
        {QStringLiteral("failed"), QJsonArray {}},
        {QStringLiteral("partial"), true}};
    const Result<ViewerInfo, ParseError> result = parseViewerInfo(json(body));
    QVERIFY(result);
    QVERIFY(result.value().partial);
    QCOMPARE(result.value().configs.size(), 2);
    QCOMPARE(result.value().configs.at(0).name, QStringLiteral("ParaphraseRC"));
    QCOMPARE(result.value().configs.at(1).name, QStringLiteral("SelfRC"));
    QCOMPARE(result.value().configs.at(0).columns.size(), 7);

    const Result<ViewerInfo, ParseError> none = parseViewerInfo(R"({"dataset_info":{},"partial":false})");
    QVERIFY(none);
    QVERIFY(none.value().configs.isEmpty());
}

void TestHubParsers::viewerSize()
{
    const Result<ViewerSize, ParseError> ultrachat
        = parseViewerSize(fixture(QStringLiteral("datasets-server/size__HuggingFaceH4--ultrachat_200k.json")));
    QVERIFY(ultrachat);
    const ViewerSize &size = ultrachat.value();
    QCOMPARE(size.numRows, qint64(515311));
    QCOMPARE(size.originalBytes, std::optional<qint64>(1624049723));
    QCOMPARE(size.parquetBytes, std::optional<qint64>(1624049723));
    QCOMPARE(size.memoryBytes, std::optional<qint64>(3047427114));
    QVERIFY(!size.partial);
    QCOMPARE(size.splits.size(), 4);
    QCOMPARE(size.splits.first().config, QStringLiteral("default"));
    QCOMPARE(size.splits.first().split, QStringLiteral("train_sft"));
    QCOMPARE(size.splits.first().numRows, qint64(207865));
    QCOMPARE(size.splits.first().parquetBytes, std::nullopt); // null in the answer
    QCOMPARE(size.splits.first().memoryBytes, std::optional<qint64>(1397058554));

    const Result<ViewerSize, ParseError> duorc
        = parseViewerSize(fixture(QStringLiteral("datasets-server/size__ibm--duorc.json")));
    QVERIFY(duorc);
    QCOMPARE(duorc.value().numRows, qint64(187213));
    QCOMPARE(duorc.value().splits.size(), 6);
    QCOMPARE(duorc.value().splits.at(3).config, QStringLiteral("SelfRC"));
    QCOMPARE(duorc.value().splits.at(3).numRows, qint64(60721));
    QCOMPARE(duorc.value().splits.at(3).parquetBytes, std::optional<qint64>(14851720));

    const Result<ViewerSize, ParseError> oneConfig = parseViewerSize(
        R"({"size":{"config":{"config":"SelfRC","num_rows":null,"estimated_num_rows":86241,"num_bytes_parquet_files":null},)"
        R"("splits":[{"config":"SelfRC","split":"train","num_rows":"many"},{"config":"SelfRC"}]},"partial":true})");
    QVERIFY(oneConfig);
    QCOMPARE(oneConfig.value().numRows, qint64(86241));
    QCOMPARE(oneConfig.value().parquetBytes, std::nullopt);
    QVERIFY(oneConfig.value().partial);
    QCOMPARE(oneConfig.value().splits.size(), 1);
    QCOMPARE(oneConfig.value().splits.first().numRows, qint64(0));
}

void TestHubParsers::firstRows()
{
    const Result<FirstRows, ParseError> ultrachat = parseFirstRows(
        fixture(QStringLiteral("datasets-server/first-rows__HuggingFaceH4--ultrachat_200k__default__train_sft.json")));
    QVERIFY(ultrachat);
    QCOMPARE(ultrachat.value().dataset, QStringLiteral("HuggingFaceH4/ultrachat_200k"));
    QCOMPARE(ultrachat.value().config, QStringLiteral("default"));
    QCOMPARE(ultrachat.value().split, QStringLiteral("train_sft"));
    // A list of features keeps the dataset's own column order.
    QCOMPARE(describedColumns(ultrachat.value().columns),
             (names({"prompt: string", "prompt_id: string", "messages: list<struct<content: string, role: string>>"})));
    QCOMPARE(ultrachat.value().rows.size(), 1);
    QCOMPARE(ultrachat.value().rows.first().value(QLatin1String("messages")).toArray().size(), 2);
    QVERIFY(!ultrachat.value().truncated);

    const Result<FirstRows, ParseError> duorc
        = parseFirstRows(fixture(QStringLiteral("datasets-server/first-rows__ibm--duorc__SelfRC__train.json")));
    QVERIFY(duorc);
    QCOMPARE(duorc.value().columns.size(), 7);
    QCOMPARE(duorc.value().columns.first().name, QStringLiteral("plot_id"));
    QCOMPARE(duorc.value().columns.at(5).type.describe(), QStringLiteral("list<string>"));
    QCOMPARE(duorc.value().rows.size(), 2);
    QCOMPARE(duorc.value().rows.first().value(QLatin1String("title")).toString(), QStringLiteral("Ghosts of Mars"));
    QVERIFY(!parseFirstRows(R"({"rows":[]})"));
}

void TestHubParsers::modelConfig_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("modelType");
    QTest::addColumn<QString>("architecture");
    QTest::addColumn<qint64>("hidden");
    QTest::addColumn<qint64>("intermediate");
    QTest::addColumn<qint64>("layers");
    QTest::addColumn<qint64>("heads");
    QTest::addColumn<qint64>("kvHeads");
    QTest::addColumn<qint64>("vocab");
    QTest::addColumn<qint64>("maxPositions");
    QTest::addColumn<bool>("tied");
    QTest::newRow("Qwen2.5-0.5B-Instruct") << "config/Qwen--Qwen2.5-0.5B-Instruct.json"
                                           << "qwen2"
                                           << "Qwen2ForCausalLM" << qint64(896) << qint64(4864) << qint64(24)
                                           << qint64(14) << qint64(2) << qint64(151936) << qint64(32768) << true;
    QTest::newRow("Llama-3.1-8B-Instruct") << "config/meta-llama--Llama-3.1-8B-Instruct.json"
                                           << "llama"
                                           << "LlamaForCausalLM" << qint64(4096) << qint64(14336) << qint64(32)
                                           << qint64(32) << qint64(8) << qint64(128256) << qint64(131072) << false;
    QTest::newRow("Llama-3.1-70B-Instruct") << "config/meta-llama--Llama-3.1-70B-Instruct.json"
                                            << "llama"
                                            << "LlamaForCausalLM" << qint64(8192) << qint64(28672) << qint64(80)
                                            << qint64(64) << qint64(8) << qint64(128256) << qint64(131072) << false;
}

void TestHubParsers::modelConfig()
{
    QFETCH(QString, file);
    const Result<ModelConfig, ParseError> result = parseModelConfig(fixture(file));
    QVERIFY(result);
    const ModelConfig &config = result.value();
    QTEST(config.modelType, "modelType");
    QFETCH(QString, architecture);
    QCOMPARE(config.architectures, QStringList {architecture});
    QTEST(*config.hiddenSize, "hidden");
    QTEST(*config.intermediateSize, "intermediate");
    QTEST(*config.numHiddenLayers, "layers");
    QTEST(*config.numAttentionHeads, "heads");
    QTEST(*config.numKeyValueHeads, "kvHeads");
    QTEST(*config.vocabSize, "vocab");
    QTEST(*config.maxPositionEmbeddings, "maxPositions");
    QTEST(config.tieWordEmbeddings, "tied");
    QCOMPARE(config.torchDtype, QStringLiteral("bfloat16"));
    QCOMPARE(config.headDim, std::nullopt);
    QCOMPARE(config.numLocalExperts, std::nullopt);
    QVERIFY(config.quantizationMethod.isEmpty());
}

void TestHubParsers::modelConfigVariants()
{
    // Multimodal: the language model's numbers live under text_config; top level wins.
    const Result<ModelConfig, ParseError> llava = parseModelConfig(
        R"({"model_type":"llava","architectures":["LlavaForConditionalGeneration"],"vocab_size":32064,)"
        R"("text_config":{"model_type":"llama","hidden_size":4096,"num_hidden_layers":32,"vocab_size":1,"torch_dtype":"float16","head_dim":null}})");
    QVERIFY(llava);
    QCOMPARE(llava.value().modelType, QStringLiteral("llava"));
    QCOMPARE(llava.value().hiddenSize, std::optional<qint64>(4096));
    QCOMPARE(llava.value().numHiddenLayers, std::optional<qint64>(32));
    QCOMPARE(llava.value().vocabSize, std::optional<qint64>(32064));
    QCOMPARE(llava.value().torchDtype, QStringLiteral("float16"));
    QCOMPARE(llava.value().headDim, std::nullopt);

    const Result<ModelConfig, ParseError> mixtral = parseModelConfig(
        R"({"model_type":"mixtral","num_local_experts":8,"head_dim":128,"dtype":"bfloat16","tie_word_embeddings":"no"})");
    QVERIFY(mixtral);
    QCOMPARE(mixtral.value().numLocalExperts, std::optional<qint64>(8));
    QCOMPARE(mixtral.value().headDim, std::optional<qint64>(128));
    QCOMPARE(mixtral.value().torchDtype, QStringLiteral("bfloat16"));
    QVERIFY(!mixtral.value().tieWordEmbeddings);

    const Result<ModelConfig, ParseError> qwenMoe = parseModelConfig(R"({"model_type":"qwen3_moe","num_experts":128})");
    QVERIFY(qwenMoe);
    QCOMPARE(qwenMoe.value().numLocalExperts, std::optional<qint64>(128));

    const Result<ModelConfig, ParseError> oss = parseModelConfig(
        R"({"model_type":"gpt_oss","num_local_experts":128,"quantization_config":{"quant_method":"mxfp4"}})");
    QVERIFY(oss);
    QCOMPARE(oss.value().quantizationMethod, QStringLiteral("mxfp4"));

    const Result<ModelConfig, ParseError> gated
        = parseModelConfig(R"({"error":"Access to model meta-llama/Llama-3.1-8B-Instruct is restricted."})");
    QVERIFY(!gated);
    QVERIFY(gated.error().message.contains(u"restricted"));
}

void TestHubParsers::errorBodiesAreRefused_data()
{
    QTest::addColumn<int>("parser");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("quoted");
    const QDir root(test::dataPath(QStringLiteral("hub")));
    QStringList envelopes;
    for (const QString &file :
         QDir(root.filePath(QStringLiteral("errors"))).entryList({QStringLiteral("*.json")}, QDir::Files))
        envelopes.append(QString(u"errors/" + file));
    for (const QString &file : QDir(root.filePath(QStringLiteral("datasets-server")))
                                   .entryList({QStringLiteral("errors__*.json")}, QDir::Files))
        envelopes.append(QString(u"datasets-server/" + file));
    QVERIFY(envelopes.size() >= 19);
    for (const QString &file : std::as_const(envelopes)) {
        const QJsonValue body = objectFixture(file).value(QLatin1String("body"));
        QVERIFY2(!body.isUndefined(), qPrintable(file));
        const QByteArray bytes = body.isString() ? body.toString().toUtf8() : json(body.toObject());
        const QString quoted = body.toObject().value(QLatin1String("error")).toString().left(60);
        for (int parser = 0; parser < int(parsers().size()); ++parser)
            QTest::addRow("%s / %s", qPrintable(file), parsers().at(parser).name) << parser << bytes << quoted;
    }
}

void TestHubParsers::errorBodiesAreRefused()
{
    QFETCH(int, parser);
    QFETCH(QByteArray, body);
    QFETCH(QString, quoted);
    const Outcome failure = parsers().at(parser).run(body);
    QVERIFY(failure);
    QVERIFY(!failure->isEmpty());
    // An object parser given {"error": …} passes the server's words on to the user.
    if (!parsers().at(parser).wantsArray && !quoted.isEmpty())
        QVERIFY2(failure->contains(quoted), qPrintable(*failure));
}

void TestHubParsers::hostile_data()
{
    QTest::addColumn<int>("parser");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("mustFail");

    enum Expect { FailAll, FailObjectParsers, FailArrayParsers, MayPass };
    QList<std::tuple<QString, QByteArray, Expect>> inputs = {
        {QStringLiteral("empty body"), QByteArray(), FailAll},
        {QStringLiteral("whitespace"), QByteArray(" \r\n\t "), FailAll},
        {QStringLiteral("html page"), QByteArray("<!DOCTYPE html>\n<html><body>429 Too Many Requests</body></html>"),
         FailAll},
        {QStringLiteral("plain text"),
         QByteArray("Temporary Redirect. Redirecting to /api/models/google-bert/bert-base-uncased"), FailAll},
        {QStringLiteral("json string"), QByteArray(R"("hello")"), FailAll},
        {QStringLiteral("json number"), QByteArray("42"), FailAll},
        {QStringLiteral("json null"), QByteArray("null"), FailAll},
        {QStringLiteral("json true"), QByteArray("true"), FailAll},
        {QStringLiteral("empty array"), QByteArray("[]"), FailObjectParsers},
        {QStringLiteral("array of numbers"), QByteArray("[1,2,3]"), FailObjectParsers},
        {QStringLiteral("array of objects"), QByteArray(R"([{"id":"a/b"}])"), FailObjectParsers},
        {QStringLiteral("empty object"), QByteArray("{}"), FailArrayParsers},
        {QStringLiteral("object with id"), QByteArray(R"({"id":"a/b","name":"u"})"), FailArrayParsers},
        {QStringLiteral("trailing garbage"), QByteArray(R"({"id":"a/b"} and more)"), FailAll},
        {QStringLiteral("unbalanced"), QByteArray(R"({"id":"a/b"])"), FailAll},
        {QStringLiteral("non-utf8 in a string"), QByteArray("{\"id\":\"a/b\xff\xfe\",\"name\":\"\xff\"}"), MayPass},
        {QStringLiteral("non-utf8 in an array"), QByteArray("[{\"id\":\"\xff\xfe\",\"path\":\"\xc3\x28\"}]"), MayPass},
        {QStringLiteral("non-utf8 outside strings"), QByteArray("\xff\xfe{}"), FailAll},
        {QStringLiteral("byte order mark"), QByteArray("\xef\xbb\xbf{\"id\":\"a/b\"}"), MayPass},
        {QStringLiteral("nul inside a string"), QByteArray("{\"id\":\"a\0b\"}", 12), MayPass},
        {QStringLiteral("numbers out of range"),
         QByteArray(R"({"id":"a/b","downloads":1e400,"likes":-1e400,"usedStorage":-1})"), MayPass},
        {QStringLiteral("duplicate keys"), QByteArray(R"({"id":"a/b","id":"c/d"})"), MayPass},
        {QStringLiteral("wrong field types"),
         QByteArray(
             R"({"id":"a/b","name":"u","downloads":"many","siblings":5,"tags":{"a":1},"splits":"x","features":{},)"
             R"("dataset_info":[],"size":null,"viewer":"yes","cardData":[1],"config":"x","auth":7,"orgs":{}})"),
         MayPass},
        {QStringLiteral("wrong entry field types"),
         QByteArray(
             R"([{"id":"a/b","path":5,"downloads":"many","tags":{"a":1},"lfs":[1],"type":{}},{"id":[],"path":"p"}])"),
         MayPass},
        {QStringLiteral("unclosed string"), QByteArray("{\"id\":\"a/b"), FailAll},
        {QStringLiteral("escaped quotes do not hide brackets"), QByteArray("{\"id\":\"a\\\"[[[[\",\"x\":\"\\\\\"}"),
         MayPass},
    };

    const QByteArray tenMegabytes(10 * 1024 * 1024, 'a');
    inputs.append({QStringLiteral("10 MB string in an object"),
                   QByteArray(R"({"id":")" + tenMegabytes + R"(","name":")" + tenMegabytes.left(16)
                              + R"(","splits":[],"features":[]})"),
                   FailArrayParsers});
    inputs.append({QStringLiteral("10 MB string in an array"),
                   QByteArray(R"([{"id":")" + tenMegabytes + R"(","path":"x"}])"), FailObjectParsers});
    inputs.append(
        {QStringLiteral("100000 nested arrays"), QByteArray(repeated("[", 100000) + repeated("]", 100000)), FailAll});
    inputs.append({QStringLiteral("100000 nested objects"),
                   QByteArray(repeated(R"({"a":)", 100000) + "1" + repeated("}", 100000)), FailAll});
    inputs.append({QStringLiteral("100000 unclosed arrays"), QByteArray(repeated("[", 100000)), FailAll});
    inputs.append(
        {QStringLiteral("card features 10000 deep"), QByteArray(cardDatasetBody(cardColumn(10000))), FailAll});
    inputs.append(
        {QStringLiteral("viewer info features 10000 deep"), QByteArray(viewerInfoBody(viewerType(10000))), FailAll});
    inputs.append(
        {QStringLiteral("first rows features 10000 deep"), QByteArray(firstRowsBody(viewerType(10000))), FailAll});

    // Truncated real bodies: every cut leaves a JSON prefix that cannot be complete.
    for (const auto &[file, owner] : fixtureParsers()) {
        const QByteArray whole = fixture(file).trimmed();
        const qsizetype n = whole.size();
        for (const qsizetype cut : {qsizetype(1), n / 4, n / 2, 3 * n / 4, n - 1})
            inputs.append({QStringLiteral("%1 cut at %2").arg(file).arg(cut), whole.left(cut), FailAll});
    }

    for (const auto &[name, body, expect] : std::as_const(inputs)) {
        for (int parser = 0; parser < int(parsers().size()); ++parser) {
            const bool array = parsers().at(parser).wantsArray;
            const bool mustFail
                = expect == FailAll || (expect == FailObjectParsers && !array) || (expect == FailArrayParsers && array);
            QTest::addRow("%s / %s", qPrintable(name), parsers().at(parser).name) << parser << body << mustFail;
        }
    }
}

void TestHubParsers::hostile()
{
    QFETCH(int, parser);
    QFETCH(QByteArray, body);
    QFETCH(bool, mustFail);
    const Outcome failure = parsers().at(parser).run(body);
    if (mustFail)
        QVERIFY(failure);
    if (failure)
        QVERIFY2(!failure->trimmed().isEmpty(), "a failure must say why");
}

void TestHubParsers::failureMessagesAreHuman_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("says");
    QTest::newRow("empty") << QByteArray() << "empty";
    QTest::newRow("html") << QByteArray("<!DOCTYPE html><html>") << "web page";
    QTest::newRow("text") << QByteArray("Temporary Redirect. Redirecting to /api/models/x") << "Temporary Redirect";
    QTest::newRow("array") << QByteArray("[]")
                           << "expected a JSON object at the top level of the model info, got an array";
    QTest::newRow("string") << QByteArray(R"("x")") << "got a string";
    QTest::newRow("null") << QByteArray("null") << "got null";
    QTest::newRow("truncated") << QByteArray(R"({"id":"a)") << "not valid JSON";
    QTest::newRow("deep") << repeated("[", 200) << "nested";
    QTest::newRow("no id") << QByteArray(R"({"modelId":"a/b"})") << "has no \"id\"";
    QTest::newRow("server error") << QByteArray(R"({"error":"Repository not found"})") << "Repository not found";
}

void TestHubParsers::failureMessagesAreHuman()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, says);
    const Result<ModelInfo, ParseError> result = parseModelInfo(body);
    QVERIFY(!result);
    QVERIFY2(result.error().message.contains(says), qPrintable(result.error().message));
}

void TestHubParsers::tooLargeBodiesAreRefusedBeforeParsing()
{
    // Valid JSON one byte over the limit: refused by size, not by content.
    const QByteArray head = R"({"id":"a/b","pad":")";
    QByteArray atLimit = head + QByteArray(kMaxParsedBodyBytes - head.size() - 2, 'a') + "\"}";
    QCOMPARE(atLimit.size(), kMaxParsedBodyBytes);
    QVERIFY(parseModelInfo(atLimit));
    const QByteArray overLimit = head + QByteArray(kMaxParsedBodyBytes - head.size() - 1, 'a') + "\"}";
    for (const Parser &parser : parsers()) {
        const Outcome failure = parser.run(overLimit);
        QVERIFY2(failure, parser.name);
        QVERIFY2(failure->contains(u"too large"), qPrintable(*failure));
    }
    const Outcome garbage = parsers().at(Tree).run(QByteArray(kMaxParsedBodyBytes + 1, '['));
    QVERIFY(garbage);
    QVERIFY(garbage->contains(u"too large"));
}

// Every value of every fixture replaced, one at a time, by each wrong type: nothing crashes,
// and only the document's identifying top-level keys may fail the parse.
void TestHubParsers::wrongTypesAnywhere_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("parser");
    for (const auto &[file, parser] : fixtureParsers())
        QTest::newRow(qPrintable(file)) << file << parser;
}

void TestHubParsers::wrongTypesAnywhere()
{
    QFETCH(QString, file);
    QFETCH(int, parser);
    const Parser &under = parsers().at(parser);
    const QJsonDocument original = QJsonDocument::fromJson(fixture(file));
    const QJsonValue root = original.isArray() ? QJsonValue(original.array()) : QJsonValue(original.object());
    QList<QStringList> paths;
    QStringList path;
    collectPaths(root, path, paths);
    QVERIFY(!paths.isEmpty());
    const QList<QJsonValue> wrong = {QJsonValue(QStringLiteral("many")),
                                     QJsonValue(5),
                                     QJsonValue(-1),
                                     QJsonValue(1.5),
                                     QJsonValue(true),
                                     QJsonValue(QJsonValue::Null),
                                     parsed(R"({"a":1})"),
                                     parsed(R"([1,{"b":[2]}])")};
    int parses = 0;
    for (const QStringList &at : std::as_const(paths)) {
        for (const QJsonValue &with : wrong) {
            const QJsonValue mutated = replaced(root, at, 0, with);
            const QByteArray body = mutated.isArray() ? json(mutated.toArray()) : json(mutated.toObject());
            const Outcome failure = under.run(body);
            ++parses;
            if (!failure)
                continue;
            const QString where = at.join(u'.');
            QVERIFY2(!failure->isEmpty(), qPrintable(where));
            const bool identifying = at.size() == 1 && under.requiredKeys.contains(at.first());
            QVERIFY2(identifying, qPrintable(QString(where + u": " + *failure)));
        }
    }
    QVERIFY(parses >= 8);
}

VIBEML_TEST_MAIN_CORE(TestHubParsers)

#include "tst_hubparsers.moc"
