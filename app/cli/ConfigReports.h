#pragma once

#include "cli/CliCommand.h"

namespace vibeml {

// `vibeml config show-spending` and `vibeml config verify-credentials`: reports over the journal's
// spend ledger and over every credential a run needs. Arguments exclude the action's name.
void showSpending(const QStringList &arguments, CliContext &context, CliCommand::Finish finish);
void verifyCredentials(const QStringList &arguments, CliContext &context, CliCommand::Finish finish);

} // namespace vibeml
