/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Cost of the time-based effects (delay, chorus, flanger, plate, FDN room
 * and hall): ns per stereo sample at 48 kHz in 64-frame blocks, and the
 * share of one core's real-time budget (1e9 / 48000 ns per sample). Each
 * figure is the best of 7 runs (the machine is shared, so the minimum is
 * the kernel's cost and the rest is interference). The last lines time the
 * same effects through the generic slot (fl_fx_process), which adds the
 * chunking and bypass logic. Prints figures; never a pass/fail.
 * Usage: bench_dsp_b [seconds per run] */
#include "core/denormal.h"
#include "dsp/chorus.h"
#include "dsp/delay.h"
#include "dsp/fx.h"
#include "dsp/reverb_fdn.h"
#include "dsp/reverb_plate.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define RATE 48000.0f
#define BLOCK 64u
#define RUNS 7

static float in_l[BLOCK], in_r[BLOCK], out_l[BLOCK], out_r[BLOCK];

enum kind { DELAY, CHORUS, FLANGER, PLATE, ROOM, HALL, NKINDS };
static const char *names[NKINDS] = {"delay", "chorus", "flanger", "plate", "fdn room",
                                    "fdn hall"};

union kernel {
	struct fl_delay d;
	struct fl_chorus c;
	struct fl_plate p;
	struct fl_fdn f;
};

static int
init(union kernel *k, enum kind t)
{
	switch (t) {
	case DELAY: return fl_delay_init(&k->d, RATE);
	case CHORUS: return fl_chorus_init(&k->c, RATE, FL_CHORUS_MODE_CHORUS);
	case FLANGER: return fl_chorus_init(&k->c, RATE, FL_CHORUS_MODE_FLANGER);
	case PLATE: return fl_plate_init(&k->p, RATE);
	case ROOM: return fl_fdn_init(&k->f, RATE, FL_FDN_ROOM);
	default: return fl_fdn_init(&k->f, RATE, FL_FDN_HALL);
	}
}

static void
process(union kernel *k, enum kind t)
{
	if (t == DELAY)
		fl_delay_process(&k->d, in_l, in_r, out_l, out_r, BLOCK);
	else if (t == CHORUS || t == FLANGER)
		fl_chorus_process(&k->c, in_l, in_r, out_l, out_r, BLOCK);
	else if (t == PLATE)
		fl_plate_process(&k->p, in_l, in_r, out_l, out_r, BLOCK);
	else
		fl_fdn_process(&k->f, in_l, in_r, out_l, out_r, BLOCK);
}

static void
release(union kernel *k, enum kind t)
{
	if (t == DELAY)
		fl_delay_free(&k->d);
	else if (t == CHORUS || t == FLANGER)
		fl_chorus_free(&k->c);
	else if (t == PLATE)
		fl_plate_free(&k->p);
	else
		fl_fdn_free(&k->f);
}

static double
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int
main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 0.5;
	uint64_t blocks = (uint64_t)(seconds * 48000.0 / BLOCK);
	if (blocks == 0)
		blocks = 1;
	fl_denormals_disable();
	uint32_t seed = 1;
	for (uint32_t i = 0; i < BLOCK; i++) {
		seed = seed * 1664525u + 1013904223u;
		in_l[i] = (float)(seed >> 8) / 16777216.0f - 0.5f;
		in_r[i] = -in_l[i];
	}
	double budget = 1e9 / 48000.0, total = 0;
	printf("bench_dsp_b: best of %d runs of %.2f s of audio, 48 kHz, %u-frame blocks\n", RUNS,
	       seconds, BLOCK);
	for (int t = 0; t < NKINDS; t++) {
		static union kernel k;
		if (init(&k, (enum kind)t) != 0) {
			fprintf(stderr, "bench_dsp_b: %s init failed\n", names[t]);
			return 1;
		}
		double best = 1e30;
		for (int r = 0; r < RUNS; r++) {
			for (uint64_t b = 0; b < 200; b++) /* warm up caches */
				process(&k, (enum kind)t);
			double t0 = now_ns();
			for (uint64_t b = 0; b < blocks; b++)
				process(&k, (enum kind)t);
			double ns = (now_ns() - t0) / (double)(blocks * BLOCK);
			best = ns < best ? ns : best;
		}
		total += best;
		printf("  %-9s %7.1f ns per stereo sample  %5.2f %% of one core\n", names[t], best,
		       100.0 * best / budget);
		release(&k, (enum kind)t);
	}
	printf("  all six  %7.1f ns per stereo sample  %5.2f %% of one core\n", total,
	       100.0 * total / budget);
	static const enum fl_fx_type slot_types[] = {FL_FX_EQ, FL_FX_DELAY, FL_FX_CHORUS, FL_FX_PLATE,
	                                             FL_FX_HALL};
	for (size_t s = 0; s < sizeof slot_types / sizeof slot_types[0]; s++) {
		struct fl_fx *fx = NULL;
		if (fl_fx_create(slot_types[s], RATE, &fx) != FL_OK)
			continue;
		if (slot_types[s] == FL_FX_EQ) { /* a typical 4-band setting */
			fl_fx_set_param(fx, (uint32_t)fl_fx_param_index(FL_FX_EQ, "low_cut"), 1.0f);
			fl_fx_set_param(fx, (uint32_t)fl_fx_param_index(FL_FX_EQ, "peak1_gain_db"), -3.0f);
			fl_fx_set_param(fx, (uint32_t)fl_fx_param_index(FL_FX_EQ, "peak2_gain_db"), 2.0f);
			fl_fx_set_param(fx, (uint32_t)fl_fx_param_index(FL_FX_EQ, "high_shelf_gain_db"), 2.0f);
		}
		double best = 1e30;
		for (int r = 0; r < RUNS; r++) {
			for (uint64_t b = 0; b < 200; b++)
				fl_fx_process(fx, in_l, in_r, out_l, out_r, BLOCK);
			double t0 = now_ns();
			for (uint64_t b = 0; b < blocks; b++)
				fl_fx_process(fx, in_l, in_r, out_l, out_r, BLOCK);
			double ns = (now_ns() - t0) / (double)(blocks * BLOCK);
			best = ns < best ? ns : best;
		}
		printf("  slot %-8s %6.1f ns per stereo sample  %5.2f %% of one core\n",
		       fl_fx_type_name(slot_types[s]), best, 100.0 * best / budget);
		fl_fx_free(fx);
	}
	return 0;
}
