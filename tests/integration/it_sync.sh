#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# (c) Sync: track 1's first loop sets the cycle; track 2, recorded with
# quantize = cycle at arbitrary moments, gets a whole number of cycles and its
# loop boundaries fall on track 1's boundaries in the captured output.
# The ramp goes to in_1 while track 1 records and to in_2 while track 2
# records, so out_1 carries track 1 alone and out_2 track 2 alone.
# usage: it_sync.sh FOOTLOOP TOOLDIR
set -euo pipefail
source "$(dirname "$0")/lib.sh" sync "$@"

start_jackd
start_footloop "quantize = cycle" "seam_ms = 10" "fade_ms = 10"
start_io src --signal ramp --play -
jack_connect -s "$SERVER" src:play_1 fl:in_1

osc /footloop/track/1/record
osc_wait /footloop/track/1/state recording
sleep 1.0
osc /footloop/track/1/record
osc_wait /footloop/track/1/state playing
cycle=$(osc_get /footloop/cycle)
len1=$(osc_get /footloop/track/1/length)
log "track 1: $len1 frames, cycle $cycle frames"
((cycle > 0 && len1 == cycle)) || fail "the first loop ($len1) should set the cycle ($cycle)"

jack_disconnect -s "$SERVER" src:play_1 fl:in_1
jack_connect -s "$SERVER" src:play_1 fl:in_2
sleep 0.37 # an arbitrary moment within the cycle
osc /footloop/track/2/record
osc_wait /footloop/track/2/state recording 10000
sleep 1.3
osc /footloop/track/2/record
osc_wait /footloop/track/2/state playing 10000
len2=$(osc_get /footloop/track/2/length)
log "track 2: $len2 frames = $(awk -v a="$len2" -v b="$cycle" 'BEGIN { print a / b }') cycles"
((len2 > 0 && len2 % cycle == 0)) || fail "track 2 length $len2 is not a multiple of the cycle $cycle"
jack_disconnect -s "$SERVER" src:play_1 fl:in_2
stop_io src

check_align() {
	"$FL_WAV" align "$WORK/cap.wav" -c 0 -d 1 --seam 960 --min-passes 2 >"$WORK/align.txt" ||
		{ cat "$WORK/align.txt"; return 1; }
	p0=$(awk '$1 == "period" { print $2 }' "$WORK/align.txt" | sed -n 1p)
	p1=$(awk '$1 == "period" { print $2 }' "$WORK/align.txt" | sed -n 2p)
	[[ $p0 == "$len1" && $p1 == "$len2" ]] ||
		{ echo "captured periods $p0/$p1 != reported $len1/$len2"; return 1; }
}
capture_checked "$len2" 2.5 fl:out_1,fl:out_2 "$WORK/cap.wav" check_align ||
	fail "tracks 1 and 2 are not phase-locked bit-exact loops"
cat "$WORK/align.txt"
log "PASS"
