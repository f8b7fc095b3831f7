/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Latency compensation, dsp-sync-reference.md 7.2 J1: a simulated loopback.
 * The world delays our output by R_true frames back into our input; the
 * engine is told R. A loop of clicks is recorded, then overdubbed while the
 * "performer" echoes every click it hears. With R == R_true the echoes land
 * on the originals (0 samples error); otherwise exactly R_true - R away. */
#include "check.h"
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLICK_EVERY 4801u

/* Runs the scenario; returns the offset (frames) between each original click
 * and its echo in the final loop, or INT64_MIN when they are inconsistent. */
static int64_t
loopback(uint32_t block, uint32_t r_true, uint32_t r_told)
{
	struct fl_engine_config cfg;
	h_config(&cfg, 1);
	cfg.latency_frames = r_told;
	struct fl_engine *e = h_engine(&cfg);
	const uint64_t b = 5000, len = 48000, total = b + 6 * len;
	float *in_l = calloc(total, sizeof(float)), *in_r = calloc(total, sizeof(float));
	float *out_l = calloc(total, sizeof(float)), *out_r = calloc(total, sizeof(float));
	/* Recording: clicks played live (they reach us R_true late, like all input). */
	for (uint64_t t = 0; t < b + len + r_true; t++)
		if (t % CLICK_EVERY == 100)
			in_l[t + r_true] = in_r[t + r_true] = 0.5f;
	struct h_step steps[] = {
		{b, FL_CMD_RECORD, 0, 1, 0},
		{b + len, FL_CMD_RECORD, 0, 1, 0},
		{b + 2 * len + 1000, FL_CMD_OVERDUB, 0, 1, 0},
		{b + 3 * len + 1000, FL_CMD_OVERDUB, 0, 1, 0},
	};
	size_t next = 0;
	for (uint64_t t = 0; t < total; t += block) {
		uint32_t n = (uint32_t)(total - t < block ? total - t : block);
		/* The performer echoes what was heard during the overdub passes. */
		for (uint32_t i = 0; i < n; i++) {
			uint64_t f = t + i;
			if (f >= b + 2 * len && f < b + 3 * len + 1000 && f >= r_true) {
				in_l[f] = out_l[f - r_true];
				in_r[f] = out_r[f - r_true];
			}
		}
		while (next < 4 && steps[next].frame < t + n) {
			h_cmd(e, steps[next].type, 0, 1, steps[next].frame);
			next++;
		}
		struct fl_engine_io io = {.in = {in_l + t, in_r + t}, .out = {out_l + t, out_r + t}};
		fl_engine_process(e, &io, n);
	}
	/* Last pass: the loop alone. An echo on its original doubles it (0.5 ->
	 * 1.0); a misplaced one stands d frames after or before it. */
	int64_t offset = INT64_MIN;
	bool consistent = true;
	uint64_t from = b + 5 * len, clicks = 0;
	for (uint64_t t = from; t < from + len; t++) {
		if (out_l[t] < 0.25f)
			continue;
		clicks++;
		int64_t d = 0;
		if (out_l[t] < 0.75f)
			for (uint64_t k = 1; k <= 64 && d == 0 && t + k < total; k++)
				if (out_l[t + k] >= 0.25f)
					d = (int64_t)k;
		if (out_l[t] < 0.75f && d == 0)
			continue; /* a click at a punch edge got a partial echo */
		if (offset == INT64_MIN)
			offset = d;
		consistent &= offset == d;
		t += (uint64_t)d;
	}
	free(in_l);
	free(in_r);
	free(out_l);
	free(out_r);
	h_free(e);
	if (!consistent || clicks < len / CLICK_EVERY - 1)
		return INT64_MIN;
	return offset;
}

int
main(void)
{
	const uint32_t blocks[] = {64, 128, 256, 1000};
	for (size_t k = 0; k < 4; k++) {
		for (uint32_t periods = 1; periods <= 3; periods++) {
			uint32_t r = blocks[k] * periods;
			int64_t off = loopback(blocks[k], r, r);
			CHECK_MSG(off == 0, "block %u, R %u: echo %lld frames off", blocks[k], r,
			          (long long)off);
		}
	}
	/* Told 5 frames too little: the echo lands exactly 5 frames away. */
	int64_t off = loopback(256, 512, 507);
	CHECK_MSG(off == 5, "mis-told R: echo %lld frames off, expected 5", (long long)off);
	/* Not compensated at all: R_true frames away. */
	off = loopback(64, 48, 0);
	CHECK_MSG(off == 48, "R = 0: echo %lld frames off, expected 48", (long long)off);
	printf("latency: overdub echoes aligned at 0 samples for 12 block/R cases\n");
	return fl_check_summary("test_engine_latency");
}
