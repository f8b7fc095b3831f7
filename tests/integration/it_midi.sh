#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# MIDI through footloop's own JACK MIDI input (CI has no ALSA): a mapping
# file from [midi] map; CCs and notes sent into fl:midi_in with
# fl_jack_midi drive track 1 through record -> play -> stop, checked over
# OSC; feedback comes out of fl:midi_out; then a MIDI learn round trip:
# armed over OSC (/footloop/midi/learn), a CC sent through midi_in comes
# back as /footloop/midi/learned, the line is in the mapping file, and the
# CC then does what was learned. Then a second footloop with the shipped
# APC mini map (config/midi/apc-mini.conf): fl:midi_out is captured with
# fl_jack_midi --from, and the pad LEDs of track 1 must follow record ->
# playing (note 56 rec_dub and 57 play_stop: velocity 3 red while
# recording, then 1 green while playing, in that order).
# usage: it_midi.sh FOOTLOOP TOOLDIR
set -euo pipefail
source "$(dirname "$0")/lib.sh" midi "$@"
FL_MIDI="$FL_TOOLS/fl_jack_midi"
[[ -x $FL_MIDI ]] || fail "$FL_MIDI is missing (build the tests/tools targets)"

midi() { "$FL_MIDI" --server "$SERVER" --name "m$RANDOM" --to fl:midi_in "$@" >>"$WORK/midi.log" 2>&1 ||
	fail "fl_jack_midi $*: $(tail -n 3 "$WORK/midi.log")"; }

cat >"$WORK/map.conf" <<'EOF'
# it_midi map
any  cc    80  rec_dub 1   led=recording:127,playing:100
1    note  60  stop 1
EOF
start_jackd
start_footloop "quantize = off" "[midi]" "map = $WORK/map.conf"
ports=$(jack_lsp -s "$SERVER" fl: 2>/dev/null)
for p in fl:midi_in fl:midi_out; do
	grep -qx "$p" <<<"$ports" || fail "JACK MIDI port $p missing; ports: $ports"
done
grep -q "MIDI map .*map.conf: 2 bindings" "$WORK/footloop.log" || fail "the map was not loaded"

# CC 80 (press, release) on channel 5, then again: record, then close.
midi 0:B4507F 64:B45000
osc_wait /footloop/track/1/state recording 3000
sleep 0.5
midi 0:B4507F 64:B45000
osc_wait /footloop/track/1/state playing 3000
len=$(osc_get /footloop/track/1/length)
((len > RATE / 4)) || fail "loop length $len after 0.5 s of recording"
log "CC 80 x2: recorded a loop of $len frames"
# Running status: one status byte, two note ons (the second is note 61,
# unmapped); note 60 on channel 2 is not the map's channel 1.
midi 0:915F64 10:903C64 11:3D64
osc_wait /footloop/track/1/state stopped 3000
log "note 60: track 1 stopped"
# Garbage is ignored safely: SysEx, clock, a truncated message, unmapped CC.
midi 0:F07E7F0601F7 1:F8 2:B0 3:B0077F
"$FL_OSC" ping $HOST "$OSC_PORT" 2000 || fail "footloop stopped answering after junk MIDI"
[[ $(osc_get /footloop/track/1/state) == stopped ]] || fail "junk MIDI changed track 1"

# Learn: arm over OSC, move CC 81 through midi_in, get the binding back.
"$FL_OSC" ask $HOST "$OSC_PORT" /footloop/midi/learned 5000 /footloop/midi/learn \
	s:mute_toggle i:1 >"$WORK/learned.txt" 2>&1 &
ask_pid=$!
sleep 0.3
midi 0:B2517F 64:B25100
wait $ask_pid || fail "no /footloop/midi/learned: $(cat "$WORK/learned.txt")"
line=$(sed -n 's|^/footloop/midi/learned ||p' "$WORK/learned.txt")
log "learned: $line"
[[ $line == *cc*81*mute_toggle\ 1* ]] || fail "learned line '$line' is not 'cc 81 mute_toggle 1'"
grep -qF "$line" "$WORK/map.conf" || fail "the learned line is not in the map file"
grep -q "^1    note  60  stop 1" "$WORK/map.conf" || fail "learning lost the map's old lines"
[[ $(osc_get /footloop/track/1/mute) == 0 ]] || fail "the learning move itself acted"
midi 0:B2517F 64:B25100
osc_wait /footloop/track/1/mute 1 3000
log "CC 81 now mutes track 1"
# A bad learn request is refused.
"$FL_OSC" expect-error $HOST "$OSC_PORT" /footloop/midi/learn s:fly >/dev/null ||
	fail "no /footloop/error for an unknown action"

# Controller feedback out of fl:midi_out with a shipped map (a copy: learn
# would write to it).
stop_pid "$FL_PID"
FL_PID=
cp "$(dirname "$0")/../../config/midi/apc-mini.conf" "$WORK/apc.conf"
start_footloop "quantize = off" "[midi]" "map = $WORK/apc.conf"
grep -q "MIDI map .*apc.conf: 73 bindings" "$WORK/footloop.log" || fail "apc-mini.conf not loaded"
"$FL_MIDI" --server "$SERVER" --name fbcap --from fl:midi_out --seconds 30 \
	--ready "$WORK/fb.ready" >"$WORK/fb.txt" 2>"$WORK/fbcap.log" &
IO_PIDS[fbcap]=$!
wait_until 10 test -e "$WORK/fb.ready" || fail "fl_jack_midi --from fl:midi_out did not start"
# Pad 56 (top row, first column: rec_dub 1): press and release, twice.
midi 0:90387F 64:803800
osc_wait /footloop/track/1/state recording 3000
wait_until 5 grep -q " 903803$" "$WORK/fb.txt" ||
	fail "no red (note 56 velocity 3) while recording: $(tr '\n' ';' <"$WORK/fb.txt")"
sleep 0.5
midi 0:90387F 64:803800
osc_wait /footloop/track/1/state playing 3000
wait_until 5 grep -q " 903801$" "$WORK/fb.txt" ||
	fail "no green (note 56 velocity 1) while playing: $(tr '\n' ';' <"$WORK/fb.txt")"
wait_until 5 grep -q " 903901$" "$WORK/fb.txt" ||
	fail "no green on note 57 (play_stop 1): $(tr '\n' ';' <"$WORK/fb.txt")"
stop_pid "${IO_PIDS[fbcap]}"
unset "IO_PIDS[fbcap]"
log "feedback from fl:midi_out (frame bytes): $(tr '\n' ';' <"$WORK/fb.txt")"
# Red before green on pad 56, at increasing frames; only 3-byte note ons on
# channel 1; nothing for tracks the engine does not have (2 tracks: pads
# 48..63 only).
awk '$2 == "903803" && !red { red = $1 } $2 == "903801" && !green { green = $1 }
	END { exit !(red && green && red < green) }' "$WORK/fb.txt" ||
	fail "note 56 did not go red, then green"
while read -r _ bytes; do
	[[ $bytes =~ ^90([0-9A-F]{2})[0-9A-F]{2}$ ]] && ((16#${BASH_REMATCH[1]} >= 48 &&
		16#${BASH_REMATCH[1]} <= 63)) ||
		fail "unexpected feedback '$bytes': $(tr '\n' ';' <"$WORK/fb.txt")"
done <"$WORK/fb.txt"
log "PASS"
