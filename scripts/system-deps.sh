#!/usr/bin/env bash
# Debian/Ubuntu libraries that the PySide6 wheel needs (EGL/GL, xkbcommon, fontconfig, a font),
# the xcb set that the X11 platform plugin and the packaged app need, and Xvfb for tests.
# Installs only what is missing; does nothing on systems without dpkg.
set -euo pipefail
command -v dpkg >/dev/null 2>&1 || exit 0
need=()
for pkg in libegl1 libgl1 libopengl0 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 \
           libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 \
           libxcb-shape0 xvfb fonts-dejavu-core; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0
echo "Installing system libraries for Qt: ${need[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
