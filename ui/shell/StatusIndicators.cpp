#include "shell/StatusIndicators.h"

#include "config/Settings.h"
#include "cost/BudgetPolicy.h"
#include "cost/CostTable.h"
#include "jobs/JobService.h"
#include "shell/HubAccount.h"
#include "shell/SkyHealth.h"
#include "widgets/AfterFirstPaint.h"

#include <QLabel>
#include <QPointer>
#include <QStatusBar>

namespace vibeml {
namespace {

QLabel *indicator(QStatusBar *bar, const QString &accessibleName, const QString &objectName)
{
    auto *label = new QLabel(bar);
    label->setObjectName(objectName);
    label->setAccessibleName(accessibleName);
    label->setTextFormat(Qt::PlainText);
    label->setContentsMargins(6, 0, 6, 0);
    bar->addPermanentWidget(label);
    return label;
}

void showText(QLabel *label, const QString &text, const QString &details)
{
    label->setText(text);
    label->setToolTip(details);
    label->setAccessibleDescription(details);
}

} // namespace

StatusIndicators::StatusIndicators(const Sources &sources, QStatusBar *bar)
    : QObject(bar), m_settings(sources.settings)
{
    if (sources.hub) {
        m_hubLabel = indicator(bar, tr("Hugging Face account"), QStringLiteral("hubAccountStatus"));
        m_hubAccount = new HubAccount(*sources.hub, sources.secrets, this);
        connect(m_hubAccount, &HubAccount::changed, this, &StatusIndicators::showHub);
        showHub();
    }
    if (sources.skyEnvironment) {
        m_skyLabel = indicator(bar, tr("SkyPilot status"), QStringLiteral("skyStatus"));
        m_skyHealth = new SkyHealth(sources.skyEnvironment, this);
        connect(m_skyHealth, &SkyHealth::changed, this, &StatusIndicators::showSky);
        showSky();
        // Once, after the window has painted; then only when the sky settings change.
        runAfterFirstPaint(bar->window(), [health = QPointer(m_skyHealth)] {
            if (health)
                health->check();
        });
    }
    m_spendLabel = indicator(bar, tr("Spend this month"), QStringLiteral("monthSpendStatus"));
    connect(&m_settings, &Settings::changed, this, &StatusIndicators::onSettingChanged);
    refreshSpend();
}

void StatusIndicators::setJobService(jobs::JobService *service)
{
    if (m_jobService)
        disconnect(&m_jobService->monitor(), nullptr, this, nullptr);
    m_jobService = service;
    if (service)
        connect(&service->monitor(), &jobs::JobMonitor::jobsChanged, this, &StatusIndicators::refreshSpend);
    refreshSpend();
}

void StatusIndicators::onSettingChanged(SettingKey key)
{
    if (key == SettingKey::MonthlyBudgetUsd || key == SettingKey::BudgetWarnFraction)
        refreshSpend();
    if (m_skyHealth && (key == SettingKey::SkyExecutable || key == SettingKey::SkyApiServer))
        m_skyHealth->check();
}

void StatusIndicators::showHub()
{
    showText(m_hubLabel, m_hubAccount->statusText(), m_hubAccount->detailText());
}

void StatusIndicators::showSky()
{
    QString details = m_skyHealth->detailText();
    if (m_skyHealth->state() == SkyHealth::State::NebiusDisabled) {
        const QStringList fixes = SkyHealth::nebiusFixes(m_skyHealth->home());
        if (!fixes.isEmpty())
            details += QLatin1Char('\n') + fixes.join(QLatin1Char('\n'));
    }
    showText(m_skyLabel, m_skyHealth->statusText(), details);
}

void StatusIndicators::refreshSpend()
{
    const cost::BudgetLimits limits = cost::BudgetLimits::fromSettings(m_settings);
    const QString budget = cost::formatDollars(limits.monthlyUsd);
    if (!m_jobService) {
        showText(m_spendLabel, tr("This month: – of %1").arg(budget),
                 tr("This month's spend appears once the job journal is open."));
        return;
    }
    const std::optional<double> spent = m_jobService->monthSpentUsd();
    if (!spent) {
        showText(m_spendLabel, tr("This month: unknown of %1").arg(budget),
                 tr("The job journal could not be read, so this month's spend is unknown. See the Log page."));
        return;
    }
    const QString amount = cost::formatDollars(*spent);
    const QString explanation
        = tr("Recorded spend this month plus what running jobs have accrued: %1 of the %2 monthly budget "
             "(budget.monthly-usd; change it in Preferences › Budget).")
              .arg(amount, budget);
    if (limits.monthlyUsd > 0 && *spent > limits.monthlyUsd)
        showText(m_spendLabel, tr("This month: %1 of %2 — over budget").arg(amount, budget),
                 explanation + QLatin1Char(' ') + tr("New launches are refused until next month or a higher budget."));
    else if (limits.monthlyUsd > 0 && *spent >= limits.warnFraction * limits.monthlyUsd)
        showText(m_spendLabel, tr("This month: %1 of %2 — nearly spent").arg(amount, budget), explanation);
    else
        showText(m_spendLabel, tr("This month: %1 of %2").arg(amount, budget), explanation);
}

} // namespace vibeml
