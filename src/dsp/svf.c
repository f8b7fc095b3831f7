/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Simper SVF; the algorithm is documented in svf.h. Notes on the why:
 *  - tanf runs only at control points (every 16 samples) and only while a
 *    parameter moves; in between, a linear ramp of the coefficients.
 *  - Gliding ends by snapping exactly onto the target, so a settled filter
 *    has constant coefficients (and zero increments). */
#include "dsp/svf.h"

#include <math.h>
#include <string.h>

#define TAU_MS 10.0f
#define PI_F 3.14159265358979f

static float
clampf(float v, float lo, float hi)
{
	return v < lo ? lo : (v > hi ? hi : v);
}

static void
design(const struct fl_svf *f, float c[FL_SVF_NC])
{
	float g = tanf(PI_F * expf(f->lf) / f->rate), k = expf(-f->lq);
	c[0] = 1.0f / (1.0f + g * (g + k));
	c[1] = g * c[0];
	c[2] = g * c[1];
	c[3] = k;
	c[4] = f->w[0];
	c[5] = f->w[1];
	c[6] = f->w[2];
}

void
fl_svf_init(struct fl_svf *f, float rate, enum fl_svf_mode mode, float cutoff_hz, float q)
{
	memset(f, 0, sizeof *f);
	f->rate = rate;
	f->coeff = 1.0f - expf(-(float)FL_SVF_CTRL * 1000.0f / (TAU_MS * rate));
	f->t_lf = logf(1000.0f);
	f->t_lq = logf(0.7071f);
	fl_svf_set_cutoff(f, cutoff_hz);
	fl_svf_set_q(f, q);
	fl_svf_set_mode(f, mode);
	fl_svf_reset(f);
}

void
fl_svf_reset(struct fl_svf *f)
{
	f->lf = f->t_lf;
	f->lq = f->t_lq;
	memcpy(f->w, f->t_w, sizeof f->w);
	f->xf_pos = FL_SVF_XFADE;
	design(f, f->c);
	memset(f->inc, 0, sizeof f->inc);
	memset(f->s, 0, sizeof f->s);
	f->phase = 0;
	f->moving = false;
}

void
fl_svf_set_cutoff(struct fl_svf *f, float hz)
{
	if (isnan(hz))
		return;
	float v = logf(clampf(hz, 10.0f, 0.49f * f->rate));
	f->moving |= v != f->t_lf;
	f->t_lf = v;
}

void
fl_svf_set_q(struct fl_svf *f, float q)
{
	if (isnan(q))
		return;
	float v = logf(clampf(q, 0.5f, 25.0f));
	f->moving |= v != f->t_lq;
	f->t_lq = v;
}

void
fl_svf_set_mode(struct fl_svf *f, enum fl_svf_mode mode)
{
	if ((unsigned)mode > FL_SVF_HIGHPASS)
		return;
	/* Crossfade from the weights in use now (also mid-crossfade). */
	for (int i = 0; i < 3; i++) {
		f->w_from[i] = f->c[4 + i];
		f->t_w[i] = (unsigned)i == (unsigned)mode ? 1.0f : 0.0f;
	}
	f->xf_pos = 0;
	f->moving = true;
}

static float
glide(float v, float t, float c, float eps, bool *moving)
{
	float d = t - v;
	if (fabsf(d) <= eps)
		return t;
	*moving = true;
	return v + c * d;
}

/* Control point: land on the last target, glide one period, design the
 * next target and the per-sample increments toward it. */
static void
control_point(struct fl_svf *f)
{
	bool mv = false;
	float next[FL_SVF_NC];
	f->lf = glide(f->lf, f->t_lf, f->coeff, 1e-5f, &mv);
	f->lq = glide(f->lq, f->t_lq, f->coeff, 1e-5f, &mv);
	/* Mode weights: a raised-cosine crossfade (a one-pole's abrupt start
	 * splattered at -60 dBFS), sampled on the control grid. */
	if (f->xf_pos < FL_SVF_XFADE) {
		f->xf_pos += FL_SVF_CTRL;
		float u = (float)f->xf_pos / (float)FL_SVF_XFADE;
		float r = u >= 1.0f ? 1.0f : 0.5f - 0.5f * cosf(PI_F * u);
		for (int i = 0; i < 3; i++)
			f->w[i] = u >= 1.0f ? f->t_w[i] : f->w_from[i] + (f->t_w[i] - f->w_from[i]) * r;
		mv |= u < 1.0f;
	}
	design(f, next);
	for (int i = 0; i < FL_SVF_NC; i++)
		f->inc[i] = (next[i] - f->c[i]) * (1.0f / FL_SVF_CTRL);
	f->moving = mv;
}

/* Denormal backstop on the control grid. */
static void
flush_tiny(struct fl_svf *f)
{
	for (int ch = 0; ch < 2; ch++)
		for (int j = 0; j < 2; j++)
			if (fabsf(f->s[ch][j]) < 1e-20f)
				f->s[ch][j] = 0.0f;
}

static bool
ramping(const struct fl_svf *f)
{
	for (int j = 0; j < FL_SVF_NC; j++)
		if (f->inc[j] != 0.0f)
			return true;
	return false;
}

void
fl_svf_process(struct fl_svf *f, const float *in_l, const float *in_r, float *out_l,
               float *out_r, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (f->phase == 0) {
			flush_tiny(f);
			if (f->moving || ramping(f))
				control_point(f);
		}
		if (ramping(f))
			for (int j = 0; j < FL_SVF_NC; j++)
				f->c[j] += f->inc[j];
		float x[2] = {in_l[i], in_r[i]};
		for (int ch = 0; ch < 2; ch++) {
			float *s = f->s[ch];
			float v3 = x[ch] - s[1];
			float v1 = f->c[0] * s[0] + f->c[1] * v3;
			float v2 = s[1] + f->c[1] * s[0] + f->c[2] * v3;
			s[0] = 2.0f * v1 - s[0];
			s[1] = 2.0f * v2 - s[1];
			float bp = f->c[3] * v1;
			x[ch] = f->c[4] * v2 + f->c[5] * bp + f->c[6] * (x[ch] - bp - v2);
		}
		out_l[i] = x[0];
		out_r[i] = x[1];
		f->phase = (f->phase + 1) & (FL_SVF_CTRL - 1);
	}
	for (int ch = 0; ch < 2; ch++)
		if (!isfinite(f->s[ch][0]) || !isfinite(f->s[ch][1]))
			f->s[ch][0] = f->s[ch][1] = 0.0f;
}
