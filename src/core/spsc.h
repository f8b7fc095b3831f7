/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A lock-free single-producer, single-consumer queue of fixed-size slots.
 *
 * One thread only ever pushes, one other thread only ever pops, and the two
 * never swap roles. Each side loads the other side's index (acquire), does
 * its copy, then stores its own index (release): zix's rule. Indices run
 * free and wrap at 2^32; the capacity is a power of two. A push or pop is
 * all-or-nothing and bounded in time, so both are real-time safe. */
#ifndef FL_CORE_SPSC_H
#define FL_CORE_SPSC_H

#include "footloop/attributes.h"
#include "footloop/status.h"

#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "atomic int must be lock-free");

struct fl_spsc {
	unsigned char *slots;              ///< capacity * elem_size bytes, read-only pointer after init
	uint32_t mask;                     ///< capacity - 1
	uint32_t elem_size;                ///< bytes per slot
	alignas(64) _Atomic uint32_t head; ///< written only by the producer
	alignas(64) _Atomic uint32_t tail; ///< written only by the consumer
};

/* capacity is rounded up to a power of two (at least 2). Memory is
 * allocated and touched here. Setup thread. */
FL_NODISCARD enum fl_status fl_spsc_init(struct fl_spsc *q, uint32_t capacity, size_t elem_size);
/* Frees the slots; safe on a zeroed or already-freed queue. */
void fl_spsc_destroy(struct fl_spsc *q);

/* Producer only. false when full (nothing written). */
FL_RT bool fl_spsc_push(struct fl_spsc *q, const void *elem);
/* Consumer only. false when empty. */
FL_RT bool fl_spsc_pop(struct fl_spsc *q, void *elem);
/* Consumer only: looks at the next element without taking it. */
FL_RT bool fl_spsc_peek(struct fl_spsc *q, void *elem);
/* Elements waiting (a snapshot; exact only from the consumer's side). */
FL_RT uint32_t fl_spsc_count(const struct fl_spsc *q);

#endif
