/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Generic effect slot: one effect instance of any type behind one API, plus
 * per-type parameter tables (name, unit, range, default, doc) that the
 * control plane maps onto OSC paths, MIDI CCs and preset files.
 *
 * Parameters are floats addressed by index; fl_fx_param_index() turns a
 * name into an index. Booleans are 0/1, choices are the index of a name in
 * the info's `choices` list. The slot clamps every value to its range and
 * ignores NaN/Inf, so a bad control message can never reach a kernel raw.
 *
 * Bypass is click-free: non-time effects (eq, compressor, gate, filter,
 * chorus, flanger) crossfade wet -> dry with a 10 ms raised cosine; time
 * effects (delay, plate, room, hall) close their input and let the tail
 * ring out (spill-over) while the dry path stays at unity.
 *
 * Threads: the table functions and fl_fx_param_parse are pure and may run
 * on any thread. fl_fx_create/fl_fx_free are non-RT (they allocate). Every
 * FL_RT function must be called from the one thread that renders the slot
 * (the JACK process thread once the slot is handed to the engine).
 * Ownership: fl_fx_create hands the instance to the caller; the engine owns
 * it while it sits in a slot (FL_CMD_FX_SLOT) and returns it in
 * FL_EV_RELEASE for the control thread to free. */
#ifndef FL_DSP_FX_H
#define FL_DSP_FX_H

#include "footloop/attributes.h"
#include "footloop/status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum fl_fx_type {
	FL_FX_NONE = 0,
	FL_FX_EQ,
	FL_FX_COMPRESSOR,
	FL_FX_GATE,
	FL_FX_FILTER, /* SVF */
	FL_FX_DELAY,
	FL_FX_CHORUS,
	FL_FX_FLANGER,
	FL_FX_PLATE,
	FL_FX_ROOM,
	FL_FX_HALL,
	FL_FX__COUNT
};

enum fl_fx_unit {
	FL_FX_UNIT_NONE,
	FL_FX_UNIT_DB,
	FL_FX_UNIT_HZ,
	FL_FX_UNIT_MS,
	FL_FX_UNIT_S,
	FL_FX_UNIT_RATIO,
	FL_FX_UNIT_PERCENT /* 0..1 shown as % */,
	FL_FX_UNIT_LINEAR,
	FL_FX_UNIT_CHOICE,
	FL_FX_UNIT_BOOL
};

struct fl_fx_param_info {
	const char *name;   ///< lower-case, [a-z0-9_], unique per type, e.g. "low_shelf_gain", "time_ms", "note", "mix"
	enum fl_fx_unit unit;
	float min, max, def;
	const char *const *choices; ///< FL_FX_UNIT_CHOICE: NULL-terminated names, value = index
	const char *doc;    ///< one line for docs/effects.md and OSC help
};

/* ---- Tables (pure, any thread) ---- */

///< "eq", "compressor", "gate", "filter", "delay", "chorus", "flanger", "plate", "room", "hall"
/// ("none" for FL_FX_NONE, NULL out of range)
const char *fl_fx_type_name(enum fl_fx_type t);
int fl_fx_type_from_name(const char *name);           ///< -1 unknown
uint32_t fl_fx_param_count(enum fl_fx_type t);        ///< 0 for NONE or out of range
const struct fl_fx_param_info *fl_fx_param_info(enum fl_fx_type t, uint32_t index); ///< NULL out of range
int fl_fx_param_index(enum fl_fx_type t, const char *name); ///< -1 unknown
/* Short unit suffix for display ("dB", "Hz", "ms", "s", ":1", "%", ""). */
const char *fl_fx_unit_name(enum fl_fx_unit u);

/* Parses a value for a parameter from text ("-6", "2.5k", "1/8d", "on", a choice name); FL_ERR_RANGE/FL_ERR_BAD_ARG with a message. Non-RT.
 * Accepted: decimal numbers with an optional k suffix (x1000) and an
 * optional unit suffix matching the parameter ("dB", "Hz", "ms", "s", "%":
 * "%" divides by 100 for percent parameters); on/off/true/false/yes/no/1/0
 * for booleans; a choice name or its index for choices. A number outside
 * [min, max] is refused with FL_ERR_RANGE (the caller may clamp instead by
 * calling fl_fx_set_param, which clamps). err may be NULL. */
enum fl_status fl_fx_param_parse(enum fl_fx_type t, uint32_t index, const char *text, float *value, char *err, size_t errlen);
/* Formats a value for display ("-6.0 dB", "1/8d", "on"). Non-RT. */
void fl_fx_param_format(enum fl_fx_type t, uint32_t index, float value, char *buf, size_t len);

/* ---- Instances ---- */

struct fl_fx;   /* one effect instance in a slot */
/* Non-RT: allocates and initialises everything (sized for rate), parameters at their defaults.
 * FL_ERR_BAD_ARG for FL_FX_NONE/unknown types or a NULL out, FL_ERR_RANGE
 * for a rate outside (0, 192000], FL_ERR_UNSUPPORTED for a type whose
 * kernel is not in this build, FL_ERR_NOMEM. */
FL_NODISCARD enum fl_status fl_fx_create(enum fl_fx_type t, float rate, struct fl_fx **out);
void fl_fx_free(struct fl_fx *fx);                       ///< NULL-safe
enum fl_fx_type fl_fx_type(const struct fl_fx *fx);
FL_RT void fl_fx_reset(struct fl_fx *fx);
FL_RT void fl_fx_set_param(struct fl_fx *fx, uint32_t index, float value); ///< clamps to the range; ignores NaN/Inf and bad indices; smoothed inside the kernel
FL_RT float fl_fx_get_param(const struct fl_fx *fx, uint32_t index);   ///< the value last set (clamped); NaN for a bad index
FL_RT void fl_fx_set_bypass(struct fl_fx *fx, bool bypass);             ///< click-free: a raised-cosine wet/dry crossfade (10 ms); time effects keep their tails ringing out (spill-over)
FL_RT bool fl_fx_get_bypass(const struct fl_fx *fx);
FL_RT void fl_fx_set_tempo(struct fl_fx *fx, uint64_t cycle_frames, uint32_t beats_per_cycle); ///< for synced delay/chorus (cycle 0: free-running)
FL_RT void fl_fx_process(struct fl_fx *fx, const float *in_l, const float *in_r, float *out_l, float *out_r, uint32_t n); ///< stereo, in == out allowed, any n (the engine calls with n <= 256)
FL_RT uint32_t fl_fx_latency(const struct fl_fx *fx);                  ///< frames (0 for all current types)
FL_RT float fl_fx_read_meter(struct fl_fx *fx);                         ///< compressor/gate: deepest gain reduction in dB since last read (<= 0); others 0

#endif
