/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The setlist: an ordered list of sessions ("songs"), stepped by next /
 * previous / go-to from a switch, MIDI or OSC.
 *
 * After a song is selected the following one is read, validated and kept
 * in RAM by the disk worker (a preload), so "next" only has to lease the
 * track memory, copy and commit: the switch lands on the next cycle
 * boundary of what is playing (see session_ctl.h). A song that is not
 * preloaded (go-to far away) is loaded from disk the normal way.
 * Control thread only. */
#ifndef FL_PERSIST_SETLIST_H
#define FL_PERSIST_SETLIST_H

#include "persist/session_ctl.h"

#define FL_SETLIST_MAX 64

struct fl_setlist {
	struct fl_session_ctl *ctl;        ///< borrowed
	char song[FL_SETLIST_MAX][FL_SESSION_NAME_MAX + 1];
	uint32_t n_songs;
	int32_t current;                   ///< -1: none selected yet
	int32_t preload_index;             ///< song being / been preloaded, -1 none
	struct fl_session *preloaded;      ///< owned; NULL until the worker is done
	bool preload_busy;                 ///< a preload job is out
	uint32_t preload_hits;             ///< switches served from RAM (feedback, tests)
};

void fl_setlist_init(struct fl_setlist *s, struct fl_session_ctl *ctl);
/* Frees the preloaded session. Call after fl_worker_drain. */
void fl_setlist_fini(struct fl_setlist *s);

/* Replaces the list (names are checked; nothing changes on error). */
FL_NODISCARD enum fl_status fl_setlist_set(struct fl_setlist *s, const char *const *names,
                                           uint32_t n, char *err, size_t errlen);
/* Selects song index (0-based) and loads it; then preloads the next one. */
FL_NODISCARD enum fl_status fl_setlist_goto(struct fl_setlist *s, uint32_t index, char *err,
                                            size_t errlen);
/* index + 1 / - 1 (stops at the ends). */
FL_NODISCARD enum fl_status fl_setlist_step(struct fl_setlist *s, int delta, char *err,
                                            size_t errlen);

#endif
