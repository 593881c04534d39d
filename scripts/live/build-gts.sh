#!/usr/bin/env bash
# Builds GoToSocial (a server that speaks the Mastodon client API) from the
# Go module proxy into the live-test cache: bin/gotosocial, and web/, whose
# templates the sign-in and consent pages need. Does nothing when the cache
# already holds this version.
#
# Not `go install …@version`: GoToSocial's go.mod has a replace directive.
# The checksum database answers 404 for this module, so it is fetched with
# GONOSUMDB; its dependencies are still checked against its own go.sum.
set -euo pipefail
. "$(dirname "$0")/common.sh"

cached() { [ -x "$GTS_HOME/bin/gotosocial" ] && [ -f "$GTS_HOME/.complete" ]; }
if cached; then
	say "GoToSocial $GTS_VERSION is cached in $GTS_HOME"
	exit 0
fi
if [ -z "${KAIKU_LIVE_LOCKED:-}" ]; then
	KAIKU_LIVE_LOCKED=1 with_lock gts "$LIVE_SCRIPTS/build-gts.sh"
	exit
fi
cached && exit 0 # another run built it while this one waited
command -v go >/dev/null 2>&1 || die "building GoToSocial needs Go"
say "building GoToSocial $GTS_VERSION into $GTS_HOME (about 13 minutes the first time)"
mkdir -p "$LIVE_CACHE"
tmp=$(mktemp -d "$LIVE_CACHE/gts-build.XXXXXX")
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
dir=$(GONOSUMDB=$GTS_MODULE GOFLAGS=-mod=mod go mod download -json "$GTS_MODULE@$GTS_VERSION" |
	sed -n 's/.*"Dir": "\(.*\)",/\1/p')
[ -n "$dir" ] && [ -d "$dir" ] || die "could not download $GTS_MODULE@$GTS_VERSION from the Go module proxy"
cp -r "$dir" "$tmp/src"
chmod -R u+w "$tmp/src"
rm -rf "$tmp/src/vendor" # the module zip holds only vendor/modules.txt
mkdir -p "$tmp/out/bin"
(cd "$tmp/src" && GONOSUMDB=$GTS_MODULE GOFLAGS=-mod=mod nice -n 19 go build -trimpath \
	-ldflags "-s -w -X main.Version=${GTS_VERSION#v}" \
	-o "$tmp/out/bin/gotosocial" ./cmd/gotosocial)
cp -r "$tmp/src/web" "$tmp/out/web"
"$tmp/out/bin/gotosocial" --version >/dev/null
touch "$tmp/out/.complete"
rm -rf "$GTS_HOME"
mv "$tmp/out" "$GTS_HOME"
say "GoToSocial $GTS_VERSION built"
