/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "dsp/chorus.h"

#include <math.h>

#define SMOOTH_MS 40.0f /* delay changes glide (pitch bend) rather than jump */
#define TWO32 4294967296.0

static float
clampf(float v, float lo, float hi)
{
	return v < lo ? lo : (v > hi ? hi : v);
}

enum fl_status
fl_chorus_init(struct fl_chorus *k, float rate, enum fl_chorus_mode mode)
{
	*k = (struct fl_chorus){0};
	if (!(rate > 0.0f && rate <= 192000.0f))
		return FL_ERR_RANGE;
	k->rate = rate;
	k->max_frames = FL_CHORUS_MAX_MS * 0.001f * rate;
	for (int c = 0; c < 2; c++) {
		enum fl_status st = fl_delayline_init(&k->line[c], (uint32_t)k->max_frames + 4u);
		if (st != FL_OK) {
			fl_chorus_free(k);
			return st;
		}
	}
	bool fl = mode == FL_CHORUS_MODE_FLANGER;
	fl_sm2_init(&k->delay, 0.0f, SMOOTH_MS, rate);
	fl_sm2_init(&k->depth, 0.0f, SMOOTH_MS, rate);
	fl_sm2_init(&k->fb, 0.0f, SMOOTH_MS, rate);
	fl_sm2_init(&k->mix, 0.0f, SMOOTH_MS, rate);
	fl_sm2_init(&k->stereo, 0.0f, SMOOTH_MS, rate);
	for (int v = 0; v < FL_CHORUS_MAX_VOICES; v++)
		fl_sm2_init(&k->gain[v], 0.0f, SMOOTH_MS, rate);
	k->delay_ms = k->depth_ms = k->rate_hz = k->stereo_deg = -1.0f;
	fl_chorus_set_delay_ms(k, fl ? 2.5f : 15.0f);
	fl_chorus_set_depth_ms(k, fl ? 2.0f : 3.0f);
	fl_chorus_set_rate_hz(k, fl ? 0.25f : 0.5f);
	fl_chorus_set_feedback(k, fl ? 0.5f : 0.0f);
	fl_chorus_set_mix(k, 0.5f);
	fl_chorus_set_stereo_deg(k, 90.0f);
	fl_chorus_set_voices(k, fl ? 1u : 2u);
	fl_chorus_reset(k);
	return FL_OK;
}

void
fl_chorus_free(struct fl_chorus *k)
{
	if (!k)
		return;
	fl_delayline_free(&k->line[0]);
	fl_delayline_free(&k->line[1]);
}

void
fl_chorus_reset(struct fl_chorus *k)
{
	fl_delayline_clear(&k->line[0]);
	fl_delayline_clear(&k->line[1]);
	fl_sm2_settle(&k->delay);
	fl_sm2_settle(&k->depth);
	fl_sm2_settle(&k->fb);
	fl_sm2_settle(&k->mix);
	fl_sm2_settle(&k->stereo);
	for (int v = 0; v < FL_CHORUS_MAX_VOICES; v++)
		fl_sm2_settle(&k->gain[v]);
	k->phase = 0;
	k->sync_pos = 0;
	k->last_wet[0] = k->last_wet[1] = 0.0f;
}

void
fl_chorus_set_delay_ms(struct fl_chorus *k, float ms)
{
	if (!isfinite(ms) || ms == k->delay_ms)
		return;
	k->delay_ms = ms;
	fl_sm2_set(&k->delay, clampf(ms * k->rate / 1000.0f, 1.0f, k->max_frames));
}

void
fl_chorus_set_depth_ms(struct fl_chorus *k, float ms)
{
	if (!isfinite(ms) || ms == k->depth_ms)
		return;
	k->depth_ms = ms;
	fl_sm2_set(&k->depth, clampf(ms * k->rate / 1000.0f, 0.0f, 0.5f * k->max_frames));
}

void
fl_chorus_set_rate_hz(struct fl_chorus *k, float hz)
{
	if (!isfinite(hz) || hz == k->rate_hz)
		return;
	k->rate_hz = hz;
	double r = (double)clampf(hz, 0.0f, 20.0f) / (double)k->rate;
	if (k->sync_period == 0)
		k->inc = (uint32_t)(r * TWO32 + 0.5);
}

void
fl_chorus_set_feedback(struct fl_chorus *k, float fb)
{
	if (isfinite(fb))
		fl_sm2_set(&k->fb, clampf(fb, -FL_CHORUS_FB_MAX, FL_CHORUS_FB_MAX));
}

void
fl_chorus_set_mix(struct fl_chorus *k, float mix)
{
	if (isfinite(mix))
		fl_sm2_set(&k->mix, clampf(mix, 0.0f, 1.0f));
}

void
fl_chorus_set_stereo_deg(struct fl_chorus *k, float deg)
{
	if (!isfinite(deg) || deg == k->stereo_deg)
		return;
	k->stereo_deg = deg;
	fl_sm2_set(&k->stereo, clampf(deg, 0.0f, 360.0f) / 360.0f);
}

void
fl_chorus_set_voices(struct fl_chorus *k, uint32_t voices)
{
	if (voices < 1u)
		voices = 1u;
	if (voices > FL_CHORUS_MAX_VOICES)
		voices = FL_CHORUS_MAX_VOICES;
	k->voices = voices;
	for (uint32_t v = 0; v < FL_CHORUS_MAX_VOICES; v++)
		fl_sm2_set(&k->gain[v], v < voices ? 1.0f / (float)voices : 0.0f);
}

void
fl_chorus_sync_lfo(struct fl_chorus *k, uint64_t pos_frames, uint64_t period_frames)
{
	k->sync_period = period_frames;
	if (period_frames == 0) {
		float hz = k->rate_hz;
		k->rate_hz = -1.0f;
		fl_chorus_set_rate_hz(k, hz);
		return;
	}
	k->sync_pos = pos_frames % period_frames;
	k->inc = (uint32_t)((1ull << 32) / period_frames);
	k->phase = (uint32_t)((k->sync_pos << 32) / period_frames);
}

/* Any smoother still moving? While none is, process() holds the values
 * (what next() would return anyway) and skips 8 smoother updates a sample. */
static bool
moving(const struct fl_chorus *k)
{
	bool m = !fl_sm2_settled(&k->delay) || !fl_sm2_settled(&k->depth) ||
	         !fl_sm2_settled(&k->fb) || !fl_sm2_settled(&k->mix) || !fl_sm2_settled(&k->stereo);
	for (int v = 0; v < FL_CHORUS_MAX_VOICES; v++)
		m = m || !fl_sm2_settled(&k->gain[v]);
	return m;
}

/* One channel's wet sum for the voices with a non-zero gain. */
static inline float
voices_read(struct fl_chorus *k, int c, uint32_t ph, float dl, float dp, const float *g)
{
	float wet = 0.0f;
	for (uint32_t v = 0; v < FL_CHORUS_MAX_VOICES; v++) {
		if (g[v] == 0.0f)
			continue;
		/* fixed thirds of a cycle, so changing the voice count moves no voice */
		uint32_t pv = ph + v * 1431655765u;
		float d = clampf(dl + dp * fl_sin_u32(pv), 1.0f, k->max_frames);
		wet += g[v] * fl_delayline_read(&k->line[c], d);
	}
	return wet;
}

void
fl_chorus_process(struct fl_chorus *k, const float *in_l, const float *in_r, float *out_l,
                  float *out_r, uint32_t n)
{
	float wl = k->last_wet[0], wr = k->last_wet[1];
	bool mv = moving(k);
	float dl = k->delay.b.current, dp = k->depth.b.current, fb = k->fb.b.current;
	float mix = k->mix.b.current, st = k->stereo.b.current, g[FL_CHORUS_MAX_VOICES];
	for (int v = 0; v < FL_CHORUS_MAX_VOICES; v++)
		g[v] = k->gain[v].b.current;
	uint32_t off = (uint32_t)(int64_t)(st * 4294967296.0f); /* right-channel LFO offset */
	for (uint32_t i = 0; i < n; i++) {
		float xl = in_l[i], xr = in_r[i];
		if (mv) {
			dl = fl_sm2_next(&k->delay), dp = fl_sm2_next(&k->depth);
			fb = fl_sm2_next(&k->fb), mix = fl_sm2_next(&k->mix);
			st = fl_sm2_next(&k->stereo);
			for (int v = 0; v < FL_CHORUS_MAX_VOICES; v++)
				g[v] = fl_sm2_next(&k->gain[v]);
			off = (uint32_t)(int64_t)(st * 4294967296.0f);
		}
		fl_delayline_push(&k->line[0], fl_sanitize(xl + fb * wl));
		fl_delayline_push(&k->line[1], fl_sanitize(xr + fb * wr));
		uint32_t phr = k->phase + off;
		wl = voices_read(k, 0, k->phase, dl, dp, g);
		wr = voices_read(k, 1, phr, dl, dp, g);
		out_l[i] = (1.0f - mix) * xl + mix * wl; /* mix 1: exactly wet */
		out_r[i] = (1.0f - mix) * xr + mix * wr;
		k->phase += k->inc;
		if (k->sync_period && ++k->sync_pos == k->sync_period) {
			k->sync_pos = 0;
			k->phase = 0;
		}
	}
	/* the line is sanitized per sample; this only catches a NaN */
	k->last_wet[0] = isfinite(wl) ? wl : 0.0f;
	k->last_wet[1] = isfinite(wr) ? wr : 0.0f;
}
