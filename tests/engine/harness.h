/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Offline engine driver for the engine tests: plain float buffers, scripted
 * commands at absolute frames, any block size (or random sizes). */
#ifndef FL_TEST_ENGINE_HARNESS_H
#define FL_TEST_ENGINE_HARNESS_H

#include "footloop/engine.h"

#include <stddef.h>
#include <stdint.h>

#define H_RATE 48000u

struct h_step {
	uint64_t frame;
	uint16_t type;
	uint16_t track;
	float value;
	uint32_t arg;
};

/* Test defaults: 48 kHz, monitor off, 20 s per track, latency 0. */
void h_config(struct fl_engine_config *cfg, uint32_t tracks);
struct fl_engine *h_engine(const struct fl_engine_config *cfg);

/* Queues a command due at frame. */
void h_cmd(struct fl_engine *e, uint16_t type, uint16_t track, float value, uint64_t frame);

/* A distinct, exactly representable value per frame (left), its negation
 * (right): a loop's samples tell which input frame they came from. */
float h_ramp(uint64_t frame);
/* Frame whose h_ramp value is v, or -1. */
int64_t h_ramp_frame(float v, uint64_t near);

/* Renders n frames starting at the engine's clock with input in (NULL:
 * silence) and output out (each may be NULL), in blocks of `block` frames
 * (0: random sizes 1..1024 from seed). Steps due inside a block are queued
 * before it. Guarded by the RT tripwires when the test links them. */
void h_run(struct fl_engine *e, const float *const in[2], float *const out[2], uint64_t n,
           uint32_t block, const struct h_step *steps, size_t n_steps, uint32_t seed);

/* Fills a stereo buffer pair with h_ramp from frame `from`. */
void h_fill_ramp(float *l, float *r, uint64_t from, uint64_t n);

/* Status of one track. */
struct fl_track_status h_track(struct fl_engine *e, uint32_t track);

/* Frees the engine and everything h_* allocated for it. */
void h_free(struct fl_engine *e);

#endif
