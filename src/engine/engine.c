/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The process function: the real-time heart of footloop.
 *
 * fl_engine_process() cuts the period into segments at every frame where
 * something is due: a queued command's frame, a track's boundary (armed
 * record start, quantized close, seam, deferred overdub) and at most
 * FL_SEG_MAX frames. At each segment start it applies what is due, then
 * renders the segment: input into the history ring, tracks (recording copy,
 * copy-on-write sweep, playback, overdub), monitor, master. Because every
 * change happens at an absolute frame and per-frame state (ramps,
 * smoothers) advances one frame at a time, the output is bit-identical for
 * any period size. Nothing here allocates, locks, logs or waits; every loop
 * is bounded by the period, FL_SEG_MAX, the queue size or FL_HISTORY_MAX. */
#include "engine/clock.h"
#include "engine/engine_internal.h"

#include <string.h>

void
fl_engine_emit(struct fl_engine *e, uint16_t type, uint16_t track, uint32_t arg, uint64_t frame)
{
	struct fl_event ev = {.type = type, .track = track, .arg = arg, .frame = frame, .ptr = NULL};
	if (!fl_spsc_push(&e->events, &ev))
		e->events_dropped++;
}

void
fl_engine_release(struct fl_engine *e, void *ptr, uint16_t cmd_type, uint64_t t)
{
	if (!ptr)
		return;
	struct fl_event ev = {.type = FL_EV_RELEASE, .arg = cmd_type, .frame = t, .ptr = ptr};
	if (!fl_spsc_push(&e->events, &ev))
		e->events_dropped++; /* the control thread leaks it rather than crash */
}

/* The first loop defines the cycle; it lives while any track holds a loop. */
void
fl_engine_update_cycle(struct fl_engine *e)
{
	uint64_t old = e->cycle;
	bool any = false;
	for (uint32_t i = 0; i < e->n_tracks; i++) {
		const struct fl_track *tr = &e->tracks[i];
		if (!fl_track_has_loop(tr) && !tr->rec_active && tr->state != FL_TRACK_ARMED)
			continue;
		any = true;
		if (e->cycle == 0 && fl_track_has_loop(tr)) {
			e->cycle = tr->hist[tr->cur].len;
			e->cycle_origin = tr->hist[tr->cur].origin;
		}
	}
	if (!any)
		e->cycle = 0;
	if (e->cycle != old) {
		fl_engine_emit(e, FL_EV_CYCLE, 0, 0, e->cycle);
		fl_effects_tempo(e);
	}
}

static void
set_rate(struct fl_engine *e, uint32_t rate)
{
	e->cfg.sample_rate = rate;
	float r = (float)rate;
	e->fade_frames = (uint32_t)(e->cfg.fade_ms * 0.001f * r + 0.5f);
	e->seam_frames = (uint32_t)(e->cfg.seam_ms * 0.001f * r + 0.5f);
	e->late_frames = (uint64_t)(e->cfg.late_window_ms * 0.001f * r + 0.5f);
	uint64_t hist = e->history_mask + 1;
	if (e->limiter && (float)rate != e->limiter->rate) {
		float ceiling = e->limiter->ceiling_db, rel = e->limiter->release_ms;
		float hold = e->limiter->hold_ms;
		if (fl_limiter_init(e->limiter, r, 1.0f) == FL_OK) {
			fl_limiter_set_ceiling_db(e->limiter, ceiling);
			fl_limiter_set_release_ms(e->limiter, rel);
			fl_limiter_set_hold_ms(e->limiter, hold);
			fl_limiter_reset(e->limiter); /* at the settings now, no glide */
		}
	}
	e->out_latency = e->limiter ? fl_limiter_latency_frames(e->limiter) : 0;
	e->rt_latency = e->latency + e->out_latency;
	/* The late window plus the latency must fit in the history ring. */
	/* A press up to late_frames back, counted on a boundary up to
	 * late_frames before it, plus the latency, must fit in the history. */
	if (2 * e->late_frames + e->rt_latency + FL_SEG_MAX * 2u > hist)
		e->late_frames = hist > e->rt_latency + FL_SEG_MAX * 2u
		                         ? (hist - e->rt_latency - FL_SEG_MAX * 2u) / 2
		                         : 0;
	e->min_loop_frames = e->late_frames + e->rt_latency + e->seam_frames + 2u * FL_SEG_MAX;
	fl_smooth_init(&e->master, e->master.target, e->cfg.smooth_ms, r);
	fl_smooth_init(&e->monitor_gain, e->monitor_gain.target, e->cfg.smooth_ms, r);
	for (uint32_t i = 0; i < e->n_tracks; i++)
		fl_track_set_rate(&e->tracks[i], e);
}

void
fl_engine_apply_rate(struct fl_engine *e, uint32_t rate)
{
	set_rate(e, rate);
}

static float
clamp_gain(float v)
{
	return !(v > 0.0f) ? 0.0f : v > 2.0f ? 2.0f : v;
}

static void
apply_global(struct fl_engine *e, const struct fl_cmd *c, uint64_t t)
{
	struct fl_cmd each = *c;
	switch (c->type) {
	case FL_CMD_MASTER_LEVEL:
		fl_smooth_set(&e->master, clamp_gain(c->value));
		break;
	case FL_CMD_MONITOR_LEVEL:
		e->monitor_level = clamp_gain(c->value);
		fl_smooth_set(&e->monitor_gain, e->monitor ? e->monitor_level : 0.0f);
		break;
	case FL_CMD_MONITOR:
		e->monitor = c->arg != 0;
		fl_smooth_set(&e->monitor_gain, e->monitor ? e->monitor_level : 0.0f);
		break;
	case FL_CMD_SET_LATENCY:
		e->latency = c->arg > (e->history_mask + 1) / 2 ? (uint32_t)((e->history_mask + 1) / 2)
		                                                 : c->arg;
		set_rate(e, e->cfg.sample_rate);
		break;
	case FL_CMD_SET_RATE:
		if (c->arg > 0)
			set_rate(e, c->arg);
		break;
	case FL_CMD_STOP_ALL:
	case FL_CMD_PLAY_ALL:
		each.type = c->type == FL_CMD_STOP_ALL ? FL_CMD_STOP : FL_CMD_PLAY;
		for (uint32_t i = 0; i < e->n_tracks; i++)
			if (fl_track_has_loop(&e->tracks[i]))
				fl_track_command(&e->tracks[i], e, &each, t);
		break;
	default:
		break;
	}
}

/* Applies every command due at t. Bounded by the queue capacity. Returns the
 * frame of the next queued command (UINT64_MAX: none). */
static uint64_t
apply_due(struct fl_engine *e, uint64_t t)
{
	struct fl_cmd c;
	for (uint32_t budget = e->cmds.mask + 1; budget > 0 && fl_spsc_peek(&e->cmds, &c); budget--) {
		if (c.frame > t)
			return c.frame;
		fl_spsc_pop(&e->cmds, &c);
		/* Journal before applying: the pointer's contents are still there. */
		fl_persist_journal_cmd(e, &c, t);
		if (c.type >= FL_CMD_RECORD && c.type <= FL_CMD_TRACK_QUANTIZE) {
			if (c.track < e->n_tracks)
				fl_track_command(&e->tracks[c.track], e, &c, t);
		} else if (!fl_persist_command(e, &c, t) && !fl_effects_command(e, &c, t)) {
			apply_global(e, &c, t);
		}
	}
	return UINT64_MAX;
}

static void
render_segment(struct fl_engine *e, uint64_t t, uint32_t n, const float *in_l, const float *in_r,
               float *out_l, float *out_r)
{
	float *mix_l = e->scratch[0], *mix_r = e->scratch[1];
	bool any_solo = false;
	for (uint32_t i = 0; i < n; i++) {
		float *h = e->history + 2 * ((t + i) & e->history_mask);
		h[0] = in_l[i];
		h[1] = in_r[i];
	}
	fl_effects_input(e, in_l, in_r, n, t);
	const float *in[4] = {in_l, in_r, e->wet[0], e->wet[1]};
	memset(mix_l, 0, n * sizeof *mix_l);
	memset(mix_r, 0, n * sizeof *mix_r);
	for (uint32_t b = 0; b < FL_BUSES; b++)
		for (uint32_t c = 0; c < FL_CHANNELS; c++)
			memset(e->bus[b][c], 0, n * sizeof(float));
	for (uint32_t k = 0; k < e->n_tracks; k++)
		any_solo |= e->tracks[k].solo;
	for (uint32_t k = 0; k < e->n_tracks; k++) {
		if (!e->stems) {
			fl_track_render(&e->tracks[k], e, t, n, in, any_solo, mix_l, mix_r);
			continue;
		}
		/* Stems wanted: render each track alone, then add it to the mix. */
		float *sl = e->stems + (size_t)k * 2 * FL_SEG_MAX, *sr = sl + FL_SEG_MAX;
		memset(sl, 0, 2 * FL_SEG_MAX * sizeof *sl);
		fl_track_render(&e->tracks[k], e, t, n, in, any_solo, sl, sr);
		for (uint32_t i = 0; i < n; i++) {
			mix_l[i] += sl[i];
			mix_r[i] += sr[i];
		}
	}
	float pk_il = e->in_peak[0], pk_ir = e->in_peak[1];
	for (uint32_t i = 0; i < n; i++) {
		float mon = fl_smooth_next(&e->monitor_gain);
		mix_l[i] += mon * e->wet[0][i];
		mix_r[i] += mon * e->wet[1][i];
		pk_il = fabsf(in_l[i]) > pk_il ? fabsf(in_l[i]) : pk_il;
		pk_ir = fabsf(in_r[i]) > pk_ir ? fabsf(in_r[i]) : pk_ir;
	}
	fl_effects_master(e, mix_l, mix_r, n, t);
	memcpy(out_l, mix_l, n * sizeof *out_l);
	memcpy(out_r, mix_r, n * sizeof *out_r);
	double ms_l = fl_meter_block(mix_l, n, &e->out_peak[0]);
	double ms_r = fl_meter_block(mix_r, n, &e->out_peak[1]);
	/* RMS meter: mean square with a ~50 ms time constant (display only). */
	double a = (double)n / (0.05 * e->cfg.sample_rate);
	a = a > 1.0 ? 1.0 : a;
	e->master_ms[0] += a * (ms_l / n - e->master_ms[0]);
	e->master_ms[1] += a * (ms_r / n - e->master_ms[1]);
	e->in_peak[0] = pk_il;
	e->in_peak[1] = pk_ir;
}

static void
publish(struct fl_engine *e)
{
	struct fl_engine_pub *p = &e->pub;
	atomic_store_explicit(&p->frame, e->frame, memory_order_relaxed);
	atomic_store_explicit(&p->cycle, e->cycle, memory_order_relaxed);
	atomic_store_explicit(&p->cycle_origin, e->cycle_origin, memory_order_relaxed);
	atomic_store_explicit(&p->latency, e->latency, memory_order_relaxed);
	atomic_store_explicit(&p->rate, e->cfg.sample_rate, memory_order_relaxed);
	atomic_store_explicit(&p->master_level, e->master.target, memory_order_relaxed);
	atomic_store_explicit(&p->monitor_level, e->monitor_level, memory_order_relaxed);
	atomic_store_explicit(&p->monitor, e->monitor, memory_order_relaxed);
	atomic_store_explicit(&p->events_dropped, e->events_dropped, memory_order_relaxed);
	for (int c = 0; c < FL_CHANNELS; c++) {
		atomic_store_explicit(&p->input_peak[c], e->in_peak[c], memory_order_relaxed);
		atomic_store_explicit(&p->master_peak[c], e->out_peak[c], memory_order_relaxed);
		e->in_peak[c] *= 0.9f;
		e->out_peak[c] *= 0.9f;
	}
	for (uint32_t k = 0; k < e->n_tracks; k++)
		fl_track_publish(&e->tracks[k], e, e->frame);
	fl_effects_publish(e);
}

void
fl_engine_process(struct fl_engine *e, const struct fl_engine_io *io, uint32_t nframes)
{
	static const float zeros[FL_SEG_MAX];
	uint32_t done = 0;
	while (done < nframes) {
		uint64_t t = e->frame;
		uint64_t next = apply_due(e, t);
		uint64_t seg = nframes - done;
		if (seg > FL_SEG_MAX)
			seg = FL_SEG_MAX;
		for (uint32_t k = 0; k < e->n_tracks; k++) {
			fl_track_tick(&e->tracks[k], e, t);
			uint64_t ev = fl_track_next_event(&e->tracks[k], e, t);
			if (ev < next)
				next = ev;
		}
		if (next > t && next - t < seg)
			seg = next - t;
		uint32_t n = (uint32_t)seg;
		const float *in_l = io->in[0] ? io->in[0] + done : zeros;
		const float *in_r = io->in[1] ? io->in[1] + done : zeros;
		render_segment(e, t, n, in_l, in_r, io->out[0] + done, io->out[1] + done);
		if (e->n_taps)
			fl_persist_after_segment(e, t, n, in_l, in_r, io->out[0] + done,
			                         io->out[1] + done);
		e->frame += n;
		done += n;
	}
	if (nframes == 0) {
		/* Applies due commands without advancing the clock (restore). */
		apply_due(e, e->frame);
		for (uint32_t k = 0; k < e->n_tracks; k++)
			fl_track_tick(&e->tracks[k], e, e->frame);
	}
	fl_persist_publish(e);
	publish(e);
}
