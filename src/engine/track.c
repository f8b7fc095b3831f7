/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One loop track: its state machine and its rendering (process thread).
 *
 * Timing. The engine has one 64-bit frame clock t. A layer plays loop
 * position (t - origin) mod len at output frame t, so no position is ever
 * accumulated and loops cannot drift. The input that arrives at frame t was
 * played by a musician who heard output frame t - R (R = capture + playback
 * latency), so it belongs at loop position p(t - R): a record started at
 * boundary B stores c[i] = in(B + R + i), copied out of the engine's input
 * history ring (which also lets a press up to late_frames after a boundary
 * start the loop on that boundary), and an overdub writes in(t) at p(t - R).
 *
 * Click-free by construction: play/stop, mute, solo and punch-in/out are
 * raised-cosine ramps of fade_frames; undo/redo crossfade the two layers
 * with the C1 equal-power pair; a new loop fades in on its first pass and,
 * seam_frames after the close plus R, the head is crossfaded with the
 * post-roll (the natural continuation of the end), so later passes cross
 * the seam without a step (dsp-sync-reference.md 5, rules 2-6). */
#include "engine/clock.h"
#include "engine/engine_internal.h"
#include "engine/history.h"
#include "engine/track.h"

#include <string.h>

#define FLAG_MUTED 1u
#define FLAG_SOLO 2u
#define FLAG_CLOSING 4u

void
fl_track_init(struct fl_track *tr, uint32_t index, float *mem, uint64_t cap,
              const struct fl_engine *e)
{
	memset(tr, 0, sizeof *tr);
	tr->index = index;
	tr->mem = mem;
	tr->cap = cap;
	fl_history_reset(tr);
	tr->state = FL_TRACK_EMPTY;
	tr->quantize = e->cfg.quantize;
	tr->rec_layer = -1;
	tr->rec_prev = -1;
	tr->play_layer = -1;
	tr->xf_layer = -1;
	tr->rec_end = UINT64_MAX;
	fl_ramp_set(&tr->play_gain, 0.0f);
	fl_ramp_set(&tr->mute_gain, 1.0f);
	fl_ramp_set(&tr->solo_gain, 1.0f);
	fl_ramp_set(&tr->xf, 1.0f);
	fl_ramp_set(&tr->dub, 0.0f);
	tr->level_target = 1.0f;
	tr->pinned = -1;
	fl_track_set_rate(tr, e);
}

void
fl_track_set_rate(struct fl_track *tr, const struct fl_engine *e)
{
	float rate = (float)e->cfg.sample_rate;
	float gl, gr;
	fl_pan_gains(tr->pan_target, &gl, &gr);
	fl_smooth_init(&tr->level, tr->level_target, e->cfg.smooth_ms, rate);
	fl_smooth_init(&tr->pan_l, gl, e->cfg.smooth_ms, rate);
	fl_smooth_init(&tr->pan_r, gr, e->cfg.smooth_ms, rate);
	for (uint32_t b = 0; b < FL_BUSES; b++)
		fl_smooth_init(&tr->send[b], tr->send_target[b], e->cfg.smooth_ms, rate);
}

void
fl_track_set_sends(struct fl_track *tr, const float send[FL_BUSES], bool input_fx)
{
	for (uint32_t b = 0; b < FL_BUSES; b++) {
		float v = send[b] > 0.0f ? (send[b] < 2.0f ? send[b] : 2.0f) : 0.0f;
		tr->send_target[b] = v;
		fl_smooth_set(&tr->send[b], v);
	}
	tr->input_fx = input_fx;
}

bool
fl_track_has_loop(const struct fl_track *tr)
{
	return tr->hist[tr->cur].len > 0 && tr->state != FL_TRACK_RECORDING &&
	       tr->state != FL_TRACK_ARMED;
}

void
fl_track_notice(struct fl_engine *e, const struct fl_track *tr, enum fl_notice n, uint64_t t)
{
	fl_engine_emit(e, FL_EV_NOTICE, (uint16_t)tr->index, n, t);
}

/* ---- what is heard ---------------------------------------------------- */

void
fl_track_fade_to(struct fl_track *tr, const struct fl_engine *e, float to)
{
	if (tr->play_gain.to != to)
		fl_ramp_start(&tr->play_gain, to, e->fade_frames);
}

/* Makes level idx the audible one: crossfade from the layer heard now, or
 * fade in from silence. */
void
fl_track_hear_layer(struct fl_track *tr, const struct fl_engine *e, int32_t idx)
{
	bool audible = tr->play_layer >= 0 && tr->play_gain.to > 0.0f;
	if (audible && tr->play_layer != idx && e->fade_frames > 0) {
		tr->xf_layer = tr->play_layer;
		tr->play_layer = idx;
		fl_ramp_set(&tr->xf, 0.0f);
		fl_ramp_start(&tr->xf, 1.0f, e->fade_frames);
		return;
	}
	if (tr->play_layer != idx) {
		tr->play_layer = idx;
		fl_ramp_set(&tr->play_gain, 0.0f);
	}
	fl_track_fade_to(tr, e, 1.0f);
}

/* A committed (loaded) level becomes what the track holds. */
void
fl_track_adopt(struct fl_track *tr, struct fl_engine *e, int32_t idx, bool stopped)
{
	fl_track_dub_stop(tr, e);
	tr->cur = (uint32_t)idx;
	if (stopped) {
		tr->state = FL_TRACK_STOPPED;
		fl_track_fade_to(tr, e, 0.0f);
		if (tr->play_layer < 0)
			tr->play_layer = idx;
	} else {
		tr->state = FL_TRACK_PLAYING;
		fl_track_hear_layer(tr, e, idx);
	}
}

/* ---- commands ------------------------------------------------------------ */

static void
undo_redo(struct fl_track *tr, struct fl_engine *e, bool redo, uint64_t t)
{
	if (tr->state == FL_TRACK_ARMED || tr->state == FL_TRACK_RECORDING) {
		if (redo) {
			fl_track_notice(e, tr, FL_NOTICE_NOTHING_TO_REDO, t);
			return;
		}
		fl_track_record_cancel(tr, e); /* undo of a take in progress: drop it */
		fl_engine_update_cycle(e);
		return;
	}
	if (redo ? tr->cur + 1 >= tr->n_hist : tr->cur == 0) {
		fl_track_notice(e, tr, redo ? FL_NOTICE_NOTHING_TO_REDO : FL_NOTICE_NOTHING_TO_UNDO, t);
		return;
	}
	fl_track_dub_stop(tr, e);
	tr->cur = redo ? tr->cur + 1 : tr->cur - 1;
	if (tr->hist[tr->cur].len == 0) {
		tr->state = FL_TRACK_EMPTY;
		fl_track_fade_to(tr, e, 0.0f);
	} else if (tr->state == FL_TRACK_STOPPED) {
		tr->play_layer = (int32_t)tr->cur;
	} else {
		tr->state = FL_TRACK_PLAYING;
		fl_track_hear_layer(tr, e, (int32_t)tr->cur);
	}
	fl_engine_update_cycle(e);
}

static void
clear(struct fl_track *tr, struct fl_engine *e, uint64_t t)
{
	if (tr->state == FL_TRACK_ARMED) {
		fl_track_record_cancel(tr, e);
	} else if (tr->state == FL_TRACK_RECORDING) {
		/* Keep the take as an undo level: close it where it is. */
		bool q = tr->quantize;
		tr->quantize = FL_QUANTIZE_OFF;
		fl_track_record_close(tr, e, t);
		tr->quantize = q;
		tr->stop_after_close = true;
		fl_track_record_finish(tr, e, t);
	}
	if (tr->hist[tr->cur].len == 0 && tr->state == FL_TRACK_EMPTY)
		return;
	bool dropped = false;
	fl_track_dub_stop(tr, e);
	if (fl_history_push(tr, &dropped) < 0) {
		fl_track_notice(e, tr, FL_NOTICE_MEMORY_FULL, t);
		return;
	}
	if (dropped)
		fl_track_notice(e, tr, FL_NOTICE_HISTORY_DROPPED, t);
	tr->state = FL_TRACK_EMPTY;
	fl_track_fade_to(tr, e, 0.0f);
	fl_engine_update_cycle(e);
}

static void
transport(struct fl_track *tr, struct fl_engine *e, uint16_t type, uint64_t t)
{
	enum fl_track_state st = tr->state;
	bool recording = st == FL_TRACK_RECORDING;
	if (st == FL_TRACK_EMPTY || st == FL_TRACK_ARMED) {
		if (st == FL_TRACK_ARMED && type == FL_CMD_STOP)
			fl_track_record_cancel(tr, e);
		else
			fl_track_notice(e, tr, FL_NOTICE_NO_LOOP, t);
		return;
	}
	switch (type) {
	case FL_CMD_OVERDUB:
		if (recording) {
			fl_track_record_close(tr, e, t);
		} else if (st == FL_TRACK_OVERDUBBING) {
			fl_track_dub_stop(tr, e);
			tr->state = FL_TRACK_PLAYING;
		} else if (tr->rec_active) {
			/* The take is not final yet (latency + seam): start then. */
			tr->dub_pending_at = tr->rec_end + tr->rec_latency + e->seam_frames;
			tr->state = FL_TRACK_OVERDUBBING;
			fl_track_fade_to(tr, e, 1.0f);
		} else if (fl_track_dub_start(tr, e, t)) {
			tr->state = FL_TRACK_OVERDUBBING;
			fl_track_fade_to(tr, e, 1.0f);
		}
		break;
	case FL_CMD_PLAY:
		if (recording) {
			fl_track_record_close(tr, e, t);
			break;
		}
		fl_track_dub_stop(tr, e);
		tr->state = FL_TRACK_PLAYING;
		tr->play_layer = (int32_t)tr->cur;
		fl_track_fade_to(tr, e, 1.0f);
		break;
	case FL_CMD_STOP:
		if (recording) {
			fl_track_record_close(tr, e, t);
			tr->stop_after_close = true;
			break;
		}
		fl_track_dub_stop(tr, e);
		tr->state = FL_TRACK_STOPPED;
		fl_track_fade_to(tr, e, 0.0f);
		break;
	default:
		break;
	}
}

/* Operations that would write the loop wait for no lease; a pinned loop is
 * left untouched by construction (new levels), so only leases refuse. */
static bool
refused(struct fl_track *tr, struct fl_engine *e, uint16_t type, uint64_t t)
{
	bool writes = type == FL_CMD_RECORD || type == FL_CMD_OVERDUB || type == FL_CMD_CLEAR ||
	              type == FL_CMD_UNDO || type == FL_CMD_REDO;
	if (!writes || !tr->lease)
		return false;
	fl_track_notice(e, tr, FL_NOTICE_BUSY, t);
	return true;
}

void
fl_track_command(struct fl_track *tr, struct fl_engine *e, const struct fl_cmd *cmd, uint64_t t)
{
	if (refused(tr, e, cmd->type, t))
		return;
	switch (cmd->type) {
	case FL_CMD_RECORD: {
		/* A press stamped in the past (a tap recognised on release, a MIDI
		 * event of the last period) counts from when it happened, up to
		 * the late window back: the history ring still holds that audio. */
		uint64_t press = cmd->frame < t && t - cmd->frame <= e->late_frames ? cmd->frame : t;
		if (press < tr->rec_start && tr->state == FL_TRACK_RECORDING)
			press = t;
		if (tr->state == FL_TRACK_ARMED)
			fl_track_record_cancel(tr, e);
		else if (tr->state == FL_TRACK_RECORDING)
			fl_track_record_close(tr, e, press);
		else if (!tr->rec_active)
			fl_track_record_start(tr, e, t, press);
		break;
	}
	case FL_CMD_OVERDUB:
	case FL_CMD_PLAY:
	case FL_CMD_STOP:
		transport(tr, e, cmd->type, t);
		break;
	case FL_CMD_MUTE:
	case FL_CMD_UNMUTE:
		tr->muted = cmd->type == FL_CMD_MUTE;
		fl_ramp_start(&tr->mute_gain, tr->muted ? 0.0f : 1.0f, e->fade_frames);
		break;
	case FL_CMD_CLEAR:
		clear(tr, e, t);
		break;
	case FL_CMD_UNDO:
	case FL_CMD_REDO:
		undo_redo(tr, e, cmd->type == FL_CMD_REDO, t);
		break;
	case FL_CMD_TRACK_LEVEL:
		tr->level_target = cmd->value < 0.0f ? 0.0f : cmd->value > 2.0f ? 2.0f : cmd->value;
		fl_smooth_set(&tr->level, tr->level_target);
		break;
	case FL_CMD_TRACK_PAN: {
		float gl, gr;
		tr->pan_target = cmd->value < -1.0f ? -1.0f : cmd->value > 1.0f ? 1.0f : cmd->value;
		fl_pan_gains(tr->pan_target, &gl, &gr);
		fl_smooth_set(&tr->pan_l, gl);
		fl_smooth_set(&tr->pan_r, gr);
		break;
	}
	case FL_CMD_TRACK_SOLO:
		tr->solo = cmd->value != 0.0f;
		break;
	case FL_CMD_TRACK_QUANTIZE:
		if (cmd->arg < FL_QUANTIZE__COUNT)
			tr->quantize = cmd->arg;
		break;
	default:
		break;
	}
}

/* ---- timeline ------------------------------------------------------------ */

static uint64_t
fl_track_seam_frame(const struct fl_track *tr, const struct fl_engine *e)
{
	return tr->rec_end + tr->rec_latency + e->seam_frames;
}

uint64_t
fl_track_next_event(const struct fl_track *tr, const struct fl_engine *e, uint64_t t)
{
	uint64_t next = UINT64_MAX;
	uint64_t cand[4] = {UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX};
	if (tr->state == FL_TRACK_ARMED)
		cand[0] = tr->rec_start;
	if (tr->state == FL_TRACK_RECORDING)
		cand[1] = tr->rec_end != UINT64_MAX
		                  ? tr->rec_end
		                  : tr->rec_start + fl_track_max_record_frames(tr, e, fl_track_record_quantized(tr, e));
	if (tr->rec_active && tr->rec_end != UINT64_MAX)
		cand[2] = fl_track_seam_frame(tr, e);
	if (tr->dub_pending_at)
		cand[3] = tr->dub_pending_at;
	for (int i = 0; i < 4; i++)
		if (cand[i] > t && cand[i] < next)
			next = cand[i];
	return next;
}

void
fl_track_tick(struct fl_track *tr, struct fl_engine *e, uint64_t t)
{
	if (tr->state == FL_TRACK_ARMED && t >= tr->rec_start) {
		tr->state = FL_TRACK_RECORDING;
		fl_track_fade_to(tr, e, 0.0f);
	}
	if (tr->state == FL_TRACK_RECORDING && tr->rec_end == UINT64_MAX &&
	    t >= tr->rec_start + fl_track_max_record_frames(tr, e, fl_track_record_quantized(tr, e))) {
		fl_track_record_close(tr, e, t);
		fl_track_notice(e, tr, FL_NOTICE_MEMORY_FULL, t);
	}
	if (tr->state == FL_TRACK_RECORDING && t >= tr->rec_end)
		fl_track_record_finish(tr, e, t);
	if (tr->rec_active && tr->rec_end != UINT64_MAX && t >= fl_track_seam_frame(tr, e)) {
		fl_track_record_copy(tr, e, t);
		if (tr->seam_pending && tr->rec_layer >= 0)
			fl_track_record_write_seam(tr, e);
		tr->rec_active = false;
		tr->rec_layer = -1;
	}
	if (tr->dub_pending_at && t >= tr->dub_pending_at && !tr->rec_active) {
		tr->dub_pending_at = 0;
		if (tr->state == FL_TRACK_OVERDUBBING && !fl_track_dub_start(tr, e, t))
			tr->state = FL_TRACK_PLAYING;
	}
}

void
fl_track_publish(struct fl_track *tr, const struct fl_engine *e, uint64_t t)
{
	struct fl_track_pub *p = &tr->pub;
	const struct fl_layer *ly = &tr->hist[tr->cur];
	uint64_t len = tr->state == FL_TRACK_RECORDING ? t - tr->rec_start
	               : tr->state == FL_TRACK_ARMED   ? 0
	                                               : ly->len;
	uint32_t flags = (tr->muted ? FLAG_MUTED : 0) | (tr->solo ? FLAG_SOLO : 0) |
	                 (tr->state == FL_TRACK_RECORDING && tr->rec_end != UINT64_MAX ? FLAG_CLOSING
	                                                                                : 0);
	atomic_store_explicit(&p->state, tr->state, memory_order_relaxed);
	atomic_store_explicit(&p->flags, flags, memory_order_relaxed);
	atomic_store_explicit(&p->quantize, tr->quantize, memory_order_relaxed);
	atomic_store_explicit(&p->length, len, memory_order_relaxed);
	atomic_store_explicit(&p->position,
	                      tr->state == FL_TRACK_RECORDING ? len
	                                                      : fl_clock_position(ly->origin, ly->len, t),
	                      memory_order_relaxed);
	atomic_store_explicit(&p->level, tr->level_target, memory_order_relaxed);
	atomic_store_explicit(&p->pan, tr->pan_target, memory_order_relaxed);
	for (int c = 0; c < FL_CHANNELS; c++) {
		atomic_store_explicit(&p->rms[c], (float)sqrt(tr->ms[c]), memory_order_relaxed);
		atomic_store_explicit(&p->peak[c], tr->peak[c], memory_order_relaxed);
		tr->peak[c] *= 0.9f; /* fall-off per block; the meter is not audio */
	}
	atomic_store_explicit(&p->origin, tr->state == FL_TRACK_RECORDING ? tr->rec_start : ly->origin,
	                      memory_order_relaxed);
	atomic_store_explicit(&p->busy,
	                      (tr->lease ? 1u : 0u) | (tr->pins > 0 ? 2u : 0u) |
	                              (tr->input_fx ? 4u : 0u),
	                      memory_order_relaxed);
	for (uint32_t b = 0; b < FL_BUSES; b++)
		atomic_store_explicit(&p->send[b], tr->send_target[b], memory_order_relaxed);
	uint32_t undo = tr->cur, redo = tr->n_hist - 1 - tr->cur;
	atomic_store_explicit(&p->undo_depth, undo, memory_order_relaxed);
	atomic_store_explicit(&p->redo_depth, redo, memory_order_relaxed);
	(void)e;
}
