# Shared settings for the live-test scripts; sourced, not run.
# Everything built or installed goes under the user's cache folder, so a
# second run finds it and starts at once.
LIVE_CACHE=${KAIKU_LIVE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kaiku/live}
GTS_VERSION=v0.17.3
GTS_MODULE=github.com/superseriousbusiness/gotosocial
GTS_HOME=$LIVE_CACHE/gotosocial-${GTS_VERSION#v}
PDS_VERSION=0.4.217
PLC_VERSION=0.0.1
PDS_HOME=$LIVE_CACHE/pds-$PDS_VERSION
LIVE_SCRIPTS=$(cd "$(dirname "$0")" && pwd)

say() { printf 'live: %s\n' "$*" >&2; }
die() { printf 'live: %s\n' "$*" >&2; exit 1; }

# with_lock NAME CMD...: runs CMD holding a lock in the cache, so two
# `make test-live` at once do not build into the same folder.
with_lock() {
	name=$1; shift
	mkdir -p "$LIVE_CACHE"
	if command -v flock >/dev/null 2>&1; then
		flock "$LIVE_CACHE/.$name.lock" "$@"
	else
		"$@"
	fi
}

# free_port prints a TCP port nobody listens on at 127.0.0.1 right now.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
