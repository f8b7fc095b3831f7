/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Resonant state-variable filter for sweeps (the "filter" effect): Simper's
 * linear trapezoidal SVF (Cytomic, "SvfLinearTrapOptimised2", 2013), a TPT
 * structure that realises the bilinear-transform low/band/high-pass
 * responses and stays well behaved under fast coefficient modulation.
 *
 *   g = tan(pi fc / fs), k = 1 / Q, a1 = 1 / (1 + g (g + k)), a2 = g a1,
 *   a3 = g a2; per sample: v3 = x - s2, v1 = a1 s1 + a2 v3,
 *   v2 = s2 + a2 s1 + a3 v3, s1 = 2 v1 - s1, s2 = 2 v2 - s2;
 *   LP = v2, BP = k v1 (0 dB at fc), HP = x - k v1 - v2.
 *
 * Modulation without zipper: cutoff (log) and Q (log) glide by a one-pole
 * (tau 10 ms); a1..a3 and k are designed every FL_SVF_CTRL samples on an
 * absolute sample grid and interpolated linearly per sample in between (the
 * grid makes it block-size invariant). The mode is a mix of LP/BP/HP whose
 * weights crossfade (raised cosine over FL_SVF_XFADE samples, interpolated
 * the same way), so switching modes does not click. A settled
 * filter costs no design and no interpolation. State is float: the
 * reference measured a float TPT SVF within 0.003 dB of the analytic
 * response. Denormal backstop: tiny states flushed on the control grid;
 * non-finite states are reset at the end of a block.
 * Ranges: cutoff 10 Hz..0.49 fs, Q 0.5..25. NaN is ignored.
 * Threads: init non-RT (no allocation); everything else RT-safe. */
#ifndef FL_DSP_SVF_H
#define FL_DSP_SVF_H

#include "footloop/attributes.h"

#include <stdbool.h>
#include <stdint.h>

#define FL_SVF_CTRL 16
#define FL_SVF_XFADE 1024 /* mode crossfade, samples (21 ms at 48 kHz) */
#define FL_SVF_NC 7 /* interpolated: a1, a2, a3, k, w_lp, w_bp, w_hp */

enum fl_svf_mode {
	FL_SVF_LOWPASS,
	FL_SVF_BANDPASS,
	FL_SVF_HIGHPASS,
};

struct fl_svf {
	float rate;
	float coeff;               ///< one-pole 1 - a per control period
	float t_lf, t_lq;          ///< targets: log cutoff, log Q
	float lf, lq;              ///< smoothed
	float t_w[3], w[3];        ///< mode weights (LP, BP, HP): targets, now
	float w_from[3];           ///< weights at the start of the crossfade
	uint32_t xf_pos;           ///< crossfade samples done (>= XFADE: done)
	float c[FL_SVF_NC];        ///< coefficients and weights now
	float inc[FL_SVF_NC];      ///< per-sample increments toward the next point
	float s[2][2];             ///< ic1eq, ic2eq per channel
	uint32_t phase;            ///< samples since the last control point
	bool moving;
};

void fl_svf_init(struct fl_svf *f, float rate, enum fl_svf_mode mode, float cutoff_hz, float q);
FL_RT void fl_svf_reset(struct fl_svf *f);
FL_RT void fl_svf_set_cutoff(struct fl_svf *f, float hz);
FL_RT void fl_svf_set_q(struct fl_svf *f, float q);
FL_RT void fl_svf_set_mode(struct fl_svf *f, enum fl_svf_mode mode);
/* Stereo, in == out allowed. */
FL_RT void fl_svf_process(struct fl_svf *f, const float *in_l, const float *in_r, float *out_l,
                          float *out_r, uint32_t n);

#endif
