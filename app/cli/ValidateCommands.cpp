#include "cli/ValidateCommands.h"

#include "cli/ArgumentParser.h"
#include "cli/ExitCode.h"
#include "hub/DatasetValidator.h"
#include "hub/ModelValidator.h"
#include "hub/ReportJson.h"

#include <QCoreApplication>
#include <QJsonDocument>

#include <memory>

namespace vibeml {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ValidateCommands", text);
}

const QString kJsonOption = QStringLiteral("json");
const QString kRevisionOption = QStringLiteral("revision");

bool unreachable(const std::optional<hub::HubError> &error)
{
    if (!error)
        return false;
    switch (error->kind) {
    case hub::HubError::Kind::Offline:
    case hub::HubError::Kind::NetworkError:
    case hub::HubError::Kind::Timeout:
    case hub::HubError::Kind::ServerError:
    case hub::HubError::Kind::RateLimited:
        return true;
    default:
        return false;
    }
}

template<typename Report>
int exitCodeFor(const Report &report)
{
    if (report.canLaunch())
        return ExitOk;
    return unreachable(report.infoError) ? ExitUnavailable : ExitNotReady;
}

template<typename Report>
void print(const Report &report, bool json, CliContext &context)
{
    if (json)
        context.out << QJsonDocument(hub::toJson(report)).toJson(QJsonDocument::Indented);
    else
        context.out << report.toText();
}

const QString commonHelp = QStringLiteral("\nExit codes: 0 ready to train, 2 wrong arguments, 3 the Hub could not be reached (and nothing was cached), "
                                          "4 a check failed.\nThe token comes from the keychain, else HF_TOKEN, "
                                          "HUGGING_FACE_HUB_TOKEN, HF_TOKEN_PATH, $HF_HOME/token, ~/.cache/huggingface/token.\n");

} // namespace

QString ValidateModelCommand::summary() const
{
    return tr("Check a Hub model before training: access, size, architecture, licence");
}

QString ValidateModelCommand::help() const
{
    return tr("Usage: vibeml validate-model ID [--revision REV] [--json]\n\n"
              "Checks that the model exists, that your token can download it (gated models included), how many\n"
              "parameters it has, its precision, whether VibeML's training script supports its architecture, its\n"
              "licence, its download size, and which commit a launch would pin.\n\n"
              "  --revision REV   a branch, tag or commit (default: main)\n"
              "  --json           print the report as JSON\n")
           + commonHelp;
}

void ValidateModelCommand::run(const QStringList &arguments, CliContext &context, Finish finish)
{
    ArgumentParser parsing(name());
    QCommandLineParser &parser = parsing.parser();
    parser.addOption({kJsonOption, tr("Print JSON.")});
    parser.addOption({kRevisionOption, tr("Branch, tag or commit."), tr("REV")});
    if (!parsing.parse(arguments, context, 1, 1)) {
        finish(ExitUsage);
        return;
    }
    const QString id = parser.positionalArguments().first();
    const QString revision = parser.value(kRevisionOption);
    const bool json = parser.isSet(kJsonOption);
    context.prepareHub([&context, id, revision, json, finish] {
        auto *validator = new hub::ModelValidator(*context.hub, context.hub);
        QObject::connect(validator, &hub::ModelValidator::finished, validator,
                         [validator, &context, json, finish](const hub::ModelReport &report) {
                             print(report, json, context);
                             validator->deleteLater();
                             finish(exitCodeFor(report));
                         });
        validator->validate(id, revision);
    });
}

QString ValidateDatasetCommand::summary() const
{
    return tr("Check a Hub dataset: access, splits, columns, layout, tokens");
}

QString ValidateDatasetCommand::help() const
{
    return tr("Usage: vibeml validate-dataset ID [--revision REV] [--config NAME] [--split NAME]\n"
              "                               [--format chat|instruction|prompt-completion|text]\n"
              "                               [--column PART=COLUMN]... [--json]\n\n"
              "Checks that the dataset exists and your token can read it, lists its configs, splits, row counts and\n"
              "columns, detects its layout (chat messages, alpaca-style instructions, prompt/completion, or plain\n"
              "text), previews the first rows and estimates the tokens a run will train on.\n\n"
              "  --config NAME    the config to train on (default: \"default\" or the first)\n"
              "  --split NAME     the split to train on (default: train, train_sft, …)\n"
              "  --format F       override the detected layout\n"
              "  --column P=C     map a part of the layout to a column; parts: messages, instruction, input,\n"
              "                   output, prompt, completion, text (repeatable)\n"
              "  --json           print the report as JSON\n")
           + commonHelp;
}

void ValidateDatasetCommand::run(const QStringList &arguments, CliContext &context, Finish finish)
{
    ArgumentParser parsing(name());
    QCommandLineParser &parser = parsing.parser();
    parser.addOption({kJsonOption, tr("Print JSON.")});
    parser.addOption({kRevisionOption, tr("Branch, tag or commit."), tr("REV")});
    parser.addOption({QStringLiteral("config"), tr("Config."), tr("NAME")});
    parser.addOption({QStringLiteral("split"), tr("Split."), tr("NAME")});
    parser.addOption({QStringLiteral("format"), tr("Layout."), tr("FORMAT")});
    parser.addOption({QStringLiteral("column"), tr("PART=COLUMN."), tr("MAPPING")});
    if (!parsing.parse(arguments, context, 1, 1)) {
        finish(ExitUsage);
        return;
    }
    hub::DatasetRequest request;
    request.id = parser.positionalArguments().first();
    request.revision = parser.value(kRevisionOption);
    request.config = parser.value(QStringLiteral("config"));
    request.split = parser.value(QStringLiteral("split"));
    if (parser.isSet(QStringLiteral("format")) || parser.isSet(QStringLiteral("column"))) {
        hub::ColumnMapping mapping;
        const QString formatText = parser.value(QStringLiteral("format"));
        const std::optional<hub::DataFormat> format = hub::formatFromName(formatText);
        if (!format) {
            context.err << tr("vibeml validate-dataset: --format must be chat, instruction, prompt-completion or text.")
                        << '\n';
            finish(ExitUsage);
            return;
        }
        mapping.format = *format;
        mapping.roleKey = QStringLiteral("role");
        mapping.contentKey = QStringLiteral("content");
        const QStringList assignments = parser.values(QStringLiteral("column"));
        for (const QString &assignment : assignments) {
            const QString part = assignment.section(QLatin1Char('='), 0, 0).trimmed();
            const QString column = assignment.section(QLatin1Char('='), 1).trimmed();
            QString *target = part == QLatin1String("messages")      ? &mapping.messages
                              : part == QLatin1String("instruction") ? &mapping.instruction
                              : part == QLatin1String("input")       ? &mapping.input
                              : part == QLatin1String("output")      ? &mapping.output
                              : part == QLatin1String("prompt")      ? &mapping.prompt
                              : part == QLatin1String("completion")  ? &mapping.completion
                              : part == QLatin1String("text")        ? &mapping.text
                                                                     : nullptr;
            if (!target || column.isEmpty()) {
                context.err << tr("vibeml validate-dataset: --column expects PART=COLUMN, got \"%1\".").arg(assignment) << '\n';
                finish(ExitUsage);
                return;
            }
            *target = column;
        }
        request.mapping = mapping;
    }
    const bool json = parser.isSet(kJsonOption);
    context.prepareHub([&context, request, json, finish] {
        auto *validator = new hub::DatasetValidator(*context.hub, context.hub);
        QObject::connect(validator, &hub::DatasetValidator::finished, validator,
                         [validator, &context, json, finish](const hub::DatasetReport &report) {
                             print(report, json, context);
                             validator->deleteLater();
                             finish(exitCodeFor(report));
                         });
        validator->validate(request);
    });
}

} // namespace vibeml
