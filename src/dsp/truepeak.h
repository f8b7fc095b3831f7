/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ITU-R BS.1770-4 Annex 2 true-peak detector: 4x oversampling with the
 * 48-tap (4 phases x 12 taps) interpolating FIR of the Recommendation, in
 * float (the Annex's -12.04 dB headroom attenuation is for fixed point only).
 *
 * fl_truepeak_ch: one channel's 12-sample history. fl_truepeak_ch_push(x)
 * returns the detector value d[n] = max(|x[n-6]|, |x[n-5]|, |y_p[n]|, p=0..3):
 * the 4 interpolated values lie between samples n-6 and n-5 (the filter has a
 * delay of 5.5 samples), so d[n] bounds the true peak over that interval, up
 * to the Annex filter's own reading error (+0.17 / -0.7 dB near Nyquist).
 *
 * fl_truepeak: a stereo true-peak meter built on it (peak hold, read and
 * cleared by the owner). Everything here is RT-safe: no allocation, bounded
 * loops. Non-finite input is treated as 0 by the meter. */
#ifndef FL_DSP_TRUEPEAK_H
#define FL_DSP_TRUEPEAK_H

#include "footloop/attributes.h"

#include <stdint.h>

#define FL_TRUEPEAK_TAPS 12
#define FL_TRUEPEAK_DELAY 6 /* d[n] covers samples n-6 .. n-5 */

extern const float fl_truepeak_annex2[4][FL_TRUEPEAK_TAPS];

struct fl_truepeak_ch {
	float hist[2 * FL_TRUEPEAK_TAPS]; ///< doubled ring: hist[pos..pos+11] newest first
	uint32_t pos;                     ///< write position, counts down mod 12
};

FL_RT void fl_truepeak_ch_reset(struct fl_truepeak_ch *c);
/* Pushes x[n] (must be finite) and returns d[n] (linear, >= 0). */
FL_RT float fl_truepeak_ch_push(struct fl_truepeak_ch *c, float x);

/* Combined detector for the limiter (reference section 1, step 2): the
 * Annex-2 value, delayed by 10 samples, max'ed with an 8x interpolator of
 * 32 Hann-windowed-sinc taps per phase. The second one covers what Annex 2
 * under-reads near Nyquist and between its 4 phases. d[n] covers samples
 * n-16 .. n-15. The taps are built once by fl_truepeak_comb_taps_init
 * (non-RT) and shared read-only. */
#define FL_TRUEPEAK8_TAPS 32
#define FL_TRUEPEAK_COMB_DELAY 16

struct fl_truepeak8_taps {
	float h[7][FL_TRUEPEAK8_TAPS]; ///< phases 1..7 (phase 0 is the sample), newest first
};

struct fl_truepeak_comb_ch {
	struct fl_truepeak_ch annex;
	float adl[FL_TRUEPEAK_COMB_DELAY - FL_TRUEPEAK_DELAY]; ///< Annex-2 output delay
	uint32_t apos;
	float hist[2 * FL_TRUEPEAK8_TAPS]; ///< doubled ring, newest first
	uint32_t pos;
};

void fl_truepeak8_taps_init(struct fl_truepeak8_taps *t);
FL_RT void fl_truepeak_comb_reset(struct fl_truepeak_comb_ch *c);
/* Pushes x[n] (finite) and returns d[n] for samples n-16 .. n-15. */
FL_RT float fl_truepeak_comb_push(struct fl_truepeak_comb_ch *c,
                                  const struct fl_truepeak8_taps *t, float x);

/* Block forms of the two detectors, written as straight float loops over the
 * output index so the compiler vectorises them (4-8 outputs per
 * instruction); each output sums its taps in the same order as the
 * per-sample pushes above, so the results are bit-identical to them and do
 * not depend on how a signal is cut into blocks. x is a linear history,
 * oldest first; d is max'ed into (d[i] = max(d[i], value)), so one d serves
 * both channels (stereo link) and both detectors. m <= FL_TRUEPEAK_CHUNK;
 * m == FL_TRUEPEAK_CHUNK takes the vectorised path.
 *   annex2: x[0 .. m + 11), output i for the newest sample x[i + 11],
 *           covering x[i + 5] .. x[i + 6] (delay 6, as fl_truepeak_ch_push).
 *   8x:     x[0 .. m + 31), output i for the newest sample x[i + 31],
 *           covering x[i + 15] .. x[i + 16] (delay 16, 7 sinc phases and the
 *           two samples; the Annex-2 half of the combined detector is
 *           annex2 on x + 10). */
#define FL_TRUEPEAK_CHUNK 16
FL_RT void fl_truepeak_annex2_block(const float *x, float *d, uint32_t m);
FL_RT void fl_truepeak8_block(const struct fl_truepeak8_taps *t, const float *x, float *d,
                              uint32_t m);
/* The 8x interpolator's half-sample phase alone (32 taps, same x layout
 * and delay as fl_truepeak8_block, without the two samples). */
FL_RT void fl_truepeak2_block(const struct fl_truepeak8_taps *t, const float *x, float *d,
                              uint32_t m);

/* The meter runs the block detector on 16-frame chunks (same values as the
 * per-sample push, 2-3x cheaper). */
struct fl_truepeak {
	float hist[2][FL_TRUEPEAK_TAPS - 1 + FL_TRUEPEAK_CHUNK]; ///< 11 old + chunk, oldest first
	float peak; ///< max d over both channels since the last fl_truepeak_read
};

FL_RT void fl_truepeak_reset(struct fl_truepeak *tp);
/* Meters a stereo block (in_r may equal in_l for mono). */
FL_RT void fl_truepeak_process(struct fl_truepeak *tp, const float *in_l, const float *in_r,
                               uint32_t n);
/* Returns the held peak (linear) and clears it. */
FL_RT float fl_truepeak_read(struct fl_truepeak *tp);

#endif
