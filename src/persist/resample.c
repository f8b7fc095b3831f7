/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "persist/resample.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef FL_HAVE_SAMPLERATE
#include <samplerate.h>
#endif

/* Wrapped audio on each side: longer than the SINC_BEST filter's reach, so
 * the loop's ends see their real neighbours (the other end of the loop). */
#define PAD_FRAMES 8192u

bool
fl_resample_available(void)
{
#ifdef FL_HAVE_SAMPLERATE
	return true;
#else
	return false;
#endif
}

uint64_t
fl_resample_length(uint64_t length_frames, uint64_t cycle_frames, uint32_t from_rate,
                   uint32_t to_rate)
{
	double ratio = (double)to_rate / (double)from_rate;
	if (cycle_frames > 0 && length_frames % cycle_frames == 0) {
		uint64_t cyc = (uint64_t)llround((double)cycle_frames * ratio);
		return (length_frames / cycle_frames) * (cyc ? cyc : 1);
	}
	uint64_t n = (uint64_t)llround((double)length_frames * ratio);
	return n ? n : 1;
}

#ifdef FL_HAVE_SAMPLERATE
enum fl_status
fl_resample_loop(const float *in, uint64_t in_frames, uint64_t out_frames, float **out,
                 char *err, size_t errlen)
{
	*out = NULL;
	uint64_t padded_frames = in_frames + 2u * PAD_FRAMES;
	double ratio = (double)out_frames / (double)in_frames;
	uint64_t gen_cap = (uint64_t)ceil((double)padded_frames * ratio) + 64u;
	float *padded = malloc(padded_frames * 2u * sizeof(float));
	float *gen = malloc(gen_cap * 2u * sizeof(float));
	float *res = malloc(out_frames * 2u * sizeof(float));
	if (!padded || !gen || !res) {
		free(padded), free(gen), free(res);
		snprintf(err, errlen, "out of memory resampling a loop of %llu frames",
		         (unsigned long long)in_frames);
		return FL_ERR_NOMEM;
	}
	for (uint64_t i = 0; i < padded_frames; i++) {
		/* index i - PAD_FRAMES modulo in_frames, without going negative */
		uint64_t k = (i + in_frames * (PAD_FRAMES / in_frames + 1u) - PAD_FRAMES) % in_frames;
		padded[2 * i] = in[2 * k];
		padded[2 * i + 1] = in[2 * k + 1];
	}
	SRC_DATA d = { .data_in = padded, .data_out = gen, .input_frames = (long)padded_frames,
		       .output_frames = (long)gen_cap, .src_ratio = ratio, .end_of_input = 1 };
	int e = src_simple(&d, SRC_SINC_BEST_QUALITY, 2);
	uint64_t skip = (uint64_t)llround((double)PAD_FRAMES * ratio);
	if (e || (uint64_t)d.output_frames_gen < skip + out_frames) {
		snprintf(err, errlen, "resampling failed: %s",
		         e ? src_strerror(e) : "too few frames generated");
		free(padded), free(gen), free(res);
		return FL_ERR_IO;
	}
	memcpy(res, gen + 2u * skip, out_frames * 2u * sizeof(float));
	free(padded);
	free(gen);
	*out = res;
	return FL_OK;
}
#else
enum fl_status
fl_resample_loop(const float *in, uint64_t in_frames, uint64_t out_frames, float **out,
                 char *err, size_t errlen)
{
	(void)in, (void)in_frames, (void)out_frames;
	*out = NULL;
	snprintf(err, errlen, "this build has no libsamplerate: cannot resample");
	return FL_ERR_UNSUPPORTED;
}
#endif
