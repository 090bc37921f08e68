#include "hub/ModelValidator.h"

#include "log/Logging.h"

#include <QCoreApplication>

namespace vibeml::hub {
namespace {

CheckLine line(CheckLine::Topic topic, CheckLine::Verdict verdict, const QString &title, const QString &text,
               const QUrl &action = {})
{
    return CheckLine{topic, verdict, title, text, action};
}

bool isWeightFile(const QString &path)
{
    static const char *const suffixes[] = {".safetensors", ".bin", ".pt", ".pth", ".gguf", ".onnx", ".msgpack", ".h5",
                                           ".ckpt", ".tflite", ".ot", ".mlmodel"};
    for (const char *suffix : suffixes) {
        if (path.endsWith(QLatin1String(suffix)))
            return true;
    }
    return false;
}

QString licenceText(const ModelInfo &info)
{
    QString text = info.licenses.join(QStringLiteral(", "));
    if (!info.licenseName.isEmpty())
        text += QStringLiteral(" (") + info.licenseName + QLatin1Char(')');
    return text;
}

} // namespace

std::optional<qint64> downloadSize(const QList<TreeEntry> &tree)
{
    bool hasSafetensors = false;
    for (const TreeEntry &entry : tree) {
        if (!entry.isDirectory && entry.path.endsWith(QLatin1String(".safetensors")) && !entry.path.startsWith(QLatin1String("original/")))
            hasSafetensors = true;
    }
    qint64 total = 0;
    bool any = false;
    for (const TreeEntry &entry : tree) {
        if (entry.isDirectory || entry.path.startsWith(QLatin1String("original/")))
            continue;
        if (isWeightFile(entry.path)) {
            const bool wanted = hasSafetensors ? entry.path.endsWith(QLatin1String(".safetensors"))
                                               : entry.path.endsWith(QLatin1String(".bin"));
            if (!wanted)
                continue;
        }
        total += entry.size;
        any = true;
    }
    return any ? std::optional<qint64>(total) : std::nullopt;
}

ModelValidator::ModelValidator(HubClient &client, QObject *parent)
    : QObject(parent), m_client(client), m_round(client, [this] { settle(); })
{
}

void ModelValidator::validate(const QString &id, const QString &revision)
{
    m_round.restart();
    m_report = ModelReport{};
    m_report.requestedId = id.trimmed();
    m_report.requestedRevision = revision.trimmed();
    m_access.reset();
    m_whoami.reset();
    m_tree.reset();
    m_round.track(m_client.modelInfo(m_report.requestedId, m_report.requestedRevision, this,
                                     m_round.expect<ModelInfo>([this](const HubResult<ModelInfo> &result) { onInfo(result); })));
}

void ModelValidator::onInfo(const HubResult<ModelInfo> &result)
{
    if (!result) {
        m_report.infoError = result.error();
        return;
    }
    const Fetched<ModelInfo> &fetched = result.value();
    takeInfo(m_report, fetched, m_report.requestedId);
    const QString revision = m_report.pinnedSha.isEmpty() ? QStringLiteral("main") : m_report.pinnedSha;
    const QString id = m_report.canonicalId;
    const bool gated = fetched.value.gated != GatedMode::NotGated;

    if (gated && !m_client.token().isEmpty()) {
        m_round.track(m_client.authCheck(RepoKind::Model, id, this,
                                         m_round.expect<bool>([this](const HubResult<bool> &access) { m_access = access; })));
        m_round.track(m_client.whoami(this, m_round.expect<WhoAmI>([this](const HubResult<WhoAmI> &who) {
                                          if (who)
                                              m_whoami = who.value().value;
                                      })));
    }
    // config.json is gated like the weights; without access it would only fail.
    if (!gated || !m_client.token().isEmpty()) {
        m_round.track(m_client.modelConfig(id, revision, this, m_round.expect<ModelConfig>([this](const HubResult<ModelConfig> &config) {
                                               if (config)
                                                   m_report.config = config.value().value;
                                           })));
    }
    m_round.track(m_client.tree(RepoKind::Model, id, revision, QString(), true, this,
                                m_round.expect<QList<TreeEntry>>([this](const HubResult<QList<TreeEntry>> &tree) {
                                    if (tree)
                                        m_tree = tree.value().value;
                                })));
}

void ModelValidator::settle()
{
    buildChecks();
    log::hub()->info("Validated model {}: {}", m_report.requestedId, m_report.canLaunch() ? "ready" : "not ready");
    Q_EMIT finished(m_report);
}

void ModelValidator::buildChecks()
{
    using Topic = CheckLine::Topic;
    using Verdict = CheckLine::Verdict;
    QList<CheckLine> &checks = m_report.checks;
    if (!m_report.info) {
        const HubError error = m_report.infoError.value_or(HubError{});
        const Topic topic = error.kind == HubError::Kind::RevisionNotFound ? Topic::Revision : Topic::Exists;
        checks.append(line(topic, Verdict::Fail, topic == Topic::Revision ? tr("Revision") : tr("Exists"), error.message,
                           error.actionUrl));
        return;
    }
    const ModelInfo &info = *m_report.info;

    QString where = info.pipelineTag.isEmpty() ? QString() : info.pipelineTag;
    if (!info.libraryName.isEmpty())
        where += (where.isEmpty() ? QString() : QStringLiteral(", ")) + info.libraryName;
    if (info.disabled) {
        checks.append(line(Topic::Exists, Verdict::Fail, tr("Exists"),
                           tr("%1 has been disabled on the Hub; its files cannot be downloaded.").arg(info.id)));
    } else if (m_report.canonicalId.compare(m_report.requestedId, Qt::CaseSensitive) != 0) {
        checks.append(line(Topic::Exists, Verdict::Warn, tr("Exists"),
                           tr("%1 is now %2; VibeML will use %2.").arg(m_report.requestedId, m_report.canonicalId)));
    } else {
        checks.append(line(Topic::Exists, Verdict::Pass, tr("Exists"),
                           where.isEmpty() ? info.id : tr("%1 (%2)").arg(info.id, where)));
    }

    addAccessCheck();

    m_report.parameters = countParameters(info, m_report.config);
    const ParameterCount &count = m_report.parameters;
    switch (count.basis) {
    case ParameterCount::Basis::Safetensors:
        checks.append(line(Topic::Parameters, Verdict::Pass, tr("Parameters"),
                           tr("%1 (safetensors)").arg(formatParameterCount(count.count))));
        break;
    case ParameterCount::Basis::Config:
        checks.append(line(Topic::Parameters, Verdict::Pass, tr("Parameters"),
                           tr("%1 (derived from config.json)").arg(formatParameterCount(count.count))));
        break;
    case ParameterCount::Basis::Name:
        checks.append(line(Topic::Parameters, Verdict::Warn, tr("Parameters"),
                           tr("about %1 — a guess from the name; the memory estimate is rough").arg(formatParameterCount(count.count))));
        break;
    case ParameterCount::Basis::Unknown:
        checks.append(line(Topic::Parameters, Verdict::Fail, tr("Parameters"),
                           tr("unknown: the model publishes no safetensors and no readable config.json, so VibeML "
                              "cannot tell which GPUs it fits on")));
        break;
    }
    if (count.quantized)
        checks.append(line(Topic::Parameters, Verdict::Warn, tr("Quantized"),
                           tr("this is a quantized checkpoint (%1): the count above is packed storage, so the memory "
                              "estimate is unreliable")
                               .arg(count.quantizationMethod.isEmpty() ? tr("packed integers") : count.quantizationMethod)));

    m_report.dtype = dominantDtype(info, m_report.config);
    checks.append(m_report.dtype.isEmpty()
                      ? line(Topic::Dtype, Verdict::Warn, tr("Precision"), tr("unknown; bfloat16 is assumed"))
                      : line(Topic::Dtype, Verdict::Pass, tr("Precision"), m_report.dtype));

    const QString modelType = !info.modelType.isEmpty() ? info.modelType : m_report.config ? m_report.config->modelType : QString();
    const QStringList architectures = !info.architectures.isEmpty() ? info.architectures
                                      : m_report.config           ? m_report.config->architectures
                                                                  : QStringList();
    m_report.architecture = architectureSupport(modelType, architectures);
    if (m_report.architecture.supported) {
        QString text = tr("%1 (%2)").arg(m_report.architecture.family, architectures.value(0, modelType));
        if (!m_report.architecture.reason.isEmpty())
            text += QStringLiteral("; ") + m_report.architecture.reason;
        checks.append(line(Topic::Architecture, Verdict::Pass, tr("Architecture"), text));
    } else {
        checks.append(line(Topic::Architecture, Verdict::Fail, tr("Architecture"), m_report.architecture.reason));
    }

    const QString licence = licenceText(info);
    const QUrl page = repoPageUrl(m_client.endpoints().hub, RepoKind::Model, info.id);
    if (licence.isEmpty())
        checks.append(line(Topic::Licence, Verdict::Warn, tr("Licence"),
                           tr("none declared; read the model card before training on it"), page));
    else if (info.licenses.contains(QStringLiteral("other")) || info.licenses.contains(QStringLiteral("unknown")))
        checks.append(line(Topic::Licence, Verdict::Warn, tr("Licence"),
                           tr("%1 — a custom licence; read its terms").arg(licence),
                           info.licenseLink.isEmpty() ? page : QUrl(info.licenseLink)));
    else
        checks.append(line(Topic::Licence, Verdict::Pass, tr("Licence"), licence));

    addSizeCheck();

    if (m_report.pinnedSha.isEmpty())
        checks.append(line(Topic::Revision, Verdict::Warn, tr("Revision"),
                           tr("not pinned: this answer is from the offline snapshot; VibeML pins the commit once it can "
                              "reach the Hub")));
    else
        checks.append(line(Topic::Revision, Verdict::Pass, tr("Revision"),
                           tr("commit %1 (%2); a launch uses exactly this commit")
                               .arg(m_report.pinnedSha.left(12),
                                    m_report.requestedRevision.isEmpty() ? QStringLiteral("main") : m_report.requestedRevision)));
}

void ModelValidator::addAccessCheck()
{
    using Topic = CheckLine::Topic;
    using Verdict = CheckLine::Verdict;
    const ModelInfo &info = *m_report.info;
    QList<CheckLine> &checks = m_report.checks;
    const QUrl page = repoPageUrl(m_client.endpoints().hub, RepoKind::Model, info.id);
    if (info.gated == GatedMode::NotGated) {
        checks.append(line(Topic::Access, Verdict::Pass, tr("Access"),
                           info.isPrivate ? tr("private; your token can read it") : tr("public")));
        return;
    }
    const QString mode = info.gated == GatedMode::Manual ? tr("gated, approved by the authors") : tr("gated, granted on request");
    if (m_client.token().isEmpty()) {
        checks.append(line(Topic::Access, Verdict::Fail, tr("Access"),
                           tr("%1: add a Hugging Face token (Preferences › Secrets or HF_TOKEN), request access at %2, "
                              "then retry")
                               .arg(mode, page.toString()),
                           page));
        return;
    }
    if (!m_access || m_report.origin == AnswerOrigin::Snapshot) {
        checks.append(line(Topic::Access, Verdict::Warn, tr("Access"),
                           tr("%1; access could not be checked offline").arg(mode), page));
        return;
    }
    if (*m_access) {
        checks.append(line(Topic::Access, Verdict::Pass, tr("Access"), tr("%1; your account has access").arg(mode)));
        return;
    }
    HubError error = m_access->error();
    // A fine-grained token without the gated scope looks like "not approved" to auth-check.
    if (error.kind == HubError::Kind::GatedNotApproved && m_whoami && m_whoami->canReadGatedRepos == false) {
        error.message = tr("Your fine-grained token may not read gated repositories. Edit it at "
                           "https://huggingface.co/settings/tokens and enable \"Read access to contents of all public "
                           "gated repos you can access\", then retry.");
        error.actionUrl = QUrl(QStringLiteral("https://huggingface.co/settings/tokens"));
    }
    const bool transient = error.isRetryable() || error.kind == HubError::Kind::Offline;
    checks.append(line(Topic::Access, transient ? Verdict::Warn : Verdict::Fail, tr("Access"),
                       transient ? tr("%1; access could not be confirmed (%2)").arg(mode, error.message) : error.message,
                       error.actionUrl.isValid() ? error.actionUrl : page));
}

void ModelValidator::addSizeCheck()
{
    using Topic = CheckLine::Topic;
    using Verdict = CheckLine::Verdict;
    if (m_tree)
        m_report.downloadBytes = downloadSize(*m_tree);
    if (m_report.downloadBytes) {
        m_report.checks.append(line(Topic::Size, Verdict::Pass, tr("Download"),
                                    tr("%1 of model files").arg(formatBytes(*m_report.downloadBytes))));
        return;
    }
    const qint64 parameters = m_report.parameters.count;
    if (parameters > 0) {
        m_report.checks.append(line(Topic::Size, Verdict::Warn, tr("Download"),
                                    tr("about %1 (estimated from the parameter count; the file list was unavailable)")
                                        .arg(formatBytes(parameters * 2))));
        return;
    }
    m_report.checks.append(line(Topic::Size, Verdict::Warn, tr("Download"), tr("unknown")));
}

} // namespace vibeml::hub
