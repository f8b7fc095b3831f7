/* SPDX-License-Identifier: GPL-2.0-or-later */
/* OSC in-process: a liblo client on 127.0.0.1 talks to fl_osc bound to a
 * free port. Valid messages must produce the right commands through the
 * actions policy; malformed ones must produce /footloop/error and nothing
 * else; registration gets the snapshot; feedback is rate-bounded. */
#include "check.h"

#include "control/osc.h"
#include "core/log.h"

#include <arpa/inet.h>
#include <lo/lo.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#define MAX_CMDS 64
#define MAX_MSGS 4096

static struct fl_cmd cmds[MAX_CMDS];
static int n_cmds;
static int quits;

struct msg {
	char path[64];
	char types[8];
	int32_t i[2];
	float f[2];
	char s[160];
};
static struct msg msgs[MAX_MSGS];
static int n_msgs;

static struct fl_osc *osc;
static struct fl_actions actions;
static lo_server client;
static lo_address target;

static enum fl_status
on_send(void *user, const struct fl_cmd *c)
{
	(void)user;
	if (n_cmds >= MAX_CMDS)
		return FL_ERR_FULL;
	cmds[n_cmds++] = *c;
	return FL_OK;
}

static void
on_quit(void *user)
{
	(void)user;
	quits++;
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
	snprintf(r->types, sizeof r->types, "%s", types);
	for (int k = 0; k < argc && k < 2; k++) {
		/* argv is only 4-byte aligned: no member access on lo_arg. */
		if (types[k] == 'i')
			memcpy(&r->i[k], argv[k], sizeof r->i[k]);
		if (types[k] == 'f')
			memcpy(&r->f[k], argv[k], sizeof r->f[k]);
		if (types[k] == 's')
			snprintf(r->s, sizeof r->s, "%s", (const char *)argv[k]);
	}
	return 0;
}

/* Lets the server handle what was sent, then collects the replies. */
static void
pump(void)
{
	struct pollfd p = {.fd = fl_osc_fd(osc), .events = POLLIN};
	while (poll(&p, 1, 20) > 0)
		fl_osc_receive(osc);
	while (lo_server_recv_noblock(client, 10) > 0)
		;
}

static void
reset(void)
{
	n_cmds = 0;
	n_msgs = 0;
}

static int
count(const char *path)
{
	int n = 0;
	for (int k = 0; k < n_msgs; k++)
		n += strcmp(msgs[k].path, path) == 0;
	return n;
}

static const struct msg *
find(const char *path)
{
	for (int k = 0; k < n_msgs; k++)
		if (strcmp(msgs[k].path, path) == 0)
			return &msgs[k];
	return NULL;
}

static void
send_raw(const char *path, lo_message m)
{
	lo_send_message_from(target, client, path, m);
	lo_message_free(m);
}

static lo_message
msg_f(float v)
{
	lo_message m = lo_message_new();
	lo_message_add_float(m, v);
	return m;
}

static lo_message
msg_i(int32_t v)
{
	lo_message m = lo_message_new();
	lo_message_add_int32(m, v);
	return m;
}

/* Sends path with m and expects exactly one command of type on track. */
static void
expect_cmd(const char *path, lo_message m, uint16_t type, uint16_t track, float value)
{
	reset();
	send_raw(path, m);
	pump();
	CHECK_MSG(n_cmds == 1, "%s: %d commands", path, n_cmds);
	CHECK_MSG(count("/footloop/error") == 0, "%s: error %s", path, n_msgs ? msgs[0].s : "");
	if (n_cmds == 1) {
		CHECK_MSG(cmds[0].type == type, "%s: type %u, want %u", path, cmds[0].type, type);
		CHECK_MSG(cmds[0].track == track, "%s: track %u, want %u", path, cmds[0].track, track);
		CHECK_MSG(cmds[0].value == value, "%s: value %g", path, (double)cmds[0].value);
	}
}

/* Sends path with m and expects one /footloop/error naming path, no command. */
static void
expect_error(const char *path, lo_message m)
{
	reset();
	uint32_t sel = actions.selected;
	send_raw(path, m);
	pump();
	CHECK_MSG(n_cmds == 0, "%s: %d commands, want none", path, n_cmds);
	const struct msg *e = find("/footloop/error");
	CHECK_MSG(e != NULL && count("/footloop/error") == 1, "%s: no single error reply", path);
	if (e) {
		CHECK_MSG(strncmp(e->s, path, strlen(path)) == 0 && strlen(e->s) > strlen(path) + 2,
		          "%s: error text \"%s\"", path, e->s);
		CHECK(strcmp(e->types, "s") == 0);
	}
	CHECK(actions.selected == sel);
}

static void
test_commands(void)
{
	expect_cmd("/footloop/track/2/record", lo_message_new(), FL_CMD_RECORD, 1, 0);
	expect_cmd("/footloop/track/1/record", msg_f(1), FL_CMD_RECORD, 0, 0);
	expect_cmd("/footloop/track/4/overdub", msg_i(1), FL_CMD_OVERDUB, 3, 0);
	expect_cmd("/footloop/track/1/undo", lo_message_new(), FL_CMD_UNDO, 0, 0);
	expect_cmd("/footloop/track/1/clear", lo_message_new(), FL_CMD_CLEAR, 0, 0);
	expect_cmd("/footloop/track/3/mute", lo_message_new(), FL_CMD_MUTE, 2, 0);
	expect_cmd("/footloop/track/1/level", msg_f(0.5f), FL_CMD_TRACK_LEVEL, 0, 0.5f);
	expect_cmd("/footloop/track/1/level", msg_i(2), FL_CMD_TRACK_LEVEL, 0, 2.0f);
	lo_message m = lo_message_new();
	lo_message_add_double(m, 0.25);
	expect_cmd("/footloop/track/1/pan", m, FL_CMD_TRACK_PAN, 0, 0.25f);
	m = lo_message_new();
	lo_message_add_int64(m, 1);
	expect_cmd("/footloop/track/2/level", m, FL_CMD_TRACK_LEVEL, 1, 1.0f);
	m = lo_message_new();
	lo_message_add_true(m);
	expect_cmd("/footloop/track/2/solo", m, FL_CMD_TRACK_SOLO, 1, 1.0f);
	m = lo_message_new();
	lo_message_add_string(m, "off");
	reset();
	send_raw("/footloop/track/2/quantize", m);
	pump();
	CHECK(n_cmds == 1 && cmds[0].type == FL_CMD_TRACK_QUANTIZE && cmds[0].arg == FL_QUANTIZE_OFF);
	expect_cmd("/footloop/master/level", msg_f(0.8f), FL_CMD_MASTER_LEVEL, 0, 0.8f);
	expect_cmd("/footloop/monitor/level", msg_f(1.5f), FL_CMD_MONITOR_LEVEL, 0, 1.5f);
	expect_cmd("/footloop/stop_all", lo_message_new(), FL_CMD_STOP_ALL, 0, 0);
	expect_cmd("/footloop/play_all", msg_f(1), FL_CMD_PLAY_ALL, 0, 0);
	/* Selection is 1-based on the wire. */
	reset();
	send_raw("/footloop/select", msg_f(3));
	pump();
	CHECK(n_cmds == 0 && actions.selected == 2 && count("/footloop/error") == 0);
	expect_cmd("/footloop/selected/rec_dub", lo_message_new(), FL_CMD_RECORD, 2, 0);
	send_raw("/footloop/select/next", lo_message_new());
	pump();
	CHECK(actions.selected == 3);
	send_raw("/footloop/select/next", msg_i(1));
	pump();
	CHECK(actions.selected == 0); /* wraps */
	send_raw("/footloop/select/prev", lo_message_new());
	pump();
	CHECK(actions.selected == 3);
	expect_cmd("/footloop/selected/play", lo_message_new(), FL_CMD_PLAY, 3, 0);
}

static void
test_release_ignored(void)
{
	reset();
	send_raw("/footloop/track/1/record", msg_f(0));
	send_raw("/footloop/track/1/record", msg_i(0));
	lo_message m = lo_message_new();
	lo_message_add_false(m);
	send_raw("/footloop/selected/play_stop", m);
	send_raw("/footloop/select/next", msg_f(0));
	pump();
	CHECK(n_cmds == 0 && n_msgs == 0 && actions.selected == 3);
}

static void
test_errors(void)
{
	expect_error("/footloop/bogus", lo_message_new());
	expect_error("/other/thing", lo_message_new());
	expect_error("/footloop/track/0/record", lo_message_new());
	expect_error("/footloop/track/99/record", lo_message_new());
	expect_error("/footloop/track/99999999999999999999999/play", lo_message_new());
	expect_error("/footloop/track/abc/play", lo_message_new());
	expect_error("/footloop/track/-1/play", lo_message_new());
	expect_error("/footloop/track/1/bogus", lo_message_new());
	expect_error("/footloop/track/1", lo_message_new());
	expect_error("/footloop/track/1/level", lo_message_new()); /* empty typespec */
	lo_message m = lo_message_new();
	lo_message_add_string(m, "loud");
	expect_error("/footloop/track/1/level", m);
	expect_error("/footloop/track/1/level", msg_f(NAN));
	expect_error("/footloop/track/1/level", msg_f(INFINITY));
	expect_error("/footloop/track/1/level", msg_f(-INFINITY));
	expect_error("/footloop/track/1/level", msg_f(2.5f));
	expect_error("/footloop/track/1/pan", msg_f(1e30f));
	m = lo_message_new();
	lo_message_add_double(m, 1e300);
	expect_error("/footloop/master/level", m);
	m = lo_message_new();
	lo_message_add_int64(m, INT64_MAX);
	expect_error("/footloop/monitor/level", m);
	expect_error("/footloop/track/1/record", msg_f(NAN)); /* a button with a NaN */
	expect_error("/footloop/select", msg_i(0));
	expect_error("/footloop/select", msg_i(5));
	expect_error("/footloop/select", msg_f(1.5f));
	m = lo_message_new();
	lo_message_add_string(m, "bar");
	expect_error("/footloop/track/1/quantize", m);
	expect_error("/footloop/track/1/quantize", msg_i(1));
	m = lo_message_new();
	lo_message_add_string(m, "tcp://nowhere");
	expect_error("/footloop/register", m);
	CHECK(fl_osc_client_count(osc) == 0);
}

static void
fill_snapshot(struct fl_snapshot *s)
{
	memset(s, 0, sizeof *s);
	s->n_tracks = 4;
	s->selected = actions.selected;
	s->engine.sample_rate = 48000;
	s->engine.n_tracks = 4;
	s->engine.master_level = 1.0f;
	s->engine.monitor = true;
	s->engine.monitor_level = 1.0f;
	s->engine.latency_frames = 512;
	for (int i = 0; i < 4; i++)
		s->tracks[i] = (struct fl_track_status){.level = 1.0f, .quantize = FL_QUANTIZE_CYCLE};
}

static void
test_register_and_feedback(void)
{
	struct fl_snapshot s;
	fill_snapshot(&s);
	fl_osc_publish(osc, &s, 1000);
	reset();
	send_raw("/footloop/register", lo_message_new());
	pump();
	CHECK(fl_osc_client_count(osc) == 1);
	/* 9 global values + 8 per track + the end marker. */
	CHECK_MSG(n_msgs == 9 + 8 * 4 + 1, "snapshot of %d messages", n_msgs);
	CHECK(n_msgs > 0 && strcmp(msgs[n_msgs - 1].path, "/footloop/state/end") == 0);
	const struct msg *r = find("/footloop/rate");
	CHECK(r && r->i[0] == 48000 && strcmp(r->types, "i") == 0);
	r = find("/footloop/selected");
	CHECK(r && r->i[0] == 4);
	r = find("/footloop/latency");
	CHECK(r && r->i[0] == 512);
	r = find("/footloop/track/3/state");
	CHECK(r && strcmp(r->s, "empty") == 0);
	r = find("/footloop/track/4/quantize");
	CHECK(r && strcmp(r->s, "cycle") == 0);
	r = find("/footloop/track/1/history");
	CHECK(r && strcmp(r->types, "ii") == 0);
	r = find("/footloop/track/2/level");
	CHECK(r && strcmp(r->types, "f") == 0 && r->f[0] == 1.0f);
	/* A change goes out alone (no meters moved, no track playing). */
	reset();
	s.tracks[0].state = FL_TRACK_PLAYING;
	s.tracks[0].length_frames = 96000;
	s.engine.cycle_frames = 96000;
	fl_osc_publish(osc, &s, 1010);
	pump();
	CHECK_MSG(n_msgs == 3, "%d messages for 3 changes", n_msgs);
	r = find("/footloop/track/1/state");
	CHECK(r && strcmp(r->s, "playing") == 0);
	r = find("/footloop/cycle");
	CHECK(r && r->i[0] == 96000);
	/* Nothing changed: nothing sent (the rate tick has not come). */
	reset();
	fl_osc_publish(osc, &s, 1020);
	pump();
	CHECK_MSG(n_msgs == 0, "%d messages without a change", n_msgs);
	/* /footloop/state answers without registering. */
	reset();
	send_raw("/footloop/state", lo_message_new());
	pump();
	CHECK(count("/footloop/state/end") == 1 && count("/footloop/tracks") == 1);
	CHECK(fl_osc_client_count(osc) == 1);
	/* Notices. */
	reset();
	fl_osc_notice(osc, "nothing to undo");
	pump();
	r = find("/footloop/notice");
	CHECK(r && strcmp(r->s, "nothing to undo") == 0);
}

/* Meters that change every 1 ms tick go out at most feedback_hz times/s. */
static void
test_rate_bound(void)
{
	struct fl_snapshot s;
	fill_snapshot(&s);
	s.tracks[0].state = FL_TRACK_PLAYING;
	s.tracks[0].length_frames = 96000;
	s.engine.cycle_frames = 96000;
	reset();
	for (uint64_t t = 0; t < 1000; t++) {
		s.engine.master_peak[0] = (float)(t % 100) / 100.0f + 0.001f;
		s.tracks[0].position_frames = t * 48;
		fl_osc_publish(osc, &s, 2000 + t);
		if (t % 50 == 0)
			pump();
	}
	pump();
	int meters = count("/footloop/master/meter");
	int positions = count("/footloop/track/1/position");
	printf("feedback over 1 s at 1000 publishes: %d master meters, %d positions\n", meters,
	       positions);
	CHECK_MSG(meters <= 31 && meters >= 25, "%d master meters in 1 s", meters);
	CHECK_MSG(positions <= 31 && positions >= 25, "%d positions in 1 s", positions);
	CHECK(count("/footloop/track/2/position") == 0); /* empty track */
	/* The control loop ticks every 10 ms: the rate still averages ~30 Hz,
	 * and a recording's growing length goes at that rate, not per tick. */
	reset();
	s.tracks[1].state = FL_TRACK_RECORDING;
	fl_osc_publish(osc, &s, 3000);
	pump();
	CHECK(count("/footloop/track/2/state") == 1);
	reset();
	for (uint64_t t = 10; t <= 1000; t += 10) {
		s.tracks[1].length_frames = t * 48;
		fl_osc_publish(osc, &s, 3000 + t);
		if (t % 100 == 0)
			pump();
	}
	pump();
	int lengths = count("/footloop/track/2/length");
	positions = count("/footloop/track/1/position");
	printf("feedback over 1 s at 10 ms ticks: %d positions, %d growing lengths\n", positions,
	       lengths);
	CHECK_MSG(positions >= 28 && positions <= 30, "%d positions in 1 s", positions);
	CHECK_MSG(lengths >= 28 && lengths <= 30, "%d lengths in 1 s", lengths);
	/* The final length goes out as a change when recording ends. */
	reset();
	s.tracks[1].state = FL_TRACK_PLAYING;
	s.tracks[1].length_frames = 48000;
	fl_osc_publish(osc, &s, 4005);
	pump();
	const struct msg *r = find("/footloop/track/2/length");
	CHECK(r && r->i[0] == 48000);
}

static void
test_misc(void)
{
	reset();
	send_raw("/footloop/ping", lo_message_new());
	send_raw("/footloop/quit", lo_message_new());
	pump();
	CHECK(count("/footloop/pong") == 1 && quits == 1);
	/* Bundles: each element acts. */
	reset();
	lo_bundle b = lo_bundle_new(LO_TT_IMMEDIATE);
	lo_bundle_add_message(b, "/footloop/track/1/stop", lo_message_new());
	lo_bundle_add_message(b, "/footloop/track/2/play", lo_message_new());
	lo_send_bundle_from(target, client, b);
	lo_bundle_free_recursive(b);
	pump();
	CHECK(n_cmds == 2 && cmds[0].type == FL_CMD_STOP && cmds[1].type == FL_CMD_PLAY);
	/* Garbage datagrams are ignored; the server still answers. */
	reset();
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(fl_osc_port(osc))};
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	static const char junk[][16] = {"garbage", "/footloop/pi", "#bundle\0\0\0\0\0\0\0\0\0"};
	for (size_t k = 0; k < 3; k++)
		CHECK(sendto(fd, junk[k], sizeof junk[k], 0, (struct sockaddr *)&to, sizeof to) > 0);
	close(fd);
	pump();
	CHECK(n_cmds == 0);
	send_raw("/footloop/ping", lo_message_new());
	pump();
	CHECK(count("/footloop/pong") == 1 && count("/footloop/error") == 0);
	reset();
	send_raw("/footloop/unregister", lo_message_new());
	pump();
	CHECK(fl_osc_client_count(osc) == 0);
	/* The oldest of 17 registrations is replaced. */
	for (int k = 0; k < 17; k++) {
		char url[64];
		snprintf(url, sizeof url, "osc.udp://127.0.0.1:%d/", 20000 + k);
		lo_message m = lo_message_new();
		lo_message_add_string(m, url);
		send_raw("/footloop/register", m);
	}
	pump();
	CHECK(fl_osc_client_count(osc) == FL_OSC_MAX_CLIENTS);
}

static void
test_busy_port(void)
{
	struct fl_osc *other = NULL;
	char err[256] = "";
	enum fl_status st = fl_osc_create("127.0.0.1", fl_osc_port(osc), 30, &actions, NULL, &other,
	                                  err, sizeof err);
	CHECK(st == FL_ERR_BUSY && other == NULL);
	char port[16];
	snprintf(port, sizeof port, "port %u", fl_osc_port(osc));
	CHECK_MSG(strstr(err, port) != NULL, "\"%s\" does not name the port", err);
	st = fl_osc_create("not-an-address", 0, 30, &actions, NULL, &other, err, sizeof err);
	CHECK(st == FL_ERR_BAD_ARG && strstr(err, "not-an-address") != NULL);
	fl_osc_free(NULL);
}

int
main(void)
{
	fl_log_set_level(FL_LOG_ERROR);
	fl_actions_init(&actions, 4);
	struct fl_osc_hooks hooks = {.send = on_send, .quit = on_quit};
	char err[256];
	if (fl_osc_create("127.0.0.1", 0, 30, &actions, &hooks, &osc, err, sizeof err) != FL_OK) {
		fprintf(stderr, "cannot bind: %s\n", err);
		return 77;
	}
	client = lo_server_new_with_proto(NULL, LO_UDP, NULL);
	char port[16];
	snprintf(port, sizeof port, "%u", fl_osc_port(osc));
	target = lo_address_new("127.0.0.1", port);
	lo_server_add_method(client, NULL, NULL, on_reply, NULL);
	test_commands();
	test_release_ignored();
	test_errors();
	test_register_and_feedback();
	test_rate_bound();
	test_misc();
	test_busy_port();
	lo_address_free(target);
	lo_server_free(client);
	fl_osc_free(osc);
	return fl_check_summary("test_osc");
}
