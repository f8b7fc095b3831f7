/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Why one owner for sessions, setlist and recorder: they share the disk
 * worker and the notion of "the current song" (a recording is named after
 * it), and every input (OSC, MIDI, switches) must see the same state. */
#include "control/sessions.h"

#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct list_job {
	struct fl_job job;
	struct fl_sessions *s;
	char root[PATH_MAX];
	char names[FL_SETLIST_MAX][FL_SESSION_NAME_MAX + 1];
	size_t count;
	enum fl_status st;
	char err[256];
};

enum fl_status
fl_sessions_expand_dir(const char *in, char *out, size_t len, char *err, size_t errlen)
{
	const char *home = getenv("HOME");
	int n;
	if (strncmp(in, "~/", 2) == 0 || strcmp(in, "~") == 0) {
		if (!home || !home[0]) {
			snprintf(err, errlen, "'%s': HOME is not set; give a full path", in);
			return FL_ERR_CONFIG;
		}
		n = snprintf(out, len, "%s%s", home, in + 1);
	} else {
		n = snprintf(out, len, "%s", in);
	}
	if (n < 0 || (size_t)n >= len) {
		snprintf(err, errlen, "'%s': the path is too long", in);
		return FL_ERR_CONFIG;
	}
	return FL_OK;
}

/* mkdir -p: the operator's directory (and its parents) is trusted; only
 * names under it are gated. */
static enum fl_status
make_dirs(const char *path, char *err, size_t errlen)
{
	char buf[PATH_MAX];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *p = buf + 1;; p++) {
		bool end = *p == '\0';
		if (*p != '/' && !end)
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
			snprintf(err, errlen, "cannot create the directory %s: %s", buf, strerror(errno));
			return FL_ERR_IO;
		}
		if (end)
			return FL_OK;
		*p = '/';
	}
}

static void
on_ctl_reply(void *user, enum fl_session_op op, enum fl_status st, const char *name,
             const char *msg)
{
	struct fl_sessions *s = user;
	if (st == FL_OK)
		snprintf(s->name, sizeof s->name, "%s", name);
	if (s->hooks.reply)
		s->hooks.reply(s->hooks.user, op == FL_SESSION_OP_SAVE ? FL_SESSIONS_SAVED
		                                                        : FL_SESSIONS_LOADED,
		               st, name, msg, NULL, 0);
}

/* "a, b c" -> the setlist. Names were checked by the config parser. */
static enum fl_status
set_songs(struct fl_sessions *s, const char *line, char *err, size_t errlen)
{
	char buf[FL_CONFIG_SONGS_MAX];
	const char *names[FL_SETLIST_MAX];
	uint32_t n = 0;
	snprintf(buf, sizeof buf, "%s", line);
	for (char *save = NULL, *tok = strtok_r(buf, " \t,", &save); tok && n < FL_SETLIST_MAX;
	     tok = strtok_r(NULL, " \t,", &save))
		names[n++] = tok;
	return n ? fl_setlist_set(&s->setlist, names, n, err, errlen) : FL_OK;
}

static void
start_recorder(struct fl_sessions *s, const struct fl_config *cfg)
{
	char err[300];
	if (fl_sessions_expand_dir(cfg->recorder_dir, s->rec_dir, sizeof s->rec_dir, err,
	                           sizeof err) != FL_OK ||
	    make_dirs(s->rec_dir, err, sizeof err) != FL_OK) {
		fl_warn("recorder off: %s", err);
		return;
	}
	struct fl_recorder_config rc = {
		.dir = s->rec_dir, .format = cfg->recorder_format ? FL_REC_FLAC_24 : FL_REC_WAV_FLOAT,
		.stems = cfg->recorder_stems, .n_tracks = cfg->engine.n_tracks,
		.sample_rate = cfg->engine.sample_rate,
		.ring_ms = (uint32_t)(cfg->recorder_ring_seconds * 1000.0f),
	};
	enum fl_status st = fl_recorder_create(&rc, &s->rec);
	if (st != FL_OK) {
		fl_warn("recorder off: cannot create it: %s", fl_strerror(st));
		return;
	}
	for (int k = 0; k < 2; k++) {
		struct fl_ring *ring = fl_recorder_ring(s->rec, k == 1);
		if (!ring)
			continue;
		st = fl_engine_add_tap(s->engine, k ? FL_TAP_STEMS : FL_TAP_MASTER, ring, &s->tap[k]);
		s->have_tap[k] = st == FL_OK;
		if (st != FL_OK)
			fl_warn("recorder: cannot add the %s tap: %s", k ? "stems" : "master",
			        fl_strerror(st));
	}
	if (!s->have_tap[0]) {
		fl_recorder_free(s->rec);
		s->rec = NULL;
	}
}

/* Loads resample to the engine's rate, which JACK may change. */
static void
follow_rate(struct fl_sessions *s, uint32_t rate)
{
	if (rate && rate != s->ctl.rate) {
		s->ctl.rate = rate;
		s->ctl.start_delay_frames = rate / 20u;
	}
}

enum fl_status
fl_sessions_init(struct fl_sessions *s, const struct fl_config *cfg, struct fl_engine *engine,
                 const struct fl_sessions_hooks *hooks, char *err, size_t errlen)
{
	memset(s, 0, sizeof *s);
	s->engine = engine;
	s->song_sent = -2;
	if (hooks)
		s->hooks = *hooks;
	snprintf(s->name, sizeof s->name, "%.*s", FL_SESSION_NAME_MAX, cfg->session_name);
	char root[PATH_MAX];
	enum fl_status st = fl_sessions_expand_dir(cfg->session_dir, root, sizeof root, err, errlen);
	if (st == FL_OK)
		st = make_dirs(root, err, errlen);
	int fd = -1;
	if (st == FL_OK && (st = fl_session_root_open(root, true, &fd, err, errlen)) == FL_OK)
		close(fd);
	if (st != FL_OK)
		return st;
	if ((st = fl_worker_create(&s->worker)) != FL_OK) {
		snprintf(err, errlen, "cannot start the disk worker: %s", fl_strerror(st));
		return st;
	}
	fl_session_ctl_init(&s->ctl, engine, s->worker, root, on_ctl_reply, s);
	follow_rate(s, cfg->engine.sample_rate); /* nothing is published before processing */
	fl_setlist_init(&s->setlist, &s->ctl);
	if ((st = set_songs(s, cfg->setlist_songs, err, errlen)) != FL_OK)
		return st;
	start_recorder(s, cfg);
	fl_info("sessions in %s (current \"%s\", %u songs in the setlist); recordings in %s%s",
	        root, s->name, s->setlist.n_songs, s->rec ? s->rec_dir : "(recorder off)",
	        s->have_tap[1] ? " with stems" : "");
	return FL_OK;
}

void
fl_sessions_fini(struct fl_sessions *s)
{
	if (s->worker) {
		fl_worker_drain(s->worker);
		fl_setlist_fini(&s->setlist);
		fl_session_ctl_fini(&s->ctl);
		fl_worker_free(s->worker);
		s->worker = NULL;
	}
	if (s->rec && s->rec_on)
		fl_recorder_stop(s->rec, fl_engine_frame(s->engine));
	fl_recorder_free(s->rec); /* closes the file after draining */
	s->rec = NULL;
}

void
fl_sessions_start(struct fl_sessions *s, const struct fl_config *cfg)
{
	char err[256];
	if (cfg->session_load_on_start && fl_sessions_load(s, s->name, err, sizeof err) != FL_OK)
		fl_error("[session] load_on_start: %s", err);
}

int
fl_sessions_fd(const struct fl_sessions *s)
{
	return fl_worker_fd(s->worker);
}

void
fl_sessions_dispatch(struct fl_sessions *s)
{
	fl_worker_dispatch(s->worker);
}

bool
fl_sessions_event(struct fl_sessions *s, const struct fl_event *ev)
{
	return s->worker && fl_session_ctl_event(&s->ctl, ev);
}

const char *
fl_sessions_track_busy(void *user, uint32_t t)
{
	const struct fl_sessions *s = user;
	if (!s->worker || !fl_session_ctl_track_busy(&s->ctl, t))
		return NULL;
	return s->ctl.op == FL_SESSION_OP_LOAD ? "loading" : "saving";
}

enum fl_status
fl_sessions_save(struct fl_sessions *s, const char *name, char *err, size_t errlen)
{
	return fl_session_ctl_save(&s->ctl, name, err, errlen);
}

enum fl_status
fl_sessions_load(struct fl_sessions *s, const char *name, char *err, size_t errlen)
{
	return fl_session_ctl_load(&s->ctl, name, err, errlen);
}

static void
list_run(struct fl_job *j)
{
	struct list_job *l = (struct list_job *)j;
	l->st = fl_session_list(l->root, l->names, FL_SETLIST_MAX, &l->count, l->err,
	                        sizeof l->err);
}

static void
list_done(struct fl_job *j)
{
	struct list_job *l = (struct list_job *)j;
	struct fl_sessions *s = l->s;
	s->listing = false;
	if (s->hooks.reply)
		s->hooks.reply(s->hooks.user, FL_SESSIONS_LISTED, l->st, NULL, l->err,
		               (const char(*)[FL_SESSION_NAME_MAX + 1])l->names,
		               l->st == FL_OK ? l->count : 0);
	free(l);
}

/* Reading a directory is disk work: the worker does it. */
enum fl_status
fl_sessions_list(struct fl_sessions *s, char *err, size_t errlen)
{
	if (s->listing) {
		snprintf(err, errlen, "a session list is already being read");
		return FL_ERR_BUSY;
	}
	struct list_job *l = calloc(1, sizeof *l);
	if (!l) {
		snprintf(err, errlen, "out of memory");
		return FL_ERR_NOMEM;
	}
	l->job.run = list_run;
	l->job.done = list_done;
	l->s = s;
	snprintf(l->root, sizeof l->root, "%s", s->ctl.root);
	s->listing = true;
	fl_worker_submit(s->worker, &l->job);
	return FL_OK;
}

enum fl_status
fl_sessions_setlist(struct fl_sessions *s, const char *const *names, uint32_t n, char *err,
                    size_t errlen)
{
	return fl_setlist_set(&s->setlist, names, n, err, errlen);
}

enum fl_status
fl_sessions_song_goto(struct fl_sessions *s, uint32_t index, char *err, size_t errlen)
{
	if (s->setlist.n_songs == 0) {
		snprintf(err, errlen, "the setlist is empty ([setlist] songs or /footloop/setlist)");
		return FL_ERR_NOT_FOUND;
	}
	return fl_setlist_goto(&s->setlist, index, err, errlen);
}

enum fl_status
fl_sessions_song_step(struct fl_sessions *s, int delta, char *err, size_t errlen)
{
	if (s->setlist.n_songs == 0) {
		snprintf(err, errlen, "the setlist is empty ([setlist] songs or /footloop/setlist)");
		return FL_ERR_NOT_FOUND;
	}
	return fl_setlist_step(&s->setlist, delta, err, errlen);
}

static void
send_taps(struct fl_sessions *s, float on)
{
	for (int k = 0; k < 2; k++) {
		struct fl_cmd cmd = {.type = FL_CMD_TAP, .arg = s->tap[k], .value = on};
		if (s->have_tap[k] && fl_engine_send(s->engine, &cmd) != FL_OK)
			fl_error("recorder: engine command queue full: tap %u not switched", s->tap[k]);
	}
}

enum fl_status
fl_sessions_recorder_start(struct fl_sessions *s, const char *song, char *err, size_t errlen)
{
	if (!s->rec) {
		snprintf(err, errlen, "the recorder is off (see the log at start-up)");
		return FL_ERR_UNSUPPORTED;
	}
	const struct fl_setlist *l = &s->setlist;
	if (!song || !song[0])
		song = l->current >= 0 ? l->song[l->current] : s->name;
	if (fl_recorder_start(s->rec, song, time(NULL), fl_engine_frame(s->engine)) != FL_OK) {
		snprintf(err, errlen, "the recorder is already recording");
		return FL_ERR_BUSY;
	}
	s->rec_on = true;
	s->rec_failed_seen = false;
	send_taps(s, 1.0f);
	return FL_OK;
}

enum fl_status
fl_sessions_recorder_stop(struct fl_sessions *s, char *err, size_t errlen)
{
	if (!s->rec || !s->rec_on) {
		snprintf(err, errlen, "the recorder is not recording");
		return FL_ERR_NOT_FOUND;
	}
	fl_recorder_stop(s->rec, fl_engine_frame(s->engine));
	send_taps(s, 0.0f);
	s->rec_on = false;
	return FL_OK;
}

bool
fl_sessions_recording(const struct fl_sessions *s)
{
	return s->rec_on;
}

enum fl_status
fl_sessions_action(void *user, const struct fl_action *act, char *err, size_t errlen)
{
	struct fl_sessions *s = user;
	switch (act->type) {
	case FL_ACTION_SESSION_SAVE: return fl_sessions_save(s, s->name, err, errlen);
	case FL_ACTION_SESSION_LOAD: return fl_sessions_load(s, s->name, err, errlen);
	case FL_ACTION_SONG_NEXT: return fl_sessions_song_step(s, 1, err, errlen);
	case FL_ACTION_SONG_PREV: return fl_sessions_song_step(s, -1, err, errlen);
	case FL_ACTION_SONG_GOTO:
		if (!(act->value >= 1.0f && act->value <= (float)FL_SETLIST_MAX) ||
		    act->value != (float)(uint32_t)act->value) {
			snprintf(err, errlen, "song_goto: %g is not a song number 1..%d",
			         (double)act->value, FL_SETLIST_MAX);
			return FL_ERR_RANGE;
		}
		return fl_sessions_song_goto(s, (uint32_t)act->value - 1u, err, errlen);
	case FL_ACTION_RECORDER_TOGGLE:
		return s->rec_on ? fl_sessions_recorder_stop(s, err, errlen)
		                 : fl_sessions_recorder_start(s, NULL, err, errlen);
	case FL_ACTION_RECORDER_START: return fl_sessions_recorder_start(s, NULL, err, errlen);
	case FL_ACTION_RECORDER_STOP: return fl_sessions_recorder_stop(s, err, errlen);
	default: break;
	}
	snprintf(err, errlen, "%s is not a session action", fl_action_name(act->type));
	return FL_ERR_BAD_ARG;
}

/* Drops: the engine counts records it could not write (ring full), the
 * writer counts the frames missing from the file. Both are logged. */
static void
check_recorder(struct fl_sessions *s, const struct fl_recorder_status *rs)
{
	for (int k = 0; k < 2; k++) {
		uint64_t d = s->have_tap[k] ? fl_engine_tap_dropped(s->engine, s->tap[k]) : 0;
		if (d != s->tap_dropped_seen[k])
			fl_warn("recorder: the disk is too slow: %llu blocks of the %s lost so far "
			        "(%llu frames missing from the master file)", (unsigned long long)d,
			        k ? "stems" : "master", (unsigned long long)rs->frames_dropped);
		s->tap_dropped_seen[k] = d;
	}
	if (rs->failed && !s->rec_failed_seen) {
		s->rec_failed_seen = true;
		if (s->rec_on) { /* the writer stopped: the taps too */
			send_taps(s, 0.0f);
			s->rec_on = false;
		}
	}
}

void
fl_sessions_tick(struct fl_sessions *s)
{
	if (!s->worker)
		return;
	struct fl_engine_status es;
	fl_engine_get_status(s->engine, &es, NULL, 0);
	follow_rate(s, es.sample_rate);
	const struct fl_setlist *l = &s->setlist;
	if (l->current != s->song_sent) {
		s->song_sent = l->current;
		if (s->hooks.song && l->current >= 0)
			s->hooks.song(s->hooks.user, l->song[l->current], (uint32_t)l->current + 1u);
	}
	if (!s->rec)
		return;
	struct fl_recorder_status rs;
	fl_recorder_status(s->rec, &rs);
	check_recorder(s, &rs);
	/* "on" while asked to record or the writer still has the file open */
	bool on = rs.recording;
	if (on != s->rec_sent || rs.frames_dropped != s->dropped_sent) {
		s->rec_sent = on;
		s->dropped_sent = rs.frames_dropped;
		if (s->hooks.recorder)
			s->hooks.recorder(s->hooks.user, on, rs.frames_dropped);
	}
}
