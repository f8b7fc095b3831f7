/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Sync and block-size invariance: tracks stay phase-locked over 10^6
 * random-sized blocks, and a scripted session renders bit-identically for
 * block sizes 1, 7, 64, 1000 and 4096. */
#include "check.h"
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CYC 96001u /* dsp-sync-reference S1: an odd master length */

/* Master of 96001 frames, slaves of x2 and x3 cycles (quantized), then 10^6
 * blocks of random sizes: every published position must equal the one
 * computed from the clock, and slaves must sit on the master grid. */
static void
test_phase_locked(void)
{
	struct fl_engine_config cfg;
	h_config(&cfg, 3);
	cfg.track_seconds = 8.0f;
	struct fl_engine *e = h_engine(&cfg);
	uint64_t n = 8 * CYC + 200;
	float *l = malloc(n * sizeof(float)), *r = malloc(n * sizeof(float));
	h_fill_ramp(l, r, 0, n);
	const float *in[2] = {l, r};
	const uint64_t b = 100;
	struct h_step steps[] = {
		{b, FL_CMD_RECORD, 0, 1, 0},
		{b + CYC, FL_CMD_RECORD, 0, 1, 0},
		{b + CYC + 10000, FL_CMD_RECORD, 1, 1, 0},  /* past the window: b + 2 CYC */
		{b + 2 * CYC + 5, FL_CMD_RECORD, 2, 1, 0},  /* late window: starts at b + 2 CYC */
		{b + 3 * CYC + 20000, FL_CMD_RECORD, 1, 1, 0}, /* extends to b + 4 CYC: x2 */
		{b + 4 * CYC + 20000, FL_CMD_RECORD, 2, 1, 0}, /* closes at b + 5 CYC: x3 */
	};
	h_run(e, in, NULL, n, 0, steps, 6, 1);
	CHECK(h_track(e, 0).length_frames == CYC);
	CHECK(h_track(e, 1).length_frames == 2 * CYC);
	CHECK(h_track(e, 2).length_frames == 3 * CYC);
	uint64_t origins[3] = {b, b + 2 * CYC, b + 2 * CYC};
	uint64_t lens[3] = {CYC, 2 * CYC, 3 * CYC};
	uint32_t seed = 12345;
	uint64_t bad = 0, blocks = 1000000;
	float out_l[256], out_r[256];
	float *out[2] = {out_l, out_r};
	for (uint64_t k = 0; k < blocks; k++) {
		seed = seed * 1664525u + 1013904223u;
		uint32_t size = 1u + (seed >> 8) % 256u;
		struct fl_engine_io io = {.in = {NULL, NULL}, .out = {out[0], out[1]}};
		fl_engine_process(e, &io, size);
		if (k % 97 != 0)
			continue;
		struct fl_engine_status st;
		struct fl_track_status ts[3];
		fl_engine_get_status(e, &st, ts, 3);
		for (int i = 0; i < 3; i++) {
			uint64_t expect = (st.frame - origins[i]) % lens[i];
			if (ts[i].position_frames != expect && bad == 0)
				fprintf(stderr, "  track %d at frame %llu: position %llu, expected %llu\n", i,
				        (unsigned long long)st.frame,
				        (unsigned long long)ts[i].position_frames,
				        (unsigned long long)expect);
			bad += ts[i].position_frames != expect;
			bad += ts[i].position_frames % CYC != ts[0].position_frames;
		}
	}
	CHECK_MSG(bad == 0, "%llu position errors", (unsigned long long)bad);
	/* After ~1.3e8 frames, the output is still the exact sum of the three
	 * loops at the clock's positions. */
	uint64_t t0 = fl_engine_frame(e);
	struct fl_engine_io io = {.in = {NULL, NULL}, .out = {out[0], out[1]}};
	fl_engine_process(e, &io, 256);
	uint64_t wrong = 0;
	for (uint64_t i = 0; i < 256; i++) {
		float sum = 0.0f;
		for (int k = 0; k < 3; k++) {
			uint64_t p = (t0 + i - origins[k]) % lens[k];
			sum += p < 480 ? 0.0f : l[origins[k] + p];
		}
		uint64_t p0 = (t0 + i - origins[0]) % lens[0];
		if (p0 >= 480 && (t0 + i - origins[1]) % lens[1] >= 480 &&
		    (t0 + i - origins[2]) % lens[2] >= 480)
			wrong += out_l[i] != sum;
	}
	CHECK_MSG(wrong == 0, "%llu output frames off after %llu frames", (unsigned long long)wrong,
	          (unsigned long long)t0);
	free(l);
	free(r);
	h_free(e);
}

/* A session touching every command at odd frames. */
static const struct h_step session[] = {
	{777, FL_CMD_RECORD, 0, 1, 0},
	{777 + 40001, FL_CMD_RECORD, 0, 1, 0},
	{50000, FL_CMD_TRACK_LEVEL, 0, 0.5f, 0},
	{52000, FL_CMD_TRACK_PAN, 0, -0.3f, 0},
	{60001, FL_CMD_RECORD, 1, 1, 0},
	{150000, FL_CMD_RECORD, 1, 1, 0},
	{161111, FL_CMD_OVERDUB, 0, 1, 0},
	{190003, FL_CMD_OVERDUB, 0, 1, 0},
	{200000, FL_CMD_MUTE, 1, 1, 0},
	{205000, FL_CMD_UNMUTE, 1, 1, 0},
	{210000, FL_CMD_TRACK_SOLO, 1, 1, 0},
	{215000, FL_CMD_TRACK_SOLO, 1, 0, 0},
	{220000, FL_CMD_UNDO, 0, 1, 0},
	{230000, FL_CMD_REDO, 0, 1, 0},
	{240000, FL_CMD_STOP, 1, 1, 0},
	{250000, FL_CMD_PLAY, 1, 1, 0},
	{255000, FL_CMD_MASTER_LEVEL, 0, 0.8f, 0},
	{256000, FL_CMD_MONITOR, 0, 1, 1},
	{260000, FL_CMD_CLEAR, 0, 1, 0},
	{270000, FL_CMD_UNDO, 0, 1, 0},
	{280000, FL_CMD_TRACK_QUANTIZE, 2, 0, 0},
	{280500, FL_CMD_RECORD, 2, 1, 0},
	{300500, FL_CMD_RECORD, 2, 1, 0},
	{310000, FL_CMD_STOP_ALL, 0, 1, 0},
	{315000, FL_CMD_PLAY_ALL, 0, 1, 0},
};

static float *
render_session(uint32_t block, uint64_t n, const float *const in[2])
{
	struct fl_engine_config cfg;
	h_config(&cfg, 3);
	cfg.track_seconds = 10.0f;
	struct fl_engine *e = h_engine(&cfg);
	float *out = calloc(2 * n, sizeof(float));
	float *o[2] = {out, out + n};
	h_run(e, in, o, n, block, session, sizeof session / sizeof session[0], 0);
	h_free(e);
	return out;
}

static void
test_block_size_invariance(void)
{
	const uint64_t n = 340000;
	float *l = malloc(n * sizeof(float)), *r = malloc(n * sizeof(float));
	h_fill_ramp(l, r, 0, n);
	const float *in[2] = {l, r};
	float *ref = render_session(1, n, in);
	uint64_t energy = 0;
	for (uint64_t i = 0; i < 2 * n; i++)
		energy += ref[i] != 0.0f;
	CHECK(energy > n / 2); /* the session really plays */
	const uint32_t sizes[] = {7, 64, 1000, 4096, 0};
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		float *out = render_session(sizes[k], n, in);
		uint64_t diff = 0;
		for (uint64_t i = 0; i < 2 * n; i++)
			diff += memcmp(&out[i], &ref[i], sizeof(float)) != 0;
		for (uint64_t i = 0; i < 2 * n && diff; i++)
			if (memcmp(&out[i], &ref[i], sizeof(float)) != 0) {
				fprintf(stderr, "  first difference at %s frame %llu: %g vs %g\n",
				        i < n ? "left" : "right", (unsigned long long)(i % n),
				        (double)out[i], (double)ref[i]);
				break;
			}
		CHECK_MSG(diff == 0, "block %u: %llu samples differ from block 1", sizes[k],
		          (unsigned long long)diff);
		free(out);
	}
	free(ref);
	free(l);
	free(r);
}

int
main(void)
{
	test_phase_locked();
	test_block_size_invariance();
	return fl_check_summary("test_engine_sync");
}
