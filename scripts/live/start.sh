#!/usr/bin/env bash
# Starts GoToSocial and the PDS side by side in a new temporary folder and
# prints its path; WORK/live.env then holds their addresses and accounts.
# stop.sh WORK stops them. They must be built first (build-gts.sh,
# install-pds.sh; make test-live does both).
set -euo pipefail
. "$(dirname "$0")/common.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/kaiku-live.XXXXXX")
"$LIVE_SCRIPTS/start-gts.sh" "$WORK" &
gts=$!
"$LIVE_SCRIPTS/start-pds.sh" "$WORK" &
pds=$!
ok=1
wait "$gts" || ok=0
wait "$pds" || ok=0
if [ "$ok" = 0 ]; then
	"$LIVE_SCRIPTS/stop.sh" "$WORK"
	die "the servers did not start"
fi
cat "$WORK/gts.env" "$WORK/pds.env" >"$WORK/live.env"
echo "$WORK"
