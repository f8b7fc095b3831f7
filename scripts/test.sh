#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds footloop with warnings as errors into build-test/ and runs every test
# (unit, dsp, integration: the integration tests start their own dummy JACK
# servers). Exits with ctest's status. Extra arguments go to ctest, e.g.
#   ./scripts/test.sh -L unit        ./scripts/test.sh -R it_record -V
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FL_TEST_BUILD_DIR:-$root/build-test}
jobs=${FL_JOBS:-2}

"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFL_WERROR=ON
cmake --build "$build" -j"$jobs"
rc=0
if (($# > 0)); then
	timeout "${FL_TEST_TIMEOUT:-1200}" ctest --test-dir "$build" --output-on-failure -j"$jobs" "$@" || rc=$?
else
	# Everything but the integration tests in parallel first; then the
	# integration tests, one at a time on an otherwise idle machine (their
	# dummy JACK servers run without realtime priority and xrun under load;
	# one rerun of a failed integration test absorbs a rare scheduling hiccup,
	# a real bug fails both runs).
	timeout "${FL_TEST_TIMEOUT:-1200}" ctest --test-dir "$build" --output-on-failure -j"$jobs" \
		-LE integration || rc=$?
	timeout "${FL_TEST_TIMEOUT:-1200}" ctest --test-dir "$build" --output-on-failure \
		-L integration --repeat until-pass:2 || rc=$((rc ? rc : $?))
fi
if ((rc == 124)); then
	echo "test.sh: ctest did not finish within ${FL_TEST_TIMEOUT:-1200} s" >&2
fi
exit "$rc"
