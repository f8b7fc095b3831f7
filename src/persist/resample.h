/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Loops recorded at another sample rate: libsamplerate, SRC_SINC_BEST_QUALITY.
 *
 * Length rule (so loops stay multiples of the cycle): the new cycle is
 * round(cycle x ratio); a loop of k cycles becomes exactly k new cycles; a
 * loop that was not a whole number of cycles (or a session without a cycle)
 * becomes round(length x ratio) frames. Each loop is resampled as a circle
 * (wrapped audio pads both ends) at exactly new_length / length, so the seam
 * stays seamless and the pitch error is below 1 / length.
 * Thread: the disk worker (allocates, slow). */
#ifndef FL_PERSIST_RESAMPLE_H
#define FL_PERSIST_RESAMPLE_H

#include "footloop/attributes.h"
#include "footloop/status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whether this build has libsamplerate. */
bool fl_resample_available(void);

/* The length rule above for one loop (cycle_frames 0: no cycle). */
uint64_t fl_resample_length(uint64_t length_frames, uint64_t cycle_frames, uint32_t from_rate,
                            uint32_t to_rate);

/* Resamples a stereo interleaved loop of in_frames into a new malloc'd
 * buffer of out_frames (*out). FL_ERR_UNSUPPORTED without libsamplerate. */
FL_NODISCARD enum fl_status fl_resample_loop(const float *in, uint64_t in_frames,
                                             uint64_t out_frames, float **out, char *err,
                                             size_t errlen);

#endif
