/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rendering a track (process thread): reading the audible layer (with the
 * undo/redo crossfade), the gains (play/stop, mute, solo ramps; level and
 * pan smoothing), the insert chain, post-fader sends, meters, and the
 * overdub writes. Settled gains take constant fast paths whose arithmetic
 * is the same as the per-frame path, so output never depends on the block
 * size. */
#include "engine/clock.h"
#include "engine/engine_internal.h"
#include "engine/history.h"
#include "engine/track.h"

#include <math.h>
#include <string.h>

/* ---- rendering ----------------------------------------------------------- */

/* Per-frame gain of the track (play * mute * solo * level) into g, and the
 * pan gains into gl, gr. Settled gains take the constant fast path, so a
 * track at unity stays bit-exact. */
static bool
render_gains(struct fl_track *tr, uint32_t n, float *g, float *gl, float *gr)
{
	bool settled = fl_ramp_done(&tr->play_gain) && fl_ramp_done(&tr->mute_gain) &&
	               fl_ramp_done(&tr->solo_gain) && fl_smooth_settled(&tr->level) &&
	               fl_smooth_settled(&tr->pan_l) && fl_smooth_settled(&tr->pan_r);
	if (settled) {
		float k = tr->play_gain.to * tr->mute_gain.to * tr->solo_gain.to * tr->level.current;
		for (uint32_t i = 0; i < n; i++) {
			g[i] = k;
			gl[i] = tr->pan_l.current;
			gr[i] = tr->pan_r.current;
		}
		return k != 0.0f;
	}
	for (uint32_t i = 0; i < n; i++) {
		g[i] = fl_ramp_next(&tr->play_gain) * fl_ramp_next(&tr->mute_gain) *
		       fl_ramp_next(&tr->solo_gain) * fl_smooth_next(&tr->level);
		gl[i] = fl_smooth_next(&tr->pan_l);
		gr[i] = fl_smooth_next(&tr->pan_r);
	}
	return true;
}

static void
render_read(struct fl_track *tr, const struct fl_engine *e, uint64_t t, uint32_t n, const float *g,
            const float *gl, const float *gr, float *out_l, float *out_r)
{
	(void)e;
	const struct fl_layer *ly = &tr->hist[tr->play_layer];
	uint64_t len = ly->len, p = fl_clock_position(ly->origin, len, t);
	float pk_l = tr->peak[0], pk_r = tr->peak[1];
	if (tr->xf_layer < 0) {
		uint32_t i = 0;
		while (i < n) {
			/* Contiguous runs: up to the loop end, the ring end, and (while
			 * a copy-on-write sweep runs) one frame at a time. */
			uint64_t run = n - i;
			if (run > len - p)
				run = len - p;
			const struct fl_layer *src = ly;
			if (ly->src >= 0) {
				run = 1;
				if (!fl_layer_copied(ly, p))
					src = &tr->hist[ly->src];
			}
			uint64_t a = fl_layer_addr(tr, src, p);
			if (run > tr->cap - a)
				run = tr->cap - a;
			const float *s = tr->mem + 2 * a;
			for (uint32_t j = 0; j < (uint32_t)run; j++, i++) {
				float l = s[2 * j] * g[i] * gl[i], r = s[2 * j + 1] * g[i] * gr[i];
				out_l[i] += l;
				out_r[i] += r;
				pk_l = fabsf(l) > pk_l ? fabsf(l) : pk_l;
				pk_r = fabsf(r) > pk_r ? fabsf(r) : pk_r;
			}
			p += run;
			if (p == len)
				p = 0;
		}
	} else {
		const struct fl_layer *old = &tr->hist[tr->xf_layer];
		uint64_t olen = old->len, op = fl_clock_position(old->origin, olen, t);
		for (uint32_t i = 0; i < n; i++) {
			float x = fl_ramp_next(&tr->xf);
			/* Exact ends: cosf(pi/2) is not 0 in float. */
			float gin = x >= 1.0f ? 1.0f : sinf(0.5f * FL_PI_F * x);
			float gout = x >= 1.0f ? 0.0f : cosf(0.5f * FL_PI_F * x);
			const float *s = fl_layer_read(tr, (uint32_t)tr->play_layer, p);
			const float *o = fl_layer_read(tr, (uint32_t)tr->xf_layer, op);
			float l = (s[0] * gin + o[0] * gout) * g[i] * gl[i];
			float r = (s[1] * gin + o[1] * gout) * g[i] * gr[i];
			out_l[i] += l;
			out_r[i] += r;
			pk_l = fabsf(l) > pk_l ? fabsf(l) : pk_l;
			pk_r = fabsf(r) > pk_r ? fabsf(r) : pk_r;
			if (++p == len)
				p = 0;
			if (++op == olen)
				op = 0;
		}
		if (fl_ramp_done(&tr->xf))
			tr->xf_layer = -1;
	}
	tr->peak[0] = pk_l;
	tr->peak[1] = pk_r;
}

/* Overdub punch: buf[p(t - R)] += w(t) in(t), w a raised-cosine ramp. */
static void
render_dub(struct fl_track *tr, const struct fl_engine *e, uint64_t t, uint32_t n,
           const float *in_l, const float *in_r)
{
	if (!tr->dubbing && fl_ramp_done(&tr->dub) && tr->dub.to == 0.0f)
		return;
	const struct fl_layer *ly = &tr->hist[tr->cur];
	uint64_t len = ly->len, q = fl_clock_position(ly->origin + e->rt_latency, len, t);
	for (uint32_t i = 0; i < n; i++) {
		float w = fl_ramp_next(&tr->dub);
		if (w != 0.0f) {
			float *d = tr->mem + 2 * fl_layer_addr(tr, ly, q);
			d[0] += w * in_l[i];
			d[1] += w * in_r[i];
		}
		if (++q == len)
			q = 0;
	}
}

/* Gains split around the insert chain: g_pre = play ramp (so stopping lets
 * the inserts' tails ring out), g_post = mute * solo * level. */
static void
render_split_gains(struct fl_track *tr, uint32_t n, float *pre, float *post, float *gl, float *gr)
{
	if (fl_ramp_done(&tr->play_gain) && fl_ramp_done(&tr->mute_gain) &&
	    fl_ramp_done(&tr->solo_gain) && fl_smooth_settled(&tr->level) &&
	    fl_smooth_settled(&tr->pan_l) && fl_smooth_settled(&tr->pan_r)) {
		/* The same products as the per-frame path below, computed once. */
		float a = tr->play_gain.to;
		float b = tr->mute_gain.to * tr->solo_gain.to * tr->level.current;
		for (uint32_t i = 0; i < n; i++) {
			pre[i] = a;
			post[i] = b;
			gl[i] = tr->pan_l.current;
			gr[i] = tr->pan_r.current;
		}
		return;
	}
	for (uint32_t i = 0; i < n; i++) {
		pre[i] = fl_ramp_next(&tr->play_gain);
		post[i] = fl_ramp_next(&tr->mute_gain) * fl_ramp_next(&tr->solo_gain) *
		          fl_smooth_next(&tr->level);
		gl[i] = fl_smooth_next(&tr->pan_l);
		gr[i] = fl_smooth_next(&tr->pan_r);
	}
}

/* Track output into tl/tr (zeroed): the loop through the chain, after the
 * fader and pan. Returns false when the track is silent this segment. */
/* gcc 12 cannot see that render_gains fills n entries before render_read
 * reads n entries. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
static bool
render_voice(struct fl_track *tr, struct fl_engine *e, uint64_t t, uint32_t n, bool any_solo,
             float *tl, float *trr)
{
	float g[FL_SEG_MAX], gl[FL_SEG_MAX], gr[FL_SEG_MAX];
	float solo = (!any_solo || tr->solo) ? 1.0f : 0.0f;
	if (tr->solo_gain.to != solo)
		fl_ramp_start(&tr->solo_gain, solo, e->fade_frames);
	bool heard = tr->play_layer >= 0 && tr->hist[tr->play_layer].len > 0;
	if (!tr->chain.active) {
		if (heard && render_gains(tr, n, g, gl, gr)) {
			render_read(tr, e, t, n, g, gl, gr, tl, trr);
			return true;
		}
		if (heard) {
			fl_ramp_set(&tr->xf, 1.0f);
			tr->xf_layer = -1;
		}
		return false;
	}
	float post[FL_SEG_MAX], ones[FL_SEG_MAX];
	render_split_gains(tr, n, g, post, gl, gr);
	if (heard) {
		for (uint32_t i = 0; i < n; i++)
			ones[i] = 1.0f;
		render_read(tr, e, t, n, g, ones, ones, tl, trr);
	}
	struct fl_fx *done[FL_FX_SLOTS + 1];
	fl_fx_chain_process(&tr->chain, tl, trr, n, done);
	for (uint32_t i = 0; done[i]; i++)
		fl_engine_release(e, done[i], FL_CMD_FX_SLOT, t);
	for (uint32_t i = 0; i < n; i++) {
		tl[i] *= post[i] * gl[i];
		trr[i] *= post[i] * gr[i];
	}
	return true;
}
#pragma GCC diagnostic pop

void
fl_track_render(struct fl_track *tr, struct fl_engine *e, uint64_t t, uint32_t n,
                const float *const in[4], bool any_solo, float *out_l, float *out_r)
{
	float tl[FL_SEG_MAX], trr[FL_SEG_MAX];
	if (tr->rec_active && tr->rec_layer >= 0)
		fl_track_record_copy(tr, e, t + n);
	if (tr->hist[tr->cur].src >= 0)
		fl_history_sweep(tr, tr->cur, (uint64_t)n * FL_COPY_SPEED);
	memset(tl, 0, n * sizeof *tl);
	memset(trr, 0, n * sizeof *trr);
	bool sound = render_voice(tr, e, t, n, any_solo, tl, trr);
	if (fl_ramp_done(&tr->play_gain) && tr->play_gain.to == 0.0f &&
	    tr->play_layer != (int32_t)tr->cur && tr->state == FL_TRACK_EMPTY)
		tr->play_layer = -1;
	float ms_l = 0.0f, ms_r = 0.0f; /* one segment's sum: float is plenty for a meter */
	if (sound) {
		for (uint32_t i = 0; i < n; i++) {
			out_l[i] += tl[i];
			out_r[i] += trr[i];
		}
		ms_l = fl_meter_block(tl, n, &tr->peak[0]);
		ms_r = fl_meter_block(trr, n, &tr->peak[1]);
		/* Post-fader sends. */
		for (uint32_t b = 0; b < FL_BUSES; b++) {
			struct fl_smooth *sg = &tr->send[b];
			float *bl = e->bus[b][0], *br = e->bus[b][1];
			if (fl_smooth_settled(sg)) {
				float s = sg->current;
				if (s == 0.0f)
					continue;
				for (uint32_t i = 0; i < n; i++) {
					bl[i] += tl[i] * s;
					br[i] += trr[i] * s;
				}
				continue;
			}
			for (uint32_t i = 0; i < n; i++) {
				float s = fl_smooth_next(sg);
				bl[i] += tl[i] * s;
				br[i] += trr[i] * s;
			}
		}
	}
	double a = (double)n / (0.05 * e->cfg.sample_rate);
	a = a > 1.0 ? 1.0 : a;
	tr->ms[0] += a * ((double)ms_l / n - tr->ms[0]);
	tr->ms[1] += a * ((double)ms_r / n - tr->ms[1]);
	if (tr->state == FL_TRACK_OVERDUBBING || !fl_ramp_done(&tr->dub))
		render_dub(tr, e, t, n, tr->input_fx ? in[2] : in[0], tr->input_fx ? in[3] : in[1]);
}

