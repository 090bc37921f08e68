#include "cli/ConfigCommand.h"

#include "cli/ConfigReports.h"
#include "cli/ExitCode.h"
#include "config/Settings.h"
#include "hub/HubClient.h"
#include "secrets/SecretStore.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace vibeml {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ConfigCommand", text);
}

std::optional<SecretId> secretFromName(const QString &name)
{
    if (name == QLatin1String("hf") || name == QLatin1String("huggingface"))
        return SecretId::HuggingFaceToken;
    if (name == QLatin1String("wandb"))
        return SecretId::WandbApiKey;
    return std::nullopt;
}

int unknownSetting(CliContext &context, const QString &name)
{
    context.err << tr("vibeml config: there is no setting '%1'. Run 'vibeml config show' to list them.").arg(name)
                << '\n';
    return ExitUsage;
}

// Takes a trailing or leading --json out of the arguments; true when it was there.
bool takeJson(QStringList &arguments)
{
    return arguments.removeAll(QStringLiteral("--json")) > 0;
}

void printSetting(CliContext &context, SettingKey key, bool json)
{
    if (json) {
        context.out << QJsonDocument(QJsonObject{{QStringLiteral("name"), settingsschema::name(key)},
                                                 {QStringLiteral("value"), settingsschema::toJson(key, context.settings.value(key))},
                                                 {QStringLiteral("isDefault"), context.settings.isDefault(key)}})
                           .toJson(QJsonDocument::Indented);
        return;
    }
    context.out << settingsschema::name(key) << " = " << settingsschema::toText(key, context.settings.value(key))
                << (context.settings.isDefault(key) ? tr("  (default)") : QString()) << '\n';
}

void printSecretDone(CliContext &context, SecretId secret, bool stored, bool json, const QString &message)
{
    if (json)
        context.out << QJsonDocument(QJsonObject{{QStringLiteral("secret"), secret == SecretId::HuggingFaceToken ? QStringLiteral("hf")
                                                                                                                   : QStringLiteral("wandb")},
                                                 {QStringLiteral("stored"), stored},
                                                 {QStringLiteral("message"), message}})
                           .toJson(QJsonDocument::Indented);
    else
        context.out << message << '\n';
}

int exitCodeFor(const SecretError &error)
{
    switch (error.kind) {
    case SecretError::Kind::NoBackend:
    case SecretError::Kind::TimedOut:
        return ExitUnavailable;
    default:
        return ExitFailure;
    }
}

} // namespace

QString ConfigCommand::summary() const
{
    return tr("Show and change settings; store tokens in the keychain");
}

QString ConfigCommand::help() const
{
    QString text = tr("Usage:\n"
                      "  vibeml config show [--json]           List every setting, its value and what it means\n"
                      "  vibeml config set NAME VALUE          Change a setting (checked before it is saved)\n"
                      "  vibeml config reset NAME              Put a setting back to its default\n"
                      "  vibeml config set-budget monthly|per-job|approval USD\n"
                      "                                        Set the monthly or per-run budget, or the approval threshold\n"
                      "  vibeml config set-token hf|wandb      Store a token in the system keychain, read from stdin\n"
                      "                                        (hidden when typed on a terminal)\n"
                      "  vibeml config delete-token hf|wandb   Remove a token from the keychain\n"
                      "  vibeml config show-spending [--history] [--months N]\n"
                      "                                        This month's spend (recorded runs plus what live runs have\n"
                      "                                        accrued) against the budgets; --history: per month\n"
                      "  vibeml config verify-credentials      Check the Hugging Face token (whoami), the W&B key, the Nebius\n"
                      "                                        credential files and `sky check nebius`\n\n"
                      "Every action takes --json for machine-readable output.\n\n"
                      "Exit codes: 0 done, 1 failed (the settings file or the journal could not be written or read),\n"
                      "2 wrong arguments or a value a setting does not accept, 3 the keychain did not answer,\n"
                      "4 verify-credentials found a credential that does not work.\n\n"
                      "Settings:\n");
    for (const SettingDefinition &definition : settingsschema::definitions()) {
        if (!definition.userVisible)
            continue;
        text += QStringLiteral("  %1 %2\n      %3\n")
                    .arg(QString::fromLatin1(definition.name).leftJustified(30), settingsschema::describeAllowedValues(definition.key),
                         settingsschema::summary(definition.key));
    }
    text += tr("\nTokens never appear in arguments: pipe them in (echo \"$HF_TOKEN\" | vibeml config set-token hf) or "
               "type them at the hidden prompt.\n");
    return text;
}

void ConfigCommand::run(const QStringList &arguments, CliContext &context, Finish finish)
{
    const QString action = arguments.value(0);
    const QStringList rest = arguments.mid(1);
    if (action == QLatin1String("show") || action.isEmpty() || action == QLatin1String("--json"))
        show(action == QLatin1String("--json") ? arguments : rest, context, std::move(finish));
    else if (action == QLatin1String("set"))
        finish(set(rest, context));
    else if (action == QLatin1String("reset"))
        finish(reset(rest, context));
    else if (action == QLatin1String("set-budget"))
        finish(setBudget(rest, context));
    else if (action == QLatin1String("show-spending"))
        showSpending(rest, context, std::move(finish));
    else if (action == QLatin1String("verify-credentials"))
        verifyCredentials(rest, context, std::move(finish));
    else if (action == QLatin1String("set-token"))
        setToken(rest, context, std::move(finish));
    else if (action == QLatin1String("delete-token"))
        deleteToken(rest, context, std::move(finish));
    else {
        context.err << tr("vibeml config: unknown action '%1'. Run 'vibeml config --help'.").arg(action) << '\n';
        finish(ExitUsage);
    }
}

void ConfigCommand::show(const QStringList &arguments, CliContext &context, Finish finish) const
{
    const bool json = arguments.contains(QStringLiteral("--json"));
    for (const QString &argument : arguments) {
        if (argument != QLatin1String("--json")) {
            context.err << tr("vibeml config show: unexpected argument '%1'.").arg(argument) << '\n';
            finish(ExitUsage);
            return;
        }
    }
    // The token's source and the endpoints are part of the configuration a user asks about.
    context.prepareHub([&context, json, finish] {
        const hub::HubEndpoints &endpoints = context.hub->endpoints();
        const QString tokenSource = context.hub->token().describe();
        if (json) {
            QJsonArray rows;
            for (const SettingDefinition &definition : settingsschema::definitions()) {
                if (!definition.userVisible)
                    continue;
                rows.append(QJsonObject{
                    {QStringLiteral("name"), QLatin1String(definition.name)},
                    {QStringLiteral("value"), settingsschema::toJson(definition.key, context.settings.value(definition.key))},
                    {QStringLiteral("default"), settingsschema::toJson(definition.key, definition.defaultValue)},
                    {QStringLiteral("isDefault"), context.settings.isDefault(definition.key)},
                    {QStringLiteral("allowed"), settingsschema::describeAllowedValues(definition.key)},
                    {QStringLiteral("summary"), settingsschema::summary(definition.key)},
                });
            }
            const QJsonObject hubJson{{QStringLiteral("endpoint"), endpoints.hub.toString()},
                                      {QStringLiteral("endpointSource"), endpoints.hubSource},
                                      {QStringLiteral("viewer"), endpoints.viewer.toString()},
                                      {QStringLiteral("offline"), endpoints.offline},
                                      {QStringLiteral("tokenSource"), tokenSource}};
            const QJsonObject root{{QStringLiteral("file"), context.settings.filePath()},
                                   {QStringLiteral("settings"), rows},
                                   {QStringLiteral("hub"), hubJson}};
            context.out << QJsonDocument(root).toJson(QJsonDocument::Indented);
            finish(ExitOk);
            return;
        }
        context.out << tr("Settings file: %1").arg(context.settings.filePath()) << "\n\n";
        for (const SettingDefinition &definition : settingsschema::definitions()) {
            if (!definition.userVisible)
                continue;
            QString value = settingsschema::toText(definition.key, context.settings.value(definition.key));
            if (value.isEmpty())
                value = tr("(empty)");
            if (context.settings.isDefault(definition.key))
                value += tr("  (default)");
            context.out << QString::fromLatin1(definition.name).leftJustified(30) << ' ' << value << '\n';
        }
        context.out << '\n'
                    << tr("Hugging Face Hub:  %1 (%2)%3")
                           .arg(endpoints.hub.toString(), endpoints.hubSource,
                                endpoints.offline ? tr(", offline (HF_HUB_OFFLINE)") : QString())
                    << '\n'
                    << tr("Hugging Face token: %1").arg(tokenSource) << '\n';
        finish(ExitOk);
    });
}

int ConfigCommand::set(QStringList arguments, CliContext &context) const
{
    const bool json = takeJson(arguments);
    if (arguments.size() != 2) {
        context.err << tr("Usage: vibeml config set NAME VALUE") << '\n';
        return ExitUsage;
    }
    const auto key = settingsschema::keyFromName(arguments.at(0));
    if (!key || !settingsschema::definition(*key).userVisible)
        return unknownSetting(context, arguments.at(0));
    const SettingValidation parsed = settingsschema::parse(*key, arguments.at(1));
    if (!parsed.isOk()) {
        context.err << tr("vibeml config set: %1").arg(parsed.error) << '\n';
        return ExitUsage;
    }
    if (const Status saved = context.settings.set(*key, parsed.value); !saved) {
        context.err << tr("vibeml config set: %1").arg(saved.message()) << '\n';
        return ExitFailure;
    }
    printSetting(context, *key, json);
    return ExitOk;
}

int ConfigCommand::setBudget(QStringList arguments, CliContext &context) const
{
    const bool json = takeJson(arguments);
    const QString which = arguments.value(0);
    const QString name = which == QLatin1String("monthly")    ? settingsschema::name(SettingKey::MonthlyBudgetUsd)
                         : which == QLatin1String("per-job")  ? settingsschema::name(SettingKey::PerJobBudgetUsd)
                         : which == QLatin1String("approval") ? settingsschema::name(SettingKey::ApprovalThresholdUsd)
                                                              : QString();
    if (arguments.size() != 2 || name.isEmpty()) {
        context.err << tr("Usage: vibeml config set-budget monthly|per-job|approval USD") << '\n';
        return ExitUsage;
    }
    QString amount = arguments.at(1).trimmed();
    if (amount.startsWith(QLatin1Char('$')))
        amount.remove(0, 1);
    QStringList forwarded{name, amount};
    if (json)
        forwarded << QStringLiteral("--json");
    return set(forwarded, context);
}

int ConfigCommand::reset(QStringList arguments, CliContext &context) const
{
    const bool json = takeJson(arguments);
    if (arguments.size() != 1) {
        context.err << tr("Usage: vibeml config reset NAME") << '\n';
        return ExitUsage;
    }
    const auto key = settingsschema::keyFromName(arguments.at(0));
    if (!key || !settingsschema::definition(*key).userVisible)
        return unknownSetting(context, arguments.at(0));
    if (const Status saved = context.settings.reset(*key); !saved) {
        context.err << tr("vibeml config reset: %1").arg(saved.message()) << '\n';
        return ExitFailure;
    }
    printSetting(context, *key, json);
    return ExitOk;
}

void ConfigCommand::setToken(QStringList arguments, CliContext &context, Finish finish) const
{
    const bool json = takeJson(arguments);
    const auto id = secretFromName(arguments.value(0));
    if (arguments.size() != 1 || !id) {
        context.err << tr("Usage: vibeml config set-token hf|wandb   (the token is read from stdin)") << '\n';
        finish(ExitUsage);
        return;
    }
    const QString prompt = tr("Paste your %1 (input is hidden): ").arg(SecretStore::displayName(*id));
    const std::optional<QString> line = context.readLine(prompt, true);
    const QString token = line.value_or(QString()).trimmed();
    if (token.isEmpty()) {
        context.err << tr("vibeml config set-token: no token was given on stdin; nothing was stored.") << '\n';
        finish(ExitUsage);
        return;
    }
    if (token.contains(QLatin1Char(' ')) || token.contains(QLatin1Char('\t'))) {
        context.err << tr("vibeml config set-token: a token has no spaces; nothing was stored.") << '\n';
        finish(ExitUsage);
        return;
    }
    if (*id == SecretId::HuggingFaceToken && !token.startsWith(QLatin1String("hf_")))
        context.err << tr("Warning: Hugging Face tokens start with \"hf_\"; storing it anyway.") << '\n';

    const SecretId secret = *id;
    context.secrets.write(secret, token, &context.secrets, [&context, secret, json, finish](const std::optional<SecretError> &error) {
        if (error) {
            context.err << tr("vibeml config set-token: %1").arg(error->message) << '\n';
            finish(exitCodeFor(*error));
            return;
        }
        printSecretDone(context, secret, true, json, tr("Stored the %1 in the system keychain.").arg(SecretStore::displayName(secret)));
        finish(ExitOk);
    });
}

void ConfigCommand::deleteToken(QStringList arguments, CliContext &context, Finish finish) const
{
    const bool json = takeJson(arguments);
    const auto id = secretFromName(arguments.value(0));
    if (arguments.size() != 1 || !id) {
        context.err << tr("Usage: vibeml config delete-token hf|wandb") << '\n';
        finish(ExitUsage);
        return;
    }
    const SecretId secret = *id;
    context.secrets.remove(secret, &context.secrets, [&context, secret, json, finish](const std::optional<SecretError> &error) {
        if (error) {
            context.err << tr("vibeml config delete-token: %1").arg(error->message) << '\n';
            finish(exitCodeFor(*error));
            return;
        }
        printSecretDone(context, secret, false, json, tr("The %1 is no longer in the keychain.").arg(SecretStore::displayName(secret)));
        finish(ExitOk);
    });
}

} // namespace vibeml
