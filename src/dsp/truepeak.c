/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "dsp/truepeak.h"

#include <math.h>
#include <string.h>

/* BS.1770-4 Annex 2, phase p tap j = h[4j + p]. Phases 3 and 4 are phases 2
 * and 1 reversed; all values are exact in float (multiples of 2^-13). */
const float fl_truepeak_annex2[4][FL_TRUEPEAK_TAPS] = {
	{0.0017089843750f, 0.0109863281250f, -0.0196533203125f, 0.0332031250000f,
	 -0.0594482421875f, 0.1373291015625f, 0.9721679687500f, -0.1022949218750f,
	 0.0476074218750f, -0.0266113281250f, 0.0148925781250f, -0.0083007812500f},
	{-0.0291748046875f, 0.0292968750000f, -0.0517578125000f, 0.0891113281250f,
	 -0.1665039062500f, 0.4650878906250f, 0.7797851562500f, -0.2003173828125f,
	 0.1015625000000f, -0.0582275390625f, 0.0330810546875f, -0.0189208984375f},
	{-0.0189208984375f, 0.0330810546875f, -0.0582275390625f, 0.1015625000000f,
	 -0.2003173828125f, 0.7797851562500f, 0.4650878906250f, -0.1665039062500f,
	 0.0891113281250f, -0.0517578125000f, 0.0292968750000f, -0.0291748046875f},
	{-0.0083007812500f, 0.0148925781250f, -0.0266113281250f, 0.0476074218750f,
	 -0.1022949218750f, 0.9721679687500f, 0.1373291015625f, -0.0594482421875f,
	 0.0332031250000f, -0.0196533203125f, 0.0109863281250f, 0.0017089843750f},
};

void
fl_truepeak_ch_reset(struct fl_truepeak_ch *c)
{
	memset(c, 0, sizeof *c);
}

float
fl_truepeak_ch_push(struct fl_truepeak_ch *c, float x)
{
	/* The ring is stored twice so h[0..11] is contiguous, newest first. */
	c->pos = c->pos == 0 ? FL_TRUEPEAK_TAPS - 1 : c->pos - 1;
	c->hist[c->pos] = x;
	c->hist[c->pos + FL_TRUEPEAK_TAPS] = x;
	const float *h = c->hist + c->pos;
	float y0 = 0.0f, y1 = 0.0f, y2 = 0.0f, y3 = 0.0f;
	for (int j = 0; j < FL_TRUEPEAK_TAPS; j++) {
		y0 += fl_truepeak_annex2[0][j] * h[j];
		y1 += fl_truepeak_annex2[1][j] * h[j];
		y2 += fl_truepeak_annex2[2][j] * h[j];
		y3 += fl_truepeak_annex2[3][j] * h[j];
	}
	float d = fmaxf(fabsf(h[FL_TRUEPEAK_DELAY]), fabsf(h[FL_TRUEPEAK_DELAY - 1]));
	d = fmaxf(d, fmaxf(fabsf(y0), fabsf(y1)));
	return fmaxf(d, fmaxf(fabsf(y2), fabsf(y3)));
}

void
fl_truepeak_reset(struct fl_truepeak *tp)
{
	memset(tp, 0, sizeof *tp);
}

void
fl_truepeak_process(struct fl_truepeak *tp, const float *in_l, const float *in_r, uint32_t n)
{
	const uint32_t keep = FL_TRUEPEAK_TAPS - 1;
	float p = tp->peak;
	for (uint32_t i = 0; i < n; i += FL_TRUEPEAK_CHUNK) {
		uint32_t m = n - i < FL_TRUEPEAK_CHUNK ? n - i : FL_TRUEPEAK_CHUNK;
		float d[FL_TRUEPEAK_CHUNK] = {0.0f};
		for (int ch = 0; ch < 2; ch++) {
			const float *in = ch ? in_r + i : in_l + i;
			float *h = tp->hist[ch];
			for (uint32_t j = 0; j < m; j++)
				h[keep + j] = isfinite(in[j]) ? in[j] : 0.0f;
			fl_truepeak_annex2_block(h, d, m);
			memmove(h, h + m, keep * sizeof *h);
		}
		for (uint32_t j = 0; j < m; j++)
			p = fmaxf(p, d[j]);
	}
	tp->peak = p;
}

float
fl_truepeak_read(struct fl_truepeak *tp)
{
	float p = tp->peak;
	tp->peak = 0.0f;
	return p;
}

void
fl_truepeak8_taps_init(struct fl_truepeak8_taps *t)
{
	/* hist[j] = x[n - j]; phase p sits at n - 16 + p/8, so tap j is at
	 * offset v = 16 - j - p/8 from it. Each phase is normalised to unit DC
	 * gain so a constant reads exactly. The sinc's cut-off is 2 % above
	 * Nyquist: a 32-tap Hann kernel rolls off from ~0.44 fs, and a detector
	 * that under-reads there lets chirps to 20 kHz at 44.1 kHz overshoot by
	 * 0.3 dB (meter C); widened, it over-reads only above ~0.46 fs. */
	for (int p = 1; p < 8; p++) {
		double sum = 0.0, h[FL_TRUEPEAK8_TAPS];
		for (int j = 0; j < FL_TRUEPEAK8_TAPS; j++) {
			double v = 16.0 - j - p / 8.0;
			double w = 0.5 * (1.0 + cos(M_PI * v / 16.0));
			h[j] = w * sin(M_PI * 1.02 * v) / (M_PI * v);
			sum += h[j];
		}
		for (int j = 0; j < FL_TRUEPEAK8_TAPS; j++)
			t->h[p - 1][j] = (float)(h[j] / sum);
	}
}

void
fl_truepeak_comb_reset(struct fl_truepeak_comb_ch *c)
{
	memset(c, 0, sizeof *c);
}

float
fl_truepeak_comb_push(struct fl_truepeak_comb_ch *c, const struct fl_truepeak8_taps *t,
                      float x)
{
	float a = fl_truepeak_ch_push(&c->annex, x);
	float d = c->adl[c->apos];
	c->adl[c->apos] = a;
	c->apos = c->apos + 1 == FL_TRUEPEAK_COMB_DELAY - FL_TRUEPEAK_DELAY ? 0 : c->apos + 1;
	c->pos = c->pos == 0 ? FL_TRUEPEAK8_TAPS - 1 : c->pos - 1;
	c->hist[c->pos] = x;
	c->hist[c->pos + FL_TRUEPEAK8_TAPS] = x;
	const float *h = c->hist + c->pos;
	d = fmaxf(d, fmaxf(fabsf(h[16]), fabsf(h[15])));
	for (int p = 0; p < 7; p++) {
		float y = 0.0f;
		for (int j = 0; j < FL_TRUEPEAK8_TAPS; j++)
			y += t->h[p][j] * h[j];
		d = fmaxf(d, fabsf(y));
	}
	return d;
}

/* Block detectors. The full-chunk path accumulates 16 outputs in four
 * 4-lane vectors (GCC/Clang vector extensions: SSE on x86-64, NEON on
 * AArch64), so the accumulators stay in registers; plain loops left them in
 * memory at -O2 (store-to-load chains, 2-3x slower). Each lane does the
 * scalar path's multiply and add in the same tap order (no FMA contraction
 * in ISO C mode), so both paths give identical bits and any block size
 * gives the same output. Max via ?: (not fmaxf, whose NaN rule blocks
 * vectorisation; the inputs are finite). */
typedef float v4f __attribute__((vector_size(16)));

static inline v4f
load4(const float *p)
{
	v4f v;
	memcpy(&v, p, sizeof v);
	return v;
}

/* y[i] = sum over j in order of h[j] x[i + taps - 1 - j], i < 16. */
static inline void
fir16(const float *restrict h, int taps, const float *restrict x, float *restrict y)
{
	v4f y0 = {0.0f, 0.0f, 0.0f, 0.0f}, y1 = y0, y2 = y0, y3 = y0;
	for (int j = 0; j < taps; j++) {
		const float *xj = x + taps - 1 - j;
		v4f a = {h[j], h[j], h[j], h[j]};
		y0 += a * load4(xj);
		y1 += a * load4(xj + 4);
		y2 += a * load4(xj + 8);
		y3 += a * load4(xj + 12);
	}
	memcpy(y, &y0, sizeof y0);
	memcpy(y + 4, &y1, sizeof y1);
	memcpy(y + 8, &y2, sizeof y2);
	memcpy(y + 12, &y3, sizeof y3);
}

/* The same for m < 16 outputs, scalar. */
static void
fir_tail(const float *restrict h, int taps, const float *restrict x, float *restrict y,
         uint32_t m)
{
	for (uint32_t i = 0; i < m; i++) {
		float acc = 0.0f;
		for (int j = 0; j < taps; j++)
			acc += h[j] * x[i + (uint32_t)(taps - 1 - j)];
		y[i] = acc;
	}
}

static inline void
fir(const float *restrict h, int taps, const float *restrict x, float *restrict y, uint32_t m)
{
	if (m == FL_TRUEPEAK_CHUNK)
		fir16(h, taps, x, y);
	else
		fir_tail(h, taps, x, y, m);
}

/* d[i] = max(d[i], |y[i]|); m == 16 vectorises. */
__attribute__((always_inline)) static inline void
max_abs(float *restrict d, const float *restrict y, uint32_t m)
{
	for (uint32_t i = 0; i < m; i++) {
		float v = fabsf(y[i]);
		d[i] = d[i] > v ? d[i] : v;
	}
}

static void
max_abs_n(float *restrict d, const float *restrict y, uint32_t m)
{
	if (m == FL_TRUEPEAK_CHUNK)
		max_abs(d, y, FL_TRUEPEAK_CHUNK);
	else
		max_abs(d, y, m);
}

void
fl_truepeak_annex2_block(const float *x, float *d, uint32_t m)
{
	float y[FL_TRUEPEAK_CHUNK];
	max_abs_n(d, x + 5, m);
	max_abs_n(d, x + 6, m);
	for (int p = 0; p < 4; p++) {
		fir(fl_truepeak_annex2[p], FL_TRUEPEAK_TAPS, x, y, m);
		max_abs_n(d, y, m);
	}
}

void
fl_truepeak8_block(const struct fl_truepeak8_taps *t, const float *x, float *d, uint32_t m)
{
	float y[FL_TRUEPEAK_CHUNK];
	max_abs_n(d, x + 15, m);
	max_abs_n(d, x + 16, m);
	for (int p = 0; p < 7; p++) {
		fir(t->h[p], FL_TRUEPEAK8_TAPS, x, y, m);
		max_abs_n(d, y, m);
	}
}

void
fl_truepeak2_block(const struct fl_truepeak8_taps *t, const float *x, float *d, uint32_t m)
{
	float y[FL_TRUEPEAK_CHUNK];
	fir(t->h[3], FL_TRUEPEAK8_TAPS, x, y, m);
	max_abs_n(d, y, m);
}
