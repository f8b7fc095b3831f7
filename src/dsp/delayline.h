/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fractional delay line shared by the time-based effects (delay, chorus,
 * flanger, reverbs): a power-of-two ring of floats indexed with a mask, read
 * with 4-point Lagrange (third-order) interpolation.
 *
 * Convention: write the current input first (fl_delayline_push), then
 * fl_delayline_read(dl, d) returns the input of d samples ago; d = 0 is the
 * sample just written. A feedback loop reads before it writes, so its
 * "delay D" is a read at D - 1. Cubic reads need d >= 1 (one newer sample).
 *
 * Lagrange-3 is exact at integer d (weights 0, 1, 0, 0), so integer delays
 * are bit-exact copies; at d + 0.5 it is -0.04 dB at 5 kHz (48 kHz) and it
 * keeps a modulated delay's error about 130 dB below a 500 Hz signal
 * (dsp-sync-reference.md 4.2).
 *
 * Ownership: the struct owns buf. init/free are non-RT; the rest is RT-safe,
 * with no bounds checks beyond the mask (callers clamp d to max_frames). */
#ifndef FL_DSP_DELAYLINE_H
#define FL_DSP_DELAYLINE_H

#include "dsp/smooth.h" /* FL_PI_F, fl_ramp, fl_raised_cosine */
#include "footloop/attributes.h"
#include "footloop/status.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct fl_delayline {
	float *buf;          ///< size + 0 floats, owned
	uint32_t mask;       ///< size - 1, size a power of two
	uint32_t pos;        ///< index of the sample written last
	uint32_t max_frames; ///< largest d a caller may read (size - 4)
};

/* Non-RT: sizes the ring to the next power of two >= max_frames + 4. */
FL_NODISCARD static inline enum fl_status
fl_delayline_init(struct fl_delayline *dl, uint32_t max_frames)
{
	uint32_t size = 8;
	dl->buf = NULL;
	if (max_frames > (1u << 28))
		return FL_ERR_RANGE;
	while (size < max_frames + 4u)
		size <<= 1;
	dl->buf = calloc(size, sizeof *dl->buf);
	if (!dl->buf)
		return FL_ERR_NOMEM;
	dl->mask = size - 1u;
	dl->pos = 0;
	dl->max_frames = size - 4u;
	return FL_OK;
}

/* Non-RT; NULL-safe and safe on a zeroed struct. */
static inline void
fl_delayline_free(struct fl_delayline *dl)
{
	if (!dl)
		return;
	free(dl->buf);
	dl->buf = NULL;
}

/* Clears the history. RT-safe but O(size): meant for reset, not per block. */
FL_RT static inline void
fl_delayline_clear(struct fl_delayline *dl)
{
	if (dl->buf)
		memset(dl->buf, 0, ((size_t)dl->mask + 1u) * sizeof *dl->buf);
	dl->pos = 0;
}

/* Keeps NaN, Inf, absurd values and subnormal dust out of recursive state:
 * anything not in (1e-20, 1e20) in magnitude becomes 0 (NaN fails both
 * comparisons). Branch-free on gcc -O2. */
FL_RT static inline float
fl_sanitize(float x)
{
	float a = fabsf(x);
	return (a > 1e-20f && a < 1e20f) ? x : 0.0f;
}

FL_RT static inline void
fl_delayline_push(struct fl_delayline *dl, float x)
{
	dl->pos = (dl->pos + 1u) & dl->mask;
	dl->buf[dl->pos] = x;
}

/* Integer tap: the input of d samples ago (d = 0: the last push). */
FL_RT static inline float
fl_delayline_tap(const struct fl_delayline *dl, uint32_t d)
{
	return dl->buf[(dl->pos - d) & dl->mask];
}

/* Lagrange-3 over the taps i-1, i, i+1, i+2 with i = floor(d), f = d - i:
 *   h(-1) = -f(f-1)(f-2)/6, h(0) = (f+1)(f-1)(f-2)/2,
 *   h(1) = -(f+1)f(f-2)/2,  h(2) = (f+1)f(f-1)/6.
 * d must be in [1, max_frames]. */
FL_RT static inline float
fl_delayline_read(const struct fl_delayline *dl, float d)
{
	uint32_t i = (uint32_t)d;
	float f = d - (float)i;
	uint32_t p = dl->pos - i;
	float xm1 = dl->buf[(p + 1u) & dl->mask];
	float x0 = dl->buf[p & dl->mask];
	float x1 = dl->buf[(p - 1u) & dl->mask];
	float x2 = dl->buf[(p - 2u) & dl->mask];
	float fm1 = f - 1.0f, fm2 = f - 2.0f, fp1 = f + 1.0f;
	float a = fm1 * fm2, b = fp1 * f;
	return -f * a * (1.0f / 6.0f) * xm1 + fp1 * a * 0.5f * x0 - b * fm2 * 0.5f * x1 +
	       b * fm1 * (1.0f / 6.0f) * x2;
}

/* sin(2 pi ph / 2^32) for a 32-bit LFO phase, without sinf: the phase is
 * folded in integers onto [-1/4, 1/4] cycle (sin(pi - x) = sin x), then an
 * odd Taylor polynomial to x^11 (truncation below 6e-8 on that range, about
 * float resolution). A third of the cost of sinf and no range reduction
 * branches; keeps the modulated-delay SNR of the chorus test (>= 100 dB). */
FL_RT static inline float
fl_sin_u32(uint32_t ph)
{
	int64_t s = (int32_t)ph; /* [-2^31, 2^31): [-1/2, 1/2) cycle */
	if (s > 1073741824)
		s = 2147483648 - s;
	else if (s < -1073741824)
		s = -2147483648 - s;
	float y = (float)s * (2.0f * FL_PI_F / 4294967296.0f); /* [-pi/2, pi/2] */
	float y2 = y * y;
	return y * (1.0f - y2 / 6.0f * (1.0f - y2 / 20.0f * (1.0f - y2 / 42.0f *
	       (1.0f - y2 / 72.0f * (1.0f - y2 / 110.0f)))));
}

/* One-pole smoother like fl_smooth, but it also snaps to the target when
 * a step no longer changes the float value. fl_smooth with a long time
 * constant stalls short of its target near 1.0 (coeff * d below half an
 * ulp), which would leave a frozen reverb's loop gain at 0.99993 or a mix
 * of 1 not exactly 1. */
struct fl_sm1 {
	float current, target, coeff;
};

static inline void
fl_sm1_init(struct fl_sm1 *s, float value, float tau_ms, float rate)
{
	s->current = s->target = value;
	s->coeff = tau_ms > 0.0f ? 1.0f - expf(-1000.0f / (tau_ms * rate)) : 1.0f;
}

FL_RT static inline float
fl_sm1_next(struct fl_sm1 *s)
{
	float d = s->target - s->current, next = s->current + s->coeff * d;
	s->current = (next == s->current || fabsf(d) <= 1e-7f) ? s->target : next;
	return s->current;
}

/* Two one-poles in series (each tau/2): value and slope are continuous, so
 * a step in the target makes no slope corner; a single 20 ms one-pole
 * leaves about -57 dBFS of splatter on a full-scale gain change, the pair
 * stays far below -65. */
struct fl_sm2 {
	struct fl_sm1 a, b;
};

static inline void
fl_sm2_init(struct fl_sm2 *s, float value, float tau_ms, float rate)
{
	fl_sm1_init(&s->a, value, 0.5f * tau_ms, rate);
	fl_sm1_init(&s->b, value, 0.5f * tau_ms, rate);
}

FL_RT static inline void
fl_sm2_set(struct fl_sm2 *s, float target)
{
	s->a.target = target;
}

/* Jumps to the target (reset). */
FL_RT static inline void
fl_sm2_settle(struct fl_sm2 *s)
{
	s->a.current = s->b.current = s->b.target = s->a.target;
}

/* True once value and inner stage sit on the target (next() is then a
 * no-op returning the target, so callers may skip it). */
FL_RT static inline bool
fl_sm2_settled(const struct fl_sm2 *s)
{
	return s->a.current == s->a.target && s->b.current == s->a.target;
}

FL_RT static inline float
fl_sm2_next(struct fl_sm2 *s)
{
	s->b.target = fl_sm1_next(&s->a);
	return fl_sm1_next(&s->b);
}

#endif
