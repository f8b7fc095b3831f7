/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "footloop/action.h"

#include <stddef.h>
#include <string.h>

static const char *const action_names[FL_ACTION__COUNT] = {
	[FL_ACTION_NONE] = "none",
	[FL_ACTION_RECORD] = "record",
	[FL_ACTION_OVERDUB] = "overdub",
	[FL_ACTION_PLAY] = "play",
	[FL_ACTION_STOP] = "stop",
	[FL_ACTION_MUTE] = "mute",
	[FL_ACTION_UNMUTE] = "unmute",
	[FL_ACTION_MUTE_TOGGLE] = "mute_toggle",
	[FL_ACTION_CLEAR] = "clear",
	[FL_ACTION_UNDO] = "undo",
	[FL_ACTION_REDO] = "redo",
	[FL_ACTION_REC_DUB] = "rec_dub",
	[FL_ACTION_PLAY_STOP] = "play_stop",
	[FL_ACTION_LEVEL] = "level",
	[FL_ACTION_PAN] = "pan",
	[FL_ACTION_SOLO] = "solo",
	[FL_ACTION_SOLO_TOGGLE] = "solo_toggle",
	[FL_ACTION_QUANTIZE] = "quantize",
	[FL_ACTION_SELECT] = "select",
	[FL_ACTION_SELECT_NEXT] = "select_next",
	[FL_ACTION_SELECT_PREV] = "select_prev",
	[FL_ACTION_MASTER_LEVEL] = "master_level",
	[FL_ACTION_MONITOR_LEVEL] = "monitor_level",
	[FL_ACTION_MONITOR] = "monitor",
	[FL_ACTION_STOP_ALL] = "stop_all",
	[FL_ACTION_PLAY_ALL] = "play_all",
	[FL_ACTION_MIDI_LEARN] = "midi_learn",
	[FL_ACTION_PANIC] = "panic",
	[FL_ACTION_SEND_1] = "send_1",
	[FL_ACTION_SEND_2] = "send_2",
	[FL_ACTION_FX_PARAM] = "fx_param",
	[FL_ACTION_SESSION_SAVE] = "session_save",
	[FL_ACTION_SESSION_LOAD] = "session_load",
	[FL_ACTION_SONG_NEXT] = "song_next",
	[FL_ACTION_SONG_PREV] = "song_prev",
	[FL_ACTION_SONG_GOTO] = "song_goto",
	[FL_ACTION_RECORDER_TOGGLE] = "recorder_toggle",
	[FL_ACTION_RECORDER_START] = "recorder_start",
	[FL_ACTION_RECORDER_STOP] = "recorder_stop",
};

const char *
fl_action_name(enum fl_action_type type)
{
	if ((unsigned)type >= FL_ACTION__COUNT)
		return NULL;
	return action_names[type];
}

enum fl_action_type
fl_action_from_name(const char *name)
{
	if (!name)
		return FL_ACTION_NONE;
	for (unsigned i = 1; i < FL_ACTION__COUNT; i++)
		if (action_names[i] && strcmp(action_names[i], name) == 0)
			return (enum fl_action_type)i;
	return FL_ACTION_NONE;
}

int
fl_action_takes_track(enum fl_action_type type)
{
	return (type >= FL_ACTION_RECORD && type <= FL_ACTION_QUANTIZE) ||
	       (type >= FL_ACTION_SEND_1 && type <= FL_ACTION_FX_PARAM);
}
