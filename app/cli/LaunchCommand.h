#pragma once

#include "cli/CliCommand.h"

namespace vibeml {

// `vibeml launch-training`: validate, estimate, pick the cheapest offer that fits the options,
// check the budget (asking for approval on a terminal above the threshold), write the run bundle
// and launch it with the same protocol as the window. `--dry-run` stops after the bundle.
class LaunchCommand : public CliCommand
{
public:
    QString name() const override { return QStringLiteral("launch-training"); }
    QString summary() const override;
    QString help() const override;
    void run(const QStringList &arguments, CliContext &context, Finish finish) override;
};

} // namespace vibeml
