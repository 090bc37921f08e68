#pragma once

#include "hub/HubTypes.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// How a dataset's rows become training text: which layout it has and which columns play which
// part. Detected from the columns and a preview of rows; the user may override the mapping.
namespace vibeml::hub {

enum class DataFormat {
    Chat,             // a list of {role, content} messages (or ShareGPT {from, value})
    Instruction,      // alpaca-style instruction / optional input / output
    PromptCompletion, // prompt and completion (question/answer, …)
    Text,             // one plain text column, trained on as is
    Unknown,
};

QString formatName(DataFormat format);               // "chat", "instruction", …
std::optional<DataFormat> formatFromName(const QString &name);

struct ColumnMapping
{
    DataFormat format = DataFormat::Unknown;
    QString messages;    // Chat
    QString roleKey;     // Chat: "role" or "from"
    QString contentKey;  // Chat: "content" or "value"
    QString instruction; // Instruction
    QString input;       // Instruction (optional)
    QString output;      // Instruction
    QString prompt;      // PromptCompletion
    QString completion;  // PromptCompletion
    QString text;        // Text

    // The columns this mapping reads, in order.
    QStringList usedColumns() const;
    // "messages (role/content)", "instruction + input → output", …
    QString describe() const;
};

// The column names of a mapping as JSON ({"messages": …, "roleKey": …, "text": …}), the form
// job.json and plan.json use; and back, given the format.
QJsonObject columnsToJson(const ColumnMapping &mapping);
ColumnMapping columnsFromJson(DataFormat format, const QJsonObject &columns);

struct FormatDetection
{
    ColumnMapping mapping;
    QString reason; // why this format, in words
};

FormatDetection detectFormat(const QList<DatasetColumn> &columns, const QList<QJsonObject> &rows = {});

// Checks a (possibly user-edited) mapping against the columns; the reason when unusable.
std::optional<QString> mappingProblem(const ColumnMapping &mapping, const QList<DatasetColumn> &columns);

// The text one row contributes to training under this mapping (without a chat template).
QString trainingText(const ColumnMapping &mapping, const QJsonObject &row);

struct TokenEstimate
{
    double tokensPerRow = 0;
    qint64 rows = 0;
    qint64 totalTokens = 0;
    QString basis; // "average of 100 preview rows at ~4 characters per token", …
    bool rough = true;
};

// Tokens per row from preview rows (about 4 characters per token for English text, plus a few
// tokens of template per message); without rows, from bytes per row in the split's size.
TokenEstimate estimateTokens(const ColumnMapping &mapping, const QList<QJsonObject> &rows, qint64 rowCount,
                             std::optional<qint64> splitBytes);

} // namespace vibeml::hub
