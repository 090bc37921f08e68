#include "cli/ConfigCommand.h"

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
                      "  vibeml config set-token hf|wandb      Store a token in the system keychain, read from stdin\n"
                      "  vibeml config delete-token hf|wandb   Remove a token from the keychain\n\n"
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
    if (action == QLatin1String("show") || action.isEmpty())
        show(rest, context, std::move(finish));
    else if (action == QLatin1String("set"))
        finish(set(rest, context));
    else if (action == QLatin1String("reset"))
        finish(reset(rest, context));
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

int ConfigCommand::set(const QStringList &arguments, CliContext &context) const
{
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
    context.out << settingsschema::name(*key) << " = " << settingsschema::toText(*key, context.settings.value(*key))
                << '\n';
    return ExitOk;
}

int ConfigCommand::reset(const QStringList &arguments, CliContext &context) const
{
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
    context.out << settingsschema::name(*key) << " = " << settingsschema::toText(*key, context.settings.value(*key))
                << tr("  (default)") << '\n';
    return ExitOk;
}

void ConfigCommand::setToken(const QStringList &arguments, CliContext &context, Finish finish) const
{
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
    context.secrets.write(secret, token, &context.secrets, [&context, secret, finish](const std::optional<SecretError> &error) {
        if (error) {
            context.err << tr("vibeml config set-token: %1").arg(error->message) << '\n';
            finish(exitCodeFor(*error));
            return;
        }
        context.out << tr("Stored the %1 in the system keychain.").arg(SecretStore::displayName(secret)) << '\n';
        finish(ExitOk);
    });
}

void ConfigCommand::deleteToken(const QStringList &arguments, CliContext &context, Finish finish) const
{
    const auto id = secretFromName(arguments.value(0));
    if (arguments.size() != 1 || !id) {
        context.err << tr("Usage: vibeml config delete-token hf|wandb") << '\n';
        finish(ExitUsage);
        return;
    }
    const SecretId secret = *id;
    context.secrets.remove(secret, &context.secrets, [&context, secret, finish](const std::optional<SecretError> &error) {
        if (error) {
            context.err << tr("vibeml config delete-token: %1").arg(error->message) << '\n';
            finish(exitCodeFor(*error));
            return;
        }
        context.out << tr("The %1 is no longer in the keychain.").arg(SecretStore::displayName(secret)) << '\n';
        finish(ExitOk);
    });
}

} // namespace vibeml
