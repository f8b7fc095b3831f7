/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Chorus / flanger against dsp-sync-reference.md 4.2 (F1-F5) and the common
 * kernel rules (zipper, block-size invariance, NaN, denormals, no
 * allocation while processing). */
#include "check.h"
#include "dsp/chorus.h"
#include "measure.h"
#include "measure_time.h"
#include "rt_guard.h"
#include "splatter.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RATE 48000.0f
#define SEC 48000u
#define NMAX (12u * SEC)

static float *il, *ir, *ol, *orr;

static void
run(struct fl_chorus *k, size_t from, size_t n, uint32_t block)
{
	fl_rt_guard_enter();
	for (size_t p = from; p < from + n; p += block) {
		uint32_t len = (uint32_t)(from + n - p < block ? from + n - p : block);
		fl_chorus_process(k, il + p, ir + p, ol + p, orr + p, len);
	}
	fl_rt_guard_leave();
}

/* one voice, fully wet, no feedback, the given delay and depth */
static void
setup(struct fl_chorus *k, float delay_ms, float depth_ms, float rate_hz)
{
	CHECK(fl_chorus_init(k, RATE, FL_CHORUS_MODE_CHORUS) == FL_OK);
	fl_chorus_set_voices(k, 1);
	fl_chorus_set_mix(k, 1.0f);
	fl_chorus_set_delay_ms(k, delay_ms);
	fl_chorus_set_depth_ms(k, depth_ms);
	fl_chorus_set_rate_hz(k, rate_hz);
	fl_chorus_reset(k);
}

/* F1: depth 0 at an integer delay is a bit-exact delayed copy; at x.5 the
 * cubic loses at most 0.05 dB at 5 kHz. */
static void
test_f1_static_delay(void)
{
	struct fl_chorus k;
	setup(&k, 5.0f, 0.0f, 1.0f);
	size_t n = SEC;
	fl_gen_white(il, n, 0.5, 1);
	fl_gen_white(ir, n, 0.5, 2);
	run(&k, 0, n, 64);
	size_t diff = 0;
	for (size_t i = 240; i < n; i++)
		diff += memcmp(&ol[i], &il[i - 240], sizeof(float)) != 0 ||
		        memcmp(&orr[i], &ir[i - 240], sizeof(float)) != 0;
	printf("chorus F1: depth 0, 240 frames: %zu samples differ from the delayed input\n", diff);
	CHECK(diff == 0);
	fl_chorus_free(&k);
	setup(&k, 240.5f / 48.0f, 0.0f, 1.0f);
	fl_gen_sine(il, n, 5000.0, RATE, 0.5, 0.0);
	memcpy(ir, il, n * sizeof *il);
	run(&k, 0, n, 64);
	double a = fl_sine_fit(ol + 4800, n - 4800, 5000.0, RATE).amp;
	printf("chorus F1: delay 240.5 frames, 5 kHz magnitude %.4f dB\n", fl_db(a / 0.5));
	CHECK(fabs(fl_db(a / 0.5)) <= 0.05);
	fl_chorus_free(&k);
}

/* F2: 5 +- 2 ms at 0.8 Hz against the analytic output sin(w (n - d(n))),
 * d(n) from the same 32-bit LFO phase, in double. */
static double
modulated_snr(double freq)
{
	struct fl_chorus k;
	setup(&k, 5.0f, 2.0f, 0.8f);
	size_t n = 2 * SEC;
	fl_gen_sine(il, n, freq, RATE, 0.5, 0.0);
	memcpy(ir, il, n * sizeof *il);
	uint32_t inc = k.inc, ph = 0;
	run(&k, 0, n, 64);
	double es = 0, ee = 0;
	for (size_t i = 0; i < n; i++, ph += inc) {
		double d = 240.0 + 96.0 * sin(2.0 * M_PI * (double)(int32_t)ph / 4294967296.0);
		double ref = 0.5 * sin(2.0 * M_PI * freq * ((double)i - d) / 48000.0);
		if (i < 1000)
			continue;
		es += ref * ref;
		ee += pow((double)ol[i] - ref, 2.0);
	}
	fl_chorus_free(&k);
	return 10.0 * log10(es / ee);
}

static void
test_f2_modulated_snr(void)
{
	double s500 = modulated_snr(500.0), s2k = modulated_snr(2000.0);
	double s8k = modulated_snr(8000.0);
	printf("chorus F2: modulated-delay SNR %.1f dB at 500 Hz, %.1f at 2 kHz, %.1f at 8 kHz\n",
	       s500, s2k, s8k);
	CHECK(s500 >= 100.0);
	CHECK(s2k >= 70.0);
}

/* F3: flanger at a fixed delay, 50/50: notches at (2k+1)/(2 tau) within 1 %,
 * at least 30 dB deep. */
static void
notch_check(float tau_frames)
{
	struct fl_chorus k;
	setup(&k, tau_frames / 48.0f, 0.0f, 0.5f);
	fl_chorus_set_mix(&k, 0.5f);
	fl_chorus_reset(&k);
	size_t n = 512;
	memset(il, 0, n * sizeof *il);
	memcpy(ir, il, n * sizeof *il);
	il[0] = ir[0] = 1.0f;
	run(&k, 0, n, 64);
	double tau = (double)(tau_frames / 48.0f * 0.001f * RATE) / 48000.0, worst = 0, shallow = 0;
	for (int j = 0; j < 4; j++) {
		double want = (2.0 * j + 1.0) / (2.0 * tau), best = want, bdb = 0;
		for (double f = want * 0.97; f <= want * 1.03; f += want * 0.0002) {
			double db = fl_mt_dft_db(ol, n, f, RATE);
			if (db < bdb) {
				bdb = db;
				best = f;
			}
		}
		worst = fmax(worst, fabs(best / want - 1.0));
		shallow = j == 0 ? bdb : fmax(shallow, bdb);
	}
	printf("chorus F3: tau %.1f frames: notches within %.3f %%, shallowest %.1f dB\n",
	       (double)tau_frames, 100.0 * worst, shallow);
	CHECK(worst <= 0.01);
	CHECK(shallow <= -30.0);
	fl_chorus_free(&k);
}

static void
test_f3_flanger_notches(void)
{
	notch_check(48.0f);
	notch_check(60.5f);
}

/* F4: feedback +-0.99 after a noise burst: the tail decays, never grows. */
static void
test_f4_feedback_decay(void)
{
	for (int s = 0; s < 2; s++) {
		struct fl_chorus k;
		CHECK(fl_chorus_init(&k, RATE, FL_CHORUS_MODE_FLANGER) == FL_OK);
		fl_chorus_set_feedback(&k, s ? -0.99f : 0.99f);
		fl_chorus_reset(&k);
		size_t n = 11 * SEC;
		memset(il, 0, n * sizeof *il);
		fl_gen_white(il, SEC / 2, 0.5, 4);
		memcpy(ir, il, n * sizeof *il);
		run(&k, 0, n, 64);
		double prev = fl_mt_energy(ol, SEC, 2 * SEC), first = prev;
		int grew = 0;
		for (size_t w = 2; w < 11; w++) {
			double e = fl_mt_energy(ol, w * SEC, (w + 1) * SEC);
			grew += e > prev && e > 1e-30;
			prev = e;
		}
		printf("chorus F4: flanger fb %+.2f: tail energy 1-2 s %.3g, 10-11 s %.3g, %d growths\n",
		       s ? -0.99 : 0.99, first, prev, grew);
		CHECK(grew == 0);
		CHECK(prev < first * 1e-6);
		fl_chorus_free(&k);
	}
}

/* F5 and the zipper rule: each change on a 100 Hz sine <= -65 dBFS. */
static void
test_f5_zipper(void)
{
	static const char *name[] = {"rate", "delay", "depth", "mix", "feedback", "stereo",
	                             "voices"};
	for (int p = 0; p < 7; p++) {
		struct fl_chorus k;
		CHECK(fl_chorus_init(&k, RATE, FL_CHORUS_MODE_CHORUS) == FL_OK);
		size_t n = 3 * SEC;
		fl_gen_sine(il, n, 100.0, RATE, 0.5, 0.0);
		for (size_t i = 0; i < 4800; i++)
			il[i] *= 0.5f - 0.5f * cosf(FL_PI_F * (float)i / 4800.0f);
		memcpy(ir, il, n * sizeof *il);
		run(&k, 0, SEC + 5, 64);
		switch (p) {
		case 0: fl_chorus_set_rate_hz(&k, 3.0f); break;
		case 1: fl_chorus_set_delay_ms(&k, 25.0f); break;
		case 2: fl_chorus_set_depth_ms(&k, 8.0f); break;
		case 3: fl_chorus_set_mix(&k, 1.0f); break;
		case 4: fl_chorus_set_feedback(&k, 0.7f); break;
		case 5: fl_chorus_set_stereo_deg(&k, 270.0f); break;
		default: fl_chorus_set_voices(&k, 3); break;
		}
		run(&k, SEC + 5, n - SEC - 5, 64);
		double s = fmax(fl_splatter_db(ol, n, SEC / 2, n, 1000.0, RATE),
		                fl_splatter_db(orr, n, SEC / 2, n, 1000.0, RATE));
		printf("chorus zipper %-8s: splatter %.1f dBFS\n", name[p], s);
		CHECK(s <= -65.0);
		fl_chorus_free(&k);
	}
}

/* F5, synced: phase 0 at every bar start (4 bars of 95207 frames). */
static void
test_f5_sync(void)
{
	struct fl_chorus k;
	CHECK(fl_chorus_init(&k, RATE, FL_CHORUS_MODE_CHORUS) == FL_OK);
	uint64_t bar = 95207;
	fl_chorus_sync_lfo(&k, 0, bar);
	memset(il, 0, 4 * bar * sizeof *il);
	memset(ir, 0, 4 * bar * sizeof *ir);
	uint32_t worst = 0;
	for (int b = 0; b < 4; b++) {
		run(&k, (size_t)b * bar, bar, 100);
		uint32_t e = k.phase < 0x80000000u ? k.phase : 0u - k.phase;
		worst = e > worst ? e : worst;
	}
	printf("chorus F5 sync: phase error at bar starts %.3g samples\n",
	       (double)worst / (double)k.inc);
	CHECK(worst <= k.inc);
	fl_chorus_free(&k);
}

/* Stereo offset 180 degrees: R is L half an LFO cycle later. */
static void
test_stereo_offset(void)
{
	struct fl_chorus k;
	setup(&k, 10.0f, 3.0f, 1.0f);
	fl_chorus_set_stereo_deg(&k, 180.0f);
	fl_chorus_reset(&k);
	size_t n = 2 * SEC;
	fl_gen_sine(il, n, 1000.0, RATE, 0.5, 0.0);
	memcpy(ir, il, n * sizeof *il);
	run(&k, 0, n, 64);
	double worst = 0, lr = 0;
	for (size_t i = 1000; i < SEC; i++) {
		worst = fmax(worst, fabs((double)ol[i + SEC / 2] - (double)orr[i]));
		lr = fmax(lr, fabs((double)ol[i] - (double)orr[i]));
	}
	printf("chorus stereo 180 deg: |L(t+T/2) - R(t)| <= %.2g, |L - R| up to %.2f\n", worst, lr);
	CHECK(worst < 1e-3);
	CHECK(lr > 0.1);
	fl_chorus_free(&k);
}

static void
bsi_reset(void *ctx)
{
	struct fl_chorus *k = ctx;
	fl_chorus_set_rate_hz(k, 0.7f);
	fl_chorus_set_delay_ms(k, 15.0f);
	fl_chorus_set_feedback(k, 0.5f);
	fl_chorus_set_voices(k, 2);
	fl_chorus_sync_lfo(k, 0, 0);
	fl_chorus_reset(k);
}

static void
bsi_set(void *ctx, int id, float v)
{
	struct fl_chorus *k = ctx;
	if (id == 0)
		fl_chorus_set_rate_hz(k, v);
	else if (id == 1)
		fl_chorus_set_delay_ms(k, v);
	else if (id == 2)
		fl_chorus_set_voices(k, (uint32_t)v);
	else
		fl_chorus_sync_lfo(k, 1000, (uint64_t)v);
}

static void
bsi_process(void *ctx, const float *a, const float *b, float *c, float *d, uint32_t n)
{
	fl_chorus_process(ctx, a, b, c, d, n);
}

static void
test_block_invariance(void)
{
	struct fl_chorus k;
	CHECK(fl_chorus_init(&k, RATE, FL_CHORUS_MODE_CHORUS) == FL_OK);
	struct fl_bsi_kernel bk = {&k, bsi_reset, bsi_set, bsi_process};
	struct fl_bsi_event ev[] = {{3000, 0, 2.5f}, {7001, 1, 22.0f}, {9000, 2, 3.0f},
	                            {15000, 3, 20000.0f}};
	size_t n = SEC / 2;
	fl_gen_white(il, n, 0.5, 7);
	fl_gen_sine(ir, n, 330.0, RATE, 0.5, 0.0);
	int bad = fl_block_invariance(&bk, il, ir, n, ev, 4);
	printf("chorus block-size invariance: %d of %d sizes differ\n", bad, FL_BSI_NSIZES - 1);
	CHECK(bad == 0);
	fl_chorus_free(&k);
}

static void
test_nan_and_denormals(void)
{
	struct fl_chorus k;
	CHECK(fl_chorus_init(&k, RATE, FL_CHORUS_MODE_FLANGER) == FL_OK);
	fl_chorus_set_feedback(&k, 0.9f);
	size_t n = 10 * SEC;
	memset(il, 0, n * sizeof *il);
	fl_gen_white(il, SEC, 0.5, 8);
	memcpy(ir, il, n * sizeof *il);
	il[500] = NAN;
	ir[700] = -INFINITY;
	run(&k, 0, n, 64);
	size_t bad = 0;
	for (size_t i = 768; i < n; i++)
		bad += !isfinite(ol[i]) || !isfinite(orr[i]);
	size_t sub = fl_mt_subnormals(ol, n) + fl_mt_subnormals(orr, n) +
	             fl_mt_subnormals(k.line[0].buf, k.line[0].mask + 1u) +
	             fl_mt_subnormals(k.last_wet, 2);
	printf("chorus: %zu non-finite after the NaN block, %zu subnormals after 9 s decay\n", bad,
	       sub);
	CHECK(bad == 0);
	CHECK(sub == 0);
	fl_chorus_free(&k);
	fl_chorus_free(NULL);
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
	test_f1_static_delay();
	test_f2_modulated_snr();
	test_f3_flanger_notches();
	test_f4_feedback_decay();
	test_f5_zipper();
	test_f5_sync();
	test_stereo_offset();
	test_block_invariance();
	test_nan_and_denormals();
	free(il);
	free(ir);
	free(ol);
	free(orr);
	return fl_check_summary("test_dsp_chorus");
}
