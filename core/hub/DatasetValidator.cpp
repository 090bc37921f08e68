#include "hub/DatasetValidator.h"

#include "log/Logging.h"

#include <QCoreApplication>
#include <QLocale>

namespace vibeml::hub {
namespace {

CheckLine line(CheckLine::Topic topic, CheckLine::Verdict verdict, const QString &title, const QString &text,
               const QUrl &action = {})
{
    return CheckLine{topic, verdict, title, text, action};
}

QString pickSplit(const QStringList &splits, const QString &wanted)
{
    if (!wanted.isEmpty())
        return splits.contains(wanted) ? wanted : QString();
    for (const char *preferred : {"train", "train_sft"}) {
        if (splits.contains(QLatin1String(preferred)))
            return QLatin1String(preferred);
    }
    for (const QString &split : splits) {
        if (split.startsWith(QLatin1String("train")))
            return split;
    }
    return splits.value(0);
}

QString formatCount(qint64 count)
{
    return QLocale::system().toString(count);
}

} // namespace

DatasetValidator::DatasetValidator(HubClient &client, QObject *parent)
    : QObject(parent), m_client(client), m_round(client, [this] { settle(); })
{
}

void DatasetValidator::validate(const DatasetRequest &request)
{
    m_round.restart();
    m_request = request;
    m_request.id = request.id.trimmed();
    m_report = DatasetReport{};
    m_report.requestedId = m_request.id;
    m_access.reset();
    m_viewerError.reset();
    m_viewerSplits.reset();
    m_viewerInfo.reset();
    m_viewerSize.reset();
    m_firstRows.reset();
    m_round.track(m_client.datasetInfo(m_request.id, m_request.revision, this,
                                       m_round.expect<DatasetInfo>([this](const HubResult<DatasetInfo> &result) { onInfo(result); })));
}

void DatasetValidator::onInfo(const HubResult<DatasetInfo> &result)
{
    if (!result) {
        m_report.infoError = result.error();
        return;
    }
    const Fetched<DatasetInfo> &fetched = result.value();
    takeInfo(m_report, fetched, m_request.id);
    if (fetched.value.gated != GatedMode::NotGated && !m_client.token().isEmpty()) {
        m_round.track(m_client.authCheck(RepoKind::Dataset, m_report.canonicalId, this,
                                         m_round.expect<bool>([this](const HubResult<bool> &access) { m_access = access; })));
    }
    if (fetched.origin == AnswerOrigin::Snapshot || fetched.origin == AnswerOrigin::StaleCache)
        return; // the viewer is not reachable either; the card has to do
    m_round.track(m_client.viewerValidity(m_report.canonicalId, this,
                                          m_round.expect<ViewerValidity>([this](const HubResult<ViewerValidity> &validity) {
                                              onValidity(validity);
                                          })));
}

void DatasetValidator::onValidity(const HubResult<ViewerValidity> &result)
{
    if (!result) {
        m_viewerError = result.error();
        return;
    }
    const ViewerValidity &validity = result.value().value;
    if (!validity.preview && !validity.viewer)
        return;
    m_round.track(m_client.viewerSplits(m_report.canonicalId, this,
                                        m_round.expect<ViewerSplits>([this](const HubResult<ViewerSplits> &splits) {
                                            if (!splits) {
                                                m_viewerError = splits.error();
                                                return;
                                            }
                                            m_viewerSplits = splits.value().value;
                                            requestViewerDetails();
                                        })));
}

void DatasetValidator::requestViewerDetails()
{
    QStringList configs;
    for (const ViewerSplit &split : std::as_const(m_viewerSplits->splits)) {
        if (!configs.contains(split.config))
            configs.append(split.config);
    }
    QString config = m_request.config;
    if (config.isEmpty())
        config = configs.contains(QStringLiteral("default")) ? QStringLiteral("default") : configs.value(0);
    if (!configs.contains(config))
        return; // an unknown config is reported by buildChecks
    QStringList splits;
    for (const ViewerSplit &split : std::as_const(m_viewerSplits->splits)) {
        if (split.config == config)
            splits.append(split.split);
    }
    const QString split = pickSplit(splits, m_request.split);
    m_report.config = config;
    m_report.split = split;
    const QString id = m_report.canonicalId;
    m_round.track(m_client.viewerInfo(id, config, this, m_round.expect<ViewerInfo>([this](const HubResult<ViewerInfo> &info) {
                                          if (info)
                                              m_viewerInfo = info.value().value;
                                          else
                                              m_viewerError = info.error();
                                      })));
    m_round.track(m_client.viewerSize(id, config, this, m_round.expect<ViewerSize>([this](const HubResult<ViewerSize> &size) {
                                          if (size)
                                              m_viewerSize = size.value().value;
                                      })));
    if (!split.isEmpty()) {
        m_round.track(m_client.firstRows(id, config, split, this, m_round.expect<FirstRows>([this](const HubResult<FirstRows> &rows) {
                                             if (rows)
                                                 m_firstRows = rows.value().value;
                                             else
                                                 m_viewerError = rows.error();
                                         })));
    }
}

void DatasetValidator::settle()
{
    buildChecks();
    log::hub()->info("Validated dataset {}: {}", m_report.requestedId, m_report.canLaunch() ? "ready" : "not ready");
    Q_EMIT finished(m_report);
}

void DatasetValidator::chooseConfigAndSplit()
{
    // Prefer what the viewer computed; fall back to the dataset card.
    m_report.viewerAvailable = m_viewerInfo.has_value();
    m_report.configs = m_viewerInfo ? m_viewerInfo->configs : m_report.info->configs;
    if (m_report.config.isEmpty()) {
        QString config = m_request.config;
        if (config.isEmpty()) {
            for (const DatasetConfig &candidate : std::as_const(m_report.configs)) {
                if (candidate.name == QLatin1String("default"))
                    config = candidate.name;
            }
            if (config.isEmpty() && !m_report.configs.isEmpty())
                config = m_report.configs.first().name;
        }
        m_report.config = config;
    }
    const DatasetConfig *chosen = nullptr;
    for (const DatasetConfig &candidate : std::as_const(m_report.configs)) {
        if (candidate.name == m_report.config)
            chosen = &candidate;
    }
    if (!chosen)
        return;
    QStringList splitNames;
    for (const DatasetSplit &split : chosen->splits)
        splitNames.append(split.name);
    if (m_report.split.isEmpty())
        m_report.split = pickSplit(splitNames, m_request.split);
    m_report.columns = m_firstRows && !m_firstRows->columns.isEmpty() ? m_firstRows->columns : chosen->columns;
    for (const DatasetSplit &split : chosen->splits) {
        if (split.name == m_report.split) {
            m_report.rowCount = split.numExamples;
            m_report.splitBytes = split.numBytes;
        }
    }
    if (m_viewerSize) {
        for (const ViewerSplitSize &size : std::as_const(m_viewerSize->splits)) {
            if (size.config == m_report.config && size.split == m_report.split) {
                m_report.rowCount = size.numRows;
                if (size.memoryBytes)
                    m_report.splitBytes = size.memoryBytes;
            }
        }
    }
}

void DatasetValidator::buildChecks()
{
    using Topic = CheckLine::Topic;
    using Verdict = CheckLine::Verdict;
    QList<CheckLine> &checks = m_report.checks;
    if (!m_report.info) {
        const HubError error = m_report.infoError.value_or(HubError{});
        checks.append(line(error.kind == HubError::Kind::RevisionNotFound ? Topic::Revision : Topic::Exists, Verdict::Fail,
                           tr("Exists"), error.message, error.actionUrl));
        return;
    }
    const DatasetInfo &info = *m_report.info;
    const QUrl page = repoPageUrl(m_client.endpoints().hub, RepoKind::Dataset, info.id);

    if (info.disabled)
        checks.append(line(Topic::Exists, Verdict::Fail, tr("Exists"), tr("%1 has been disabled on the Hub.").arg(info.id)));
    else if (m_report.canonicalId != m_report.requestedId)
        checks.append(line(Topic::Exists, Verdict::Warn, tr("Exists"),
                           tr("%1 is now %2; VibeML will use %2.").arg(m_report.requestedId, m_report.canonicalId)));
    else
        checks.append(line(Topic::Exists, Verdict::Pass, tr("Exists"),
                           info.prettyName.isEmpty() ? info.id : tr("%1 (%2)").arg(info.id, info.prettyName)));

    if (info.gated == GatedMode::NotGated) {
        checks.append(line(Topic::Access, Verdict::Pass, tr("Access"), info.isPrivate ? tr("private; your token can read it") : tr("public")));
    } else if (m_client.token().isEmpty()) {
        checks.append(line(Topic::Access, Verdict::Fail, tr("Access"),
                           tr("gated: add a Hugging Face token, request access at %1, then retry").arg(page.toString()), page));
    } else if (!m_access) {
        checks.append(line(Topic::Access, Verdict::Warn, tr("Access"), tr("gated; access could not be checked offline"), page));
    } else if (*m_access) {
        checks.append(line(Topic::Access, Verdict::Pass, tr("Access"), tr("gated; your account has access")));
    } else {
        const HubError &error = m_access->error();
        checks.append(line(Topic::Access, error.isRetryable() ? Verdict::Warn : Verdict::Fail, tr("Access"), error.message,
                           error.actionUrl.isValid() ? error.actionUrl : page));
    }

    chooseConfigAndSplit();

    if (m_report.viewerAvailable)
        checks.append(line(Topic::Viewer, Verdict::Pass, tr("Viewer"), tr("the dataset viewer describes this dataset")));
    else
        checks.append(line(Topic::Viewer, Verdict::Warn, tr("Viewer"),
                           m_viewerError ? tr("unavailable (%1); using the dataset card").arg(m_viewerError->message)
                                         : tr("unavailable; using the dataset card")));

    if (m_report.configs.isEmpty()) {
        checks.append(line(Topic::Splits, Verdict::Warn, tr("Splits"),
                           tr("unknown: neither the viewer nor the dataset card lists configs or splits")));
    } else if (!m_request.config.isEmpty() && m_report.columns.isEmpty() && m_report.split.isEmpty()) {
        QStringList names;
        for (const DatasetConfig &config : std::as_const(m_report.configs))
            names.append(config.name);
        checks.append(line(Topic::Splits, Verdict::Fail, tr("Splits"),
                           tr("no config \"%1\"; available: %2").arg(m_request.config, names.join(QStringLiteral(", ")))));
    } else if (m_report.split.isEmpty()) {
        checks.append(line(Topic::Splits, Verdict::Fail, tr("Splits"),
                           m_request.split.isEmpty() ? tr("config %1 has no splits").arg(m_report.config)
                                                     : tr("config %1 has no split \"%2\"").arg(m_report.config, m_request.split)));
    } else {
        QString text = tr("%1 / %2").arg(m_report.config, m_report.split);
        if (m_report.rowCount)
            text += tr(": %1 rows").arg(formatCount(*m_report.rowCount));
        if (m_report.splitBytes)
            text += tr(", %1").arg(formatBytes(*m_report.splitBytes));
        if (m_report.configs.size() > 1)
            text += tr(" (%1 configs)").arg(m_report.configs.size());
        checks.append(line(Topic::Splits, m_report.rowCount ? Verdict::Pass : Verdict::Warn, tr("Splits"), text));
    }

    if (m_report.columns.isEmpty()) {
        checks.append(line(Topic::Columns, Verdict::Warn, tr("Columns"), tr("unknown")));
    } else {
        QStringList described;
        for (const DatasetColumn &column : std::as_const(m_report.columns))
            described.append(column.name + QStringLiteral(": ") + column.type.describe());
        checks.append(line(Topic::Columns, Verdict::Pass, tr("Columns"), described.join(QStringLiteral(", "))));
    }

    if (m_firstRows)
        m_report.previewRows = m_firstRows->rows;
    m_report.format = detectFormat(m_report.columns, m_report.previewRows);
    if (m_request.mapping) {
        m_report.format.mapping = *m_request.mapping;
        m_report.format.reason = tr("chosen by you");
    }
    const std::optional<QString> problem =
        m_report.columns.isEmpty() && !m_request.mapping ? std::optional<QString>(m_report.format.reason)
                                                         : mappingProblem(m_report.format.mapping, m_report.columns);
    if (problem)
        checks.append(line(Topic::Format, Verdict::Fail, tr("Format"), *problem));
    else
        checks.append(line(Topic::Format, Verdict::Pass, tr("Format"),
                           tr("%1 — %2").arg(m_report.format.mapping.describe(), m_report.format.reason)));

    m_report.tokens = estimateTokens(m_report.format.mapping, m_report.previewRows, m_report.rowCount.value_or(0), m_report.splitBytes);
    if (m_report.tokens.totalTokens > 0)
        checks.append(line(Topic::Tokens, m_report.previewRows.isEmpty() ? Verdict::Warn : Verdict::Pass, tr("Tokens"),
                           tr("about %1 per row, %2 in %3 (%4)")
                               .arg(formatCount(qRound64(m_report.tokens.tokensPerRow)),
                                    formatParameterCount(m_report.tokens.totalTokens), m_report.split, m_report.tokens.basis)));
    else
        checks.append(line(Topic::Tokens, Verdict::Warn, tr("Tokens"), m_report.tokens.basis));

    if (m_report.pinnedSha.isEmpty())
        checks.append(line(Topic::Revision, Verdict::Warn, tr("Revision"),
                           tr("not pinned: offline snapshot; VibeML pins the commit once it can reach the Hub")));
    else
        checks.append(line(Topic::Revision, Verdict::Pass, tr("Revision"),
                           tr("commit %1; a launch uses exactly this commit").arg(m_report.pinnedSha.left(12))));
}

} // namespace vibeml::hub
