/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Engine setup, teardown and the control-thread side of the queues. Never
 * called from the process thread. */
#include "core/log.h"
#include "engine/engine_internal.h"
#include "engine/history.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

void
fl_engine_config_defaults(struct fl_engine_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->sample_rate = 48000;
	cfg->n_tracks = 4;
	cfg->track_seconds = 120.0f;
	cfg->fade_ms = 10.0f;
	cfg->seam_ms = 10.0f;
	cfg->late_window_ms = 150.0f;
	cfg->smooth_ms = 10.0f;
	cfg->history_seconds = 2.0f;
	cfg->quantize = FL_QUANTIZE_CYCLE;
	cfg->monitor = true;
	cfg->monitor_level = 1.0f;
	cfg->master_level = 1.0f;
	cfg->latency_frames = 0;
	cfg->limiter = true;
}

/* Allocates and touches every page now, so the process thread never takes a
 * page fault; then locks it when the memlock limit allows. */
static float *
alloc_audio(size_t floats)
{
	float *p = malloc(floats * sizeof *p);
	if (!p)
		return NULL;
	memset(p, 0, floats * sizeof *p);
	if (mlock(p, floats * sizeof *p) != 0 && errno != ENOMEM && errno != EPERM)
		fl_debug("mlock of %zu bytes failed: %s", floats * sizeof *p, strerror(errno));
	return p;
}

static bool
config_valid(const struct fl_engine_config *c)
{
	return c->sample_rate > 0 && c->n_tracks >= 1 && c->n_tracks <= FL_MAX_TRACKS &&
	       c->track_seconds > 0.0f && c->track_seconds <= 3600.0f && c->fade_ms >= 0.0f &&
	       c->fade_ms <= 1000.0f && c->seam_ms >= 0.0f && c->seam_ms <= 1000.0f &&
	       c->late_window_ms >= 0.0f && c->history_seconds > 0.0f &&
	       c->history_seconds <= 60.0f && c->quantize < FL_QUANTIZE__COUNT &&
	       isfinite(c->monitor_level) && isfinite(c->master_level);
}

enum fl_status
fl_engine_create(const struct fl_engine_config *cfg, struct fl_engine **out)
{
	*out = NULL;
	if (!config_valid(cfg))
		return FL_ERR_CONFIG;
	struct fl_engine *e = calloc(1, sizeof *e);
	if (!e)
		return FL_ERR_NOMEM;
	e->cfg = *cfg;
	e->n_tracks = cfg->n_tracks;
	uint64_t hist = 1024;
	while (hist < (uint64_t)(cfg->history_seconds * (float)cfg->sample_rate))
		hist <<= 1;
	e->history_mask = hist - 1;
	e->latency = cfg->latency_frames;
	e->monitor = cfg->monitor;
	e->monitor_level = cfg->monitor_level < 0.0f ? 0.0f : cfg->monitor_level;
	fl_smooth_init(&e->master, cfg->master_level, cfg->smooth_ms, (float)cfg->sample_rate);
	fl_smooth_init(&e->monitor_gain, e->monitor ? e->monitor_level : 0.0f, cfg->smooth_ms,
	               (float)cfg->sample_rate);
	uint64_t cap = (uint64_t)((double)cfg->track_seconds * cfg->sample_rate);
	e->history = alloc_audio((size_t)hist * FL_CHANNELS);
	e->history_fx = alloc_audio((size_t)hist * FL_CHANNELS);
	fl_ramp_set(&e->panic_gain, 1.0f);
	if (cfg->limiter) {
		e->limiter = calloc(1, sizeof *e->limiter);
		if (!e->limiter ||
		    fl_limiter_init(e->limiter, (float)cfg->sample_rate, 1.0f) != FL_OK)
			goto fail;
	}
	e->tracks = calloc(cfg->n_tracks, sizeof *e->tracks);
	if (!e->history || !e->history_fx || !e->tracks ||
	    fl_spsc_init(&e->cmds, FL_CMD_QUEUE, sizeof(struct fl_cmd)) != FL_OK ||
	    fl_spsc_init(&e->events, FL_EVENT_QUEUE, sizeof(struct fl_event)) != FL_OK)
		goto fail;
	fl_engine_apply_rate(e, cfg->sample_rate);
	for (uint32_t i = 0; i < cfg->n_tracks; i++) {
		float *mem = alloc_audio((size_t)cap * FL_CHANNELS);
		if (!mem)
			goto fail;
		fl_track_init(&e->tracks[i], i, mem, cap, e);
	}
	*out = e;
	return FL_OK;
fail:
	fl_engine_free(e);
	return FL_ERR_NOMEM;
}

/* Objects that travel by message: effect instances, loop and cycle
 * descriptions (all allocated by the control thread with malloc). */
static void
free_owned(uint32_t cmd_type, void *ptr)
{
	if (!ptr)
		return;
	if (cmd_type == FL_CMD_FX_SLOT)
		fl_fx_free(ptr);
	else
		free(ptr);
}

void
fl_engine_free(struct fl_engine *e)
{
	if (!e)
		return;
	/* Whatever is still in flight in either queue is ours to free now. */
	struct fl_cmd c;
	while (e->cmds.slots && fl_spsc_pop(&e->cmds, &c))
		free_owned(c.type, c.ptr);
	struct fl_event ev;
	while (e->events.slots && fl_spsc_pop(&e->events, &ev))
		if (ev.type == FL_EV_RELEASE)
			free_owned(ev.arg, ev.ptr);
	if (e->tracks)
		for (uint32_t i = 0; i < e->n_tracks; i++) {
			free(e->tracks[i].mem);
			fl_fx_chain_free(&e->tracks[i].chain);
		}
	fl_fx_chain_free(&e->input_chain);
	fl_fx_chain_free(&e->master_chain);
	for (uint32_t b = 0; b < FL_BUSES; b++)
		fl_fx_chain_free(&e->bus_chain[b]);
	free(e->limiter);
	free(e->tracks);
	free(e->history);
	free(e->history_fx);
	free(e->stems);
	fl_spsc_destroy(&e->cmds);
	fl_spsc_destroy(&e->events);
	free(e);
}

enum fl_status
fl_engine_send(struct fl_engine *e, const struct fl_cmd *cmd)
{
	if (fl_spsc_push(&e->cmds, cmd))
		return FL_OK;
	atomic_fetch_add_explicit(&e->cmds_dropped, 1, memory_order_relaxed);
	return FL_ERR_FULL;
}

bool
fl_engine_poll_event(struct fl_engine *e, struct fl_event *ev)
{
	return fl_spsc_pop(&e->events, ev);
}

uint64_t
fl_engine_frame(const struct fl_engine *e)
{
	return atomic_load_explicit(&e->pub.frame, memory_order_relaxed);
}

uint64_t
fl_engine_memory_bytes(const struct fl_engine *e)
{
	uint64_t bytes = (e->history_mask + 1) * FL_CHANNELS * sizeof(float);
	for (uint32_t i = 0; i < e->n_tracks; i++)
		bytes += e->tracks[i].cap * FL_CHANNELS * sizeof(float);
	return bytes;
}

#define LOAD(x) atomic_load_explicit(&(x), memory_order_relaxed)

void
fl_engine_get_status(const struct fl_engine *e, struct fl_engine_status *st,
                     struct fl_track_status *tracks, uint32_t max_tracks)
{
	const struct fl_engine_pub *p = &e->pub;
	memset(st, 0, sizeof *st);
	st->frame = LOAD(p->frame);
	st->cycle_frames = LOAD(p->cycle);
	uint64_t origin = LOAD(p->cycle_origin);
	st->cycle_position = st->cycle_frames && st->frame >= origin
	                             ? (st->frame - origin) % st->cycle_frames
	                             : 0;
	st->sample_rate = LOAD(p->rate);
	st->n_tracks = e->n_tracks;
	st->latency_frames = LOAD(p->latency);
	st->master_level = LOAD(p->master_level);
	st->monitor_level = LOAD(p->monitor_level);
	st->monitor = LOAD(p->monitor) != 0;
	for (int c = 0; c < FL_CHANNELS; c++) {
		st->input_peak[c] = LOAD(p->input_peak[c]);
		st->master_peak[c] = LOAD(p->master_peak[c]);
	}
	st->cmds_dropped = LOAD(e->cmds_dropped);
	st->cycle_origin = origin;
	st->master_rms[0] = LOAD(p->master_rms[0]);
	st->master_rms[1] = LOAD(p->master_rms[1]);
	st->limiter_gr_db = LOAD(p->gr_db);
	st->output_latency = LOAD(p->out_latency);
	st->panic = LOAD(p->panic) != 0;
	st->events_dropped = LOAD(p->events_dropped);
	for (uint32_t i = 0; tracks && i < max_tracks && i < e->n_tracks; i++) {
		const struct fl_track_pub *tp = &e->tracks[i].pub;
		struct fl_track_status *ts = &tracks[i];
		uint32_t flags = LOAD(tp->flags);
		ts->state = LOAD(tp->state);
		ts->muted = flags & 1u;
		ts->solo = flags & 2u;
		ts->closing = flags & 4u;
		ts->quantize = LOAD(tp->quantize);
		ts->length_frames = LOAD(tp->length);
		ts->position_frames = LOAD(tp->position);
		ts->level = LOAD(tp->level);
		ts->pan = LOAD(tp->pan);
		ts->peak[0] = LOAD(tp->peak[0]);
		ts->peak[1] = LOAD(tp->peak[1]);
		ts->undo_depth = LOAD(tp->undo_depth);
		ts->redo_depth = LOAD(tp->redo_depth);
		ts->origin = LOAD(tp->origin);
		uint32_t busy = LOAD(tp->busy);
		ts->leased = busy & 1u;
		ts->pinned = busy & 2u;
		ts->record_input_fx = busy & 4u;
		for (uint32_t b = 0; b < FL_BUSES; b++)
			ts->send[b] = LOAD(tp->send[b]);
		ts->rms[0] = LOAD(tp->rms[0]);
		ts->rms[1] = LOAD(tp->rms[1]);
	}
}

enum fl_status
fl_engine_add_tap(struct fl_engine *e, enum fl_tap_kind kind, struct fl_ring *ring, uint32_t *id)
{
	if (!ring || (unsigned)kind >= FL_TAP__COUNT)
		return FL_ERR_BAD_ARG;
	if (e->n_taps >= FL_MAX_TAPS)
		return FL_ERR_FULL;
	if (kind == FL_TAP_STEMS && !e->stems) {
		e->stems = calloc((size_t)e->n_tracks * 2 * FL_SEG_MAX, sizeof(float));
		if (!e->stems)
			return FL_ERR_NOMEM;
	}
	struct fl_tap *tap = &e->taps[e->n_taps];
	tap->kind = kind;
	tap->ring = ring;
	tap->enabled = false;
	atomic_init(&tap->dropped, 0);
	*id = e->n_taps++;
	return FL_OK;
}

uint64_t
fl_engine_tap_dropped(const struct fl_engine *e, uint32_t id)
{
	return id < e->n_taps ? atomic_load_explicit(&e->taps[id].dropped, memory_order_relaxed) : 0;
}

void
fl_engine_track_memory(const struct fl_engine *e, uint32_t track, float **mem, uint64_t *cap_frames)
{
	*mem = track < e->n_tracks ? e->tracks[track].mem : NULL;
	*cap_frames = track < e->n_tracks ? e->tracks[track].cap : 0;
}

void
fl_engine_set_frame(struct fl_engine *e, uint64_t frame)
{
	e->frame = frame;
	atomic_store_explicit(&e->pub.frame, frame, memory_order_relaxed);
}
