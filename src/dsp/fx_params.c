/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parameter tables of the effect slot types, and text parsing/formatting.
 * The ranges are the ones the kernels accept (so a clamped value is also
 * what the kernel uses); docs/effects.md and config/fx-presets.conf follow
 * these tables, and test_dsp_fx checks the docs mention every parameter. */
#include "dsp/fx.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define P_BOOL(n, d, doc) {n, FL_FX_UNIT_BOOL, 0.0f, 1.0f, d, NULL, doc}
#define P_MIX(d) {"mix", FL_FX_UNIT_PERCENT, 0.0f, 1.0f, d, NULL, "wet share: 0 dry only, 1 wet only"}

/* Same order as enum fl_note (dsp/delay.h): the value is the enum. */
static const char *const note_names[] = {"1/1",  "1/2",  "1/2d",  "1/4",   "1/4d", "1/4t", "1/8",
                                         "1/8d", "1/8t", "1/16", "1/16d", "1/16t", "1/32", NULL};
static const char *const filter_modes[] = {"lowpass", "highpass", "bandpass", NULL};

static const struct fl_fx_param_info eq_params[] = {
	P_BOOL("low_cut", 0.0f, "low cut (12 dB/oct high-pass) on/off"),
	{"low_cut_hz", FL_FX_UNIT_HZ, 10.0f, 1000.0f, 80.0f, NULL, "low cut frequency"},
	{"low_shelf_hz", FL_FX_UNIT_HZ, 20.0f, 1000.0f, 100.0f, NULL, "low shelf corner"},
	{"low_shelf_gain_db", FL_FX_UNIT_DB, -24.0f, 24.0f, 0.0f, NULL, "low shelf gain"},
	{"peak1_hz", FL_FX_UNIT_HZ, 20.0f, 20000.0f, 500.0f, NULL, "peak 1 centre"},
	{"peak1_gain_db", FL_FX_UNIT_DB, -24.0f, 24.0f, 0.0f, NULL, "peak 1 gain"},
	{"peak1_q", FL_FX_UNIT_LINEAR, 0.1f, 10.0f, 1.0f, NULL, "peak 1 Q (bandwidth; higher is narrower)"},
	{"peak2_hz", FL_FX_UNIT_HZ, 20.0f, 20000.0f, 2500.0f, NULL, "peak 2 centre"},
	{"peak2_gain_db", FL_FX_UNIT_DB, -24.0f, 24.0f, 0.0f, NULL, "peak 2 gain"},
	{"peak2_q", FL_FX_UNIT_LINEAR, 0.1f, 10.0f, 1.0f, NULL, "peak 2 Q (bandwidth; higher is narrower)"},
	{"high_shelf_hz", FL_FX_UNIT_HZ, 1000.0f, 20000.0f, 8000.0f, NULL, "high shelf corner"},
	{"high_shelf_gain_db", FL_FX_UNIT_DB, -24.0f, 24.0f, 0.0f, NULL, "high shelf gain"},
	P_BOOL("high_cut", 0.0f, "high cut (12 dB/oct low-pass) on/off"),
	{"high_cut_hz", FL_FX_UNIT_HZ, 1000.0f, 22000.0f, 12000.0f, NULL, "high cut frequency (at most 0.49 of the rate)"},
};

static const struct fl_fx_param_info comp_params[] = {
	{"threshold_db", FL_FX_UNIT_DB, -60.0f, 0.0f, -18.0f, NULL, "level where compression starts (centre of the knee)"},
	{"ratio", FL_FX_UNIT_RATIO, 1.0f, 20.0f, 4.0f, NULL, "input dB above threshold per output dB"},
	{"knee_db", FL_FX_UNIT_DB, 0.0f, 24.0f, 6.0f, NULL, "soft knee width"},
	{"attack_ms", FL_FX_UNIT_MS, 0.1f, 100.0f, 10.0f, NULL, "gain reduction time constant"},
	{"release_ms", FL_FX_UNIT_MS, 10.0f, 2000.0f, 150.0f, NULL, "recovery time constant"},
	{"makeup_db", FL_FX_UNIT_DB, -12.0f, 24.0f, 0.0f, NULL, "gain after compression"},
	P_MIX(1.0f),
};

static const struct fl_fx_param_info gate_params[] = {
	{"open_db", FL_FX_UNIT_DB, -80.0f, 0.0f, -50.0f, NULL, "level that opens the gate"},
	{"close_db", FL_FX_UNIT_DB, -90.0f, 0.0f, -56.0f, NULL, "level that closes it (at most open_db; at most 20 dB under it)"},
	{"hold_ms", FL_FX_UNIT_MS, 0.0f, 500.0f, 20.0f, NULL, "time held open after the level drops"},
	{"attack_ms", FL_FX_UNIT_MS, 0.1f, 10.0f, 1.0f, NULL, "opening time"},
	{"release_ms", FL_FX_UNIT_MS, 10.0f, 1000.0f, 100.0f, NULL, "closing time"},
	{"range_db", FL_FX_UNIT_DB, -90.0f, 0.0f, -80.0f, NULL, "attenuation when closed"},
};

static const struct fl_fx_param_info filter_params[] = {
	{"mode", FL_FX_UNIT_CHOICE, 0.0f, 2.0f, 0.0f, filter_modes, "lowpass, highpass or bandpass"},
	{"cutoff_hz", FL_FX_UNIT_HZ, 20.0f, 20000.0f, 1000.0f, NULL, "cut-off / centre frequency"},
	{"resonance", FL_FX_UNIT_PERCENT, 0.0f, 1.0f, 0.2f, NULL, "0 flat (Q 0.5) .. 1 near self-oscillation"},
	P_MIX(1.0f),
};

static const struct fl_fx_param_info delay_params[] = {
	{"time_ms", FL_FX_UNIT_MS, 1.0f, 4000.0f, 500.0f, NULL, "delay time when not synced"},
	P_BOOL("sync", 0.0f, "follow the loop tempo (note) instead of time_ms"),
	{"note", FL_FX_UNIT_CHOICE, 0.0f, 12.0f, 3.0f, note_names, "synced delay: note value (d dotted, t triplet; a beat is a 1/4)"},
	{"feedback", FL_FX_UNIT_PERCENT, 0.0f, 1.0f, 0.4f, NULL, "repeat level (1: endless, soft-clipped)"},
	{"damping_hz", FL_FX_UNIT_HZ, 200.0f, 20000.0f, 20000.0f, NULL, "low-pass in the loop (20000: flat); repeats get darker"},
	{"lowcut_hz", FL_FX_UNIT_HZ, 0.0f, 2000.0f, 0.0f, NULL, "high-pass in the loop (0: flat); repeats get thinner"},
	P_BOOL("ping_pong", 0.0f, "repeats alternate left and right"),
	P_MIX(0.3f),
};

#define MOD_PARAMS(rate, depth_max, depth, dl_min, dl_max, dl, fb, voices_def)                                      \
	{"rate_hz", FL_FX_UNIT_HZ, 0.01f, 10.0f, rate, NULL, "LFO rate when not synced"},                          \
	{"depth_ms", FL_FX_UNIT_MS, 0.0f, depth_max, depth, NULL, "LFO excursion of the delay"},                   \
	{"delay_ms", FL_FX_UNIT_MS, dl_min, dl_max, dl, NULL, "centre delay"},                                     \
	{"feedback", FL_FX_UNIT_LINEAR, -0.95f, 0.95f, fb, NULL, "wet fed back into the line (negative: inverted)"}, \
	{"voices", FL_FX_UNIT_NONE, 1.0f, 3.0f, voices_def, NULL, "modulated taps per channel (integer)"},          \
	{"spread_deg", FL_FX_UNIT_NONE, 0.0f, 180.0f, 90.0f, NULL, "LFO phase offset of the right channel, degrees"}, \
	P_BOOL("sync", 0.0f, "LFO period follows the loop tempo (note)"),                                           \
	{"note", FL_FX_UNIT_CHOICE, 0.0f, 12.0f, 0.0f, note_names, "synced LFO period as a note value"},

static const struct fl_fx_param_info chorus_params[] = {
	MOD_PARAMS(0.5f, 10.0f, 3.0f, 5.0f, 30.0f, 15.0f, 0.0f, 2.0f) P_MIX(0.5f),
};

static const struct fl_fx_param_info flanger_params[] = {
	MOD_PARAMS(0.25f, 5.0f, 2.0f, 0.5f, 10.0f, 2.5f, 0.5f, 1.0f) P_MIX(0.5f),
};

#define REVERB_PARAMS(decay, pre, damp)                                                              \
	{"decay_s", FL_FX_UNIT_S, 0.1f, 30.0f, decay, NULL, "reverb time (T30-based RT60)"},           \
	{"predelay_ms", FL_FX_UNIT_MS, 0.0f, 250.0f, pre, NULL, "gap before the reverb starts"},        \
	{"damping", FL_FX_UNIT_PERCENT, 0.0f, 1.0f, damp, NULL, "high-frequency loss: 0 bright, 1 dark"}, \
	P_MIX(0.3f),                                                                                   \
	P_BOOL("freeze", 0.0f, "hold the tail indefinitely and close the input"),

static const struct fl_fx_param_info plate_params[] = {REVERB_PARAMS(2.0f, 10.0f, 0.3f)};
static const struct fl_fx_param_info room_params[] = {REVERB_PARAMS(1.2f, 10.0f, 0.4f)};
static const struct fl_fx_param_info hall_params[] = {REVERB_PARAMS(2.5f, 20.0f, 0.4f)};

#define N(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

static const struct {
	const char *name;
	const struct fl_fx_param_info *params;
	uint32_t count;
} types[FL_FX__COUNT] = {
	[FL_FX_NONE] = {"none", NULL, 0},
	[FL_FX_EQ] = {"eq", eq_params, N(eq_params)},
	[FL_FX_COMPRESSOR] = {"compressor", comp_params, N(comp_params)},
	[FL_FX_GATE] = {"gate", gate_params, N(gate_params)},
	[FL_FX_FILTER] = {"filter", filter_params, N(filter_params)},
	[FL_FX_DELAY] = {"delay", delay_params, N(delay_params)},
	[FL_FX_CHORUS] = {"chorus", chorus_params, N(chorus_params)},
	[FL_FX_FLANGER] = {"flanger", flanger_params, N(flanger_params)},
	[FL_FX_PLATE] = {"plate", plate_params, N(plate_params)},
	[FL_FX_ROOM] = {"room", room_params, N(room_params)},
	[FL_FX_HALL] = {"hall", hall_params, N(hall_params)},
};

const char *
fl_fx_type_name(enum fl_fx_type t)
{
	return (unsigned)t < FL_FX__COUNT ? types[t].name : NULL;
}

int
fl_fx_type_from_name(const char *name)
{
	if (!name)
		return -1;
	for (int t = 0; t < FL_FX__COUNT; t++)
		if (strcmp(types[t].name, name) == 0)
			return t;
	return -1;
}

uint32_t
fl_fx_param_count(enum fl_fx_type t)
{
	return (unsigned)t < FL_FX__COUNT ? types[t].count : 0u;
}

const struct fl_fx_param_info *
fl_fx_param_info(enum fl_fx_type t, uint32_t index)
{
	if ((unsigned)t >= FL_FX__COUNT || index >= types[t].count)
		return NULL;
	return &types[t].params[index];
}

int
fl_fx_param_index(enum fl_fx_type t, const char *name)
{
	if (!name)
		return -1;
	for (uint32_t i = 0; i < fl_fx_param_count(t); i++)
		if (strcmp(types[t].params[i].name, name) == 0)
			return (int)i;
	return -1;
}

const char *
fl_fx_unit_name(enum fl_fx_unit u)
{
	switch (u) {
	case FL_FX_UNIT_DB: return "dB";
	case FL_FX_UNIT_HZ: return "Hz";
	case FL_FX_UNIT_MS: return "ms";
	case FL_FX_UNIT_S: return "s";
	case FL_FX_UNIT_RATIO: return ":1";
	case FL_FX_UNIT_PERCENT: return "%";
	default: return "";
	}
}

/* Writes "type.param: message" into err (if any) and returns st. */
FL_PRINTF(5, 6) static enum fl_status
fail(char *err, size_t errlen, enum fl_status st, const char *who, const char *fmt, ...)
{
	if (!err || errlen == 0)
		return st;
	int n = snprintf(err, errlen, "%s: ", who);
	if (n >= 0 && (size_t)n < errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return st;
}

static bool
parse_bool(const char *s, float *v)
{
	static const char *const on[] = {"on", "true", "yes", "1", NULL};
	static const char *const off[] = {"off", "false", "no", "0", NULL};
	for (int i = 0; on[i]; i++) {
		if (strcasecmp(s, on[i]) == 0)
			return (*v = 1.0f), true;
		if (strcasecmp(s, off[i]) == 0)
			return (*v = 0.0f), true;
	}
	return false;
}

static bool
parse_choice(const struct fl_fx_param_info *p, const char *s, float *v)
{
	for (int i = 0; p->choices[i]; i++)
		if (strcasecmp(s, p->choices[i]) == 0)
			return (*v = (float)i), true;
	char *end;
	errno = 0;
	long n = strtol(s, &end, 10);
	if (end == s || *end || errno)
		return false;
	*v = (float)n; /* range-checked by the caller */
	return true;
}

/* Applies a unit suffix: returns the scale to multiply by, 0 if not valid. */
static float
suffix_scale(enum fl_fx_unit u, const char *s)
{
	if (!*s)
		return 1.0f;
	switch (u) {
	case FL_FX_UNIT_DB: return strcasecmp(s, "db") == 0 ? 1.0f : 0.0f;
	case FL_FX_UNIT_HZ: return strcasecmp(s, "hz") == 0 ? 1.0f : 0.0f;
	case FL_FX_UNIT_MS:
		return strcasecmp(s, "ms") == 0 ? 1.0f : (strcasecmp(s, "s") == 0 ? 1000.0f : 0.0f);
	case FL_FX_UNIT_S:
		return strcasecmp(s, "s") == 0 ? 1.0f : (strcasecmp(s, "ms") == 0 ? 0.001f : 0.0f);
	case FL_FX_UNIT_RATIO: return strcmp(s, ":1") == 0 ? 1.0f : 0.0f;
	case FL_FX_UNIT_PERCENT: return strcmp(s, "%") == 0 ? 0.01f : 0.0f;
	default: return 0.0f;
	}
}

/* A decimal number, an optional k (x1000), optional spaces, a unit suffix. */
static enum fl_status
parse_number(const struct fl_fx_param_info *p, const char *s, float *v, char *err, size_t errlen,
             const char *who)
{
	char *end;
	float x = strtof(s, &end);
	if (end == s)
		return fail(err, errlen, FL_ERR_BAD_ARG, who, "'%s' is not a number", s);
	if (!isfinite(x))
		return fail(err, errlen, FL_ERR_RANGE, who, "'%s' is not a finite number", s);
	if (*end == 'k' || *end == 'K') {
		x *= 1000.0f;
		end++;
	}
	while (isspace((unsigned char)*end))
		end++;
	float scale = suffix_scale(p->unit, end);
	if (scale == 0.0f)
		return fail(err, errlen, FL_ERR_BAD_ARG, who, "unexpected '%s' after the number (unit %s)",
		            end, *fl_fx_unit_name(p->unit) ? fl_fx_unit_name(p->unit) : "none");
	*v = x * scale;
	return FL_OK;
}

enum fl_status
fl_fx_param_parse(enum fl_fx_type t, uint32_t index, const char *text, float *value, char *err,
                  size_t errlen)
{
	const struct fl_fx_param_info *p = fl_fx_param_info(t, index);
	char who[64], s[64];
	if (!p) {
		snprintf(who, sizeof who, "%s", fl_fx_type_name(t) ? fl_fx_type_name(t) : "?");
		return fail(err, errlen, FL_ERR_RANGE, who, "no parameter %u", index);
	}
	snprintf(who, sizeof who, "%s.%s", types[t].name, p->name);
	if (!text || !value)
		return fail(err, errlen, FL_ERR_BAD_ARG, who, "no value given");
	while (isspace((unsigned char)*text))
		text++;
	size_t len = strlen(text);
	while (len && isspace((unsigned char)text[len - 1]))
		len--;
	if (len == 0)
		return fail(err, errlen, FL_ERR_BAD_ARG, who, "empty value");
	if (len >= sizeof s)
		return fail(err, errlen, FL_ERR_BAD_ARG, who, "value longer than %zu characters", sizeof s - 1);
	memcpy(s, text, len);
	s[len] = '\0';
	float v = 0.0f;
	if (p->unit == FL_FX_UNIT_BOOL) {
		if (!parse_bool(s, &v))
			return fail(err, errlen, FL_ERR_BAD_ARG, who, "'%s' is not on/off", s);
	} else if (p->unit == FL_FX_UNIT_CHOICE) {
		if (!parse_choice(p, s, &v))
			return fail(err, errlen, FL_ERR_BAD_ARG, who, "'%s' is not one of %s..%s", s,
			            p->choices[0], p->choices[(int)p->max]);
	} else {
		enum fl_status st = parse_number(p, s, &v, err, errlen, who);
		if (st != FL_OK)
			return st;
	}
	if (!(v >= p->min && v <= p->max)) {
		const char *u = fl_fx_unit_name(p->unit);
		if (p->unit == FL_FX_UNIT_PERCENT)
			return fail(err, errlen, FL_ERR_RANGE, who, "%g is outside 0..1 (or 0%%..100%%)", (double)v);
		return fail(err, errlen, FL_ERR_RANGE, who, "%g%s%s is outside %g..%g%s%s", (double)v,
		            *u ? " " : "", u, (double)p->min, (double)p->max, *u ? " " : "", u);
	}
	*value = v;
	return FL_OK;
}

void
fl_fx_param_format(enum fl_fx_type t, uint32_t index, float value, char *buf, size_t len)
{
	const struct fl_fx_param_info *p = fl_fx_param_info(t, index);
	if (!buf || len == 0)
		return;
	if (!p) {
		snprintf(buf, len, "?");
	} else if (p->unit == FL_FX_UNIT_BOOL) {
		snprintf(buf, len, "%s", value >= 0.5f ? "on" : "off");
	} else if (p->unit == FL_FX_UNIT_CHOICE) {
		int i = (int)lroundf(fminf(fmaxf(value, p->min), p->max));
		snprintf(buf, len, "%s", p->choices[i]);
	} else if (p->unit == FL_FX_UNIT_PERCENT) {
		snprintf(buf, len, "%.0f %%", (double)(value * 100.0f));
	} else {
		const char *u = fl_fx_unit_name(p->unit);
		snprintf(buf, len, "%.6g%s%s", (double)value, *u && *u != ':' ? " " : "", u);
	}
}
