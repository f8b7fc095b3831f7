/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The NSM client against a fake session manager (a liblo server thread on
 * 127.0.0.1) with a real engine run offline and the real disk worker:
 *   - no NSM_URL: not under NSM; a bad NSM_URL: refused with a sentence;
 *   - announce arrives with name, capabilities, executable, API 1.2, pid;
 *   - save before open: /error NO_SESSION_OPEN (-6);
 *   - open of a new path: the directory exists, /reply, /is_clean;
 *   - recording a loop: /is_dirty once;
 *   - save: <path>/footloop/manifest.txt and track-01.wav exist, /reply,
 *     /is_clean;
 *   - a second client (new engine) opening the same path loads the loop
 *     (same length) and replies; no /is_dirty follows the load by itself. */
#include "check.h"
#include "control/nsm.h"

#include <lo/lo.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOCK 256u

struct fake {
	pthread_mutex_t mu;
	lo_server_thread st;
	lo_address client;   ///< where the announce came from
	int announces;
	char name[64], caps[64], exe[64];
	int major, minor, pid;
	int replies_open, replies_save, errors, last_error_code;
	int dirty, clean;
};

static struct fake fk = {.mu = PTHREAD_MUTEX_INITIALIZER};

static int
on_announce(const char *path, const char *types, lo_arg **argv, int argc, lo_message msg,
            void *user)
{
	(void)path, (void)types, (void)argc, (void)user;
	pthread_mutex_lock(&fk.mu);
	fk.announces++;
	snprintf(fk.name, sizeof fk.name, "%s", (const char *)argv[0]);
	snprintf(fk.caps, sizeof fk.caps, "%s", (const char *)argv[1]);
	snprintf(fk.exe, sizeof fk.exe, "%s", (const char *)argv[2]);
	/* liblo's arguments are only 4-byte aligned: copy, don't dereference. */
	memcpy(&fk.major, argv[3], sizeof fk.major);
	memcpy(&fk.minor, argv[4], sizeof fk.minor);
	memcpy(&fk.pid, argv[5], sizeof fk.pid);
	lo_address src = lo_message_get_source(msg);
	if (fk.client)
		lo_address_free(fk.client);
	fk.client = lo_address_new(lo_address_get_hostname(src), lo_address_get_port(src));
	pthread_mutex_unlock(&fk.mu);
	lo_send_from(fk.client, lo_server_thread_get_server(fk.st), LO_TT_IMMEDIATE, "/reply",
	             "ssss", "/nsm/server/announce", "welcome", "fake-nsm", ":server-control:");
	return 0;
}

static int
on_reply(const char *path, const char *types, lo_arg **argv, int argc, lo_message msg,
         void *user)
{
	(void)types, (void)msg, (void)user;
	pthread_mutex_lock(&fk.mu);
	if (!strcmp(path, "/error")) {
		fk.errors++;
		if (argc > 1)
			memcpy(&fk.last_error_code, argv[1], sizeof fk.last_error_code);
		else
			fk.last_error_code = 0;
	} else if (!strcmp((const char *)argv[0], "/nsm/client/open")) {
		fk.replies_open++;
	} else if (!strcmp((const char *)argv[0], "/nsm/client/save")) {
		fk.replies_save++;
	}
	pthread_mutex_unlock(&fk.mu);
	return 0;
}

static int
on_state(const char *path, const char *types, lo_arg **argv, int argc, lo_message msg,
         void *user)
{
	(void)types, (void)argv, (void)argc, (void)msg, (void)user;
	pthread_mutex_lock(&fk.mu);
	if (!strcmp(path, "/nsm/client/is_dirty"))
		fk.dirty++;
	else
		fk.clean++;
	pthread_mutex_unlock(&fk.mu);
	return 0;
}

static int
get(const int *field)
{
	pthread_mutex_lock(&fk.mu);
	int v = *field;
	pthread_mutex_unlock(&fk.mu);
	return v;
}

static void
to_client(const char *path, const char *types, const char *a, const char *b, const char *c)
{
	pthread_mutex_lock(&fk.mu);
	lo_address to = fk.client;
	pthread_mutex_unlock(&fk.mu);
	if (types[0])
		lo_send_from(to, lo_server_thread_get_server(fk.st), LO_TT_IMMEDIATE, path, types, a,
		             b, c);
	else
		lo_send_from(to, lo_server_thread_get_server(fk.st), LO_TT_IMMEDIATE, path, "");
}

struct client {
	struct fl_engine *e;
	struct fl_worker *w;
	struct fl_nsm *n;
	uint64_t ms;
};

/* One block of the engine (ramp input) and one control tick. */
static void
pump(struct client *c)
{
	static float l[BLOCK], r[BLOCK], ol[BLOCK], or[BLOCK];
	uint64_t f = fl_engine_frame(c->e);
	for (uint32_t i = 0; i < BLOCK; i++)
		l[i] = r[i] = (float)((f + i) % 200u) / 400.0f - 0.25f;
	struct fl_engine_io io = {{l, r}, {ol, or}};
	fl_engine_process(c->e, &io, BLOCK);
	struct fl_event ev;
	while (fl_engine_poll_event(c->e, &ev))
		if (!fl_nsm_event(c->n, &ev) && ev.type == FL_EV_RELEASE)
			free(ev.ptr);
	fl_worker_dispatch(c->w);
	fl_nsm_receive(c->n);
	c->ms += 5;
	fl_nsm_tick(c->n, c->ms);
	usleep(1000);
}

/* Pumps until *field reaches want (at most ~3 s); true when it did. */
static bool
pump_until(struct client *c, const int *field, int want)
{
	for (int i = 0; i < 3000 && get(field) < want; i++)
		pump(c);
	return get(field) >= want;
}

static void
client_start(struct client *c)
{
	struct fl_engine_config cfg;
	fl_engine_config_defaults(&cfg);
	cfg.n_tracks = 2;
	cfg.track_seconds = 4.0f;
	cfg.quantize = FL_QUANTIZE_OFF;
	cfg.monitor = false;
	memset(c, 0, sizeof *c);
	CHECK(fl_engine_create(&cfg, &c->e) == FL_OK);
	CHECK(fl_worker_create(&c->w) == FL_OK);
	struct fl_engine_io io = {{NULL, NULL}, {NULL, NULL}};
	fl_engine_process(c->e, &io, 0); /* publish the status */
	char err[300] = "";
	CHECK_MSG(fl_nsm_create(c->e, c->w, "/usr/bin/footloop", &c->n, err, sizeof err) == FL_OK &&
	          c->n, "%s", err);
}

static void
client_stop(struct client *c)
{
	fl_worker_drain(c->w);
	fl_nsm_free(c->n);
	fl_worker_free(c->w);
	fl_engine_free(c->e);
}

static void
send_cmd(struct client *c, uint16_t type, uint16_t track)
{
	struct fl_cmd cmd = {.type = type, .track = track};
	CHECK(fl_engine_send(c->e, &cmd) == FL_OK);
}

static bool
exists(const char *dir, const char *rel)
{
	char p[600];
	struct stat sb;
	snprintf(p, sizeof p, "%s/%s", dir, rel);
	return stat(p, &sb) == 0;
}

static void
test_env(void)
{
	struct fl_nsm *n = (struct fl_nsm *)1;
	char err[300] = "";
	unsetenv("NSM_URL");
	CHECK(fl_nsm_create(NULL, NULL, "footloop", &n, err, sizeof err) == FL_OK && n == NULL);
	setenv("NSM_URL", "not a url", 1);
	CHECK(fl_nsm_create(NULL, NULL, "footloop", &n, err, sizeof err) == FL_ERR_BAD_ARG && !n);
	CHECK_MSG(strstr(err, "NSM_URL") != NULL, "%s", err);
}

int
main(void)
{
	test_env();
	char dir[64] = "/tmp/fl-test-nsm-XXXXXX", inst[128];
	if (!mkdtemp(dir))
		return 1;
	snprintf(inst, sizeof inst, "%s/My Session/footloop.nABCD", dir);
	fk.st = lo_server_thread_new_with_proto(NULL, LO_UDP, NULL);
	CHECK(fk.st != NULL);
	if (!fk.st)
		return fl_check_summary("test_nsm");
	lo_server_thread_add_method(fk.st, "/nsm/server/announce", "sssiii", on_announce, NULL);
	lo_server_thread_add_method(fk.st, "/reply", NULL, on_reply, NULL);
	lo_server_thread_add_method(fk.st, "/error", NULL, on_reply, NULL);
	lo_server_thread_add_method(fk.st, "/nsm/client/is_dirty", "", on_state, NULL);
	lo_server_thread_add_method(fk.st, "/nsm/client/is_clean", "", on_state, NULL);
	lo_server_thread_start(fk.st);
	char *url = lo_server_thread_get_url(fk.st);
	setenv("NSM_URL", url, 1);
	free(url);

	struct client a;
	client_start(&a);
	CHECK(pump_until(&a, &fk.announces, 1));
	CHECK_MSG(!strcmp(fk.name, "footloop") && !strcmp(fk.caps, ":dirty:") &&
	          !strcmp(fk.exe, "footloop"), "announce: %s %s %s", fk.name, fk.caps, fk.exe);
	CHECK_MSG(fk.major == 1 && fk.minor == 2 && fk.pid == (int)getpid(), "api %d.%d pid %d",
	          fk.major, fk.minor, fk.pid);
	for (int i = 0; i < 20; i++)
		pump(&a);
	CHECK(fl_nsm_announced(a.n));

	to_client("/nsm/client/save", "", NULL, NULL, NULL);
	CHECK(pump_until(&a, &fk.errors, 1) && get(&fk.last_error_code) == -6);

	to_client("/nsm/client/open", "sss", inst, "footloop", "nABCD");
	CHECK(pump_until(&a, &fk.replies_open, 1) && pump_until(&a, &fk.clean, 1));
	struct stat sb;
	CHECK(stat(inst, &sb) == 0 && S_ISDIR(sb.st_mode) && !strcmp(fl_nsm_path(a.n), inst));
	for (int i = 0; i < 60; i++)
		pump(&a);
	CHECK_MSG(get(&fk.dirty) == 0, "dirty without a change (%d)", get(&fk.dirty));

	send_cmd(&a, FL_CMD_RECORD, 0);
	for (int i = 0; i < 200; i++)
		pump(&a);
	send_cmd(&a, FL_CMD_RECORD, 0);
	CHECK(pump_until(&a, &fk.dirty, 1));
	for (int i = 0; i < 60; i++)
		pump(&a);
	CHECK_MSG(get(&fk.dirty) == 1 && fl_nsm_dirty(a.n), "is_dirty sent %d times", get(&fk.dirty));

	to_client("/nsm/client/save", "", NULL, NULL, NULL);
	CHECK(pump_until(&a, &fk.replies_save, 1) && pump_until(&a, &fk.clean, 2));
	CHECK(exists(inst, "footloop/manifest.txt") && exists(inst, "footloop/track-01.wav"));
	CHECK(!fl_nsm_dirty(a.n));
	struct fl_track_status ta[2], tb[2];
	struct fl_engine_status es;
	fl_engine_get_status(a.e, &es, ta, 2);
	client_stop(&a);

	/* A second instance opens the saved session: the loop comes back. */
	struct client b;
	client_start(&b);
	CHECK(pump_until(&b, &fk.announces, 2));
	to_client("/nsm/client/open", "sss", inst, "footloop", "nABCD");
	CHECK(pump_until(&b, &fk.replies_open, 2));
	for (int i = 0; i < 200; i++)
		pump(&b);
	fl_engine_get_status(b.e, &es, tb, 2);
	CHECK_MSG(ta[0].length_frames > 0 && tb[0].length_frames == ta[0].length_frames,
	          "loaded length %llu, saved %llu", (unsigned long long)tb[0].length_frames,
	          (unsigned long long)ta[0].length_frames);
	CHECK_MSG(get(&fk.dirty) == 1 && !fl_nsm_dirty(b.n), "a load made it dirty");
	client_stop(&b);

	lo_server_thread_stop(fk.st);
	lo_server_thread_free(fk.st);
	if (fk.client)
		lo_address_free(fk.client);
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (fl_check_failed == 0 && system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	return fl_check_summary("test_nsm");
}
