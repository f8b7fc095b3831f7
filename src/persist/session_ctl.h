/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Saving and loading sessions with the engine running (control thread).
 *
 * Save: PIN every track holding a loop -> FL_EV_PINNED gives each loop's
 * region -> the disk worker writes them (fl_session_save) straight from the
 * pinned track memory while everything plays on -> UNPIN.
 * Load: the worker reads and validates the whole session (fl_session_load;
 * any error: nothing changes) -> LEASE a region on every track it uses ->
 * the worker copies the loops into the leased regions -> SET_CYCLE and one
 * COMMIT per track (CLEAR for tracks the session leaves empty), all with the
 * same frame F: the next cycle boundary when something plays, else now +
 * 50 ms. Each loop's origin is F - phase, so phases are as saved.
 * One operation at a time; a second one is refused with FL_ERR_BUSY. The
 * result of each operation comes back through the reply callback.
 * Control thread only (the worker does the disk work). */
#ifndef FL_PERSIST_SESSION_CTL_H
#define FL_PERSIST_SESSION_CTL_H

#include "footloop/cmd.h"
#include "footloop/engine.h"
#include "persist/session.h"
#include "persist/worker.h"

#include <limits.h>

enum fl_session_op {
	FL_SESSION_OP_NONE = 0,
	FL_SESSION_OP_SAVE,
	FL_SESSION_OP_LOAD,
};

/* st == FL_OK: done; else msg says why (it names the file, the track...). */
typedef void fl_session_reply_fn(void *user, enum fl_session_op op, enum fl_status st,
                                 const char *name, const char *msg);

struct fl_session_ctl {
	struct fl_engine *engine;   ///< borrowed
	struct fl_worker *worker;   ///< borrowed
	char root[PATH_MAX];        ///< session directory
	fl_session_reply_fn *reply;
	void *user;
	char current[FL_SESSION_NAME_MAX + 1]; ///< last saved/loaded name ("" = none)
	enum fl_session_op op;      ///< in progress
	char op_name[FL_SESSION_NAME_MAX + 1];
	uint32_t n_tracks;
	uint32_t rate;
	bool waiting[FL_MAX_TRACKS]; ///< a PINNED / LEASE answer is due
	bool held[FL_MAX_TRACKS];    ///< pinned (save) or leased (load)
	uint32_t left;               ///< answers still due
	struct fl_manifest *man;     ///< save: what is being written
	struct fl_region region[FL_MAX_TRACKS];
	struct fl_session *sess;     ///< load: read and validated
	uint64_t start_delay_frames; ///< "now + 50 ms" when nothing plays
	uint64_t at_frame;           ///< load: switch frame asked for (0: next boundary)
	uint32_t refused_track;      ///< load: 1-based track that refused its lease, 0 none
};

/* root: the configured session directory. */
void fl_session_ctl_init(struct fl_session_ctl *c, struct fl_engine *e, struct fl_worker *w,
                         const char *root, fl_session_reply_fn *reply, void *user);
/* Cancels nothing in flight: call after fl_worker_drain. Frees what it holds. */
void fl_session_ctl_fini(struct fl_session_ctl *c);

/* Starts a save/load. FL_ERR_BAD_ARG (bad name), FL_ERR_BUSY (another
 * operation runs); err says why. */
FL_NODISCARD enum fl_status fl_session_ctl_save(struct fl_session_ctl *c, const char *name,
                                                char *err, size_t errlen);
FL_NODISCARD enum fl_status fl_session_ctl_load(struct fl_session_ctl *c, const char *name,
                                                char *err, size_t errlen);
/* Loads a session already read into memory (setlist preload); takes
 * ownership of s (freed on error too). at_frame: the frame to switch at (0:
 * the next cycle boundary / now + 50 ms). */
FL_NODISCARD enum fl_status fl_session_ctl_load_ready(struct fl_session_ctl *c,
                                                      struct fl_session *s, uint64_t at_frame,
                                                      char *err, size_t errlen);

/* Feeds an engine event; true when it was one of ours (FL_EV_LEASE,
 * FL_EV_PINNED). */
bool fl_session_ctl_event(struct fl_session_ctl *c, const struct fl_event *ev);

/* True while track t is pinned for saving or leased for loading: record,
 * overdub and clear are refused ("track N is saving"). */
bool fl_session_ctl_track_busy(const struct fl_session_ctl *c, uint32_t t);

/* The frame at which a load would switch now. */
uint64_t fl_session_ctl_switch_frame(const struct fl_session_ctl *c);

#endif
