/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Self-test of the shared measurement library: the meters and the fit must
 * read known signals correctly before any kernel is judged by them. */
#include "check.h"
#include "measure.h"
#include "splatter.h"

#include <math.h>
#include <stdlib.h>

#define RATE 48000.0
#define N 48000

static float buf[N];

static void
test_sine_fit(void)
{
	fl_gen_sine(buf, N, 997.0, RATE, 0.5, 0.3);
	struct fl_sine_fit f = fl_sine_fit(buf, N, 997.0, RATE);
	printf("measure: sine fit amp %.9f phase %.6f thd+n %.1f dB\n", f.amp, f.phase, f.thdn_db);
	CHECK(fabs(f.amp - 0.5) < 1e-6);
	CHECK(fabs(f.phase - 0.3) < 1e-5);
	CHECK(f.thdn_db < -130.0);
	/* A known distortion: 1 % third harmonic reads -40 dB. */
	for (size_t i = 0; i < N; i++)
		buf[i] += (float)(0.005 * sin(2.0 * M_PI * 3.0 * 997.0 * (double)i / RATE));
	double t = fl_thdn_db(buf, N, 997.0, RATE);
	printf("measure: 1%% H3 reads %.2f dB\n", t);
	CHECK(fabs(t + 40.0) < 0.05);
}

static void
test_fs4_true_peak(void)
{
	/* Samples at amp/sqrt2, true peak amp: meters A, B, C must see +3.01 dB. */
	fl_gen_fs4_45(buf, 4800, 0.5);
	double sp = fl_peak(buf, 4800);
	double a = fl_tp_meter_a(buf, 4800), c = fl_tp_meter_c(buf, 4800);
	double b = fl_tp_meter_b(buf, 4800, 48000);
	printf("measure: fs/4@45 sample %.3f dB, A %.3f, B %.3f, C %.4f dBTP (true -6.021)\n",
	       fl_lin_to_db(sp), fl_lin_to_db(a), fl_lin_to_db(b), fl_lin_to_db(c));
	CHECK(fabs(fl_lin_to_db(sp) - (fl_lin_to_db(0.5) - 3.0103)) < 0.001);
	/* Edges of a gated sine overshoot slightly; the steady part reads amp. */
	CHECK(fabs(fl_lin_to_db(a) - fl_lin_to_db(0.5)) < 0.2);
	CHECK(b < 0.0 || (fl_lin_to_db(b) - fl_lin_to_db(0.5) < 0.2 &&
	                  fl_lin_to_db(b) - fl_lin_to_db(0.5) > -0.4));
	/* Steady part only, windowed out of a long sine: C reads within 0.003 dB. */
	fl_gen_sine(buf, 9600, 5000.0, RATE, 0.5, 0.1);
	for (size_t i = 0; i < 9600; i++) {
		double w = i < 2400 ? (double)i / 2400.0 : (i > 7200 ? (9600.0 - (double)i) / 2400.0 : 1.0);
		buf[i] = (float)((double)buf[i] * w);
	}
	c = fl_tp_meter_c(buf, 9600);
	printf("measure: 5 kHz sine 0.5 amp, meter C %.4f dB\n", fl_lin_to_db(c));
	CHECK(fabs(fl_lin_to_db(c) - fl_lin_to_db(0.5)) < 0.003);
}

static void
test_sinc_sign(void)
{
	fl_gen_sinc_sign(buf, 256, 100, 1.0);
	double a = fl_tp_meter_a(buf, 256), c = fl_tp_meter_c(buf, 256);
	printf("measure: sinc-sign burst sample 0 dB, A %+.2f, C %+.2f dBTP\n", fl_lin_to_db(a),
	       fl_lin_to_db(c));
	CHECK(fl_lin_to_db(c) > 3.0);
	CHECK(fl_lin_to_db(a) > 1.0);
}

static void
test_noise(void)
{
	fl_gen_pink(buf, N, 0.1, 7);
	CHECK(fabs(fl_rms(buf, N) - 0.1) < 1e-6);
	float b2[256];
	fl_gen_white(b2, 256, 1.0, 7);
	fl_gen_white(buf, 256, 1.0, 7);
	CHECK(b2[17] == buf[17] && fl_peak(b2, 256) <= 1.0 && fl_peak(b2, 256) > 0.9);
	fl_gen_white(buf, N, 1.0, 3);
	double r = fl_rms(buf, N);
	CHECK(fabs(r - 1.0 / sqrt(3.0)) < 0.01);
}

int
main(void)
{
	test_sine_fit();
	test_fs4_true_peak();
	test_sinc_sign();
	test_noise();
	return fl_check_summary("test_dsp_measure");
}
