#pragma once

#include "cli/CliCommand.h"

namespace vibeml {

// `vibeml estimate`: the offers table (fit, time range, cost range, budget) for a plan.
class EstimateCommand : public CliCommand
{
public:
    QString name() const override { return QStringLiteral("estimate"); }
    QString summary() const override;
    QString help() const override;
    void run(const QStringList &arguments, CliContext &context, Finish finish) override;
};

// `vibeml gpus`: what the catalogs offer, with prices and where the data comes from.
class GpusCommand : public CliCommand
{
public:
    QString name() const override { return QStringLiteral("gpus"); }
    QString summary() const override;
    QString help() const override;
    void run(const QStringList &arguments, CliContext &context, Finish finish) override;
};

} // namespace vibeml
