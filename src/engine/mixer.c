/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Mixer math shared by the tracks and the master bus (process thread). */
#include "engine/engine_internal.h"

#include <math.h>

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
