#include "cli/ConfigReports.h"

#include "cli/ArgumentParser.h"
#include "cli/ExitCode.h"
#include "config/Settings.h"
#include "cost/BudgetPolicy.h"
#include "cost/CostTable.h"
#include "hub/HubClient.h"
#include "jobs/JobService.h"
#include "secrets/SecretStore.h"
#include "sky/Preflight.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <memory>

namespace vibeml {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ConfigReports", text);
}

QString dollars(double usd)
{
    return cost::formatDollars(usd);
}

// One line of `verify-credentials`.
struct CredentialCheck
{
    QString name;    // "hf-token", "wandb-key", "nebius-files", "skypilot", "api-server", "nebius"
    QString title;   // "Hugging Face token"
    QString verdict; // "pass", "warn", "fail", "skipped"
    QString detail;
    QString advice;
};

QString verdictName(sky::PreflightItem::Verdict verdict)
{
    switch (verdict) {
    case sky::PreflightItem::Verdict::Pass:
        return QStringLiteral("pass");
    case sky::PreflightItem::Verdict::Warn:
        return QStringLiteral("warn");
    case sky::PreflightItem::Verdict::Fail:
        return QStringLiteral("fail");
    case sky::PreflightItem::Verdict::Skipped:
        return QStringLiteral("skipped");
    }
    return QStringLiteral("fail");
}

void printChecks(const QList<CredentialCheck> &checks, bool json, QTextStream &out)
{
    if (json) {
        QJsonArray array;
        bool passed = true;
        for (const CredentialCheck &check : checks) {
            passed = passed && check.verdict != QLatin1String("fail");
            array.append(QJsonObject{{QStringLiteral("name"), check.name},
                                     {QStringLiteral("title"), check.title},
                                     {QStringLiteral("verdict"), check.verdict},
                                     {QStringLiteral("detail"), check.detail},
                                     {QStringLiteral("advice"), check.advice}});
        }
        out << QJsonDocument(QJsonObject{{QStringLiteral("passed"), passed}, {QStringLiteral("checks"), array}})
                   .toJson(QJsonDocument::Indented);
        return;
    }
    for (const CredentialCheck &check : checks) {
        const QString mark = check.verdict == QLatin1String("pass")   ? QStringLiteral("ok  ")
                             : check.verdict == QLatin1String("warn") ? QStringLiteral("warn")
                             : check.verdict == QLatin1String("fail") ? QStringLiteral("FAIL")
                                                                      : QStringLiteral("skip");
        out << mark << "  " << check.title.leftJustified(22) << check.detail << '\n';
        if (!check.advice.isEmpty())
            out << QString(28, QLatin1Char(' ')) << check.advice << '\n';
    }
}

} // namespace

void showSpending(const QStringList &arguments, CliContext &context, CliCommand::Finish finish)
{
    ArgumentParser parsing(QStringLiteral("config show-spending"));
    QCommandLineParser &parser = parsing.parser();
    parser.addOption({QStringLiteral("history"), tr("Spend per month.")});
    parser.addOption({QStringLiteral("months"), tr("Months of history."), tr("N"), QStringLiteral("12")});
    parser.addOption({QStringLiteral("json"), tr("Print JSON.")});
    if (!parsing.parse(arguments, context, 0, 0)) {
        finish(ExitUsage);
        return;
    }
    bool monthsOk = false;
    const int months = parser.value(QStringLiteral("months")).toInt(&monthsOk);
    if (!monthsOk || months < 1 || months > 120) {
        context.err << tr("vibeml config show-spending: --months must be a whole number from 1 to 120.") << '\n';
        finish(ExitUsage);
        return;
    }
    QString problem;
    jobs::JobService *service = context.jobs(QStringLiteral("cli"), &problem);
    if (!service) {
        context.err << tr("vibeml config show-spending: %1").arg(problem) << '\n';
        finish(ExitFailure);
        return;
    }
    const QDateTime now = service->store().clock().now();
    const std::optional<double> recorded = service->ledger().monthTotal(now.date());
    const auto live = service->store().jobs(jobs::JobStore::Which::NotTerminal, true);
    const std::optional<double> total = service->monthSpentUsd();
    if (!recorded || !live || !total) {
        context.err << tr("vibeml config show-spending: the job journal cannot be read, so this month's spending is unknown. "
                          "`vibeml jobs recover-journal` starts a fresh one.")
                    << '\n';
        finish(ExitFailure);
        return;
    }
    const cost::BudgetLimits limits = cost::BudgetLimits::fromSettings(context.settings);
    const double remaining = std::max(0.0, limits.monthlyUsd - *total);
    const bool warn = *total >= limits.warnFraction * limits.monthlyUsd;

    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray liveJobs;
        for (const jobs::JobRecord &job : live.value())
            liveJobs.append(QJsonObject{{QStringLiteral("id"), job.id},
                                        {QStringLiteral("state"), jobs::stateName(job.state)},
                                        {QStringLiteral("accruedUsd"), job.accruedAt(now)}});
        QJsonObject root{{QStringLiteral("month"), jobs::SpendLedger::monthKey(now.date())},
                         {QStringLiteral("recordedUsd"), *recorded},
                         {QStringLiteral("liveAccruedUsd"), *total - *recorded},
                         {QStringLiteral("totalUsd"), *total},
                         {QStringLiteral("monthlyBudgetUsd"), limits.monthlyUsd},
                         {QStringLiteral("remainingUsd"), remaining},
                         {QStringLiteral("perJobBudgetUsd"), limits.perJobUsd},
                         {QStringLiteral("approvalThresholdUsd"), limits.approvalThresholdUsd},
                         {QStringLiteral("warnFraction"), limits.warnFraction},
                         {QStringLiteral("warning"), warn},
                         {QStringLiteral("liveJobs"), liveJobs}};
        if (parser.isSet(QStringLiteral("history"))) {
            QJsonArray history;
            for (const jobs::SpendLedger::Month &month : service->ledger().history(months))
                history.append(QJsonObject{{QStringLiteral("month"), month.month},
                                           {QStringLiteral("usd"), month.usd},
                                           {QStringLiteral("entries"), month.entries}});
            root.insert(QStringLiteral("history"), history);
        }
        context.out << QJsonDocument(root).toJson(QJsonDocument::Indented);
        finish(ExitOk);
        return;
    }
    context.out << tr("This month (%1, UTC): %2 of %3 spent, %4 left")
                       .arg(jobs::SpendLedger::monthKey(now.date()), dollars(*total), dollars(limits.monthlyUsd), dollars(remaining))
                << '\n'
                << tr("  recorded from finished runs: %1").arg(dollars(*recorded)) << '\n'
                << tr("  accrued by live runs:        %1").arg(dollars(*total - *recorded)) << '\n';
    for (const jobs::JobRecord &job : live.value())
        context.out << QStringLiteral("    %1  %2  %3\n").arg(job.id, jobs::stateName(job.state), dollars(job.accruedAt(now)));
    if (warn)
        context.out << tr("Warning: past %1 % of the monthly budget.").arg(qRound(limits.warnFraction * 100)) << '\n';
    context.out << tr("Per run at most %1; runs above %2 ask first.").arg(dollars(limits.perJobUsd), dollars(limits.approvalThresholdUsd))
                << '\n';
    if (parser.isSet(QStringLiteral("history"))) {
        const QList<jobs::SpendLedger::Month> history = service->ledger().history(months);
        context.out << '\n' << tr("Month     Spent       Runs") << '\n';
        for (const jobs::SpendLedger::Month &month : history)
            context.out << QStringLiteral("%1   %2  %3\n").arg(month.month, dollars(month.usd).leftJustified(10)).arg(month.entries);
        if (history.isEmpty())
            context.out << tr("No spending recorded yet.") << '\n';
    }
    finish(ExitOk);
}

void verifyCredentials(const QStringList &arguments, CliContext &context, CliCommand::Finish finish)
{
    ArgumentParser parsing(QStringLiteral("config verify-credentials"));
    QCommandLineParser &parser = parsing.parser();
    parser.addOption({QStringLiteral("json"), tr("Print JSON.")});
    if (!parsing.parse(arguments, context, 0, 0)) {
        finish(ExitUsage);
        return;
    }
    const bool json = parser.isSet(QStringLiteral("json"));
    auto checks = std::make_shared<QList<CredentialCheck>>();
    // The steps run one after another: Hub token, W&B key, Nebius files, then sky itself.
    auto skyStep = [&context, checks, json, finish] {
        const QStringList missing = sky::Preflight::missingNebiusFiles(QDir::homePath());
        if (missing.isEmpty())
            checks->append({QStringLiteral("nebius-files"), tr("Nebius credentials"), QStringLiteral("pass"),
                            tr("~/.nebius has the credentials SkyPilot needs"), QString()});
        else
            checks->append({QStringLiteral("nebius-files"), tr("Nebius credentials"), QStringLiteral("fail"),
                            tr("missing: %1").arg(missing.join(QStringLiteral(", "))),
                            tr("Create a service account key with the nebius CLI (see SkyPilot's Nebius set-up) and put the "
                               "tenant id in ~/.nebius/NEBIUS_TENANT_ID.txt.")});
        sky::SkyEnvironment environment;
        environment.program = context.settings.text(SettingKey::SkyExecutable);
        environment.apiServer = context.settings.text(SettingKey::SkyApiServer);
        auto *preflight = new sky::Preflight(environment, &context.secrets);
        QObject::connect(preflight, &sky::Preflight::finished, preflight,
                         [preflight, &context, checks, json, finish](const sky::PreflightReport &report) {
                             preflight->deleteLater();
                             for (const sky::PreflightItem &item : report.items) {
                                 if (item.verdict == sky::PreflightItem::Verdict::Skipped && item.title == sky::Preflight::tr("Dry run"))
                                     continue;
                                 checks->append({item.title.toLower().replace(QLatin1Char(' '), QLatin1Char('-')), item.title,
                                                 verdictName(item.verdict), item.text, item.advice});
                             }
                             printChecks(*checks, json, context.out);
                             const bool failed = std::any_of(checks->begin(), checks->end(), [](const CredentialCheck &check) {
                                 return check.verdict == QLatin1String("fail");
                             });
                             finish(failed ? ExitNotReady : ExitOk);
                         });
        preflight->run();
    };
    auto wandbStep = [&context, checks, skyStep] {
        context.secrets.read(SecretId::WandbApiKey, &context.secrets, [checks, skyStep](const Result<QString, SecretError> &key) {
            // Optional: only runs with --wandb need it, so a missing key or keychain is a warning.
            if (key && !key.value().isEmpty())
                checks->append({QStringLiteral("wandb-key"), tr("Weights & Biases key"), QStringLiteral("pass"),
                                tr("stored in the keychain"), QString()});
            else if (!qEnvironmentVariableIsEmpty("WANDB_API_KEY"))
                checks->append({QStringLiteral("wandb-key"), tr("Weights & Biases key"), QStringLiteral("pass"),
                                tr("from WANDB_API_KEY"), QString()});
            else if (!key && key.error().kind != SecretError::Kind::NotFound)
                checks->append({QStringLiteral("wandb-key"), tr("Weights & Biases key"), QStringLiteral("warn"), key.error().message,
                                QString()});
            else
                checks->append({QStringLiteral("wandb-key"), tr("Weights & Biases key"), QStringLiteral("warn"),
                                tr("none stored; runs cannot use --wandb"), tr("Store one: vibeml config set-token wandb")});
            skyStep();
        });
    };
    context.prepareHub([&context, checks, wandbStep] {
        const hub::ResolvedToken &token = context.hub->token();
        if (token.isEmpty()) {
            checks->append({QStringLiteral("hf-token"), tr("Hugging Face token"), QStringLiteral("warn"),
                            tr("none found: public models and datasets only, no --output-repo"),
                            tr("Store one: vibeml config set-token hf")});
            wandbStep();
            return;
        }
        context.hub->whoami(context.hub, [checks, wandbStep, source = token.describe()](const hub::HubResult<hub::WhoAmI> &answer) {
            if (answer) {
                const hub::WhoAmI &who = answer.value().value;
                checks->append({QStringLiteral("hf-token"), tr("Hugging Face token"), QStringLiteral("pass"),
                                tr("%1 (from %2, %3 access)").arg(who.name, source, who.tokenRole.isEmpty() ? tr("unknown") : who.tokenRole),
                                QString()});
            } else {
                const bool unreachable = answer.error().isRetryable();
                checks->append({QStringLiteral("hf-token"), tr("Hugging Face token"),
                                unreachable ? QStringLiteral("warn") : QStringLiteral("fail"),
                                tr("%1 (from %2)").arg(answer.error().message, source),
                                unreachable ? QString() : tr("Create a new token on huggingface.co and store it: vibeml config set-token hf")});
            }
            wandbStep();
        });
    });
}

} // namespace vibeml
