/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Compressor; the algorithm is documented in compressor.h. Notes on the why:
 *  - log2f/exp2f from libm: glibc's are table-driven and cost a few ns, and
 *    exact to an ulp, which keeps the static curve well inside 0.01 dB
 *    without a home-made polynomial.
 *  - The detector state is in dB of reduction and decays toward 0, so it is
 *    flushed to 0 below 1e-9 dB (no subnormals, and an exact 0 dB gain).
 *  - While every parameter is settled, the per-sample glides are skipped. */
#include "dsp/compressor.h"

#include <math.h>
#include <string.h>

#define DB_PER_LOG2 6.0205999f /* 20 log10(2) */
#define TAU_MS 20.0f
#define FLOOR_LIN 1e-6f

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

/* The same with the slope 1 - 1/R directly (what glides). */
static inline float
computer_slope(float x_db, float t, float slope, float w)
{
	float over = x_db - t;
	if (2.0f * over < -w)
		return 0.0f;
	if (2.0f * fabsf(over) <= w && w > 0.0f) {
		float k = over + 0.5f * w;
		return slope * k * k / (2.0f * w);
	}
	return slope * over;
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

void
fl_comp_process(struct fl_comp *c, const float *in_l, const float *in_r, float *out_l,
                float *out_r, uint32_t n)
{
	float t = c->p[FL_COMP_THRESHOLD].current, s = c->p[FL_COMP_SLOPE].current;
	float w = c->p[FL_COMP_KNEE].current, mk = c->p[FL_COMP_MAKEUP].current;
	float mix = c->p[FL_COMP_MIX].current, grm = c->gr_max;
	bool moving = !settled(c);
	for (uint32_t i = 0; i < n; i++) {
		if (moving) {
			t = fl_smooth_next(&c->p[FL_COMP_THRESHOLD]);
			s = fl_smooth_next(&c->p[FL_COMP_SLOPE]);
			w = fl_smooth_next(&c->p[FL_COMP_KNEE]);
			mk = fl_smooth_next(&c->p[FL_COMP_MAKEUP]);
			mix = fl_smooth_next(&c->p[FL_COMP_MIX]);
			moving = !settled(c);
		}
		float l = in_l[i], r = in_r[i];
		l = isfinite(l) ? l : 0.0f;
		r = isfinite(r) ? r : 0.0f;
		float a = fmaxf(fmaxf(fabsf(l), fabsf(r)), FLOOR_LIN);
		float yl = detect(c, computer_slope(DB_PER_LOG2 * log2f(a), t, s, w));
		grm = yl > grm ? yl : grm;
		float m = c->auto_makeup ? computer_slope(0.0f, t, s, w) : mk;
		float g = m == yl ? 1.0f : exp2f((m - yl) * (1.0f / DB_PER_LOG2));
		float gt = (1.0f - mix) + mix * g;
		out_l[i] = l * gt;
		out_r[i] = r * gt;
	}
	c->gr_max = grm;
}
