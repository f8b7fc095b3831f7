/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Effects inside the engine: the limiter holds the ceiling and is a delayed
 * bit-exact copy below it, its lookahead is compensated in overdubs, slot
 * swaps are click-free and hand the old effect back, sends reach the buses,
 * the input chain can be recorded, and panic silences within 100 ms and
 * brings the loops back. */
#include "check.h"
#include "dsp/fx.h"
#include "harness.h"
#include "splatter.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
send_cmd(struct fl_engine *e, uint16_t type, uint16_t target, uint32_t arg, float value, void *ptr)
{
	struct fl_cmd c = {.type = type, .track = target, .arg = arg, .value = value, .ptr = ptr,
	                   .frame = fl_engine_frame(e)};
	CHECK(fl_engine_send(e, &c) == FL_OK);
}

static void
sine(float *l, float *r, uint64_t n, double hz, float amp)
{
	for (uint64_t i = 0; i < n; i++)
		l[i] = r[i] = amp * (float)sin(2.0 * M_PI * hz * (double)i / H_RATE);
}

static struct fl_engine *
engine_with_limiter(uint32_t tracks)
{
	struct fl_engine_config cfg;
	h_config(&cfg, tracks);
	cfg.limiter = true;
	cfg.monitor = true;
	return h_engine(&cfg);
}

static void
test_limiter_in_path(void)
{
	struct fl_engine *e = engine_with_limiter(1);
	struct fl_engine_status st;
	fl_engine_get_status(e, &st, NULL, 0);
	const uint64_t n = 48000;
	float *l = malloc(n * 4), *r = malloc(n * 4), *ol = malloc(n * 4), *orr = malloc(n * 4);
	/* Quiet: the output is the input, delayed by the reported latency. */
	sine(l, r, n, 440.0, 0.25f);
	const float *in[2] = {l, r};
	float *out[2] = {ol, orr};
	h_run(e, in, out, n, 64, NULL, 0, 0);
	fl_engine_get_status(e, &st, NULL, 0);
	uint32_t lat = st.output_latency;
	CHECK(lat > 0 && lat <= 64);
	uint64_t bad = 0;
	for (uint64_t i = lat; i < n; i++)
		bad += ol[i] != l[i - lat];
	CHECK_MSG(bad == 0, "below threshold: %llu samples differ from the delayed input",
	          (unsigned long long)bad);
	/* +12 dB over full scale: never above the -1 dBTP ceiling (sample peak). */
	sine(l, r, n, 997.0, 4.0f);
	h_run(e, in, out, n, 64, NULL, 0, 0);
	float peak = 0.0f;
	for (uint64_t i = 0; i < n; i++)
		peak = fabsf(ol[i]) > peak ? fabsf(ol[i]) : peak;
	printf("limiter in the engine: latency %u frames, peak %.3f dBFS for +12 dBFS input\n", lat,
	       20.0 * log10((double)peak));
	CHECK(peak <= powf(10.0f, -1.0f / 20.0f));
	fl_engine_get_status(e, &st, NULL, 0);
	CHECK(st.limiter_gr_db < -6.0f);
	free(l);
	free(r);
	free(ol);
	free(orr);
	h_free(e);
}

/* Overdub echo alignment with the limiter's lookahead in the output path. */
static void
test_latency_includes_limiter(void)
{
	struct fl_engine_config cfg;
	h_config(&cfg, 1);
	cfg.limiter = true;
	const uint32_t r_ext = 512, block = 256;
	cfg.latency_frames = r_ext;
	struct fl_engine *e = h_engine(&cfg);
	const uint64_t b = 5000, len = 48000, total = b + 5 * len;
	float *il = calloc(total, 4), *ir = calloc(total, 4), *ol = calloc(total, 4),
	      *orr = calloc(total, 4);
	for (uint64_t t = 0; t + r_ext < b + len; t++)
		if (t % 4801 == 100)
			il[t + r_ext] = ir[t + r_ext] = 0.25f;
	struct h_step steps[] = {{b, FL_CMD_RECORD, 0, 1, 0}, {b + len, FL_CMD_RECORD, 0, 1, 0},
	                         {b + 2 * len + 1000, FL_CMD_OVERDUB, 0, 1, 0},
	                         {b + 3 * len + 1000, FL_CMD_OVERDUB, 0, 1, 0}};
	size_t next = 0;
	for (uint64_t t = 0; t < total; t += block) {
		uint32_t nb = total - t < block ? (uint32_t)(total - t) : block;
		for (uint32_t i = 0; i < nb; i++) {
			uint64_t f = t + i;
			if (f >= b + 2 * len && f < b + 3 * len + 1000) { /* the world echoes */
				il[f] = ol[f - r_ext];
				ir[f] = orr[f - r_ext];
			}
		}
		while (next < 4 && steps[next].frame < t + nb) {
			h_cmd(e, steps[next].type, 0, 1, steps[next].frame);
			next++;
		}
		struct fl_engine_io io = {.in = {il + t, ir + t}, .out = {ol + t, orr + t}};
		fl_engine_process(e, &io, nb);
	}
	/* Last pass: every click doubled in place (0.25 -> 0.5), no neighbours. */
	uint64_t doubled = 0, stray = 0;
	for (uint64_t t = b + 4 * len; t < b + 5 * len; t++) {
		if (fabsf(ol[t] - 0.5f) < 1e-6f)
			doubled++;
		else if (fabsf(ol[t]) > 0.01f)
			stray++;
	}
	printf("limiter lookahead compensated: %llu clicks doubled in place, %llu stray samples\n",
	       (unsigned long long)doubled, (unsigned long long)stray);
	CHECK(doubled >= 8 && stray <= 2);
	free(il);
	free(ir);
	free(ol);
	free(orr);
	h_free(e);
}

static struct fl_fx *
make_fx(enum fl_fx_type type, const char *param, float value)
{
	struct fl_fx *fx = NULL;
	CHECK(fl_fx_create(type, (float)H_RATE, &fx) == FL_OK);
	if (fx && param)
		fl_fx_set_param(fx, (uint32_t)fl_fx_param_index(type, param), value);
	return fx;
}

static void
test_slots_sends_input_chain(void)
{
	struct fl_engine_config cfg;
	h_config(&cfg, 2);
	struct fl_engine *e = h_engine(&cfg);
	const uint64_t len = 48000, n = 6 * len;
	float *l = malloc(n * 4), *r = malloc(n * 4), *ol = calloc(n, 4), *orr = calloc(n, 4);
	sine(l, r, n, 100.0, 0.25f);
	const float *in[2] = {l, r};
	float *out[2] = {ol, orr};
	/* Input chain: +12 dB at 100 Hz; track 2 records through it. */
	struct fl_fx *boost = make_fx(FL_FX_EQ, "peak1_gain_db", 12.0f);
	fl_fx_set_param(boost, (uint32_t)fl_fx_param_index(FL_FX_EQ, "peak1_hz"), 100.0f);
	send_cmd(e, FL_CMD_FX_SLOT, FL_TARGET_INPUT, 0, 0, boost);
	send_cmd(e, FL_CMD_TRACK_INPUT_FX, 1, 1, 0, NULL);
	struct h_step rec[] = {{1000, FL_CMD_RECORD, 0, 1, 0}, {1000 + len, FL_CMD_RECORD, 0, 1, 0},
	                       {1000 + len, FL_CMD_MUTE, 0, 1, 0},
	                       {1000 + len, FL_CMD_RECORD, 1, 1, 0},
	                       {1000 + 2 * len, FL_CMD_RECORD, 1, 1, 0}};
	h_run(e, in, out, 3 * len, 128, rec, 5, 0);
	/* Track 2 alone (track 1 muted): the boosted sine, about 4x. */
	float pk = 0.0f;
	for (uint64_t i = 2 * len + 5000; i < 3 * len; i++)
		pk = fabsf(ol[i]) > pk ? fabsf(ol[i]) : pk;
	printf("recorded through the input chain (+12 dB): peak %.3f for a 0.25 input\n",
	       (double)pk);
	CHECK(pk > 0.9f && pk < 1.1f);
	/* Send track 2 at unity to bus 1 (empty bus: returns it): twice as loud. */
	send_cmd(e, FL_CMD_SEND, 1, 0, 1.0f, NULL);
	h_run(e, NULL, out, len, 128, NULL, 0, 0);
	float pk2 = 0.0f;
	for (uint64_t i = len / 2; i < len; i++)
		pk2 = fabsf(ol[i]) > pk2 ? fabsf(ol[i]) : pk2;
	CHECK(fabsf(pk2 - 2.0f * pk) < 0.02f * pk);
	/* Swap a flat EQ into track 2's slot: crossfade between equal signals is
	 * silent in the splatter metric; the empty slot's "old" is nothing. */
	send_cmd(e, FL_CMD_SEND, 1, 0, 0.0f, NULL);
	h_run(e, NULL, NULL, 4800, 128, NULL, 0, 0);
	send_cmd(e, FL_CMD_FX_SLOT, 1, 2, 0, make_fx(FL_FX_EQ, NULL, 0));
	h_run(e, NULL, out, len, 128, NULL, 0, 0);
	double db = fl_splatter_db(ol, len, 2000, len, 1000.0, H_RATE);
	printf("slot swap (flat EQ in): splatter %.1f dBFS\n", db);
	CHECK(db <= -65.0);
	/* Replace it: the old instance comes back in a release event. */
	send_cmd(e, FL_CMD_FX_SLOT, 1, 2, 0, make_fx(FL_FX_EQ, "low_shelf_gain_db", 6.0f));
	int released = 0;
	for (int k = 0; k < 10 && !released; k++) {
		struct fl_engine_io io = {.in = {NULL, NULL}, .out = {ol, orr}};
		fl_engine_process(e, &io, 256);
		struct fl_event ev;
		while (fl_engine_poll_event(e, &ev))
			if (ev.type == FL_EV_RELEASE && ev.arg == FL_CMD_FX_SLOT) {
				fl_fx_free(ev.ptr);
				released++;
			}
	}
	CHECK(released == 1);
	free(l);
	free(r);
	free(ol);
	free(orr);
	h_free(e); /* frees the effects still in slots */
}

static void
test_panic(void)
{
	struct fl_engine *e = engine_with_limiter(2);
	const uint64_t len = 48000, n = 4 * len;
	float *l = malloc(n * 4), *r = malloc(n * 4), *ol = calloc(n, 4), *orr = calloc(n, 4);
	sine(l, r, n, 220.0, 0.3f);
	const float *in[2] = {l, r};
	float *out[2] = {ol, orr};
	struct h_step steps[] = {{100, FL_CMD_MONITOR, 0, 0, 0},
	                         {1000, FL_CMD_RECORD, 0, 1, 0},
	                         {1000 + len, FL_CMD_RECORD, 0, 1, 0}};
	h_run(e, in, out, 2 * len + 1000, 64, steps, 3, 0);
	const uint64_t pre = 9600; /* lead-in so the click filter has settled */
	h_run(e, NULL, out, pre, 64, NULL, 0, 0);
	send_cmd(e, FL_CMD_PANIC, 0, 1, 0, NULL);
	float *panic_out[2] = {ol + pre, orr + pre};
	h_run(e, NULL, panic_out, len, 64, NULL, 0, 0);
	float after = 0.0f;
	for (uint64_t i = pre + H_RATE / 10; i < pre + len; i++) /* from 100 ms on */
		after = fabsf(ol[i]) > after ? fabsf(ol[i]) : after;
	CHECK_MSG(after == 0.0f, "output %g 100 ms after panic", (double)after);
	CHECK(h_track(e, 0).state == FL_TRACK_STOPPED);
	CHECK(h_track(e, 0).length_frames == len); /* the loop is kept */
	double db = fl_splatter_db(ol, pre + len, pre - 2400, pre + 4800, 1000.0, H_RATE);
	printf("panic: silent after 100 ms, fade splatter %.1f dBFS\n", db);
	CHECK(db <= -60.0);
	send_cmd(e, FL_CMD_PANIC, 0, 0, 0, NULL);
	h_run(e, NULL, out, len, 64, NULL, 0, 0);
	CHECK(h_track(e, 0).state == FL_TRACK_PLAYING);
	float back = 0.0f;
	for (uint64_t i = len / 2; i < len; i++)
		back = fabsf(ol[i]) > back ? fabsf(ol[i]) : back;
	CHECK(back > 0.25f);
	free(l);
	free(r);
	free(ol);
	free(orr);
	h_free(e);
}

int
main(void)
{
	test_limiter_in_path();
	test_latency_includes_limiter();
	test_slots_sends_input_chain();
	test_panic();
	return fl_check_summary("test_engine_fx");
}
