#pragma once

#include <QGroupBox>
#include <QPointer>

class QLabel;
class QPushButton;

namespace vibeml {

class HubAccount;
class SkyHealth;

// In the preferences: who the Hugging Face token belongs to and whether it reads gated repos; the
// `sky` executable, version and API server; and the Nebius credentials with the exact fix for
// whatever is missing under ~/.nebius. Follows HubAccount and SkyHealth as they change.
class ConnectionStatusPanel : public QGroupBox
{
    Q_OBJECT

public:
    ConnectionStatusPanel(HubAccount *account, SkyHealth *sky, QWidget *parent = nullptr);

    QString hubText() const;
    QString gatedText() const;
    QString skyText() const;
    QString nebiusText() const;
    QPushButton *checkAgainButton() const { return m_checkAgain; }

    void refresh();

private:
    QPointer<HubAccount> m_account;
    QPointer<SkyHealth> m_sky;
    QLabel *m_hub = nullptr;
    QLabel *m_gated = nullptr;
    QLabel *m_skyLabel = nullptr;
    QLabel *m_nebius = nullptr;
    QPushButton *m_checkAgain = nullptr;
};

} // namespace vibeml
