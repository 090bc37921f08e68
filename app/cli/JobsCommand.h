#pragma once

#include "cli/CliCommand.h"

namespace vibeml {

// `vibeml jobs list|status|logs|cancel|down|keep|orphans|archive|recover-journal`: the journal's jobs
// and the actions on them, the same the window's Jobs page offers.
class JobsCommand : public CliCommand
{
public:
    QString name() const override { return QStringLiteral("jobs"); }
    QString summary() const override;
    QString help() const override;
    void run(const QStringList &arguments, CliContext &context, Finish finish) override;
};

// `vibeml monitor`: the job monitor without a window, for a systemd user service or a server.
class MonitorCommand : public CliCommand
{
public:
    QString name() const override { return QStringLiteral("monitor"); }
    QString summary() const override;
    QString help() const override;
    void run(const QStringList &arguments, CliContext &context, Finish finish) override;
};

} // namespace vibeml
