/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Stereo-linked noise gate / downward expander with hysteresis, hold and
 * lookahead (dsp-sync-reference.md section 2, "Gate / expander").
 *
 * Per sample n:
 *   1. key e = max(|L|, |R|, e a_k): a peak follower (instant rise, decay
 *      tau 10 ms), on the undelayed input; non-finite input counts as 0 (and
 *      is output as 0);
 *   2. state: e >= T_o opens (and re-arms the hold); while open, e < T_c =
 *      T_o - hysteresis counts the hold down, and the gate closes when the
 *      hold (in samples) has run out; e >= T_c again re-arms it;
 *   3. gain in dB glides toward 0 (open) or the range (closed) by a one-pole
 *      with the attack (opening) or release (closing) time constant; it
 *      snaps to its target within 1e-4 dB, so an open gate is an exact copy
 *      (after the lookahead delay) and a closed one a constant gain;
 *   4. out = 10^(g/20) x[n - L], L = lookahead in samples (latency).
 * Everything is per sample: bit-identical for any block size.
 * Ranges: open threshold -80..0 dBFS (default -40), hysteresis 0..20 dB (6),
 * hold 0..500 ms (50), attack 0.05..10 ms (1), release 10..1000 ms (100),
 * range -120..0 dB (-80; -120 is effectively -inf), lookahead 0..5 ms (at
 * init: it is a latency). NaN is ignored, other values are clamped.
 * Threads: init non-RT (no allocation at all); everything else RT-safe. */
#ifndef FL_DSP_GATE_H
#define FL_DSP_GATE_H

#include "footloop/attributes.h"

#include <stdbool.h>
#include <stdint.h>

#define FL_GATE_DL_SIZE 1024 /* > 5 ms at 192 kHz, power of 2 */

struct fl_gate {
	float rate;
	uint32_t latency;        ///< lookahead samples
	float open_lin, close_lin; ///< T_o, T_c as linear levels
	float open_db, hyst_db;
	uint32_t hold;           ///< samples
	uint32_t hold_left;
	float a_key, a_att, a_rel; ///< one-pole coefficients a
	float range_db;
	float key;               ///< e
	float gain_db;           ///< g
	float gain;              ///< 10^(g/20), cached
	bool open;
	uint32_t changes;        ///< open/close transitions since init (meter/test)
	float dl[2][FL_GATE_DL_SIZE];
	uint32_t pos;
};

/* Non-RT. lookahead_ms 0..5. */
void fl_gate_init(struct fl_gate *g, float rate, float lookahead_ms);
FL_RT void fl_gate_reset(struct fl_gate *g);
FL_RT void fl_gate_set_threshold_db(struct fl_gate *g, float db);
FL_RT void fl_gate_set_hysteresis_db(struct fl_gate *g, float db);
FL_RT void fl_gate_set_hold_ms(struct fl_gate *g, float ms);
FL_RT void fl_gate_set_attack_ms(struct fl_gate *g, float ms);
FL_RT void fl_gate_set_release_ms(struct fl_gate *g, float ms);
FL_RT void fl_gate_set_range_db(struct fl_gate *g, float db);
FL_RT uint32_t fl_gate_latency_frames(const struct fl_gate *g);
/* Current gain in dB (<= 0): the gate's "gain reduction" meter. */
FL_RT float fl_gate_gain_db(const struct fl_gate *g);
/* Stereo, in == out allowed. */
FL_RT void fl_gate_process(struct fl_gate *g, const float *in_l, const float *in_r,
                           float *out_l, float *out_r, uint32_t n);

#endif
