#include "hub/HubError.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace vibeml::hub {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("HubError", text);
}

QString kindNoun(RepoKind kind)
{
    return kind == RepoKind::Dataset ? tr("dataset") : tr("model");
}

// The server's own words: X-Error-Message, else a JSON error body, else short plain text.
QString serverMessage(const RawHeaders &headers, const QByteArray &body)
{
    const QByteArray fromHeader = headerValue(headers, "X-Error-Message");
    if (!fromHeader.isEmpty())
        return QString::fromUtf8(fromHeader).left(500);
    const QByteArray trimmed = body.trimmed();
    if (trimmed.startsWith('{')) {
        const QJsonObject object = QJsonDocument::fromJson(trimmed).object();
        const QJsonValue error = object.value(QStringLiteral("error"));
        QString text;
        if (error.isString())
            text = error.toString();
        else if (error.isArray() && !error.toArray().isEmpty())
            text = error.toArray().first().toString();
        else if (object.value(QStringLiteral("errors")).isArray())
            text = object.value(QStringLiteral("errors")).toArray().first().toObject().value(QStringLiteral("message")).toString();
        const QString description = object.value(QStringLiteral("error_description")).toString();
        if (!description.isEmpty())
            text = text.isEmpty() ? description : text + QStringLiteral(": ") + description;
        return text.left(500);
    }
    if (trimmed.startsWith('<'))
        return tr("(an HTML page)");
    return QString::fromUtf8(trimmed.left(300));
}

HubError make(HubError::Kind kind, QString message, const RequestContext &context)
{
    Q_UNUSED(context)
    HubError error;
    error.kind = kind;
    error.message = std::move(message);
    return error;
}

QString tokenSettingsUrl(const QUrl &hub)
{
    QUrl url = hub;
    url.setPath(url.path() + QStringLiteral("/settings/tokens"));
    return url.toString();
}

HubError classifyViewerError(int status, const QByteArray &code, const QString &said, const RequestContext &context)
{
    const QString id = context.repoId;
    if (code == "ExternalUnauthenticatedError" || (status == 401 && !context.tokenSent)) {
        HubError error = make(HubError::Kind::RepoNotFound,
                              tr("The dataset viewer cannot find %1. It may be misspelled, or private or gated: add a "
                                 "Hugging Face token that can read it.")
                                  .arg(id),
                              context);
        if (context.tokenSent)
            error.kind = HubError::Kind::InvalidToken;
        return error;
    }
    if (code == "ExternalAuthenticatedError") {
        HubError error = make(HubError::Kind::GatedNotApproved,
                              tr("Your token cannot read %1. If it is gated, request access at %2, then retry.")
                                  .arg(id, repoPageUrl(context.hubEndpoint, RepoKind::Dataset, id).toString()),
                              context);
        error.actionUrl = repoPageUrl(context.hubEndpoint, RepoKind::Dataset, id);
        return error;
    }
    if (code.startsWith("ResponseNotReady"))
        return make(HubError::Kind::ViewerNotReady,
                    tr("The dataset viewer is still preparing %1. VibeML will use the dataset card meanwhile; try "
                       "again in a few minutes for row counts and a preview.")
                        .arg(id),
                    context);
    if (status == 501 || code == "DatasetInBlockListError" || code == "DatasetWithTooManyConfigsError")
        return make(HubError::Kind::ViewerUnavailable,
                    tr("The dataset viewer does not support %1 (%2). VibeML falls back to the dataset card.").arg(id, said),
                    context);
    return {};
}

} // namespace

bool HubError::isRetryable() const
{
    switch (kind) {
    case Kind::RateLimited:
    case Kind::Timeout:
    case Kind::NetworkError:
    case Kind::ServerError:
    case Kind::ViewerNotReady:
        return true;
    default:
        return false;
    }
}

QUrl repoPageUrl(const QUrl &hubEndpoint, RepoKind kind, const QString &repoId)
{
    QUrl url = hubEndpoint.isEmpty() ? QUrl(QStringLiteral("https://huggingface.co")) : hubEndpoint;
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    path += kind == RepoKind::Dataset ? QStringLiteral("/datasets/") : QStringLiteral("/");
    url.setPath(path + repoId);
    return url;
}

HubError classifyHttpError(int status, const RawHeaders &headers, const QByteArray &body, const RequestContext &context)
{
    const QByteArray code = headerValue(headers, "X-Error-Code");
    const QString said = serverMessage(headers, body);
    const QString id = context.repoId;
    const QString noun = kindNoun(context.repoKind);
    const QUrl page = repoPageUrl(context.hubEndpoint, context.repoKind, id);
    HubError error;

    const auto finish = [&](HubError result) {
        result.detail = said;
        result.httpStatus = status;
        result.requestId = QString::fromLatin1(headerValue(headers, "X-Request-Id"));
        return result;
    };

    if (context.target == RequestContext::Target::Viewer) {
        HubError viewer = classifyViewerError(status, code, said, context);
        if (!viewer.message.isEmpty())
            return finish(viewer);
    }

    if (code == "RevisionNotFound") {
        error = make(HubError::Kind::RevisionNotFound,
                     tr("Revision \"%1\" does not exist in %2. Use a branch, tag or commit that exists (\"main\" is "
                        "the default).")
                         .arg(context.revision.isEmpty() ? said : context.revision, id),
                     context);
    } else if (code == "EntryNotFound") {
        error = make(HubError::Kind::EntryNotFound,
                     tr("%1 has no file or folder \"%2\" at this revision.").arg(id, context.path), context);
    } else if (code == "GatedRepo") {
        if (!context.tokenSent) {
            error = make(HubError::Kind::GatedNeedsToken,
                         tr("%1 is gated. Add a Hugging Face token (Preferences › Secrets, or HF_TOKEN), request "
                            "access at %2, then retry.")
                             .arg(id, page.toString()),
                         context);
        } else {
            error = make(HubError::Kind::GatedNotApproved,
                         tr("Your Hugging Face account has no access to %1 yet. Request access at %2, then retry "
                            "(some authors approve requests by hand, which can take days).")
                             .arg(id, page.toString()),
                         context);
        }
        error.actionUrl = page;
    } else if (said == QLatin1String("Access to this resource is disabled.")) {
        error = make(HubError::Kind::Disabled,
                     tr("%1 has been disabled on the Hugging Face Hub and cannot be downloaded. Pick another %2.")
                         .arg(id, noun),
                     context);
    } else if (status == 403 && said.contains(QLatin1String("fine-grained token"), Qt::CaseInsensitive)) {
        error = make(HubError::Kind::GatedTokenScope,
                     tr("Your fine-grained token may not read gated repositories. Edit it at %1 and enable \"Read "
                        "access to contents of all public gated repos you can access\", then retry.")
                         .arg(tokenSettingsUrl(context.hubEndpoint.isEmpty() ? QUrl(QStringLiteral("https://huggingface.co"))
                                                                               : context.hubEndpoint)),
                     context);
        error.actionUrl = QUrl(tokenSettingsUrl(context.hubEndpoint));
    } else if (status == 401 && context.tokenSent) {
        // A valid token gets 404 for missing repos, so a 401 means the token itself was refused.
        error = make(HubError::Kind::InvalidToken,
                     tr("The Hugging Face token from %1 was refused (invalid, revoked or expired). Create a new one "
                        "at %2 and save it in Preferences › Secrets.")
                         .arg(context.tokenSource.isEmpty() ? tr("your settings") : context.tokenSource,
                              tokenSettingsUrl(context.hubEndpoint.isEmpty() ? QUrl(QStringLiteral("https://huggingface.co"))
                                                                               : context.hubEndpoint)),
                     context);
        if (context.tokenSource == QLatin1String("HF_TOKEN"))
            error.message += QLatin1Char(' ') + tr("Note that HF_TOKEN takes precedence over the Hub's token file.");
    } else if (code == "RepoNotFound"
               || (status == 401
                   && (context.target == RequestContext::Target::Repo || context.target == RequestContext::Target::RepoFile))) {
        error = make(HubError::Kind::RepoNotFound,
                     context.tokenSent
                         ? tr("No %1 named %2 exists, or your token cannot see it (it may be private). Check the "
                              "spelling.")
                               .arg(noun, id)
                         : tr("No %1 named %2 was found. Check the spelling; if it is private, add a Hugging Face "
                              "token that can read it.")
                               .arg(noun, id),
                     context);
    } else if (status == 401) {
        error = make(HubError::Kind::InvalidToken,
                     tr("The Hub asks for a Hugging Face token. Save one in Preferences › Secrets or set HF_TOKEN."),
                     context);
    } else if (status == 400) {
        error = make(HubError::Kind::BadRequest,
                     tr("The Hub refused VibeML's request (%1). This is a VibeML bug; please report it.").arg(said),
                     context);
    } else if (status == 403) {
        error = make(HubError::Kind::Forbidden,
                     tr("The Hub refused access to %1 (%2). Make sure your token has the right permissions.")
                         .arg(id.isEmpty() ? tr("this resource") : id, said),
                     context);
    } else if (status == 429) {
        const std::optional<RateLimitReading> limit = parseRateLimit(headers);
        const int wait = limit && limit->resetSeconds >= 0 ? limit->resetSeconds + 1 : parseRetryAfter(headers).value_or(60);
        error = make(HubError::Kind::RateLimited,
                     tr("The Hugging Face Hub is rate-limiting requests from this computer. Try again in %1 s; a "
                        "saved token raises the limit.")
                         .arg(wait),
                     context);
        error.retryAfterSeconds = wait;
    } else if (status >= 500) {
        error = make(HubError::Kind::ServerError,
                     tr("The Hugging Face Hub had a problem (HTTP %1). Try again in a few minutes; "
                        "https://status.huggingface.co shows outages.")
                         .arg(status),
                     context);
    } else if (status == 404) {
        error = make(HubError::Kind::RepoNotFound, tr("The Hub has no %1 named %2.").arg(noun, id), context);
    } else {
        error = make(HubError::Kind::BadRequest, tr("The Hub answered HTTP %1 (%2).").arg(status).arg(said), context);
    }
    return finish(error);
}

HubError offlineError(const RequestContext &context)
{
    return make(HubError::Kind::Offline,
                tr("VibeML is offline (HF_HUB_OFFLINE=1), so it did not contact the Hub. Unset HF_HUB_OFFLINE to "
                   "check %1 live.")
                    .arg(context.repoId.isEmpty() ? tr("this") : context.repoId),
                context);
}

HubError transportError(HubError::Kind kind, const QString &detail, const RequestContext &context)
{
    QString message;
    switch (kind) {
    case HubError::Kind::Timeout:
        message = tr("The Hub did not answer in time. Check your connection and try again.");
        break;
    case HubError::Kind::ResponseTooLarge:
        message = tr("The Hub sent far more data than expected, so VibeML stopped reading. Try again later.");
        break;
    case HubError::Kind::TooManyRedirects:
        message = tr("The Hub redirected too many times (or to a place VibeML will not follow).");
        break;
    case HubError::Kind::Cancelled:
        message = tr("The request was cancelled.");
        break;
    default:
        message = tr("Could not reach the Hugging Face Hub (%1). Check your internet connection; VibeML answers "
                     "from its cache meanwhile where it can.")
                      .arg(detail);
        break;
    }
    HubError error = make(kind, message, context);
    error.detail = detail;
    return error;
}

HubError malformedResponse(const QString &detail, const RequestContext &context)
{
    HubError error = make(HubError::Kind::MalformedResponse,
                          tr("The Hub answered with something VibeML cannot read (%1). Try again; if it keeps "
                             "happening the Hub may be having problems.")
                              .arg(detail),
                          context);
    error.detail = detail;
    return error;
}

} // namespace vibeml::hub
