#pragma once

#include "hub/HttpHeaders.h"
#include "hub/HubTypes.h"

#include <QString>
#include <QUrl>

#include <optional>

namespace vibeml::hub {

// Why a Hub or viewer call did not give an answer. `message` is one or two sentences a user can
// act on; `detail` is what the server said, for the log and the details pane.
struct HubError
{
    enum class Kind {
        RepoNotFound,        // missing, or private and unreadable with this token
        GatedNeedsToken,     // gated repo, no token sent
        GatedNotApproved,    // token valid, access not (yet) granted
        GatedTokenScope,     // fine-grained token without "read public gated repos"
        InvalidToken,        // token rejected (revoked, expired, mistyped)
        RevisionNotFound,
        EntryNotFound,       // a file or folder in the repo
        Disabled,            // repo disabled by the Hub
        RateLimited,
        Offline,             // HF_HUB_OFFLINE=1, or no network
        Timeout,
        NetworkError,
        ServerError,         // 5xx
        BadRequest,          // 4xx VibeML caused (a bug)
        Forbidden,
        ResponseTooLarge,
        TooManyRedirects,
        MalformedResponse,
        ViewerNotReady,      // dataset viewer still computing; retry later
        ViewerUnavailable,   // viewer cannot handle this dataset
        InvalidId,           // the id or revision breaks the Hub's naming rules
        NoToken,             // the call needs a token and none is set
        Cancelled,
    };

    Kind kind = Kind::NetworkError;
    QString message;
    QString detail;
    int httpStatus = 0;
    QString requestId;
    std::optional<int> retryAfterSeconds;
    QUrl actionUrl; // where the user can fix it (access request page, token settings)

    bool isRetryable() const;
};

// What a request was about, so an HTTP failure can be explained in those terms.
struct RequestContext
{
    enum class Target { Repo, RepoFile, Whoami, Search, Viewer, Other };
    Target target = Target::Other;
    RepoKind repoKind = RepoKind::Model;
    QString repoId;
    QString revision;
    QString path;           // file path for RepoFile
    bool tokenSent = false;
    QString tokenSource;    // "the keychain", "HF_TOKEN", … for invalid-token messages
    QUrl hubEndpoint;       // to build links such as the access request page
};

// huggingface_hub's hf_raise_for_status decision order, applied to (status, X-Error-Code,
// X-Error-Message, body, whether a token was sent), plus the dataset viewer's error codes.
HubError classifyHttpError(int status, const RawHeaders &headers, const QByteArray &body, const RequestContext &context);

// Errors without an HTTP status.
HubError offlineError(const RequestContext &context);
HubError transportError(HubError::Kind kind, const QString &detail, const RequestContext &context);
HubError malformedResponse(const QString &detail, const RequestContext &context);

// The repository's page: https://huggingface.co/<id> or /datasets/<id> on the endpoint.
QUrl repoPageUrl(const QUrl &hubEndpoint, RepoKind kind, const QString &repoId);

} // namespace vibeml::hub
