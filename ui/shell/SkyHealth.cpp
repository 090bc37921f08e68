#include "shell/SkyHealth.h"

#include <QDir>

namespace vibeml {

SkyHealth::SkyHealth(std::function<sky::SkyEnvironment()> environment, QObject *parent)
    : QObject(parent), m_environment(std::move(environment))
{
}

void SkyHealth::check()
{
    if (m_preflight)
        return;
    m_preflight = new sky::Preflight(m_environment(), this);
    connect(m_preflight, &sky::Preflight::finished, this, [this, preflight = m_preflight.data()](const sky::PreflightReport &report) {
        m_report = report;
        preflight->deleteLater();
        m_preflight = nullptr;
        Q_EMIT changed();
    });
    m_preflight->run();
    Q_EMIT changed();
}

const sky::PreflightItem *SkyHealth::item(const QString &title) const
{
    if (!m_report)
        return nullptr;
    for (const sky::PreflightItem &entry : m_report->items) {
        if (entry.title == title)
            return &entry;
    }
    return nullptr;
}

SkyHealth::State SkyHealth::state() const
{
    if (m_preflight)
        return State::Checking;
    if (!m_report)
        return State::NotChecked;
    using Verdict = sky::PreflightItem::Verdict;
    if (!m_report->version) {
        const sky::PreflightItem *skyItem = item(sky::Preflight::tr("SkyPilot"));
        const bool missing = skyItem && skyItem->verdict == Verdict::Fail
                             && (m_report->items.size() > 1 && m_report->items.at(1).verdict == Verdict::Skipped);
        return missing ? State::NotFound : State::Problem;
    }
    if (m_report->check && m_report->check->enabled.value(QStringLiteral("nebius"), false))
        return m_report->passed() ? State::Ready : State::Problem;
    if (m_report->check)
        return State::NebiusDisabled;
    return State::Problem;
}

QString SkyHealth::statusText() const
{
    const QString version = m_report && m_report->version ? m_report->version->clientVersion : QString();
    switch (state()) {
    case State::NotChecked:
        return tr("sky: not checked");
    case State::Checking:
        return version.isEmpty() ? tr("sky: checking…") : tr("sky %1: checking…").arg(version);
    case State::Ready:
        return tr("sky %1 · Nebius enabled").arg(version);
    case State::NotFound:
        return tr("sky: not found");
    case State::NebiusDisabled:
        return tr("sky %1 · Nebius not enabled").arg(version);
    case State::Problem:
        return version.isEmpty() ? tr("sky: not working") : tr("sky %1 · problem").arg(version);
    }
    return {};
}

QString SkyHealth::detailText() const
{
    if (!m_report)
        return state() == State::Checking ? tr("Running sky -v, sky api info and sky check nebius…")
                                          : tr("SkyPilot has not been checked yet.");
    QStringList lines;
    for (const sky::PreflightItem &entry : m_report->items) {
        if (entry.verdict == sky::PreflightItem::Verdict::Skipped && entry.title == sky::Preflight::tr("Dry run"))
            continue;
        const QString mark = entry.verdict == sky::PreflightItem::Verdict::Pass   ? tr("OK")
                             : entry.verdict == sky::PreflightItem::Verdict::Warn ? tr("Warning")
                             : entry.verdict == sky::PreflightItem::Verdict::Fail ? tr("Problem")
                                                                                   : tr("Skipped");
        QString line = tr("%1 — %2: %3").arg(entry.title, mark, entry.text);
        if (!entry.advice.isEmpty())
            line += QLatin1Char('\n') + entry.advice;
        lines << line;
    }
    return lines.join(QLatin1Char('\n'));
}

QString SkyHealth::programText() const
{
    QString problem;
    const QString program = m_environment().resolveProgram(&problem);
    return program.isEmpty() ? problem : program;
}

QString SkyHealth::apiServerText() const
{
    if (m_report && m_report->version && !m_report->version->serverUrl.isEmpty())
        return m_report->version->serverUrl;
    const QString configured = m_environment().apiServer;
    if (!configured.isEmpty())
        return configured;
    return tr("the local API server (started by sky when needed)");
}

QString SkyHealth::home() const
{
    return m_environment().base.value(QStringLiteral("HOME"), QDir::homePath());
}

QStringList SkyHealth::nebiusFixes(const QString &home)
{
    QStringList fixes;
    for (const QString &missing : sky::Preflight::missingNebiusFiles(home)) {
        if (missing.contains(QLatin1String("credentials.json")))
            fixes << tr("%1 is missing. Create a service-account key with:\n"
                        "nebius iam auth-public-key generate --service-account-id <SERVICE_ACCOUNT_ID> --output "
                        "~/.nebius/credentials.json")
                         .arg(missing);
        else if (missing.contains(QLatin1String("NEBIUS_TENANT_ID")))
            fixes << tr("%1 is missing. Write your tenant id to it with:\n"
                        "nebius --format json iam whoami | jq -r '.user_profile.tenants[0].tenant_id' > "
                        "~/.nebius/NEBIUS_TENANT_ID.txt")
                         .arg(missing);
        else
            fixes << tr("%1 is missing.").arg(missing);
    }
    return fixes;
}

} // namespace vibeml
