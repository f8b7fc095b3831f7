/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Measurements for the time-based effects (dsp-sync-reference.md section 0
 * "impulse-response analysis" and 4): Schroeder energy decay curve and T30
 * fit, octave-band filtering, normalised echo density (Abel & Huang 2006),
 * peak location with parabolic interpolation, echo detection, single-bin
 * DFT, correlation. Test-only, non-RT, double inside; signals are float
 * arrays the caller owns. Complements measure.h (owned by DSP engineer A). */
#ifndef FL_TEST_MEASURE_TIME_H
#define FL_TEST_MEASURE_TIME_H

#include <stddef.h>

/* Octave band-pass centred on fc_hz: two cascaded RBJ band-pass biquads
 * (0 dB peak, Q = sqrt 2), from rest, x[0..n) -> y[0..n). */
void fl_mt_octave_band(const float *x, double *y, size_t n, double fc_hz, double rate);

/* Schroeder backward integration of h^2, normalised to 0 dB at index 0:
 * edc_db[i] = 10 log10(sum_{j>=i} h[j]^2 / sum_all h^2). */
void fl_mt_edc_db(const double *h, size_t n, double *edc_db);

/* Reverberation time from the EDC: least-squares line through the part
 * between -5 and -35 dB, extrapolated to -60 dB (ISO 3382 T30). Returns
 * seconds, or -1 when the EDC never reaches -35 dB. */
double fl_mt_t30(const double *h, size_t n, double rate);
/* Same on a float IR (broadband). */
double fl_mt_t30f(const float *h, size_t n, double rate);
/* Same after the octave band-pass at fc_hz. */
double fl_mt_t30_band(const float *h, size_t n, double fc_hz, double rate);

/* Normalised echo density at sample `at`: 20 ms Hann window centred there,
 * the weighted fraction of samples whose magnitude exceeds the window's
 * weighted RMS, divided by erfc(1/sqrt 2) (Gaussian noise reads 1). */
double fl_mt_ned(const float *h, size_t n, size_t at, double rate);

/* Index of max |x| in [from, to), refined by a parabola through the three
 * samples around it (fractional). Returns -1 for an empty range. */
double fl_mt_peak_pos(const float *x, size_t n, size_t from, size_t to);

/* Indices of samples with |x| > thresh that are local maxima of |x| within
 * +-guard samples; at most max_out written. Returns the count found. */
size_t fl_mt_echoes(const float *x, size_t n, double thresh, size_t guard, size_t *pos,
                    size_t max_out);

/* |sum h[i] e^{-j w i}| in dB at freq_hz (response of an impulse response). */
double fl_mt_dft_db(const float *h, size_t n, double freq_hz, double rate);

/* Normalised cross-correlation at lag 0 over [from, to). */
double fl_mt_correlation(const float *a, const float *b, size_t from, size_t to);
/* Sum of squares over [from, to). */
double fl_mt_energy(const float *x, size_t from, size_t to);
/* Number of subnormal floats in x[0..n). */
size_t fl_mt_subnormals(const float *x, size_t n);

#endif
