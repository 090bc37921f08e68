#include "hub/HubToken.h"

#include "log/Logging.h"
#include "secrets/SecretStore.h"

namespace vibeml::hub {

void resolveHubToken(SecretStore &secrets, QObject *context, TokenHandler handler)
{
    secrets.read(SecretId::HuggingFaceToken, context, [handler = std::move(handler)](const Result<QString, SecretError> &stored) {
        QString note;
        if (stored) {
            const QString token = cleanToken(stored.value());
            if (!token.isEmpty()) {
                handler(ResolvedToken{token, TokenSource::Keychain, QStringLiteral("keychain")}, note);
                return;
            }
        } else if (stored.error().kind != SecretError::Kind::NotFound) {
            note = stored.error().message;
        }
        const ResolvedToken fromEnvironment = tokenFromEnvironment();
        log::hub()->info("Hugging Face token: {}", fromEnvironment.describe());
        handler(fromEnvironment, note);
    });
}

} // namespace vibeml::hub
