/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Master limiter dynamics (dsp-sync-reference.md section 1): L4 attack, L5
 * gain smoothness, L6 release, L7 distortion, L8 link, L9 robustness
 * (NaN, denormals, block-size invariance), L10 ceiling change. */
#include "check.h"
#include "measure.h"
#include "splatter.h"

#include "dsp/limiter.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RATE 48000.0
static const double ceil_lin = 0.89125093813374556;

static struct fl_limiter lim;

static void
render(float *l, float *r, float *ol, float *or_, float *g, size_t n)
{
	for (size_t pos = 0; pos < n; pos += 64) {
		uint32_t m = (uint32_t)(n - pos < 64 ? n - pos : 64);
		lim.gain_trace = g ? g + pos : NULL;
		fl_limiter_process(&lim, l + pos, r + pos, ol + pos, or_ + pos, m);
	}
	lim.gain_trace = NULL;
}

static void
test_attack_within_lookahead(void)
{
	/* L4: -20 dBFS -> ceiling + 20 dB at an odd phase: no sample over. */
	size_t n = 24000;
	float *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *y2 = malloc(n * sizeof *y2);
	for (size_t i = 0; i < n; i++)
		x[i] = (float)((i < 12000 ? 0.1 : ceil_lin * 10.0) * sin(0.1309 * (double)i + 0.7));
	CHECK(fl_limiter_init(&lim, 48000.0f, 1.0f) == FL_OK);
	render(x, x, y, y2, NULL, n);
	double p = fl_peak(y, n);
	printf("limiter: step +20 dB over: max sample %+.5f dB vs ceiling\n", fl_lin_to_db(p / ceil_lin));
	CHECK(p <= ceil_lin * (1.0 + 1e-6));
	free(x);
	free(y);
	free(y2);
}

static void
test_gain_smoothness_and_release(void)
{
	/* L5 and L6: a 1 kHz burst 6 dB over, then silence; hold 10 ms. */
	size_t n = 48000, end = 24000;
	float *x = calloc(n, sizeof *x), *y = malloc(n * sizeof *y), *g = malloc(n * sizeof *g);
	fl_gen_burst(x, end, 1000.0, RATE, 0.0, 2.0 * ceil_lin, 4800, end);
	CHECK(fl_limiter_init(&lim, 48000.0f, 1.0f) == FL_OK);
	render(x, x, y, y, g, n);
	double gmin = 1.0, maxstep = 0.0;
	size_t imin = 0;
	for (size_t i = 1; i < n; i++) {
		if ((double)g[i] < gmin) {
			gmin = g[i];
			imin = i;
		}
		maxstep = fmax(maxstep, fabs((double)g[i] - (double)g[i - 1]));
	}
	/* The deepest reduction is reached during the burst's first cycles. */
	double depth = 1.0 - gmin;
	double allowed = depth / ((double)lim.attack / 2.0);
	printf("limiter: max gain step %.5f, allowed %.5f (depth %.3f, A = %u)\n", maxstep, allowed,
	       depth, lim.attack);
	CHECK(maxstep <= allowed);
	int rose = 0;
	for (size_t i = 4800; i < 4800 + lim.latency && i < imin; i++)
		rose |= g[i + 1] > g[i];
	CHECK(!rose);
	/* Release: gain starts rising after the hold; find the 63 % point. */
	size_t start = end;
	while (start < n && (double)g[start] <= (double)g[end] + 1e-7)
		start++;
	double from = g[start - 1], target = from + 0.632 * (1.0 - from);
	size_t t63 = start;
	while (t63 < n && (double)g[t63] < target)
		t63++;
	double tau_ms = (double)(t63 - start + 1) / RATE * 1000.0;
	printf("limiter: release 63%% after %.2f ms (set 50 ms), hold ended %.2f ms after the burst\n",
	       tau_ms, (double)(start - end) / RATE * 1000.0);
	CHECK(fabs(tau_ms - 50.0) <= 5.0);
	free(x);
	free(y);
	free(g);
}

static void
test_thdn(void)
{
	/* L7: sine at ceiling + 6 dB, defaults; also recorded with hold 0. */
	static const double freqs[3] = {40.0, 100.0, 1000.0};
	size_t n = 96000;
	float *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *y2 = malloc(n * sizeof *y2);
	for (int h = 0; h < 2; h++)
		for (int f = 0; f < 3; f++) {
			fl_gen_sine(x, n, freqs[f], RATE, 2.0 * ceil_lin, 0.0);
			CHECK(fl_limiter_init(&lim, 48000.0f, 1.0f) == FL_OK);
			fl_limiter_set_hold_ms(&lim, h ? 0.0f : 10.0f);
			render(x, x, y, y2, NULL, n);
			double t = fl_thdn_db(y + 48000, 48000, freqs[f], RATE);
			printf("limiter: THD+N %4.0f Hz at 6 dB GR, hold %2d ms: %.1f dB\n", freqs[f],
			       h ? 0 : 10, t);
			if (!h)
				CHECK(t <= -80.0);
		}
	free(x);
	free(y);
	free(y2);
}

static void
test_stereo_link(void)
{
	/* L8: overload on L only; R is scaled by exactly the same gain. */
	size_t n = 9600;
	float *l = malloc(n * sizeof *l), *r = malloc(n * sizeof *r), *ol = malloc(n * sizeof *ol);
	float *or_ = malloc(n * sizeof *or_), *g = malloc(n * sizeof *g);
	fl_gen_sine(l, n, 440.0, RATE, 3.0, 0.0);
	fl_gen_sine(r, n, 300.0, RATE, 0.1, 0.0);
	CHECK(fl_limiter_init(&lim, 48000.0f, 1.0f) == FL_OK);
	render(l, r, ol, or_, g, n);
	uint32_t L = lim.latency;
	int bad = 0;
	for (size_t i = L; i < n; i++)
		bad += or_[i] != g[i] * r[i - L] || ol[i] != g[i] * l[i - L];
	printf("limiter: stereo link, %d samples with gL != gR; R reduced to %.2f dB\n", bad,
	       fl_lin_to_db(fl_peak(or_ + n / 2, n / 2) / 0.1));
	CHECK(bad == 0);
	CHECK(fl_peak(or_ + n / 2, n / 2) < 0.05);
	free(l);
	free(r);
	free(ol);
	free(or_);
	free(g);
}

static void
test_nan_and_denormals(void)
{
	/* L9: a 10-sample NaN/Inf burst; finite output at once, normal gain
	 * again after latency + 1; no subnormals after signal -> silence. */
	size_t n = 48000;
	float *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *y2 = malloc(n * sizeof *y2);
	fl_gen_sine(x, n, 1000.0, RATE, 0.5, 0.0);
	for (size_t i = 10000; i < 10010; i++)
		x[i] = i % 3 == 0 ? NAN : (i % 3 == 1 ? INFINITY : -INFINITY);
	memset(x + 30000, 0, (n - 30000) * sizeof *x);
	CHECK(fl_limiter_init(&lim, 48000.0f, 1.0f) == FL_OK);
	render(x, x, y, y2, NULL, n);
	int finite = 1, sub = 0;
	for (size_t i = 0; i < n; i++) {
		finite &= isfinite(y[i]) != 0;
		sub += fpclassify(y[i]) == FP_SUBNORMAL;
	}
	size_t back = 10010 + lim.latency + 1;
	CHECK(finite);
	CHECK(y[back + 5] == x[back + 5 - lim.latency]);
	sub += fpclassify(lim.rel) == FP_SUBNORMAL;
	printf("limiter: NaN burst: output finite %d, transparent again at +%u; subnormals %d\n",
	       finite, lim.latency + 1, sub);
	CHECK(sub == 0);
	free(x);
	free(y);
	free(y2);
}

static void
lim_reset(void *c)
{
	if (fl_limiter_init(c, 48000.0f, 1.0f) != FL_OK)
		abort();
}

static void
lim_set(void *c, int id, float v)
{
	if (id == 0)
		fl_limiter_set_ceiling_db(c, v);
	else if (id == 1)
		fl_limiter_set_release_ms(c, v);
	else
		fl_limiter_set_hold_ms(c, v);
}

static void
lim_process(void *c, const float *a, const float *b, float *d, float *e, uint32_t n)
{
	fl_limiter_process(c, a, b, d, e, n);
}

static void
test_block_invariance(void)
{
	size_t n = 24000;
	float *l = malloc(n * sizeof *l), *r = malloc(n * sizeof *r);
	fl_gen_pink(l, n, 0.5, 3);
	fl_gen_pink(r, n, 0.5, 4);
	static const struct fl_bsi_event ev[] = {
		{3000, 0, -6.0f}, {7001, 1, 200.0f}, {9999, 2, 0.0f}, {15000, 0, -1.0f}};
	struct fl_bsi_kernel k = {&lim, lim_reset, lim_set, lim_process};
	int bad = fl_block_invariance(&k, l, r, n, ev, 4);
	printf("limiter: block-size invariance: %d of 7 sizes differ\n", bad);
	CHECK(bad == 0);
	free(l);
	free(r);
}

static void
test_ceiling_change(void)
{
	/* L10: -1 -> -6 dB while limiting; <= max(old, new) while the ceiling
	 * glides and for the latency after, <= new afterwards. */
	size_t n = 24000, at = 12032;
	float *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *y2 = malloc(n * sizeof *y2);
	fl_gen_sine(x, n, 700.0, RATE, 2.0, 0.0);
	CHECK(fl_limiter_init(&lim, 48000.0f, 1.0f) == FL_OK);
	render(x, x, y, y2, NULL, at);
	fl_limiter_set_ceiling_db(&lim, -6.0f);
	fl_limiter_set_ceiling_db(&lim, NAN); /* ignored */
	render(x + at, x + at, y + at, y2 + at, NULL, n - at);
	double newc = pow(10.0, -6.0 / 20.0) * (1.0 + 1e-6);
	size_t w = lim.latency + (size_t)(FL_LIMITER_GLIDE_MS * 48.0f);
	double during = fl_peak(y + at, w), after = fl_peak(y + at + w, n - at - w);
	printf("limiter: ceiling -1 -> -6 dB: peak %.3f dB during latency, %.4f dB after\n",
	       fl_lin_to_db(during), fl_lin_to_db(after));
	CHECK(during <= ceil_lin * (1.0 + 1e-6));
	CHECK(after <= newc);
	free(x);
	free(y);
	free(y2);
}

static void
test_ceiling_zipper(void)
{
	/* A 100 Hz sine 6 dB over the ceiling, ceiling -1 -> -7 -> -1 dB; the
	 * ceiling glides (raised cosine); splatter through the 1 kHz 8th-order
	 * HPF <= -65 dBFS both ways. (With the minimum taken over the targets
	 * c(n)/d(n) instead of c(n)/max d, lowering measured -57 dBFS.) */
	size_t n = 96000;
	float *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *y2 = malloc(n * sizeof *y2);
	fl_gen_sine(x, n, 100.0, RATE, 2.0 * ceil_lin, 0.0);
	CHECK(fl_limiter_init(&lim, 48000.0f, 1.0f) == FL_OK);
	render(x, x, y, y2, NULL, 24000);
	fl_limiter_set_ceiling_db(&lim, -7.0f);
	render(x + 24000, x + 24000, y + 24000, y2 + 24000, NULL, 24000);
	fl_limiter_set_ceiling_db(&lim, -1.0f);
	render(x + 48000, x + 48000, y + 48000, y2 + 48000, NULL, n - 48000);
	double down = fl_splatter_db(y, n, 20000, 44000, 1000.0, RATE);
	double up = fl_splatter_db(y, n, 44000, n, 1000.0, RATE);
	/* Discrimination: the same change without the glide (test poke). */
	float *z = malloc(n * sizeof *z);
	CHECK(fl_limiter_init(&lim, 48000.0f, 1.0f) == FL_OK);
	render(x, x, z, y2, NULL, 24000);
	fl_limiter_set_ceiling_db(&lim, -7.0f);
	lim.ceiling = lim.ceiling_target;
	lim.ceiling_left = 0;
	render(x + 24000, x + 24000, z + 24000, y2 + 24000, NULL, 24000);
	double hard = fl_splatter_db(z, 48000, 20000, 44000, 1000.0, RATE);
	free(z);
	printf("limiter: ceiling -1 -> -7 -> -1 dB on 100 Hz: splatter %.1f / %.1f dBFS "
	       "(unglided %.1f)\n", down, up, hard);
	CHECK(hard > -65.0);
	CHECK(down <= -65.0);
	CHECK(up <= -65.0);
	free(x);
	free(y);
	free(y2);
}

static void
test_input_gain(void)
{
	/* Input gain: +12 dB on a -20 dBFS 1 kHz sine gives -8 dBFS, smoothed
	 * (splatter <= -65 dBFS with the 4 kHz HPF), and 0 dB is bit-exact. */
	size_t n = 48000;
	float *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *y2 = malloc(n * sizeof *y2);
	fl_gen_sine(x, n, 1000.0, RATE, 0.1, 0.0);
	CHECK(fl_limiter_init(&lim, 48000.0f, 1.0f) == FL_OK);
	fl_limiter_set_input_gain_db(&lim, NAN);
	render(x, x, y, y2, NULL, 12000);
	fl_limiter_set_input_gain_db(&lim, 12.0f);
	render(x + 12000, x + 12000, y + 12000, y2 + 12000, NULL, n - 12000);
	struct fl_sine_fit f = fl_sine_fit(y + 36000, 12000, 1000.0, RATE);
	double spl = fl_splatter_db(y, n, 6000, n, 4000.0, RATE);
	int exact = 1;
	for (size_t i = lim.latency; i < 12000; i++)
		exact &= y[i] == x[i - lim.latency];
	printf("limiter: input gain +12 dB: level %.3f dBFS, splatter %.1f dBFS, 0 dB exact %d\n",
	       fl_lin_to_db(f.amp), spl, exact);
	CHECK(fabs(fl_lin_to_db(f.amp) - (-8.0)) < 0.01);
	CHECK(spl <= -65.0);
	CHECK(exact);
	free(x);
	free(y);
	free(y2);
}

int
main(void)
{
	test_attack_within_lookahead();
	test_gain_smoothness_and_release();
	test_thdn();
	test_stereo_link();
	test_nan_and_denormals();
	test_block_invariance();
	test_ceiling_change();
	test_ceiling_zipper();
	test_input_gain();
	return fl_check_summary("test_dsp_limiter_dyn");
}
