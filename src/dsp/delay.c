/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "dsp/delay.h"

#include <math.h>

#define SMOOTH_MS 20.0f /* gains and filter coefficients */
#define BYPASS_MS 10.0f
#define KNEE 0.5f /* loop content above -6 dBFS saturates gently */

/* Quarter-note beats of each note value as num/den. */
static const uint32_t note_num[FL_NOTE_COUNT] = {4, 2, 3, 1, 3, 2, 1, 3, 1, 1, 3, 1, 1};
static const uint32_t note_den[FL_NOTE_COUNT] = {1, 1, 1, 1, 2, 3, 2, 4, 3, 4, 8, 6, 8};

enum fl_status
fl_delay_init(struct fl_delay *k, float rate)
{
	*k = (struct fl_delay){0};
	if (!(rate > 0.0f && rate <= FL_DELAY_MAX_RATE))
		return FL_ERR_RANGE;
	k->rate = rate;
	uint32_t frames = (uint32_t)ceilf(FL_DELAY_MAX_MS * 0.001f * rate) + 4u;
	for (int c = 0; c < 2; c++) {
		enum fl_status st = fl_delayline_init(&k->line[c], frames);
		if (st != FL_OK) {
			fl_delay_free(k);
			return st;
		}
	}
	k->max_frames = FL_DELAY_MAX_MS * 0.001f * rate;
	k->xfade_len = (uint32_t)(FL_DELAY_XFADE_MS * 0.001f * rate);
	fl_sm2_init(&k->fb, 0.4f, SMOOTH_MS, rate);
	fl_sm2_init(&k->wet, 0.3f, SMOOTH_MS, rate);
	fl_sm2_init(&k->dry, 0.7f, SMOOTH_MS, rate);
	fl_sm2_init(&k->lp_a, 0.0f, SMOOTH_MS, rate);
	fl_sm2_init(&k->hp_a, 0.0f, SMOOTH_MS, rate);
	fl_sm2_init(&k->pingpong, 0.0f, SMOOTH_MS, rate);
	fl_ramp_set(&k->byp, 0.0f);
	k->mix = 0.3f;
	k->damping_hz = 20000.0f;
	k->lowcut_hz = 0.0f;
	k->time_ms = 500.0f;
	k->target_frames = k->cur_frames = k->next_frames = 0.5f * rate;
	return FL_OK;
}

void
fl_delay_free(struct fl_delay *k)
{
	if (!k)
		return;
	fl_delayline_free(&k->line[0]);
	fl_delayline_free(&k->line[1]);
}

void
fl_delay_reset(struct fl_delay *k)
{
	fl_delayline_clear(&k->line[0]);
	fl_delayline_clear(&k->line[1]);
	fl_sm2_settle(&k->fb);
	fl_sm2_settle(&k->wet);
	fl_sm2_settle(&k->dry);
	fl_sm2_settle(&k->lp_a);
	fl_sm2_settle(&k->hp_a);
	fl_sm2_settle(&k->pingpong);
	fl_ramp_set(&k->byp, k->bypass ? 1.0f : 0.0f);
	k->cur_frames = k->next_frames = k->target_frames;
	k->fading = false;
	k->xfade_pos = 0;
	k->lp_z[0] = k->lp_z[1] = k->hp_z[0] = k->hp_z[1] = 0.0f;
}

static void
set_frames(struct fl_delay *k, float frames)
{
	if (frames < 2.0f)
		frames = 2.0f;
	if (frames > k->max_frames)
		frames = k->max_frames;
	k->target_frames = frames;
}

void
fl_delay_set_time_ms(struct fl_delay *k, float ms)
{
	if (!isfinite(ms) || ms == k->time_ms)
		return;
	k->time_ms = ms;
	set_frames(k, ms * k->rate / 1000.0f);
}

uint64_t
fl_delay_sync_frames(uint64_t cycle_frames, uint32_t beats_per_cycle, enum fl_note note)
{
	if (cycle_frames == 0 || beats_per_cycle == 0 || (unsigned)note >= FL_NOTE_COUNT)
		return 0;
	/* round(cf * num / (bpc * den)), half up, exact in integers */
	uint64_t den = (uint64_t)beats_per_cycle * note_den[note];
	return (2u * cycle_frames * note_num[note] + den) / (2u * den);
}

void
fl_delay_set_sync(struct fl_delay *k, uint64_t cycle_frames, uint32_t beats_per_cycle,
                  enum fl_note note)
{
	uint64_t d = fl_delay_sync_frames(cycle_frames, beats_per_cycle, note);
	if (d == 0)
		return;
	k->time_ms = NAN; /* a later set_time_ms always applies */
	set_frames(k, (float)d);
}

static float
clampf(float v, float lo, float hi)
{
	return v < lo ? lo : (v > hi ? hi : v);
}

void
fl_delay_set_feedback(struct fl_delay *k, float fb)
{
	if (isfinite(fb))
		fl_sm2_set(&k->fb, clampf(fb, 0.0f, FL_DELAY_FB_MAX));
}

void
fl_delay_set_mix(struct fl_delay *k, float mix)
{
	if (!isfinite(mix) || mix == k->mix)
		return;
	k->mix = clampf(mix, 0.0f, 1.0f);
	fl_sm2_set(&k->wet, k->mix);
	fl_sm2_set(&k->dry, 1.0f - k->mix);
}

/* One-pole coefficient 1 - exp(-2 pi fc / fs). */
static float
onepole_a(float hz, float rate)
{
	return 1.0f - expf(-2.0f * FL_PI_F * hz / rate);
}

void
fl_delay_set_damping_hz(struct fl_delay *k, float hz)
{
	if (!isfinite(hz) || hz == k->damping_hz)
		return;
	k->damping_hz = hz;
	bool flat = hz >= 20000.0f || hz >= 0.45f * k->rate;
	fl_sm2_set(&k->lp_a, flat ? 0.0f : 1.0f - onepole_a(fmaxf(hz, 20.0f), k->rate));
}

void
fl_delay_set_lowcut_hz(struct fl_delay *k, float hz)
{
	if (!isfinite(hz) || hz == k->lowcut_hz)
		return;
	k->lowcut_hz = hz;
	fl_sm2_set(&k->hp_a, hz <= 0.0f ? 0.0f : onepole_a(fminf(hz, 0.2f * k->rate), k->rate));
}

void
fl_delay_set_pingpong(struct fl_delay *k, bool on)
{
	fl_sm2_set(&k->pingpong, on ? 1.0f : 0.0f);
}

void
fl_delay_set_bypass(struct fl_delay *k, bool on)
{
	if (on == k->bypass)
		return;
	k->bypass = on;
	fl_ramp_start(&k->byp, on ? 1.0f : 0.0f, (uint32_t)(BYPASS_MS * 0.001f * k->rate));
}

/* Identity below KNEE, then u/(1+u) toward FL_DELAY_CLIP: C1 at the knee. */
static inline float
softclip(float w)
{
	float a = fabsf(w);
	if (a <= KNEE)
		return w;
	float span = FL_DELAY_CLIP - KNEE;
	float u = (a - KNEE) / span;
	return copysignf(KNEE + span * u / (1.0f + u), w);
}

/* Reads both channels at the current head(s); advances the crossfade. */
static inline void
read_heads(struct fl_delay *k, float *rl, float *rr)
{
	if (!k->fading && k->target_frames != k->cur_frames) {
		k->fading = true;
		k->next_frames = k->target_frames;
		k->xfade_pos = 0;
	}
	/* the line holds x[n-1] last: delay D is a read at D - 1 */
	float d0 = k->cur_frames - 1.0f;
	*rl = fl_delayline_read(&k->line[0], d0);
	*rr = fl_delayline_read(&k->line[1], d0);
	if (!k->fading)
		return;
	float g = fl_raised_cosine((float)k->xfade_pos / (float)k->xfade_len);
	float d1 = k->next_frames - 1.0f;
	*rl += g * (fl_delayline_read(&k->line[0], d1) - *rl);
	*rr += g * (fl_delayline_read(&k->line[1], d1) - *rr);
	if (++k->xfade_pos >= k->xfade_len) {
		k->fading = false;
		k->cur_frames = k->next_frames;
	}
}

/* Legend: r read, t tone-filtered read, pp ping-pong amount, b bypass amount,
 * ig input gain, z one-pole states. */
void
fl_delay_process(struct fl_delay *k, const float *in_l, const float *in_r, float *out_l,
                 float *out_r, uint32_t n)
{
	float lz0 = k->lp_z[0], lz1 = k->lp_z[1], hz0 = k->hp_z[0], hz1 = k->hp_z[1];
	for (uint32_t i = 0; i < n; i++) {
		float xl = in_l[i], xr = in_r[i];
		float fb = fl_sm2_next(&k->fb), wet = fl_sm2_next(&k->wet);
		float dry = fl_sm2_next(&k->dry), la = fl_sm2_next(&k->lp_a);
		float ha = fl_sm2_next(&k->hp_a), pp = fl_sm2_next(&k->pingpong);
		float b = fl_ramp_next(&k->byp), ig = 1.0f - b;
		float rl, rr;
		read_heads(k, &rl, &rr);
		lz0 = rl + la * (lz0 - rl); /* la is the pole: 0 = flat, exact */
		lz1 = rr + la * (lz1 - rr);
		hz0 += ha * (lz0 - hz0);
		hz1 += ha * (lz1 - hz1);
		lz0 = fl_sanitize(lz0);
		lz1 = fl_sanitize(lz1);
		hz0 = fl_sanitize(hz0);
		hz1 = fl_sanitize(hz1);
		float tl = fb * (lz0 - hz0), tr = fb * (lz1 - hz1);
		float wl = ig * (xl + pp * 0.5f * (xr - xl)) + tl + pp * (tr - tl);
		float wr = ig * (1.0f - pp) * xr + tr + pp * (tl - tr);
		fl_delayline_push(&k->line[0], fl_sanitize(softclip(wl)));
		fl_delayline_push(&k->line[1], fl_sanitize(softclip(wr)));
		dry += b * (1.0f - dry);
		out_l[i] = dry * xl + wet * rl;
		out_r[i] = dry * xr + wet * rr;
	}
	k->lp_z[0] = lz0;
	k->lp_z[1] = lz1;
	k->hp_z[0] = hz0;
	k->hp_z[1] = hz1;
}
