/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Why the worker copies into the leased regions rather than this thread:
 * a 120 s stereo loop is 46 MB; copying it would stall OSC, MIDI and the
 * switches for tens of milliseconds on a Pi. */
#include "persist/session_ctl.h"

#include "core/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct save_job {
	struct fl_job job;
	struct fl_session_ctl *ctl;
	char root[PATH_MAX];
	char name[FL_SESSION_NAME_MAX + 1];
	struct fl_manifest *man;
	struct fl_region region[FL_MAX_TRACKS];
	enum fl_status st;
	char err[256];
};

struct load_job {
	struct fl_job job;
	struct fl_session_ctl *ctl;
	char root[PATH_MAX];
	char name[FL_SESSION_NAME_MAX + 1];
	uint32_t rate, n_tracks;
	uint64_t cap_frames;
	struct fl_session *sess;
	bool fill;                           ///< second stage: copy into the leases
	uint64_t lease_off[FL_MAX_TRACKS];
	enum fl_status st;
	char err[256];
};

static void
send_cmd(struct fl_session_ctl *c, uint16_t type, uint32_t t, uint32_t arg, uint64_t frame,
         void *ptr)
{
	struct fl_cmd cmd = { .type = type, .track = (uint16_t)t, .arg = arg, .frame = frame,
			      .ptr = ptr };
	if (fl_engine_send(c->engine, &cmd) != FL_OK) {
		fl_error("session: engine command queue full (command %u on track %u lost)", type, t + 1);
		free(ptr);
	}
}

void
fl_session_ctl_init(struct fl_session_ctl *c, struct fl_engine *e, struct fl_worker *w,
                    const char *root, fl_session_reply_fn *reply, void *user)
{
	memset(c, 0, sizeof *c);
	c->engine = e;
	c->worker = w;
	snprintf(c->root, sizeof c->root, "%s", root ? root : "");
	c->reply = reply;
	c->user = user;
	struct fl_engine_status st;
	fl_engine_get_status(e, &st, NULL, 0);
	c->n_tracks = st.n_tracks;
	c->rate = st.sample_rate;
	c->start_delay_frames = st.sample_rate / 20u;
}

void
fl_session_ctl_fini(struct fl_session_ctl *c)
{
	free(c->man);
	fl_session_free(c->sess);
	c->man = NULL;
	c->sess = NULL;
}

static void
finish(struct fl_session_ctl *c, enum fl_status st, const char *msg)
{
	enum fl_session_op op = c->op;
	if (st == FL_OK)
		snprintf(c->current, sizeof c->current, "%s", c->op_name);
	if (st == FL_OK)
		fl_info("session: %s \"%s\" done", op == FL_SESSION_OP_SAVE ? "save" : "load", c->op_name);
	else
		fl_error("session: %s", msg);
	c->op = FL_SESSION_OP_NONE;
	memset(c->held, 0, sizeof c->held);
	memset(c->waiting, 0, sizeof c->waiting);
	c->left = 0;
	if (c->reply)
		c->reply(c->user, op, st, c->op_name, msg);
}

static enum fl_status
start(struct fl_session_ctl *c, enum fl_session_op op, const char *name, char *err,
      size_t errlen)
{
	if (c->op != FL_SESSION_OP_NONE) {
		snprintf(err, errlen, "a session %s is in progress", c->op == FL_SESSION_OP_SAVE ? "save" : "load");
		return FL_ERR_BUSY;
	}
	enum fl_status st = fl_session_name_check(name, err, errlen);
	if (st != FL_OK)
		return st;
	c->op = op;
	snprintf(c->op_name, sizeof c->op_name, "%s", name);
	return FL_OK;
}

/* ---- save ---- */

static void
save_run(struct fl_job *j)
{
	struct save_job *s = (struct save_job *)j;
	s->st = fl_session_save(s->root, s->name, s->man, s->region, s->err, sizeof s->err);
}

static void
save_done(struct fl_job *j)
{
	struct save_job *s = (struct save_job *)j;
	struct fl_session_ctl *c = s->ctl;
	for (uint32_t t = 0; t < c->n_tracks; t++) {
		if (c->held[t])
			send_cmd(c, FL_CMD_UNPIN, t, 0, 0, NULL);
	}
	free(s->man);
	finish(c, s->st, s->err);
	free(s);
}

static void
save_write(struct fl_session_ctl *c)
{
	struct save_job *s = calloc(1, sizeof *s);
	if (!s) {
		finish(c, FL_ERR_NOMEM, "out of memory saving a session");
		return;
	}
	s->job.run = save_run;
	s->job.done = save_done;
	s->ctl = c;
	snprintf(s->root, sizeof s->root, "%s", c->root);
	snprintf(s->name, sizeof s->name, "%s", c->op_name);
	s->man = c->man;
	c->man = NULL;
	memcpy(s->region, c->region, sizeof s->region);
	fl_worker_submit(c->worker, &s->job);
}

enum fl_status
fl_session_ctl_save(struct fl_session_ctl *c, const char *name, char *err, size_t errlen)
{
	enum fl_status st = start(c, FL_SESSION_OP_SAVE, name, err, errlen);
	if (st != FL_OK)
		return st;
	c->man = malloc(sizeof *c->man);
	if (!c->man) {
		c->op = FL_SESSION_OP_NONE;
		snprintf(err, errlen, "out of memory");
		return FL_ERR_NOMEM;
	}
	struct fl_engine_status es;
	struct fl_track_status ts[FL_MAX_TRACKS];
	fl_engine_get_status(c->engine, &es, ts, FL_MAX_TRACKS);
	fl_manifest_init(c->man, es.sample_rate, es.n_tracks);
	c->man->cycle_frames = es.cycle_frames;
	memset(c->region, 0, sizeof c->region);
	for (uint32_t t = 0; t < es.n_tracks; t++) {
		if (ts[t].state == FL_TRACK_EMPTY && ts[t].length_frames == 0)
			continue;
		c->waiting[t] = true;
		c->left++;
		send_cmd(c, FL_CMD_PIN, t, 0, 0, NULL);
	}
	if (c->left == 0)
		save_write(c); /* an empty session: just the manifest */
	return FL_OK;
}

/* Phase = position at a cycle-grid frame, from the published origins. */
static void
save_track(struct fl_session_ctl *c, uint32_t t, uint64_t off, uint64_t len)
{
	struct fl_engine_status es;
	struct fl_track_status ts[FL_MAX_TRACKS];
	fl_engine_get_status(c->engine, &es, ts, FL_MAX_TRACKS);
	float *mem;
	uint64_t cap;
	fl_engine_track_memory(c->engine, t, &mem, &cap);
	c->region[t] = (struct fl_region){ mem, cap, off, len };
	struct fl_manifest_track *mt = &c->man->track[t];
	const struct fl_track_status *s = &ts[t];
	mt->present = true;
	fl_manifest_track_file(t, mt->file, sizeof mt->file);
	mt->length_frames = len;
	uint64_t grid = es.cycle_frames ? es.cycle_origin : 0;
	mt->phase_frames = grid >= s->origin ? (grid - s->origin) % len
	                                     : (len - (s->origin - grid) % len) % len;
	mt->state = s->state == FL_TRACK_STOPPED ? FL_TRACK_STOPPED : FL_TRACK_PLAYING;
	mt->level = s->level;
	mt->pan = s->pan;
	mt->muted = s->muted;
	mt->solo = s->solo;
	mt->quantize = s->quantize;
	memcpy(mt->send, s->send, sizeof mt->send);
	mt->record_input_fx = s->record_input_fx;
}

static void
on_pinned(struct fl_session_ctl *c, const struct fl_event *ev)
{
	uint32_t t = ev->track;
	c->waiting[t] = false;
	c->left--;
	c->held[t] = true;
	if (ev->arg > 0)
		save_track(c, t, ev->frame, ev->arg);
	if (c->left == 0)
		save_write(c);
}

/* ---- load ---- */

static void
load_run(struct fl_job *j)
{
	struct load_job *l = (struct load_job *)j;
	if (!l->fill) {
		l->st = fl_session_load(l->root, l->name, l->rate, l->cap_frames, l->n_tracks, &l->sess,
		                        l->err, sizeof l->err);
		return;
	}
	/* Copy each loop into its leased region, wrapping at the ring's end. */
	for (uint32_t t = 0; t < l->n_tracks; t++) {
		const struct fl_manifest_track *mt = &l->sess->man.track[t];
		if (!mt->present)
			continue;
		float *mem;
		uint64_t cap;
		fl_engine_track_memory(l->ctl->engine, t, &mem, &cap);
		uint64_t off = l->lease_off[t] % cap, done = 0;
		while (done < mt->length_frames) {
			uint64_t n = mt->length_frames - done;
			n = n > cap - off ? cap - off : n;
			memcpy(mem + 2u * off, l->sess->audio[t] + 2u * done, n * 2u * sizeof(float));
			done += n;
			off = (off + n) % cap;
		}
	}
	l->st = FL_OK;
}

uint64_t
fl_session_ctl_switch_frame(const struct fl_session_ctl *c)
{
	struct fl_engine_status es;
	struct fl_track_status ts[FL_MAX_TRACKS];
	fl_engine_get_status(c->engine, &es, ts, FL_MAX_TRACKS);
	uint64_t now = fl_engine_frame(c->engine);
	uint64_t earliest = now + c->start_delay_frames;
	bool playing = false;
	for (uint32_t t = 0; t < es.n_tracks; t++)
		playing |= ts[t].state == FL_TRACK_PLAYING || ts[t].state == FL_TRACK_OVERDUBBING;
	if (!playing || es.cycle_frames == 0)
		return earliest;
	/* the first boundary at least the start delay away (commands need time
	 * to reach the engine) */
	uint64_t o = es.cycle_origin, len = es.cycle_frames;
	uint64_t pos = earliest >= o ? (earliest - o) % len : (len - (o - earliest) % len) % len;
	return pos ? earliest + (len - pos) : earliest;
}

static void
commit_all(struct fl_session_ctl *c, uint64_t at)
{
	const struct fl_manifest *m = &c->sess->man;
	uint64_t f = at ? at : fl_session_ctl_switch_frame(c);
	for (uint32_t t = 0; t < c->n_tracks; t++) {
		if (!m->track[t].present)
			send_cmd(c, FL_CMD_CLEAR, t, 0, f, NULL);
	}
	struct fl_cycle_desc *cy = malloc(sizeof *cy);
	if (cy) {
		*cy = (struct fl_cycle_desc){ .length_frames = m->cycle_frames, .origin = f };
		send_cmd(c, FL_CMD_SET_CYCLE, 0, 0, f, cy);
	}
	for (uint32_t t = 0; t < c->n_tracks; t++) {
		const struct fl_manifest_track *mt = &m->track[t];
		if (!mt->present)
			continue;
		struct fl_loop_desc *d = malloc(sizeof *d);
		if (!d) {
			send_cmd(c, FL_CMD_LEASE_CANCEL, t, 0, 0, NULL);
			continue;
		}
		uint64_t len = mt->length_frames, ph = mt->phase_frames % len;
		*d = (struct fl_loop_desc){
			.length_frames = len, .origin = f >= ph ? f - ph : f + len - ph,
			.state = mt->state, .quantize = mt->quantize, .level = mt->level, .pan = mt->pan,
			.muted = mt->muted, .solo = mt->solo, .record_input_fx = mt->record_input_fx,
		};
		memcpy(d->send, mt->send, sizeof d->send);
		send_cmd(c, FL_CMD_COMMIT, t, 0, f, d);
	}
}

static void
load_done(struct fl_job *j)
{
	struct load_job *l = (struct load_job *)j;
	struct fl_session_ctl *c = l->ctl;
	if (l->st != FL_OK) {
		finish(c, l->st, l->err);
	} else if (l->fill) {
		commit_all(c, c->at_frame);
		fl_session_free(c->sess);
		c->sess = NULL;
		finish(c, FL_OK, "");
	} else {
		char err[256];
		enum fl_status st = fl_session_ctl_load_ready(c, l->sess, 0, err, sizeof err);
		(void)st; /* load_ready reports through finish() itself */
		l->sess = NULL;
	}
	free(l);
}

static struct load_job *
new_load_job(struct fl_session_ctl *c)
{
	struct load_job *l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	l->job.run = load_run;
	l->job.done = load_done;
	l->ctl = c;
	snprintf(l->root, sizeof l->root, "%s", c->root);
	snprintf(l->name, sizeof l->name, "%s", c->op_name);
	l->rate = c->rate;
	l->n_tracks = c->n_tracks;
	float *mem;
	fl_engine_track_memory(c->engine, 0, &mem, &l->cap_frames);
	return l;
}

enum fl_status
fl_session_ctl_load(struct fl_session_ctl *c, const char *name, char *err, size_t errlen)
{
	enum fl_status st = start(c, FL_SESSION_OP_LOAD, name, err, errlen);
	if (st != FL_OK)
		return st;
	struct load_job *l = new_load_job(c);
	if (!l) {
		c->op = FL_SESSION_OP_NONE;
		snprintf(err, errlen, "out of memory");
		return FL_ERR_NOMEM;
	}
	fl_worker_submit(c->worker, &l->job);
	return FL_OK;
}

enum fl_status
fl_session_ctl_load_ready(struct fl_session_ctl *c, struct fl_session *s, uint64_t at_frame,
                          char *err, size_t errlen)
{
	if (c->op == FL_SESSION_OP_NONE) {
		enum fl_status st = start(c, FL_SESSION_OP_LOAD, s->name, err, errlen);
		if (st != FL_OK) {
			fl_session_free(s);
			return st;
		}
	} else if (c->op != FL_SESSION_OP_LOAD || c->sess) {
		snprintf(err, errlen, "a session operation is in progress");
		fl_session_free(s);
		return FL_ERR_BUSY;
	}
	c->at_frame = at_frame;
	c->refused_track = 0;
	c->sess = s;
	for (uint32_t t = 0; t < c->n_tracks; t++) {
		if (!s->man.track[t].present)
			continue;
		c->waiting[t] = true;
		c->left++;
		send_cmd(c, FL_CMD_LEASE, t, (uint32_t)s->man.track[t].length_frames, 0, NULL);
	}
	if (c->left == 0) {
		commit_all(c, at_frame);
		fl_session_free(c->sess);
		c->sess = NULL;
		finish(c, FL_OK, "");
	}
	return FL_OK;
}

static void
load_abort(struct fl_session_ctl *c, uint32_t refused)
{
	for (uint32_t t = 0; t < c->n_tracks; t++) {
		if (c->held[t])
			send_cmd(c, FL_CMD_LEASE_CANCEL, t, 0, 0, NULL);
	}
	fl_session_free(c->sess);
	c->sess = NULL;
	char msg[256];
	snprintf(msg, sizeof msg,
	         "session \"%s\" not loaded: track %u refused the memory (it is recording, or "
	         "its loop memory is full: see the notice)", c->op_name, refused + 1);
	finish(c, FL_ERR_BUSY, msg);
}

static void
on_lease(struct fl_session_ctl *c, const struct fl_event *ev)
{
	uint32_t t = ev->track;
	c->waiting[t] = false;
	c->left--;
	if (ev->arg == 0)
		c->refused_track = t + 1;
	else
		c->held[t] = true;
	if (c->left > 0)
		return;
	if (c->refused_track) {
		load_abort(c, c->refused_track - 1);
		return;
	}
	struct load_job *l = new_load_job(c);
	if (!l) {
		load_abort(c, t);
		return;
	}
	l->fill = true;
	l->sess = c->sess; /* lent to the worker; freed by load_done via c->sess */
	for (uint32_t k = 0; k < c->n_tracks; k++)
		l->lease_off[k] = c->region[k].offset;
	fl_worker_submit(c->worker, &l->job);
}

bool
fl_session_ctl_event(struct fl_session_ctl *c, const struct fl_event *ev)
{
	if (ev->type != FL_EV_LEASE && ev->type != FL_EV_PINNED)
		return false;
	if (ev->track >= c->n_tracks || !c->waiting[ev->track]) {
		fl_warn("session: unexpected %s for track %u", ev->type == FL_EV_LEASE ? "lease" : "pin",
		        ev->track + 1u);
		return true;
	}
	if (ev->type == FL_EV_PINNED && c->op == FL_SESSION_OP_SAVE) {
		on_pinned(c, ev);
	} else if (ev->type == FL_EV_LEASE && c->op == FL_SESSION_OP_LOAD) {
		if (ev->arg)
			c->region[ev->track].offset = ev->frame;
		on_lease(c, ev);
	}
	return true;
}

bool
fl_session_ctl_track_busy(const struct fl_session_ctl *c, uint32_t t)
{
	return t < FL_MAX_TRACKS && (c->held[t] || c->waiting[t]);
}
