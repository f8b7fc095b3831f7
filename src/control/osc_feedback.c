/* SPDX-License-Identifier: GPL-2.0-or-later */
/* OSC feedback: the full snapshot, changes as they happen, and positions and
 * meters at a bounded rate.
 *
 * One function (emit_state) serves both the snapshot and the diff: with
 * all = true it sends every value, otherwise only those that differ from
 * what clients were last told. Every registered client has been told the
 * same thing (a new client gets the current snapshot at once), so one "last
 * sent" copy serves them all. Formats are fixed: integration tests and
 * tablet layouts depend on them (docs/osc.md). */
#include "control/osc_private.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int32_t
clamp_i32(uint64_t v)
{
	return v > INT32_MAX ? INT32_MAX : (int32_t)v;
}

static void
send_i(struct fl_osc *o, const struct fl_osc_peer *to, const char *path, int32_t v)
{
	lo_message m = lo_message_new();
	lo_message_add_int32(m, v);
	fl_osc_deliver(o, to, path, m);
}

static void
send_f(struct fl_osc *o, const struct fl_osc_peer *to, const char *path, float v)
{
	lo_message m = lo_message_new();
	lo_message_add_float(m, v);
	fl_osc_deliver(o, to, path, m);
}

static void
send_s(struct fl_osc *o, const struct fl_osc_peer *to, const char *path, const char *s)
{
	lo_message m = lo_message_new();
	lo_message_add_string(m, s);
	fl_osc_deliver(o, to, path, m);
}

static void
send_ff(struct fl_osc *o, const struct fl_osc_peer *to, const char *path, float a, float b)
{
	lo_message m = lo_message_new();
	lo_message_add_float(m, a);
	lo_message_add_float(m, b);
	fl_osc_deliver(o, to, path, m);
}

static void
send_ii(struct fl_osc *o, const struct fl_osc_peer *to, const char *path, int32_t a, int32_t b)
{
	lo_message m = lo_message_new();
	lo_message_add_int32(m, a);
	lo_message_add_int32(m, b);
	fl_osc_deliver(o, to, path, m);
}

static void
emit_track(struct fl_osc *o, const struct fl_osc_peer *to, uint32_t n,
           const struct fl_track_status *a, const struct fl_track_status *b, bool all)
{
	char p[64];
#define TP(op) (snprintf(p, sizeof p, "/footloop/track/%u/" op, n + 1), p)
	if (all || a->state != b->state)
		send_s(o, to, TP("state"), fl_track_state_name((enum fl_track_state)b->state));
	/* A recording's length grows every tick: it goes with the positions. */
	bool growing = !all && a->state == FL_TRACK_RECORDING && b->state == FL_TRACK_RECORDING;
	if (all || (a->length_frames != b->length_frames && !growing))
		send_i(o, to, TP("length"), clamp_i32(b->length_frames));
	if (all || a->muted != b->muted)
		send_i(o, to, TP("mute"), b->muted);
	if (all || a->solo != b->solo)
		send_i(o, to, TP("solo"), b->solo);
	if (all || a->level != b->level)
		send_f(o, to, TP("level"), b->level);
	if (all || a->pan != b->pan)
		send_f(o, to, TP("pan"), b->pan);
	if (all || a->quantize != b->quantize)
		send_s(o, to, TP("quantize"), fl_quantize_name((enum fl_quantize)b->quantize));
	if (all || a->undo_depth != b->undo_depth || a->redo_depth != b->redo_depth)
		send_ii(o, to, TP("history"), (int32_t)b->undo_depth, (int32_t)b->redo_depth);
#undef TP
}

/* Sends the values of b (all of them, or those differing from a). */
static void
emit_state(struct fl_osc *o, const struct fl_osc_peer *to, const struct fl_snapshot *a,
           const struct fl_snapshot *b, bool all)
{
	const struct fl_engine_status *ea = &a->engine, *eb = &b->engine;
	if (all || a->n_tracks != b->n_tracks)
		send_i(o, to, "/footloop/tracks", (int32_t)b->n_tracks);
	if (all || ea->sample_rate != eb->sample_rate)
		send_i(o, to, "/footloop/rate", (int32_t)eb->sample_rate);
	if (all || ea->cycle_frames != eb->cycle_frames)
		send_i(o, to, "/footloop/cycle", clamp_i32(eb->cycle_frames));
	if (all || a->selected != b->selected)
		send_i(o, to, "/footloop/selected", (int32_t)b->selected + 1);
	if (all || ea->master_level != eb->master_level)
		send_f(o, to, "/footloop/master/level", eb->master_level);
	if (all || ea->monitor != eb->monitor)
		send_i(o, to, "/footloop/monitor", eb->monitor);
	if (all || ea->monitor_level != eb->monitor_level)
		send_f(o, to, "/footloop/monitor/level", eb->monitor_level);
	if (all || ea->latency_frames != eb->latency_frames)
		send_i(o, to, "/footloop/latency", (int32_t)eb->latency_frames);
	if (all || a->xruns != b->xruns)
		send_i(o, to, "/footloop/xruns", clamp_i32(b->xruns));
	for (uint32_t i = 0; i < b->n_tracks && i < FL_MAX_TRACKS; i++)
		emit_track(o, to, i, &a->tracks[i], &b->tracks[i], all || i >= a->n_tracks);
}

void
fl_osc_send_snapshot(struct fl_osc *o, const struct fl_osc_peer *to)
{
	emit_state(o, to, &o->cur, &o->cur, true);
	fl_osc_emit_fx(o, to, true);
	send_i(o, to, "/footloop/state/end", o->seq++);
}

/* Positions of tracks holding or recording a loop, and meters that moved. */
static void
emit_continuous(struct fl_osc *o, const struct fl_snapshot *s, const struct fl_snapshot *prev)
{
	char p[64];
	for (uint32_t i = 0; i < s->n_tracks && i < FL_MAX_TRACKS; i++) {
		const struct fl_track_status *t = &s->tracks[i], *u = &prev->tracks[i];
		if (t->state != FL_TRACK_EMPTY) {
			snprintf(p, sizeof p, "/footloop/track/%u/position", i + 1);
			send_i(o, NULL, p, clamp_i32(t->position_frames));
		}
		if (t->state == FL_TRACK_RECORDING && t->length_frames != u->length_frames) {
			snprintf(p, sizeof p, "/footloop/track/%u/length", i + 1);
			send_i(o, NULL, p, clamp_i32(t->length_frames));
		}
		if (t->peak[0] != u->peak[0] || t->peak[1] != u->peak[1]) {
			snprintf(p, sizeof p, "/footloop/track/%u/meter", i + 1);
			send_ff(o, NULL, p, t->peak[0], t->peak[1]);
		}
		if (t->rms[0] != u->rms[0] || t->rms[1] != u->rms[1]) {
			snprintf(p, sizeof p, "/footloop/track/%u/rms", i + 1);
			send_ff(o, NULL, p, t->rms[0], t->rms[1]);
		}
	}
	const struct fl_engine_status *e = &s->engine, *f = &prev->engine;
	if (e->master_peak[0] != f->master_peak[0] || e->master_peak[1] != f->master_peak[1])
		send_ff(o, NULL, "/footloop/master/meter", e->master_peak[0], e->master_peak[1]);
	if (e->input_peak[0] != f->input_peak[0] || e->input_peak[1] != f->input_peak[1])
		send_ff(o, NULL, "/footloop/input/meter", e->input_peak[0], e->input_peak[1]);
	if (e->master_rms[0] != f->master_rms[0] || e->master_rms[1] != f->master_rms[1])
		send_ff(o, NULL, "/footloop/master/rms", e->master_rms[0], e->master_rms[1]);
	if (e->limiter_gr_db != f->limiter_gr_db)
		send_f(o, NULL, "/footloop/master/gr", e->limiter_gr_db);
	if (o->fx) {
		lo_message m = lo_message_new();
		for (int k = 0; k < 3; k++)
			lo_message_add_float(m, o->loudness[k]);
		fl_osc_deliver(o, NULL, "/footloop/master/loudness", m);
		send_f(o, NULL, "/footloop/master/truepeak", o->true_peak_db);
	}
}

void
fl_osc_set_loudness(struct fl_osc *o, const float lufs[3], float true_peak_db)
{
	memcpy(o->loudness, lufs, sizeof o->loudness);
	o->true_peak_db = true_peak_db;
}

void
fl_osc_publish(struct fl_osc *o, const struct fl_snapshot *snap, uint64_t now_ms)
{
	o->cur = *snap;
	if (o->n_clients) {
		emit_state(o, NULL, &o->sent, &o->cur, false);
		fl_osc_emit_fx(o, NULL, false);
	}
	fl_osc_fx_mark_sent(o);
	if (now_ms - o->last_cont_ms >= o->interval_ms) {
		/* Meters and growing lengths are compared with what went out at
		 * the last rate tick (kept in sent), not with every tick's value. */
		if (o->n_clients)
			emit_continuous(o, &o->cur, &o->sent);
		/* The schedule advances by the interval, so a coarse caller tick
		 * (10 ms) still averages feedback_hz, never more; after a stall it
		 * restarts instead of bursting. */
		o->last_cont_ms += o->interval_ms;
		if (now_ms - o->last_cont_ms >= o->interval_ms)
			o->last_cont_ms = now_ms;
		o->sent = o->cur;
	} else {
		/* Keep the values last sent at the rate; take every other field. */
		struct fl_snapshot keep = o->sent;
		o->sent = o->cur;
		for (uint32_t i = 0; i < FL_MAX_TRACKS; i++) {
			memcpy(o->sent.tracks[i].peak, keep.tracks[i].peak, sizeof keep.tracks[i].peak);
			memcpy(o->sent.tracks[i].rms, keep.tracks[i].rms, sizeof keep.tracks[i].rms);
			if (keep.tracks[i].state == FL_TRACK_RECORDING &&
			    o->cur.tracks[i].state == FL_TRACK_RECORDING)
				o->sent.tracks[i].length_frames = keep.tracks[i].length_frames;
		}
		memcpy(o->sent.engine.master_peak, keep.engine.master_peak,
		       sizeof keep.engine.master_peak);
		memcpy(o->sent.engine.input_peak, keep.engine.input_peak,
		       sizeof keep.engine.input_peak);
		memcpy(o->sent.engine.master_rms, keep.engine.master_rms,
		       sizeof keep.engine.master_rms);
		o->sent.engine.limiter_gr_db = keep.engine.limiter_gr_db;
	}
}

void
fl_osc_notice(struct fl_osc *o, const char *text)
{
	if (o->n_clients)
		send_s(o, NULL, "/footloop/notice", text);
}
