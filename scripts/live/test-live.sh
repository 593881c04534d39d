#!/usr/bin/env bash
# make test-live: installs what is missing, builds GoToSocial and installs
# the PDS (both cached under the user's cache folder, so only the first run
# takes long), starts fresh servers on loopback, runs the live tests against
# them, and stops them whatever happened.
set -euo pipefail
. "$(dirname "$0")/common.sh"
GO=${GO:-go}
T0=$(date +%s)
sh "$LIVE_SCRIPTS/deps.sh"
# GoToSocial's build is the long one: start it first, install the PDS meanwhile.
"$LIVE_SCRIPTS/build-gts.sh" &
gts=$!
pds_ok=1
"$LIVE_SCRIPTS/install-pds.sh" || pds_ok=0
wait "$gts" || die "GoToSocial did not build"
[ "$pds_ok" = 1 ] || die "the PDS did not install"
T1=$(date +%s)
WORK=$("$LIVE_SCRIPTS/start.sh")
trap '"$LIVE_SCRIPTS/stop.sh" "$WORK"' EXIT
trap 'exit 130' INT TERM
T2=$(date +%s)
say "servers ready: set-up $((T1 - T0)) s, start $((T2 - T1)) s"
set -a
. "$WORK/live.env"
set +a
export KAIKU_LIVE=1
status=0
# In the background, so that an interrupt stops the servers at once rather
# than after the tests.
"$GO" test -tags 'migrated_fynedo live' -run Live -count=1 -timeout 20m ./... &
tests=$!
trap 'kill "$tests" 2>/dev/null; exit 130' INT TERM
wait "$tests" || status=$?
if [ "$status" != 0 ]; then
	say "the live tests failed; the servers' logs:"
	tail -n 30 "$WORK"/gts/server.log "$WORK"/pds/server.log >&2 || true
fi
say "done in $(($(date +%s) - T0)) s"
exit "$status"
