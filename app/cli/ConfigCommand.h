#pragma once

#include "cli/CliCommand.h"

namespace vibeml {

// `vibeml config …`: read and change settings, store secrets in the keychain.
class ConfigCommand : public CliCommand
{
public:
    QString name() const override { return QStringLiteral("config"); }
    QString summary() const override;
    QString help() const override;
    void run(const QStringList &arguments, CliContext &context, Finish finish) override;

private:
    void show(const QStringList &arguments, CliContext &context, Finish finish) const;
    int set(QStringList arguments, CliContext &context) const;
    int setBudget(QStringList arguments, CliContext &context) const;
    int reset(QStringList arguments, CliContext &context) const;
    void setToken(QStringList arguments, CliContext &context, Finish finish) const;
    void deleteToken(QStringList arguments, CliContext &context, Finish finish) const;
};

} // namespace vibeml
