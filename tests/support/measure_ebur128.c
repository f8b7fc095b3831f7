/* SPDX-License-Identifier: GPL-2.0-or-later */
/* TP meter B: libebur128's own true-peak interpolator (a different filter
 * from Annex 2, so it cross-checks meter A). Kept in its own object file so
 * only tests that call it need to link PkgConfig::EBUR128. */
#include "measure.h"

#if defined(__has_include)
#if __has_include(<ebur128.h>)
#include <ebur128.h>
#define FL_MEASURE_HAVE_EBUR128 1
#endif
#endif

#ifdef FL_MEASURE_HAVE_EBUR128
double
fl_tp_meter_b(const float *x, size_t n, unsigned rate)
{
	ebur128_state *st = ebur128_init(1, rate, EBUR128_MODE_TRUE_PEAK);
	if (!st)
		return -1.0;
	double tp = -1.0;
	if (ebur128_add_frames_float(st, x, n) == EBUR128_SUCCESS &&
	    ebur128_true_peak(st, 0, &tp) != EBUR128_SUCCESS)
		tp = -1.0;
	ebur128_destroy(&st);
	return tp;
}
#else
double
fl_tp_meter_b(const float *x, size_t n, unsigned rate)
{
	(void)x;
	(void)n;
	(void)rate;
	return -1.0; /* no libebur128: callers skip */
}
#endif
