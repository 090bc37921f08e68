#pragma once

#include <QString>
#include <QUrl>

// Where VibeML talks to the Hub and with which token, decided the way huggingface_hub does so
// that a user's existing set-up just works.
namespace vibeml::hub {

struct HubEndpoints
{
    QUrl hub;             // API and file downloads
    QUrl viewer;          // dataset viewer (datasets-server)
    QString hubSource;    // "settings", "HF_ENDPOINT" or "default"
    QString viewerSource; // "settings", "HF_DATASETS_SERVER" or "default"
    bool offline = false; // HF_HUB_OFFLINE=1: no network at all
};

inline constexpr char kDefaultHubUrl[] = "https://huggingface.co";
inline constexpr char kDefaultViewerUrl[] = "https://datasets-server.huggingface.co";

// `hubSetting`/`viewerSetting` are the (already validated) settings values; empty means unset.
HubEndpoints resolveEndpoints(const QString &hubSetting, const QString &viewerSetting);

enum class TokenSource {
    None,
    Keychain,
    EnvHfToken,          // HF_TOKEN
    EnvLegacyToken,      // HUGGING_FACE_HUB_TOKEN
    TokenPathFile,       // $HF_TOKEN_PATH
    HfHomeFile,          // $HF_HOME/token
    XdgCacheFile,        // $XDG_CACHE_HOME/huggingface/token
    HomeCacheFile,       // ~/.cache/huggingface/token
};

struct ResolvedToken
{
    QString token; // empty with TokenSource::None
    TokenSource source = TokenSource::None;
    QString location; // the variable or file it came from

    bool isEmpty() const { return token.isEmpty(); }
    // "the keychain", "HF_TOKEN", "/home/ana/.cache/huggingface/token", "no token"
    QString describe() const;
};

// huggingface_hub's cleaning: every CR and LF removed, surrounding whitespace trimmed.
QString cleanToken(const QString &raw);

// The environment and token files, in order: HF_TOKEN, HUGGING_FACE_HUB_TOKEN, HF_TOKEN_PATH,
// $HF_HOME/token, $XDG_CACHE_HOME/huggingface/token, ~/.cache/huggingface/token. The keychain
// comes before all of these; the caller asks it first (SecretStore is asynchronous).
ResolvedToken tokenFromEnvironment();

// True when `url` has the same scheme, host and port as one of the trusted endpoints: the only
// places a token may be sent.
bool isTrustedOrigin(const QUrl &url, const HubEndpoints &endpoints);

} // namespace vibeml::hub
