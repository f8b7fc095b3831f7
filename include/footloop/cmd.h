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
	/* Effects (issue 4). cmd.track is an fx target: a 0-based track, or
	 * FL_TARGET_INPUT / FL_TARGET_BUS(0..1) / FL_TARGET_MASTER. */
	FL_CMD_FX_SLOT,   ///< arg: slot; ptr: struct fl_fx * (ownership moves) or NULL to empty it; the old one comes back in FL_EV_RELEASE
	FL_CMD_FX_PARAM,  ///< arg: slot << 16 | param index; value: the parameter in its unit
	FL_CMD_FX_BYPASS, ///< arg: slot; value: 1 bypass (smooth crossfade), 0 active
	FL_CMD_SEND,      ///< track: 0-based track; arg: bus 0..1; value: linear send gain 0..2
	FL_CMD_TRACK_INPUT_FX,///< track; arg: 1 record the input through the input chain, 0 dry
	FL_CMD_LIMITER,   ///< arg: enum fl_limiter_param; value in its unit (see dsp/limiter.h)
	FL_CMD_PANIC,     ///< arg: 1 fade everything out (<= 100 ms) and stop all tracks, 0 bring back
	/* Persistence (issue 5). */
	FL_CMD_LEASE,       ///< track; arg: frames: reserve a region of the track's memory to fill off the RT thread; answered by FL_EV_LEASE
	FL_CMD_COMMIT,      ///< track; ptr: struct fl_loop_desc (back in FL_EV_RELEASE): the leased region becomes the track's loop (an undo level)
	FL_CMD_LEASE_CANCEL,///< track: give the leased region back
	FL_CMD_PIN,         ///< track: keep the current loop unchanged and in memory for reading off the RT thread; answered by FL_EV_PINNED when its data is final
	FL_CMD_UNPIN,       ///< track
	FL_CMD_SET_CYCLE,   ///< ptr: struct fl_cycle_desc (back in FL_EV_RELEASE): set or clear the master cycle
	FL_CMD_TAP,         ///< arg: tap id; value: 1 enable, 0 disable (see fl_engine_add_tap)
	FL_CMD__COUNT
};

/* Effect targets in cmd.track for FL_CMD_FX_*. */
#define FL_TARGET_INPUT 0xFFF0u
#define FL_TARGET_BUS(b) (0xFFF1u + (b))
#define FL_TARGET_MASTER 0xFFF8u
#define FL_FX_SLOTS 4u ///< insert slots per chain
#define FL_BUSES 2u    ///< send buses

/* A loop handed to the engine by FL_CMD_COMMIT (session load, crash
 * restore). The engine copies it when the command applies and returns the
 * pointer in FL_EV_RELEASE. */
struct fl_loop_desc {
	uint64_t length_frames; ///< must equal the leased length (or be less)
	uint64_t origin;        ///< absolute engine frame at which position 0 plays (phase)
	uint32_t state;         ///< FL_TRACK_PLAYING or FL_TRACK_STOPPED (enum fl_track_state)
	uint32_t quantize;      ///< enum fl_quantize
	float level;            ///< linear 0..2
	float pan;              ///< -1..1
	uint8_t muted;
	uint8_t solo;
	uint8_t record_input_fx;
	uint8_t reserved;
	float send[2];          ///< linear send gains
};

/* The master cycle set by FL_CMD_SET_CYCLE; length 0 clears it. */
struct fl_cycle_desc {
	uint64_t length_frames;
	uint64_t origin; ///< a frame on the grid
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
	FL_EV_RELEASE, ///< ptr: an object the engine no longer uses; free it (arg: enum fl_cmd_type it came with)
	FL_EV_LEASE,   ///< track; frame: ring offset of the region; arg: frames (0: refused, see the notice)
	FL_EV_PINNED,  ///< track; frame: ring offset of the loop; arg: its length in frames
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
	FL_NOTICE_BUSY,             ///< the track is leased or pinned: the operation waits or is refused
	FL_NOTICE_TAP_OVERFLOW,     ///< a tap ring was full: a block was dropped (disk too slow)
	FL_NOTICE_PANIC,            ///< panic: output faded out, tracks stopped (arg of the event)
	FL_NOTICE__COUNT
};

struct fl_event {
	uint16_t type;  ///< enum fl_event_type
	uint16_t track;
	uint32_t arg;
	uint64_t frame; ///< engine frame at which it happened
	void *ptr;
	float value;
};

/* A fixed sentence describing a notice (no trailing period). Any thread. */
const char *fl_notice_string(enum fl_notice n);

#endif
