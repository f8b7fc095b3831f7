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

static void
notice(struct fl_engine *e, const struct fl_track *tr, enum fl_notice n, uint64_t t)
{
	fl_engine_emit(e, FL_EV_NOTICE, (uint16_t)tr->index, n, t);
}

/* ---- what is heard ---------------------------------------------------- */

static void
fade_to(struct fl_track *tr, const struct fl_engine *e, float to)
{
	if (tr->play_gain.to != to)
		fl_ramp_start(&tr->play_gain, to, e->fade_frames);
}

/* Makes level idx the audible one: crossfade from the layer heard now, or
 * fade in from silence. */
static void
hear_layer(struct fl_track *tr, const struct fl_engine *e, int32_t idx)
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
	fade_to(tr, e, 1.0f);
}

static void dub_stop(struct fl_track *tr, const struct fl_engine *e);
#define dub_stop_now dub_stop

/* A committed (loaded) level becomes what the track holds. */
void
fl_track_adopt(struct fl_track *tr, struct fl_engine *e, int32_t idx, bool stopped)
{
	dub_stop_now(tr, e);
	tr->cur = (uint32_t)idx;
	if (stopped) {
		tr->state = FL_TRACK_STOPPED;
		fade_to(tr, e, 0.0f);
		if (tr->play_layer < 0)
			tr->play_layer = idx;
	} else {
		tr->state = FL_TRACK_PLAYING;
		hear_layer(tr, e, idx);
	}
}

/* ---- overdub ----------------------------------------------------------- */

static void
dub_stop(struct fl_track *tr, const struct fl_engine *e)
{
	tr->dub_pending_at = 0;
	if (tr->dubbing) {
		tr->dubbing = false;
		fl_ramp_start(&tr->dub, 0.0f, e->fade_frames);
	}
}

static bool
dub_start(struct fl_track *tr, struct fl_engine *e, uint64_t t)
{
	const struct fl_layer *cur = &tr->hist[tr->cur];
	bool writing = tr->dub.to > 0.0f || !fl_ramp_done(&tr->dub);
	/* A level still copying from its source, or still taking the last
	 * pass's punch-out, takes this pass too: one undo level, no copy chains. */
	if (cur->src < 0 && !writing) {
		struct fl_layer base = *cur;
		bool dropped = false;
		int32_t idx = fl_history_push(tr, &dropped);
		if (idx > 0) {
			/* The push appends right after the level it copies. */
			struct fl_layer *ly = &tr->hist[idx];
			ly->len = base.len;
			ly->origin = base.origin;
			ly->src = idx - 1;
			ly->copied = 0;
			ly->copy_from = fl_clock_position(base.origin + e->rt_latency, base.len, t);
			if (!fl_history_make_room(tr, ly->off, ly->len, (uint32_t)idx, &dropped)) {
				fl_history_pop(tr);
				idx = -1;
			}
		}
		if (idx <= 0 && tr->pinned == (int32_t)tr->cur) {
			notice(e, tr, FL_NOTICE_BUSY, t); /* never write a loop being saved */
			return false;
		}
		if (idx <= 0)
			notice(e, tr, FL_NOTICE_NO_UNDO_ROOM, t);
		if (dropped)
			notice(e, tr, FL_NOTICE_HISTORY_DROPPED, t);
	}
	tr->play_layer = (int32_t)tr->cur;
	tr->dubbing = true;
	fl_ramp_start(&tr->dub, 1.0f, e->fade_frames);
	return true;
}

/* ---- recording ----------------------------------------------------------- */

static uint64_t
max_record_frames(const struct fl_track *tr, const struct fl_engine *e, bool quantized)
{
	if (quantized && e->cycle)
		return tr->cap / e->cycle * e->cycle;
	return tr->cap;
}

static bool
record_quantized(const struct fl_track *tr, const struct fl_engine *e)
{
	return tr->quantize == FL_QUANTIZE_CYCLE && e->cycle > 0;
}

static void
record_start(struct fl_track *tr, struct fl_engine *e, uint64_t t)
{
	bool q = record_quantized(tr, e);
	uint64_t b = q ? fl_clock_record_start(e->cycle_origin, e->cycle, e->late_frames, t) : t;
	bool dropped = false;
	dub_stop(tr, e);
	int32_t prev = tr->play_gain.to > 0.0f ? tr->play_layer : -1;
	int32_t idx = fl_history_push(tr, &dropped);
	if (idx < 0) {
		notice(e, tr, FL_NOTICE_MEMORY_FULL, t);
		return;
	}
	if (dropped)
		notice(e, tr, FL_NOTICE_HISTORY_DROPPED, t);
	tr->hist[idx].origin = b;
	tr->rec_layer = idx;
	tr->rec_prev = prev;
	tr->rec_active = true;
	tr->rec_start = b;
	tr->rec_end = UINT64_MAX;
	tr->rec_done = 0;
	tr->rec_latency = e->rt_latency;
	tr->seam_pending = e->seam_frames > 0;
	tr->stop_after_close = false;
	tr->prev_state = tr->state;
	tr->state = b > t ? FL_TRACK_ARMED : FL_TRACK_RECORDING;
	if (b <= t)
		fade_to(tr, e, 0.0f);
}

/* The shortest loop: the late window, the latency and the seam must fit in
 * one pass, so every write lands before its position is played again. */
static uint64_t
round_up_len(const struct fl_engine *e, uint64_t len, bool q)
{
	if (len < e->min_loop_frames)
		len = e->min_loop_frames;
	if (q) {
		uint64_t k = (len + e->cycle - 1) / e->cycle;
		len = (k ? k : 1) * e->cycle;
	}
	return len;
}

static void
record_close(struct fl_track *tr, struct fl_engine *e, uint64_t t)
{
	if (tr->rec_end != UINT64_MAX)
		return;
	bool q = record_quantized(tr, e);
	uint64_t end = q ? fl_clock_record_end(tr->rec_start, e->cycle, e->late_frames, t) : t;
	if (end < tr->rec_start)
		end = tr->rec_start;
	uint64_t len = round_up_len(e, end - tr->rec_start, q);
	uint64_t max = max_record_frames(tr, e, q);
	if (len > max)
		len = max;
	tr->rec_end = tr->rec_start + len;
}

static void
record_cancel(struct fl_track *tr, const struct fl_engine *e)
{
	int32_t prev = tr->rec_prev;
	tr->rec_active = false;
	tr->rec_layer = -1;
	tr->rec_end = UINT64_MAX;
	fl_history_pop(tr);
	tr->state = tr->prev_state == FL_TRACK_ARMED || tr->prev_state == FL_TRACK_RECORDING
	                    ? FL_TRACK_EMPTY
	                    : tr->prev_state;
	if (tr->hist[tr->cur].len == 0)
		tr->state = FL_TRACK_EMPTY;
	else if (tr->state == FL_TRACK_EMPTY || tr->state == FL_TRACK_OVERDUBBING)
		tr->state = FL_TRACK_PLAYING;
	if (tr->state == FL_TRACK_PLAYING && prev >= 0)
		hear_layer(tr, e, prev);
}

/* The loop is closed at rec_end: it starts to play (first pass fades in). */
static void
record_finish(struct fl_track *tr, struct fl_engine *e, uint64_t t)
{
	struct fl_layer *ly = &tr->hist[tr->rec_layer];
	ly->len = tr->rec_end - tr->rec_start;
	tr->rec_prev = -1;
	tr->xf_layer = -1;
	fl_ramp_set(&tr->xf, 1.0f);
	tr->play_layer = tr->rec_layer;
	fl_ramp_set(&tr->play_gain, 0.0f);
	if (tr->stop_after_close) {
		tr->state = FL_TRACK_STOPPED;
	} else {
		tr->state = FL_TRACK_PLAYING;
		fade_to(tr, e, 1.0f);
	}
	(void)t;
	fl_engine_update_cycle(e);
}

/* The input a track records: dry, or through the input chain. */
static const float *
rec_source(const struct fl_track *tr, const struct fl_engine *e)
{
	return tr->input_fx ? e->history_fx : e->history;
}

/* Writes the seam: c[i] = c[i] g_in + post[i] g_out over the first seam
 * frames, with the C1 equal-power pair, post[i] = in(E + R + i). */
static void
record_write_seam(struct fl_track *tr, struct fl_engine *e)
{
	const struct fl_layer *ly = &tr->hist[tr->rec_layer];
	uint64_t x = e->seam_frames;
	if (x > ly->len)
		x = ly->len;
	uint64_t post0 = tr->rec_end + tr->rec_latency;
	for (uint64_t i = 0; i < x; i++) {
		float s = fl_raised_cosine((float)i / (float)x);
		float gin = sinf(0.5f * FL_PI_F * s), gout = cosf(0.5f * FL_PI_F * s);
		float *c = tr->mem + 2 * fl_layer_addr(tr, ly, i);
		const float *p = rec_source(tr, e) + 2 * ((post0 + i) & e->history_mask);
		c[0] = c[0] * gin + p[0] * gout;
		c[1] = c[1] * gin + p[1] * gout;
	}
	tr->seam_pending = false;
}

/* Copies the recorded input available by frame t_end out of the history. */
static void
record_copy(struct fl_track *tr, struct fl_engine *e, uint64_t t_end)
{
	uint64_t first = tr->rec_start + tr->rec_latency;
	if (t_end <= first)
		return;
	uint64_t want = t_end - first;
	uint64_t limit = tr->rec_end != UINT64_MAX
	                         ? tr->rec_end - tr->rec_start
	                         : max_record_frames(tr, e, record_quantized(tr, e));
	if (want > limit)
		want = limit;
	if (want <= tr->rec_done)
		return;
	struct fl_layer *ly = &tr->hist[tr->rec_layer];
	bool dropped = false;
	if (!fl_history_make_room(tr, ly->off, want, (uint32_t)tr->rec_layer, &dropped)) {
		/* Only a protected layer is in the way: close what we have. */
		want = tr->rec_done;
		if (tr->rec_end == UINT64_MAX) {
			tr->rec_end = tr->rec_start + (want ? want : 1);
			notice(e, tr, FL_NOTICE_MEMORY_FULL, t_end);
		}
	}
	if (dropped)
		notice(e, tr, FL_NOTICE_HISTORY_DROPPED, t_end);
	ly = &tr->hist[tr->rec_layer];
	for (uint64_t i = tr->rec_done; i < want; i++) {
		const float *h = rec_source(tr, e) + 2 * ((first + i) & e->history_mask);
		float *c = tr->mem + 2 * fl_layer_addr(tr, ly, i);
		c[0] = h[0];
		c[1] = h[1];
	}
	tr->rec_done = want;
	if (tr->rec_end == UINT64_MAX)
		ly->len = want; /* grows while open: memory in use */
}

/* ---- commands ------------------------------------------------------------ */

static void
undo_redo(struct fl_track *tr, struct fl_engine *e, bool redo, uint64_t t)
{
	if (tr->state == FL_TRACK_ARMED || tr->state == FL_TRACK_RECORDING) {
		if (redo) {
			notice(e, tr, FL_NOTICE_NOTHING_TO_REDO, t);
			return;
		}
		record_cancel(tr, e); /* undo of a take in progress: drop it */
		fl_engine_update_cycle(e);
		return;
	}
	if (redo ? tr->cur + 1 >= tr->n_hist : tr->cur == 0) {
		notice(e, tr, redo ? FL_NOTICE_NOTHING_TO_REDO : FL_NOTICE_NOTHING_TO_UNDO, t);
		return;
	}
	dub_stop(tr, e);
	tr->cur = redo ? tr->cur + 1 : tr->cur - 1;
	if (tr->hist[tr->cur].len == 0) {
		tr->state = FL_TRACK_EMPTY;
		fade_to(tr, e, 0.0f);
	} else if (tr->state == FL_TRACK_STOPPED) {
		tr->play_layer = (int32_t)tr->cur;
	} else {
		tr->state = FL_TRACK_PLAYING;
		hear_layer(tr, e, (int32_t)tr->cur);
	}
	fl_engine_update_cycle(e);
}

static void
clear(struct fl_track *tr, struct fl_engine *e, uint64_t t)
{
	if (tr->state == FL_TRACK_ARMED) {
		record_cancel(tr, e);
	} else if (tr->state == FL_TRACK_RECORDING) {
		/* Keep the take as an undo level: close it where it is. */
		bool q = tr->quantize;
		tr->quantize = FL_QUANTIZE_OFF;
		record_close(tr, e, t);
		tr->quantize = q;
		tr->stop_after_close = true;
		record_finish(tr, e, t);
	}
	if (tr->hist[tr->cur].len == 0 && tr->state == FL_TRACK_EMPTY)
		return;
	bool dropped = false;
	dub_stop(tr, e);
	if (fl_history_push(tr, &dropped) < 0) {
		notice(e, tr, FL_NOTICE_MEMORY_FULL, t);
		return;
	}
	if (dropped)
		notice(e, tr, FL_NOTICE_HISTORY_DROPPED, t);
	tr->state = FL_TRACK_EMPTY;
	fade_to(tr, e, 0.0f);
	fl_engine_update_cycle(e);
}

static void
transport(struct fl_track *tr, struct fl_engine *e, uint16_t type, uint64_t t)
{
	enum fl_track_state st = tr->state;
	bool recording = st == FL_TRACK_RECORDING;
	if (st == FL_TRACK_EMPTY || st == FL_TRACK_ARMED) {
		if (st == FL_TRACK_ARMED && type == FL_CMD_STOP)
			record_cancel(tr, e);
		else
			notice(e, tr, FL_NOTICE_NO_LOOP, t);
		return;
	}
	switch (type) {
	case FL_CMD_OVERDUB:
		if (recording) {
			record_close(tr, e, t);
		} else if (st == FL_TRACK_OVERDUBBING) {
			dub_stop(tr, e);
			tr->state = FL_TRACK_PLAYING;
		} else if (tr->rec_active) {
			/* The take is not final yet (latency + seam): start then. */
			tr->dub_pending_at = tr->rec_end + tr->rec_latency + e->seam_frames;
			tr->state = FL_TRACK_OVERDUBBING;
			fade_to(tr, e, 1.0f);
		} else if (dub_start(tr, e, t)) {
			tr->state = FL_TRACK_OVERDUBBING;
			fade_to(tr, e, 1.0f);
		}
		break;
	case FL_CMD_PLAY:
		if (recording) {
			record_close(tr, e, t);
			break;
		}
		dub_stop(tr, e);
		tr->state = FL_TRACK_PLAYING;
		tr->play_layer = (int32_t)tr->cur;
		fade_to(tr, e, 1.0f);
		break;
	case FL_CMD_STOP:
		if (recording) {
			record_close(tr, e, t);
			tr->stop_after_close = true;
			break;
		}
		dub_stop(tr, e);
		tr->state = FL_TRACK_STOPPED;
		fade_to(tr, e, 0.0f);
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
	notice(e, tr, FL_NOTICE_BUSY, t);
	return true;
}

void
fl_track_command(struct fl_track *tr, struct fl_engine *e, const struct fl_cmd *cmd, uint64_t t)
{
	if (refused(tr, e, cmd->type, t))
		return;
	switch (cmd->type) {
	case FL_CMD_RECORD:
		if (tr->state == FL_TRACK_ARMED)
			record_cancel(tr, e);
		else if (tr->state == FL_TRACK_RECORDING)
			record_close(tr, e, t);
		else if (!tr->rec_active)
			record_start(tr, e, t);
		break;
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
seam_frame(const struct fl_track *tr, const struct fl_engine *e)
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
		                  : tr->rec_start + max_record_frames(tr, e, record_quantized(tr, e));
	if (tr->rec_active && tr->rec_end != UINT64_MAX)
		cand[2] = seam_frame(tr, e);
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
		fade_to(tr, e, 0.0f);
	}
	if (tr->state == FL_TRACK_RECORDING && tr->rec_end == UINT64_MAX &&
	    t >= tr->rec_start + max_record_frames(tr, e, record_quantized(tr, e))) {
		record_close(tr, e, t);
		notice(e, tr, FL_NOTICE_MEMORY_FULL, t);
	}
	if (tr->state == FL_TRACK_RECORDING && t >= tr->rec_end)
		record_finish(tr, e, t);
	if (tr->rec_active && tr->rec_end != UINT64_MAX && t >= seam_frame(tr, e)) {
		record_copy(tr, e, t);
		if (tr->seam_pending && tr->rec_layer >= 0)
			record_write_seam(tr, e);
		tr->rec_active = false;
		tr->rec_layer = -1;
	}
	if (tr->dub_pending_at && t >= tr->dub_pending_at && !tr->rec_active) {
		tr->dub_pending_at = 0;
		if (tr->state == FL_TRACK_OVERDUBBING && !dub_start(tr, e, t))
			tr->state = FL_TRACK_PLAYING;
	}
}

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
		fl_engine_release_fx(e, done[i], t);
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
		record_copy(tr, e, t + n);
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
		float pk_l = tr->peak[0], pk_r = tr->peak[1];
		for (uint32_t i = 0; i < n; i++) {
			out_l[i] += tl[i];
			out_r[i] += trr[i];
			pk_l = fmaxf(pk_l, fabsf(tl[i]));
			pk_r = fmaxf(pk_r, fabsf(trr[i]));
			ms_l += tl[i] * tl[i];
			ms_r += trr[i] * trr[i];
		}
		tr->peak[0] = pk_l;
		tr->peak[1] = pk_r;
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
	                      (tr->lease ? 1u : 0u) | (tr->pinned >= 0 ? 2u : 0u) |
	                              (tr->input_fx ? 4u : 0u),
	                      memory_order_relaxed);
	for (uint32_t b = 0; b < FL_BUSES; b++)
		atomic_store_explicit(&p->send[b], tr->send_target[b], memory_order_relaxed);
	uint32_t undo = tr->cur, redo = tr->n_hist - 1 - tr->cur;
	atomic_store_explicit(&p->undo_depth, undo, memory_order_relaxed);
	atomic_store_explicit(&p->redo_depth, redo, memory_order_relaxed);
	(void)e;
}
