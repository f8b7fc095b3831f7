/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The live terminal status: a block of lines redrawn ~10 times a second
 * with ANSI codes when stdout is a terminal; nothing otherwise.
 *
 * While the view is on, stderr (our log lines, and libjack's) is redirected
 * into a pipe that the control loop drains through fl_status_view_on_log():
 * the block is erased, the lines are written above it and the block is
 * drawn again, so log lines never tear the display. Control thread only. */
#ifndef FL_CONTROL_STATUS_VIEW_H
#define FL_CONTROL_STATUS_VIEW_H

#include "control/snapshot.h"
#include "footloop/status.h"

#include <stddef.h>

#include <stdbool.h>
#include <stdint.h>

struct fl_status_view;

/* enable: the caller's wish (false with --no-status); the view is only
 * active when stdout is also a TTY. *out is NULL when inactive. */
FL_NODISCARD enum fl_status fl_status_view_create(bool enable, struct fl_status_view **out);
/* Erases the block, restores stderr and prints pending log lines; NULL ok. */
void fl_status_view_free(struct fl_status_view *v);

/* The fd carrying log lines (add it to the control loop). */
int fl_status_view_log_fd(const struct fl_status_view *v);
void fl_status_view_on_log(struct fl_status_view *v);

/* Redraws when 100 ms have passed since the last draw. */
void fl_status_view_draw(struct fl_status_view *v, const struct fl_snapshot *s,
                         uint16_t osc_port, uint64_t now_ms);

/* The block's text for snapshot s (no cursor codes but the title's bold):
 * header, one line per track (state, position, peak bars, RMS dBFS, mute,
 * solo, level, pan), input and output bars, master RMS, limiter gain
 * reduction, loudness (LUFS momentary/short-term/integrated) and true peak.
 * Returns the length (< cap; truncated to fit). Pure. */
size_t fl_status_view_format(const struct fl_snapshot *s, uint16_t osc_port, char *buf,
                             size_t cap);

/* Fills line (len bytes) with a meter bar of width cells for a linear
 * peak, -60..0 dBFS. Pure; used by the view and its test. */
void fl_status_view_meter(float peak, char *line, size_t len, uint32_t width);

#endif
