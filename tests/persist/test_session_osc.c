/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Sessions over OSC, in process: a liblo client talks to fl_osc (real
 * actions policy, real session_osc/sessions modules, a real engine driven
 * block by block on this thread, the real disk worker). Checks:
 *  - bad names ("../x", "/etc/passwd", "a/b", "", ".x", a number) give one
 *    /footloop/error each, start nothing and create nothing;
 *  - while a save holds track 1 (pinned), record/overdub/clear/undo/redo on
 *    it are refused with "track 1 is saving" and no command reaches the
 *    engine, while track 2 and levels still work; after the save they work
 *    again; the same "loading" during a load;
 *  - a missing session comes back as /footloop/error naming it;
 *  - list, setlist and the session actions (song_goto without a setlist,
 *    action names parsed as switches and MIDI maps write them). */
#include "check.h"

#include "control/session_osc.h"
#include "control/sessions.h"
#include "core/log.h"
#include "input/action_parse.h"

#include <dirent.h>
#include <lo/lo.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_MSGS 256
#define BLOCK 256u

struct msg {
	char path[64];
	char s[300];
	int32_t i;
};
static struct msg msgs[MAX_MSGS];
static int n_msgs;
static int n_track_cmds[FL_MAX_TRACKS]; ///< loop-changing commands sent per track

static struct fl_engine *engine;
static struct fl_osc *osc;
static struct fl_actions actions;
static struct fl_sessions sess;
static struct fl_session_osc sess_osc;
static lo_server client;
static lo_address target;
static float in_l[BLOCK], in_r[BLOCK], out_l[BLOCK], out_r[BLOCK];
static uint64_t phase;

static enum fl_status
on_send(void *user, const struct fl_cmd *c)
{
	(void)user;
	if (c->type == FL_CMD_RECORD || c->type == FL_CMD_OVERDUB || c->type == FL_CMD_CLEAR ||
	    c->type == FL_CMD_UNDO || c->type == FL_CMD_REDO)
		n_track_cmds[c->track]++;
	return fl_engine_send(engine, c);
}

static int
on_reply(const char *path, const char *types, lo_arg **argv, int argc, lo_message m, void *u)
{
	(void)m, (void)u;
	if (n_msgs >= MAX_MSGS)
		return 0;
	struct msg *r = &msgs[n_msgs++];
	memset(r, 0, sizeof *r);
	snprintf(r->path, sizeof r->path, "%s", path);
	if (argc >= 1 && types[0] == 's')
		snprintf(r->s, sizeof r->s, "%s", (const char *)argv[0]);
	if (argc >= 1 && types[0] == 'i')
		memcpy(&r->i, argv[0], sizeof r->i);
	return 0;
}

/* One engine block with a sine-ish ramp in, events to their owners, the
 * worker's finished jobs, OSC both ways. */
static void
step(void)
{
	for (uint32_t k = 0; k < BLOCK; k++, phase++)
		in_l[k] = in_r[k] = (float)(phase % 97u) / 200.0f - 0.24f;
	struct fl_engine_io io = {.in = {in_l, in_r}, .out = {out_l, out_r}};
	fl_engine_process(engine, &io, BLOCK);
	struct fl_event ev;
	while (fl_engine_poll_event(engine, &ev)) {
		if (ev.type == FL_EV_LEASE || ev.type == FL_EV_PINNED)
			fl_sessions_event(&sess, &ev);
		else if (ev.type == FL_EV_RELEASE)
			free(ev.ptr);
		else if (ev.type == FL_EV_NOTICE && getenv("FL_TEST_VERBOSE"))
			fprintf(stderr, "notice track %u: %s\n", ev.track + 1u,
			        fl_notice_string((enum fl_notice)ev.arg));
	}
	fl_sessions_dispatch(&sess);
	struct fl_track_status ts[FL_MAX_TRACKS];
	struct fl_engine_status es;
	fl_engine_get_status(engine, &es, ts, FL_MAX_TRACKS);
	fl_actions_update(&actions, ts, es.n_tracks);
	fl_sessions_tick(&sess);
	struct pollfd p = {.fd = fl_osc_fd(osc), .events = POLLIN};
	while (poll(&p, 1, 0) > 0)
		fl_osc_receive(osc);
	while (lo_server_recv_noblock(client, 0) > 0)
		;
}

static void
settle(void)
{
	for (int k = 0; k < 5; k++) {
		usleep(2000);
		step();
	}
}

static const struct msg *
find(const char *path)
{
	for (int k = 0; k < n_msgs; k++)
		if (strcmp(msgs[k].path, path) == 0)
			return &msgs[k];
	return NULL;
}

static int
count(const char *path)
{
	int n = 0;
	for (int k = 0; k < n_msgs; k++)
		n += strcmp(msgs[k].path, path) == 0;
	return n;
}

/* Steps until path arrives (or /footloop/error when path is NULL); 5 s max. */
static const struct msg *
wait_for(const char *path)
{
	for (int k = 0; k < 2500; k++) {
		const struct msg *m = find(path);
		if (m)
			return m;
		usleep(2000);
		step();
	}
	return NULL;
}

static void
send_s(const char *path, const char *s)
{
	if (s)
		lo_send_from(target, client, LO_TT_IMMEDIATE, path, "s", s);
	else
		lo_send_from(target, client, LO_TT_IMMEDIATE, path, "i", 7);
	settle();
}

static void
send_none(const char *path)
{
	lo_send_from(target, client, LO_TT_IMMEDIATE, path, "");
	settle();
}

static int
dir_entries(const char *path)
{
	DIR *d = opendir(path);
	int n = 0;
	for (struct dirent *e; d && (e = readdir(d));)
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

static void
test_bad_names(const char *root)
{
	static const char *const bad[] = {"../x", "/etc/passwd", "a/b", "", ".x", "..", NULL};
	for (int op = 0; op < 2; op++) {
		const char *path = op ? "/footloop/session/load" : "/footloop/session/save";
		for (int k = 0; k < 7; k++) {
			n_msgs = 0;
			int before = n_track_cmds[0] + n_track_cmds[1];
			send_s(path, bad[k]);
			const struct msg *e = find("/footloop/error");
			CHECK_MSG(count("/footloop/error") == 1 && e && strstr(e->s, path),
			          "%s \"%s\": %d errors (%s)", path, bad[k] ? bad[k] : "(i)",
			          count("/footloop/error"), e ? e->s : "");
			CHECK(before == n_track_cmds[0] + n_track_cmds[1]);
			CHECK(sess.ctl.op == FL_SESSION_OP_NONE);
		}
	}
	char p[600];
	snprintf(p, sizeof p, "%s/sessions", root);
	CHECK_MSG(dir_entries(p) == 0, "bad names created %d entries", dir_entries(p));
	CHECK_MSG(dir_entries(root) == 2, "%d entries in the test root (sessions, rec)",
	          dir_entries(root));
}

static void
record_loop(void)
{
	send_none("/footloop/track/1/record");
	for (int k = 0; k < 200; k++) /* ~1 s */
		step();
	send_none("/footloop/track/1/record");
	for (int k = 0; k < 20; k++)
		step();
	CHECK_MSG(actions.tracks[0].state == FL_TRACK_PLAYING, "track 1 is %s",
	          fl_track_state_name(actions.tracks[0].state));
}

/* The operation on track 1 is under way (pinned or leased): loop changes
 * are refused, track 2 and levels are not. */
static void
check_refusals(const char *what)
{
	static const char *const ops[] = {"record", "overdub", "clear", "undo", "redo", "rec_dub"};
	char path[64], want[32];
	snprintf(want, sizeof want, "track 1 is %s", what);
	CHECK(fl_sessions_track_busy(&sess, 0) != NULL);
	for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
		n_msgs = 0;
		int before = n_track_cmds[0];
		snprintf(path, sizeof path, "/footloop/track/1/%s", ops[k]);
		lo_send_from(target, client, LO_TT_IMMEDIATE, path, "");
		struct pollfd p = {.fd = fl_osc_fd(osc), .events = POLLIN};
		while (poll(&p, 1, 20) > 0) /* OSC only: the engine must not move on */
			fl_osc_receive(osc);
		while (lo_server_recv_noblock(client, 20) > 0)
			;
		const struct msg *e = find("/footloop/error");
		CHECK_MSG(e && strstr(e->s, want), "%s while %s: %s", ops[k], what, e ? e->s : "no error");
		CHECK(n_track_cmds[0] == before);
	}
	/* a switch (the actions path) is refused the same way */
	struct fl_action a = {.type = FL_ACTION_CLEAR, .track = 0, .value = 1.0f};
	struct fl_cmd cmds[FL_ACTIONS_MAX_CMDS];
	size_t n = 9;
	char err[160] = "";
	CHECK(fl_actions_apply(&actions, &a, cmds, FL_ACTIONS_MAX_CMDS, &n, err, sizeof err) ==
	      FL_ERR_BUSY);
	CHECK(n == 0 && strstr(err, want));
	a = (struct fl_action){.type = FL_ACTION_LEVEL, .track = 0, .value = 0.9f};
	CHECK(fl_actions_apply(&actions, &a, cmds, FL_ACTIONS_MAX_CMDS, &n, err, sizeof err) == FL_OK);
	a = (struct fl_action){.type = FL_ACTION_CLEAR, .track = 1, .value = 1.0f};
	CHECK(fl_actions_apply(&actions, &a, cmds, FL_ACTIONS_MAX_CMDS, &n, err, sizeof err) == FL_OK);
}

static void
test_busy(void)
{
	record_loop();
	uint64_t len = actions.tracks[0].length_frames;
	n_msgs = 0;
	lo_send_from(target, client, LO_TT_IMMEDIATE, "/footloop/session/save", "s", "s1");
	struct pollfd p = {.fd = fl_osc_fd(osc), .events = POLLIN};
	while (poll(&p, 1, 50) > 0)
		fl_osc_receive(osc);
	CHECK(sess.ctl.op == FL_SESSION_OP_SAVE);
	check_refusals("saving");
	const struct msg *m = wait_for("/footloop/session/saved");
	CHECK_MSG(m && strcmp(m->s, "s1") == 0, "saved: %s", m ? m->s : "no reply");
	CHECK(fl_sessions_track_busy(&sess, 0) == NULL);
	n_msgs = 0;
	int before = n_track_cmds[0];
	send_none("/footloop/track/1/overdub");
	CHECK_MSG(find("/footloop/error") == NULL && n_track_cmds[0] == before + 1,
	          "overdub after the save refused: %s", n_msgs ? msgs[0].s : "");
	send_none("/footloop/track/1/overdub");

	n_msgs = 0;
	lo_send_from(target, client, LO_TT_IMMEDIATE, "/footloop/session/load", "s", "s1");
	for (int k = 0; k < 2500 && !fl_sessions_track_busy(&sess, 0) && !find("/footloop/error");
	     k++) {
		usleep(1000);
		while (poll(&p, 1, 0) > 0)
			fl_osc_receive(osc);
		fl_sessions_dispatch(&sess); /* the worker reads; the engine waits */
	}
	CHECK_MSG(fl_sessions_track_busy(&sess, 0) != NULL, "the load never asked for a lease");
	check_refusals("loading");
	m = wait_for("/footloop/session/loaded");
	CHECK_MSG(m && strcmp(m->s, "s1") == 0, "loaded: %s", m ? m->s : "no reply");
	for (int k = 0; k < 60; k++)
		step();
	CHECK_MSG(actions.tracks[0].length_frames == len, "loaded length %llu, saved %llu",
	          (unsigned long long)actions.tracks[0].length_frames, (unsigned long long)len);
}

static void
test_missing_list_setlist(void)
{
	n_msgs = 0;
	send_s("/footloop/session/load", "nosuch");
	const struct msg *e = wait_for("/footloop/error");
	CHECK_MSG(e && strstr(e->s, "/footloop/session/load") && strstr(e->s, "nosuch"),
	          "missing: %s", e ? e->s : "no error");
	n_msgs = 0;
	send_none("/footloop/session/list");
	const struct msg *m = wait_for("/footloop/session/list/end");
	CHECK_MSG(m && m->i == 1 && find("/footloop/session/list") &&
	          strcmp(find("/footloop/session/list")->s, "s1") == 0, "list: %d",
	          m ? m->i : -1);
	/* setlist: a bad name refuses the whole list */
	n_msgs = 0;
	lo_send_from(target, client, LO_TT_IMMEDIATE, "/footloop/setlist", "ss", "s1", "../up");
	settle();
	CHECK(count("/footloop/error") == 1 && sess.setlist.n_songs == 0);
	n_msgs = 0;
	send_none("/footloop/setlist/next");
	CHECK(count("/footloop/error") == 1);
	lo_send_from(target, client, LO_TT_IMMEDIATE, "/footloop/setlist", "ss", "s1", "s1");
	settle();
	CHECK(sess.setlist.n_songs == 2);
	send_none("/footloop/register"); /* song feedback goes to registered clients */
	n_msgs = 0;
	lo_send_from(target, client, LO_TT_IMMEDIATE, "/footloop/setlist/goto", "i", 2);
	const struct msg *l = wait_for("/footloop/session/loaded");
	CHECK_MSG(l && strcmp(l->s, "s1") == 0, "goto 2: %s", l ? l->s : "no reply");
	for (int k = 0; k < 10; k++)
		step();
	const struct msg *song = find("/footloop/song/index");
	CHECK_MSG(song && song->i == 2, "song index %d", song ? song->i : -1);
	n_msgs = 0;
	send_none("/footloop/setlist/next"); /* past the end */
	CHECK(count("/footloop/error") == 1);
}

static void
test_action_names(void)
{
	static const char *const names[] = {"session_save", "session_load", "song_next",
	                                    "song_prev", "recorder_toggle", "recorder_start",
	                                    "recorder_stop"};
	struct fl_action a;
	char err[160];
	for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
		CHECK_MSG(fl_input_parse_action(names[k], &a, err, sizeof err) == FL_OK,
		          "%s: %s", names[k], err);
		CHECK(a.track == FL_TRACK_NONE && !strcmp(fl_action_name(a.type), names[k]));
	}
	CHECK(fl_input_parse_action("song_goto 3", &a, err, sizeof err) == FL_OK &&
	      a.type == FL_ACTION_SONG_GOTO && a.value == 3.0f);
	struct fl_cmd cmds[FL_ACTIONS_MAX_CMDS];
	size_t n;
	a.value = 0.0f;
	CHECK(fl_actions_apply(&actions, &a, cmds, FL_ACTIONS_MAX_CMDS, &n, err, sizeof err) ==
	      FL_ERR_RANGE);
	a.value = 9.0f; /* 2 songs */
	CHECK(fl_actions_apply(&actions, &a, cmds, FL_ACTIONS_MAX_CMDS, &n, err, sizeof err) ==
	      FL_ERR_RANGE);
	/* recorder_stop while nothing records */
	a = (struct fl_action){.type = FL_ACTION_RECORDER_STOP, .track = FL_TRACK_NONE};
	CHECK(fl_actions_apply(&actions, &a, cmds, FL_ACTIONS_MAX_CMDS, &n, err, sizeof err) != FL_OK);
}

static bool
setup(const char *root)
{
	static struct fl_config cfg; /* only the fields sessions read */
	memset(&cfg, 0, sizeof cfg);
	snprintf(cfg.session_name, sizeof cfg.session_name, "default");
	cfg.recorder_ring_seconds = 1.0f;
	fl_engine_config_defaults(&cfg.engine);
	cfg.engine.sample_rate = 48000;
	cfg.engine.n_tracks = 2;
	cfg.engine.track_seconds = 20.0f;
	cfg.engine.quantize = FL_QUANTIZE_OFF;
	snprintf(cfg.session_dir, sizeof cfg.session_dir, "%s/sessions", root);
	snprintf(cfg.recorder_dir, sizeof cfg.recorder_dir, "%s/rec", root);
	if (fl_engine_create(&cfg.engine, &engine) != FL_OK)
		return false;
	fl_actions_init(&actions, 2);
	struct fl_osc_hooks hooks = {.send = on_send};
	char err[300];
	if (fl_osc_create("127.0.0.1", 0, 30, &actions, &hooks, &osc, err, sizeof err) != FL_OK)
		return false;
	struct fl_sessions_hooks sh = {.reply = fl_session_osc_reply, .song = fl_session_osc_song,
	                               .recorder = fl_session_osc_recorder, .user = &sess_osc};
	if (fl_sessions_init(&sess, &cfg, engine, &sh, err, sizeof err) != FL_OK) {
		fprintf(stderr, "sessions: %s\n", err);
		return false;
	}
	fl_session_osc_attach(&sess_osc, osc, &sess);
	actions.session = fl_sessions_action;
	actions.track_busy = fl_sessions_track_busy;
	actions.hook_user = &sess;
	client = lo_server_new_with_proto(NULL, LO_UDP, NULL);
	char port[16];
	snprintf(port, sizeof port, "%u", fl_osc_port(osc));
	target = lo_address_new("127.0.0.1", port);
	lo_server_add_method(client, NULL, NULL, on_reply, NULL);
	return client && target;
}

int
main(void)
{
	fl_log_set_level(FL_LOG_ERROR);
	char root[] = "/tmp/fl-test-session-osc.XXXXXX";
	CHECK(mkdtemp(root) != NULL);
	if (!setup(root))
		return fl_check_summary("test_session_osc (setup failed)");
	test_bad_names(root);
	test_busy();
	test_missing_list_setlist();
	test_action_names();
	fl_sessions_fini(&sess);
	fl_osc_free(osc);
	fl_engine_free(engine);
	lo_address_free(target);
	lo_server_free(client);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	CHECK(system(cmd) == 0);
	return fl_check_summary("test_session_osc");
}
