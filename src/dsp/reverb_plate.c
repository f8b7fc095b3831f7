/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "dsp/reverb_plate.h"

#include <math.h>

#define REF_RATE 29761.0f
#define SMOOTH_MS 50.0f
#define BYPASS_MS 10.0f

static const uint32_t in_ref[4] = {142, 107, 379, 277};
static const float in_g[4] = {0.75f, 0.75f, 0.625f, 0.625f};
static const uint32_t ap1_ref[2] = {672, 908}, d1_ref[2] = {4453, 4217};
static const uint32_t ap2_ref[2] = {1800, 2656}, d2_ref[2] = {3720, 3163};
/* Dattorro's table 2: left taps then right taps (see tap_read for lines) */
static const uint32_t tap_ref[14] = {266, 2974, 1913, 1996, 1990, 187, 1066,
                                     353, 3627, 1228, 2673, 2111, 335, 121};

static float
clampf(float v, float lo, float hi)
{
	return v < lo ? lo : (v > hi ? hi : v);
}

static uint32_t
scale(uint32_t ref, float rate)
{
	return (uint32_t)lroundf((float)ref * rate / REF_RATE);
}

static enum fl_status
alloc_lines(struct fl_plate *k)
{
	enum fl_status st = fl_delayline_init(&k->pre,
	                                      (uint32_t)(FL_PLATE_MAX_PREDELAY_MS * k->rate / 1000.0f) + 4u);
	for (int i = 0; i < 4 && st == FL_OK; i++)
		st = fl_delayline_init(&k->in_ap[i], k->in_len[i] + 1u);
	for (int c = 0; c < 2 && st == FL_OK; c++) {
		st = fl_delayline_init(&k->ap1[c], k->ap1_len[c] + (uint32_t)k->excursion + 4u);
		if (st == FL_OK)
			st = fl_delayline_init(&k->d1[c], k->d1_len[c] + 1u);
		if (st == FL_OK)
			st = fl_delayline_init(&k->ap2[c], k->ap2_len[c] + 1u);
		if (st == FL_OK)
			st = fl_delayline_init(&k->d2[c], k->d2_len[c] + 1u);
	}
	return st;
}

enum fl_status
fl_plate_init(struct fl_plate *k, float rate)
{
	*k = (struct fl_plate){0};
	if (!(rate > 0.0f && rate <= 192000.0f))
		return FL_ERR_RANGE;
	k->rate = rate;
	for (int i = 0; i < 4; i++)
		k->in_len[i] = scale(in_ref[i], rate);
	k->loop_frames = 0.0f;
	for (int c = 0; c < 2; c++) {
		k->ap1_len[c] = scale(ap1_ref[c], rate);
		k->d1_len[c] = scale(d1_ref[c], rate);
		k->ap2_len[c] = scale(ap2_ref[c], rate);
		k->d2_len[c] = scale(d2_ref[c], rate);
		k->loop_frames += (float)(k->ap1_len[c] + k->d1_len[c] + k->ap2_len[c] + k->d2_len[c]);
	}
	for (int t = 0; t < 14; t++)
		k->tap[t] = scale(tap_ref[t], rate);
	k->excursion = 16.0f * rate / REF_RATE;
	k->lfo_inc = (uint32_t)(1.0 / (double)rate * 4294967296.0); /* 1 Hz */
	enum fl_status st = alloc_lines(k);
	if (st != FL_OK) {
		fl_plate_free(k);
		return st;
	}
	fl_sm2_init(&k->decay, 0.5f, SMOOTH_MS, rate);
	fl_sm2_init(&k->damp, 0.0f, SMOOTH_MS, rate);
	fl_sm2_init(&k->mix, 0.3f, SMOOTH_MS, rate);
	fl_sm2_init(&k->predelay, 1.0f, SMOOTH_MS, rate);
	fl_sm2_init(&k->mod, k->excursion, SMOOTH_MS, rate);
	fl_sm2_init(&k->input, 1.0f, SMOOTH_MS, rate);
	k->decay_s = k->damping = k->predelay_ms = k->mix_set = -1.0f;
	fl_plate_set_decay_s(k, 2.0f);
	fl_plate_set_damping(k, 0.3f);
	fl_plate_set_predelay_ms(k, 10.0f);
	fl_plate_set_mix(k, 0.3f);
	fl_plate_reset(k);
	return FL_OK;
}

void
fl_plate_free(struct fl_plate *k)
{
	if (!k)
		return;
	fl_delayline_free(&k->pre);
	for (int i = 0; i < 4; i++)
		fl_delayline_free(&k->in_ap[i]);
	for (int c = 0; c < 2; c++) {
		fl_delayline_free(&k->ap1[c]);
		fl_delayline_free(&k->d1[c]);
		fl_delayline_free(&k->ap2[c]);
		fl_delayline_free(&k->d2[c]);
	}
}

void
fl_plate_reset(struct fl_plate *k)
{
	fl_delayline_clear(&k->pre);
	for (int i = 0; i < 4; i++)
		fl_delayline_clear(&k->in_ap[i]);
	for (int c = 0; c < 2; c++) {
		fl_delayline_clear(&k->ap1[c]);
		fl_delayline_clear(&k->d1[c]);
		fl_delayline_clear(&k->ap2[c]);
		fl_delayline_clear(&k->d2[c]);
		k->damp_z[c] = k->last[c] = 0.0f;
	}
	k->bw_z = 0.0f;
	k->lfo_phase = 0;
	fl_sm2_settle(&k->decay);
	fl_sm2_settle(&k->damp);
	fl_sm2_settle(&k->mix);
	fl_sm2_settle(&k->predelay);
	fl_sm2_settle(&k->mod);
	fl_sm2_settle(&k->input);
	fl_ramp_set(&k->byp, k->bypass ? 1.0f : 0.0f);
}

/* The tank's own slope is 10^(-3 L / (4 fs t)); measured broadband T30 is
 * then about 0.92 t + 0.21 s (diffusers and build-up add a constant), so
 * the setting is mapped through that line, measured once (reference R1). */
static void
apply_tank(struct fl_plate *k)
{
	float t = fmaxf((k->decay_s - 0.21f) / 0.92f, 0.05f);
	float dec = powf(10.0f, -3.0f * k->loop_frames / (4.0f * k->rate * t));
	float pole = 0.95f * k->damping; /* one-pole pole: 0 flat .. 0.95 dark */
	fl_sm2_set(&k->decay, k->freeze ? 1.0f : fminf(dec, 0.9995f));
	fl_sm2_set(&k->damp, k->freeze ? 0.0f : pole);
	fl_sm2_set(&k->mod, k->freeze ? 0.0f : k->excursion);
	fl_sm2_set(&k->input, k->freeze ? 0.0f : 1.0f);
}

void
fl_plate_set_decay_s(struct fl_plate *k, float t60_s)
{
	if (!isfinite(t60_s) || t60_s == k->decay_s)
		return;
	k->decay_s = clampf(t60_s, 0.1f, 30.0f);
	apply_tank(k);
}

void
fl_plate_set_damping(struct fl_plate *k, float damping)
{
	if (!isfinite(damping) || damping == k->damping)
		return;
	k->damping = clampf(damping, 0.0f, 1.0f);
	apply_tank(k);
}

void
fl_plate_set_freeze(struct fl_plate *k, bool on)
{
	if (on == k->freeze)
		return;
	k->freeze = on;
	apply_tank(k);
}

void
fl_plate_set_predelay_ms(struct fl_plate *k, float ms)
{
	if (!isfinite(ms) || ms == k->predelay_ms)
		return;
	k->predelay_ms = ms;
	fl_sm2_set(&k->predelay, clampf(ms * k->rate / 1000.0f, 1.0f, k->pre.max_frames - 1.0f));
}

void
fl_plate_set_mix(struct fl_plate *k, float mix)
{
	if (!isfinite(mix) || mix == k->mix_set)
		return;
	k->mix_set = mix;
	fl_sm2_set(&k->mix, clampf(mix, 0.0f, 1.0f));
}

void
fl_plate_set_bypass(struct fl_plate *k, bool on)
{
	if (on == k->bypass)
		return;
	k->bypass = on;
	fl_ramp_start(&k->byp, on ? 1.0f : 0.0f, (uint32_t)(BYPASS_MS * 0.001f * k->rate));
}

/* Schroeder allpass on a line holding w: w = x - g v, y = v + g w, v = w[n-M]. */
static inline float
allpass(struct fl_delayline *dl, float x, float d, float g)
{
	float v = fl_delayline_read(dl, d);
	float w = fl_sanitize(x - g * v);
	fl_delayline_push(dl, w);
	return v + g * w;
}

/* Integer-length version (M >= 1): v is the tap M-1 before the push. */
static inline float
allpass_int(struct fl_delayline *dl, float x, uint32_t m, float g)
{
	float v = fl_delayline_tap(dl, m - 1u);
	float w = fl_sanitize(x - g * v);
	fl_delayline_push(dl, w);
	return v + g * w;
}

/* Seven taps per channel, signs per Dattorro's table 2: the left output
 * reads the right branch (d1, ap2, d2 positive-negative-positive) and
 * subtracts the left branch; the right output mirrors it. */
static inline float
taps(const struct fl_plate *k, int c)
{
	const uint32_t *t = k->tap + 7 * c;
	int o = 1 - c;
	return fl_delayline_tap(&k->d1[o], t[0]) + fl_delayline_tap(&k->d1[o], t[1]) -
	       fl_delayline_tap(&k->ap2[o], t[2]) + fl_delayline_tap(&k->d2[o], t[3]) -
	       fl_delayline_tap(&k->d1[c], t[4]) - fl_delayline_tap(&k->ap2[c], t[5]) -
	       fl_delayline_tap(&k->d2[c], t[6]);
}

/* Legend: u diffused input, dec decay gain, dp damping pole, ex modulation
 * depth (frames), last[c] the end of branch c (feeds the other branch). */
void
fl_plate_process(struct fl_plate *k, const float *in_l, const float *in_r, float *out_l,
                 float *out_r, uint32_t n)
{
	/* while no smoother moves, hold their values (next() would return them) */
	bool mv = !fl_sm2_settled(&k->decay) || !fl_sm2_settled(&k->damp) ||
	          !fl_sm2_settled(&k->mix) || !fl_sm2_settled(&k->predelay) ||
	          !fl_sm2_settled(&k->mod) || !fl_sm2_settled(&k->input);
	float dec = k->decay.b.current, dp = k->damp.b.current, mix = k->mix.b.current;
	float pd = k->predelay.b.current, ex = k->mod.b.current, ig0 = k->input.b.current;
	for (uint32_t i = 0; i < n; i++) {
		float xl = in_l[i], xr = in_r[i];
		if (mv) {
			dec = fl_sm2_next(&k->decay), dp = fl_sm2_next(&k->damp);
			mix = fl_sm2_next(&k->mix), pd = fl_sm2_next(&k->predelay);
			ex = fl_sm2_next(&k->mod), ig0 = fl_sm2_next(&k->input);
		}
		float ig = ig0;
		float bp = fl_ramp_next(&k->byp), dry = 1.0f - mix * (1.0f - bp);
		ig *= 1.0f - bp;
		fl_delayline_push(&k->pre, fl_sanitize(0.5f * ig * (xl + xr)));
		float u = fl_delayline_read(&k->pre, pd);
		k->bw_z = fl_sanitize(k->bw_z + 0.9995f * (u - k->bw_z));
		u = k->bw_z;
		for (int a = 0; a < 4; a++)
			u = allpass_int(&k->in_ap[a], u, k->in_len[a], in_g[a]);
		float lfo = fl_sin_u32(k->lfo_phase), lfo2 = fl_sin_u32(k->lfo_phase + 0x40000000u);
		k->lfo_phase += k->lfo_inc;
		float prev[2] = {k->last[0], k->last[1]};
		for (int c = 0; c < 2; c++) {
			float a = u + dec * prev[1 - c];
			float md = (float)k->ap1_len[c] - 1.0f + ex * (c ? lfo2 : lfo);
			a = allpass(&k->ap1[c], a, md, -0.7f);
			fl_delayline_push(&k->d1[c], a);
			float b = fl_delayline_tap(&k->d1[c], k->d1_len[c]);
			k->damp_z[c] = fl_sanitize(b + dp * (k->damp_z[c] - b));
			b = allpass_int(&k->ap2[c], dec * k->damp_z[c], k->ap2_len[c], 0.5f);
			fl_delayline_push(&k->d2[c], b);
			k->last[c] = fl_delayline_tap(&k->d2[c], k->d2_len[c]);
		}
		float yl = 0.6f * taps(k, 0), yr = 0.6f * taps(k, 1);
		out_l[i] = dry * xl + mix * yl;
		out_r[i] = dry * xr + mix * yr;
	}
}
