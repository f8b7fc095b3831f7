#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Sessions end to end through the real binary (issue 5):
#  1. a loop recorded over OSC from the ramp, saved as "song1", the track
#     cleared, "song1" loaded: OSC reports the same length, and the captured
#     output is again a bit-exact loop (outside the seam) of that length
#     holding the same stretch of input as before the save;
#  2. names "../x", "/etc/passwd", "a/b" and a session directory that is a
#     symlink get /footloop/error, and nothing outside the session directory
#     is created or changed;
#  3. a session whose WAV is corrupt gives /footloop/error naming the file,
#     and the playing loop is left as it was;
#  4. the recorder, started and stopped over OSC, writes
#     <date>_<song>_master.wav whose end is the same bit-exact loop.
# usage: it_session.sh FOOTLOOP TOOLDIR
set -euo pipefail
source "$(dirname "$0")/lib.sh" session "$@"

SDIR="$WORK/sessions"
RDIR="$WORK/recordings"
start_jackd
start_footloop "quantize = off" "seam_ms = 10" "fade_ms = 10" \
	"[session]" "name = song1"
[[ -d $SDIR && -d $RDIR ]] || fail "the session and recording directories were not created"
start_io src --signal ramp --play fl:in_1,fl:in_2 --capture fl:out_1,fl:out_2 \
	--out "$WORK/src.wav" --seconds 60
sleep 0.3
osc /footloop/track/1/record
osc_wait /footloop/track/1/state recording
sleep 1.2
osc /footloop/track/1/record
osc_wait /footloop/track/1/state playing
len=$(osc_get /footloop/track/1/length)
log "track 1: $len frames"
((len > RATE / 2)) || fail "loop length $len is too short for a 1.2 s recording"

# fit NAME: the capture NAME.wav ends in a bit-exact ramp loop of len on both
# channels, which hold the same input frames.
fit() {
	local ch
	for ch in 0 1; do
		"$FL_WAV" ramp-loop "$WORK/$1.wav" -c $ch --seam 960 --min-passes 2 \
			--timeline "$WORK/src.wav" >"$WORK/$1.fit$ch" ||
			{ cat "$WORK/$1.fit$ch"; return 1; }
		[[ $(field period <"$WORK/$1.fit$ch") == "$len" ]] ||
			{ echo "$1 channel $ch: period != $len"; return 1; }
	done
	[[ $(field loop_input_start_frame <"$WORK/$1.fit0") == \
	   $(field loop_input_start_frame <"$WORK/$1.fit1") ]] || { echo "channels differ"; return 1; }
}
fit_before() { fit before; }
capture_checked "$len" 2.5 fl:out_1,fl:out_2 "$WORK/before.wav" fit_before ||
	fail "the recorded loop is not a bit-exact copy of the input"
start_before=$(field loop_input_start_frame <"$WORK/before.fit0")

# 1. save, clear, load
reply=$("$FL_OSC" ask $HOST "$OSC_PORT" /footloop/session/saved 10000 \
	/footloop/session/save s:song1) || fail "save: $reply"
[[ $reply == "/footloop/session/saved song1" ]] || fail "save replied '$reply'"
[[ -f $SDIR/song1/manifest.txt && -f $SDIR/song1/track-01.wav ]] ||
	fail "song1 has no manifest or track-01.wav: $(ls -la "$SDIR/song1" 2>&1)"
osc /footloop/track/1/clear
osc_wait /footloop/track/1/state empty
reply=$("$FL_OSC" ask $HOST "$OSC_PORT" /footloop/session/loaded 10000 \
	/footloop/session/load s:song1) || fail "load: $reply"
[[ $reply == "/footloop/session/loaded song1" ]] || fail "load replied '$reply'"
osc_wait /footloop/track/1/state playing
len2=$(osc_get /footloop/track/1/length)
((len2 == len)) || fail "loaded length $len2, saved $len"
fit_after() { fit after; }
capture_checked "$len" 2.5 fl:out_1,fl:out_2 "$WORK/after.wav" fit_after ||
	fail "the loaded loop is not the saved loop, bit for bit"
start_after=$(field loop_input_start_frame <"$WORK/after.fit0")
((start_after == start_before)) ||
	fail "the loaded loop holds input from frame $start_after, the saved one from $start_before"
log "round trip: $len frames, same input stretch (frame $start_before), bit-exact"

reply=$("$FL_OSC" ask $HOST "$OSC_PORT" /footloop/session/list 5000 /footloop/session/list) ||
	fail "list: $reply"
[[ $reply == "/footloop/session/list song1" ]] || fail "list replied '$reply'"

# 2. names that would leave the session directory
mkdir -p "$WORK/outside"
cp -r "$SDIR/song1" "$WORK/outside/song1"
ln -s "$WORK/outside/song1" "$SDIR/evil"
snap_outside() { (cd "$WORK" && find outside -printf '%p %s %T@\n' | sort; ls -a "$WORK"); }
before_tree=$(snap_outside)
for name in "../x" "/etc/passwd" "a/b" "evil" ".hidden" ""; do
	for op in save load; do
		err=$("$FL_OSC" expect-error $HOST "$OSC_PORT" /footloop/session/$op "s:$name") ||
			fail "$op '$name' was not refused"
		log "$op '$name': $err"
	done
done
# the symlinked session: refused by name, so the error must say why
err=$("$FL_OSC" expect-error $HOST "$OSC_PORT" /footloop/session/load s:evil)
[[ $err == *evil* ]] || fail "the symlink refusal does not name the session: $err"
sleep 0.3
[[ $(snap_outside) == "$before_tree" ]] || fail "something outside the session directory changed"
[[ ! -e $WORK/x && ! -e $WORK/a ]] || fail "a file appeared outside the session directory"
[[ -z $(find "$SDIR" -mindepth 1 -maxdepth 1 -name '.tmp-*') ]] || fail "a temporary save was left"
"$FL_OSC" expect-error $HOST "$OSC_PORT" /footloop/session/load s:nosuch >"$WORK/missing.txt" ||
	fail "a missing session was not refused"
log "missing: $(cat "$WORK/missing.txt")"

# 3. a corrupt WAV: an error naming the file, nothing changes
cp -r "$SDIR/song1" "$SDIR/broken"
printf 'RIFF\x10\x00\x00\x00WAVEjunkjunkjunk' >"$SDIR/broken/track-01.wav"
err=$("$FL_OSC" expect-error $HOST "$OSC_PORT" /footloop/session/load s:broken) ||
	fail "a corrupt WAV was not refused"
log "corrupt: $err"
[[ $err == *track-01.wav* ]] || fail "the error does not name the corrupt file: $err"
[[ $(osc_get /footloop/track/1/state) == playing ]] || fail "the loop stopped after a refused load"
(($(osc_get /footloop/track/1/length) == len)) || fail "the loop changed after a refused load"

# 4. the recorder
reply=$("$FL_OSC" ask $HOST "$OSC_PORT" /footloop/recorder 5000 /footloop/recorder/start s:gig) ||
	fail "recorder start: $reply"
[[ $reply == "/footloop/recorder 1" ]] || fail "recorder start replied '$reply'"
capture_passes "$len" 3
reply=$("$FL_OSC" ask $HOST "$OSC_PORT" /footloop/recorder 5000 /footloop/recorder/stop) ||
	fail "recorder stop: $reply"
[[ $reply == "/footloop/recorder 0" ]] || fail "recorder stop replied '$reply'"
shopt -s nullglob
files=("$RDIR"/[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]_[0-9][0-9][0-9][0-9][0-9][0-9]_gig_master.wav)
((${#files[@]} == 1)) || fail "no single <date>_gig_master.wav in $RDIR: $(ls "$RDIR")"
log "recording: $(basename "${files[0]}")"
"$FL_WAV" stats "${files[0]}" >"$WORK/rec.stats" || fail "the recording is unreadable"
frames=$(field frames <"$WORK/rec.stats" || true)
for ch in 0 1; do
	"$FL_WAV" period "${files[0]}" -c $ch --min-passes 2 >"$WORK/rec.period$ch" ||
		{ cat "$WORK/rec.period$ch"; fail "the recording does not end in a repeating loop"; }
	[[ $(field period <"$WORK/rec.period$ch") == "$len" ]] ||
		fail "the recorded loop is $(field period <"$WORK/rec.period$ch") frames, not $len"
done
log "recording: ${frames:-?} frames, channel 0 period $len over $(field passes <"$WORK/rec.period0") passes"
stop_io src
log "PASS"
