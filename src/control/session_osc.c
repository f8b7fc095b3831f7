/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Names are checked by the session gate (src/persist/paths.c) before any
 * work starts, so a refused name never reaches the worker; its sentence is
 * what the client sees. */
#include "control/session_osc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define NAMES_PER_MESSAGE 10 /* 10 x 68 bytes fits fl_osc_deliver's 1 KiB */

static bool
same_peer(const struct fl_osc_peer *a, const struct fl_osc_peer *b)
{
	return a->len == b->len && memcmp(&a->addr, &b->addr, a->len) == 0;
}

static bool
is_client(const struct fl_osc *o, const struct fl_osc_peer *p)
{
	for (uint32_t i = 0; i < o->n_clients; i++)
		if (same_peer(&o->clients[i], p))
			return true;
	return false;
}

static lo_message
msg_s(const char *s)
{
	lo_message m = lo_message_new();
	lo_message_add_string(m, s);
	return m;
}

static lo_message
msg_i(int32_t v)
{
	lo_message m = lo_message_new();
	lo_message_add_int32(m, v);
	return m;
}

/* To the client that asked (when it is not registered) and to every
 * registered client. Takes m. */
static void
to_asker_and_clients(struct fl_osc *o, const struct fl_osc_peer *asker, bool have,
                     const char *path, lo_message m)
{
	if (have && !is_client(o, asker)) {
		lo_message copy = lo_message_clone(m);
		if (copy)
			fl_osc_deliver(o, asker, path, copy);
	}
	fl_osc_deliver(o, NULL, path, m);
}

static bool
want_name(struct fl_osc *o, const char *path, const char *types, lo_arg **argv, int argc,
          const char **name)
{
	if (argc < 1 || (types[0] != LO_STRING && types[0] != LO_SYMBOL)) {
		fl_osc_reply_error(o, path, "expected a session name (s)");
		return false;
	}
	*name = (const char *)argv[0];
	return true;
}

static void
remember_op(struct fl_session_osc *so, const char *path)
{
	so->op_peer = so->osc->sender;
	so->have_op_peer = true;
	snprintf(so->op_path, sizeof so->op_path, "%s", path);
}

static void
on_setlist(struct fl_session_osc *so, const char *path, const char *types, lo_arg **argv,
           int argc)
{
	const char *names[FL_SETLIST_MAX];
	char err[256];
	if (argc > FL_SETLIST_MAX) {
		fl_osc_reply_error(so->osc, path, "%d songs, at most %d", argc, FL_SETLIST_MAX);
		return;
	}
	for (int i = 0; i < argc; i++) {
		if (types[i] != LO_STRING && types[i] != LO_SYMBOL) {
			fl_osc_reply_error(so->osc, path, "expected session names (s...)");
			return;
		}
		names[i] = (const char *)argv[i];
	}
	if (fl_sessions_setlist(so->sessions, names, (uint32_t)argc, err, sizeof err) != FL_OK) {
		fl_osc_reply_error(so->osc, path, "%s", err);
		return;
	}
	fl_osc_deliver(so->osc, &so->osc->sender, "/footloop/setlist/size", msg_i(argc));
}

static bool
number0(const char *types, lo_arg **argv, int argc, double *v)
{
	int32_t i;
	float f;
	if (argc < 1)
		return false;
	switch (types[0]) {
	case LO_INT32: memcpy(&i, argv[0], sizeof i); *v = i; return true;
	case LO_FLOAT: memcpy(&f, argv[0], sizeof f); *v = f; return true;
	case LO_DOUBLE: memcpy(v, argv[0], sizeof *v); return true;
	default: return false;
	}
}

/* setlist/next, setlist/prev, setlist/goto i. */
static enum fl_status
on_song(struct fl_session_osc *so, const char *path, const char *op, const char *types,
        lo_arg **argv, int argc, char *err, size_t errlen)
{
	double v = 0.0;
	if (strcmp(op, "next") == 0 || strcmp(op, "prev") == 0)
		return fl_sessions_song_step(so->sessions, op[0] == 'n' ? 1 : -1, err, errlen);
	if (!number0(types, argv, argc, &v) || !isfinite(v) || v != floor(v) || v < 1.0 ||
	    v > FL_SETLIST_MAX) {
		snprintf(err, errlen, "expected a song number 1..%d (i)", FL_SETLIST_MAX);
		return FL_ERR_RANGE;
	}
	(void)path;
	return fl_sessions_song_goto(so->sessions, (uint32_t)v - 1u, err, errlen);
}

static bool
on_address(struct fl_osc *o, const char *path, const char *name, const char *types,
           lo_arg **argv, int argc)
{
	struct fl_session_osc *so = o->ext_user;
	char err[300] = "";
	const char *arg = NULL;
	enum fl_status st;
	if (strcmp(name, "session/save") == 0 || strcmp(name, "session/load") == 0) {
		if (!want_name(o, path, types, argv, argc, &arg))
			return true;
		st = name[8] == 's' ? fl_sessions_save(so->sessions, arg, err, sizeof err)
		                    : fl_sessions_load(so->sessions, arg, err, sizeof err);
		if (st == FL_OK)
			remember_op(so, path);
	} else if (strcmp(name, "session/list") == 0) {
		if ((st = fl_sessions_list(so->sessions, err, sizeof err)) == FL_OK) {
			so->list_peer = o->sender;
			so->have_list_peer = true;
		}
	} else if (strcmp(name, "setlist") == 0) {
		on_setlist(so, path, types, argv, argc);
		return true;
	} else if (strncmp(name, "setlist/", 8) == 0 &&
	           (!strcmp(name + 8, "next") || !strcmp(name + 8, "prev") ||
	            !strcmp(name + 8, "goto"))) {
		if ((st = on_song(so, path, name + 8, types, argv, argc, err, sizeof err)) == FL_OK)
			remember_op(so, "/footloop/session/load");
	} else if (strcmp(name, "recorder/start") == 0 || strcmp(name, "recorder/stop") == 0) {
		bool start = strcmp(name, "recorder/start") == 0;
		if (start) {
			if (argc >= 1 && types[0] == LO_STRING)
				arg = (const char *)argv[0];
			st = fl_sessions_recorder_start(so->sessions, arg, err, sizeof err);
		} else {
			st = fl_sessions_recorder_stop(so->sessions, err, sizeof err);
		}
		if (st == FL_OK) {
			so->rec_peer = o->sender;
			so->have_rec_peer = true;
			so->rec_want = start;
		}
	} else {
		return false;
	}
	if (st != FL_OK)
		fl_osc_reply_error(o, path, "%s", err);
	return true;
}

void
fl_session_osc_attach(struct fl_session_osc *so, struct fl_osc *o, struct fl_sessions *s)
{
	memset(so, 0, sizeof *so);
	so->osc = o;
	so->sessions = s;
	o->ext = on_address;
	o->ext_user = so;
}

static void
reply_list(struct fl_session_osc *so, const char (*list)[FL_SESSION_NAME_MAX + 1], size_t count)
{
	struct fl_osc *o = so->osc;
	size_t i = 0;
	do {
		lo_message m = lo_message_new();
		for (size_t k = 0; k < NAMES_PER_MESSAGE && i < count; k++, i++)
			lo_message_add_string(m, list[i]);
		fl_osc_deliver(o, &so->list_peer, "/footloop/session/list", m);
	} while (i < count);
	fl_osc_deliver(o, &so->list_peer, "/footloop/session/list/end", msg_i((int32_t)count));
}

void
fl_session_osc_reply(void *user, enum fl_sessions_reply what, enum fl_status st,
                     const char *name, const char *msg,
                     const char (*list)[FL_SESSION_NAME_MAX + 1], size_t count)
{
	struct fl_session_osc *so = user;
	struct fl_osc *o = so->osc;
	if (!o)
		return;
	if (what == FL_SESSIONS_LISTED) {
		if (so->have_list_peer && st == FL_OK)
			reply_list(so, list, count);
		else if (so->have_list_peer)
			fl_osc_deliver(o, &so->list_peer, "/footloop/error",
			               msg_s(msg && msg[0] ? msg : "cannot list the sessions"));
		so->have_list_peer = false;
		return;
	}
	bool have = so->have_op_peer;
	so->have_op_peer = false;
	if (st == FL_OK) {
		to_asker_and_clients(o, &so->op_peer, have,
		                     what == FL_SESSIONS_SAVED ? "/footloop/session/saved"
		                                               : "/footloop/session/loaded",
		                     msg_s(name));
		return;
	}
	char text[400];
	snprintf(text, sizeof text, "%s: %s",
	         have ? so->op_path
	              : (what == FL_SESSIONS_SAVED ? "/footloop/session/save" : "/footloop/session/load"),
	         msg);
	if (have)
		fl_osc_deliver(o, &so->op_peer, "/footloop/error", msg_s(text));
	else
		fl_osc_notice(o, text); /* a switch or MIDI asked: tell the displays */
}

void
fl_session_osc_song(void *user, const char *name, uint32_t index)
{
	struct fl_session_osc *so = user;
	if (!so->osc)
		return;
	fl_osc_deliver(so->osc, NULL, "/footloop/song", msg_s(name));
	fl_osc_deliver(so->osc, NULL, "/footloop/song/index", msg_i((int32_t)index));
}

void
fl_session_osc_recorder(void *user, bool on, uint64_t dropped_frames)
{
	struct fl_session_osc *so = user;
	struct fl_osc *o = so->osc;
	if (!o)
		return;
	int32_t d = dropped_frames > INT32_MAX ? INT32_MAX : (int32_t)dropped_frames;
	/* the asker hears the state it asked for: "0" once the files are closed */
	bool asker = so->have_rec_peer && on == so->rec_want;
	to_asker_and_clients(o, &so->rec_peer, asker, "/footloop/recorder", msg_i(on ? 1 : 0));
	if (asker)
		so->have_rec_peer = false;
	fl_osc_deliver(o, NULL, "/footloop/recorder/dropped", msg_i(d));
}
