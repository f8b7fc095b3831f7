/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Click metrics (dsp-sync-reference.md 5, T1 and T2): the peak after an
 * 8th-order 1 kHz high-pass around each transition of a 100 Hz -6 dBFS sine.
 * With the default ramps: mutes and stops <= -75 dBFS, loop seams <= -60
 * dBFS. The same tests with the ramps disabled must show the click
 * (>= -20 dBFS for mutes, >= -25 dBFS for seams), which proves they measure. */
#include "check.h"
#include "harness.h"
#include "splatter.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define HPF_HZ 1000.0

static void
fill_sine(float *l, float *r, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		l[i] = r[i] = 0.5f * (float)sin(2.0 * M_PI * 100.0 * (double)i / H_RATE);
}

/* Worst splatter of mute/unmute and stop/play at 8 phases of the sine. */
static double
switch_splatter(float fade_ms, const char *what)
{
	struct fl_engine_config cfg;
	h_config(&cfg, 1);
	cfg.fade_ms = fade_ms;
	struct fl_engine *e = h_engine(&cfg);
	const uint64_t b = 480, len = 96000, n = b + 8 * len;
	float *l = malloc(n * sizeof(float)), *r = malloc(n * sizeof(float));
	float *out_l = calloc(n, sizeof(float)), *out_r = calloc(n, sizeof(float));
	fill_sine(l, r, n);
	struct h_step steps[2 + 32];
	size_t ns = 0;
	steps[ns++] = (struct h_step){b, FL_CMD_RECORD, 0, 1, 0};
	steps[ns++] = (struct h_step){b + len, FL_CMD_RECORD, 0, 1, 0};
	uint64_t at[32];
	for (int k = 0; k < 8; k++) {
		/* Mute at phase k * 45 degrees of the 100 Hz sine, unmute later. */
		uint64_t m = b + 2 * len + (uint64_t)k * 30000 + (uint64_t)k * 60;
		uint16_t off = k < 4 ? FL_CMD_MUTE : FL_CMD_STOP;
		uint16_t on = k < 4 ? FL_CMD_UNMUTE : FL_CMD_PLAY;
		steps[ns++] = (struct h_step){m, off, 0, 1, 0};
		steps[ns++] = (struct h_step){m + 12000 + 150, on, 0, 1, 0};
		at[2 * k] = m;
		at[2 * k + 1] = m + 12000 + 150;
	}
	const float *in[2] = {l, r};
	float *out[2] = {out_l, out_r};
	h_run(e, in, out, n, 256, steps, ns, 0);
	double worst = -300.0;
	for (int k = 0; k < 16; k++) {
		double db = fl_splatter_db(out_l, n, at[k] - 2000, at[k] + 2000 + 960, HPF_HZ, H_RATE);
		worst = db > worst ? db : worst;
	}
	printf("%s, fade %.0f ms: worst splatter %.1f dBFS\n", what, (double)fade_ms, worst);
	free(l);
	free(r);
	free(out_l);
	free(out_r);
	h_free(e);
	return worst;
}

/* T2: 2.0137 s of sine (not whole periods), 10 passes. Returns the worst
 * splatter over the loop's start and its seams. */
static double
seam_splatter(float seam_ms)
{
	struct fl_engine_config cfg;
	h_config(&cfg, 1);
	cfg.seam_ms = seam_ms;
	struct fl_engine *e = h_engine(&cfg);
	const uint64_t b = 1000, len = (uint64_t)(2.0137 * H_RATE + 0.5), n = b + 11 * len;
	float *l = malloc(n * sizeof(float)), *r = malloc(n * sizeof(float));
	float *out_l = calloc(n, sizeof(float)), *out_r = calloc(n, sizeof(float));
	fill_sine(l, r, n);
	struct h_step steps[] = {{b, FL_CMD_RECORD, 0, 1, 0}, {b + len, FL_CMD_RECORD, 0, 1, 0}};
	const float *in[2] = {l, r};
	float *out[2] = {out_l, out_r};
	h_run(e, in, out, n, 128, steps, 2, 0);
	double worst = -300.0;
	for (uint64_t k = 1; k <= 10; k++) {
		uint64_t seam = b + k * len;
		double db = fl_splatter_db(out_l, n, seam - 1000, seam + 1500, HPF_HZ, H_RATE);
		worst = db > worst ? db : worst;
	}
	printf("loop seam, seam %.0f ms: worst splatter %.1f dBFS over 10 seams\n", (double)seam_ms,
	       worst);
	free(l);
	free(r);
	free(out_l);
	free(out_r);
	h_free(e);
	return worst;
}

int
main(void)
{
	double with = switch_splatter(10.0f, "mute/unmute/stop/play");
	double without = switch_splatter(0.0f, "mute/unmute/stop/play");
	CHECK(with <= -75.0);
	CHECK(without >= -20.0);
	double seam = seam_splatter(10.0f);
	double raw = seam_splatter(0.0f);
	CHECK(seam <= -60.0);
	CHECK(raw >= -25.0);
	return fl_check_summary("test_engine_clicks");
}
