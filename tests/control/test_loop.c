/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The control loop: fd callbacks, the tick, SIGHUP survives, SIGTERM stops
 * with code 0, fl_loop_stop's code comes back. */
#include "check.h"

#include "control/loop.h"
#include "core/log.h"

#include <signal.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

struct ctx {
	struct fl_loop *loop;
	int efd;
	int fd_calls;
	int ticks;
	uint64_t first_ms, last_ms;
};

static void
on_fd(void *user, int fd, short revents)
{
	struct ctx *c = user;
	uint64_t v;
	(void)revents;
	if (read(fd, &v, sizeof v) == sizeof v)
		c->fd_calls += (int)v;
}

static void
on_tick(void *user, uint64_t now_ms)
{
	struct ctx *c = user;
	if (c->ticks++ == 0)
		c->first_ms = now_ms;
	c->last_ms = now_ms;
	uint64_t one = 1;
	if (c->ticks == 2) {
		CHECK(write(c->efd, &one, sizeof one) == sizeof one);
		raise(SIGHUP); /* logged, loop goes on */
	}
	if (c->ticks == 5)
		raise(SIGTERM);
	if (c->ticks > 100)
		fl_loop_stop(c->loop, 3); /* SIGTERM was lost: fail below */
}

static void
on_tick_stop(void *user, uint64_t now_ms)
{
	struct ctx *c = user;
	(void)now_ms;
	if (++c->ticks == 3)
		fl_loop_stop(c->loop, 42);
}

int
main(void)
{
	fl_log_set_level(FL_LOG_WARNING);
	struct ctx c = {0};
	CHECK(fl_loop_create(10, &c.loop) == FL_OK);
	if (!c.loop)
		return fl_check_summary("test_loop");
	c.efd = eventfd(0, EFD_NONBLOCK);
	CHECK(fl_loop_add_fd(c.loop, c.efd, on_fd, &c) == FL_OK);
	fl_loop_set_tick(c.loop, on_tick, &c);
	int code = fl_loop_run(c.loop);
	CHECK_MSG(code == 0, "exit code %d after SIGTERM", code);
	CHECK(c.ticks == 5);
	CHECK(c.fd_calls == 1);
	/* 4 intervals of 10 ms: at least 35 ms (timerfd never fires early). */
	CHECK_MSG(c.last_ms - c.first_ms >= 35, "%llu ms for 4 ticks",
	          (unsigned long long)(c.last_ms - c.first_ms));
	/* A full table refuses more fds. */
	int extra = 0;
	for (int i = 0; i < FL_LOOP_MAX_FDS + 2; i++)
		extra += fl_loop_add_fd(c.loop, c.efd, on_fd, &c) == FL_ERR_FULL;
	CHECK(extra == 3); /* one slot was already taken */
	fl_loop_remove_fd(c.loop, c.efd);
	CHECK(fl_loop_add_fd(c.loop, c.efd, on_fd, &c) == FL_OK);
	c.ticks = 0;
	fl_loop_set_tick(c.loop, on_tick_stop, &c);
	CHECK(fl_loop_run(c.loop) == 42);
	fl_loop_free(c.loop);
	fl_loop_free(NULL);
	close(c.efd);
	return fl_check_summary("test_loop");
}
