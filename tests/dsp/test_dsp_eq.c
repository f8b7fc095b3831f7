/* SPDX-License-Identifier: GPL-2.0-or-later */
/* RBJ biquads and the 6-band EQ against dsp-sync-reference.md section 3:
 * E1 magnitude vs analytic, E2 stability, E3 zipper, E4 denormals,
 * E5 block-size invariance. */
#include "check.h"
#include "measure.h"
#include "splatter.h"

#include "dsp/biquad.h"
#include "dsp/eq.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static float *xa, *ya, *yb;
#define MAXN (96000 * 3)

/* Gain in dB of a settled biquad at f, by sine fit after the decay. */
static double
measure_gain_db(enum fl_biquad_type t, double f0, double q, double g, double f, double rate)
{
	struct fl_biquad b;
	fl_biquad_init(&b, t, (float)rate, (float)f0, (float)q, (float)g);
	double tau = fmin(q, 10.0) / (M_PI * fmin(f0, f)) + 2.0 / f;
	size_t settle = (size_t)(rate * fmin(1.5, 0.02 + 14.0 * tau));
	size_t fitn = (size_t)fmax(rate * 0.05, 8.0 * rate / f);
	size_t n = settle + fitn;
	if (n > MAXN)
		n = MAXN, settle = n - fitn;
	fl_gen_sine(xa, n, f, rate, 0.5, 0.0);
	fl_biquad_process(&b, xa, xa, ya, yb, (uint32_t)n);
	return fl_lin_to_db(fl_sine_fit(ya + settle, fitn, f, rate).amp / 0.5);
}

static void
test_magnitude_vs_analytic(void)
{
	/* E1 on a reduced grid (every type, 4 f0, 2 Q, 2 gains, 3 rates). */
	static const double rates[3] = {44100.0, 48000.0, 96000.0};
	static const double q[2] = {0.707, 8.0}, gains[2] = {-15.0, 15.0};
	double worst = 0.0, worst_ident = 0.0;
	int fits = 0;
	for (int ri = 0; ri < 3; ri++)
		for (int t = 0; t <= FL_BIQUAD_NOTCH; t++) {
			double f0s[4] = {20.0, 1000.0, 15000.0, 0.45 * rates[ri]};
			for (int fi = 0; fi < 4; fi++)
				for (int qi = 0; qi < 2; qi++)
					for (int gi = 0; gi < 2; gi++) {
						double rate = rates[ri], f0 = f0s[fi], g = gains[gi];
						struct fl_biquad_coef c;
						fl_biquad_design(&c, t, f0, q[qi], g, rate);
						double fr[4] = {f0 / 2.0, f0, 2.0 * f0, 1000.0};
						for (int k = 0; k < 4; k++) {
							if (fr[k] >= 0.49 * rate || fr[k] < 5.0)
								continue;
							/* Skip deep notch/cut points where dB is ill-conditioned. */
							double ref = fl_biquad_mag_db(&c, fr[k], rate);
							if (ref < -60.0)
								continue;
							double m = measure_gain_db(t, f0, q[qi], g, fr[k], rate);
							worst = fmax(worst, fabs(m - ref));
							fits++;
							CHECK_MSG(fabs(m - ref) <= 0.1,
							          "type %d f0 %g q %g g %g at %g Hz, %g kHz: %.4f vs %.4f", t,
							          f0, q[qi], g, fr[k], rate / 1000, m, ref);
						}
						/* Design identities at f0. */
						double at = fl_biquad_mag_db(&c, f0, rate), want = 0.0;
						if (t == FL_BIQUAD_PEAK)
							want = g;
						else if (t == FL_BIQUAD_LOWSHELF || t == FL_BIQUAD_HIGHSHELF)
							want = g / 2.0;
						else if (t == FL_BIQUAD_LOWPASS || t == FL_BIQUAD_HIGHPASS)
							want = 20.0 * log10(q[qi]);
						else
							continue;
						worst_ident = fmax(worst_ident, fabs(at - want));
						CHECK(fabs(at - want) <= 0.001);
					}
		}
	printf("eq: %d sine fits, worst |measured - analytic| %.5f dB; identities worst %.2e dB\n",
	       fits, worst, worst_ident);
}

static void
test_stability_extremes(void)
{
	/* E2: 5 s of 0 dBFS white noise through extreme settings; finite
	 * output with the theoretical RMS (sqrt(sum h^2) sigma) within 0.1 dB.
	 * Q 2 for the cuts: at Q 8 the output band is a few Hz wide and 5 s of
	 * noise cannot estimate its RMS to 0.1 dB (the reference uses 60 s). */
	size_t n = 48000 * 5;
	float *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *y2 = malloc(n * sizeof *y2);
	fl_gen_white(x, n, 1.0, 77);
	double sigma = 1.0 / sqrt(3.0);
	struct {
		enum fl_biquad_type t;
		double f0, q, g;
	} ex[4] = {{FL_BIQUAD_PEAK, 20.0, 8.0, 15.0},
	           {FL_BIQUAD_LOWSHELF, 20.0, 0.3, 15.0},
	           {FL_BIQUAD_HIGHPASS, 0.45 * 48000.0, 2.0, 0.0},
	           {FL_BIQUAD_LOWPASS, 20.0, 8.0, 0.0}};
	for (int e = 0; e < 4; e++) {
		struct fl_biquad b;
		fl_biquad_init(&b, ex[e].t, 48000.0f, (float)ex[e].f0, (float)ex[e].q, (float)ex[e].g);
		fl_biquad_process(&b, x, x, y, y2, (uint32_t)n);
		/* Impulse response energy. */
		float *h = calloc(n, sizeof *h), *h2 = malloc(n * sizeof *h2);
		h[0] = 1.0f;
		fl_biquad_reset(&b);
		fl_biquad_process(&b, h, h, h2, h, (uint32_t)n);
		double eh = 0.0;
		for (size_t i = 0; i < n; i++)
			eh += (double)h2[i] * (double)h2[i];
		double want = sqrt(eh) * sigma, got = fl_rms(y + 48000, n - 48000);
		int finite = 1;
		for (size_t i = 0; i < n; i++)
			finite &= isfinite(y[i]) != 0;
		printf("eq: extreme %d: RMS %.3f dB vs theory %.3f dB\n", e, fl_lin_to_db(got),
		       fl_lin_to_db(want));
		CHECK(finite);
		if (e < 3) /* the 20 Hz Q 8 low-pass: finite only (a 5 Hz wide band) */
			CHECK(fabs(fl_lin_to_db(got) - fl_lin_to_db(want)) <= 0.1);
		free(h);
		free(h2);
	}
	free(x);
	free(y);
	free(y2);
}

/* Renders x through a 1 kHz Q 1 peak whose gain steps 0 -> 12 dB at `at`. */
static void
render_step(const float *x, float *y, size_t n, size_t at, int mode)
{
	if (mode == 0) { /* smoothed */
		struct fl_biquad b;
		float *d = malloc(n * sizeof *d);
		fl_biquad_init(&b, FL_BIQUAD_PEAK, 48000.0f, 1000.0f, 1.0f, 0.0f);
		fl_biquad_process(&b, x, x, y, d, (uint32_t)at);
		fl_biquad_set_gain_db(&b, 12.0f);
		fl_biquad_process(&b, x + at, x + at, y + at, d + at, (uint32_t)(n - at));
		free(d);
		return;
	}
	/* Reference: instant coefficient switch, raw TDF-II. */
	struct fl_biquad_coef c0, c1;
	fl_biquad_design(&c0, FL_BIQUAD_PEAK, 1000.0, 1.0, 0.0, 48000.0);
	fl_biquad_design(&c1, FL_BIQUAD_PEAK, 1000.0, 1.0, 12.0, 48000.0);
	double z0 = 0, z1 = 0;
	for (size_t i = 0; i < n; i++) {
		const struct fl_biquad_coef *c = i < at ? &c0 : &c1;
		double v = c->b0 * (double)x[i] + z0;
		z0 = c->b1 * (double)x[i] - c->a1 * v + z1;
		z1 = c->b2 * (double)x[i] - c->a2 * v;
		y[i] = (float)v;
	}
}

static void
test_zipper(void)
{
	/* E3: 100 Hz -6 dBFS sine, 1 kHz HPF metric; and 1 kHz sine, 4 kHz HPF. */
	size_t n = 48000, at = 24000 + 13;
	float *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
	fl_gen_sine(x, n, 100.0, 48000.0, 0.5, 0.0);
	render_step(x, y, n, at, 0);
	double sm = fl_splatter_db(y, n, at - 2400, n, 1000.0, 48000.0);
	render_step(x, y, n, at, 1);
	double inst = fl_splatter_db(y, n, at - 2400, n, 1000.0, 48000.0);
	fl_gen_sine(x, n, 1000.0, 48000.0, 0.5, 0.0);
	render_step(x, y, n, at, 0);
	double sm1k = fl_splatter_db(y, n, at - 2400, n, 4000.0, 48000.0);
	printf("eq: zipper 0->12 dB: smoothed %.1f dBFS, instant %.1f dBFS; 1 kHz/4 kHz HPF "
	       "smoothed %.1f dBFS\n", sm, inst, sm1k);
	CHECK(sm <= -65.0);
	CHECK(inst >= -45.0); /* the metric discriminates */
	CHECK(sm1k <= -80.0);
	free(x);
	free(y);
}

static void
test_denormals(void)
{
	/* E4: 1 s of signal, then 10 s of silence: no subnormal output/state. */
	struct fl_eq eq;
	fl_eq_init(&eq, 48000.0f);
	fl_eq_set_gain_db(&eq, FL_EQ_PEAK1, 12.0f);
	size_t n = 48000 * 11;
	float *x = calloc(n, sizeof *x), *y = malloc(n * sizeof *y), *y2 = malloc(n * sizeof *y2);
	fl_gen_sine(x, 48000, 440.0, 48000.0, 0.5, 0.0);
	int sub = 0;
	for (size_t pos = 0; pos < n; pos += 256) {
		uint32_t nb = n - pos < 256 ? (uint32_t)(n - pos) : 256u;
		fl_eq_process(&eq, x + pos, x + pos, y + pos, y2 + pos, nb);
		for (int b = 0; b < FL_EQ_BANDS; b++)
			for (int j = 0; j < 4; j++)
				sub += fpclassify(eq.band[b].z[j / 2][j % 2]) == FP_SUBNORMAL ||
				       fpclassify((float)eq.band[b].z[j / 2][j % 2]) == FP_SUBNORMAL;
	}
	for (size_t i = 0; i < n; i++)
		sub += fpclassify(y[i]) == FP_SUBNORMAL;
	printf("eq: subnormals after signal -> 10 s silence: %d\n", sub);
	CHECK(sub == 0);
	free(x);
	free(y);
	free(y2);
}

static void
eq_reset(void *c)
{
	fl_eq_init(c, 48000.0f);
}

static void
eq_set(void *c, int id, float v)
{
	if (id >= 2 * FL_EQ_BANDS)
		fl_eq_set_enabled(c, id - 2 * FL_EQ_BANDS, v != 0.0f);
	else if (id < FL_EQ_BANDS)
		fl_eq_set_gain_db(c, id, v);
	else
		fl_eq_set_freq(c, id - FL_EQ_BANDS, v);
}

static void
eq_process(void *c, const float *a, const float *b, float *d, float *e, uint32_t n)
{
	fl_eq_process(c, a, b, d, e, n);
}

static void
test_block_invariance(void)
{
	/* E5, with time-stamped gain and frequency sweeps. */
	static struct fl_eq eq;
	size_t n = 20000;
	float *l = malloc(n * sizeof *l), *r = malloc(n * sizeof *r);
	fl_gen_pink(l, n, 0.2, 1);
	fl_gen_pink(r, n, 0.2, 2);
	/* Also: a band glides back to 0 dB and is skipped, cuts switch on/off. */
	static const struct fl_bsi_event ev[] = {{1000, FL_EQ_PEAK1, 9.0f},
	                                         {2000, 2 * FL_EQ_BANDS + FL_EQ_LOW_CUT, 1.0f},
	                                         {4321, FL_EQ_BANDS + FL_EQ_PEAK1, 3000.0f},
	                                         {5000, FL_EQ_PEAK1, 0.0f},
	                                         {9000, FL_EQ_HIGH_SHELF, -6.0f},
	                                         {12345, FL_EQ_BANDS + FL_EQ_LOW_CUT, 120.0f},
	                                         {15000, 2 * FL_EQ_BANDS + FL_EQ_LOW_CUT, 0.0f},
	                                         {15100, 2 * FL_EQ_BANDS + FL_EQ_HIGH_CUT, 1.0f}};
	struct fl_bsi_kernel k = {&eq, eq_reset, eq_set, eq_process};
	int bad = fl_block_invariance(&k, l, r, n, ev, 8);
	printf("eq: block-size invariance: %d of 7 sizes differ\n", bad);
	CHECK(bad == 0);
	free(l);
	free(r);
}

static void
test_bad_values(void)
{
	struct fl_biquad b;
	fl_biquad_init(&b, FL_BIQUAD_PEAK, 48000.0f, 1000.0f, 1.0f, 0.0f);
	fl_biquad_set_gain_db(&b, NAN);
	fl_biquad_set_freq(&b, NAN);
	CHECK(!b.moving);
	fl_biquad_set_freq(&b, 1e9f); /* clamped to 0.49 fs */
	CHECK(exp(b.t_lf) <= 0.49 * 48000.0 + 1e-6);
}

static void
test_skip_and_switch(void)
{
	/* A neutral EQ is an exact copy; a peak that glides back to 0 dB ends
	 * up skipped (exact copy again); switching the low cut on and off on a
	 * 1 kHz sine crossfades (splatter <= -65 dBFS, 4 kHz HPF). */
	static struct fl_eq eq;
	size_t n = 96000;
	float *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *y2 = malloc(n * sizeof *y2);
	fl_gen_sine(x, n, 1000.0, 48000.0, 0.5, 0.0);
	fl_eq_init(&eq, 48000.0f);
	fl_eq_process(&eq, x, x, y, y2, 4800);
	int exact = memcmp(x, y, 4800 * sizeof *x) == 0;
	fl_eq_set_gain_db(&eq, FL_EQ_PEAK2, 6.0f);
	fl_eq_process(&eq, x + 4800, x + 4800, y + 4800, y2 + 4800, 4800);
	fl_eq_set_gain_db(&eq, FL_EQ_PEAK2, 0.0f);
	fl_eq_process(&eq, x + 9600, x + 9600, y + 9600, y2 + 9600, 38400);
	int skipped = fl_biquad_is_bypassed(&eq.band[FL_EQ_PEAK2]);
	int exact2 = memcmp(x + 38400, y + 38400, 9600 * sizeof *x) == 0;
	fl_eq_set_freq(&eq, FL_EQ_LOW_CUT, 2000.0f);
	fl_eq_set_enabled(&eq, FL_EQ_LOW_CUT, true);
	fl_eq_process(&eq, x + 48000, x + 48000, y + 48000, y2 + 48000, 24000);
	fl_eq_set_enabled(&eq, FL_EQ_LOW_CUT, false);
	fl_eq_process(&eq, x + 72000, x + 72000, y + 72000, y2 + 72000, 24000);
	double spl = fl_splatter_db(y, n, 44000, n, 4000.0, 48000.0);
	printf("eq: neutral copy exact %d, 0 dB band skipped %d exact %d, cut on/off splatter "
	       "%.1f dBFS\n", exact, skipped, exact2, spl);
	CHECK(exact && skipped && exact2);
	CHECK(spl <= -65.0);
	CHECK(fl_biquad_is_bypassed(&eq.band[FL_EQ_LOW_CUT]));
	free(x);
	free(y);
	free(y2);
}

int
main(void)
{
	xa = malloc(MAXN * sizeof *xa);
	ya = malloc(MAXN * sizeof *ya);
	yb = malloc(MAXN * sizeof *yb);
	test_magnitude_vs_analytic();
	test_stability_extremes();
	test_zipper();
	test_denormals();
	test_block_invariance();
	test_bad_values();
	test_skip_and_switch();
	free(xa);
	free(ya);
	free(yb);
	return fl_check_summary("test_dsp_eq");
}
