/* SPDX-License-Identifier: GPL-2.0-or-later */
/* NSM client (see nsm.h). Messages go out from our own server socket
 * (lo_send_from), because the session manager answers to the address a
 * message came from.
 *
 * Why a status digest for "dirty": every change a user can make to the
 * loops or their mix shows in the published track status (state, length,
 * level, pan, mute, solo, quantize, sends), whatever sent it (OSC, MIDI,
 * switches, a setlist); comparing a digest every 100 ms catches them all
 * without hooking every producer of commands. */
#include "control/nsm.h"

#include "core/log.h"

#include <errno.h>
#include <lo/lo.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DIRTY_CHECK_MS 100u
/* NSM error codes (NSM API 1.2). */
#define NSM_ERR_GENERAL -1
#define NSM_ERR_NO_SESSION_OPEN -6
#define NSM_ERR_NOT_NOW -8
#define NSM_ERR_CREATE_FAILED -10

enum pending { PENDING_NONE = 0, PENDING_OPEN, PENDING_SAVE };

struct fl_nsm {
	lo_server srv;
	lo_address mgr;
	struct fl_engine *engine;
	struct fl_worker *worker;
	struct fl_session_ctl ctl;
	bool ctl_on;
	bool announced;
	char path[PATH_MAX];
	char client_id[64];
	enum pending pending;
	uint64_t saved_digest, last_check_ms;
	uint64_t save_digest;  ///< the state a save in progress started from
	uint64_t resync_frame; ///< after a load: take the clean digest once the loops are in
	bool resync;
	bool dirty;
};

static void
reply(struct fl_nsm *n, const char *what, const char *msg)
{
	lo_send_from(n->mgr, n->srv, LO_TT_IMMEDIATE, "/reply", "ss", what, msg);
}

static void
error(struct fl_nsm *n, const char *what, int code, const char *msg)
{
	fl_warn("NSM: %s: %s", what, msg);
	lo_send_from(n->mgr, n->srv, LO_TT_IMMEDIATE, "/error", "sis", what, code, msg);
}

/* FNV-1a over what a save would keep. */
static uint64_t
digest(const struct fl_engine *e)
{
	struct fl_engine_status es;
	struct fl_track_status ts[FL_MAX_TRACKS];
	fl_engine_get_status(e, &es, ts, FL_MAX_TRACKS);
	uint64_t h = 1469598103934665603ull;
	for (uint32_t t = 0; t < es.n_tracks && t < FL_MAX_TRACKS; t++) {
		const struct fl_track_status *s = &ts[t];
		uint32_t st = s->state == FL_TRACK_OVERDUBBING ? FL_TRACK_PLAYING : s->state;
		float f[] = {s->level, s->pan, s->send[0], s->send[1]};
		uint64_t v[] = {st, s->length_frames, s->muted, s->solo, s->quantize,
		                s->undo_depth, s->record_input_fx};
		const unsigned char *p = (const unsigned char *)v;
		for (size_t i = 0; i < sizeof v; i++)
			h = (h ^ p[i]) * 1099511628211ull;
		p = (const unsigned char *)f;
		for (size_t i = 0; i < sizeof f; i++)
			h = (h ^ p[i]) * 1099511628211ull;
	}
	return h;
}

static void
set_clean(struct fl_nsm *n, uint64_t d)
{
	n->saved_digest = d;
	n->dirty = false;
	lo_send_from(n->mgr, n->srv, LO_TT_IMMEDIATE, "/nsm/client/is_clean", "");
}

/* The session control's answer to our load or save. */
static void
on_done(void *user, enum fl_session_op op, enum fl_status st, const char *name, const char *msg)
{
	struct fl_nsm *n = user;
	(void)name;
	const char *what = op == FL_SESSION_OP_SAVE ? "/nsm/client/save" : "/nsm/client/open";
	n->pending = PENDING_NONE;
	if (st != FL_OK) {
		error(n, what, NSM_ERR_GENERAL, msg && *msg ? msg : fl_strerror(st));
		return;
	}
	reply(n, what, op == FL_SESSION_OP_SAVE ? "saved" : "loaded");
	fl_info("NSM: %s %s", op == FL_SESSION_OP_SAVE ? "saved" : "opened", n->path);
	if (op == FL_SESSION_OP_LOAD) {
		/* The loops switch in at the next boundary or 50 ms from now. */
		struct fl_engine_status es;
		fl_engine_get_status(n->engine, &es, NULL, 0);
		n->resync = true;
		n->resync_frame = fl_session_ctl_switch_frame(&n->ctl) + es.sample_rate / 5u;
	}
	set_clean(n, op == FL_SESSION_OP_SAVE ? n->save_digest : digest(n->engine));
}

static bool
mkdir_p(const char *path)
{
	char p[PATH_MAX];
	snprintf(p, sizeof p, "%s", path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			return false;
		*s = '/';
	}
	return mkdir(p, 0755) == 0 || errno == EEXIST;
}

static void
open_session(struct fl_nsm *n, const char *path, const char *client_id)
{
	char err[300], manifest[PATH_MAX + 64];
	if (n->pending != PENDING_NONE || (n->ctl_on && n->ctl.op != FL_SESSION_OP_NONE)) {
		error(n, "/nsm/client/open", NSM_ERR_NOT_NOW, "a save or open is in progress");
		return;
	}
	if (!mkdir_p(path)) {
		snprintf(err, sizeof err, "cannot create '%s': %s", path, strerror(errno));
		error(n, "/nsm/client/open", NSM_ERR_CREATE_FAILED, err);
		return;
	}
	snprintf(n->path, sizeof n->path, "%s", path);
	snprintf(n->client_id, sizeof n->client_id, "%s", client_id);
	if (n->ctl_on)
		fl_session_ctl_fini(&n->ctl);
	fl_session_ctl_init(&n->ctl, n->engine, n->worker, n->path, on_done, n);
	n->ctl_on = true;
	snprintf(manifest, sizeof manifest, "%s/%s/manifest.txt", path, FL_NSM_SESSION_NAME);
	if (access(manifest, F_OK) != 0) { /* a new instance: what plays now is its start */
		reply(n, "/nsm/client/open", "new session");
		fl_info("NSM: new session in %s (client %s)", path, client_id);
		set_clean(n, digest(n->engine));
		return;
	}
	n->pending = PENDING_OPEN;
	if (fl_session_ctl_load(&n->ctl, FL_NSM_SESSION_NAME, err, sizeof err) != FL_OK) {
		n->pending = PENDING_NONE;
		error(n, "/nsm/client/open", NSM_ERR_GENERAL, err);
	}
}

static int
on_open(const char *path, const char *types, lo_arg **argv, int argc, lo_message msg,
        void *user)
{
	(void)path, (void)types, (void)argc, (void)msg;
	open_session(user, (const char *)argv[0], (const char *)argv[2]);
	return 0;
}

static int
on_save(const char *path, const char *types, lo_arg **argv, int argc, lo_message msg,
        void *user)
{
	struct fl_nsm *n = user;
	char err[300];
	(void)path, (void)types, (void)argv, (void)argc, (void)msg;
	if (!n->ctl_on) {
		error(n, "/nsm/client/save", NSM_ERR_NO_SESSION_OPEN, "no session is open");
		return 0;
	}
	if (n->pending != PENDING_NONE) {
		error(n, "/nsm/client/save", NSM_ERR_NOT_NOW, "a save or open is in progress");
		return 0;
	}
	n->pending = PENDING_SAVE;
	n->save_digest = digest(n->engine);
	if (fl_session_ctl_save(&n->ctl, FL_NSM_SESSION_NAME, err, sizeof err) != FL_OK) {
		n->pending = PENDING_NONE;
		error(n, "/nsm/client/save", NSM_ERR_GENERAL, err);
	}
	return 0;
}

/* /reply or /error to our announce. */
static int
on_answer(const char *path, const char *types, lo_arg **argv, int argc, lo_message msg,
          void *user)
{
	struct fl_nsm *n = user;
	(void)msg;
	if (argc < 2 || types[0] != 's' || strcmp((const char *)argv[0], "/nsm/server/announce") != 0)
		return 0;
	if (!strcmp(path, "/reply")) {
		n->announced = true;
		fl_info("NSM: announced to %s", argc > 2 && types[2] == 's' ? (const char *)argv[2] : "the server");
	} else {
		fl_error("NSM: the session manager refused footloop: %s",
		         argc > 2 && types[2] == 's' ? (const char *)argv[2] : "no reason given");
	}
	return 0;
}

static void
on_lo_error(int num, const char *msg, const char *where)
{
	fl_warn("NSM: OSC error %d: %s (%s)", num, msg ? msg : "", where ? where : "");
}

enum fl_status
fl_nsm_create(struct fl_engine *engine, struct fl_worker *worker, const char *executable,
              struct fl_nsm **out, char *err, size_t errlen)
{
	*out = NULL;
	const char *url = getenv("NSM_URL");
	if (!url || !*url)
		return FL_OK;
	struct fl_nsm *n = calloc(1, sizeof *n);
	if (!n)
		return FL_ERR_NOMEM;
	n->engine = engine;
	n->worker = worker;
	n->mgr = lo_address_new_from_url(url);
	n->srv = lo_server_new_with_proto(NULL, LO_UDP, on_lo_error);
	if (!n->mgr || !n->srv) {
		enum fl_status st = n->mgr ? FL_ERR_IO : FL_ERR_BAD_ARG;
		if (n->mgr)
			snprintf(err, errlen, "NSM: cannot open a UDP port for the session manager");
		else
			snprintf(err, errlen, "NSM_URL '%s' is not an OSC URL (osc.udp://host:port/)", url);
		fl_nsm_free(n);
		return st;
	}
	lo_server_add_method(n->srv, "/nsm/client/open", "sss", on_open, n);
	lo_server_add_method(n->srv, "/nsm/client/save", "", on_save, n);
	lo_server_add_method(n->srv, "/reply", NULL, on_answer, n);
	lo_server_add_method(n->srv, "/error", NULL, on_answer, n);
	const char *exe = strrchr(executable, '/');
	lo_send_from(n->mgr, n->srv, LO_TT_IMMEDIATE, "/nsm/server/announce", "sssiii", "footloop",
	             ":dirty:", exe ? exe + 1 : executable, FL_NSM_API_MAJOR, FL_NSM_API_MINOR,
	             (int)getpid());
	fl_info("NSM: announcing to %s", url);
	*out = n;
	return FL_OK;
}

void
fl_nsm_free(struct fl_nsm *n)
{
	if (!n)
		return;
	if (n->ctl_on)
		fl_session_ctl_fini(&n->ctl);
	if (n->srv)
		lo_server_free(n->srv);
	if (n->mgr)
		lo_address_free(n->mgr);
	free(n);
}

int
fl_nsm_fd(const struct fl_nsm *n)
{
	return lo_server_get_socket_fd(n->srv);
}

void
fl_nsm_receive(struct fl_nsm *n)
{
	for (int i = 0; i < 64 && lo_server_recv_noblock(n->srv, 0) > 0; i++)
		;
}

void
fl_nsm_tick(struct fl_nsm *n, uint64_t now_ms)
{
	if (n->resync && fl_engine_frame(n->engine) >= n->resync_frame) {
		n->resync = false;
		n->saved_digest = digest(n->engine);
	}
	if (n->resync || !n->ctl_on || n->dirty || n->pending != PENDING_NONE ||
	    now_ms - n->last_check_ms < DIRTY_CHECK_MS)
		return;
	n->last_check_ms = now_ms;
	if (digest(n->engine) == n->saved_digest)
		return;
	n->dirty = true;
	lo_send_from(n->mgr, n->srv, LO_TT_IMMEDIATE, "/nsm/client/is_dirty", "");
}

bool
fl_nsm_event(struct fl_nsm *n, const struct fl_event *ev)
{
	return n && n->ctl_on && fl_session_ctl_event(&n->ctl, ev);
}

bool
fl_nsm_announced(const struct fl_nsm *n)
{
	return n->announced;
}

const char *
fl_nsm_path(const struct fl_nsm *n)
{
	return n->path;
}

bool
fl_nsm_dirty(const struct fl_nsm *n)
{
	return n->dirty;
}
