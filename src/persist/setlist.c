/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "persist/setlist.h"

#include "core/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct preload_job {
	struct fl_job job;
	struct fl_setlist *list;
	int32_t index;
	char root[PATH_MAX];
	char name[FL_SESSION_NAME_MAX + 1];
	uint32_t rate, n_tracks;
	uint64_t cap_frames;
	struct fl_session *sess;
	enum fl_status st;
	char err[256];
};

void
fl_setlist_init(struct fl_setlist *s, struct fl_session_ctl *ctl)
{
	memset(s, 0, sizeof *s);
	s->ctl = ctl;
	s->current = -1;
	s->preload_index = -1;
}

void
fl_setlist_fini(struct fl_setlist *s)
{
	fl_session_free(s->preloaded);
	s->preloaded = NULL;
}

enum fl_status
fl_setlist_set(struct fl_setlist *s, const char *const *names, uint32_t n, char *err,
               size_t errlen)
{
	if (n > FL_SETLIST_MAX) {
		snprintf(err, errlen, "setlist: %u songs, at most %d", n, FL_SETLIST_MAX);
		return FL_ERR_RANGE;
	}
	for (uint32_t i = 0; i < n; i++) {
		enum fl_status st = fl_session_name_check(names[i], err, errlen);
		if (st != FL_OK)
			return st;
	}
	for (uint32_t i = 0; i < n; i++)
		snprintf(s->song[i], sizeof s->song[i], "%s", names[i]);
	s->n_songs = n;
	s->current = -1;
	s->preload_index = -1;
	fl_session_free(s->preloaded);
	s->preloaded = NULL;
	return FL_OK;
}

static void
preload_run(struct fl_job *j)
{
	struct preload_job *p = (struct preload_job *)j;
	p->st = fl_session_load(p->root, p->name, p->rate, p->cap_frames, p->n_tracks, &p->sess,
	                        p->err, sizeof p->err);
}

static void
preload_done(struct fl_job *j)
{
	struct preload_job *p = (struct preload_job *)j;
	struct fl_setlist *s = p->list;
	s->preload_busy = false;
	if (p->st != FL_OK)
		fl_warn("setlist: preloading \"%s\": %s", p->name, p->err);
	/* still the one wanted (the list may have moved on meanwhile)? */
	if (p->st == FL_OK && p->index == s->preload_index &&
	    !strcmp(s->song[p->index], p->name)) {
		fl_session_free(s->preloaded);
		s->preloaded = p->sess;
	} else {
		fl_session_free(p->sess);
	}
	free(p);
}

static void
preload(struct fl_setlist *s, int32_t index)
{
	if (index < 0 || (uint32_t)index >= s->n_songs || s->preload_busy)
		return;
	struct preload_job *p = calloc(1, sizeof *p);
	if (!p)
		return;
	struct fl_session_ctl *c = s->ctl;
	p->job.run = preload_run;
	p->job.done = preload_done;
	p->list = s;
	p->index = index;
	snprintf(p->root, sizeof p->root, "%s", c->root);
	snprintf(p->name, sizeof p->name, "%s", s->song[index]);
	p->rate = c->rate;
	p->n_tracks = c->n_tracks;
	float *mem;
	fl_engine_track_memory(c->engine, 0, &mem, &p->cap_frames);
	s->preload_index = index;
	s->preload_busy = true;
	fl_worker_submit(c->worker, &p->job);
}

enum fl_status
fl_setlist_goto(struct fl_setlist *s, uint32_t index, char *err, size_t errlen)
{
	if (index >= s->n_songs) {
		snprintf(err, errlen, "setlist: song %u of %u does not exist", index + 1, s->n_songs);
		return FL_ERR_RANGE;
	}
	enum fl_status st;
	if (s->preloaded && s->preload_index == (int32_t)index &&
	    !strcmp(s->preloaded->name, s->song[index])) {
		struct fl_session *ready = s->preloaded;
		s->preloaded = NULL;
		st = fl_session_ctl_load_ready(s->ctl, ready, 0, err, errlen);
		s->preload_hits += st == FL_OK;
	} else {
		st = fl_session_ctl_load(s->ctl, s->song[index], err, errlen);
	}
	if (st != FL_OK)
		return st;
	s->current = (int32_t)index;
	fl_session_free(s->preloaded);
	s->preloaded = NULL;
	s->preload_index = -1;
	preload(s, (int32_t)index + 1);
	return FL_OK;
}

enum fl_status
fl_setlist_step(struct fl_setlist *s, int delta, char *err, size_t errlen)
{
	int32_t to = s->current + delta;
	if (s->current < 0)
		to = 0;
	if (to < 0 || (uint32_t)to >= s->n_songs) {
		snprintf(err, errlen, "setlist: no %s song", delta > 0 ? "next" : "previous");
		return FL_ERR_RANGE;
	}
	return fl_setlist_goto(s, (uint32_t)to, err, errlen);
}
