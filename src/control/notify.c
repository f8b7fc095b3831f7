/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sd_notify over a unix datagram socket (see notify.h). */
#include "control/notify.h"

#include "core/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static uint64_t
watchdog_period_ms(void)
{
	const char *usec = getenv("WATCHDOG_USEC"), *pid = getenv("WATCHDOG_PID");
	if (!usec || !*usec)
		return 0;
	if (pid && *pid && strtol(pid, NULL, 10) != (long)getpid())
		return 0; /* meant for another process */
	unsigned long long us = strtoull(usec, NULL, 10);
	/* Ping at half the period, as sd_watchdog_enabled() advises. */
	return us / 2000u;
}

void
fl_notify_init(struct fl_notify *n)
{
	memset(n, 0, sizeof *n);
	n->fd = -1;
	const char *s = getenv("NOTIFY_SOCKET");
	if (!s || !*s)
		return;
	size_t len = strlen(s);
	if ((s[0] != '/' && s[0] != '@') || len >= sizeof n->path) {
		fl_warn("NOTIFY_SOCKET '%s' is not a unix socket path: no systemd notifications", s);
		return;
	}
	memcpy(n->path, s, len);
	if (n->path[0] == '@')
		n->path[0] = '\0'; /* abstract namespace */
	n->path_len = (uint32_t)len;
	n->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (n->fd < 0) {
		fl_warn("cannot create the systemd notification socket: %s", strerror(errno));
		return;
	}
	n->watchdog_ms = watchdog_period_ms();
	if (n->watchdog_ms)
		fl_info("systemd watchdog: pinging every %llu ms while the audio clock advances",
		        (unsigned long long)n->watchdog_ms);
}

void
fl_notify_fini(struct fl_notify *n)
{
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
}

bool
fl_notify_enabled(const struct fl_notify *n)
{
	return n->fd >= 0;
}

void
fl_notify_send(struct fl_notify *n, const char *state)
{
	if (n->fd < 0)
		return;
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	memcpy(sa.sun_path, n->path, n->path_len);
	socklen_t sl = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n->path_len);
	if (sendto(n->fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sa, sl) < 0)
		fl_debug("sd_notify '%s' failed: %s", state, strerror(errno));
}

void
fl_notify_status(struct fl_notify *n, const char *fmt, ...)
{
	if (n->fd < 0)
		return;
	char buf[256] = "STATUS=";
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + 7, sizeof buf - 7, fmt, ap);
	va_end(ap);
	fl_notify_send(n, buf);
}

void
fl_notify_tick(struct fl_notify *n, uint64_t now_ms, uint64_t frame)
{
	if (n->fd < 0 || !n->watchdog_ms || now_ms - n->last_ping_ms < n->watchdog_ms)
		return;
	if (frame == n->last_frame) {
		/* The process thread made no progress: let systemd notice. */
		if (n->stalls++ % 64 == 0)
			fl_warn("audio clock stands still at frame %llu: not feeding the watchdog",
			        (unsigned long long)frame);
		return;
	}
	n->last_frame = frame;
	n->last_ping_ms = now_ms;
	n->pings++;
	fl_notify_send(n, "WATCHDOG=1");
}

void
fl_notify_alive(struct fl_notify *n, uint64_t now_ms)
{
	if (n->fd < 0 || !n->watchdog_ms || now_ms - n->last_ping_ms < n->watchdog_ms)
		return;
	n->last_ping_ms = now_ms;
	n->pings++;
	fl_notify_send(n, "WATCHDOG=1");
}
