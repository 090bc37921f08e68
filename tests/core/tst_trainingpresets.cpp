#include "catalog/Catalog.h"
#include "cost/PlanEstimator.h"
#include "cost/TrainingPresets.h"

#include "TestSupport.h"

using namespace vibeml;
using namespace vibeml::cost;

Q_DECLARE_METATYPE(vibeml::cost::SettingsField)
Q_DECLARE_METATYPE(vibeml::cost::Method)

class TestTrainingPresets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sizeClasses()
    {
        QCOMPARE(modelSize(494'032'768), ModelSize::Small);
        QCOMPARE(modelSize(8'030'261'248), ModelSize::Medium);
        QCOMPARE(modelSize(32'000'000'000), ModelSize::Large);
        QCOMPARE(modelSize(70'553'706'496), ModelSize::Huge);
        QCOMPARE(modelSize(0), ModelSize::Medium); // unknown: the middle of the road
        QVERIFY(modelSizeTitle(ModelSize::Small).contains(QStringLiteral("3 B")));
    }

    void presets_data()
    {
        QTest::addColumn<Method>("method");
        QTest::addColumn<qint64>("parameters");
        QTest::addColumn<double>("learningRate");
        QTest::addColumn<int>("rank");
        QTest::addColumn<int>("alpha");
        QTest::addColumn<int>("globalBatch"); // micro-batch × accumulation
        QTest::newRow("lora small") << Method::Lora << qint64(494'032'768) << 2e-4 << 16 << 32 << 16;
        QTest::newRow("lora 8B") << Method::Lora << qint64(8'030'261'248) << 2e-4 << 16 << 32 << 16;
        QTest::newRow("qlora4 8B") << Method::Qlora4 << qint64(8'030'261'248) << 2e-4 << 64 << 16 << 16;
        QTest::newRow("qlora4 70B") << Method::Qlora4 << qint64(70'553'706'496) << 1e-4 << 64 << 16 << 16;
        QTest::newRow("qlora8 8B") << Method::Qlora8 << qint64(8'030'261'248) << 2e-4 << 16 << 32 << 16;
        QTest::newRow("full small") << Method::FullMixed << qint64(494'032'768) << 2e-5 << 16 << 32 << 16;
        QTest::newRow("full 70B") << Method::FullBf16 << qint64(70'553'706'496) << 1e-5 << 16 << 32 << 32;
    }

    void presets()
    {
        QFETCH(Method, method);
        QFETCH(qint64, parameters);
        QFETCH(double, learningRate);
        QFETCH(int, rank);
        QFETCH(int, alpha);
        QFETCH(int, globalBatch);
        const TrainingSettings s = preset(method, parameters);
        QCOMPARE(s.method, method);
        QCOMPARE(s.learningRate, learningRate);
        QCOMPARE(s.loraRank, rank);
        QCOMPARE(s.loraAlpha, alpha);
        QCOMPARE(s.microBatch * s.gradientAccumulation, globalBatch);
        QCOMPARE(s.maxSteps, 0);
        QCOMPARE(s.epochs, 1.0);
        QVERIFY(s.gradientCheckpointing);
        QVERIFY(!s.maxRuntimeHours);
        QCOMPARE(s.loraTargets, defaultLoraTargets());
        // Presets are themselves valid input: each field survives a round trip through its text.
        for (SettingsField field : {SettingsField::Epochs, SettingsField::LearningRate, SettingsField::MicroBatch,
                                    SettingsField::GradientAccumulation, SettingsField::SequenceLength, SettingsField::LoraRank,
                                    SettingsField::LoraAlpha, SettingsField::LoraDropout, SettingsField::LoraTargets,
                                    SettingsField::MaxRuntime}) {
            TrainingSettings copy = s;
            const auto problem = setField(copy, field, fieldText(s, field));
            QVERIFY2(!problem, qPrintable(problem.value_or(QString())));
            QCOMPARE(fieldText(copy, field), fieldText(s, field));
        }
        QVERIFY(adviseSettings(s).isEmpty());
    }

    void typedValues_data()
    {
        QTest::addColumn<SettingsField>("field");
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("shown"); // empty: refused
        QTest::addColumn<QString>("says");
        QTest::newRow("lr scientific") << SettingsField::LearningRate << "2e-4" << "2e-4" << "";
        QTest::newRow("lr decimal") << SettingsField::LearningRate << "0.00002" << "2e-5" << "";
        QTest::newRow("lr zero") << SettingsField::LearningRate << "0" << "" << "above 0";
        QTest::newRow("lr above one") << SettingsField::LearningRate << "3" << "" << "at most 1";
        QTest::newRow("lr text") << SettingsField::LearningRate << "fast" << "" << "such as 2e-4";
        QTest::newRow("epochs fraction") << SettingsField::Epochs << " 2.5 " << "2.5" << "";
        QTest::newRow("epochs zero") << SettingsField::Epochs << "0" << "" << "above 0";
        QTest::newRow("epochs too many") << SettingsField::Epochs << "101" << "" << "at most 100";
        QTest::newRow("steps") << SettingsField::MaxSteps << "1000" << "1000" << "";
        QTest::newRow("steps zero") << SettingsField::MaxSteps << "0" << "" << "from 1 to 10,000,000";
        QTest::newRow("batch fraction") << SettingsField::MicroBatch << "1.5" << "" << "whole number";
        QTest::newRow("batch empty") << SettingsField::MicroBatch << "" << "" << "Enter a whole number";
        QTest::newRow("accumulation") << SettingsField::GradientAccumulation << "32" << "32" << "";
        QTest::newRow("sequence") << SettingsField::SequenceLength << "4096" << "4096" << "";
        QTest::newRow("sequence too long") << SettingsField::SequenceLength << "300000" << "" << "262,144";
        QTest::newRow("rank") << SettingsField::LoraRank << "8" << "8" << "";
        QTest::newRow("rank too big") << SettingsField::LoraRank << "2048" << "" << "1,024";
        QTest::newRow("dropout") << SettingsField::LoraDropout << "0.1" << "0.1" << "";
        QTest::newRow("dropout one") << SettingsField::LoraDropout << "1" << "" << "not including";
        QTest::newRow("targets") << SettingsField::LoraTargets << "q_proj v_proj,  o_proj" << "q_proj, v_proj, o_proj" << "";
        QTest::newRow("targets empty") << SettingsField::LoraTargets << " , " << "" << "at least one";
        QTest::newRow("targets shell") << SettingsField::LoraTargets << "q_proj; rm -rf" << "" << "not a module name";
        QTest::newRow("runtime hours") << SettingsField::MaxRuntime << "6h" << "6h" << "";
        QTest::newRow("runtime mixed") << SettingsField::MaxRuntime << "1h30m" << "1h30m" << "";
        QTest::newRow("runtime minutes") << SettingsField::MaxRuntime << "90" << "1h30m" << "";
        QTest::newRow("runtime days") << SettingsField::MaxRuntime << "2d" << "2d" << "";
        QTest::newRow("runtime none") << SettingsField::MaxRuntime << "" << "" << "";
        QTest::newRow("runtime too short") << SettingsField::MaxRuntime << "5m" << "" << "at least 10 minutes";
        QTest::newRow("runtime garbage") << SettingsField::MaxRuntime << "soon" << "" << "such as 90m";
    }

    void typedValues()
    {
        QFETCH(SettingsField, field);
        QFETCH(QString, typed);
        QFETCH(QString, shown);
        QFETCH(QString, says);
        TrainingSettings settings = preset(Method::Lora, 8'000'000'000);
        const TrainingSettings before = settings;
        const std::optional<QString> problem = setField(settings, field, typed);
        if (says.isEmpty()) {
            QVERIFY2(!problem, qPrintable(problem.value_or(QString())));
            QCOMPARE(cost::fieldText(settings, field), shown);
        } else {
            QVERIFY(problem);
            QVERIFY2(problem->contains(says), qPrintable(*problem));
            QCOMPARE(cost::fieldText(settings, field), cost::fieldText(before, field)); // unchanged
        }
    }

    void advice()
    {
        TrainingSettings full = preset(Method::FullMixed, 8'000'000'000);
        QVERIFY(!setField(full, SettingsField::LearningRate, QStringLiteral("2e-4")));
        QList<SettingsAdvice> advice = adviseSettings(full);
        QCOMPARE(advice.size(), 1);
        QCOMPARE(advice.first().field, SettingsField::LearningRate);
        QVERIFY(advice.first().text.contains(QStringLiteral("full fine-tune")));

        TrainingSettings lora = preset(Method::Lora, 8'000'000'000);
        lora.learningRate = 1e-6;
        lora.loraAlpha = 16 * lora.loraRank;
        lora.sequenceLength = 65536;
        advice = adviseSettings(lora);
        QCOMPARE(advice.size(), 3);
    }

    void outputRepos_data()
    {
        QTest::addColumn<QString>("repo");
        QTest::addColumn<bool>("valid");
        QTest::newRow("empty") << "" << true;
        QTest::newRow("own namespace") << "qwen-support-lora" << true;
        QTest::newRow("organisation") << "my-org/qwen-support-lora" << true;
        QTest::newRow("spaces") << "my org/x" << false;
        QTest::newRow("two slashes") << "a/b/c" << false;
        QTest::newRow("double dash") << "my--org/x" << false;
    }

    void outputRepos()
    {
        QFETCH(QString, repo);
        QFETCH(bool, valid);
        QCOMPARE(!outputRepoProblem(repo).has_value(), valid);
    }

    void preferredOffers()
    {
        const catalog::Catalog catalog = catalog::Catalog::load(test::isolatedRoot() + QStringLiteral("/no-sky-catalogs"));
        ModelFacts model;
        model.id = QStringLiteral("Qwen/Qwen2.5-0.5B-Instruct");
        model.parameters = 494'032'768;
        DatasetFacts data;
        data.id = QStringLiteral("HuggingFaceH4/ultrachat_200k");
        data.rows = 207'865;
        data.tokensPerRow = 1400;
        const PlanEstimate estimate = priceFacts(catalog, model, data, preset(Method::Lora, model.parameters), {}, {}, 0.0);
        const CostTable &table = estimate.table;
        QVERIFY(table.cheapest());

        const qsizetype onDemand = preferredOffer(table, OfferPreference::fromSpotSetting({}, {}, QStringLiteral("on-demand")));
        QVERIFY(onDemand >= 0);
        QVERIFY(!table.offers.at(onDemand).spot);
        QVERIFY(table.offers.at(onDemand).launchable && table.offers.at(onDemand).fitsInMemory());
        for (const OfferEstimate &offer : table.offers) {
            if (offer.launchable && offer.fitsInMemory() && !offer.spot)
                QVERIFY(offer.costUsd.expected >= table.offers.at(onDemand).costUsd.expected);
        }

        const qsizetype spotOnly = preferredOffer(table, OfferPreference::fromSpotSetting({}, {}, QStringLiteral("spot-only")));
        QVERIFY(spotOnly >= 0);
        QVERIFY(table.offers.at(spotOnly).spot);

        const qsizetype h200 = preferredOffer(table, OfferPreference::fromSpotSetting(QStringLiteral("h200"), QStringLiteral("us-central1"),
                                                                                      QStringLiteral("on-demand")));
        QVERIFY(h200 >= 0);
        QCOMPARE(table.offers.at(h200).instance.accelerator, QStringLiteral("H200"));
        QCOMPARE(table.offers.at(h200).instance.region, QStringLiteral("us-central1"));

        // A GPU with no fitting offer falls back to the cheapest of any GPU.
        const qsizetype unknown = preferredOffer(table, OfferPreference::fromSpotSetting(QStringLiteral("TPU"), {}, QStringLiteral("on-demand")));
        QCOMPARE(unknown, onDemand);
        QCOMPARE(preferredOffer(CostTable{}, OfferPreference{}), qsizetype(-1));
    }
};

VIBEML_TEST_MAIN_CORE(TestTrainingPresets)
#include "tst_trainingpresets.moc"
