#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Effects over OSC on a playing loop: an EQ in track 1's slot 1 with its
# parameters (number and text values), a reverb send, the default buses
# (plate, synced delay) in the snapshot, bad values refused with
# /footloop/error and never applied, the limiter ceiling; panic stops the
# playing track and a second panic brings it back.
# Not checked here (see the report): the captured output changing and the
# 100 ms fade measured on audio.
# usage: it_fx.sh FOOTLOOP TOOLDIR
set -euo pipefail
source "$(dirname "$0")/lib.sh" fx "$@"

start_jackd
start_footloop "quantize = off" "[fx]" "presets = $(cd "$(dirname "$0")/../.." && pwd)/config/fx-presets.conf"
start_io src --signal ramp --play fl:in_1,fl:in_2 --seconds 60
osc /footloop/track/1/record
osc_wait /footloop/track/1/state recording
sleep 0.5
osc /footloop/track/1/record
osc_wait /footloop/track/1/state playing

"$FL_OSC" state $HOST "$OSC_PORT" 2000 >"$WORK/state0.txt" || fail "no state"
[[ $(field /footloop/send/1/fx/1/type <"$WORK/state0.txt") == plate ]] || fail "bus 1 is not a plate"
[[ $(field /footloop/send/2/fx/1/type <"$WORK/state0.txt") == delay ]] || fail "bus 2 is not a delay"
[[ $(field /footloop/send/2/fx/1/sync <"$WORK/state0.txt") == 1 ]] || fail "bus 2 delay is not synced"
[[ $(field /footloop/master/limiter/ceiling <"$WORK/state0.txt") == -1 ]] || fail "ceiling is not -1"

osc /footloop/track/1/fx/1/type s:eq
osc_wait /footloop/track/1/fx/1/type eq 3000
osc /footloop/track/1/fx/1/peak1_gain_db f:6
osc /footloop/track/1/fx/1/peak1_hz s:2.5k
osc_wait /footloop/track/1/fx/1/peak1_gain_db 6 3000
osc_wait /footloop/track/1/fx/1/peak1_hz 2500 3000
osc /footloop/track/1/send/1 f:0.5
osc_wait /footloop/track/1/send/1 0.5 3000
log "track 1: eq in slot 1 (peak1 +6 dB at 2.5 kHz), send 1 = 0.5"

# The loudness meter thread reads the playing loop (after 400 ms of audio;
# the ramp source is quiet, about -63 LUFS): finite, not the old constant 0.
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
[[ $(osc_get /footloop/track/1/fx/1/peak1_gain_db) == 6 ]] || fail "a refused value was applied"
osc /footloop/master/limiter/ceiling f:-2
osc_wait /footloop/master/limiter/ceiling -2 3000
osc /footloop/master/fx/1/preset s:vocal
osc_wait /footloop/master/fx/1/type eq 3000
osc_wait /footloop/master/fx/2/type compressor 3000
log "limiter ceiling -2 dBTP; master preset 'vocal' = eq + compressor"

osc /footloop/panic
osc_wait /footloop/panic 1 3000
osc_wait /footloop/track/1/state stopped 3000
osc /footloop/panic
osc_wait /footloop/panic 0 3000
osc_wait /footloop/track/1/state playing 3000
log "panic: track 1 stopped, second panic: playing again"
"$FL_OSC" ping $HOST "$OSC_PORT" 2000 || fail "footloop stopped answering"
log "PASS"
