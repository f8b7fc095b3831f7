/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The control thread's event loop: one poll() over a fixed table of fds
 * (redis ae-sized), a signalfd and a periodic timerfd tick.
 *
 * SIGINT and SIGTERM end the loop with code 0; SIGHUP is logged ("reload
 * not supported yet"). fl_loop_create() blocks those signals in the calling
 * thread, and threads created afterwards (JACK's, RtMidi's) inherit the
 * mask, so call it before any other thread exists. Single thread. */
#ifndef FL_CONTROL_LOOP_H
#define FL_CONTROL_LOOP_H

#include "footloop/attributes.h"
#include "footloop/status.h"

#include <stdint.h>

#define FL_LOOP_MAX_FDS 16 ///< fds besides the signalfd and the timerfd

struct fl_loop;

/* Called when fd is readable (or in error: revents says which). */
typedef void (*fl_loop_fd_fn)(void *user, int fd, short revents);
/* Called every tick_ms with a monotonic time in ms. */
typedef void (*fl_loop_tick_fn)(void *user, uint64_t now_ms);

FL_NODISCARD enum fl_status fl_loop_create(uint32_t tick_ms, struct fl_loop **out);
/* NULL is a no-op. Does not close the fds that were added. */
void fl_loop_free(struct fl_loop *l);

/* FL_ERR_FULL when FL_LOOP_MAX_FDS are in use. The fd stays the caller's. */
FL_NODISCARD enum fl_status fl_loop_add_fd(struct fl_loop *l, int fd, fl_loop_fd_fn fn,
                                           void *user);
/* Removes fd (safe from inside a callback); unknown fds are ignored. */
void fl_loop_remove_fd(struct fl_loop *l, int fd);
void fl_loop_set_tick(struct fl_loop *l, fl_loop_tick_fn fn, void *user);

/* Runs until fl_loop_stop() or a terminating signal; returns the exit code. */
int fl_loop_run(struct fl_loop *l);
/* Makes fl_loop_run() return code after the current callback. */
void fl_loop_stop(struct fl_loop *l, int code);

/* CLOCK_MONOTONIC in ms. */
uint64_t fl_loop_now_ms(void);

#endif
