#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The analyzers must be able to fail: feed fl_wav_check synthetic captures
# (fl_fake_loop.py) that are right, phase-shifted and corrupted by one ulp-ish
# step, and check that it accepts exactly the right ones.
# usage: selftest_wav_check.sh FL_WAV_CHECK
set -euo pipefail
check=$1
here=$(cd "$(dirname "$0")" && pwd)
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
gen() { python3 "$here/fl_fake_loop.py" "$@"; }
fail() { echo "FAIL: $*"; exit 1; }

gen "$dir/ok.wav" 12000 3000 480 3 0
out=$("$check" ramp-loop "$dir/ok.wav" -c 0) || fail "a clean loop was rejected"
grep -qx 'period 12000' <<<"$out" || fail "wrong period: $out"
grep -qx 'loop_input_start_frame 8000' <<<"$out" || fail "wrong input start: $out"
grep -qx 'loop_boundary_frame 114000' <<<"$out" || fail "wrong boundary: $out"
"$check" align "$dir/ok.wav" -c 0 -d 1 >/dev/null || fail "phase-locked loops rejected"

gen "$dir/shift.wav" 12000 3000 480 3 100
if "$check" align "$dir/shift.wav" -c 0 -d 1 >/dev/null 2>&1; then
	fail "loops 100 frames apart were accepted as phase-locked"
fi
# same-loop: a capture against itself holds the same loop; against one whose
# second channel is shifted by 100 frames it does not.
out=$("$check" same-loop "$dir/ok.wav" --other "$dir/ok.wav" --len 12000) ||
	fail "a loop was not the same as itself"
grep -qx 'rotation 0' <<<"$out" || fail "wrong rotation: $out"
if "$check" same-loop "$dir/ok.wav" --other "$dir/shift.wav" --len 12000 >/dev/null 2>&1; then
	fail "loops with a shifted channel were taken for the same loop"
fi
gen "$dir/corrupt.wav" 12000 3000 480 3 0 $((1000 + 2 * 36000 + 12000 * 2 + 5000))
if "$check" ramp-loop "$dir/corrupt.wav" -c 0 >/dev/null 2>&1; then
	fail "a loop with one wrong sample was accepted"
fi
gen "$dir/wideseam.wav" 12000 3000 2000 3 0
if "$check" ramp-loop "$dir/wideseam.wav" -c 0 --seam 960 >/dev/null 2>&1; then
	fail "a 2000-sample seam passed a 960-sample allowance"
fi

# level and fall: a 1 kHz sine that fades out at frame 24000 (the command:
# 0.5 s of JACK time) over FADE frames, then silence or a decaying tail.
fade() { # OUT FADE TAIL_AMP NAN_AT
	python3 - "$@" <<'PY'
import math, struct, sys
out, fade, tail, nan_at = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
rows = []
for i in range(48000):
    v = 0.5 * math.sin(2 * math.pi * 1000 * i / 48000)
    g = 1.0 if i < 24000 else max(0.0, 1.0 - (i - 24000) / fade)
    t = tail * math.exp(-(i - 24000) / 4800.0) * math.sin(0.3 * i) if i >= 24000 else 0.0
    x = v * g + t
    rows.append(float('nan') if i == nan_at else x)
data = b''.join(struct.pack('<f', r) for r in rows)
fmt = struct.pack('<HHIIHH', 3, 1, 48000, 48000 * 4, 4, 32)
with open(out, 'wb') as f:
    f.write(b'RIFF' + struct.pack('<I', 4 + 8 + len(fmt) + 8 + len(data)) + b'WAVE')
    f.write(b'fmt ' + struct.pack('<I', len(fmt)) + fmt)
    f.write(b'data' + struct.pack('<I', len(data)) + data)
with open(out + '.txt', 'w') as f:
    f.write('rate 48000\nperiod 256\ncapture_frame0 0\nclock_offset_usecs 0\n'
            'cycle 0 0\ncycle 48000 1000000\n')
PY
}
ms() { awk -v k="$1" '$1 == k { print int($2) }' <<<"$2"; }
fade "$dir/f50.wav" 2400 0 -1
out=$("$check" fall "$dir/f50.wav" --cmd-usecs 500000) || fail "fall rejected a clean fade"
s=$(ms silent_after_ms "$out")
((s >= 30 && s <= 50)) || fail "a 50 ms fade: silent $s ms after the fall: $out"
fade "$dir/f200.wav" 9600 0 -1
out=$("$check" fall "$dir/f200.wav" --cmd-usecs 500000)
s=$(ms silent_after_ms "$out")
((s > 150)) || fail "a 200 ms fade looked like $s ms: $out"
fade "$dir/tail.wav" 2400 0.05 -1
out=$("$check" fall "$dir/tail.wav" --cmd-usecs 500000)
e=$(ms energy_after_ms "$out")
((e > 300)) || fail "a decaying tail gave energy for only $e ms: $out"
out=$("$check" fall "$dir/f50.wav" --cmd-usecs 500000)
e=$(ms energy_after_ms "$out")
((e < 60)) || fail "a plain fade gave energy for $e ms: $out"
out=$("$check" level "$dir/f50.wav" --start-ms 100 --len-ms 200) || fail "level failed"
grep -q '^rms_dbfs -9.03' <<<"$out" || fail "sine at 0.5: wrong RMS: $out"
fade "$dir/nan.wav" 2400 0 30000
if "$check" level "$dir/nan.wav" >/dev/null 2>&1; then
	fail "a NaN sample passed the level check"
fi
echo "fl_wav_check selftest: 12 checks passed"
