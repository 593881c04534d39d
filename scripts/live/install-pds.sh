#!/usr/bin/env bash
# Installs the reference atproto PDS and the did:plc directory server from
# npm into the live-test cache. Does nothing when the cache already holds
# these versions. better-sqlite3 is compiled by node-gyp against the headers
# of the machine's Node (no prebuilt binary is fetched), which takes minutes.
set -euo pipefail
. "$(dirname "$0")/common.sh"

if [ -f "$PDS_HOME/.complete" ] && [ -d "$PDS_HOME/node_modules/@atproto/pds" ]; then
	say "PDS $PDS_VERSION is cached in $PDS_HOME"
	exit 0
fi
if [ -z "${KAIKU_LIVE_LOCKED:-}" ]; then
	KAIKU_LIVE_LOCKED=1 with_lock pds "$LIVE_SCRIPTS/install-pds.sh"
	exit
fi
[ -f "$PDS_HOME/.complete" ] && exit 0 # another run finished it while we waited
command -v node >/dev/null 2>&1 || die "the PDS needs Node.js 20 (scripts/deps.sh installs it)"
command -v npm >/dev/null 2>&1 || die "installing the PDS needs npm (scripts/deps.sh installs it)"
# node-gyp would download Node's headers from the internet; use the installed ones.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
	export npm_config_nodedir=/usr
fi
say "installing @atproto/pds@$PDS_VERSION into $PDS_HOME (about 7 minutes the first time)"
mkdir -p "$LIVE_CACHE"
tmp=$(mktemp -d "$LIVE_CACHE/pds-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo '{"name":"kaiku-live-pds","private":true}' >"$tmp/package.json"
(cd "$tmp" && nice -n 19 npm install --no-audit --no-fund --loglevel=error \
	"@atproto/pds@$PDS_VERSION" "@did-plc/server@$PLC_VERSION")
(cd "$tmp" && node -e "new (require('better-sqlite3'))(':memory:')") ||
	die "better-sqlite3 did not build (it needs python3, make and g++: scripts/deps.sh)"
touch "$tmp/.complete"
rm -rf "$PDS_HOME"
mv "$tmp" "$PDS_HOME"
trap - EXIT
say "PDS $PDS_VERSION installed"
