/* SPDX-License-Identifier: GPL-2.0-or-later */
/* State shared by osc.c (socket, parsing) and osc_feedback.c (snapshot,
 * diff, rate-limited feedback). Private to src/control. */
#ifndef FL_CONTROL_OSC_PRIVATE_H
#define FL_CONTROL_OSC_PRIVATE_H

#include "control/fx_ctl.h"
#include "control/osc.h"

#include <lo/lo.h>
#include <stdbool.h>
#include <sys/socket.h>

struct fl_osc_peer {
	struct sockaddr_storage addr;
	socklen_t len;
	uint64_t order; ///< registration order; the smallest is replaced first
};

/* What feedback clients were last told about effects (osc_fx.c). */
struct fl_osc_fx_sent {
	struct fl_fxc_slot chain[FL_FXC_TARGETS][FL_FX_SLOTS];
	float send_gain[FL_MAX_TRACKS][FL_BUSES];
	bool input_fx[FL_MAX_TRACKS];
	float limiter[FL_LIMITER__COUNT];
	bool panic;
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
	/* Effects (osc_fx.c); NULL until fl_osc_set_fx(). */
	struct fl_fx_ctl *fx;
	struct fl_osc_fx_sent *fx_sent; ///< owned
	float loudness[3];    ///< momentary, short-term, integrated LUFS last sent
	float true_peak_db;   ///< last sent
	/* More global addresses (src/control/session_osc.c): name is what
	 * follows /footloop/; true when handled (reply included). NULL: none. */
	bool (*ext)(struct fl_osc *o, const char *path, const char *name, const char *types,
	            lo_arg **argv, int argc);
	void *ext_user;
	/* Error log rate limit */
	uint64_t log_window_s;
	uint32_t log_count;
	uint32_t log_suppressed;
};

/* Serialises m to path and sends it to one peer, or to every registered
 * client when to is NULL. Frees m. */
void fl_osc_deliver(struct fl_osc *o, const struct fl_osc_peer *to, const char *path,
                    lo_message m);
/* /footloop/error s "<path>: <sentence>" to the sender, and a log line. */
void fl_osc_reply_error(struct fl_osc *o, const char *path, const char *fmt, ...) FL_PRINTF(3, 4);
/* Effect addresses: true when handled (reply included). track is 0-based
 * and resolved; op is what follows /footloop/track/<n>/. */
bool fl_osc_track_fx(struct fl_osc *o, const char *path, uint32_t track, const char *op,
                     const char *types, lo_arg **argv, int argc);
/* name is what follows /footloop/. */
bool fl_osc_global_fx(struct fl_osc *o, const char *path, const char *name, const char *types,
                      lo_arg **argv, int argc);
/* Effect state: everything (all) or what changed since fl_osc_fx_mark_sent. */
void fl_osc_emit_fx(struct fl_osc *o, const struct fl_osc_peer *to, bool all);
void fl_osc_fx_mark_sent(struct fl_osc *o);

/* Sends the full snapshot (ending with /footloop/state/end) to one peer. */
void fl_osc_send_snapshot(struct fl_osc *o, const struct fl_osc_peer *to);

#endif
