/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Dattorro plate reverb (J. Dattorro, "Effect Design Part 1", JAES 45(9),
 * 1997; dsp-sync-reference.md 4.3): pre-delay, input band-limit, four input
 * allpass diffusers, then a figure-8 tank of two branches (modulated
 * allpass, delay, damping one-pole, decay gain, allpass, delay) with seven
 * output taps per channel. Lengths are Dattorro's at 29761 Hz scaled to the
 * rate. Mono in (L+R)/2, stereo out; y = (1 - mix) x + mix * wet.
 *
 * Decay is set as a time: the tank applies the decay gain four times per
 * round trip of length L (sum of the eight tank lengths), so
 * decay = 10^(-3 L / (4 fs T60)), capped at 0.9995. Freeze closes the input
 * and makes the tank lossless (decay 1, damping and modulation off): the
 * tail then holds its energy indefinitely.
 *
 * Threads: init/free non-RT, the rest FL_RT on one rendering thread. All
 * parameters are smoothed; output is identical for any block size. */
#ifndef FL_DSP_REVERB_PLATE_H
#define FL_DSP_REVERB_PLATE_H

#include "dsp/delayline.h"
#include "footloop/attributes.h"
#include "footloop/status.h"

#include <stdbool.h>
#include <stdint.h>

#define FL_PLATE_MAX_PREDELAY_MS 250.0f

struct fl_plate {
	float rate;
	struct fl_delayline pre;      ///< pre-delay (mono)
	struct fl_delayline in_ap[4]; ///< input diffusers
	struct fl_delayline ap1[2];   ///< tank modulated allpasses
	struct fl_delayline d1[2];    ///< tank delays 1
	struct fl_delayline ap2[2];   ///< tank allpasses 2
	struct fl_delayline d2[2];    ///< tank delays 2
	uint32_t in_len[4], ap1_len[2], d1_len[2], ap2_len[2], d2_len[2];
	uint32_t tap[14];             ///< output tap offsets (7 left, 7 right)
	float loop_frames;            ///< sum of the tank lengths
	float excursion;              ///< modulation depth in frames
	uint32_t lfo_phase, lfo_inc;
	float bw_z, damp_z[2], last[2];
	struct fl_sm2 decay, damp, mix, predelay, mod, input;
	struct fl_ramp byp;           ///< 0 active, 1 bypassed (input closed, dry unity)
	float decay_s, damping, predelay_ms, mix_set;
	bool freeze, bypass;
};

/* Non-RT. rate in (0, 192000]. Defaults: 2 s, damping 0.3, pre-delay 10 ms,
 * mix 0.3. FL_ERR_RANGE, FL_ERR_NOMEM. */
FL_NODISCARD enum fl_status fl_plate_init(struct fl_plate *k, float rate);
void fl_plate_free(struct fl_plate *k); /* NULL-safe */
FL_RT void fl_plate_reset(struct fl_plate *k);

FL_RT void fl_plate_set_decay_s(struct fl_plate *k, float t60_s); /* [0.1, 30] */
/* 0 = no HF loss in the tank, 1 = dark (one-pole cut-off down to ~1 kHz). */
FL_RT void fl_plate_set_damping(struct fl_plate *k, float damping);
FL_RT void fl_plate_set_predelay_ms(struct fl_plate *k, float ms);
FL_RT void fl_plate_set_mix(struct fl_plate *k, float mix);
FL_RT void fl_plate_set_freeze(struct fl_plate *k, bool on);
/* Bypass with spill-over: the input closes and the dry path goes to unity
 * over a 10 ms raised cosine; the tail keeps ringing out. */
FL_RT void fl_plate_set_bypass(struct fl_plate *k, bool on);

FL_RT void fl_plate_process(struct fl_plate *k, const float *in_l, const float *in_r,
                            float *out_l, float *out_r, uint32_t n);

#endif
