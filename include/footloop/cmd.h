/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The only vocabulary that crosses into and out of the real-time engine.
 *
 * Commands go control thread -> engine through a single-producer,
 * single-consumer queue; events go engine -> control thread through another.
 * Both are small fixed-size values. A pointer in a command or event means
 * ownership of the object moves with the message. */
#ifndef FOOTLOOP_CMD_H
#define FOOTLOOP_CMD_H

#include <stdint.h>

enum fl_quantize {
	FL_QUANTIZE_OFF = 0, ///< act at once
	FL_QUANTIZE_CYCLE,   ///< start and end on master-cycle boundaries
	FL_QUANTIZE__COUNT
};

enum fl_cmd_type {
	FL_CMD_NONE = 0,
	/* Track transport: cmd.track is the 0-based track. */
	FL_CMD_RECORD,  ///< empty/holding a loop: arm or start recording; recording: close
	FL_CMD_OVERDUB, ///< toggle overdub (ignored without a loop)
	FL_CMD_PLAY,
	FL_CMD_STOP,
	FL_CMD_MUTE,
	FL_CMD_UNMUTE,
	FL_CMD_CLEAR,
	FL_CMD_UNDO,
	FL_CMD_REDO,
	/* Track mixer: value in the unit named. */
	FL_CMD_TRACK_LEVEL,    ///< value: linear gain, clamped 0..2
	FL_CMD_TRACK_PAN,      ///< value: -1..1, equal-power
	FL_CMD_TRACK_SOLO,     ///< value: 0/1
	FL_CMD_TRACK_QUANTIZE, ///< arg: enum fl_quantize
	/* Global: cmd.track is ignored. */
	FL_CMD_MASTER_LEVEL,  ///< value: linear gain 0..2
	FL_CMD_MONITOR_LEVEL, ///< value: linear gain 0..2
	FL_CMD_MONITOR,       ///< arg: 0 off, 1 on
	FL_CMD_SET_LATENCY,   ///< arg: round-trip compensation R in frames
	FL_CMD_SET_RATE,      ///< arg: new sample rate (loops keep their frames)
	FL_CMD_STOP_ALL,
	FL_CMD_PLAY_ALL,
	FL_CMD__COUNT
};

/* A command. frame is the absolute engine frame at which it takes effect;
 * a frame already past (0 included) means "at the start of the next block".
 * Quantized operations are then moved to their boundary by the engine. */
struct fl_cmd {
	uint16_t type;  ///< enum fl_cmd_type
	uint16_t track; ///< 0-based track index
	uint32_t arg;   ///< integer argument (enum value, frames)
	float value;    ///< float argument in the unit the type names
	uint64_t frame; ///< when to apply, in absolute engine frames
	void *ptr;      ///< object handed to the engine (ownership moves), or NULL
};

enum fl_event_type {
	FL_EV_NONE = 0,
	FL_EV_NOTICE,  ///< arg: enum fl_notice, track: the track concerned
	FL_EV_CYCLE,   ///< the master cycle changed; frame: its length (0: none)
	FL_EV_RELEASE, ///< ptr: an object the engine no longer uses; free it
};

/* Things the engine tells the control thread, which logs them and forwards
 * them to feedback clients. */
enum fl_notice {
	FL_NOTICE_NONE = 0,
	FL_NOTICE_NOTHING_TO_UNDO,
	FL_NOTICE_NOTHING_TO_REDO,
	FL_NOTICE_NO_LOOP,          ///< play/overdub/etc on an empty track
	FL_NOTICE_MEMORY_FULL,      ///< recording reached the track's memory and was closed
	FL_NOTICE_HISTORY_DROPPED,  ///< old undo levels were dropped to make room
	FL_NOTICE_NO_UNDO_ROOM,     ///< overdub happens in place: no room for an undo copy
	FL_NOTICE_CMD_LATE,         ///< a command came after its frame (applied at once)
	FL_NOTICE__COUNT
};

struct fl_event {
	uint16_t type;  ///< enum fl_event_type
	uint16_t track;
	uint32_t arg;
	uint64_t frame; ///< engine frame at which it happened
	void *ptr;
};

/* A fixed sentence describing a notice (no trailing period). Any thread. */
const char *fl_notice_string(enum fl_notice n);

#endif
