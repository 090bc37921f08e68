#include "shell/HubAccount.h"

#include "hub/HubToken.h"
#include "log/Logging.h"

namespace vibeml {

HubAccount::HubAccount(hub::HubClient &client, SecretStore *secrets, QObject *parent)
    : QObject(parent), m_client(client), m_secrets(secrets)
{
    connect(&m_client, &hub::HubClient::tokenChanged, this, &HubAccount::refresh);
    refresh();
}

HubAccount::~HubAccount()
{
    if (m_pending)
        m_client.cancel(m_pending);
}

void HubAccount::refresh()
{
    if (m_pending)
        m_client.cancel(m_pending);
    m_pending = 0;
    m_account.reset();
    m_error.reset();
    if (m_client.token().isEmpty()) {
        setState(State::NoToken);
        return;
    }
    setState(State::Checking);
    m_pending = m_client.whoami(this, [this](const hub::HubResult<hub::WhoAmI> &result) {
        m_pending = 0;
        if (result) {
            m_account = result.value().value;
            setState(State::SignedIn);
            return;
        }
        m_error = result.error();
        switch (result.error().kind) {
        case hub::HubError::Kind::NoToken:
            setState(State::NoToken);
            return;
        case hub::HubError::Kind::InvalidToken:
        case hub::HubError::Kind::Forbidden:
            setState(State::TokenProblem);
            return;
        default:
            setState(State::Unreachable);
            return;
        }
    });
}

void HubAccount::reloadToken()
{
    if (!m_secrets) {
        refresh();
        return;
    }
    setState(State::Checking);
    hub::resolveHubToken(*m_secrets, this, [this](const hub::ResolvedToken &token, const QString &note) {
        if (!note.isEmpty())
            log::hub()->warn("{}", note);
        m_client.setToken(token); // emits tokenChanged, which refreshes
    });
}

void HubAccount::setState(State state)
{
    m_state = state;
    Q_EMIT changed();
}

QString HubAccount::statusText() const
{
    switch (m_state) {
    case State::Checking:
        return tr("Hugging Face: checking…");
    case State::NoToken:
        return tr("Hugging Face: not signed in");
    case State::SignedIn:
        return tr("Hugging Face: %1").arg(m_account->name);
    case State::TokenProblem:
        return tr("Hugging Face: token problem");
    case State::Unreachable:
        return tr("Hugging Face: not reachable");
    }
    return {};
}

std::optional<bool> HubAccount::canReadGatedRepos() const
{
    if (m_state != State::SignedIn)
        return std::nullopt;
    if (m_account->tokenRole == QLatin1String("fineGrained"))
        return m_account->canReadGatedRepos.value_or(false);
    return true; // read and write tokens read every gated repo the account was granted
}

QString HubAccount::gatedAccessText() const
{
    const std::optional<bool> gated = canReadGatedRepos();
    if (!gated)
        return {};
    if (*gated)
        return tr("This token can read gated repositories you have been granted access to.");
    return tr("This fine-grained token cannot read gated repositories. Enable “Read access to contents of all public "
              "gated repos you can access” for it at https://huggingface.co/settings/tokens, or use a read token.");
}

QString HubAccount::detailText() const
{
    const QString source = m_client.token().describe();
    switch (m_state) {
    case State::Checking:
        return tr("Asking the Hugging Face Hub who the token from %1 belongs to…").arg(source);
    case State::NoToken:
        return m_error ? m_error->message
                       : tr("No Hugging Face token is set. Save one in Preferences › Secrets, or set HF_TOKEN. "
                            "Public models and datasets work without one; gated and private ones do not.");
    case State::SignedIn: {
        const hub::WhoAmI &who = *m_account;
        const QString person = who.fullname.isEmpty() || who.fullname == who.name
                                   ? who.name
                                   : tr("%1 (%2)").arg(who.fullname, who.name);
        QString role = who.tokenRole == QLatin1String("fineGrained") ? tr("fine-grained")
                       : who.tokenRole == QLatin1String("write")      ? tr("write")
                       : who.tokenRole == QLatin1String("read")       ? tr("read")
                                                                      : who.tokenRole;
        QString text = who.tokenName.isEmpty()
                           ? tr("Signed in as %1 with a %2 token from %3.").arg(person, role, source)
                           : tr("Signed in as %1 with the %2 token “%3” from %4.").arg(person, role, who.tokenName, source);
        if (!who.orgs.isEmpty())
            text += QLatin1Char(' ') + tr("Member of %1.").arg(who.orgs.join(QStringLiteral(", ")));
        return text + QLatin1Char(' ') + gatedAccessText();
    }
    case State::TokenProblem:
    case State::Unreachable:
        return m_error ? m_error->message : QString();
    }
    return {};
}

} // namespace vibeml
