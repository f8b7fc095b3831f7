/* SPDX-License-Identifier: GPL-2.0-or-later */
/* MIDI mappings: messages -> actions, track states -> feedback messages,
 * and MIDI learn. The file format (config/midi/NAME.conf, docs/inputs.md):
 *
 *   # channel  type  number  action [track|selected] [value]  [options]
 *   any        cc    80      rec_dub selected                 threshold=64
 *   1          note  36      record 1      led=empty:0,recording:5,playing:21
 *   any        cc    7       level 1       min=0 max=1.5
 *   any        pc    3       select_next
 *
 * channel: 1..16 or any. type: note, cc, pc. number: 0..127.
 * Options (key=value, after the action):
 *   mode=     note: trigger (note on fires; default) or hold (note on and
 *             note off both fire: momentary overdub);
 *             cc: momentary (value rising through the threshold fires;
 *             default), toggle (every crossing fires: controllers that
 *             alternate 127/0 per press) or continuous (the value is mapped
 *             onto min..max; the default for level, pan, master_level and
 *             monitor_level);
 *   threshold=0..127 (default 64); min=, max= (continuous range);
 *   led=state:value,... feedback: for each track state (empty, armed,
 *             recording, playing, overdubbing, stopped, muted) the velocity
 *             (note) or value (cc) sent back on the same channel and number
 *             (channel 1 when any); states left out send 0.
 * Effect parameters by name (cc only, always continuous):
 *   any  cc 21  fx_param track=2 slot=1 param=peak1_gain_db min=-6 max=12
 *   track=<1..16|selected|input|bus1|bus2|master> (default selected),
 *   slot=1..4, param=<name>: the name is resolved by the control plane
 *   against the effect type in that slot WHEN the CC arrives (the slot's
 *   type may change at any time); min=/max= in the parameter's unit,
 *   defaulting to the parameter's own range. The line may also start with
 *   the type: "cc <channel> <number> fx_param ...".
 * Parse errors name file:line. Control thread only; no allocation after
 * load (learn appends into the fixed table). */
#ifndef FL_INPUT_MIDI_MAP_H
#define FL_INPUT_MIDI_MAP_H

#include "footloop/action.h"
#include "footloop/engine.h"
#include "footloop/status.h"
#include "input/led.h"
#include "input/midi_parse.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FL_MIDI_MAX_BINDINGS 256
#define FL_MIDI_ANY_CHANNEL (-1)
#define FL_MIDI_FX_NAME_MAX 32

/* Chains of a named fx_param binding besides the tracks (0-based) and
 * FL_TRACK_SELECTED. */
#define FL_MIDI_FX_INPUT (-10)
#define FL_MIDI_FX_BUS1 (-11)
#define FL_MIDI_FX_BUS2 (-12)
#define FL_MIDI_FX_MASTER (-13)

enum fl_midi_kind { FL_MIDI_NOTE = 0, FL_MIDI_CC, FL_MIDI_PC };

enum fl_midi_mode {
	FL_MIDI_MODE_PRESS = 0,  ///< note on / rising through the threshold / program
	FL_MIDI_MODE_BOTH,       ///< both edges fire (note hold, cc toggle)
	FL_MIDI_MODE_CONTINUOUS, ///< cc value -> min..max
};

struct fl_midi_binding {
	int8_t channel;     ///< 0..15 or FL_MIDI_ANY_CHANNEL
	uint8_t kind;       ///< enum fl_midi_kind
	uint8_t number;     ///< note, controller or program
	uint8_t mode;       ///< enum fl_midi_mode
	uint8_t threshold;  ///< cc: on at >= threshold
	bool has_led;       ///< led= given: send feedback
	uint8_t led[FL_LED__COUNT];
	float min, max;     ///< continuous range, in the action's unit (fx_param: 0..1)
	struct fl_action action;
	/* fx_param by name; fx_param[0] == '\0' for every other binding. */
	char fx_param[FL_MIDI_FX_NAME_MAX]; ///< parameter name, resolved when the CC arrives
	int32_t fx_chain;   ///< 0-based track, FL_TRACK_SELECTED or FL_MIDI_FX_*
	uint8_t fx_slot;    ///< 0-based
	bool fx_has_min, fx_has_max;
	float fx_min, fx_max; ///< in the parameter's unit, when given
	uint32_t line;      ///< line in the file (0: learned or added by code)
	/* Runtime state. */
	bool on;            ///< last seen above the threshold / note held
	int16_t sent;       ///< last feedback value sent, -1 = none yet
};

struct fl_midi_map {
	uint32_t n;
	struct fl_midi_binding b[FL_MIDI_MAX_BINDINGS];
	bool learning;
	struct fl_action learn_action;
};

void fl_midi_map_init(struct fl_midi_map *m);

/* Parses one line (comments and blank lines are fine) and appends its
 * binding. name and lineno are used in err: "foot.conf:12: ...".
 * FL_ERR_CONFIG on a bad line, FL_ERR_FULL when the table is full. */
FL_NODISCARD enum fl_status fl_midi_map_add_line(struct fl_midi_map *m, const char *line,
                                                 const char *name, uint32_t lineno, char *err,
                                                 size_t errlen);
/* Loads a whole text or file (over the bindings already there). */
FL_NODISCARD enum fl_status fl_midi_map_load_string(struct fl_midi_map *m, const char *text,
                                                    const char *name, char *err,
                                                    size_t errlen);
FL_NODISCARD enum fl_status fl_midi_map_load(struct fl_midi_map *m, const char *path, char *err,
                                             size_t errlen);

/* Turns one message into actions (at most max, returns the count). Unmapped
 * messages, realtime, SysEx remnants and learn-mode input give none. */
size_t fl_midi_map_input(struct fl_midi_map *m, const struct fl_midi_msg *msg,
                         struct fl_action *out, size_t max);
/* The same, and from[i] is the binding that produced out[i] (the control
 * plane needs a named fx_param binding's name and range; the action then
 * carries the CC as 0..1 in value). */
size_t fl_midi_map_input_from(struct fl_midi_map *m, const struct fl_midi_msg *msg,
                              struct fl_action *out, const struct fl_midi_binding **from,
                              size_t max);

/* Feedback: for each binding with led=, the message that shows its track's
 * state, when it differs from the last one sent. selected is the 0-based
 * selected track (for bindings on the selected track). Returns the count. */
size_t fl_midi_map_feedback(struct fl_midi_map *m, const struct fl_track_status *tracks,
                            uint32_t n_tracks, uint32_t selected, struct fl_midi_msg *out,
                            size_t max);
/* Forgets what was sent, so the next feedback call sends every state (after
 * a controller reconnects). */
void fl_midi_map_feedback_reset(struct fl_midi_map *m);

/* MIDI learn. Arm: the next note on, CC or program change binds to action.
 * fl_midi_map_learn() offers a message: FL_OK when it created the binding
 * (its file line is written to line, and learning ends), FL_ERR_NOT_FOUND
 * when the message cannot be learned (note off, clock, ...: keep waiting),
 * FL_ERR_FULL when the table is full, FL_ERR_BAD_ARG when not armed. */
void fl_midi_map_learn_arm(struct fl_midi_map *m, const struct fl_action *action);
void fl_midi_map_learn_cancel(struct fl_midi_map *m);
FL_NODISCARD enum fl_status fl_midi_map_learn(struct fl_midi_map *m, const struct fl_midi_msg *msg,
                                              char *line, size_t linelen);

/* The file line of a binding (what fl_midi_map_add_line() reads back). */
void fl_midi_binding_format(const struct fl_midi_binding *b, char *buf, size_t len);

/* Appends line to the mapping file at path atomically: the old content plus
 * the line go to "path.tmp", which is fsynced and renamed over path (a
 * missing file is created). FL_ERR_IO with err naming the file. */
FL_NODISCARD enum fl_status fl_midi_map_append_file(const char *path, const char *line, char *err,
                                                    size_t errlen);

#endif
