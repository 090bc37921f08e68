#include "hub/HubParsers.h"
#include "hub/ModelSupport.h"

#include "TestSupport.h"

using namespace vibeml;
using namespace vibeml::hub;

namespace {

ModelConfig loadConfig(const QString &stem)
{
    const auto parsed = parseModelConfig(test::readFile(test::dataPath(QStringLiteral("hub/config/") + stem + QStringLiteral(".json"))));
    return parsed ? parsed.value() : ModelConfig{};
}

ModelInfo loadModel(const QString &stem)
{
    const auto parsed = parseModelInfo(test::readFile(test::dataPath(QStringLiteral("hub/api__models__") + stem + QStringLiteral(".json"))));
    return parsed ? parsed.value() : ModelInfo{};
}

} // namespace

class TestModelSupport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void architectures_data()
    {
        QTest::addColumn<QString>("modelType");
        QTest::addColumn<QString>("architecture");
        QTest::addColumn<bool>("supported");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("llama") << "llama" << "LlamaForCausalLM" << true << "Llama";
        QTest::newRow("qwen2") << "qwen2" << "Qwen2ForCausalLM" << true << "Qwen";
        QTest::newRow("qwen3") << "qwen3" << "Qwen3ForCausalLM" << true << "Qwen 3";
        QTest::newRow("mistral") << "mistral" << "MistralForCausalLM" << true << "Mistral";
        QTest::newRow("mixtral caveat") << "mixtral" << "MixtralForCausalLM" << true << "experts";
        QTest::newRow("gemma2") << "gemma2" << "Gemma2ForCausalLM" << true << "Gemma";
        QTest::newRow("phi3") << "phi3" << "Phi3ForCausalLM" << true << "Phi";
        QTest::newRow("gpt-oss") << "gpt_oss" << "GptOssForCausalLM" << true << "MXFP4";
        QTest::newRow("bert refused") << "bert" << "BertForMaskedLM" << false << "encoder model";
        QTest::newRow("t5 refused") << "t5" << "T5ForConditionalGeneration" << false << "encoder-decoder";
        QTest::newRow("unknown causal lm refused") << "mamba2" << "Mamba2ForCausalLM" << false << "not been tested";
        QTest::newRow("vision refused") << "vit" << "ViTForImageClassification" << false << "not a text-generation model";
        QTest::newRow("nothing") << "" << "" << false << "no model_type";
    }

    void architectures()
    {
        QFETCH(QString, modelType);
        QFETCH(QString, architecture);
        QFETCH(bool, supported);
        QFETCH(QString, mentions);
        const ArchitectureSupport support = architectureSupport(modelType, architecture.isEmpty() ? QStringList() : QStringList{architecture});
        QCOMPARE(support.supported, supported);
        const QString text = support.family + QLatin1Char(' ') + support.reason;
        QVERIFY2(text.contains(mentions), qPrintable(text));
    }

    void configArithmeticMatchesPublishedCounts_data()
    {
        QTest::addColumn<QString>("stem");
        QTest::addColumn<qint64>("published");
        QTest::addColumn<double>("tolerance");
        QTest::newRow("Llama-3.1-8B exact") << "meta-llama--Llama-3.1-8B-Instruct" << qint64(8030261248) << 0.0;
        QTest::newRow("Llama-3.1-70B exact") << "meta-llama--Llama-3.1-70B-Instruct" << qint64(70553706496) << 0.0;
        QTest::newRow("Qwen2.5-0.5B") << "Qwen--Qwen2.5-0.5B-Instruct" << qint64(494032768) << 0.0001;
    }

    void configArithmeticMatchesPublishedCounts()
    {
        QFETCH(QString, stem);
        QFETCH(qint64, published);
        QFETCH(double, tolerance);
        const std::optional<qint64> derived = parametersFromConfig(loadConfig(stem));
        QVERIFY(derived);
        const double error = std::abs(static_cast<double>(*derived - published)) / static_cast<double>(published);
        QVERIFY2(error <= tolerance, qPrintable(QStringLiteral("%1 vs %2").arg(*derived).arg(published)));
    }

    void incompleteConfigGivesNothing()
    {
        ModelConfig config;
        config.hiddenSize = 4096;
        QVERIFY(!parametersFromConfig(config));
        config.numHiddenLayers = -3;
        config.vocabSize = 100;
        config.intermediateSize = 10;
        config.numAttentionHeads = 1;
        QVERIFY(!parametersFromConfig(config));
    }

    void namesGiveAGuess_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<qint64>("count");
        QTest::newRow("8B") << "meta-llama/Llama-3.1-8B-Instruct" << qint64(8'000'000'000);
        QTest::newRow("0.5B") << "Qwen/Qwen2.5-0.5B-Instruct" << qint64(500'000'000);
        QTest::newRow("lower b") << "openai/gpt-oss-120b" << qint64(120'000'000'000);
        QTest::newRow("moe") << "mistralai/Mixtral-8x7B-Instruct-v0.1" << qint64(56'000'000'000);
        QTest::newRow("millions") << "HuggingFaceTB/SmolLM2-135M-Instruct" << qint64(135'000'000);
        QTest::newRow("none") << "openai-community/gpt2" << qint64(0);
        QTest::newRow("version not size") << "org/model-v3.1" << qint64(0);
    }

    void namesGiveAGuess()
    {
        QFETCH(QString, id);
        QFETCH(qint64, count);
        QCOMPARE(parametersFromName(id).value_or(0), count);
    }

    void countingPrefersSafetensorsThenConfigThenName()
    {
        ModelInfo llama = loadModel(QStringLiteral("meta-llama--Llama-3.1-8B-Instruct"));
        ParameterCount count = countParameters(llama, std::nullopt);
        QCOMPARE(count.basis, ParameterCount::Basis::Safetensors);
        QCOMPARE(count.count, qint64(8030261248));
        QVERIFY(!count.quantized);
        QCOMPARE(dominantDtype(llama, std::nullopt), QStringLiteral("BF16"));

        llama.safetensors.reset();
        count = countParameters(llama, loadConfig(QStringLiteral("meta-llama--Llama-3.1-8B-Instruct")));
        QCOMPARE(count.basis, ParameterCount::Basis::Config);
        QCOMPARE(count.count, qint64(8030261248));

        count = countParameters(llama, std::nullopt);
        QCOMPARE(count.basis, ParameterCount::Basis::Name);
        QCOMPARE(count.count, qint64(8'000'000'000));

        llama.id = QStringLiteral("someone/mystery-model");
        QCOMPARE(countParameters(llama, std::nullopt).basis, ParameterCount::Basis::Unknown);
    }

    void quantizedCheckpointsAreFlagged()
    {
        const ModelInfo oss = loadModel(QStringLiteral("openai--gpt-oss-120b"));
        const ParameterCount count = countParameters(oss, std::nullopt);
        QVERIFY(count.quantized);
        QCOMPARE(count.quantizationMethod, QStringLiteral("mxfp4"));
        QCOMPARE(count.count, qint64(120412337472));
        QCOMPARE(dominantDtype(oss, std::nullopt), QStringLiteral("U8"));
    }

    void formatting()
    {
        QVERIFY(formatParameterCount(8030261248).contains(QStringLiteral("8.03")));
        QVERIFY(formatParameterCount(494032768).contains(QStringLiteral("494")));
        QVERIFY(formatBytes(16'060'522'496).contains(QStringLiteral("16.1")));
        QVERIFY(formatBytes(999).endsWith(QStringLiteral("bytes")));
    }
};

VIBEML_TEST_MAIN_CORE(TestModelSupport)
#include "tst_modelsupport.moc"
