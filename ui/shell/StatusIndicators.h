#pragma once

#include "sky/SkyProcess.h"

#include <QObject>
#include <QPointer>

#include <functional>

class QLabel;
class QStatusBar;

namespace vibeml {

class HubAccount;
class SecretStore;
class Settings;
class SkyHealth;
enum class SettingKey;
namespace hub {
class HubClient;
}
namespace jobs {
class JobService;
}

// The status bar's permanent indicators: the Hugging Face account, whether `sky` works (found,
// version, Nebius enabled) and this month's spend against the monthly budget. Each tooltip says
// what is wrong and what to do; the details are in Preferences.
class StatusIndicators : public QObject
{
    Q_OBJECT

public:
    struct Sources
    {
        Settings &settings;
        SecretStore *secrets = nullptr;
        hub::HubClient *hub = nullptr;                            // no Hub indicator without it
        std::function<sky::SkyEnvironment()> skyEnvironment = {}; // no sky indicator without it
    };

    StatusIndicators(const Sources &sources, QStatusBar *bar);

    // Spend follows the journal once it is open.
    void setJobService(jobs::JobService *service);
    void refreshSpend();

    HubAccount *hubAccount() const { return m_hubAccount; }
    SkyHealth *skyHealth() const { return m_skyHealth; }
    QLabel *hubLabel() const { return m_hubLabel; }
    QLabel *skyLabel() const { return m_skyLabel; }
    QLabel *spendLabel() const { return m_spendLabel; }

private:
    void showHub();
    void showSky();
    void onSettingChanged(SettingKey key);

    Settings &m_settings;
    HubAccount *m_hubAccount = nullptr;
    SkyHealth *m_skyHealth = nullptr;
    QLabel *m_hubLabel = nullptr;
    QLabel *m_skyLabel = nullptr;
    QLabel *m_spendLabel;
    QPointer<jobs::JobService> m_jobService;
};

} // namespace vibeml
