/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "splatter.h"

#include <math.h>
#include <stdlib.h>

double
fl_db(double v)
{
	v = fabs(v);
	return v > 0.0 ? 20.0 * log10(v) : -300.0;
}

void
fl_splatter_filter(const float *x, double *y, size_t n, double cutoff_hz, double rate)
{
	static const double q[4] = {0.5098, 0.6013, 0.9000, 2.5629};
	for (size_t i = 0; i < n; i++)
		y[i] = x[i];
	for (int s = 0; s < 4; s++) {
		/* RBJ cookbook high-pass. */
		double w0 = 2.0 * M_PI * cutoff_hz / rate;
		double alpha = sin(w0) / (2.0 * q[s]);
		double c = cos(w0);
		double a0 = 1.0 + alpha;
		double b0 = (1.0 + c) / 2.0 / a0, b1 = -(1.0 + c) / a0, b2 = b0;
		double a1 = -2.0 * c / a0, a2 = (1.0 - alpha) / a0;
		double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
		for (size_t i = 0; i < n; i++) {
			double in = y[i];
			double out = b0 * in + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
			x2 = x1;
			x1 = in;
			y2 = y1;
			y1 = out;
			y[i] = out;
		}
	}
}

double
fl_splatter_db(const float *x, size_t n, size_t from, size_t to, double cutoff_hz, double rate)
{
	double *y = malloc(n * sizeof *y);
	if (!y)
		return 0.0;
	fl_splatter_filter(x, y, n, cutoff_hz, rate);
	double peak = 0.0;
	for (size_t i = from; i < to && i < n; i++)
		if (fabs(y[i]) > peak)
			peak = fabs(y[i]);
	free(y);
	return fl_db(peak);
}
