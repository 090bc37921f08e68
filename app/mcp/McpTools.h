#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

namespace vibeml {
class Settings;
}

namespace vibeml::mcp {

// One MCP tool. Most run a `vibeml` command with --json (the same code and decisions as the
// terminal), then shape its JSON; a few answer from core directly.
struct Tool
{
    QString name;
    QString title;
    QString description;
    QJsonObject inputSchema;
    QJsonObject outputSchema;
    // The command line for valid `input`; empty for a tool answered by `local`.
    std::function<QStringList(const QJsonObject &input, const Settings &settings)> command;
    std::function<QJsonObject(const QJsonObject &input)> local;
    // Narrows or reshapes the command's JSON (optional).
    std::function<QJsonObject(const QJsonObject &output, const QJsonObject &input)> shape;
    // One or two readable sentences about a successful result.
    std::function<QString(const QJsonObject &structured)> summary;

    QJsonObject describe() const; // the tools/list entry
};

// What `tools/call` answers: readable text, the structured result, and whether it failed.
struct ToolResult
{
    bool isError = false;
    QString text;
    std::optional<QJsonObject> structured;

    QJsonObject toJson() const;
};

class ToolCatalog
{
public:
    ToolCatalog();

    const std::vector<Tool> &tools() const { return m_tools; }
    const Tool *find(const QString &name) const;
    QJsonArray describe() const;

private:
    std::vector<Tool> m_tools;
};

// Checks `arguments` against the subset of JSON Schema the tools' input schemas use (object,
// properties with string/integer/number/boolean types, enum, minimum/maximum, minLength, required,
// additionalProperties false). Returns the problem in words, or an empty string when valid.
QString checkArguments(const QJsonObject &schema, const QJsonValue &arguments);

// The result of a tool that ran a command: its exit code, stdout (JSON on success) and stderr.
ToolResult commandResult(const Tool &tool, const QJsonObject &input, int exitCode, const QString &out, const QString &err);

} // namespace vibeml::mcp
