// `sky launch` / `sky jobs launch`, `sky check`, `sky show-gpus`, `sky -v`, `sky api info` and
// `sky logs --status` (skypilot.md §(b)).
#include "sky/SkyOutput.h"
#include "sky/SkyOutputText.h"

#include <QRegularExpression>

#include <algorithm>

namespace vibeml::sky {

using namespace detail;

namespace {

constexpr char16_t kCheckMark = 0x2714; // ✔ in the optimizer's CHOSEN column

SkyParseError unrecognised(const char *command, const char *expected, const QList<QStringView> &lines)
{
    return SkyParseError {unrecognisedMessage(command, expected, lines)};
}

int indentOf(QStringView line)
{
    int indent = 0;
    for (const QChar c : line) {
        if (c != u' ')
            break;
        ++indent;
    }
    return indent;
}

QRegularExpressionMatch matchIn(const QRegularExpression &expression, QStringView text)
{
    return expression.match(text);
}

std::optional<int> capturedInt(const QRegularExpressionMatch &match, int group)
{
    return toInt(match.capturedView(group));
}

// "Nebius", "Cloudflare (for R2 object store)" -> "nebius", "cloudflare"
QString cloudKey(QStringView name)
{
    QStringView key = name.trimmed();
    const qsizetype paren = key.indexOf(u" (");
    if (paren > 0)
        key = key.left(paren);
    return key.trimmed().toString().toLower();
}

// ---- launch ------------------------------------------------------------------------------------

bool isPlanHeader(QStringView trimmed)
{
    return (trimmed.startsWith(u"INFRA") || trimmed.startsWith(u"CLOUD")) && trimmed.contains(u"CHOSEN");
}

QList<PlanChoice> planChoices(const Table &table)
{
    QList<PlanChoice> choices;
    const TableHeader &header = table.header;
    for (const QStringList &cells : table.rows) {
        PlanChoice choice;
        choice.infra = cellValue(cells, header, u"INFRA");
        if (choice.infra.isEmpty()) {
            const QString cloud = cellValue(cells, header, u"CLOUD");
            const QString region = cellValue(cells, header, u"REGION/ZONE");
            choice.infra = region.isEmpty() || cloud.isEmpty() ? QString(cloud + region)
                                                               : QString(cloud + u" (" + region + u')');
        }
        choice.instanceType = cellValue(cells, header, u"INSTANCE");
        if (choice.infra.isEmpty() && choice.instanceType.isEmpty())
            continue;
        choice.accelerators = cellValue(cells, header, u"GPUS");
        if (choice.accelerators.isEmpty())
            choice.accelerators = cellValue(cells, header, u"ACCELERATORS");
        choice.costPerHour = toPrice(cellValue(cells, header, u"COST ($)")).value_or(0.0);
        choice.chosen = std::any_of(cells.cbegin(), cells.cend(),
                                    [](const QString &cell) { return cell.contains(QChar(kCheckMark)); });
        choices.append(choice);
    }
    return choices;
}

bool looksManaged(const QList<QStringView> &lines)
{
    for (const QStringView line : lines) {
        if (line.contains(u"anaged job", Qt::CaseInsensitive)
            && (line.contains(u"will be launched on") || line.contains(u"Launching a managed job")
                || line.contains(u"Managed Job ID", Qt::CaseInsensitive)
                || line.contains(u"Managed job finished", Qt::CaseInsensitive)))
            return true;
    }
    return false;
}

QString stripTrailingDot(QStringView name)
{
    while (name.endsWith(u'.'))
        name.chop(1);
    return name.toString();
}

} // namespace

FinalJobStatus finalStatusFromExitCode(int exitCode)
{
    switch (exitCode) {
    case 0:
        return FinalJobStatus::Succeeded;
    case 100:
        return FinalJobStatus::Failed;
    case 101:
        return FinalJobStatus::NotFinished;
    case 102:
        return FinalJobStatus::NotFound;
    case 103:
        return FinalJobStatus::Cancelled;
    default:
        return FinalJobStatus::Unknown;
    }
}

std::optional<QString> jobStatusWord(const QString &output)
{
    static const QRegularExpression jobLine(QStringLiteral(R"(\bJob\s+\d+\s*:\s*([A-Z][A-Z_]*)\b)"));
    const QString clean = stripAnsi(output);
    std::optional<QString> word;
    for (const QStringView line : splitLines(clean)) {
        if (!line.contains(u"Job"))
            continue;
        const QRegularExpressionMatch match = matchIn(jobLine, line);
        if (match.hasMatch())
            word = match.captured(1);
    }
    if (!word) {
        static const QRegularExpression bare(QStringLiteral(R"(^\s*([A-Z][A-Z_]{3,})\s*$)"));
        const QRegularExpressionMatch match = bare.match(clean.right(64));
        if (match.hasMatch())
            word = match.captured(1);
    }
    return word;
}

Result<LaunchReport, SkyParseError> parseLaunch(const QString &output)
{
    static const QRegularExpression submitted(QStringLiteral(R"(Job submitted,?\s*ID:\s*(\d+))"));
    static const QRegularExpression managedId(QStringLiteral(R"(Managed Job ID:\s*(\d+))"),
                                              QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression footerJobId(QStringLiteral(R"(^Job ID:\s*(\d+))"));
    static const QRegularExpression finished(
        QStringLiteral(R"(job finished(?::\s*(\d+))?\s*\(status:\s*([A-Za-z_]+)\))"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression newCluster(QStringLiteral(R"(Launching a new cluster '([^']+)')"));
    static const QRegularExpression footerCluster(QStringLiteral(R"(^Cluster name:\s*(\S+))"));
    static const QRegularExpression otherCluster(
        QStringLiteral(R"((?:Running on cluster|Cluster launched|Submitting job to cluster):\s*(\S+))"));

    const QString clean = stripAnsi(output);
    const QList<QStringView> lines = splitLines(clean);
    const bool managed = looksManaged(lines);
    LaunchReport report;
    bool havePlan = false;
    QString footerName;
    QString promptName;
    QString runningName;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QStringView trimmed = lines[i].trimmed();
        if (trimmed.isEmpty() || isTaskLogLine(trimmed))
            continue; // the job's own log says nothing about the launch
        if (!havePlan && isPlanHeader(trimmed)) {
            const Table table = readTable(lines, i);
            report.considered = planChoices(table);
            havePlan = true;
            i = table.nextLine - 1;
            continue;
        }
        if (trimmed.contains(u"ID:")) {
            if (const auto match = matchIn(managedId, trimmed); match.hasMatch()) {
                report.managedJobId = capturedInt(match, 1);
            } else if (const auto match2 = matchIn(submitted, trimmed); match2.hasMatch()) {
                if (managed) {
                    if (!report.managedJobId)
                        report.managedJobId = capturedInt(match2, 1);
                } else if (!report.jobId) {
                    report.jobId = capturedInt(match2, 1);
                }
            } else if (const auto match3 = matchIn(footerJobId, trimmed); match3.hasMatch() && !managed) {
                report.jobId = capturedInt(match3, 1);
            }
            continue;
        }
        if (trimmed.contains(u"(status:")) {
            if (const auto match = matchIn(finished, trimmed); match.hasMatch()) {
                report.finalJobStatus = match.captured(2).toUpper();
                if (managed && !report.managedJobId && match.hasCaptured(1))
                    report.managedJobId = capturedInt(match, 1);
            }
            continue;
        }
        if (!trimmed.contains(u"luster"))
            continue;
        if (const auto match = matchIn(footerCluster, trimmed); match.hasMatch())
            footerName = match.captured(1);
        else if (const auto match2 = matchIn(newCluster, trimmed); match2.hasMatch())
            promptName = match2.captured(1);
        else if (const auto match3 = matchIn(otherCluster, trimmed); match3.hasMatch() && runningName.isEmpty())
            runningName = stripTrailingDot(match3.capturedView(1));
    }
    report.clusterName = !footerName.isEmpty() ? footerName : !promptName.isEmpty() ? promptName : runningName;
    if (!havePlan && !report.jobId && !report.managedJobId && report.clusterName.isEmpty() && !report.finalJobStatus)
        return unrecognised("sky launch", "'Considered resources', 'Job submitted, ID: N' or a cluster name", lines);
    return report;
}

Result<CheckReport, SkyParseError> parseCheck(const QString &output)
{
    static const QRegularExpression cloudLine(QStringLiteral(R"(^([^:\[\]]+?):\s+(enabled|disabled)\b)"));
    static const QRegularExpression apiServer(
        QStringLiteral(R"(Using SkyPilot API server(?: and dashboard)?:\s*(\S+))"));

    const QString clean = stripAnsi(output);
    const QList<QStringView> lines = splitLines(clean);
    CheckReport report;
    bool recognised = false;
    bool inSummary = false;
    QString cloud;
    QStringList reasonLines;
    const auto finishCloud = [&] {
        if (!cloud.isEmpty() && !reasonLines.isEmpty() && !report.enabled.value(cloud))
            report.reasons.insert(cloud, reasonLines.join(u'\n'));
        cloud.clear();
        reasonLines.clear();
    };
    for (const QStringView line : lines) {
        const QStringView trimmed = line.trimmed();
        const int indent = indentOf(line);
        if (trimmed.isEmpty()) {
            finishCloud();
            inSummary = false;
            continue;
        }
        if (trimmed.contains(u"Enabled infra", Qt::CaseInsensitive)
            || trimmed.contains(u"Enabled clouds", Qt::CaseInsensitive)) {
            finishCloud();
            inSummary = true;
            recognised = true;
            continue;
        }
        if (trimmed.contains(u"SkyPilot API server")) {
            if (const auto match = matchIn(apiServer, trimmed); match.hasMatch())
                report.apiServer = match.captured(1);
            continue;
        }
        if (trimmed.startsWith(u"Checking credentials")) {
            recognised = true;
            continue;
        }
        if (inSummary) {
            if (indent < 4 && !trimmed.startsWith(u"No ")) {
                QStringView name = trimmed;
                if (name.startsWith(QChar(kCheckMark)))
                    name = name.mid(1).trimmed();
                const qsizetype bracket = name.indexOf(u'[');
                if (bracket > 0)
                    name = name.left(bracket);
                if (!cloudKey(name).isEmpty() && !report.enabledInfra.contains(cloudKey(name)))
                    report.enabledInfra.append(cloudKey(name));
            }
            continue;
        }
        if (indent < 4) {
            if (const auto match = matchIn(cloudLine, trimmed); match.hasMatch()) {
                finishCloud();
                cloud = cloudKey(match.capturedView(1));
                const bool enabled = match.capturedView(2) == u"enabled";
                report.enabled.insert(cloud, report.enabled.value(cloud) || enabled);
                recognised = true;
                continue;
            }
            finishCloud();
            continue;
        }
        if (!cloud.isEmpty())
            reasonLines.append(trimmed.toString());
    }
    finishCloud();
    if (!recognised)
        return unrecognised("sky check", "'  Nebius: enabled …' or '  Nebius: disabled'", lines);
    return report;
}

Result<QList<GpuListing>, SkyParseError> parseShowGpus(const QString &output)
{
    const QString clean = stripAnsi(output);
    const QList<QStringView> lines = splitLines(clean);
    QList<GpuListing> listings;
    bool recognised = false;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QStringView trimmed = lines[i].trimmed();
        if (trimmed.isEmpty())
            continue;
        if ((trimmed.startsWith(u"Resources '") || trimmed.startsWith(u"Resources \""))
            && trimmed.contains(u"not found")) {
            recognised = true;
            continue;
        }
        if (trimmed.startsWith(u"COMMON_GPU") || trimmed.startsWith(u"OTHER_GPU")
            || trimmed.startsWith(u"GOOGLE_TPU")) {
            recognised = true; // the overview without a GPU name: nothing to list per offer
            continue;
        }
        if (!trimmed.startsWith(u"GPU") || !trimmed.contains(u"QTY"))
            continue;
        const Table table = readTable(lines, i);
        i = table.nextLine - 1;
        const TableHeader &header = table.header;
        if (header.column(u"GPU") != 0 || !header.has(u"QTY"))
            continue;
        recognised = true;
        for (const QStringList &cells : table.rows) {
            GpuListing listing;
            listing.gpu = cellValue(cells, header, u"GPU");
            if (listing.gpu.isEmpty() || listing.gpu.contains(u' '))
                continue;
            listing.quantity = toInt(cellValue(cells, header, u"QTY")).value_or(0);
            listing.cloud = cellValue(cells, header, u"CLOUD");
            listing.instanceType = cellValue(cells, header, u"INSTANCE_TYPE");
            listing.deviceMemory = cellValue(cells, header, u"DEVICE_MEM");
            listing.hourlyPrice = toPrice(cellValue(cells, header, u"HOURLY_PRICE"));
            listing.hourlySpotPrice = toPrice(cellValue(cells, header, u"HOURLY_SPOT_PRICE"));
            listing.region = cellValue(cells, header, u"REGION");
            listings.append(listing);
        }
    }
    if (!recognised)
        return unrecognised("sky show-gpus", "a GPU QTY CLOUD … table or 'Resources … not found'", lines);
    return listings;
}

Result<VersionInfo, SkyParseError> parseVersion(const QString &output)
{
    static const QRegularExpression version(
        QStringLiteral(R"(\bversion\b[\s:]*v?(\d+(?:\.\d+)+(?:[.+\-]?[0-9A-Za-z]+)*))"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression commit(QStringLiteral(R"(\bcommit\b[\s:]*([0-9a-fA-F]{7,40})\b)"));
    const QString clean = stripAnsi(output);
    const QList<QStringView> lines = splitLines(clean);
    for (const QStringView line : lines) {
        if (!line.contains(u"version", Qt::CaseInsensitive))
            continue;
        const QRegularExpressionMatch match = matchIn(version, line);
        if (!match.hasMatch())
            continue;
        VersionInfo info;
        info.clientVersion = match.captured(1);
        if (const auto commitMatch = matchIn(commit, line); commitMatch.hasMatch())
            info.clientCommit = commitMatch.captured(1);
        return info;
    }
    return unrecognised("sky -v", "'skypilot, version X.Y.Z'", lines);
}

Result<VersionInfo, SkyParseError> parseApiInfo(const QString &output)
{
    static const QRegularExpression client(
        QStringLiteral(R"(SkyPilot client version:\s*([^,\s]+)(?:,\s*commit:\s*([^,\s]+))?)"));
    static const QRegularExpression server(QStringLiteral(R"(Using SkyPilot API server(?: and dashboard)?:\s*(\S+))"));
    static const QRegularExpression status(QStringLiteral(R"(\bStatus:\s*([^,]+?)\s*(?:,|$))"));
    static const QRegularExpression serverCommit(QStringLiteral(R"(\bcommit:\s*([^,\s]+))"));
    static const QRegularExpression serverVersion(QStringLiteral(R"(\bversion:\s*([^,\s]+))"));
    static const QRegularExpression user(QStringLiteral(R"(\bUser:\s*(.*?)(?:\s*\(([^()]*)\))?\s*$)"));

    const QString clean = stripAnsi(output);
    const QList<QStringView> lines = splitLines(clean);
    VersionInfo info;
    for (const QStringView line : lines) {
        const QStringView trimmed = line.trimmed();
        if (trimmed.contains(u"client version:")) {
            if (const auto match = matchIn(client, trimmed); match.hasMatch()) {
                info.clientVersion = match.captured(1);
                info.clientCommit = match.captured(2);
            }
        } else if (trimmed.contains(u"Using SkyPilot API server")) {
            if (const auto match = matchIn(server, trimmed); match.hasMatch())
                info.serverUrl = match.captured(1);
        } else if (trimmed.contains(u"Status:")) {
            if (const auto match = matchIn(status, trimmed); match.hasMatch()) {
                QStringView word = match.capturedView(1);
                const qsizetype dot = word.lastIndexOf(u'.'); // "ApiServerStatus.HEALTHY"
                if (dot >= 0)
                    word = word.mid(dot + 1);
                info.serverStatus = word.trimmed().toString().toUpper();
            }
            if (const auto match = matchIn(serverCommit, trimmed); match.hasMatch())
                info.serverCommit = match.captured(1);
            if (const auto match = matchIn(serverVersion, trimmed); match.hasMatch())
                info.serverVersion = match.captured(1);
        } else if (trimmed.contains(u"User:")) {
            if (const auto match = matchIn(user, trimmed); match.hasMatch()) {
                info.user = match.captured(1).trimmed();
                info.userId = match.captured(2).trimmed();
            }
        }
    }
    if (info.clientVersion.isEmpty() && info.serverUrl.isEmpty() && info.serverStatus.isEmpty())
        return unrecognised("sky api info", "'SkyPilot client version: …' or 'Using SkyPilot API server …'", lines);
    return info;
}

} // namespace vibeml::sky
