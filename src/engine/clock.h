/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Pure sync math on the one 64-bit frame clock (dsp-sync-reference.md 6.2).
 * No state: every function computes from its arguments, so loops cannot
 * drift against each other. All frames are absolute engine frames. RT-safe. */
#ifndef FL_ENGINE_CLOCK_H
#define FL_ENGINE_CLOCK_H

#include "footloop/attributes.h"

#include <stddef.h>
#include <stdint.h>

/* Position inside a loop of length len that played position 0 at origin.
 * Frames before origin wrap backwards (origin may lie in the future). */
FL_RT uint64_t fl_clock_position(uint64_t origin, uint64_t len, uint64_t t);

/* Smallest boundary b >= t of the grid origin + k * cycle. */
FL_RT uint64_t fl_clock_next_boundary(uint64_t origin, uint64_t cycle, uint64_t t);

/* Largest boundary b <= t of the grid (t >= origin; else origin). */
FL_RT uint64_t fl_clock_prev_boundary(uint64_t origin, uint64_t cycle, uint64_t t);

/* Where a quantized record pressed at t starts: the last boundary when t is
 * at most late_frames after it (the press counts as on it), else the next. */
FL_RT uint64_t fl_clock_record_start(uint64_t origin, uint64_t cycle, uint64_t late_frames,
                                     uint64_t t);

/* Where a quantized record that started at start (a boundary) and is closed
 * by a press at t ends (rule 4): a press up to late_frames after a boundary
 * trims back to it; otherwise recording extends to the next boundary. The
 * result is start + k * cycle with k >= 1. */
FL_RT uint64_t fl_clock_record_end(uint64_t start, uint64_t cycle, uint64_t late_frames,
                                   uint64_t t);

/* Beats in a cycle for tempo-synced effects: the first of 1, 2, 3, 4, 6,
 * 8, 12, 16 that puts the tempo 60 rate B / cycle in [80, 160) BPM
 * (dsp-sync-reference.md 6.2 rule 2). */
FL_RT uint32_t fl_clock_beats_per_cycle(uint64_t cycle, uint32_t rate);

#endif
