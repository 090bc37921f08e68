#include "cost/MemoryEstimate.h"

#include "TestSupport.h"

using namespace vibeml;
using namespace vibeml::cost;

Q_DECLARE_METATYPE(vibeml::cost::Method)

namespace {

ModelFacts modelWith(qint64 parameters)
{
    ModelFacts model;
    model.parameters = parameters;
    return model;
}

TrainingSettings settingsFor(Method method)
{
    TrainingSettings settings;
    settings.method = method;
    return settings;
}

hub::ModelConfig llama8bConfig()
{
    hub::ModelConfig config;
    config.modelType = QStringLiteral("llama");
    config.hiddenSize = 4096;
    config.numHiddenLayers = 32;
    config.intermediateSize = 14336;
    config.numAttentionHeads = 32;
    config.numKeyValueHeads = 8;
    config.vocabSize = 128256;
    return config;
}

} // namespace

class TestMemoryEstimate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // hub.md §4.3: the formula's outputs with default settings and no config, GB = 1e9 bytes.
    void publishedTable_data()
    {
        QTest::addColumn<qint64>("parameters");
        QTest::addColumn<Method>("method");
        QTest::addColumn<double>("gigabytes");
        QTest::addColumn<double>("gibibytes");
        const struct
        {
            const char *name;
            qint64 parameters;
            double gb[5];
            double gib[5];
        } rows[] = {
            {"Qwen2.5-0.5B", 494032768, {12.0, 7.5, 4.1, 3.6, 3.3}, {11.2, 7.0, 3.8, 3.3, 3.1}},
            {"Qwen2.5-1.5B", 1543714304, {31.4, 17.2, 6.7, 4.9, 4.1}, {29.2, 16.0, 6.2, 4.6, 3.8}},
            {"Llama-3.1-8B", 8030261248, {151.1, 77.2, 22.5, 13.3, 8.8}, {140.7, 71.9, 21.0, 12.4, 8.2}},
            {"Llama-3.1-70B", 70553706496, {1304.4, 655.3, 174.9, 93.8, 54.5}, {1214.8, 610.3, 162.9, 87.4, 50.8}},
        };
        const Method methods[] = {Method::FullMixed, Method::FullBf16, Method::Lora, Method::Qlora8, Method::Qlora4};
        for (const auto &row : rows) {
            for (int i = 0; i < 5; ++i)
                QTest::addRow("%s %s", row.name, qPrintable(methodName(methods[i])))
                    << row.parameters << methods[i] << row.gb[i] << row.gib[i];
        }
    }

    void publishedTable()
    {
        QFETCH(qint64, parameters);
        QFETCH(Method, method);
        QFETCH(double, gigabytes);
        QFETCH(double, gibibytes);
        const MemoryEstimate estimate = estimateMemory(modelWith(parameters), settingsFor(method));
        QVERIFY2(std::abs(estimate.totalBytes / 1e9 - gigabytes) <= 0.1, qPrintable(QString::number(estimate.totalBytes / 1e9)));
        QVERIFY2(std::abs(estimate.totalBytes / kGiB - gibibytes) <= 0.1, qPrintable(QString::number(estimate.totalBytes / kGiB)));
        QCOMPARE(estimate.parallelism, Parallelism::SingleGpu);
    }

    // Never below what Unsloth and LLaMA-Factory publish as minimums (GB).
    void neverBelowPublishedMinimums_data()
    {
        QTest::addColumn<qint64>("parameters");
        QTest::addColumn<Method>("method");
        QTest::addColumn<double>("minimum");
        QTest::newRow("Unsloth 8B LoRA") << qint64(8030261248) << Method::Lora << 22.0;
        QTest::newRow("Unsloth 8B QLoRA") << qint64(8030261248) << Method::Qlora4 << 6.0;
        QTest::newRow("Unsloth 70B LoRA") << qint64(70553706496) << Method::Lora << 164.0;
        QTest::newRow("Unsloth 70B QLoRA") << qint64(70553706496) << Method::Qlora4 << 41.0;
        QTest::newRow("LLaMA-Factory 70B full") << qint64(70553706496) << Method::FullMixed << 1200.0;
        QTest::newRow("LLaMA-Factory 70B pure bf16") << qint64(70553706496) << Method::FullBf16 << 600.0;
        QTest::newRow("LLaMA-Factory 70B LoRA") << qint64(70553706496) << Method::Lora << 160.0;
        QTest::newRow("LLaMA-Factory 70B QLoRA-8") << qint64(70553706496) << Method::Qlora8 << 80.0;
        QTest::newRow("LLaMA-Factory 70B QLoRA-4") << qint64(70553706496) << Method::Qlora4 << 48.0;
        QTest::newRow("LLaMA-Factory 7B column × 8/7 full") << qint64(8030261248) << Method::FullMixed << 120.0 * 8 / 7;
        QTest::newRow("LLaMA-Factory 7B column × 8/7 LoRA") << qint64(8030261248) << Method::Lora << 16.0 * 8 / 7;
        QTest::newRow("LLaMA-Factory 7B column × 8/7 QLoRA-4") << qint64(8030261248) << Method::Qlora4 << 6.0 * 8 / 7;
    }

    void neverBelowPublishedMinimums()
    {
        QFETCH(qint64, parameters);
        QFETCH(Method, method);
        QFETCH(double, minimum);
        QVERIFY(estimateMemory(modelWith(parameters), settingsFor(method)).totalBytes / 1e9 >= minimum);
    }

    void exactLoraParameters()
    {
        // r = 16 on all seven projections of Llama-3.1-8B: 1,310,720 per layer × 32 (hub.md §4.1).
        QCOMPARE(loraParameterCount(llama8bConfig(), 16, defaultLoraTargets()), std::optional<qint64>(41943040));
        QCOMPARE(loraParameterCount(llama8bConfig(), 8, {QStringLiteral("q_proj"), QStringLiteral("v_proj")}),
                 std::optional<qint64>(8 * (8192 + 5120) * 32));
        hub::ModelConfig moe = llama8bConfig();
        moe.numLocalExperts = 8;
        QCOMPARE(*loraParameterCount(moe, 16, {QStringLiteral("up_proj")}), qint64(16) * (4096 + 14336) * 8 * 32);
        QVERIFY(!loraParameterCount(hub::ModelConfig{}, 16, defaultLoraTargets()));
        QVERIFY(!loraParameterCount(llama8bConfig(), 16, {QStringLiteral("lm_head")}));

        ModelFacts model = modelWith(8030261248);
        model.config = llama8bConfig();
        const MemoryEstimate estimate = estimateMemory(model, settingsFor(Method::Lora));
        QVERIFY(estimate.loraCountExact);
        QCOMPARE(estimate.loraParameters, qint64(41943040));
        QVERIFY(estimate.activationsFromConfig);
        // Config-based activations for Llama-3.1-8B at s=2048, b=1 are about 1.74 GiB (hub.md §4.2).
        QVERIFY(std::abs(estimate.activationBytes / kGiB - 1.74) < 0.02);
    }

    void settingsChangeTheEstimate()
    {
        ModelFacts model = modelWith(8030261248);
        model.config = llama8bConfig();
        TrainingSettings settings = settingsFor(Method::Lora);
        const double base = estimateMemory(model, settings).totalBytes;
        settings.sequenceLength = 8192;
        QVERIFY(estimateMemory(model, settings).totalBytes > base + 4e9);
        settings.sequenceLength = 2048;
        settings.microBatch = 4;
        const double bigger = estimateMemory(model, settings).totalBytes;
        QVERIFY(bigger > base);
        settings.gradientCheckpointing = false;
        QVERIFY(estimateMemory(model, settings).totalBytes > bigger * 2);
        settings = settingsFor(Method::Lora);
        settings.loraRank = 64;
        QVERIFY(estimateMemory(model, settings).totalBytes > base);
    }

    void multiGpuLayouts()
    {
        const ModelFacts model = modelWith(70553706496);
        // Full fine-tuning shards everything over the GPUs.
        const MemoryEstimate one = estimateMemory(model, settingsFor(Method::FullMixed), 1);
        const MemoryEstimate sixteen = estimateMemory(model, settingsFor(Method::FullMixed), 16, 80.0);
        QCOMPARE(sixteen.parallelism, Parallelism::Sharded);
        QCOMPARE(sixteen.shardedOver, 16);
        QVERIFY(std::abs(sixteen.weightsBytes * 16 - one.weightsBytes) < 1);
        QCOMPARE(sixteen.activationBytes, one.activationBytes);

        // LoRA replicates while a copy fits on one GPU…
        const ModelFacts small = modelWith(8030261248);
        const MemoryEstimate replicated = estimateMemory(small, settingsFor(Method::Lora), 8, 80.0);
        QCOMPARE(replicated.parallelism, Parallelism::DataParallel);
        QCOMPARE(replicated.totalBytes, estimateMemory(small, settingsFor(Method::Lora)).totalBytes);
        // …and shards the frozen base when it does not: 70B LoRA on 8×H100 or 8×H200.
        for (double gpu : {80.0, 141.0}) {
            const MemoryEstimate sharded = estimateMemory(model, settingsFor(Method::Lora), 8, gpu);
            QCOMPARE(sharded.parallelism, Parallelism::Sharded);
            QCOMPARE(fitOnGpu(sharded, gpu).fit, Fit::Fits);
        }
        QCOMPARE(fitOnGpu(estimateMemory(model, settingsFor(Method::Lora), 1), 80.0).fit, Fit::DoesNotFit);
    }

    void fitBoundaries_data()
    {
        QTest::addColumn<double>("fraction");
        QTest::addColumn<int>("fit");
        QTest::newRow("half") << 0.5 << int(Fit::Fits);
        QTest::newRow("exactly 90 %") << 0.9 << int(Fit::Fits);
        QTest::newRow("91 %") << 0.91 << int(Fit::Tight);
        QTest::newRow("exactly full") << 1.0 << int(Fit::Tight);
        QTest::newRow("over") << 1.01 << int(Fit::DoesNotFit);
    }

    void fitBoundaries()
    {
        QFETCH(double, fraction);
        QFETCH(int, fit);
        MemoryEstimate estimate;
        estimate.totalBytes = fraction * 80.0 * kGiB;
        const FitVerdict verdict = fitOnGpu(estimate, 80.0);
        QCOMPARE(int(verdict.fit), fit);
        QVERIFY(verdict.text().contains(QStringLiteral("GB of 85.9 GB per GPU")));
    }
};

VIBEML_TEST_MAIN_CORE(TestMemoryEstimate)
#include "tst_memoryestimate.moc"
