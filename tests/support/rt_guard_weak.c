/* SPDX-License-Identifier: GPL-2.0-or-later */
/* No-op tripwires for tests built without RT_GUARD; the real ones in
 * rt_guard.c (linked into RT_GUARD tests) take precedence. */
#include "rt_guard.h"

__attribute__((weak)) void
fl_rt_guard_enter(void)
{
}

__attribute__((weak)) void
fl_rt_guard_leave(void)
{
}

__attribute__((weak)) int
fl_rt_guard_active(void)
{
	return 0;
}
