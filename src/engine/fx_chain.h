/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An insert chain of FL_FX_SLOTS effect slots (process thread). A slot swap
 * crossfades the old and the new effect over the fade length, so replacing
 * an effect never clicks; the old one then goes back to the control thread
 * in an FL_EV_RELEASE event. */
#ifndef FL_ENGINE_FX_CHAIN_H
#define FL_ENGINE_FX_CHAIN_H

#include "dsp/fx.h"
#include "dsp/smooth.h"
#include "footloop/attributes.h"
#include "footloop/cmd.h"

#include <stdbool.h>
#include <stdint.h>

struct fl_engine;

struct fl_fx_slot {
	struct fl_fx *fx;  ///< the effect (NULL: empty slot, passes through)
	struct fl_fx *old; ///< the effect fading out after a swap, or NULL
	struct fl_ramp xf; ///< 0 -> 1 while old fades out and fx fades in
};

struct fl_fx_chain {
	struct fl_fx_slot slot[FL_FX_SLOTS];
	uint32_t active; ///< slots with an effect or a fade in progress
};

/* Puts fx (or NULL: empty) into slot s, crossfading from what was there.
 * freed[] receives up to two instances to release now (NULL otherwise). */
FL_RT void fl_fx_chain_swap(struct fl_fx_chain *c, uint32_t s, struct fl_fx *fx,
                            uint32_t fade_frames, struct fl_fx *freed[2]);
/* Runs the chain in place over n <= FL_SEG_MAX frames; returns instances whose
 * fade-out ended (up to FL_FX_SLOTS, NULL-terminated in done[]). */
FL_RT void fl_fx_chain_process(struct fl_fx_chain *c, float *l, float *r, uint32_t n,
                               struct fl_fx *done[FL_FX_SLOTS + 1]);
/* Parameter, bypass and tempo changes for every effect in the chain. */
FL_RT void fl_fx_chain_param(struct fl_fx_chain *c, uint32_t s, uint32_t param, float value);
FL_RT void fl_fx_chain_bypass(struct fl_fx_chain *c, uint32_t s, bool bypass);
FL_RT void fl_fx_chain_tempo(struct fl_fx_chain *c, uint64_t cycle_frames, uint32_t beats);
/* Deepest compressor/gate gain reduction in the chain since the last read. */
FL_RT float fl_fx_chain_meter(struct fl_fx_chain *c);
/* Frees every instance (setup thread, at engine teardown). */
void fl_fx_chain_free(struct fl_fx_chain *c);

#endif
