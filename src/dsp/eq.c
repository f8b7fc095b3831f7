/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "dsp/eq.h"

#include <math.h>
#include <string.h>

void
fl_eq_init(struct fl_eq *eq, float rate)
{
	float hc = fminf(16000.0f, 0.45f * rate);
	fl_biquad_init(&eq->band[FL_EQ_LOW_CUT], FL_BIQUAD_HIGHPASS, rate, 80.0f, 0.707f, 0.0f);
	fl_biquad_init(&eq->band[FL_EQ_LOW_SHELF], FL_BIQUAD_LOWSHELF, rate, 100.0f, 0.707f, 0.0f);
	fl_biquad_init(&eq->band[FL_EQ_PEAK1], FL_BIQUAD_PEAK, rate, 500.0f, 1.0f, 0.0f);
	fl_biquad_init(&eq->band[FL_EQ_PEAK2], FL_BIQUAD_PEAK, rate, 2500.0f, 1.0f, 0.0f);
	fl_biquad_init(&eq->band[FL_EQ_HIGH_SHELF], FL_BIQUAD_HIGHSHELF, rate, 8000.0f, 0.707f, 0.0f);
	fl_biquad_init(&eq->band[FL_EQ_HIGH_CUT], FL_BIQUAD_LOWPASS, rate, hc, 0.707f, 0.0f);
	/* Off from the start: no fade at init. */
	eq->band[FL_EQ_LOW_CUT].enabled = false;
	eq->band[FL_EQ_HIGH_CUT].enabled = false;
}

void
fl_eq_set_enabled(struct fl_eq *eq, enum fl_eq_band band, bool on)
{
	if ((unsigned)band < FL_EQ_BANDS)
		fl_biquad_set_enabled(&eq->band[band], on);
}

void
fl_eq_reset(struct fl_eq *eq)
{
	for (int b = 0; b < FL_EQ_BANDS; b++)
		fl_biquad_reset(&eq->band[b]);
}

void
fl_eq_set_freq(struct fl_eq *eq, enum fl_eq_band band, float hz)
{
	if ((unsigned)band < FL_EQ_BANDS)
		fl_biquad_set_freq(&eq->band[band], hz);
}

void
fl_eq_set_q(struct fl_eq *eq, enum fl_eq_band band, float q)
{
	if ((unsigned)band < FL_EQ_BANDS)
		fl_biquad_set_q(&eq->band[band], q);
}

void
fl_eq_set_gain_db(struct fl_eq *eq, enum fl_eq_band band, float db)
{
	if ((unsigned)band < FL_EQ_BANDS)
		fl_biquad_set_gain_db(&eq->band[band], db);
}

void
fl_eq_process(struct fl_eq *eq, const float *in_l, const float *in_r, float *out_l, float *out_r,
              uint32_t n)
{
	/* Only the first band that runs reads from in; the copy is needed only
	 * when every band is bypassed and in != out. */
	const float *sl = in_l, *sr = in_r;
	for (int b = 0; b < FL_EQ_BANDS; b++) {
		if (fl_biquad_is_bypassed(&eq->band[b])) {
			eq->band[b].phase = (eq->band[b].phase + n) & (FL_BIQUAD_CTRL - 1);
			continue;
		}
		fl_biquad_process(&eq->band[b], sl, sr, out_l, out_r, n);
		sl = out_l, sr = out_r;
	}
	if (sl == in_l) {
		if (out_l != in_l)
			memmove(out_l, in_l, n * sizeof *out_l);
		if (out_r != in_r)
			memmove(out_r, in_r, n * sizeof *out_r);
	}
}
