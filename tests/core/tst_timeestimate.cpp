#include "cost/TimeEstimate.h"

#include "TestSupport.h"

using namespace vibeml;
using namespace vibeml::cost;

namespace {

catalog::GpuSpec h100()
{
    catalog::GpuSpec spec;
    spec.name = QStringLiteral("H100");
    spec.variant = QStringLiteral("SXM");
    spec.memoryGiB = 80;
    spec.bf16DenseTflops = 989;
    spec.interconnect = QStringLiteral("NVLink 4 (900 GB/s)");
    return spec;
}

ModelFacts llama8b()
{
    ModelFacts model;
    model.id = QStringLiteral("meta-llama/Llama-3.1-8B-Instruct");
    model.parameters = 8030261248;
    model.downloadBytes = 16'060'556'376;
    return model;
}

DatasetFacts ultrachat()
{
    DatasetFacts data;
    data.rows = 207865;
    data.tokensPerRow = 1200;
    data.bytes = 1'397'058'554;
    return data;
}

ClusterShape shape(int gpus = 1, int nodes = 1, bool infiniBand = false, bool spot = false)
{
    ClusterShape cluster;
    cluster.gpu = h100();
    cluster.gpusPerNode = gpus;
    cluster.nodes = nodes;
    cluster.infiniBand = infiniBand;
    cluster.spot = spot;
    return cluster;
}

} // namespace

class TestTimeEstimate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tokens()
    {
        TrainingSettings settings;
        settings.epochs = 2;
        QCOMPARE(trainingTokens(ultrachat(), settings, 1), 207865.0 * 1200 * 2);
        QStringList notes;
        settings.sequenceLength = 1024;
        QCOMPARE(trainingTokens(ultrachat(), settings, 1, &notes), 207865.0 * 1024 * 2);
        QVERIFY(notes.first().contains(QStringLiteral("truncated")));
        settings.maxSteps = 100;
        settings.microBatch = 2;
        settings.gradientAccumulation = 4;
        QCOMPARE(trainingTokens(ultrachat(), settings, 8, &notes), 100.0 * 2 * 4 * 8 * 1024);
        DatasetFacts unknown = ultrachat();
        unknown.tokensPerRow = 0;
        notes.clear();
        settings = TrainingSettings{};
        QCOMPARE(trainingTokens(unknown, settings, 1, &notes), 207865.0 * 1024);
        QVERIFY(notes.first().contains(QStringLiteral("unknown")));
    }

    void flopsFollowTheMethod()
    {
        TrainingSettings lora;
        lora.gradientCheckpointing = false;
        TrainingSettings full = lora;
        full.method = Method::FullMixed;
        const TimeEstimate loraTime = estimateTime(llama8b(), ultrachat(), lora, shape());
        const TimeEstimate fullTime = estimateTime(llama8b(), ultrachat(), full, shape());
        QCOMPARE(loraTime.flops, 4.0 * 8030261248.0 * loraTime.tokens);
        QCOMPARE(fullTime.flops, 6.0 * 8030261248.0 * fullTime.tokens);
        TrainingSettings qlora = lora;
        qlora.method = Method::Qlora4;
        QVERIFY(estimateTime(llama8b(), ultrachat(), qlora, shape()).flops > loraTime.flops * 1.2);
        lora.gradientCheckpointing = true;
        QCOMPARE(estimateTime(llama8b(), ultrachat(), lora, shape()).flops, 6.0 * 8030261248.0 * loraTime.tokens);
    }

    void rangesAreOrderedAndPlausible()
    {
        const TimeEstimate estimate = estimateTime(llama8b(), ultrachat(), TrainingSettings{}, shape());
        QVERIFY(estimate.totalHours.low < estimate.totalHours.expected);
        QVERIFY(estimate.totalHours.expected < estimate.totalHours.high);
        QVERIFY(estimate.overheadHours.low > 0.09); // at least provisioning and set-up
        // 250 M tokens of 8B LoRA on one H100: several hours, not minutes or weeks.
        QVERIFY2(estimate.totalHours.expected > 2 && estimate.totalHours.expected < 48, qPrintable(QString::number(estimate.totalHours.expected)));
    }

    void moreGpusAreFasterButNotLinearly()
    {
        const TrainingSettings settings;
        const double one = estimateTime(llama8b(), ultrachat(), settings, shape(1)).trainingHours.expected;
        const double eight = estimateTime(llama8b(), ultrachat(), settings, shape(8)).trainingHours.expected;
        QVERIFY(eight < one / 6);
        QVERIFY(eight > one / 8);
        const double infiniBand = estimateTime(llama8b(), ultrachat(), settings, shape(8, 2, true)).trainingHours.expected;
        const double ethernet = estimateTime(llama8b(), ultrachat(), settings, shape(8, 2, false)).trainingHours.expected;
        QVERIFY(infiniBand < eight);
        QVERIFY(ethernet > infiniBand);
    }

    void spotRunsLongerInTheWorstCase()
    {
        const TimeEstimate onDemand = estimateTime(llama8b(), ultrachat(), TrainingSettings{}, shape());
        const TimeEstimate spot = estimateTime(llama8b(), ultrachat(), TrainingSettings{}, shape(1, 1, false, true));
        QVERIFY(spot.trainingHours.high > onDemand.trainingHours.high * 1.4);
        QVERIFY(spot.notes.join(u' ').contains(QStringLiteral("preemption")));
    }

    void smallModelsUseTheGpuLessWell()
    {
        ModelFacts small = llama8b();
        small.parameters = 494032768;
        const double perParameterSmall = estimateTime(small, ultrachat(), TrainingSettings{}, shape()).trainingHours.expected / 494032768.0;
        const double perParameterBig = estimateTime(llama8b(), ultrachat(), TrainingSettings{}, shape()).trainingHours.expected / 8030261248.0;
        QVERIFY(perParameterSmall > perParameterBig * 1.5);
    }

    void formatting()
    {
        QCOMPARE(formatHours(0.25), QStringLiteral("15 min"));
        QCOMPARE(formatHours(3.24), QStringLiteral("3.2 h"));
        QCOMPARE(formatHours(72), QStringLiteral("3.0 days"));
    }
};

VIBEML_TEST_MAIN_CORE(TestTimeEstimate)
#include "tst_timeestimate.moc"
