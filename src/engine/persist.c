/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The engine's side of persistence (process thread): lending track memory
 * to the disk worker (leases to fill for loading, pins to read for saving),
 * restoring the master cycle, and the taps that copy audio and applied
 * commands into rings for the journal, the recorder and the loudness meter.
 *
 * A lease reserves a region after the newest layer (dropping old undo levels
 * as a recording would); until COMMIT nothing else may allocate over it, so
 * the control thread can fill it at leisure while the loops play on. COMMIT
 * turns it into a new undo level: no audio is copied on this thread. A pin
 * protects a finished layer from being dropped or changed until UNPIN. */
#include "core/ring.h"
#include "engine/clock.h"
#include "engine/engine_internal.h"
#include "engine/history.h"

#include <string.h>

bool
fl_track_busy(const struct fl_track *tr)
{
	return tr->lease || tr->pins > 0 || tr->pin_waiting > 0;
}

static void
lease(struct fl_engine *e, struct fl_track *tr, uint64_t len, uint64_t t)
{
	bool busy = tr->lease || tr->rec_active || tr->state == FL_TRACK_ARMED ||
	            tr->state == FL_TRACK_RECORDING;
	bool dropped = false;
	uint64_t off = fl_history_head(tr, tr->n_hist);
	if (busy || len == 0 || len > tr->cap ||
	    !fl_history_make_room(tr, off, len, UINT32_MAX, &dropped)) {
		fl_engine_emit(e, FL_EV_NOTICE, (uint16_t)tr->index,
		               busy ? FL_NOTICE_BUSY : FL_NOTICE_MEMORY_FULL, t);
		fl_engine_emit(e, FL_EV_LEASE, (uint16_t)tr->index, 0, 0);
		return;
	}
	if (dropped)
		fl_engine_emit(e, FL_EV_NOTICE, (uint16_t)tr->index, FL_NOTICE_HISTORY_DROPPED, t);
	tr->lease = true;
	tr->lease_off = off;
	tr->lease_len = len;
	fl_engine_emit(e, FL_EV_LEASE, (uint16_t)tr->index, (uint32_t)len, off);
}

static void
commit(struct fl_engine *e, struct fl_track *tr, const struct fl_loop_desc *d, uint64_t t)
{
	bool dropped = false;
	if (!tr->lease || !d || d->length_frames == 0 || d->length_frames > tr->lease_len) {
		fl_engine_emit(e, FL_EV_NOTICE, (uint16_t)tr->index, FL_NOTICE_BUSY, t);
		return;
	}
	uint64_t off = tr->lease_off;
	tr->lease = false;
	int32_t idx = fl_history_push(tr, &dropped);
	if (idx < 0)
		return;
	struct fl_layer *ly = &tr->hist[idx];
	ly->off = off;
	ly->len = d->length_frames;
	ly->origin = d->origin;
	ly->src = -1;
	struct fl_cmd c = {.track = (uint16_t)tr->index, .frame = t};
	c.type = FL_CMD_TRACK_LEVEL, c.value = d->level;
	fl_track_command(tr, e, &c, t);
	c.type = FL_CMD_TRACK_PAN, c.value = d->pan;
	fl_track_command(tr, e, &c, t);
	c.type = d->muted ? FL_CMD_MUTE : FL_CMD_UNMUTE;
	if (tr->muted != (d->muted != 0))
		fl_track_command(tr, e, &c, t);
	tr->solo = d->solo != 0;
	tr->quantize = d->quantize < FL_QUANTIZE__COUNT ? d->quantize : tr->quantize;
	fl_track_set_sends(tr, d->send, d->record_input_fx != 0);
	fl_track_adopt(tr, e, idx, d->state == FL_TRACK_STOPPED);
	fl_engine_update_cycle(e);
}

/* Grants waiting pins once the loop is final. Several savers (a user save,
 * a journal checkpoint, NSM) may hold pins on the same loop at once; a pin
 * asked after the track moved on to another loop waits until every pin on
 * the old one is released, so one UNPIN never frees a loop another saver is
 * still reading. */
static void
pin_check(struct fl_engine *e, struct fl_track *tr, uint64_t t)
{
	if (tr->pin_waiting == 0)
		return;
	const struct fl_layer *ly = &tr->hist[tr->cur];
	int32_t want = ly->len ? (int32_t)tr->cur : -1;
	if (tr->pins > 0 && tr->pinned != want)
		return;
	bool writing = tr->dubbing || tr->dub.to > 0.0f || !fl_ramp_done(&tr->dub);
	bool final = !tr->rec_active && tr->state != FL_TRACK_RECORDING &&
	             tr->state != FL_TRACK_ARMED && ly->src < 0 && !writing;
	if (!final)
		return;
	tr->pinned = want;
	for (; tr->pin_waiting > 0; tr->pin_waiting--) {
		tr->pins++;
		fl_engine_emit(e, FL_EV_PINNED, (uint16_t)tr->index, (uint32_t)ly->len, ly->off);
	}
	(void)t;
}

bool
fl_persist_command(struct fl_engine *e, const struct fl_cmd *c, uint64_t t)
{
	struct fl_track *tr = c->track < e->n_tracks ? &e->tracks[c->track] : NULL;
	switch (c->type) {
	case FL_CMD_LEASE:
		if (tr)
			lease(e, tr, c->arg, t);
		return true;
	case FL_CMD_COMMIT:
		if (tr)
			commit(e, tr, c->ptr, t);
		fl_engine_release(e, c->ptr, c->type, t);
		return true;
	case FL_CMD_LEASE_CANCEL:
		if (tr)
			tr->lease = false;
		return true;
	case FL_CMD_PIN:
		if (tr) {
			tr->pin_waiting++;
			pin_check(e, tr, t);
		}
		return true;
	case FL_CMD_UNPIN:
		if (tr && tr->pins > 0 && --tr->pins == 0)
			tr->pinned = -1;
		return true;
	case FL_CMD_SET_CYCLE: {
		const struct fl_cycle_desc *d = c->ptr;
		if (d) {
			e->cycle = d->length_frames;
			e->cycle_origin = d->origin;
			fl_engine_emit(e, FL_EV_CYCLE, 0, 0, e->cycle);
		}
		fl_engine_release(e, c->ptr, c->type, t);
		return true;
	}
	case FL_CMD_TAP:
		if (c->arg < e->n_taps)
			e->taps[c->arg].enabled = c->value != 0.0f;
		return true;
	default:
		return false;
	}
}

/* ---- taps -------------------------------------------------------------- */

static void
tap_write(struct fl_engine *e, struct fl_tap *tap, const struct fl_tap_record *h,
          const void *payload)
{
	if (!fl_ring_write2(tap->ring, h, sizeof *h, payload, h->bytes)) {
		uint64_t d = atomic_load_explicit(&tap->dropped, memory_order_relaxed);
		atomic_store_explicit(&tap->dropped, d + 1, memory_order_relaxed);
		if (d == 0 || (d & 255u) == 0) /* tell once, then every 256 drops */
			fl_engine_emit(e, FL_EV_NOTICE, 0, FL_NOTICE_TAP_OVERFLOW, h->frame);
	}
}

void
fl_persist_journal_cmd(struct fl_engine *e, const struct fl_cmd *c, uint64_t t)
{
	for (uint32_t i = 0; i < e->n_taps; i++) {
		struct fl_tap *tap = &e->taps[i];
		if (!tap->enabled || tap->kind != FL_TAP_JOURNAL)
			continue;
		/* The command as applied, followed by what its pointer held. */
		unsigned char payload[sizeof(struct fl_cmd) + sizeof(struct fl_loop_desc) +
		                      sizeof(struct fl_cycle_desc)];
		uint32_t bytes = sizeof *c;
		struct fl_cmd applied = *c;
		applied.frame = t;
		memcpy(payload, &applied, sizeof applied);
		if (c->ptr && c->type == FL_CMD_COMMIT) {
			memcpy(payload + bytes, c->ptr, sizeof(struct fl_loop_desc));
			bytes += sizeof(struct fl_loop_desc);
		} else if (c->ptr && c->type == FL_CMD_SET_CYCLE) {
			memcpy(payload + bytes, c->ptr, sizeof(struct fl_cycle_desc));
			bytes += sizeof(struct fl_cycle_desc);
		}
		struct fl_tap_record h = {.kind = FL_TAP_RECORD_CMD, .frame = t, .bytes = bytes};
		tap_write(e, tap, &h, payload);
	}
}

static const float *
interleave(struct fl_engine *e, const float *l, const float *r, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		e->tap_buf[2 * i] = l[i];
		e->tap_buf[2 * i + 1] = r[i];
	}
	return e->tap_buf;
}

void
fl_persist_after_segment(struct fl_engine *e, uint64_t t, uint32_t n, const float *in_l,
                         const float *in_r, const float *out_l, const float *out_r)
{
	for (uint32_t i = 0; i < e->n_taps; i++) {
		struct fl_tap *tap = &e->taps[i];
		if (!tap->enabled)
			continue;
		struct fl_tap_record h = {.kind = FL_TAP_RECORD_AUDIO, .frames = n, .frame = t,
		                          .channels = 2};
		const float *data;
		if (tap->kind == FL_TAP_JOURNAL) {
			data = interleave(e, in_l, in_r, n);
		} else if (tap->kind == FL_TAP_MASTER) {
			data = interleave(e, out_l, out_r, n);
		} else {
			if (!e->stems)
				continue;
			h.channels = 2 * e->n_tracks;
			for (uint32_t k = 0; k < e->n_tracks; k++) {
				const float *sl = e->stems + (size_t)k * 2 * FL_SEG_MAX;
				const float *sr = sl + FL_SEG_MAX;
				for (uint32_t j = 0; j < n; j++) {
					e->tap_buf[(size_t)j * h.channels + 2 * k] = sl[j];
					e->tap_buf[(size_t)j * h.channels + 2 * k + 1] = sr[j];
				}
			}
			data = e->tap_buf;
		}
		h.bytes = n * h.channels * (uint32_t)sizeof(float);
		tap_write(e, tap, &h, data);
	}
}

void
fl_persist_publish(struct fl_engine *e)
{
	for (uint32_t k = 0; k < e->n_tracks; k++)
		pin_check(e, &e->tracks[k], e->frame);
}
