/* SPDX-License-Identifier: GPL-2.0-or-later */
/* JACK glue. Callbacks run in JACK's threads and only touch atomics, the
 * engine (process) and an eventfd (shutdown); everything that logs or
 * decides runs later on the control tick. Reconnecting after the server
 * went away: jack_reconnect.c. */
#include "jack/jack_backend.h"
#include "jack/jack_private.h"

#include "core/denormal.h"
#include "core/log.h"
#include "input/midi_queue.h"

#include <errno.h>
#include <jack/midiport.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>


/* Controller messages only: longer events (SysEx) are dropped by the push. */
FL_RT static void
midi_process(struct fl_jack *j, jack_nframes_t nframes, uint64_t frame0)
{
	if (j->midi_in && j->midi_in_q) {
		void *buf = jack_port_get_buffer(j->midi_in, nframes);
		uint32_t n = jack_midi_get_event_count(buf);
		jack_midi_event_t ev;
		for (uint32_t i = 0; i < n; i++)
			if (jack_midi_event_get(&ev, buf, i) == 0)
				(void)fl_midi_queue_push(j->midi_in_q, frame0 + ev.time, ev.buffer,
				                         ev.size);
	}
	if (j->midi_out) {
		void *buf = jack_port_get_buffer(j->midi_out, nframes);
		jack_midi_clear_buffer(buf);
		struct fl_midi_event ev;
		/* Bounded by the queue; a full port buffer keeps the rest for the
		 * next cycle. */
		while (j->midi_out_q && fl_spsc_peek(j->midi_out_q, &ev)) {
			if (jack_midi_event_write(buf, 0, ev.bytes, ev.size) != 0)
				break;
			(void)fl_spsc_pop(j->midi_out_q, &ev);
		}
	}
}

FL_RT static int
on_process(jack_nframes_t nframes, void *arg)
{
	struct fl_jack *j = arg;
	struct fl_engine_io io;
	for (int c = 0; c < FL_CHANNELS; c++) {
		io.in[c] = jack_port_get_buffer(j->in[c], nframes);
		io.out[c] = jack_port_get_buffer(j->out[c], nframes);
	}
	midi_process(j, nframes, fl_engine_frame(j->engine));
	fl_engine_process(j->engine, &io, nframes);
	return 0;
}

static void
on_thread_init(void *arg)
{
	(void)arg;
	fl_denormals_disable();
}

static int
on_xrun(void *arg)
{
	struct fl_jack *j = arg;
	atomic_fetch_add_explicit(&j->xruns, 1, memory_order_relaxed);
	return 0;
}

/* The engine takes any block size, so there is nothing to reallocate. */
static int
on_buffer_size(jack_nframes_t nframes, void *arg)
{
	struct fl_jack *j = arg;
	atomic_store_explicit(&j->buffer_size, nframes, memory_order_relaxed);
	return 0;
}

static int
on_sample_rate(jack_nframes_t rate, void *arg)
{
	struct fl_jack *j = arg;
	atomic_store_explicit(&j->sample_rate, rate, memory_order_relaxed);
	return 0;
}

/* Our ports pass their neighbours' latency on, plus what we add. */
static void
on_latency(jack_latency_callback_mode_t mode, void *arg)
{
	struct fl_jack *j = arg;
	jack_nframes_t own = atomic_load_explicit(&j->own_latency, memory_order_relaxed);
	jack_latency_range_t r;
	jack_port_t **from = mode == JackCaptureLatency ? j->in : j->out;
	jack_port_t **to = mode == JackCaptureLatency ? j->out : j->in;
	jack_port_get_latency_range(from[0], mode, &r);
	r.min += own;
	r.max += own;
	for (int c = 0; c < FL_CHANNELS; c++)
		jack_port_set_latency_range(to[c], mode, &r);
}

static void
on_shutdown(jack_status_t code, const char *reason, void *arg)
{
	struct fl_jack *j = arg;
	(void)code;
	snprintf(j->shutdown_reason, sizeof j->shutdown_reason, "%s",
	         reason && *reason ? reason : "no reason given");
	atomic_store(&j->gone, true);
	uint64_t one = 1;
	(void)!write(j->shutdown_fd, &one, sizeof one);
}

/* Remembering connections needs the server, which a callback may not
 * ask: the control tick does it when this flag is up. */
static void
on_port_connect(jack_port_id_t a, jack_port_id_t b, int connect, void *arg)
{
	struct fl_jack *j = arg;
	(void)a, (void)b, (void)connect;
	atomic_store_explicit(&j->conns_dirty, true, memory_order_relaxed);
}

static enum fl_status
register_ports(struct fl_jack *j, char *err, size_t errlen)
{
	static const char *const in_names[FL_CHANNELS] = {"in_1", "in_2"};
	static const char *const out_names[FL_CHANNELS] = {"out_1", "out_2"};
	for (int c = 0; c < FL_CHANNELS; c++) {
		j->in[c] = jack_port_register(j->client, in_names[c], JACK_DEFAULT_AUDIO_TYPE,
		                              JackPortIsInput, 0);
		j->out[c] = jack_port_register(j->client, out_names[c], JACK_DEFAULT_AUDIO_TYPE,
		                               JackPortIsOutput, 0);
		if (!j->in[c] || !j->out[c]) {
			snprintf(err, errlen, "cannot register JACK ports %s/%s", in_names[c],
			         out_names[c]);
			return FL_ERR_JACK;
		}
	}
	j->midi_in = jack_port_register(j->client, "midi_in", JACK_DEFAULT_MIDI_TYPE,
	                                JackPortIsInput, 0);
	j->midi_out = jack_port_register(j->client, "midi_out", JACK_DEFAULT_MIDI_TYPE,
	                                 JackPortIsOutput, 0);
	if (!j->midi_in || !j->midi_out) {
		snprintf(err, errlen, "cannot register JACK MIDI ports midi_in/midi_out");
		return FL_ERR_JACK;
	}
	return FL_OK;
}

static void
set_callbacks(struct fl_jack *j)
{
	jack_set_process_callback(j->client, on_process, j);
	jack_set_thread_init_callback(j->client, on_thread_init, j);
	jack_set_xrun_callback(j->client, on_xrun, j);
	jack_set_buffer_size_callback(j->client, on_buffer_size, j);
	jack_set_sample_rate_callback(j->client, on_sample_rate, j);
	jack_set_latency_callback(j->client, on_latency, j);
	jack_set_port_connect_callback(j->client, on_port_connect, j);
	jack_on_info_shutdown(j->client, on_shutdown, j);
}

enum fl_status
fl_jack_setup_client(struct fl_jack *j, char *err, size_t errlen)
{
	snprintf(j->client_name, sizeof j->client_name, "%s", jack_get_client_name(j->client));
	atomic_store(&j->sample_rate, jack_get_sample_rate(j->client));
	atomic_store(&j->buffer_size, jack_get_buffer_size(j->client));
	enum fl_status st = register_ports(j, err, errlen);
	if (st == FL_OK)
		set_callbacks(j);
	return st;
}

jack_port_t *
fl_jack_port_at(const struct fl_jack *j, int i)
{
	if (i < FL_CHANNELS)
		return j->in[i];
	if (i < 2 * FL_CHANNELS)
		return j->out[i - FL_CHANNELS];
	return i == 2 * FL_CHANNELS ? j->midi_in : j->midi_out;
}

enum fl_status
fl_jack_open(const char *name, const char *server, struct fl_jack **out, char *err,
             size_t errlen)
{
	*out = NULL;
	struct fl_jack *j = calloc(1, sizeof *j);
	if (!j)
		return FL_ERR_NOMEM;
	j->shutdown_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	snprintf(j->name, sizeof j->name, "%s", name);
	snprintf(j->server, sizeof j->server, "%s", server ? server : "");
	jack_options_t opts = JackNoStartServer;
	if (server && *server)
		opts |= JackServerName;
	jack_status_t status = 0;
	j->client = jack_client_open(name, opts, &status, server);
	if (!j->client) {
		const char *env = getenv("JACK_DEFAULT_SERVER");
		const char *shown = server && *server ? server : (env && *env ? env : "default");
		if (status & JackServerFailed)
			snprintf(err, errlen, "cannot connect to JACK server '%s': is jackd running?",
			         shown);
		else
			snprintf(err, errlen, "JACK server '%s' refused client '%s' (status 0x%x)",
			         shown, name, (unsigned)status);
		fl_jack_close(j);
		return FL_ERR_JACK;
	}
	if (status & JackNameNotUnique)
		fl_warn("JACK client name '%s' was taken; using '%s'", name,
		        jack_get_client_name(j->client));
	atomic_store(&j->rate_seen, jack_get_sample_rate(j->client));
	enum fl_status st = fl_jack_setup_client(j, err, errlen);
	if (st != FL_OK) {
		fl_jack_close(j);
		return st;
	}
	*out = j;
	return FL_OK;
}

void
fl_jack_close(struct fl_jack *j)
{
	if (!j)
		return;
	if (j->client) {
		if (j->active && !atomic_load(&j->gone))
			jack_deactivate(j->client);
		jack_client_close(j->client);
	}
	if (j->shutdown_fd >= 0)
		close(j->shutdown_fd);
	free(j);
}

enum fl_status
fl_jack_activate(struct fl_jack *j, struct fl_engine *engine, char *err, size_t errlen)
{
	j->engine = engine;
	if (jack_activate(j->client) != 0) {
		snprintf(err, errlen, "cannot activate JACK client '%s'", fl_jack_client_name(j));
		return FL_ERR_JACK;
	}
	j->active = true;
	return FL_OK;
}

static void
connect_one(struct fl_jack *j, const char *src, const char *dst)
{
	int r = jack_connect(j->client, src, dst);
	if (r != 0 && r != EEXIST)
		fl_warn("cannot connect JACK port %s -> %s", src, dst);
	else
		fl_debug("connected %s -> %s", src, dst);
}

void
fl_jack_connect(struct fl_jack *j, bool autoconnect, const char src[2][256],
                const char dst[2][256])
{
	char sys[64];
	if ((const void *)src != (const void *)j->cfg_src) { /* kept for a reconnect */
		j->cfg_set = true;
		j->autoconnect = autoconnect;
		memcpy(j->cfg_src, src, sizeof j->cfg_src);
		memcpy(j->cfg_dst, dst, sizeof j->cfg_dst);
	}
	for (int c = 0; c < FL_CHANNELS; c++) {
		snprintf(sys, sizeof sys, "system:capture_%d", c + 1);
		if (src[c][0] || autoconnect)
			connect_one(j, src[c][0] ? src[c] : sys, jack_port_name(j->in[c]));
		snprintf(sys, sizeof sys, "system:playback_%d", c + 1);
		if (dst[c][0] || autoconnect)
			connect_one(j, jack_port_name(j->out[c]), dst[c][0] ? dst[c] : sys);
	}
}

void
fl_jack_set_midi(struct fl_jack *j, struct fl_midi_queue *in, struct fl_spsc *out)
{
	j->midi_in_q = in;
	j->midi_out_q = out;
}

uint32_t
fl_jack_sample_rate(const struct fl_jack *j)
{
	return atomic_load_explicit(&j->sample_rate, memory_order_relaxed);
}

uint32_t
fl_jack_buffer_size(const struct fl_jack *j)
{
	return atomic_load_explicit(&j->buffer_size, memory_order_relaxed);
}

const char *
fl_jack_client_name(const struct fl_jack *j)
{
	return j->client_name;
}

int
fl_jack_shutdown_fd(const struct fl_jack *j)
{
	return j->shutdown_fd;
}

const char *
fl_jack_shutdown_reason(const struct fl_jack *j)
{
	return j->shutdown_reason;
}

uint32_t
fl_jack_xruns(const struct fl_jack *j)
{
	return atomic_load_explicit(&j->xruns, memory_order_relaxed);
}

bool
fl_jack_take_rate_change(struct fl_jack *j, uint32_t *rate)
{
	uint32_t now = atomic_load_explicit(&j->sample_rate, memory_order_relaxed);
	if (now == atomic_load_explicit(&j->rate_seen, memory_order_relaxed))
		return false;
	atomic_store_explicit(&j->rate_seen, now, memory_order_relaxed);
	*rate = now;
	return true;
}

uint32_t
fl_jack_round_trip_frames(struct fl_jack *j)
{
	if (!j->client || j->lost || atomic_load(&j->gone))
		return j->round_trip; /* the last known one while the server is away */
	jack_latency_range_t cap, play;
	jack_port_get_latency_range(j->in[0], JackCaptureLatency, &cap);
	jack_port_get_latency_range(j->out[0], JackPlaybackLatency, &play);
	j->round_trip = cap.max + play.max;
	return j->round_trip;
}

void
fl_jack_set_own_latency(struct fl_jack *j, uint32_t frames)
{
	atomic_store_explicit(&j->own_latency, frames, memory_order_relaxed);
	if (j->active && j->client && !atomic_load(&j->gone))
		jack_recompute_total_latencies(j->client);
}
