/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Click-free parameter changes (dsp-sync-reference.md section 5).
 *
 * fl_smooth: one-pole smoother for continuous gains (faders, pans, sends):
 *   y += (1 - a)(target - y), a = exp(-1 / (tau * fs)).
 * It snaps to the target once within 1e-6 of it or once a step no longer
 * changes the float, so a settled gain is the exact target (unity stays
 * bit-exact) and it never stalls short of it.
 *
 * fl_ramp: fixed-length raised-cosine ramp g(u) = (1 - cos(pi u)) / 2 between
 * two values, for switches (mute, play/stop, punch in/out) that need a
 * guaranteed end frame. Both are plain structs owned by whoever renders. */
#ifndef FL_DSP_SMOOTH_H
#define FL_DSP_SMOOTH_H

#include "footloop/attributes.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#define FL_PI_F 3.14159265358979323846f

struct fl_smooth {
	float current; ///< value now
	float target;  ///< value it moves toward
	float coeff;   ///< 1 - a
};

/* Non-RT (uses expf once). tau_ms <= 0: jumps at once. */
static inline void
fl_smooth_init(struct fl_smooth *s, float value, float tau_ms, float rate)
{
	s->current = value;
	s->target = value;
	s->coeff = tau_ms > 0.0f ? 1.0f - expf(-1000.0f / (tau_ms * rate)) : 1.0f;
}

FL_RT static inline void
fl_smooth_set(struct fl_smooth *s, float target)
{
	s->target = target;
}

FL_RT static inline bool
fl_smooth_settled(const struct fl_smooth *s)
{
	return s->current == s->target;
}

/* Advances one sample and returns the new value. */
FL_RT static inline float
fl_smooth_next(struct fl_smooth *s)
{
	float d = s->target - s->current;
	float next = s->current + s->coeff * d;
	/* Snap when close, and when the step is below float resolution (long
	 * time constants near 1.0 would otherwise stall short of the target). */
	if (fabsf(d) <= 1e-6f || next == s->current)
		next = s->target;
	s->current = next;
	return next;
}

struct fl_ramp {
	float from;       ///< value at the ramp start
	float to;         ///< value at the ramp end (and after it)
	uint32_t pos;     ///< samples done
	uint32_t length;  ///< samples in the ramp; pos >= length: settled at to
};

FL_RT static inline void
fl_ramp_set(struct fl_ramp *r, float value)
{
	r->from = r->to = value;
	r->pos = r->length = 0;
}

/* Starts a ramp from the current value to `to` over length samples (0: jump). */
FL_RT static inline float fl_ramp_value(const struct fl_ramp *r);
FL_RT static inline void
fl_ramp_start(struct fl_ramp *r, float to, uint32_t length)
{
	r->from = fl_ramp_value(r);
	r->to = to;
	r->pos = 0;
	r->length = length;
}

FL_RT static inline bool
fl_ramp_done(const struct fl_ramp *r)
{
	return r->pos >= r->length;
}

/* Raised-cosine shape at u in [0, 1]. */
FL_RT static inline float
fl_raised_cosine(float u)
{
	return 0.5f - 0.5f * cosf(FL_PI_F * u);
}

FL_RT static inline float
fl_ramp_value(const struct fl_ramp *r)
{
	if (r->pos >= r->length)
		return r->to;
	float g = fl_raised_cosine((float)r->pos / (float)r->length);
	return r->from + (r->to - r->from) * g;
}

/* Returns the value for this sample, then advances. */
FL_RT static inline float
fl_ramp_next(struct fl_ramp *r)
{
	float v = fl_ramp_value(r);
	if (r->pos < r->length)
		r->pos++;
	return v;
}

#endif
