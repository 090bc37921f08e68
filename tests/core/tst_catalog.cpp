#include "TestSupport.h"
#include "catalog/Catalog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <unistd.h>

using namespace vibeml::catalog;

namespace {

const QDateTime kSnapshotTime(QDate(2026, 11, 28), QTime(0, 0), Qt::UTC); // catalogs.json "asOf"
const QByteArray kCpuOnly
    = "InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,Price,Region,GpuInfo,SpotPrice\r\n"
      "cpu-d3_4vcpu-16gb,,0,4,16,0.0992,eu-north1,,\r\n";
const QByteArray kRunpod
    = "InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,Region,SpotPrice,Price,AvailabilityZone,GpuInfo\n"
      "1x_A100-80GB_SECURE,A100-80GB,1,8,80,CA,0.89,1.39,CA-MTL-1,\n"
      "2x_A100-80GB_SECURE,A100-80GB,2,16,160,CA,1.78,2.78,CA-MTL-1,\n";

int g_counter = 0;

// A fresh SkyPilot catalog folder under the test's private HOME, so paths show as ~/….
QString freshSkyDir()
{
    return QDir::homePath() + QStringLiteral("/sky-%1/catalogs/v8").arg(++g_counter);
}

QByteArray v9Catalog()
{
    return vibeml::test::readFile(vibeml::test::dataPath(QStringLiteral("catalogs/nebius-vms-v9.csv")));
}

// Writes <dir>/<cloud>/vms.csv and gives it the modification time SkyPilot's fetch would have.
bool writeUserCopy(const QString &dir, const QString &cloud, const QByteArray &csv, const QDateTime &modified)
{
    const QString path = dir + u'/' + cloud + QStringLiteral("/vms.csv");
    if (!vibeml::test::writeFile(path, csv))
        return false;
    QFile file(path);
    return file.open(QIODevice::ReadWrite) && file.setFileTime(modified, QFileDevice::FileModificationTime);
}

} // namespace

class TestCatalog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bundledSnapshotsWithoutSkyPilot()
    {
        const Catalog catalog = Catalog::load(freshSkyDir());
        QCOMPARE(catalog.clouds(), (QStringList {QStringLiteral("lambda"), QStringLiteral("nebius")}));
        QCOMPARE(catalog.offers().size(), 21 + 374);
        QCOMPARE(catalog.offers(QStringLiteral("nebius")).size(), 21);
        QCOMPARE(catalog.offers(QStringLiteral("lambda")).size(), 374);
        QVERIFY(catalog.offers(QStringLiteral("aws")).isEmpty());
        QVERIFY(catalog.isLaunchable(QStringLiteral("nebius")));
        QVERIFY(!catalog.isLaunchable(QStringLiteral("lambda")));
        QVERIFY(!catalog.isLaunchable(QStringLiteral("aws")));
        QVERIFY(!catalog.source(QStringLiteral("aws")));

        const std::optional<CatalogSource> nebius = catalog.source(QStringLiteral("nebius"));
        QVERIFY(nebius);
        QCOMPARE(nebius->path, QStringLiteral(":/vibeml/catalogs/nebius-vms.csv"));
        QVERIFY(!nebius->userCopy);
        QCOMPARE(nebius->asOf, kSnapshotTime);
        QVERIFY(nebius->launchable);
        QCOMPARE(nebius->offers, 21);
        QCOMPARE(nebius->skippedRows, 0);
        QVERIFY2(nebius->note.isEmpty(), qPrintable(nebius->note));
        QCOMPARE(nebius->describe(kSnapshotTime.addDays(12)),
                 QStringLiteral("Nebius: bundled snapshot of 2026-11-28 (12 days old)"));

        const std::optional<CatalogSource> lambda = catalog.source(QStringLiteral("lambda"));
        QVERIFY(lambda);
        QVERIFY(!lambda->launchable);
        QCOMPARE(lambda->offers, 374);
    }

    void userCopy_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<QDateTime>("modified");
        QTest::addColumn<bool>("used");
        QTest::addColumn<int>("offers");
        QTest::addColumn<QString>("note");

        QTest::newRow("newer and readable") << v9Catalog() << kSnapshotTime.addDays(3) << true << 22 << "";
        QTest::newRow("same day as the snapshot")
            << v9Catalog() << kSnapshotTime.addSecs(10 * 3600) << true << 22 << "";
        QTest::newRow("older")
            << v9Catalog() << kSnapshotTime.addDays(-30) << false << 21
            << "vms.csv is older than the bundled snapshot of 2026-11-28; using the bundled snapshot";
        QTest::newRow("only CPU rows") << kCpuOnly << kSnapshotTime.addDays(3) << false << 21
                                       << "vms.csv has no readable GPU rows; using the bundled snapshot";
        QTest::newRow("empty") << QByteArray() << kSnapshotTime.addDays(3) << false << 21 << "has no readable GPU rows";
        QTest::newRow("garbage") << QByteArray("\x7f"
                                               "ELF\x02\x01\x01\0\0\0 not a catalog",
                                               24)
                                 << kSnapshotTime.addDays(3) << false << 21 << "has no readable GPU rows";
        QTest::newRow("truncated") << v9Catalog().left(2000) << kSnapshotTime.addDays(3) << false << 21
                                   << "has no readable GPU rows";
    }

    void userCopy()
    {
        QFETCH(QByteArray, csv);
        QFETCH(QDateTime, modified);
        QFETCH(bool, used);
        QFETCH(int, offers);
        QFETCH(QString, note);

        const QString dir = freshSkyDir();
        QVERIFY(writeUserCopy(dir, QStringLiteral("nebius"), csv, modified));
        const Catalog catalog = Catalog::load(dir);
        const std::optional<CatalogSource> nebius = catalog.source(QStringLiteral("nebius"));
        QVERIFY(nebius);
        QCOMPARE(nebius->userCopy, used);
        QCOMPARE(nebius->offers, offers);
        QCOMPARE(catalog.offers(QStringLiteral("nebius")).size(), offers);
        QVERIFY(nebius->launchable);
        if (used) {
            QCOMPARE(nebius->path, dir + QStringLiteral("/nebius/vms.csv"));
            QCOMPARE(nebius->asOf, modified);
            QVERIFY2(nebius->note.isEmpty(), qPrintable(nebius->note));
        } else {
            QCOMPARE(nebius->path, QStringLiteral(":/vibeml/catalogs/nebius-vms.csv"));
            QCOMPARE(nebius->asOf, kSnapshotTime);
            QVERIFY2(nebius->note.startsWith(QStringLiteral("~/sky-")), qPrintable(nebius->note));
            QVERIFY2(nebius->note.contains(note), qPrintable(nebius->note));
        }
        // The other cloud is untouched.
        QCOMPARE(catalog.source(QStringLiteral("lambda"))->offers, 374);
    }

    void noteNamesTheDefaultLocation()
    {
        const QString dir = Catalog::defaultSkyCatalogDir();
        QCOMPARE(dir, QDir::homePath() + QStringLiteral("/.sky/catalogs/v8"));
        QVERIFY(writeUserCopy(dir, QStringLiteral("nebius"), kCpuOnly, kSnapshotTime.addDays(3)));
        const Catalog catalog = Catalog::load();
        QDir(QDir::homePath() + QStringLiteral("/.sky")).removeRecursively();
        QCOMPARE(
            catalog.source(QStringLiteral("nebius"))->note,
            QStringLiteral("~/.sky/catalogs/v8/nebius/vms.csv has no readable GPU rows; using the bundled snapshot"));
    }

    void unreadableUserCopy()
    {
        if (::geteuid() == 0)
            QSKIP("root reads files whatever their permissions");
        const QString dir = freshSkyDir();
        QVERIFY(writeUserCopy(dir, QStringLiteral("nebius"), v9Catalog(), kSnapshotTime.addDays(3)));
        QVERIFY(QFile::setPermissions(dir + QStringLiteral("/nebius/vms.csv"), QFileDevice::WriteOwner));
        const Catalog catalog = Catalog::load(dir);
        const std::optional<CatalogSource> nebius = catalog.source(QStringLiteral("nebius"));
        QVERIFY(nebius && !nebius->userCopy);
        QCOMPARE(nebius->offers, 21);
        QVERIFY2(nebius->note.contains(QStringLiteral("cannot be read")), qPrintable(nebius->note));
    }

    void otherCloudsAreCompareOnly()
    {
        const QString dir = freshSkyDir();
        QVERIFY(writeUserCopy(dir, QStringLiteral("runpod"), kRunpod, kSnapshotTime.addDays(-300)));
        QVERIFY(writeUserCopy(dir, QStringLiteral("aws"), kCpuOnly, kSnapshotTime.addDays(1)));
        QVERIFY(vibeml::test::writeFile(dir + QStringLiteral("/common/accelerators.csv"), "not a vms catalog\n"));
        QVERIFY(QDir().mkpath(dir + QStringLiteral("/gcp")));

        Catalog catalog = Catalog::load(dir);
        QCOMPARE(catalog.clouds(),
                 (QStringList {QStringLiteral("lambda"), QStringLiteral("nebius"), QStringLiteral("runpod")}));
        const std::optional<CatalogSource> runpod = catalog.source(QStringLiteral("runpod"));
        QVERIFY(runpod);
        QVERIFY(runpod->userCopy);
        QVERIFY(!runpod->launchable);
        QCOMPARE(runpod->offers, 2);
        QCOMPARE(runpod->asOf, kSnapshotTime.addDays(-300)); // no snapshot to be newer than
        const QList<InstanceOffer> offers = catalog.offers(QStringLiteral("runpod"));
        QCOMPARE(offers.size(), 2);
        QCOMPARE(offers.at(1).pricePerHour, 2.78);
        QCOMPARE(offers.at(1).gpuMemoryGiB, 80.0);
        QVERIFY(!catalog.isLaunchable(QStringLiteral("runpod")));

        // `sky check` enables RunPod and Lambda: their offers may launch; Nebius always may.
        catalog.setEnabledClouds({QStringLiteral("RunPod"), QStringLiteral("lambda")});
        QVERIFY(catalog.isLaunchable(QStringLiteral("runpod")));
        QVERIFY(catalog.isLaunchable(QStringLiteral("lambda")));
        QVERIFY(catalog.isLaunchable(QStringLiteral("nebius")));
        QVERIFY(catalog.source(QStringLiteral("runpod"))->launchable);

        catalog.setEnabledClouds({});
        QVERIFY(!catalog.isLaunchable(QStringLiteral("runpod")));
        QVERIFY(!catalog.isLaunchable(QStringLiteral("lambda")));
        QVERIFY(catalog.isLaunchable(QStringLiteral("nebius")));
    }

    void brokenBundledDirectory()
    {
        // No manifest: nothing to offer, nothing crashes.
        const Catalog none
            = Catalog::load(freshSkyDir(), vibeml::test::isolatedRoot() + QStringLiteral("/no-such-dir"));
        QVERIFY(none.sources().isEmpty());
        QVERIFY(none.offers().isEmpty());

        // A manifest naming a file that is not there: the cloud is listed, with no offers and a note,
        // unless the user's own copy stands in.
        const QString bundledDir = vibeml::test::isolatedRoot() + QStringLiteral("/bundled-%1").arg(++g_counter);
        QVERIFY(vibeml::test::writeFile(
            bundledDir + QStringLiteral("/catalogs.json"),
            R"({"catalogs": {"nebius": {"file": "missing.csv", "asOf": "2026-11-28", "launch": true},
                                                          "lambda": {"file": "missing.csv", "asOf": "2026-11-28"}}})"));
        const QString dir = freshSkyDir();
        QVERIFY(writeUserCopy(dir, QStringLiteral("nebius"), v9Catalog(), kSnapshotTime.addDays(1)));
        const Catalog catalog = Catalog::load(dir, bundledDir);
        QCOMPARE(catalog.source(QStringLiteral("nebius"))->offers, 22);
        const std::optional<CatalogSource> lambda = catalog.source(QStringLiteral("lambda"));
        QVERIFY(lambda);
        QCOMPARE(lambda->offers, 0);
        QVERIFY(!lambda->launchable);
        QVERIFY2(lambda->note.contains(QStringLiteral("missing.csv cannot be read")), qPrintable(lambda->note));
    }

    void describe_data()
    {
        QTest::addColumn<QString>("cloud");
        QTest::addColumn<bool>("userCopy");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QDateTime>("asOf");
        QTest::addColumn<QDateTime>("now");
        QTest::addColumn<QString>("expected");

        const QString bundledPath = QStringLiteral(":/vibeml/catalogs/nebius-vms.csv");
        const QString lambdaCopy = QDir::homePath() + QStringLiteral("/.sky/catalogs/v8/lambda/vms.csv");
        const QDateTime now(QDate(2026, 12, 10), QTime(9, 30), Qt::UTC);
        QTest::newRow("bundled, today") << "nebius" << false << bundledPath << kSnapshotTime
                                        << kSnapshotTime.addSecs(15 * 3600)
                                        << "Nebius: bundled snapshot of 2026-11-28 (today)";
        QTest::newRow("bundled, 1 day") << "nebius" << false << bundledPath << kSnapshotTime
                                        << kSnapshotTime.addSecs(30 * 3600)
                                        << "Nebius: bundled snapshot of 2026-11-28 (1 day old)";
        QTest::newRow("bundled, 12 days") << "nebius" << false << bundledPath << kSnapshotTime << now
                                          << "Nebius: bundled snapshot of 2026-11-28 (12 days old)";
        QTest::newRow("bundled, clock behind")
            << "lambda" << false << bundledPath << kSnapshotTime << kSnapshotTime.addDays(-2)
            << "Lambda: bundled snapshot of 2026-11-28 (today)";
        QTest::newRow("user copy, 3 h") << "lambda" << true << lambdaCopy << now.addSecs(-3 * 3600 - 120) << now
                                        << "Lambda: ~/.sky/catalogs/v8/lambda/vms.csv, updated 3 h ago";
        QTest::newRow("user copy, 5 min") << "lambda" << true << lambdaCopy << now.addSecs(-5 * 60) << now
                                          << "Lambda: ~/.sky/catalogs/v8/lambda/vms.csv, updated 5 min ago";
        QTest::newRow("user copy, seconds") << "lambda" << true << lambdaCopy << now.addSecs(-20) << now
                                            << "Lambda: ~/.sky/catalogs/v8/lambda/vms.csv, updated just now";
        QTest::newRow("user copy, future") << "lambda" << true << lambdaCopy << now.addSecs(600) << now
                                           << "Lambda: ~/.sky/catalogs/v8/lambda/vms.csv, updated just now";
        QTest::newRow("user copy, 40 h") << "lambda" << true << lambdaCopy << now.addSecs(-40 * 3600) << now
                                         << "Lambda: ~/.sky/catalogs/v8/lambda/vms.csv, updated 40 h ago";
        QTest::newRow("user copy, 3 days")
            << "nebius" << true << QDir::homePath() + QStringLiteral("/.sky/catalogs/v8/nebius/vms.csv")
            << now.addDays(-3) << now << "Nebius: ~/.sky/catalogs/v8/nebius/vms.csv, updated 3 days ago";
        QTest::newRow("outside home, other cloud") << "vast" << true << "/srv/sky/vast/vms.csv" << now.addSecs(-7200)
                                                   << now << "Vast: /srv/sky/vast/vms.csv, updated 2 h ago";
        QTest::newRow("home-like prefix is not home")
            << "vast" << true << QString(QDir::homePath() + QStringLiteral("x/vms.csv")) << now.addSecs(-7200) << now
            << QString(QStringLiteral("Vast: ") + QDir::homePath() + QStringLiteral("x/vms.csv, updated 2 h ago"));
    }

    void describe()
    {
        QFETCH(QString, cloud);
        QFETCH(bool, userCopy);
        QFETCH(QString, path);
        QFETCH(QDateTime, asOf);
        QFETCH(QDateTime, now);
        QFETCH(QString, expected);

        CatalogSource source;
        source.cloud = cloud;
        source.userCopy = userCopy;
        source.path = path;
        source.asOf = asOf;
        QCOMPARE(source.describe(now), expected);
    }

    void infiniBand_data()
    {
        QTest::addColumn<QString>("cloud");
        QTest::addColumn<QString>("accelerator");
        QTest::addColumn<int>("count");
        QTest::addColumn<bool>("expected");

        QTest::newRow("Nebius 8×H100") << "nebius"
                                       << "H100" << 8 << true;
        QTest::newRow("Nebius 8×H200") << "nebius"
                                       << "H200" << 8 << true;
        QTest::newRow("Nebius 8×B200") << "nebius"
                                       << "B200" << 8 << true;
        QTest::newRow("Nebius 1×H100") << "nebius"
                                       << "H100" << 1 << false;
        QTest::newRow("Nebius 4×L40S") << "nebius"
                                       << "L40S" << 4 << false;
        QTest::newRow("Lambda 8×H100") << "lambda"
                                       << "H100" << 8 << false;
        QTest::newRow("Lambda 8×B200") << "lambda"
                                       << "B200" << 8 << false;
    }

    void infiniBand()
    {
        QFETCH(QString, cloud);
        QFETCH(QString, accelerator);
        QFETCH(int, count);
        QFETCH(bool, expected);

        InstanceOffer offer;
        offer.cloud = cloud;
        offer.accelerator = accelerator;
        offer.acceleratorCount = count;
        QCOMPARE(hasInfiniBand(offer), expected);
    }

    void infiniBandOnBundledNebius()
    {
        const Catalog catalog = Catalog::load(freshSkyDir());
        int withInfiniBand = 0;
        for (const InstanceOffer &offer : catalog.offers()) {
            if (hasInfiniBand(offer)) {
                ++withInfiniBand;
                QVERIFY(offer.instanceType.contains(QLatin1String("_8gpu-")));
            }
        }
        QCOMPARE(withInfiniBand, 5); // H100 ×1 region, H200 ×3 regions, B200 ×1 region
    }
};

VIBEML_TEST_MAIN_CORE(TestCatalog)
#include "tst_catalog.moc"
