#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Effects on a playing loop, checked on footloop's captured output and over
# OSC. Track 1 loops a recorded 1 kHz sine at -6 dBFS (monitor off: only the
# loop is heard), master level 0.25 (-12 dB), so the output is -18 dBFS peak.
#  - EQ: peak 1 at 1 kHz, +12 dB in track 1's slot 1 (set over OSC) raises
#    the captured RMS by 12 dB (+-1).
#  - Panic: from the point where the output starts to fall (found in the
#    capture after the command's JACK frame, as it_record times commands),
#    every sample is below -90 dBFS within 100 ms; the track is stopped
#    with its loop (length unchanged); a second panic brings the same level
#    back.
#  - Reverb send: stopping the track with no send leaves silence within
#    100 ms; with send 1 = 0.5 (bus 1: the default plate) energy stays above
#    -80 dBFS RMS for more than 200 ms after the fall.
#  - Limiter: +12 dB of track and master level on top of the EQ (+18 dBFS
#    into the limiter): every sample finite and at or under the -1 dBFS
#    ceiling, and the output is still loud.
#  - OSC: default buses, parameter text values, bad values refused with
#    /footloop/error and never applied, ceiling, master preset, loudness.
# Captures spoiled by JACK xruns are taken again (3 attempts).
# usage: it_fx.sh FOOTLOOP TOOLDIR
set -euo pipefail
source "$(dirname "$0")/lib.sh" fx "$@"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CEILING=0.891251 # -1 dBFS

start_jackd
start_footloop "quantize = off" "[fx]" "presets = $ROOT/config/fx-presets.conf"
osc /footloop/master/level f:0.25
osc_wait /footloop/master/level 0.25 3000
start_io src --signal sine:1000:0.5 --play fl:in_1,fl:in_2 --seconds 60
osc /footloop/track/1/record
osc_wait /footloop/track/1/state recording
sleep 1.0
osc /footloop/track/1/record
osc_wait /footloop/track/1/state playing
stop_io src
len=$(osc_get /footloop/track/1/length)
((len > RATE / 2)) || fail "loop length $len after 1 s of recording"
log "track 1: a 1 kHz sine loop of $len frames"

WHY=
# cap OUT SECONDS: capture fl:out_1,fl:out_2 for about SECONDS.
cap() {
	start_io cap --capture fl:out_1,fl:out_2 --out "$1" --seconds 60
	sleep "$2"
	stop_io cap
}
# cap_cmd OUT AFTER ADDRESS [ARGS...]: 0.5 s of capture, the command (its
# CLOCK_MONOTONIC time in STAMP), AFTER seconds more.
cap_cmd() {
	local out=$1 after=$2
	shift 2
	start_io cap --capture fl:out_1,fl:out_2 --out "$out" --seconds 60
	sleep 0.5
	STAMP=$("$FL_OSC" --stamp send $HOST "$OSC_PORT" "$@")
	sleep "$after"
	stop_io cap
}
# level FILE CH: RMS (dBFS) of the last 500 ms.
level() { "$FL_WAV" level "$1" -c "$2" --start-ms -500 | field rms_dbfs; }
# fall FILE CH: the fall analysis after STAMP into FILE.fallCH.
fall() { "$FL_WAV" fall "$1" -c "$2" --cmd-usecs "$STAMP" >"$1.fall$2"; }
# between V LO HI
between() { awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v + 0 >= lo && v + 0 <= hi) }'; }
# attempt NAME FN: run FN (returns 1 with WHY set on a failed check); again
# (3 attempts) when its capture $WORK/NAME.wav saw JACK xruns.
attempt() {
	local name=$1 fn=$2 i xr
	for i in 1 2 3; do
		WHY=
		"$fn" "$WORK/$name.wav" && return 0
		xr=$(field xruns <"$WORK/$name.wav.txt" || echo 0)
		log "$name: attempt $i failed ($WHY) with ${xr:-0} JACK xrun(s)"
		((${xr:-0} > 0)) || break
	done
	fail "$name: $WHY"
}

# --- EQ: +12 dB at the sine's frequency.
cap "$WORK/dry.wav" 1.0
l0=$(level "$WORK/dry.wav" 0)
osc /footloop/track/1/fx/1/type s:eq
osc_wait /footloop/track/1/fx/1/type eq 3000
osc /footloop/track/1/fx/1/peak1_hz s:1k
osc /footloop/track/1/fx/1/peak1_gain_db f:12
osc_wait /footloop/track/1/fx/1/peak1_hz 1000 3000
osc_wait /footloop/track/1/fx/1/peak1_gain_db 12 3000
sleep 0.2
eq_check() {
	local out=$1 l1
	cap "$out" 1.0
	l1=$(level "$out" 0)
	L1=$l1
	between "$(awk -v a="$l1" -v b="$l0" 'BEGIN { print a - b }')" 11 13 ||
		{ WHY="EQ +12 dB at 1 kHz: RMS $l0 -> $l1 dBFS"; return 1; }
}
attempt eq eq_check
log "EQ peak 1 kHz +12 dB: RMS $l0 -> $L1 dBFS"

# --- Panic: silent within 100 ms of the fall, loop kept, back on the second.
panic_check() {
	local out=$1 ch ok=0
	cap_cmd "$out" 0.8 /footloop/panic
	osc_wait /footloop/panic 1 3000
	osc_wait /footloop/track/1/state stopped 3000
	[[ $(osc_get /footloop/track/1/length) == "$len" ]] || fail "panic changed the loop length"
	for ch in 0 1; do
		fall "$out" $ch
		between "$(field silent_after_ms <"$out.fall$ch")" 0 100 &&
			between "$(field capture_after_ms <"$out.fall$ch")" 400 100000 &&
			between "$(field fall_minus_command_ms <"$out.fall$ch")" -25 300 ||
			{ ok=1; WHY="channel $ch: $(tr '\n' ' ' <"$out.fall$ch")"; }
	done
	osc /footloop/panic
	osc_wait /footloop/panic 0 3000
	osc_wait /footloop/track/1/state playing 3000
	return $ok
}
attempt panic panic_check
log "panic: $(tr '\n' ' ' <"$WORK/panic.wav.fall0")"
back_check() {
	local out=$1 l2
	cap "$out" 1.0
	l2=$(level "$out" 0)
	between "$(awk -v a="$l2" -v b="$L1" 'BEGIN { print a - b }')" -1 1 ||
		{ WHY="after the second panic: RMS $l2 dBFS, was $L1"; return 1; }
}
attempt back back_check
log "second panic: playing again at the same level"

# --- Reverb send: a tail after the stop only with the send.
stop_check() {
	local out=$1 want=$2 ch e s
	cap_cmd "$out" 0.8 /footloop/track/1/stop
	osc_wait /footloop/track/1/state stopped 3000
	osc /footloop/track/1/play
	osc_wait /footloop/track/1/state playing 3000
	for ch in 0 1; do
		fall "$out" $ch
		e=$(field energy_after_ms <"$out.fall$ch")
		s=$(field silent_after_ms <"$out.fall$ch")
		between "$(field capture_after_ms <"$out.fall$ch")" 400 100000 ||
			{ WHY="capture too short: $(tr '\n' ' ' <"$out.fall$ch")"; return 1; }
		if [[ $want == silent ]]; then
			between "$s" 0 100 || { WHY="no send, channel $ch: sound ${s} ms after the fall"; return 1; }
		else
			between "$e" 200.01 100000 ||
				{ WHY="send 0.5, channel $ch: energy only ${e} ms after the fall"; return 1; }
		fi
	done
}
stop_dry() { stop_check "$1" silent; }
stop_wet() { stop_check "$1" tail; }
attempt stop_dry stop_dry
log "stop without a send: silent $(field silent_after_ms <"$WORK/stop_dry.wav.fall0") ms after the fall"
osc /footloop/track/1/send/1 f:0.5
osc_wait /footloop/track/1/send/1 0.5 3000
sleep 0.5
attempt stop_wet stop_wet
log "stop with send 1 = 0.5 (plate): energy above -80 dBFS for $(field energy_after_ms <"$WORK/stop_wet.wav.fall0") ms after the fall (capture end)"

# --- Limiter: +18 dBFS into it; finite, at or under -1 dBFS, still loud.
osc /footloop/track/1/level f:2
osc /footloop/master/level f:2
osc_wait /footloop/track/1/level 2 3000
osc_wait /footloop/master/level 2 3000
sleep 0.3
limit_check() {
	local out=$1 ch
	cap "$out" 1.0
	for ch in 0 1; do
		"$FL_WAV" level "$out" -c $ch --start-ms -700 >"$out.lvl$ch" ||
			{ WHY="channel $ch: $(tr '\n' ' ' <"$out.lvl$ch")"; return 1; }
		awk -v p="$(field peak <"$out.lvl$ch")" -v c=$CEILING 'BEGIN { exit !(p <= c) }' ||
			{ WHY="channel $ch over the ceiling: $(tr '\n' ' ' <"$out.lvl$ch")"; return 1; }
		between "$(field rms_dbfs <"$out.lvl$ch")" -8 0 ||
			{ WHY="channel $ch not limited but quiet: $(tr '\n' ' ' <"$out.lvl$ch")"; return 1; }
	done
}
attempt limit limit_check
log "limiter at +18 dBFS in: peak $(field peak_dbfs <"$WORK/limit.wav.lvl0") dBFS, RMS $(field rms_dbfs <"$WORK/limit.wav.lvl0") dBFS"
osc /footloop/track/1/level f:1
osc /footloop/master/level f:0.25

# --- OSC state.
"$FL_OSC" state $HOST "$OSC_PORT" 2000 >"$WORK/state0.txt" || fail "no state"
[[ $(field /footloop/send/1/fx/1/type <"$WORK/state0.txt") == plate ]] || fail "bus 1 is not a plate"
[[ $(field /footloop/send/2/fx/1/type <"$WORK/state0.txt") == delay ]] || fail "bus 2 is not a delay"
[[ $(field /footloop/send/2/fx/1/sync <"$WORK/state0.txt") == 1 ]] || fail "bus 2 delay is not synced"
[[ $(field /footloop/master/limiter/ceiling <"$WORK/state0.txt") == -1 ]] || fail "ceiling is not -1"

# The loudness meter thread reads the playing loop: finite, not a constant 0.
sleep 0.6
loud=$("$FL_OSC" ask $HOST "$OSC_PORT" /footloop/master/loudness 3000 /footloop/register) ||
	fail "no /footloop/master/loudness feedback"
read -r _ m s i <<<"$loud"
awk -v m="$m" 'BEGIN { exit !(m + 0 > -100 && m + 0 < 0) }' ||
	fail "momentary loudness '$m' is not a level of a playing loop ($loud)"
"$FL_OSC" send $HOST "$OSC_PORT" /footloop/unregister
"$FL_OSC" send $HOST "$OSC_PORT" /footloop/master/loudness/reset
"$FL_OSC" ping $HOST "$OSC_PORT" 2000 || fail "footloop stopped answering after a loudness reset"
log "loudness: M $m S $s I $i LUFS"

# Bad values: refused, never applied.
"$FL_OSC" expect-error $HOST "$OSC_PORT" /footloop/track/1/fx/1/peak1_gain_db f:99 >/dev/null ||
	fail "no error for an out-of-range gain"
"$FL_OSC" expect-error $HOST "$OSC_PORT" /footloop/track/1/fx/1/nonsense f:1 >/dev/null ||
	fail "no error for an unknown parameter"
"$FL_OSC" expect-error $HOST "$OSC_PORT" /footloop/track/1/fx/5/type s:eq >/dev/null ||
	fail "no error for slot 5"
"$FL_OSC" expect-error $HOST "$OSC_PORT" /footloop/track/1/fx/2/type s:fuzz >/dev/null ||
	fail "no error for an unknown effect"
"$FL_OSC" expect-error $HOST "$OSC_PORT" /footloop/track/1/send/1 f:3 >/dev/null ||
	fail "no error for send 3"
"$FL_OSC" expect-error $HOST "$OSC_PORT" /footloop/master/limiter/ceiling f:3 >/dev/null ||
	fail "no error for a ceiling above 0 dBTP"
[[ $(osc_get /footloop/track/1/fx/1/peak1_gain_db) == 12 ]] || fail "a refused value was applied"
osc /footloop/master/limiter/ceiling f:-2
osc_wait /footloop/master/limiter/ceiling -2 3000
osc /footloop/master/fx/1/preset s:vocal
osc_wait /footloop/master/fx/1/type eq 3000
osc_wait /footloop/master/fx/2/type compressor 3000
log "limiter ceiling -2 dBTP; master preset 'vocal' = eq + compressor"
"$FL_OSC" ping $HOST "$OSC_PORT" 2000 || fail "footloop stopped answering"
log "PASS"
