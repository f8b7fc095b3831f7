#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# (b) The first loop, recorded over OSC while fl_jack_io plays the ramp into
# in_1/in_2 (reporting 256 frames of latency on each side, so footloop's
# round trip R = 512): the captured output repeats with exactly the length
# footloop reports, every sample outside the seam is a bit-exact copy of one
# contiguous stretch of input, and the stretch starts about R frames after
# the command (measured, printed, loosely bounded: OSC delivery is not
# sample-accurate).
# usage: it_record.sh FOOTLOOP TOOLDIR
set -euo pipefail
source "$(dirname "$0")/lib.sh" record "$@"
IO_LATENCY=256

start_jackd
start_footloop "quantize = off" "seam_ms = 10" "fade_ms = 10"
# src also listens to out_1/out_2, so footloop sees playback latency there too.
start_io src --signal ramp --latency $IO_LATENCY --play fl:in_1,fl:in_2 \
	--capture fl:out_1,fl:out_2 --out "$WORK/src.wav" --seconds 60
sleep 0.3
stamp=$("$FL_OSC" --stamp send $HOST "$OSC_PORT" /footloop/track/1/record)
osc_wait /footloop/track/1/state recording
sleep 1.5
osc /footloop/track/1/record
osc_wait /footloop/track/1/state playing
len=$(osc_get /footloop/track/1/length)
R=$(osc_get /footloop/latency)
log "footloop: track 1 length $len frames, latency $R frames"
((len > RATE / 2)) || fail "loop length $len is too short for a 1.5 s recording"

# Both channels: a bit-exact loop of the reported length, one input stretch.
check_both() {
	local ch
	for ch in 0 1; do
		"$FL_WAV" ramp-loop "$WORK/cap.wav" -c $ch --seam 960 --min-passes 3 \
			--timeline "$WORK/src.wav" --cmd-usecs "$stamp" >"$WORK/fit$ch.txt" ||
			{ cat "$WORK/fit$ch.txt"; return 1; }
		[[ $(field period <"$WORK/fit$ch.txt") == "$len" ]] ||
			{ echo "channel $ch: captured period != reported length $len"; return 1; }
	done
}
capture_checked "$len" 3.5 fl:out_1,fl:out_2 "$WORK/cap.wav" check_both ||
	fail "the captured loop is not a bit-exact copy of the input"
stop_io src
cat "$WORK/fit0.txt"
[[ $(field loop_input_start_frame <"$WORK/fit0.txt") == $(field loop_input_start_frame <"$WORK/fit1.txt") ]] ||
	fail "left and right loops start at different input frames"
((R == 2 * IO_LATENCY)) || fail "footloop reports latency $R, want capture $IO_LATENCY + playback $IO_LATENCY"
delta=$(field start_minus_command <"$WORK/fit0.txt")
log "record start - command frame = $delta frames (R = $R, period $PERIOD)"
# Lower bound: the start is never before command + R (minus one period of
# clock-mapping slack); upper: OSC delivery on a loaded machine, 250 ms.
((delta >= R - PERIOD)) || fail "loop starts $delta frames after the command, before R = $R"
((delta <= R + RATE / 4)) || fail "loop starts $delta frames after the command (R = $R): too late"
log "PASS"
