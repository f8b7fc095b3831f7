#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# (d) Bad OSC input: unknown paths, wrong types, tracks 0 and 99, NaN and Inf,
# and a datagram that is not OSC at all. Each malformed message is answered
# with /footloop/error; footloop keeps running and its state is unchanged.
# usage: it_badinput.sh FOOTLOOP TOOLDIR
set -euo pipefail
source "$(dirname "$0")/lib.sh" badinput "$@"

start_jackd
start_footloop "quantize = off"
# xruns may change under load and state/end carries a snapshot counter;
# everything else must stay as it was.
snapshot() { "$FL_OSC" state $HOST "$OSC_PORT" 2000 | grep -v '^/footloop/xruns\|^/footloop/state/end'; }
snapshot >"$WORK/before.txt" || fail "no state snapshot"

bad=(
	"/footloop/nope"
	"/footloop/track/1/explode"
	"/footloop/track/0/record"
	"/footloop/track/99/record"
	"/footloop/track/x/record"
	"/footloop/track/1/level s:loud"
	"/footloop/track/1/level f:nan"
	"/footloop/track/1/level f:inf"
	"/footloop/track/1/pan f:-inf"
	"/footloop/track/1/pan"
	"/footloop/master/level f:nan"
	"/footloop/track/1/solo s:yes"
	"/footloop/select i:99"
	"/nothing/at/all i:1"
)
n=0
for m in "${bad[@]}"; do
	# shellcheck disable=SC2086 # the message is split into path and args on purpose
	reply=$("$FL_OSC" expect-error $HOST "$OSC_PORT" $m) || fail "no /footloop/error for: $m"
	log "$m -> $reply"
	n=$((n + 1))
done
# Not OSC at all, and an OSC-looking packet cut short.
printf 'this is not OSC' >/dev/udp/$HOST/"$OSC_PORT"
printf '/footloop/track/1/level\0,f\0\0\x3f' >/dev/udp/$HOST/"$OSC_PORT"
sleep 0.2
kill -0 "$FL_PID" 2>/dev/null || fail "footloop died"
"$FL_OSC" ping $HOST "$OSC_PORT" 2000 || fail "no /footloop/pong after bad input"
snapshot >"$WORK/after.txt" || fail "no state snapshot after bad input"
diff -u "$WORK/before.txt" "$WORK/after.txt" || fail "bad input changed the state"
log "$n malformed messages answered with /footloop/error, 2 garbage datagrams ignored, state unchanged"
log "PASS"
