#pragma once

#include "hub/HubAccess.h"

#include <QObject>
#include <QString>

#include <functional>

namespace vibeml {
class SecretStore;
}

namespace vibeml::hub {

// The keychain first, then huggingface_hub's environment variables and token files.
// `keychainNote` explains a keychain that could not be read (empty when it simply had none).
using TokenHandler = std::function<void(const ResolvedToken &token, const QString &keychainNote)>;
void resolveHubToken(SecretStore &secrets, QObject *context, TokenHandler handler);

} // namespace vibeml::hub
