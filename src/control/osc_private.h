/* SPDX-License-Identifier: GPL-2.0-or-later */
/* State shared by osc.c (socket, parsing) and osc_feedback.c (snapshot,
 * diff, rate-limited feedback). Private to src/control. */
#ifndef FL_CONTROL_OSC_PRIVATE_H
#define FL_CONTROL_OSC_PRIVATE_H

#include "control/osc.h"

#include <lo/lo.h>
#include <stdbool.h>
#include <sys/socket.h>

struct fl_osc_peer {
	struct sockaddr_storage addr;
	socklen_t len;
	uint64_t order; ///< registration order; the smallest is replaced first
};

struct fl_osc {
	int fd;
	uint16_t port;
	int family; ///< AF_INET or AF_INET6, the socket's
	uint32_t interval_ms; ///< between position/meter sends
	struct fl_actions *actions;
	struct fl_osc_hooks hooks;
	struct fl_osc_peer clients[FL_OSC_MAX_CLIENTS];
	uint32_t n_clients;
	uint64_t next_order;
	struct fl_osc_peer sender; ///< source of the message being handled
	struct fl_osc_peer learner; ///< who armed MIDI learn (gets the result)
	bool have_learner;
	/* Feedback */
	struct fl_snapshot cur;  ///< the latest state (sent to new clients)
	struct fl_snapshot sent; ///< what clients were last told
	bool have_state;
	uint64_t last_cont_ms;   ///< when positions/meters last went out
	int32_t seq;             ///< /footloop/state/end sequence number
	/* Error log rate limit */
	uint64_t log_window_s;
	uint32_t log_count;
	uint32_t log_suppressed;
};

/* Serialises m to path and sends it to one peer, or to every registered
 * client when to is NULL. Frees m. */
void fl_osc_deliver(struct fl_osc *o, const struct fl_osc_peer *to, const char *path,
                    lo_message m);
/* Sends the full snapshot (ending with /footloop/state/end) to one peer. */
void fl_osc_send_snapshot(struct fl_osc *o, const struct fl_osc_peer *to);

#endif
