/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The effect slot (src/dsp/fx.h): parameter tables, text parsing, create at
 * 44.1/48/96 kHz, set/get with clamping, every parameter at min/max/default
 * on a noise burst (finite, no subnormals, no allocation), click-free bypass
 * (non-time effects: splatter <= -65 dBFS on a 100 Hz sine through a 1 kHz
 * HPF; time effects: dry path continuous and the tail spills over), tempo
 * sync through the slot, block-size invariance (1, 64, 1000, 4096) and the
 * docs listing every parameter; the gate and filter slots over their
 * kernels (closed/open levels and meter; LP/HP responses and the mix). */
#include "check.h"
#include "dsp/fx.h"
#include "measure.h"
#include "measure_time.h"
#include "rt_guard.h"
#include "splatter.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE 48000.0f
#define SEC 48000u
#define NMAX (3u * SEC)

static float *il, *ir, *ol, *orr, *rl, *rr;
static bool supported[FL_FX__COUNT];

static bool
is_time(enum fl_fx_type t)
{
	return t == FL_FX_DELAY || t == FL_FX_PLATE || t == FL_FX_ROOM || t == FL_FX_HALL;
}

/* Processes [from, from + n) of il/ir into ol/orr in blocks, RT-guarded. */
static void
run(struct fl_fx *fx, size_t from, size_t n, uint32_t block)
{
	fl_rt_guard_enter();
	for (size_t i = 0; i < n; i += block) {
		uint32_t m = (uint32_t)(n - i < block ? n - i : block);
		fl_fx_process(fx, il + from + i, ir + from + i, ol + from + i, orr + from + i, m);
	}
	fl_rt_guard_leave();
}

static void
test_tables(void)
{
	CHECK(fl_fx_type_from_name("nope") == -1);
	CHECK(fl_fx_type_from_name(NULL) == -1);
	CHECK(fl_fx_type_name(FL_FX__COUNT) == NULL);
	CHECK(fl_fx_param_count(FL_FX_NONE) == 0);
	for (int t = FL_FX_EQ; t < FL_FX__COUNT; t++) {
		const char *name = fl_fx_type_name((enum fl_fx_type)t);
		CHECK(name && fl_fx_type_from_name(name) == t);
		uint32_t n = fl_fx_param_count((enum fl_fx_type)t);
		CHECK_MSG(n >= 1 && n <= 16, "%s has %u parameters", name, n);
		CHECK(fl_fx_param_info((enum fl_fx_type)t, n) == NULL);
		CHECK(fl_fx_param_index((enum fl_fx_type)t, "no_such_param") == -1);
		bool has_mix = false;
		for (uint32_t i = 0; i < n; i++) {
			const struct fl_fx_param_info *p = fl_fx_param_info((enum fl_fx_type)t, i);
			CHECK(p && p->name && p->doc && *p->doc);
			CHECK_MSG(strspn(p->name, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(p->name),
			          "%s.%s", name, p->name);
			CHECK_MSG(fl_fx_param_index((enum fl_fx_type)t, p->name) == (int)i, "%s.%s", name,
			          p->name);
			CHECK_MSG(p->min < p->max && p->def >= p->min && p->def <= p->max, "%s.%s", name,
			          p->name);
			if (p->unit == FL_FX_UNIT_CHOICE) {
				int c = 0;
				while (p->choices && p->choices[c])
					c++;
				CHECK_MSG(p->min == 0.0f && (float)(c - 1) == p->max, "%s.%s: %d choices", name,
				          p->name, c);
			}
			if (p->unit == FL_FX_UNIT_BOOL)
				CHECK(p->min == 0.0f && p->max == 1.0f);
			has_mix |= strcmp(p->name, "mix") == 0;
		}
		CHECK_MSG(has_mix || t == FL_FX_EQ || t == FL_FX_GATE, "%s has no mix", name);
	}
}

struct parse_case {
	enum fl_fx_type t;
	const char *param, *text;
	enum fl_status st;
	float value;       ///< expected when FL_OK
	const char *msg;   ///< substring of the message when not FL_OK
};

static const struct parse_case parse_cases[] = {
	{FL_FX_EQ, "peak1_gain_db", "-6", FL_OK, -6.0f, NULL},
	{FL_FX_EQ, "peak1_gain_db", " -6 dB ", FL_OK, -6.0f, NULL},
	{FL_FX_EQ, "peak1_hz", "2.5k", FL_OK, 2500.0f, NULL},
	{FL_FX_EQ, "peak1_hz", "2.5kHz", FL_OK, 2500.0f, NULL},
	{FL_FX_EQ, "low_cut", "on", FL_OK, 1.0f, NULL},
	{FL_FX_EQ, "high_cut", "OFF", FL_OK, 0.0f, NULL},
	{FL_FX_EQ, "low_cut", "maybe", FL_ERR_BAD_ARG, 0, "eq.low_cut: 'maybe' is not on/off"},
	{FL_FX_EQ, "peak1_hz", "50k", FL_ERR_RANGE, 0, "eq.peak1_hz: 50000 Hz is outside 20..20000 Hz"},
	{FL_FX_EQ, "peak1_gain_db", "loud", FL_ERR_BAD_ARG, 0, "'loud' is not a number"},
	{FL_FX_EQ, "peak1_gain_db", "6 Hz", FL_ERR_BAD_ARG, 0, "unexpected 'Hz' after the number (unit dB)"},
	{FL_FX_EQ, "peak1_gain_db", "nan", FL_ERR_RANGE, 0, "not a finite number"},
	{FL_FX_EQ, "peak1_gain_db", "", FL_ERR_BAD_ARG, 0, "empty value"},
	{FL_FX_DELAY, "note", "1/8d", FL_OK, 7.0f, NULL},
	{FL_FX_DELAY, "note", "1/4T", FL_OK, 5.0f, NULL},
	{FL_FX_DELAY, "note", "3", FL_OK, 3.0f, NULL},
	{FL_FX_DELAY, "note", "1/64", FL_ERR_BAD_ARG, 0, "'1/64' is not one of 1/1..1/32"},
	{FL_FX_DELAY, "note", "13", FL_ERR_RANGE, 0, "outside"},
	{FL_FX_DELAY, "time_ms", "1.5s", FL_OK, 1500.0f, NULL},
	{FL_FX_DELAY, "time_ms", "375 ms", FL_OK, 375.0f, NULL},
	{FL_FX_DELAY, "time_ms", "5s", FL_ERR_RANGE, 0, "outside 1..4000 ms"},
	{FL_FX_DELAY, "mix", "50%", FL_OK, 0.5f, NULL},
	{FL_FX_DELAY, "mix", "0.25", FL_OK, 0.25f, NULL},
	{FL_FX_DELAY, "mix", "50", FL_ERR_RANGE, 0, "0%..100%"},
	{FL_FX_PLATE, "decay_s", "2500ms", FL_OK, 2.5f, NULL},
	{FL_FX_PLATE, "freeze", "yes", FL_OK, 1.0f, NULL},
	{FL_FX_COMPRESSOR, "ratio", "4:1", FL_OK, 4.0f, NULL},
	{FL_FX_COMPRESSOR, "ratio", "0.5", FL_ERR_RANGE, 0, "compressor.ratio"},
	{FL_FX_FILTER, "mode", "bandpass", FL_OK, 2.0f, NULL},
	{FL_FX_FILTER, "mode", "notch", FL_ERR_BAD_ARG, 0, "lowpass..bandpass"},
};

static void
test_parse(void)
{
	char err[160];
	for (size_t c = 0; c < sizeof parse_cases / sizeof parse_cases[0]; c++) {
		const struct parse_case *pc = &parse_cases[c];
		int i = fl_fx_param_index(pc->t, pc->param);
		CHECK_MSG(i >= 0, "%s", pc->param);
		if (i < 0)
			continue;
		float v = -12345.0f;
		err[0] = '\0';
		enum fl_status st = fl_fx_param_parse(pc->t, (uint32_t)i, pc->text, &v, err, sizeof err);
		CHECK_MSG(st == pc->st, "'%s' for %s: status %d, message '%s'", pc->text, pc->param, st, err);
		if (pc->st == FL_OK)
			CHECK_MSG(fabsf(v - pc->value) <= 1e-6f * fabsf(pc->value), "'%s' -> %g", pc->text,
			          (double)v);
		else
			CHECK_MSG(strstr(err, pc->msg) != NULL, "'%s': message '%s' lacks '%s'", pc->text,
			          err, pc->msg);
	}
	float v = 0.0f;
	CHECK(fl_fx_param_parse(FL_FX_EQ, 99, "1", &v, err, sizeof err) == FL_ERR_RANGE);
	CHECK(strstr(err, "eq: no parameter 99") != NULL);
	CHECK(fl_fx_param_parse(FL_FX_EQ, 0, "on", &v, NULL, 0) == FL_OK); /* err optional */
	char buf[32];
	fl_fx_param_format(FL_FX_DELAY, (uint32_t)fl_fx_param_index(FL_FX_DELAY, "note"), 7.0f, buf,
	                   sizeof buf);
	CHECK(strcmp(buf, "1/8d") == 0);
	fl_fx_param_format(FL_FX_DELAY, (uint32_t)fl_fx_param_index(FL_FX_DELAY, "mix"), 0.3f, buf,
	                   sizeof buf);
	CHECK(strcmp(buf, "30 %") == 0);
}

static void
test_create_and_params(void)
{
	struct fl_fx *fx = (struct fl_fx *)1;
	CHECK(fl_fx_create(FL_FX_NONE, RATE, &fx) == FL_ERR_BAD_ARG && fx == NULL);
	CHECK(fl_fx_create(FL_FX__COUNT, RATE, &fx) == FL_ERR_BAD_ARG);
	CHECK(fl_fx_create(FL_FX_DELAY, 0.0f, &fx) == FL_ERR_RANGE);
	CHECK(fl_fx_create(FL_FX_DELAY, NAN, &fx) == FL_ERR_RANGE);
	CHECK(fl_fx_create(FL_FX_DELAY, RATE, NULL) == FL_ERR_BAD_ARG);
	fl_fx_free(NULL);
	static const float rates[3] = {44100.0f, 48000.0f, 96000.0f};
	for (int t = FL_FX_EQ; t < FL_FX__COUNT; t++) {
		const char *name = fl_fx_type_name((enum fl_fx_type)t);
		enum fl_status st = fl_fx_create((enum fl_fx_type)t, RATE, &fx);
		CHECK_MSG(st == FL_OK, "%s: %s", name, fl_strerror(st));
		if (st != FL_OK)
			continue;
		supported[t] = true;
		CHECK((int)fl_fx_type(fx) == t && fl_fx_latency(fx) == 0);
		uint32_t n = fl_fx_param_count((enum fl_fx_type)t);
		fl_rt_guard_enter();
		for (uint32_t i = 0; i < n; i++) {
			const struct fl_fx_param_info *p = fl_fx_param_info((enum fl_fx_type)t, i);
			CHECK_MSG(fl_fx_get_param(fx, i) == p->def, "%s.%s default", name, p->name);
			fl_fx_set_param(fx, i, p->max + 100.0f);
			CHECK_MSG(fl_fx_get_param(fx, i) == p->max, "%s.%s clamp max", name, p->name);
			fl_fx_set_param(fx, i, NAN);
			fl_fx_set_param(fx, i, INFINITY);
			CHECK_MSG(fl_fx_get_param(fx, i) == p->max, "%s.%s NaN/Inf ignored", name, p->name);
			fl_fx_set_param(fx, i, p->min - 100.0f);
			CHECK_MSG(fl_fx_get_param(fx, i) == p->min, "%s.%s clamp min", name, p->name);
			fl_fx_set_param(fx, i, p->def);
			CHECK(fl_fx_get_param(fx, i) == p->def);
			if (p->unit == FL_FX_UNIT_BOOL) {
				fl_fx_set_param(fx, i, 0.7f);
				CHECK(fl_fx_get_param(fx, i) == 1.0f);
				fl_fx_set_param(fx, i, p->def);
			}
		}
		fl_fx_set_param(fx, n, 1.0f); /* ignored */
		CHECK(isnan(fl_fx_get_param(fx, n)));
		fl_rt_guard_leave();
		fl_fx_free(fx);
		for (int r = 0; r < 3; r++) {
			CHECK_MSG(fl_fx_create((enum fl_fx_type)t, rates[r], &fx) == FL_OK, "%s at %g", name,
			          (double)rates[r]);
			if (!fx)
				continue;
			fl_gen_white(il, SEC / 10, 0.5, 7u + (uint64_t)r);
			memcpy(ir, il, SEC / 10 * sizeof *il);
			run(fx, 0, SEC / 10, 64);
			CHECK(isfinite(fl_peak(ol, SEC / 10)) && isfinite(fl_peak(orr, SEC / 10)));
			fl_fx_free(fx);
		}
	}
}

/* Every parameter at its min, its max, or its default; a 0.2 s noise burst
 * then 1 s of silence, with a NaN in the burst. */
static void
test_extremes(void)
{
	size_t n = 6 * SEC / 5, burst = SEC / 5;
	for (int t = FL_FX_EQ; t < FL_FX__COUNT; t++) {
		if (!supported[t])
			continue;
		const char *name = fl_fx_type_name((enum fl_fx_type)t);
		for (int cfg = 0; cfg < 3; cfg++) {
			struct fl_fx *fx = NULL;
			CHECK(fl_fx_create((enum fl_fx_type)t, RATE, &fx) == FL_OK);
			if (!fx)
				continue;
			fl_fx_set_tempo(fx, 2 * SEC, 4);
			fl_rt_guard_enter();
			for (uint32_t i = 0; i < fl_fx_param_count((enum fl_fx_type)t); i++) {
				const struct fl_fx_param_info *p = fl_fx_param_info((enum fl_fx_type)t, i);
				fl_fx_set_param(fx, i, cfg == 0 ? p->min : (cfg == 1 ? p->max : p->def));
			}
			fl_rt_guard_leave();
			fl_gen_white(il, burst, 0.7, 11u);
			fl_gen_white(ir, burst, 0.7, 12u);
			memset(il + burst, 0, (n - burst) * sizeof *il);
			memset(ir + burst, 0, (n - burst) * sizeof *ir);
			il[100] = NAN;
			run(fx, 0, n, 64);
			size_t bad = 0; /* a kernel may take up to one block to recover */
			for (size_t i = 164; i < n; i++)
				bad += !isfinite(ol[i]) || !isfinite(orr[i]) || fabsf(ol[i]) > 64.0f ||
				       fabsf(orr[i]) > 64.0f;
			size_t sub = fl_mt_subnormals(ol, n) + fl_mt_subnormals(orr, n);
			CHECK_MSG(bad == 0 && sub == 0, "%s cfg %s: %zu bad samples after the NaN, %zu subnormals",
			          name, cfg == 0 ? "min" : (cfg == 1 ? "max" : "default"), bad, sub);
			fl_fx_free(fx);
		}
	}
}

/* Non-time effects: bypass on at 1.0 s, off at 1.5 s on a 100 Hz sine. */
static double
bypass_splatter(enum fl_fx_type t, const char *param, float value)
{
	struct fl_fx *fx = NULL;
	if (fl_fx_create(t, RATE, &fx) != FL_OK)
		return 0.0;
	if (param)
		fl_fx_set_param(fx, (uint32_t)fl_fx_param_index(t, param), value);
	fl_fx_reset(fx);
	size_t n = 2 * SEC;
	fl_gen_sine(il, n, 100.0, RATE, 0.5, 0.0);
	memcpy(ir, il, n * sizeof *il);
	run(fx, 0, SEC, 64);
	fl_fx_set_bypass(fx, true);
	CHECK(fl_fx_get_bypass(fx));
	run(fx, SEC, SEC / 2, 64);
	/* fully bypassed: a bit-exact copy */
	CHECK(memcmp(ol + SEC + SEC / 4, il + SEC + SEC / 4, SEC / 4 * sizeof *ol) == 0);
	fl_fx_set_bypass(fx, false);
	run(fx, SEC + SEC / 2, SEC / 2, 64);
	fl_fx_free(fx);
	double l = fl_splatter_db(ol, n, SEC / 2, n, 1000.0, RATE);
	double r = fl_splatter_db(orr, n, SEC / 2, n, 1000.0, RATE);
	return fmax(l, r);
}

static void
test_bypass_crossfade(void)
{
	static const struct {
		enum fl_fx_type t;
		const char *param;
		float value;
	} cases[] = {
		{FL_FX_EQ, "low_shelf_gain_db", 12.0f}, {FL_FX_EQ, "peak1_gain_db", -24.0f},
		{FL_FX_CHORUS, NULL, 0}, {FL_FX_CHORUS, "mix", 1.0f}, {FL_FX_FLANGER, NULL, 0},
		{FL_FX_FLANGER, "mix", 1.0f}, {FL_FX_COMPRESSOR, "threshold_db", -40.0f},
		{FL_FX_GATE, NULL, 0}, {FL_FX_FILTER, "cutoff_hz", 200.0f},
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		if (!supported[cases[c].t])
			continue;
		double s = bypass_splatter(cases[c].t, cases[c].param, cases[c].value);
		printf("fx bypass: %-8s %s=%g: splatter %.1f dBFS\n", fl_fx_type_name(cases[c].t),
		       cases[c].param ? cases[c].param : "default", (double)cases[c].value, s);
		CHECK(s <= -65.0);
	}
}

/* Time effects: the wet path starts late (delay 1 s, reverb pre-delay
 * 250 ms), so the window around the bypass holds only the dry change. */
static void
test_bypass_spillover(void)
{
	for (int t = FL_FX_EQ; t < FL_FX__COUNT; t++) {
		if (!supported[t] || !is_time((enum fl_fx_type)t))
			continue;
		enum fl_fx_type ty = (enum fl_fx_type)t;
		struct fl_fx *fx = NULL;
		CHECK(fl_fx_create(ty, RATE, &fx) == FL_OK);
		if (!fx)
			continue;
		bool dl = ty == FL_FX_DELAY;
		fl_fx_set_param(fx, (uint32_t)fl_fx_param_index(ty, dl ? "time_ms" : "predelay_ms"),
		                dl ? 1000.0f : 250.0f);
		fl_fx_set_param(fx, (uint32_t)fl_fx_param_index(ty, "mix"), 0.5f);
		fl_fx_reset(fx);
		size_t n = 3 * SEC, on = dl ? SEC / 2 : SEC / 8, end = dl ? SEC - 100 : SEC / 4 - 100;
		fl_gen_sine(il, n, 100.0, RATE, 0.5, 0.0);
		memcpy(ir, il, n * sizeof *il);
		run(fx, 0, on, 64);
		fl_fx_set_bypass(fx, true);
		run(fx, on, n - on, 64);
		double s = fl_splatter_db(ol, n, SEC / 20, end, 1000.0, RATE);
		/* spill-over: the tail (output minus the unity dry path) goes on */
		for (size_t i = 0; i < n; i++)
			rl[i] = ol[i] - il[i];
		double tail = fl_rms(rl + (dl ? SEC + SEC / 10 : on + 2 * SEC / 5), SEC / 4);
		printf("fx bypass: %-5s dry-path splatter %.1f dBFS, tail after bypass %.1f dBFS rms\n",
		       fl_fx_type_name(ty), s, fl_lin_to_db(tail));
		CHECK(s <= -65.0);
		CHECK(tail > 1e-3);
		fl_fx_free(fx);
	}
}

/* Synced delay: an impulse comes back at exactly cycle * beats(note) /
 * beats_per_cycle frames; free time when no tempo is known. */
static void
test_tempo_sync(void)
{
	struct fl_fx *fx = NULL;
	CHECK(fl_fx_create(FL_FX_DELAY, RATE, &fx) == FL_OK);
	if (!fx)
		return;
	fl_fx_set_param(fx, (uint32_t)fl_fx_param_index(FL_FX_DELAY, "mix"), 1.0f);
	fl_fx_set_param(fx, (uint32_t)fl_fx_param_index(FL_FX_DELAY, "time_ms"), 250.0f);
	fl_fx_set_param(fx, (uint32_t)fl_fx_param_index(FL_FX_DELAY, "sync"), 1.0f);
	fl_fx_set_param(fx, (uint32_t)fl_fx_param_index(FL_FX_DELAY, "note"), 7.0f); /* 1/8d */
	fl_fx_reset(fx);
	size_t n = SEC;
	memset(il, 0, n * sizeof *il);
	memset(ir, 0, n * sizeof *ir);
	il[0] = ir[0] = 0.25f; /* below the feedback soft clip */
	run(fx, 0, n, 64); /* no tempo yet: 250 ms */
	CHECK(fabsf(ol[12000] - 0.25f) < 1e-6f);
	fl_fx_set_tempo(fx, 96001, 4); /* a beat 24000.25 frames: 1/8d = 18000.1875 -> 18000 */
	fl_fx_reset(fx);
	run(fx, 0, n, 64);
	size_t at = 0;
	for (size_t i = 1; i < n; i++)
		if (fabsf(ol[i]) > fabsf(ol[at]))
			at = i;
	printf("fx sync: 1/8d at a 96001-frame 4-beat cycle: first echo at frame %zu\n", at);
	CHECK(at == 18000 && fabsf(ol[at] - 0.25f) < 1e-6f);
	CHECK(fl_fx_read_meter(fx) == 0.0f); /* not a dynamics type */
	fl_fx_free(fx);
	/* synced chorus: still finite and moving */
	CHECK(fl_fx_create(FL_FX_CHORUS, RATE, &fx) == FL_OK);
	if (!fx)
		return;
	fl_fx_set_tempo(fx, 96000, 4);
	fl_fx_set_param(fx, (uint32_t)fl_fx_param_index(FL_FX_CHORUS, "sync"), 1.0f);
	fl_gen_sine(il, n, 440.0, RATE, 0.5, 0.0);
	memcpy(ir, il, n * sizeof *il);
	run(fx, 0, n, 64);
	CHECK(isfinite(fl_peak(ol, n)) && fl_peak(ol, n) > 0.3);
	fl_fx_free(fx);
}

/* Identical output for blocks of 1, 64, 1000 and 4096 frames, with bypass
 * and a parameter change at fixed frames (blocks are split there). */
static void
test_block_invariance(void)
{
	static const uint32_t blocks[4] = {1, 64, 1000, 4096};
	static const size_t ev[3] = {12000, 30000, 41000};
	size_t n = SEC + SEC / 3;
	for (int t = FL_FX_EQ; t < FL_FX__COUNT; t++) {
		if (!supported[t])
			continue;
		enum fl_fx_type ty = (enum fl_fx_type)t;
		for (int b = 0; b < 4; b++) {
			struct fl_fx *fx = NULL;
			CHECK(fl_fx_create(ty, RATE, &fx) == FL_OK);
			if (!fx)
				break;
			fl_fx_set_tempo(fx, 100000, 4);
			fl_gen_white(il, n, 0.5, 21u);
			fl_gen_white(ir, n, 0.5, 22u);
			size_t pos = 0;
			for (int e = 0; e <= 3; e++) {
				size_t stop = e < 3 ? ev[e] : n;
				while (pos < stop) {
					size_t m = stop - pos < blocks[b] ? stop - pos : blocks[b];
					run(fx, pos, m, blocks[b]);
					pos += m;
				}
				if (e == 0 || e == 2)
					fl_fx_set_bypass(fx, e == 0);
				else if (e == 1)
					fl_fx_set_param(fx, fl_fx_param_count(ty) - 1u, 0.8f);
			}
			if (b == 0) {
				memcpy(rl, ol, n * sizeof *ol);
				memcpy(rr, orr, n * sizeof *orr);
			} else {
				CHECK_MSG(memcmp(rl, ol, n * sizeof *ol) == 0 && memcmp(rr, orr, n * sizeof *orr) == 0,
				          "%s: blocks of %u differ from blocks of 1", fl_fx_type_name(ty), blocks[b]);
			}
			fl_fx_free(fx);
		}
	}
}

/* Compressor through the slot: the meter reports the reduction. */
static void
test_meter(void)
{
	struct fl_fx *fx = NULL;
	if (!supported[FL_FX_COMPRESSOR] || fl_fx_create(FL_FX_COMPRESSOR, RATE, &fx) != FL_OK)
		return;
	size_t n = SEC / 2;
	fl_gen_sine(il, n, 1000.0, RATE, 0.5, 0.0); /* -6 dBFS peak, threshold -18 at 4:1 */
	memcpy(ir, il, n * sizeof *il);
	run(fx, 0, n, 64);
	float gr = fl_fx_read_meter(fx), again = fl_fx_read_meter(fx);
	printf("fx meter: compressor on a -6 dBFS sine: %.2f dB reduction\n", (double)gr);
	CHECK(gr < -5.0f && gr > -12.0f);
	CHECK(again <= 0.0f && again >= gr);
	fl_fx_free(fx);
}

/* docs/effects.md documents every type and parameter of the tables. */
static void
test_docs(void)
{
	FILE *f = fopen(FL_SOURCE_DIR "/docs/effects.md", "rb");
	CHECK_MSG(f != NULL, "docs/effects.md missing");
	if (!f)
		return;
	static char doc[1 << 17];
	size_t len = fread(doc, 1, sizeof doc - 1, f);
	doc[len] = '\0';
	fclose(f);
	for (int t = FL_FX_EQ; t < FL_FX__COUNT; t++) {
		char key[96];
		snprintf(key, sizeof key, "## %s", fl_fx_type_name((enum fl_fx_type)t));
		CHECK_MSG(strstr(doc, key) != NULL, "docs lack '%s'", key);
		for (uint32_t i = 0; i < fl_fx_param_count((enum fl_fx_type)t); i++) {
			snprintf(key, sizeof key, "| `%s` |", fl_fx_param_info((enum fl_fx_type)t, i)->name);
			CHECK_MSG(strstr(doc, key) != NULL, "docs lack %s %s", fl_fx_type_name((enum fl_fx_type)t), key);
		}
	}
}

static char *
trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* One "key = value" line of a preset; returns false with a message. */
static bool
preset_line(int *slot_type, char *key, char *val, char *err, size_t errlen)
{
	if (strcmp(key, "description") == 0)
		return true;
	unsigned n = 0;
	int used = 0;
	if (sscanf(key, "slot%u%n", &n, &used) != 1 || n < 1 || n > 4) {
		snprintf(err, errlen, "unknown key '%s'", key);
		return false;
	}
	const char *rest = key + used;
	if (*rest == '\0') {
		slot_type[n - 1] = fl_fx_type_from_name(val);
		if (slot_type[n - 1] <= FL_FX_NONE)
			snprintf(err, errlen, "unknown effect type '%s'", val);
		return slot_type[n - 1] > FL_FX_NONE;
	}
	if (*rest != '.' || slot_type[n - 1] <= FL_FX_NONE) {
		snprintf(err, errlen, "'%s' before slot%u names a type", key, n);
		return false;
	}
	enum fl_fx_type t = (enum fl_fx_type)slot_type[n - 1];
	float v;
	if (strcmp(rest + 1, "bypass") == 0)
		return fl_fx_param_parse(FL_FX_EQ, 0, val, &v, err, errlen) == FL_OK; /* a bool */
	int i = fl_fx_param_index(t, rest + 1);
	if (i < 0) {
		snprintf(err, errlen, "%s has no parameter '%s'", fl_fx_type_name(t), rest + 1);
		return false;
	}
	return fl_fx_param_parse(t, (uint32_t)i, val, &v, err, errlen) == FL_OK;
}

/* config/fx-presets.conf follows the format documented in docs/effects.md. */
static void
test_presets(void)
{
	FILE *f = fopen(FL_SOURCE_DIR "/config/fx-presets.conf", "r");
	CHECK_MSG(f != NULL, "config/fx-presets.conf missing");
	if (!f)
		return;
	char line[256], err[200];
	int lineno = 0, presets = 0, keys = 0, slot_type[4] = {0};
	while (fgets(line, sizeof line, f)) {
		lineno++;
		char *s = trim(line);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			CHECK_MSG(strncmp(s, "[preset.", 8) == 0 && s[strlen(s) - 1] == ']', "line %d: %s",
			          lineno, s);
			memset(slot_type, 0, sizeof slot_type);
			presets++;
			continue;
		}
		char *eq = strchr(s, '=');
		CHECK_MSG(eq != NULL && presets > 0, "line %d: '%s' is not key = value in a preset", lineno, s);
		if (!eq)
			continue;
		*eq = '\0';
		err[0] = '\0';
		bool ok = preset_line(slot_type, trim(s), trim(eq + 1), err, sizeof err);
		CHECK_MSG(ok, "fx-presets.conf:%d: %s", lineno, err);
		keys++;
	}
	fclose(f);
	printf("fx presets: %d presets, %d keys checked\n", presets, keys);
	CHECK(presets >= 5 && keys >= 40);
}

static void
set(struct fl_fx *fx, const char *param, float v)
{
	int i = fl_fx_param_index(fl_fx_type(fx), param);
	CHECK_MSG(i >= 0, "%s", param);
	if (i >= 0)
		fl_fx_set_param(fx, (uint32_t)i, v);
}

/* The gate slot closes on a signal under close_db (down to range_db) and
 * passes one above open_db exactly; its meter reads the closed gain. */
static void
test_gate_slot(void)
{
	struct fl_fx *fx = NULL;
	CHECK(fl_fx_create(FL_FX_GATE, RATE, &fx) == FL_OK);
	if (!fx)
		return;
	set(fx, "open_db", -30.0f);
	set(fx, "close_db", -36.0f);
	set(fx, "range_db", -60.0f);
	fl_gen_sine(il, SEC, 440.0, RATE, 0.001, 0.0); /* -60 dBFS: closed */
	fl_gen_sine(il + SEC, SEC, 440.0, RATE, 0.5, 0.0); /* -6 dBFS: open */
	memcpy(ir, il, 2 * SEC * sizeof *il);
	run(fx, 0, SEC, 64);
	double closed_db = fl_lin_to_db(fl_peak(ol + SEC / 2, SEC / 2)) - fl_lin_to_db(0.001);
	float meter = fl_fx_read_meter(fx);
	run(fx, SEC, SEC, 64);
	double open_err = 0.0;
	for (size_t i = SEC + SEC / 2; i < 2 * SEC; i++)
		open_err = fmax(open_err, fabs((double)ol[i] - (double)il[i]));
	printf("fx gate: closed %.1f dB (meter %.1f dB), open max error %g\n", closed_db,
	       (double)meter, open_err);
	CHECK(closed_db < -59.0 && closed_db > -61.0);
	CHECK(meter < -59.0f);
	CHECK(open_err < 1e-6);
	(void)fl_fx_read_meter(fx); /* includes the opening */
	run(fx, SEC + SEC / 2, SEC / 2, 64);
	CHECK(fl_fx_read_meter(fx) > -0.01f);
	fl_fx_free(fx);
}

/* The filter slot: a low-pass at 500 Hz passes 100 Hz and cuts 8 kHz; the
 * high-pass mode the other way round; mix 0 is the dry signal again. */
static double
filter_gain_db(struct fl_fx *fx, double hz)
{
	fl_gen_sine(il, SEC, hz, RATE, 0.5, 0.0);
	memcpy(ir, il, SEC * sizeof *il);
	run(fx, 0, SEC, 64);
	return fl_lin_to_db(fl_rms(ol + SEC / 2, SEC / 2) / fl_rms(il + SEC / 2, SEC / 2));
}

static void
test_filter_slot(void)
{
	struct fl_fx *fx = NULL;
	CHECK(fl_fx_create(FL_FX_FILTER, RATE, &fx) == FL_OK);
	if (!fx)
		return;
	set(fx, "cutoff_hz", 500.0f);
	set(fx, "resonance", 0.0f);
	double lp_lo = filter_gain_db(fx, 100.0), lp_hi = filter_gain_db(fx, 8000.0);
	set(fx, "mode", 1.0f);
	double hp_lo = filter_gain_db(fx, 100.0), hp_hi = filter_gain_db(fx, 8000.0);
	set(fx, "mix", 0.0f);
	double dry = filter_gain_db(fx, 100.0);
	printf("fx filter 500 Hz: LP 100 Hz %.2f dB, 8 kHz %.1f dB; HP 100 Hz %.1f dB, 8 kHz %.2f dB; "
	       "mix 0 %.3f dB\n", lp_lo, lp_hi, hp_lo, hp_hi, dry);
	CHECK(lp_lo > -1.0 && lp_hi < -40.0);
	CHECK(hp_lo < -20.0 && hp_hi > -1.0);
	CHECK(fabs(dry) < 0.01);
	fl_fx_free(fx);
}

int
main(void)
{
	il = calloc(NMAX, sizeof *il);
	ir = calloc(NMAX, sizeof *ir);
	ol = calloc(NMAX, sizeof *ol);
	orr = calloc(NMAX, sizeof *orr);
	rl = calloc(NMAX, sizeof *rl);
	rr = calloc(NMAX, sizeof *rr);
	if (!il || !ir || !ol || !orr || !rl || !rr)
		return 1;
	CHECK(fl_rt_guard_active());
	test_tables();
	test_parse();
	test_create_and_params();
	test_extremes();
	test_bypass_crossfade();
	test_bypass_spillover();
	test_tempo_sync();
	test_block_invariance();
	test_meter();
	test_gate_slot();
	test_filter_slot();
	test_docs();
	test_presets();
	free(il);
	free(ir);
	free(ol);
	free(orr);
	free(rl);
	free(rr);
	return fl_check_summary("test_dsp_fx");
}
