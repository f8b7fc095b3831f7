/* SPDX-License-Identifier: GPL-2.0-or-later */
/* systemd service notification (sd_notify protocol) and the watchdog.
 *
 * Speaks the datagram protocol directly (NOTIFY_SOCKET: a path or an
 * abstract "@name" unix socket), so it works with or without libsystemd
 * and can be tested against a fake socket. Without NOTIFY_SOCKET every
 * call is a no-op.
 *
 * The watchdog is fed only while the engine's frame clock advances: the
 * control tick calls fl_notify_tick() with fl_engine_frame(); when the
 * process thread is stuck the frame stops, the pings stop, and systemd
 * restarts footloop after WatchdogSec. While the JACK server is away and
 * footloop waits to reconnect, main feeds it with fl_notify_alive(). Control thread
 * only. */
#ifndef FL_CONTROL_NOTIFY_H
#define FL_CONTROL_NOTIFY_H

#include "footloop/attributes.h"

#include <stdbool.h>
#include <stdint.h>

struct fl_notify {
	int fd;                  ///< -1 when not under systemd
	char path[108];          ///< sun_path (leading '\0' for abstract)
	uint32_t path_len;
	uint64_t watchdog_ms;    ///< ping period (half of WATCHDOG_USEC), 0 = off
	uint64_t last_ping_ms;
	uint64_t last_frame;
	uint64_t pings;          ///< WATCHDOG=1 sent
	uint64_t stalls;         ///< ticks on which a ping was due but the clock stood still
};

/* Reads NOTIFY_SOCKET and WATCHDOG_USEC (and WATCHDOG_PID, which must be
 * ours or absent). Never fails: without them notifications are off. */
void fl_notify_init(struct fl_notify *n);
void fl_notify_fini(struct fl_notify *n);
bool fl_notify_enabled(const struct fl_notify *n);

/* Sends one state string ("READY=1", "STOPPING=1", "STATUS=..."). */
void fl_notify_send(struct fl_notify *n, const char *state);
FL_PRINTF(2, 3) void fl_notify_status(struct fl_notify *n, const char *fmt, ...);

/* On every control tick: pings WATCHDOG=1 when a period has passed and
 * frame moved since the last ping. */
void fl_notify_tick(struct fl_notify *n, uint64_t now_ms, uint64_t frame);
/* The same without the clock test, for when the clock stands still on
 * purpose (the JACK server is away and footloop waits for it). */
void fl_notify_alive(struct fl_notify *n, uint64_t now_ms);

#endif
