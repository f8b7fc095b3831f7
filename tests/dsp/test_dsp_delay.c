/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Delay kernel against dsp-sync-reference.md 4.1 (D1-D6) and the common
 * kernel rules: smoothing (zipper), block-size invariance, NaN recovery,
 * denormals, no allocation while processing. */
#include "check.h"
#include "dsp/delay.h"
#include "measure.h"
#include "measure_time.h"
#include "rt_guard.h"
#include "splatter.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RATE 48000.0f
#define SEC 48000u

static float *il, *ir, *ol, *orr; /* 70 s scratch, per channel */
#define NMAX (70u * SEC)

static void
run(struct fl_delay *k, size_t from, size_t n, uint32_t block)
{
	fl_rt_guard_enter();
	for (size_t p = from; p < from + n; p += block) {
		uint32_t len = (uint32_t)(from + n - p < block ? from + n - p : block);
		fl_delay_process(k, il + p, ir + p, ol + p, orr + p, len);
	}
	fl_rt_guard_leave();
}

static void
clear_in(size_t n)
{
	memset(il, 0, n * sizeof *il);
	memset(ir, 0, n * sizeof *ir);
}

/* 100 Hz sine at amp, faded in over 100 ms so its start makes no click */
static void
gen_sine_in(size_t n, double amp)
{
	fl_gen_sine(il, n, 100.0, RATE, amp, 0.0);
	for (size_t i = 0; i < 4800; i++)
		il[i] *= 0.5f - 0.5f * cosf(FL_PI_F * (float)i / 4800.0f);
	memcpy(ir, il, n * sizeof *il);
}

static void
setup(struct fl_delay *k, float ms, float fb, float mix)
{
	CHECK(fl_delay_init(k, RATE) == FL_OK);
	fl_delay_set_time_ms(k, ms);
	fl_delay_set_feedback(k, fb);
	fl_delay_set_mix(k, mix);
	fl_delay_reset(k);
}

/* D1: echo k at exactly k*D, amplitude wet*fb^(k-1), nothing in between. */
static void
test_d1_echo_positions(void)
{
	struct fl_delay k;
	setup(&k, 100.0f, 0.5f, 1.0f); /* D = 4800 */
	size_t n = 8 * 4800 + 100;
	clear_in(n);
	il[0] = ir[0] = 0.25f;
	run(&k, 0, n, 64);
	size_t pos[16];
	size_t cnt = fl_mt_echoes(ol, n, 1e-9, 10, pos, 16);
	CHECK_MSG(cnt == 8, "%zu echoes", cnt);
	double worst = 0;
	for (size_t e = 0; e < cnt && e < 8; e++) {
		CHECK_MSG(pos[e] == (e + 1) * 4800, "echo %zu at %zu", e + 1, pos[e]);
		double want = 0.25 * pow(0.5, (double)e);
		double err = fabs(fl_db(ol[pos[e]]) - fl_db(want));
		worst = fmax(worst, err);
	}
	size_t stray = 0;
	for (size_t i = 0; i < n; i++)
		if (i % 4800 && (ol[i] != 0.0f || orr[i] != 0.0f))
			stray++;
	printf("delay D1: %zu echoes at k*4800 exactly, amplitude error %.5f dB, %zu stray samples\n",
	       cnt, worst, stray);
	CHECK(worst <= 0.01);
	CHECK(stray == 0);
	fl_delay_free(&k);
}

/* D2: a fractional D; the echo of a smooth pulse peaks at D +- 0.05. */
static void
test_d2_fractional(void)
{
	struct fl_delay k;
	float ms = 10.00625f; /* 480.3 frames */
	setup(&k, ms, 0.0f, 1.0f);
	double d = (double)(ms * 0.001f * RATE);
	size_t n = 2000;
	clear_in(n);
	for (size_t i = 0; i < 64; i++) /* Gaussian pulse, sigma 4, centred at 200 */
		il[168 + i] = ir[168 + i] = (float)exp(-0.5 * pow(((double)i - 32.0) / 4.0, 2.0));
	run(&k, 0, n, 64);
	double p_in = fl_mt_peak_pos(il, n, 100, 300), p_out = fl_mt_peak_pos(ol, n, 600, 800);
	printf("delay D2: D %.4f frames, echo peak at +%.4f (error %.4f)\n", d, p_out - p_in,
	       p_out - p_in - d);
	CHECK(fabs(p_out - p_in - d) <= 0.05);
	fl_delay_free(&k);
}

/* D3: 120 -> 121 BPM (1/8 notes) on a 100 Hz sine: no click; then echoes sit
 * exactly on the new D. A hard head jump reads far louder (discrimination). */
static void
test_d3_tempo_change(void)
{
	struct fl_delay k;
	setup(&k, 100.0f, 0.3f, 0.5f);
	uint64_t c120 = 96000, c121 = (uint64_t)llround(48000.0 * 60.0 / 121.0 * 4.0);
	fl_delay_set_sync(&k, c120, 4, FL_NOTE_1_8);
	fl_delay_reset(&k);
	size_t n = 3 * SEC;
	gen_sine_in(n, 0.25);
	run(&k, 0, SEC, 64);
	fl_delay_set_sync(&k, c121, 4, FL_NOTE_1_8);
	run(&k, SEC, 2 * SEC, 64);
	double s = fl_splatter_db(ol, n, SEC / 2, n, 1000.0, RATE);
	/* the same change done as a jump of the read head */
	uint64_t d0 = fl_delay_sync_frames(c120, 4, FL_NOTE_1_8);
	uint64_t d1 = fl_delay_sync_frames(c121, 4, FL_NOTE_1_8);
	float *jump = malloc(n * sizeof *jump);
	for (size_t i = 0; i < n; i++) {
		size_t d = i < SEC ? d0 : d1; /* the read head jumps at SEC */
		jump[i] = 0.5f * il[i] + (i >= d ? 0.5f * il[i - d] : 0.0f);
	}
	double sj = fl_splatter_db(jump, 2 * SEC, SEC - 4800, SEC + 9600, 1000.0, RATE);
	free(jump);
	printf("delay D3: D %llu -> %llu frames, splatter %.1f dBFS (hard jump %.1f)\n",
	       (unsigned long long)d0, (unsigned long long)d1, s, sj);
	CHECK(s <= -65.0);
	CHECK(sj >= -40.0);
	/* after the fade: an impulse comes back at exactly the new D */
	fl_delay_set_feedback(&k, 0.0f);
	clear_in(n);
	run(&k, 0, SEC, 64);
	il[SEC] = 0.5f;
	run(&k, SEC, SEC, 64);
	double p = fl_mt_peak_pos(ol, n, SEC + 1, 2 * SEC);
	CHECK_MSG(p == (double)(SEC + d1), "echo at +%.2f, want %llu", p - SEC,
	          (unsigned long long)d1);
	fl_delay_free(&k);
}

/* D4: feedback at its maximum with 60 s of loud white noise stays bounded. */
static void
test_d4_max_feedback(void)
{
	struct fl_delay k;
	setup(&k, 250.0f, FL_DELAY_FB_MAX, 1.0f);
	fl_delay_set_damping_hz(&k, 5000.0f);
	fl_delay_reset(&k);
	size_t n = 60 * SEC;
	fl_gen_white(il, n, 0.25, 11);
	fl_gen_white(ir, n, 0.25, 12);
	double tin = fl_tp_meter_a(il, n);
	run(&k, 0, n, 64);
	size_t bad = 0;
	for (size_t i = 0; i < n; i++)
		bad += !isfinite(ol[i]) || !isfinite(orr[i]);
	double tl = fl_tp_meter_a(ol, n), tr = fl_tp_meter_a(orr, n);
	printf("delay D4: fb %.2f, damping 5 kHz, 60 s white noise (%.2f dBTP): out true peak L %.2f "
	       "R %.2f dBTP, %zu non-finite\n",
	       (double)FL_DELAY_FB_MAX, fl_db(tin), fl_db(tl), fl_db(tr), bad);
	CHECK(bad == 0);
	CHECK(fl_db(tl) <= 0.0 && fl_db(tr) <= 0.0);
	fl_delay_free(&k);
}

/* D5: 10 min at 121 BPM, dotted 1/8: an impulse at every cycle start echoes
 * exactly D later, every time (0 samples of accumulated error). */
static void
test_d5_no_drift(void)
{
	struct fl_delay k;
	setup(&k, 100.0f, 0.0f, 1.0f);
	uint64_t cycle = (uint64_t)llround(48000.0 * 60.0 / 121.0 * 4.0);
	fl_delay_set_sync(&k, cycle, 4, FL_NOTE_1_8_DOTTED);
	fl_delay_reset(&k);
	uint64_t d = fl_delay_sync_frames(cycle, 4, FL_NOTE_1_8_DOTTED);
	uint64_t total = 600ull * SEC, t = 0, hits = 0, misses = 0;
	const uint32_t chunk = SEC;
	clear_in(chunk);
	while (t < total) {
		clear_in(chunk);
		for (uint64_t c = (t + cycle - 1) / cycle * cycle; c < t + chunk; c += cycle)
			il[c - t] = 0.5f;
		run(&k, 0, chunk, 256);
		for (uint32_t i = 0; i < chunk; i++) {
			if (ol[i] == 0.0f)
				continue;
			uint64_t at = t + i;
			if (at >= d && (at - d) % cycle == 0 && ol[i] == 0.5f)
				hits++;
			else
				misses++;
		}
		t += chunk;
	}
	uint64_t want = (total - d - 1) / cycle + 1;
	printf("delay D5: cycle %llu, D %llu: %llu of %llu echoes on the grid, %llu off\n",
	       (unsigned long long)cycle, (unsigned long long)d, (unsigned long long)hits,
	       (unsigned long long)want, (unsigned long long)misses);
	CHECK(d == 17851);
	CHECK(hits == want);
	CHECK(misses == 0);
	fl_delay_free(&k);
}

/* D6: bypass closes the input; the tail keeps repeating at the feedback rate. */
static void
test_d6_spillover(void)
{
	struct fl_delay k;
	setup(&k, 100.0f, 0.5f, 0.5f);
	size_t n = 2 * SEC, b = SEC;
	fl_gen_white(il, n, 0.3, 5);
	memcpy(ir, il, n * sizeof *il);
	run(&k, 0, b, 64);
	fl_delay_set_bypass(&k, true);
	run(&k, b, n - b, 64);
	/* wet = out - in once the dry gain has reached unity (10 ms) */
	double e[4];
	for (int p = 0; p < 4; p++) {
		size_t from = b + 4800u * (unsigned)p + 960, to = b + 4800u * (unsigned)(p + 1);
		e[p] = 0;
		for (size_t i = from; i < to; i++)
			e[p] += pow((double)ol[i] - (double)il[i], 2.0);
	}
	double r1 = 10 * log10(e[1] / e[0]), r2 = 10 * log10(e[2] / e[1]);
	printf("delay D6: bypassed tail per 100 ms: %.2f, %.2f dB (fb 0.5: -6.02)\n", r1, r2);
	CHECK(e[0] > 1.0);
	CHECK(fabs(r1 + 6.02) < 0.5 && fabs(r2 + 6.02) < 0.5);
	fl_delay_free(&k);
}

/* Ping-pong: a centred impulse echoes L, R, L ... */
static void
test_pingpong(void)
{
	struct fl_delay k;
	setup(&k, 50.0f, 0.5f, 1.0f);
	fl_delay_set_pingpong(&k, true);
	fl_delay_reset(&k);
	size_t n = 4 * 2400 + 10;
	clear_in(n);
	il[0] = ir[0] = 0.25f;
	run(&k, 0, n, 64);
	printf("delay ping-pong: L %.3f R %.3f | L %.3f R %.3f | L %.3f R %.3f\n",
	       (double)ol[2400], (double)orr[2400], (double)ol[4800], (double)orr[4800],
	       (double)ol[7200], (double)orr[7200]);
	CHECK(ol[2400] == 0.25f && orr[2400] == 0.0f);
	CHECK(ol[4800] == 0.0f && orr[4800] == 0.125f);
	CHECK(ol[7200] == 0.0625f && orr[7200] == 0.0f);
	fl_delay_free(&k);
}

/* Tone filter in the loop: each pass applies the one-pole low-pass once. */
static void
test_damping(void)
{
	struct fl_delay k;
	setup(&k, 200.0f, 0.5f, 1.0f);
	fl_delay_set_damping_hz(&k, 2000.0f);
	fl_delay_reset(&k);
	size_t n = 3 * 9600;
	fl_gen_sine(il, n, 4000.0, RATE, 0.4, 0.0);
	for (size_t i = 4800; i < n; i++)
		il[i] = 0.0f;
	memcpy(ir, il, n * sizeof *il);
	run(&k, 0, n, 64);
	double a1 = fl_sine_fit(ol + 9600 + 1200, 2400, 4000.0, RATE).amp;
	double a2 = fl_sine_fit(ol + 19200 + 1200, 2400, 4000.0, RATE).amp;
	double p = exp(-2.0 * M_PI * 2000.0 / 48000.0), w = 2.0 * M_PI * 4000.0 / 48000.0;
	double h = (1.0 - p) / sqrt(1.0 - 2.0 * p * cos(w) + p * p);
	double got = fl_db(a2 / a1), want = fl_db(0.5 * h);
	printf("delay damping 2 kHz: echo 2/echo 1 at 4 kHz %.2f dB (one-pole x fb: %.2f)\n", got,
	       want);
	CHECK(fabs(got - want) < 0.1);
	fl_delay_free(&k);
}

/* Every parameter change on a 100 Hz sine stays below -65 dBFS splatter. */
static void
test_zipper(void)
{
	static const char *name[] = {"time", "feedback", "mix", "damping", "lowcut", "pingpong",
	                             "bypass"};
	for (int p = 0; p < 7; p++) {
		struct fl_delay k;
		setup(&k, 305.0f, 0.4f, 0.4f);
		size_t n = 3 * SEC;
		gen_sine_in(n, 0.25);
		run(&k, 0, SEC + 17, 64);
		switch (p) {
		case 0: fl_delay_set_time_ms(&k, 433.3f); break;
		case 1: fl_delay_set_feedback(&k, 0.9f); break;
		case 2: fl_delay_set_mix(&k, 1.0f); break;
		case 3: fl_delay_set_damping_hz(&k, 500.0f); break;
		case 4: fl_delay_set_lowcut_hz(&k, 400.0f); break;
		case 5: fl_delay_set_pingpong(&k, true); break;
		default: fl_delay_set_bypass(&k, true); break;
		}
		run(&k, SEC + 17, n - SEC - 17, 64);
		double s = fl_splatter_db(ol, n, SEC / 2, n, 1000.0, RATE);
		double sr = fl_splatter_db(orr, n, SEC / 2, n, 1000.0, RATE);
		printf("delay zipper %-8s: splatter %.1f / %.1f dBFS\n", name[p], s, sr);
		CHECK(s <= -65.0 && sr <= -65.0);
		fl_delay_free(&k);
	}
}

static void
bsi_reset(void *ctx)
{
	struct fl_delay *k = ctx;
	fl_delay_set_time_ms(k, 37.1f);
	fl_delay_set_feedback(k, 0.6f);
	fl_delay_set_mix(k, 0.5f);
	fl_delay_set_damping_hz(k, 3000.0f);
	fl_delay_set_pingpong(k, false);
	fl_delay_set_bypass(k, false);
	fl_delay_reset(k);
}

static void
bsi_set(void *ctx, int id, float v)
{
	struct fl_delay *k = ctx;
	if (id == 0)
		fl_delay_set_time_ms(k, v);
	else if (id == 1)
		fl_delay_set_sync(k, (uint64_t)v, 4, FL_NOTE_1_16_TRIPLET);
	else if (id == 2)
		fl_delay_set_feedback(k, v);
	else if (id == 3)
		fl_delay_set_pingpong(k, v > 0.5f);
	else
		fl_delay_set_bypass(k, v > 0.5f);
}

static void
bsi_process(void *ctx, const float *a, const float *b, float *c, float *d, uint32_t n)
{
	fl_delay_process(ctx, a, b, c, d, n);
}

static void
test_block_invariance(void)
{
	struct fl_delay k;
	CHECK(fl_delay_init(&k, RATE) == FL_OK);
	struct fl_bsi_kernel bk = {&k, bsi_reset, bsi_set, bsi_process};
	struct fl_bsi_event ev[] = {{5000, 0, 12.7f}, {6001, 2, 0.95f}, {9000, 1, 96000.0f},
	                            {12000, 3, 1.0f}, {15555, 0, 80.0f}, {20000, 4, 1.0f}};
	size_t n = SEC / 2;
	fl_gen_white(il, n, 0.5, 3);
	fl_gen_sine(ir, n, 440.0, RATE, 0.5, 0.0);
	int bad = fl_block_invariance(&bk, il, ir, n, ev, 6);
	printf("delay block-size invariance: %d of %d sizes differ\n", bad, FL_BSI_NSIZES - 1);
	CHECK(bad == 0);
	fl_delay_free(&k);
}

/* NaN in the input for one block: finite again one block later; after the
 * tail dies, outputs and states hold no subnormals. */
static void
test_nan_and_denormals(void)
{
	struct fl_delay k;
	setup(&k, 20.0f, 0.9f, 0.5f);
	fl_delay_set_damping_hz(&k, 1000.0f);
	size_t n = 20 * SEC;
	fl_gen_white(il, SEC, 0.5, 9);
	memset(il + SEC, 0, (n - SEC) * sizeof *il);
	memcpy(ir, il, n * sizeof *il);
	il[1000] = NAN;
	ir[1001] = INFINITY;
	run(&k, 0, n, 64);
	size_t bad = 0;
	for (size_t i = 1088; i < n; i++)
		bad += !isfinite(ol[i]) || !isfinite(orr[i]);
	size_t sub = fl_mt_subnormals(ol, n) + fl_mt_subnormals(orr, n) +
	             fl_mt_subnormals(k.lp_z, 2) + fl_mt_subnormals(k.hp_z, 2) +
	             fl_mt_subnormals(k.line[0].buf, k.line[0].mask + 1u);
	printf("delay: %zu non-finite after the NaN block, %zu subnormals after 19 s decay\n", bad,
	       sub);
	CHECK(bad == 0);
	CHECK(sub == 0);
	fl_delay_free(&k);
	fl_delay_free(NULL);
}

int
main(void)
{
	il = calloc(NMAX, sizeof *il);
	ir = calloc(NMAX, sizeof *ir);
	ol = calloc(NMAX, sizeof *ol);
	orr = calloc(NMAX, sizeof *orr);
	if (!il || !ir || !ol || !orr)
		return 1;
	test_d1_echo_positions();
	test_d2_fractional();
	test_d3_tempo_change();
	test_d4_max_feedback();
	test_d5_no_drift();
	test_d6_spillover();
	test_pingpong();
	test_damping();
	test_zipper();
	test_block_invariance();
	test_nan_and_denormals();
	free(il);
	free(ir);
	free(ol);
	free(orr);
	return fl_check_summary("test_dsp_delay");
}
