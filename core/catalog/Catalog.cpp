#include "catalog/Catalog.h"

#include "log/Logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace vibeml::catalog {

namespace {

const QString &userCatalogFileName()
{
    static const QString name = QStringLiteral("vms.csv");
    return name;
}

// One entry of catalogs.json: a snapshot compiled into the program.
struct BundledCatalog
{
    QString cloud;
    QString file;
    QDate asOf;
    bool launch = false;
};

QList<BundledCatalog> readManifest(const QString &bundledDir)
{
    QList<BundledCatalog> catalogs;
    QFile file(bundledDir + QStringLiteral("/catalogs.json"));
    if (!file.open(QIODevice::ReadOnly)) {
        log::app()->error("GPU catalog manifest {} cannot be read: {}", file.fileName(), file.errorString());
        return catalogs;
    }
    const QJsonObject clouds
        = QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("catalogs")).toObject();
    for (auto it = clouds.begin(); it != clouds.end(); ++it) {
        const QJsonObject entry = it.value().toObject();
        catalogs.append({it.key().toLower(), entry.value(QStringLiteral("file")).toString(),
                         QDate::fromString(entry.value(QStringLiteral("asOf")).toString(), Qt::ISODate),
                         entry.value(QStringLiteral("launch")).toBool()});
    }
    return catalogs;
}

// Paths under the home folder are shown as ~/… the way SkyPilot's own messages show them.
QString displayPath(const QString &path)
{
    const QString home = QDir::homePath();
    if (!home.isEmpty() && home != QLatin1String("/") && path.startsWith(home + QLatin1Char('/')))
        return QLatin1Char('~') + path.mid(home.size());
    return path;
}

QString cloudDisplayName(const QString &cloud)
{
    static const QList<std::pair<QLatin1String, QLatin1String>> known
        = {{QLatin1String("nebius"), QLatin1String("Nebius")},
           {QLatin1String("lambda"), QLatin1String("Lambda")},
           {QLatin1String("aws"), QLatin1String("AWS")},
           {QLatin1String("gcp"), QLatin1String("GCP")},
           {QLatin1String("runpod"), QLatin1String("RunPod")}};
    for (const auto &[id, name] : known) {
        if (cloud == id)
            return name;
    }
    return cloud.isEmpty() ? cloud : QString(cloud.front().toUpper() + cloud.mid(1));
}

struct ReadResult
{
    CatalogParse parse;
    QString error; // set when the file could not be opened
};

ReadResult readCatalog(const QString &path, const QString &cloud)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {{}, file.errorString()};
    return {parseCatalogCsv(file.readAll(), cloud), {}};
}

QStringList lowerCased(const QStringList &names)
{
    QStringList lowered;
    for (const QString &name : names)
        lowered.append(name.trimmed().toLower());
    return lowered;
}

} // namespace

QString Catalog::defaultSkyCatalogDir()
{
    return QDir::homePath() + QStringLiteral("/.sky/catalogs/v8");
}

Catalog Catalog::load(const QString &skyCatalogDir, const QString &bundledDir)
{
    Catalog catalog;
    const auto add = [&catalog](CatalogSource source, const CatalogParse &parse) {
        source.offers = int(parse.offers.size());
        source.skippedRows = parse.skippedRows;
        if (parse.skippedRows > 0)
            log::app()->warn("GPU catalog {}: skipped {} malformed rows; first: {}", source.path, parse.skippedRows,
                             parse.problems.value(0));
        catalog.m_offers.append(parse.offers);
        catalog.m_sources.append(std::move(source));
    };

    const QList<BundledCatalog> manifest = readManifest(bundledDir);
    for (const BundledCatalog &bundled : manifest) {
        if (bundled.launch)
            catalog.m_launchClouds.append(bundled.cloud);
        const QString userPath
            = skyCatalogDir + QLatin1Char('/') + bundled.cloud + QLatin1Char('/') + userCatalogFileName();
        // A snapshot is as of some time that day; a copy from that same day is what SkyPilot itself
        // reads, so it wins the tie.
        const QDateTime snapshotTime = bundled.asOf.startOfDay(Qt::UTC);
        QString note;
        const QFileInfo userInfo(userPath);
        if (userInfo.isFile()) {
            const QDateTime modified = userInfo.lastModified().toUTC();
            if (bundled.asOf.isValid() && modified < snapshotTime) {
                note = QStringLiteral("%1 is older than the bundled snapshot of %2; using the bundled snapshot")
                           .arg(displayPath(userPath), bundled.asOf.toString(Qt::ISODate));
            } else if (ReadResult user = readCatalog(userPath, bundled.cloud); !user.error.isEmpty()) {
                note = QStringLiteral("%1 cannot be read (%2); using the bundled snapshot")
                           .arg(displayPath(userPath), user.error);
            } else if (user.parse.offers.isEmpty()) {
                note = QStringLiteral("%1 has no readable GPU rows; using the bundled snapshot")
                           .arg(displayPath(userPath));
            } else {
                add({bundled.cloud, userPath, true, modified, bundled.launch, 0, 0, {}}, user.parse);
                continue;
            }
            log::app()->info("GPU catalog: {}", note);
        }

        const QString bundledPath = bundledDir + QLatin1Char('/') + bundled.file;
        ReadResult snapshot = readCatalog(bundledPath, bundled.cloud);
        if (!snapshot.error.isEmpty()) {
            log::app()->error("Bundled GPU catalog {} cannot be read: {}", bundledPath, snapshot.error);
            const QString unreadable = QStringLiteral("the bundled snapshot %1 cannot be read").arg(bundled.file);
            note = note.isEmpty() ? unreadable : QString(note + QStringLiteral("; ") + unreadable);
        }
        add({bundled.cloud, bundledPath, false, snapshotTime, bundled.launch, 0, 0, note}, snapshot.parse);
    }

    // Clouds SkyPilot has fetched catalogs for but VibeML ships none of: shown for comparison.
    const QStringList cloudDirs = QDir(skyCatalogDir).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &dirName : cloudDirs) {
        const QString cloud = dirName.toLower();
        const bool inManifest = std::any_of(manifest.begin(), manifest.end(),
                                            [&cloud](const BundledCatalog &bundled) { return bundled.cloud == cloud; });
        const QFileInfo info(skyCatalogDir + QLatin1Char('/') + dirName + QLatin1Char('/') + userCatalogFileName());
        if (inManifest || !info.isFile())
            continue;
        ReadResult user = readCatalog(info.filePath(), cloud);
        if (user.parse.offers.isEmpty()) {
            log::app()->info("GPU catalog: {} has no readable GPU rows; ignored", displayPath(info.filePath()));
            continue;
        }
        add({cloud, info.filePath(), true, info.lastModified().toUTC(), false, 0, 0, {}}, user.parse);
    }
    return catalog;
}

QList<InstanceOffer> Catalog::offers(const QString &cloud) const
{
    QList<InstanceOffer> result;
    std::copy_if(m_offers.begin(), m_offers.end(), std::back_inserter(result),
                 [&cloud](const InstanceOffer &offer) { return offer.cloud == cloud; });
    return result;
}

std::optional<CatalogSource> Catalog::source(const QString &cloud) const
{
    for (const CatalogSource &source : m_sources) {
        if (source.cloud == cloud)
            return source;
    }
    return std::nullopt;
}

QStringList Catalog::clouds() const
{
    QStringList names;
    for (const CatalogSource &source : m_sources)
        names.append(source.cloud);
    return names;
}

bool Catalog::isLaunchable(const QString &cloud) const
{
    const std::optional<CatalogSource> found = source(cloud);
    return found && found->launchable;
}

void Catalog::setEnabledClouds(const QStringList &clouds)
{
    // `sky check` prints "Nebius", "Lambda"; catalogs use the lower-case ids.
    const QStringList enabled = lowerCased(clouds);
    for (CatalogSource &source : m_sources)
        source.launchable = m_launchClouds.contains(source.cloud) || enabled.contains(source.cloud);
}

QString CatalogSource::describe(const QDateTime &now) const
{
    const QString name = cloudDisplayName(cloud);
    if (!userCopy) {
        if (!asOf.isValid())
            return QString(name + QStringLiteral(": bundled snapshot"));
        const qint64 days = asOf.toUTC().date().daysTo(now.toUTC().date());
        const QString age = days <= 0 ? QStringLiteral("today")
            : days == 1               ? QStringLiteral("1 day old")
                                      : QStringLiteral("%1 days old").arg(days);
        return QStringLiteral("%1: bundled snapshot of %2 (%3)")
            .arg(name, asOf.toUTC().date().toString(Qt::ISODate), age);
    }
    const qint64 seconds = asOf.isValid() ? asOf.secsTo(now) : -1;
    QString age;
    if (!asOf.isValid())
        age = QStringLiteral("at an unknown time");
    else if (seconds < 60) // also a file time in the future: a clock that is a little off
        age = QStringLiteral("just now");
    else if (seconds < 3600)
        age = QStringLiteral("%1 min ago").arg(seconds / 60);
    else if (seconds < 48 * 3600)
        age = QStringLiteral("%1 h ago").arg(seconds / 3600);
    else
        age = QStringLiteral("%1 days ago").arg(seconds / 86400);
    return QStringLiteral("%1: %2, updated %3").arg(name, displayPath(path), age);
}

bool hasInfiniBand(const InstanceOffer &offer)
{
    if (offer.cloud != QLatin1String("nebius") || offer.acceleratorCount != 8)
        return false;
    for (const QLatin1String gpu : {QLatin1String("H100"), QLatin1String("H200"), QLatin1String("B200")}) {
        if (offer.accelerator.compare(gpu, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace vibeml::catalog
