/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Master limiter: stereo-linked lookahead brick-wall with BS.1770-4 true-peak
 * detection (dsp-sync-reference.md section 1; the Signalsmith/Luff recipe).
 *
 * Per sample n (all steps per sample, nothing depends on the block size):
 *   1. x = input * input gain (smoothed, 0..+24 dB); a non-finite sample is
 *      replaced by 0 (in the detector and the delay line), so NaN/Inf never
 *      reach the state or the output.
 *   2. d[n] = max over both channels of the detector (truepeak.h):
 *      FL_LIMITER_ANNEX2_HALF (default): the Annex-2 4x polyphase FIR max'ed
 *      with a 32-tap half-sample sinc (the 8x interpolator's middle phase),
 *      D = 16; FL_LIMITER_ANNEX2: Annex 2 alone, D = 6;
 *      FL_LIMITER_COMBINED: Annex 2 max'ed with the full 8x/32-tap sinc, D = 16.
 *   3./4. m[n] = min over the last W = A + 2G + H samples of the targets
 *      t = min(1, c'/d), c' = ceiling x margin (linear), computed as
 *      D > c' ? c' / D : 1 with D = max of d over the window (monotonic
 *      deque, amortised O(1), bounded by W; one division, only when over).
 *   5. release: r = min(m, r + (1 - a_r)(m - r)), a_r = exp(-1/(tau_r fs));
 *      r snaps to m within 1e-6 so an idle limiter has gain exactly 1.
 *   6. attack: two cascaded box filters of lengths B1 + B2 - 1 = A on r,
 *      with exact int64 sums in 2^-30 fixed point (no drift; an idle box
 *      reads exactly 1.0f).
 *   7. y = s * x[n - L], L = A - 1 + G + D.
 * Guarantee: the gain applied to sample k is <= every target t for detector
 * intervals within +-G samples of k, so the detector's reading of the output
 * is <= c' up to the gain's modulation across the interpolation kernel.
 *
 * Cost and the detector trade-off (bench_dsp_a, x86-64 SSE2, -O2, best
 * of 7 on a shared machine; the detectors run on 16-frame chunks with
 * 4-lane vector accumulators, the old per-sample version cost 530-1100 ns):
 *   ANNEX2_HALF (default): ~60-75 ns per stereo sample, latency 64 at
 *     48 kHz (A = 47), margin 0.3 dB. Annex 2 alone under-reads between its
 *     4 phases and near Nyquist (reference section 1); the half-sample
 *     phase catches what libebur128 reads at 96 kHz (2x) and most of the
 *     near-Nyquist excess. test_dsp_limiter at 44.1/48/96 kHz, worst over
 *     the adversarial set: meter A -0.30 dB, meter B -0.14 dB, meter C
 *     +0.17 dB on band-limited items (chirp, 48 kHz); pathological
 *     near-Nyquist items (sinc-sign, fs/2 bursts, raw white noise) read up
 *     to +2.5 dB on the ideal meter C: recorded, not gated (as in the
 *     reference). The price of the cheap detector is the 0.3 dB margin:
 *     limited material sits 0.3 dB under the ceiling.
 *   ANNEX2: ~45-60 ns, latency 55 at 48 kHz, margin 0.35 dB (at 0.3 dB a
 *     48 kHz chirp read +0.22 dB on meter C). Passes at 48 kHz (worst A
 *     -0.35, B -0.17, C band-limited +0.17 dB), but at 96 kHz meter B reads
 *     up to +0.84 dB over on sinc-sign bursts and full-band noise: use it
 *     only at 44.1/48 kHz.
 *   COMBINED: ~140-160 ns, latency 64, margin 0.1 dB (the previous design;
 *     48 kHz worst A -0.10, B -0.01, C band-limited +0.03, C all +1.45 dB).
 * Defaults: ceiling -1 dBTP, lookahead 1 ms (A = 47 at 48 kHz), hold 10 ms,
 * release 50 ms, input gain 0 dB. Lookahead is fixed at init (it sets the
 * latency, which JACK must be told) and clamped so L <= 64 frames at 48 kHz
 * (scaled with the rate). Ceiling changes glide (raised cosine, 20 ms);
 * the output is <= max(old, new) until the glide and the latency have
 * passed, and <= new afterwards. The held minimum of step 4 is computed as
 * c(n) / max(d over W), so a gliding ceiling scales it smoothly: changing
 * the ceiling while limiting a 100 Hz sine hard splatters at -107 dBFS
 * (lowering) and -139 dBFS (raising); an unglided switch is above -65
 * (test_dsp_limiter_dyn).
 * Rates 8-192 kHz.
 *
 * Legend of the state: A = attack/lookahead samples, G = guard (2),
 * H = hold samples, W = window of the minimum, L = latency; dq_* = deque of
 * (detector value, frame) for steps 3/4; rel = r of step 5; box1/box2 = rings and int64
 * sums of step 6; buf = linear per-channel history (detector input and delay
 * line), newest sample at buf[ch][wp + i]; frame = absolute sample counter.
 * Threads: init is non-RT (no allocation at all: fixed arrays sized for
 * 192 kHz); every other function is RT-safe. */
#ifndef FL_DSP_LIMITER_H
#define FL_DSP_LIMITER_H

#include "footloop/attributes.h"
#include "footloop/status.h"

#include "dsp/smooth.h"
#include "dsp/truepeak.h"

#include <stdint.h>

#define FL_LIMITER_GUARD 2
#define FL_LIMITER_MAX_LATENCY_48K 64
#define FL_LIMITER_MAX_A 512    /* lookahead samples at 192 kHz, rounded up */
#define FL_LIMITER_DQ_SIZE 16384 /* >= A + 2G + 50 ms at 192 kHz, power of 2 */
#define FL_LIMITER_BUF 1024      /* per-channel history: >= 256 + 31 + chunk */
#define FL_LIMITER_GLIDE_MS 20.0f

enum fl_limiter_detector {
	FL_LIMITER_ANNEX2,      ///< BS.1770-4 Annex 2 only (cheapest, L = 55)
	FL_LIMITER_ANNEX2_HALF, ///< Annex 2 max a 32-tap half-sample sinc (default)
	FL_LIMITER_COMBINED,    ///< Annex 2 max 8x/32-tap sinc (5x cost)
};

struct fl_limiter {
	float rate;
	enum fl_limiter_detector detector;
	uint32_t attack;  ///< A
	uint32_t hold;    ///< H
	uint32_t window;  ///< W = A + 2G + H
	uint32_t latency; ///< L
	uint32_t hist;    ///< history kept in buf: max(L, 31)
	uint32_t b1, b2;  ///< box lengths, b1 + b2 - 1 = A
	double inv_b1, inv_b2; ///< 1 / b1 and 1 / (b2 2^30)
	float margin;     ///< linear, < 1: aims under the ceiling (see above)
	float ceiling;    ///< c now (linear), glides toward ceiling_target
	float ceiling_target;
	float ceiling_from;    ///< glide start value
	uint32_t ceiling_len;  ///< glide length in samples
	uint32_t ceiling_left; ///< glide samples left
	float ceiling_db;
	float release_ms;
	float hold_ms;
	float rel_coeff; ///< 1 - a_r
	float in_gain_db;
	struct fl_smooth in_gain;
	struct fl_truepeak8_taps taps;
	float dq_val[FL_LIMITER_DQ_SIZE];
	uint32_t dq_frame[FL_LIMITER_DQ_SIZE];
	uint32_t dq_head, dq_tail; ///< deque [head, tail) mod size
	float rel;
	int32_t box1[FL_LIMITER_MAX_A], box2[FL_LIMITER_MAX_A];
	uint32_t box1_pos, box2_pos;
	int64_t sum1, sum2;
	float buf[2][FL_LIMITER_BUF];
	uint32_t wp;
	uint32_t frame;    ///< absolute frame counter (wraps; only differences used)
	float gain_min;    ///< smallest applied gain since the last read (meter)
	float *gain_trace; ///< test hook: if set, receives s per processed sample
};

/* Non-RT. rate 8000-192000 Hz; lookahead_ms clamped to [0.5, 5] and to the
 * 64-frames-at-48-kHz latency budget. Annex-2 detector. */
FL_NODISCARD enum fl_status fl_limiter_init(struct fl_limiter *k, float rate,
                                            float lookahead_ms);
/* Same with a choice of detector. */
FL_NODISCARD enum fl_status fl_limiter_init_detector(struct fl_limiter *k, float rate,
                                                     float lookahead_ms,
                                                     enum fl_limiter_detector det);
/* Clears the signal state; parameters stay, glides land on their targets. */
FL_RT void fl_limiter_reset(struct fl_limiter *k);
/* -12..0 dBTP; glides over 20 ms. NaN is ignored. */
FL_RT void fl_limiter_set_ceiling_db(struct fl_limiter *k, float db);
FL_RT void fl_limiter_set_release_ms(struct fl_limiter *k, float ms); /* 5-1000 */
FL_RT void fl_limiter_set_hold_ms(struct fl_limiter *k, float ms);    /* 0-50 */
/* 0..+24 dB, smoothed (tau 10 ms); 0 dB is an exact identity. */
FL_RT void fl_limiter_set_input_gain_db(struct fl_limiter *k, float db);
FL_RT uint32_t fl_limiter_latency_frames(const struct fl_limiter *k);
/* Smallest gain applied since the last call (dB <= 0), then cleared. */
FL_RT float fl_limiter_read_gain_reduction_db(struct fl_limiter *k);
/* Stereo; in == out allowed. */
FL_RT void fl_limiter_process(struct fl_limiter *k, const float *in_l, const float *in_r,
                              float *out_l, float *out_r, uint32_t n);

#endif
