#include "sky/Preflight.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QTextStream>

namespace vibeml::sky {
namespace {

PreflightItem item(PreflightItem::Verdict verdict, const QString &title, const QString &text,
                   const QString &advice = {})
{
    return PreflightItem {verdict, title, text, advice};
}

} // namespace

bool PreflightReport::passed() const
{
    return std::none_of(items.begin(), items.end(),
                        [](const PreflightItem &i) { return i.verdict == PreflightItem::Verdict::Fail; });
}

QString PreflightReport::toText() const
{
    QString text;
    QTextStream out(&text);
    for (const PreflightItem &i : items) {
        const char *symbol = i.verdict == PreflightItem::Verdict::Pass ? "✓"
            : i.verdict == PreflightItem::Verdict::Warn                ? "!"
            : i.verdict == PreflightItem::Verdict::Fail                ? "✗"
                                                                       : "-";
        out << "  " << symbol << ' ' << i.title.leftJustified(19) << i.text << '\n';
        if (!i.advice.isEmpty())
            out << "    " << i.advice << '\n';
    }
    return text;
}

QStringList Preflight::missingNebiusFiles(const QString &home)
{
    const QString dir = home + QStringLiteral("/.nebius/");
    QStringList missing;
    if (!QFileInfo::exists(dir + QStringLiteral("credentials.json"))
        && !QFileInfo::exists(dir + QStringLiteral("NEBIUS_IAM_TOKEN.txt")))
        missing.append(QStringLiteral("~/.nebius/credentials.json (or NEBIUS_IAM_TOKEN.txt)"));
    if (!QFileInfo::exists(dir + QStringLiteral("NEBIUS_TENANT_ID.txt")))
        missing.append(QStringLiteral("~/.nebius/NEBIUS_TENANT_ID.txt"));
    return missing;
}

Preflight::Preflight(SkyEnvironment environment, QObject *parent)
    : QObject(parent), m_environment(std::move(environment))
{
}

void Preflight::run(const QString &bundleDirectory, const QString &cluster)
{
    cancel();
    m_bundle = bundleDirectory;
    m_cluster = cluster;
    m_report = PreflightReport {};
    m_step = 0;
    step();
}

void Preflight::cancel()
{
    if (m_current)
        m_current->cancel();
    m_current = nullptr;
}

void Preflight::step()
{
    switch (m_step++) {
    case 0:
        m_current = runSky(skycommand::version(), m_environment, this, [this](const SkyResult &r) { onVersion(r); });
        return;
    case 1:
        m_current = runSky(skycommand::apiInfo(), m_environment, this, [this](const SkyResult &r) { onApiInfo(r); });
        return;
    case 2:
        m_current = runSky(skycommand::check(), m_environment, this, [this](const SkyResult &r) { onCheck(r); });
        return;
    case 3:
        if (m_bundle.isEmpty() || m_cluster.isEmpty()) {
            m_report.items.append(item(PreflightItem::Verdict::Skipped, tr("Dry run"), tr("no task to check yet")));
            step();
            return;
        }
        {
            skycommand::LaunchOptions options;
            options.cluster = m_cluster;
            options.taskFile = QStringLiteral("task.yaml");
            options.workingDirectory = m_bundle;
            options.dryRun = true;
            m_current
                = runSky(skycommand::launch(options), m_environment, this, [this](const SkyResult &r) { onDryRun(r); });
        }
        return;
    default:
        m_current = nullptr;
        Q_EMIT finished(m_report);
        return;
    }
}

void Preflight::onVersion(const SkyResult &result)
{
    if (result.outcome == SkyResult::Outcome::NotInstalled || result.outcome == SkyResult::Outcome::NotExecutable) {
        m_report.items.append(item(PreflightItem::Verdict::Fail, tr("SkyPilot"), result.stderrText));
        for (const QString &title : {tr("API server"), tr("Nebius"), tr("Dry run")})
            m_report.items.append(
                item(PreflightItem::Verdict::Skipped, title, tr("skipped: SkyPilot is not installed")));
        m_step = 4;
        step();
        return;
    }
    const auto version = result.isSuccess() ? parseVersion(result.stdoutText + QLatin1Char('\n') + result.stderrText)
                                            : Result<VersionInfo, SkyParseError>(SkyParseError {result.message()});
    if (version) {
        m_report.version = version.value();
        m_report.items.append(
            item(PreflightItem::Verdict::Pass, tr("SkyPilot"), tr("version %1").arg(version.value().clientVersion)));
    } else {
        m_report.items.append(item(PreflightItem::Verdict::Fail, tr("SkyPilot"),
                                   tr("`sky -v` did not work: %1").arg(version.error().message),
                                   tr("Reinstall it: pip install -U \"skypilot[nebius]\".")));
    }
    step();
}

void Preflight::onApiInfo(const SkyResult &result)
{
    if (!result.isSuccess()) {
        m_report.items.append(item(PreflightItem::Verdict::Fail, tr("API server"), result.message()));
        step();
        return;
    }
    const auto info = parseApiInfo(result.stdoutText);
    if (!info) {
        m_report.items.append(
            item(PreflightItem::Verdict::Warn, tr("API server"),
                 tr("answered, but VibeML could not read `sky api info` (%1)").arg(info.error().message)));
    } else if (!info.value().serverStatus.isEmpty() && !info.value().serverStatus.contains(QLatin1String("HEALTHY"))) {
        m_report.items.append(item(PreflightItem::Verdict::Fail, tr("API server"),
                                   tr("%1 reports %2").arg(info.value().serverUrl, info.value().serverStatus),
                                   tr("Restart it with `sky api stop && sky api start`, or log in with `sky api login` "
                                      "for a remote server.")));
    } else {
        if (m_report.version && m_report.version->serverUrl.isEmpty())
            m_report.version->serverUrl = info.value().serverUrl;
        m_report.items.append(
            item(PreflightItem::Verdict::Pass, tr("API server"),
                 tr("%1 is healthy%2")
                     .arg(info.value().serverUrl.isEmpty() ? tr("the local server") : info.value().serverUrl,
                          info.value().serverVersion.isEmpty() ? QString()
                                                               : tr(" (version %1)").arg(info.value().serverVersion))));
    }
    step();
}

void Preflight::onCheck(const SkyResult &result)
{
    const QStringList missing = missingNebiusFiles(m_environment.base.value(QStringLiteral("HOME"), QDir::homePath()));
    const QString fix
        = tr("Create a service-account key with `nebius iam auth-public-key generate --service-account-id <ID> "
             "--output ~/.nebius/credentials.json`, write your tenant id to ~/.nebius/NEBIUS_TENANT_ID.txt, then "
             "run `sky check nebius`.");
    const auto check = result.isSuccess() ? parseCheck(result.stdoutText)
                                          : Result<CheckReport, SkyParseError>(SkyParseError {result.message()});
    if (!check) {
        m_report.items.append(item(PreflightItem::Verdict::Fail, tr("Nebius"), check.error().message,
                                   missing.isEmpty() ? QString() : fix));
    } else {
        m_report.check = check.value();
        if (check.value().enabled.value(QStringLiteral("nebius"), false)) {
            m_report.items.append(item(PreflightItem::Verdict::Pass, tr("Nebius"), tr("enabled in SkyPilot")));
        } else {
            QString text = tr("disabled in SkyPilot");
            const QString reason = check.value().reasons.value(QStringLiteral("nebius"));
            if (!reason.isEmpty())
                text += QStringLiteral(": ") + reason.simplified();
            if (!missing.isEmpty())
                text += tr(" (missing: %1)").arg(missing.join(QStringLiteral(", ")));
            m_report.items.append(item(PreflightItem::Verdict::Fail, tr("Nebius"), text, fix));
        }
    }
    step();
}

void Preflight::onDryRun(const SkyResult &result)
{
    if (!result.isSuccess()) {
        m_report.items.append(item(PreflightItem::Verdict::Fail, tr("Dry run"), result.message()));
        step();
        return;
    }
    const auto launch = parseLaunch(result.stdoutText);
    if (launch) {
        m_report.dryRun = launch.value();
        QString chosen;
        for (const PlanChoice &choice : launch.value().considered) {
            if (choice.chosen)
                chosen
                    = tr("%1 in %2 at $%3/h").arg(choice.instanceType, choice.infra).arg(choice.costPerHour, 0, 'f', 2);
        }
        m_report.items.append(
            item(PreflightItem::Verdict::Pass, tr("Dry run"),
                 chosen.isEmpty() ? tr("SkyPilot accepted the task") : tr("SkyPilot would launch %1").arg(chosen)));
    } else {
        m_report.items.append(
            item(PreflightItem::Verdict::Warn, tr("Dry run"),
                 tr("SkyPilot accepted the task, but its plan could not be read (%1)").arg(launch.error().message)));
    }
    step();
}

} // namespace vibeml::sky
