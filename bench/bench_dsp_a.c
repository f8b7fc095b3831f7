/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ns per stereo sample of DSP engineer A's kernels at 48 kHz in 64-frame
 * blocks, and the share of one core's real-time budget (20833 ns/sample).
 * Each figure is the best of 7 runs of 20 s of audio (the machine is
 * shared: the minimum is the least disturbed run), timed in thread CPU time
 * (CLOCK_THREAD_CPUTIME_ID) so time spent preempted by other jobs does not
 * count. Input: a music-like
 * stereo signal peaking ~+3 dBFS, so the limiter, compressor and gate work. */
#include "dsp/compressor.h"
#include "dsp/eq.h"
#include "dsp/gate.h"
#include "dsp/limiter.h"
#include "dsp/meter.h"
#include "dsp/svf.h"
#include "dsp/truepeak.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define BLOCK 64
#define BLOCKS 15000 /* 20 s of audio */
#define RUNS 7
#define NSIG 16      /* distinct input blocks, cycled */

static float in_l[BLOCK * NSIG], in_r[BLOCK * NSIG], out_l[BLOCK], out_r[BLOCK];

typedef void (*process_fn)(void *k, const float *il, const float *ir, float *ol, float *or_,
                           uint32_t n);

static double
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Best of RUNS, ns per stereo sample; hook (may be NULL) runs before every
 * block (parameter sweeps). */
static double
bench(const char *name, void *k, process_fn fn, void (*hook)(void *k, int b))
{
	double best = 1e30;
	for (int r = 0; r < RUNS; r++) {
		double t0 = now_ns();
		for (int b = 0; b < BLOCKS; b++) {
			if (hook)
				hook(k, b);
			fn(k, in_l + (b % NSIG) * BLOCK, in_r + (b % NSIG) * BLOCK, out_l, out_r, BLOCK);
		}
		double t = now_ns() - t0;
		best = t < best ? t : best;
	}
	double per = best / ((double)BLOCKS * BLOCK);
	printf("%-34s %7.1f ns/stereo sample  %6.3f %% of one core\n", name, per,
	       per / (1e9 / 48000.0) * 100.0);
	return per;
}

static void
lim_fn(void *k, const float *a, const float *b, float *c, float *d, uint32_t n)
{
	fl_limiter_process(k, a, b, c, d, n);
}

static void
eq_fn(void *k, const float *a, const float *b, float *c, float *d, uint32_t n)
{
	fl_eq_process(k, a, b, c, d, n);
}

static void
eq_sweep(void *k, int b)
{
	if (b % 8 == 0)
		fl_eq_set_freq(k, FL_EQ_PEAK1, 300.0f + (float)(b % 1000) * 5.0f);
}

static void
comp_fn(void *k, const float *a, const float *b, float *c, float *d, uint32_t n)
{
	fl_comp_process(k, a, b, c, d, n);
}

static void
gate_fn(void *k, const float *a, const float *b, float *c, float *d, uint32_t n)
{
	fl_gate_process(k, a, b, c, d, n);
}

static void
svf_fn(void *k, const float *a, const float *b, float *c, float *d, uint32_t n)
{
	fl_svf_process(k, a, b, c, d, n);
}

static void
svf_sweep(void *k, int b)
{
	fl_svf_set_cutoff(k, 200.0f * powf(2.0f, 4.0f * sinf(0.01f * (float)b)));
}

struct meters {
	struct fl_peak_meter peak;
	struct fl_rms_meter rms;
};

static void
meter_fn(void *k, const float *a, const float *b, float *c, float *d, uint32_t n)
{
	struct meters *m = k;
	(void)c;
	(void)d;
	fl_peak_meter_process(&m->peak, a, b, n);
	fl_rms_meter_process(&m->rms, a, b, n);
}

static void
tp_fn(void *k, const float *a, const float *b, float *c, float *d, uint32_t n)
{
	(void)c;
	(void)d;
	fl_truepeak_process(k, a, b, n);
}

static struct fl_limiter lim;
static struct meters met;

int
main(void)
{
	for (int i = 0; i < BLOCK * NSIG; i++) {
		float t = (float)i;
		in_l[i] = 1.0f * sinf(0.05f * t) + 0.3f * sinf(1.3f * t) + 0.1f * sinf(2.9f * t);
		in_r[i] = 0.9f * sinf(0.031f * t) + 0.2f * sinf(0.7f * t);
	}
	printf("DSP engineer A kernels, 48 kHz, %d-frame blocks, best of %d x 20 s\n", BLOCK, RUNS);
	for (int d = 0; d < 3; d++) {
		static const char *names[3] = {"limiter Annex-2 only (L 55)",
		                               "limiter Annex-2 + half (default)",
		                               "limiter combined 8x (L 64)"};
		if (fl_limiter_init_detector(&lim, 48000.0f, 1.0f, (enum fl_limiter_detector)d) != FL_OK)
			return 1;
		bench(names[d], &lim, lim_fn, NULL);
	}
	double t_lim = 0.0;
	if (fl_limiter_init(&lim, 48000.0f, 1.0f) == FL_OK)
		t_lim = bench("limiter (default, again)", &lim, lim_fn, NULL);

	static struct fl_eq eq;
	fl_eq_init(&eq, 48000.0f);
	bench("eq neutral (all bands skipped)", &eq, eq_fn, NULL);
	fl_eq_set_enabled(&eq, FL_EQ_LOW_CUT, true);
	fl_eq_set_gain_db(&eq, FL_EQ_PEAK1, 4.0f);
	fl_eq_reset(&eq);
	double t_eq = bench("eq 2 active bands (cut + peak)", &eq, eq_fn, NULL);
	fl_eq_set_enabled(&eq, FL_EQ_HIGH_CUT, true);
	fl_eq_set_gain_db(&eq, FL_EQ_LOW_SHELF, 2.0f);
	fl_eq_set_gain_db(&eq, FL_EQ_PEAK2, -3.0f);
	fl_eq_set_gain_db(&eq, FL_EQ_HIGH_SHELF, 1.5f);
	fl_eq_reset(&eq);
	bench("eq 6 active bands (static)", &eq, eq_fn, NULL);
	bench("eq 6 active bands (sweeping)", &eq, eq_fn, eq_sweep);

	static struct fl_comp comp;
	fl_comp_init(&comp, 48000.0f);
	double t_comp = bench("compressor (-20 dB, 4:1, decoupled)", &comp, comp_fn, NULL);
	static struct fl_gate gate;
	fl_gate_init(&gate, 48000.0f, 0.0f);
	bench("gate (open, settled)", &gate, gate_fn, NULL);
	fl_gate_set_threshold_db(&gate, -3.0f);
	fl_gate_set_hold_ms(&gate, 0.0f);
	fl_gate_set_release_ms(&gate, 10.0f);
	bench("gate (opening and closing)", &gate, gate_fn, NULL);
	static struct fl_svf svf;
	fl_svf_init(&svf, 48000.0f, FL_SVF_LOWPASS, 800.0f, 4.0f);
	bench("svf (static)", &svf, svf_fn, NULL);
	bench("svf (sweeping every block)", &svf, svf_fn, svf_sweep);
	fl_peak_meter_init(&met.peak, 48000.0f, 20.0f);
	fl_rms_meter_init(&met.rms, 48000.0f, 300.0f);
	double t_met = bench("meters (peak + 300 ms RMS)", &met, meter_fn, NULL);
	static struct fl_truepeak tp;
	fl_truepeak_reset(&tp);
	bench("true-peak meter (Annex 2, chunked)", &tp, tp_fn, NULL);

	double tracks = 8.0 * (t_eq + t_comp + t_met);
	printf("A's share of the issue-4 budget: 8 x (EQ 2 bands + compressor + meters) + limiter = "
	       "%.0f ns/stereo sample = %.2f %% of one core (sends' reverb/delay: bench_dsp_b)\n",
	       tracks + t_lim, (tracks + t_lim) / (1e9 / 48000.0) * 100.0);
	printf("(sink %g %g)\n", (double)out_l[3], (double)fl_truepeak_read(&tp));
	return 0;
}
