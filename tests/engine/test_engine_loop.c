/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Looping behaviour, sample-exact: record/play bit-identity, quantized and
 * late-pressed starts, lengths on the cycle grid, undo/redo/clear. */
#include "check.h"
#include "harness.h"

#include "engine/clock.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SEAM (H_RATE / 100) /* 10 ms: seam crossfade and fades */

struct run {
	float *in[2];
	float *out[2];
	uint64_t n;
};

static struct run
run_alloc(uint64_t n)
{
	struct run r = {.n = n};
	for (int c = 0; c < 2; c++) {
		r.in[c] = calloc(n, sizeof(float));
		r.out[c] = calloc(n, sizeof(float));
	}
	h_fill_ramp(r.in[0], r.in[1], 0, n);
	return r;
}

static void
run_free(struct run *r)
{
	for (int c = 0; c < 2; c++) {
		free(r->in[c]);
		free(r->out[c]);
	}
}

/* Counts frames in [from, to) where out differs from the loop content
 * in(origin + R + p) that should play there; skips positions < skip. */
static uint64_t
mismatches(const struct run *r, uint64_t from, uint64_t to, uint64_t origin, uint64_t len,
           uint64_t skip)
{
	uint64_t bad = 0;
	for (uint64_t t = from; t < to; t++) {
		uint64_t p = (t - origin) % len;
		if (p < skip)
			continue;
		bad += r->out[0][t] != r->in[0][origin + p] || r->out[1][t] != r->in[1][origin + p];
	}
	return bad;
}

static void
test_record_plays_back_bit_exact(void)
{
	struct fl_engine_config cfg;
	h_config(&cfg, 2);
	struct fl_engine *e = h_engine(&cfg);
	const uint64_t b = 1000, len = 50000;
	struct run r = run_alloc(b + 5 * len);
	struct h_step steps[] = {{b, FL_CMD_RECORD, 0, 1, 0}, {b + len, FL_CMD_RECORD, 0, 1, 0}};
	h_run(e, (const float *const *)r.in, r.out, r.n, 256, steps, 2, 0);
	struct fl_track_status ts = h_track(e, 0);
	CHECK(ts.state == FL_TRACK_PLAYING);
	CHECK(ts.length_frames == len);
	/* Nothing plays while recording (monitor off). */
	uint64_t noise = 0;
	for (uint64_t t = 0; t < b + len; t++)
		noise += r.out[0][t] != 0.0f;
	CHECK(noise == 0);
	/* First pass after the fade-in, then whole passes outside the seam. */
	CHECK(mismatches(&r, b + len + SEAM, b + 2 * len, b, len, SEAM) == 0);
	CHECK(mismatches(&r, b + 2 * len, r.n, b, len, SEAM) == 0);
	/* The seam region is a crossfade from the post-roll to the head. */
	float worst = 0.0f;
	for (uint64_t p = 0; p < SEAM; p++) {
		uint64_t t = b + 3 * len + p;
		float lo = fminf(r.in[0][b + p], r.in[0][b + len + p]);
		float hi = fmaxf(r.in[0][b + p], r.in[0][b + len + p]) * 1.4143f;
		if (r.out[0][t] < lo * 0.7f || r.out[0][t] > hi)
			worst = 1.0f;
	}
	CHECK(worst == 0.0f);
	/* Its ends: post-roll at p = 0, the head itself from p = SEAM on. */
	CHECK(r.out[0][b + 3 * len] == r.in[0][b + len]);
	CHECK(r.out[0][b + 3 * len + SEAM] == r.in[0][b + SEAM]);
	run_free(&r);
	h_free(e);
}

/* Track 2 pressed mid-cycle starts on the next boundary; one pressed within
 * the late window starts on the last one, with the missed audio. */
static void
test_quantized_starts(void)
{
	struct fl_engine_config cfg;
	h_config(&cfg, 3);
	struct fl_engine *e = h_engine(&cfg);
	const uint64_t b = 1000, cyc = 48000;
	struct run r = run_alloc(b + 12 * cyc);
	uint64_t late = 100 * H_RATE / 1000; /* 100 ms: inside the 150 ms window */
	struct h_step steps[] = {
		{b, FL_CMD_RECORD, 0, 1, 0},
		{b + cyc, FL_CMD_RECORD, 0, 1, 0},
		{b + cyc + 5000, FL_CMD_MUTE, 0, 1, 0},
		{b + 2 * cyc + 20000, FL_CMD_RECORD, 1, 1, 0}, /* -> starts at b + 3 cyc */
		{b + 3 * cyc + 30000, FL_CMD_RECORD, 1, 1, 0}, /* -> closes at b + 4 cyc */
		{b + 5 * cyc + late, FL_CMD_RECORD, 2, 1, 0},  /* -> starts at b + 5 cyc */
		{b + 7 * cyc - 10, FL_CMD_RECORD, 2, 1, 0},    /* -> closes at b + 7 cyc */
		{b + 7 * cyc + 1000, FL_CMD_MUTE, 1, 1, 0},
	};
	h_run(e, (const float *const *)r.in, r.out, r.n, 64, steps, 8, 0);
	struct fl_track_status t1 = h_track(e, 1), t2 = h_track(e, 2);
	CHECK(t1.length_frames == cyc);
	CHECK(t2.length_frames == 2 * cyc);
	/* Track 2 alone (0 and 1 muted): its content starts exactly at b+5cyc. */
	uint64_t from = b + 7 * cyc + 1000 + 2 * SEAM;
	CHECK(mismatches(&r, from, r.n, b + 5 * cyc, 2 * cyc, SEAM) == 0);
	/* Track 1 alone between its close and track 2's close: starts at b+3cyc. */
	CHECK(mismatches(&r, b + 4 * cyc + SEAM, b + 7 * cyc, b + 3 * cyc, cyc, SEAM) == 0);
	run_free(&r);
	h_free(e);
}

/* Renders `frames` more frames of silence-in and returns the output. */
static struct run
render_more(struct fl_engine *e, uint64_t frames)
{
	struct run r = {.n = frames};
	for (int c = 0; c < 2; c++) {
		r.in[c] = calloc(frames, sizeof(float));
		r.out[c] = calloc(frames, sizeof(float));
	}
	h_run(e, (const float *const *)r.in, r.out, frames, 128, NULL, 0, 0);
	return r;
}

/* Value heard at loop position 20000 over the next pass (steady state). */
static float
heard_at(struct fl_engine *e, uint64_t origin, uint64_t len, uint64_t pos)
{
	struct run r = render_more(e, 2 * len);
	uint64_t t0 = fl_engine_frame(e) - 2 * len;
	uint64_t t = t0 + len + ((pos + origin) - (t0 + len) % len + len) % len;
	(void)origin;
	float v = r.out[0][t - t0];
	run_free(&r);
	return v;
}

static void
test_undo_redo_clear(void)
{
	struct fl_engine_config cfg;
	h_config(&cfg, 1);
	struct fl_engine *e = h_engine(&cfg);
	const uint64_t b = 0, len = 24000;
	/* Record a constant 0.25, so each overdub pass of 0.125 adds up. */
	uint64_t n = len + SEAM * 4;
	float *l = malloc(n * sizeof(float)), *rr = malloc(n * sizeof(float));
	for (uint64_t i = 0; i < n; i++)
		l[i] = rr[i] = 0.25f;
	const float *in[2] = {l, rr};
	struct h_step rec[] = {{b, FL_CMD_RECORD, 0, 1, 0}, {b + len, FL_CMD_RECORD, 0, 1, 0}};
	h_run(e, in, NULL, n, 100, rec, 2, 0);
	CHECK(fabsf(heard_at(e, b, len, 12000) - 0.25f) < 1e-6f);
	/* Nine overdub passes of 0.125 each: nine undo levels above the record. */
	float *dl = malloc(len * 2 * sizeof(float)), *dr = malloc(len * 2 * sizeof(float));
	for (uint64_t i = 0; i < 2 * len; i++)
		dl[i] = dr[i] = 0.125f;
	const float *din[2] = {dl, dr};
	for (int k = 0; k < 9; k++) {
		uint64_t t = fl_engine_frame(e);
		h_cmd(e, FL_CMD_OVERDUB, 0, 1, t);
		h_run(e, din, NULL, len + 2 * SEAM, 100, NULL, 0, 0);
		h_cmd(e, FL_CMD_OVERDUB, 0, 1, fl_engine_frame(e));
		h_run(e, NULL, NULL, len, 100, NULL, 0, 0);
	}
	struct fl_track_status ts = h_track(e, 0);
	CHECK(ts.undo_depth == 10);
	float full = heard_at(e, b, len, 12000);
	CHECK(fabsf(full - (0.25f + 9 * 0.125f)) < 1e-5f);
	for (int k = 8; k >= 0; k--) {
		h_cmd(e, FL_CMD_UNDO, 0, 1, fl_engine_frame(e));
		float v = heard_at(e, b, len, 12000);
		CHECK_MSG(fabsf(v - (0.25f + (float)k * 0.125f)) < 1e-5f, "undo to %d dubs: %f", k, (double)v);
	}
	CHECK(h_track(e, 0).redo_depth == 9);
	h_cmd(e, FL_CMD_REDO, 0, 1, fl_engine_frame(e));
	CHECK(fabsf(heard_at(e, b, len, 12000) - 0.375f) < 1e-5f);
	/* Clear, then undo the clear. */
	h_cmd(e, FL_CMD_CLEAR, 0, 1, fl_engine_frame(e));
	CHECK(heard_at(e, b, len, 12000) == 0.0f);
	CHECK(h_track(e, 0).state == FL_TRACK_EMPTY);
	h_cmd(e, FL_CMD_UNDO, 0, 1, fl_engine_frame(e));
	CHECK(fabsf(heard_at(e, b, len, 12000) - 0.375f) < 1e-5f);
	CHECK(h_track(e, 0).state == FL_TRACK_PLAYING);
	/* Undo the very first record: empty again. */
	for (int k = 0; k < 3; k++)
		h_cmd(e, FL_CMD_UNDO, 0, 1, fl_engine_frame(e));
	struct run tail = render_more(e, 1000);
	run_free(&tail);
	CHECK(h_track(e, 0).state == FL_TRACK_EMPTY);
	free(l);
	free(rr);
	free(dl);
	free(dr);
	h_free(e);
}

/* Stop keeps the clock: play resumes in phase. Ops on an empty track only
 * produce notices. */
static void
test_stop_play_in_phase(void)
{
	struct fl_engine_config cfg;
	h_config(&cfg, 1);
	struct fl_engine *e = h_engine(&cfg);
	const uint64_t b = 500, len = 30000;
	struct run r = run_alloc(b + 6 * len);
	struct h_step steps[] = {
		{10, FL_CMD_PLAY, 0, 1, 0},  {20, FL_CMD_OVERDUB, 0, 1, 0}, {30, FL_CMD_UNDO, 0, 1, 0},
		{b, FL_CMD_RECORD, 0, 1, 0}, {b + len, FL_CMD_RECORD, 0, 1, 0},
		{b + 2 * len + 777, FL_CMD_STOP, 0, 1, 0},
		{b + 3 * len + 1234, FL_CMD_PLAY, 0, 1, 0},
	};
	h_run(e, (const float *const *)r.in, r.out, r.n, 333, steps, 7, 0);
	uint64_t silent = 0;
	for (uint64_t t = b + 2 * len + 777 + SEAM; t < b + 3 * len + 1234; t++)
		silent += r.out[0][t] == 0.0f;
	CHECK(silent == len + 1234 - 777 - SEAM);
	CHECK(mismatches(&r, b + 3 * len + 1234 + SEAM, r.n, b, len, SEAM) == 0);
	run_free(&r);
	h_free(e);
}

/* 16 tracks (the supported minimum) each record a loop on the cycle grid;
 * every one plays its own input stretch bit-exactly, in phase. */
static void
test_sixteen_tracks(void)
{
	struct fl_engine_config cfg;
	h_config(&cfg, 16);
	cfg.track_seconds = 2.0f;
	struct fl_engine *e = h_engine(&cfg);
	const uint64_t b = 100, cyc = 9600, n = b + 40 * cyc;
	struct run r = run_alloc(n);
	struct h_step steps[2 + 2 * 16 + 16];
	size_t k = 0;
	steps[k++] = (struct h_step){b, FL_CMD_RECORD, 0, 1, 0};
	steps[k++] = (struct h_step){b + cyc, FL_CMD_RECORD, 0, 1, 0};
	for (uint16_t t = 1; t < 16; t++) {
		uint64_t at = b + (2 * t) * cyc + 8000; /* past the 7200-frame late window */
		steps[k++] = (struct h_step){at, FL_CMD_RECORD, t, 1, 0};     /* next boundary */
		steps[k++] = (struct h_step){at + cyc, FL_CMD_RECORD, t, 1, 0}; /* one cycle */
	}
	/* All but the last muted at the end, to hear track 16 alone. */
	for (uint16_t t = 0; t < 15; t++)
		steps[k++] = (struct h_step){b + 33 * cyc, FL_CMD_MUTE, t, 1, 0};
	h_run(e, (const float *const *)r.in, r.out, n, 512, steps, k, 0);
	uint32_t ok = 0;
	for (uint32_t t = 0; t < 16; t++) {
		struct fl_track_status ts = h_track(e, t);
		ok += ts.state == FL_TRACK_PLAYING && ts.length_frames == cyc &&
		      (ts.origin - b) % cyc == 0;
	}
	CHECK_MSG(ok == 16, "%u of 16 tracks playing a one-cycle loop on the grid", ok);
	uint64_t origin15 = b + 31 * cyc;
	CHECK(h_track(e, 15).origin == origin15);
	CHECK(mismatches(&r, b + 34 * cyc, n, origin15, cyc, SEAM) == 0);
	run_free(&r);
	h_free(e);
}

static uint64_t
fl_clock_next_boundary_for_test(uint64_t now, uint64_t origin, uint64_t cycle)
{
	/* Track 2 is quantized to the cycle the first loop set: a stale press
	 * counts from "now", so it arms for the next boundary (or the last one
	 * when now is within the late window after it). */
	return fl_clock_record_start(origin, cycle, 150 * H_RATE / 1000, now);
}

/* Presses delivered late (a tap recognised on release, a MIDI event of the
 * last period) but stamped with the frame they happened at: the loop starts
 * and ends at the stamped frames, with the audio from the history. */
static void
test_stamped_presses(void)
{
	struct fl_engine_config cfg;
	h_config(&cfg, 2);
	struct fl_engine *e = h_engine(&cfg);
	const uint64_t press = 20000, len = 40000, n = 200000;
	struct run r = run_alloc(n);
	const float *in[2] = {r.in[0], r.in[1]};
	float *out[2] = {r.out[0], r.out[1]};
	/* The record press arrives 4000 frames late, the close 5000 late. */
	h_run(e, in, out, press + 4000, 64, NULL, 0, 0);
	h_cmd(e, FL_CMD_RECORD, 0, 1, press);
	float *o2[2] = {r.out[0] + press + 4000, r.out[1] + press + 4000};
	const float *i2[2] = {r.in[0] + press + 4000, r.in[1] + press + 4000};
	h_run(e, i2, o2, len + 1000, 64, NULL, 0, 0);
	h_cmd(e, FL_CMD_RECORD, 0, 1, press + len);
	uint64_t t = press + 4000 + len + 1000;
	float *o3[2] = {r.out[0] + t, r.out[1] + t};
	const float *i3[2] = {r.in[0] + t, r.in[1] + t};
	h_run(e, i3, o3, n - t, 64, NULL, 0, 0);
	struct fl_track_status ts = h_track(e, 0);
	CHECK(ts.length_frames == len && ts.origin == press);
	CHECK(mismatches(&r, press + 3 * len, n, press, len, SEAM) == 0);
	/* A stamp older than the late window is taken as "now". */
	h_cmd(e, FL_CMD_RECORD, 1, 1, fl_engine_frame(e) - 10000);
	uint64_t now = fl_engine_frame(e);
	h_run(e, NULL, NULL, 100, 64, NULL, 0, 0);
	CHECK(h_track(e, 1).state == FL_TRACK_RECORDING || h_track(e, 1).state == FL_TRACK_ARMED);
	CHECK(h_track(e, 1).origin == fl_clock_next_boundary_for_test(now, ts.origin, len));
	run_free(&r);
	h_free(e);
}

int
main(void)
{
	test_stamped_presses();
	test_sixteen_tracks();
	test_record_plays_back_bit_exact();
	test_quantized_starts();
	test_undo_redo_clear();
	test_stop_play_in_phase();
	return fl_check_summary("test_engine_loop");
}
