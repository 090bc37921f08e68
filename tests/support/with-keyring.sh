#!/usr/bin/env bash
# Runs a command the way the test suite needs it: inside a private D-Bus session (start it with
# dbus-run-session), with a real gnome-keyring Secret Service unlocked by a throw-away password,
# a throw-away home for the keyring, and no display.
#   dbus-run-session -- tests/support/with-keyring.sh ctest --preset ci
set -euo pipefail

if [[ -z ${DBUS_SESSION_BUS_ADDRESS:-} ]]; then
  echo "with-keyring.sh: no session bus; run me under dbus-run-session" >&2
  exit 1
fi

unset DISPLAY WAYLAND_DISPLAY
export QT_QPA_PLATFORM=offscreen
# Keychain tests fail instead of skipping when this is set.
export VIBEML_REQUIRE_KEYRING=1

keyring_home=$(mktemp -d -t vibeml-keyring.XXXXXX)
trap 'rm -rf "$keyring_home"' EXIT
export XDG_DATA_HOME=$keyring_home/data XDG_CONFIG_HOME=$keyring_home/config XDG_CACHE_HOME=$keyring_home/cache
export XDG_RUNTIME_DIR=$keyring_home/runtime
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"

# --unlock reads the password from stdin and creates the login keyring with it.
eval "$(printf 'vibeml-test-keyring\n' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL

# Wait until the Secret Service answers on the bus.
for _ in $(seq 1 50); do
  if dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
       org.freedesktop.DBus.Properties.Get string:org.freedesktop.Secret.Service string:Collections >/dev/null 2>&1; then
    break
  fi
  sleep 0.1
done

"$@"
