/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Inside the JACK adapter: the client state shared by jack_backend.c (the
 * client, its callbacks and accessors) and jack_reconnect.c (remembering
 * connections, reconnecting after the server went away). Not for use
 * outside src/jack/. */
#ifndef FL_JACK_PRIVATE_H
#define FL_JACK_PRIVATE_H

#include "jack/jack_backend.h"

#include <jack/jack.h>
#include <stdatomic.h>

#define FL_JACK_PORTS 6     ///< in_1 in_2 out_1 out_2 midi_in midi_out
#define FL_JACK_MAX_CONN 8  ///< remembered peers per port
#define FL_JACK_NAME_MAX 256

/* Connections of our ports, by the peer's full port name. */
struct fl_jack_conns {
	uint32_t n[FL_JACK_PORTS];
	char peer[FL_JACK_PORTS][FL_JACK_MAX_CONN][FL_JACK_NAME_MAX];
};

struct fl_jack {
	jack_client_t *client;           ///< NULL between a lost server and the reconnect
	jack_port_t *in[FL_CHANNELS];
	jack_port_t *out[FL_CHANNELS];
	jack_port_t *midi_in;
	jack_port_t *midi_out;
	struct fl_midi_queue *midi_in_q; ///< borrowed, pushed by process only
	struct fl_spsc *midi_out_q;      ///< borrowed, popped by process only
	struct fl_engine *engine; ///< set before activation, read by process only
	bool active;
	int shutdown_fd;
	char shutdown_reason[256]; ///< written by the shutdown callback before the eventfd
	_Atomic bool gone;         ///< the shutdown callback ran (JACK's thread)
	_Atomic bool conns_dirty;  ///< a port-connect callback ran (JACK's thread)
	_Atomic uint32_t xruns;
	_Atomic uint32_t buffer_size;
	_Atomic uint32_t sample_rate;
	_Atomic uint32_t rate_seen; ///< rate the control thread last took
	_Atomic uint32_t own_latency;

	/* Control thread only: what reconnecting needs. */
	char name[FL_JACK_NAME_MAX];   ///< client name asked for
	char server[FL_JACK_NAME_MAX]; ///< "" = default
	char client_name[FL_JACK_NAME_MAX]; ///< the name JACK gave us
	bool reconnect;                ///< [jack] reconnect
	bool lost;                     ///< waiting for the server to come back
	uint64_t lost_at_ms, next_try_ms, backoff_ms, last_wait_log_ms;
	uint32_t attempts;
	bool cfg_set, autoconnect;     ///< fl_jack_connect's arguments, redone after a reconnect
	char cfg_src[2][256], cfg_dst[2][256];
	struct fl_jack_conns conns;    ///< remembered connections
	uint64_t conns_refresh_ms;     ///< last refresh from the server
	uint64_t restore_until_ms;     ///< after a reconnect: keep restoring until then
	uint64_t restore_next_ms;
	uint32_t round_trip;           ///< last known, kept while the server is away
};

/* jack_backend.c: registers the ports and callbacks on j->client. */
enum fl_status fl_jack_setup_client(struct fl_jack *j, char *err, size_t errlen);
/* jack_backend.c: our port number i (0..FL_JACK_PORTS-1). */
jack_port_t *fl_jack_port_at(const struct fl_jack *j, int i);
/* jack_reconnect.c: forgets the dead client and opens a new one. */
enum fl_status fl_jack_reopen(struct fl_jack *j, char *err, size_t errlen);

#endif
