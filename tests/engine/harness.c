/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "harness.h"

#include "rt_guard.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
h_config(struct fl_engine_config *cfg, uint32_t tracks)
{
	fl_engine_config_defaults(cfg);
	cfg->n_tracks = tracks;
	cfg->track_seconds = 20.0f;
	cfg->monitor = false;
	cfg->sample_rate = H_RATE;
	cfg->limiter = false; /* most tests compare output frames with input frames */
}

struct fl_engine *
h_engine(const struct fl_engine_config *cfg)
{
	struct fl_engine *e = NULL;
	if (fl_engine_create(cfg, &e) != FL_OK) {
		fprintf(stderr, "engine create failed\n");
		exit(1);
	}
	return e;
}

void
h_free(struct fl_engine *e)
{
	fl_engine_free(e);
}

void
h_cmd(struct fl_engine *e, uint16_t type, uint16_t track, float value, uint64_t frame)
{
	struct fl_cmd c = {.type = type, .track = track, .value = value, .frame = frame};
	c.arg = (uint32_t)value;
	if (fl_engine_send(e, &c) != FL_OK) {
		fprintf(stderr, "command queue full\n");
		exit(1);
	}
}

#define RAMP_PERIOD 4000037u

float
h_ramp(uint64_t frame)
{
	return (float)((frame % RAMP_PERIOD) + 1u) * (1.0f / 4194304.0f);
}

int64_t
h_ramp_frame(float v, uint64_t near)
{
	double k = (double)v * 4194304.0 - 1.0;
	if (k < 0 || k != floor(k))
		return -1;
	uint64_t base = near - near % RAMP_PERIOD;
	return (int64_t)(base + (uint64_t)k);
}

void
h_fill_ramp(float *l, float *r, uint64_t from, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		l[i] = h_ramp(from + i);
		r[i] = -l[i];
	}
}

static uint32_t
next_rand(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

void
h_run(struct fl_engine *e, const float *const in[2], float *const out[2], uint64_t n,
      uint32_t block, const struct h_step *steps, size_t n_steps, uint32_t seed)
{
	static float dummy[2][4096];
	uint64_t t0 = fl_engine_frame(e);
	size_t next_step = 0;
	while (next_step < n_steps && steps[next_step].frame < t0)
		next_step++;
	uint64_t done = 0;
	while (done < n) {
		uint32_t b = block ? block : 1u + next_rand(&seed) % 1024u;
		if (b > 4096)
			b = 4096;
		if (b > n - done)
			b = (uint32_t)(n - done);
		uint64_t t = t0 + done;
		while (next_step < n_steps && steps[next_step].frame < t + b) {
			const struct h_step *s = &steps[next_step++];
			struct fl_cmd c = {.type = s->type, .track = s->track, .value = s->value,
			                   .arg = s->arg, .frame = s->frame};
			if (fl_engine_send(e, &c) != FL_OK) {
				fprintf(stderr, "command queue full\n");
				exit(1);
			}
		}
		struct fl_engine_io io = {
			.in = {in && in[0] ? in[0] + done : NULL, in && in[1] ? in[1] + done : NULL},
			.out = {out && out[0] ? out[0] + done : dummy[0],
			        out && out[1] ? out[1] + done : dummy[1]},
		};
		fl_rt_guard_enter();
		fl_engine_process(e, &io, b);
		fl_rt_guard_leave();
		done += b;
		struct fl_event ev;
		while (fl_engine_poll_event(e, &ev))
			;
	}
}

struct fl_track_status
h_track(struct fl_engine *e, uint32_t track)
{
	struct fl_engine_status st;
	struct fl_track_status ts[FL_MAX_TRACKS];
	fl_engine_get_status(e, &st, ts, FL_MAX_TRACKS);
	return ts[track];
}
