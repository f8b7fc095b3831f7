/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sd_notify against a fake NOTIFY_SOCKET (a unix datagram socket here):
 * READY, STATUS, STOPPING arrive verbatim (path and abstract sockets);
 * WATCHDOG=1 is sent only while the frame clock advances and at most once
 * per half WATCHDOG_USEC; without NOTIFY_SOCKET nothing is sent. */
#include "check.h"
#include "control/notify.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int
fake_systemd(const char *path, bool abstract)
{
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	size_t len = strlen(path);
	memcpy(sa.sun_path, path, len);
	if (abstract)
		sa.sun_path[0] = '\0';
	socklen_t sl = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
	if (bind(fd, (struct sockaddr *)&sa, sl) != 0) {
		perror("bind");
		return -1;
	}
	return fd;
}

/* Next datagram or "" when none waits. */
static const char *
take(int fd)
{
	static char buf[300];
	ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void
test_states(const char *path, bool abstract)
{
	int fd = fake_systemd(path, abstract);
	CHECK(fd >= 0);
	setenv("NOTIFY_SOCKET", path, 1);
	setenv("WATCHDOG_USEC", "200000", 1); /* ping every 100 ms */
	char pid[32];
	snprintf(pid, sizeof pid, "%ld", (long)getpid());
	setenv("WATCHDOG_PID", pid, 1);
	struct fl_notify n;
	fl_notify_init(&n);
	CHECK(fl_notify_enabled(&n) && n.watchdog_ms == 100);
	fl_notify_send(&n, "READY=1");
	CHECK(strcmp(take(fd), "READY=1") == 0);
	fl_notify_status(&n, "%d loops, %s", 3, "JACK ok");
	CHECK(strcmp(take(fd), "STATUS=3 loops, JACK ok") == 0);

	/* The clock advances: one ping per 100 ms, none in between. */
	uint64_t t = 1000, frame = 0, pings = 0;
	for (int i = 0; i < 50; i++, t += 10) {
		frame += 480;
		fl_notify_tick(&n, t, frame);
		while (strcmp(take(fd), "WATCHDOG=1") == 0)
			pings++;
	}
	CHECK_MSG(pings >= 4 && pings <= 6, "%llu pings in 500 ms", (unsigned long long)pings);
	/* A stuck process thread: the clock stands still; after the one ping
	 * the progress before the stall earns, none at all. */
	fl_notify_tick(&n, t + 100, frame);
	(void)take(fd);
	t += 200;
	pings = 0;
	for (int i = 0; i < 50; i++, t += 10) {
		fl_notify_tick(&n, t, frame);
		while (*take(fd))
			pings++;
	}
	CHECK_MSG(pings == 0, "%llu pings while the clock stood still", (unsigned long long)pings);
	CHECK(n.stalls > 0);
	/* Waiting for a lost JACK server: the clock stands still on purpose and
	 * fl_notify_alive keeps systemd fed (one per 100 ms). */
	pings = 0;
	for (int i = 0; i < 50; i++, t += 10) {
		fl_notify_alive(&n, t);
		while (strcmp(take(fd), "WATCHDOG=1") == 0)
			pings++;
	}
	CHECK_MSG(pings >= 4 && pings <= 6, "%llu alive pings in 500 ms", (unsigned long long)pings);
	t += 100;
	/* It moves again: pings resume. */
	fl_notify_tick(&n, t, frame + 256);
	CHECK(strcmp(take(fd), "WATCHDOG=1") == 0);
	fl_notify_send(&n, "STOPPING=1");
	CHECK(strcmp(take(fd), "STOPPING=1") == 0);
	fl_notify_fini(&n);
	close(fd);
	if (!abstract)
		unlink(path);
}

static void
test_off(void)
{
	unsetenv("NOTIFY_SOCKET");
	struct fl_notify n;
	fl_notify_init(&n);
	CHECK(!fl_notify_enabled(&n));
	fl_notify_send(&n, "READY=1"); /* no-ops */
	fl_notify_tick(&n, 100000, 5);
	CHECK(n.pings == 0);
	fl_notify_fini(&n);
	/* A watchdog meant for another process is not ours. */
	setenv("NOTIFY_SOCKET", "@fl-test-notify-other", 1);
	setenv("WATCHDOG_USEC", "200000", 1);
	setenv("WATCHDOG_PID", "1", 1);
	fl_notify_init(&n);
	CHECK(fl_notify_enabled(&n) && n.watchdog_ms == 0);
	fl_notify_fini(&n);
}

int
main(void)
{
	char path[108];
	snprintf(path, sizeof path, "/tmp/fl-test-notify-%ld.sock", (long)getpid());
	test_states(path, false);
	snprintf(path, sizeof path, "@fl-test-notify-%ld", (long)getpid());
	test_states(path, true);
	test_off();
	return fl_check_summary("test_notify");
}
