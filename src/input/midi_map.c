/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "input/midi_map.h"

#include "input/action_parse.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKENS 16

void
fl_midi_map_init(struct fl_midi_map *m)
{
	memset(m, 0, sizeof(*m));
}

static bool
parse_u7(const char *s, uint8_t *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > 127)
		return false;
	*out = (uint8_t)v;
	return true;
}

/* Default continuous range of an action, in its unit. */
static void
default_range(enum fl_action_type type, float *min, float *max)
{
	*min = type == FL_ACTION_PAN ? -1.0f : 0.0f;
	*max = 1.0f;
}

static enum fl_status
parse_led(struct fl_midi_binding *b, char *list, char *err, size_t errlen)
{
	for (char *item = strtok(list, ","); item; item = strtok(NULL, ",")) {
		char *colon = strchr(item, ':');
		int st;
		if (!colon) {
			snprintf(err, errlen, "led item \"%s\" is not state:value", item);
			return FL_ERR_CONFIG;
		}
		*colon = '\0';
		st = fl_led_state_from_name(item);
		if (st < 0 || !parse_u7(colon + 1, &b->led[st])) {
			snprintf(err, errlen, "led item \"%s:%s\": unknown state or value not 0..127",
			         item, colon + 1);
			return FL_ERR_CONFIG;
		}
	}
	b->has_led = true;
	return FL_OK;
}

static enum fl_status
parse_mode(struct fl_midi_binding *b, const char *v, char *err, size_t errlen)
{
	if (strcmp(v, "trigger") == 0 || strcmp(v, "momentary") == 0)
		b->mode = FL_MIDI_MODE_PRESS;
	else if (strcmp(v, "hold") == 0 || strcmp(v, "toggle") == 0)
		b->mode = FL_MIDI_MODE_BOTH;
	else if (strcmp(v, "continuous") == 0 && b->kind == FL_MIDI_CC)
		b->mode = FL_MIDI_MODE_CONTINUOUS;
	else {
		snprintf(err, errlen, "mode \"%s\" is not trigger, hold, momentary, toggle or "
		         "continuous (cc only)", v);
		return FL_ERR_CONFIG;
	}
	return FL_OK;
}

/* track= of an fx_param binding: a 1-based track, selected, input, bus1,
 * bus2 or master. */
static bool
parse_fx_chain(const char *v, int32_t *chain)
{
	static const struct { const char *name; int32_t chain; } named[] = {
		{"selected", FL_TRACK_SELECTED}, {"input", FL_MIDI_FX_INPUT},
		{"bus1", FL_MIDI_FX_BUS1},       {"bus2", FL_MIDI_FX_BUS2},
		{"master", FL_MIDI_FX_MASTER},
	};
	char *end;
	long n;

	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		if (strcmp(v, named[i].name) == 0) {
			*chain = named[i].chain;
			return true;
		}
	}
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < 1 || n > FL_MAX_TRACKS)
		return false;
	*chain = (int32_t)(n - 1);
	return true;
}

/* A parameter name as the effect tables spell them: [a-z0-9_], not empty. */
static bool
valid_param_name(const char *v)
{
	size_t len = strlen(v);

	if (len == 0 || len >= FL_MIDI_FX_NAME_MAX)
		return false;
	for (; *v; v++)
		if (!((*v >= 'a' && *v <= 'z') || (*v >= '0' && *v <= '9') || *v == '_'))
			return false;
	return true;
}

/* Options of an fx_param binding: track=, slot=, param=, min=, max= (the
 * range in the parameter's own unit: any finite number, checked against
 * the parameter only when the CC arrives, as the slot's type may change). */
static enum fl_status
parse_fx_option(struct fl_midi_binding *b, const char *opt, const char *v, char *err,
                size_t errlen)
{
	char *end;
	uint8_t slot;

	if (strcmp(opt, "track") == 0 && parse_fx_chain(v, &b->fx_chain))
		return FL_OK;
	if (strcmp(opt, "slot") == 0 && parse_u7(v, &slot) && slot >= 1 && slot <= 4) {
		b->fx_slot = (uint8_t)(slot - 1);
		return FL_OK;
	}
	if (strcmp(opt, "param") == 0 && valid_param_name(v)) {
		snprintf(b->fx_param, sizeof(b->fx_param), "%s", v);
		return FL_OK;
	}
	if (strcmp(opt, "min") == 0 || strcmp(opt, "max") == 0) {
		float f = strtof(v, &end);
		if (end != v && !*end && isfinite(f) && fabsf(f) <= 1e6f) {
			bool is_min = opt[1] == 'i';
			*(is_min ? &b->fx_min : &b->fx_max) = f;
			*(is_min ? &b->fx_has_min : &b->fx_has_max) = true;
			return FL_OK;
		}
	}
	snprintf(err, errlen, "bad fx_param option \"%s=%s\" (track=1..%d|selected|input|bus1|"
	         "bus2|master, slot=1..4, param=NAME, min=, max=)", opt, v, FL_MAX_TRACKS);
	return FL_ERR_CONFIG;
}

/* An fx_param binding is a continuous CC that names its parameter. */
static enum fl_status
finish_fx_binding(struct fl_midi_binding *b, char *err, size_t errlen)
{
	if (b->kind != FL_MIDI_CC || b->mode != FL_MIDI_MODE_CONTINUOUS) {
		snprintf(err, errlen, "fx_param needs a continuous cc binding");
		return FL_ERR_CONFIG;
	}
	if (!b->fx_param[0]) {
		snprintf(err, errlen, "fx_param needs param=NAME (and slot=1..4, track=...)");
		return FL_ERR_CONFIG;
	}
	/* The action carries the CC as 0..1; the name and range stay here. */
	b->min = 0.0f;
	b->max = 1.0f;
	b->action.track = b->fx_chain >= FL_TRACK_SELECTED ? b->fx_chain : FL_TRACK_NONE;
	b->action.slot = (int16_t)b->fx_slot;
	b->action.param = -1;
	return FL_OK;
}

static enum fl_status
parse_option(struct fl_midi_binding *b, char *opt, char *err, size_t errlen)
{
	char *eq = strchr(opt, '=');
	char *v = eq + 1;
	char *end;

	*eq = '\0';
	if (strcmp(opt, "mode") == 0)
		return parse_mode(b, v, err, errlen);
	if (strcmp(opt, "threshold") == 0 && parse_u7(v, &b->threshold) && b->threshold > 0)
		return FL_OK;
	if (b->action.type == FL_ACTION_FX_PARAM)
		return parse_fx_option(b, opt, v, err, errlen);
	if (strcmp(opt, "min") == 0 || strcmp(opt, "max") == 0) {
		float f = strtof(v, &end);
		if (end != v && !*end && f >= -1000.0f && f <= 1000.0f) {
			*(opt[1] == 'i' ? &b->min : &b->max) = f;
			return FL_OK;
		}
	}
	if (strcmp(opt, "led") == 0)
		return parse_led(b, v, err, errlen);
	snprintf(err, errlen, "bad option \"%s=%s\"", opt, v);
	return FL_ERR_CONFIG;
}

static enum fl_status
parse_head(struct fl_midi_binding *b, char **tok, char *err, size_t errlen)
{
	uint8_t ch;

	if (strcmp(tok[0], "any") == 0)
		b->channel = FL_MIDI_ANY_CHANNEL;
	else if (parse_u7(tok[0], &ch) && ch >= 1 && ch <= 16)
		b->channel = (int8_t)(ch - 1);
	else {
		snprintf(err, errlen, "channel \"%s\" is not 1..16 or any", tok[0]);
		return FL_ERR_CONFIG;
	}
	if (strcmp(tok[1], "note") == 0)
		b->kind = FL_MIDI_NOTE;
	else if (strcmp(tok[1], "cc") == 0)
		b->kind = FL_MIDI_CC;
	else if (strcmp(tok[1], "pc") == 0)
		b->kind = FL_MIDI_PC;
	else {
		snprintf(err, errlen, "type \"%s\" is not note, cc or pc", tok[1]);
		return FL_ERR_CONFIG;
	}
	if (!parse_u7(tok[2], &b->number)) {
		snprintf(err, errlen, "number \"%s\" is not 0..127", tok[2]);
		return FL_ERR_CONFIG;
	}
	return FL_OK;
}

/* Parses tokens into b; err gets the message without the file:line. */
static enum fl_status
parse_binding(struct fl_midi_binding *b, char **tok, size_t n, char *err, size_t errlen)
{
	size_t n_act = 0;
	enum fl_status st;

	if (n < 4) {
		snprintf(err, errlen, "expected: channel type number action [options]");
		return FL_ERR_CONFIG;
	}
	/* "cc 1 21 ..." reads as "1 cc 21 ...": the type may come first. */
	if (strcmp(tok[0], "note") == 0 || strcmp(tok[0], "cc") == 0 || strcmp(tok[0], "pc") == 0) {
		char *t = tok[0];
		tok[0] = tok[1];
		tok[1] = t;
	}
	if ((st = parse_head(b, tok, err, errlen)) != FL_OK)
		return st;
	while (3 + n_act < n && !strchr(tok[3 + n_act], '='))
		n_act++;
	st = fl_input_parse_action_tokens(tok + 3, n_act, &b->action, err, errlen);
	if (st != FL_OK)
		return st;
	b->threshold = 64;
	default_range(b->action.type, &b->min, &b->max);
	if (b->kind == FL_MIDI_CC && fl_input_action_is_continuous(b->action.type))
		b->mode = FL_MIDI_MODE_CONTINUOUS;
	b->fx_chain = b->action.track;
	for (size_t i = 3 + n_act; i < n; i++)
		if ((st = parse_option(b, tok[i], err, errlen)) != FL_OK)
			return st;
	if (b->action.type == FL_ACTION_FX_PARAM &&
	    (st = finish_fx_binding(b, err, errlen)) != FL_OK)
		return st;
	if (b->mode == FL_MIDI_MODE_CONTINUOUS && !fl_input_action_is_continuous(b->action.type)) {
		snprintf(err, errlen, "mode=continuous needs level, pan, master_level or "
		         "monitor_level");
		return FL_ERR_CONFIG;
	}
	if (b->kind != FL_MIDI_CC && fl_input_action_is_continuous(b->action.type)) {
		snprintf(err, errlen, "%s needs a cc binding", fl_action_name(b->action.type));
		return FL_ERR_CONFIG;
	}
	return FL_OK;
}

enum fl_status
fl_midi_map_add_line(struct fl_midi_map *m, const char *line, const char *name, uint32_t lineno,
                     char *err, size_t errlen)
{
	char buf[512], msg[200];
	char *tok[MAX_TOKENS];
	struct fl_midi_binding b = {.sent = -1};
	size_t n, len = strlen(line);
	enum fl_status st;

	if (len >= sizeof(buf)) {
		snprintf(err, errlen, "%s:%u: line too long", name, lineno);
		return FL_ERR_CONFIG;
	}
	memcpy(buf, line, len + 1);
	n = fl_input_split(buf, tok, MAX_TOKENS);
	if (n == 0)
		return FL_OK;
	st = parse_binding(&b, tok, n, msg, sizeof(msg));
	if (st != FL_OK) {
		snprintf(err, errlen, "%s:%u: %s", name, lineno, msg);
		return st;
	}
	if (m->n >= FL_MIDI_MAX_BINDINGS) {
		snprintf(err, errlen, "%s:%u: more than %d bindings", name, lineno,
		         FL_MIDI_MAX_BINDINGS);
		return FL_ERR_FULL;
	}
	b.line = lineno;
	m->b[m->n++] = b;
	return FL_OK;
}

enum fl_status
fl_midi_map_load_string(struct fl_midi_map *m, const char *text, const char *name, char *err,
                        size_t errlen)
{
	char line[512];
	uint32_t lineno = 0;

	while (*text) {
		size_t len = strcspn(text, "\n");
		lineno++;
		if (len >= sizeof(line)) {
			snprintf(err, errlen, "%s:%u: line too long", name, lineno);
			return FL_ERR_CONFIG;
		}
		memcpy(line, text, len);
		line[len] = '\0';
		enum fl_status st = fl_midi_map_add_line(m, line, name, lineno, err, errlen);
		if (st != FL_OK)
			return st;
		text += len + (text[len] == '\n');
	}
	return FL_OK;
}

enum fl_status
fl_midi_map_load(struct fl_midi_map *m, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[512];
	uint32_t lineno = 0;
	enum fl_status st = FL_OK;

	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return FL_ERR_IO;
	}
	while (st == FL_OK && fgets(line, sizeof(line), f)) {
		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(err, errlen, "%s:%u: line too long", path, lineno);
			st = FL_ERR_CONFIG;
			break;
		}
		st = fl_midi_map_add_line(m, line, path, lineno, err, errlen);
	}
	fclose(f);
	return st;
}

/* Whether b listens to msg, and the message's on/off level and value. */
static bool
matches(const struct fl_midi_binding *b, const struct fl_midi_msg *msg, bool *on, uint8_t *value)
{
	if (b->channel != FL_MIDI_ANY_CHANNEL && b->channel != msg->channel)
		return false;
	if (msg->data1 != b->number)
		return false;
	switch (b->kind) {
	case FL_MIDI_NOTE:
		if (msg->status != 0x90 && msg->status != 0x80)
			return false;
		*on = msg->status == 0x90 && msg->data2 > 0;
		*value = msg->data2;
		return true;
	case FL_MIDI_CC:
		if (msg->status != 0xB0)
			return false;
		*on = msg->data2 >= b->threshold;
		*value = msg->data2;
		return true;
	case FL_MIDI_PC:
		*on = true;
		*value = 0;
		return msg->status == 0xC0;
	default:
		return false;
	}
}

/* Whether a message fires a binding, given its mode and last state. */
static bool
fires(struct fl_midi_binding *b, bool on)
{
	bool was = b->on;

	b->on = on;
	if (b->kind == FL_MIDI_PC)
		return true;
	if (b->mode == FL_MIDI_MODE_BOTH)
		return on != was || (b->kind == FL_MIDI_NOTE && on);
	return on && (!was || b->kind == FL_MIDI_NOTE);
}

size_t
fl_midi_map_input(struct fl_midi_map *m, const struct fl_midi_msg *msg, struct fl_action *out,
                  size_t max)
{
	return fl_midi_map_input_from(m, msg, out, NULL, max);
}

size_t
fl_midi_map_input_from(struct fl_midi_map *m, const struct fl_midi_msg *msg,
                       struct fl_action *out, const struct fl_midi_binding **from, size_t max)
{
	size_t n = 0;

	if (m->learning || msg->status >= 0xF0)
		return 0;
	for (uint32_t i = 0; i < m->n && n < max; i++) {
		struct fl_midi_binding *b = &m->b[i];
		bool on;
		uint8_t value;
		if (!matches(b, msg, &on, &value))
			continue;
		if (b->mode == FL_MIDI_MODE_CONTINUOUS) {
			out[n] = b->action;
			out[n].value = b->min + (b->max - b->min) * (float)value / 127.0f;
		} else if (fires(b, on)) {
			out[n] = b->action;
		} else {
			continue;
		}
		if (from)
			from[n] = b;
		n++;
	}
	return n;
}

size_t
fl_midi_map_feedback(struct fl_midi_map *m, const struct fl_track_status *tracks,
                     uint32_t n_tracks, uint32_t selected, struct fl_midi_msg *out, size_t max)
{
	size_t n = 0;

	for (uint32_t i = 0; i < m->n && n < max; i++) {
		struct fl_midi_binding *b = &m->b[i];
		int32_t t = b->action.track == FL_TRACK_SELECTED ? (int32_t)selected : b->action.track;
		uint8_t v;
		if (!b->has_led || b->kind == FL_MIDI_PC || t < 0 || (uint32_t)t >= n_tracks)
			continue;
		v = b->led[fl_led_state_of(&tracks[t])];
		if (b->sent == v)
			continue;
		b->sent = v;
		out[n++] = (struct fl_midi_msg){
			.status = b->kind == FL_MIDI_NOTE ? 0x90 : 0xB0,
			.channel = (uint8_t)(b->channel == FL_MIDI_ANY_CHANNEL ? 0 : b->channel),
			.data1 = b->number,
			.data2 = v};
	}
	return n;
}

void
fl_midi_map_feedback_reset(struct fl_midi_map *m)
{
	for (uint32_t i = 0; i < m->n; i++)
		m->b[i].sent = -1;
}
