#!/usr/bin/env bash
# Stops the servers started in WORK and removes WORK.
# Usage: stop.sh WORK
set -uo pipefail
WORK=${1:?usage: stop.sh WORK}
[ -d "$WORK" ] || exit 0
for f in "$WORK"/gts/pid "$WORK"/pds/pid; do
	[ -f "$f" ] || continue
	pid=$(cat "$f")
	kill "$pid" 2>/dev/null || continue
	for _ in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null
done
rm -rf "$WORK"
