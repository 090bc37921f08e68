#pragma once

namespace vibeml {

// Exit codes of every `vibeml` command; listed in `vibeml --help`, stable for scripts.
enum ExitCode : int {
    ExitOk = 0,
    ExitFailure = 1,     // the command ran and failed
    ExitUsage = 2,       // wrong arguments or unknown command
    ExitUnavailable = 3, // something VibeML needs did not answer (keychain, Hub, sky)
    ExitNotReady = 4,    // validation found a problem: the model or dataset cannot be used as asked
};

} // namespace vibeml
