/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Undo history and ring memory of a track (see history.c). Process thread
 * only, except fl_history_reset which setup also calls. All RT-safe and
 * bounded by FL_HISTORY_MAX. */
#ifndef FL_ENGINE_HISTORY_H
#define FL_ENGINE_HISTORY_H

#include "engine/engine_internal.h"

/* One empty level. */
void fl_history_reset(struct fl_track *tr);

/* Appends a level after the current one (dropping redo levels and, when the
 * history is full, the oldest). Its offset is the ring position after the
 * newest layer below it; its length is 0. Returns its index, or -1 when no
 * level can be added. *dropped is set when old levels were dropped. */
FL_RT int32_t fl_history_push(struct fl_track *tr, bool *dropped);

/* Removes the current level when it is the newest (cancelled record). */
FL_RT void fl_history_pop(struct fl_track *tr);

/* Ring position after the newest layer with memory among hist[0..below). */
FL_RT uint64_t fl_history_head(const struct fl_track *tr, uint32_t below);

/* Drops the oldest levels until [off, off + len) overlaps no layer but self.
 * false when that would drop a protected layer (current, recording, or a
 * source still being copied). */
FL_RT bool fl_history_make_room(struct fl_track *tr, uint64_t off, uint64_t len, uint32_t self,
                                bool *dropped);

/* Whether level idx must not be dropped now. */
FL_RT bool fl_history_protected(const struct fl_track *tr, uint32_t idx);

/* Whether loop position q of ly holds its own data (else read the source). */
FL_RT bool fl_layer_copied(const struct fl_layer *ly, uint64_t q);

/* Advances the copy-on-write sweep of level idx by up to frames. */
FL_RT void fl_history_sweep(struct fl_track *tr, uint32_t idx, uint64_t frames);

/* Ring frame of loop position q (q < len <= cap). */
FL_RT static inline uint64_t
fl_layer_addr(const struct fl_track *tr, const struct fl_layer *ly, uint64_t q)
{
	uint64_t a = ly->off + q;
	return a >= tr->cap ? a - tr->cap : a;
}

/* The stereo frame heard at loop position q of level idx. */
FL_RT static inline const float *
fl_layer_read(const struct fl_track *tr, uint32_t idx, uint64_t q)
{
	const struct fl_layer *ly = &tr->hist[idx];
	if (ly->src >= 0 && !fl_layer_copied(ly, q))
		ly = &tr->hist[ly->src];
	return tr->mem + 2 * fl_layer_addr(tr, ly, q);
}

#endif
