/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "dsp/eq.h"

#include <math.h>

void
fl_eq_init(struct fl_eq *eq, float rate)
{
	float hc = fminf(22000.0f, 0.45f * rate);
	fl_biquad_init(&eq->band[FL_EQ_LOW_CUT], FL_BIQUAD_HIGHPASS, rate, 10.0f, 0.707f, 0.0f);
	fl_biquad_init(&eq->band[FL_EQ_LOW_SHELF], FL_BIQUAD_LOWSHELF, rate, 100.0f, 0.707f, 0.0f);
	fl_biquad_init(&eq->band[FL_EQ_PEAK1], FL_BIQUAD_PEAK, rate, 500.0f, 1.0f, 0.0f);
	fl_biquad_init(&eq->band[FL_EQ_PEAK2], FL_BIQUAD_PEAK, rate, 2500.0f, 1.0f, 0.0f);
	fl_biquad_init(&eq->band[FL_EQ_HIGH_SHELF], FL_BIQUAD_HIGHSHELF, rate, 8000.0f, 0.707f, 0.0f);
	fl_biquad_init(&eq->band[FL_EQ_HIGH_CUT], FL_BIQUAD_LOWPASS, rate, hc, 0.707f, 0.0f);
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
	fl_biquad_process(&eq->band[0], in_l, in_r, out_l, out_r, n);
	for (int b = 1; b < FL_EQ_BANDS; b++)
		fl_biquad_process(&eq->band[b], out_l, out_r, out_l, out_r, n);
}
