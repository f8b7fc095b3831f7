/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The master loudness meter (src/control/loudness_ctl.h) on a real engine:
 * a stereo 1 kHz sine at -20 dBFS through the monitor path reads -20 LUFS
 * momentary, short-term and integrated and -20 dBTP (EBU Tech 3341: a
 * 1 kHz sine of peak level X dBFS in both channels reads X LUFS); nothing
 * is read before the tap carries audio; a reset followed by silence reads
 * -inf integrated; no gaps when the meter keeps up. (The 100 ms true peak
 * reads -inf at the end of a feed: the test waits for readings after the
 * audio, which a live stream never does.) */
#include "check.h"

#include "control/loudness_ctl.h"

#include <math.h>
#include <stdio.h>
#include <time.h>

#define RATE 48000u
#define BLOCK 256u

static float in_l[BLOCK], in_r[BLOCK], out_l[BLOCK], out_r[BLOCK];
static double phase;

static void
sleep_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&t, NULL);
}

/* seconds of sine (amp) or silence (amp 0), in half-second steps that let
 * the meter thread drain the ring (the test runs faster than real time). */
static void
feed(struct fl_engine *e, struct fl_loudness_ctl *lc, double seconds, float amp)
{
	struct fl_engine_io io = {{in_l, in_r}, {out_l, out_r}};
	uint32_t blocks = (uint32_t)(seconds * RATE / BLOCK);
	for (uint32_t b = 0; b < blocks; b++) {
		for (uint32_t i = 0; i < BLOCK; i++) {
			in_l[i] = in_r[i] = amp * (float)sin(phase);
			phase += 2.0 * M_PI * 1000.0 / RATE;
		}
		fl_engine_process(e, &io, BLOCK);
		if (b % (RATE / 2 / BLOCK) == 0)
			for (int w = 0; w < 500 && fl_ring_avail(&lc->ring) > 0; w++)
				sleep_ms(2);
	}
	for (int w = 0; w < 500 && fl_ring_avail(&lc->ring) > 0; w++)
		sleep_ms(2);
	/* Two fresh readings: the last one covers everything fed. */
	uint64_t r0 = fl_loudness_ctl_readings(lc);
	for (int w = 0; w < 200 && fl_loudness_ctl_readings(lc) < r0 + 2; w++)
		sleep_ms(10);
}

int
main(void)
{
	struct fl_engine_config cfg;
	fl_engine_config_defaults(&cfg);
	cfg.sample_rate = RATE;
	cfg.n_tracks = 1;
	cfg.track_seconds = 1.0f;
	cfg.monitor = true;
	cfg.monitor_level = 1.0f;
	cfg.master_level = 1.0f;
	struct fl_engine *e = NULL;
	CHECK(fl_engine_create(&cfg, &e) == FL_OK);
	if (!e)
		return fl_check_summary("test_loudness_ctl");
	struct fl_loudness_ctl lc;
	char err[256] = "";
	enum fl_status st = fl_loudness_ctl_init(&lc, e, RATE, 2000, err, sizeof err);
	if (st == FL_ERR_UNSUPPORTED) {
		printf("no libebur128 in this build: %s\n", err);
		fl_loudness_ctl_fini(&lc);
		fl_engine_free(e);
		return 77;
	}
	CHECK_MSG(st == FL_OK, "%s", err);
	struct fl_loudness_values v;
	fl_loudness_ctl_get(&lc, &v);
	CHECK(isinf(v.momentary_lufs) && isinf(v.integrated_lufs) && isinf(v.true_peak_max_dbtp));

	/* Tap off: audio flows but nothing reaches the meter. */
	feed(e, &lc, 0.5, 0.1f);
	fl_loudness_ctl_get(&lc, &v);
	CHECK_MSG(isinf(v.momentary_lufs), "tap off but M = %.2f", (double)v.momentary_lufs);

	struct fl_cmd on = fl_loudness_ctl_enable_cmd(&lc);
	CHECK(fl_engine_send(e, &on) == FL_OK);
	feed(e, &lc, 4.0, 0.1f);
	fl_loudness_ctl_get(&lc, &v);
	printf("sine -20 dBFS: M %.2f S %.2f I %.2f LUFS, TP %.2f (max %.2f) dBTP, gaps %llu\n",
	       (double)v.momentary_lufs, (double)v.shortterm_lufs, (double)v.integrated_lufs,
	       (double)v.true_peak_dbtp, (double)v.true_peak_max_dbtp,
	       (unsigned long long)v.gaps);
	CHECK(fabsf(v.momentary_lufs + 20.0f) < 0.2f);
	CHECK(fabsf(v.shortterm_lufs + 20.0f) < 0.2f);
	CHECK(fabsf(v.integrated_lufs + 20.0f) < 0.2f);
	CHECK(fabsf(v.true_peak_max_dbtp + 20.0f) < 0.3f);
	CHECK(v.gaps == 0);

	feed(e, &lc, 0.1, 0.0f); /* the limiter's lookahead still holds 64 frames of sine */
	fl_loudness_ctl_reset(&lc);
	feed(e, &lc, 1.0, 0.0f);
	fl_loudness_ctl_get(&lc, &v);
	printf("after reset and 1 s of silence: M %.2f I %.2f TP max %.2f\n",
	       (double)v.momentary_lufs, (double)v.integrated_lufs, (double)v.true_peak_max_dbtp);
	CHECK(isinf(v.integrated_lufs) && v.integrated_lufs < 0.0f);
	CHECK(v.momentary_lufs < -70.0f);
	CHECK(v.true_peak_max_dbtp < -60.0f);
	fl_loudness_ctl_fini(&lc);
	fl_loudness_ctl_fini(&lc); /* twice is harmless */
	fl_engine_free(e);
	return fl_check_summary("test_loudness_ctl");
}
