/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The click ("splatter") metric of dsp-sync-reference.md section 0: the peak
 * absolute value of a signal after an 8th-order Butterworth high-pass
 * (4 cascaded RBJ high-pass biquads, Q = 0.5098, 0.6013, 0.9000, 2.5629).
 * A click is broadband and shows above the cut-off; a low test sine does not. */
#ifndef FL_TEST_SPLATTER_H
#define FL_TEST_SPLATTER_H

#include <stddef.h>

/* Filters x[0..n) (in double, from rest) into y[0..n). */
void fl_splatter_filter(const float *x, double *y, size_t n, double cutoff_hz, double rate);

/* Peak |HPF(x)| over [from, to) in dBFS (-300 for silence). The filter runs
 * over the whole of x[0..n) so its start-up transient can be left out by
 * choosing from. */
double fl_splatter_db(const float *x, size_t n, size_t from, size_t to, double cutoff_hz,
                      double rate);

/* 20 log10(|v|), -300 for 0. */
double fl_db(double v);

#endif
