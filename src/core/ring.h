/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A lock-free single-producer, single-consumer byte ring for variable-size
 * records (tap audio blocks, journal commands). The producer writes a whole
 * record or nothing (fl_ring_write_record checks the space first); the
 * consumer reads what is there. Same index discipline as spsc.h. Writing
 * and reading are RT-safe and bounded by the record size. */
#ifndef FL_CORE_RING_H
#define FL_CORE_RING_H

#include "footloop/attributes.h"
#include "footloop/status.h"

#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fl_ring {
	unsigned char *buf;                ///< size bytes, allocated and touched at init
	uint32_t mask;                     ///< size - 1 (size a power of two)
	alignas(64) _Atomic uint32_t head; ///< bytes written (producer)
	alignas(64) _Atomic uint32_t tail; ///< bytes read (consumer)
};

/* size is rounded up to a power of two, at most 1 GiB. Setup thread. */
FL_NODISCARD enum fl_status fl_ring_init(struct fl_ring *r, size_t size);
void fl_ring_destroy(struct fl_ring *r);

/* Producer: bytes free. */
FL_RT uint32_t fl_ring_space(const struct fl_ring *r);
/* Producer: writes a header and a payload as one record, or nothing (false). */
FL_RT bool fl_ring_write2(struct fl_ring *r, const void *a, uint32_t na, const void *b,
                          uint32_t nb);
/* Consumer: bytes ready. */
FL_RT uint32_t fl_ring_avail(const struct fl_ring *r);
/* Consumer: copies n bytes out (false, nothing consumed, when fewer wait). */
FL_RT bool fl_ring_read(struct fl_ring *r, void *dst, uint32_t n);
/* Consumer: copies n bytes without consuming them. */
FL_RT bool fl_ring_peek(const struct fl_ring *r, void *dst, uint32_t n);

#endif
