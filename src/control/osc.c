/* SPDX-License-Identifier: GPL-2.0-or-later */
/* OSC input: our own UDP socket, liblo's parser, a table of addresses.
 *
 * liblo 0.31's lo_server sets SO_REUSEPORT (a second footloop on the same
 * port would silently share it) and binds UDP to every interface whatever
 * address is asked for, so the socket is ours and liblo only parses
 * (lo_message_deserialise) and builds (lo_message_serialise) messages.
 * Every message ends in one of three ways: an action queued, a reply, or
 * /footloop/error to the sender. Nothing in here changes state directly. */
#include "control/osc_private.h"

#include "core/log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_DATAGRAMS_PER_CALL 64
#define MAX_BUNDLE_DEPTH 4
#define ERROR_LOGS_PER_10S 20

static void on_packet(struct fl_osc *o, char *data, size_t size, int depth);

static void
peer_name(const struct fl_osc_peer *p, char *out, size_t len)
{
	char host[NI_MAXHOST] = "?", serv[NI_MAXSERV] = "?";
	getnameinfo((const struct sockaddr *)&p->addr, p->len, host, sizeof host, serv, sizeof serv,
	            NI_NUMERICHOST | NI_NUMERICSERV);
	snprintf(out, len, "%s:%s", host, serv);
}

/* Logs at most ERROR_LOGS_PER_10S lines per 10 s; a flood is summarised. */
static void
log_limited(struct fl_osc *o, const char *msg)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	uint64_t window = (uint64_t)ts.tv_sec / 10;
	if (window != o->log_window_s) {
		if (o->log_suppressed)
			fl_warn("OSC: %u more errors not logged", o->log_suppressed);
		o->log_window_s = window;
		o->log_count = o->log_suppressed = 0;
	}
	if (o->log_count++ < ERROR_LOGS_PER_10S) {
		char who[96];
		peer_name(&o->sender, who, sizeof who);
		fl_warn("OSC from %s: %s", who, msg);
	} else {
		o->log_suppressed++;
	}
}

static void reply_error(struct fl_osc *o, const char *path, const char *fmt, ...) FL_PRINTF(3, 4);

/* /footloop/error s "<path>: <what is wrong>" to the sender, and a log line. */
static void
reply_error(struct fl_osc *o, const char *path, const char *fmt, ...)
{
	char msg[256];
	int n = snprintf(msg, sizeof msg, "%s: ", path);
	if (n < 0 || (size_t)n >= sizeof msg)
		n = 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
	va_end(ap);
	log_limited(o, msg);
	lo_message m = lo_message_new();
	lo_message_add_string(m, msg);
	fl_osc_deliver(o, &o->sender, "/footloop/error", m);
}

void
fl_osc_reply_error(struct fl_osc *o, const char *path, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	reply_error(o, path, "%s", msg);
}

void
fl_osc_deliver(struct fl_osc *o, const struct fl_osc_peer *to, const char *path, lo_message m)
{
	char buf[1024];
	size_t size = lo_message_length(m, path);
	if (size <= sizeof buf && lo_message_serialise(m, path, buf, &size)) {
		if (to) {
			(void)sendto(o->fd, buf, size, MSG_DONTWAIT, (const struct sockaddr *)&to->addr,
			             to->len);
		} else {
			for (uint32_t i = 0; i < o->n_clients; i++)
				(void)sendto(o->fd, buf, size, MSG_DONTWAIT,
				             (const struct sockaddr *)&o->clients[i].addr,
				             o->clients[i].len);
		}
	}
	lo_message_free(m);
}

/* Numbers: tablets send floats for everything, so i, h, f, d, T and F are
 * all accepted wherever a number is expected. */
/* liblo's argv points into the packet, which is only 4-byte aligned, while
 * union lo_arg asks for 8: read through memcpy, never through a member. */
static bool
arg_number(const char *types, lo_arg **argv, int i, double *out)
{
	int32_t i32;
	int64_t i64;
	float f;
	switch (types[i]) {
	case LO_INT32: memcpy(&i32, argv[i], sizeof i32); *out = i32; return true;
	case LO_INT64: memcpy(&i64, argv[i], sizeof i64); *out = (double)i64; return true;
	case LO_FLOAT: memcpy(&f, argv[i], sizeof f); *out = (double)f; return true;
	case LO_DOUBLE: memcpy(out, argv[i], sizeof *out); return true;
	case LO_TRUE: *out = 1.0; return true;
	case LO_FALSE: *out = 0.0; return true;
	default: return false;
	}
}

/* The string of argument i (s is the union's first member). */
static const char *
arg_string(lo_arg **argv, int i)
{
	return (const char *)argv[i];
}

/* The one number a value address needs; false after replying an error. */
static bool
want_number(struct fl_osc *o, const char *path, const char *types, lo_arg **argv, int argc,
            double *out)
{
	if (argc < 1 || !arg_number(types, argv, 0, out)) {
		reply_error(o, path, "expected a number (i, f, h, d, T or F), got '%s'",
		            argc < 1 ? "" : types);
		return false;
	}
	if (!isfinite(*out)) {
		reply_error(o, path, "value is not a finite number");
		return false;
	}
	return true;
}

/* Buttons: any arguments; a numeric 0 (release) is ignored. Returns false
 * when the message must not act (release, or error already replied). */
static bool
is_press(struct fl_osc *o, const char *path, const char *types, lo_arg **argv, int argc)
{
	double v;
	if (argc < 1 || !arg_number(types, argv, 0, &v))
		return true;
	if (!isfinite(v)) {
		reply_error(o, path, "value is not a finite number");
		return false;
	}
	return v != 0.0;
}

static void
act(struct fl_osc *o, const char *path, enum fl_action_type type, int32_t track, double value)
{
	/* Doubles beyond float range would become Inf: refuse them here. */
	if (fabs(value) > 1e30) {
		reply_error(o, path, "%g is out of range", value);
		return;
	}
	struct fl_action a = {.type = type, .track = track, .value = (float)value};
	struct fl_cmd cmds[FL_ACTIONS_MAX_CMDS];
	size_t n = 0;
	char err[160];
	enum fl_status st = fl_actions_apply(o->actions, &a, cmds, FL_ACTIONS_MAX_CMDS, &n, err,
	                                     sizeof err);
	if (st != FL_OK) {
		reply_error(o, path, "%s", err);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (o->hooks.send && o->hooks.send(o->hooks.user, &cmds[i]) != FL_OK) {
			reply_error(o, path, "the engine's command queue is full; try again");
			return;
		}
	}
}

static const struct { const char *op; enum fl_action_type type; } button_ops[] = {
	{"record", FL_ACTION_RECORD},   {"overdub", FL_ACTION_OVERDUB},
	{"play", FL_ACTION_PLAY},       {"stop", FL_ACTION_STOP},
	{"mute", FL_ACTION_MUTE},       {"unmute", FL_ACTION_UNMUTE},
	{"clear", FL_ACTION_CLEAR},     {"undo", FL_ACTION_UNDO},
	{"redo", FL_ACTION_REDO},       {"rec_dub", FL_ACTION_REC_DUB},
	{"mute_toggle", FL_ACTION_MUTE_TOGGLE}, {"play_stop", FL_ACTION_PLAY_STOP},
	{"solo_toggle", FL_ACTION_SOLO_TOGGLE},
};

static const struct { const char *op; enum fl_action_type type; } value_ops[] = {
	{"level", FL_ACTION_LEVEL}, {"pan", FL_ACTION_PAN}, {"solo", FL_ACTION_SOLO},
};

/* <op> of /footloop/track/<n>/<op> or /footloop/selected/<op>. */
static void
on_track_op(struct fl_osc *o, const char *path, int32_t track, const char *op, const char *types,
            lo_arg **argv, int argc)
{
	double v;
	for (size_t i = 0; i < sizeof button_ops / sizeof button_ops[0]; i++) {
		if (strcmp(op, button_ops[i].op) == 0) {
			if (is_press(o, path, types, argv, argc))
				act(o, path, button_ops[i].type, track, 1.0);
			return;
		}
	}
	for (size_t i = 0; i < sizeof value_ops / sizeof value_ops[0]; i++) {
		if (strcmp(op, value_ops[i].op) == 0) {
			if (want_number(o, path, types, argv, argc, &v))
				act(o, path, value_ops[i].type, track, v);
			return;
		}
	}
	if (strcmp(op, "quantize") == 0) {
		int q = argc >= 1 && (types[0] == LO_STRING || types[0] == LO_SYMBOL)
		              ? fl_quantize_from_name(arg_string(argv, 0)) : -1;
		if (q < 0)
			reply_error(o, path, "expected a string: off or cycle");
		else
			act(o, path, FL_ACTION_QUANTIZE, track, q);
		return;
	}
	uint32_t ti = track == FL_TRACK_SELECTED ? o->actions->selected : (uint32_t)track;
	if (fl_osc_track_fx(o, path, ti, op, types, argv, argc))
		return;
	reply_error(o, path, "unknown track operation '%s'", op);
}

/* "/footloop/track/<n>/<op>": n is 1-based, digits only. */
static void
on_track_path(struct fl_osc *o, const char *path, const char *rest, const char *types,
              lo_arg **argv, int argc)
{
	char *end;
	errno = 0;
	unsigned long n = strtoul(rest, &end, 10);
	if (rest[0] < '0' || rest[0] > '9' || *end != '/' || errno) {
		reply_error(o, path, "expected /footloop/track/<n>/<operation>");
		return;
	}
	if (n < 1 || n > o->actions->n_tracks) {
		reply_error(o, path, "track %lu is out of range 1..%u", n, o->actions->n_tracks);
		return;
	}
	on_track_op(o, path, (int32_t)(n - 1), end + 1, types, argv, argc);
}

/* Resolves an osc.udp URL to a socket address of our socket's family. */
static bool
resolve_url(struct fl_osc *o, const char *url, struct fl_osc_peer *out)
{
	if (lo_url_get_protocol_id(url) != LO_UDP)
		return false;
	char *host = lo_url_get_hostname(url);
	char *port = lo_url_get_port(url);
	struct addrinfo hints = {.ai_family = o->family, .ai_socktype = SOCK_DGRAM,
	                         .ai_flags = o->family == AF_INET6 ? AI_V4MAPPED : 0};
	struct addrinfo *res = NULL;
	bool ok = host && port && getaddrinfo(host, port, &hints, &res) == 0 && res;
	if (ok) {
		memcpy(&out->addr, res->ai_addr, res->ai_addrlen);
		out->len = res->ai_addrlen;
	}
	if (res)
		freeaddrinfo(res);
	free(host);
	free(port);
	return ok;
}

static int
find_client(const struct fl_osc *o, const struct fl_osc_peer *p)
{
	for (uint32_t i = 0; i < o->n_clients; i++)
		if (o->clients[i].len == p->len && memcmp(&o->clients[i].addr, &p->addr, p->len) == 0)
			return (int)i;
	return -1;
}

static void
on_register(struct fl_osc *o, const char *path, const char *types, lo_arg **argv, int argc,
            bool add)
{
	struct fl_osc_peer p = o->sender;
	if (argc >= 1 && types[0] == LO_STRING && !resolve_url(o, arg_string(argv, 0), &p)) {
		reply_error(o, path, "'%s' is not a reachable osc.udp:// URL", arg_string(argv, 0));
		return;
	}
	if (argc >= 1 && types[0] != LO_STRING) {
		reply_error(o, path, "expected no argument or a URL string");
		return;
	}
	int i = find_client(o, &p);
	if (!add) {
		if (i >= 0)
			o->clients[i] = o->clients[--o->n_clients];
		return;
	}
	if (i < 0 && o->n_clients < FL_OSC_MAX_CLIENTS) {
		i = (int)o->n_clients++;
	} else if (i < 0) {
		i = 0; /* full: the oldest registration goes */
		for (uint32_t k = 1; k < o->n_clients; k++)
			if (o->clients[k].order < o->clients[i].order)
				i = (int)k;
	}
	o->clients[i] = p;
	o->clients[i].order = o->next_order++;
	char who[96];
	peer_name(&p, who, sizeof who);
	fl_info("OSC client %s registered (%u)", who, o->n_clients);
	fl_osc_send_snapshot(o, &o->clients[i]);
}

/* /footloop/midi/learn s action [i|f track]: the track is 1-based; a
 * track action without one acts on the selected track. */
static void
on_learn(struct fl_osc *o, const char *path, const char *types, lo_arg **argv, int argc)
{
	double t = 0.0;
	if (argc < 1 || (types[0] != LO_STRING && types[0] != LO_SYMBOL)) {
		reply_error(o, path, "expected an action name (s) and an optional track number");
		return;
	}
	struct fl_action a = {.type = fl_action_from_name(arg_string(argv, 0)),
	                      .track = FL_TRACK_NONE, .value = 1.0f};
	if (a.type == FL_ACTION_NONE) {
		reply_error(o, path, "unknown action '%s'", arg_string(argv, 0));
		return;
	}
	if (fl_action_takes_track(a.type)) {
		a.track = FL_TRACK_SELECTED;
		if (argc >= 2 && (!arg_number(types, argv, 1, &t) || t != floor(t) || t < 1.0 ||
		                  t > (double)o->actions->n_tracks)) {
			reply_error(o, path, "track must be 1..%u", o->actions->n_tracks);
			return;
		}
		if (argc >= 2)
			a.track = (int32_t)t - 1;
	}
	char err[160] = "MIDI learn is not available";
	if (!o->hooks.learn || o->hooks.learn(o->hooks.user, &a, err, sizeof err) != FL_OK) {
		reply_error(o, path, "%s", err);
		return;
	}
	o->learner = o->sender;
	o->have_learner = true;
}

void
fl_osc_learned(struct fl_osc *o, enum fl_status st, const char *text)
{
	if (!o->have_learner)
		return;
	o->have_learner = false;
	lo_message m = lo_message_new();
	if (st == FL_OK) {
		lo_message_add_string(m, text);
		fl_osc_deliver(o, &o->learner, "/footloop/midi/learned", m);
		return;
	}
	char msg[300];
	snprintf(msg, sizeof msg, "/footloop/midi/learn: %s", text);
	lo_message_add_string(m, msg);
	fl_osc_deliver(o, &o->learner, "/footloop/error", m);
}

/* Addresses outside /footloop/track/ (and /footloop/selected/). */
static void
on_global(struct fl_osc *o, const char *path, const char *name, const char *types,
          lo_arg **argv, int argc)
{
	static const struct { const char *name; enum fl_action_type type; bool button; } g[] = {
		{"master/level", FL_ACTION_MASTER_LEVEL, false},
		{"monitor", FL_ACTION_MONITOR, false},
		{"monitor/level", FL_ACTION_MONITOR_LEVEL, false},
		{"select", FL_ACTION_SELECT, false},
		{"select/next", FL_ACTION_SELECT_NEXT, true},
		{"select/prev", FL_ACTION_SELECT_PREV, true},
		{"stop_all", FL_ACTION_STOP_ALL, true},
		{"play_all", FL_ACTION_PLAY_ALL, true},
	};
	double v;
	for (size_t i = 0; i < sizeof g / sizeof g[0]; i++) {
		if (strcmp(name, g[i].name) != 0)
			continue;
		if (g[i].button) {
			if (is_press(o, path, types, argv, argc))
				act(o, path, g[i].type, FL_TRACK_NONE, 1.0);
		} else if (want_number(o, path, types, argv, argc, &v)) {
			/* /footloop/select is 1-based like every track number people see. */
			act(o, path, g[i].type, FL_TRACK_NONE, g[i].type == FL_ACTION_SELECT ? v - 1.0 : v);
		}
		return;
	}
	if (strcmp(name, "register") == 0 || strcmp(name, "unregister") == 0)
		on_register(o, path, types, argv, argc, name[0] == 'r');
	else if (strcmp(name, "state") == 0)
		fl_osc_send_snapshot(o, &o->sender);
	else if (strcmp(name, "ping") == 0)
		fl_osc_deliver(o, &o->sender, "/footloop/pong", lo_message_new());
	else if (strcmp(name, "midi/learn") == 0)
		on_learn(o, path, types, argv, argc);
	else if (strcmp(name, "quit") == 0 && o->hooks.quit)
		o->hooks.quit(o->hooks.user);
	else if (strcmp(name, "master/loudness/reset") == 0) {
		if (o->hooks.loudness_reset)
			o->hooks.loudness_reset(o->hooks.user);
		else
			reply_error(o, path, "the loudness meter is not running in this build");
	}
	else if (!(o->ext && o->ext(o, path, name, types, argv, argc)) &&
	         !fl_osc_global_fx(o, path, name, types, argv, argc))
		reply_error(o, path, "unknown address");
}

static void
on_message(struct fl_osc *o, const char *path, const char *types, lo_arg **argv, int argc)
{
	static const char root[] = "/footloop/";
	if (strncmp(path, root, sizeof root - 1) != 0) {
		reply_error(o, path, "unknown address (footloop's addresses start with /footloop/)");
		return;
	}
	const char *name = path + sizeof root - 1;
	if (strncmp(name, "track/", 6) == 0)
		on_track_path(o, path, name + 6, types, argv, argc);
	else if (strncmp(name, "selected/", 9) == 0)
		on_track_op(o, path, FL_TRACK_SELECTED, name + 9, types, argv, argc);
	else
		on_global(o, path, name, types, argv, argc);
}

static uint32_t
read_be32(const char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return ntohl(v);
}

/* A bundle: "#bundle\0", an 8-byte time tag (ignored: everything acts at
 * once), then size-prefixed elements. */
static void
on_bundle(struct fl_osc *o, char *data, size_t size, int depth)
{
	size_t pos = 16;
	while (pos + 4 <= size) {
		uint32_t len = read_be32(data + pos);
		pos += 4;
		if (len > size - pos || len % 4)
			break;
		on_packet(o, data + pos, len, depth + 1);
		pos += len;
	}
}

static void
on_packet(struct fl_osc *o, char *data, size_t size, int depth)
{
	if (size >= 16 && memcmp(data, "#bundle", 8) == 0) {
		if (depth < MAX_BUNDLE_DEPTH)
			on_bundle(o, data, size, depth);
		return;
	}
	const char *path = lo_get_path(data, (ssize_t)size);
	int res = 0;
	lo_message m = lo_message_deserialise(data, size, &res);
	if (!m) {
		if (path && path[0] == '/')
			reply_error(o, path, "malformed OSC message (liblo error %d)", res);
		else
			log_limited(o, "malformed OSC packet ignored");
		return;
	}
	const char *types = lo_message_get_types(m);
	on_message(o, path, types ? types : "", lo_message_get_argv(m), lo_message_get_argc(m));
	lo_message_free(m);
}

void
fl_osc_receive(struct fl_osc *o)
{
	char buf[4096];
	for (int i = 0; i < MAX_DATAGRAMS_PER_CALL; i++) {
		o->sender.len = sizeof o->sender.addr;
		ssize_t n = recvfrom(o->fd, buf, sizeof buf, MSG_DONTWAIT | MSG_TRUNC,
		                     (struct sockaddr *)&o->sender.addr, &o->sender.len);
		if (n < 0)
			return; /* EAGAIN: drained */
		if ((size_t)n > sizeof buf) {
			log_limited(o, "OSC packet larger than 4096 bytes ignored");
			continue;
		}
		on_packet(o, buf, (size_t)n, 0);
	}
}

static enum fl_status
open_socket(struct fl_osc *o, const char *bind_addr, uint16_t port, char *err, size_t errlen)
{
	struct sockaddr_storage ss = {0};
	socklen_t len;
	struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, bind_addr, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons(port);
		len = sizeof *v4;
	} else if (inet_pton(AF_INET6, bind_addr, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons(port);
		len = sizeof *v6;
	} else {
		snprintf(err, errlen, "OSC bind address '%s' is not a numeric IPv4 or IPv6 address",
		         bind_addr);
		return FL_ERR_BAD_ARG;
	}
	o->family = ss.ss_family;
	o->fd = socket(o->family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (o->fd < 0 || bind(o->fd, (struct sockaddr *)&ss, len) < 0) {
		int e = errno;
		snprintf(err, errlen, "cannot listen for OSC on UDP %s port %u: %s%s", bind_addr,
		         (unsigned)port, strerror(e),
		         e == EADDRINUSE ? " (is another footloop running? use --osc-port)" : "");
		return e == EADDRINUSE ? FL_ERR_BUSY : FL_ERR_IO;
	}
	len = sizeof ss;
	getsockname(o->fd, (struct sockaddr *)&ss, &len);
	o->port = ntohs(o->family == AF_INET ? v4->sin_port : v6->sin6_port);
	return FL_OK;
}

enum fl_status
fl_osc_create(const char *bind_addr, uint16_t port, uint32_t feedback_hz,
              struct fl_actions *actions, const struct fl_osc_hooks *hooks, struct fl_osc **out,
              char *err, size_t errlen)
{
	*out = NULL;
	struct fl_osc *o = calloc(1, sizeof *o);
	if (!o)
		return FL_ERR_NOMEM;
	o->fd = -1;
	o->actions = actions;
	if (hooks)
		o->hooks = *hooks;
	feedback_hz = feedback_hz < 1 ? 1 : (feedback_hz > 30 ? 30 : feedback_hz);
	o->interval_ms = (1000 + feedback_hz - 1) / feedback_hz;
	o->cur.n_tracks = actions->n_tracks;
	enum fl_status st = open_socket(o, bind_addr ? bind_addr : "0.0.0.0", port, err, errlen);
	if (st != FL_OK) {
		fl_osc_free(o);
		return st;
	}
	*out = o;
	return FL_OK;
}

void
fl_osc_free(struct fl_osc *o)
{
	if (!o)
		return;
	if (o->fd >= 0)
		close(o->fd);
	free(o->fx_sent);
	free(o);
}

int
fl_osc_fd(const struct fl_osc *o)
{
	return o->fd;
}

uint16_t
fl_osc_port(const struct fl_osc *o)
{
	return o->port;
}

uint32_t
fl_osc_client_count(const struct fl_osc *o)
{
	return o->n_clients;
}
