/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The whole mix, offline (issue 4's figure): 8 stereo tracks playing loops,
 * each with an EQ (2 active bands) and a compressor in its insert chain and
 * post-fader sends to two buses (a plate reverb and a tempo-synced delay),
 * the monitor on, and the true-peak limiter last. Prints ns per frame and
 * the share of one core's budget at 48 kHz with a 64-frame period (and 128,
 * 256), best of 7 runs. Figures, not assertions. */
#include "core/denormal.h"
#include "dsp/fx.h"
#include "footloop/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define RATE 48000u
#define TRACKS 8u

static double
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time of this thread: excludes preemption by other processes */
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void
send(struct fl_engine *e, uint16_t type, uint16_t track, uint32_t arg, float value, void *ptr)
{
	struct fl_cmd c = {.type = type, .track = track, .arg = arg, .value = value, .ptr = ptr};
	if (fl_engine_send(e, &c) != FL_OK)
		fprintf(stderr, "queue full\n");
}

static struct fl_fx *
fx(enum fl_fx_type t, const char *p1, float v1, const char *p2, float v2)
{
	struct fl_fx *f = NULL;
	if (fl_fx_create(t, (float)RATE, &f) != FL_OK) {
		fprintf(stderr, "cannot create %s\n", fl_fx_type_name(t));
		exit(1);
	}
	if (p1)
		fl_fx_set_param(f, (uint32_t)fl_fx_param_index(t, p1), v1);
	if (p2)
		fl_fx_set_param(f, (uint32_t)fl_fx_param_index(t, p2), v2);
	return f;
}

static void
run(struct fl_engine *e, float *in[2], float *out[2], uint32_t period, uint64_t frames)
{
	struct fl_engine_io io = {.in = {in[0], in[1]}, .out = {out[0], out[1]}};
	for (uint64_t f = 0; f < frames; f += period) {
		fl_engine_process(e, &io, period);
		struct fl_event ev;
		while (fl_engine_poll_event(e, &ev))
			if (ev.type == FL_EV_RELEASE)
				fl_fx_free(ev.ptr);
	}
}

static double
bench(uint32_t period, bool effects)
{
	struct fl_engine_config cfg;
	fl_engine_config_defaults(&cfg);
	cfg.n_tracks = TRACKS;
	cfg.track_seconds = 8.0f;
	cfg.limiter = effects;
	struct fl_engine *e = NULL;
	if (fl_engine_create(&cfg, &e) != FL_OK)
		exit(1);
	float *in[2], *out[2];
	for (int c = 0; c < 2; c++) {
		in[c] = malloc(period * sizeof(float));
		out[c] = malloc(period * sizeof(float));
		for (uint32_t i = 0; i < period; i++)
			in[c][i] = (float)((i * 7919u) % 1000u) * 0.0005f - 0.25f;
	}
	if (effects) {
		for (uint16_t t = 0; t < TRACKS; t++) {
			send(e, FL_CMD_FX_SLOT, t, 0, 0,
			     fx(FL_FX_EQ, "low_shelf_gain_db", 3.0f, "peak1_gain_db", -4.0f));
			send(e, FL_CMD_FX_SLOT, t, 1, 0,
			     fx(FL_FX_COMPRESSOR, "threshold_db", -18.0f, "ratio", 4.0f));
			send(e, FL_CMD_SEND, t, 0, 0.3f, NULL);
			send(e, FL_CMD_SEND, t, 1, 0.2f, NULL);
		}
		send(e, FL_CMD_FX_SLOT, FL_TARGET_BUS(0), 0, 0, fx(FL_FX_PLATE, "mix", 1.0f, NULL, 0));
		send(e, FL_CMD_FX_SLOT, FL_TARGET_BUS(1), 0, 0,
		     fx(FL_FX_DELAY, "sync", 1.0f, "mix", 1.0f));
	}
	for (uint16_t t = 0; t < TRACKS; t++) {
		send(e, FL_CMD_RECORD, t, 0, 0, NULL);
		run(e, in, out, period, 2 * RATE);
		send(e, FL_CMD_RECORD, t, 0, 0, NULL);
		run(e, in, out, period, RATE / 4);
	}
	run(e, in, out, period, 3 * RATE);
	const uint64_t frames = 3 * RATE;
	double ns = 1e30;
	for (int k = 0; k < 7; k++) {
		double t0 = now_ns();
		run(e, in, out, period, frames);
		double v = (now_ns() - t0) / (double)frames;
		ns = v < ns ? v : ns;
	}
	for (int c = 0; c < 2; c++) {
		free(in[c]);
		free(out[c]);
	}
	fl_engine_free(e);
	return ns;
}

int
main(void)
{
	fl_denormals_disable();
	const double budget = 1e9 / RATE;
	printf("footloop mix benchmark: %u stereo tracks, 48 kHz, best of 7\n", TRACKS);
	const uint32_t periods[] = {64, 128, 256};
	for (int p = 0; p < 3; p++) {
		double bare = bench(periods[p], false);
		double full = bench(periods[p], true);
		printf("period %3u: loops only %6.1f ns/frame (%.2f %%); with EQ+compressor per "
		       "track, plate and delay sends, limiter %6.1f ns/frame (%.2f %% of one core)\n",
		       periods[p], bare, 100.0 * bare / budget, full, 100.0 * full / budget);
	}
	return 0;
}
