#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Sets everything up and runs footloop in the foreground with its live status:
#   1. installs the Debian packages (once; skipped when present),
#   2. builds a Release footloop into build/,
#   3. uses the running JACK server, or starts one: the first ALSA sound card
#      when there is one (falling back to JACK's dummy backend when the card
#      cannot be opened), the dummy backend otherwise; it is stopped again
#      when footloop exits,
#   4. runs footloop; extra arguments go to it, e.g.
#        ./scripts/run.sh --config config/footloop.conf --osc-port 9001
# Environment: FL_JACK_RATE (48000), FL_JACK_PERIOD (128), FL_JACK_CARD
# (hw:N to choose a card), JACK_DEFAULT_SERVER (a named server).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FL_RUN_BUILD_DIR:-$root/build}
rate=${FL_JACK_RATE:-48000}
period=${FL_JACK_PERIOD:-128}
jackd_pid=

"$root/scripts/install-deps.sh"
# Tests and benchmarks are not needed to play (scripts/test.sh builds them).
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DFL_BUILD_TESTS=OFF -DFL_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j"${FL_JOBS:-$(nproc)}" --target footloop

stop_jackd() {
	[[ -n $jackd_pid ]] || return 0
	echo "run.sh: stopping the JACK server this script started (pid $jackd_pid)"
	kill -TERM "$jackd_pid" 2>/dev/null || true
	for _ in $(seq 50); do kill -0 "$jackd_pid" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$jackd_pid" 2>/dev/null || true
	jackd_pid=
}
trap stop_jackd EXIT

# try_jackd DESCRIPTION ARGS...: start jackd, true when it answers within 5 s.
try_jackd() {
	local what=$1
	shift
	echo "run.sh: starting jackd on $what: jackd $*"
	jackd "$@" >"$build/jackd.log" 2>&1 &
	jackd_pid=$!
	if timeout 10 jack_wait -w -t 5 >/dev/null 2>&1 && kill -0 "$jackd_pid" 2>/dev/null; then
		return 0
	fi
	echo "run.sh: jackd could not use $what; its last words:" >&2
	tail -n 5 "$build/jackd.log" >&2
	stop_jackd
	return 1
}

first_card() {
	[[ -r /proc/asound/cards ]] || return 1
	awk '/^ *[0-9]+ \[/ { print "hw:" $1; exit }' /proc/asound/cards | grep .
}

# jack_wait -c prints "running" or "not running" and exits 0 either way.
if [[ $(timeout 5 jack_wait -c 2>/dev/null) == running ]]; then
	echo "run.sh: using the running JACK server${JACK_DEFAULT_SERVER:+ '$JACK_DEFAULT_SERVER'}"
else
	card=${FL_JACK_CARD:-$(first_card || true)}
	started=false
	if [[ -n $card ]]; then
		try_jackd "sound card $card (duplex)" -d alsa -d "$card" -r "$rate" -p "$period" -n 2 && started=true
		$started || try_jackd "sound card $card (playback only)" -d alsa -P "$card" -r "$rate" -p "$period" -n 2 && started=true
		$started || echo "run.sh: falling back to JACK's dummy backend (no sound will be heard)" >&2
	else
		echo "run.sh: no sound card in /proc/asound/cards; using JACK's dummy backend"
	fi
	$started || try_jackd "the dummy backend" -d dummy -r "$rate" -p "$period" ||
		{ echo "run.sh: cannot start a JACK server, see $build/jackd.log" >&2; exit 1; }
fi

rc=0
"$build/src/footloop" "$@" || rc=$?
exit "$rc"
