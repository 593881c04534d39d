#!/bin/sh
# Installs what building Kaiku needs when it is missing: a C compiler,
# pkg-config and the OpenGL/X11 headers that Fyne's cgo driver compiles
# against, Xvfb and xev for the screenshot and performance scripts,
# Python's icalendar, the independent parser the tests check exported
# calendars with, and desktop-file-validate and xz, with which make package
# checks the desktop entry and packs the archive. Go itself is only checked;
# the Fyne CLI is a Go tool of the module (go tool fyne).
set -eu

need_go() {
	if ! command -v go >/dev/null 2>&1; then
		echo "Kaiku needs Go 1.26 or newer: https://go.dev/dl/" >&2
		exit 1
	fi
}

# Debian and Ubuntu package names, and the Fedora ones.
APT_PKGS="gcc pkg-config libgl1-mesa-dev xorg-dev xvfb x11-utils python3-icalendar desktop-file-utils xz-utils"
DNF_PKGS="gcc pkgconf-pkg-config mesa-libGL-devel libX11-devel libXcursor-devel libXrandr-devel libXinerama-devel libXi-devel libXxf86vm-devel xorg-x11-server-Xvfb xev python3-icalendar desktop-file-utils xz"

have_build_deps() {
	command -v gcc >/dev/null 2>&1 || command -v cc >/dev/null 2>&1 || return 1
	command -v pkg-config >/dev/null 2>&1 || return 1
	pkg-config --exists gl x11 xcursor xrandr xinerama xi xxf86vm 2>/dev/null || return 1
	command -v Xvfb >/dev/null 2>&1 || return 1
	command -v xev >/dev/null 2>&1 || return 1
	command -v desktop-file-validate >/dev/null 2>&1 || return 1
	command -v xz >/dev/null 2>&1 || return 1
	/usr/bin/python3 -c 'import icalendar' >/dev/null 2>&1 || return 1
}

as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		echo "Installing build dependencies needs root: run '$*' as root." >&2
		exit 1
	fi
}

need_go
case "$(uname -s)" in
Linux)
	if have_build_deps; then
		exit 0
	fi
	if command -v apt-get >/dev/null 2>&1; then
		echo "Installing build dependencies with apt-get: $APT_PKGS"
		as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
		# shellcheck disable=SC2086
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $APT_PKGS
	elif command -v dnf >/dev/null 2>&1; then
		echo "Installing build dependencies with dnf: $DNF_PKGS"
		# shellcheck disable=SC2086
		as_root dnf install -y $DNF_PKGS
	else
		echo "Install a C compiler, pkg-config and the OpenGL and X11 development headers, then run make again." >&2
		exit 1
	fi
	;;
Darwin)
	if ! xcode-select -p >/dev/null 2>&1; then
		echo "Kaiku needs Apple's command line tools for cgo: run 'xcode-select --install', then make again." >&2
		exit 1
	fi
	;;
MINGW* | MSYS* | CYGWIN*)
	if ! command -v gcc >/dev/null 2>&1; then
		echo "Kaiku needs a C compiler for cgo: install MSYS2 and its mingw-w64 gcc (pacman -S mingw-w64-x86_64-gcc), then make again." >&2
		exit 1
	fi
	;;
*)
	echo "Unknown system $(uname -s): Kaiku needs Go, a C compiler and the OpenGL headers (see Fyne's getting-started guide)." >&2
	;;
esac
