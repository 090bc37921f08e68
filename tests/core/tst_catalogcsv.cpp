#include "TestSupport.h"
#include "catalog/Catalog.h"
#include "catalog/GpuSpecs.h"

#include <QElapsedTimer>
#include <QRandomGenerator>

#include <cmath>

using namespace vibeml::catalog;

namespace {

const QByteArray kHeader
    = "InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,Price,Region,GpuInfo,SpotPrice\r\n";
const QByteArray kGpuInfoH100
    = "\"{'Gpus': [{'Name': 'H100', 'Manufacturer': 'NVIDIA', 'Count': 8, 'MemoryInfo': {'SizeInMiB': 81920}}], "
      "'TotalGpuMemoryInMiB': 655360}\"";
const QByteArray kGoodRow
    = "gpu-h100-sxm_8gpu-128vcpu-1600gb,H100,8,128,1600,23.60,eu-north1," + kGpuInfoH100 + ",10.00\r\n";
const QByteArray kCpuRow = "cpu-d3_4vcpu-16gb,,0,4,16,0.0992,eu-north1,,\r\n";

QByteArray bundled(const char *file)
{
    return vibeml::test::readFile(QStringLiteral(":/vibeml/catalogs/") + QLatin1String(file));
}

QString problemsText(const CatalogParse &parse)
{
    return parse.problems.join(u'\n');
}

} // namespace

class TestCatalogCsv : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bundledCatalogs_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<QString>("cloud");
        QTest::addColumn<int>("offers");
        QTest::addColumn<int>("cpuRows");
        QTest::addColumn<int>("withSpot");

        QTest::newRow("nebius v8") << bundled("nebius-vms.csv") << "nebius" << 21 << 40 << 8;
        QTest::newRow("lambda v8") << bundled("lambda-vms.csv") << "lambda" << 374 << 34 << 0;
        QTest::newRow("nebius v9") << vibeml::test::readFile(
            vibeml::test::dataPath(QStringLiteral("catalogs/nebius-vms-v9.csv")))
                                   << "nebius" << 22 << 52 << 10;
    }

    void bundledCatalogs()
    {
        QFETCH(QByteArray, csv);
        QFETCH(QString, cloud);
        QFETCH(int, offers);
        QFETCH(int, cpuRows);
        QFETCH(int, withSpot);

        QVERIFY(csv.contains("\r\n"));
        const CatalogParse parse = parseCatalogCsv(csv, cloud);
        QVERIFY2(parse.problems.isEmpty(), qPrintable(problemsText(parse)));
        QCOMPARE(parse.skippedRows, 0);
        QCOMPARE(parse.offers.size(), offers);
        QCOMPARE(parse.cpuRows, cpuRows);
        int spot = 0;
        for (const InstanceOffer &offer : parse.offers) {
            QCOMPARE(offer.cloud, cloud);
            QVERIFY(!offer.instanceType.isEmpty() && !offer.region.isEmpty() && !offer.accelerator.isEmpty());
            QVERIFY(!offer.instanceType.endsWith(u'\r') && !offer.region.endsWith(u'\r'));
            QVERIFY(offer.acceleratorCount >= 1 && offer.acceleratorCount <= 8);
            QVERIFY(offer.pricePerHour > 0);
            QVERIFY(offer.vcpus > 0 && offer.hostMemoryGiB > 0);
            // Per GPU, from GpuInfo or (v9, where SizeInMiB is 0) from the spec table.
            const std::optional<GpuSpec> spec = gpuSpec(offer.accelerator, offer.instanceType);
            QVERIFY(spec);
            QCOMPARE(offer.gpuMemoryGiB, spec->memoryGiB);
            if (offer.spotPricePerHour) {
                ++spot;
                QVERIFY(*offer.spotPricePerHour > 0 && *offer.spotPricePerHour < offer.pricePerHour);
            }
        }
        QCOMPARE(spot, withSpot);
    }

    void nebiusRowsAsListed()
    {
        const CatalogParse parse = parseCatalogCsv(bundled("nebius-vms.csv"), QStringLiteral("nebius"));
        QVERIFY(!parse.offers.isEmpty());
        const InstanceOffer &h100 = parse.offers.at(1);
        QCOMPARE(h100.instanceType, QStringLiteral("gpu-h100-sxm_8gpu-128vcpu-1600gb"));
        QCOMPARE(h100.accelerator, QStringLiteral("H100"));
        QCOMPARE(h100.acceleratorCount, 8);
        QCOMPARE(h100.region, QStringLiteral("eu-north1"));
        QCOMPARE(h100.vcpus, 128.0);
        QCOMPARE(h100.hostMemoryGiB, 1600.0);
        QCOMPARE(h100.gpuMemoryGiB, 80.0);
        QCOMPARE(h100.pricePerHour, 23.60);
        QCOMPARE(h100.spotPricePerHour.value_or(-1), 10.0);
        const InstanceOffer &b200 = parse.offers.at(18);
        QCOMPARE(b200.instanceType, QStringLiteral("gpu-b200-sxm_8gpu-160vcpu-1792gb"));
        QCOMPARE(b200.region, QStringLiteral("us-central1"));
        QCOMPARE(b200.gpuMemoryGiB, 180.0);
        QVERIFY(!b200.spotPricePerHour);
    }

    void lambdaCountsWrittenAsDecimals()
    {
        const CatalogParse parse = parseCatalogCsv(bundled("lambda-vms.csv"), QStringLiteral("lambda"));
        const auto found = std::find_if(parse.offers.begin(), parse.offers.end(), [](const InstanceOffer &offer) {
            return offer.instanceType == QLatin1String("gpu_8x_v100") && offer.region == QLatin1String("us-east-1");
        });
        QVERIFY(found != parse.offers.end());
        QCOMPARE(found->acceleratorCount, 8);
        QCOMPARE(found->vcpus, 92.0);
        QCOMPARE(found->gpuMemoryGiB, 16.0);
        QVERIFY(!found->spotPricePerHour);
    }

    void v9MemoryComesFromSpecs()
    {
        const QByteArray csv
            = vibeml::test::readFile(vibeml::test::dataPath(QStringLiteral("catalogs/nebius-vms-v9.csv")));
        QVERIFY(csv.contains("'SizeInMiB': 0"));
        const CatalogParse parse = parseCatalogCsv(csv, QStringLiteral("nebius"));
        QCOMPARE(parse.offers.size(), 22);
        QHash<QString, double> memory;
        for (const InstanceOffer &offer : parse.offers)
            memory.insert(offer.accelerator, offer.gpuMemoryGiB);
        QCOMPARE(memory.value(QStringLiteral("H100")), 80.0);
        QCOMPARE(memory.value(QStringLiteral("H200")), 141.0);
        QCOMPARE(memory.value(QStringLiteral("B200")), 180.0);
        QCOMPARE(memory.value(QStringLiteral("L40S")), 48.0);
    }

    // One CSV in, what survives out. `problem` is a piece of the first problem line ("" = none).
    void rows_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<int>("offers");
        QTest::addColumn<int>("cpuRows");
        QTest::addColumn<int>("skipped");
        QTest::addColumn<QString>("problem");

        const QByteArray lf = QByteArray(kHeader + kGoodRow + kCpuRow).replace("\r\n", "\n");
        QTest::newRow("CRLF") << QByteArray(kHeader + kGoodRow + kCpuRow) << 1 << 1 << 0 << "";
        QTest::newRow("LF") << lf << 1 << 1 << 0 << "";
        QTest::newRow("no final newline") << QByteArray(kHeader + kGoodRow).chopped(2) << 1 << 0 << 0 << "";
        QTest::newRow("lone CR") << QByteArray(kHeader + kGoodRow + kCpuRow).replace("\r\n", "\r") << 1 << 1 << 0 << "";
        QTest::newRow("UTF-8 BOM") << QByteArray("\xEF\xBB\xBF" + kHeader + kGoodRow) << 1 << 0 << 0 << "";
        QTest::newRow("blank lines") << QByteArray("\r\n" + kHeader + "\r\n\r\n" + kGoodRow + "\n  \r\n" + kCpuRow
                                                   + "\r\n")
                                     << 1 << 1 << 0 << "";
        QTest::newRow("header only") << kHeader << 0 << 0 << 0 << "";
        QTest::newRow("CPU rows only") << QByteArray(kHeader + kCpuRow + kCpuRow) << 0 << 2 << 0 << "";
        QTest::newRow("count 8.0") << QByteArray(kHeader + "gpu_8x,V100,8.0,92.0,448.0,6.32,us-east-1,,\r\n") << 1 << 0
                                   << 0 << "";
        QTest::newRow("quoted plain fields")
            << QByteArray(kHeader + "\"gpu_8x\",\"V100\",\"8\",92,448,\"6.32\",\"us-east-1\",,\r\n") << 1 << 0 << 0
            << "";
        QTest::newRow("newline inside quotes")
            << QByteArray(kHeader + "gpu_8x,V100,8,92,448,6.32,us-east-1,\"{'a':\r\n 1}\",\r\n" + kGoodRow) << 2 << 0
            << 0 << "";
        QTest::newRow("wrong field count") << QByteArray(kHeader + "gpu_8x,V100,8,92,448,6.32\r\n" + kGoodRow) << 1 << 0
                                           << 1 << "line 2: expected 9 fields, found 6";
        QTest::newRow("extra field") << QByteArray(kHeader + "gpu_8x,V100,8,92,448,6.32,us-east-1,,,\r\n") << 0 << 0
                                     << 1 << "expected 9 fields, found 10";
        QTest::newRow("price not a number") << QByteArray(kHeader + "gpu_8x,V100,8,92,448,abc,us-east-1,,\r\n") << 0
                                            << 0 << 1 << "line 2: Price \"abc\" is not a number";
        QTest::newRow("price empty") << QByteArray(kHeader + "gpu_8x,V100,8,92,448,,us-east-1,,\r\n") << 0 << 0 << 1
                                     << "Price \"\" is not a number";
        QTest::newRow("price negative") << QByteArray(kHeader + "gpu_8x,V100,8,92,448,-1.5,us-east-1,,\r\n") << 0 << 0
                                        << 1 << "Price \"-1.5\" is not above zero";
        QTest::newRow("price zero") << QByteArray(kHeader + "gpu_8x,V100,8,92,448,0,us-east-1,,\r\n") << 0 << 0 << 1
                                    << "is not above zero";
        QTest::newRow("price nan") << QByteArray(kHeader + "gpu_8x,V100,8,92,448,nan,us-east-1,,\r\n") << 0 << 0 << 1
                                   << "Price \"nan\" is not a number";
        QTest::newRow("price inf") << QByteArray(kHeader + "gpu_8x,V100,8,92,448,inf,us-east-1,,\r\n") << 0 << 0 << 1
                                   << "Price \"inf\" is not a number";
        QTest::newRow("price overflows") << QByteArray(kHeader + "gpu_8x,V100,8,92,448,1e999,us-east-1,,\r\n") << 0 << 0
                                         << 1 << "is not a number";
        QTest::newRow("price with unit") << QByteArray(kHeader + "gpu_8x,V100,8,92,448,6.32$,us-east-1,,\r\n") << 0 << 0
                                         << 1 << "is not a number";
        QTest::newRow("count 1.5") << QByteArray(kHeader + "gpu_8x,V100,1.5,92,448,6.32,us-east-1,,\r\n") << 0 << 0 << 1
                                   << "AcceleratorCount \"1.5\" is not a positive whole number";
        QTest::newRow("count 0 on a GPU row") << QByteArray(kHeader + "gpu_8x,V100,0,92,448,6.32,us-east-1,,\r\n") << 0
                                              << 0 << 1 << "AcceleratorCount \"0\"";
        QTest::newRow("count negative") << QByteArray(kHeader + "gpu_8x,V100,-8,92,448,6.32,us-east-1,,\r\n") << 0 << 0
                                        << 1 << "AcceleratorCount \"-8\"";
        QTest::newRow("count huge") << QByteArray(kHeader + "gpu_8x,V100,1e12,92,448,6.32,us-east-1,,\r\n") << 0 << 0
                                    << 1 << "AcceleratorCount \"1e12\"";
        QTest::newRow("count empty") << QByteArray(kHeader + "gpu_8x,V100,,92,448,6.32,us-east-1,,\r\n") << 0 << 0 << 1
                                     << "AcceleratorCount \"\"";
        QTest::newRow("region empty") << QByteArray(kHeader + "gpu_8x,V100,8,92,448,6.32,,,\r\n") << 0 << 0 << 1
                                      << "line 2: Region is empty";
        QTest::newRow("instance type empty") << QByteArray(kHeader + ",V100,8,92,448,6.32,us-east-1,,\r\n") << 0 << 0
                                             << 1 << "line 2: InstanceType is empty";
        QTest::newRow("spot not a number keeps the row")
            << QByteArray(kHeader + "gpu_8x,V100,8,92,448,6.32,us-east-1,,n/a\r\n") << 1 << 0 << 0
            << "line 2: SpotPrice \"n/a\" is not a price";
        QTest::newRow("vCPUs garbage keeps the row")
            << QByteArray(kHeader + "gpu_8x,V100,8,lots,448,6.32,us-east-1,,\r\n") << 1 << 0 << 0 << "";
        QTest::newRow("unknown GPU without memory") << QByteArray(kHeader + "x1,MI300X,8,92,448,6.32,us-east-1,,\r\n")
                                                    << 1 << 0 << 0 << "no memory size is known for MI300X";
        QTest::newRow("missing Price column") << QByteArray(
            "InstanceType,AcceleratorName,AcceleratorCount,Region\r\ngpu_8x,V100,8,us-east-1\r\nc,,0,x\r\n")
                                              << 0 << 0 << 2 << "line 1: the header has no Price column";
        QTest::newRow("missing two columns")
            << QByteArray("InstanceType,AcceleratorName,AcceleratorCount\r\ngpu_8x,V100,8\r\n") << 0 << 0 << 1
            << "no Price, Region column";
        QTest::newRow("header names are case-sensitive") << QByteArray(kHeader.toLower() + kGoodRow) << 0 << 0 << 1
                                                         << "the header has no InstanceType, AcceleratorName";
        QTest::newRow("error on a later line")
            << QByteArray(kHeader + kGoodRow + kCpuRow + "gpu_8x,V100,8,92,448,x,us,,\r\n") << 1 << 1 << 1
            << "line 4: ";
        QTest::newRow("line numbers count quoted newlines")
            << QByteArray(kHeader + "a,V100,8,92,448,1,r,\"x\r\ny\",\r\n" + "gpu_8x,V100,8,92,448,x,us,,\r\n") << 1 << 0
            << 1 << "line 4: ";
        // Hostile and broken input: never a crash, never a made-up offer.
        QTest::newRow("empty") << QByteArray() << 0 << 0 << 0 << "the file is empty";
        QTest::newRow("only a BOM") << QByteArray("\xEF\xBB\xBF") << 0 << 0 << 0 << "the file is empty";
        QTest::newRow("only blank lines") << QByteArray("\r\n\n\r\n") << 0 << 0 << 0 << "the file is empty";
        QTest::newRow("truncated mid-row") << QByteArray(kHeader + kGoodRow + kGoodRow.left(39)) << 1 << 0 << 1
                                           << "line 3: expected 9 fields, found 3";
        QTest::newRow("truncated inside quotes") << QByteArray(kHeader + kGoodRow + kGoodRow.left(90)) << 1 << 0 << 1
                                                 << "line 3: a quoted field is never closed";
        QTest::newRow("truncated header") << kHeader.left(30) << 0 << 0 << 0 << "the header has no";
        QTest::newRow("stray quote in a field")
            << QByteArray(kHeader + "gpu\"8x,V100,8,92,448,6.32,us-east-1,,\r\n") << 1 << 0 << 0 << "";
        QTest::newRow("NUL bytes") << QByteArray(kHeader
                                                 + QByteArray("gpu#x,V100,8,92,448,6#.3,us,,\r\n").replace('#', '\0'))
                                   << 0 << 0 << 1 << "Price \"6?.3\" is not a number";
        QTest::newRow("invalid UTF-8") << QByteArray(kHeader + "gpu\xff\xfe,V100,8,92,448,\xc3(,us,,\r\n") << 0 << 0
                                       << 1 << "is not a number";
        QTest::newRow("GpuInfo without SizeInMiB")
            << QByteArray(kHeader + "gpu_8x,V100,8,92,448,6.32,us-east-1,\"{'Gpus': }\",\r\n") << 1 << 0 << 0 << "";
        QTest::newRow("GpuInfo SizeInMiB at the very end")
            << QByteArray(kHeader + "gpu_8x,V100,8,92,448,6.32,us-east-1,SizeInMiB,\r\n") << 1 << 0 << 0 << "";
    }

    void rows()
    {
        QFETCH(QByteArray, csv);
        QFETCH(int, offers);
        QFETCH(int, cpuRows);
        QFETCH(int, skipped);
        QFETCH(QString, problem);

        const CatalogParse parse = parseCatalogCsv(csv, QStringLiteral("nebius"));
        QCOMPARE(parse.offers.size(), offers);
        QCOMPARE(parse.cpuRows, cpuRows);
        QCOMPARE(parse.skippedRows, skipped);
        if (problem.isEmpty())
            QVERIFY2(parse.problems.isEmpty(), qPrintable(problemsText(parse)));
        else
            QVERIFY2(parse.problems.value(0).contains(problem), qPrintable(problemsText(parse)));
        for (const InstanceOffer &offer : parse.offers) {
            QVERIFY(offer.pricePerHour > 0 && std::isfinite(offer.pricePerHour));
            QVERIFY(offer.acceleratorCount > 0);
        }
    }

    void quotingFollowsRfc4180()
    {
        const QByteArray csv = kHeader
            + "\"gpu,\"\"odd\"\"\",H100,8,128,1600,23.60,\"eu-north1\",\"{'Gpus': [], 'MemoryInfo': "
              "{'SizeInMiB': 81920}}\",\"10.00\"\r\n";
        const CatalogParse parse = parseCatalogCsv(csv, QStringLiteral("nebius"));
        QVERIFY2(parse.problems.isEmpty(), qPrintable(problemsText(parse)));
        QCOMPARE(parse.offers.size(), 1);
        QCOMPARE(parse.offers.at(0).instanceType, QStringLiteral("gpu,\"odd\""));
        QCOMPARE(parse.offers.at(0).region, QStringLiteral("eu-north1"));
        QCOMPARE(parse.offers.at(0).gpuMemoryGiB, 80.0);
        QCOMPARE(parse.offers.at(0).spotPricePerHour.value_or(-1), 10.0);
    }

    void runpodColumnOrder()
    {
        const QByteArray csv
            = "InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,Region,SpotPrice,Price,AvailabilityZone,"
              "GpuInfo\n"
              "1x_A100-80GB_SECURE,A100-80GB,1,8,80,CA,0.89,1.39,CA-MTL-1,\"{'Gpus': [{'Name': 'A100-80GB', "
              "'Manufacturer': "
              "'NVIDIA', 'Count': 1, 'MemoryInfo': {'SizeInMiB': 81920}}], 'TotalGpuMemoryInMiB': 81920}\"\n"
              "1x_A100-80GB_COMMUNITY,A100-80GB,1,8,80,CZ,,1.19,CZ-1,\n";
        const CatalogParse parse = parseCatalogCsv(csv, QStringLiteral("runpod"));
        QVERIFY2(parse.problems.isEmpty(), qPrintable(problemsText(parse)));
        QCOMPARE(parse.offers.size(), 2);
        const InstanceOffer &secure = parse.offers.at(0);
        QCOMPARE(secure.cloud, QStringLiteral("runpod"));
        QCOMPARE(secure.region, QStringLiteral("CA"));
        QCOMPARE(secure.pricePerHour, 1.39);
        QCOMPARE(secure.spotPricePerHour.value_or(-1), 0.89);
        QCOMPARE(secure.gpuMemoryGiB, 80.0);
        QCOMPARE(secure.vcpus, 8.0);
        QVERIFY(!parse.offers.at(1).spotPricePerHour);
        QCOMPARE(parse.offers.at(1).gpuMemoryGiB, 80.0); // no GpuInfo: from the spec table
    }

    void onlyTheRequiredColumns()
    {
        const QByteArray csv = "Region,Price,AcceleratorCount,AcceleratorName,InstanceType\nus,2.5,2,L40S,l40s-x2\n";
        const CatalogParse parse = parseCatalogCsv(csv, QStringLiteral("other"));
        QVERIFY2(parse.problems.isEmpty(), qPrintable(problemsText(parse)));
        QCOMPARE(parse.offers.size(), 1);
        QCOMPARE(parse.offers.at(0).acceleratorCount, 2);
        QCOMPARE(parse.offers.at(0).gpuMemoryGiB, 48.0);
        QCOMPARE(parse.offers.at(0).vcpus, 0.0);
        QVERIFY(!parse.offers.at(0).spotPricePerHour);
    }

    void onlyTheFirstTenProblemsAreKept()
    {
        QByteArray csv = kHeader;
        for (int i = 0; i < 50; ++i)
            csv += "gpu_8x,V100,8,92,448,bad" + QByteArray::number(i) + ",us-east-1,,\r\n";
        csv += kGoodRow;
        const CatalogParse parse = parseCatalogCsv(csv, QStringLiteral("nebius"));
        QCOMPARE(parse.skippedRows, 50);
        QCOMPARE(parse.offers.size(), 1);
        QCOMPARE(parse.problems.size(), 10);
        QVERIFY(parse.problems.front().startsWith(QLatin1String("line 2: Price \"bad0\"")));
        QVERIFY(parse.problems.back().startsWith(QLatin1String("line 11: ")));
    }

    void longValuesAreCutInProblems()
    {
        const QByteArray csv = kHeader + "gpu_8x,V100,8,92,448," + QByteArray(100000, '9') + "x,us-east-1,,\r\n";
        const CatalogParse parse = parseCatalogCsv(csv, QStringLiteral("nebius"));
        QCOMPARE(parse.skippedRows, 1);
        QVERIFY2(parse.problems.value(0).size() < 120, qPrintable(parse.problems.value(0)));
    }

    // Large hostile inputs: each must finish, and quickly, without inventing offers.
    void hostile_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<int>("offers");

        QByteArray garbage(1 << 20, Qt::Uninitialized);
        auto *random = QRandomGenerator::global();
        for (char &byte : garbage)
            byte = char(random->bounded(256));
        QTest::newRow("1 MiB of random bytes") << garbage << 0;
        QTest::newRow("random bytes after a header") << QByteArray(kHeader + garbage) << 0;
        QTest::newRow("one 16 MiB line") << QByteArray(16 << 20, 'x') << 0;
        QTest::newRow("one 4 MiB line of commas") << QByteArray(kHeader + QByteArray(4 << 20, ',')) << 0;
        QTest::newRow("4 MiB of quotes") << QByteArray(kHeader + QByteArray(4 << 20, '"')) << 0;
        QTest::newRow("unclosed quote swallows the rest")
            << QByteArray(kHeader + "\"" + QByteArray("gpu_8x,V100,8,92,448,6.32,us-east-1,,\r\n").repeated(1000)) << 0;
        QTest::newRow("1 MiB of newlines") << QByteArray(1 << 20, '\n') << 0;
        QTest::newRow("100k GPU rows") << QByteArray(kHeader + kGoodRow.repeated(100000)) << 100000;
        QTest::newRow("100k CPU rows") << QByteArray(kHeader + kCpuRow.repeated(100000)) << 0;
    }

    void hostile()
    {
        QFETCH(QByteArray, csv);
        QFETCH(int, offers);
        const CatalogParse parse = parseCatalogCsv(csv, QStringLiteral("nebius"));
        QCOMPARE(parse.offers.size(), offers);
        QVERIFY(parse.problems.size() <= 10);
        for (const QString &problem : parse.problems)
            QVERIFY2(problem.size() < 200, qPrintable(problem.left(200)));
    }

    void bundledParseTime()
    {
        const QByteArray nebius = bundled("nebius-vms.csv");
        const QByteArray lambda = bundled("lambda-vms.csv");
        QElapsedTimer timer;
        timer.start();
        constexpr int kRounds = 20;
        qsizetype offers = 0;
        for (int i = 0; i < kRounds; ++i)
            offers += parseCatalogCsv(nebius, QStringLiteral("nebius")).offers.size()
                + parseCatalogCsv(lambda, QStringLiteral("lambda")).offers.size();
        QCOMPARE(offers, qsizetype(kRounds * (21 + 374)));
        qInfo("both bundled catalogs parse in %.3f ms", double(timer.nsecsElapsed()) / 1e6 / kRounds);
    }
};

VIBEML_TEST_MAIN_CORE(TestCatalogCsv)
#include "tst_catalogcsv.moc"
