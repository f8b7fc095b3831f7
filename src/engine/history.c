/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Undo history and loop memory of one track (process thread).
 *
 * A track owns one ring of stereo frames. Every undo level is a layer: a
 * region of the ring holding a whole loop, or an empty track (no memory).
 * Layers are allocated one after the other, so the oldest layer is the one
 * the ring reaches first when it needs room: it is dropped then, and undo
 * depth is bounded only by the memory. A layer made by overdubbing starts
 * as a copy-on-write view of its source: reads of positions the copy sweep
 * has not reached yet fall through to the source, and the sweep (run by the
 * track at FL_COPY_SPEED times the play rate) completes it within
 * 1/FL_COPY_SPEED of a pass, so no period ever copies a whole loop. */
#include "engine/history.h"

#include <string.h>

void
fl_history_reset(struct fl_track *tr)
{
	memset(tr->hist, 0, sizeof tr->hist);
	tr->hist[0].src = -1;
	tr->n_hist = 1;
	tr->cur = 0;
}

static void
fix_index(int32_t *idx, int32_t removed)
{
	if (*idx == removed)
		*idx = -1;
	else if (*idx > removed)
		(*idx)--;
}

/* Removes entry idx and every layer that still copies from it. Bounded: each
 * call removes at least one of at most FL_HISTORY_MAX entries. */
static void
hist_remove(struct fl_track *tr, uint32_t idx)
{
	int32_t removed = (int32_t)idx;
	memmove(&tr->hist[idx], &tr->hist[idx + 1], (tr->n_hist - idx - 1) * sizeof tr->hist[0]);
	tr->n_hist--;
	int32_t cur = (int32_t)tr->cur;
	fix_index(&cur, removed);
	tr->cur = cur < 0 ? 0 : (uint32_t)cur;
	fix_index(&tr->play_layer, removed);
	fix_index(&tr->xf_layer, removed);
	fix_index(&tr->rec_prev, removed);
	fix_index(&tr->rec_layer, removed);
	fix_index(&tr->pinned, removed);
	for (uint32_t i = 0; i < tr->n_hist; i++) {
		if (tr->hist[i].src == removed) {
			tr->hist[i].src = -2; /* broken: removed below */
		} else if (tr->hist[i].src > removed) {
			tr->hist[i].src--;
		}
	}
	for (uint32_t i = 0; i < tr->n_hist; i++) {
		if (tr->hist[i].src == -2) {
			hist_remove(tr, i);
			return;
		}
	}
	if (tr->n_hist == 0)
		fl_history_reset(tr);
}

bool
fl_history_protected(const struct fl_track *tr, uint32_t idx)
{
	if (idx == tr->cur || (int32_t)idx == tr->rec_layer || (int32_t)idx == tr->pinned)
		return true;
	/* The source of the current layer (or of the recording) while it copies. */
	if (tr->hist[tr->cur].src == (int32_t)idx)
		return true;
	return false;
}

/* Ring distance from a to b. */
static uint64_t
ring_dist(uint64_t a, uint64_t b, uint64_t cap)
{
	return b >= a ? b - a : b + cap - a;
}

static bool
overlaps(uint64_t a, uint64_t la, uint64_t b, uint64_t lb, uint64_t cap)
{
	if (la == 0 || lb == 0)
		return false;
	return ring_dist(a, b, cap) < la || ring_dist(b, a, cap) < lb;
}

uint64_t
fl_history_head(const struct fl_track *tr, uint32_t below)
{
	for (uint32_t i = below; i-- > 0;) {
		const struct fl_layer *ly = &tr->hist[i];
		if (ly->len) {
			uint64_t end = ly->off + ly->len;
			return end >= tr->cap ? end - tr->cap : end;
		}
	}
	return 0;
}

bool
fl_history_make_room(struct fl_track *tr, uint64_t off, uint64_t len, uint32_t self,
                     bool *dropped)
{
	if (tr->lease && overlaps(off, len, tr->lease_off, tr->lease_len, tr->cap))
		return false;
	for (uint32_t guard = 0; guard < FL_HISTORY_MAX * 2; guard++) {
		int32_t victim = -1;
		for (uint32_t i = 0; i < tr->n_hist; i++) {
			if (i == self)
				continue;
			const struct fl_layer *ly = &tr->hist[i];
			if (overlaps(off, len, ly->off, ly->len, tr->cap)) {
				victim = (int32_t)i;
				break;
			}
		}
		if (victim < 0)
			return true;
		if (fl_history_protected(tr, (uint32_t)victim))
			return false;
		/* Drop from the bottom up to the victim: older levels go first.
		 * self (UINT32_MAX: none, e.g. a lease) moves down with the rest. */
		if (self == 0)
			return false; /* nothing older than self left to drop */
		hist_remove(tr, 0);
		*dropped = true;
		if (self != UINT32_MAX)
			self--;
	}
	return false;
}

int32_t
fl_history_push(struct fl_track *tr, bool *dropped)
{
	/* A new level discards what could be redone. A redo level still heard
	 * under a fade is cut from the fade (its memory is about to be reused). */
	while (tr->n_hist > tr->cur + 1) {
		int32_t last = (int32_t)tr->n_hist - 1;
		if (last == tr->rec_layer || last == tr->pinned)
			return -1;
		if (last == tr->xf_layer) {
			tr->xf_layer = -1;
			fl_ramp_set(&tr->xf, 1.0f);
		}
		if (last == tr->play_layer)
			tr->play_layer = -1;
		if (last == tr->rec_prev)
			tr->rec_prev = -1;
		tr->n_hist--;
	}
	if (tr->n_hist == FL_HISTORY_MAX) {
		if (fl_history_protected(tr, 0))
			return -1;
		hist_remove(tr, 0);
		*dropped = true;
	}
	uint32_t idx = tr->n_hist++;
	memset(&tr->hist[idx], 0, sizeof tr->hist[idx]);
	tr->hist[idx].src = -1;
	tr->hist[idx].off = fl_history_head(tr, idx);
	tr->cur = idx;
	return (int32_t)idx;
}

void
fl_history_pop(struct fl_track *tr)
{
	if (tr->n_hist > 1 && tr->cur == tr->n_hist - 1) {
		hist_remove(tr, tr->cur);
		tr->cur = tr->n_hist - 1;
	}
}

bool
fl_layer_copied(const struct fl_layer *ly, uint64_t q)
{
	if (ly->src < 0)
		return true;
	uint64_t d = q >= ly->copy_from ? q - ly->copy_from : q + ly->len - ly->copy_from;
	return d < ly->copied;
}

void
fl_history_sweep(struct fl_track *tr, uint32_t idx, uint64_t frames)
{
	struct fl_layer *ly = &tr->hist[idx];
	if (ly->src < 0)
		return;
	const struct fl_layer *src = &tr->hist[ly->src];
	uint64_t todo = ly->len - ly->copied;
	if (todo > frames)
		todo = frames;
	uint64_t q = ly->copy_from + ly->copied;
	if (q >= ly->len)
		q -= ly->len;
	while (todo > 0) {
		/* Contiguous run: stop at the loop end and at either ring end. */
		uint64_t run = todo;
		if (run > ly->len - q)
			run = ly->len - q;
		uint64_t a = fl_layer_addr(tr, ly, q), b = fl_layer_addr(tr, src, q);
		if (run > tr->cap - a)
			run = tr->cap - a;
		if (run > tr->cap - b)
			run = tr->cap - b;
		memcpy(tr->mem + 2 * a, tr->mem + 2 * b, (size_t)run * 2 * sizeof(float));
		ly->copied += run;
		todo -= run;
		q += run;
		if (q == ly->len)
			q = 0;
	}
	if (ly->copied >= ly->len)
		ly->src = -1;
}
