/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "check.h"
#include "core/spsc.h"

#include <pthread.h>
#include <stdint.h>

static void
test_single_thread(void)
{
	struct fl_spsc q;
	CHECK(fl_spsc_init(&q, 5, sizeof(uint64_t)) == FL_OK);
	CHECK(q.mask == 7);
	uint64_t v = 0;
	CHECK(!fl_spsc_pop(&q, &v));
	/* Wrap the free-running indices many times. */
	for (uint64_t round = 0; round < 1000; round++) {
		for (uint64_t i = 0; i < 8; i++)
			CHECK(fl_spsc_push(&q, &(uint64_t){round * 8 + i}));
		CHECK(!fl_spsc_push(&q, &(uint64_t){99}));
		CHECK(fl_spsc_count(&q) == 8);
		for (uint64_t i = 0; i < 8; i++) {
			CHECK(fl_spsc_pop(&q, &v));
			CHECK(v == round * 8 + i);
		}
		CHECK(!fl_spsc_pop(&q, &v));
	}
	fl_spsc_destroy(&q);
	fl_spsc_destroy(&q); /* second destroy is a no-op */
}

#define STRESS_N 10000000u

static void *
producer(void *arg)
{
	struct fl_spsc *q = arg;
	for (uint64_t i = 0; i < STRESS_N;)
		if (fl_spsc_push(q, &i))
			i++;
	return NULL;
}

static void
test_two_threads(void)
{
	struct fl_spsc q;
	CHECK(fl_spsc_init(&q, 64, sizeof(uint64_t)) == FL_OK);
	pthread_t th;
	pthread_create(&th, NULL, producer, &q);
	uint64_t expect = 0, v, bad = 0;
	while (expect < STRESS_N)
		if (fl_spsc_pop(&q, &v))
			bad += v != expect++;
	pthread_join(th, NULL);
	CHECK_MSG(bad == 0, "%llu messages lost or reordered", (unsigned long long)bad);
	fl_spsc_destroy(&q);
}

int
main(void)
{
	test_single_thread();
	test_two_threads();
	return fl_check_summary("test_spsc");
}
