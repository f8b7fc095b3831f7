/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fl_jack_midi: sends MIDI bytes into a JACK MIDI port at given frame
 * offsets, then exits (integration tests: MIDI into footloop:midi_in).
 *
 *   fl_jack_midi [--server NAME] [--name CLIENT] --to PORT EVENT...
 *   EVENT: FRAME:HEX    FRAME frames after the first cycle once connected,
 *                       HEX the message bytes ("B0507F" = CC 80 value 127)
 *
 * Events are written in the cycle that holds their frame, in order. The
 * tool waits (5 s at most) until the connection to PORT is in place before
 * the first cycle counts, and for one more cycle after the last event so
 * that the receiver has read it. Exit: 0 sent, 1 JACK or timeout, 2 usage.
 *
 *   fl_jack_midi [--server NAME] [--name CLIENT] --from PORT [--seconds S]
 *                [--ready FILE]
 *   Capture: connects PORT to our input and prints every event received as
 *   "FRAME HEX" (FRAME the absolute JACK frame time of the event, HEX its
 *   bytes, "903803"), one line each, flushed, until SIGTERM/SIGINT or S
 *   seconds (default 30). FILE is created once the connection is in place.
 *   The process callback only copies events into a jack_ringbuffer; the
 *   main thread prints. Exit: 0, 1 JACK (or events lost), 2 usage. */
#include <jack/jack.h>
#include <jack/midiport.h>
#include <jack/ringbuffer.h>
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS 256

struct ev {
	uint64_t frame;
	size_t size;
	unsigned char bytes[16];
};

static struct ev events[MAX_EVENTS];
static size_t n_events;
static jack_port_t *port;
static _Atomic int go;          /* 1: the connection is up, start counting */
static _Atomic size_t next_ev;  /* events written so far */
static _Atomic uint64_t cycles_after; /* cycles run after the last event */
static uint64_t elapsed;        /* process thread only */

static int
on_process(jack_nframes_t nframes, void *arg)
{
	(void)arg;
	void *buf = jack_port_get_buffer(port, nframes);
	jack_midi_clear_buffer(buf);
	if (!atomic_load(&go))
		return 0;
	size_t i = atomic_load(&next_ev);
	while (i < n_events && events[i].frame < elapsed + nframes) {
		uint64_t at = events[i].frame < elapsed ? 0 : events[i].frame - elapsed;
		if (jack_midi_event_write(buf, (jack_nframes_t)at, events[i].bytes, events[i].size))
			break; /* buffer full: the rest goes next cycle */
		i++;
	}
	atomic_store(&next_ev, i);
	if (i == n_events)
		atomic_fetch_add(&cycles_after, 1);
	elapsed += nframes;
	return 0;
}

/* Capture mode: one record per event, RT -> main thread. */
struct cap_rec {
	uint64_t frame;
	uint8_t size;
	unsigned char bytes[15];
};

static jack_port_t *in_port;
static jack_ringbuffer_t *cap_ring;
static jack_client_t *cap_client;
static _Atomic unsigned cap_lost;
static volatile sig_atomic_t cap_stop;

static int
on_capture(jack_nframes_t nframes, void *arg)
{
	(void)arg;
	void *buf = jack_port_get_buffer(in_port, nframes);
	uint64_t base = jack_last_frame_time(cap_client);
	uint32_t n = jack_midi_get_event_count(buf);
	for (uint32_t i = 0; i < n; i++) {
		jack_midi_event_t ev;
		if (jack_midi_event_get(&ev, buf, i) != 0)
			continue;
		struct cap_rec r = {.frame = base + ev.time};
		r.size = (uint8_t)(ev.size < sizeof r.bytes ? ev.size : sizeof r.bytes);
		memcpy(r.bytes, ev.buffer, r.size);
		if (jack_ringbuffer_write_space(cap_ring) < sizeof r)
			atomic_fetch_add(&cap_lost, 1u);
		else
			jack_ringbuffer_write(cap_ring, (const char *)&r, sizeof r);
	}
	return 0;
}

static void
on_stop_signal(int sig)
{
	(void)sig;
	cap_stop = 1;
}

static void
print_captured(void)
{
	struct cap_rec r;
	while (jack_ringbuffer_read_space(cap_ring) >= sizeof r) {
		jack_ringbuffer_read(cap_ring, (char *)&r, sizeof r);
		printf("%llu ", (unsigned long long)r.frame);
		for (unsigned k = 0; k < r.size; k++)
			printf("%02X", r.bytes[k]);
		putchar('\n');
	}
	fflush(stdout);
}

static void sleep_ms(long ms);

static int
capture(const char *server, const char *name, const char *from, double seconds,
        const char *ready)
{
	jack_status_t status;
	struct sigaction sa = {.sa_handler = on_stop_signal};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	cap_client = jack_client_open(name, server ? JackServerName | JackNoStartServer
	                                           : JackNoStartServer, &status, server);
	if (!cap_client) {
		fprintf(stderr, "fl_jack_midi: cannot open a JACK client (status 0x%x)\n", status);
		return 1;
	}
	int rc = 1;
	cap_ring = jack_ringbuffer_create(4096 * sizeof(struct cap_rec));
	in_port = jack_port_register(cap_client, "in", JACK_DEFAULT_MIDI_TYPE, JackPortIsInput, 0);
	if (!cap_ring || !in_port || jack_set_process_callback(cap_client, on_capture, NULL) ||
	    jack_activate(cap_client)) {
		fprintf(stderr, "fl_jack_midi: cannot register or activate\n");
		goto out;
	}
	int r = jack_connect(cap_client, from, jack_port_name(in_port));
	if (r != 0 && r != EEXIST) {
		fprintf(stderr, "fl_jack_midi: cannot connect %s to our input\n", from);
		goto out;
	}
	for (int t = 0; t < 500 && !jack_port_connected_to(in_port, from); t++)
		sleep_ms(10);
	if (ready) {
		FILE *f = fopen(ready, "w");
		if (f)
			fclose(f);
	}
	for (long t = 0; !cap_stop && t < (long)(seconds * 100.0); t++) {
		print_captured();
		sleep_ms(10);
	}
	print_captured();
	rc = atomic_load(&cap_lost) ? 1 : 0;
	if (rc)
		fprintf(stderr, "fl_jack_midi: %u events lost\n", atomic_load(&cap_lost));
out:
	jack_client_close(cap_client);
	if (cap_ring)
		jack_ringbuffer_free(cap_ring);
	return rc;
}

static int
hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool
parse_event(const char *s, struct ev *e)
{
	char *end;
	e->frame = strtoull(s, &end, 10);
	if (end == s || *end != ':')
		return false;
	const char *h = end + 1;
	size_t len = strlen(h);
	if (len == 0 || len % 2 || len / 2 > sizeof e->bytes)
		return false;
	for (size_t i = 0; i < len / 2; i++) {
		int a = hex_nibble(h[2 * i]), b = hex_nibble(h[2 * i + 1]);
		if (a < 0 || b < 0)
			return false;
		e->bytes[i] = (unsigned char)(a << 4 | b);
	}
	e->size = len / 2;
	return true;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static int
usage(void)
{
	fputs("usage: fl_jack_midi [--server NAME] [--name CLIENT] --to PORT FRAME:HEX...\n"
	      "       fl_jack_midi [--server NAME] [--name CLIENT] --from PORT [--seconds S]"
	      " [--ready FILE]\n", stderr);
	return 2;
}

int
main(int argc, char **argv)
{
	const char *server = NULL, *name = "fl_jack_midi", *to = NULL, *from = NULL, *ready = NULL;
	double seconds = 30.0;
	int i = 1;
	for (; i < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		if (i + 1 >= argc)
			return usage();
		if (strcmp(argv[i], "--server") == 0)
			server = argv[i + 1];
		else if (strcmp(argv[i], "--name") == 0)
			name = argv[i + 1];
		else if (strcmp(argv[i], "--to") == 0)
			to = argv[i + 1];
		else if (strcmp(argv[i], "--from") == 0)
			from = argv[i + 1];
		else if (strcmp(argv[i], "--ready") == 0)
			ready = argv[i + 1];
		else if (strcmp(argv[i], "--seconds") == 0 && atof(argv[i + 1]) > 0.0)
			seconds = atof(argv[i + 1]);
		else
			return usage();
	}
	if (from && !to && i >= argc)
		return capture(server, name, from, seconds, ready);
	if (!to || i >= argc)
		return usage();
	for (; i < argc; i++) {
		if (n_events == MAX_EVENTS || !parse_event(argv[i], &events[n_events])) {
			fprintf(stderr, "fl_jack_midi: bad event '%s' (want FRAME:HEX)\n", argv[i]);
			return 2;
		}
		if (n_events && events[n_events].frame < events[n_events - 1].frame) {
			fprintf(stderr, "fl_jack_midi: events must be in frame order\n");
			return 2;
		}
		n_events++;
	}
	jack_status_t status;
	jack_client_t *c = jack_client_open(name, server ? JackServerName | JackNoStartServer
	                                                 : JackNoStartServer, &status, server);
	if (!c) {
		fprintf(stderr, "fl_jack_midi: cannot open a JACK client (status 0x%x)\n", status);
		return 1;
	}
	port = jack_port_register(c, "out", JACK_DEFAULT_MIDI_TYPE, JackPortIsOutput, 0);
	int rc = 1;
	if (!port || jack_set_process_callback(c, on_process, NULL) || jack_activate(c)) {
		fprintf(stderr, "fl_jack_midi: cannot register or activate\n");
		goto out;
	}
	int r = jack_connect(c, jack_port_name(port), to);
	if (r != 0 && r != EEXIST) {
		fprintf(stderr, "fl_jack_midi: cannot connect to %s\n", to);
		goto out;
	}
	for (int t = 0; t < 500 && !jack_port_connected_to(port, to); t++)
		sleep_ms(10);
	atomic_store(&go, 1);
	for (int t = 0; t < 500 && atomic_load(&cycles_after) < 2; t++)
		sleep_ms(10);
	if (atomic_load(&cycles_after) < 2) {
		fprintf(stderr, "fl_jack_midi: sent %zu of %zu events within 5 s\n",
		        atomic_load(&next_ev), n_events);
		goto out;
	}
	rc = 0;
out:
	jack_client_close(c);
	return rc;
}
