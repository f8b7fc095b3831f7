/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Lookahead true-peak limiter; the algorithm and its state are documented in
 * limiter.h. Implementation notes on the why:
 *  - Work is done in chunks of FL_TRUEPEAK_CHUNK frames: the detector FIRs
 *    and the gain apply are float loops over the chunk that vectorise; only
 *    the min/release/box recursion stays per sample. Every step is still
 *    per sample, so the output does not depend on the block size.
 *  - The box sums are integers so an idle limiter's gain is exactly 1.0f
 *    (bit-exact transparency) and nothing drifts over a long show. The
 *    averages are taken with a double multiply instead of an int64 division
 *    (the division was a quarter of the old cost); rounding error 2^-31 is
 *    far inside the margin.
 *  - The history buffer and the detector get the same sanitised sample, so a
 *    NaN burst only ever costs the limiter silence, never its state. */
#include "dsp/limiter.h"

#include <math.h>
#include <string.h>

/* How far under the ceiling each detector aims (limiter.h explains why). */
#define MARGIN_ANNEX2 0.96050582f   /* -0.35 dB: a chirp read +0.22 dB over at 0.3 */
#define MARGIN_HALF 0.96605088f     /* -0.3 dB */
#define MARGIN_COMBINED 0.98855309f /* -0.1 dB */
#define FIX_ONE 1073741824          /* 2^30: gain 1.0 in the box filters */
#define DQ_MASK (FL_LIMITER_DQ_SIZE - 1)
#define CHUNK FL_TRUEPEAK_CHUNK

static uint32_t
ms_to_frames(float ms, float rate)
{
	return (uint32_t)lrintf(ms * 0.001f * rate);
}

static void
set_boxes(struct fl_limiter *k, uint32_t a)
{
	/* Two unequal boxes (split 0.582) give a smoother gain curve than one. */
	k->b1 = (uint32_t)lrintf(0.582f * (float)(a + 1));
	if (k->b1 < 1)
		k->b1 = 1;
	if (k->b1 > a)
		k->b1 = a;
	k->b2 = a + 1 - k->b1;
	k->inv_b1 = 1.0 / (double)k->b1;
	k->inv_b2 = 1.0 / ((double)k->b2 * (double)FIX_ONE);
}

enum fl_status
fl_limiter_init_detector(struct fl_limiter *k, float rate, float lookahead_ms,
                         enum fl_limiter_detector det)
{
	if (!(rate >= 8000.0f && rate <= 192000.0f))
		return FL_ERR_RANGE;
	if (!(lookahead_ms >= 0.5f))
		lookahead_ms = isnan(lookahead_ms) ? 1.0f : 0.5f;
	if (lookahead_ms > 5.0f)
		lookahead_ms = 5.0f;
	memset(k, 0, sizeof *k);
	k->rate = rate;
	k->detector = det <= FL_LIMITER_COMBINED ? det : FL_LIMITER_ANNEX2_HALF;
	fl_truepeak8_taps_init(&k->taps);
	uint32_t dd = k->detector == FL_LIMITER_ANNEX2 ? FL_TRUEPEAK_DELAY : FL_TRUEPEAK_COMB_DELAY;
	k->margin = k->detector == FL_LIMITER_COMBINED ? MARGIN_COMBINED
	          : k->detector == FL_LIMITER_ANNEX2  ? MARGIN_ANNEX2
	                                              : MARGIN_HALF;
	uint32_t max_latency = (uint32_t)(FL_LIMITER_MAX_LATENCY_48K * rate / 48000.0f);
	uint32_t a = ms_to_frames(lookahead_ms, rate);
	uint32_t fixed = FL_LIMITER_GUARD + dd - 1;
	if (a + fixed > max_latency)
		a = max_latency - fixed;
	if (a < 2)
		a = 2;
	k->attack = a;
	k->latency = a + fixed;
	k->hist = k->latency > 31 ? k->latency : 31;
	set_boxes(k, a);
	k->ceiling_db = -1.0f;
	k->ceiling = k->ceiling_target = powf(10.0f, -1.0f / 20.0f);
	k->release_ms = 0.0f;
	k->hold_ms = -1.0f;
	fl_limiter_set_release_ms(k, 50.0f);
	fl_limiter_set_hold_ms(k, 10.0f);
	fl_smooth_init(&k->in_gain, 1.0f, 10.0f, rate);
	fl_limiter_reset(k);
	return FL_OK;
}

enum fl_status
fl_limiter_init(struct fl_limiter *k, float rate, float lookahead_ms)
{
	return fl_limiter_init_detector(k, rate, lookahead_ms, FL_LIMITER_ANNEX2_HALF);
}

void
fl_limiter_reset(struct fl_limiter *k)
{
	k->dq_head = k->dq_tail = 0;
	k->rel = 1.0f;
	for (uint32_t i = 0; i < FL_LIMITER_MAX_A; i++)
		k->box1[i] = k->box2[i] = FIX_ONE;
	k->box1_pos = k->box2_pos = 0;
	k->sum1 = (int64_t)k->b1 * FIX_ONE;
	k->sum2 = (int64_t)k->b2 * FIX_ONE;
	memset(k->buf, 0, sizeof k->buf);
	k->wp = k->hist;
	k->frame = 0;
	k->gain_min = 1.0f;
	k->ceiling = k->ceiling_target;
	k->ceiling_left = 0;
	k->in_gain.current = k->in_gain.target;
}

void
fl_limiter_set_ceiling_db(struct fl_limiter *k, float db)
{
	if (isnan(db) || db == k->ceiling_db)
		return;
	db = fminf(fmaxf(db, -12.0f), 0.0f);
	k->ceiling_db = db;
	k->ceiling_target = powf(10.0f, db / 20.0f);
	k->ceiling_from = k->ceiling;
	k->ceiling_len = ms_to_frames(FL_LIMITER_GLIDE_MS, k->rate);
	k->ceiling_left = k->ceiling_len;
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

void
fl_limiter_set_input_gain_db(struct fl_limiter *k, float db)
{
	if (isnan(db) || db == k->in_gain_db)
		return;
	db = fminf(fmaxf(db, 0.0f), 24.0f);
	k->in_gain_db = db;
	fl_smooth_set(&k->in_gain, db == 0.0f ? 1.0f : powf(10.0f, db / 20.0f));
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

/* Steps 3-5: the minimum of the targets over W frames is taken as
 * c / (maximum of d over W frames): the same value for a fixed ceiling
 * (division is monotonic), but a gliding ceiling then scales the held
 * minimum smoothly instead of making the argmin jump (which splattered at
 * -57 dBFS). Then the release. */
static inline float
hold_and_release(struct fl_limiter *k, float d, float c)
{
	uint32_t f = k->frame;
	while (k->dq_tail != k->dq_head && k->dq_val[(k->dq_tail - 1) & DQ_MASK] <= d)
		k->dq_tail--;
	k->dq_val[k->dq_tail & DQ_MASK] = d;
	k->dq_frame[k->dq_tail & DQ_MASK] = f;
	k->dq_tail++;
	while (f - k->dq_frame[k->dq_head & DQ_MASK] >= k->window)
		k->dq_head++;
	float dm = k->dq_val[k->dq_head & DQ_MASK];
	float m = dm > c ? c / dm : 1.0f;
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
	int32_t o1 = (int32_t)((double)k->sum1 * k->inv_b1 + 0.5);
	k->sum2 += o1 - k->box2[k->box2_pos];
	k->box2[k->box2_pos] = o1;
	k->box2_pos = k->box2_pos + 1 == k->b2 ? 0 : k->box2_pos + 1;
	return (float)((double)k->sum2 * k->inv_b2);
}

/* Step 1 for one channel: sanitise, apply the input gain, append. */
static void
stage(float *restrict dst, const float *restrict src, const float *restrict g, uint32_t m)
{
	for (uint32_t i = 0; i < m; i++) {
		float v = src[i] * g[i];
		dst[i] = isfinite(v) ? v : 0.0f;
	}
}

__attribute__((always_inline)) static inline void
apply(float *restrict out, const float *restrict s, const float *restrict x, uint32_t m)
{
	for (uint32_t i = 0; i < m; i++)
		out[i] = s[i] * x[i];
}

static void
detect(const struct fl_limiter *k, float *restrict d, uint32_t m)
{
	memset(d, 0, CHUNK * sizeof *d);
	for (int ch = 0; ch < 2; ch++) {
		const float *x = k->buf[ch] + k->wp;
		if (k->detector == FL_LIMITER_COMBINED) {
			fl_truepeak_annex2_block(x - 21, d, m);
			fl_truepeak8_block(&k->taps, x - 31, d, m);
		} else if (k->detector == FL_LIMITER_ANNEX2_HALF) {
			fl_truepeak_annex2_block(x - 21, d, m);
			fl_truepeak2_block(&k->taps, x - 31, d, m);
		} else {
			fl_truepeak_annex2_block(x - 11, d, m);
		}
	}
}

/* Steps 3-6 for one chunk: d in, gains out. */
static void
gains(struct fl_limiter *k, const float *d, float *s, uint32_t m)
{
	float c = k->ceiling * k->margin, gmin = k->gain_min;
	for (uint32_t i = 0; i < m; i++) {
		if (k->ceiling_left) {
			/* Raised-cosine glide: a linear one's corners splatter. */
			float u = (float)(k->ceiling_len - --k->ceiling_left) / (float)k->ceiling_len;
			k->ceiling = k->ceiling_left ? k->ceiling_from + (k->ceiling_target -
			                               k->ceiling_from) * fl_raised_cosine(u)
			                             : k->ceiling_target;
			c = k->ceiling * k->margin;
		}
		s[i] = attack_boxes(k, hold_and_release(k, d[i], c));
		gmin = fminf(gmin, s[i]);
		k->frame++;
	}
	k->gain_min = gmin;
	if (k->gain_trace) {
		memcpy(k->gain_trace, s, m * sizeof *s);
		k->gain_trace += m;
	}
}

static void
chunk(struct fl_limiter *k, const float *in_l, const float *in_r, float *out_l, float *out_r,
      uint32_t m)
{
	float g[CHUNK], d[CHUNK], s[CHUNK];
	if (k->wp + m > FL_LIMITER_BUF) {
		for (int ch = 0; ch < 2; ch++)
			memmove(k->buf[ch], k->buf[ch] + k->wp - k->hist, k->hist * sizeof(float));
		k->wp = k->hist;
	}
	for (uint32_t i = 0; i < m; i++)
		g[i] = fl_smooth_settled(&k->in_gain) ? k->in_gain.current : fl_smooth_next(&k->in_gain);
	stage(k->buf[0] + k->wp, in_l, g, m);
	stage(k->buf[1] + k->wp, in_r, g, m);
	detect(k, d, m);
	gains(k, d, s, m);
	const float *xl = k->buf[0] + k->wp - k->latency, *xr = k->buf[1] + k->wp - k->latency;
	if (m == CHUNK) {
		apply(out_l, s, xl, CHUNK);
		apply(out_r, s, xr, CHUNK);
	} else {
		apply(out_l, s, xl, m);
		apply(out_r, s, xr, m);
	}
	k->wp += m;
}

void
fl_limiter_process(struct fl_limiter *k, const float *in_l, const float *in_r, float *out_l,
                   float *out_r, uint32_t n)
{
	float *trace = k->gain_trace;
	for (uint32_t i = 0; i < n; i += CHUNK) {
		uint32_t m = n - i < CHUNK ? n - i : CHUNK;
		chunk(k, in_l + i, in_r + i, out_l + i, out_r + i, m);
	}
	k->gain_trace = trace;
	if (!isfinite(k->rel))
		fl_limiter_reset(k);
}
