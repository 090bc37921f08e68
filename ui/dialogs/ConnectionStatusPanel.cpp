#include "dialogs/ConnectionStatusPanel.h"

#include "shell/HubAccount.h"
#include "shell/SkyHealth.h"

#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace vibeml {
namespace {

QLabel *infoLabel(QWidget *parent, const QString &accessibleName)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    label->setFocusPolicy(Qt::StrongFocus); // reachable with Tab, so screen readers read it
    label->setAccessibleName(accessibleName);
    return label;
}

} // namespace

ConnectionStatusPanel::ConnectionStatusPanel(HubAccount *account, SkyHealth *sky, QWidget *parent)
    : QGroupBox(tr("Accounts and tools"), parent), m_account(account), m_sky(sky)
{
    setAccessibleName(tr("Accounts and tools"));
    auto *form = new QFormLayout(this);
    if (account) {
        m_hub = infoLabel(this, tr("Hugging Face account"));
        m_gated = infoLabel(this, tr("Gated repositories"));
        form->addRow(tr("Hugging Face:"), m_hub);
        form->addRow(tr("Gated repos:"), m_gated);
        connect(account, &HubAccount::changed, this, &ConnectionStatusPanel::refresh);
    }
    if (sky) {
        m_skyLabel = infoLabel(this, tr("SkyPilot"));
        m_nebius = infoLabel(this, tr("Nebius credentials"));
        m_checkAgain = new QPushButton(tr("Check &again"), this);
        m_checkAgain->setAccessibleName(tr("Check SkyPilot and Nebius again"));
        m_checkAgain->setToolTip(tr("Runs sky -v, sky api info and sky check nebius again."));
        connect(m_checkAgain, &QPushButton::clicked, sky, &SkyHealth::check);
        form->addRow(tr("SkyPilot:"), m_skyLabel);
        form->addRow(tr("Nebius:"), m_nebius);
        form->addRow(QString(), m_checkAgain);
        connect(sky, &SkyHealth::changed, this, &ConnectionStatusPanel::refresh);
    }
    refresh();
}

void ConnectionStatusPanel::refresh()
{
    if (m_account && m_hub) {
        m_hub->setText(m_account->detailText());
        const QString gated = m_account->gatedAccessText();
        m_gated->setText(gated.isEmpty() ? tr("Known once the token is checked.") : gated);
    }
    if (m_sky && m_skyLabel) {
        QStringList sky;
        sky << tr("Runs: %1").arg(m_sky->programText());
        const auto &report = m_sky->report();
        if (report && report->version)
            sky << tr("Version: %1").arg(report->version->clientVersion);
        sky << tr("API server: %1").arg(m_sky->apiServerText());
        if (m_sky->state() == SkyHealth::State::Checking)
            sky << tr("Checking…");
        else if (m_sky->state() == SkyHealth::State::NotFound || m_sky->state() == SkyHealth::State::Problem)
            sky << m_sky->detailText();
        m_skyLabel->setText(sky.join(QLatin1Char('\n')));

        QStringList nebius;
        switch (m_sky->state()) {
        case SkyHealth::State::Ready:
            nebius << tr("Enabled in SkyPilot (sky check nebius).");
            break;
        case SkyHealth::State::NebiusDisabled:
            nebius << tr("Not enabled in SkyPilot (sky check nebius).");
            break;
        case SkyHealth::State::Checking:
        case SkyHealth::State::NotChecked:
            nebius << tr("Not checked yet.");
            break;
        default:
            nebius << tr("Unknown until sky works.");
            break;
        }
        const QStringList fixes = SkyHealth::nebiusFixes(m_sky->home());
        if (fixes.isEmpty())
            nebius << tr("Credential files under ~/.nebius are in place.");
        else
            nebius << fixes << tr("Then press Check again.");
        m_nebius->setText(nebius.join(QLatin1Char('\n')));
    }
}

QString ConnectionStatusPanel::hubText() const
{
    return m_hub ? m_hub->text() : QString();
}

QString ConnectionStatusPanel::gatedText() const
{
    return m_gated ? m_gated->text() : QString();
}

QString ConnectionStatusPanel::skyText() const
{
    return m_skyLabel ? m_skyLabel->text() : QString();
}

QString ConnectionStatusPanel::nebiusText() const
{
    return m_nebius ? m_nebius->text() : QString();
}

} // namespace vibeml
