/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "measure_time.h"

#include <math.h>
#include <stdlib.h>

void
fl_mt_octave_band(const float *x, double *y, size_t n, double fc_hz, double rate)
{
	double w0 = 2.0 * M_PI * fc_hz / rate, q = sqrt(2.0);
	double alpha = sin(w0) / (2.0 * q), c = cos(w0), a0 = 1.0 + alpha;
	double b0 = alpha / a0, b2 = -alpha / a0, a1 = -2.0 * c / a0, a2 = (1.0 - alpha) / a0;
	for (size_t i = 0; i < n; i++)
		y[i] = (double)x[i];
	for (int s = 0; s < 2; s++) {
		double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
		for (size_t i = 0; i < n; i++) {
			double in = y[i];
			double out = b0 * in + b2 * x2 - a1 * y1 - a2 * y2;
			x2 = x1;
			x1 = in;
			y2 = y1;
			y1 = out;
			y[i] = out;
		}
	}
}

void
fl_mt_edc_db(const double *h, size_t n, double *edc_db)
{
	double acc = 0.0;
	for (size_t i = n; i-- > 0;) {
		acc += h[i] * h[i];
		edc_db[i] = acc;
	}
	double total = acc > 0.0 ? acc : 1.0;
	for (size_t i = 0; i < n; i++)
		edc_db[i] = edc_db[i] > 0.0 ? 10.0 * log10(edc_db[i] / total) : -300.0;
}

double
fl_mt_t30(const double *h, size_t n, double rate)
{
	double *edc = malloc(n * sizeof *edc);
	if (!edc)
		return -1.0;
	fl_mt_edc_db(h, n, edc);
	/* least squares of edc (dB) against t over -5 >= edc >= -35 */
	double st = 0, se = 0, stt = 0, ste = 0;
	size_t cnt = 0;
	int reached = 0;
	for (size_t i = 0; i < n; i++) {
		if (edc[i] < -35.0) {
			reached = 1;
			break;
		}
		if (edc[i] > -5.0)
			continue;
		double t = (double)i / rate;
		st += t;
		se += edc[i];
		stt += t * t;
		ste += t * edc[i];
		cnt++;
	}
	free(edc);
	if (!reached || cnt < 2)
		return -1.0;
	double slope = ((double)cnt * ste - st * se) / ((double)cnt * stt - st * st);
	return slope < 0.0 ? -60.0 / slope : -1.0;
}

double
fl_mt_t30f(const float *h, size_t n, double rate)
{
	double *d = malloc(n * sizeof *d);
	if (!d)
		return -1.0;
	for (size_t i = 0; i < n; i++)
		d[i] = (double)h[i];
	double t = fl_mt_t30(d, n, rate);
	free(d);
	return t;
}

double
fl_mt_t30_band(const float *h, size_t n, double fc_hz, double rate)
{
	double *d = malloc(n * sizeof *d);
	if (!d)
		return -1.0;
	fl_mt_octave_band(h, d, n, fc_hz, rate);
	double t = fl_mt_t30(d, n, rate);
	free(d);
	return t;
}

double
fl_mt_ned(const float *h, size_t n, size_t at, double rate)
{
	size_t half = (size_t)(0.010 * rate);
	if (at < half || at + half >= n)
		return -1.0;
	double wsum = 0, e = 0;
	for (size_t k = 0; k <= 2 * half; k++) {
		double w = 0.5 - 0.5 * cos(2.0 * M_PI * (double)k / (double)(2 * half));
		double v = (double)h[at - half + k];
		wsum += w;
		e += w * v * v;
	}
	double sigma = sqrt(e / wsum), above = 0;
	for (size_t k = 0; k <= 2 * half; k++) {
		double w = 0.5 - 0.5 * cos(2.0 * M_PI * (double)k / (double)(2 * half));
		if (fabs((double)h[at - half + k]) > sigma)
			above += w;
	}
	return above / wsum / erfc(1.0 / sqrt(2.0));
}

double
fl_mt_peak_pos(const float *x, size_t n, size_t from, size_t to)
{
	if (to > n)
		to = n;
	if (from >= to)
		return -1.0;
	size_t best = from;
	for (size_t i = from; i < to; i++)
		if (fabsf(x[i]) > fabsf(x[best]))
			best = i;
	if (best == 0 || best + 1 >= n)
		return (double)best;
	double a = fabs((double)x[best - 1]), b = fabs((double)x[best]), c = fabs((double)x[best + 1]);
	double den = a - 2.0 * b + c;
	return (double)best + (den != 0.0 ? 0.5 * (a - c) / den : 0.0);
}

size_t
fl_mt_echoes(const float *x, size_t n, double thresh, size_t guard, size_t *pos, size_t max_out)
{
	size_t found = 0;
	for (size_t i = 0; i < n; i++) {
		double v = fabs((double)x[i]);
		if (v <= thresh)
			continue;
		int is_max = 1;
		size_t lo = i > guard ? i - guard : 0, hi = i + guard < n ? i + guard + 1 : n;
		for (size_t j = lo; j < hi && is_max; j++)
			if (fabs((double)x[j]) > v || (fabs((double)x[j]) == v && j < i))
				is_max = 0;
		if (!is_max)
			continue;
		if (found < max_out)
			pos[found] = i;
		found++;
	}
	return found;
}

double
fl_mt_dft_db(const float *h, size_t n, double freq_hz, double rate)
{
	double w = 2.0 * M_PI * freq_hz / rate, re = 0, im = 0;
	for (size_t i = 0; i < n; i++) {
		re += (double)h[i] * cos(w * (double)i);
		im -= (double)h[i] * sin(w * (double)i);
	}
	double m = sqrt(re * re + im * im);
	return m > 0.0 ? 20.0 * log10(m) : -300.0;
}

double
fl_mt_correlation(const float *a, const float *b, size_t from, size_t to)
{
	double ab = 0, aa = 0, bb = 0;
	for (size_t i = from; i < to; i++) {
		ab += (double)a[i] * (double)b[i];
		aa += (double)a[i] * (double)a[i];
		bb += (double)b[i] * (double)b[i];
	}
	return aa > 0.0 && bb > 0.0 ? ab / sqrt(aa * bb) : 0.0;
}

double
fl_mt_energy(const float *x, size_t from, size_t to)
{
	double e = 0;
	for (size_t i = from; i < to; i++)
		e += (double)x[i] * (double)x[i];
	return e;
}

size_t
fl_mt_subnormals(const float *x, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		if (fpclassify(x[i]) == FP_SUBNORMAL)
			c++;
	return c;
}
