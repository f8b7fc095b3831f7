/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Stereo-linked feed-forward compressor after Giannoulis, Massberg and
 * Reiss, JAES 60(6) 2012 (dsp-sync-reference.md section 2).
 *
 * Per sample n:
 *   1. x_G = 20 log10(max(|L|, |R|, 1e-6)) (non-finite input counts as 0 and
 *      is output as 0);
 *   2. y_G = gain computer (threshold T, ratio R, knee W, all dB), soft knee
 *      (fl_comp_gain_computer);
 *   3. x_L = x_G - y_G >= 0, the gain reduction wanted;
 *   4. smoothing in the log domain (so the release time does not depend on
 *      the depth): decoupled (default) y1 = max(x_L, a_R y1 + (1 - a_R) x_L),
 *      y_L = a_A y_L + (1 - a_A) y1; or branching, y_L = a y_L + (1 - a) x_L
 *      with a = a_A while x_L > y_L, else a_R; a = exp(-1 / (tau fs));
 *   5. g = 10^((M - y_L) / 20), M = makeup (or auto: the reduction at 0 dBFS);
 *   6. out = x ((1 - mix) + mix g): mix 0 is an exact copy, mix 1 the
 *      compressed signal, in between parallel compression.
 * Threshold, ratio (as the slope 1 - 1/R), knee, makeup and mix glide per
 * sample (one-pole, tau 20 ms, zipper-free); attack/release apply at once
 * (the detector state is continuous). Everything is per sample, so the
 * output is bit-identical for any block size.
 * Ranges: threshold -60..0 dB, ratio 1..100 (>= 100 or +inf: limiter,
 * slope 1), knee 0..24 dB, attack 0.1..100 ms, release 10..2000 ms, makeup
 * -12..+24 dB, mix 0..1. NaN is ignored, other values are clamped.
 * Cost (bench_dsp_a, x86-64, -O2): ~28 ns per stereo sample with settled
 * parameters (16-sample vectorised chunks, polynomial log2/exp2 within
 * 2e-5 dB), ~40 ns while parameters glide (per-sample path, same results).
 * Threads: init non-RT (no allocation at all); everything else RT-safe. */
#ifndef FL_DSP_COMPRESSOR_H
#define FL_DSP_COMPRESSOR_H

#include "footloop/attributes.h"

#include "dsp/smooth.h"

#include <stdbool.h>
#include <stdint.h>

enum fl_comp_detector {
	FL_COMP_DECOUPLED, ///< smooth decoupled peak detector (default: lowest THD)
	FL_COMP_BRANCHING, ///< smooth branching peak detector
};

enum fl_comp_param {
	FL_COMP_THRESHOLD,
	FL_COMP_SLOPE, ///< 1 - 1/R
	FL_COMP_KNEE,
	FL_COMP_MAKEUP,
	FL_COMP_MIX,
	FL_COMP_NPARAMS
};

struct fl_comp {
	float rate;
	enum fl_comp_detector detector;
	bool auto_makeup;
	float attack_ms, release_ms;
	float a_att, a_rel;                   ///< one-pole coefficients a
	struct fl_smooth p[FL_COMP_NPARAMS]; ///< gliding parameters
	float y1, yl;                         ///< detector state, dB of reduction
	float gr_max;                         ///< deepest y_L since the last read
};

/* Gain computer of step 2 (pure, any thread): output level in dB for an
 * input level x_db. ratio >= 1 (inf allowed), knee_db >= 0. */
float fl_comp_gain_computer(float x_db, float threshold_db, float ratio, float knee_db);

/* Non-RT. Defaults: -20 dB, 4:1, knee 6 dB, attack 10 ms, release 150 ms,
 * makeup 0 dB, mix 1, decoupled detector. */
void fl_comp_init(struct fl_comp *c, float rate);
/* Clears the detector; parameters land on their targets. */
FL_RT void fl_comp_reset(struct fl_comp *c);
FL_RT void fl_comp_set_threshold_db(struct fl_comp *c, float db);
FL_RT void fl_comp_set_ratio(struct fl_comp *c, float ratio);
FL_RT void fl_comp_set_knee_db(struct fl_comp *c, float db);
FL_RT void fl_comp_set_attack_ms(struct fl_comp *c, float ms);
FL_RT void fl_comp_set_release_ms(struct fl_comp *c, float ms);
FL_RT void fl_comp_set_makeup_db(struct fl_comp *c, float db);
/* Auto makeup replaces the makeup gain by the reduction at 0 dBFS. */
FL_RT void fl_comp_set_auto_makeup(struct fl_comp *c, bool on);
FL_RT void fl_comp_set_mix(struct fl_comp *c, float mix);
FL_RT void fl_comp_set_detector(struct fl_comp *c, enum fl_comp_detector d);
/* Deepest gain reduction since the last call, dB <= 0 (makeup excluded),
 * then cleared. */
FL_RT float fl_comp_read_gain_reduction_db(struct fl_comp *c);
/* Stereo, in == out allowed. */
FL_RT void fl_comp_process(struct fl_comp *c, const float *in_l, const float *in_r,
                           float *out_l, float *out_r, uint32_t n);

#endif
