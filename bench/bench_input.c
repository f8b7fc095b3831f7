/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Input latency: from an edge or MIDI event read to the engine command
 * queued, through the code footloop runs (src/control/inputs.c, linked from
 * fl_app):
 *   foot switch: fl_gpio_inject -> pipe -> fl_inputs_on_fd -> fl_gpio_read
 *     -> fl_gestures_edge -> fl_actions_apply -> fl_engine_send;
 *   MIDI: bytes pushed into the JACK-side queue (as the process callback
 *     does) -> fl_inputs_tick -> fl_midi_parse -> fl_midi_map_input (a
 *     61-line map, the match last) -> fl_actions_apply -> fl_engine_send.
 * The clock stops inside the send hook, right after fl_engine_send
 * returned. The engine is real (1 track, 48 kHz) and rendered between
 * events, outside the timed region, so its command queue never fills.
 * Prints p50, p99, p99.9 and max over 10^5 events per path; target
 * p99.9 <= 1 ms. (The MIDI figure also holds the tick's LED and feedback
 * work; add up to one 10 ms tick of waiting for a JACK MIDI event.) */
#include "control/inputs.h"
#include "core/log.h"
#include "footloop/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N_EVENTS 100000

struct bench {
	struct fl_engine *engine;
	struct fl_actions actions;
	struct fl_inputs in;
	uint64_t t_sent; ///< when the last command was queued, 0 = none
	uint64_t refused;
};

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static enum fl_status
on_send(void *user, const struct fl_cmd *cmd)
{
	struct bench *b = user;
	enum fl_status st = fl_engine_send(b->engine, cmd);
	b->t_sent = now_ns();
	if (st != FL_OK)
		b->refused++;
	return st;
}

/* Renders a little so the engine applies (and drops) what was queued. */
static void
render(struct bench *b)
{
	static float in[2][64], out[2][64];
	struct fl_engine_io io = {{in[0], in[1]}, {out[0], out[1]}};
	fl_engine_process(b->engine, &io, 64);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static void
report(const char *name, uint64_t *lat, size_t n)
{
	qsort(lat, n, sizeof(*lat), cmp_u64);
	printf("%-28s n=%zu  p50 %6.2f us  p99 %6.2f us  p99.9 %6.2f us  max %7.2f us  %s\n", name,
	       n, (double)lat[n / 2] / 1e3, (double)lat[n * 99 / 100] / 1e3,
	       (double)lat[n * 999 / 1000] / 1e3, (double)lat[n - 1] / 1e3,
	       lat[n * 999 / 1000] <= 1000000 ? "(target p99.9 <= 1 ms: met)"
	                                       : "(target p99.9 <= 1 ms: MISSED)");
}

/* Each event: one injected edge (alternating press/release, 50 ms apart in
 * event time); press and release are both bound to mute_toggle. */
static size_t
bench_gpio(struct bench *b, uint64_t *lat)
{
	struct fl_gpio_config c;
	char err[256];
	size_t n_lat = 0;
	int fds[FL_INPUTS_MAX_FDS];

	fl_gpio_config_defaults(&c);
	fl_gesture_config_defaults(&c.sw[0].gesture);
	c.sw[0].gesture.bind[FL_GESTURE_PRESS] =
		(struct fl_action){FL_ACTION_MUTE_TOGGLE, FL_TRACK_SELECTED, 1.0f, 0, 0, 0};
	c.sw[0].gesture.bind[FL_GESTURE_RELEASE] = c.sw[0].gesture.bind[FL_GESTURE_PRESS];
	if (fl_inputs_start_gpio(&b->in, &c, true, err, sizeof(err)) != FL_OK) {
		fprintf(stderr, "bench_input: %s\n", err);
		return 0;
	}
	(void)fl_inputs_fds(&b->in, fds, FL_INPUTS_MAX_FDS);
	for (uint32_t i = 0; i < N_EVENTS; i++) {
		uint64_t ts = 1000000000ull + (uint64_t)i * 50000000ull;
		b->t_sent = 0;
		uint64_t t0 = now_ns();
		if (fl_gpio_inject(b->in.gpio, 0, (int)(i & 1), ts) != FL_OK)
			break;
		fl_inputs_on_fd(&b->in, fds[0], ts);
		if (b->t_sent)
			lat[n_lat++] = b->t_sent - t0;
		render(b);
	}
	return n_lat;
}

/* Each event: a 3-byte CC (alternating 127/0) pushed by the "JACK side"
 * and drained by the control tick; mode=toggle so each message fires. */
static size_t
bench_midi(struct bench *b, uint64_t *lat)
{
	static struct fl_snapshot snap;
	char err[128];
	size_t n_lat = 0;

	for (int i = 0; i < 60; i++) { /* a realistic map: the match is the last line */
		char line[64];
		snprintf(line, sizeof(line), "any note %d undo 1", i);
		if (fl_midi_map_add_line(&b->in.map, line, "bench", 1, err, sizeof(err)) != FL_OK)
			return 0;
	}
	if (fl_midi_map_add_line(&b->in.map, "any cc 80 mute_toggle selected mode=toggle", "bench",
	                         1, err, sizeof(err)) != FL_OK)
		return 0;
	snap.n_tracks = 1;
	for (uint32_t i = 0; i < N_EVENTS; i++) {
		const uint8_t cc[3] = {0xB0, 80, (uint8_t)(i & 1 ? 0 : 127)};
		b->t_sent = 0;
		uint64_t t0 = now_ns();
		(void)fl_midi_queue_push(&b->in.jack_in, i, cc, 3);
		fl_inputs_tick(&b->in, &snap, i);
		if (b->t_sent)
			lat[n_lat++] = b->t_sent - t0;
		render(b);
	}
	return n_lat;
}

int
main(void)
{
	static struct bench b;
	struct fl_engine_config ec;
	static struct fl_config cfg;
	char err[256];
	uint64_t *lat = malloc(N_EVENTS * sizeof(*lat));
	size_t n;

	fl_log_set_level(FL_LOG_ERROR);
	fl_engine_config_defaults(&ec);
	ec.n_tracks = 1;
	ec.track_seconds = 2.0f;
	fl_config_defaults(&cfg);
	if (!lat || fl_engine_create(&ec, &b.engine) != FL_OK)
		return 1;
	fl_actions_init(&b.actions, 1);
	struct fl_inputs_hooks hooks = {.send = on_send, .user = &b};
	if (fl_inputs_init(&b.in, &cfg, &b.actions, &hooks, err, sizeof(err)) != FL_OK) {
		fprintf(stderr, "bench_input: %s\n", err);
		return 1;
	}
	n = bench_gpio(&b, lat);
	if (n == 0) {
		fprintf(stderr, "bench_input: GPIO path produced no commands\n");
		return 1;
	}
	report("gpio edge -> cmd queued", lat, n);
	n = bench_midi(&b, lat);
	if (n == 0) {
		fprintf(stderr, "bench_input: MIDI path produced no commands\n");
		return 1;
	}
	report("midi event -> cmd queued", lat, n);
	if (b.refused)
		printf("engine queue refused %llu commands\n", (unsigned long long)b.refused);
	fl_inputs_fini(&b.in);
	fl_engine_free(b.engine);
	free(lat);
	return 0;
}
