#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# (a) footloop starts on a named dummy server: its four ports exist, OSC
# answers /footloop/ping and /footloop/state, and /footloop/quit exits 0.
# usage: it_ping.sh FOOTLOOP TOOLDIR
set -euo pipefail
source "$(dirname "$0")/lib.sh" ping "$@"

start_jackd
start_footloop "quantize = off"
ports=$(jack_lsp -s "$SERVER" fl: 2>/dev/null)
for p in fl:in_1 fl:in_2 fl:out_1 fl:out_2; do
	grep -qx "$p" <<<"$ports" || fail "JACK port $p missing; ports: $ports"
done
log "ports: $(tr '\n' ' ' <<<"$ports")"
"$FL_OSC" ping $HOST "$OSC_PORT" 2000 || fail "no /footloop/pong"
"$FL_OSC" state $HOST "$OSC_PORT" 2000 >"$WORK/state.txt" || fail "no complete /footloop/state"
[[ $(field /footloop/tracks <"$WORK/state.txt") == 2 ]] || fail "state: tracks != 2"
[[ $(field /footloop/rate <"$WORK/state.txt") == $RATE ]] || fail "state: rate != $RATE"
[[ $(field /footloop/track/1/state <"$WORK/state.txt") == empty ]] || fail "track 1 not empty"
log "state: $(wc -l <"$WORK/state.txt") lines, latency $(field /footloop/latency <"$WORK/state.txt")"

# The limiter's lookahead is reported through JACK's latency API: our outputs'
# capture latency is our inputs' plus what footloop adds (64 frames at 48 kHz).
cap_latency() {
	jack_lsp -s "$SERVER" -l "$1" 2>/dev/null |
		sed -n 's/.*port capture latency = \[ *\([0-9]*\) .*/\1/p' | head -n 1
}
own=
for _ in $(seq 40); do # the control tick reports it within a few ticks
	in_lat=$(cap_latency fl:in_1)
	out_lat=$(cap_latency fl:out_1)
	own=$((out_lat - in_lat))
	((own == 64)) && break
	sleep 0.1
done
log "JACK latency: in_1 capture $in_lat, out_1 capture $out_lat (footloop adds $own)"
((own == 64)) || fail "out_1's capture latency is in_1's + $own, want + 64 (the limiter's lookahead)"

osc /footloop/quit
rc=0
timeout 10 tail --pid="$FL_PID" -f /dev/null || fail "footloop still runs 10 s after /footloop/quit"
wait "$FL_PID" || rc=$?
FL_PID=
((rc == 0)) || fail "footloop exited with $rc after /footloop/quit, want 0"
log "PASS"
