/* SPDX-License-Identifier: GPL-2.0-or-later */
/* RtMidi (ALSA sequencer) glue. RtMidi sets ok=false and msg when a C++
 * exception was caught and never resets ok; msg is taken from the caught
 * exception's what() inside the catch block, so it already points at freed
 * storage when we see it (AddressSanitizer shows the use after free with
 * RtMidi 5). So every call is followed by check(), which resets ok and
 * reports the failed call by name without reading msg (RtMidi prints its
 * own reason to stderr). */
#include "input/midi_rtmidi.h"

#include "input/midi_queue.h"

#include <rtmidi/rtmidi_c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PORT_NAME_MAX 256
#define QUEUE_SLOTS 1024

struct fl_midi_port {
	RtMidiPtr dev;
	bool is_in;
	char match[PORT_NAME_MAX];
	char connected[PORT_NAME_MAX]; ///< full name of the open port, "" = none
};

struct fl_midi_alsa {
	char client[64];
	struct fl_midi_port in, out;
	struct fl_midi_queue queue; ///< RtMidi thread -> control thread
	struct fl_midi_parser parser;
};

/* After every RtMidi call: false (and err filled) when it failed. */
static bool
check(RtMidiPtr dev, const char *what, char *err, size_t errlen)
{
	if (!dev)
		return false;
	if (dev->ok)
		return true;
	snprintf(err, errlen,
	         "MIDI: %s failed (RtMidi's reason is on stderr; is the ALSA sequencer there? "
	         "see /proc/asound/seq)",
	         what);
	dev->ok = true;
	return false;
}

/* RtMidi's ALSA thread: copy and wake, nothing else. */
static void
on_midi(double timestamp, const unsigned char *msg, size_t size, void *user)
{
	struct fl_midi_alsa *m = user;
	struct timespec ts;

	(void)timestamp;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (fl_midi_queue_push(&m->queue,
	                       (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec, msg, size))
		fl_midi_queue_wake(&m->queue);
}

static enum fl_status
create_in(struct fl_midi_alsa *m, char *err, size_t errlen)
{
	m->in.dev = rtmidi_in_create(RTMIDI_API_LINUX_ALSA, m->client, 100);
	if (!check(m->in.dev, "opening the ALSA sequencer (input)", err, errlen))
		return FL_ERR_DEVICE;
	rtmidi_in_ignore_types(m->in.dev, true, true, true);
	if (!check(m->in.dev, "rtmidi_in_ignore_types", err, errlen))
		return FL_ERR_DEVICE;
	rtmidi_in_set_callback(m->in.dev, on_midi, m);
	if (!check(m->in.dev, "rtmidi_in_set_callback", err, errlen))
		return FL_ERR_DEVICE;
	return FL_OK;
}

enum fl_status
fl_midi_alsa_open(const char *client, const char *in_match, const char *out_match,
                  struct fl_midi_alsa **out, char *err, size_t errlen)
{
	struct fl_midi_alsa *m = calloc(1, sizeof(*m));
	enum fl_status st;

	*out = NULL;
	if (!m)
		return FL_ERR_NOMEM;
	snprintf(m->client, sizeof(m->client), "%s", client);
	snprintf(m->in.match, sizeof(m->in.match), "%s", in_match ? in_match : "");
	snprintf(m->out.match, sizeof(m->out.match), "%s", out_match ? out_match : "");
	m->in.is_in = true;
	fl_midi_parser_init(&m->parser);
	if ((st = fl_midi_queue_init(&m->queue, QUEUE_SLOTS, true)) != FL_OK) {
		free(m);
		return st;
	}
	st = create_in(m, err, errlen);
	if (st == FL_OK && m->out.match[0]) {
		m->out.dev = rtmidi_out_create(RTMIDI_API_LINUX_ALSA, m->client);
		if (!check(m->out.dev, "opening the ALSA sequencer (output)", err, errlen))
			st = FL_ERR_DEVICE;
	}
	if (st != FL_OK) {
		if (strstr(err, "sequencer"))
			snprintf(err + strlen(err), errlen - strlen(err),
			         " (no ALSA sequencer: is snd-seq loaded? MIDI through JACK still works)");
		fl_midi_alsa_free(m);
		return st;
	}
	(void)fl_midi_alsa_rescan(m, err, errlen);
	*out = m;
	return FL_OK;
}

void
fl_midi_alsa_free(struct fl_midi_alsa *m)
{
	if (!m)
		return;
	/* A failed create leaves a wrapper with ptr == NULL: free only that. */
	if (m->in.dev && m->in.dev->ptr)
		rtmidi_in_cancel_callback(m->in.dev);
	if (m->in.dev)
		rtmidi_in_free(m->in.dev); /* closes the port and joins RtMidi's thread */
	if (m->out.dev)
		rtmidi_out_free(m->out.dev);
	fl_midi_queue_destroy(&m->queue);
	free(m);
}

int
fl_midi_alsa_fd(const struct fl_midi_alsa *m)
{
	return m->queue.wake_fd;
}

size_t
fl_midi_alsa_read(struct fl_midi_alsa *m, struct fl_midi_msg *out, size_t max)
{
	struct fl_midi_event ev;
	size_t n = 0;

	fl_midi_queue_clear_wake(&m->queue);
	while (n < max && fl_midi_queue_pop(&m->queue, &ev))
		n += fl_midi_parse(&m->parser, ev.bytes, ev.size, out + n, max - n);
	return n;
}

/* Finds a port whose name contains match (and is not one of ours); writes
 * its index and name. */
static bool
find_port(struct fl_midi_alsa *m, struct fl_midi_port *p, const char *exact, unsigned *index,
          char *name, char *err, size_t errlen)
{
	unsigned count = rtmidi_get_port_count(p->dev);

	if (!check(p->dev, "rtmidi_get_port_count", err, errlen))
		return false;
	for (unsigned i = 0; i < count; i++) {
		int len = PORT_NAME_MAX;
		if (rtmidi_get_port_name(p->dev, i, name, &len) < 0 ||
		    !check(p->dev, "rtmidi_get_port_name", err, errlen))
			continue;
		if (exact ? strcmp(name, exact) == 0
		          : strstr(name, p->match) && strncmp(name, m->client, strlen(m->client)) != 0) {
			*index = i;
			return true;
		}
	}
	return false;
}

/* Returns true when the port was newly connected. */
static bool
rescan_port(struct fl_midi_alsa *m, struct fl_midi_port *p, char *err, size_t errlen)
{
	char name[PORT_NAME_MAX];
	unsigned index;

	if (!p->dev || !p->match[0])
		return false;
	if (p->connected[0]) {
		if (find_port(m, p, p->connected, &index, name, err, errlen))
			return false; /* still there */
		rtmidi_close_port(p->dev);
		(void)check(p->dev, "rtmidi_close_port", err, errlen);
		snprintf(err, errlen, "MIDI: port \"%s\" went away; waiting for it", p->connected);
		p->connected[0] = '\0';
	}
	if (!find_port(m, p, NULL, &index, name, err, errlen))
		return false;
	rtmidi_open_port(p->dev, index, p->is_in ? "in" : "feedback");
	if (!check(p->dev, "rtmidi_open_port", err, errlen))
		return false;
	snprintf(p->connected, sizeof(p->connected), "%s", name);
	snprintf(err, errlen, "MIDI: connected %s \"%s\"", p->is_in ? "input" : "output", name);
	return true;
}

bool
fl_midi_alsa_rescan(struct fl_midi_alsa *m, char *err, size_t errlen)
{
	if (errlen)
		err[0] = '\0';
	(void)rescan_port(m, &m->in, err, errlen);
	return rescan_port(m, &m->out, err, errlen);
}

enum fl_status
fl_midi_alsa_send(struct fl_midi_alsa *m, const struct fl_midi_msg *msgs, size_t n, char *err,
                  size_t errlen)
{
	if (!m->out.dev || !m->out.connected[0])
		return FL_OK;
	for (size_t i = 0; i < n; i++) {
		unsigned char b[3] = {(unsigned char)(msgs[i].status | msgs[i].channel), msgs[i].data1,
		                      msgs[i].data2};
		int len = fl_midi_data_len(b[0]) + 1;
		if (len < 1 || len > 3)
			continue;
		rtmidi_out_send_message(m->out.dev, b, len);
		if (!check(m->out.dev, "rtmidi_out_send_message", err, errlen))
			return FL_ERR_DEVICE;
	}
	return FL_OK;
}

bool
fl_midi_alsa_in_connected(const struct fl_midi_alsa *m)
{
	return m->in.connected[0] != '\0';
}

bool
fl_midi_alsa_out_connected(const struct fl_midi_alsa *m)
{
	return m->out.connected[0] != '\0';
}
