/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The loudness meter thread: drains the master tap into libebur128 and
 * publishes readings through atomics (see loudness_ctl.h). */
#include "control/loudness_ctl.h"

#include "core/log.h"
#include "dsp/loudness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DRAIN_MS 20u
#define READ_EVERY 5u /* drains per reading: 100 ms */
#define SCRATCH_FRAMES 4096u

enum { V_M, V_S, V_I, V_TP, V_TPMAX, V__COUNT };

static uint32_t
bits_of(float f)
{
	uint32_t b;
	memcpy(&b, &f, sizeof b);
	return b;
}

static float
float_of(uint32_t b)
{
	float f;
	memcpy(&f, &b, sizeof f);
	return f;
}

static void
publish(struct fl_loudness_ctl *lc, const struct fl_loudness_reading *r)
{
	const double v[V__COUNT] = {r->momentary_lufs, r->shortterm_lufs, r->integrated_lufs,
	                            r->true_peak_dbtp, r->true_peak_max_dbtp};
	for (int k = 0; k < V__COUNT; k++) {
		/* libebur128 reports silence as -HUGE_VAL or very low values. */
		float f = v[k] > -200.0 ? (float)v[k] : -INFINITY;
		atomic_store_explicit(&lc->value_bits[k], bits_of(f), memory_order_relaxed);
	}
	atomic_store_explicit(&lc->gaps, r->gaps, memory_order_relaxed);
	atomic_fetch_add_explicit(&lc->readings, 1, memory_order_release);
}

/* One record out of the ring. Audio goes to the meter in scratch-sized
 * pieces (a record may hold a whole JACK period); anything else is
 * skipped. False when no whole record is waiting. */
static bool
drain_one(struct fl_loudness_ctl *lc)
{
	struct fl_tap_record h;
	if (fl_ring_avail(&lc->ring) < sizeof h || !fl_ring_peek(&lc->ring, &h, sizeof h))
		return false;
	if (fl_ring_avail(&lc->ring) < sizeof h + h.bytes)
		return false;
	(void)fl_ring_read(&lc->ring, &h, sizeof h);
	bool audio = h.kind == FL_TAP_RECORD_AUDIO && h.channels == 2;
	uint32_t left = h.bytes, cap = lc->scratch_floats * (uint32_t)sizeof(float);
	uint64_t frame = h.frame;
	while (left > 0) {
		uint32_t n = left < cap ? left : cap;
		(void)fl_ring_read(&lc->ring, lc->scratch, n);
		left -= n;
		size_t frames = n / (2 * sizeof(float));
		if (audio && fl_loudness_add(lc->meter, frame, lc->scratch, frames) != FL_OK)
			audio = false; /* cannot happen with valid input; skip the rest */
		frame += frames;
	}
	return true;
}

static void *
meter_main(void *arg)
{
	struct fl_loudness_ctl *lc = arg;
	const struct timespec pause = {0, (long)DRAIN_MS * 1000000L};
	uint32_t pass = 0;
	while (!atomic_load_explicit(&lc->stop, memory_order_acquire)) {
		if (atomic_exchange_explicit(&lc->reset_asked, false, memory_order_acq_rel) &&
		    fl_loudness_reset(lc->meter) != FL_OK)
			fl_warn("loudness meter: reset failed");
		while (drain_one(lc))
			;
		if (++pass % READ_EVERY == 0) {
			struct fl_loudness_reading r;
			if (fl_loudness_read(lc->meter, &r) == FL_OK)
				publish(lc, &r);
		}
		nanosleep(&pause, NULL);
	}
	return NULL;
}

enum fl_status
fl_loudness_ctl_init(struct fl_loudness_ctl *lc, struct fl_engine *engine, uint32_t rate,
                     uint32_t ring_ms, char *err, size_t errlen)
{
	memset(lc, 0, sizeof *lc);
	for (int k = 0; k < V__COUNT; k++)
		atomic_init(&lc->value_bits[k], bits_of(-INFINITY));
	enum fl_status st = fl_loudness_create(&lc->meter, rate, 2);
	if (st != FL_OK) {
		snprintf(err, errlen, "loudness meter at %u Hz: %s", rate, fl_strerror(st));
		return st;
	}
	size_t bytes = (size_t)rate * ring_ms / 1000u * 2u * sizeof(float) + 65536u;
	lc->scratch_floats = 2u * SCRATCH_FRAMES;
	lc->scratch = malloc(lc->scratch_floats * sizeof *lc->scratch);
	if (!lc->scratch || (st = fl_ring_init(&lc->ring, bytes)) != FL_OK) {
		st = lc->scratch ? st : FL_ERR_NOMEM;
		snprintf(err, errlen, "loudness meter ring (%zu bytes): %s", bytes, fl_strerror(st));
		return st;
	}
	if ((st = fl_engine_add_tap(engine, FL_TAP_MASTER, &lc->ring, &lc->tap_id)) != FL_OK) {
		snprintf(err, errlen, "loudness meter: cannot tap the master: %s", fl_strerror(st));
		return st;
	}
	if (pthread_create(&lc->thread, NULL, meter_main, lc) != 0) {
		snprintf(err, errlen, "loudness meter: cannot start its thread");
		return FL_ERR_NOMEM;
	}
	lc->started = true;
	return FL_OK;
}

struct fl_cmd
fl_loudness_ctl_enable_cmd(const struct fl_loudness_ctl *lc)
{
	return (struct fl_cmd){.type = FL_CMD_TAP, .arg = lc->tap_id, .value = 1.0f};
}

void
fl_loudness_ctl_get(struct fl_loudness_ctl *lc, struct fl_loudness_values *out)
{
	float v[V__COUNT];
	for (int k = 0; k < V__COUNT; k++)
		v[k] = float_of(atomic_load_explicit(&lc->value_bits[k], memory_order_relaxed));
	*out = (struct fl_loudness_values){v[V_M], v[V_S], v[V_I], v[V_TP], v[V_TPMAX],
	                                   atomic_load_explicit(&lc->gaps, memory_order_relaxed)};
}

void
fl_loudness_ctl_reset(struct fl_loudness_ctl *lc)
{
	atomic_store_explicit(&lc->reset_asked, true, memory_order_release);
}

uint64_t
fl_loudness_ctl_readings(struct fl_loudness_ctl *lc)
{
	return atomic_load_explicit(&lc->readings, memory_order_acquire);
}

void
fl_loudness_ctl_fini(struct fl_loudness_ctl *lc)
{
	if (lc->started) {
		atomic_store_explicit(&lc->stop, true, memory_order_release);
		pthread_join(lc->thread, NULL);
		lc->started = false;
	}
	fl_loudness_free(lc->meter);
	lc->meter = NULL;
	free(lc->scratch);
	lc->scratch = NULL;
	if (lc->ring.buf)
		fl_ring_destroy(&lc->ring);
}
