#!/bin/sh
# Installs what the live tests need beyond Kaiku's build: Node.js and npm
# for the PDS, Python, make and a C++ compiler for better-sqlite3's
# node-gyp build, and curl, jq and openssl for the start scripts.
set -eu

missing=""
need() { command -v "$1" >/dev/null 2>&1 || missing="$missing $2"; }
need node nodejs
need npm npm
need python3 python3
need make make
need g++ g++
need curl curl
need jq jq
need openssl openssl
need flock util-linux
# node-gyp compiles against the installed Node's headers (it must not
# download them); Debian ships them in libnode-dev.
if command -v node >/dev/null 2>&1 && [ ! -f /usr/include/node/node.h ] && [ -z "${npm_config_nodedir:-}" ]; then
	missing="$missing libnode-dev"
fi
as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		echo "The live tests need$missing: install them as root." >&2
		exit 1
	fi
}
if [ -z "$missing" ]; then
	:
elif command -v apt-get >/dev/null 2>&1; then
	echo "Installing for the live tests with apt-get:$missing"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	# shellcheck disable=SC2086
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
elif command -v dnf >/dev/null 2>&1; then
	pkgs=$(echo "$missing" | sed 's/libnode-dev/nodejs-devel/; s/g++/gcc-c++/')
	echo "Installing for the live tests with dnf:$pkgs"
	# shellcheck disable=SC2086
	as_root dnf install -y $pkgs
else
	echo "The live tests need$missing; install them, then run make test-live again." >&2
	exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 18 ]; then
	echo "The live tests need Node.js 18 or newer (20 is tested); this one is $(node -v)." >&2
	exit 1
fi
