#pragma once

#include "sky/LaunchPlan.h"

#include <QObject>
#include <QPointer>

namespace vibeml {

class SecretStore;
class Settings;
namespace jobs {
class JobService;
}

// The window's launch path: turns a plan the person confirmed (and approved, where the budget asked
// for approval) into a jobs::LaunchRequest the way the CLI does — the teardown policy and keep
// minutes from the settings, the budget limits from the settings, HF_TOKEN and WANDB_API_KEY read
// from the keychain only when the plan needs them — and hands it to JobService::launch. Nothing
// here blocks: the keychain answers asynchronously and sky runs as a child process.
class JobLaunchController : public QObject
{
    Q_OBJECT

public:
    JobLaunchController(Settings &settings, SecretStore &secrets, QObject *parent = nullptr);

    void setService(jobs::JobService *service);
    jobs::JobService *service() const;

    // `plan` was confirmed by the person; budget refusals still come from JobService.
    void launch(const sky::LaunchPlan &plan);

Q_SIGNALS:
    // The job's row is in the journal and sky is starting; JobService::launchFinished follows.
    void started(const QString &jobId);
    // Nothing was launched, and why (budget, a missing token, no journal).
    void refused(const QString &jobId, const QString &message);

private:
    void start(const sky::LaunchPlan &plan, const QString &hubToken, const QString &wandbKey);
    void withWandbKey(const sky::LaunchPlan &plan, const QString &hubToken);

    Settings &m_settings;
    SecretStore &m_secrets;
    QPointer<jobs::JobService> m_service;
};

} // namespace vibeml
