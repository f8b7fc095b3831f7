/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Simper SVF: magnitude vs the analytic bilinear (RBJ) responses, stability
 * at high resonance under fast sweeps, zipper on cutoff/Q/mode changes,
 * block-size invariance, NaN recovery, denormals. */
#include "check.h"
#include "measure.h"
#include "rt_guard.h"
#include "splatter.h"

#include "dsp/biquad.h"
#include "dsp/svf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RATE 48000.0
static struct fl_svf svf;

static void
render(const float *l, const float *r, float *ol, float *or_, size_t n)
{
	fl_rt_guard_enter();
	for (size_t pos = 0; pos < n; pos += 64) {
		uint32_t m = (uint32_t)(n - pos < 64 ? n - pos : 64);
		fl_svf_process(&svf, l + pos, r + pos, ol + pos, or_ + pos, m);
	}
	fl_rt_guard_leave();
}

static void
test_magnitude(void)
{
	static const enum fl_svf_mode modes[3] = {FL_SVF_LOWPASS, FL_SVF_BANDPASS, FL_SVF_HIGHPASS};
	static const enum fl_biquad_type ref[3] = {FL_BIQUAD_LOWPASS, FL_BIQUAD_BANDPASS,
	                                            FL_BIQUAD_HIGHPASS};
	static const double f0s[4] = {100.0, 1000.0, 5000.0, 15000.0}, qs[3] = {0.7071, 2.0, 8.0};
	static const double mul[3] = {0.5, 1.0, 2.0};
	size_t n = 48000;
	float *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *y2 = malloc(n * sizeof *y2);
	double worst = 0.0;
	for (int m = 0; m < 3; m++)
		for (int fi = 0; fi < 4; fi++)
			for (int qi = 0; qi < 3; qi++) {
				struct fl_biquad_coef c;
				fl_biquad_design(&c, ref[m], f0s[fi], qs[qi], 0.0, RATE);
				for (int k = 0; k < 3; k++) {
					double f = f0s[fi] * mul[k];
					fl_gen_sine(x, n, f, RATE, 0.5, 0.0);
					fl_svf_init(&svf, (float)RATE, modes[m], (float)f0s[fi], (float)qs[qi]);
					render(x, x, y, y2, n);
					double g = fl_lin_to_db(fl_sine_fit(y + 24000, 24000, f, RATE).amp / 0.5);
					double e = fabs(g - fl_biquad_mag_db(&c, f, RATE));
					worst = fmax(worst, e);
					CHECK_MSG(e <= 0.02, "mode %d f0 %.0f Q %.2f at %.0f Hz: %.4f dB off", m,
					          f0s[fi], qs[qi], f, e);
				}
			}
	printf("svf: magnitude vs analytic (LP/BP/HP, 4 f0, 3 Q, f0/2..2f0): worst %.4f dB\n", worst);
	free(x);
	free(y);
	free(y2);
}

static void
test_sweep_stability(void)
{
	/* Q 25, cutoff swept 20 Hz <-> 20 kHz by a 10 Hz LFO (set every 16
	 * frames), full-scale white noise, 5 s: finite and bounded. */
	size_t n = 240000;
	float *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *y2 = malloc(n * sizeof *y2);
	fl_gen_white(x, n, 1.0, 42);
	fl_svf_init(&svf, (float)RATE, FL_SVF_LOWPASS, 1000.0f, 25.0f);
	for (size_t pos = 0; pos < n; pos += 16) {
		double u = 0.5 + 0.5 * sin(2.0 * M_PI * 10.0 * (double)pos / RATE);
		fl_svf_set_cutoff(&svf, (float)(20.0 * pow(1000.0, u)));
		fl_svf_process(&svf, x + pos, x + pos, y + pos, y2 + pos, 16);
	}
	int fin = 1;
	for (size_t i = 0; i < n; i++)
		fin &= isfinite(y[i]) != 0;
	double pk = fl_peak(y, n);
	printf("svf: Q 25 swept 20 Hz-20 kHz at 10 Hz on noise: finite %d, peak %.1f (Q x input)\n", fin,
	       pk);
	CHECK(fin && pk < 40.0);
	free(x);
	free(y);
	free(y2);
}

static void
test_zipper(void)
{
	/* 100 Hz -6 dBFS sine through a low-pass: cutoff 500 -> 3000 Hz, Q 0.7
	 * -> 4, then mode LP -> BP (cutoff at 100 Hz first): splatter <= -65
	 * dBFS through the 1 kHz HPF. */
	size_t n = 144000;
	float *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *y2 = malloc(n * sizeof *y2);
	fl_gen_sine(x, n, 100.0, RATE, 0.5, 0.0);
	fl_svf_init(&svf, (float)RATE, FL_SVF_LOWPASS, 500.0f, 0.7071f);
	render(x, x, y, y2, 24000);
	fl_svf_set_cutoff(&svf, 3000.0f);
	render(x + 24000, x + 24000, y + 24000, y2 + 24000, 24000);
	fl_svf_set_q(&svf, 4.0f);
	render(x + 48000, x + 48000, y + 48000, y2 + 48000, 24000);
	fl_svf_set_cutoff(&svf, 100.0f);
	fl_svf_set_q(&svf, 0.7071f);
	render(x + 72000, x + 72000, y + 72000, y2 + 72000, 36000);
	fl_svf_set_mode(&svf, FL_SVF_BANDPASS);
	render(x + 108000, x + 108000, y + 108000, y2 + 108000, 36000);
	double s = fl_splatter_db(y, n, 20000, n, 1000.0, RATE);
	printf("svf: cutoff/Q/mode steps on a 100 Hz sine: splatter %.1f dBFS (%.1f %.1f %.1f %.1f)\n",
	       s, fl_splatter_db(y, n, 20000, 48000, 1000.0, RATE),
	       fl_splatter_db(y, n, 48000, 72000, 1000.0, RATE),
	       fl_splatter_db(y, n, 72000, 108000, 1000.0, RATE),
	       fl_splatter_db(y, n, 108000, n, 1000.0, RATE));
	CHECK(s <= -65.0);
	free(x);
	free(y);
	free(y2);
}

static void
s_reset(void *c)
{
	fl_svf_init(c, (float)RATE, FL_SVF_LOWPASS, 800.0f, 2.0f);
}

static void
s_set(void *c, int id, float v)
{
	if (id == 0)
		fl_svf_set_cutoff(c, v);
	else if (id == 1)
		fl_svf_set_q(c, v);
	else
		fl_svf_set_mode(c, (enum fl_svf_mode)(int)v);
}

static void
s_process(void *c, const float *a, const float *b, float *d, float *e, uint32_t n)
{
	fl_svf_process(c, a, b, d, e, n);
}

static void
test_block_nan_denormals(void)
{
	size_t n = 30000;
	float *l = malloc(n * sizeof *l), *r = malloc(n * sizeof *r);
	fl_gen_pink(l, n, 0.3, 1);
	fl_gen_pink(r, n, 0.3, 2);
	static const struct fl_bsi_event ev[] = {
		{1000, 0, 4000.0f}, {5003, 1, 10.0f}, {9000, 2, 2.0f}, {15000, 0, 200.0f}};
	struct fl_bsi_kernel k = {&svf, s_reset, s_set, s_process};
	int bad = fl_block_invariance(&k, l, r, n, ev, 4);
	printf("svf: block-size invariance: %d of 7 sizes differ\n", bad);
	CHECK(bad == 0);
	size_t m = 48000 * 11;
	float *x = calloc(m, sizeof *x), *y = malloc(m * sizeof *y), *y2 = malloc(m * sizeof *y2);
	fl_gen_sine(x, 48000, 440.0, RATE, 0.5, 0.0);
	x[1000] = NAN;
	x[1001] = INFINITY;
	fl_svf_init(&svf, (float)RATE, FL_SVF_BANDPASS, 440.0f, 10.0f);
	render(x, x, y, y2, m);
	int sub = 0, fin_after = 1;
	for (size_t i = 0; i < m; i++) {
		sub += fpclassify(y[i]) == FP_SUBNORMAL;
		if (i >= 1088)
			fin_after &= isfinite(y[i]) != 0;
	}
	for (int j = 0; j < 4; j++)
		sub += fpclassify(svf.s[j / 2][j % 2]) == FP_SUBNORMAL;
	printf("svf: NaN burst: finite again from the next 64-frame block %d; subnormals after 10 s "
	       "silence %d\n", fin_after, sub);
	CHECK(fin_after && sub == 0);
	free(x);
	free(y);
	free(y2);
	free(l);
	free(r);
}

int
main(void)
{
	test_magnitude();
	test_sweep_stability();
	test_zipper();
	test_block_nan_denormals();
	return fl_check_summary("test_dsp_svf");
}
