/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Everything the control thread shows to people and clients, gathered once
 * per tick: the engine's published state, the selection and the JACK
 * counters. Plain values; the control thread owns it. */
#ifndef FL_CONTROL_SNAPSHOT_H
#define FL_CONTROL_SNAPSHOT_H

#include "footloop/engine.h"

#include <stdbool.h>
#include <stdint.h>

struct fl_snapshot {
	struct fl_engine_status engine;               ///< from fl_engine_get_status()
	struct fl_track_status tracks[FL_MAX_TRACKS]; ///< engine.n_tracks of them valid
	uint32_t n_tracks;                            ///< tracks shown (1..FL_MAX_TRACKS)
	uint32_t selected;                            ///< 0-based selected track
	uint32_t xruns;                               ///< JACK xruns since start
	uint32_t period_frames;                       ///< JACK buffer size (0 = unknown)
	bool loudness;              ///< the loudness meter runs (the fields below are valid)
	float lufs[3];              ///< momentary, short-term, integrated LUFS (-inf: silence)
	float true_peak_db;         ///< master true peak of the last 100 ms, dBTP
	float true_peak_max_db;     ///< highest since start or /footloop/master/loudness/reset
};

#endif
