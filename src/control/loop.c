/* SPDX-License-Identifier: GPL-2.0-or-later */
/* poll() over a small fixed table. Signals arrive through a signalfd, so
 * nothing runs in signal context; the tick is a timerfd, so a slow callback
 * delays the next tick instead of piling ticks up (expirations are read and
 * collapsed into one call). */
#include "control/loop.h"

#include "core/log.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

struct loop_fd {
	int fd; ///< -1 = free slot
	fl_loop_fd_fn fn;
	void *user;
};

struct fl_loop {
	int sig_fd;
	int timer_fd;
	struct loop_fd fds[FL_LOOP_MAX_FDS];
	fl_loop_tick_fn tick;
	void *tick_user;
	bool running;
	int code;
};

uint64_t
fl_loop_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

enum fl_status
fl_loop_create(uint32_t tick_ms, struct fl_loop **out)
{
	*out = NULL;
	struct fl_loop *l = calloc(1, sizeof *l);
	if (!l)
		return FL_ERR_NOMEM;
	for (int i = 0; i < FL_LOOP_MAX_FDS; i++)
		l->fds[i].fd = -1;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	l->sig_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	l->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (tick_ms < 1)
		tick_ms = 1;
	struct itimerspec its = {
		.it_interval = {tick_ms / 1000, (long)(tick_ms % 1000) * 1000000L},
		.it_value = {tick_ms / 1000, (long)(tick_ms % 1000) * 1000000L},
	};
	if (l->sig_fd < 0 || l->timer_fd < 0 || timerfd_settime(l->timer_fd, 0, &its, NULL) < 0) {
		fl_error("cannot create the control loop's signalfd/timerfd: %s", strerror(errno));
		fl_loop_free(l);
		return FL_ERR_IO;
	}
	*out = l;
	return FL_OK;
}

void
fl_loop_free(struct fl_loop *l)
{
	if (!l)
		return;
	if (l->sig_fd >= 0)
		close(l->sig_fd);
	if (l->timer_fd >= 0)
		close(l->timer_fd);
	free(l);
}

enum fl_status
fl_loop_add_fd(struct fl_loop *l, int fd, fl_loop_fd_fn fn, void *user)
{
	for (int i = 0; i < FL_LOOP_MAX_FDS; i++) {
		if (l->fds[i].fd < 0) {
			l->fds[i] = (struct loop_fd){fd, fn, user};
			return FL_OK;
		}
	}
	return FL_ERR_FULL;
}

void
fl_loop_remove_fd(struct fl_loop *l, int fd)
{
	for (int i = 0; i < FL_LOOP_MAX_FDS; i++)
		if (l->fds[i].fd == fd)
			l->fds[i].fd = -1;
}

void
fl_loop_set_tick(struct fl_loop *l, fl_loop_tick_fn fn, void *user)
{
	l->tick = fn;
	l->tick_user = user;
}

void
fl_loop_stop(struct fl_loop *l, int code)
{
	l->running = false;
	l->code = code;
}

static void
on_signal(struct fl_loop *l)
{
	struct signalfd_siginfo si;
	while (read(l->sig_fd, &si, sizeof si) == (ssize_t)sizeof si) {
		if (si.ssi_signo == SIGHUP) {
			fl_info("SIGHUP: reload not supported yet");
			continue;
		}
		fl_info("%s: shutting down", si.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM");
		fl_loop_stop(l, 0);
	}
}

static void
on_timer(struct fl_loop *l)
{
	uint64_t expirations;
	if (read(l->timer_fd, &expirations, sizeof expirations) != (ssize_t)sizeof expirations)
		return;
	if (l->tick)
		l->tick(l->tick_user, fl_loop_now_ms());
}

int
fl_loop_run(struct fl_loop *l)
{
	struct pollfd pfd[FL_LOOP_MAX_FDS + 2];
	int slot[FL_LOOP_MAX_FDS + 2];
	l->running = true;
	while (l->running) {
		nfds_t n = 0;
		pfd[n++] = (struct pollfd){.fd = l->sig_fd, .events = POLLIN};
		pfd[n++] = (struct pollfd){.fd = l->timer_fd, .events = POLLIN};
		for (int i = 0; i < FL_LOOP_MAX_FDS; i++) {
			if (l->fds[i].fd < 0)
				continue;
			slot[n] = i;
			pfd[n++] = (struct pollfd){.fd = l->fds[i].fd, .events = POLLIN};
		}
		if (poll(pfd, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			fl_error("poll failed: %s", strerror(errno));
			return 1;
		}
		if (pfd[0].revents)
			on_signal(l);
		for (nfds_t k = 2; k < n && l->running; k++) {
			struct loop_fd *f = &l->fds[slot[k]];
			/* The slot may have been removed by an earlier callback. */
			if (pfd[k].revents && f->fd == pfd[k].fd)
				f->fn(f->user, f->fd, pfd[k].revents);
		}
		if (pfd[1].revents && l->running)
			on_timer(l);
	}
	return l->code;
}
