/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ns per stereo sample of DSP engineer A's kernels at 48 kHz in 64-frame
 * blocks, and the share of one core's real-time budget (20833 ns/sample). */
#include "dsp/eq.h"
#include "dsp/limiter.h"
#include "dsp/truepeak.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define BLOCK 64
#define BLOCKS 15000 /* 20 s of audio */

static float in_l[BLOCK * 16], in_r[BLOCK * 16], out_l[BLOCK], out_r[BLOCK];

static double
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void
report(const char *name, double ns)
{
	double per = ns / ((double)BLOCKS * BLOCK);
	printf("%-28s %8.1f ns/stereo sample  %6.3f %% of one core at 48 kHz\n", name, per,
	       per / (1e9 / 48000.0) * 100.0);
}

static struct fl_limiter lim;

int
main(void)
{
	for (int i = 0; i < BLOCK * 16; i++) {
		in_l[i] = 1.5f * sinf(0.05f * (float)i) + 0.3f * sinf(1.3f * (float)i);
		in_r[i] = 1.2f * sinf(0.031f * (float)i);
	}
	if (fl_limiter_init(&lim, 48000.0f, 1.0f) != FL_OK)
		return 1;
	double t0 = now_ns();
	for (int b = 0; b < BLOCKS; b++)
		fl_limiter_process(&lim, in_l + (b % 16) * BLOCK, in_r + (b % 16) * BLOCK, out_l, out_r,
		                   BLOCK);
	report("limiter (limiting)", now_ns() - t0);

	struct fl_eq eq;
	fl_eq_init(&eq, 48000.0f);
	fl_eq_set_gain_db(&eq, FL_EQ_PEAK1, 6.0f);
	for (int b = 0; b < 64; b++)
		fl_eq_process(&eq, in_l, in_r, out_l, out_r, BLOCK);
	t0 = now_ns();
	for (int b = 0; b < BLOCKS; b++)
		fl_eq_process(&eq, in_l + (b % 16) * BLOCK, in_r + (b % 16) * BLOCK, out_l, out_r,
		              BLOCK);
	report("eq 6 bands (static)", now_ns() - t0);
	t0 = now_ns();
	for (int b = 0; b < BLOCKS; b++) {
		if (b % 8 == 0)
			fl_eq_set_freq(&eq, FL_EQ_PEAK1, 300.0f + (float)(b % 1000) * 5.0f);
		fl_eq_process(&eq, in_l + (b % 16) * BLOCK, in_r + (b % 16) * BLOCK, out_l, out_r,
		              BLOCK);
	}
	report("eq 6 bands (sweeping)", now_ns() - t0);

	struct fl_truepeak tp;
	fl_truepeak_reset(&tp);
	t0 = now_ns();
	for (int b = 0; b < BLOCKS; b++)
		fl_truepeak_process(&tp, in_l + (b % 16) * BLOCK, in_r + (b % 16) * BLOCK, BLOCK);
	report("true-peak meter (Annex 2)", now_ns() - t0);
	printf("(sink %g %g)\n", (double)out_l[3], (double)fl_truepeak_read(&tp));
	return 0;
}
