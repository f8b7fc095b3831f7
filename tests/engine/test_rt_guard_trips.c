/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Must abort: proves the RT tripwires are live (CTest expects failure). */
#include "rt_guard.h"

#include <stdio.h>
#include <stdlib.h>

int
main(void)
{
	if (!fl_rt_guard_active()) {
		fprintf(stderr, "tripwires not linked\n");
		return 0; /* a pass here makes WILL_FAIL report the test as failed */
	}
	fl_rt_guard_enter();
	void *volatile p = malloc(16);
	fl_rt_guard_leave();
	free(p);
	return 0;
}
