/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The test ramp shared by fl_jack_io (generator) and fl_wav_check (decoder).
 * A slow sawtooth whose every sample value is distinct over its period, so a
 * captured sample names the input frame it came from:
 *   value(n) = ((n mod P) + 1) / (P + 1) * 0.5,  P = 2^20 frames (21.8 s at
 * 48 kHz). In [0.25, 0.5) floats are 2^-25 apart and ramp steps 4.8e-7, so
 * every value is exact and distinct. Header-only: both tools are one file. */
#ifndef FL_TESTS_RAMP_H
#define FL_TESTS_RAMP_H

#include <math.h>
#include <stdint.h>

#define FL_RAMP_PERIOD_FRAMES ((uint64_t)1 << 20)

static inline float
fl_ramp_value(uint64_t n)
{
	double k = (double)(n % FL_RAMP_PERIOD_FRAMES);
	return (float)((k + 1.0) / ((double)FL_RAMP_PERIOD_FRAMES + 1.0) * 0.5);
}

/* The ramp index (n mod P) whose value is bit-identical to v, or -1. */
static inline int64_t
fl_ramp_index(float v)
{
	if (!(v > 0.0f) || v > 0.5f)
		return -1;
	double k = round((double)v * 2.0 * ((double)FL_RAMP_PERIOD_FRAMES + 1.0)) - 1.0;
	if (k < 0.0 || k >= (double)FL_RAMP_PERIOD_FRAMES)
		return -1;
	int64_t idx = (int64_t)k;
	return fl_ramp_value((uint64_t)idx) == v ? idx : -1;
}

#endif
