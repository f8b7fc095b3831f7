/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Effect-chain keys of the configuration (see config_fx.h). The values are
 * checked here against the effect tables, so a bad chain stops the start
 * with file:line instead of reaching the engine. */
#include "config/config_fx.h"

#include "dsp/fx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* "fxK" or "fxK.rest": the 0-based slot, *rest after the dot ("" for
 * plain fxK); -1 when name is not of that form, -2 for a bad K. */
static int
slot_of(const char *name, const char **rest)
{
	if (strncmp(name, "fx", 2) != 0 || name[2] < '0' || name[2] > '9')
		return -1;
	char *end;
	long k = strtol(name + 2, &end, 10);
	if (*end != '\0' && *end != '.')
		return -1;
	*rest = *end == '.' ? end + 1 : end;
	return k >= 1 && k <= (long)FL_FX_SLOTS ? (int)k - 1 : -2;
}

static void
type_names(char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = '\0';
	for (int t = FL_FX_NONE; t < FL_FX__COUNT && n < len; t++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", t ? ", " : "",
		                      fl_fx_type_name((enum fl_fx_type)t));
}

static int
set_type(struct fl_config_fx_slot *s, const char *value, int line, char *err, size_t errlen)
{
	memset(s, 0, sizeof *s);
	s->given = true;
	s->line = line;
	if (strncmp(value, "preset:", 7) == 0) {
		const char *name = value + 7;
		if (!name[0] || strlen(name) >= sizeof s->preset) {
			snprintf(err, errlen, "preset:NAME needs a name of 1..%zu characters",
			         sizeof s->preset - 1);
			return 0;
		}
		snprintf(s->preset, sizeof s->preset, "%s", name);
		return 1;
	}
	int t = fl_fx_type_from_name(value);
	if (t < 0) {
		char names[160];
		type_names(names, sizeof names);
		snprintf(err, errlen, "'%s' is not an effect (%s, or preset:NAME)", value, names);
		return 0;
	}
	s->type = t;
	return 1;
}

static int
set_param(struct fl_config_fx_slot *s, int k, const char *param, const char *value, char *err,
          size_t errlen)
{
	if (!s->given || s->preset[0] || s->type == FL_FX_NONE) {
		snprintf(err, errlen, "set fx%d = <effect type> before its parameters%s", k + 1,
		         s->preset[0] ? " (a preset's parameters come from the preset)" : "");
		return 0;
	}
	enum fl_fx_type t = (enum fl_fx_type)s->type;
	int i = fl_fx_param_index(t, param);
	if (i < 0 || i >= FL_CONFIG_FX_PARAMS) {
		char names[400];
		size_t n = 0;
		names[0] = '\0';
		for (uint32_t j = 0; j < fl_fx_param_count(t) && n < sizeof names; j++)
			n += (size_t)snprintf(names + n, sizeof names - n, "%s%s", j ? ", " : "",
			                      fl_fx_param_info(t, j)->name);
		snprintf(err, errlen, "%s has no parameter '%s' (bypass, %s)", fl_fx_type_name(t),
		         param, names);
		return 0;
	}
	float v;
	char why[200];
	if (fl_fx_param_parse(t, (uint32_t)i, value, &v, why, sizeof why) != FL_OK) {
		snprintf(err, errlen, "%s", why);
		return 0;
	}
	s->param[i] = v;
	s->param_set |= 1u << i;
	return 1;
}

int
fl_config_fx_key(struct fl_config_fx_chain *ch, const char *name, const char *value, int line,
                 char *err, size_t errlen)
{
	const char *rest = NULL;
	int k = slot_of(name, &rest);
	if (k == -1)
		return -1;
	if (k < 0) {
		snprintf(err, errlen, "effect slots are fx1..fx%u", FL_FX_SLOTS);
		return 0;
	}
	struct fl_config_fx_slot *s = &ch->slot[k];
	ch->given = true;
	if (!rest[0])
		return set_type(s, value, line, err, errlen);
	if (strcmp(rest, "bypass") == 0) {
		if (!s->given) {
			snprintf(err, errlen, "set fx%d = <effect type> first", k + 1);
			return 0;
		}
		if (!strcasecmp(value, "true") || !strcasecmp(value, "on") || !strcasecmp(value, "yes") ||
		    !strcmp(value, "1"))
			s->bypass = true;
		else if (!strcasecmp(value, "false") || !strcasecmp(value, "off") ||
		         !strcasecmp(value, "no") || !strcmp(value, "0"))
			s->bypass = false;
		else {
			snprintf(err, errlen, "'%s' is not a boolean (true/false, on/off, yes/no, 1/0)",
			         value);
			return 0;
		}
		return 1;
	}
	return set_param(s, k, rest, value, err, errlen);
}
