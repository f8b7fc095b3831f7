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
gen "$dir/corrupt.wav" 12000 3000 480 3 0 $((1000 + 2 * 36000 + 12000 * 2 + 5000))
if "$check" ramp-loop "$dir/corrupt.wav" -c 0 >/dev/null 2>&1; then
	fail "a loop with one wrong sample was accepted"
fi
gen "$dir/wideseam.wav" 12000 3000 2000 3 0
if "$check" ramp-loop "$dir/wideseam.wav" -c 0 --seam 960 >/dev/null 2>&1; then
	fail "a 2000-sample seam passed a 960-sample allowance"
fi
echo "fl_wav_check selftest: 6 checks passed"
