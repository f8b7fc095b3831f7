/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Proves the RT tripwires are live: a child process calls malloc and free
 * inside the guard and must die with SIGABRT; outside it, they must work. */
#include "check.h"
#include "rt_guard.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int
child_status(int which)
{
	pid_t pid = fork();
	if (pid == 0) {
		void *volatile p = which ? NULL : malloc(16);
		fl_rt_guard_enter();
		if (which)
			p = malloc(16);
		else
			free(p);
		fl_rt_guard_leave();
		_exit(0);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	return st;
}

int
main(void)
{
	CHECK(fl_rt_guard_active() == 1);
	for (int which = 0; which < 2; which++) {
		int st = child_status(which);
		CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
	}
	void *p = malloc(16); /* outside the guard: fine */
	CHECK(p != NULL);
	free(p);
	return fl_check_summary("test_rt_guard_trips");
}
