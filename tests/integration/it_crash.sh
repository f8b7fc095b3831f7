#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Crash restore: footloop with the journal on records a loop from the ramp,
# overdubs it, and is killed with SIGKILL more than the journal's bound
# (docs/journal.md: ~1 s) after the last change. Started again on the same
# journal, it restores before activating JACK: OSC reports the same track
# state and length, and the captured output loop is bit for bit the one
# captured before the kill (compared over a whole period, up to its phase).
# With FL_IT_CHECKPOINT=1 (it_crash_checkpoint) a compaction checkpoint is
# due 6 s after the start: footloop takes it in the quiet stretch before the
# kill (journal-1.fljr replaces journal-0.fljr), and the restore loads
# checkpoint-1 and replays journal-1 on top.
# usage: it_crash.sh FOOTLOOP TOOLDIR
set -euo pipefail
CKPT=${FL_IT_CHECKPOINT:-0}
source "$(dirname "$0")/lib.sh" "crash$([[ $CKPT == 1 ]] && echo -ckpt)" "$@"

JDIR="$WORK/journal"
LINES=("quantize = off" "[journal]" "enabled = true" "dir = $JDIR" "sync_ms = 200")
[[ $CKPT == 1 ]] && LINES+=("checkpoint_minutes = 0.1")
# [track.1] settings apply at a fresh start only: after the restore the
# level set over OSC (0.5) stays.
LINES+=("[track.1]" "level = 0.7" "pan = 0.2")
start_jackd
start_footloop "${LINES[@]}"
start_io src --signal ramp --play fl:in_1,fl:in_2 --out "$WORK/src.wav" --seconds 60
sleep 0.3
osc /footloop/track/1/record
osc_wait /footloop/track/1/state recording
sleep 1.2
osc /footloop/track/1/record
osc_wait /footloop/track/1/state playing
osc /footloop/track/1/overdub
osc_wait /footloop/track/1/state overdubbing
sleep 0.7
osc /footloop/track/1/overdub
osc_wait /footloop/track/1/state playing
osc /footloop/track/1/level f:0.5
len=$(osc_get /footloop/track/1/length)
log "track 1: $len frames, overdubbed; waiting past the journal's bound"
sleep 1.5

start_io cap1 --capture fl:out_1,fl:out_2 --out "$WORK/cap1.wav" --seconds 60
capture_passes "$len" 2.5
stop_io cap1
stop_io src

if [[ $CKPT == 1 ]]; then
	wait_until 10 grep -q "journal checkpoint 1 taken" "$WORK/footloop.log" ||
		fail "no checkpoint within 10 s: $(grep -i checkpoint "$WORK/footloop.log" || true)"
	[[ -e $JDIR/journal-1.fljr && -e $JDIR/checkpoint-1/manifest.txt && ! -e $JDIR/journal-0.fljr ]] ||
		fail "after checkpoint 1 the journal directory holds: $(ls "$JDIR" | tr '\n' ' ')"
	log "$(grep -m1 'journal checkpoint 1 taken' "$WORK/footloop.log")"
	sleep 0.5
fi
kill -KILL "$FL_PID"
wait "$FL_PID" 2>/dev/null || true
FL_PID=
log "footloop killed with SIGKILL; starting it again on the journal"
cp "$WORK/footloop.log" "$WORK/footloop-before.log"
"$FL_BIN" --config "$WORK/test.conf" --server "$SERVER" --jack-name fl --no-status \
	>"$WORK/footloop.log" 2>&1 &
FL_PID=$!
wait_until 20 "$FL_OSC" ping $HOST "$OSC_PORT" 300 || fail "footloop did not come back"
grep -m1 "restored" "$WORK/footloop.log" || fail "no 'restored' line in the log"
if [[ $CKPT == 1 ]]; then
	grep -q "from checkpoint 1" "$WORK/footloop.log" || fail "the restore did not start from checkpoint 1"
	[[ -e $JDIR/journal-1.fljr ]] || fail "the restore did not continue journal-1.fljr"
fi
[[ $(osc_get /footloop/track/1/state) == playing ]] || fail "track 1 is not playing after the restore"
lvl=$(osc_get /footloop/track/1/level)
awk -v l="$lvl" 'BEGIN { exit !(l > 0.49 && l < 0.51) }' ||
	fail "track 1 level $lvl after the restore, want 0.5 (not [track.1] level = 0.7)"
len2=$(osc_get /footloop/track/1/length)
((len2 == len)) || fail "track 1 length $len2 after the restore, want $len"

ok=
for attempt in 1 2 3; do
	start_io cap2 --capture fl:out_1,fl:out_2 --out "$WORK/cap2.wav" --seconds 60
	capture_passes "$len" 2.5
	stop_io cap2
	if "$FL_WAV" same-loop "$WORK/cap1.wav" --other "$WORK/cap2.wav" --len "$len" \
		>"$WORK/cmp.txt" 2>&1; then
		ok=1
		break
	fi
	log "compare $attempt: $(cat "$WORK/cmp.txt")"
done
[[ -n $ok ]] || fail "$(cat "$WORK/cmp.txt")"
log "loop of $len frames restored bit for bit ($(cat "$WORK/cmp.txt"))"
log "PASS"
