/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fl_osc: the OSC client of the integration tests (liblo). Every wait is
 * bounded; replies come to the socket the request was sent from.
 *
 *   fl_osc send HOST PORT PATH [ARG...]         ARG: i:1 f:0.5 s:off h:64 d:0.1
 *                                               T F N (true, false, nil)
 *   fl_osc state HOST PORT [TIMEOUT_MS]         print the snapshot, one
 *                                               "path args" line per message
 *   fl_osc wait HOST PORT PATH VALUE TIMEOUT_MS poll /footloop/state until the
 *                                               line PATH has args VALUE
 *   fl_osc get HOST PORT PATH [TIMEOUT_MS]      print the args of PATH
 *   fl_osc ping HOST PORT [TIMEOUT_MS]          exit 0 on /footloop/pong
 *   fl_osc expect-error HOST PORT PATH [ARG...] exit 0 only if /footloop/error
 *                                               comes back (within 2 s)
 *   fl_osc ask HOST PORT REPLY TIMEOUT_MS PATH [ARG...]
 *                                               send PATH, print "REPLY args"
 *                                               when REPLY comes back; exit 1
 *                                               on /footloop/error or timeout
 *   fl_osc free-port                            print a UDP port that was free
 *                                               a moment ago
 *
 * "send --stamp ..." prints the CLOCK_MONOTONIC time of the send in
 * microseconds first, so a test can place the command on JACK's timeline.
 * Exit codes: 0 ok, 1 timeout or failed expectation, 2 usage errors. */
#include <arpa/inet.h>
#include <lo/lo.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FL_OSC_LINE 512

struct fl_osc_rx {
	const char *want_path;  /* a message that ends the wait, or NULL */
	bool print;             /* print every message as it comes */
	bool done;
	int count;
	char match_args[FL_OSC_LINE]; /* args of the last message named want_line */
	const char *want_line;
	bool have_line;
	const char *fail_path;  /* a message that ends the wait as a failure, or NULL */
	bool failed;
};

static uint64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void
format_args(char *out, size_t size, const char *types, lo_arg **argv, int argc)
{
	size_t used = 0;
	out[0] = '\0';
	for (int i = 0; i < argc && used < size; i++) {
		const char *sep = i ? " " : "";
		int n;
		/* liblo's arguments are only 4-byte aligned: copy them out. */
		int32_t vi;
		int64_t vh;
		float vf;
		double vd;
		switch (types[i]) {
		case 'i': memcpy(&vi, argv[i], sizeof vi); n = snprintf(out + used, size - used, "%s%d", sep, vi); break;
		case 'h': memcpy(&vh, argv[i], sizeof vh); n = snprintf(out + used, size - used, "%s%lld", sep, (long long)vh); break;
		case 'f': memcpy(&vf, argv[i], sizeof vf); n = snprintf(out + used, size - used, "%s%.9g", sep, (double)vf); break;
		case 'd': memcpy(&vd, argv[i], sizeof vd); n = snprintf(out + used, size - used, "%s%.17g", sep, vd); break;
		case 's': case 'S': n = snprintf(out + used, size - used, "%s%s", sep, (const char *)argv[i]); break;
		case 'T': n = snprintf(out + used, size - used, "%strue", sep); break;
		case 'F': n = snprintf(out + used, size - used, "%sfalse", sep); break;
		case 'N': n = snprintf(out + used, size - used, "%snil", sep); break;
		default: n = snprintf(out + used, size - used, "%s<%c>", sep, types[i]); break;
		}
		if (n < 0)
			return;
		used += (size_t)n;
	}
}

static int
on_message(const char *path, const char *types, lo_arg **argv, int argc,
	lo_message msg, void *user)
{
	(void)msg;
	struct fl_osc_rx *rx = user;
	char args[FL_OSC_LINE];
	format_args(args, sizeof args, types, argv, argc);
	rx->count++;
	if (rx->print)
		printf("%s%s%s\n", path, argc ? " " : "", args);
	if (rx->want_line && strcmp(path, rx->want_line) == 0) {
		snprintf(rx->match_args, sizeof rx->match_args, "%s", args);
		rx->have_line = true;
	}
	if (rx->want_path && strcmp(path, rx->want_path) == 0)
		rx->done = true;
	if (rx->fail_path && strcmp(path, rx->fail_path) == 0) {
		fprintf(stderr, "fl_osc: %s %s\n", path, args);
		rx->done = rx->failed = true;
	}
	return 0;
}

static void
on_lo_error(int num, const char *msg, const char *where)
{
	fprintf(stderr, "fl_osc: liblo error %d: %s (%s)\n", num, msg, where ? where : "");
}

static int
build_message(lo_message m, int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "T") == 0) lo_message_add_true(m);
		else if (strcmp(a, "F") == 0) lo_message_add_false(m);
		else if (strcmp(a, "N") == 0) lo_message_add_nil(m);
		else if (strncmp(a, "i:", 2) == 0) lo_message_add_int32(m, (int32_t)strtol(a + 2, NULL, 0));
		else if (strncmp(a, "h:", 2) == 0) lo_message_add_int64(m, (int64_t)strtoll(a + 2, NULL, 0));
		else if (strncmp(a, "f:", 2) == 0) lo_message_add_float(m, strtof(a + 2, NULL));
		else if (strncmp(a, "d:", 2) == 0) lo_message_add_double(m, strtod(a + 2, NULL));
		else if (strncmp(a, "s:", 2) == 0) lo_message_add_string(m, a + 2);
		else {
			fprintf(stderr, "fl_osc: bad argument '%s' (i:1 f:0.5 s:text h:1 d:0.5 T F N)\n", a);
			return -1;
		}
	}
	return 0;
}

struct fl_osc_conn {
	lo_server server;
	lo_address addr;
};

static int
conn_open(struct fl_osc_conn *c, const char *host, const char *port, struct fl_osc_rx *rx)
{
	/* "0": the kernel picks an ephemeral port. liblo's own choice (NULL) walks
	 * a sequence that can hit the port a test just chose for footloop. */
	c->server = lo_server_new_with_proto("0", LO_UDP, on_lo_error);
	c->addr = lo_address_new(host, port);
	if (!c->server || !c->addr) {
		fprintf(stderr, "fl_osc: cannot open a UDP socket to %s:%s\n", host, port);
		return -1;
	}
	lo_server_add_method(c->server, NULL, NULL, on_message, rx);
	return 0;
}

static void
conn_close(struct fl_osc_conn *c)
{
	if (c->server)
		lo_server_free(c->server);
	if (c->addr)
		lo_address_free(c->addr);
}

static int
conn_send(struct fl_osc_conn *c, const char *path, int argc, char **argv)
{
	lo_message m = lo_message_new();
	if (build_message(m, argc, argv)) {
		lo_message_free(m);
		return 2;
	}
	int rc = lo_send_message_from(c->addr, c->server, path, m);
	lo_message_free(m);
	if (rc < 0) {
		fprintf(stderr, "fl_osc: cannot send %s: %s\n", path, lo_address_errstr(c->addr));
		return 1;
	}
	return 0;
}

/* Receives until rx->done or the deadline; true when done. */
static bool
conn_wait(struct fl_osc_conn *c, struct fl_osc_rx *rx, uint64_t deadline_ms)
{
	while (!rx->done) {
		uint64_t t = now_ms();
		if (t >= deadline_ms)
			return false;
		lo_server_recv_noblock(c->server, (int)(deadline_ms - t));
	}
	return true;
}

/* One /footloop/state round trip; true when /footloop/state/end arrived. */
static bool
query_state(struct fl_osc_conn *c, struct fl_osc_rx *rx, int timeout_ms)
{
	rx->want_path = "/footloop/state/end";
	rx->done = false;
	rx->have_line = false;
	if (conn_send(c, "/footloop/state", 0, NULL))
		return false;
	return conn_wait(c, rx, now_ms() + (uint64_t)timeout_ms);
}

static int
cmd_wait(struct fl_osc_conn *c, struct fl_osc_rx *rx, char **argv)
{
	const char *want = argv[1];
	int timeout_ms = atoi(argv[2]);
	uint64_t deadline = now_ms() + (uint64_t)timeout_ms;
	rx->want_line = argv[0];
	do {
		if (query_state(c, rx, 1000) && rx->have_line && strcmp(rx->match_args, want) == 0)
			return 0;
		lo_server_recv_noblock(c->server, 20);
	} while (now_ms() < deadline);
	fprintf(stderr, "fl_osc: %s did not become '%s' within %d ms (last: %s)\n", argv[0],
		want, timeout_ms, rx->have_line ? rx->match_args : "no such line in the state");
	return 1;
}

static int
cmd_expect_error(struct fl_osc_conn *c, struct fl_osc_rx *rx, int argc, char **argv)
{
	rx->want_path = "/footloop/error";
	rx->want_line = "/footloop/error";
	int rc = conn_send(c, argv[0], argc - 1, argv + 1);
	if (rc)
		return rc;
	if (!conn_wait(c, rx, now_ms() + 2000)) {
		fprintf(stderr, "fl_osc: no /footloop/error for %s within 2000 ms\n", argv[0]);
		return 1;
	}
	printf("/footloop/error %s\n", rx->match_args);
	return 0;
}

/* ask: REPLY TIMEOUT_MS PATH [ARG...] */
static int
cmd_ask(struct fl_osc_conn *c, struct fl_osc_rx *rx, int argc, char **argv)
{
	rx->want_path = argv[0];
	rx->want_line = argv[0];
	rx->fail_path = "/footloop/error";
	int rc = conn_send(c, argv[2], argc - 3, argv + 3);
	if (rc)
		return rc;
	if (!conn_wait(c, rx, now_ms() + (uint64_t)atoi(argv[1])) || rx->failed) {
		if (!rx->failed)
			fprintf(stderr, "fl_osc: no %s within %s ms\n", argv[0], argv[1]);
		return 1;
	}
	printf("%s %s\n", argv[0], rx->match_args);
	return 0;
}

static int
dispatch(const char *cmd, struct fl_osc_conn *c, struct fl_osc_rx *rx, int argc, char **argv)
{
	if (strcmp(cmd, "send") == 0 && argc >= 1)
		return conn_send(c, argv[0], argc - 1, argv + 1);
	if (strcmp(cmd, "state") == 0) {
		rx->print = true;
		if (query_state(c, rx, argc >= 1 ? atoi(argv[0]) : 2000))
			return 0;
		fprintf(stderr, "fl_osc: no /footloop/state/end (got %d messages)\n", rx->count);
		return 1;
	}
	if (strcmp(cmd, "get") == 0 && argc >= 1) {
		rx->want_line = argv[0];
		if (query_state(c, rx, argc >= 2 ? atoi(argv[1]) : 2000) && rx->have_line) {
			printf("%s\n", rx->match_args);
			return 0;
		}
		fprintf(stderr, "fl_osc: %s not in the state snapshot\n", argv[0]);
		return 1;
	}
	if (strcmp(cmd, "wait") == 0 && argc >= 3)
		return cmd_wait(c, rx, argv);
	if (strcmp(cmd, "ping") == 0) {
		rx->want_path = "/footloop/pong";
		if (conn_send(c, "/footloop/ping", 0, NULL) == 0 &&
		    conn_wait(c, rx, now_ms() + (uint64_t)(argc >= 1 ? atoi(argv[0]) : 2000)))
			return 0;
		fprintf(stderr, "fl_osc: no /footloop/pong\n");
		return 1;
	}
	if (strcmp(cmd, "expect-error") == 0 && argc >= 1)
		return cmd_expect_error(c, rx, argc, argv);
	if (strcmp(cmd, "ask") == 0 && argc >= 3)
		return cmd_ask(c, rx, argc, argv);
	return -1;
}

/* The kernel picks a free port (in its ephemeral range, which the client
 * sockets above also use, so two tests rarely collide); we release it at
 * once. A race with another program taking it is possible but rare. */
static int
free_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) ||
	    getsockname(fd, (struct sockaddr *)&a, &len)) {
		perror("fl_osc: free-port");
		return 1;
	}
	printf("%d\n", ntohs(a.sin_port));
	close(fd);
	return 0;
}

int
main(int argc, char **argv)
{
	bool stamp = argc > 1 && strcmp(argv[1], "--stamp") == 0;
	if (stamp) {
		argv++;
		argc--;
	}
	if (argc == 2 && strcmp(argv[1], "free-port") == 0)
		return free_port();
	if (argc < 4) {
		fputs("usage: fl_osc [--stamp] send|state|wait|get|ping|expect-error|ask HOST PORT ...\n"
		      "  (see the comment at the top of tests/tools/fl_osc.c)\n", stderr);
		return 2;
	}
	struct fl_osc_rx rx = {0};
	struct fl_osc_conn c = {0};
	if (conn_open(&c, argv[2], argv[3], &rx)) {
		conn_close(&c);
		return 1;
	}
	if (stamp) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		printf("%llu\n", (unsigned long long)ts.tv_sec * 1000000ull +
			(unsigned long long)ts.tv_nsec / 1000ull);
		fflush(stdout);
	}
	int rc = dispatch(argv[1], &c, &rx, argc - 4, argv + 4);
	if (rc < 0) {
		fprintf(stderr, "fl_osc: unknown command or missing arguments: %s\n", argv[1]);
		rc = 2;
	}
	conn_close(&c);
	return rc;
}
