/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Surviving a JACK server restart (see jack_backend.h).
 *
 * Connections are remembered on the control thread, not in the port-connect
 * callback: a callback may not call back into the server. Once the server
 * is gone it cannot be asked any more, so the memory is what was true at
 * the last refresh; a refresh that races with the server's death (the
 * shutdown callback runs after the query came back empty) is thrown away.
 *
 * After a reconnect the clients we were connected to usually come back
 * later than we do (they were killed with the server too), so the
 * remembered connections are retried every 0.5 s for 30 s, and the memory
 * is not refreshed from the server until they are all back or the window
 * has passed: otherwise the first refresh would forget them. */
#include "jack/jack_private.h"

#include "core/log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define FIRST_RETRY_MS 500u
#define MAX_RETRY_MS 5000u
#define REFRESH_MS 1000u
#define RESTORE_WINDOW_MS 30000u
#define RESTORE_EVERY_MS 500u
#define WAIT_LOG_MS 30000u

void
fl_jack_set_reconnect(struct fl_jack *j, bool on)
{
	j->reconnect = on;
}

bool
fl_jack_waiting(const struct fl_jack *j)
{
	return j->lost;
}

bool
fl_jack_lost(struct fl_jack *j, uint64_t now_ms)
{
	uint64_t v;
	(void)!read(j->shutdown_fd, &v, sizeof v);
	if (!j->reconnect || j->lost)
		return j->lost;
	j->lost = true;
	j->active = false;
	j->lost_at_ms = j->last_wait_log_ms = now_ms;
	j->backoff_ms = FIRST_RETRY_MS;
	j->next_try_ms = now_ms + FIRST_RETRY_MS;
	j->attempts = 0;
	uint32_t n = 0;
	for (int p = 0; p < FL_JACK_PORTS; p++)
		n += j->conns.n[p];
	fl_warn("JACK server went away (%s): loops stay in memory; waiting for the server to come "
	        "back (retrying every 0.5 s, backing off to 5 s), %u connection%s remembered",
	        j->shutdown_reason, n, n == 1 ? "" : "s");
	return true;
}

/* libjack prints every failed attempt to stderr; while retrying that is
 * noise, and the log says what happens instead. */
static void
quiet_jack_error(const char *msg)
{
	(void)msg;
}

static void
loud_jack_error(const char *msg)
{
	fprintf(stderr, "%s\n", msg);
}

enum fl_status
fl_jack_reopen(struct fl_jack *j, char *err, size_t errlen)
{
	if (j->client) { /* dead: its threads are gone, the handle still needs closing */
		jack_client_close(j->client);
		j->client = NULL;
		memset(j->in, 0, sizeof j->in);
		memset(j->out, 0, sizeof j->out);
		j->midi_in = j->midi_out = NULL;
	}
	jack_options_t opts = JackNoStartServer | (j->server[0] ? JackServerName : 0);
	jack_status_t status = 0;
	jack_set_error_function(quiet_jack_error);
	j->client = jack_client_open(j->name, opts, &status, j->server);
	jack_set_error_function(loud_jack_error);
	if (!j->client) {
		snprintf(err, errlen, "JACK server '%s' is not there (status 0x%x)",
		         j->server[0] ? j->server : "default", (unsigned)status);
		return FL_ERR_JACK;
	}
	atomic_store(&j->gone, false);
	enum fl_status st = fl_jack_setup_client(j, err, errlen);
	if (st == FL_OK && jack_activate(j->client) != 0) {
		snprintf(err, errlen, "cannot activate JACK client '%s'", j->client_name);
		st = FL_ERR_JACK;
	}
	if (st != FL_OK) {
		jack_client_close(j->client);
		j->client = NULL;
		return st;
	}
	j->active = true;
	return FL_OK;
}

/* Connects our port p with peer in the right direction; true when they are
 * connected afterwards. */
static bool
connect_peer(struct fl_jack *j, int p, const char *peer)
{
	jack_port_t *mine = fl_jack_port_at(j, p);
	if (!mine || !jack_port_by_name(j->client, peer))
		return false;
	if (jack_port_connected_to(mine, peer))
		return true;
	bool input = p < FL_CHANNELS || p == 2 * FL_CHANNELS;
	const char *me = jack_port_name(mine);
	int r = jack_connect(j->client, input ? peer : me, input ? me : peer);
	if (r == 0 || r == EEXIST) {
		fl_info("JACK: reconnected %s -> %s", input ? peer : me, input ? me : peer);
		return true;
	}
	return false;
}

/* Tries every remembered connection; true when all of them are there. */
static bool
restore_remembered(struct fl_jack *j)
{
	bool all = true;
	for (int p = 0; p < FL_JACK_PORTS; p++)
		for (uint32_t k = 0; k < j->conns.n[p]; k++)
			all &= connect_peer(j, p, j->conns.peer[p][k]);
	return all;
}

/* Reads our ports' connections from the server into j->conns. */
static void
refresh_conns(struct fl_jack *j, uint64_t now_ms)
{
	struct fl_jack_conns c;
	memset(&c, 0, sizeof c);
	atomic_store_explicit(&j->conns_dirty, false, memory_order_relaxed);
	for (int p = 0; p < FL_JACK_PORTS; p++) {
		jack_port_t *mine = fl_jack_port_at(j, p);
		const char **peers = mine ? jack_port_get_all_connections(j->client, mine) : NULL;
		for (uint32_t k = 0; peers && peers[k] && c.n[p] < FL_JACK_MAX_CONN; k++)
			snprintf(c.peer[p][c.n[p]++], FL_JACK_NAME_MAX, "%s", peers[k]);
		if (peers)
			jack_free(peers);
	}
	if (atomic_load(&j->gone))
		return; /* the answers may be those of a dying server */
	j->conns = c;
	j->conns_refresh_ms = now_ms;
}

static enum fl_jack_link
retry(struct fl_jack *j, uint64_t now_ms)
{
	if (now_ms < j->next_try_ms)
		return FL_JACK_WAITING;
	char err[300];
	j->attempts++;
	if (fl_jack_reopen(j, err, sizeof err) != FL_OK) {
		j->backoff_ms = j->backoff_ms * 2 > MAX_RETRY_MS ? MAX_RETRY_MS : j->backoff_ms * 2;
		j->next_try_ms = now_ms + j->backoff_ms;
		fl_debug("JACK reconnect attempt %u: %s", j->attempts, err);
		if (j->attempts == 1 || now_ms - j->last_wait_log_ms >= WAIT_LOG_MS) {
			fl_info("waiting for the JACK server to come back (%.0f s so far): %s",
			        (double)(now_ms - j->lost_at_ms) / 1000.0, err);
			j->last_wait_log_ms = now_ms;
		}
		return FL_JACK_WAITING;
	}
	j->lost = false;
	fl_notice("JACK server is back: reconnected as '%s' after %.1f s (%u attempt%s), %u Hz, "
	          "period %u", j->client_name, (double)(now_ms - j->lost_at_ms) / 1000.0,
	          j->attempts, j->attempts == 1 ? "" : "s", fl_jack_sample_rate(j),
	          fl_jack_buffer_size(j));
	if (j->cfg_set)
		fl_jack_connect(j, j->autoconnect, (const char(*)[256])j->cfg_src,
		                (const char(*)[256])j->cfg_dst);
	j->restore_until_ms = restore_remembered(j) ? now_ms : now_ms + RESTORE_WINDOW_MS;
	j->restore_next_ms = now_ms + RESTORE_EVERY_MS;
	return FL_JACK_RECONNECTED;
}

enum fl_jack_link
fl_jack_poll(struct fl_jack *j, uint64_t now_ms)
{
	if (j->lost)
		return retry(j, now_ms);
	if (!j->client || !j->active || atomic_load(&j->gone))
		return FL_JACK_UP; /* not started yet, or the shutdown fd is on its way */
	if (now_ms < j->restore_until_ms) {
		if (now_ms >= j->restore_next_ms) {
			j->restore_next_ms = now_ms + RESTORE_EVERY_MS;
			if (restore_remembered(j))
				j->restore_until_ms = now_ms;
		}
		return FL_JACK_UP;
	}
	if (atomic_load_explicit(&j->conns_dirty, memory_order_relaxed) ||
	    now_ms - j->conns_refresh_ms >= REFRESH_MS)
		refresh_conns(j, now_ms);
	return FL_JACK_UP;
}
