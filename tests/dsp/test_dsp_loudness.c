/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Loudness meter (libebur128 wrapper) against dsp-sync-reference.md
 * section 8: LM1 synthesised Tech 3341 cases, LM2 true peak, LM3 decoupling
 * through a tap ring (the meter thread stalls, the producer never waits,
 * drops are counted and the meter reports the gap). */
#include "check.h"
#include "measure.h"
#include "rt_guard.h"

#include "core/ring.h"
#include "dsp/loudness.h"
#include "footloop/engine.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RATE 48000
#define BLOCK 1024

/* Feeds a stereo 1 kHz sine at the given dBFS per segment (mono_l: L only). */
static double
integrated(const double *db, const double *secs, int nseg, int mono_l, double *mom, double *st)
{
	struct fl_loudness *l = NULL;
	if (fl_loudness_create(&l, RATE, 2) != FL_OK)
		return NAN;
	float buf[2 * BLOCK];
	uint64_t frame = 0;
	for (int s = 0; s < nseg; s++) {
		double a = pow(10.0, db[s] / 20.0);
		uint64_t end = frame + (uint64_t)(secs[s] * RATE);
		while (frame < end) {
			size_t m = end - frame < BLOCK ? (size_t)(end - frame) : BLOCK;
			for (size_t i = 0; i < m; i++) {
				float v = (float)(a * sin(2.0 * M_PI * 1000.0 * (double)(frame + i) / RATE));
				buf[2 * i] = v;
				buf[2 * i + 1] = mono_l ? 0.0f : v;
			}
			if (fl_loudness_add(l, frame, buf, m) != FL_OK)
				return NAN;
			frame += m;
		}
	}
	struct fl_loudness_reading r;
	double out = fl_loudness_read(l, &r) == FL_OK ? r.integrated_lufs : (double)NAN;
	if (mom)
		*mom = r.momentary_lufs;
	if (st)
		*st = r.shortterm_lufs;
	fl_loudness_free(l);
	return out;
}

static void
test_lm1(void)
{
	double m, s;
	static const double d1[] = {-23.0}, t1[] = {20.0};
	double i1 = integrated(d1, t1, 1, 0, &m, &s);
	printf("loudness: -23 dBFS 20 s: I %.2f M %.2f S %.2f LUFS\n", i1, m, s);
	CHECK(fabs(i1 + 23.0) <= 0.1 && fabs(m + 23.0) <= 0.1 && fabs(s + 23.0) <= 0.1);
	static const double d2[] = {-33.0};
	double i2 = integrated(d2, t1, 1, 0, &m, &s);
	printf("loudness: -33 dBFS 20 s: I %.2f M %.2f S %.2f LUFS\n", i2, m, s);
	CHECK(fabs(i2 + 33.0) <= 0.1 && fabs(m + 33.0) <= 0.1 && fabs(s + 33.0) <= 0.1);
	static const double d3[] = {-36.0, -23.0, -36.0}, t3[] = {10.0, 60.0, 10.0};
	double i3 = integrated(d3, t3, 3, 0, NULL, NULL);
	static const double d4[] = {-72.0, -36.0, -23.0, -36.0, -72.0}, t4[] = {10, 10, 60, 10, 10};
	double i4 = integrated(d4, t4, 5, 0, NULL, NULL);
	static const double d5[] = {0.0}, t5[] = {5.0};
	double i5 = integrated(d5, t5, 1, 1, NULL, NULL);
	printf("loudness: relative gate %.2f, absolute+relative %.2f LUFS (-23); 0 dBFS L only %.2f "
	       "LKFS (-3.01)\n", i3, i4, i5);
	CHECK(fabs(i3 + 23.0) <= 0.1);
	CHECK(fabs(i4 + 23.0) <= 0.1);
	CHECK(fabs(i5 + 3.01) <= 0.1);
}

static void
test_lm2(void)
{
	/* fs/4 at 45 degrees, amplitude A = -6 dBFS: true peak -6 (+0.2/-0.4),
	 * sample peak -9.03; non-finite samples are measured as 0. */
	struct fl_loudness *l = NULL;
	CHECK(fl_loudness_create(&l, RATE, 2) == FL_OK);
	if (!l)
		return;
	size_t n = RATE;
	float *x = malloc(n * sizeof *x), *il = malloc(2 * n * sizeof *il);
	double A = pow(10.0, -6.0 / 20.0);
	fl_gen_fs4_45(x, n, A);
	for (size_t i = 0; i < n; i++)
		il[2 * i] = il[2 * i + 1] = x[i];
	CHECK(fl_loudness_add(l, 0, il, n) == FL_OK);
	struct fl_loudness_reading r;
	CHECK(fl_loudness_read(l, &r) == FL_OK);
	double sp = fl_lin_to_db(fl_peak(x, n));
	printf("loudness: fs/4@45 A = -6 dBFS: true peak %.3f dBTP, sample peak %.3f dBFS, I %.2f\n",
	       r.true_peak_dbtp, sp, r.integrated_lufs);
	CHECK(r.true_peak_dbtp <= -6.0 + 0.2 && r.true_peak_dbtp >= -6.0 - 0.4);
	CHECK(fabs(sp - (-6.0 - 3.0103)) < 0.01);
	CHECK(isfinite(r.integrated_lufs));
	CHECK(fl_loudness_read(l, &r) == FL_OK && r.true_peak_dbtp < -200.0);
	CHECK(r.true_peak_max_dbtp > -6.4);
	/* A NaN/Inf burst in quiet audio: measured as 0, the meter stays sane. */
	memset(il, 0, 2 * 4800 * sizeof *il);
	il[101] = NAN;
	il[202] = INFINITY;
	CHECK(fl_loudness_add(l, n, il, 4800) == FL_OK);
	CHECK(fl_loudness_read(l, &r) == FL_OK && isfinite(r.integrated_lufs) &&
	      r.true_peak_dbtp < -5.5); /* only the sine's tail, no Inf */
	free(x);
	free(il);
	fl_loudness_free(l);
	fl_loudness_free(NULL);
}

static void
test_lm3(void)
{
	/* A producer writes 64-frame master records into a 0.5 s ring; the
	 * meter thread is "stalled" for 2 s of audio (reads nothing), then
	 * drains. Writes never wait: they fail, and are counted, when full. The
	 * meter reports one gap of the dropped frames and keeps measuring. */
	struct fl_ring ring;
	CHECK(fl_ring_init(&ring, (size_t)(0.5 * RATE) * 8 + 4096) == FL_OK);
	struct fl_loudness *l = NULL;
	CHECK(fl_loudness_create(&l, RATE, 2) == FL_OK);
	if (!l)
		return;
	float blk[2 * 64], rd[2 * 64];
	uint64_t frame = 0, dropped = 0, dropped_frames = 0;
	size_t total = 6 * RATE, stall_from = 2 * RATE, stall_to = 4 * RATE;
	int reads_ok = 1;
	struct fl_loudness_reading r;
	while (frame < total) {
		for (int i = 0; i < 64; i++) {
			float v = (float)(0.1 * sin(2.0 * M_PI * 1000.0 * (double)(frame + (uint64_t)i) / RATE));
			blk[2 * i] = blk[2 * i + 1] = v;
		}
		struct fl_tap_record h = {FL_TAP_RECORD_AUDIO, 64, frame, 2, sizeof blk};
		fl_rt_guard_enter();
		bool ok = fl_ring_write2(&ring, &h, sizeof h, blk, sizeof blk);
		fl_rt_guard_leave();
		if (!ok) {
			dropped++;
			dropped_frames += 64;
		}
		frame += 64;
		if (frame >= stall_from && frame < stall_to)
			continue; /* the meter thread is stalled */
		while (fl_ring_avail(&ring) >= sizeof h) {
			struct fl_tap_record hr;
			reads_ok &= fl_ring_read(&ring, &hr, sizeof hr);
			reads_ok &= hr.bytes == sizeof rd && fl_ring_read(&ring, rd, hr.bytes);
			reads_ok &= fl_loudness_add(l, hr.frame, rd, hr.frames) == FL_OK;
		}
	}
	CHECK(fl_loudness_read(l, &r) == FL_OK);
	printf("loudness: stalled meter: %llu records dropped (%llu frames), meter saw %llu gap(s) "
	       "of %llu frames, flag %d, I %.2f LUFS\n", (unsigned long long)dropped,
	       (unsigned long long)dropped_frames, (unsigned long long)r.gaps,
	       (unsigned long long)r.gap_frames, r.gap, r.integrated_lufs);
	CHECK(reads_ok);
	CHECK(dropped > 0 && r.gaps == 1 && r.gap_frames == dropped_frames && r.gap);
	CHECK(fabs(r.integrated_lufs + 20.0) <= 0.1); /* stereo -20 dBFS sine */
	CHECK(fl_loudness_read(l, &r) == FL_OK && !r.gap && r.gaps == 1);
	fl_loudness_free(l);
	fl_ring_destroy(&ring);
}

int
main(void)
{
	struct fl_loudness *probe = NULL;
	if (fl_loudness_create(&probe, RATE, 2) == FL_ERR_UNSUPPORTED) {
		printf("loudness: built without libebur128, skipping\n");
		return 77;
	}
	fl_loudness_free(probe);
	test_lm1();
	test_lm2();
	test_lm3();
	return fl_check_summary("test_dsp_loudness");
}
