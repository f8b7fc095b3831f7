/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Feedback delay network reverb for "room" and "hall" (Jot & Chaigne 1991;
 * dsp-sync-reference.md 4.3): pre-delay, four input allpass diffusers, then
 * 8 delay lines mixed by an orthonormal 8x8 Hadamard matrix (fast
 * Walsh-Hadamard, 24 adds), each line with a first-order absorption filter
 * that sets its own decay:
 *   g_i = 10^(-3 m_i / (fs T60))            gain at DC  (m_i its length)
 *   g_hf = 10^(-3 m_i / (fs T60 r))         gain at fs/2, r = 1 - 0.9 damping
 *   H_i(z) = g_i (1 - b_i) / (1 - b_i z^-1), b_i = (g_i - g_hf)/(g_i + g_hf)
 * so every line loses 60 dB in T60 seconds at DC and in r T60 at Nyquist,
 * whatever its length. Outputs are two orthogonal sign patterns of the
 * lines (decorrelated L/R). Freeze closes the input and sets every g to 1
 * and b to 0: the Hadamard loop is then lossless.
 *
 * Threads: init/free non-RT, the rest FL_RT on one rendering thread. All
 * parameters are smoothed; output is identical for any block size. */
#ifndef FL_DSP_REVERB_FDN_H
#define FL_DSP_REVERB_FDN_H

#include "dsp/delayline.h"
#include "footloop/attributes.h"
#include "footloop/status.h"

#include <stdbool.h>
#include <stdint.h>

#define FL_FDN_LINES 8
#define FL_FDN_MAX_PREDELAY_MS 250.0f

enum fl_fdn_size {
	FL_FDN_ROOM, ///< lines 16-36 ms
	FL_FDN_HALL, ///< lines 43-88 ms
};

struct fl_fdn {
	float rate;
	struct fl_delayline pre;
	struct fl_delayline in_ap[4];
	struct fl_delayline line[FL_FDN_LINES];
	uint32_t in_len[4];
	uint32_t len[FL_FDN_LINES];
	float z[FL_FDN_LINES];              ///< absorption filter states
	struct fl_sm1 g[FL_FDN_LINES];   ///< DC gain per line
	struct fl_sm1 b[FL_FDN_LINES];   ///< absorption pole per line
	struct fl_sm2 mix, predelay, input;
	struct fl_ramp byp; ///< 0 active, 1 bypassed (input closed, dry unity)
	float decay_s, damping, predelay_ms, mix_set;
	bool freeze, bypass;
};

/* Non-RT. rate in (0, 192000]. Defaults: room 1.2 s / hall 2.5 s, damping
 * 0.4, pre-delay 10 / 20 ms, mix 0.3. FL_ERR_RANGE, FL_ERR_NOMEM. */
FL_NODISCARD enum fl_status fl_fdn_init(struct fl_fdn *k, float rate, enum fl_fdn_size size);
void fl_fdn_free(struct fl_fdn *k); /* NULL-safe */
FL_RT void fl_fdn_reset(struct fl_fdn *k);

FL_RT void fl_fdn_set_decay_s(struct fl_fdn *k, float t60_s); /* T60 at low frequencies, [0.1, 30] */
FL_RT void fl_fdn_set_damping(struct fl_fdn *k, float damping); /* [0, 1] */
FL_RT void fl_fdn_set_predelay_ms(struct fl_fdn *k, float ms);
FL_RT void fl_fdn_set_mix(struct fl_fdn *k, float mix);
FL_RT void fl_fdn_set_freeze(struct fl_fdn *k, bool on);
/* Bypass with spill-over: the input closes and the dry path goes to unity
 * over a 10 ms raised cosine; the tail keeps ringing out. */
FL_RT void fl_fdn_set_bypass(struct fl_fdn *k, bool on);

/* The designed T60 of line i at freq_hz (for tests and displays). */
float fl_fdn_line_t60(const struct fl_fdn *k, int i, float freq_hz);

FL_RT void fl_fdn_process(struct fl_fdn *k, const float *in_l, const float *in_r, float *out_l,
                          float *out_r, uint32_t n);

#endif
