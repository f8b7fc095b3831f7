/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The vocabulary of every control input.
 *
 * OSC messages, MIDI mappings, foot-switch gestures and config bindings all
 * become a struct fl_action. One module (src/control/actions.c) turns actions
 * into engine commands and holds the looping policy; a new input device is a
 * new parser producing actions, never a new path into the engine. */
#ifndef FOOTLOOP_ACTION_H
#define FOOTLOOP_ACTION_H

#include <stdint.h>

/* track value meaning "the selected track" (tracks are 0-based in C). */
#define FL_TRACK_SELECTED (-1)
/* track value for actions that do not concern a track. */
#define FL_TRACK_NONE (-2)

enum fl_action_type {
	FL_ACTION_NONE = 0,
	/* Track operations: track is a 0-based index or FL_TRACK_SELECTED. */
	FL_ACTION_RECORD,      ///< empty: start; recording: close and play; else re-record
	FL_ACTION_OVERDUB,     ///< toggle overdub on a track holding a loop
	FL_ACTION_PLAY,        ///< play (in phase with the clock)
	FL_ACTION_STOP,        ///< stop (silent, position keeps running)
	FL_ACTION_MUTE,        ///< mute
	FL_ACTION_UNMUTE,      ///< unmute
	FL_ACTION_MUTE_TOGGLE, ///< mute <-> unmute
	FL_ACTION_CLEAR,       ///< erase the loop (undoable)
	FL_ACTION_UNDO,        ///< undo the last record, overdub or clear
	FL_ACTION_REDO,        ///< redo what undo took back
	FL_ACTION_REC_DUB,     ///< one-switch looping: empty: record; recording: close; else overdub toggle
	FL_ACTION_PLAY_STOP,   ///< play <-> stop
	FL_ACTION_LEVEL,       ///< value: linear gain 0..2
	FL_ACTION_PAN,         ///< value: -1 (left) .. 1 (right)
	FL_ACTION_SOLO,        ///< value: 0 off, 1 on
	FL_ACTION_SOLO_TOGGLE, ///< solo on <-> off
	FL_ACTION_QUANTIZE,    ///< value: enum fl_quantize
	/* Global actions: track is FL_TRACK_NONE. */
	FL_ACTION_SELECT,       ///< value: 0-based track index
	FL_ACTION_SELECT_NEXT,  ///< select the next track (wraps)
	FL_ACTION_SELECT_PREV,  ///< select the previous track (wraps)
	FL_ACTION_MASTER_LEVEL, ///< value: linear gain 0..2
	FL_ACTION_MONITOR_LEVEL,///< value: linear gain 0..2 of the dry input in the mix
	FL_ACTION_MONITOR,      ///< value: 0 off, 1 on
	FL_ACTION_STOP_ALL,     ///< stop every track
	FL_ACTION_PLAY_ALL,     ///< play every track holding a loop
	FL_ACTION_MIDI_LEARN,   ///< the next switch or MIDI control's action is bound to the next MIDI message (src/control/inputs.h)
	FL_ACTION_PANIC,        ///< toggle panic: fade everything out and stop all tracks / bring them back
	/* Effects (issue 4); handled by src/control/fx_ctl.c. */
	FL_ACTION_SEND_1,       ///< track; value: linear send gain 0..2 to bus 1
	FL_ACTION_SEND_2,       ///< track; value: linear send gain 0..2 to bus 2
	FL_ACTION_FX_PARAM,     ///< track: chain (0-based track; FL_TRACK_SELECTED); slot, param: 0-based; value 0..1 across the parameter's range
	/* Sessions, setlist, recorder (issue 5); handled by src/control/sessions.c. */
	FL_ACTION_SESSION_SAVE,    ///< save the current session ([session] name, or the last loaded)
	FL_ACTION_SESSION_LOAD,    ///< load the current session
	FL_ACTION_SONG_NEXT,       ///< setlist: next song
	FL_ACTION_SONG_PREV,       ///< setlist: previous song
	FL_ACTION_SONG_GOTO,       ///< setlist: value = 1-based song index
	FL_ACTION_RECORDER_TOGGLE, ///< performance recorder on <-> off
	FL_ACTION_RECORDER_START,
	FL_ACTION_RECORDER_STOP,
	FL_ACTION__COUNT
};

/* One control gesture, from any input. value carries the unit the type
 * names; buttons carry 1 (press). slot and param are reserved for effect
 * parameters (issue 4) and are 0 otherwise. frame, when an input knows it,
 * is when the player acted: a record started or closed by a tap that is
 * recognised only on release still starts where the foot went down. */
struct fl_action {
	enum fl_action_type type;
	int32_t track; ///< 0-based, FL_TRACK_SELECTED or FL_TRACK_NONE
	float value;
	int16_t slot;
	int16_t param;
	uint64_t frame; ///< engine frame of the gesture (switch press, MIDI event); 0: now
};

/* Stable lower-case name of an action ("record", "rec_dub", "select_next",
 * ...), as used in config files, MIDI maps and docs. NULL for an invalid type.
 * Any thread. */
const char *fl_action_name(enum fl_action_type type);

/* The action named name, or FL_ACTION_NONE when no action has that name. */
enum fl_action_type fl_action_from_name(const char *name);

/* Whether the action acts on a track (and so takes a track index). */
int fl_action_takes_track(enum fl_action_type type);

#endif
