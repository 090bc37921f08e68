#include "jobs/JobLaunchController.h"

#include "config/Settings.h"
#include "cost/BudgetPolicy.h"
#include "hub/HubToken.h"
#include "jobs/JobService.h"
#include "secrets/SecretStore.h"

namespace vibeml {

JobLaunchController::JobLaunchController(Settings &settings, SecretStore &secrets, QObject *parent)
    : QObject(parent), m_settings(settings), m_secrets(secrets)
{
}

void JobLaunchController::setService(jobs::JobService *service)
{
    m_service = service;
}

jobs::JobService *JobLaunchController::service() const
{
    return m_service;
}

void JobLaunchController::launch(const sky::LaunchPlan &plan)
{
    if (!m_service) {
        Q_EMIT refused(plan.jobId, tr("%1 was not launched: the job journal is not open yet (or could not be opened; "
                                      "see the message at the top of the window). Try again in a moment.")
                                       .arg(plan.jobId));
        return;
    }
    if (!plan.useHfToken) {
        withWandbKey(plan, QString());
        return;
    }
    hub::resolveHubToken(m_secrets, this, [this, plan](const hub::ResolvedToken &token, const QString &keychainNote) {
        if (token.isEmpty()) {
            QString message = tr("%1 was not launched: it needs a Hugging Face token (gated or private repositories, or an "
                                 "output repository on the Hub). Store one under File › Preferences › Secrets.")
                                  .arg(plan.jobId);
            if (!keychainNote.isEmpty())
                message += QLatin1Char(' ') + keychainNote;
            Q_EMIT refused(plan.jobId, message);
            return;
        }
        withWandbKey(plan, token.token);
    });
}

void JobLaunchController::withWandbKey(const sky::LaunchPlan &plan, const QString &hubToken)
{
    if (!plan.useWandb) {
        start(plan, hubToken, QString());
        return;
    }
    m_secrets.read(SecretId::WandbApiKey, this, [this, plan, hubToken](const Result<QString, SecretError> &key) {
        if (!key || key.value().isEmpty()) {
            Q_EMIT refused(plan.jobId, tr("%1 was not launched: it reports to Weights & Biases, but no W&B key could be read "
                                          "(%2). Store one under File › Preferences › Secrets, or turn W&B off in the plan.")
                                           .arg(plan.jobId, key ? tr("none is stored") : key.error().message));
            return;
        }
        start(plan, hubToken, key.value());
    });
}

void JobLaunchController::start(const sky::LaunchPlan &plan, const QString &hubToken, const QString &wandbKey)
{
    if (!m_service) {
        Q_EMIT refused(plan.jobId, tr("%1 was not launched: the job journal was closed.").arg(plan.jobId));
        return;
    }
    jobs::LaunchRequest request;
    request.plan = plan;
    request.source = QStringLiteral("gui");
    request.policy = jobs::policyFromName(m_settings.text(SettingKey::TeardownPolicy)).value_or(jobs::TeardownPolicy::Down);
    request.keepMinutes = m_settings.integer(SettingKey::KeepClusterMinutes);
    if (plan.useHfToken)
        request.secrets.insert(QStringLiteral("HF_TOKEN"), hubToken);
    if (plan.useWandb)
        request.secrets.insert(QStringLiteral("WANDB_API_KEY"), wandbKey);
    // The person confirmed the dollar figure (and ticked the approval when the budget asked for it).
    auto launched = m_service->launch(request, cost::BudgetLimits::fromSettings(m_settings), true);
    if (!launched) {
        Q_EMIT refused(plan.jobId, launched.error().message);
        return;
    }
    Q_EMIT started(launched.value());
}

} // namespace vibeml
