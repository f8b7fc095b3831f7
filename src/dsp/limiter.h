/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Master limiter: stereo-linked lookahead brick-wall with BS.1770-4 true-peak
 * detection (dsp-sync-reference.md section 1; the Signalsmith/Luff recipe).
 *
 * Per sample n (all steps per sample, nothing depends on the block size):
 *   1. x = input; a non-finite sample is replaced by 0 (in the detector and
 *      the delay line), so NaN/Inf never reach the state or the output.
 *   2. d[n] = max over both channels of the combined detector (truepeak.h:
 *      Annex-2 4x max'ed with an 8x/32-tap sinc); it bounds the true peak
 *      between samples n-16 and n-15 (D = 16).
 *   3. target t[n] = d > c ? c / d : 1, c = ceiling (linear).
 *   4. m[n] = min of t over the last W = A + 2G + H samples (monotonic deque,
 *      amortised O(1), bounded by W).
 *   5. release: r = min(m, r + (1 - a_r)(m - r)), a_r = exp(-1/(tau_r fs));
 *      r snaps to m within 1e-6 so an idle limiter has gain exactly 1.
 *   6. attack: two cascaded box filters of lengths B1 + B2 - 1 = A on r,
 *      in 2^-30 fixed point with int64 sums (exact, no drift, rounding down,
 *      so the smoothed gain is never above the targets it averages).
 *   7. y = s * x[n - L], L = A - 1 + G + D.
 * Guarantee: the gain applied to sample k is <= every target t for detector
 * intervals within +-G samples of k, so the Annex-2 true peak of the output is
 * <= c up to the gain's modulation across the interpolation kernel.
 *
 * Legend of the state: A = attack/lookahead samples, G = guard (2),
 * H = hold samples, W = window of the minimum, L = latency; dq_* = deque of
 * (target, frame) for step 4; rel = r of step 5; box1/box2 = rings and int64
 * sums of step 6; dl = audio delay line; frame = absolute sample counter.
 *
 * Defaults: ceiling -1 dBTP, lookahead 1 ms (clamped to A = 47 at 48 kHz by
 * the budget, L = 64),
 * hold 10 ms, release 50 ms. Lookahead is fixed at init (it sets the latency,
 * which JACK must be told) and clamped so L <= 64 frames at 48 kHz (scaled
 * with the rate). Rates 8-192 kHz. Threads: init is non-RT (no allocation at
 * all: fixed arrays sized for 192 kHz); every other function is RT-safe. */
#ifndef FL_DSP_LIMITER_H
#define FL_DSP_LIMITER_H

#include "footloop/attributes.h"
#include "footloop/status.h"

#include "dsp/truepeak.h"

#include <stdint.h>

#define FL_LIMITER_GUARD 2
#define FL_LIMITER_MAX_LATENCY_48K 64
#define FL_LIMITER_MAX_A 512    /* lookahead samples at 192 kHz, rounded up */
#define FL_LIMITER_DQ_SIZE 16384 /* >= A + 2G + 50 ms at 192 kHz, power of 2 */
#define FL_LIMITER_DL_SIZE 512   /* >= L + 1 at 192 kHz, power of 2 */

struct fl_limiter {
	float rate;
	uint32_t attack;  ///< A
	uint32_t hold;    ///< H
	uint32_t window;  ///< W = A + 2G + H
	uint32_t latency; ///< L
	uint32_t b1, b2;  ///< box lengths, b1 + b2 - 1 = A
	float ceiling;    ///< c, linear
	float ceiling_db;
	float release_ms;
	float hold_ms;
	float rel_coeff; ///< 1 - a_r
	struct fl_truepeak_comb_ch det[2];
	struct fl_truepeak8_taps taps;
	float dq_val[FL_LIMITER_DQ_SIZE];
	uint32_t dq_frame[FL_LIMITER_DQ_SIZE];
	uint32_t dq_head, dq_tail; ///< deque [head, tail) mod size
	float rel;
	int32_t box1[FL_LIMITER_MAX_A], box2[FL_LIMITER_MAX_A];
	uint32_t box1_pos, box2_pos;
	int64_t sum1, sum2;
	float dl[2][FL_LIMITER_DL_SIZE];
	uint32_t frame;    ///< absolute frame counter (wraps; only differences used)
	float gain_min;    ///< smallest applied gain since the last read (meter)
	float *gain_trace; ///< test hook: if set, receives s per processed sample
};

/* Non-RT. rate 8000-192000 Hz; lookahead_ms clamped to [0.5, 5] and to the
 * 64-frames-at-48-kHz latency budget. */
FL_NODISCARD enum fl_status fl_limiter_init(struct fl_limiter *k, float rate,
                                            float lookahead_ms);
FL_RT void fl_limiter_reset(struct fl_limiter *k);
/* -12..0 dBTP; takes effect at the detector at once, so for L frames the
 * output is <= max(old, new) and afterwards <= new. NaN is ignored. */
FL_RT void fl_limiter_set_ceiling_db(struct fl_limiter *k, float db);
FL_RT void fl_limiter_set_release_ms(struct fl_limiter *k, float ms); /* 5-1000 */
FL_RT void fl_limiter_set_hold_ms(struct fl_limiter *k, float ms);    /* 0-50 */
FL_RT uint32_t fl_limiter_latency_frames(const struct fl_limiter *k);
/* Smallest gain applied since the last call (dB <= 0), then cleared. */
FL_RT float fl_limiter_read_gain_reduction_db(struct fl_limiter *k);
/* Stereo; in == out allowed. */
FL_RT void fl_limiter_process(struct fl_limiter *k, const float *in_l, const float *in_r,
                              float *out_l, float *out_r, uint32_t n);

#endif
