/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Six-band channel EQ: low cut (HPF), low shelf, two peaks, high shelf,
 * high cut (LPF), in series, each an RBJ biquad with smoothed parameters
 * (biquad.h: zipper-free, block-size invariant). Defaults are neutral and
 * cost nothing: cuts switched off (at 80 Hz and min(16 kHz, 0.45 fs) when
 * switched on), Q 0.707; shelves and peaks at 0 dB (an exact identity,
 * skipped) at 100 Hz, 500 Hz, 2.5 kHz and 8 kHz. A band only costs while it
 * is on and not flat: bench_dsp_a prints the cost of 2 and 6 active bands.
 * Threads: init non-RT (no allocation); the rest RT-safe. */
#ifndef FL_DSP_EQ_H
#define FL_DSP_EQ_H

#include "footloop/attributes.h"

#include "dsp/biquad.h"

enum fl_eq_band {
	FL_EQ_LOW_CUT,
	FL_EQ_LOW_SHELF,
	FL_EQ_PEAK1,
	FL_EQ_PEAK2,
	FL_EQ_HIGH_SHELF,
	FL_EQ_HIGH_CUT,
	FL_EQ_BANDS
};

struct fl_eq {
	struct fl_biquad band[FL_EQ_BANDS];
};

void fl_eq_init(struct fl_eq *eq, float rate);
FL_RT void fl_eq_reset(struct fl_eq *eq);
/* Out-of-range band indices are ignored; gain has no effect on the cuts. */
FL_RT void fl_eq_set_freq(struct fl_eq *eq, enum fl_eq_band band, float hz);
FL_RT void fl_eq_set_q(struct fl_eq *eq, enum fl_eq_band band, float q);
FL_RT void fl_eq_set_gain_db(struct fl_eq *eq, enum fl_eq_band band, float db);
/* Switches a band off/on with a 10 ms crossfade (cuts start off). */
FL_RT void fl_eq_set_enabled(struct fl_eq *eq, enum fl_eq_band band, bool on);
FL_RT void fl_eq_process(struct fl_eq *eq, const float *in_l, const float *in_r, float *out_l,
                         float *out_r, uint32_t n);

#endif
