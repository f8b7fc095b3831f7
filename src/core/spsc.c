/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "core/spsc.h"

#include <stdlib.h>
#include <string.h>

enum fl_status
fl_spsc_init(struct fl_spsc *q, uint32_t capacity, size_t elem_size)
{
	uint32_t cap = 2;
	while (cap < capacity && cap < (1u << 30))
		cap <<= 1;
	q->slots = calloc(cap, elem_size);
	if (!q->slots)
		return FL_ERR_NOMEM;
	q->mask = cap - 1;
	q->elem_size = (uint32_t)elem_size;
	atomic_init(&q->head, 0);
	atomic_init(&q->tail, 0);
	return FL_OK;
}

void
fl_spsc_destroy(struct fl_spsc *q)
{
	free(q->slots);
	q->slots = NULL;
}

bool
fl_spsc_push(struct fl_spsc *q, const void *elem)
{
	uint32_t h = atomic_load_explicit(&q->head, memory_order_relaxed);
	uint32_t t = atomic_load_explicit(&q->tail, memory_order_acquire);
	if (h - t > q->mask)
		return false;
	memcpy(q->slots + (size_t)(h & q->mask) * q->elem_size, elem, q->elem_size);
	atomic_store_explicit(&q->head, h + 1, memory_order_release);
	return true;
}

bool
fl_spsc_peek(struct fl_spsc *q, void *elem)
{
	uint32_t t = atomic_load_explicit(&q->tail, memory_order_relaxed);
	uint32_t h = atomic_load_explicit(&q->head, memory_order_acquire);
	if (h == t)
		return false;
	memcpy(elem, q->slots + (size_t)(t & q->mask) * q->elem_size, q->elem_size);
	return true;
}

bool
fl_spsc_pop(struct fl_spsc *q, void *elem)
{
	if (!fl_spsc_peek(q, elem))
		return false;
	uint32_t t = atomic_load_explicit(&q->tail, memory_order_relaxed);
	atomic_store_explicit(&q->tail, t + 1, memory_order_release);
	return true;
}

uint32_t
fl_spsc_count(const struct fl_spsc *q)
{
	uint32_t h = atomic_load_explicit(&q->head, memory_order_acquire);
	uint32_t t = atomic_load_explicit(&q->tail, memory_order_acquire);
	return h - t;
}
