#pragma once

#include "hub/HubClient.h"

#include <QObject>

#include <optional>

namespace vibeml {

class SecretStore;

// The Hugging Face account behind the current token: asks /whoami-v2 whenever the token changes
// (HubClient remembers the answer per token, so the rate-limited endpoint sees one call per token),
// and reloads the token from the keychain when the user saves or removes one.
class HubAccount : public QObject
{
    Q_OBJECT

public:
    enum class State { Checking, NoToken, SignedIn, TokenProblem, Unreachable };

    HubAccount(hub::HubClient &client, SecretStore *secrets, QObject *parent = nullptr);
    ~HubAccount() override;

    State state() const { return m_state; }
    const std::optional<hub::WhoAmI> &account() const { return m_account; }
    const std::optional<hub::HubError> &error() const { return m_error; }

    // Short, for the status bar: "Hugging Face: ana", "Hugging Face: not signed in".
    QString statusText() const;
    // The whole story with what to do about it.
    QString detailText() const;
    // Whether the token can download gated repositories, in words; empty until known.
    QString gatedAccessText() const;
    // nullopt until known, or when the token cannot be judged.
    std::optional<bool> canReadGatedRepos() const;

    void refresh();
    // Re-reads the token (keychain first, then HF_TOKEN and the token files) and applies it.
    void reloadToken();

Q_SIGNALS:
    void changed();

private:
    void setState(State state);

    hub::HubClient &m_client;
    SecretStore *m_secrets;
    State m_state = State::Checking;
    std::optional<hub::WhoAmI> m_account;
    std::optional<hub::HubError> m_error;
    hub::HubClient::Handle m_pending = 0;
};

} // namespace vibeml
