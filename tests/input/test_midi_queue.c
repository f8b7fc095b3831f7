/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The MIDI queue: the RT push side runs under the RT guard (no allocation or
 * lock); order, stamps, oversized messages, a full queue, the wake eventfd,
 * and a two-thread run that checks nothing is lost or reordered. */
#include "check.h"
#include "input/midi_queue.h"
#include "rt_guard.h"

#include <poll.h>
#include <pthread.h>
#include <string.h>

static void
test_basic(void)
{
	struct fl_midi_queue q;
	struct fl_midi_event ev;
	const uint8_t note[3] = {0x90, 60, 100}, clock[1] = {0xF8}, sysex[5] = {0xF0, 1, 2, 3, 0xF7};
	bool ok1, ok2, ok3, ok4;

	CHECK(fl_midi_queue_init(&q, 4, false) == FL_OK);
	CHECK(q.wake_fd == -1);
	/* fl_rt_guard_active() is not checked: gcc -O2 elides its malloc/free
	 * probe (tests/support/rt_guard.c), so it reads 0 even when guarded. */
	fl_rt_guard_enter();
	ok1 = fl_midi_queue_push(&q, 1000, note, 3);
	ok2 = fl_midi_queue_push(&q, 1001, clock, 1);
	ok3 = !fl_midi_queue_push(&q, 1002, sysex, 5);
	ok4 = !fl_midi_queue_push(&q, 1003, note, 0);
	fl_rt_guard_leave();
	CHECK(ok1 && ok2 && ok3 && ok4);
	CHECK(atomic_load(&q.dropped) == 2);
	CHECK(fl_midi_queue_pop(&q, &ev) && ev.stamp == 1000 && ev.size == 3 &&
	      memcmp(ev.bytes, note, 3) == 0);
	CHECK(fl_midi_queue_pop(&q, &ev) && ev.stamp == 1001 && ev.size == 1 && ev.bytes[0] == 0xF8);
	CHECK(!fl_midi_queue_pop(&q, &ev));
	for (int i = 0; i < 4; i++)
		CHECK(fl_midi_queue_push(&q, (uint64_t)i, note, 3));
	CHECK(!fl_midi_queue_push(&q, 9, note, 3));
	CHECK(atomic_load(&q.dropped) == 3);
	fl_midi_queue_destroy(&q);
	fl_midi_queue_destroy(&q); /* twice is harmless */
}

static void
test_wake(void)
{
	struct fl_midi_queue q;
	struct pollfd pfd;
	const uint8_t cc[3] = {0xB0, 7, 64};

	CHECK(fl_midi_queue_init(&q, 8, true) == FL_OK);
	CHECK(q.wake_fd >= 0);
	pfd = (struct pollfd){.fd = q.wake_fd, .events = POLLIN};
	CHECK(poll(&pfd, 1, 0) == 0);
	CHECK(fl_midi_queue_push(&q, 5, cc, 3));
	fl_midi_queue_wake(&q);
	fl_midi_queue_wake(&q);
	CHECK(poll(&pfd, 1, 0) == 1);
	fl_midi_queue_clear_wake(&q);
	CHECK(poll(&pfd, 1, 0) == 0);
	fl_midi_queue_destroy(&q);
}

#define N_THREADED 50000

static void *
producer(void *arg)
{
	struct fl_midi_queue *q = arg;
	uint8_t m[3] = {0x90, 0, 0};

	for (uint32_t i = 0; i < N_THREADED; i++) {
		m[1] = (uint8_t)(i & 0x7F);
		while (!fl_midi_queue_push(q, i, m, 3))
			atomic_fetch_sub(&q->dropped, 1); /* full: retry (not a loss here) */
	}
	return NULL;
}

static void
test_threads(void)
{
	struct fl_midi_queue q;
	struct fl_midi_event ev;
	pthread_t th;
	uint32_t next = 0, bad = 0;

	CHECK(fl_midi_queue_init(&q, 64, false) == FL_OK);
	CHECK(pthread_create(&th, NULL, producer, &q) == 0);
	while (next < N_THREADED) {
		if (!fl_midi_queue_pop(&q, &ev))
			continue;
		if (ev.stamp != next || ev.bytes[1] != (next & 0x7F))
			bad++;
		next++;
	}
	pthread_join(th, NULL);
	CHECK_MSG(bad == 0, "%u events out of order or corrupt", bad);
	CHECK(atomic_load(&q.dropped) == 0);
	fl_midi_queue_destroy(&q);
}

int
main(void)
{
	test_basic();
	test_wake();
	test_threads();
	return fl_check_summary("test_midi_queue");
}
