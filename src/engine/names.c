/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Names of engine enums, shared by OSC, config, the status display and logs. */
#include "footloop/engine.h"

#include <stddef.h>
#include <string.h>

const char *
fl_track_state_name(enum fl_track_state st)
{
	static const char *const names[FL_TRACK__COUNT] = {
		[FL_TRACK_EMPTY] = "empty",         [FL_TRACK_ARMED] = "armed",
		[FL_TRACK_RECORDING] = "recording", [FL_TRACK_PLAYING] = "playing",
		[FL_TRACK_OVERDUBBING] = "overdubbing", [FL_TRACK_STOPPED] = "stopped",
	};
	return (unsigned)st < FL_TRACK__COUNT ? names[st] : "invalid";
}

const char *
fl_quantize_name(enum fl_quantize q)
{
	switch (q) {
	case FL_QUANTIZE_OFF: return "off";
	case FL_QUANTIZE_CYCLE: return "cycle";
	case FL_QUANTIZE__COUNT: break;
	}
	return "invalid";
}

int
fl_quantize_from_name(const char *name)
{
	if (!name)
		return -1;
	if (strcmp(name, "off") == 0)
		return FL_QUANTIZE_OFF;
	if (strcmp(name, "cycle") == 0)
		return FL_QUANTIZE_CYCLE;
	return -1;
}
