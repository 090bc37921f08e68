#include "cli/LaunchCommand.h"

#include "cli/ArgumentParser.h"
#include "cli/EstimateCommands.h"
#include "cli/ExitCode.h"
#include "cli/JobsOutput.h"
#include "cli/PlanOptions.h"
#include "config/Settings.h"
#include "cost/PlanEstimator.h"
#include "hub/RepoId.h"
#include "jobs/JobService.h"
#include "secrets/SecretStore.h"
#include "sky/LaunchDraft.h"
#include "sky/RunBundle.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <memory>

namespace vibeml {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("LaunchCommand", text);
}

struct LaunchOptionsParsed
{
    cost::PlanRequest request;
    sky::LaunchChoices choices;
    std::optional<double> maxCostUsd;
    bool dryRun = false;
    bool yes = false;
    bool json = false;
    bool wait = false;
    std::optional<jobs::TeardownPolicy> policy;
};

QJsonObject planSummaryJson(const sky::LaunchPlan &plan, const jobs::LaunchBudgetCheck &check, const QString &bundle)
{
    return QJsonObject{{QStringLiteral("jobId"), plan.jobId},
                       {QStringLiteral("model"), plan.modelId},
                       {QStringLiteral("modelRevision"), plan.modelRevision},
                       {QStringLiteral("dataset"), plan.datasetId},
                       {QStringLiteral("datasetRevision"), plan.datasetRevision},
                       {QStringLiteral("gpu"), plan.accelerators()},
                       {QStringLiteral("nodes"), plan.nodes},
                       {QStringLiteral("region"), plan.region},
                       {QStringLiteral("spot"), plan.spot},
                       {QStringLiteral("managed"), plan.managed},
                       {QStringLiteral("pricePerHour"), plan.pricePerHour},
                       {QStringLiteral("costUsd"), QJsonObject{{QStringLiteral("low"), plan.costUsd.low},
                                                               {QStringLiteral("expected"), plan.costUsd.expected},
                                                               {QStringLiteral("high"), plan.costUsd.high}}},
                       {QStringLiteral("worstCaseUsd"), check.worstCase.usd},
                       {QStringLiteral("worstCaseBasis"), check.worstCase.basis},
                       {QStringLiteral("budget"), cost::verdictName(check.decision.verdict)},
                       {QStringLiteral("budgetReasons"), QJsonArray::fromStringList(check.decision.reasons)},
                       {QStringLiteral("budgetCapUsd"), check.capUsd},
                       {QStringLiteral("bundle"), bundle},
                       {QStringLiteral("taskFile"), bundle.isEmpty() ? QString() : bundle + QStringLiteral("/task.yaml")}};
}

void printPlan(const sky::LaunchPlan &plan, const jobs::LaunchBudgetCheck &check, QTextStream &out)
{
    out << tr("Job:        %1").arg(plan.jobId) << '\n'
        << tr("Model:      %1 @ %2").arg(plan.modelId, plan.modelRevision.left(12)) << '\n'
        << tr("Dataset:    %1 @ %2").arg(plan.datasetId, plan.datasetRevision.left(12)) << '\n'
        << tr("GPUs:       %1 × %2 node(s) in %3, %4%5")
               .arg(plan.accelerators())
               .arg(plan.nodes)
               .arg(plan.region, plan.spot ? tr("spot") : tr("on-demand"), plan.managed ? tr(" (managed job)") : QString())
        << '\n'
        << tr("Cost:       %1/h; expected %2 (%3–%4)")
               .arg(cost::formatDollars(plan.pricePerHour), cost::formatDollars(plan.costUsd.expected),
                    cost::formatDollars(plan.costUsd.low), cost::formatDollars(plan.costUsd.high))
        << '\n'
        << tr("Worst case: %1 (%2); budget: %3; the run is stopped at %4")
               .arg(cost::formatDollars(check.worstCase.usd), check.worstCase.basis, check.decision.summary(),
                    cost::formatDollars(check.capUsd))
        << '\n';
}

// What to do about a run above the approval threshold when nobody can be asked.
QString approvalAdvice(const CliContext &context, double worstCaseUsd)
{
    const QString threshold = QString::number(std::ceil(worstCaseUsd));
    if (context.surface == QLatin1String("mcp"))
        return tr("The MCP server does not approve such runs on your behalf. To allow it, raise the threshold "
                  "(vibeml config set budget.approval-threshold-usd %1) or let MCP clients launch above it "
                  "(vibeml config set mcp.allow-above-approval yes); the per-run and monthly budgets still apply.")
            .arg(threshold);
    return tr("Rerun with --yes to approve it (stdin is not a terminal, so VibeML cannot ask), or raise the threshold: "
              "vibeml config set budget.approval-threshold-usd %1")
        .arg(threshold);
}

} // namespace

QString LaunchCommand::summary() const
{
    return tr("Launch a fine-tuning run on the cheapest fitting Nebius offer");
}

QString LaunchCommand::help() const
{
    return tr("Usage: vibeml launch-training --model ID --dataset ID [options]\n\n"
              "Validates the model and dataset on the Hub, prices the plan on every offer, picks the cheapest\n"
              "Nebius offer that fits your options, checks the budget, writes the run bundle and launches it with\n"
              "`sky launch` (clusters) or `sky jobs launch` (spot, managed). The job is recorded in the journal\n"
              "before sky starts; the window, `vibeml monitor` and `vibeml jobs` see it at once.\n\n")
           + planOptionsHelp()
           + tr("  --max-cost USD         stop the run when it has cost this much (at most budget.per-job-usd)\n"
                "  --output-repo ID       push the result to this (private) Hub model repo\n"
                "  --public               make --output-repo public\n"
                "  --download DIR         copy the outputs into DIR/<job> before the cluster goes\n"
                "  --wandb                report to Weights & Biases (key from `vibeml config set-token wandb`)\n"
                "  --keep POLICY          after the job: down (default: cluster.teardown), keep-minutes,\n"
                "                         keep-stopped or keep-up\n"
                "  --dry-run              write the bundle and print the plan; launch nothing\n"
                "  --yes                  approve a run above budget.approval-threshold-usd without asking\n"
                "  --wait                 stay, follow the job's log and tear down per policy when it ends\n"
                "  --json                 print JSON\n\n"
                "Without --yes a run above the approval threshold is confirmed on the terminal, and refused when\n"
                "stdin is not a terminal.\n\n"
                "Exit codes: 0 launched (or dry run written), 1 the launch failed, 2 wrong arguments, 3 the Hub or\n"
                "sky did not answer, 4 nothing fits, the budget refused it or approval was not given.\n");
}

void LaunchCommand::run(const QStringList &arguments, CliContext &context, Finish finish)
{
    ArgumentParser parsing(name());
    QCommandLineParser &parser = parsing.parser();
    addPlanOptions(parser);
    parser.addOption({QStringLiteral("max-cost"), tr("Per-run cap."), tr("USD")});
    parser.addOption({QStringLiteral("output-repo"), tr("Output repo."), tr("ID")});
    parser.addOption({QStringLiteral("public"), tr("Public output repo.")});
    parser.addOption({QStringLiteral("download"), tr("Download folder."), tr("DIR")});
    parser.addOption({QStringLiteral("wandb"), tr("Report to W&B.")});
    parser.addOption({QStringLiteral("keep"), tr("Teardown policy."), tr("POLICY")});
    parser.addOption({QStringLiteral("dry-run"), tr("Plan only.")});
    parser.addOption({QStringLiteral("yes"), tr("Approve.")});
    parser.addOption({QStringLiteral("wait"), tr("Follow until the end.")});
    parser.addOption({QStringLiteral("json"), tr("Print JSON.")});
    if (!parsing.parse(arguments, context, 0, 0)) {
        finish(ExitUsage);
        return;
    }
    auto options = std::make_shared<LaunchOptionsParsed>();
    QString problem;
    const std::optional<cost::PlanRequest> request = planRequestFrom(parser, &problem);
    if (!request) {
        context.err << QStringLiteral("vibeml launch-training: ") << problem << '\n';
        finish(ExitUsage);
        return;
    }
    options->request = *request;
    // What the options leave open, the launch preferences decide (Preferences › Launch).
    cost::OfferFilter &filter = options->request.filter;
    if (!parser.isSet(QStringLiteral("spot")) && !parser.isSet(QStringLiteral("no-spot"))) {
        const QString spot = context.settings.text(SettingKey::SpotPreference);
        filter.includeSpot = spot != QLatin1String("on-demand");
        filter.includeOnDemand = spot != QLatin1String("spot-only");
    }
    if (filter.region.isEmpty())
        filter.region = context.settings.text(SettingKey::DefaultRegion);
    if (filter.gpu.isEmpty())
        filter.gpu = context.settings.text(SettingKey::DefaultGpu);
    if (parser.isSet(QStringLiteral("max-cost"))) {
        bool ok = false;
        const double usd = parser.value(QStringLiteral("max-cost")).toDouble(&ok);
        if (!ok || usd <= 0 || usd > 1e6) {
            context.err << tr("vibeml launch-training: --max-cost must be a dollar amount above 0.") << '\n';
            finish(ExitUsage);
            return;
        }
        options->maxCostUsd = usd;
    }
    options->choices.outputRepo = parser.value(QStringLiteral("output-repo")).trimmed();
    if (!options->choices.outputRepo.isEmpty()) {
        if (const auto bad = hub::repoIdProblem(options->choices.outputRepo)) {
            context.err << tr("vibeml launch-training: --output-repo: %1").arg(*bad) << '\n';
            finish(ExitUsage);
            return;
        }
    }
    options->choices.outputPrivate = !parser.isSet(QStringLiteral("public"));
    if (parser.isSet(QStringLiteral("download"))) {
        const QString folder = parser.value(QStringLiteral("download"));
        if (folder.trimmed().isEmpty()) {
            context.err << tr("vibeml launch-training: --download needs a folder.") << '\n';
            finish(ExitUsage);
            return;
        }
        options->choices.downloadDir = QDir(folder).absolutePath();
    }
    options->choices.useWandb = parser.isSet(QStringLiteral("wandb"));
    options->choices.idleMinutes = context.settings.integer(SettingKey::AutostopIdleMinutes);
    const QString keep = parser.isSet(QStringLiteral("keep")) ? parser.value(QStringLiteral("keep"))
                                                               : context.settings.text(SettingKey::TeardownPolicy);
    options->policy = jobs::policyFromName(keep);
    if (!options->policy) {
        context.err << tr("vibeml launch-training: --keep must be down, keep-minutes, keep-stopped or keep-up.") << '\n';
        finish(ExitUsage);
        return;
    }
    options->dryRun = parser.isSet(QStringLiteral("dry-run"));
    options->yes = parser.isSet(QStringLiteral("yes"));
    options->json = parser.isSet(QStringLiteral("json"));
    options->wait = parser.isSet(QStringLiteral("wait"));

    QString journalProblem;
    jobs::JobService *service = context.jobs(QStringLiteral("cli"), &journalProblem);
    if (!service) {
        context.err << tr("vibeml launch-training: %1").arg(journalProblem) << '\n';
        finish(ExitFailure);
        return;
    }
    const cost::BudgetLimits limits = cost::BudgetLimits::fromSettings(context.settings);

    context.prepareHub([&context, options, service, limits, finish] {
        auto *estimator = new cost::PlanEstimator(*context.hub, context.catalog(), context.hub);
        estimator->setBudget(limits, service->monthSpentUsd());
        QObject::connect(estimator, &cost::PlanEstimator::finished, estimator, [=, &context](const cost::PlanEstimate &estimate) {
            estimator->deleteLater();
            const cost::OfferEstimate *best = estimate.table.cheapest();
            const qsizetype index = best ? best - estimate.table.offers.constData() : -1;
            const QStringList blockers = sky::launchBlockers(estimate, index);
            if (!blockers.isEmpty()) {
                for (const QString &blocker : blockers)
                    context.err << QStringLiteral("vibeml launch-training: ") << blocker << '\n';
                const bool unreachable = estimate.model.infoError && estimate.model.infoError->isRetryable();
                finish(unreachable ? ExitUnavailable : ExitNotReady);
                return;
            }
            auto drafted = sky::draftLaunchPlan(sky::newJobId(estimate.modelFacts.id), estimate, index, options->request.settings,
                                                options->choices);
            if (!drafted) {
                context.err << QStringLiteral("vibeml launch-training: ") << drafted.error() << '\n';
                finish(ExitNotReady);
                return;
            }
            sky::LaunchPlan plan = drafted.value();
            if (plan.useHfToken && context.hubToken.isEmpty()) {
                context.err << tr("vibeml launch-training: this run needs a Hugging Face token (gated or private repos, or "
                                  "--output-repo). Store one with `vibeml config set-token hf`.")
                            << '\n';
                finish(ExitNotReady);
                return;
            }
            const jobs::LaunchBudgetCheck check = service->checkBudget(plan, limits, options->maxCostUsd);
            if (options->dryRun) {
                auto bundle = sky::RunBundle::write(service->config().bundlesRoot, plan, context.catalog());
                if (!bundle) {
                    context.err << QStringLiteral("vibeml launch-training: ") << bundle.error() << '\n';
                    finish(ExitFailure);
                    return;
                }
                if (options->json) {
                    QJsonObject root = planSummaryJson(plan, check, bundle.value().directory);
                    root.insert(QStringLiteral("dryRun"), true);
                    root.insert(QStringLiteral("offer"), offerJson(*best, estimate.budget.at(index)));
                    context.out << QJsonDocument(root).toJson(QJsonDocument::Indented);
                } else {
                    printEstimateTable(estimate, options->request.settings, false, context.out);
                    context.out << '\n';
                    printPlan(plan, check, context.out);
                    context.out << tr("Bundle:     %1").arg(QDir::toNativeSeparators(bundle.value().directory)) << '\n'
                                << tr("Task YAML:  %1").arg(QDir::toNativeSeparators(bundle.value().taskFile)) << '\n'
                                << tr("Dry run: nothing was launched. The bundle's README.md has the sky commands to run it by hand.")
                                << '\n';
                }
                finish(check.decision.allowsLaunch() ? ExitOk : ExitNotReady);
                return;
            }
            bool approved = options->yes;
            if (check.decision.verdict == cost::BudgetVerdict::NeedsApproval && !approved) {
                if (!context.stdinIsTerminal) {
                    context.err << tr("vibeml launch-training: the worst case, %1, is above your approval threshold of %2. ")
                                       .arg(cost::formatDollars(check.worstCase.usd), cost::formatDollars(limits.approvalThresholdUsd))
                                << approvalAdvice(context, check.worstCase.usd) << '\n';
                    finish(ExitNotReady);
                    return;
                }
                printPlan(plan, check, context.err);
                const std::optional<QString> answer = context.readLine(
                    tr("Launch %1 for up to %2? [y/N] ").arg(plan.jobId, cost::formatDollars(check.worstCase.usd)), false);
                approved = answer && (answer->trimmed().compare(QLatin1String("y"), Qt::CaseInsensitive) == 0
                                      || answer->trimmed().compare(QLatin1String("yes"), Qt::CaseInsensitive) == 0);
                if (!approved) {
                    context.err << tr("Not launched.") << '\n';
                    finish(ExitNotReady);
                    return;
                }
            }
            const auto start = [=, &context](const QString &wandbKey) {
                jobs::LaunchRequest launch;
                launch.plan = plan;
                launch.source = context.surface;
                launch.policy = *options->policy;
                launch.keepMinutes = context.settings.integer(SettingKey::KeepClusterMinutes);
                if (plan.useHfToken)
                    launch.secrets.insert(QStringLiteral("HF_TOKEN"), context.hubToken);
                if (plan.useWandb)
                    launch.secrets.insert(QStringLiteral("WANDB_API_KEY"), wandbKey);
                auto started = service->launch(launch, limits, approved, options->maxCostUsd);
                if (!started) {
                    context.err << QStringLiteral("vibeml launch-training: ") << started.error().message << '\n';
                    finish(ExitNotReady);
                    return;
                }
                if (!options->json) {
                    printPlan(plan, check, context.err);
                    context.err << tr("Launching %1 …").arg(plan.jobId) << '\n' << Qt::flush;
                }
                if (context.longLived && !options->wait) {
                    // The process stays (the MCP server), so sky goes on submitting after we answer.
                    const std::optional<jobs::JobRecord> job = service->store().job(plan.jobId);
                    if (options->json) {
                        QJsonObject root = planSummaryJson(plan, check, job ? job->bundleDirectory : QString());
                        root.insert(QStringLiteral("launched"), true);
                        root.insert(QStringLiteral("message"), tr("sky is submitting the job; ask for its status to follow it"));
                        if (job)
                            root.insert(QStringLiteral("job"), jobJson(*job, service->store().clock().now()));
                        context.out << QJsonDocument(root).toJson(QJsonDocument::Indented);
                    } else {
                        context.out << tr("Launching %1; sky is submitting it.").arg(plan.jobId) << '\n';
                    }
                    finish(ExitOk);
                    return;
                }
                // Scoped to this launch: the service outlives the command in a long-lived process.
                auto *scope = new QObject(service);
                QObject::connect(service, &jobs::JobService::launchOutput, scope, [&context, options, jobId = plan.jobId](const QString &id, const QString &line) {
                    if (!options->json && id == jobId)
                        context.err << QStringLiteral("  sky: ") << line << '\n' << Qt::flush;
                });
                QObject::connect(service, &jobs::JobService::launchFinished, scope, [=, &context](const jobs::LaunchResult &result) {
                    if (result.jobId != plan.jobId)
                        return;
                    scope->deleteLater();
                    const std::optional<jobs::JobRecord> job = service->store().job(result.jobId);
                    if (options->json) {
                        QJsonObject root = planSummaryJson(plan, check, job ? job->bundleDirectory : QString());
                        root.insert(QStringLiteral("launched"), result.submitted);
                        root.insert(QStringLiteral("message"), result.message);
                        if (job)
                            root.insert(QStringLiteral("job"), jobJson(*job, service->store().clock().now()));
                        context.out << QJsonDocument(root).toJson(QJsonDocument::Indented);
                    } else if (result.submitted) {
                        context.out << tr("Launched %1%2.").arg(result.jobId, job && job->skyJobId ? tr(" (sky job %1)").arg(*job->skyJobId) : QString())
                                    << '\n'
                                    << tr("Follow it: vibeml jobs logs %1 --follow").arg(result.jobId) << '\n';
                    } else {
                        context.err << tr("Launch failed: %1").arg(result.message) << '\n';
                    }
                    if (!result.submitted) {
                        finish(ExitFailure);
                        return;
                    }
                    if (!options->wait) {
                        if (!options->json)
                            context.out << monitorAdvice(*service) << '\n';
                        finish(ExitOk);
                        return;
                    }
                    followUntilSettled(*service, result.jobId, context, options->json, finish);
                });
            };
            if (plan.useWandb) {
                context.secrets.read(SecretId::WandbApiKey, service, [=, &context](const Result<QString, SecretError> &key) {
                    if (!key || key.value().isEmpty()) {
                        context.err << tr("vibeml launch-training: --wandb needs a W&B key: `vibeml config set-token wandb`.") << '\n';
                        finish(ExitNotReady);
                        return;
                    }
                    start(key.value());
                });
            } else {
                start(QString());
            }
        });
        estimator->estimate(options->request);
    });
}

} // namespace vibeml
