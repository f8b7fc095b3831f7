/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The effect slot: maps table parameters onto the kernels' setters, and
 * owns bypass. Two bypass styles:
 *  - time effects (delay, plate, room, hall) bypass inside the kernel: the
 *    input closes, the dry path goes to unity and the tail rings out, so
 *    the kernel keeps running while bypassed;
 *  - the others crossfade wet -> dry here (10 ms raised cosine, dry copied
 *    per chunk so in == out works). A fully bypassed EQ or filter is not
 *    run at all; on re-enable it restarts from a reset, which the fade-in
 *    hides (stale history from before the bypass would be worse). Chorus,
 *    flanger and the dynamics keep running while bypassed: a restarted
 *    chorus line would bring the signal back with a step once its delay
 *    filled, and a restarted envelope would let a transient through.
 * Work is done in chunks of FX_CHUNK frames so any n is accepted without
 * allocation; every kernel is block-size invariant, so is the slot. */
#include "dsp/fx.h"

#include "dsp/chorus.h"
#include "dsp/compressor.h"
#include "dsp/delay.h"
#include "dsp/eq.h"
#include "dsp/gate.h"
#include "dsp/reverb_fdn.h"
#include "dsp/reverb_plate.h"
#include "dsp/smooth.h"
#include "dsp/svf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FX_CHUNK 256u
#define FX_MAX_PARAMS 16u
#define BYPASS_MS 10.0f

struct fl_fx {
	enum fl_fx_type type;
	float rate;
	float value[FX_MAX_PARAMS]; ///< last set values, clamped
	bool bypass;
	bool spill;                 ///< bypass handled by the kernel (time effects)
	bool can_idle;              ///< stops the kernel while fully bypassed (EQ, filter)
	bool idle;                  ///< fully bypassed and kernel stopped
	struct fl_ramp byp;         ///< crossfade types: 0 wet, 1 dry
	uint64_t cycle_frames;
	uint32_t beats_per_cycle;
	bool lfo_synced;
	float dry[2][FX_CHUNK];
	float gate_min_db;          ///< gate: lowest gain since the last meter read
	struct fl_smooth fmix;      ///< filter: wet share (the SVF has no mix of its own)
	float fdry[2][FX_CHUNK];    ///< filter: dry copy for the mix
	union {
		struct fl_eq eq;
		struct fl_comp comp;
		struct fl_gate gate;
		struct fl_svf svf;
		struct fl_delay delay;
		struct fl_chorus chorus;
		struct fl_plate plate;
		struct fl_fdn fdn;
	} k;
};

/* Parameter indices; they follow the tables in fx_params.c. */
enum { EQ_LOW_CUT, EQ_LOW_CUT_HZ, EQ_LS_HZ, EQ_LS_DB, EQ_P1_HZ, EQ_P1_DB, EQ_P1_Q, EQ_P2_HZ,
       EQ_P2_DB, EQ_P2_Q, EQ_HS_HZ, EQ_HS_DB, EQ_HIGH_CUT, EQ_HIGH_CUT_HZ };
enum { CP_THRESHOLD, CP_RATIO, CP_KNEE, CP_ATTACK, CP_RELEASE, CP_MAKEUP, CP_MIX };
enum { DL_TIME, DL_SYNC, DL_NOTE, DL_FB, DL_DAMP, DL_LOWCUT, DL_PINGPONG, DL_MIX };
enum { MOD_RATE, MOD_DEPTH, MOD_DELAY, MOD_FB, MOD_VOICES, MOD_SPREAD, MOD_SYNC, MOD_NOTE, MOD_MIX };
enum { RV_DECAY, RV_PREDELAY, RV_DAMPING, RV_MIX, RV_FREEZE };
enum { GT_OPEN, GT_CLOSE, GT_HOLD, GT_ATTACK, GT_RELEASE, GT_RANGE };
enum { FT_MODE, FT_CUTOFF, FT_RESONANCE, FT_MIX };

static bool
is_time_effect(enum fl_fx_type t)
{
	return t == FL_FX_DELAY || t == FL_FX_PLATE || t == FL_FX_ROOM || t == FL_FX_HALL;
}

static enum fl_status
kernel_init(struct fl_fx *fx)
{
	float r = fx->rate;
	switch (fx->type) {
	case FL_FX_EQ: fl_eq_init(&fx->k.eq, r); return FL_OK;
	case FL_FX_COMPRESSOR: fl_comp_init(&fx->k.comp, r); return FL_OK;
	case FL_FX_DELAY: return fl_delay_init(&fx->k.delay, r);
	case FL_FX_CHORUS: return fl_chorus_init(&fx->k.chorus, r, FL_CHORUS_MODE_CHORUS);
	case FL_FX_FLANGER: return fl_chorus_init(&fx->k.chorus, r, FL_CHORUS_MODE_FLANGER);
	case FL_FX_PLATE: return fl_plate_init(&fx->k.plate, r);
	case FL_FX_ROOM: return fl_fdn_init(&fx->k.fdn, r, FL_FDN_ROOM);
	case FL_FX_HALL: return fl_fdn_init(&fx->k.fdn, r, FL_FDN_HALL);
	case FL_FX_GATE: fl_gate_init(&fx->k.gate, r, 0.0f); return FL_OK; /* no lookahead: slots have no latency */
	case FL_FX_FILTER:
		fl_svf_init(&fx->k.svf, r, FL_SVF_LOWPASS, 1000.0f, 0.5f);
		fl_smooth_init(&fx->fmix, 1.0f, 10.0f, r);
		return FL_OK;
	default: return FL_ERR_UNSUPPORTED;
	}
}

static void
kernel_free(struct fl_fx *fx)
{
	switch (fx->type) {
	case FL_FX_DELAY: fl_delay_free(&fx->k.delay); break;
	case FL_FX_CHORUS:
	case FL_FX_FLANGER: fl_chorus_free(&fx->k.chorus); break;
	case FL_FX_PLATE: fl_plate_free(&fx->k.plate); break;
	case FL_FX_ROOM:
	case FL_FX_HALL: fl_fdn_free(&fx->k.fdn); break;
	default: break;
	}
}

static void
kernel_reset(struct fl_fx *fx)
{
	switch (fx->type) {
	case FL_FX_EQ: fl_eq_reset(&fx->k.eq); break;
	case FL_FX_COMPRESSOR: fl_comp_reset(&fx->k.comp); break;
	case FL_FX_GATE:
		fl_gate_reset(&fx->k.gate);
		fx->gate_min_db = 0.0f;
		break;
	case FL_FX_FILTER:
		fl_svf_reset(&fx->k.svf);
		fx->fmix.current = fx->fmix.target;
		break;
	case FL_FX_DELAY: fl_delay_reset(&fx->k.delay); break;
	case FL_FX_CHORUS:
	case FL_FX_FLANGER: fl_chorus_reset(&fx->k.chorus); break;
	case FL_FX_PLATE: fl_plate_reset(&fx->k.plate); break;
	case FL_FX_ROOM:
	case FL_FX_HALL: fl_fdn_reset(&fx->k.fdn); break;
	default: break;
	}
}

/* The SVF outputs only the filtered signal: the mix blends it with a dry
 * copy (taken first, since in == out is allowed), per sample so the result
 * does not depend on the block size. */
static void
filter_process(struct fl_fx *fx, const float *il, const float *ir, float *ol, float *or_,
               uint32_t n)
{
	if (fl_smooth_settled(&fx->fmix) && fx->fmix.current == 1.0f) {
		fl_svf_process(&fx->k.svf, il, ir, ol, or_, n);
		return;
	}
	memcpy(fx->fdry[0], il, n * sizeof *il);
	memcpy(fx->fdry[1], ir, n * sizeof *ir);
	fl_svf_process(&fx->k.svf, il, ir, ol, or_, n);
	for (uint32_t i = 0; i < n; i++) {
		float w = fl_smooth_next(&fx->fmix), d = 1.0f - w;
		ol[i] = w * ol[i] + d * fx->fdry[0][i];
		or_[i] = w * or_[i] + d * fx->fdry[1][i];
	}
}

static void
gate_process(struct fl_fx *fx, const float *il, const float *ir, float *ol, float *or_, uint32_t n)
{
	fl_gate_process(&fx->k.gate, il, ir, ol, or_, n);
	float g = fl_gate_gain_db(&fx->k.gate);
	if (g < fx->gate_min_db)
		fx->gate_min_db = g;
}

static void
kernel_process(struct fl_fx *fx, const float *il, const float *ir, float *ol, float *or_,
               uint32_t n)
{
	switch (fx->type) {
	case FL_FX_EQ: fl_eq_process(&fx->k.eq, il, ir, ol, or_, n); break;
	case FL_FX_COMPRESSOR: fl_comp_process(&fx->k.comp, il, ir, ol, or_, n); break;
	case FL_FX_GATE: gate_process(fx, il, ir, ol, or_, n); break;
	case FL_FX_FILTER: filter_process(fx, il, ir, ol, or_, n); break;
	case FL_FX_DELAY: fl_delay_process(&fx->k.delay, il, ir, ol, or_, n); break;
	case FL_FX_CHORUS:
	case FL_FX_FLANGER: fl_chorus_process(&fx->k.chorus, il, ir, ol, or_, n); break;
	case FL_FX_PLATE: fl_plate_process(&fx->k.plate, il, ir, ol, or_, n); break;
	case FL_FX_ROOM:
	case FL_FX_HALL: fl_fdn_process(&fx->k.fdn, il, ir, ol, or_, n); break;
	default:
		if (ol != il)
			memcpy(ol, il, n * sizeof *ol);
		if (or_ != ir)
			memcpy(or_, ir, n * sizeof *or_);
		break;
	}
}

/* ---- parameters ---- */

static void
apply_eq(struct fl_fx *fx, uint32_t i)
{
	struct fl_eq *eq = &fx->k.eq;
	const float *v = fx->value;
	switch (i) {
	case EQ_LOW_CUT: fl_eq_set_enabled(eq, FL_EQ_LOW_CUT, v[i] >= 0.5f); break;
	case EQ_LOW_CUT_HZ: fl_eq_set_freq(eq, FL_EQ_LOW_CUT, v[i]); break;
	case EQ_LS_HZ: fl_eq_set_freq(eq, FL_EQ_LOW_SHELF, v[i]); break;
	case EQ_LS_DB: fl_eq_set_gain_db(eq, FL_EQ_LOW_SHELF, v[i]); break;
	case EQ_P1_HZ: fl_eq_set_freq(eq, FL_EQ_PEAK1, v[i]); break;
	case EQ_P1_DB: fl_eq_set_gain_db(eq, FL_EQ_PEAK1, v[i]); break;
	case EQ_P1_Q: fl_eq_set_q(eq, FL_EQ_PEAK1, v[i]); break;
	case EQ_P2_HZ: fl_eq_set_freq(eq, FL_EQ_PEAK2, v[i]); break;
	case EQ_P2_DB: fl_eq_set_gain_db(eq, FL_EQ_PEAK2, v[i]); break;
	case EQ_P2_Q: fl_eq_set_q(eq, FL_EQ_PEAK2, v[i]); break;
	case EQ_HS_HZ: fl_eq_set_freq(eq, FL_EQ_HIGH_SHELF, v[i]); break;
	case EQ_HS_DB: fl_eq_set_gain_db(eq, FL_EQ_HIGH_SHELF, v[i]); break;
	case EQ_HIGH_CUT: fl_eq_set_enabled(eq, FL_EQ_HIGH_CUT, v[i] >= 0.5f); break;
	default: fl_eq_set_freq(eq, FL_EQ_HIGH_CUT, v[i]); break; /* the kernel caps at 0.49 fs */
	}
}

static void
apply_comp(struct fl_fx *fx, uint32_t i)
{
	struct fl_comp *c = &fx->k.comp;
	float v = fx->value[i];
	switch (i) {
	case CP_THRESHOLD: fl_comp_set_threshold_db(c, v); break;
	case CP_RATIO: fl_comp_set_ratio(c, v); break;
	case CP_KNEE: fl_comp_set_knee_db(c, v); break;
	case CP_ATTACK: fl_comp_set_attack_ms(c, v); break;
	case CP_RELEASE: fl_comp_set_release_ms(c, v); break;
	case CP_MAKEUP: fl_comp_set_makeup_db(c, v); break;
	default: fl_comp_set_mix(c, v); break;
	}
}

/* Delay time: the note at the loop tempo when synced and a tempo is known,
 * else time_ms. */
static void
apply_delay_time(struct fl_fx *fx)
{
	struct fl_delay *k = &fx->k.delay;
	enum fl_note note = (enum fl_note)(int)fx->value[DL_NOTE];
	if (fx->value[DL_SYNC] >= 0.5f &&
	    fl_delay_sync_frames(fx->cycle_frames, fx->beats_per_cycle, note) > 0) {
		fl_delay_set_sync(k, fx->cycle_frames, fx->beats_per_cycle, note);
		return;
	}
	k->time_ms = NAN; /* re-apply even if time_ms did not change */
	fl_delay_set_time_ms(k, fx->value[DL_TIME]);
}

static void
apply_delay(struct fl_fx *fx, uint32_t i)
{
	struct fl_delay *k = &fx->k.delay;
	float v = fx->value[i];
	switch (i) {
	case DL_FB: fl_delay_set_feedback(k, v); break;
	case DL_DAMP: fl_delay_set_damping_hz(k, v); break;
	case DL_LOWCUT: fl_delay_set_lowcut_hz(k, v); break;
	case DL_PINGPONG: fl_delay_set_pingpong(k, v >= 0.5f); break;
	case DL_MIX: fl_delay_set_mix(k, v); break;
	default: apply_delay_time(fx); break;
	}
}

/* Synced LFO: one cycle per note value. The current phase is handed over
 * as the position, so engaging sync never jumps the modulation. */
static void
apply_lfo_sync(struct fl_fx *fx)
{
	struct fl_chorus *k = &fx->k.chorus;
	enum fl_note note = (enum fl_note)(int)fx->value[MOD_NOTE];
	uint64_t period = fl_delay_sync_frames(fx->cycle_frames, fx->beats_per_cycle, note);
	if (fx->value[MOD_SYNC] >= 0.5f && period > 0) {
		uint64_t pos = ((uint64_t)k->phase * period) >> 32;
		fl_chorus_sync_lfo(k, pos, period);
		fx->lfo_synced = true;
	} else if (fx->lfo_synced) {
		fl_chorus_sync_lfo(k, 0, 0);
		fx->lfo_synced = false;
	}
}

static void
apply_mod(struct fl_fx *fx, uint32_t i)
{
	struct fl_chorus *k = &fx->k.chorus;
	float v = fx->value[i];
	switch (i) {
	case MOD_RATE: fl_chorus_set_rate_hz(k, v); break;
	case MOD_DEPTH: fl_chorus_set_depth_ms(k, v); break;
	case MOD_DELAY: fl_chorus_set_delay_ms(k, v); break;
	case MOD_FB: fl_chorus_set_feedback(k, v); break;
	case MOD_VOICES: fl_chorus_set_voices(k, (uint32_t)v); break;
	case MOD_SPREAD: fl_chorus_set_stereo_deg(k, v); break;
	case MOD_MIX: fl_chorus_set_mix(k, v); break;
	default: apply_lfo_sync(fx); break;
	}
}

static void
apply_reverb(struct fl_fx *fx, uint32_t i)
{
	float v = fx->value[i];
	if (fx->type == FL_FX_PLATE) {
		struct fl_plate *k = &fx->k.plate;
		switch (i) {
		case RV_DECAY: fl_plate_set_decay_s(k, v); break;
		case RV_PREDELAY: fl_plate_set_predelay_ms(k, v); break;
		case RV_DAMPING: fl_plate_set_damping(k, v); break;
		case RV_MIX: fl_plate_set_mix(k, v); break;
		default: fl_plate_set_freeze(k, v >= 0.5f); break;
		}
		return;
	}
	struct fl_fdn *k = &fx->k.fdn;
	switch (i) {
	case RV_DECAY: fl_fdn_set_decay_s(k, v); break;
	case RV_PREDELAY: fl_fdn_set_predelay_ms(k, v); break;
	case RV_DAMPING: fl_fdn_set_damping(k, v); break;
	case RV_MIX: fl_fdn_set_mix(k, v); break;
	default: fl_fdn_set_freeze(k, v >= 0.5f); break;
	}
}

/* The table speaks of open and close levels; the kernel of a threshold and
 * a hysteresis (0..20 dB), so close_db more than 20 dB under open_db acts
 * as open_db - 20. */
static void
apply_gate(struct fl_fx *fx, uint32_t i)
{
	struct fl_gate *g = &fx->k.gate;
	const float *v = fx->value;
	switch (i) {
	case GT_OPEN:
	case GT_CLOSE:
		fl_gate_set_threshold_db(g, v[GT_OPEN]);
		fl_gate_set_hysteresis_db(g, fmaxf(v[GT_OPEN] - v[GT_CLOSE], 0.0f));
		break;
	case GT_HOLD: fl_gate_set_hold_ms(g, v[i]); break;
	case GT_ATTACK: fl_gate_set_attack_ms(g, v[i]); break;
	case GT_RELEASE: fl_gate_set_release_ms(g, v[i]); break;
	default: fl_gate_set_range_db(g, v[i]); break;
	}
}

/* resonance 0..1 -> Q 0.5 * 40^r = 0.5 .. 20, even steps in log Q. */
static void
apply_filter(struct fl_fx *fx, uint32_t i)
{
	static const enum fl_svf_mode modes[3] = {FL_SVF_LOWPASS, FL_SVF_HIGHPASS, FL_SVF_BANDPASS};
	struct fl_svf *f = &fx->k.svf;
	float v = fx->value[i];
	switch (i) {
	case FT_MODE: fl_svf_set_mode(f, modes[(int)v > 2 ? 2 : (int)v]); break;
	case FT_CUTOFF: fl_svf_set_cutoff(f, v); break;
	case FT_RESONANCE: fl_svf_set_q(f, 0.5f * exp2f(v * 5.321928f)); break;
	default: fl_smooth_set(&fx->fmix, v); break;
	}
}

static void
apply(struct fl_fx *fx, uint32_t i)
{
	switch (fx->type) {
	case FL_FX_EQ: apply_eq(fx, i); break;
	case FL_FX_COMPRESSOR: apply_comp(fx, i); break;
	case FL_FX_GATE: apply_gate(fx, i); break;
	case FL_FX_FILTER: apply_filter(fx, i); break;
	case FL_FX_DELAY: apply_delay(fx, i); break;
	case FL_FX_CHORUS:
	case FL_FX_FLANGER: apply_mod(fx, i); break;
	case FL_FX_PLATE:
	case FL_FX_ROOM:
	case FL_FX_HALL: apply_reverb(fx, i); break;
	default: break;
	}
}

/* Booleans, choices and integer counts take whole values. */
static float
quantize(const struct fl_fx_param_info *p, float v)
{
	bool whole = p->unit == FL_FX_UNIT_BOOL || p->unit == FL_FX_UNIT_CHOICE ||
	             strcmp(p->name, "voices") == 0;
	return whole ? floorf(v + 0.5f) : v;
}

void
fl_fx_set_param(struct fl_fx *fx, uint32_t index, float value)
{
	const struct fl_fx_param_info *p = fx ? fl_fx_param_info(fx->type, index) : NULL;
	if (!p || !isfinite(value))
		return;
	value = quantize(p, value < p->min ? p->min : (value > p->max ? p->max : value));
	fx->value[index] = value;
	apply(fx, index);
}

float
fl_fx_get_param(const struct fl_fx *fx, uint32_t index)
{
	if (!fx || index >= fl_fx_param_count(fx->type))
		return NAN;
	return fx->value[index];
}

/* ---- lifetime ---- */

enum fl_status
fl_fx_create(enum fl_fx_type t, float rate, struct fl_fx **out)
{
	if (!out)
		return FL_ERR_BAD_ARG;
	*out = NULL;
	if (t <= FL_FX_NONE || t >= FL_FX__COUNT)
		return FL_ERR_BAD_ARG;
	if (!(rate > 0.0f && rate <= 192000.0f))
		return FL_ERR_RANGE;
	struct fl_fx *fx = calloc(1, sizeof *fx);
	if (!fx)
		return FL_ERR_NOMEM;
	fx->type = t;
	fx->rate = rate;
	fx->spill = is_time_effect(t);
	fx->can_idle = t == FL_FX_EQ || t == FL_FX_FILTER;
	enum fl_status st = kernel_init(fx);
	if (st != FL_OK) {
		free(fx); /* kernels free their own partial allocations */
		return st;
	}
	for (uint32_t i = 0; i < fl_fx_param_count(t); i++)
		fl_fx_set_param(fx, i, fl_fx_param_info(t, i)->def);
	fl_fx_reset(fx);
	*out = fx;
	return FL_OK;
}

void
fl_fx_free(struct fl_fx *fx)
{
	if (!fx)
		return;
	kernel_free(fx);
	free(fx);
}

enum fl_fx_type
fl_fx_type(const struct fl_fx *fx)
{
	return fx ? fx->type : FL_FX_NONE;
}

void
fl_fx_reset(struct fl_fx *fx)
{
	kernel_reset(fx);
	fl_ramp_set(&fx->byp, fx->bypass ? 1.0f : 0.0f);
	fx->idle = fx->bypass && fx->can_idle;
}

void
fl_fx_set_bypass(struct fl_fx *fx, bool bypass)
{
	if (bypass == fx->bypass)
		return;
	fx->bypass = bypass;
	switch (fx->type) {
	case FL_FX_DELAY: fl_delay_set_bypass(&fx->k.delay, bypass); return;
	case FL_FX_PLATE: fl_plate_set_bypass(&fx->k.plate, bypass); return;
	case FL_FX_ROOM:
	case FL_FX_HALL: fl_fdn_set_bypass(&fx->k.fdn, bypass); return;
	default: break;
	}
	if (!bypass && fx->idle) {
		kernel_reset(fx);
		fx->idle = false;
	}
	fl_ramp_start(&fx->byp, bypass ? 1.0f : 0.0f, (uint32_t)(BYPASS_MS * 0.001f * fx->rate));
}

bool
fl_fx_get_bypass(const struct fl_fx *fx)
{
	return fx->bypass;
}

void
fl_fx_set_tempo(struct fl_fx *fx, uint64_t cycle_frames, uint32_t beats_per_cycle)
{
	if (cycle_frames == fx->cycle_frames && beats_per_cycle == fx->beats_per_cycle)
		return;
	fx->cycle_frames = cycle_frames;
	fx->beats_per_cycle = beats_per_cycle;
	if (fx->type == FL_FX_DELAY)
		apply_delay_time(fx);
	else if (fx->type == FL_FX_CHORUS || fx->type == FL_FX_FLANGER)
		apply_lfo_sync(fx);
}

/* ---- audio ---- */

/* Crossfade types while fading: kernel output blended toward the dry copy. */
static void
process_fading(struct fl_fx *fx, const float *il, const float *ir, float *ol, float *or_,
               uint32_t n)
{
	memcpy(fx->dry[0], il, n * sizeof *il);
	memcpy(fx->dry[1], ir, n * sizeof *ir);
	kernel_process(fx, il, ir, ol, or_, n);
	for (uint32_t i = 0; i < n; i++) {
		float g = fl_ramp_next(&fx->byp), w = 1.0f - g; /* g = 1: exactly dry */
		ol[i] = g * fx->dry[0][i] + w * ol[i];
		or_[i] = g * fx->dry[1][i] + w * or_[i];
	}
	if (fx->bypass && fx->can_idle && fl_ramp_done(&fx->byp))
		fx->idle = true;
}

void
fl_fx_process(struct fl_fx *fx, const float *in_l, const float *in_r, float *out_l, float *out_r,
              uint32_t n)
{
	while (n > 0) {
		uint32_t m = n < FX_CHUNK ? n : FX_CHUNK;
		if (fx->spill || (!fx->bypass && fl_ramp_done(&fx->byp))) {
			kernel_process(fx, in_l, in_r, out_l, out_r, m);
		} else if (fx->idle) {
			if (out_l != in_l)
				memcpy(out_l, in_l, m * sizeof *out_l);
			if (out_r != in_r)
				memcpy(out_r, in_r, m * sizeof *out_r);
		} else {
			process_fading(fx, in_l, in_r, out_l, out_r, m);
		}
		in_l += m;
		in_r += m;
		out_l += m;
		out_r += m;
		n -= m;
	}
}

uint32_t
fl_fx_latency(const struct fl_fx *fx)
{
	(void)fx;
	return 0;
}

float
fl_fx_read_meter(struct fl_fx *fx)
{
	if (fx->type == FL_FX_COMPRESSOR)
		return fl_comp_read_gain_reduction_db(&fx->k.comp);
	if (fx->type == FL_FX_GATE) {
		float g = fx->gate_min_db;
		fx->gate_min_db = fl_gate_gain_db(&fx->k.gate);
		return g;
	}
	return 0.0f;
}
