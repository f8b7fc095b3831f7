/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Lookahead true-peak limiter; the algorithm and its state are documented in
 * limiter.h. Implementation notes on the why:
 *  - The box sums are integers so an idle limiter's gain is exactly 1.0f
 *    (bit-exact transparency) and nothing drifts over a long show.
 *  - Truncating to fixed point and integer division both round down, which
 *    keeps the smoothed gain on the safe side of every target it averages.
 *  - The delay line and the detector get the same sanitised sample, so a
 *    NaN burst only ever costs the limiter silence, never its state. */
#include "dsp/limiter.h"

#include <math.h>
#include <string.h>

/* The detectors under-read full-band noise near Nyquist by up to ~0.1 dB
 * (reference section 1: +0.04..0.13 dB on meter B); aim that much lower. */
#define FL_LIMITER_MARGIN 0.98855309f /* -0.1 dB */
#define FIX_ONE 1073741824 /* 2^30: gain 1.0 in the box filters */
#define DQ_MASK (FL_LIMITER_DQ_SIZE - 1)
#define DL_MASK (FL_LIMITER_DL_SIZE - 1)

static uint32_t
ms_to_frames(float ms, float rate)
{
	return (uint32_t)lrintf(ms * 0.001f * rate);
}

enum fl_status
fl_limiter_init(struct fl_limiter *k, float rate, float lookahead_ms)
{
	if (!(rate >= 8000.0f && rate <= 192000.0f))
		return FL_ERR_RANGE;
	if (!(lookahead_ms >= 0.5f))
		lookahead_ms = isnan(lookahead_ms) ? 1.0f : 0.5f;
	if (lookahead_ms > 5.0f)
		lookahead_ms = 5.0f;
	memset(k, 0, sizeof *k);
	k->rate = rate;
	fl_truepeak8_taps_init(&k->taps);
	uint32_t max_latency = (uint32_t)(FL_LIMITER_MAX_LATENCY_48K * rate / 48000.0f);
	uint32_t a = ms_to_frames(lookahead_ms, rate);
	uint32_t fixed = FL_LIMITER_GUARD + FL_TRUEPEAK_COMB_DELAY - 1;
	if (a + fixed > max_latency)
		a = max_latency - fixed;
	if (a < 2)
		a = 2;
	k->attack = a;
	k->latency = a + fixed;
	/* Two unequal boxes (split 0.582) give a smoother gain curve than one. */
	k->b1 = (uint32_t)lrintf(0.582f * (float)(a + 1));
	if (k->b1 < 1)
		k->b1 = 1;
	if (k->b1 > a)
		k->b1 = a;
	k->b2 = a + 1 - k->b1;
	k->ceiling_db = -1.0f;
	k->ceiling = powf(10.0f, -1.0f / 20.0f);
	k->release_ms = 0.0f;
	k->hold_ms = -1.0f;
	fl_limiter_set_release_ms(k, 50.0f);
	fl_limiter_set_hold_ms(k, 10.0f);
	fl_limiter_reset(k);
	return FL_OK;
}

void
fl_limiter_reset(struct fl_limiter *k)
{
	fl_truepeak_comb_reset(&k->det[0]);
	fl_truepeak_comb_reset(&k->det[1]);
	k->dq_head = k->dq_tail = 0;
	k->rel = 1.0f;
	for (uint32_t i = 0; i < FL_LIMITER_MAX_A; i++)
		k->box1[i] = k->box2[i] = FIX_ONE;
	k->box1_pos = k->box2_pos = 0;
	k->sum1 = (int64_t)k->b1 * FIX_ONE;
	k->sum2 = (int64_t)k->b2 * FIX_ONE;
	memset(k->dl, 0, sizeof k->dl);
	k->frame = 0;
	k->gain_min = 1.0f;
}

void
fl_limiter_set_ceiling_db(struct fl_limiter *k, float db)
{
	if (isnan(db) || db == k->ceiling_db)
		return;
	db = fminf(fmaxf(db, -12.0f), 0.0f);
	k->ceiling_db = db;
	k->ceiling = powf(10.0f, db / 20.0f);
}

void
fl_limiter_set_release_ms(struct fl_limiter *k, float ms)
{
	if (isnan(ms) || ms == k->release_ms)
		return;
	ms = fminf(fmaxf(ms, 5.0f), 1000.0f);
	k->release_ms = ms;
	k->rel_coeff = 1.0f - expf(-1000.0f / (ms * k->rate));
}

void
fl_limiter_set_hold_ms(struct fl_limiter *k, float ms)
{
	if (isnan(ms) || ms == k->hold_ms)
		return;
	ms = fminf(fmaxf(ms, 0.0f), 50.0f);
	k->hold_ms = ms;
	k->hold = ms_to_frames(ms, k->rate);
	k->window = k->attack + 2 * FL_LIMITER_GUARD + k->hold;
}

uint32_t
fl_limiter_latency_frames(const struct fl_limiter *k)
{
	return k->latency;
}

float
fl_limiter_read_gain_reduction_db(struct fl_limiter *k)
{
	float g = k->gain_min;
	k->gain_min = 1.0f;
	return g > 0.0f ? 20.0f * log10f(g) : -200.0f;
}

/* Steps 4 and 5: moving minimum over W frames, then the release. */
static inline float
hold_and_release(struct fl_limiter *k, float t)
{
	uint32_t f = k->frame;
	while (k->dq_tail != k->dq_head && k->dq_val[(k->dq_tail - 1) & DQ_MASK] >= t)
		k->dq_tail--;
	k->dq_val[k->dq_tail & DQ_MASK] = t;
	k->dq_frame[k->dq_tail & DQ_MASK] = f;
	k->dq_tail++;
	while (f - k->dq_frame[k->dq_head & DQ_MASK] >= k->window)
		k->dq_head++;
	float m = k->dq_val[k->dq_head & DQ_MASK];
	float r = k->rel + k->rel_coeff * (m - k->rel);
	k->rel = (m - r < 1e-6f) ? m : r;
	return k->rel;
}

/* Step 6: two cascaded boxes in fixed point. */
static inline float
attack_boxes(struct fl_limiter *k, float r)
{
	int32_t q = (int32_t)(r * (float)FIX_ONE);
	k->sum1 += q - k->box1[k->box1_pos];
	k->box1[k->box1_pos] = q;
	k->box1_pos = k->box1_pos + 1 == k->b1 ? 0 : k->box1_pos + 1;
	int32_t o1 = (int32_t)(k->sum1 / k->b1);
	k->sum2 += o1 - k->box2[k->box2_pos];
	k->box2[k->box2_pos] = o1;
	k->box2_pos = k->box2_pos + 1 == k->b2 ? 0 : k->box2_pos + 1;
	return (float)(k->sum2 / k->b2) * (1.0f / (float)FIX_ONE);
}

void
fl_limiter_process(struct fl_limiter *k, const float *in_l, const float *in_r, float *out_l,
                   float *out_r, uint32_t n)
{
	float c = k->ceiling * FL_LIMITER_MARGIN, gmin = k->gain_min;
	for (uint32_t i = 0; i < n; i++) {
		float xl = isfinite(in_l[i]) ? in_l[i] : 0.0f;
		float xr = isfinite(in_r[i]) ? in_r[i] : 0.0f;
		float d = fmaxf(fl_truepeak_comb_push(&k->det[0], &k->taps, xl),
		                fl_truepeak_comb_push(&k->det[1], &k->taps, xr));
		float t = d > c ? c / d : 1.0f;
		float s = attack_boxes(k, hold_and_release(k, t));
		uint32_t w = k->frame & DL_MASK, rd = (k->frame - k->latency) & DL_MASK;
		k->dl[0][w] = xl;
		k->dl[1][w] = xr;
		out_l[i] = s * k->dl[0][rd];
		out_r[i] = s * k->dl[1][rd];
		if (k->gain_trace)
			k->gain_trace[i] = s;
		gmin = fminf(gmin, s);
		k->frame++;
	}
	k->gain_min = gmin;
	if (!isfinite(k->rel))
		fl_limiter_reset(k);
}
