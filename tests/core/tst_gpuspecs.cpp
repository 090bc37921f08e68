#include "TestSupport.h"
#include "catalog/Catalog.h"
#include "catalog/GpuSpecs.h"

#include <QSet>

using namespace vibeml::catalog;

namespace {

QList<InstanceOffer> bundledOffers()
{
    QList<InstanceOffer> offers;
    for (const auto &[cloud, file] : {std::pair {"nebius", ":/vibeml/catalogs/nebius-vms.csv"},
                                      std::pair {"lambda", ":/vibeml/catalogs/lambda-vms.csv"}}) {
        const QByteArray csv = vibeml::test::readFile(QLatin1String(file));
        offers.append(parseCatalogCsv(csv, QLatin1String(cloud)).offers);
    }
    return offers;
}

} // namespace

class TestGpuSpecs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyBundledAcceleratorHasASpec()
    {
        const QList<InstanceOffer> offers = bundledOffers();
        QVERIFY2(offers.size() > 300, "the bundled catalogs must be compiled into vibeml_core");
        for (const InstanceOffer &offer : offers) {
            const std::optional<GpuSpec> spec = gpuSpec(offer.accelerator, offer.instanceType);
            QVERIFY2(spec, qPrintable(QString(offer.accelerator + QStringLiteral(" (") + offer.instanceType + u')')));
            // The table and the catalogs agree on memory, so the v9 fallback gives the same answer.
            QVERIFY2(qFuzzyCompare(spec->memoryGiB, offer.gpuMemoryGiB),
                     qPrintable(QStringLiteral("%1: spec %2 GiB, catalog %3 GiB")
                                    .arg(offer.instanceType)
                                    .arg(spec->memoryGiB)
                                    .arg(offer.gpuMemoryGiB)));
        }
    }

    void figuresArePositiveAndNamed()
    {
        QSet<QString> seen;
        for (const GpuSpec &spec : allGpuSpecs()) {
            const QString id = spec.name + u'/' + spec.variant;
            QVERIFY2(!seen.contains(id), qPrintable(id));
            seen.insert(id);
            QVERIFY2(spec.memoryGiB > 0, qPrintable(id));
            QVERIFY2(spec.bf16DenseTflops > 0, qPrintable(id));
            QVERIFY2(spec.interconnectGBps > 0, qPrintable(id));
            QVERIFY2(!spec.interconnect.isEmpty(), qPrintable(id));
        }
        for (const char *required : {"H100", "H200", "B200", "L40S"})
            QVERIFY2(gpuSpec(QLatin1String(required)), required);
    }

    void lookup_data()
    {
        QTest::addColumn<QString>("accelerator");
        QTest::addColumn<QString>("instanceType");
        QTest::addColumn<QString>("variant");
        QTest::addColumn<double>("memoryGiB");
        QTest::addColumn<double>("tflops");
        QTest::addColumn<bool>("bf16");
        QTest::addColumn<double>("interconnectGBps");

        QTest::newRow("H100 SXM on Nebius") << "H100"
                                            << "gpu-h100-sxm_8gpu-128vcpu-1600gb"
                                            << "SXM" << 80.0 << 989.0 << true << 900.0;
        QTest::newRow("H100 SXM5 on Lambda") << "H100"
                                             << "gpu_8x_h100_sxm5"
                                             << "SXM" << 80.0 << 989.0 << true << 900.0;
        QTest::newRow("H100 PCIe on Lambda") << "H100"
                                             << "gpu_1x_h100_pcie"
                                             << "PCIe" << 80.0 << 756.0 << true << 128.0;
        QTest::newRow("H100 PCIe, odd case") << "h100"
                                             << "GPU_1X_H100_PCIE"
                                             << "PCIe" << 80.0 << 756.0 << true << 128.0;
        QTest::newRow("H100 without instance") << "H100"
                                               << ""
                                               << "SXM" << 80.0 << 989.0 << true << 900.0;
        QTest::newRow("H200") << "H200"
                              << "gpu-h200-sxm_1gpu-16vcpu-200gb"
                              << "SXM" << 141.0 << 989.0 << true << 900.0;
        QTest::newRow("B200") << "B200"
                              << "gpu_8x_b200_sxm6"
                              << "SXM" << 180.0 << 2250.0 << true << 1800.0;
        QTest::newRow("L40S, PCIe only") << "L40S"
                                         << "gpu-l40s-a_1gpu-8vcpu-32gb"
                                         << "" << 48.0 << 362.0 << true << 64.0;
        QTest::newRow("L40S named pcie") << "l40s"
                                         << "l40s-pcie"
                                         << "" << 48.0 << 362.0 << true << 64.0;
        QTest::newRow("A100 40 GB") << "A100"
                                    << "gpu_8x_a100"
                                    << "" << 40.0 << 312.0 << true << 600.0;
        QTest::newRow("A100 80 GB") << "a100-80gb"
                                    << "gpu_8x_a100_80gb_sxm4"
                                    << "" << 80.0 << 312.0 << true << 600.0;
        QTest::newRow("A10") << "A10"
                             << "gpu_1x_a10"
                             << "" << 24.0 << 125.0 << true << 64.0;
        QTest::newRow("A6000") << "A6000"
                               << "gpu_4x_a6000"
                               << "" << 48.0 << 154.8 << true << 64.0;
        QTest::newRow("GH200") << "GH200"
                               << "gpu_1x_gh200"
                               << "" << 96.0 << 989.0 << true << 900.0;
        QTest::newRow("RTX6000 (Turing, no bf16)") << "RTX6000"
                                                   << "gpu_1x_rtx6000"
                                                   << "" << 24.0 << 130.5 << false << 32.0;
        QTest::newRow("V100 (Volta, no bf16)") << "V100"
                                               << "gpu_8x_v100"
                                               << "SXM2" << 16.0 << 125.0 << false << 300.0;
    }

    void lookup()
    {
        QFETCH(QString, accelerator);
        QFETCH(QString, instanceType);
        QFETCH(QString, variant);
        QFETCH(double, memoryGiB);
        QFETCH(double, tflops);
        QFETCH(bool, bf16);
        QFETCH(double, interconnectGBps);

        const std::optional<GpuSpec> spec = gpuSpec(accelerator, instanceType);
        QVERIFY(spec);
        QVERIFY(spec->name.compare(accelerator, Qt::CaseInsensitive) == 0);
        QCOMPARE(spec->variant, variant);
        QCOMPARE(spec->memoryGiB, memoryGiB);
        QCOMPARE(spec->bf16DenseTflops, tflops);
        QCOMPARE(spec->supportsBf16, bf16);
        QCOMPARE(spec->interconnectGBps, interconnectGBps);
    }

    void pcieHasNoNvlink()
    {
        const std::optional<GpuSpec> pcie = gpuSpec(QStringLiteral("H100"), QStringLiteral("gpu_1x_h100_pcie"));
        const std::optional<GpuSpec> sxm = gpuSpec(QStringLiteral("H100"), QStringLiteral("gpu_1x_h100_sxm5"));
        QVERIFY(pcie && sxm);
        QVERIFY(pcie->interconnect.startsWith(QLatin1String("PCIe")));
        QVERIFY(sxm->interconnect.startsWith(QLatin1String("NVLink")));
        QVERIFY(pcie->bf16DenseTflops < sxm->bf16DenseTflops);
    }

    void unknownAcceleratorHasNone_data()
    {
        QTest::addColumn<QString>("accelerator");
        QTest::newRow("empty") << "";
        QTest::newRow("unknown") << "MI300X";
        QTest::newRow("prefix of a known name") << "H1";
        QTest::newRow("known name with suffix") << "H100-MEGA";
    }

    void unknownAcceleratorHasNone()
    {
        QFETCH(QString, accelerator);
        QVERIFY(!gpuSpec(accelerator, QStringLiteral("whatever_pcie")));
    }
};

VIBEML_TEST_MAIN_CORE(TestGpuSpecs)
#include "tst_gpuspecs.moc"
