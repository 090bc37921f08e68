#pragma once

#include "common/Result.h"

#include <QString>
#include <QStringList>
#include <QTextStream>

#include <functional>
#include <memory>
#include <optional>

namespace vibeml {

class SecretStore;
class Settings;
namespace hub {
class HubClient;
}
namespace catalog {
class Catalog;
}
namespace jobs {
class JobService;
}

// What a command may use. Output goes to `out`; diagnostics and prompts to `err`, so `--json`
// output on stdout stays machine-readable.
struct CliContext
{
    Settings &settings;
    SecretStore &secrets;
    QTextStream &out;
    QTextStream &err;
    // Reads one line from stdin; hidden from the terminal when `secret` and stdin is a TTY.
    std::function<std::optional<QString>(const QString &prompt, bool secret)> readLine;
    bool stdinIsTerminal = false;
    // The Hub client, ready once `prepareHub` has resolved the token (keychain, then HF_TOKEN…).
    hub::HubClient *hub = nullptr;
    std::function<void(std::function<void()> ready)> prepareHub;
    // The GPU catalogs (loaded on first use) and this month's recorded spend (nullopt: unreadable).
    std::function<const catalog::Catalog &()> catalog;
    std::function<std::optional<double>()> monthSpentUsd;
    // The Hugging Face token prepareHub resolved (empty when there is none); passed to a launch
    // through sky's environment only.
    QString hubToken;
    // The job journal and monitor (opened on first use; nullptr with `problem` set when the journal
    // cannot be used). `role` names this process in the monitor lease.
    std::function<jobs::JobService *(const QString &role, QString *problem)> jobs;
    std::function<Status()> recoverJournal;
    // Who runs the command: "cli" for a terminal or a script, "mcp" for the MCP server (the
    // journal's job source, and how a refused approval is explained).
    QString surface = QStringLiteral("cli");
    // True when the process outlives the command (the MCP server): a launch then returns once the
    // job is recorded and sky is started, instead of waiting for sky to finish submitting.
    bool longLived = false;
    // A fresh context with its own output streams, for a command run inside another one (the MCP
    // server runs each tool call as a command).
    std::function<std::unique_ptr<CliContext>(QTextStream &out, QTextStream &err)> spawn;
};

class CliCommand
{
public:
    using Finish = std::function<void(int exitCode)>;

    virtual ~CliCommand() = default;
    virtual QString name() const = 0;
    virtual QString summary() const = 0; // one line for `vibeml --help`
    virtual QString help() const = 0;    // the full text for `vibeml NAME --help`
    // Calls `finish` exactly once, either before returning or later from the event loop.
    virtual void run(const QStringList &arguments, CliContext &context, Finish finish) = 0;
};

} // namespace vibeml
