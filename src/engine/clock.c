/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "engine/clock.h"

uint64_t
fl_clock_position(uint64_t origin, uint64_t len, uint64_t t)
{
	if (len == 0)
		return 0;
	if (t >= origin)
		return (t - origin) % len;
	uint64_t back = (origin - t) % len;
	return back ? len - back : 0;
}

uint64_t
fl_clock_next_boundary(uint64_t origin, uint64_t cycle, uint64_t t)
{
	if (cycle == 0 || t <= origin)
		return t <= origin ? origin : t;
	uint64_t rem = (t - origin) % cycle;
	return rem ? t + (cycle - rem) : t;
}

uint64_t
fl_clock_prev_boundary(uint64_t origin, uint64_t cycle, uint64_t t)
{
	if (cycle == 0 || t <= origin)
		return origin;
	return t - (t - origin) % cycle;
}

uint64_t
fl_clock_record_start(uint64_t origin, uint64_t cycle, uint64_t late_frames, uint64_t t)
{
	uint64_t prev = fl_clock_prev_boundary(origin, cycle, t);
	if (t >= prev && t - prev <= late_frames)
		return prev;
	return fl_clock_next_boundary(origin, cycle, t);
}

uint64_t
fl_clock_record_end(uint64_t start, uint64_t cycle, uint64_t late_frames, uint64_t t)
{
	if (cycle == 0)
		return t;
	if (t <= start)
		return start + cycle;
	uint64_t k = (t - start) / cycle;
	uint64_t rem = (t - start) % cycle;
	if (k >= 1 && rem <= late_frames)
		return start + k * cycle;
	return start + (k + 1) * cycle;
}

uint32_t
fl_clock_beats_per_cycle(uint64_t cycle, uint32_t rate)
{
	static const uint32_t choices[] = {1, 2, 3, 4, 6, 8, 12, 16};
	if (cycle == 0 || rate == 0)
		return 4;
	for (size_t i = 0; i < sizeof choices / sizeof choices[0]; i++) {
		double bpm = 60.0 * rate * choices[i] / (double)cycle;
		if (bpm >= 80.0 && bpm < 160.0)
			return choices[i];
	}
	return 60.0 * rate / (double)cycle >= 160.0 ? 1 : 16;
}
