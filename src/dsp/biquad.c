/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "dsp/biquad.h"

#include <math.h>
#include <string.h>

#define TAU_MS 15.0

static double
clampd(double v, double lo, double hi)
{
	return v < lo ? lo : (v > hi ? hi : v);
}

void
fl_biquad_design(struct fl_biquad_coef *c, enum fl_biquad_type type, double f0_hz, double q,
                 double gain_db, double rate)
{
	f0_hz = clampd(f0_hz, 1.0, 0.49 * rate);
	q = clampd(q, 0.1, 40.0);
	gain_db = clampd(gain_db, -30.0, 30.0);
	double A = pow(10.0, gain_db / 40.0), w0 = 2.0 * M_PI * f0_hz / rate;
	double cw = cos(w0), al = sin(w0) / (2.0 * q), sa = 2.0 * sqrt(A) * al;
	double b0, b1, b2, a0, a1, a2;
	switch (type) {
	case FL_BIQUAD_PEAK:
		b0 = 1 + al * A, b1 = -2 * cw, b2 = 1 - al * A;
		a0 = 1 + al / A, a1 = -2 * cw, a2 = 1 - al / A;
		break;
	case FL_BIQUAD_LOWSHELF:
		b0 = A * ((A + 1) - (A - 1) * cw + sa), b1 = 2 * A * ((A - 1) - (A + 1) * cw);
		b2 = A * ((A + 1) - (A - 1) * cw - sa);
		a0 = (A + 1) + (A - 1) * cw + sa, a1 = -2 * ((A - 1) + (A + 1) * cw);
		a2 = (A + 1) + (A - 1) * cw - sa;
		break;
	case FL_BIQUAD_HIGHSHELF:
		b0 = A * ((A + 1) + (A - 1) * cw + sa), b1 = -2 * A * ((A - 1) + (A + 1) * cw);
		b2 = A * ((A + 1) + (A - 1) * cw - sa);
		a0 = (A + 1) - (A - 1) * cw + sa, a1 = 2 * ((A - 1) - (A + 1) * cw);
		a2 = (A + 1) - (A - 1) * cw - sa;
		break;
	case FL_BIQUAD_LOWPASS:
		b0 = (1 - cw) / 2, b1 = 1 - cw, b2 = (1 - cw) / 2;
		a0 = 1 + al, a1 = -2 * cw, a2 = 1 - al;
		break;
	case FL_BIQUAD_HIGHPASS:
		b0 = (1 + cw) / 2, b1 = -(1 + cw), b2 = (1 + cw) / 2;
		a0 = 1 + al, a1 = -2 * cw, a2 = 1 - al;
		break;
	case FL_BIQUAD_BANDPASS:
		b0 = al, b1 = 0, b2 = -al;
		a0 = 1 + al, a1 = -2 * cw, a2 = 1 - al;
		break;
	default: /* notch */
		b0 = 1, b1 = -2 * cw, b2 = 1;
		a0 = 1 + al, a1 = -2 * cw, a2 = 1 - al;
		break;
	}
	c->b0 = b0 / a0, c->b1 = b1 / a0, c->b2 = b2 / a0, c->a1 = a1 / a0, c->a2 = a2 / a0;
}

double
fl_biquad_mag_db(const struct fl_biquad_coef *c, double f_hz, double rate)
{
	double w = 2.0 * M_PI * f_hz / rate;
	double nr = c->b0 + c->b1 * cos(w) + c->b2 * cos(2 * w);
	double ni = -c->b1 * sin(w) - c->b2 * sin(2 * w);
	double dr = 1.0 + c->a1 * cos(w) + c->a2 * cos(2 * w);
	double di = -c->a1 * sin(w) - c->a2 * sin(2 * w);
	return 10.0 * log10((nr * nr + ni * ni) / (dr * dr + di * di));
}

static void
design_now(struct fl_biquad *b, struct fl_biquad_coef *c)
{
	fl_biquad_design(c, b->type, exp(b->lf), exp(b->lq), b->g, b->rate);
}

void
fl_biquad_init(struct fl_biquad *b, enum fl_biquad_type type, float rate, float f0_hz,
               float q, float gain_db)
{
	memset(b, 0, sizeof *b);
	b->type = type;
	b->rate = rate;
	b->coeff = 1.0 - exp(-FL_BIQUAD_CTRL * 1000.0 / (TAU_MS * (double)rate));
	b->t_lf = b->lf = log(clampd(f0_hz, 1.0, 0.49 * (double)rate));
	b->t_lq = b->lq = log(clampd(q, 0.1, 40.0));
	b->t_g = b->g = clampd(gain_db, -30.0, 30.0);
	b->enabled = true;
	fl_biquad_reset(b);
}

void
fl_biquad_reset(struct fl_biquad *b)
{
	b->lf = b->t_lf, b->lq = b->t_lq, b->g = b->t_g;
	design_now(b, &b->cur);
	b->target = b->cur;
	memset(&b->inc, 0, sizeof b->inc);
	memset(b->z, 0, sizeof b->z);
	b->phase = 0;
	b->moving = false;
	b->xfade = 0;
}

void
fl_biquad_set_enabled(struct fl_biquad *b, bool on)
{
	if (on == b->enabled)
		return;
	b->enabled = on;
	/* Reversing mid-fade continues from the same mix point. */
	b->xfade = b->xfade ? FL_BIQUAD_XFADE - b->xfade : FL_BIQUAD_XFADE;
	if (on && !b->xfade)
		b->xfade = FL_BIQUAD_XFADE;
}

static bool
flat(const struct fl_biquad *b)
{
	return b->type <= FL_BIQUAD_HIGHSHELF && b->g == 0.0 && b->t_g == 0.0 && !b->moving &&
	       b->inc.b0 == 0.0 && b->inc.b1 == 0.0 && b->inc.b2 == 0.0 && b->inc.a1 == 0.0 &&
	       b->inc.a2 == 0.0;
}

bool
fl_biquad_is_bypassed(const struct fl_biquad *b)
{
	return b->xfade == 0 && (!b->enabled || (flat(b) && b->z[0][0] == 0.0 &&
	                                         b->z[0][1] == 0.0 && b->z[1][0] == 0.0 &&
	                                         b->z[1][1] == 0.0));
}

void
fl_biquad_set_freq(struct fl_biquad *b, float hz)
{
	if (isnan(hz))
		return;
	double v = log(clampd(hz, 1.0, 0.49 * b->rate));
	b->moving |= v != b->t_lf;
	b->t_lf = v;
}

void
fl_biquad_set_q(struct fl_biquad *b, float q)
{
	if (isnan(q))
		return;
	double v = log(clampd(q, 0.1, 40.0));
	b->moving |= v != b->t_lq;
	b->t_lq = v;
}

void
fl_biquad_set_gain_db(struct fl_biquad *b, float db)
{
	if (isnan(db))
		return;
	double v = clampd(db, -30.0, 30.0);
	b->moving |= v != b->t_g;
	b->t_g = v;
}

static double
glide(double v, double t, double c, double eps, bool *moving)
{
	double d = t - v;
	if (fabs(d) <= eps)
		return t;
	*moving = true;
	return v + c * d;
}

/* Denormal backstop, on the absolute control grid so it cannot depend on
 * the block size. */
static void
flush_tiny(struct fl_biquad *b)
{
	for (int ch = 0; ch < 2; ch++)
		for (int j = 0; j < 2; j++)
			if (fabs(b->z[ch][j]) < 1e-30)
				b->z[ch][j] = 0.0;
}

/* At a control point: land exactly on the last target, glide the
 * parameters one period, design the next target and the increments. */
static void
control_point(struct fl_biquad *b)
{
	b->cur = b->target;
	bool mv = false;
	b->lf = glide(b->lf, b->t_lf, b->coeff, 1e-5, &mv);
	b->lq = glide(b->lq, b->t_lq, b->coeff, 1e-5, &mv);
	b->g = glide(b->g, b->t_g, b->coeff, 1e-4, &mv);
	design_now(b, &b->target);
	const double k = 1.0 / FL_BIQUAD_CTRL;
	b->inc.b0 = (b->target.b0 - b->cur.b0) * k;
	b->inc.b1 = (b->target.b1 - b->cur.b1) * k;
	b->inc.b2 = (b->target.b2 - b->cur.b2) * k;
	b->inc.a1 = (b->target.a1 - b->cur.a1) * k;
	b->inc.a2 = (b->target.a2 - b->cur.a2) * k;
	b->moving = mv;
	/* Settled at 0 dB: zero the state on the grid so the skip that
	 * follows starts at the same sample for every block size. */
	if (flat(b))
		memset(b->z, 0, sizeof b->z);
}

static bool
ramping(const struct fl_biquad *b)
{
	return b->inc.b0 != 0.0 || b->inc.b1 != 0.0 || b->inc.b2 != 0.0 || b->inc.a1 != 0.0 ||
	       b->inc.a2 != 0.0;
}

/* m samples with the coefficients stepping by inc every sample. */
static void
run_ramp(struct fl_biquad *b, const float *in_l, const float *in_r, float *out_l,
         float *out_r, uint32_t m)
{
	struct fl_biquad_coef *c = &b->cur;
	for (uint32_t i = 0; i < m; i++) {
		c->b0 += b->inc.b0, c->b1 += b->inc.b1, c->b2 += b->inc.b2;
		c->a1 += b->inc.a1, c->a2 += b->inc.a2;
		double x[2] = {in_l[i], in_r[i]};
		for (int ch = 0; ch < 2; ch++) {
			double *z = b->z[ch];
			double y = c->b0 * x[ch] + z[0];
			z[0] = c->b1 * x[ch] - c->a1 * y + z[1];
			z[1] = c->b2 * x[ch] - c->a2 * y;
			x[ch] = y;
		}
		out_l[i] = (float)x[0];
		out_r[i] = (float)x[1];
	}
}

/* m samples with constant coefficients: everything in registers. The same
 * operations in the same order as run_ramp, so the two agree bit for bit. */
static void
run_static(struct fl_biquad *b, const float *in_l, const float *in_r, float *out_l,
           float *out_r, uint32_t m)
{
	const double b0 = b->cur.b0, b1 = b->cur.b1, b2 = b->cur.b2;
	const double a1 = b->cur.a1, a2 = b->cur.a2;
	double zl0 = b->z[0][0], zl1 = b->z[0][1], zr0 = b->z[1][0], zr1 = b->z[1][1];
	for (uint32_t i = 0; i < m; i++) {
		double xl = in_l[i], xr = in_r[i];
		double yl = b0 * xl + zl0, yr = b0 * xr + zr0;
		zl0 = b1 * xl - a1 * yl + zl1;
		zr0 = b1 * xr - a1 * yr + zr1;
		zl1 = b2 * xl - a2 * yl;
		zr1 = b2 * xr - a2 * yr;
		out_l[i] = (float)yl;
		out_r[i] = (float)yr;
	}
	b->z[0][0] = zl0, b->z[0][1] = zl1, b->z[1][0] = zr0, b->z[1][1] = zr1;
}

/* Runs of samples between control points, each either ramping or static. */
static void
run(struct fl_biquad *b, const float *in_l, const float *in_r, float *out_l, float *out_r,
    uint32_t n)
{
	uint32_t i = 0;
	while (i < n) {
		if (b->phase == 0) {
			flush_tiny(b);
			if (b->moving || ramping(b))
				control_point(b);
		}
		uint32_t m = FL_BIQUAD_CTRL - b->phase;
		m = m < n - i ? m : n - i;
		if (ramping(b))
			run_ramp(b, in_l + i, in_r + i, out_l + i, out_r + i, m);
		else
			run_static(b, in_l + i, in_r + i, out_l + i, out_r + i, m);
		b->phase = (b->phase + m) & (FL_BIQUAD_CTRL - 1);
		i += m;
	}
	/* Recover from NaN/Inf within the block. */
	for (int ch = 0; ch < 2; ch++)
		if (!isfinite(b->z[ch][0]) || !isfinite(b->z[ch][1]))
			b->z[ch][0] = b->z[ch][1] = 0.0;
}

/* Skipping keeps the control grid: phase advances as if processed. */
static void
skip(struct fl_biquad *b, const float *in_l, const float *in_r, float *out_l, float *out_r,
     uint32_t n)
{
	if (out_l != in_l)
		memmove(out_l, in_l, n * sizeof *out_l);
	if (out_r != in_r)
		memmove(out_r, in_r, n * sizeof *out_r);
	b->phase = (b->phase + n) & (FL_BIQUAD_CTRL - 1);
}

/* During an on/off crossfade: filter, then mix with the dry input per
 * sample (raised cosine), one sample at a time so in == out works. */
static void
crossfade(struct fl_biquad *b, const float *in_l, const float *in_r, float *out_l, float *out_r,
          uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		float dl = in_l[i], dr = in_r[i], wl, wr;
		run(b, &dl, &dr, &wl, &wr, 1);
		if (b->xfade) {
			float u = (float)(FL_BIQUAD_XFADE - b->xfade) / (float)FL_BIQUAD_XFADE;
			float w = 0.5f - 0.5f * cosf(3.14159265f * u);
			w = b->enabled ? w : 1.0f - w;
			wl = dl + w * (wl - dl);
			wr = dr + w * (wr - dr);
			if (--b->xfade == 0 && !b->enabled)
				memset(b->z, 0, sizeof b->z);
		} else if (!b->enabled) {
			wl = dl, wr = dr;
		}
		out_l[i] = wl;
		out_r[i] = wr;
	}
}

void
fl_biquad_process(struct fl_biquad *b, const float *in_l, const float *in_r, float *out_l,
                  float *out_r, uint32_t n)
{
	if (b->xfade)
		crossfade(b, in_l, in_r, out_l, out_r, n);
	else if (fl_biquad_is_bypassed(b))
		skip(b, in_l, in_r, out_l, out_r, n);
	else
		run(b, in_l, in_r, out_l, out_r, n);
}
