/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Compressor; the algorithm is documented in compressor.h. Notes on the why:
 *  - log2 and exp2 are polynomial approximations (Chebyshev fits: log2 of
 *    the mantissa, degree 6, 1.5e-5 dB; 2^fraction, degree 5, 9e-7 dB):
 *    far inside the 0.01 dB static-curve criterion and about 3x cheaper
 *    than libm's log2f/exp2f. The public gain computer stays exact.
 *  - The detector state is in dB of reduction and decays toward 0, so it is
 *    flushed to 0 below 1e-9 dB (no subnormals, and an exact 0 dB gain).
 *  - While every parameter is settled, 16-sample chunks run as loops that
 *    GCC vectorises at -O2; the comparisons there are the quiet isless/
 *    isgreater forms, because ordinary ones may trap on NaN and GCC will
 *    not if-convert them under the default -ftrapping-math. */
#include "dsp/compressor.h"

#include <float.h>
#include <math.h>
#include <string.h>

#define DB_PER_LOG2 6.0205999f /* 20 log10(2) */
#define TAU_MS 20.0f
#define FLOOR_BITS 0x358637bd /* 1e-6f: the -120 dB level floor */

float
fl_comp_gain_computer(float x_db, float threshold_db, float ratio, float knee_db)
{
	float slope = ratio >= 1.0f ? 1.0f - 1.0f / ratio : 0.0f; /* 1/inf = 0 */
	float over = x_db - threshold_db;
	if (2.0f * over < -knee_db)
		return x_db;
	if (2.0f * fabsf(over) <= knee_db && knee_db > 0.0f) {
		float k = over + 0.5f * knee_db;
		return x_db - slope * k * k / (2.0f * knee_db);
	}
	return x_db - slope * over;
}

/* The same with the slope 1 - 1/R directly (what glides), returning the
 * reduction x_L >= 0; branch-free so the chunk loops vectorise. inv2w is
 * 1 / (2 W), or 0 for a hard knee. */
static inline float
computer_slope(float x_db, float t, float slope, float w, float inv2w)
{
	float over = x_db - t;
	float k = over + 0.5f * w;
	float lin = slope * over, knee = slope * k * k * inv2w;
	/* Exact 0/1 blends instead of ?: on computed values: GCC will not
	 * speculate float arithmetic into a vector select (-ftrapping-math). */
	float above = (float)isgreater(2.0f * over, w), below = (float)isless(2.0f * over, -w);
	float r = above * lin + (1.0f - above) * knee;
	return (1.0f - below) * r;
}

static inline float
inv_2w(float w)
{
	return w > 0.0f ? 0.5f / w : 0.0f;
}

/* log2 of the positive normal float whose bits are u. */
static inline float
fast_log2_bits(uint32_t u)
{
	float e = (float)((int32_t)(u >> 23) - 127);
	u = (u & 0x007fffffu) | 0x3f800000u;
	float m;
	memcpy(&m, &u, sizeof m);
	m -= 1.0f;
	float p = -0.0245685347f;
	p = p * m + 0.117613084f;
	p = p * m - 0.272697565f;
	p = p * m + 0.454508492f;
	p = p * m - 0.71731278f;
	p = p * m + 1.44245353f;
	p = p * m + 2.44343872e-06f;
	return e + p;
}

/* 2^x for x in [-126, 127] (clamped below). */
static inline float
fast_exp2(float x)
{
	float lo = (float)isless(x, -126.0f); /* exact blend, see computer_slope */
	x = lo * -126.0f + (1.0f - lo) * x;
	int32_t i = (int32_t)x;
	i -= isless(x, (float)i);
	float f = x - (float)i;
	float p = 0.00189375406f;
	p = p * f + 0.00894959042f;
	p = p * f + 0.0558603371f;
	p = p * f + 0.240141818f;
	p = p * f + 0.69315449f;
	p = p * f + 0.999999898f;
	uint32_t u;
	memcpy(&u, &p, sizeof u);
	u += (uint32_t)i << 23;
	memcpy(&p, &u, sizeof p);
	return p;
}

static float
coeff(float ms, float rate)
{
	return expf(-1000.0f / (ms * rate));
}

void
fl_comp_init(struct fl_comp *c, float rate)
{
	memset(c, 0, sizeof *c);
	c->rate = rate;
	c->detector = FL_COMP_DECOUPLED;
	fl_smooth_init(&c->p[FL_COMP_THRESHOLD], -20.0f, TAU_MS, rate);
	fl_smooth_init(&c->p[FL_COMP_SLOPE], 0.75f, TAU_MS, rate);
	fl_smooth_init(&c->p[FL_COMP_KNEE], 6.0f, TAU_MS, rate);
	fl_smooth_init(&c->p[FL_COMP_MAKEUP], 0.0f, TAU_MS, rate);
	fl_smooth_init(&c->p[FL_COMP_MIX], 1.0f, TAU_MS, rate);
	c->attack_ms = c->release_ms = -1.0f;
	fl_comp_set_attack_ms(c, 10.0f);
	fl_comp_set_release_ms(c, 150.0f);
	fl_comp_reset(c);
}

void
fl_comp_reset(struct fl_comp *c)
{
	for (int i = 0; i < FL_COMP_NPARAMS; i++)
		c->p[i].current = c->p[i].target;
	c->y1 = c->yl = 0.0f;
	c->gr_max = 0.0f;
}

static void
set_param(struct fl_comp *c, enum fl_comp_param p, float v, float lo, float hi)
{
	if (isnan(v))
		return;
	fl_smooth_set(&c->p[p], fminf(fmaxf(v, lo), hi));
}

void
fl_comp_set_threshold_db(struct fl_comp *c, float db)
{
	set_param(c, FL_COMP_THRESHOLD, db, -60.0f, 0.0f);
}

void
fl_comp_set_ratio(struct fl_comp *c, float ratio)
{
	if (isnan(ratio))
		return;
	ratio = fmaxf(ratio, 1.0f);
	set_param(c, FL_COMP_SLOPE, ratio >= 100.0f ? 1.0f : 1.0f - 1.0f / ratio, 0.0f, 1.0f);
}

void
fl_comp_set_knee_db(struct fl_comp *c, float db)
{
	set_param(c, FL_COMP_KNEE, db, 0.0f, 24.0f);
}

void
fl_comp_set_makeup_db(struct fl_comp *c, float db)
{
	set_param(c, FL_COMP_MAKEUP, db, -12.0f, 24.0f);
}

void
fl_comp_set_mix(struct fl_comp *c, float mix)
{
	set_param(c, FL_COMP_MIX, mix, 0.0f, 1.0f);
}

void
fl_comp_set_auto_makeup(struct fl_comp *c, bool on)
{
	c->auto_makeup = on;
}

void
fl_comp_set_attack_ms(struct fl_comp *c, float ms)
{
	if (isnan(ms) || ms == c->attack_ms)
		return;
	c->attack_ms = fminf(fmaxf(ms, 0.1f), 100.0f);
	c->a_att = coeff(c->attack_ms, c->rate);
}

void
fl_comp_set_release_ms(struct fl_comp *c, float ms)
{
	if (isnan(ms) || ms == c->release_ms)
		return;
	c->release_ms = fminf(fmaxf(ms, 10.0f), 2000.0f);
	c->a_rel = coeff(c->release_ms, c->rate);
}

void
fl_comp_set_detector(struct fl_comp *c, enum fl_comp_detector d)
{
	if (d == FL_COMP_DECOUPLED || d == FL_COMP_BRANCHING)
		c->detector = d;
}

float
fl_comp_read_gain_reduction_db(struct fl_comp *c)
{
	float g = c->gr_max;
	c->gr_max = 0.0f;
	return g > 0.0f ? -g : 0.0f;
}

static inline bool
settled(const struct fl_comp *c)
{
	for (int i = 0; i < FL_COMP_NPARAMS; i++)
		if (!fl_smooth_settled(&c->p[i]))
			return false;
	return true;
}

/* Step 4: both detectors, in dB of reduction. */
static inline float
detect(struct fl_comp *c, float xl)
{
	float y;
	if (c->detector == FL_COMP_DECOUPLED) {
		float r = c->a_rel * c->y1 + (1.0f - c->a_rel) * xl;
		c->y1 = xl > r ? xl : r;
		y = c->a_att * c->yl + (1.0f - c->a_att) * c->y1;
	} else {
		float a = xl > c->yl ? c->a_att : c->a_rel;
		y = a * c->yl + (1.0f - a) * xl;
	}
	if (y < 1e-9f)
		y = 0.0f;
	if (c->y1 < 1e-9f)
		c->y1 = 0.0f;
	c->yl = y;
	return y;
}

/* Step 1: non-finite samples count (and are output) as 0. */
static inline float
sanitize(float v)
{
	return islessequal(fabsf(v), FLT_MAX) ? v : 0.0f;
}

static inline int32_t
abs_bits(float v)
{
	uint32_t u;
	memcpy(&u, &v, sizeof u);
	return (int32_t)(u & 0x7fffffffu);
}

/* Steps 1-3 for one sanitised stereo sample: the wanted reduction. The
 * max of |L|, |R| and the floor is taken on the bit patterns (for finite
 * non-negative floats the integer order is the float order), which GCC
 * vectorises; a float ?: feeding the bit cast kept it scalar. */
static inline float
wanted(float vl, float vr, float t, float s, float w, float inv2w)
{
	int32_t a = abs_bits(vl), b = abs_bits(vr);
	a = a > b ? a : b;
	a = a > FLOOR_BITS ? a : FLOOR_BITS;
	return computer_slope(DB_PER_LOG2 * fast_log2_bits((uint32_t)a), t, s, w, inv2w);
}

/* Steps 5-6: the total gain for a smoothed reduction yl. */
static inline float
total_gain(float yl, float m, float mix)
{
	float e = fast_exp2((m - yl) * (1.0f / DB_PER_LOG2));
	float one = (float)!islessgreater(m, yl); /* m == yl: exact unity */
	float g = one + (1.0f - one) * e;
	return (1.0f - mix) + mix * g;
}

struct params {
	float t, s, w, inv2w, m, mix;
};

static inline void
read_params(struct fl_comp *c, struct params *p, bool advance)
{
	p->t = advance ? fl_smooth_next(&c->p[FL_COMP_THRESHOLD]) : c->p[FL_COMP_THRESHOLD].current;
	p->s = advance ? fl_smooth_next(&c->p[FL_COMP_SLOPE]) : c->p[FL_COMP_SLOPE].current;
	p->w = advance ? fl_smooth_next(&c->p[FL_COMP_KNEE]) : c->p[FL_COMP_KNEE].current;
	p->m = advance ? fl_smooth_next(&c->p[FL_COMP_MAKEUP]) : c->p[FL_COMP_MAKEUP].current;
	p->mix = advance ? fl_smooth_next(&c->p[FL_COMP_MIX]) : c->p[FL_COMP_MIX].current;
	p->inv2w = inv_2w(p->w);
	if (c->auto_makeup)
		p->m = computer_slope(0.0f, p->t, p->s, p->w, p->inv2w);
}

#define CHUNK 16

/* A chunk with settled parameters: steps 1-3 and 5-6 as loops over the
 * chunk (vectorised at -O2 with the constant length), step 4 per sample.
 * Per sample it computes exactly what the per-sample path does. */
__attribute__((always_inline)) static inline void
chunk(struct fl_comp *c, const struct params *p, const float *restrict in_l,
      const float *restrict in_r, float *restrict l, float *restrict r, float *restrict y,
      uint32_t m)
{
	for (uint32_t i = 0; i < m; i++) {
		float vl = sanitize(in_l[i]), vr = sanitize(in_r[i]);
		l[i] = vl;
		r[i] = vr;
		y[i] = wanted(vl, vr, p->t, p->s, p->w, p->inv2w);
	}
	float grm = c->gr_max;
	for (uint32_t i = 0; i < m; i++) {
		y[i] = detect(c, y[i]);
		grm = y[i] > grm ? y[i] : grm;
	}
	c->gr_max = grm;
	for (uint32_t i = 0; i < m; i++) {
		float gt = total_gain(y[i], p->m, p->mix);
		l[i] *= gt;
		r[i] *= gt;
	}
}

void
fl_comp_process(struct fl_comp *c, const float *in_l, const float *in_r, float *out_l,
                float *out_r, uint32_t n)
{
	float l[CHUNK], r[CHUNK], y[CHUNK];
	struct params p;
	for (uint32_t i = 0; i < n;) {
		uint32_t m = n - i < CHUNK ? n - i : CHUNK;
		if (m == CHUNK && settled(c)) {
			read_params(c, &p, false);
			chunk(c, &p, in_l + i, in_r + i, l, r, y, CHUNK);
		} else {
			for (uint32_t j = 0; j < m; j++) {
				read_params(c, &p, !settled(c));
				chunk(c, &p, in_l + i + j, in_r + i + j, l + j, r + j, y + j, 1);
			}
		}
		memcpy(out_l + i, l, m * sizeof *l);
		memcpy(out_r + i, r, m * sizeof *r);
		i += m;
	}
}
