/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Input latency: from an edge or MIDI event read to the engine command
 * queued. Foot switch path: fl_gpio_inject -> pipe -> fl_gpio_read ->
 * gestures -> action -> command pushed into an fl_spsc. MIDI path: bytes
 * pushed into the JACK-side midi queue -> pop -> parse -> map -> action ->
 * command. The action layer is a stand-in (src/control/actions.c is not
 * linked here): it resolves the selected track and fills an fl_cmd.
 * Prints p50, p99, p99.9 and max over 10^5 events per path; target
 * p99.9 <= 1 ms. The input sources are compiled in (bench programs link
 * only fl_engine and fl_dsp). */
#include "core/spsc.h"
#include "footloop/cmd.h"

#include "input/action_parse.c"
#include "input/gestures.c"
#include "input/gpio.c"
#include "input/gpio_config.c"
#include "input/led.c"
#include "input/midi_learn.c"
#include "input/midi_map.c"
#include "input/midi_parse.c"
#include "input/midi_queue.c"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define N_EVENTS 100000

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Stand-in for fl_actions_apply(): one command per action. */
static bool
queue_action(struct fl_spsc *q, const struct fl_action *a)
{
	struct fl_cmd cmd = {.type = FL_CMD_RECORD,
	                     .track = (uint16_t)(a->track == FL_TRACK_SELECTED ? 0 : a->track),
	                     .value = a->value};
	return fl_spsc_push(q, &cmd);
}

static void
drain(struct fl_spsc *q)
{
	struct fl_cmd cmd;

	while (fl_spsc_pop(q, &cmd))
		;
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
 * event time) read back and recognised; press = record on switch 1. */
static size_t
bench_gpio(struct fl_spsc *q, uint64_t *lat)
{
	struct fl_gpio_config c;
	struct fl_gesture_config gc[FL_GPIO_MAX_SWITCHES];
	struct fl_gestures gs;
	struct fl_gesture_out out[FL_GESTURE_MAX_OUT];
	struct fl_gpio_edge edges[4];
	struct fl_gpio *g;
	size_t n_lat = 0, n;
	int fd = -1;

	fl_gpio_config_defaults(&c);
	fl_gesture_config_defaults(&c.sw[0].gesture);
	c.sw[0].gesture.bind[FL_GESTURE_PRESS] =
		(struct fl_action){FL_ACTION_RECORD, FL_TRACK_SELECTED, 1.0f, 0, 0};
	c.sw[0].gesture.bind[FL_GESTURE_RELEASE] = c.sw[0].gesture.bind[FL_GESTURE_PRESS];
	if (fl_gpio_open_inject(&c, &g) != FL_OK)
		return 0;
	(void)fl_gpio_fds(g, &fd, 1);
	fl_gestures_init(&gs, gc, fl_gpio_gesture_configs(&c, gc, FL_GPIO_MAX_SWITCHES));
	for (uint32_t i = 0; i < N_EVENTS; i++) {
		uint64_t t0 = now_ns(), t1;
		bool queued = false;
		if (fl_gpio_inject(g, 0, (int)(i & 1), (uint64_t)i * 50000000ull) != FL_OK)
			break;
		if (fl_gpio_read(g, fd, edges, 4, &n) != FL_OK)
			break;
		for (size_t e = 0; e < n; e++) {
			size_t k = fl_gestures_edge(&gs, edges[e].sw, edges[e].pressed,
			                            edges[e].timestamp_ns, out, FL_GESTURE_MAX_OUT);
			for (size_t j = 0; j < k; j++)
				queued |= queue_action(q, &out[j].action);
		}
		t1 = now_ns();
		if (queued)
			lat[n_lat++] = t1 - t0;
		drain(q);
	}
	fl_gpio_free(g);
	return n_lat;
}

/* Each event: a 3-byte CC (alternating 127/0) pushed by the "JACK side",
 * popped, parsed and mapped; mode=toggle so each message fires. */
static size_t
bench_midi(struct fl_spsc *q, uint64_t *lat)
{
	static struct fl_midi_map map;
	struct fl_midi_queue mq;
	struct fl_midi_parser p;
	struct fl_midi_event ev;
	struct fl_midi_msg msgs[4];
	struct fl_action acts[4];
	char err[128];
	size_t n_lat = 0;

	fl_midi_map_init(&map);
	fl_midi_parser_init(&p);
	for (int i = 0; i < 60; i++) { /* a realistic map: the match is the last line */
		char line[64];
		snprintf(line, sizeof(line), "any note %d undo 1", i);
		if (fl_midi_map_add_line(&map, line, "bench", 1, err, sizeof(err)) != FL_OK)
			return 0;
	}
	if (fl_midi_map_add_line(&map, "any cc 80 rec_dub selected mode=toggle", "bench", 1, err,
	                         sizeof(err)) != FL_OK ||
	    fl_midi_queue_init(&mq, 256, false) != FL_OK)
		return 0;
	for (uint32_t i = 0; i < N_EVENTS; i++) {
		const uint8_t cc[3] = {0xB0, 80, (uint8_t)(i & 1 ? 0 : 127)};
		uint64_t t0 = now_ns(), t1;
		bool queued = false;
		(void)fl_midi_queue_push(&mq, i, cc, 3);
		while (fl_midi_queue_pop(&mq, &ev)) {
			size_t n = fl_midi_parse(&p, ev.bytes, ev.size, msgs, 4);
			for (size_t m = 0; m < n; m++) {
				size_t k = fl_midi_map_input(&map, &msgs[m], acts, 4);
				for (size_t j = 0; j < k; j++)
					queued |= queue_action(q, &acts[j]);
			}
		}
		t1 = now_ns();
		if (queued)
			lat[n_lat++] = t1 - t0;
		drain(q);
	}
	fl_midi_queue_destroy(&mq);
	return n_lat;
}

int
main(void)
{
	struct fl_spsc q;
	uint64_t *lat = malloc(N_EVENTS * sizeof(*lat));
	size_t n;

	if (!lat || fl_spsc_init(&q, 256, sizeof(struct fl_cmd)) != FL_OK)
		return 1;
	n = bench_gpio(&q, lat);
	if (n == 0) {
		fprintf(stderr, "bench_input: GPIO path produced no commands\n");
		return 1;
	}
	report("gpio edge -> cmd queued", lat, n);
	n = bench_midi(&q, lat);
	if (n == 0) {
		fprintf(stderr, "bench_input: MIDI path produced no commands\n");
		return 1;
	}
	report("midi event -> cmd queued", lat, n);
	fl_spsc_destroy(&q);
	free(lat);
	return 0;
}
