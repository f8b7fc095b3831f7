/* SPDX-License-Identifier: GPL-2.0-or-later */
/* OSC addresses of sessions, setlist and recorder (docs/osc.md, "Sessions")
 * and their replies and feedback.
 *
 *   /footloop/session/save s name     -> /footloop/session/saved s name
 *   /footloop/session/load s name     -> /footloop/session/loaded s name
 *   /footloop/session/list            -> /footloop/session/list s... (10 names
 *                                        a message), /footloop/session/list/end i n
 *   /footloop/setlist s...            -> /footloop/setlist/size i n
 *   /footloop/setlist/next, /prev, /goto i (1-based)
 *   /footloop/recorder/start [s song], /footloop/recorder/stop
 *                                     -> /footloop/recorder i 0|1 when the
 *                                        recorder has started / closed its files
 * Feedback to registered clients: /footloop/song s, /footloop/song/index i,
 * /footloop/recorder i, /footloop/recorder/dropped i (frames lost).
 * Refusals (bad name, traversal, busy) and failures (missing session,
 * corrupt file: the message names it) come back as /footloop/error to the
 * sender, "<address>: <sentence>". Replies that come later (a save takes
 * the worker's time) go to the client that asked and to registered
 * clients. Control thread only. */
#ifndef FL_CONTROL_SESSION_OSC_H
#define FL_CONTROL_SESSION_OSC_H

#include "control/osc_private.h"
#include "control/sessions.h"

struct fl_session_osc {
	struct fl_osc *osc;             ///< borrowed
	struct fl_sessions *sessions;   ///< borrowed
	struct fl_osc_peer op_peer;     ///< who asked for the save/load under way
	struct fl_osc_peer list_peer;
	struct fl_osc_peer rec_peer;
	bool have_op_peer, have_list_peer, have_rec_peer;
	bool rec_want;                  ///< the recorder state rec_peer asked for
	char op_path[32];               ///< address of the save/load request
};

/* Enables the addresses on o (so borrowed, must outlive o's use). */
void fl_session_osc_attach(struct fl_session_osc *so, struct fl_osc *o, struct fl_sessions *s);

/* struct fl_sessions_hooks callbacks; user is the struct fl_session_osc. */
void fl_session_osc_reply(void *user, enum fl_sessions_reply what, enum fl_status st,
                          const char *name, const char *msg,
                          const char (*list)[FL_SESSION_NAME_MAX + 1], size_t count);
void fl_session_osc_song(void *user, const char *name, uint32_t index);
void fl_session_osc_recorder(void *user, bool on, uint64_t dropped_frames);

#endif
