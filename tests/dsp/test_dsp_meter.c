/* SPDX-License-Identifier: GPL-2.0-or-later */
/* RT meters: peak fall-off and held maximum, RMS over a window (accuracy,
 * no drift over a long run), gain-reduction meter, NaN, block-size
 * independence, no allocation (RT guard). */
#include "check.h"
#include "measure.h"
#include "rt_guard.h"

#include "dsp/meter.h"
#include "dsp/truepeak.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RATE 48000.0

static void
test_peak(void)
{
	/* A 0.5 impulse, then silence: after 1 s at 20 dB/s the falling peak
	 * reads 0.5 - 20 dB; the held maximum is 0.5 once, then 0. */
	struct fl_peak_meter m;
	fl_peak_meter_init(&m, (float)RATE, 20.0f);
	float *x = calloc(48001, sizeof *x);
	x[0] = -0.5f;
	x[10] = NAN;
	fl_rt_guard_enter();
	for (size_t pos = 0; pos < 48001; pos += 100)
		fl_peak_meter_process(&m, x + pos, x + pos, (uint32_t)(48001 - pos < 100 ? 48001 - pos : 100));
	fl_rt_guard_leave();
	double v = fl_lin_to_db((double)fl_peak_meter_value(&m, 0) / 0.5);
	float h1 = fl_peak_meter_read_max(&m, 1), h2 = fl_peak_meter_read_max(&m, 1);
	printf("meter: peak fall after 1 s: %.3f dB (20 dB/s), held %.2f then %.2f\n", v, (double)h1,
	       (double)h2);
	CHECK(fabs(v + 20.0) < 0.01);
	CHECK(h1 == 0.5f && h2 == 0.0f);
	free(x);
}

static void
test_rms(void)
{
	/* RMS of a 1 kHz sine of amplitude 0.5 over 300 ms: 0.5 / sqrt 2
	 * within 0.01 dB; a step to silence empties the window after 300 ms;
	 * pink noise read after 10 minutes equals a fresh meter over the same
	 * last window (no drift); block sizes 1 and 1000 read the same. */
	struct fl_rms_meter m, m2;
	fl_rms_meter_init(&m, (float)RATE, 300.0f);
	size_t n = 48000;
	float *x = malloc(n * sizeof *x);
	fl_gen_sine(x, n, 1000.0, RATE, 0.5, 0.0);
	fl_rms_meter_process(&m, x, x, (uint32_t)n);
	double db = fl_lin_to_db((double)fl_rms_meter_value(&m, 0) / (0.5 / sqrt(2.0)));
	memset(x, 0, n * sizeof *x);
	fl_rms_meter_process(&m, x, x, 14400 - 16);
	float tail = fl_rms_meter_value(&m, 1);
	fl_rms_meter_process(&m, x, x, 32);
	float empty = fl_rms_meter_value(&m, 1);
	printf("meter: RMS of a sine %.4f dB off; just inside the window %.3g, after it %.3g\n", db,
	       (double)tail, (double)empty);
	CHECK(fabs(db) < 0.01);
	CHECK(tail > 0.0f && empty < 1e-7f); /* -140 dBFS: double rounding only */
	/* Drift: 10 min of loud noise, then 1 s of quiet noise. */
	fl_rms_meter_init(&m, (float)RATE, 300.0f);
	fl_rms_meter_init(&m2, (float)RATE, 300.0f);
	fl_gen_pink(x, n, 0.5, 3);
	fl_rt_guard_enter();
	for (int s = 0; s < 600; s++)
		fl_rms_meter_process(&m, x, x, (uint32_t)n);
	fl_rt_guard_leave();
	for (size_t i = 0; i < n; i++)
		x[i] *= 1e-3f;
	fl_rms_meter_process(&m, x, x, (uint32_t)n);
	for (size_t i = 0; i < n; i++)
		fl_rms_meter_process(&m2, x + i, x + i, 1);
	double a = fl_rms_meter_value(&m, 0), b = fl_rms_meter_value(&m2, 0);
	printf("meter: RMS after 10 min %.9g vs fresh meter %.9g (rel diff %.2e)\n", a, b,
	       fabs(a - b) / b);
	CHECK(fabs(a - b) <= 1e-6 * b);
	free(x);
}

static void
test_gr(void)
{
	struct fl_gr_meter g = {0};
	fl_gr_meter_push(&g, -3.0f);
	fl_gr_meter_push(&g, -7.5f);
	fl_gr_meter_push(&g, -1.0f);
	float a = fl_gr_meter_read(&g), b = fl_gr_meter_read(&g);
	printf("meter: GR deepest %.1f dB, then %.1f\n", (double)a, (double)b);
	CHECK(a == -7.5f && b == 0.0f);
}

static void
test_true_peak(void)
{
	/* The master true-peak meter (Annex 2, chunked): reads like meter A of
	 * the measurement library on pink noise and on the fs/4-at-45-degree
	 * sine (+3.01 dB over its samples), the same for block sizes 1, 64 and
	 * 1000, and ignores NaN. */
	size_t n = 48000;
	float *x = malloc(n * sizeof *x);
	double worst = 0.0;
	for (int sig = 0; sig < 2; sig++) {
		if (sig)
			fl_gen_fs4_45(x, n, 0.5);
		else
			fl_gen_pink(x, n, 0.2, 9);
		double ref = fl_tp_meter_a(x, n);
		static const uint32_t bs[3] = {1, 64, 1000};
		float got[3];
		for (int b = 0; b < 3; b++) {
			struct fl_truepeak tp;
			fl_truepeak_reset(&tp);
			fl_rt_guard_enter();
			for (size_t pos = 0; pos < n; pos += bs[b])
				fl_truepeak_process(&tp, x + pos, x + pos,
				                    (uint32_t)(n - pos < bs[b] ? n - pos : bs[b]));
			fl_rt_guard_leave();
			got[b] = fl_truepeak_read(&tp);
			CHECK(fl_truepeak_read(&tp) == 0.0f);
		}
		double e = fabs(fl_lin_to_db((double)got[0] / ref));
		worst = fmax(worst, e);
		CHECK(got[0] == got[1] && got[1] == got[2]);
		CHECK(e < 1e-4);
	}
	x[100] = NAN;
	struct fl_truepeak tp;
	fl_truepeak_reset(&tp);
	fl_truepeak_process(&tp, x, x, 1000);
	float v = fl_truepeak_read(&tp);
	printf("meter: true peak vs meter A: %.2e dB; with a NaN (zeroed: a glitch) %+.3f dB, finite %d\n",
	       worst, fl_lin_to_db((double)v / 0.5), isfinite(v) != 0);
	CHECK(isfinite(v));
	free(x);
}

int
main(void)
{
	test_peak();
	test_rms();
	test_gr();
	test_true_peak();
	return fl_check_summary("test_dsp_meter");
}
