/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the three track files (track.c: state machine and
 * commands; track_write.c: recording and overdub; track_render.c: what is
 * heard). Process thread only. */
#ifndef FL_ENGINE_TRACK_H
#define FL_ENGINE_TRACK_H

#include "engine/engine_internal.h"

FL_RT void fl_track_notice(struct fl_engine *e, const struct fl_track *tr, enum fl_notice n,
                           uint64_t t);
FL_RT void fl_track_fade_to(struct fl_track *tr, const struct fl_engine *e, float to);
FL_RT void fl_track_hear_layer(struct fl_track *tr, const struct fl_engine *e, int32_t idx);

FL_RT void fl_track_dub_stop(struct fl_track *tr, const struct fl_engine *e);
FL_RT bool fl_track_dub_start(struct fl_track *tr, struct fl_engine *e, uint64_t t);

FL_RT bool fl_track_record_quantized(const struct fl_track *tr, const struct fl_engine *e);
FL_RT uint64_t fl_track_max_record_frames(const struct fl_track *tr, const struct fl_engine *e,
                                          bool quantized);
/* t: the frame now; press: when the player acted (<= t, within the late
 * window; t when unknown). */
FL_RT void fl_track_record_start(struct fl_track *tr, struct fl_engine *e, uint64_t t,
                                 uint64_t press);
FL_RT void fl_track_record_close(struct fl_track *tr, struct fl_engine *e, uint64_t press);
FL_RT void fl_track_record_cancel(struct fl_track *tr, const struct fl_engine *e);
FL_RT void fl_track_record_finish(struct fl_track *tr, struct fl_engine *e, uint64_t t);
FL_RT void fl_track_record_write_seam(struct fl_track *tr, struct fl_engine *e);
FL_RT void fl_track_record_copy(struct fl_track *tr, struct fl_engine *e, uint64_t t_end);

#endif
