/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Compressor against dsp-sync-reference.md section 2, tests C1-C7, plus
 * zipper, block-size invariance, NaN recovery and denormals. */
#include "check.h"
#include "measure.h"
#include "rt_guard.h"
#include "splatter.h"

#include "dsp/compressor.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RATE 48000.0
static struct fl_comp comp;

static void
render(float *l, float *r, float *ol, float *or_, size_t n)
{
	fl_rt_guard_enter();
	for (size_t pos = 0; pos < n; pos += 64) {
		uint32_t m = (uint32_t)(n - pos < 64 ? n - pos : 64);
		fl_comp_process(&comp, l + pos, r + pos, ol + pos, or_ + pos, m);
	}
	fl_rt_guard_leave();
}

/* Analytic gain computer in double. */
static double
gc_ref(double x, double t, double r, double w)
{
	double s = isinf(r) ? 1.0 : 1.0 - 1.0 / r;
	if (2.0 * (x - t) < -w)
		return x;
	if (2.0 * fabs(x - t) <= w && w > 0.0)
		return x - s * (x - t + w / 2) * (x - t + w / 2) / (2.0 * w);
	return x - s * (x - t);
}

static void
test_static_curve(void)
{
	/* C1: the pure function within 1e-4 dB; the kernel's steady gain on a
	 * constant |x| (DC) within 0.01 dB, -60..0 dB, knees 0/12, ratios
	 * 2/4/10/inf. */
	static const float ratios[4] = {2.0f, 4.0f, 10.0f, INFINITY};
	static const float knees[2] = {0.0f, 12.0f};
	double worst_fn = 0.0, worst_k = 0.0;
	size_t n = 9600;
	float *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *y2 = malloc(n * sizeof *y2);
	for (int ri = 0; ri < 4; ri++)
		for (int ki = 0; ki < 2; ki++)
			for (int db = -60; db <= 0; db++) {
				double ref = gc_ref(db, -30.0, ratios[ri], knees[ki]);
				double fn = fl_comp_gain_computer((float)db, -30.0f, ratios[ri], knees[ki]);
				worst_fn = fmax(worst_fn, fabs(fn - ref));
				fl_comp_init(&comp, (float)RATE);
				fl_comp_set_threshold_db(&comp, -30.0f);
				fl_comp_set_ratio(&comp, ratios[ri]);
				fl_comp_set_knee_db(&comp, knees[ki]);
				fl_comp_reset(&comp);
				for (size_t i = 0; i < n; i++)
					x[i] = (float)pow(10.0, db / 20.0) * (i % 7 < 3 ? 1.0f : -1.0f);
				render(x, x, y, y2, n);
				double g = 20.0 * log10(fabs((double)y[n - 1] / (double)x[n - 1]));
				worst_k = fmax(worst_k, fabs(g - (ref - db)));
			}
	printf("comp: static curve: function max error %.2e dB, kernel max error %.2e dB\n",
	       worst_fn, worst_k);
	CHECK(worst_fn <= 1e-4);
	CHECK(worst_k <= 0.01);
	free(x);
	free(y);
	free(y2);
}

static void
test_knee_continuity(void)
{
	/* C2: at T +- W/2 the value is continuous and the one-sided slopes
	 * agree (float: value jump limited by the float ulp at 30 dB, 2e-6). */
	double worst_v = 0.0, worst_d = 0.0;
	for (int e = 0; e < 2; e++) {
		float b = -30.0f + (e ? 6.0f : -6.0f), h = 0.01f, eps = 1e-4f;
		float f0 = fl_comp_gain_computer(b, -30.0f, 4.0f, 12.0f);
		float fl = fl_comp_gain_computer(b - h, -30.0f, 4.0f, 12.0f);
		float fr = fl_comp_gain_computer(b + h, -30.0f, 4.0f, 12.0f);
		double dl = ((double)f0 - (double)fl) / (double)h, dr = ((double)fr - (double)f0) / (double)h;
		double vj = fabs((double)fl_comp_gain_computer(b + eps, -30.0f, 4.0f, 12.0f) -
		                 (double)fl_comp_gain_computer(b - eps, -30.0f, 4.0f, 12.0f) -
		                 2.0 * (double)eps * (dl + dr) / 2.0);
		worst_v = fmax(worst_v, vj);
		worst_d = fmax(worst_d, fabs(dl - dr));
	}
	printf("comp: knee: slope jump %.2e dB/dB, value jump %.2e dB\n", worst_d, worst_v);
	CHECK(worst_d < 1e-3);
	CHECK(worst_v < 1e-5);
}

/* Renders a DC level step lo -> hi -> lo and returns the reduction trace
 * (dB, >= 0) in gr[0..n). */
static void
gr_trace(double lo_db, double hi_db, size_t on, size_t off, double *gr, size_t n)
{
	float *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *y2 = malloc(n * sizeof *y2);
	for (size_t i = 0; i < n; i++)
		x[i] = (float)pow(10.0, (i >= on && i < off ? hi_db : lo_db) / 20.0);
	render(x, x, y, y2, n);
	for (size_t i = 0; i < n; i++)
		gr[i] = -20.0 * log10((double)y[i] / (double)x[i]);
	free(x);
	free(y);
	free(y2);
}

/* Samples from `from` until gr crosses 63.2 % of the way to its end value. */
static double
tau_ms(const double *gr, size_t from, size_t to)
{
	double a = gr[from - 1], b = gr[to - 1], lvl = a + 0.632 * (b - a);
	size_t i = from;
	while (i < to && (b > a ? gr[i] < lvl : gr[i] > lvl))
		i++;
	/* linear interpolation between samples */
	double frac = (lvl - gr[i - 1]) / (gr[i] - gr[i - 1]);
	return ((double)(i - from) + frac) / RATE * 1000.0;
}

static void
test_ballistics(void)
{
	/* C3: branching, GR 0 -> 10 dB and back: tau_A, tau_R within 5 %.
	 * C4: the release tau at 6 and 20 dB of GR agree within 5 %. */
	size_t n = 96000 * 2, on = 24000, off = 72000;
	double *gr = malloc(n * sizeof *gr);
	double rel[3];
	static const double depth[3] = {10.0, 6.0, 20.0};
	for (int d = 0; d < 3; d++) {
		fl_comp_init(&comp, (float)RATE);
		fl_comp_set_detector(&comp, FL_COMP_BRANCHING);
		fl_comp_set_knee_db(&comp, 0.0f);
		fl_comp_set_threshold_db(&comp, -40.0f);
		fl_comp_set_ratio(&comp, 4.0f);
		fl_comp_set_attack_ms(&comp, 10.0f);
		fl_comp_set_release_ms(&comp, 150.0f);
		fl_comp_reset(&comp);
		gr_trace(-50.0, -40.0 + depth[d] / 0.75, on, off, gr, n);
		double ta = tau_ms(gr, on, off);
		rel[d] = tau_ms(gr, off, n);
		printf("comp: GR 0 -> %2.0f dB: attack tau %.3f ms (10), release tau %.2f ms (150), "
		       "peak GR %.3f dB\n", depth[d], ta, rel[d], gr[off - 1]);
		if (d == 0) {
			CHECK(fabs(ta - 10.0) <= 0.5 + 1000.0 / RATE);
			CHECK(fabs(rel[d] - 150.0) <= 7.5 + 1000.0 / RATE);
		}
	}
	CHECK(fabs(rel[1] - rel[2]) <= 0.05 * rel[1]);
	free(gr);
}

static void
test_distortion(void)
{
	/* C5: sine 10 dB over T = -30 (R 4, knee 6, attack 10, release 100),
	 * THD+N over the last second. */
	static const double f[2] = {1000.0, 100.0};
	static const double lim_dec[2] = {-90.0, -60.0}, lim_br[2] = {-60.0, -40.0};
	size_t n = 96000;
	float *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *y2 = malloc(n * sizeof *y2);
	for (int det = 0; det < 2; det++)
		for (int fi = 0; fi < 2; fi++) {
			fl_gen_sine(x, n, f[fi], RATE, pow(10.0, -20.0 / 20.0), 0.0);
			fl_comp_init(&comp, (float)RATE);
			fl_comp_set_detector(&comp, det ? FL_COMP_BRANCHING : FL_COMP_DECOUPLED);
			fl_comp_set_threshold_db(&comp, -30.0f);
			fl_comp_set_release_ms(&comp, 100.0f);
			fl_comp_reset(&comp);
			render(x, x, y, y2, n);
			double t = fl_thdn_db(y + 48000, 48000, f[fi], RATE);
			printf("comp: THD+N %s %4.0f Hz: %.1f dB\n", det ? "branching" : "decoupled", f[fi], t);
			CHECK(t <= (det ? lim_br[fi] : lim_dec[fi]));
		}
	free(x);
	free(y);
	free(y2);
}

static void
test_link_mix_readout(void)
{
	/* C6: L overloaded only, R gets the same gain. C7: mix 0 is a copy.
	 * The readout reports the deepest reduction. */
	size_t n = 48000;
	float *l = malloc(n * sizeof *l), *r = malloc(n * sizeof *r);
	float *ol = malloc(n * sizeof *ol), *or_ = malloc(n * sizeof *or_);
	fl_gen_sine(l, n, 440.0, RATE, 0.9, 0.0);
	fl_gen_sine(r, n, 300.0, RATE, 0.01, 0.0);
	fl_comp_init(&comp, (float)RATE);
	render(l, r, ol, or_, n);
	int bad = 0;
	for (size_t i = 0; i < n; i++)
		if (fabsf(l[i]) > 1e-3f && fabsf(r[i]) > 1e-4f)
			bad += fabs((double)ol[i] / (double)l[i] - (double)or_[i] / (double)r[i]) > 1e-6;
	float gr = fl_comp_read_gain_reduction_db(&comp), gr2 = fl_comp_read_gain_reduction_db(&comp);
	double expect = gc_ref(fl_lin_to_db(0.9), -20.0, 4.0, 6.0) - fl_lin_to_db(0.9);
	printf("comp: link: %d samples with gL != gR; readout %.2f dB (static %.2f), then %.2f\n", bad,
	       (double)gr, expect, (double)gr2);
	CHECK(bad == 0);
	CHECK(fabs((double)gr - expect) < 0.5 && gr2 == 0.0f);
	fl_comp_init(&comp, (float)RATE);
	fl_comp_set_mix(&comp, 0.0f);
	fl_comp_reset(&comp);
	render(l, r, ol, or_, n);
	int exact = memcmp(l, ol, n * sizeof *l) == 0 && memcmp(r, or_, n * sizeof *r) == 0;
	printf("comp: mix 0 exact copy: %d\n", exact);
	CHECK(exact);
	free(l);
	free(r);
	free(ol);
	free(or_);
}

static void
test_zipper(void)
{
	/* Makeup 0 -> +12 dB and threshold -10 -> -30 dB, mix 1 -> 0.5, each
	 * requested as a step on a 100 Hz -6 dBFS sine: splatter (1 kHz HPF)
	 * <= -65 dBFS. */
	size_t n = 96000;
	float *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *y2 = malloc(n * sizeof *y2);
	fl_gen_sine(x, n, 100.0, RATE, 0.5, 0.0);
	fl_comp_init(&comp, (float)RATE);
	fl_comp_set_threshold_db(&comp, -10.0f);
	fl_comp_reset(&comp);
	render(x, x, y, y2, 24000);
	fl_comp_set_makeup_db(&comp, 12.0f);
	render(x + 24000, x + 24000, y + 24000, y2 + 24000, 24000);
	fl_comp_set_threshold_db(&comp, -30.0f);
	render(x + 48000, x + 48000, y + 48000, y2 + 48000, 24000);
	fl_comp_set_mix(&comp, 0.5f);
	render(x + 72000, x + 72000, y + 72000, y2 + 72000, 24000);
	double s = fl_splatter_db(y, n, 20000, n, 1000.0, RATE);
	printf("comp: makeup/threshold/mix steps on 100 Hz: splatter %.1f dBFS\n", s);
	CHECK(s <= -65.0);
	free(x);
	free(y);
	free(y2);
}

static void
c_reset(void *c)
{
	fl_comp_init(c, (float)RATE);
}

static void
c_set(void *c, int id, float v)
{
	switch (id) {
	case 0: fl_comp_set_threshold_db(c, v); break;
	case 1: fl_comp_set_ratio(c, v); break;
	case 2: fl_comp_set_attack_ms(c, v); break;
	case 3: fl_comp_set_detector(c, FL_COMP_BRANCHING); break;
	default: fl_comp_set_mix(c, v); break;
	}
}

static void
c_process(void *c, const float *a, const float *b, float *d, float *e, uint32_t n)
{
	fl_comp_process(c, a, b, d, e, n);
}

static void
test_block_nan_denormals(void)
{
	size_t n = 30000;
	float *l = malloc(n * sizeof *l), *r = malloc(n * sizeof *r);
	fl_gen_pink(l, n, 0.3, 7);
	fl_gen_pink(r, n, 0.3, 8);
	static const struct fl_bsi_event ev[] = {
		{2000, 0, -35.0f}, {5001, 1, 8.0f}, {9000, 2, 1.0f}, {12000, 3, 0.0f}, {20000, 4, 0.3f}};
	struct fl_bsi_kernel k = {&comp, c_reset, c_set, c_process};
	int bad = fl_block_invariance(&k, l, r, n, ev, 5);
	printf("comp: block-size invariance: %d of 7 sizes differ\n", bad);
	CHECK(bad == 0);
	/* NaN/Inf burst, then signal -> 10 s silence. */
	size_t m = 48000 * 11;
	float *x = calloc(m, sizeof *x), *y = malloc(m * sizeof *y), *y2 = malloc(m * sizeof *y2);
	fl_gen_sine(x, 48000, 1000.0, RATE, 0.8, 0.0);
	for (size_t i = 1000; i < 1010; i++)
		x[i] = i % 2 ? NAN : INFINITY;
	fl_comp_init(&comp, (float)RATE);
	render(x, x, y, y2, m);
	int fin = 1, sub = 0;
	for (size_t i = 0; i < m; i++) {
		fin &= isfinite(y[i]) != 0;
		sub += fpclassify(y[i]) == FP_SUBNORMAL;
	}
	sub += fpclassify(comp.yl) == FP_SUBNORMAL || fpclassify(comp.y1) == FP_SUBNORMAL;
	printf("comp: NaN burst: all output finite %d; subnormals after 10 s silence %d, GR %g dB\n", fin,
	       sub, (double)comp.yl);
	CHECK(fin);
	CHECK(sub == 0 && comp.yl == 0.0f);
	free(x);
	free(y);
	free(y2);
	free(l);
	free(r);
}

int
main(void)
{
	test_static_curve();
	test_knee_continuity();
	test_ballistics();
	test_distortion();
	test_link_mix_readout();
	test_zipper();
	test_block_nan_denormals();
	return fl_check_summary("test_dsp_compressor");
}
