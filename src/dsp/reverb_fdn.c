/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "dsp/reverb_fdn.h"

#include <math.h>

#define SMOOTH_MS 50.0f
#define BYPASS_MS 10.0f

/* Mutually prime lengths at 48 kHz, spread so the modes interleave. */
static const uint32_t room_len[FL_FDN_LINES] = {787, 929, 1063, 1201, 1319, 1453, 1579, 1721};
static const uint32_t hall_len[FL_FDN_LINES] = {2053, 2437, 2719, 3041, 3329, 3607, 3889, 4201};
static const uint32_t in_ref[4] = {229, 173, 611, 447};
static const float in_g[4] = {0.75f, 0.75f, 0.625f, 0.625f};
/* Output sign patterns: two rows of the Hadamard matrix (orthogonal). */
static const float sign_l[FL_FDN_LINES] = {1, -1, 1, -1, 1, -1, 1, -1};
static const float sign_r[FL_FDN_LINES] = {1, 1, -1, -1, 1, 1, -1, -1};

static float
clampf(float v, float lo, float hi)
{
	return v < lo ? lo : (v > hi ? hi : v);
}

enum fl_status
fl_fdn_init(struct fl_fdn *k, float rate, enum fl_fdn_size size)
{
	*k = (struct fl_fdn){0};
	if (!(rate > 0.0f && rate <= 192000.0f))
		return FL_ERR_RANGE;
	k->rate = rate;
	const uint32_t *len = size == FL_FDN_HALL ? hall_len : room_len;
	enum fl_status st = fl_delayline_init(&k->pre,
	                                      (uint32_t)(FL_FDN_MAX_PREDELAY_MS * rate / 1000.0f) + 4u);
	for (int i = 0; i < 4 && st == FL_OK; i++) {
		k->in_len[i] = (uint32_t)lroundf((float)in_ref[i] * rate / 48000.0f);
		st = fl_delayline_init(&k->in_ap[i], k->in_len[i] + 1u);
	}
	for (int i = 0; i < FL_FDN_LINES && st == FL_OK; i++) {
		k->len[i] = (uint32_t)lroundf((float)len[i] * rate / 48000.0f);
		st = fl_delayline_init(&k->line[i], k->len[i] + 1u);
	}
	if (st != FL_OK) {
		fl_fdn_free(k);
		return st;
	}
	for (int i = 0; i < FL_FDN_LINES; i++) {
		fl_sm1_init(&k->g[i], 0.0f, SMOOTH_MS, rate);
		fl_sm1_init(&k->b[i], 0.0f, SMOOTH_MS, rate);
	}
	fl_sm2_init(&k->mix, 0.3f, SMOOTH_MS, rate);
	fl_sm2_init(&k->predelay, 1.0f, SMOOTH_MS, rate);
	fl_sm2_init(&k->input, 1.0f, SMOOTH_MS, rate);
	k->decay_s = k->damping = k->predelay_ms = k->mix_set = -1.0f;
	bool hall = size == FL_FDN_HALL;
	fl_fdn_set_decay_s(k, hall ? 2.5f : 1.2f);
	fl_fdn_set_damping(k, 0.4f);
	fl_fdn_set_predelay_ms(k, hall ? 20.0f : 10.0f);
	fl_fdn_set_mix(k, 0.3f);
	fl_fdn_reset(k);
	return FL_OK;
}

void
fl_fdn_free(struct fl_fdn *k)
{
	if (!k)
		return;
	fl_delayline_free(&k->pre);
	for (int i = 0; i < 4; i++)
		fl_delayline_free(&k->in_ap[i]);
	for (int i = 0; i < FL_FDN_LINES; i++)
		fl_delayline_free(&k->line[i]);
}

void
fl_fdn_reset(struct fl_fdn *k)
{
	fl_delayline_clear(&k->pre);
	for (int i = 0; i < 4; i++)
		fl_delayline_clear(&k->in_ap[i]);
	for (int i = 0; i < FL_FDN_LINES; i++) {
		fl_delayline_clear(&k->line[i]);
		k->z[i] = 0.0f;
		k->g[i].current = k->g[i].target;
		k->b[i].current = k->b[i].target;
	}
	fl_sm2_settle(&k->mix);
	fl_sm2_settle(&k->predelay);
	fl_sm2_settle(&k->input);
	fl_ramp_set(&k->byp, k->bypass ? 1.0f : 0.0f);
}

static void
apply_decay(struct fl_fdn *k)
{
	float r = 1.0f - 0.9f * k->damping;
	for (int i = 0; i < FL_FDN_LINES; i++) {
		float m = (float)k->len[i];
		float g = powf(10.0f, -3.0f * m / (k->rate * k->decay_s));
		float ghf = powf(10.0f, -3.0f * m / (k->rate * k->decay_s * r));
		k->g[i].target = k->freeze ? 1.0f : g;
		k->b[i].target = k->freeze ? 0.0f : (g - ghf) / (g + ghf);
	}
	fl_sm2_set(&k->input, k->freeze ? 0.0f : 1.0f);
}

float
fl_fdn_line_t60(const struct fl_fdn *k, int i, float freq_hz)
{
	float g = k->g[i].target, b = k->b[i].target;
	float w = 2.0f * FL_PI_F * freq_hz / k->rate;
	float mag = g * (1.0f - b) / sqrtf(1.0f - 2.0f * b * cosf(w) + b * b);
	return -3.0f * (float)k->len[i] / (k->rate * log10f(mag));
}

void
fl_fdn_set_decay_s(struct fl_fdn *k, float t60_s)
{
	if (!isfinite(t60_s) || t60_s == k->decay_s)
		return;
	k->decay_s = clampf(t60_s, 0.1f, 30.0f);
	apply_decay(k);
}

void
fl_fdn_set_damping(struct fl_fdn *k, float damping)
{
	if (!isfinite(damping) || damping == k->damping)
		return;
	k->damping = clampf(damping, 0.0f, 1.0f);
	apply_decay(k);
}

void
fl_fdn_set_freeze(struct fl_fdn *k, bool on)
{
	if (on == k->freeze)
		return;
	k->freeze = on;
	apply_decay(k);
}

void
fl_fdn_set_predelay_ms(struct fl_fdn *k, float ms)
{
	if (!isfinite(ms) || ms == k->predelay_ms)
		return;
	k->predelay_ms = ms;
	fl_sm2_set(&k->predelay, clampf(ms * k->rate / 1000.0f, 1.0f, k->pre.max_frames - 1.0f));
}

void
fl_fdn_set_mix(struct fl_fdn *k, float mix)
{
	if (!isfinite(mix) || mix == k->mix_set)
		return;
	k->mix_set = mix;
	fl_sm2_set(&k->mix, clampf(mix, 0.0f, 1.0f));
}

void
fl_fdn_set_bypass(struct fl_fdn *k, bool on)
{
	if (on == k->bypass)
		return;
	k->bypass = on;
	fl_ramp_start(&k->byp, on ? 1.0f : 0.0f, (uint32_t)(BYPASS_MS * 0.001f * k->rate));
}

/* In-place orthonormal 8-point Walsh-Hadamard transform. */
static inline void
hadamard8(float *v)
{
	for (int h = 1; h < 8; h <<= 1)
		for (int i = 0; i < 8; i += 2 * h)
			for (int j = i; j < i + h; j++) {
				float a = v[j], b = v[j + h];
				v[j] = a + b;
				v[j + h] = a - b;
			}
	for (int i = 0; i < 8; i++)
		v[i] *= 0.35355339059327373f;
}

/* Legend: u diffused mono input, o line outputs after absorption, pd
 * pre-delay frames, ig input gain (0 when frozen). */
void
fl_fdn_process(struct fl_fdn *k, const float *in_l, const float *in_r, float *out_l,
               float *out_r, uint32_t n)
{
	/* while no smoother moves, hold their values (next() would return them) */
	bool mv = !fl_sm2_settled(&k->mix) || !fl_sm2_settled(&k->predelay) ||
	          !fl_sm2_settled(&k->input);
	for (int i = 0; i < FL_FDN_LINES; i++)
		mv = mv || k->g[i].current != k->g[i].target || k->b[i].current != k->b[i].target;
	float mix = k->mix.b.current, pd = k->predelay.b.current, ig0 = k->input.b.current;
	float g[FL_FDN_LINES], b[FL_FDN_LINES];
	for (int i = 0; i < FL_FDN_LINES; i++)
		g[i] = k->g[i].current, b[i] = k->b[i].current;
	for (uint32_t s = 0; s < n; s++) {
		float xl = in_l[s], xr = in_r[s];
		if (mv) {
			mix = fl_sm2_next(&k->mix), pd = fl_sm2_next(&k->predelay);
			ig0 = fl_sm2_next(&k->input);
			for (int i = 0; i < FL_FDN_LINES; i++)
				b[i] = fl_sm1_next(&k->b[i]), g[i] = fl_sm1_next(&k->g[i]);
		}
		float ig = ig0;
		float bp = fl_ramp_next(&k->byp), dry = 1.0f - mix * (1.0f - bp);
		ig *= 1.0f - bp;
		fl_delayline_push(&k->pre, fl_sanitize(0.5f * ig * (xl + xr)));
		float u = fl_delayline_read(&k->pre, pd);
		for (int a = 0; a < 4; a++) {
			float v = fl_delayline_tap(&k->in_ap[a], k->in_len[a] - 1u);
			float w = fl_sanitize(u - in_g[a] * v);
			fl_delayline_push(&k->in_ap[a], w);
			u = v + in_g[a] * w;
		}
		float o[FL_FDN_LINES], yl = 0.0f, yr = 0.0f;
		for (int i = 0; i < FL_FDN_LINES; i++) {
			float x = fl_delayline_tap(&k->line[i], k->len[i] - 1u);
			k->z[i] = fl_sanitize(x + b[i] * (k->z[i] - x));
			o[i] = g[i] * k->z[i];
			yl += sign_l[i] * o[i];
			yr += sign_r[i] * o[i];
		}
		hadamard8(o);
		for (int i = 0; i < FL_FDN_LINES; i++)
			fl_delayline_push(&k->line[i], fl_sanitize(o[i] + u));
		out_l[s] = dry * xl + mix * 0.35f * yl;
		out_r[s] = dry * xr + mix * 0.35f * yr;
	}
}
