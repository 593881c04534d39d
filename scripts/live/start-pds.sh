#!/usr/bin/env bash
# Starts a fresh atproto PDS with its own in-memory did:plc directory on free
# loopback ports in WORK, creates two accounts (the tester, with an app
# password, and a second one to mention) and appends their details to
# WORK/pds.env.
# Usage: start-pds.sh WORK
set -euo pipefail
. "$(dirname "$0")/common.sh"
WORK=${1:?usage: start-pds.sh WORK}
[ -f "$PDS_HOME/.complete" ] || die "the PDS is not installed: run $LIVE_SCRIPTS/install-pds.sh"
P=$WORK/pds
mkdir -p "$P/data"
export PDS_PORT=${PDS_PORT:-$(free_port)} PLC_PORT=${PLC_PORT:-$(free_port)}
export PDS_DATA_DIRECTORY=$P/data
export PDS_ADMIN_PASSWORD=$(openssl rand -hex 16) PDS_JWT_SECRET=$(openssl rand -hex 16)
export PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX=$(openssl rand -hex 32)
export LOG_ENABLED=true LOG_LEVEL=warn
NODE_PATH=$PDS_HOME/node_modules setsid node "$LIVE_SCRIPTS/run-pds.js" >"$P/server.log" 2>&1 </dev/null &
echo $! >"$P/pid"
# The PDS only works with the host name localhost, never 127.0.0.1.
BASE=http://localhost:$PDS_PORT
for _ in $(seq 1 240); do
	curl -sf -o /dev/null "$BASE/xrpc/_health" && break
	kill -0 "$(cat "$P/pid")" 2>/dev/null || { tail -20 "$P/server.log" >&2; die "the PDS stopped; see $P/server.log"; }
	sleep 0.25
done
curl -sf -o /dev/null "$BASE/xrpc/_health" || die "the PDS did not answer within a minute; see $P/server.log"

xrpc() { # NSID JSON [TOKEN]
	curl -sS -X POST "$BASE/xrpc/$1" -H 'content-type: application/json' \
		${3:+-H "authorization: Bearer $3"} -d "$2"
}
account() { # HANDLE EMAIL PASSWORD -> prints the answer
	xrpc com.atproto.server.createAccount \
		"$(jq -nc --arg h "$1" --arg e "$2" --arg p "$3" '{handle:$h,email:$e,password:$p}')"
}
PASSWORD=$(openssl rand -hex 12)
acct=$(account tester.test tester@example.test "$PASSWORD")
DID=$(jq -r '.did // empty' <<<"$acct")
[ -n "$DID" ] || die "could not create the PDS account: $(jq -c '{error,message}' <<<"$acct")"
apw=$(xrpc com.atproto.server.createAppPassword '{"name":"kaiku-live"}' "$(jq -r .accessJwt <<<"$acct")")
APP_PASSWORD=$(jq -r '.password // empty' <<<"$apw")
[ -n "$APP_PASSWORD" ] || die "could not create an app password: $(jq -c '{error,message}' <<<"$apw")"
other=$(account mentioned.test mentioned@example.test "$(openssl rand -hex 12)")
OTHER_DID=$(jq -r '.did // empty' <<<"$other")
[ -n "$OTHER_DID" ] || die "could not create the second PDS account"
cat >"$WORK/pds.env" <<ENV
KAIKU_LIVE_PDS_URL=$BASE
KAIKU_LIVE_PLC_URL=http://localhost:$PLC_PORT
KAIKU_LIVE_BSKY_HANDLE=tester.test
KAIKU_LIVE_BSKY_DID=$DID
KAIKU_LIVE_BSKY_APP_PASSWORD=$APP_PASSWORD
KAIKU_LIVE_BSKY_OTHER_HANDLE=mentioned.test
KAIKU_LIVE_BSKY_OTHER_DID=$OTHER_DID
ENV
say "the PDS answers at $BASE"
