#include "hub/DatasetFormat.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace vibeml::hub {
namespace {

constexpr double kCharactersPerToken = 4.0;
constexpr double kTemplateTokensPerMessage = 5.0;

QString tr(const char *text)
{
    return QCoreApplication::translate("DatasetFormat", text);
}

const DatasetColumn *findColumn(const QList<DatasetColumn> &columns, const QString &name)
{
    for (const DatasetColumn &column : columns) {
        if (column.name == name)
            return &column;
    }
    return nullptr;
}

bool isStringColumn(const DatasetColumn &column)
{
    return column.type.kind == FeatureType::Kind::Value && column.type.dtype == QLatin1String("string");
}

// First of `candidates` (case-insensitive) that exists as a string column.
QString pickStringColumn(const QList<DatasetColumn> &columns, std::initializer_list<const char *> candidates,
                         const QStringList &taken = {})
{
    for (const char *candidate : candidates) {
        for (const DatasetColumn &column : columns) {
            if (column.name.compare(QLatin1String(candidate), Qt::CaseInsensitive) == 0 && isStringColumn(column)
                && !taken.contains(column.name))
                return column.name;
        }
    }
    return {};
}

struct MessageKeys
{
    QString role;
    QString content;
};

// A list of structs with a role-like and a content-like field.
std::optional<MessageKeys> messageKeys(const FeatureType &type)
{
    if (type.kind != FeatureType::Kind::List || !type.element || type.element->kind != FeatureType::Kind::Struct)
        return std::nullopt;
    MessageKeys keys;
    for (const auto &[name, field] : type.element->fields) {
        if (keys.role.isEmpty() && (name == QLatin1String("role") || name == QLatin1String("from")))
            keys.role = name;
        else if (keys.content.isEmpty() && (name == QLatin1String("content") || name == QLatin1String("value")))
            keys.content = name;
    }
    if (keys.role.isEmpty() || keys.content.isEmpty())
        return std::nullopt;
    return keys;
}

// Rows can confirm a chat column even when the features are missing (no viewer, no card).
std::optional<MessageKeys> messageKeysFromRows(const QString &column, const QList<QJsonObject> &rows)
{
    for (const QJsonObject &row : rows) {
        const QJsonArray messages = row.value(column).toArray();
        if (messages.isEmpty())
            continue;
        const QJsonObject first = messages.first().toObject();
        for (const auto &[role, content] : {std::pair{"role", "content"}, std::pair{"from", "value"}}) {
            if (first.contains(QLatin1String(role)) && first.contains(QLatin1String(content)))
                return MessageKeys{QLatin1String(role), QLatin1String(content)};
        }
    }
    return std::nullopt;
}

ColumnMapping chatMapping(const QString &column, const MessageKeys &keys)
{
    ColumnMapping mapping;
    mapping.format = DataFormat::Chat;
    mapping.messages = column;
    mapping.roleKey = keys.role;
    mapping.contentKey = keys.content;
    return mapping;
}

QString cellText(const QJsonObject &row, const QString &column)
{
    const QJsonValue value = row.value(column);
    return value.isString() ? value.toString() : QString();
}

} // namespace

QString formatName(DataFormat format)
{
    switch (format) {
    case DataFormat::Chat:
        return QStringLiteral("chat");
    case DataFormat::Instruction:
        return QStringLiteral("instruction");
    case DataFormat::PromptCompletion:
        return QStringLiteral("prompt-completion");
    case DataFormat::Text:
        return QStringLiteral("text");
    case DataFormat::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

std::optional<DataFormat> formatFromName(const QString &name)
{
    for (DataFormat format :
         {DataFormat::Chat, DataFormat::Instruction, DataFormat::PromptCompletion, DataFormat::Text}) {
        if (formatName(format) == name)
            return format;
    }
    return std::nullopt;
}

QStringList ColumnMapping::usedColumns() const
{
    switch (format) {
    case DataFormat::Chat:
        return {messages};
    case DataFormat::Instruction:
        return input.isEmpty() ? QStringList{instruction, output} : QStringList{instruction, input, output};
    case DataFormat::PromptCompletion:
        return {prompt, completion};
    case DataFormat::Text:
        return {text};
    case DataFormat::Unknown:
        break;
    }
    return {};
}

QString ColumnMapping::describe() const
{
    switch (format) {
    case DataFormat::Chat:
        return tr("chat: %1 (%2/%3)").arg(messages, roleKey, contentKey);
    case DataFormat::Instruction:
        return input.isEmpty() ? tr("instruction: %1 → %2").arg(instruction, output)
                               : tr("instruction: %1 + %2 → %3").arg(instruction, input, output);
    case DataFormat::PromptCompletion:
        return tr("prompt-completion: %1 → %2").arg(prompt, completion);
    case DataFormat::Text:
        return tr("text: %1").arg(text);
    case DataFormat::Unknown:
        break;
    }
    return tr("unknown layout");
}

QJsonObject columnsToJson(const ColumnMapping &mapping)
{
    return {{QStringLiteral("messages"), mapping.messages},       {QStringLiteral("roleKey"), mapping.roleKey},
            {QStringLiteral("contentKey"), mapping.contentKey},   {QStringLiteral("instruction"), mapping.instruction},
            {QStringLiteral("input"), mapping.input},             {QStringLiteral("output"), mapping.output},
            {QStringLiteral("prompt"), mapping.prompt},           {QStringLiteral("completion"), mapping.completion},
            {QStringLiteral("text"), mapping.text}};
}

ColumnMapping columnsFromJson(DataFormat format, const QJsonObject &columns)
{
    ColumnMapping mapping;
    mapping.format = format;
    mapping.messages = columns.value(QStringLiteral("messages")).toString();
    mapping.roleKey = columns.value(QStringLiteral("roleKey")).toString();
    mapping.contentKey = columns.value(QStringLiteral("contentKey")).toString();
    mapping.instruction = columns.value(QStringLiteral("instruction")).toString();
    mapping.input = columns.value(QStringLiteral("input")).toString();
    mapping.output = columns.value(QStringLiteral("output")).toString();
    mapping.prompt = columns.value(QStringLiteral("prompt")).toString();
    mapping.completion = columns.value(QStringLiteral("completion")).toString();
    mapping.text = columns.value(QStringLiteral("text")).toString();
    return mapping;
}

FormatDetection detectFormat(const QList<DatasetColumn> &columns, const QList<QJsonObject> &rows)
{
    FormatDetection detection;
    ColumnMapping &mapping = detection.mapping;

    // Chat first: it carries roles, which the chat template needs.
    static const char *const chatNames[] = {"messages", "conversations", "conversation", "chat", "dialog", "dialogue"};
    for (const char *preferred : chatNames) {
        for (const DatasetColumn &column : columns) {
            if (column.name.compare(QLatin1String(preferred), Qt::CaseInsensitive) != 0)
                continue;
            std::optional<MessageKeys> keys = messageKeys(column.type);
            if (!keys)
                keys = messageKeysFromRows(column.name, rows);
            if (keys) {
                mapping = chatMapping(column.name, *keys);
                detection.reason = tr("column \"%1\" holds a list of messages with %2 and %3")
                                       .arg(column.name, keys->role, keys->content);
                return detection;
            }
        }
    }
    for (const DatasetColumn &column : columns) {
        if (const std::optional<MessageKeys> keys = messageKeys(column.type)) {
            mapping = chatMapping(column.name, *keys);
            detection.reason = tr("column \"%1\" holds a list of messages with %2 and %3").arg(column.name, keys->role, keys->content);
            return detection;
        }
    }

    const QString instruction = pickStringColumn(columns, {"instruction", "instructions"});
    const QString output = pickStringColumn(columns, {"output", "response", "answer", "completion"});
    if (!instruction.isEmpty() && !output.isEmpty()) {
        mapping.format = DataFormat::Instruction;
        mapping.instruction = instruction;
        mapping.output = output;
        mapping.input = pickStringColumn(columns, {"input", "context"}, {instruction, output});
        detection.reason = tr("columns \"%1\" and \"%2\" look like alpaca-style instructions").arg(instruction, output);
        return detection;
    }

    static const std::pair<const char *, const char *> pairs[] = {
        {"prompt", "completion"}, {"prompt", "response"}, {"question", "answer"}, {"query", "response"},
        {"input", "output"},      {"source", "target"},   {"prompt", "chosen"},
    };
    for (const auto &[first, second] : pairs) {
        const QString prompt = pickStringColumn(columns, {first});
        const QString completion = pickStringColumn(columns, {second}, {prompt});
        if (!prompt.isEmpty() && !completion.isEmpty()) {
            mapping.format = DataFormat::PromptCompletion;
            mapping.prompt = prompt;
            mapping.completion = completion;
            detection.reason = tr("columns \"%1\" and \"%2\" pair a prompt with its completion").arg(prompt, completion);
            return detection;
        }
    }

    QString text = pickStringColumn(columns, {"text", "content", "document", "body", "story"});
    if (text.isEmpty()) {
        const auto strings = std::count_if(columns.begin(), columns.end(), isStringColumn);
        if (strings == 1)
            text = std::find_if(columns.begin(), columns.end(), isStringColumn)->name;
    }
    if (!text.isEmpty()) {
        mapping.format = DataFormat::Text;
        mapping.text = text;
        detection.reason = tr("column \"%1\" is plain text").arg(text);
        return detection;
    }
    detection.reason = columns.isEmpty() ? tr("the dataset's columns are unknown")
                                         : tr("no chat, instruction, prompt/completion or text column was found; map the "
                                              "columns by hand");
    return detection;
}

std::optional<QString> mappingProblem(const ColumnMapping &mapping, const QList<DatasetColumn> &columns)
{
    if (mapping.format == DataFormat::Unknown)
        return tr("Choose how the columns map to training text.");
    QStringList required = mapping.usedColumns();
    for (const QString &name : std::as_const(required)) {
        if (name.isEmpty())
            return tr("Every part of the %1 layout needs a column.").arg(formatName(mapping.format));
        const DatasetColumn *column = findColumn(columns, name);
        if (!column)
            return tr("The dataset has no column \"%1\".").arg(name);
        if (mapping.format == DataFormat::Chat) {
            const std::optional<MessageKeys> keys = messageKeys(column->type);
            if (!keys && column->type.kind != FeatureType::Kind::Other)
                return tr("Column \"%1\" is %2, not a list of messages with role and content.")
                    .arg(name, column->type.describe());
        } else if (!isStringColumn(*column)) {
            return tr("Column \"%1\" is %2, not text.").arg(name, column->type.describe());
        }
    }
    if (mapping.format == DataFormat::Instruction && !mapping.input.isEmpty() && !findColumn(columns, mapping.input))
        return tr("The dataset has no column \"%1\".").arg(mapping.input);
    return std::nullopt;
}

QString trainingText(const ColumnMapping &mapping, const QJsonObject &row)
{
    switch (mapping.format) {
    case DataFormat::Chat: {
        QStringList turns;
        const QJsonArray messages = row.value(mapping.messages).toArray();
        for (const QJsonValue &message : messages) {
            const QJsonObject object = message.toObject();
            turns.append(object.value(mapping.roleKey).toString() + QStringLiteral(": ")
                         + object.value(mapping.contentKey).toString());
        }
        return turns.join(QLatin1Char('\n'));
    }
    case DataFormat::Instruction: {
        QString text = cellText(row, mapping.instruction);
        if (!mapping.input.isEmpty() && !cellText(row, mapping.input).isEmpty())
            text += QLatin1Char('\n') + cellText(row, mapping.input);
        return text + QLatin1Char('\n') + cellText(row, mapping.output);
    }
    case DataFormat::PromptCompletion:
        return cellText(row, mapping.prompt) + QLatin1Char('\n') + cellText(row, mapping.completion);
    case DataFormat::Text:
        return cellText(row, mapping.text);
    case DataFormat::Unknown:
        break;
    }
    return {};
}

TokenEstimate estimateTokens(const ColumnMapping &mapping, const QList<QJsonObject> &rows, qint64 rowCount,
                             std::optional<qint64> splitBytes)
{
    TokenEstimate estimate;
    estimate.rows = std::max<qint64>(0, rowCount);
    if (!rows.isEmpty() && mapping.format != DataFormat::Unknown) {
        double tokens = 0;
        for (const QJsonObject &row : rows) {
            const QString text = trainingText(mapping, row);
            const double messages = mapping.format == DataFormat::Chat
                                        ? static_cast<double>(row.value(mapping.messages).toArray().size())
                                        : 2.0;
            tokens += static_cast<double>(text.size()) / kCharactersPerToken + messages * kTemplateTokensPerMessage;
        }
        estimate.tokensPerRow = tokens / static_cast<double>(rows.size());
        estimate.basis = tr("average of %1 preview rows at about 4 characters per token").arg(rows.size());
    } else if (splitBytes && *splitBytes > 0 && rowCount > 0) {
        // In-memory bytes cover every column, so this overestimates: the safe side for cost.
        estimate.tokensPerRow = static_cast<double>(*splitBytes) / static_cast<double>(rowCount) / kCharactersPerToken;
        estimate.basis = tr("the split's size at about 4 bytes per token; no preview rows");
    } else {
        estimate.basis = tr("not enough information to estimate tokens");
        return estimate;
    }
    estimate.totalTokens = static_cast<qint64>(std::llround(estimate.tokensPerRow * static_cast<double>(estimate.rows)));
    return estimate;
}

} // namespace vibeml::hub
