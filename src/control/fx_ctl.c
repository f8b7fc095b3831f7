/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Effect requests -> checked engine commands. The mirror changes only after
 * the command was queued, so a full queue leaves the mirror telling the
 * truth. */
#include "control/fx_ctl.h"

#include <ini.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum fl_status refuse(char *err, size_t errlen, enum fl_status st, const char *fmt, ...)
	FL_PRINTF(4, 5);

static enum fl_status
refuse(char *err, size_t errlen, enum fl_status st, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return st;
}

void
fl_fx_ctl_init(struct fl_fx_ctl *c, float rate, uint32_t n_tracks,
               enum fl_status (*send)(void *user, const struct fl_cmd *cmd), void *user)
{
	memset(c, 0, sizeof *c);
	c->rate = rate;
	c->n_tracks = n_tracks > FL_MAX_TRACKS ? FL_MAX_TRACKS : n_tracks;
	c->send = send;
	c->user = user;
	c->limiter[FL_LIMITER_CEILING_DB] = -1.0f;
	c->limiter[FL_LIMITER_RELEASE_MS] = 50.0f;
	c->limiter[FL_LIMITER_HOLD_MS] = 10.0f;
}

uint32_t
fl_fx_ctl_engine_target(uint32_t target)
{
	if (target < FL_MAX_TRACKS)
		return target;
	if (target == FL_FXC_INPUT)
		return FL_TARGET_INPUT;
	if (target == FL_FXC_MASTER)
		return FL_TARGET_MASTER;
	return FL_TARGET_BUS(target - FL_FXC_BUS(0));
}

void
fl_fx_ctl_target_path(uint32_t target, char *buf, size_t len)
{
	if (target < FL_MAX_TRACKS)
		snprintf(buf, len, "track/%u", target + 1);
	else if (target == FL_FXC_INPUT)
		snprintf(buf, len, "input");
	else if (target == FL_FXC_MASTER)
		snprintf(buf, len, "master");
	else
		snprintf(buf, len, "send/%u", target - FL_FXC_BUS(0) + 1);
}

static enum fl_status
check_slot(const struct fl_fx_ctl *c, uint32_t target, uint32_t slot, char *err, size_t errlen)
{
	if (target < FL_MAX_TRACKS && target >= c->n_tracks)
		return refuse(err, errlen, FL_ERR_RANGE, "track %u is out of range 1..%u", target + 1,
		              c->n_tracks);
	if (target >= FL_FXC_TARGETS)
		return refuse(err, errlen, FL_ERR_RANGE, "no such effect chain");
	if (slot >= FL_FX_SLOTS)
		return refuse(err, errlen, FL_ERR_RANGE, "slot %u is out of range 1..%u", slot + 1,
		              FL_FX_SLOTS);
	return FL_OK;
}

static enum fl_status
send(struct fl_fx_ctl *c, struct fl_cmd cmd, char *err, size_t errlen)
{
	if (c->send && c->send(c->user, &cmd) != FL_OK)
		return refuse(err, errlen, FL_ERR_FULL, "the engine's command queue is full; try again");
	return FL_OK;
}

/* A new instance set up with s's parameters (defaults for the rest). */
static enum fl_status
make_fx(struct fl_fx_ctl *c, const struct fl_fxc_slot *s, struct fl_fx **out, char *err,
        size_t errlen)
{
	enum fl_status st = fl_fx_create(s->type, c->rate, out);
	if (st != FL_OK)
		return refuse(err, errlen, st, "cannot create a %s: %s", fl_fx_type_name(s->type),
		              fl_strerror(st));
	c->created++;
	uint32_t n = fl_fx_param_count(s->type);
	for (uint32_t i = 0; i < n && i < FL_FXC_MAX_PARAMS; i++)
		fl_fx_set_param(*out, i, s->param[i]);
	fl_fx_set_bypass(*out, s->bypass);
	return FL_OK;
}

static void
defaults(struct fl_fxc_slot *s, enum fl_fx_type type)
{
	memset(s, 0, sizeof *s);
	s->type = type;
	uint32_t n = fl_fx_param_count(type);
	for (uint32_t i = 0; i < n && i < FL_FXC_MAX_PARAMS; i++)
		s->param[i] = fl_fx_param_info(type, i)->def;
}

/* Puts s (type, parameters, bypass) into a slot: one FL_CMD_FX_SLOT. */
static enum fl_status
install(struct fl_fx_ctl *c, uint32_t target, uint32_t slot, const struct fl_fxc_slot *s,
        char *err, size_t errlen)
{
	struct fl_fx *fx = NULL;
	enum fl_status st;
	if (s->type != FL_FX_NONE && (st = make_fx(c, s, &fx, err, errlen)) != FL_OK)
		return st;
	struct fl_cmd cmd = {.type = FL_CMD_FX_SLOT, .track = (uint16_t)fl_fx_ctl_engine_target(target),
	                     .arg = slot, .ptr = fx};
	if ((st = send(c, cmd, err, errlen)) != FL_OK) {
		fl_fx_ctl_release(c, fx);
		return st;
	}
	c->chain[target][slot] = *s;
	return FL_OK;
}

enum fl_status
fl_fx_ctl_set_type(struct fl_fx_ctl *c, uint32_t target, uint32_t slot, enum fl_fx_type type,
                   char *err, size_t errlen)
{
	enum fl_status st = check_slot(c, target, slot, err, errlen);
	if (st != FL_OK)
		return st;
	if ((unsigned)type >= FL_FX__COUNT)
		return refuse(err, errlen, FL_ERR_BAD_ARG, "unknown effect type");
	if (fl_fx_param_count(type) > FL_FXC_MAX_PARAMS)
		return refuse(err, errlen, FL_ERR_UNSUPPORTED, "%s has too many parameters",
		              fl_fx_type_name(type));
	struct fl_fxc_slot s;
	defaults(&s, type);
	return install(c, target, slot, &s, err, errlen);
}

static enum fl_status
find_param(const struct fl_fxc_slot *s, const char *name, uint32_t *index, char *err,
           size_t errlen)
{
	if (s->type == FL_FX_NONE)
		return refuse(err, errlen, FL_ERR_NOT_FOUND, "the slot is empty (set its type first)");
	int i = fl_fx_param_index(s->type, name);
	if (i < 0 || (uint32_t)i >= FL_FXC_MAX_PARAMS)
		return refuse(err, errlen, FL_ERR_NOT_FOUND, "%s has no parameter '%s'",
		              fl_fx_type_name(s->type), name);
	*index = (uint32_t)i;
	return FL_OK;
}

static enum fl_status
param_cmd(struct fl_fx_ctl *c, uint32_t target, uint32_t slot, uint32_t index, float value,
          char *err, size_t errlen)
{
	struct fl_cmd cmd = {.type = FL_CMD_FX_PARAM,
	                     .track = (uint16_t)fl_fx_ctl_engine_target(target),
	                     .arg = slot << 16 | index, .value = value};
	enum fl_status st = send(c, cmd, err, errlen);
	if (st == FL_OK)
		c->chain[target][slot].param[index] = value;
	return st;
}

enum fl_status
fl_fx_ctl_set_param(struct fl_fx_ctl *c, uint32_t target, uint32_t slot, const char *name,
                    float value, char *err, size_t errlen)
{
	uint32_t i;
	enum fl_status st = check_slot(c, target, slot, err, errlen);
	if (st == FL_OK)
		st = find_param(&c->chain[target][slot], name, &i, err, errlen);
	if (st != FL_OK)
		return st;
	const struct fl_fx_param_info *p = fl_fx_param_info(c->chain[target][slot].type, i);
	if (!isfinite(value))
		return refuse(err, errlen, FL_ERR_RANGE, "%s: not a finite number", name);
	if (value < p->min || value > p->max)
		return refuse(err, errlen, FL_ERR_RANGE, "%s: %g is out of range %g..%g%s", name,
		              (double)value, (double)p->min, (double)p->max, fl_fx_unit_name(p->unit));
	if (p->unit == FL_FX_UNIT_CHOICE || p->unit == FL_FX_UNIT_BOOL)
		value = roundf(value);
	return param_cmd(c, target, slot, i, value, err, errlen);
}

enum fl_status
fl_fx_ctl_set_param_text(struct fl_fx_ctl *c, uint32_t target, uint32_t slot, const char *name,
                         const char *text, char *err, size_t errlen)
{
	uint32_t i;
	float v;
	enum fl_status st = check_slot(c, target, slot, err, errlen);
	if (st == FL_OK)
		st = find_param(&c->chain[target][slot], name, &i, err, errlen);
	if (st == FL_OK)
		st = fl_fx_param_parse(c->chain[target][slot].type, i, text, &v, err, errlen);
	if (st != FL_OK)
		return st;
	return fl_fx_ctl_set_param(c, target, slot, name, v, err, errlen);
}

enum fl_status
fl_fx_ctl_set_param_norm(struct fl_fx_ctl *c, uint32_t target, uint32_t slot, uint32_t index,
                         float norm, char *err, size_t errlen)
{
	enum fl_status st = check_slot(c, target, slot, err, errlen);
	if (st != FL_OK)
		return st;
	const struct fl_fxc_slot *s = &c->chain[target][slot];
	const struct fl_fx_param_info *p = fl_fx_param_info(s->type, index);
	if (!p || index >= FL_FXC_MAX_PARAMS)
		return refuse(err, errlen, FL_ERR_NOT_FOUND, "slot %u has no parameter number %u", slot + 1,
		              index + 1);
	if (!isfinite(norm))
		return refuse(err, errlen, FL_ERR_RANGE, "not a finite number");
	norm = norm < 0.0f ? 0.0f : (norm > 1.0f ? 1.0f : norm);
	return fl_fx_ctl_set_param(c, target, slot, p->name, p->min + norm * (p->max - p->min), err,
	                           errlen);
}

enum fl_status
fl_fx_ctl_set_param_scaled(struct fl_fx_ctl *c, uint32_t target, uint32_t slot, const char *name,
                           float norm, const float *lo, const float *hi, char *err,
                           size_t errlen)
{
	uint32_t i;
	enum fl_status st = check_slot(c, target, slot, err, errlen);
	if (st == FL_OK)
		st = find_param(&c->chain[target][slot], name, &i, err, errlen);
	if (st != FL_OK)
		return st;
	const struct fl_fx_param_info *p = fl_fx_param_info(c->chain[target][slot].type, i);
	if (!isfinite(norm))
		return refuse(err, errlen, FL_ERR_RANGE, "not a finite number");
	float a = lo ? *lo : p->min, b = hi ? *hi : p->max;
	float v = a + (norm < 0.0f ? 0.0f : (norm > 1.0f ? 1.0f : norm)) * (b - a);
	v = v < p->min ? p->min : (v > p->max ? p->max : v);
	return fl_fx_ctl_set_param(c, target, slot, name, v, err, errlen);
}

enum fl_status
fl_fx_ctl_set_bypass(struct fl_fx_ctl *c, uint32_t target, uint32_t slot, bool bypass, char *err,
                     size_t errlen)
{
	enum fl_status st = check_slot(c, target, slot, err, errlen);
	if (st != FL_OK)
		return st;
	if (c->chain[target][slot].type == FL_FX_NONE)
		return refuse(err, errlen, FL_ERR_NOT_FOUND, "the slot is empty");
	struct fl_cmd cmd = {.type = FL_CMD_FX_BYPASS,
	                     .track = (uint16_t)fl_fx_ctl_engine_target(target), .arg = slot,
	                     .value = bypass ? 1.0f : 0.0f};
	if ((st = send(c, cmd, err, errlen)) == FL_OK)
		c->chain[target][slot].bypass = bypass;
	return st;
}

enum fl_status
fl_fx_ctl_preset(struct fl_fx_ctl *c, uint32_t target, const char *name, char *err,
                 size_t errlen)
{
	enum fl_status st = check_slot(c, target, 0, err, errlen);
	if (st != FL_OK)
		return st;
	for (uint32_t p = 0; p < c->n_presets; p++) {
		if (strcmp(c->presets[p].name, name) != 0)
			continue;
		for (uint32_t s = 0; s < FL_FX_SLOTS && st == FL_OK; s++)
			st = install(c, target, s, &c->presets[p].slot[s], err, errlen);
		return st;
	}
	return refuse(err, errlen, FL_ERR_NOT_FOUND, "no preset named '%s'", name);
}

enum fl_status
fl_fx_ctl_set_slot(struct fl_fx_ctl *c, uint32_t target, uint32_t slot, enum fl_fx_type type,
                   bool bypass, const float *param, uint32_t param_set, char *err, size_t errlen)
{
	enum fl_status st = check_slot(c, target, slot, err, errlen);
	if (st != FL_OK)
		return st;
	if ((unsigned)type >= FL_FX__COUNT || fl_fx_param_count(type) > FL_FXC_MAX_PARAMS)
		return refuse(err, errlen, FL_ERR_BAD_ARG, "unknown effect type");
	struct fl_fxc_slot s;
	defaults(&s, type);
	s.bypass = bypass;
	for (uint32_t i = 0; i < fl_fx_param_count(type) && i < 32; i++) {
		if (!(param_set & 1u << i))
			continue;
		const struct fl_fx_param_info *p = fl_fx_param_info(type, i);
		if (!(param[i] >= p->min && param[i] <= p->max))
			return refuse(err, errlen, FL_ERR_RANGE, "%s: %g is out of range %g..%g%s",
			              p->name, (double)param[i], (double)p->min, (double)p->max,
			              fl_fx_unit_name(p->unit));
		s.param[i] = param[i];
	}
	return install(c, target, slot, &s, err, errlen);
}

enum fl_status
fl_fx_ctl_preset_at(struct fl_fx_ctl *c, uint32_t target, uint32_t first, const char *name,
                    char *err, size_t errlen)
{
	enum fl_status st = check_slot(c, target, first, err, errlen);
	if (st != FL_OK)
		return st;
	for (uint32_t p = 0; p < c->n_presets; p++) {
		const struct fl_fxc_preset *pr = &c->presets[p];
		if (strcmp(pr->name, name) != 0)
			continue;
		uint32_t used = 0;
		for (uint32_t k = 0; k < FL_FX_SLOTS; k++)
			used = pr->slot[k].type != FL_FX_NONE ? k + 1 : used;
		if (first + used > FL_FX_SLOTS)
			return refuse(err, errlen, FL_ERR_RANGE,
			              "preset '%s' has %u slots: from slot %u only %u fit", name, used,
			              first + 1, FL_FX_SLOTS - first);
		for (uint32_t k = 0; k < used && st == FL_OK; k++)
			st = install(c, target, first + k, &pr->slot[k], err, errlen);
		return st;
	}
	return refuse(err, errlen, FL_ERR_NOT_FOUND, "no preset named '%s'%s", name,
	              c->n_presets ? "" : " ([fx] presets loads none)");
}

enum fl_status
fl_fx_ctl_set_send(struct fl_fx_ctl *c, uint32_t track, uint32_t bus, float gain, char *err,
                   size_t errlen)
{
	if (track >= c->n_tracks || bus >= FL_BUSES)
		return refuse(err, errlen, FL_ERR_RANGE, "no such track or bus (buses 1..%u)", FL_BUSES);
	if (!isfinite(gain) || gain < 0.0f || gain > 2.0f)
		return refuse(err, errlen, FL_ERR_RANGE, "send %g is out of range 0..2 (linear)",
		              (double)gain);
	struct fl_cmd cmd = {.type = FL_CMD_SEND, .track = (uint16_t)track, .arg = bus, .value = gain};
	enum fl_status st = send(c, cmd, err, errlen);
	if (st == FL_OK)
		c->send_gain[track][bus] = gain;
	return st;
}

enum fl_status
fl_fx_ctl_set_input_fx(struct fl_fx_ctl *c, uint32_t track, bool on, char *err, size_t errlen)
{
	if (track >= c->n_tracks)
		return refuse(err, errlen, FL_ERR_RANGE, "no such track");
	struct fl_cmd cmd = {.type = FL_CMD_TRACK_INPUT_FX, .track = (uint16_t)track, .arg = on};
	enum fl_status st = send(c, cmd, err, errlen);
	if (st == FL_OK)
		c->input_fx[track] = on;
	return st;
}

enum fl_status
fl_fx_ctl_limiter(struct fl_fx_ctl *c, enum fl_limiter_param p, float value, char *err,
                  size_t errlen)
{
	static const float lo[FL_LIMITER__COUNT] = {-12.0f, 5.0f, 0.0f};
	static const float hi[FL_LIMITER__COUNT] = {0.0f, 1000.0f, 50.0f};
	static const char *const names[FL_LIMITER__COUNT] = {"ceiling (dBTP)", "release (ms)",
	                                                      "hold (ms)"};
	if ((unsigned)p >= FL_LIMITER__COUNT)
		return refuse(err, errlen, FL_ERR_BAD_ARG, "unknown limiter parameter");
	if (!isfinite(value) || value < lo[p] || value > hi[p])
		return refuse(err, errlen, FL_ERR_RANGE, "limiter %s: %g is out of range %g..%g",
		              names[p], (double)value, (double)lo[p], (double)hi[p]);
	struct fl_cmd cmd = {.type = FL_CMD_LIMITER, .arg = (uint32_t)p, .value = value};
	enum fl_status st = send(c, cmd, err, errlen);
	if (st == FL_OK)
		c->limiter[p] = value;
	return st;
}

enum fl_status
fl_fx_ctl_panic(struct fl_fx_ctl *c, bool on, char *err, size_t errlen)
{
	struct fl_cmd cmd = {.type = FL_CMD_PANIC, .arg = on};
	enum fl_status st = send(c, cmd, err, errlen);
	if (st == FL_OK)
		c->panic = on;
	return st;
}

void
fl_fx_ctl_release(struct fl_fx_ctl *c, struct fl_fx *fx)
{
	if (!fx)
		return;
	fl_fx_free(fx);
	c->freed++;
}

/* ---- Presets ---- */

struct preset_parse {
	struct fl_fx_ctl *c;
	char err[256];
	int line;
};

static struct fl_fxc_preset *
preset_named(struct fl_fx_ctl *c, const char *name)
{
	for (uint32_t i = 0; i < c->n_presets; i++)
		if (strcmp(c->presets[i].name, name) == 0)
			return &c->presets[i];
	if (c->n_presets == FL_FXC_MAX_PRESETS || strlen(name) >= sizeof c->presets[0].name)
		return NULL;
	struct fl_fxc_preset *p = &c->presets[c->n_presets++];
	memset(p, 0, sizeof *p);
	snprintf(p->name, sizeof p->name, "%s", name);
	return p;
}

static int
on_preset_key(struct preset_parse *pp, struct fl_fxc_preset *p, const char *key, const char *v)
{
	char *end;
	unsigned long n = strtoul(key + 4, &end, 10);
	if (strncmp(key, "slot", 4) || n < 1 || n > FL_FX_SLOTS) {
		snprintf(pp->err, sizeof pp->err, "[preset.%s] %s: unknown key", p->name, key);
		return 0;
	}
	struct fl_fxc_slot *s = &p->slot[n - 1];
	if (*end == '\0') {
		int t = fl_fx_type_from_name(v);
		if (t < 0)
			snprintf(pp->err, sizeof pp->err, "[preset.%s] %s: unknown effect '%s'", p->name, key, v);
		else
			defaults(s, (enum fl_fx_type)t);
		return t >= 0;
	}
	if (*end != '.' || s->type == FL_FX_NONE) {
		snprintf(pp->err, sizeof pp->err, "[preset.%s] %s: set slot%lu's type first", p->name,
		         key, n);
		return 0;
	}
	if (strcmp(end + 1, "bypass") == 0) {
		s->bypass = strcmp(v, "on") == 0 || strcmp(v, "true") == 0 || strcmp(v, "1") == 0;
		return 1;
	}
	int i = fl_fx_param_index(s->type, end + 1);
	char why[160] = "unknown parameter";
	float f;
	if (i < 0 || i >= FL_FXC_MAX_PARAMS ||
	    fl_fx_param_parse(s->type, (uint32_t)i, v, &f, why, sizeof why) != FL_OK) {
		snprintf(pp->err, sizeof pp->err, "[preset.%s] %s = %s: %s", p->name, key, v, why);
		return 0;
	}
	s->param[i] = f;
	return 1;
}

static int
on_preset_ini(void *user, const char *section, const char *name, const char *value)
{
	struct preset_parse *pp = user;
	if (pp->err[0])
		return 0;
	if (strncmp(section, "preset.", 7) != 0) {
		snprintf(pp->err, sizeof pp->err, "[%s]: presets are [preset.NAME] sections", section);
		return 0;
	}
	struct fl_fxc_preset *p = preset_named(pp->c, section + 7);
	if (!p) {
		snprintf(pp->err, sizeof pp->err, "[%s]: too many presets or name too long", section);
		return 0;
	}
	if (strcmp(name, "description") == 0)
		return 1;
	return on_preset_key(pp, p, name, value);
}

enum fl_status
fl_fx_ctl_load_presets(struct fl_fx_ctl *c, const char *path, char *err, size_t errlen)
{
	struct preset_parse pp = {.c = c};
	int r = ini_parse(path, on_preset_ini, &pp);
	if (r < 0)
		return refuse(err, errlen, FL_ERR_IO, "cannot read presets file %s", path);
	if (r > 0)
		return refuse(err, errlen, FL_ERR_CONFIG, "%s:%d: %s", path, r,
		              pp.err[0] ? pp.err : "syntax error");
	return FL_OK;
}
