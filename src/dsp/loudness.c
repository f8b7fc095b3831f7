/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Loudness meter over libebur128; the contract is in loudness.h. Notes:
 *  - Non-finite samples would poison libebur128's filter state for good, so
 *    blocks are sanitised through a fixed scratch buffer (allocated once).
 *  - The since-last-read true peak uses ebur128_prev_true_peak after every
 *    add (the peak of that call's frames), max'ed over channels. */
#include "dsp/loudness.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef FL_HAVE_EBUR128
#include <ebur128.h>

#define SCRATCH_FRAMES 4096

struct fl_loudness {
	ebur128_state *st;
	unsigned rate, channels;
	uint64_t next_frame;
	bool started;
	double tp_read, tp_all; ///< linear
	uint64_t gaps, gap_frames;
	bool gap;
	float scratch[SCRATCH_FRAMES * 2];
};

static ebur128_state *
open_state(unsigned rate, unsigned channels)
{
	return ebur128_init(channels, rate,
	                    EBUR128_MODE_M | EBUR128_MODE_S | EBUR128_MODE_I |
	                        EBUR128_MODE_TRUE_PEAK | EBUR128_MODE_HISTOGRAM);
}

enum fl_status
fl_loudness_create(struct fl_loudness **out, unsigned rate, unsigned channels)
{
	*out = NULL;
	if (rate < 8000 || rate > 192000 || channels < 1 || channels > 2)
		return FL_ERR_RANGE;
	struct fl_loudness *l = calloc(1, sizeof *l);
	if (!l)
		return FL_ERR_NOMEM;
	l->st = open_state(rate, channels);
	if (!l->st) {
		free(l);
		return FL_ERR_NOMEM;
	}
	l->rate = rate;
	l->channels = channels;
	*out = l;
	return FL_OK;
}

void
fl_loudness_free(struct fl_loudness *l)
{
	if (!l)
		return;
	ebur128_destroy(&l->st);
	free(l);
}

enum fl_status
fl_loudness_reset(struct fl_loudness *l)
{
	ebur128_state *st = open_state(l->rate, l->channels);
	if (!st)
		return FL_ERR_NOMEM;
	ebur128_destroy(&l->st);
	l->st = st;
	l->started = false;
	l->tp_read = l->tp_all = 0.0;
	l->gaps = l->gap_frames = 0;
	l->gap = false;
	return FL_OK;
}

static void
note_frame(struct fl_loudness *l, uint64_t frame, size_t frames)
{
	if (l->started && frame != l->next_frame) {
		l->gaps++;
		l->gap_frames += frame > l->next_frame ? frame - l->next_frame : 0;
		l->gap = true;
	}
	l->started = true;
	l->next_frame = frame + frames;
}

enum fl_status
fl_loudness_add(struct fl_loudness *l, uint64_t frame, const float *interleaved, size_t frames)
{
	note_frame(l, frame, frames);
	while (frames) {
		size_t m = frames < SCRATCH_FRAMES ? frames : SCRATCH_FRAMES;
		size_t ns = m * l->channels;
		for (size_t i = 0; i < ns; i++)
			l->scratch[i] = isfinite(interleaved[i]) ? interleaved[i] : 0.0f;
		if (ebur128_add_frames_float(l->st, l->scratch, m) != EBUR128_SUCCESS)
			return FL_ERR_NOMEM;
		for (unsigned ch = 0; ch < l->channels; ch++) {
			double tp = 0.0;
			if (ebur128_prev_true_peak(l->st, ch, &tp) == EBUR128_SUCCESS) {
				l->tp_read = fmax(l->tp_read, tp);
				l->tp_all = fmax(l->tp_all, tp);
			}
		}
		interleaved += ns;
		frames -= m;
	}
	return FL_OK;
}

static double
to_db(double v)
{
	return v > 0.0 ? 20.0 * log10(v) : -HUGE_VAL;
}

enum fl_status
fl_loudness_read(struct fl_loudness *l, struct fl_loudness_reading *out)
{
	memset(out, 0, sizeof *out);
	if (ebur128_loudness_momentary(l->st, &out->momentary_lufs) != EBUR128_SUCCESS ||
	    ebur128_loudness_shortterm(l->st, &out->shortterm_lufs) != EBUR128_SUCCESS ||
	    ebur128_loudness_global(l->st, &out->integrated_lufs) != EBUR128_SUCCESS)
		return FL_ERR_BAD_ARG;
	out->true_peak_dbtp = to_db(l->tp_read);
	out->true_peak_max_dbtp = to_db(l->tp_all);
	out->gaps = l->gaps;
	out->gap_frames = l->gap_frames;
	out->gap = l->gap;
	l->tp_read = 0.0;
	l->gap = false;
	return FL_OK;
}

#else /* no libebur128 in this build */

enum fl_status
fl_loudness_create(struct fl_loudness **out, unsigned rate, unsigned channels)
{
	(void)rate;
	(void)channels;
	*out = NULL;
	return FL_ERR_UNSUPPORTED;
}

void
fl_loudness_free(struct fl_loudness *l)
{
	(void)l;
}

enum fl_status
fl_loudness_reset(struct fl_loudness *l)
{
	(void)l;
	return FL_ERR_UNSUPPORTED;
}

enum fl_status
fl_loudness_add(struct fl_loudness *l, uint64_t frame, const float *interleaved, size_t frames)
{
	(void)l;
	(void)frame;
	(void)interleaved;
	(void)frames;
	return FL_ERR_UNSUPPORTED;
}

enum fl_status
fl_loudness_read(struct fl_loudness *l, struct fl_loudness_reading *out)
{
	(void)l;
	memset(out, 0, sizeof *out);
	return FL_ERR_UNSUPPORTED;
}

#endif
