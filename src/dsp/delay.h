/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Stereo feedback delay, free (ms) or synced to the loop tempo
 * (dsp-sync-reference.md 4.1).
 *
 * Signal flow per channel (legend: x input, r delayed read, w written):
 *   r = read(D)                      crossfaded between two heads on changes
 *   w = softclip(in_gain*x + fb*HP(LP(r)))  the tone filter sits in the loop
 *   y = dry*x + wet*r
 * Echo k of an impulse lands at exactly k*D frames for an integer D, with
 * amplitude wet*fb^(k-1) while the tone filter is flat. The soft clip is the
 * identity below 0.5 and saturates toward FL_DELAY_CLIP, so fb up to 1.0
 * (endless repeats) stays bounded. Ping-pong cross-feeds L and R and feeds
 * the mono sum into the left line only, so echoes alternate sides.
 *
 * Time changes (ms, sync, tempo) never jump: a new D is reached by a 30 ms
 * raised-cosine crossfade between the old and new read heads ("digital"
 * mode: no pitch glide); a change that arrives mid-fade starts when the
 * running fade ends. Gains and filter coefficients go through one-pole
 * smoothers; bypass keeps the tail ringing out (spill-over).
 *
 * Threads: init/free on a non-RT thread; everything else is FL_RT and must
 * be called from the one thread that renders. Output is identical for any
 * block size when setters are called at block starts. */
#ifndef FL_DSP_DELAY_H
#define FL_DSP_DELAY_H

#include "dsp/delayline.h"
#include "dsp/smooth.h"
#include "footloop/attributes.h"
#include "footloop/status.h"

#include <stdbool.h>
#include <stdint.h>

#define FL_DELAY_MAX_MS 4000.0f  ///< longest delay; memory is sized for it
#define FL_DELAY_MAX_RATE 192000.0f
#define FL_DELAY_FB_MAX 1.0f     ///< feedback cap (soft clip keeps it bounded)
#define FL_DELAY_CLIP 0.75f      ///< level the feedback path saturates toward (-2.5 dBFS)
#define FL_DELAY_XFADE_MS 30.0f  ///< read-head crossfade on time changes

/* Note values for tempo sync; a beat is a quarter note. */
enum fl_note {
	FL_NOTE_1_1,
	FL_NOTE_1_2,
	FL_NOTE_1_2_DOTTED,
	FL_NOTE_1_4,
	FL_NOTE_1_4_DOTTED,
	FL_NOTE_1_4_TRIPLET,
	FL_NOTE_1_8,
	FL_NOTE_1_8_DOTTED,
	FL_NOTE_1_8_TRIPLET,
	FL_NOTE_1_16,
	FL_NOTE_1_16_DOTTED,
	FL_NOTE_1_16_TRIPLET,
	FL_NOTE_1_32,
	FL_NOTE_COUNT
};

struct fl_delay {
	struct fl_delayline line[2];
	float rate;
	float max_frames;     ///< largest D accepted
	float target_frames;  ///< requested D
	float cur_frames;     ///< D of the head fading out (or the only head)
	float next_frames;    ///< D of the head fading in
	uint32_t xfade_pos;   ///< samples into the running crossfade
	uint32_t xfade_len;   ///< crossfade length in samples
	bool fading;
	bool bypass;
	struct fl_sm2 fb;  ///< feedback gain
	struct fl_sm2 wet; ///< linear
	struct fl_sm2 dry; ///< linear
	struct fl_sm2 lp_a;   ///< loop low-pass pole exp(-2 pi fc/fs) (0 = flat)
	struct fl_sm2 hp_a;   ///< loop high-pass one-pole coefficient (0 = flat)
	struct fl_sm2 pingpong; ///< 0 = straight stereo, 1 = ping-pong
	struct fl_ramp byp;   ///< 0 = active, 1 = bypassed (input closed)
	float lp_z[2], hp_z[2];
	float time_ms, damping_hz, lowcut_hz, mix; ///< last set values
};

/* Non-RT. rate in (0, 192000]. Defaults: 500 ms, fb 0.4, mix 0.3, tone flat,
 * no ping-pong. Returns FL_ERR_RANGE for a bad rate, FL_ERR_NOMEM. */
FL_NODISCARD enum fl_status fl_delay_init(struct fl_delay *k, float rate);
void fl_delay_free(struct fl_delay *k); /* NULL-safe */
/* Clears the audio state and settles every smoother at its target. */
FL_RT void fl_delay_reset(struct fl_delay *k);

/* Delay in ms, clamped to [2 frames, FL_DELAY_MAX_MS]; fractional frames are
 * read with cubic interpolation. */
FL_RT void fl_delay_set_time_ms(struct fl_delay *k, float ms);
/* Tempo sync: D = round(cycle_frames * beats(note) / beats_per_cycle), in
 * integer arithmetic (round half up), so the same tempo always gives the
 * same D. Ignored when cycle_frames or beats_per_cycle is 0 or note invalid. */
FL_RT void fl_delay_set_sync(struct fl_delay *k, uint64_t cycle_frames, uint32_t beats_per_cycle,
                             enum fl_note note);
/* The D set_sync would choose (exposed for tests and the status display). */
FL_RT uint64_t fl_delay_sync_frames(uint64_t cycle_frames, uint32_t beats_per_cycle,
                                    enum fl_note note);
FL_RT void fl_delay_set_feedback(struct fl_delay *k, float fb); /* [0, FB_MAX] */
FL_RT void fl_delay_set_mix(struct fl_delay *k, float mix);     /* dry 1-mix, wet mix */
/* Loop low-pass cut-off; >= 20 kHz (or >= 0.45 rate) is flat. */
FL_RT void fl_delay_set_damping_hz(struct fl_delay *k, float hz);
/* Loop high-pass cut-off; <= 0 is flat. */
FL_RT void fl_delay_set_lowcut_hz(struct fl_delay *k, float hz);
FL_RT void fl_delay_set_pingpong(struct fl_delay *k, bool on);
/* Bypass with spill-over: input closes (10 ms ramp), dry goes to unity, the
 * tail keeps repeating at the feedback rate. */
FL_RT void fl_delay_set_bypass(struct fl_delay *k, bool on);

/* Stereo; in-place (out == in) allowed. */
FL_RT void fl_delay_process(struct fl_delay *k, const float *in_l, const float *in_r,
                            float *out_l, float *out_r, uint32_t n);

#endif
