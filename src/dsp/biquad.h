/* SPDX-License-Identifier: GPL-2.0-or-later */
/* RBJ cookbook biquads (W3C Audio EQ Cookbook) in TDF-II with double
 * coefficients and state (reference section 3: float coefficients cost up to
 * 0.6 dB at low f0), plus zipper-free parameter smoothing:
 *  - the parameters are smoothed, not the coefficients: log f0, gain in dB,
 *    log Q, each by a one-pole with tau = 15 ms;
 *  - coefficient targets are recomputed every FL_BIQUAD_CTRL samples on an
 *    absolute sample grid (so output does not depend on the block size);
 *  - all five coefficients are interpolated linearly per sample between
 *    control points (stable: the stability triangle is convex).
 * An idle filter (parameters settled) costs no design and no interpolation;
 * a settled peak or shelf at exactly 0 dB (b == a: an identity) and a
 * switched-off filter cost nothing at all (their state is zeroed, which is
 * the identity's exact state, so gliding away from 0 dB starts cleanly).
 * Switching a filter off or on crossfades wet/dry over FL_BIQUAD_XFADE
 * samples (raised cosine), then the off filter is skipped.
 * State stays double: a float TDF-II state costs 0.07-0.6 dB of accuracy at
 * 20-30 Hz (reference section 3), and on x86-64 and AArch64 a scalar double
 * multiply-add costs the same as a float one.
 * Threads: fl_biquad_design/fl_biquad_mag_db are pure; fl_biquad_init is
 * non-RT only by convention (no allocation at all); set_* and process are
 * RT-safe (the design's sin/cos run at most every 32 samples). */
#ifndef FL_DSP_BIQUAD_H
#define FL_DSP_BIQUAD_H

#include "footloop/attributes.h"

#include <stdbool.h>
#include <stdint.h>

#define FL_BIQUAD_CTRL 32
#define FL_BIQUAD_XFADE 512 /* on/off crossfade, samples (~10 ms at 48 kHz) */

enum fl_biquad_type {
	FL_BIQUAD_PEAK,
	FL_BIQUAD_LOWSHELF,
	FL_BIQUAD_HIGHSHELF,
	FL_BIQUAD_LOWPASS,
	FL_BIQUAD_HIGHPASS,
	FL_BIQUAD_BANDPASS, /* constant 0 dB peak gain */
	FL_BIQUAD_NOTCH,
};

struct fl_biquad_coef {
	double b0, b1, b2, a1, a2; ///< normalised, a0 = 1
};

/* RBJ design; f0 clamped to [1 Hz, 0.49 rate], q to [0.1, 40], gain to +-30 dB. */
void fl_biquad_design(struct fl_biquad_coef *c, enum fl_biquad_type type, double f0_hz,
                      double q, double gain_db, double rate);
/* Analytic |H(e^jw)| in dB at f_hz. */
double fl_biquad_mag_db(const struct fl_biquad_coef *c, double f_hz, double rate);

struct fl_biquad {
	enum fl_biquad_type type;
	double rate;
	double coeff;                 ///< one-pole 1 - a per control period
	double t_lf, t_lq, t_g;       ///< targets: log f0, log q, gain dB
	double lf, lq, g;             ///< smoothed values
	struct fl_biquad_coef cur;    ///< coefficients in use
	struct fl_biquad_coef target; ///< coefficients at the next control point
	struct fl_biquad_coef inc;    ///< per-sample increment toward target
	double z[2][2];               ///< TDF-II state per channel
	uint32_t phase;               ///< samples since the last control point
	bool moving;
	bool enabled;                 ///< target of the on/off crossfade
	uint32_t xfade;               ///< crossfade samples left (0: settled)
};

void fl_biquad_init(struct fl_biquad *b, enum fl_biquad_type type, float rate, float f0_hz,
                    float q, float gain_db);
FL_RT void fl_biquad_reset(struct fl_biquad *b);
/* NaN ignored, values clamped; the change glides (tau 15 ms). */
FL_RT void fl_biquad_set_freq(struct fl_biquad *b, float hz);
FL_RT void fl_biquad_set_q(struct fl_biquad *b, float q);
FL_RT void fl_biquad_set_gain_db(struct fl_biquad *b, float db);
/* Off/on with a crossfade (default on). */
FL_RT void fl_biquad_set_enabled(struct fl_biquad *b, bool on);
/* True when process() is a copy: switched off (crossfade done) or a settled
 * 0 dB peak/shelf. */
FL_RT bool fl_biquad_is_bypassed(const struct fl_biquad *b);
/* Stereo, in == out allowed. */
FL_RT void fl_biquad_process(struct fl_biquad *b, const float *in_l, const float *in_r,
                             float *out_l, float *out_r, uint32_t n);

#endif
