// `sky status`, `sky status -o json`, `sky queue` and `sky jobs queue` (skypilot.md §(b), §(f)).
#include "sky/SkyOutput.h"
#include "sky/SkyOutputText.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <array>

namespace vibeml::sky {

using namespace detail;

namespace {

SkyParseError unrecognised(const char *command, const char *expected, const QList<QStringView> &lines)
{
    return SkyParseError {unrecognisedMessage(command, expected, lines)};
}

bool hasWhitespace(QStringView text)
{
    for (const QChar c : text) {
        if (c.isSpace())
            return true;
    }
    return false;
}

// ---- sky status --------------------------------------------------------------------------------

enum class Section { None, Clusters, Other };

std::optional<Section> sectionTitle(QStringView trimmed)
{
    static const std::array<QLatin1String, 6> kOther {QLatin1String("Managed jobs"), QLatin1String("Services"),
                                                      QLatin1String("Pools"),        QLatin1String("Managed job pools"),
                                                      QLatin1String("Volumes"),      QLatin1String("Local clusters:")};
    if (trimmed.compare(u"Clusters", Qt::CaseInsensitive) == 0)
        return Section::Clusters;
    for (const QLatin1String title : kOther) {
        if (trimmed.compare(title, Qt::CaseInsensitive) == 0)
            return Section::Other;
    }
    return std::nullopt;
}

bool isNotFoundLine(QStringView trimmed)
{
    return trimmed.startsWith(u"Cluster") && trimmed.contains(u" not found");
}

bool endsClusterTable(QStringView trimmed)
{
    return isNotFoundLine(trimmed) || trimmed.startsWith(u"* ") || sectionTitle(trimmed).has_value();
}

bool endsQueueTable(QStringView trimmed)
{
    return trimmed.startsWith(u"Failed to get the job queue") || trimmed.startsWith(u"Job queue of");
}

bool isStatusHeader(const TableHeader &header)
{
    return header.has(u"NAME") && header.has(u"STATUS") && !header.has(u"ID") && !header.has(u"TASK")
        && !header.has(u"REPLICAS") && !header.has(u"UPTIME");
}

QString infraOf(const QStringList &cells, const TableHeader &header)
{
    QString infra = cellValue(cells, header, u"INFRA");
    if (!infra.isEmpty())
        return infra;
    const QString cloud = cellValue(cells, header, u"CLOUD");
    QString region = cellValue(cells, header, u"REGION");
    if (region.isEmpty())
        region = cellValue(cells, header, u"ZONE");
    if (cloud.isEmpty())
        return region;
    return region.isEmpty() ? cloud : QString(cloud + u" (" + region + u')');
}

void addClusters(const Table &table, StatusReport &report)
{
    for (const QStringList &cells : table.rows) {
        const QString &name = cells.value(table.header.column(u"NAME"));
        if (name.isEmpty() || hasWhitespace(name) || name.startsWith(u'*') || name == u"-")
            continue; // a hint or wrapped text, not a cluster
        ClusterRecord record;
        record.name = name;
        record.infra = infraOf(cells, table.header);
        record.resources = cellValue(cells, table.header, u"RESOURCES");
        record.status = cellValue(cells, table.header, u"STATUS");
        record.autostop = cellValue(cells, table.header, u"AUTOSTOP");
        record.launched = cellValue(cells, table.header, u"LAUNCHED");
        record.user = cellValue(cells, table.header, u"USER");
        record.workspace = cellValue(cells, table.header, u"WORKSPACE");
        report.clusters.append(record);
    }
}

// ---- sky status -o json ------------------------------------------------------------------------

QJsonDocument parseJsonLeniently(const QByteArray &bytes, QJsonParseError &error)
{
    auto attempt = [&error](const QByteArray &candidate) {
        QJsonDocument document = QJsonDocument::fromJson(candidate, &error);
        if (error.error == QJsonParseError::GarbageAtEnd && error.offset > 0)
            document = QJsonDocument::fromJson(candidate.left(error.offset), &error);
        return document;
    };
    QJsonDocument document = attempt(bytes);
    if (error.error == QJsonParseError::NoError)
        return document;
    // Banner lines (an API server starting) may precede the JSON: retry from the first line that
    // opens an array or an object.
    for (qsizetype i = bytes.indexOf('\n') + 1; i > 0 && i < bytes.size(); i = bytes.indexOf('\n', i) + 1) {
        if (bytes.at(i) == '[' || bytes.at(i) == '{')
            return attempt(bytes.mid(i));
    }
    return document;
}

QString jsonString(const QJsonObject &object, std::initializer_list<const char *> keys)
{
    for (const char *key : keys) {
        const QJsonValue value = object.value(QLatin1String(key));
        if (value.isString())
            return value.toString();
        if (value.isDouble())
            return QString::number(value.toDouble());
    }
    return {};
}

QString jsonStatus(const QJsonObject &object)
{
    QString status = jsonString(object, {"status"});
    const qsizetype dot = status.lastIndexOf(u'.'); // "ClusterStatus.UP"
    if (dot >= 0)
        status = status.mid(dot + 1);
    return status.trimmed().toUpper();
}

QString jsonAutostop(const QJsonObject &object)
{
    const QJsonValue value = object.value(QLatin1String("autostop"));
    if (value.isString())
        return value.toString() == u"-" ? QString() : value.toString();
    if (!value.isDouble() || value.toDouble() < 0)
        return {};
    QString text = QString::number(value.toInteger()) + u'm';
    if (object.value(QLatin1String("to_down")).toBool())
        text += QStringLiteral(" (down)");
    return text;
}

QString jsonLaunched(const QJsonObject &object)
{
    const QJsonValue value = object.value(QLatin1String("launched_at"));
    if (value.isString())
        return value.toString();
    if (!value.isDouble() || value.toDouble() <= 0)
        return {};
    return QDateTime::fromSecsSinceEpoch(value.toInteger(), Qt::UTC).toString(Qt::ISODate);
}

std::optional<ClusterRecord> clusterFromJson(const QJsonValue &value)
{
    if (!value.isObject())
        return std::nullopt;
    const QJsonObject object = value.toObject();
    ClusterRecord record;
    record.name = jsonString(object, {"name", "cluster_name"});
    if (record.name.isEmpty())
        return std::nullopt;
    record.status = jsonStatus(object);
    record.infra = jsonString(object, {"infra"});
    if (record.infra.isEmpty()) {
        const QString cloud = jsonString(object, {"cloud"});
        const QString region = jsonString(object, {"region"});
        record.infra
            = (cloud.isEmpty() || region.isEmpty()) ? QString(cloud + region) : QString(cloud + u" (" + region + u')');
    }
    record.resources = jsonString(object, {"resources_str", "resources"});
    record.autostop = jsonAutostop(object);
    record.launched = jsonLaunched(object);
    record.user = jsonString(object, {"user_name", "user"});
    record.workspace = jsonString(object, {"workspace"});
    return record;
}

// ---- sky queue / sky jobs queue ----------------------------------------------------------------

QString clusterOfQueueTitle(QStringView trimmed)
{
    // "Job queue of current user on cluster X", "Job queue of all users on cluster X", "Job queue of cluster X"
    const qsizetype at = trimmed.lastIndexOf(u"cluster ");
    if (at < 0)
        return {};
    QStringView name = trimmed.mid(at + 8).trimmed();
    const qsizetype space = name.indexOf(u' ');
    if (space >= 0)
        name = name.left(space);
    while (!name.isEmpty() && (name.endsWith(u'.') || name.endsWith(u':') || name.endsWith(u'\'')))
        name.chop(1);
    while (name.startsWith(u'\''))
        name = name.mid(1);
    return name.toString();
}

bool isQueueHeader(const TableHeader &header)
{
    return header.has(u"ID") && header.has(u"NAME") && header.has(u"STATUS") && !header.has(u"TASK")
        && !header.has(u"#RECOVERIES");
}

bool isJobsQueueHeader(const TableHeader &header)
{
    return header.has(u"ID") && header.has(u"STATUS") && (header.has(u"TASK") || header.has(u"#RECOVERIES"));
}

} // namespace

Result<StatusReport, SkyParseError> parseStatus(const QString &output)
{
    const QString clean = stripAnsi(output);
    const QList<QStringView> lines = splitLines(clean);
    StatusReport report;
    bool recognised = false;
    bool haveTable = false;
    Section section = Section::None;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QStringView trimmed = lines[i].trimmed();
        if (trimmed.isEmpty())
            continue;
        if (const std::optional<Section> title = sectionTitle(trimmed)) {
            section = *title;
            recognised = recognised || section == Section::Clusters;
            continue;
        }
        if (trimmed.startsWith(u"Enabled Infra:", Qt::CaseInsensitive)) {
            for (const QStringView infra : trimmed.mid(14).split(u',')) {
                if (!infra.trimmed().isEmpty() && infra.trimmed() != u"-")
                    report.enabledInfra.append(infra.trimmed().toString());
            }
            continue;
        }
        if (trimmed.startsWith(u"No existing clusters")) {
            recognised = true;
            continue;
        }
        if (isNotFoundLine(trimmed)) {
            const QStringList names = quotedWords(trimmed);
            report.notFound.append(names);
            recognised = recognised || !names.isEmpty();
            continue;
        }
        if (haveTable || section == Section::Other || !trimmed.contains(u"NAME") || !trimmed.contains(u"STATUS"))
            continue;
        if (!isStatusHeader(parseHeader(lines[i])))
            continue;
        const Table table = readTable(lines, i, endsClusterTable);
        addClusters(table, report);
        haveTable = true;
        recognised = true;
        i = table.nextLine - 1;
    }
    if (!recognised)
        return unrecognised("sky status", "a NAME … STATUS table, 'No existing clusters.' or 'Cluster … not found.'",
                            lines);
    return report;
}

Result<StatusReport, SkyParseError> parseStatusJson(const QByteArray &output)
{
    QJsonParseError error {};
    const QJsonDocument document = parseJsonLeniently(output, error);
    if (error.error != QJsonParseError::NoError)
        return SkyParseError {QStringLiteral("sky status -o json did not print JSON (%1 at byte %2).")
                                  .arg(error.errorString())
                                  .arg(error.offset)};
    QJsonArray clusters;
    if (document.isArray()) {
        clusters = document.array();
    } else if (document.isObject() && document.object().value(QLatin1String("clusters")).isArray()) {
        clusters = document.object().value(QLatin1String("clusters")).toArray();
    } else {
        return SkyParseError {
            QStringLiteral("sky status -o json printed JSON of an unknown shape (expected a list of clusters or "
                           "an object with a \"clusters\" list).")};
    }
    StatusReport report;
    for (const QJsonValue &value : std::as_const(clusters)) {
        if (std::optional<ClusterRecord> record = clusterFromJson(value))
            report.clusters.append(*record);
    }
    if (report.clusters.isEmpty() && !clusters.isEmpty())
        return SkyParseError {QStringLiteral("sky status -o json listed %1 entries but none is a cluster with a name.")
                                  .arg(clusters.size())};
    return report;
}

Result<QueueReport, SkyParseError> parseQueue(const QString &output)
{
    const QString clean = stripAnsi(output);
    const QList<QStringView> lines = splitLines(clean);
    QueueReport report;
    bool recognised = false;
    QString cluster;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QStringView trimmed = lines[i].trimmed();
        if (trimmed.isEmpty())
            continue;
        if (trimmed.startsWith(u"Job queue of")) {
            cluster = clusterOfQueueTitle(trimmed);
            recognised = true;
            continue;
        }
        if (trimmed.startsWith(u"Failed to get the job queue")) {
            const QStringList names = quotedWords(trimmed);
            if (!names.isEmpty())
                report.failedClusters.append(names.first());
            recognised = true;
            continue;
        }
        if (trimmed.startsWith(u"Fetching and parsing job queue") || trimmed.startsWith(u"Fetching job queue")) {
            recognised = true;
            continue;
        }
        if (!trimmed.startsWith(u"ID") || !trimmed.contains(u"STATUS") || !isQueueHeader(parseHeader(lines[i])))
            continue;
        const Table table = readTable(lines, i, endsQueueTable);
        recognised = true;
        i = table.nextLine - 1;
        for (const QStringList &cells : table.rows) {
            const std::optional<int> id = toInt(cells.value(table.header.column(u"ID")));
            if (!id || *id < 0)
                continue;
            QueueEntry entry;
            entry.cluster = cluster;
            entry.id = *id;
            entry.name = cellValue(cells, table.header, u"NAME");
            entry.user = cellValue(cells, table.header, u"USER");
            entry.submitted = cellValue(cells, table.header, u"SUBMITTED");
            entry.started = cellValue(cells, table.header, u"STARTED");
            entry.duration = cellValue(cells, table.header, u"DURATION");
            entry.resources = cellValue(cells, table.header, u"RESOURCES");
            entry.status = cellValue(cells, table.header, u"STATUS");
            entry.logPath = cellValue(cells, table.header, u"LOG");
            report.jobs.append(entry);
        }
    }
    if (!recognised)
        return unrecognised("sky queue", "'Job queue of … on cluster X' and an ID … STATUS table", lines);
    return report;
}

Result<QList<ManagedJobEntry>, SkyParseError> parseJobsQueue(const QString &output)
{
    const QString clean = stripAnsi(output);
    const QList<QStringView> lines = splitLines(clean);
    QList<ManagedJobEntry> jobs;
    bool recognised = false;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QStringView trimmed = lines[i].trimmed();
        if (trimmed.isEmpty())
            continue;
        if (trimmed.startsWith(u"No in-progress managed jobs") || trimmed.startsWith(u"No managed jobs")
            || trimmed.startsWith(u"In progress tasks:")) {
            recognised = true;
            continue;
        }
        if (!trimmed.contains(u"ID") || !trimmed.contains(u"STATUS") || !isJobsQueueHeader(parseHeader(lines[i])))
            continue;
        const Table table = readTable(lines, i);
        recognised = true;
        i = table.nextLine - 1;
        std::optional<int> parentId;
        for (const QStringList &cells : table.rows) {
            const QString &idCell = cells.value(table.header.column(u"ID"));
            std::optional<int> id = toInt(idCell);
            if (id) {
                parentId = id;
            } else if (idCell.contains(u'↳') && parentId) {
                id = parentId; // a task of the multi-task job above
            } else {
                continue;
            }
            ManagedJobEntry entry;
            entry.id = *id;
            entry.taskId = cellValue(cells, table.header, u"TASK");
            entry.name = cellValue(cells, table.header, u"NAME");
            entry.user = cellValue(cells, table.header, u"USER");
            entry.requested = cellValue(cells, table.header, u"REQUESTED");
            if (entry.requested.isEmpty())
                entry.requested = cellValue(cells, table.header, u"RESOURCES");
            entry.submitted = cellValue(cells, table.header, u"SUBMITTED");
            entry.totalDuration = cellValue(cells, table.header, u"TOT. DURATION");
            entry.jobDuration = cellValue(cells, table.header, u"JOB DURATION");
            entry.recoveries = toInt(cells.value(table.header.column(u"#RECOVERIES"))).value_or(0);
            entry.status = cellValue(cells, table.header, u"STATUS");
            jobs.append(entry);
        }
    }
    if (!recognised)
        return unrecognised("sky jobs queue", "'No in-progress managed jobs.' or an ID TASK … STATUS table", lines);
    return jobs;
}

} // namespace vibeml::sky
