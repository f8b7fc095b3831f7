/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Writing loops (process thread): recording a new loop out of the input
 * history, closing it on the cycle grid, the seam crossfade, and overdub
 * punch-in/out over copy-on-write undo levels. See track.c for the timing
 * model (one frame clock, writes compensated by the round-trip latency). */
#include "engine/clock.h"
#include "engine/engine_internal.h"
#include "engine/history.h"
#include "engine/track.h"

#include <math.h>

/* ---- overdub ----------------------------------------------------------- */

void
fl_track_dub_stop(struct fl_track *tr, const struct fl_engine *e)
{
	tr->dub_pending_at = 0;
	if (tr->dubbing) {
		tr->dubbing = false;
		fl_ramp_start(&tr->dub, 0.0f, e->fade_frames);
	}
}

bool
fl_track_dub_start(struct fl_track *tr, struct fl_engine *e, uint64_t t)
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
			fl_track_notice(e, tr, FL_NOTICE_BUSY, t); /* never write a loop being saved */
			return false;
		}
		if (idx <= 0)
			fl_track_notice(e, tr, FL_NOTICE_NO_UNDO_ROOM, t);
		if (dropped)
			fl_track_notice(e, tr, FL_NOTICE_HISTORY_DROPPED, t);
	}
	tr->play_layer = (int32_t)tr->cur;
	tr->dubbing = true;
	fl_ramp_start(&tr->dub, 1.0f, e->fade_frames);
	return true;
}

/* ---- recording ----------------------------------------------------------- */

uint64_t
fl_track_max_record_frames(const struct fl_track *tr, const struct fl_engine *e, bool quantized)
{
	if (quantized && e->cycle)
		return tr->cap / e->cycle * e->cycle;
	return tr->cap;
}

bool
fl_track_record_quantized(const struct fl_track *tr, const struct fl_engine *e)
{
	return tr->quantize == FL_QUANTIZE_CYCLE && e->cycle > 0;
}

void
fl_track_record_start(struct fl_track *tr, struct fl_engine *e, uint64_t t, uint64_t press)
{
	bool q = fl_track_record_quantized(tr, e);
	uint64_t b = q ? fl_clock_record_start(e->cycle_origin, e->cycle, e->late_frames, press)
	               : press;
	bool dropped = false;
	fl_track_dub_stop(tr, e);
	int32_t prev = tr->play_gain.to > 0.0f ? tr->play_layer : -1;
	int32_t idx = fl_history_push(tr, &dropped);
	if (idx < 0) {
		fl_track_notice(e, tr, FL_NOTICE_MEMORY_FULL, t);
		return;
	}
	if (dropped)
		fl_track_notice(e, tr, FL_NOTICE_HISTORY_DROPPED, t);
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
		fl_track_fade_to(tr, e, 0.0f);
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

void
fl_track_record_close(struct fl_track *tr, struct fl_engine *e, uint64_t press)
{
	if (tr->rec_end != UINT64_MAX)
		return;
	bool q = fl_track_record_quantized(tr, e);
	uint64_t end =
	        q ? fl_clock_record_end(tr->rec_start, e->cycle, e->late_frames, press) : press;
	if (end < tr->rec_start)
		end = tr->rec_start;
	uint64_t len = round_up_len(e, end - tr->rec_start, q);
	uint64_t max = fl_track_max_record_frames(tr, e, q);
	if (len > max)
		len = max;
	tr->rec_end = tr->rec_start + len;
}

void
fl_track_record_cancel(struct fl_track *tr, const struct fl_engine *e)
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
		fl_track_hear_layer(tr, e, prev);
}

/* The loop is closed at rec_end: it starts to play (first pass fades in). */
void
fl_track_record_finish(struct fl_track *tr, struct fl_engine *e, uint64_t t)
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
		fl_track_fade_to(tr, e, 1.0f);
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
void
fl_track_record_write_seam(struct fl_track *tr, struct fl_engine *e)
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
void
fl_track_record_copy(struct fl_track *tr, struct fl_engine *e, uint64_t t_end)
{
	uint64_t first = tr->rec_start + tr->rec_latency;
	if (t_end <= first)
		return;
	uint64_t want = t_end - first;
	uint64_t limit = tr->rec_end != UINT64_MAX
	                         ? tr->rec_end - tr->rec_start
	                         : fl_track_max_record_frames(tr, e, fl_track_record_quantized(tr, e));
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
			fl_track_notice(e, tr, FL_NOTICE_MEMORY_FULL, t_end);
		}
	}
	if (dropped)
		fl_track_notice(e, tr, FL_NOTICE_HISTORY_DROPPED, t_end);
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

