#pragma once

#include <QString>

#include <optional>

namespace vibeml::terminal {

bool stdinIsTerminal();
// Reads one line from stdin (without its newline). On a terminal, `prompt` goes to stderr and
// with `hideInput` the typed characters are not echoed. std::nullopt at end of input.
std::optional<QString> readLine(const QString &prompt, bool hideInput);

} // namespace vibeml::terminal
