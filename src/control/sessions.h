/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Sessions, setlist and performance recorder in the running looper: the
 * control thread's owner of the disk worker (src/persist/worker.h), the
 * session operations (src/persist/session_ctl.h), the setlist and the
 * recorder with its engine taps.
 *
 * Wiring (src/control/control.c): fl_sessions_init() before JACK is
 * activated (taps must exist before processing starts); the worker's fd in
 * the control loop calls fl_sessions_dispatch(); FL_EV_LEASE/FL_EV_PINNED
 * go to fl_sessions_event(); every tick calls fl_sessions_tick(), which
 * reports recorder state, drops and song changes through the hooks.
 * Actions (session_save ... recorder_stop) arrive through the actions
 * hook; OSC through src/control/session_osc.c.
 * Control thread only. */
#ifndef FL_CONTROL_SESSIONS_H
#define FL_CONTROL_SESSIONS_H

#include "footloop/action.h"
#include "footloop/config.h"
#include "footloop/engine.h"
#include "persist/recorder.h"
#include "persist/session.h"
#include "persist/session_ctl.h"
#include "persist/setlist.h"
#include "persist/worker.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum fl_sessions_reply {
	FL_SESSIONS_SAVED = 0, ///< name: the session saved (st: result)
	FL_SESSIONS_LOADED,    ///< name: the session loaded (st: result)
	FL_SESSIONS_LISTED,    ///< list: names, count
};

struct fl_sessions_hooks {
	/* The end of a save or load (st != FL_OK: msg says why, naming the
	 * file), or a list. Called on the control thread. May be NULL. */
	void (*reply)(void *user, enum fl_sessions_reply what, enum fl_status st, const char *name,
	              const char *msg, const char (*list)[FL_SESSION_NAME_MAX + 1], size_t count);
	/* State for feedback clients: the song (name, 1-based index, 0 none),
	 * the recorder (on/off) and frames it lost to full rings. May be NULL. */
	void (*song)(void *user, const char *name, uint32_t index);
	void (*recorder)(void *user, bool on, uint64_t dropped_frames);
	void *user;
};

struct fl_sessions {
	struct fl_engine *engine;      ///< borrowed
	struct fl_worker *worker;      ///< owned
	struct fl_session_ctl ctl;
	struct fl_setlist setlist;
	struct fl_recorder *rec;       ///< owned; NULL when the recorder could not start
	uint32_t tap[2];               ///< engine tap ids: master, stems
	bool have_tap[2];
	struct fl_sessions_hooks hooks;
	char name[FL_SESSION_NAME_MAX + 1]; ///< the current session (save/load actions)
	char rec_dir[PATH_MAX];
	bool listing;                  ///< a list job is out
	/* What feedback last said. */
	int32_t song_sent;             ///< setlist index, -2: never sent
	bool rec_on;                   ///< recorder started by us
	bool rec_sent;
	uint64_t dropped_sent;
	uint64_t tap_dropped_seen[2];
	bool rec_failed_seen;
};

/* Resolves and creates the session and recording directories, starts the
 * worker, sets the setlist from [setlist] songs, creates the recorder and
 * registers its taps with the engine (before JACK activation). A recorder
 * that cannot start is logged and left out; a session directory that
 * cannot be created is an error (err names it). */
FL_NODISCARD enum fl_status fl_sessions_init(struct fl_sessions *s, const struct fl_config *cfg,
                                             struct fl_engine *engine,
                                             const struct fl_sessions_hooks *hooks, char *err,
                                             size_t errlen);
/* Stops a recording, finishes the worker's jobs, frees everything. Safe on
 * a zeroed struct. After JACK stopped calling the engine. */
void fl_sessions_fini(struct fl_sessions *s);

/* [session] load_on_start: loads the current session (logged on error). */
void fl_sessions_start(struct fl_sessions *s, const struct fl_config *cfg);

int fl_sessions_fd(const struct fl_sessions *s);   ///< the worker's eventfd
void fl_sessions_dispatch(struct fl_sessions *s);  ///< it is readable
/* FL_EV_LEASE / FL_EV_PINNED; true when consumed. */
bool fl_sessions_event(struct fl_sessions *s, const struct fl_event *ev);
/* Feedback and drop reports; once per control tick. */
void fl_sessions_tick(struct fl_sessions *s);

/* The actions hook (struct fl_actions.session): user is the fl_sessions. */
enum fl_status fl_sessions_action(void *user, const struct fl_action *act, char *err,
                                  size_t errlen);
/* The busy hook (struct fl_actions.track_busy). */
const char *fl_sessions_track_busy(void *user, uint32_t t);

/* Requests; on refusal (bad name, busy...) err says why and nothing starts.
 * The result of a started save/load/list comes through hooks.reply. */
FL_NODISCARD enum fl_status fl_sessions_save(struct fl_sessions *s, const char *name, char *err,
                                             size_t errlen);
FL_NODISCARD enum fl_status fl_sessions_load(struct fl_sessions *s, const char *name, char *err,
                                             size_t errlen);
FL_NODISCARD enum fl_status fl_sessions_list(struct fl_sessions *s, char *err, size_t errlen);
FL_NODISCARD enum fl_status fl_sessions_setlist(struct fl_sessions *s, const char *const *names,
                                                uint32_t n, char *err, size_t errlen);
/* index: 0-based. */
FL_NODISCARD enum fl_status fl_sessions_song_goto(struct fl_sessions *s, uint32_t index,
                                                  char *err, size_t errlen);
FL_NODISCARD enum fl_status fl_sessions_song_step(struct fl_sessions *s, int delta, char *err,
                                                  size_t errlen);
/* song: NULL or "" = the current song or session name. */
FL_NODISCARD enum fl_status fl_sessions_recorder_start(struct fl_sessions *s, const char *song,
                                                       char *err, size_t errlen);
FL_NODISCARD enum fl_status fl_sessions_recorder_stop(struct fl_sessions *s, char *err,
                                                      size_t errlen);
bool fl_sessions_recording(const struct fl_sessions *s);

/* "~/x" -> "$HOME/x" into out; other paths are copied. */
FL_NODISCARD enum fl_status fl_sessions_expand_dir(const char *in, char *out, size_t len,
                                                   char *err, size_t errlen);

#endif
