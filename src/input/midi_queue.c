/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "input/midi_queue.h"

#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

enum fl_status
fl_midi_queue_init(struct fl_midi_queue *mq, uint32_t capacity, bool with_wake)
{
	enum fl_status st;

	memset(mq, 0, sizeof(*mq));
	mq->wake_fd = -1;
	atomic_init(&mq->dropped, 0);
	st = fl_spsc_init(&mq->q, capacity, sizeof(struct fl_midi_event));
	if (st != FL_OK)
		return st;
	if (with_wake) {
		mq->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (mq->wake_fd < 0) {
			fl_spsc_destroy(&mq->q);
			return FL_ERR_IO;
		}
	}
	return FL_OK;
}

void
fl_midi_queue_destroy(struct fl_midi_queue *mq)
{
	if (!mq)
		return;
	fl_spsc_destroy(&mq->q);
	if (mq->wake_fd >= 0)
		close(mq->wake_fd);
	mq->wake_fd = -1;
}

FL_RT bool
fl_midi_queue_push(struct fl_midi_queue *mq, uint64_t stamp, const uint8_t *bytes, size_t size)
{
	struct fl_midi_event ev = {.stamp = stamp, .size = (uint8_t)size};

	if (size == 0 || size > sizeof(ev.bytes)) {
		atomic_fetch_add_explicit(&mq->dropped, 1, memory_order_relaxed);
		return false;
	}
	for (size_t i = 0; i < size; i++)
		ev.bytes[i] = bytes[i];
	if (!fl_spsc_push(&mq->q, &ev)) {
		atomic_fetch_add_explicit(&mq->dropped, 1, memory_order_relaxed);
		return false;
	}
	return true;
}

void
fl_midi_queue_wake(struct fl_midi_queue *mq)
{
	uint64_t one = 1;
	ssize_t r;

	/* EAGAIN means the counter is already non-zero: the consumer will wake. */
	if (mq->wake_fd >= 0) {
		r = write(mq->wake_fd, &one, sizeof(one));
		(void)r;
	}
}

bool
fl_midi_queue_pop(struct fl_midi_queue *mq, struct fl_midi_event *ev)
{
	return fl_spsc_pop(&mq->q, ev);
}

void
fl_midi_queue_clear_wake(struct fl_midi_queue *mq)
{
	uint64_t n;
	ssize_t r;

	if (mq->wake_fd >= 0) {
		r = read(mq->wake_fd, &n, sizeof(n)); /* EAGAIN: nothing to clear */
		(void)r;
	}
}
