#!/bin/sh
# Install the built app for the current user, so it starts with a double-click from the
# desktop's application menu:  packaging/linux/install-desktop-entry.sh [dist/medscribe]
#
#   ~/.local/opt/medscribe/         the one-folder app (replaced on every install)
#   ~/.local/bin/medscribe          a link to its executable (for "Exec=medscribe")
#   ~/.local/share/applications/medscribe.desktop
#   ~/.local/share/icons/hicolor/<N>x<N>/apps/medscribe.png
#
# Settings, logs and autosaves are not here: the app keeps them in ~/.config/medscribe and
# ~/.local/share/medscribe, so reinstalling never loses work.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=${1:-"$here/../../dist/medscribe"}
[ -x "$src/medscribe" ] || { echo "No built app in $src: run 'make package' first." >&2; exit 1; }
data=${XDG_DATA_HOME:-"$HOME/.local/share"}
opt="$HOME/.local/opt/medscribe"
bin="$HOME/.local/bin"

mkdir -p "$HOME/.local/opt" "$bin" "$data/applications"
rm -rf "$opt.new"
cp -R "$src" "$opt.new"
rm -rf "$opt"
mv "$opt.new" "$opt"
ln -sf "$opt/medscribe" "$bin/medscribe"

icons="$opt/_internal/medscribe/resources/icons"
for png in "$icons"/medscribe-*.png; do
    size=$(basename "$png" .png | sed 's/^medscribe-//')
    mkdir -p "$data/icons/hicolor/${size}x${size}/apps"
    cp "$png" "$data/icons/hicolor/${size}x${size}/apps/medscribe.png"
done
mkdir -p "$data/icons/hicolor/scalable/apps"
cp "$icons/medscribe.svg" "$data/icons/hicolor/scalable/apps/medscribe.svg"

# Exec with the absolute path: ~/.local/bin is not on every desktop session's PATH.
sed -e "s|^Exec=medscribe|Exec=$opt/medscribe|" -e "s|^TryExec=medscribe|TryExec=$opt/medscribe|" \
    "$here/medscribe.desktop" > "$data/applications/medscribe.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
echo "medscribe installed in $opt; find it in the application menu."
