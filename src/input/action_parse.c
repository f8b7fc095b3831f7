/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "input/action_parse.h"

#include "footloop/engine.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t
fl_input_split(char *s, char **tok, size_t max)
{
	size_t n = 0;

	while (*s && n < max) {
		while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			*s++ = '\0';
		if (!*s || *s == '#')
			break;
		tok[n++] = s;
		while (*s && *s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			s++;
	}
	if (*s == '#')
		*s = '\0';
	return n;
}

/* A whole-token integer in lo..hi; false otherwise. */
static bool
parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

bool
fl_input_action_is_continuous(enum fl_action_type type)
{
	return type == FL_ACTION_LEVEL || type == FL_ACTION_PAN ||
	       type == FL_ACTION_MASTER_LEVEL || type == FL_ACTION_MONITOR_LEVEL ||
	       type == FL_ACTION_SEND_1 || type == FL_ACTION_SEND_2 ||
	       type == FL_ACTION_FX_PARAM;
}

enum fl_status
fl_input_parse_action_tokens(char *const *tok, size_t n, struct fl_action *out, char *err,
                             size_t errlen)
{
	size_t i = 1;
	long v;

	*out = (struct fl_action){.type = FL_ACTION_NONE, .track = FL_TRACK_NONE, .value = 1.0f};
	if (n == 0) {
		snprintf(err, errlen, "missing action name");
		return FL_ERR_CONFIG;
	}
	out->type = fl_action_from_name(tok[0]);
	if (out->type == FL_ACTION_NONE && strcmp(tok[0], "none") != 0) {
		snprintf(err, errlen, "unknown action \"%s\"", tok[0]);
		return FL_ERR_CONFIG;
	}
	if (out->type == FL_ACTION_SELECT) {
		if (n < 2 || !parse_int(tok[1], 1, FL_MAX_TRACKS, &v)) {
			snprintf(err, errlen, "select needs a track 1..%d", FL_MAX_TRACKS);
			return FL_ERR_CONFIG;
		}
		out->value = (float)(v - 1);
		i = 2;
	} else if (fl_action_takes_track(out->type)) {
		out->track = FL_TRACK_SELECTED;
		if (n > 1 && strcmp(tok[1], "selected") == 0) {
			i = 2;
		} else if (n > 1 && parse_int(tok[1], 1, FL_MAX_TRACKS, &v)) {
			out->track = (int32_t)(v - 1);
			i = 2;
		} else if (n > 1 && !fl_input_action_is_continuous(out->type)) {
			snprintf(err, errlen, "track \"%s\" is not 1..%d or selected", tok[1],
			         FL_MAX_TRACKS);
			return FL_ERR_CONFIG;
		}
	}
	if (i < n) {
		char *end;
		float f = strtof(tok[i], &end);
		if (end == tok[i] || *end || !isfinite(f)) {
			snprintf(err, errlen, "value \"%s\" is not a number", tok[i]);
			return FL_ERR_CONFIG;
		}
		out->value = f;
		i++;
	}
	if (i < n) {
		snprintf(err, errlen, "unexpected \"%s\" after the action", tok[i]);
		return FL_ERR_CONFIG;
	}
	return FL_OK;
}

enum fl_status
fl_input_parse_action(const char *text, struct fl_action *out, char *err, size_t errlen)
{
	char buf[128];
	char *tok[8];
	size_t n;

	if (strlen(text) >= sizeof(buf)) {
		snprintf(err, errlen, "action text too long");
		return FL_ERR_CONFIG;
	}
	memcpy(buf, text, strlen(text) + 1);
	n = fl_input_split(buf, tok, 8);
	return fl_input_parse_action_tokens(tok, n, out, err, errlen);
}

void
fl_input_format_action(const struct fl_action *a, char *buf, size_t len)
{
	const char *name = fl_action_name(a->type);

	if (!name)
		name = "none";
	if (a->type == FL_ACTION_SELECT)
		snprintf(buf, len, "%s %d", name, (int)a->value + 1);
	else if (fl_action_takes_track(a->type) && a->track >= 0)
		snprintf(buf, len, "%s %d", name, (int)a->track + 1);
	else if (fl_action_takes_track(a->type))
		snprintf(buf, len, "%s selected", name);
	else
		snprintf(buf, len, "%s", name);
	if (a->type != FL_ACTION_SELECT && a->value != 1.0f &&
	    !fl_input_action_is_continuous(a->type)) {
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, " %g", (double)a->value);
	}
}
