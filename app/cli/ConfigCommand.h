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
    int set(const QStringList &arguments, CliContext &context) const;
    int reset(const QStringList &arguments, CliContext &context) const;
    void setToken(const QStringList &arguments, CliContext &context, Finish finish) const;
    void deleteToken(const QStringList &arguments, CliContext &context, Finish finish) const;
};

} // namespace vibeml
