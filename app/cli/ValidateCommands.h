#pragma once

#include "cli/CliCommand.h"

namespace vibeml {

// `vibeml validate-model ID`: the pre-flight report for a model, as text or JSON.
class ValidateModelCommand : public CliCommand
{
public:
    QString name() const override { return QStringLiteral("validate-model"); }
    QString summary() const override;
    QString help() const override;
    void run(const QStringList &arguments, CliContext &context, Finish finish) override;
};

// `vibeml validate-dataset ID`: splits, columns, layout, a preview and a token estimate.
class ValidateDatasetCommand : public CliCommand
{
public:
    QString name() const override { return QStringLiteral("validate-dataset"); }
    QString summary() const override;
    QString help() const override;
    void run(const QStringList &arguments, CliContext &context, Finish finish) override;
};

} // namespace vibeml
