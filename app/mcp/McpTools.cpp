#include "mcp/McpTools.h"

#include "cli/ExitCode.h"
#include "config/Settings.h"
#include "cost/CostTable.h"
#include "cost/TrainingPlan.h"
#include "jobs/JobState.h"

#include <QCoreApplication>
#include <QJsonDocument>

#include <cmath>

namespace vibeml::mcp {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("McpTools", text);
}

QString trn(const char *text, int count)
{
    return QCoreApplication::translate("McpTools", text, nullptr, count);
}

// One tool argument: its JSON Schema and the command-line flag it becomes.
struct Param
{
    const char *name;
    const char *type; // "string", "integer", "number", "boolean"
    QString description;
    const char *flag = nullptr;      // "--model"; nullptr: a positional argument
    const char *falseFlag = nullptr; // boolean false becomes this flag ("--no-spot")
    QStringList choices = {};
    std::optional<double> minimum = std::nullopt;
    std::optional<double> maximum = std::nullopt;
};

const std::vector<cost::Method> kMethods = {cost::Method::Lora, cost::Method::Qlora4, cost::Method::Qlora8, cost::Method::FullMixed,
                                            cost::Method::FullBf16};

QStringList methodNames()
{
    QStringList names;
    for (const cost::Method method : kMethods)
        names << cost::methodName(method);
    return names;
}

std::vector<Param> planParams()
{
    return {
        {"model", "string", tr("Hugging Face model id, e.g. Qwen/Qwen2.5-0.5B-Instruct"), "--model"},
        {"dataset", "string", tr("Hugging Face dataset id, e.g. HuggingFaceH4/ultrachat_200k"), "--dataset"},
        {"revision", "string", tr("The model's branch, tag or commit (default main)"), "--revision"},
        {"dataset_config", "string", tr("The dataset config to train on"), "--config"},
        {"split", "string", tr("The dataset split to train on (default train)"), "--split"},
        {"method", "string", tr("Fine-tuning method (default lora)"), "--method", nullptr, methodNames()},
        {"epochs", "number", tr("Epochs to train (default 1); not with max_steps"), "--epochs", nullptr, {}, 0.001, 100},
        {"max_steps", "integer", tr("Training steps; not with epochs"), "--max-steps", nullptr, {}, 1, 10'000'000},
        {"learning_rate", "number", tr("Learning rate (default 2e-4 for LoRA, 1e-5 for full)"), "--learning-rate", nullptr, {}, 1e-12, 1},
        {"batch_size", "integer", tr("Micro-batch per GPU (default 1)"), "--batch-size", nullptr, {}, 1, 1024},
        {"grad_accum", "integer", tr("Gradient accumulation steps (default 8)"), "--grad-accum", nullptr, {}, 1, 4096},
        {"max_seq_length", "integer", tr("Tokens per example (default 2048)"), "--max-seq-length", nullptr, {}, 1, 262144},
        {"lora_r", "integer", tr("LoRA rank (default 16)"), "--lora-r", nullptr, {}, 1, 1024},
        {"gpu", "string", tr("Only this GPU, optionally with a count: H100 or H100:8"), "--gpu"},
        {"nodes", "integer", tr("Only this many nodes"), "--nodes", nullptr, {}, 1, 64},
        {"region", "string", tr("Only this Nebius region"), "--region"},
        {"spot", "boolean", tr("true: only spot offers; false: only on-demand (default: the launch.spot setting)"), "--spot", "--no-spot"},
        {"max_runtime", "string", tr("Hard time limit such as 90m, 6h or 1d; the budget uses it as the worst case"), "--max-runtime"},
    };
}

QJsonObject schemaFor(const std::vector<Param> &params, const QStringList &required)
{
    QJsonObject properties;
    for (const Param &param : params) {
        QJsonObject property{{QStringLiteral("type"), QLatin1String(param.type)}, {QStringLiteral("description"), param.description}};
        if (!param.choices.isEmpty())
            property.insert(QStringLiteral("enum"), QJsonArray::fromStringList(param.choices));
        if (param.minimum)
            property.insert(QStringLiteral("minimum"), *param.minimum);
        if (param.maximum)
            property.insert(QStringLiteral("maximum"), *param.maximum);
        if (required.contains(QLatin1String(param.name)) && QLatin1String(param.type) == QLatin1String("string"))
            property.insert(QStringLiteral("minLength"), 1);
        properties.insert(QLatin1String(param.name), property);
    }
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                       {QStringLiteral("properties"), properties},
                       {QStringLiteral("required"), QJsonArray::fromStringList(required)},
                       {QStringLiteral("additionalProperties"), false}};
}

// Options as --flag=VALUE (a value that starts with '-' stays a value), then --json, then "--"
// and the positional arguments (an id that starts with '-' stays an id).
QStringList commandLine(const QStringList &command, const std::vector<Param> &params, const QJsonObject &input,
                        const QStringList &extra = {})
{
    QStringList options;
    QStringList positional;
    for (const Param &param : params) {
        const QJsonValue value = input.value(QLatin1String(param.name));
        if (value.isUndefined() || value.isNull())
            continue;
        const QString type = QLatin1String(param.type);
        if (type == QLatin1String("boolean")) {
            if (value.toBool() && param.flag)
                options << QLatin1String(param.flag);
            else if (!value.toBool() && param.falseFlag)
                options << QLatin1String(param.falseFlag);
            continue;
        }
        const QString text = type == QLatin1String("integer") ? QString::number(static_cast<qint64>(value.toDouble()))
                             : type == QLatin1String("number") ? QString::number(value.toDouble(), 'g', 15)
                                                               : value.toString();
        if (param.flag)
            options << QLatin1String(param.flag) + QLatin1Char('=') + text;
        else
            positional << text;
    }
    return command + options + extra + QStringList{QStringLiteral("--json"), QStringLiteral("--")} + positional;
}

QJsonObject objectSchema(const QJsonObject &properties, const QStringList &required = {})
{
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                       {QStringLiteral("properties"), properties},
                       {QStringLiteral("required"), QJsonArray::fromStringList(required)}};
}

QJsonObject typed(const char *type)
{
    return QJsonObject{{QStringLiteral("type"), QLatin1String(type)}};
}

QJsonObject arrayOfObjects()
{
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("array")}, {QStringLiteral("items"), typed("object")}};
}

QString dollars(const QJsonValue &value)
{
    return cost::formatDollars(value.toDouble());
}

QString jobLine(const QJsonObject &job)
{
    return tr("%1: %2, %3 on %4, %5 so far (estimate %6–%7)")
        .arg(job.value(QStringLiteral("id")).toString(), job.value(QStringLiteral("stateText")).toString(),
             job.value(QStringLiteral("model")).toString(), job.value(QStringLiteral("gpu")).toString(),
             dollars(job.value(QStringLiteral("accruedUsd"))),
             dollars(job.value(QStringLiteral("estimateUsd")).toObject().value(QStringLiteral("low"))),
             dollars(job.value(QStringLiteral("estimateUsd")).toObject().value(QStringLiteral("high"))));
}

// A validation report (validate-model, validate-dataset) in a few lines: the verdict, then each check.
QString validationSummary(const QJsonObject &report)
{
    QStringList lines{report.value(QStringLiteral("ready")).toBool()
                          ? tr("%1 is ready to train.").arg(report.value(QStringLiteral("id")).toString())
                          : tr("%1 cannot be used as it is.").arg(report.value(QStringLiteral("id")).toString())};
    for (const QJsonValue &value : report.value(QStringLiteral("checks")).toArray()) {
        const QJsonObject check = value.toObject();
        lines << QStringLiteral("%1 %2: %3")
                     .arg(check.value(QStringLiteral("verdict")).toString(), check.value(QStringLiteral("check")).toString(),
                          check.value(QStringLiteral("text")).toString());
    }
    return lines.join(QLatin1Char('\n'));
}

bool isTerminalState(const QString &name)
{
    const std::optional<jobs::JobState> state = jobs::stateFromName(name);
    return state && jobs::isTerminal(*state);
}

Tool launchTool()
{
    std::vector<Param> params = planParams();
    params.push_back({"max_cost_usd", "number", tr("Stop the run once it has cost this much (at most budget.per-job-usd)"), "--max-cost",
                      nullptr, {}, 0.01, 1e6});
    params.push_back({"output_repo", "string", tr("Push the result to this private Hub model repo"), "--output-repo"});
    params.push_back({"wandb", "boolean", tr("Report to Weights & Biases (needs `vibeml config set-token wandb`)"), "--wandb"});
    params.push_back({"keep", "string", tr("What happens to the cluster after the job (default: cluster.teardown)"), "--keep", nullptr,
                      {QStringLiteral("down"), QStringLiteral("keep-minutes"), QStringLiteral("keep-stopped"), QStringLiteral("keep-up")}});
    params.push_back({"dry_run", "boolean", tr("Write the run bundle and return the plan; launch nothing"), "--dry-run"});
    Tool tool;
    tool.name = QStringLiteral("launch_training");
    tool.title = tr("Launch a fine-tuning run");
    tool.description = tr("Validates the model and dataset, prices the plan on every Nebius offer, picks the cheapest that fits, "
                          "checks the budget and launches it with SkyPilot. Runs above the approval threshold are refused unless "
                          "the user allowed MCP launches above it (mcp.allow-above-approval); the per-run and monthly budgets "
                          "always apply. Use dry_run first to see the plan and its worst-case cost.");
    tool.inputSchema = schemaFor(params, {QStringLiteral("model"), QStringLiteral("dataset")});
    tool.outputSchema = objectSchema({{QStringLiteral("jobId"), typed("string")},
                                      {QStringLiteral("gpu"), typed("string")},
                                      {QStringLiteral("worstCaseUsd"), typed("number")},
                                      {QStringLiteral("budget"), typed("string")},
                                      {QStringLiteral("dryRun"), typed("boolean")},
                                      {QStringLiteral("launched"), typed("boolean")},
                                      {QStringLiteral("taskFile"), typed("string")},
                                      {QStringLiteral("job"), typed("object")}},
                                     {QStringLiteral("jobId")});
    tool.command = [params](const QJsonObject &input, const Settings &settings) {
        QStringList extra;
        if (settings.text(SettingKey::McpAllowAboveApproval) == QLatin1String("yes"))
            extra << QStringLiteral("--yes");
        return commandLine({QStringLiteral("launch-training")}, params, input, extra);
    };
    tool.summary = [](const QJsonObject &result) {
        const QString what = tr("%1 of %2 on %3 in %4, expected %5, worst case %6 (budget: %7).")
                                 .arg(result.value(QStringLiteral("jobId")).toString(), result.value(QStringLiteral("model")).toString(),
                                      result.value(QStringLiteral("gpu")).toString(), result.value(QStringLiteral("region")).toString(),
                                      dollars(result.value(QStringLiteral("costUsd")).toObject().value(QStringLiteral("expected"))),
                                      dollars(result.value(QStringLiteral("worstCaseUsd"))), result.value(QStringLiteral("budget")).toString());
        if (result.value(QStringLiteral("dryRun")).toBool())
            return tr("Dry run, nothing launched: %1 Task file: %2").arg(what, result.value(QStringLiteral("taskFile")).toString());
        return tr("Launching %1 Follow it with get_training_status and get_training_logs.").arg(what);
    };
    return tool;
}

Tool estimateTool()
{
    std::vector<Param> params = planParams();
    params.push_back({"all", "boolean", tr("Also list offers that do not fit and other clouds' offers"), "--all"});
    Tool tool;
    tool.name = QStringLiteral("estimate_training_cost");
    tool.title = tr("Estimate memory, time and cost");
    tool.description = tr("Checks the model and dataset on the Hub, then estimates GPU memory fit, training time and cost ranges on "
                          "every GPU offer, ranked by expected cost, with the budget verdict for each. Launches nothing.");
    tool.inputSchema = schemaFor(params, {QStringLiteral("model"), QStringLiteral("dataset")});
    tool.outputSchema = objectSchema({{QStringLiteral("model"), typed("string")},
                                      {QStringLiteral("dataset"), typed("string")},
                                      {QStringLiteral("method"), typed("string")},
                                      {QStringLiteral("offers"), arrayOfObjects()},
                                      {QStringLiteral("blockers"), QJsonObject{{QStringLiteral("type"), QStringLiteral("array")}}}},
                                     {QStringLiteral("offers")});
    tool.command = [params](const QJsonObject &input, const Settings &) { return commandLine({QStringLiteral("estimate")}, params, input); };
    tool.summary = [](const QJsonObject &result) {
        const QJsonArray offers = result.value(QStringLiteral("offers")).toArray();
        for (const QJsonValue &value : offers) {
            const QJsonObject offer = value.toObject();
            if (!offer.value(QStringLiteral("cheapest")).toBool())
                continue;
            const QJsonObject cost = offer.value(QStringLiteral("costUsd")).toObject();
            return tr("%1 offers priced. Cheapest that fits: %2 × %3 %4 in %5 at %6/h, %7 expected (%8–%9), budget: %10.")
                .arg(offers.size())
                .arg(offer.value(QStringLiteral("gpusPerNode")).toInt())
                .arg(offer.value(QStringLiteral("gpu")).toString(),
                     offer.value(QStringLiteral("spot")).toBool() ? tr("spot") : tr("on-demand"),
                     offer.value(QStringLiteral("region")).toString(), dollars(offer.value(QStringLiteral("pricePerHour"))),
                     dollars(cost.value(QStringLiteral("expected"))), dollars(cost.value(QStringLiteral("low"))),
                     dollars(cost.value(QStringLiteral("high"))), offer.value(QStringLiteral("budget")).toString());
        }
        return tr("%1 offers priced; none that can be launched fits this plan in GPU memory.").arg(offers.size());
    };
    return tool;
}

Tool jobTool(const QString &name, const QString &title, const QString &description, const QStringList &command,
             std::vector<Param> extra = {})
{
    std::vector<Param> params{{"job_id", "string", tr("The job id launch_training returned (vibeml-…)"), nullptr}};
    for (Param &param : extra)
        params.push_back(std::move(param));
    Tool tool;
    tool.name = name;
    tool.title = title;
    tool.description = description;
    tool.inputSchema = schemaFor(params, {QStringLiteral("job_id")});
    tool.command = [params, command](const QJsonObject &input, const Settings &) { return commandLine(command, params, input); };
    return tool;
}

Tool workflowsTool()
{
    Tool tool;
    tool.name = QStringLiteral("list_available_workflows");
    tool.title = tr("List the fine-tuning workflows");
    tool.description = tr("The fine-tuning methods VibeML can run and the order of tools for a run: validate, estimate, launch, "
                          "watch, stop.");
    tool.inputSchema = schemaFor({}, {});
    tool.outputSchema = objectSchema({{QStringLiteral("workflows"), arrayOfObjects()}, {QStringLiteral("steps"), arrayOfObjects()}},
                                     {QStringLiteral("workflows")});
    tool.local = [](const QJsonObject &) {
        QJsonArray workflows;
        for (const cost::Method method : kMethods)
            workflows.append(QJsonObject{{QStringLiteral("method"), cost::methodName(method)},
                                         {QStringLiteral("title"), cost::methodTitle(method)},
                                         {QStringLiteral("lora"), cost::isLora(method)},
                                         {QStringLiteral("tool"), QStringLiteral("launch_training")}});
        const auto step = [](const char *toolName, const QString &why) {
            return QJsonObject{{QStringLiteral("tool"), QLatin1String(toolName)}, {QStringLiteral("purpose"), why}};
        };
        const QJsonArray steps{step("validate_model", tr("the model exists, is readable and can be fine-tuned")),
                               step("validate_dataset", tr("the dataset's layout, splits and size")),
                               step("estimate_training_cost", tr("memory fit, time and cost on every offer")),
                               step("launch_training", tr("launch on the cheapest fitting offer (dry_run to preview)")),
                               step("get_training_status", tr("state, progress and cost so far")),
                               step("get_training_logs", tr("the last lines of the run's log")),
                               step("stop_training", tr("cancel, or tear the cluster down"))};
        return QJsonObject{{QStringLiteral("workflows"), workflows}, {QStringLiteral("steps"), steps}};
    };
    tool.summary = [](const QJsonObject &result) {
        QStringList methods;
        for (const QJsonValue &value : result.value(QStringLiteral("workflows")).toArray())
            methods << QStringLiteral("%1 (%2)").arg(value.toObject().value(QStringLiteral("method")).toString(),
                                                     value.toObject().value(QStringLiteral("title")).toString());
        return tr("Methods: %1. Steps: validate_model, validate_dataset, estimate_training_cost, launch_training, "
                  "get_training_status / get_training_logs, stop_training.")
            .arg(methods.join(QStringLiteral("; ")));
    };
    return tool;
}

std::vector<Tool> buildTools()
{
    std::vector<Tool> tools;
    tools.push_back(launchTool());
    {
        Tool tool = jobTool(QStringLiteral("get_training_status"), tr("Get a job's status"),
                            tr("One job from the journal: state, progress, cost so far, estimate, budget cap and its history."),
                            {QStringLiteral("jobs"), QStringLiteral("status")});
        tool.outputSchema = objectSchema({{QStringLiteral("id"), typed("string")},
                                          {QStringLiteral("state"), typed("string")},
                                          {QStringLiteral("accruedUsd"), typed("number")},
                                          {QStringLiteral("events"), arrayOfObjects()}},
                                         {QStringLiteral("id"), QStringLiteral("state")});
        tool.summary = [](const QJsonObject &job) {
            QString text = jobLine(job);
            const QString reason = job.value(QStringLiteral("reason")).toString();
            if (!reason.isEmpty())
                text += QStringLiteral(". ") + reason;
            return text;
        };
        tools.push_back(tool);
    }
    {
        Tool tool = jobTool(QStringLiteral("stop_training"), tr("Stop a job"),
                            tr("Cancels the job (its cluster then follows the teardown policy), or with tear_down tears the "
                               "cluster down now and verifies it is gone. Also takes a cluster name with tear_down."),
                            {QStringLiteral("jobs"), QStringLiteral("cancel")},
                            {{"tear_down", "boolean", tr("Tear the cluster down now instead of only cancelling the job"), nullptr}});
        const std::vector<Param> params{{"job_id", "string", QString(), nullptr}};
        tool.command = [params](const QJsonObject &input, const Settings &) {
            const bool down = input.value(QStringLiteral("tear_down")).toBool();
            return commandLine({QStringLiteral("jobs"), down ? QStringLiteral("down") : QStringLiteral("cancel")}, params, input);
        };
        tool.outputSchema = objectSchema({{QStringLiteral("id"), typed("string")}, {QStringLiteral("ok"), typed("boolean")},
                                          {QStringLiteral("message"), typed("string")}, {QStringLiteral("job"), typed("object")}},
                                         {QStringLiteral("ok")});
        tool.summary = [](const QJsonObject &result) { return result.value(QStringLiteral("message")).toString(); };
        tools.push_back(tool);
    }
    tools.push_back(workflowsTool());
    tools.push_back(estimateTool());
    {
        Tool tool;
        tool.name = QStringLiteral("list_active_training_jobs");
        tool.title = tr("List training jobs");
        tool.description = tr("Jobs whose cluster may still exist (launching, running, ended but not yet torn down, kept), with "
                              "state and cost; include_finished adds jobs that are over. Jobs from the window and the CLI are "
                              "included: they share the journal.");
        const std::vector<Param> params{{"include_finished", "boolean", tr("Also list jobs whose cluster is gone"), nullptr}};
        tool.inputSchema = schemaFor(params, {});
        tool.outputSchema = objectSchema({{QStringLiteral("jobs"), arrayOfObjects()}, {QStringLiteral("monthSpentUsd"), QJsonObject{}}},
                                         {QStringLiteral("jobs")});
        tool.command = [](const QJsonObject &, const Settings &) {
            return QStringList{QStringLiteral("jobs"), QStringLiteral("list"), QStringLiteral("--json")};
        };
        tool.shape = [](const QJsonObject &output, const QJsonObject &input) {
            if (input.value(QStringLiteral("include_finished")).toBool())
                return output;
            QJsonArray active;
            for (const QJsonValue &job : output.value(QStringLiteral("jobs")).toArray()) {
                if (!isTerminalState(job.toObject().value(QStringLiteral("state")).toString()))
                    active.append(job);
            }
            QJsonObject shaped = output;
            shaped.insert(QStringLiteral("jobs"), active);
            return shaped;
        };
        tool.summary = [](const QJsonObject &result) {
            const QJsonArray jobs = result.value(QStringLiteral("jobs")).toArray();
            QStringList lines{trn("%n job(s); spent this month: %1.", int(jobs.size()))
                                  .arg(result.value(QStringLiteral("monthSpentUsd")).isDouble()
                                           ? dollars(result.value(QStringLiteral("monthSpentUsd")))
                                           : tr("unknown"))};
            for (const QJsonValue &job : jobs)
                lines << jobLine(job.toObject());
            return lines.join(QLatin1Char('\n'));
        };
        tools.push_back(tool);
    }
    {
        const std::vector<Param> params{{"model_id", "string", tr("Hugging Face model id"), nullptr},
                                        {"revision", "string", tr("Branch, tag or commit (default main)"), "--revision"}};
        Tool tool;
        tool.name = QStringLiteral("validate_model");
        tool.title = tr("Validate a model");
        tool.description = tr("Checks a Hub model: access (gated, private), architecture support, parameter count, weights format "
                              "and licence. isError is true when it cannot be fine-tuned as is; the report says why.");
        tool.inputSchema = schemaFor(params, {QStringLiteral("model_id")});
        tool.command = [params](const QJsonObject &input, const Settings &) {
            return commandLine({QStringLiteral("validate-model")}, params, input);
        };
        tool.summary = validationSummary;
        tools.push_back(tool);
    }
    {
        const std::vector<Param> params{
            {"dataset_id", "string", tr("Hugging Face dataset id"), nullptr},
            {"revision", "string", tr("Branch, tag or commit"), "--revision"},
            {"config", "string", tr("The config to train on"), "--config"},
            {"split", "string", tr("The split to train on"), "--split"},
            {"format", "string", tr("Override the detected layout"), "--format", nullptr,
             {QStringLiteral("chat"), QStringLiteral("instruction"), QStringLiteral("prompt-completion"), QStringLiteral("text")}}};
        Tool tool;
        tool.name = QStringLiteral("validate_dataset");
        tool.title = tr("Validate a dataset");
        tool.description = tr("Checks a Hub dataset: access, configs, splits, row counts, columns, the detected layout (chat, "
                              "instruction, prompt/completion, text) and the tokens a run would train on.");
        tool.inputSchema = schemaFor(params, {QStringLiteral("dataset_id")});
        tool.command = [params](const QJsonObject &input, const Settings &) {
            return commandLine({QStringLiteral("validate-dataset")}, params, input);
        };
        tool.summary = validationSummary;
        tools.push_back(tool);
    }
    {
        const std::vector<Param> params{{"gpu", "string", tr("Only this accelerator, e.g. H100"), "--gpu"},
                                        {"region", "string", tr("Only this region"), "--region"},
                                        {"cloud", "string", tr("Only this cloud (nebius can be launched; others compare)"), "--cloud"}};
        Tool tool;
        tool.name = QStringLiteral("compare_gpu_costs");
        tool.title = tr("Compare GPU prices");
        tool.description = tr("GPU instances of the catalogs VibeML uses, with GPU memory, on-demand and spot prices per hour, "
                              "cheapest first. Only Nebius offers can be launched.");
        tool.inputSchema = schemaFor(params, {});
        tool.outputSchema = objectSchema({{QStringLiteral("offers"), arrayOfObjects()}, {QStringLiteral("catalogs"), QJsonObject{}}},
                                         {QStringLiteral("offers")});
        tool.command = [params](const QJsonObject &input, const Settings &) { return commandLine({QStringLiteral("gpus")}, params, input); };
        tool.shape = [](const QJsonObject &output, const QJsonObject &) {
            QJsonArray offers = output.value(QStringLiteral("offers")).toArray();
            QList<QJsonObject> sorted;
            for (const QJsonValue &offer : offers)
                sorted.append(offer.toObject());
            std::stable_sort(sorted.begin(), sorted.end(), [](const QJsonObject &a, const QJsonObject &b) {
                const auto perGpu = [](const QJsonObject &o) {
                    return o.value(QStringLiteral("pricePerHour")).toDouble() / std::max(1, o.value(QStringLiteral("count")).toInt());
                };
                return perGpu(a) < perGpu(b);
            });
            QJsonArray ordered;
            for (const QJsonObject &offer : std::as_const(sorted))
                ordered.append(offer);
            QJsonObject shaped = output;
            shaped.insert(QStringLiteral("offers"), ordered);
            return shaped;
        };
        tool.summary = [](const QJsonObject &result) {
            const QJsonArray offers = result.value(QStringLiteral("offers")).toArray();
            QStringList lines{trn("%n offer(s), cheapest per GPU-hour first:", int(offers.size()))};
            for (qsizetype i = 0; i < offers.size() && i < 10; ++i) {
                const QJsonObject offer = offers.at(i).toObject();
                lines << tr("%1 × %2 %3/%4: %5/h%6")
                             .arg(offer.value(QStringLiteral("count")).toInt())
                             .arg(offer.value(QStringLiteral("gpu")).toString(), offer.value(QStringLiteral("cloud")).toString(),
                                  offer.value(QStringLiteral("region")).toString(), dollars(offer.value(QStringLiteral("pricePerHour"))),
                                  offer.value(QStringLiteral("launchable")).toBool() ? QString() : tr(" (compare only)"));
            }
            return lines.join(QLatin1Char('\n'));
        };
        tools.push_back(tool);
    }
    {
        Tool tool = jobTool(QStringLiteral("get_training_logs"), tr("Read a job's log"),
                            tr("The last lines of the job's log (kept in its run bundle as the monitor follows it)."),
                            {QStringLiteral("jobs"), QStringLiteral("logs")},
                            {{"tail", "integer", tr("How many of the last lines (default 100)"), "--tail", nullptr, {}, 1, 5000}});
        const auto command = tool.command;
        tool.command = [command](const QJsonObject &input, const Settings &settings) {
            QJsonObject withTail = input;
            if (!withTail.contains(QStringLiteral("tail")))
                withTail.insert(QStringLiteral("tail"), 100);
            return command(withTail, settings);
        };
        tool.outputSchema = objectSchema({{QStringLiteral("id"), typed("string")},
                                          {QStringLiteral("state"), typed("string")},
                                          {QStringLiteral("totalLines"), typed("integer")},
                                          {QStringLiteral("lines"), QJsonObject{{QStringLiteral("type"), QStringLiteral("array")},
                                                                                {QStringLiteral("items"), typed("string")}}}},
                                         {QStringLiteral("lines")});
        tool.summary = [](const QJsonObject &result) {
            QStringList lines;
            for (const QJsonValue &line : result.value(QStringLiteral("lines")).toArray())
                lines << line.toString();
            if (lines.isEmpty())
                return tr("%1 (%2) has no log lines yet.")
                    .arg(result.value(QStringLiteral("id")).toString(), result.value(QStringLiteral("state")).toString());
            return lines.join(QLatin1Char('\n'));
        };
        tools.push_back(tool);
    }
    {
        Tool tool;
        tool.name = QStringLiteral("list_orphaned_clusters");
        tool.title = tr("List orphaned clusters");
        tool.description = tr("vibeml- clusters that `sky status` lists but no live job owns, with their price per hour and the "
                              "command that removes each (stop_training with tear_down takes the cluster name).");
        tool.inputSchema = schemaFor({}, {});
        tool.outputSchema = objectSchema({{QStringLiteral("orphans"), arrayOfObjects()}}, {QStringLiteral("orphans")});
        tool.command = [](const QJsonObject &input, const Settings &) {
            return commandLine({QStringLiteral("jobs"), QStringLiteral("orphans")}, {}, input);
        };
        tool.summary = [](const QJsonObject &result) {
            const QJsonArray orphans = result.value(QStringLiteral("orphans")).toArray();
            if (orphans.isEmpty())
                return tr("No orphaned clusters: every vibeml- cluster belongs to a live job.");
            QStringList lines{trn("%n orphaned cluster(s):", int(orphans.size()))};
            for (const QJsonValue &value : orphans) {
                const QJsonObject orphan = value.toObject();
                lines << tr("%1 (%2), remove with: %3")
                             .arg(orphan.value(QStringLiteral("cluster")).toString(), orphan.value(QStringLiteral("status")).toString(),
                                  orphan.value(QStringLiteral("teardown")).toString());
            }
            return lines.join(QLatin1Char('\n'));
        };
        tools.push_back(tool);
    }
    return tools;
}

QString checkValue(const QString &name, const QJsonObject &schema, const QJsonValue &value)
{
    const QString type = schema.value(QStringLiteral("type")).toString();
    if (type == QLatin1String("string")) {
        if (!value.isString())
            return tr("'%1' must be a string").arg(name);
        if (value.toString().size() < schema.value(QStringLiteral("minLength")).toInt(0))
            return tr("'%1' must not be empty").arg(name);
        if (value.toString().size() > 4096)
            return tr("'%1' is too long").arg(name);
        const QJsonArray choices = schema.value(QStringLiteral("enum")).toArray();
        if (!choices.isEmpty() && !choices.contains(value)) {
            QStringList names;
            for (const QJsonValue &choice : choices)
                names << choice.toString();
            return tr("'%1' must be one of: %2").arg(name, names.join(QStringLiteral(", ")));
        }
        return QString();
    }
    if (type == QLatin1String("boolean"))
        return value.isBool() ? QString() : tr("'%1' must be true or false").arg(name);
    if (type == QLatin1String("integer") || type == QLatin1String("number")) {
        if (!value.isDouble())
            return tr("'%1' must be a number").arg(name);
        const double number = value.toDouble();
        if (!std::isfinite(number))
            return tr("'%1' must be a finite number").arg(name);
        if (type == QLatin1String("integer") && (std::floor(number) != number || std::abs(number) > 9e15))
            return tr("'%1' must be a whole number").arg(name);
        if (schema.contains(QStringLiteral("minimum")) && number < schema.value(QStringLiteral("minimum")).toDouble())
            return tr("'%1' must be at least %2").arg(name).arg(schema.value(QStringLiteral("minimum")).toDouble());
        if (schema.contains(QStringLiteral("maximum")) && number > schema.value(QStringLiteral("maximum")).toDouble())
            return tr("'%1' must be at most %2").arg(name).arg(schema.value(QStringLiteral("maximum")).toDouble());
        return QString();
    }
    return QString();
}

} // namespace

QJsonObject Tool::describe() const
{
    QJsonObject object{{QStringLiteral("name"), name},
                       {QStringLiteral("title"), title},
                       {QStringLiteral("description"), description},
                       {QStringLiteral("inputSchema"), inputSchema}};
    if (!outputSchema.isEmpty())
        object.insert(QStringLiteral("outputSchema"), outputSchema);
    return object;
}

QJsonObject ToolResult::toJson() const
{
    QJsonObject object{{QStringLiteral("content"), QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                                                          {QStringLiteral("text"), text}}}},
                       {QStringLiteral("isError"), isError}};
    if (structured)
        object.insert(QStringLiteral("structuredContent"), *structured);
    return object;
}

ToolCatalog::ToolCatalog() : m_tools(buildTools()) {}

const Tool *ToolCatalog::find(const QString &name) const
{
    for (const Tool &tool : m_tools) {
        if (tool.name == name)
            return &tool;
    }
    return nullptr;
}

QJsonArray ToolCatalog::describe() const
{
    QJsonArray array;
    for (const Tool &tool : m_tools)
        array.append(tool.describe());
    return array;
}

QString checkArguments(const QJsonObject &schema, const QJsonValue &arguments)
{
    if (!arguments.isUndefined() && !arguments.isNull() && !arguments.isObject())
        return tr("'arguments' must be an object");
    const QJsonObject input = arguments.toObject();
    const QJsonObject properties = schema.value(QStringLiteral("properties")).toObject();
    for (auto it = input.begin(); it != input.end(); ++it) {
        if (!properties.contains(it.key())) {
            const QStringList known = properties.keys();
            return known.isEmpty() ? tr("this tool takes no arguments, but got '%1'").arg(it.key())
                                   : tr("unknown argument '%1'; this tool takes: %2").arg(it.key(), known.join(QStringLiteral(", ")));
        }
        if (const QString problem = checkValue(it.key(), properties.value(it.key()).toObject(), it.value()); !problem.isEmpty())
            return problem;
    }
    for (const QJsonValue &required : schema.value(QStringLiteral("required")).toArray()) {
        if (!input.contains(required.toString()))
            return tr("'%1' is required").arg(required.toString());
    }
    return QString();
}

ToolResult commandResult(const Tool &tool, const QJsonObject &input, int exitCode, const QString &out, const QString &err)
{
    ToolResult result;
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(out.toUtf8(), &parseError);
    const QString problems = err.trimmed();
    if (exitCode != ExitOk) {
        result.isError = true;
        QStringList parts;
        if (!problems.isEmpty())
            parts << problems;
        if (document.isObject())
            parts << (tool.summary ? tool.summary(document.object()) : QString::fromUtf8(document.toJson(QJsonDocument::Compact)));
        if (parts.isEmpty())
            parts << tr("The command failed (exit code %1) without saying why; the log (vibeml-mcp.log) may know more.").arg(exitCode);
        result.text = parts.join(QLatin1Char('\n'));
        return result;
    }
    if (!document.isObject()) {
        result.isError = true;
        result.text = tr("VibeML's answer could not be read as JSON (%1). %2").arg(parseError.errorString(), problems);
        return result;
    }
    QJsonObject structured = document.object();
    if (tool.shape)
        structured = tool.shape(structured, input);
    result.structured = structured;
    result.text = tool.summary ? tool.summary(structured) : QString::fromUtf8(QJsonDocument(structured).toJson(QJsonDocument::Compact));
    if (!problems.isEmpty())
        result.text += QStringLiteral("\n") + problems;
    return result;
}

} // namespace vibeml::mcp
