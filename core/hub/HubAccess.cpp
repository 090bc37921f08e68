#include "hub/HubAccess.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

namespace vibeml::hub {
namespace {

QUrl cleanBase(const QString &text)
{
    QString trimmed = text.trimmed();
    while (trimmed.endsWith(QLatin1Char('/')))
        trimmed.chop(1);
    return QUrl(trimmed, QUrl::StrictMode);
}

bool usableBase(const QUrl &url)
{
    return url.isValid() && (url.scheme() == QLatin1String("https") || url.scheme() == QLatin1String("http"))
           && !url.host().isEmpty();
}

bool truthy(const QByteArray &value)
{
    const QByteArray lower = value.trimmed().toLower();
    return lower == "1" || lower == "true" || lower == "yes" || lower == "on";
}

QString readTokenFile(const QString &path)
{
    QFile file(path);
    if (path.isEmpty() || !file.open(QIODevice::ReadOnly))
        return {};
    // A token file holds one short line; anything big is not a token file.
    return cleanToken(QString::fromUtf8(file.read(4096)));
}

int defaultPort(const QUrl &url)
{
    return url.port(url.scheme() == QLatin1String("https") ? 443 : 80);
}

} // namespace

HubEndpoints resolveEndpoints(const QString &hubSetting, const QString &viewerSetting)
{
    HubEndpoints endpoints;
    const QUrl fromSetting = cleanBase(hubSetting);
    const QUrl fromEnv = cleanBase(qEnvironmentVariable("HF_ENDPOINT"));
    if (!hubSetting.isEmpty() && usableBase(fromSetting)) {
        endpoints.hub = fromSetting;
        endpoints.hubSource = QStringLiteral("settings");
    } else if (usableBase(fromEnv)) {
        endpoints.hub = fromEnv;
        endpoints.hubSource = QStringLiteral("HF_ENDPOINT");
    } else {
        endpoints.hub = QUrl(QLatin1String(kDefaultHubUrl));
        endpoints.hubSource = QStringLiteral("default");
    }

    const QUrl viewerFromSetting = cleanBase(viewerSetting);
    const QUrl viewerFromEnv = cleanBase(qEnvironmentVariable("HF_DATASETS_SERVER"));
    if (!viewerSetting.isEmpty() && usableBase(viewerFromSetting)) {
        endpoints.viewer = viewerFromSetting;
        endpoints.viewerSource = QStringLiteral("settings");
    } else if (usableBase(viewerFromEnv)) {
        endpoints.viewer = viewerFromEnv;
        endpoints.viewerSource = QStringLiteral("HF_DATASETS_SERVER");
    } else {
        endpoints.viewer = QUrl(QLatin1String(kDefaultViewerUrl));
        endpoints.viewerSource = QStringLiteral("default");
    }
    endpoints.offline = truthy(qgetenv("HF_HUB_OFFLINE"));
    return endpoints;
}

QString cleanToken(const QString &raw)
{
    QString token = raw;
    token.remove(QLatin1Char('\r'));
    token.remove(QLatin1Char('\n'));
    return token.trimmed();
}

ResolvedToken tokenFromEnvironment()
{
    const auto fromVariable = [](const char *name, TokenSource source) -> ResolvedToken {
        const QString token = cleanToken(qEnvironmentVariable(name));
        if (token.isEmpty())
            return {};
        return {token, source, QLatin1String(name)};
    };
    if (ResolvedToken token = fromVariable("HF_TOKEN", TokenSource::EnvHfToken); !token.isEmpty())
        return token;
    if (ResolvedToken token = fromVariable("HUGGING_FACE_HUB_TOKEN", TokenSource::EnvLegacyToken); !token.isEmpty())
        return token;

    const QString home = QDir::homePath();
    const QString tokenPath = qEnvironmentVariable("HF_TOKEN_PATH");
    const QString hfHome = qEnvironmentVariable("HF_HOME");
    const QString xdgCache = qEnvironmentVariable("XDG_CACHE_HOME");
    const std::pair<QString, TokenSource> files[] = {
        {tokenPath, TokenSource::TokenPathFile},
        {hfHome.isEmpty() ? QString() : hfHome + QStringLiteral("/token"), TokenSource::HfHomeFile},
        {xdgCache.isEmpty() ? QString() : xdgCache + QStringLiteral("/huggingface/token"), TokenSource::XdgCacheFile},
        {home + QStringLiteral("/.cache/huggingface/token"), TokenSource::HomeCacheFile},
    };
    for (const auto &[path, source] : files) {
        const QString token = readTokenFile(path);
        if (!token.isEmpty())
            return {token, source, QDir::cleanPath(path)};
    }
    return {};
}

QString ResolvedToken::describe() const
{
    switch (source) {
    case TokenSource::None:
        return QCoreApplication::translate("HubAccess", "no token");
    case TokenSource::Keychain:
        return QCoreApplication::translate("HubAccess", "the keychain");
    case TokenSource::EnvHfToken:
    case TokenSource::EnvLegacyToken:
        return location;
    default:
        return QDir::toNativeSeparators(location);
    }
}

bool isTrustedOrigin(const QUrl &url, const HubEndpoints &endpoints)
{
    for (const QUrl &trusted : {endpoints.hub, endpoints.viewer}) {
        if (url.scheme() == trusted.scheme() && url.host().compare(trusted.host(), Qt::CaseInsensitive) == 0
            && defaultPort(url) == defaultPort(trusted))
            return true;
    }
    return false;
}

} // namespace vibeml::hub
