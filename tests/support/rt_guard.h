/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Real-time tripwires. A test linked with fl_add_test(... RT_GUARD) gets
 * malloc, calloc, realloc, free and pthread_mutex_lock wrapped: while the
 * calling thread is between fl_rt_guard_enter() and fl_rt_guard_leave(), any
 * such call prints what was called and aborts. Without RT_GUARD the functions
 * still exist and fl_rt_guard_active() returns 0. */
#ifndef FL_TEST_RT_GUARD_H
#define FL_TEST_RT_GUARD_H

void fl_rt_guard_enter(void);
void fl_rt_guard_leave(void);
/* 1 when the wrappers are linked in (the test really is guarded). */
int fl_rt_guard_active(void);

#endif
