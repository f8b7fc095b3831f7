/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Effects in the engine (process thread): the input chain, the two send
 * buses, the master inserts, the true-peak limiter (last) and panic.
 *
 * Signal flow per segment:
 *   input -> input chain -> wet input (monitor; recorded by tracks that ask)
 *   track loop -> track chain -> fader/pan -> mix, and post-fader sends
 *   send bus b -> bus chain b -> mix
 *   mix + monitor -> master chain -> master level -> limiter -> panic -> out
 * The limiter's lookahead delays the output; the engine adds it to the
 * latency that overdubs compensate (the player hears the master). */
#include "engine/clock.h"
#include "engine/engine_internal.h"

#include <math.h>
#include <string.h>

static struct fl_fx_chain *
chain_of(struct fl_engine *e, uint32_t target)
{
	if (target < e->n_tracks)
		return &e->tracks[target].chain;
	if (target == FL_TARGET_INPUT)
		return &e->input_chain;
	if (target >= FL_TARGET_BUS(0) && target < FL_TARGET_BUS(FL_BUSES))
		return &e->bus_chain[target - FL_TARGET_BUS(0)];
	if (target == FL_TARGET_MASTER)
		return &e->master_chain;
	return NULL;
}

void
fl_effects_tempo(struct fl_engine *e)
{
	e->beats = fl_clock_beats_per_cycle(e->cycle, e->cfg.sample_rate);
	fl_fx_chain_tempo(&e->input_chain, e->cycle, e->beats);
	fl_fx_chain_tempo(&e->master_chain, e->cycle, e->beats);
	for (uint32_t b = 0; b < FL_BUSES; b++)
		fl_fx_chain_tempo(&e->bus_chain[b], e->cycle, e->beats);
	for (uint32_t k = 0; k < e->n_tracks; k++)
		fl_fx_chain_tempo(&e->tracks[k].chain, e->cycle, e->beats);
}

static void
panic(struct fl_engine *e, bool on, uint64_t t)
{
	if (on == e->panic)
		return;
	e->panic = on;
	uint32_t len = (uint32_t)(0.05f * (float)e->cfg.sample_rate); /* 50 ms */
	fl_ramp_start(&e->panic_gain, on ? 0.0f : 1.0f, len);
	e->panic_pending = on;
	if (on) {
		e->panic_stopped = 0;
		for (uint32_t k = 0; k < e->n_tracks && k < 64; k++) {
			uint32_t st = e->tracks[k].state;
			if (st == FL_TRACK_PLAYING || st == FL_TRACK_OVERDUBBING)
				e->panic_stopped |= 1ull << k;
		}
		fl_engine_emit(e, FL_EV_NOTICE, 0, FL_NOTICE_PANIC, t);
		return;
	}
	struct fl_cmd play = {.type = FL_CMD_PLAY};
	for (uint32_t k = 0; k < e->n_tracks && k < 64; k++)
		if (e->panic_stopped & (1ull << k))
			fl_track_command(&e->tracks[k], e, &play, t);
	e->panic_stopped = 0;
}

static void
limiter_param(struct fl_engine *e, uint32_t param, float v)
{
	if (!e->limiter || !isfinite(v))
		return;
	if (param == FL_LIMITER_CEILING_DB)
		fl_limiter_set_ceiling_db(e->limiter, v);
	else if (param == FL_LIMITER_RELEASE_MS)
		fl_limiter_set_release_ms(e->limiter, v);
	else if (param == FL_LIMITER_HOLD_MS)
		fl_limiter_set_hold_ms(e->limiter, v);
}

bool
fl_effects_command(struct fl_engine *e, const struct fl_cmd *c, uint64_t t)
{
	struct fl_fx_chain *ch = chain_of(e, c->track);
	uint32_t slot = c->type == FL_CMD_FX_PARAM ? c->arg >> 16 : c->arg;
	switch (c->type) {
	case FL_CMD_FX_SLOT: {
		if (!ch || slot >= FL_FX_SLOTS) {
			fl_engine_release(e, c->ptr, FL_CMD_FX_SLOT, t); /* refuse: give it back */
			return true;
		}
		struct fl_fx *freed[2];
		if (c->ptr)
			fl_fx_set_tempo(c->ptr, e->cycle, e->beats);
		fl_fx_chain_swap(ch, slot, c->ptr, e->fade_frames, freed);
		fl_engine_release(e, freed[0], FL_CMD_FX_SLOT, t);
		fl_engine_release(e, freed[1], FL_CMD_FX_SLOT, t);
		return true;
	}
	case FL_CMD_FX_PARAM:
		if (ch)
			fl_fx_chain_param(ch, slot, c->arg & 0xFFFFu, c->value);
		return true;
	case FL_CMD_FX_BYPASS:
		if (ch)
			fl_fx_chain_bypass(ch, slot, c->value != 0.0f);
		return true;
	case FL_CMD_SEND:
		if (c->track < e->n_tracks && c->arg < FL_BUSES && isfinite(c->value)) {
			struct fl_track *tr = &e->tracks[c->track];
			float s[FL_BUSES] = {tr->send_target[0], tr->send_target[1]};
			s[c->arg] = c->value;
			fl_track_set_sends(tr, s, tr->input_fx);
		}
		return true;
	case FL_CMD_TRACK_INPUT_FX:
		if (c->track < e->n_tracks)
			e->tracks[c->track].input_fx = c->arg != 0;
		return true;
	case FL_CMD_LIMITER:
		limiter_param(e, c->arg, c->value);
		return true;
	case FL_CMD_PANIC:
		panic(e, c->arg != 0, t);
		return true;
	default:
		return false;
	}
}

void
fl_effects_input(struct fl_engine *e, const float *in_l, const float *in_r, uint32_t n, uint64_t t)
{
	memcpy(e->wet[0], in_l, n * sizeof *in_l);
	memcpy(e->wet[1], in_r, n * sizeof *in_r);
	if (e->input_chain.active) {
		struct fl_fx *done[FL_FX_SLOTS + 1];
		fl_fx_chain_process(&e->input_chain, e->wet[0], e->wet[1], n, done);
		for (uint32_t i = 0; done[i]; i++)
			fl_engine_release(e, done[i], FL_CMD_FX_SLOT, t);
	}
	for (uint32_t i = 0; i < n; i++) {
		float *h = e->history_fx + 2 * ((t + i) & e->history_mask);
		h[0] = e->wet[0][i];
		h[1] = e->wet[1][i];
	}
}

static void
run_chain(struct fl_engine *e, struct fl_fx_chain *ch, float *l, float *r, uint32_t n, uint64_t t)
{
	if (!ch->active)
		return;
	struct fl_fx *done[FL_FX_SLOTS + 1];
	fl_fx_chain_process(ch, l, r, n, done);
	for (uint32_t i = 0; done[i]; i++)
		fl_engine_release(e, done[i], FL_CMD_FX_SLOT, t);
}

/* Buses into the mix, master inserts, level, limiter, panic; l/r hold the
 * track mix plus the monitor on entry and the output on return. */
void
fl_effects_master(struct fl_engine *e, float *l, float *r, uint32_t n, uint64_t t)
{
	for (uint32_t b = 0; b < FL_BUSES; b++) {
		run_chain(e, &e->bus_chain[b], e->bus[b][0], e->bus[b][1], n, t);
		for (uint32_t i = 0; i < n; i++) {
			l[i] += e->bus[b][0][i];
			r[i] += e->bus[b][1][i];
		}
	}
	run_chain(e, &e->master_chain, l, r, n, t);
	for (uint32_t i = 0; i < n; i++) {
		float m = fl_smooth_next(&e->master);
		l[i] *= m;
		r[i] *= m;
	}
	if (e->limiter)
		fl_limiter_process(e->limiter, l, r, l, r, n);
	if (!fl_ramp_done(&e->panic_gain) || e->panic_gain.to != 1.0f) {
		for (uint32_t i = 0; i < n; i++) {
			float g = fl_ramp_next(&e->panic_gain);
			l[i] *= g;
			r[i] *= g;
		}
		if (e->panic_pending && fl_ramp_done(&e->panic_gain)) {
			/* Silent now: stop the tracks (their loops stay). */
			struct fl_cmd stop = {.type = FL_CMD_STOP};
			for (uint32_t k = 0; k < e->n_tracks && k < 64; k++)
				if (e->panic_stopped & (1ull << k))
					fl_track_command(&e->tracks[k], e, &stop, t + n);
			e->panic_pending = false;
		}
	}
}

void
fl_effects_publish(struct fl_engine *e)
{
	if (e->limiter) {
		float gr = fl_limiter_read_gain_reduction_db(e->limiter);
		e->gr_db = gr < e->gr_db * 0.9f ? gr : e->gr_db * 0.9f;
	}
	atomic_store_explicit(&e->pub.gr_db, e->gr_db, memory_order_relaxed);
	atomic_store_explicit(&e->pub.out_latency, e->out_latency, memory_order_relaxed);
	atomic_store_explicit(&e->pub.panic, e->panic, memory_order_relaxed);
	for (int c = 0; c < FL_CHANNELS; c++)
		atomic_store_explicit(&e->pub.master_rms[c], (float)sqrt(e->master_ms[c]),
		                      memory_order_relaxed);
}
