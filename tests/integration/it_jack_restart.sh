#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# JACK server restart under a playing loop ([jack] reconnect = true, the
# default): footloop records a loop, is connected to a source and a capture
# client, and the named dummy jackd is killed (SIGKILL). footloop keeps
# running and says it waits; jackd comes back under the same name at
# another sample rate (44100 instead of 48000). footloop reconnects within a
# few seconds, follows the new rate, keeps its loop (OSC: same state and
# length), and restores the connections it had: new clients with the old
# names that do not connect themselves get connected by footloop. The
# captured output plays the loop bit for bit as before the restart.
# usage: it_jack_restart.sh FOOTLOOP TOOLDIR
set -euo pipefail
source "$(dirname "$0")/lib.sh" jackrestart "$@"
command -v jack_lsp >/dev/null || { echo "SKIP: jack_lsp is needed (jackd2 tools)"; exit 77; }

start_jackd
start_footloop "quantize = off"
start_io src --signal ramp --play fl:in_1,fl:in_2 --seconds 60
sleep 0.3
osc /footloop/track/1/record
osc_wait /footloop/track/1/state recording
sleep 1.2
osc /footloop/track/1/record
osc_wait /footloop/track/1/state playing
len=$(osc_get /footloop/track/1/length)
log "track 1: $len frames"

start_io cap --capture fl:out_1,fl:out_2 --out "$WORK/cap1.wav" --seconds 60
capture_passes "$len" 2.5
sleep 1.2 # footloop remembers connections on the callback and every second

# A SIGKILLed jackd leaves its name in JACK's server registry (8 places):
# only a server of the same name takes it back. The restart below does;
# if the script ends before it, the exit trap does.
reclaim_server() {
	[[ -z $JACKD_PID ]] || return 0
	jackd --no-realtime -n "$SERVER" -d dummy -r $RATE -p $PERIOD >/dev/null 2>&1 &
	local pid=$!
	timeout 5 jack_wait -w -s "$SERVER" -t 4 >/dev/null 2>&1 || true
	stop_pid "$pid"
}
trap 'rc=$?; reclaim_server; (exit $rc); it_cleanup' EXIT
kill -KILL "$JACKD_PID"
wait "$JACKD_PID" 2>/dev/null || true
JACKD_PID=
for name in src cap; do # they exit when the server goes (cap completes its file)
	timeout 10 tail --pid="${IO_PIDS[$name]}" -f /dev/null || fail "fl_jack_io $name still runs"
	wait "${IO_PIDS[$name]}" 2>/dev/null || true
	unset "IO_PIDS[$name]"
done
wait_until 5 grep -q "waiting for the JACK server" "$WORK/footloop.log" ||
	fail "footloop does not say that it waits for the server"
kill -0 "$FL_PID" 2>/dev/null || fail "footloop exited when the server went away"
log "jackd killed; footloop waits: $(grep -m1 'waiting for the JACK server' "$WORK/footloop.log")"
sleep 1

RATE=44100
start_jackd
wait_until 10 grep -q "JACK server is back" "$WORK/footloop.log" ||
	fail "footloop did not reconnect within 10 s of the server's return"
log "$(grep -m1 'JACK server is back' "$WORK/footloop.log")"
wait_until 5 grep -q "sample rate changed to 44100" "$WORK/footloop.log" ||
	fail "footloop did not follow the new sample rate"
[[ $(osc_get /footloop/track/1/state) == playing ]] || fail "track 1 is not playing after the restart"
len2=$(osc_get /footloop/track/1/length)
((len2 == len)) || fail "track 1 length $len2 after the restart, want $len"

# Clients with the old names that do not connect themselves: footloop
# restores the connections it remembered.
start_io src --signal ramp --play - --seconds 60
start_io cap --capture -,- --out "$WORK/cap2.wav" --seconds 60
conns() { jack_lsp -s "$SERVER" -c 2>/dev/null; }
has_conns() {
	local c
	c=$(conns)
	grep -A3 '^fl:out_1$' <<<"$c" | grep -q 'cap:capture_1' &&
		grep -A3 '^fl:out_2$' <<<"$c" | grep -q 'cap:capture_2' &&
		grep -A3 '^fl:in_1$' <<<"$c" | grep -q 'src:play_1'
}
wait_until 5 has_conns || fail "connections not restored: $(conns | tr '\n' ' ')"
log "connections restored (fl:out_1/2 -> cap, src -> fl:in_1)"
capture_passes "$len" 2.5
stop_io cap
ok=
for attempt in 1 2 3; do
	if ((attempt > 1)); then # a recapture (xruns on a loaded machine)
		start_io cap --capture fl:out_1,fl:out_2 --out "$WORK/cap2.wav" --seconds 60
		capture_passes "$len" 2.5
		stop_io cap
	fi
	if "$FL_WAV" same-loop "$WORK/cap1.wav" --other "$WORK/cap2.wav" --len "$len" \
		>"$WORK/cmp.txt" 2>&1; then
		ok=1
		break
	fi
	log "compare $attempt: $(cat "$WORK/cmp.txt")"
done
[[ -n $ok ]] || fail "$(cat "$WORK/cmp.txt")"
log "loop of $len frames plays bit for bit after the restart ($(cat "$WORK/cmp.txt"))"
log "PASS"
