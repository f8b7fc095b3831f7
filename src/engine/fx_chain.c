/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "engine/fx_chain.h"

#include "engine/engine_internal.h"

#include <string.h>

void
fl_fx_chain_swap(struct fl_fx_chain *c, uint32_t s, struct fl_fx *fx, uint32_t fade_frames,
                 struct fl_fx *freed[2])
{
	struct fl_fx_slot *sl = &c->slot[s];
	/* A swap inside a running fade drops the oldest at once. */
	freed[0] = sl->old;
	freed[1] = NULL;
	sl->old = sl->fx;
	sl->fx = fx;
	if (fade_frames == 0) {
		freed[1] = sl->old;
		sl->old = NULL;
		fl_ramp_set(&sl->xf, 1.0f);
	} else {
		/* old (or the dry signal) out, fx (or the dry signal) in. */
		fl_ramp_set(&sl->xf, 0.0f);
		fl_ramp_start(&sl->xf, 1.0f, fade_frames);
	}
	c->active = 0;
	for (uint32_t i = 0; i < FL_FX_SLOTS; i++)
		c->active += c->slot[i].fx || c->slot[i].old || !fl_ramp_done(&c->slot[i].xf);
}

/* One slot in place. During a fade: out = old(x) (1 - g) + new(x) g with a
 * raised-cosine g (an empty side passes x through). */
static bool
slot_process(struct fl_fx_slot *sl, float *l, float *r, uint32_t n)
{
	if (fl_ramp_done(&sl->xf)) {
		if (sl->fx)
			fl_fx_process(sl->fx, l, r, l, r, n);
		return false;
	}
	float al[FL_SEG_MAX], ar[FL_SEG_MAX], bl[FL_SEG_MAX], br[FL_SEG_MAX];
	memcpy(al, l, n * sizeof *l);
	memcpy(ar, r, n * sizeof *r);
	memcpy(bl, l, n * sizeof *l);
	memcpy(br, r, n * sizeof *r);
	if (sl->old)
		fl_fx_process(sl->old, al, ar, al, ar, n);
	if (sl->fx)
		fl_fx_process(sl->fx, bl, br, bl, br, n);
	for (uint32_t i = 0; i < n; i++) {
		float g = fl_ramp_next(&sl->xf);
		l[i] = al[i] + (bl[i] - al[i]) * g;
		r[i] = ar[i] + (br[i] - ar[i]) * g;
	}
	return fl_ramp_done(&sl->xf);
}

void
fl_fx_chain_process(struct fl_fx_chain *c, float *l, float *r, uint32_t n,
                    struct fl_fx *done[FL_FX_SLOTS + 1])
{
	uint32_t k = 0;
	for (uint32_t s = 0; s < FL_FX_SLOTS && c->active; s++) {
		struct fl_fx_slot *sl = &c->slot[s];
		if (!sl->fx && !sl->old && fl_ramp_done(&sl->xf))
			continue;
		if (slot_process(sl, l, r, n)) {
			if (sl->old)
				done[k++] = sl->old;
			sl->old = NULL;
			if (!sl->fx)
				c->active--;
		}
	}
	done[k] = NULL;
}

void
fl_fx_chain_param(struct fl_fx_chain *c, uint32_t s, uint32_t param, float value)
{
	if (s < FL_FX_SLOTS && c->slot[s].fx)
		fl_fx_set_param(c->slot[s].fx, param, value);
}

void
fl_fx_chain_bypass(struct fl_fx_chain *c, uint32_t s, bool bypass)
{
	if (s < FL_FX_SLOTS && c->slot[s].fx)
		fl_fx_set_bypass(c->slot[s].fx, bypass);
}

void
fl_fx_chain_tempo(struct fl_fx_chain *c, uint64_t cycle_frames, uint32_t beats)
{
	for (uint32_t s = 0; s < FL_FX_SLOTS; s++)
		if (c->slot[s].fx)
			fl_fx_set_tempo(c->slot[s].fx, cycle_frames, beats);
}

float
fl_fx_chain_meter(struct fl_fx_chain *c)
{
	float db = 0.0f;
	for (uint32_t s = 0; s < FL_FX_SLOTS; s++) {
		if (!c->slot[s].fx)
			continue;
		float m = fl_fx_read_meter(c->slot[s].fx);
		db = m < db ? m : db;
	}
	return db;
}

void
fl_fx_chain_free(struct fl_fx_chain *c)
{
	for (uint32_t s = 0; s < FL_FX_SLOTS; s++) {
		fl_fx_free(c->slot[s].fx);
		fl_fx_free(c->slot[s].old);
		c->slot[s].fx = c->slot[s].old = NULL;
	}
	c->active = 0;
}
