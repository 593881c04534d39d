#!/bin/sh
# Packages Kaiku with the Fyne CLI (a Go tool of the module: go tool fyne).
#   scripts/package.sh linux    dist/kaiku-VERSION-linux-ARCH.tar.xz: the
#                               binary, the icon, a desktop entry and the
#                               Makefile that installs them
#   scripts/package.sh darwin   dist/Kaiku.app (on a Mac)
#   scripts/package.sh windows  dist/kaiku.exe with its icon (on Windows)
# VERSION is FyneApp.toml's; nothing else states it.
set -eu
cd "$(dirname "$0")/.."

os=${1:-linux}
version=$(sed -n 's/^Version = "\(.*\)"$/\1/p' FyneApp.toml)
arch=$(go env GOARCH)
if [ -z "$version" ]; then
	echo "FyneApp.toml has no Version" >&2
	exit 1
fi
mkdir -p dist
tmp=$(mktemp -d)
# fyne package counts Build up in FyneApp.toml after each package; the
# build number changes with a release, by hand, so the file is put back.
cp FyneApp.toml "$tmp/FyneApp.toml"
trap 'cp "$tmp/FyneApp.toml" FyneApp.toml; rm -rf "$tmp"' EXIT

case "$os" in
linux)
	rm -f Kaiku.tar.xz
	go tool fyne package -os linux -release
	# The desktop entry gets its Finnish texts, from the translations.
	mkdir "$tmp/pkg"
	tar -xJf Kaiku.tar.xz -C "$tmp/pkg"
	rm -f Kaiku.tar.xz
	entry=$(ls "$tmp"/pkg/kaiku/usr/*/share/applications/*.desktop "$tmp"/pkg/kaiku/usr/share/applications/*.desktop 2>/dev/null | head -n 1)
	python3 - "$entry" assets/translations/fi.json <<'PY'
import json, sys
entry, fi = sys.argv[1], json.load(open(sys.argv[2]))
lines = open(entry).read().splitlines()
out = []
for line in lines:
    out.append(line)
    key = line.split("=", 1)[0]
    if key == "GenericName":
        out.append("GenericName[fi]=" + fi["desktop.generic_name"])
    elif key == "Comment":
        out.append("Comment[fi]=" + fi["desktop.comment"])
    elif key == "Keywords":
        out.append("Keywords[fi]=" + fi["desktop.keywords"])
open(entry, "w").write("\n".join(out) + "\n")
PY
	# Fyne's Makefile names the icon by the app ID alone, but the file has
	# .png after it, so its install targets stop at the icon: name the file.
	icon=$(ls "$tmp"/pkg/kaiku/usr/*/share/pixmaps/*.png "$tmp"/pkg/kaiku/usr/share/pixmaps/*.png 2>/dev/null | head -n 1)
	icon=$(basename "$icon")
	sed -i "s/^Icon := \"${icon%.png}\"\$/Icon := \"$icon\"/" "$tmp/pkg/kaiku/Makefile"
	grep -q "^Icon := \"$icon\"\$" "$tmp/pkg/kaiku/Makefile"
	if command -v desktop-file-validate >/dev/null 2>&1; then
		desktop-file-validate "$entry"
	else
		echo "desktop-file-validate is missing (Debian: desktop-file-utils); the desktop entry was not checked" >&2
	fi
	archive="dist/kaiku-$version-linux-$arch.tar.xz"
	tar -cJf "$archive" -C "$tmp/pkg" kaiku
	echo "$archive"
	;;
darwin)
	rm -rf Kaiku.app dist/Kaiku.app
	go tool fyne package -os darwin -release
	mv Kaiku.app dist/
	echo dist/Kaiku.app
	;;
windows)
	rm -f kaiku.exe
	go tool fyne package -os windows -release
	mv kaiku.exe "dist/kaiku-$version-windows-$arch.exe"
	echo "dist/kaiku-$version-windows-$arch.exe"
	;;
*)
	echo "usage: scripts/package.sh linux|darwin|windows" >&2
	exit 2
	;;
esac
