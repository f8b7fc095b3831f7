/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Engine cost, offline: 1, 8 and 16 stereo tracks playing loops, one of
 * them overdubbing, at periods of 64 and 256 frames, 48 kHz. Prints ns per
 * frame and the share of one core's real-time budget (1e9 / 48000 ns per
 * frame). A program, not a test: figures, no assertions. */
#include "core/denormal.h"
#include "footloop/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define RATE 48000u

static double
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time of this thread: excludes preemption by other processes */
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void
send(struct fl_engine *e, uint16_t type, uint16_t track)
{
	struct fl_cmd c = {.type = type, .track = track, .frame = 0};
	if (fl_engine_send(e, &c) != FL_OK)
		fprintf(stderr, "queue full\n");
}

static void
run(struct fl_engine *e, float *in[2], float *out[2], uint32_t period, uint64_t frames)
{
	struct fl_engine_io io = {.in = {in[0], in[1]}, .out = {out[0], out[1]}};
	for (uint64_t f = 0; f < frames; f += period)
		fl_engine_process(e, &io, period);
}

static void
bench(uint32_t tracks, uint32_t period)
{
	struct fl_engine_config cfg;
	fl_engine_config_defaults(&cfg);
	cfg.n_tracks = tracks;
	cfg.track_seconds = 8.0f;
	cfg.limiter = false; /* looping alone; bench_mix measures the effects and limiter */
	struct fl_engine *e = NULL;
	if (fl_engine_create(&cfg, &e) != FL_OK) {
		fprintf(stderr, "engine create failed\n");
		exit(1);
	}
	float *in[2], *out[2];
	for (int c = 0; c < 2; c++) {
		in[c] = malloc(period * sizeof(float));
		out[c] = malloc(period * sizeof(float));
		for (uint32_t i = 0; i < period; i++)
			in[c][i] = (float)((i * 7919u) % 1000u) * 0.0005f - 0.25f;
	}
	/* Record a 2 s loop on every track (cycle-quantized after the first). */
	for (uint32_t t = 0; t < tracks; t++) {
		send(e, FL_CMD_RECORD, (uint16_t)t);
		run(e, in, out, period, 2 * RATE);
		send(e, FL_CMD_RECORD, (uint16_t)t);
		run(e, in, out, period, RATE / 2);
	}
	run(e, in, out, period, 4 * RATE);
	send(e, FL_CMD_OVERDUB, 0);
	run(e, in, out, period, RATE);
	/* Best of 7 runs of 4 s of audio: the minimum is the cost without
	 * interference from other processes on the machine. */
	const uint64_t frames = 4 * RATE;
	double ns = 1e30;
	for (int k = 0; k < 7; k++) {
		double t0 = now_ns();
		run(e, in, out, period, frames);
		double v = (now_ns() - t0) / (double)frames;
		ns = v < ns ? v : ns;
	}
	double budget = 1e9 / RATE;
	printf("%2u tracks (1 overdubbing), period %3u: %7.1f ns/frame  %5.2f %% of one core\n",
	       tracks, period, ns, 100.0 * ns / budget);
	for (int c = 0; c < 2; c++) {
		free(in[c]);
		free(out[c]);
	}
	fl_engine_free(e);
}

int
main(void)
{
	fl_denormals_disable();
	const uint32_t tracks[] = {1, 8, 16}, periods[] = {64, 256};
	printf("footloop engine benchmark, 48 kHz stereo, loops of 2 s, monitor on, no limiter, best of 7\n");
	for (int p = 0; p < 2; p++)
		for (int t = 0; t < 3; t++)
			bench(tracks[t], periods[p]);
	return 0;
}
