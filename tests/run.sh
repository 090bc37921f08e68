#!/usr/bin/env bash
# Builds a preset (default: ci) and runs the whole test suite as CI does: inside a private
# D-Bus session with an unlocked gnome-keyring, offscreen, with no display.
#   tests/run.sh [ci|dev|asan] [extra ctest arguments…]
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-ci}
shift || true
cmake --preset "$preset"
cmake --build --preset "$preset"
exec dbus-run-session -- tests/support/with-keyring.sh ctest --preset "$preset" "$@"
