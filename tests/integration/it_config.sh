#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# (e) Broken config files: footloop exits with code 2 and a message naming
# file:line, before it touches JACK or OSC.
# usage: it_config.sh FOOTLOOP TOOLDIR
set -euo pipefail
source "$(dirname "$0")/lib.sh" config "$@"

start_jackd
# expect_exit2 FILE LINE: run footloop on FILE; exit 2 and "FILE:LINE" in stderr.
expect_exit2() {
	local file=$1 line=$2 rc=0
	timeout 10 "$FL_BIN" --config "$file" --server "$SERVER" --jack-name fl --no-status \
		>"$WORK/out.txt" 2>&1 || rc=$?
	((rc == 2)) || fail "$(basename "$file"): exit code $rc, want 2; output: $(cat "$WORK/out.txt")"
	grep -q "$file:$line" "$WORK/out.txt" ||
		fail "$(basename "$file"): message does not name $file:$line: $(cat "$WORK/out.txt")"
	log "$(basename "$file") -> exit 2: $(grep -m1 "$file:$line" "$WORK/out.txt")"
}

printf '[engine]\ntracks = 2\nno_such_key = 1\n' >"$WORK/unknown_key.conf"
expect_exit2 "$WORK/unknown_key.conf" 3
printf '[engine]\n# comment\ntracks = many\n' >"$WORK/bad_value.conf"
expect_exit2 "$WORK/bad_value.conf" 3
printf '[engine]\ntracks = 2\n[nonsense]\nx = 1\n' >"$WORK/unknown_section.conf"
expect_exit2 "$WORK/unknown_section.conf" 4
printf '[engine]\nquantize = sometimes\n' >"$WORK/bad_enum.conf"
expect_exit2 "$WORK/bad_enum.conf" 2
printf '[engine\ntracks = 2\n' >"$WORK/broken_syntax.conf"
expect_exit2 "$WORK/broken_syntax.conf" 1

rc=0
timeout 10 "$FL_BIN" --config "$WORK/missing.conf" --server "$SERVER" --no-status \
	>"$WORK/out.txt" 2>&1 || rc=$?
((rc == 2)) || fail "missing config file: exit code $rc, want 2"
grep -q "missing.conf" "$WORK/out.txt" || fail "missing config: message does not name the file"
log "missing.conf -> exit 2"

rc=0
timeout 10 "$FL_BIN" --no-such-option >"$WORK/out.txt" 2>&1 || rc=$?
((rc == 2)) || fail "unknown option: exit code $rc, want 2"
log "PASS"
