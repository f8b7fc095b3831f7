/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Stereo chorus / flanger: a modulated fractional delay read with 4-point
 * Lagrange interpolation (dsp-sync-reference.md 4.2).
 *
 * Per channel c and voice v (legend: ph LFO phase, d delay in frames):
 *   ph_v,c = ph + v/3 + c*stereo_offset           (cycles, 32-bit fixed point)
 *   d      = delay + depth * sin(2 pi ph_v,c)      clamped to [1, max]
 *   wet    = sum_v gain_v * read(d)                gain_v = 1/voices
 *   w      = x + fb * wet[n-1]                     written to the line
 *   y      = (1 - mix) x + mix * wet
 * The LFO is a 32-bit phase accumulator: a rate change keeps the phase
 * continuous, the phase never drifts, and fl_chorus_sync_lfo() locks it to
 * a loop position (phase 0 exactly at each bar start). Delay, depth, mix,
 * feedback, stereo offset and voice gains are smoothed, so every change is
 * click-free; output is identical for any block size when setters are
 * called at block starts.
 *
 * Threads: init/free non-RT; the rest FL_RT, one rendering thread. */
#ifndef FL_DSP_CHORUS_H
#define FL_DSP_CHORUS_H

#include "dsp/delayline.h"
#include "footloop/attributes.h"
#include "footloop/status.h"

#include <stdint.h>

#define FL_CHORUS_MAX_MS 50.0f  ///< delay + depth limit; memory sized for it
#define FL_CHORUS_MAX_VOICES 3
#define FL_CHORUS_FB_MAX 0.99f

enum fl_chorus_mode {
	FL_CHORUS_MODE_CHORUS,  ///< 2 voices, 15 +- 3 ms, 0.5 Hz, no feedback
	FL_CHORUS_MODE_FLANGER, ///< 1 voice, 2.5 +- 2 ms, 0.25 Hz, feedback 0.5
};

struct fl_chorus {
	struct fl_delayline line[2];
	float rate;
	float max_frames;
	uint32_t phase;       ///< LFO phase, 2^32 = one cycle
	uint32_t inc;         ///< phase step per sample
	uint64_t sync_period; ///< frames per LFO cycle when synced, else 0
	uint64_t sync_pos;    ///< frames into the synced cycle
	struct fl_sm2 delay;  ///< frames
	struct fl_sm2 depth;  ///< frames
	struct fl_sm2 fb;
	struct fl_sm2 mix;
	struct fl_sm2 stereo; ///< right-channel LFO offset, cycles
	struct fl_sm2 gain[FL_CHORUS_MAX_VOICES];
	float last_wet[2];    ///< wet output of the previous sample (feedback)
	float delay_ms, depth_ms, rate_hz, stereo_deg;
	uint32_t voices;
};

/* Non-RT. rate in (0, 192000]. FL_ERR_RANGE, FL_ERR_NOMEM. */
FL_NODISCARD enum fl_status fl_chorus_init(struct fl_chorus *k, float rate,
                                           enum fl_chorus_mode mode);
void fl_chorus_free(struct fl_chorus *k); /* NULL-safe */
/* Clears audio state, LFO phase 0, settles smoothers at their targets. */
FL_RT void fl_chorus_reset(struct fl_chorus *k);

FL_RT void fl_chorus_set_delay_ms(struct fl_chorus *k, float ms);  /* centre delay */
FL_RT void fl_chorus_set_depth_ms(struct fl_chorus *k, float ms);  /* LFO excursion */
FL_RT void fl_chorus_set_rate_hz(struct fl_chorus *k, float hz);   /* [0, 20] */
FL_RT void fl_chorus_set_feedback(struct fl_chorus *k, float fb);  /* [-0.99, 0.99] */
FL_RT void fl_chorus_set_mix(struct fl_chorus *k, float mix);      /* [0, 1] */
FL_RT void fl_chorus_set_stereo_deg(struct fl_chorus *k, float deg); /* [0, 360] */
FL_RT void fl_chorus_set_voices(struct fl_chorus *k, uint32_t voices); /* 1..3 */
/* Tempo-synced LFO: one cycle per period_frames; pos_frames is the current
 * position in that cycle (e.g. the loop position). Sets phase and rate
 * exactly; period 0 returns to the free rate. */
FL_RT void fl_chorus_sync_lfo(struct fl_chorus *k, uint64_t pos_frames, uint64_t period_frames);

FL_RT void fl_chorus_process(struct fl_chorus *k, const float *in_l, const float *in_r,
                             float *out_l, float *out_r, uint32_t n);

#endif
