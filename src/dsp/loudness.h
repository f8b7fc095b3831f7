/* SPDX-License-Identifier: GPL-2.0-or-later */
/* EBU R128 / BS.1770-4 loudness meter for the master bus: a NON-real-time
 * wrapper around libebur128 (dsp-sync-reference.md section 8).
 *
 * libebur128 runs in EBUR128_MODE_M | S | I | TRUE_PEAK | HISTOGRAM: in
 * histogram mode it allocates nothing per gating block, so a show of any
 * length costs constant memory (the integrated value is quantised to 0.1 LU
 * bins, which R128 allows). It still allocates at create and must never run
 * on the JACK thread: the process thread copies the master into a tap ring
 * (engine.h, FL_TAP_MASTER) and a meter thread drains it into
 * fl_loudness_add, publishing fl_loudness_read's values (e.g. at 10 Hz).
 *
 * Gaps: every block carries the engine frame of its first frame; a block
 * that does not start where the previous one ended (the ring overflowed
 * because the meter thread stalled, so the process thread dropped records
 * rather than wait) is counted as a gap and flagged in the next reading.
 * The meter keeps measuring across the gap (the missing audio is simply
 * not part of the measurement).
 *
 * Threads: every function is non-RT, for one meter thread at a time.
 * fl_loudness_free(NULL) is a no-op. Without libebur128 in the build,
 * create returns FL_ERR_UNSUPPORTED. */
#ifndef FL_DSP_LOUDNESS_H
#define FL_DSP_LOUDNESS_H

#include "footloop/attributes.h"
#include "footloop/status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fl_loudness;

struct fl_loudness_reading {
	double momentary_lufs;  ///< 400 ms window (-inf until 400 ms of audio)
	double shortterm_lufs;  ///< 3 s window
	double integrated_lufs; ///< gated (-70 LUFS absolute, -10 LU relative)
	double true_peak_dbtp;  ///< max over channels since the last read
	double true_peak_max_dbtp; ///< max since create/reset
	uint64_t gaps;          ///< gaps since create/reset
	uint64_t gap_frames;    ///< frames missing in them
	bool gap;               ///< a gap happened since the last read
};

/* rate 8000-192000 Hz, channels 1-2. */
FL_NODISCARD enum fl_status fl_loudness_create(struct fl_loudness **out, unsigned rate,
                                               unsigned channels);
void fl_loudness_free(struct fl_loudness *l);
/* Starts a new measurement (integrated value, peaks and gaps cleared). */
FL_NODISCARD enum fl_status fl_loudness_reset(struct fl_loudness *l);
/* frames interleaved frames starting at engine frame `frame`. Non-finite
 * samples are measured as 0. */
FL_NODISCARD enum fl_status fl_loudness_add(struct fl_loudness *l, uint64_t frame,
                                            const float *interleaved, size_t frames);
/* Fills *out; clears the since-last-read true peak and gap flag. */
FL_NODISCARD enum fl_status fl_loudness_read(struct fl_loudness *l,
                                             struct fl_loudness_reading *out);

#endif
