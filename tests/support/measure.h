/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared DSP measurement library (dsp-sync-reference.md section 0).
 *
 * Test-only, non-RT (allocates freely). Everything is double inside; signals
 * are float arrays the caller owns. Levels are linear unless a name says _db.
 *
 *  - signal generators: sines with phase, naive and band-limited squares,
 *    white/pink noise from a fixed-seed PRNG, log chirp, impulses, sine
 *    bursts/steps, the fs/4-at-45-degree sine and the sinc-sign burst;
 *  - sine fit (amplitude, phase, DC, residual) and THD+N;
 *  - true-peak meters: A (BS.1770-4 Annex 2, 4x, 48 taps), B (libebur128
 *    true peak; in measure_ebur128.c, so a test that calls it must link
 *    PkgConfig::EBUR128), C (32x Kaiser(12) sinc, +-64 taps, double: the
 *    ground truth);
 *  - block-size invariance: render a stereo kernel with block sizes
 *    {1, 16, 64, 128, 256, 1000, 1024, 4096}, blocks cut at time-stamped
 *    parameter events, and compare bit for bit.
 * The click metric lives in splatter.h. */
#ifndef FL_TEST_MEASURE_H
#define FL_TEST_MEASURE_H

#include <stddef.h>
#include <stdint.h>

/* ---- PRNG (xorshift64*, fixed seed => identical noise on every run) ---- */
struct fl_prng {
	uint64_t s;
};
void fl_prng_seed(struct fl_prng *r, uint64_t seed);
double fl_prng_uniform(struct fl_prng *r); /* in [-1, 1) */
double fl_prng_gauss(struct fl_prng *r);   /* zero mean, unit variance */

/* ---- generators: each overwrites x[0..n) ---- */
/* amp * sin(2 pi f n / rate + phase_rad) */
void fl_gen_sine(float *x, size_t n, double freq_hz, double rate, double amp, double phase_rad);
/* +-amp, sign of sin (naive: aliased, constant |x|) */
void fl_gen_square_naive(float *x, size_t n, double freq_hz, double rate, double amp);
/* Fourier series of the +-amp square, odd harmonics below max_hz
 * (max_hz <= 0: below rate/2). Peaks near 1.18 amp (Gibbs). */
void fl_gen_square_bl(float *x, size_t n, double freq_hz, double rate, double amp,
                      double max_hz);
/* uniform in [-amp, amp) */
void fl_gen_white(float *x, size_t n, double amp, uint64_t seed);
/* pink (-3 dB/octave, Kellet filter on Gaussian noise) scaled to this RMS */
void fl_gen_pink(float *x, size_t n, double rms, uint64_t seed);
/* exponential sweep f0 -> f1 over n samples, amplitude amp */
void fl_gen_chirp_log(float *x, size_t n, double f0_hz, double f1_hz, double rate, double amp);
/* zeros, with x[at] = amp */
void fl_gen_impulse(float *x, size_t n, size_t at, double amp);
/* phase-continuous sine of amplitude amp_lo, amp_hi inside [start, start+len)
 * (len past the end: a step) */
void fl_gen_burst(float *x, size_t n, double freq_hz, double rate, double amp_lo,
                  double amp_hi, size_t start, size_t len);
/* amp * sin(pi n / 2 + pi / 4): samples +-amp/sqrt 2, true peak amp */
void fl_gen_fs4_45(float *x, size_t n, double amp);
/* zeros, with x[at + k] = amp * sign(sinc(k - 15.5)) for k = 0..31 */
void fl_gen_sinc_sign(float *x, size_t n, size_t at, double amp);

/* ---- analysis ---- */
struct fl_sine_fit {
	double amp;       /* fitted sine amplitude */
	double phase;     /* radians, x ~ amp sin(w n + phase) + dc, n from 0 */
	double dc;        /* fitted offset */
	double resid_rms; /* RMS of x - fit */
	double thdn_db;   /* 10 log10(sum resid^2 / sum (fit - dc)^2) */
};
/* Least-squares fit of a sin + b cos + c at the known frequency. */
struct fl_sine_fit fl_sine_fit(const float *x, size_t n, double freq_hz, double rate);
double fl_thdn_db(const float *x, size_t n, double freq_hz, double rate);
double fl_peak(const float *x, size_t n);
double fl_rms(const float *x, size_t n);
double fl_lin_to_db(double v); /* 20 log10 |v|, -300 for 0 */

/* ---- true-peak meters: max over x[0..n) and the interpolated values,
 * samples outside x taken as zero (append a tail before measuring) ---- */
double fl_tp_meter_a(const float *x, size_t n);
/* meter B returns -1 when libebur128 is missing (the caller then skips) */
/* meter B: measure_ebur128.c; returns -1 without libebur128 (then skip) */
double fl_tp_meter_b(const float *x, size_t n, unsigned rate);
double fl_tp_meter_c(const float *x, size_t n);
/* Meter C over the positions between samples from and to only, with the
 * rest of x as context (no fake edge when metering part of a signal). */
double fl_tp_meter_c_range(const float *x, size_t n, size_t from, size_t to);

/* ---- block-size invariance ---- */
struct fl_bsi_event {
	size_t frame; /* absolute frame at which the parameter changes */
	int id;       /* passed to set() */
	float value;
};

struct fl_bsi_kernel {
	void *ctx;
	void (*reset)(void *ctx);                       /* back to the state after init */
	void (*set)(void *ctx, int id, float value);    /* may be NULL if no events */
	void (*process)(void *ctx, const float *in_l, const float *in_r, float *out_l,
	                float *out_r, uint32_t n);
};

#define FL_BSI_NSIZES 8
extern const uint32_t fl_bsi_sizes[FL_BSI_NSIZES]; /* 1 16 64 128 256 1000 1024 4096 */

/* reset(), then render in blocks of `block` frames; a block is also cut at
 * every event frame so the event applies at a block start. Events sorted. */
void fl_render_blocks(const struct fl_bsi_kernel *k, const float *in_l, const float *in_r,
                      float *out_l, float *out_r, size_t n, uint32_t block,
                      const struct fl_bsi_event *ev, size_t nev);
/* Renders with every size in fl_bsi_sizes and compares with block size 1
 * bit for bit. Returns how many sizes differ (0 = invariant); prints the
 * first mismatch of each to stderr. */
int fl_block_invariance(const struct fl_bsi_kernel *k, const float *in_l, const float *in_r,
                        size_t n, const struct fl_bsi_event *ev, size_t nev);

#endif
