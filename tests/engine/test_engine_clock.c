/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "check.h"
#include "engine/clock.h"

static void
test_position(void)
{
	CHECK(fl_clock_position(100, 10, 100) == 0);
	CHECK(fl_clock_position(100, 10, 109) == 9);
	CHECK(fl_clock_position(100, 10, 110) == 0);
	CHECK(fl_clock_position(100, 10, 99) == 9);
	CHECK(fl_clock_position(100, 10, 90) == 0);
	CHECK(fl_clock_position(100, 0, 5) == 0);
	/* Far in the future: exact, no drift. */
	CHECK(fl_clock_position(7, 96001, 7 + 96001ull * 1000000000ull + 5) == 5);
}

static void
test_boundaries(void)
{
	CHECK(fl_clock_next_boundary(1000, 480, 1000) == 1000);
	CHECK(fl_clock_next_boundary(1000, 480, 1001) == 1480);
	CHECK(fl_clock_next_boundary(1000, 480, 1480) == 1480);
	CHECK(fl_clock_prev_boundary(1000, 480, 1479) == 1000);
	CHECK(fl_clock_prev_boundary(1000, 480, 1480) == 1480);
	CHECK(fl_clock_prev_boundary(1000, 480, 500) == 1000);
	/* Every rate and length: next >= t, prev <= t, both on the grid. */
	for (uint64_t cycle = 1; cycle < 3000; cycle += 37)
		for (uint64_t t = 5000; t < 5000 + 3 * cycle; t += 7) {
			uint64_t n = fl_clock_next_boundary(11, cycle, t);
			uint64_t p = fl_clock_prev_boundary(11, cycle, t);
			CHECK(n >= t && n - t < cycle && (n - 11) % cycle == 0);
			CHECK(p <= t && t - p < cycle && (p - 11) % cycle == 0);
		}
}

/* dsp-sync-reference S3: presses around a boundary at 48 kHz, cycle 2 s,
 * window 150 ms. */
static void
test_rounding_rule(void)
{
	const uint64_t fs = 48000, cycle = 2 * fs, start = 1000, late = 150 * fs / 1000;
	uint64_t b = start + 2 * cycle; /* the boundary pressed around */
	struct {
		int64_t offset_ms;
		uint64_t end;
	} cases[] = {
		{-200, b},         /* early: extend to the boundary */
		{-10, b},          /* early: extend */
		{10, b},           /* late within the window: trim back */
		{100, b},          /* trim back */
		{300, b + cycle},  /* too late: extend to the next */
		{150, b},          /* exactly on the window edge: trim */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint64_t t = (uint64_t)((int64_t)b + cases[i].offset_ms * (int64_t)fs / 1000);
		CHECK_MSG(fl_clock_record_end(start, cycle, late, t) == cases[i].end, "offset %lld ms",
		          (long long)cases[i].offset_ms);
	}
	/* A close pressed within the first cycle always gives one cycle. */
	CHECK(fl_clock_record_end(start, cycle, late, start + 10) == start + cycle);
	/* Late start: within the window counts as on the boundary. */
	CHECK(fl_clock_record_start(start, cycle, late, b + late) == b);
	CHECK(fl_clock_record_start(start, cycle, late, b + late + 1) == b + cycle);
	CHECK(fl_clock_record_start(start, cycle, late, b - 1) == b);
}

int
main(void)
{
	test_position();
	test_boundaries();
	test_rounding_rule();
	return fl_check_summary("test_engine_clock");
}
