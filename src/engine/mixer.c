/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Mixer math shared by the tracks and the master bus (process thread). */
#include "engine/engine_internal.h"

#include <math.h>

/* Peak and sum of squares of a block, for meters. Four partial sums break
 * the add chain (display values: float is plenty); no libm calls. */
float
fl_meter_block(const float *x, uint32_t n, float *peak)
{
	float pk = *peak, s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
	uint32_t i = 0;
	for (; i + 4 <= n; i += 4) {
		float a = fabsf(x[i]), b = fabsf(x[i + 1]), c = fabsf(x[i + 2]), d = fabsf(x[i + 3]);
		float ab = a > b ? a : b, cd = c > d ? c : d, m = ab > cd ? ab : cd;
		pk = m > pk ? m : pk;
		s0 += x[i] * x[i];
		s1 += x[i + 1] * x[i + 1];
		s2 += x[i + 2] * x[i + 2];
		s3 += x[i + 3] * x[i + 3];
	}
	for (; i < n; i++) {
		float a = fabsf(x[i]);
		pk = a > pk ? a : pk;
		s0 += x[i] * x[i];
	}
	*peak = pk;
	return (s0 + s1) + (s2 + s3);
}

/* Equal-power pan of a stereo track, normalised to unity at the centre:
 * gl = sqrt(2) cos(theta), gr = sqrt(2) sin(theta), theta = (pan + 1) pi / 4,
 * so gl^2 + gr^2 = 2 everywhere and pan 0 is exactly 1.0 on both sides (a
 * recorded loop at pan 0 plays back bit-exactly). Hard left: +3 dB left,
 * silent right. */
void
fl_pan_gains(float pan, float *gl, float *gr)
{
	if (pan == 0.0f || !isfinite(pan)) {
		*gl = *gr = 1.0f;
		return;
	}
	float theta = (pan + 1.0f) * 0.25f * FL_PI_F;
	*gl = 1.41421356f * cosf(theta);
	*gr = 1.41421356f * sinf(theta);
	if (*gl < 0.0f)
		*gl = 0.0f;
}
