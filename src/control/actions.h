/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The looping policy: struct fl_action -> engine commands.
 *
 * Every input (OSC, MIDI, foot switches) produces fl_action values; this is
 * the one place that decides what they mean, given the last known state of
 * the tracks. It never calls the engine: it only writes struct fl_cmd values
 * (frame 0 = as soon as possible; quantized operations are moved to their
 * boundary by the engine), so it can be tested from a table.
 * Control thread only; no allocation. */
#ifndef FL_CONTROL_ACTIONS_H
#define FL_CONTROL_ACTIONS_H

#include "footloop/action.h"
#include "footloop/cmd.h"
#include "footloop/engine.h"
#include "footloop/status.h"

#include <stddef.h>
#include <stdint.h>

#define FL_ACTIONS_MAX_CMDS 4 ///< room for the most commands one action produces

struct fl_actions {
	uint32_t n_tracks; ///< tracks in the engine, 1..FL_MAX_TRACKS
	uint32_t selected; ///< 0-based selected track (owned here)
	/* Mirror of the engine's track status, refreshed by fl_actions_update()
	 * on every control tick. Toggles also update it at once (optimistically)
	 * so that two presses inside one tick toggle twice. */
	struct fl_track_status tracks[FL_MAX_TRACKS];
	/* Session, setlist and recorder actions go to their owner
	 * (src/control/sessions.c) through this hook, which produces no
	 * command here; NULL: they are refused. */
	enum fl_status (*session)(void *user, const struct fl_action *act, char *err,
	                          size_t errlen);
	/* "saving" or "loading" while a session operation holds track t, else
	 * NULL: record, overdub, clear, undo and redo are then refused with
	 * "track N is saving". May be NULL. */
	const char *(*track_busy)(void *user, uint32_t t);
	void *hook_user;
};

/* n_tracks is clamped to 1..FL_MAX_TRACKS; track 1 is selected, all empty. */
void fl_actions_init(struct fl_actions *a, uint32_t n_tracks);

/* Refreshes the mirror from fl_engine_get_status() (n entries). */
void fl_actions_update(struct fl_actions *a, const struct fl_track_status *tracks, uint32_t n);

/* Turns one action into 0..max commands written to out (*n_out of them).
 * Resolves FL_TRACK_SELECTED, checks the track and the value (finite, in
 * range). On error returns FL_ERR_RANGE (bad track or value) or
 * FL_ERR_BAD_ARG (unknown action), writes a sentence into err (may be NULL)
 * and produces no command and no change. FL_ERR_FULL when max is too small. */
FL_NODISCARD enum fl_status fl_actions_apply(struct fl_actions *a, const struct fl_action *act,
                                             struct fl_cmd *out, size_t max, size_t *n_out,
                                             char *err, size_t errlen);

#endif
