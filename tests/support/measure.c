/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared DSP measurements (see measure.h). Double precision throughout, so the
 * meters' own error stays far below the tolerances they check. */
#include "measure.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
fl_prng_seed(struct fl_prng *r, uint64_t seed)
{
	r->s = seed ? seed : 0x9e3779b97f4a7c15ull;
}

double
fl_prng_uniform(struct fl_prng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	uint64_t v = r->s * 0x2545f4914f6cdd1dull;
	return (double)(v >> 11) * (2.0 / 9007199254740992.0) - 1.0;
}

double
fl_prng_gauss(struct fl_prng *r)
{
	/* Box-Muller; u1 in (0, 1]. */
	double u1 = 0.5 * (1.0 - fl_prng_uniform(r));
	double u2 = 0.5 * (fl_prng_uniform(r) + 1.0);
	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

void
fl_gen_sine(float *x, size_t n, double freq_hz, double rate, double amp, double phase_rad)
{
	double w = 2.0 * M_PI * freq_hz / rate;
	for (size_t i = 0; i < n; i++)
		x[i] = (float)(amp * sin(w * (double)i + phase_rad));
}

void
fl_gen_square_naive(float *x, size_t n, double freq_hz, double rate, double amp)
{
	for (size_t i = 0; i < n; i++) {
		double ph = fmod(freq_hz * (double)i / rate, 1.0);
		x[i] = (float)(ph < 0.5 ? amp : -amp);
	}
}

void
fl_gen_square_bl(float *x, size_t n, double freq_hz, double rate, double amp, double max_hz)
{
	if (max_hz <= 0.0 || max_hz > rate / 2.0)
		max_hz = rate / 2.0;
	double w = 2.0 * M_PI * freq_hz / rate;
	for (size_t i = 0; i < n; i++) {
		double s = 0.0;
		for (int h = 1; (double)h * freq_hz < max_hz; h += 2)
			s += sin(w * h * (double)i) / h;
		x[i] = (float)(amp * 4.0 / M_PI * s);
	}
}

void
fl_gen_white(float *x, size_t n, double amp, uint64_t seed)
{
	struct fl_prng r;
	fl_prng_seed(&r, seed);
	for (size_t i = 0; i < n; i++)
		x[i] = (float)(amp * fl_prng_uniform(&r));
}

void
fl_gen_pink(float *x, size_t n, double rms, uint64_t seed)
{
	/* Paul Kellet's refined pink filter; accurate to +-0.05 dB above 9 Hz. */
	struct fl_prng r;
	fl_prng_seed(&r, seed);
	double b[7] = {0};
	double *tmp = malloc(n * sizeof *tmp);
	double acc = 0.0;
	for (size_t i = 0; i < n; i++) {
		double w = fl_prng_gauss(&r);
		b[0] = 0.99886 * b[0] + w * 0.0555179;
		b[1] = 0.99332 * b[1] + w * 0.0750759;
		b[2] = 0.96900 * b[2] + w * 0.1538520;
		b[3] = 0.86650 * b[3] + w * 0.3104856;
		b[4] = 0.55000 * b[4] + w * 0.5329522;
		b[5] = -0.7616 * b[5] - w * 0.0168980;
		tmp[i] = b[0] + b[1] + b[2] + b[3] + b[4] + b[5] + b[6] + w * 0.5362;
		b[6] = w * 0.115926;
		acc += tmp[i] * tmp[i];
	}
	double g = n && acc > 0.0 ? rms / sqrt(acc / (double)n) : 0.0;
	for (size_t i = 0; i < n; i++)
		x[i] = (float)(tmp[i] * g);
	free(tmp);
}

void
fl_gen_chirp_log(float *x, size_t n, double f0_hz, double f1_hz, double rate, double amp)
{
	double T = (double)n / rate, k = log(f1_hz / f0_hz);
	for (size_t i = 0; i < n; i++) {
		double t = (double)i / rate;
		double ph = 2.0 * M_PI * f0_hz * T / k * (exp(t / T * k) - 1.0);
		x[i] = (float)(amp * sin(ph));
	}
}

void
fl_gen_impulse(float *x, size_t n, size_t at, double amp)
{
	memset(x, 0, n * sizeof *x);
	if (at < n)
		x[at] = (float)amp;
}

void
fl_gen_burst(float *x, size_t n, double freq_hz, double rate, double amp_lo, double amp_hi,
             size_t start, size_t len)
{
	double w = 2.0 * M_PI * freq_hz / rate;
	for (size_t i = 0; i < n; i++) {
		double a = (i >= start && i - start < len) ? amp_hi : amp_lo;
		x[i] = (float)(a * sin(w * (double)i));
	}
}

void
fl_gen_fs4_45(float *x, size_t n, double amp)
{
	fl_gen_sine(x, n, 1.0, 4.0, amp, M_PI / 4.0);
}

void
fl_gen_sinc_sign(float *x, size_t n, size_t at, double amp)
{
	memset(x, 0, n * sizeof *x);
	for (size_t k = 0; k < 32 && at + k < n; k++) {
		double u = (double)k - 15.5;
		double s = sin(M_PI * u) / (M_PI * u);
		x[at + k] = (float)(s >= 0.0 ? amp : -amp);
	}
}

struct fl_sine_fit
fl_sine_fit(const float *x, size_t n, double freq_hz, double rate)
{
	/* Normal equations for [sin cos 1], solved by Cramer's rule. */
	double w = 2.0 * M_PI * freq_hz / rate;
	double m[3][3] = {{0}}, v[3] = {0};
	for (size_t i = 0; i < n; i++) {
		double b[3] = {sin(w * (double)i), cos(w * (double)i), 1.0};
		for (int r = 0; r < 3; r++) {
			v[r] += b[r] * (double)x[i];
			for (int c = 0; c < 3; c++)
				m[r][c] += b[r] * b[c];
		}
	}
	double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
	             m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
	             m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
	double sol[3];
	for (int c = 0; c < 3; c++) {
		double t[3][3];
		memcpy(t, m, sizeof t);
		for (int r = 0; r < 3; r++)
			t[r][c] = v[r];
		sol[c] = (t[0][0] * (t[1][1] * t[2][2] - t[1][2] * t[2][1]) -
		          t[0][1] * (t[1][0] * t[2][2] - t[1][2] * t[2][0]) +
		          t[0][2] * (t[1][0] * t[2][1] - t[1][1] * t[2][0])) / det;
	}
	struct fl_sine_fit f = {0};
	f.amp = hypot(sol[0], sol[1]);
	f.phase = atan2(sol[1], sol[0]);
	f.dc = sol[2];
	double er = 0.0, es = 0.0;
	for (size_t i = 0; i < n; i++) {
		double s = sol[0] * sin(w * (double)i) + sol[1] * cos(w * (double)i);
		double e = (double)x[i] - s - sol[2];
		er += e * e;
		es += s * s;
	}
	f.resid_rms = n ? sqrt(er / (double)n) : 0.0;
	f.thdn_db = es > 0.0 ? 10.0 * log10(er > 0.0 ? er / es : 1e-30) : 0.0;
	return f;
}

double
fl_thdn_db(const float *x, size_t n, double freq_hz, double rate)
{
	return fl_sine_fit(x, n, freq_hz, rate).thdn_db;
}

double
fl_peak(const float *x, size_t n)
{
	double p = 0.0;
	for (size_t i = 0; i < n; i++)
		p = fmax(p, fabs((double)x[i]));
	return p;
}

double
fl_rms(const float *x, size_t n)
{
	double a = 0.0;
	for (size_t i = 0; i < n; i++)
		a += (double)x[i] * (double)x[i];
	return n ? sqrt(a / (double)n) : 0.0;
}

double
fl_lin_to_db(double v)
{
	v = fabs(v);
	return v > 0.0 ? 20.0 * log10(v) : -300.0;
}

/* BS.1770-4 Annex 2 interpolation filter, phase p tap j = h[4j + p]. */
static const double annex2[4][12] = {
	{0.0017089843750, 0.0109863281250, -0.0196533203125, 0.0332031250000, -0.0594482421875,
	 0.1373291015625, 0.9721679687500, -0.1022949218750, 0.0476074218750, -0.0266113281250,
	 0.0148925781250, -0.0083007812500},
	{-0.0291748046875, 0.0292968750000, -0.0517578125000, 0.0891113281250, -0.1665039062500,
	 0.4650878906250, 0.7797851562500, -0.2003173828125, 0.1015625000000, -0.0582275390625,
	 0.0330810546875, -0.0189208984375},
	{-0.0189208984375, 0.0330810546875, -0.0582275390625, 0.1015625000000, -0.2003173828125,
	 0.7797851562500, 0.4650878906250, -0.1665039062500, 0.0891113281250, -0.0517578125000,
	 0.0292968750000, -0.0291748046875},
	{-0.0083007812500, 0.0148925781250, -0.0266113281250, 0.0476074218750, -0.1022949218750,
	 0.9721679687500, 0.1373291015625, -0.0594482421875, 0.0332031250000, -0.0196533203125,
	 0.0109863281250, 0.0017089843750},
};

static double
sample_at(const float *x, size_t n, long i)
{
	return (i >= 0 && (size_t)i < n) ? (double)x[i] : 0.0;
}

double
fl_tp_meter_a(const float *x, size_t n)
{
	double peak = fl_peak(x, n);
	for (long i = 0; i < (long)n + 12; i++)
		for (int p = 0; p < 4; p++) {
			double y = 0.0;
			for (int j = 0; j < 12; j++)
				y += annex2[p][j] * sample_at(x, n, i - j);
			peak = fmax(peak, fabs(y));
		}
	return peak;
}

#define TPC_OS 32
#define TPC_HALF 64

static double
bessel_i0(double x)
{
	double s = 1.0, t = 1.0;
	for (int k = 1; k < 60; k++) {
		t *= (x / (2.0 * k)) * (x / (2.0 * k));
		s += t;
	}
	return s;
}

static double meter_c(const float *x, size_t n, long from, long to);

double
fl_tp_meter_c(const float *x, size_t n)
{
	return fmax(fl_peak(x, n), meter_c(x, n, -TPC_HALF, (long)n + TPC_HALF));
}

double
fl_tp_meter_c_range(const float *x, size_t n, size_t from, size_t to)
{
	double p = 0.0;
	for (size_t i = from; i < to && i < n; i++)
		p = fmax(p, fabs((double)x[i]));
	return fmax(p, meter_c(x, n, (long)from, (long)to));
}

static double
meter_c(const float *x, size_t n, long from, long to)
{
	/* Value at i + p/32 = sum_k x[i + k] w(p/32 - k) sinc(p/32 - k), k = -63..64. */
	static double h[TPC_OS][2 * TPC_HALF];
	static int ready;
	if (!ready) {
		double i0b = bessel_i0(12.0);
		for (int p = 1; p < TPC_OS; p++)
			for (int k = -TPC_HALF + 1; k <= TPC_HALF; k++) {
				double u = (double)p / TPC_OS - k, r = u / TPC_HALF;
				double w = fabs(r) < 1.0 ? bessel_i0(12.0 * sqrt(1.0 - r * r)) / i0b : 0.0;
				h[p][k + TPC_HALF - 1] = w * sin(M_PI * u) / (M_PI * u);
			}
		ready = 1;
	}
	double peak = 0.0;
	for (long i = from; i < to; i++) {
		double win[2 * TPC_HALF];
		int any = 0;
		for (int k = -TPC_HALF + 1; k <= TPC_HALF; k++) {
			win[k + TPC_HALF - 1] = sample_at(x, n, i + k);
			any |= win[k + TPC_HALF - 1] != 0.0;
		}
		if (!any)
			continue;
		for (int p = 1; p < TPC_OS; p++) {
			double y = 0.0;
			for (int k = 0; k < 2 * TPC_HALF; k++)
				y += h[p][k] * win[k];
			peak = fmax(peak, fabs(y));
		}
	}
	return peak;
}

const uint32_t fl_bsi_sizes[FL_BSI_NSIZES] = {1, 16, 64, 128, 256, 1000, 1024, 4096};

void
fl_render_blocks(const struct fl_bsi_kernel *k, const float *in_l, const float *in_r,
                 float *out_l, float *out_r, size_t n, uint32_t block,
                 const struct fl_bsi_event *ev, size_t nev)
{
	k->reset(k->ctx);
	size_t pos = 0, e = 0;
	while (pos < n) {
		while (e < nev && ev[e].frame <= pos) {
			k->set(k->ctx, ev[e].id, ev[e].value);
			e++;
		}
		size_t len = n - pos < block ? n - pos : block;
		if (e < nev && ev[e].frame < pos + len)
			len = ev[e].frame - pos;
		k->process(k->ctx, in_l + pos, in_r + pos, out_l + pos, out_r + pos, (uint32_t)len);
		pos += len;
	}
}

int
fl_block_invariance(const struct fl_bsi_kernel *k, const float *in_l, const float *in_r,
                    size_t n, const struct fl_bsi_event *ev, size_t nev)
{
	float *ref = malloc(4 * n * sizeof *ref);
	float *ref_r = ref + n, *o_l = ref + 2 * n, *o_r = ref + 3 * n;
	int bad = 0;
	fl_render_blocks(k, in_l, in_r, ref, ref_r, n, 1, ev, nev);
	for (int s = 1; s < FL_BSI_NSIZES; s++) {
		fl_render_blocks(k, in_l, in_r, o_l, o_r, n, fl_bsi_sizes[s], ev, nev);
		for (size_t i = 0; i < n; i++)
			if (memcmp(&o_l[i], &ref[i], sizeof(float)) ||
			    memcmp(&o_r[i], &ref_r[i], sizeof(float))) {
				fprintf(stderr, "block size %u differs from 1 at frame %zu: %.9g vs %.9g\n",
				        fl_bsi_sizes[s], i, (double)o_l[i], (double)ref[i]);
				bad++;
				break;
			}
	}
	free(ref);
	return bad;
}
