/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Master limiter against dsp-sync-reference.md section 1, tests L1-L10. */
#include "check.h"
#include "measure.h"
#include "rt_guard.h"

#include "dsp/limiter.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CEIL_DB -1.0
static const double ceil_lin = 0.89125093813374556; /* 10^(-1/20) */

struct run {
	size_t n;   /* frames incl. the flushed tail */
	float *l, *r, *ol, *or_, *g;
};

/* Renders in 64-frame blocks (under the RT guard) with a flushed tail. */
static struct run
render(struct fl_limiter *k, const float *l, const float *r, size_t len)
{
	struct run o;
	o.n = len + fl_limiter_latency_frames(k) + 256;
	o.l = calloc(o.n, sizeof(float));
	o.r = calloc(o.n, sizeof(float));
	o.ol = calloc(o.n, sizeof(float));
	o.or_ = calloc(o.n, sizeof(float));
	o.g = calloc(o.n, sizeof(float));
	memcpy(o.l, l, len * sizeof(float));
	memcpy(o.r, r, len * sizeof(float));
	fl_rt_guard_enter();
	for (size_t pos = 0; pos < o.n; pos += 64) {
		uint32_t m = (uint32_t)(o.n - pos < 64 ? o.n - pos : 64);
		k->gain_trace = o.g + pos;
		fl_limiter_process(k, o.l + pos, o.r + pos, o.ol + pos, o.or_ + pos, m);
	}
	fl_rt_guard_leave();
	k->gain_trace = NULL;
	return o;
}

static void
run_free(struct run *o)
{
	free(o->l);
	free(o->r);
	free(o->ol);
	free(o->or_);
	free(o->g);
}

static void
test_transparency(void)
{
	/* L1: input true peak <= ceiling - 0.5 dB passes bit-exact, delayed. */
	struct fl_limiter k;
	CHECK(fl_limiter_init(&k, 48000.0f, 1.0f) == FL_OK);
	size_t n = 96000;
	float *l = malloc(n * sizeof *l), *r = malloc(n * sizeof *r);
	fl_gen_pink(l, n, 0.1, 11);
	fl_gen_pink(r, n, 0.1, 12);
	double tp = fmax(fl_tp_meter_a(l, n), fl_tp_meter_a(r, n));
	double s = ceil_lin * pow(10.0, -0.5 / 20.0) / tp;
	for (size_t i = 0; i < n; i++) {
		l[i] = (float)((double)l[i] * s);
		r[i] = (float)((double)r[i] * s);
	}
	struct run o = render(&k, l, r, n);
	uint32_t L = fl_limiter_latency_frames(&k);
	double maxdiff = 0.0;
	for (size_t i = 0; i < n; i++)
		maxdiff = fmax(maxdiff, fmax(fabs((double)o.ol[i + L] - (double)l[i]),
		                             fabs((double)o.or_[i + L] - (double)r[i])));
	printf("limiter: transparency at -0.5 dB under the ceiling: max |y[n+L]-x[n]| = %g\n",
	       maxdiff);
	CHECK(maxdiff == 0.0);
	run_free(&o);
	free(l);
	free(r);
}

static void
test_latency(void)
{
	/* L2: a -20 dBFS impulse at 1000 appears at 1000 + L only; L <= 64. */
	struct fl_limiter k;
	CHECK(fl_limiter_init(&k, 48000.0f, 1.0f) == FL_OK);
	uint32_t L = fl_limiter_latency_frames(&k);
	float x[4096];
	fl_gen_impulse(x, 4096, 1000, 0.1);
	struct run o = render(&k, x, x, 4096);
	size_t found = 0, where = 0;
	for (size_t i = 0; i < o.n; i++)
		if (o.ol[i] != 0.0f) {
			found++;
			where = i;
		}
	printf("limiter: latency reported %u, impulse found at +%zu (%zu nonzero)\n", L,
	       where - 1000, found);
	CHECK(found == 1 && where == 1000 + L && o.ol[where] == 0.1f);
	CHECK(L <= 64);
	/* The budget holds for the longest lookahead too. */
	CHECK(fl_limiter_init(&k, 48000.0f, 5.0f) == FL_OK && fl_limiter_latency_frames(&k) <= 64);
	CHECK(fl_limiter_init(&k, 96000.0f, 5.0f) == FL_OK &&
	      fl_limiter_latency_frames(&k) <= 128);
	CHECK(fl_limiter_init(&k, 1000.0f, 1.0f) == FL_ERR_RANGE);
	run_free(&o);
}

enum { GATE_C = 1 }; /* band-limited to <= 20 kHz: meter C gated at +0.2 dB */

struct item {
	const char *name;
	int flags;
};

static const struct item items[] = {
	{"fs/4@45 +6dBTP", 0},   {"naive square +6", 0}, {"bl square +6", GATE_C},
	{"impulses +12", 0},      {"sinc-sign bursts", 0}, {"white noise +-2", 0},
	{"1k burst +20", GATE_C}, {"40 Hz +6", GATE_C},    {"chirp +6", GATE_C},
	{"0.479 fs +6", 0},       {"fs/2@45 burst", 0},    {"pink +12 dB", 0},
	{"lp noise mix +9", GATE_C},
};
#define NITEMS (sizeof items / sizeof items[0])

static void
make_item(size_t i, float *x, size_t n, double rate)
{
	double c = ceil_lin;
	switch (i) {
	case 0: fl_gen_fs4_45(x, n, 2.0); break;
	case 1: fl_gen_square_naive(x, n, 1000.0, rate, 2.0); break;
	case 2: fl_gen_square_bl(x, n, 1000.0, rate, 2.0 / 1.18, 20000.0); break;
	case 3:
		fl_gen_impulse(x, n, 0, 0.0);
		for (size_t j = 100; j < n; j += 997)
			x[j] = (j / 997) % 2 ? 4.0f : -4.0f;
		break;
	case 4: {
		float b[32];
		memset(x, 0, n * sizeof *x);
		for (size_t j = 0; j + 2000 < n; j += 2000) {
			fl_gen_sinc_sign(b, 32, 0, 1.0);
			memcpy(x + j + 50, b, sizeof b);
		}
		break;
	}
	case 5: fl_gen_white(x, n, 2.0, 5); break;
	case 6: fl_gen_burst(x, n, 1000.0, rate, 0.1, c * 10.0, n / 4, n / 2); break;
	case 7: fl_gen_sine(x, n, 40.0, rate, 2.0, 0.0); break;
	case 8: fl_gen_chirp_log(x, n, 20.0, 20000.0, rate, 2.0); break;
	case 9: fl_gen_sine(x, n, 0.479 * rate, rate, 2.0, 0.3); break;
	case 10:
		memset(x, 0, n * sizeof *x);
		for (size_t j = 1000; j < 1256 && j < n; j++)
			x[j] = (float)(2.0 * cos(M_PI * (double)j + M_PI / 4.0));
		break;
	case 11: {
		fl_gen_pink(x, n, 1.0, 21);
		double p = fl_peak(x, n);
		for (size_t j = 0; j < n; j++)
			x[j] = (float)((double)x[j] * 4.0 / p);
		break;
	}
	default: {
		/* A music-like mix: chord + low-passed noise, peaking at +9 dBFS. */
		float *nz = malloc(n * sizeof *nz);
		fl_gen_white(nz, n, 1.0, 9);
		double a = exp(-2.0 * M_PI * 4000.0 / rate), s1 = 0, s2 = 0;
		for (size_t j = 0; j < n; j++) {
			s1 = (1 - a) * (double)nz[j] + a * s1;
			s2 = (1 - a) * s1 + a * s2;
			double t = (double)j / rate;
			x[j] = (float)(s2 + 0.3 * sin(2 * M_PI * 110 * t) + 0.2 * sin(2 * M_PI * 277.2 * t) +
			               0.2 * sin(2 * M_PI * 329.6 * t) + 0.1 * sin(2 * M_PI * 1318.5 * t));
		}
		double p = fl_peak(x, n);
		for (size_t j = 0; j < n; j++)
			x[j] = (float)((double)x[j] * 2.818 / p);
		free(nz);
		break;
	}
	}
}

static void
test_ceiling_adversarial(enum fl_limiter_detector det, int first_rate, int last_rate)
{
	/* L3 at 44.1, 48 and 96 kHz; R carries -0.7 x L. Meter C runs on the
	 * first 0.25 s (its cost), A and B on everything. The default detector
	 * runs at every rate; the alternatives at 48 kHz (limiter.h says why). */
	static const double rates[3] = {44100.0, 48000.0, 96000.0};
	static const char *dname[3] = {"annex2", "annex2+half", "combined"};
	double worst_a = -300, worst_b = -300, worst_c_gated = -300, worst_c_all = -300;
	for (int ri = first_rate; ri <= last_rate; ri++) {
		double rate = rates[ri];
		for (size_t it = 0; it < NITEMS; it++) {
			size_t len = (size_t)(rate * (it == 11 ? (ri == 1 ? 10.0 : 3.0) : 1.0));
			float *l = malloc(len * sizeof *l), *r = malloc(len * sizeof *r);
			make_item(it, l, len, rate);
			for (size_t j = 0; j < len; j++)
				r[j] = -0.7f * l[j];
			struct fl_limiter k;
			CHECK(fl_limiter_init_detector(&k, (float)rate, 1.0f, det) == FL_OK);
			struct run o = render(&k, l, r, len);
			size_t nc = (size_t)(0.25 * rate);
			if (it == 6 || it == 8)
				nc = o.n; /* burst starts at 0.25 s; chirp: all of it */
			double sp = fmax(fl_peak(o.ol, o.n), fl_peak(o.or_, o.n));
			double a = fl_lin_to_db(fmax(fl_tp_meter_a(o.ol, o.n), fl_tp_meter_a(o.or_, o.n))) - CEIL_DB;
			double b = fl_lin_to_db(fl_tp_meter_b(o.ol, o.n, (unsigned)rate)) - CEIL_DB;
			double c = fl_lin_to_db(fl_tp_meter_c_range(o.ol, o.n, 0, nc)) - CEIL_DB;
			printf("limiter: %-11s %5.1f kHz %-18s over ceiling: sample %+.4f A %+.4f B %+.4f C %+.4f dB\n",
			       dname[det], rate / 1000, items[it].name, fl_lin_to_db(sp) - CEIL_DB, a, b, c);
			CHECK_MSG(sp <= ceil_lin * (1.0 + 1e-6), "%s sample peak", items[it].name);
			CHECK_MSG(a <= 0.01, "%s meter A %+.4f", items[it].name, a);
			CHECK_MSG(b <= 0.05, "%s meter B %+.4f", items[it].name, b);
			if (items[it].flags & GATE_C)
				CHECK_MSG(c <= 0.2, "%s meter C %+.4f", items[it].name, c);
			worst_a = fmax(worst_a, a);
			worst_b = fmax(worst_b, b);
			worst_c_all = fmax(worst_c_all, c);
			if (items[it].flags & GATE_C)
				worst_c_gated = fmax(worst_c_gated, c);
			run_free(&o);
			free(l);
			free(r);
		}
	}
	printf("limiter: %s: worst over ceiling %.1f dBTP: meter A %+.4f, B %+.4f, C band-limited "
	       "%+.4f, C all (recorded) %+.4f dB\n",
	       dname[det], CEIL_DB, worst_a, worst_b, worst_c_gated, worst_c_all);
}

int
main(void)
{
	test_transparency();
	test_latency();
	test_ceiling_adversarial(FL_LIMITER_ANNEX2_HALF, 0, 2);
	test_ceiling_adversarial(FL_LIMITER_ANNEX2, 1, 1);
	test_ceiling_adversarial(FL_LIMITER_COMBINED, 1, 1);
	return fl_check_summary("test_dsp_limiter");
}
