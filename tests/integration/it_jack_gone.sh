#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# (f) The JACK server goes away under a running footloop.
#  - no server at all at start -> exit 1
#  - [jack] reconnect = false: footloop notices, says so clearly, exits 1
#  - [jack] reconnect = true (the default): footloop keeps running, logs
#    that it waits for the server, and still answers OSC (it_jack_restart
#    covers the server coming back).
# usage: it_jack_gone.sh FOOTLOOP TOOLDIR
set -euo pipefail
source "$(dirname "$0")/lib.sh" jackgone "$@"

OSC_PORT=$("$FL_OSC" free-port)
write_config "$WORK/test.conf" "quantize = off"
rc=0
timeout 10 "$FL_BIN" --config "$WORK/test.conf" --server "fl-it-$$-nobody" --no-status \
	>"$WORK/noserver.log" 2>&1 || rc=$?
((rc == 1)) || fail "no JACK server: exit code $rc, want 1: $(cat "$WORK/noserver.log")"
log "no server -> exit 1: $(grep -i -m1 jack "$WORK/noserver.log" || true)"

start_jackd
start_footloop "quantize = off" "[jack]" "reconnect = false"
stop_pid "$JACKD_PID"
JACKD_PID=
timeout 15 tail --pid="$FL_PID" -f /dev/null || fail "footloop still runs 15 s after jackd stopped"
rc=0
wait "$FL_PID" || rc=$?
FL_PID=
((rc == 1)) || fail "reconnect = false: exit code $rc after the server went away, want 1"
grep -qi "jack" "$WORK/footloop.log" || fail "no message about JACK in the log"
log "reconnect = false: server gone -> exit 1: $(grep -i jack "$WORK/footloop.log" | tail -n 1)"

start_jackd
start_footloop "quantize = off"
stop_pid "$JACKD_PID"
JACKD_PID=
wait_until 5 grep -q "waiting for the JACK server" "$WORK/footloop.log" ||
	fail "reconnect = true: no 'waiting for the JACK server' line in the log"
sleep 1
kill -0 "$FL_PID" 2>/dev/null || fail "reconnect = true: footloop exited when the server went away"
"$FL_OSC" ping $HOST "$OSC_PORT" 1000 >/dev/null || fail "reconnect = true: OSC does not answer"
log "reconnect = true: keeps running: $(grep -m1 'waiting for the JACK server' "$WORK/footloop.log")"
log "PASS"
