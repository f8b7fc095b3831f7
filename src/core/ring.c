/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "core/ring.h"

#include <stdlib.h>
#include <string.h>

enum fl_status
fl_ring_init(struct fl_ring *r, size_t size)
{
	size_t n = 64;
	while (n < size && n < ((size_t)1 << 30))
		n <<= 1;
	r->buf = malloc(n);
	if (!r->buf)
		return FL_ERR_NOMEM;
	memset(r->buf, 0, n); /* touch every page now */
	r->mask = (uint32_t)(n - 1);
	atomic_init(&r->head, 0);
	atomic_init(&r->tail, 0);
	return FL_OK;
}

void
fl_ring_destroy(struct fl_ring *r)
{
	free(r->buf);
	r->buf = NULL;
}

uint32_t
fl_ring_space(const struct fl_ring *r)
{
	uint32_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
	uint32_t t = atomic_load_explicit(&r->tail, memory_order_acquire);
	return r->mask + 1 - (h - t);
}

uint32_t
fl_ring_avail(const struct fl_ring *r)
{
	uint32_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);
	uint32_t h = atomic_load_explicit(&r->head, memory_order_acquire);
	return h - t;
}

static void
copy_in(struct fl_ring *r, uint32_t at, const void *src, uint32_t n)
{
	uint32_t off = at & r->mask, first = r->mask + 1 - off;
	if (first > n)
		first = n;
	memcpy(r->buf + off, src, first);
	memcpy(r->buf, (const unsigned char *)src + first, n - first);
}

static void
copy_out(const struct fl_ring *r, uint32_t at, void *dst, uint32_t n)
{
	uint32_t off = at & r->mask, first = r->mask + 1 - off;
	if (first > n)
		first = n;
	memcpy(dst, r->buf + off, first);
	memcpy((unsigned char *)dst + first, r->buf, n - first);
}

bool
fl_ring_write2(struct fl_ring *r, const void *a, uint32_t na, const void *b, uint32_t nb)
{
	if (fl_ring_space(r) < na + nb)
		return false;
	uint32_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
	copy_in(r, h, a, na);
	if (nb)
		copy_in(r, h + na, b, nb);
	atomic_store_explicit(&r->head, h + na + nb, memory_order_release);
	return true;
}

bool
fl_ring_peek(const struct fl_ring *r, void *dst, uint32_t n)
{
	if (fl_ring_avail(r) < n)
		return false;
	copy_out(r, atomic_load_explicit(&r->tail, memory_order_relaxed), dst, n);
	return true;
}

bool
fl_ring_read(struct fl_ring *r, void *dst, uint32_t n)
{
	if (!fl_ring_peek(r, dst, n))
		return false;
	uint32_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);
	atomic_store_explicit(&r->tail, t + n, memory_order_release);
	return true;
}
