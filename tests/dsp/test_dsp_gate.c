/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Gate/expander against dsp-sync-reference.md section 2, tests G1-G5, plus
 * block-size invariance, NaN recovery and denormals. */
#include "check.h"
#include "measure.h"
#include "rt_guard.h"
#include "splatter.h"

#include "dsp/gate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RATE 48000.0
static struct fl_gate gate;

static void
render(const float *l, const float *r, float *ol, float *or_, size_t n)
{
	fl_rt_guard_enter();
	for (size_t pos = 0; pos < n; pos += 64) {
		uint32_t m = (uint32_t)(n - pos < 64 ? n - pos : 64);
		fl_gate_process(&gate, l + pos, r + pos, ol + pos, or_ + pos, m);
	}
	fl_rt_guard_leave();
}

static void
test_no_chatter(void)
{
	/* G1: white noise whose peak envelope moves +-2 dB around T_o at 3 Hz
	 * for 10 s: with 6 dB hysteresis at most 1 change per second; with 0 dB
	 * (the discriminating case) it chatters. */
	size_t n = 480000;
	float *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *y2 = malloc(n * sizeof *y2);
	fl_gen_white(x, n, 1.0, 77);
	for (size_t i = 0; i < n; i++)
		x[i] *= (float)pow(10.0, (-40.0 + 2.0 * sin(2.0 * M_PI * 3.0 * (double)i / RATE)) / 20.0);
	uint32_t changes[2];
	for (int h = 0; h < 2; h++) {
		fl_gate_init(&gate, (float)RATE, 0.0f);
		fl_gate_set_hold_ms(&gate, 0.0f);
		fl_gate_set_hysteresis_db(&gate, h ? 0.0f : 6.0f);
		render(x, x, y, y2, n);
		changes[h] = gate.changes;
	}
	printf("gate: noise at T_o +-2 dB for 10 s: %u changes with 6 dB hysteresis, %u without\n",
	       changes[0], changes[1]);
	CHECK(changes[0] <= 10);
	CHECK(changes[1] > 20);
	free(x);
	free(y);
	free(y2);
}

static void
test_hold(void)
{
	/* G2: the key falls below T_c at k_c; the gate closes at k_c + hold +-1. */
	size_t n = 24000, drop = 4800;
	float *x = calloc(n, sizeof *x), y = 0.0f, y2 = 0.0f;
	for (size_t i = 0; i < drop; i++)
		x[i] = 0.5f;
	fl_gate_init(&gate, (float)RATE, 0.0f);
	size_t closed = 0;
	for (size_t i = 0; i < n && !closed; i++) {
		fl_gate_process(&gate, x + i, x + i, &y, &y2, 1);
		if (i > drop && !gate.open)
			closed = i;
	}
	double a = exp(-1.0 / (0.010 * RATE));
	double kc = ceil(log(pow(10.0, -46.0 / 20.0) / 0.5) / log(a));
	double expect = (double)drop + kc - 1.0 + 0.050 * RATE;
	printf("gate: hold 50 ms: closed at %zu, expected %.0f\n", closed, expect);
	CHECK(fabs((double)closed - expect) <= 1.0);
	free(x);
}

static void
test_click_free(void)
{
	/* G3: a 100 Hz sine swelling -60 -> -6 dBFS -> -60 (30 ms raised-cosine
	 * ramps) opens and closes the gate (attack 1 ms, release 20 ms):
	 * splatter through the 1 kHz HPF <= -60 dBFS. */
	size_t n = 96000;
	float *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *y2 = malloc(n * sizeof *y2);
	for (size_t i = 0; i < n; i++) {
		double t = (double)i / RATE, u;
		if (t < 0.3)
			u = 0.0;
		else if (t < 0.33)
			u = 0.5 - 0.5 * cos(M_PI * (t - 0.3) / 0.03);
		else if (t < 1.3)
			u = 1.0;
		else if (t < 1.33)
			u = 0.5 + 0.5 * cos(M_PI * (t - 1.3) / 0.03);
		else
			u = 0.0;
		x[i] = (float)(pow(10.0, (-60.0 + 54.0 * u) / 20.0) * sin(2.0 * M_PI * 100.0 * t));
	}
	fl_gate_init(&gate, (float)RATE, 0.0f);
	fl_gate_set_release_ms(&gate, 20.0f);
	render(x, x, y, y2, n);
	double in = fl_splatter_db(x, n, 4800, n, 1000.0, RATE);
	double out = fl_splatter_db(y, n, 4800, n, 1000.0, RATE);
	CHECK(gate.changes == 2);
	/* The metric sees a hard gate: a threshold right at -6 dBFS with the
	 * fastest attack and no range switches 100 Hz at full level. */
	fl_gate_init(&gate, (float)RATE, 0.0f);
	fl_gate_set_threshold_db(&gate, -7.0f);
	fl_gate_set_attack_ms(&gate, 0.05f);
	fl_gate_set_release_ms(&gate, 10.0f);
	fl_gate_set_range_db(&gate, -120.0f);
	render(x, x, y, y2, n);
	double hard = fl_splatter_db(y, n, 4800, n, 1000.0, RATE);
	printf("gate: open/close on a 100 Hz swell: splatter %.1f dBFS (input alone %.1f, hard gate "
	       "%.1f)\n", out, in, hard);
	CHECK(out <= -60.0);
	CHECK(hard > -60.0);
	free(x);
	free(y);
	free(y2);
}

static void
test_range(void)
{
	/* G4: closed attenuation = range +-0.1 dB (-80 and -40 dB). */
	size_t n = 48000;
	float *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *y2 = malloc(n * sizeof *y2);
	fl_gen_sine(x, n, 1000.0, RATE, 0.001, 0.0);
	for (int r = 0; r < 2; r++) {
		double range = r ? -40.0 : -80.0;
		fl_gate_init(&gate, (float)RATE, 0.0f);
		fl_gate_set_range_db(&gate, (float)range);
		render(x, x, y, y2, n);
		double att = fl_lin_to_db(fl_sine_fit(y + 24000, 24000, 1000.0, RATE).amp / 0.001);
		printf("gate: range %.0f dB: closed attenuation %.3f dB\n", range, att);
		CHECK(fabs(att - range) <= 0.1);
	}
	free(x);
	free(y);
	free(y2);
}

static void
test_lookahead(void)
{
	/* G5: lookahead 2 ms, attack 0.2 ms: the first full-scale sample of a
	 * burst after silence comes out >= -1 dB. Without lookahead it does not. */
	size_t n = 9600, at = 4800;
	float *x = calloc(n, sizeof *x), *y = malloc(n * sizeof *y), *y2 = malloc(n * sizeof *y2);
	for (size_t i = at; i < n; i++)
		x[i] = 1.0f;
	double first[2];
	for (int la = 0; la < 2; la++) {
		fl_gate_init(&gate, (float)RATE, la ? 0.0f : 2.0f);
		fl_gate_set_attack_ms(&gate, 0.2f);
		render(x, x, y, y2, n);
		first[la] = fl_lin_to_db(y[at + fl_gate_latency_frames(&gate)]);
	}
	printf("gate: first burst sample: %.2f dB with 2 ms lookahead (latency %u), %.1f dB without\n",
	       first[0], (unsigned)(0.002 * RATE), first[1]);
	CHECK(first[0] >= -1.0);
	CHECK(first[1] < -1.0);
	free(x);
	free(y);
	free(y2);
}

static void
g_reset(void *c)
{
	fl_gate_init(c, (float)RATE, 1.0f);
}

static void
g_set(void *c, int id, float v)
{
	switch (id) {
	case 0: fl_gate_set_threshold_db(c, v); break;
	case 1: fl_gate_set_range_db(c, v); break;
	case 2: fl_gate_set_hold_ms(c, v); break;
	default: fl_gate_set_release_ms(c, v); break;
	}
}

static void
g_process(void *c, const float *a, const float *b, float *d, float *e, uint32_t n)
{
	fl_gate_process(c, a, b, d, e, n);
}

static void
test_block_nan_denormals(void)
{
	size_t n = 40000;
	float *l = malloc(n * sizeof *l), *r = malloc(n * sizeof *r);
	fl_gen_pink(l, n, 0.05, 5);
	fl_gen_pink(r, n, 0.05, 6);
	for (size_t i = 0; i < n; i++)
		if ((i / 6000) % 2) {
			l[i] *= 0.001f;
			r[i] *= 0.001f;
		}
	static const struct fl_bsi_event ev[] = {
		{3000, 0, -30.0f}, {9001, 1, -40.0f}, {15000, 2, 5.0f}, {21000, 3, 30.0f}};
	struct fl_bsi_kernel k = {&gate, g_reset, g_set, g_process};
	int bad = fl_block_invariance(&k, l, r, n, ev, 4);
	printf("gate: block-size invariance: %d of 7 sizes differ\n", bad);
	CHECK(bad == 0);
	size_t m = 48000 * 11;
	float *x = calloc(m, sizeof *x), *y = malloc(m * sizeof *y), *y2 = malloc(m * sizeof *y2);
	fl_gen_sine(x, 48000, 1000.0, RATE, 0.5, 0.0);
	for (size_t i = 1000; i < 1010; i++)
		x[i] = i % 2 ? NAN : -INFINITY;
	fl_gate_init(&gate, (float)RATE, 1.0f);
	render(x, x, y, y2, m);
	int fin = 1, sub = 0;
	for (size_t i = 0; i < m; i++) {
		fin &= isfinite(y[i]) != 0;
		sub += fpclassify(y[i]) == FP_SUBNORMAL;
	}
	sub += fpclassify(gate.key) == FP_SUBNORMAL || fpclassify(gate.gain) == FP_SUBNORMAL;
	printf("gate: NaN burst: output finite %d; subnormals after 10 s silence %d; closed %d\n", fin,
	       sub, !gate.open);
	CHECK(fin && sub == 0 && !gate.open);
	free(x);
	free(y);
	free(y2);
	free(l);
	free(r);
}

int
main(void)
{
	test_no_chatter();
	test_hold();
	test_click_free();
	test_range();
	test_lookahead();
	test_block_nan_denormals();
	return fl_check_summary("test_dsp_gate");
}
