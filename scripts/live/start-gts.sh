#!/usr/bin/env bash
# Starts a fresh GoToSocial on a free loopback port in WORK (a folder of
# its own), with one confirmed user, and writes its address and the user's
# sign-in to WORK/gts.env. The live tests do the OAuth flow themselves.
# Usage: start-gts.sh WORK
set -euo pipefail
. "$(dirname "$0")/common.sh"
WORK=${1:?usage: start-gts.sh WORK}
BIN=$GTS_HOME/bin/gotosocial
[ -x "$BIN" ] || die "GoToSocial is not built: run $LIVE_SCRIPTS/build-gts.sh"
G=$WORK/gts
mkdir -p "$G" "$LIVE_CACHE/wazero"
PORT=${GTS_PORT:-$(free_port)}
USERNAME=kaiku_tester
EMAIL=tester@example.org
PASSWORD=Kaiku-Live-$(openssl rand -hex 8) # GoToSocial refuses weak passwords
cat >"$G/config.yaml" <<CFG
host: "localhost:$PORT"
protocol: "http"
bind-address: "127.0.0.1"
port: $PORT
db-type: "sqlite"
db-address: "$G/sqlite.db"
storage-backend: "local"
storage-local-base-path: "$G/storage"
web-template-base-dir: "$GTS_HOME/web/template/"
web-asset-base-dir: "$GTS_HOME/web/assets/"
letsencrypt-enabled: false
instance-languages: ["fi", "en"]
accounts-registration-open: false
advanced-rate-limit-requests: 0
advanced-throttling-multiplier: 0
log-level: "warn"
CFG
gts() { "$BIN" --config-path "$G/config.yaml" "$@" >>"$G/admin.log" 2>&1; }
gts admin account create --username "$USERNAME" --email "$EMAIL" --password "$PASSWORD" ||
	die "could not create the GoToSocial user; see $G/admin.log"
gts admin account confirm --username "$USERNAME" || die "could not confirm the GoToSocial user; see $G/admin.log"
# The compiled ffmpeg WASM is cached: the first start takes ~40 s, later ones a few.
GTS_WAZERO_COMPILATION_CACHE=$LIVE_CACHE/wazero setsid "$BIN" --config-path "$G/config.yaml" server start \
	>"$G/server.log" 2>&1 </dev/null &
echo $! >"$G/pid"
BASE=http://localhost:$PORT
for _ in $(seq 1 360); do
	curl -sf -o /dev/null "$BASE/api/v1/instance" && break
	kill -0 "$(cat "$G/pid")" 2>/dev/null || { tail -20 "$G/server.log" >&2; die "GoToSocial stopped; see $G/server.log"; }
	sleep 0.5
done
curl -sf -o /dev/null "$BASE/api/v1/instance" || die "GoToSocial did not answer within 3 minutes; see $G/server.log"
cat >"$WORK/gts.env" <<ENV
KAIKU_LIVE_GTS_URL=$BASE
KAIKU_LIVE_GTS_USERNAME=$USERNAME
KAIKU_LIVE_GTS_EMAIL=$EMAIL
KAIKU_LIVE_GTS_PASSWORD=$PASSWORD
ENV
say "GoToSocial answers at $BASE"
