#!/usr/bin/env bash
# Installs everything VibeML needs to build, test and run, from Debian 12 packages.
# Idempotent: when every package is already present it touches nothing and exits at once.
# Runs as root, or through sudo as a normal user.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build pkg-config git
  # Qt 6: base (Core, Gui, Widgets, Network, Sql, Test), charts, svg, tools, translations
  qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite
  qt6-charts-dev qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  qt6-translations-l10n qt6-httpserver-dev qt6-websockets-dev
  libqt6opengl6-dev libgl-dev libxkbcommon-dev  # Qt6Charts needs the OpenGL CMake package, which Debian forgot to depend on
  # libraries
  libyaml-cpp-dev qtkeychain-qt6-dev libspdlog-dev libfmt-dev
  # test runtime: headless display, session bus, a real Secret Service, the fake `sky`
  xvfb xauth dbus dbus-x11 gnome-keyring libsecret-1-0 libsecret-tools python3
  # the MCP server test drives `vibeml mcp` with the official MCP TypeScript SDK (npm ci)
  nodejs
  # packaging checks
  dpkg-dev file desktop-file-utils appstream imagemagick groff-base
  # what the .deb depends on beyond its linked libraries (packaging/CMakeLists.txt), so the
  # package test installs it without the network
  ca-certificates
)

# Debian splits npm out of nodejs; NodeSource's nodejs ships it (and conflicts with Debian's npm).
command -v npm >/dev/null || packages+=(npm)

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

as_root=()
if ((EUID != 0)); then
  command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
  as_root=(sudo)
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
