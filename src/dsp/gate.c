/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Gate; the algorithm is documented in gate.h. Notes on the why:
 *  - Thresholds are compared in the linear domain, so the key costs no
 *    logarithm; only a moving gain costs an exp2f.
 *  - The gain glides in dB: from -80 dB the linear gain rises like an
 *    S-curve, which is what keeps opening and closing click-free.
 *  - The key decays geometrically toward 0; it is flushed below 1e-20 so it
 *    never turns subnormal. */
#include "dsp/gate.h"

#include <math.h>
#include <string.h>

#define DL_MASK (FL_GATE_DL_SIZE - 1)
#define KEY_TAU_MS 10.0f

static float
coeff(float ms, float rate)
{
	return expf(-1000.0f / (ms * rate));
}

static float
db_to_lin(float db)
{
	return powf(10.0f, db / 20.0f);
}

void
fl_gate_init(struct fl_gate *g, float rate, float lookahead_ms)
{
	memset(g, 0, sizeof *g);
	g->rate = rate;
	if (!(lookahead_ms >= 0.0f))
		lookahead_ms = 0.0f;
	lookahead_ms = fminf(lookahead_ms, 5.0f);
	g->latency = (uint32_t)lrintf(lookahead_ms * 0.001f * rate);
	if (g->latency >= FL_GATE_DL_SIZE)
		g->latency = FL_GATE_DL_SIZE - 1;
	g->a_key = coeff(KEY_TAU_MS, rate);
	g->open_db = -40.0f;
	g->hyst_db = 6.0f;
	g->open_lin = db_to_lin(-40.0f);
	g->close_lin = db_to_lin(-46.0f);
	fl_gate_set_hold_ms(g, 50.0f);
	fl_gate_set_attack_ms(g, 1.0f);
	fl_gate_set_release_ms(g, 100.0f);
	g->range_db = -80.0f;
	fl_gate_reset(g);
}

void
fl_gate_reset(struct fl_gate *g)
{
	g->key = 0.0f;
	g->open = false;
	g->hold_left = 0;
	g->gain_db = g->range_db;
	g->gain = db_to_lin(g->range_db);
	memset(g->dl, 0, sizeof g->dl);
	g->pos = 0;
}

static void
set_thresholds(struct fl_gate *g)
{
	g->open_lin = db_to_lin(g->open_db);
	g->close_lin = db_to_lin(g->open_db - g->hyst_db);
}

void
fl_gate_set_threshold_db(struct fl_gate *g, float db)
{
	if (isnan(db))
		return;
	g->open_db = fminf(fmaxf(db, -80.0f), 0.0f);
	set_thresholds(g);
}

void
fl_gate_set_hysteresis_db(struct fl_gate *g, float db)
{
	if (isnan(db))
		return;
	g->hyst_db = fminf(fmaxf(db, 0.0f), 20.0f);
	set_thresholds(g);
}

void
fl_gate_set_hold_ms(struct fl_gate *g, float ms)
{
	if (isnan(ms))
		return;
	g->hold = (uint32_t)lrintf(fminf(fmaxf(ms, 0.0f), 500.0f) * 0.001f * g->rate);
}

void
fl_gate_set_attack_ms(struct fl_gate *g, float ms)
{
	if (!isnan(ms))
		g->a_att = coeff(fminf(fmaxf(ms, 0.05f), 10.0f), g->rate);
}

void
fl_gate_set_release_ms(struct fl_gate *g, float ms)
{
	if (!isnan(ms))
		g->a_rel = coeff(fminf(fmaxf(ms, 10.0f), 1000.0f), g->rate);
}

void
fl_gate_set_range_db(struct fl_gate *g, float db)
{
	if (!isnan(db))
		g->range_db = fminf(fmaxf(db, -120.0f), 0.0f);
}

uint32_t
fl_gate_latency_frames(const struct fl_gate *g)
{
	return g->latency;
}

float
fl_gate_gain_db(const struct fl_gate *g)
{
	return g->gain_db;
}

/* Steps 1 and 2. */
static inline void
key_and_state(struct fl_gate *g, float a)
{
	float k = g->key * g->a_key;
	k = a > k ? a : k;
	g->key = k < 1e-20f ? 0.0f : k;
	if (g->key >= g->open_lin) {
		g->changes += !g->open;
		g->open = true;
		g->hold_left = g->hold;
	} else if (g->open && g->key < g->close_lin) {
		if (g->hold_left)
			g->hold_left--;
		else {
			g->open = false;
			g->changes++;
		}
	} else if (g->open) {
		g->hold_left = g->hold;
	}
}

/* Step 3. */
static inline float
glide(struct fl_gate *g)
{
	float t = g->open ? 0.0f : g->range_db;
	if (g->gain_db == t)
		return g->gain;
	float a = t > g->gain_db ? g->a_att : g->a_rel;
	float v = t + a * (g->gain_db - t);
	g->gain_db = fabsf(v - t) < 1e-4f ? t : v;
	g->gain = g->gain_db == 0.0f ? 1.0f : exp2f(g->gain_db * 0.16609640f);
	return g->gain;
}

void
fl_gate_process(struct fl_gate *g, const float *in_l, const float *in_r, float *out_l,
                float *out_r, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		float l = in_l[i], r = in_r[i];
		l = isfinite(l) ? l : 0.0f;
		r = isfinite(r) ? r : 0.0f;
		key_and_state(g, fmaxf(fabsf(l), fabsf(r)));
		float gain = glide(g);
		uint32_t w = g->pos & DL_MASK, rd = (g->pos - g->latency) & DL_MASK;
		g->dl[0][w] = l;
		g->dl[1][w] = r;
		out_l[i] = gain * g->dl[0][rd];
		out_r[i] = gain * g->dl[1][rd];
		g->pos++;
	}
}
