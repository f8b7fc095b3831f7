# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the integration scripts: sourced, never run.
#   source "$(dirname "$0")/lib.sh" NAME FOOTLOOP TOOLDIR
# Each script starts its own named dummy JACK server and its own footloop,
# kills both (by PID) in an EXIT trap, and bounds every wait. Figures come
# from captured audio and OSC state, never from how long a sleep lasted.
# Skips (jackd missing) exit 77.

IT_NAME=$1
FL_BIN=$2
FL_TOOLS=$3
FL_OSC="$FL_TOOLS/fl_osc"
FL_IO="$FL_TOOLS/fl_jack_io"
FL_WAV="$FL_TOOLS/fl_wav_check"
HOST=127.0.0.1
RATE=48000
# 1024-frame periods: a loaded 2-core CI machine xruns the no-realtime dummy
# server much less often than at 256, and nothing here depends on the period.
PERIOD=1024

if ! command -v jackd >/dev/null 2>&1; then
	echo "SKIP: jackd is not installed (apt-get install jackd2)"
	exit 77
fi
for t in "$FL_BIN" "$FL_OSC" "$FL_IO" "$FL_WAV"; do
	[[ -x $t ]] || { echo "FAIL: $t is missing (build the footloop and tests/tools targets)"; exit 1; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/fl-it-$IT_NAME.XXXXXX")
SERVER="fl-it-$$-$IT_NAME"
export JACK_DEFAULT_SERVER=$SERVER
export JACK_NO_AUDIO_RESERVATION=1
JACKD_PID=
FL_PID=
declare -A IO_PIDS=()
OSC_PORT=

log() { echo "[$IT_NAME] $*"; }

# Stops one process by PID: TERM, up to 5 s, then KILL.
stop_pid() {
	local pid=$1 i
	[[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 50; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

it_cleanup() {
	local rc=$?
	for name in "${!IO_PIDS[@]}"; do stop_pid "${IO_PIDS[$name]}"; done
	stop_pid "$FL_PID"
	stop_pid "$JACKD_PID"
	if ((rc != 0 && rc != 77)); then
		for f in "$WORK"/*.log; do
			[[ -f $f ]] || continue
			echo "----- $(basename "$f") (last 40 lines)"
			tail -n 40 "$f"
		done
	fi
	if [[ -n ${FL_IT_KEEP:-} ]]; then
		echo "kept $WORK"
	else
		rm -rf "$WORK"
	fi
	exit "$rc"
}
trap it_cleanup EXIT

fail() {
	echo "FAIL [$IT_NAME]: $*"
	exit 1
}

# wait_until SECONDS CMD...: retry CMD until it succeeds; fail after SECONDS.
wait_until() {
	local limit=$1 end
	shift
	end=$((SECONDS + limit))
	until "$@" >/dev/null 2>&1; do
		((SECONDS < end)) || return 1
		sleep 0.1
	done
}

start_jackd() {
	jackd --no-realtime -n "$SERVER" -d dummy -r $RATE -p $PERIOD >"$WORK/jackd.log" 2>&1 &
	JACKD_PID=$!
	timeout 10 jack_wait -w -s "$SERVER" -t 5 >/dev/null 2>&1 ||
		fail "jackd -n $SERVER did not come up within 5 s"
}

# write_config FILE [LINES FOR [engine]...]: a test config (monitor off,
# autoconnect off, OSC on localhost). OSC_PORT must be set.
write_config() {
	local file=$1
	shift
	{
		echo "[engine]"
		echo "tracks = 2"
		echo "track_seconds = 20"
		echo "monitor = false"
		echo "lock_memory = false"
		for line in "$@"; do echo "$line"; done
		echo "[jack]"
		echo "autoconnect = false"
		echo "[osc]"
		echo "port = $OSC_PORT"
		echo "bind = 127.0.0.1"
		# sessions and recordings stay in the test's folder, not in ~/footloop
		echo "[session]"
		echo "dir = $WORK/sessions"
		echo "[recorder]"
		echo "dir = $WORK/recordings"
	} >"$file"
}

# start_footloop [ENGINE LINES...]: config, start, wait until /footloop/ping
# answers (10 s at most). The JACK client is "fl".
start_footloop() {
	OSC_PORT=$("$FL_OSC" free-port)
	write_config "$WORK/test.conf" "$@"
	"$FL_BIN" --config "$WORK/test.conf" --server "$SERVER" --jack-name fl --no-status \
		>"$WORK/footloop.log" 2>&1 &
	FL_PID=$!
	local end=$((SECONDS + 10))
	until "$FL_OSC" ping $HOST "$OSC_PORT" 300 >/dev/null 2>&1; do
		kill -0 "$FL_PID" 2>/dev/null || fail "footloop exited during start-up"
		((SECONDS < end)) || fail "footloop did not answer /footloop/ping within 10 s"
	done
}

osc() { "$FL_OSC" send $HOST "$OSC_PORT" "$@"; }
osc_get() { "$FL_OSC" get $HOST "$OSC_PORT" "$1" 2000; }
osc_wait() { "$FL_OSC" wait $HOST "$OSC_PORT" "$1" "$2" "${3:-5000}" || fail "$1 did not become $2"; }

# start_io NAME ARGS...: fl_jack_io as JACK client NAME; waits until it runs.
start_io() {
	local name=$1 pid
	shift
	rm -f "$WORK/$name.ready"
	"$FL_IO" --server "$SERVER" --name "$name" --ready "$WORK/$name.ready" "$@" \
		>"$WORK/$name.log" 2>&1 &
	pid=$!
	IO_PIDS[$name]=$pid
	local end=$((SECONDS + 10))
	until [[ -e $WORK/$name.ready ]]; do
		kill -0 "$pid" 2>/dev/null || fail "fl_jack_io $name exited: $(cat "$WORK/$name.log")"
		((SECONDS < end)) || fail "fl_jack_io $name did not start within 10 s"
		sleep 0.05
	done
}

# stop_io NAME: ends a capture cleanly (SIGTERM completes the WAV).
stop_io() {
	local pid=${IO_PIDS[$1]}
	kill -TERM "$pid"
	timeout 10 tail --pid="$pid" -f /dev/null || fail "fl_jack_io $1 did not stop"
	wait "$pid" || fail "fl_jack_io $1 failed: $(cat "$WORK/$1.log")"
	unset "IO_PIDS[$1]"
}

# capture_checked FRAMES PASSES PORTS OUT CHECK...: capture PASSES loop
# passes of FRAMES from PORTS into OUT (client "cap"), then run CHECK. On a
# loaded machine JACK xruns corrupt a capture (a client that misses its
# cycle passes on stale buffers): when the check fails and the server
# reported xruns during the capture, capture again (4 attempts). A failure
# in a clean capture is a failure at once.
capture_checked() {
	local frames=$1 passes=$2 ports=$3 out=$4 attempt xr
	shift 4
	for attempt in 1 2 3 4; do
		start_io cap --capture "$ports" --out "$out" --seconds 60
		capture_passes "$frames" "$passes"
		stop_io cap
		if "$@" >"$WORK/check.txt" 2>&1; then
			cat "$WORK/check.txt"
			return 0
		fi
		xr=$(field xruns <"$out.txt")
		log "capture $attempt: check failed with $xr JACK xrun(s) during the capture"
		((xr > 0)) || break
	done
	cat "$WORK/check.txt"
	return 1
}

# field KEY: the value of "KEY value" in stdin.
field() { awk -v k="$1" '$1 == k { print $2; exit }'; }

# capture_passes FRAMES PASSES: sleep long enough for PASSES loop passes to
# be captured (more is harmless: the analysis uses the end of the capture).
capture_passes() {
	local frames=$1 passes=$2
	sleep "$(awk -v f="$frames" -v p="$passes" -v r=$RATE 'BEGIN { printf "%.2f", f * p / r + 0.3 }')"
}
