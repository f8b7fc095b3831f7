/* SPDX-License-Identifier: GPL-2.0-or-later */
/* OSC addresses of the effects, sends, limiter and panic (docs/osc.md,
 * "Effects"), and their feedback. Requests go through src/control/fx_ctl.c,
 * which checks every value; its sentence comes back as /footloop/error. */
#include "control/osc_private.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "<digits>/" at *s: the number, *s moved past the slash (or to the end
 * when want_slash is false). 0 when malformed. */
static unsigned long
take_number(const char **s, bool want_slash)
{
	char *end;
	errno = 0;
	unsigned long n = strtoul(*s, &end, 10);
	if (**s < '0' || **s > '9' || errno || (want_slash ? *end != '/' : *end != '\0'))
		return 0;
	*s = want_slash ? end + 1 : end;
	return n;
}

static bool
is_string(const char *types, int argc)
{
	return argc >= 1 && (types[0] == LO_STRING || types[0] == LO_SYMBOL);
}

static bool
number_arg(const char *types, lo_arg **argv, int argc, double *v)
{
	float f;
	int32_t i;
	if (argc < 1)
		return false;
	switch (types[0]) {
	case LO_FLOAT: memcpy(&f, argv[0], sizeof f); *v = f; return true;
	case LO_INT32: memcpy(&i, argv[0], sizeof i); *v = i; return true;
	case LO_DOUBLE: memcpy(v, argv[0], sizeof *v); return true;
	case LO_TRUE: *v = 1.0; return true;
	case LO_FALSE: *v = 0.0; return true;
	default: return false;
	}
}

static void
result(struct fl_osc *o, const char *path, enum fl_status st, const char *err)
{
	if (st != FL_OK)
		fl_osc_reply_error(o, path, "%s", err);
}

/* "<slot>/<op>" of a chain. */
static void
on_fx_op(struct fl_osc *o, const char *path, uint32_t target, const char *rest,
         const char *types, lo_arg **argv, int argc)
{
	char err[200] = "";
	double v = 0.0;
	unsigned long slot = take_number(&rest, true);
	if (slot < 1 || slot > FL_FX_SLOTS) {
		fl_osc_reply_error(o, path, "expected fx/<slot 1..%u>/<type|bypass|preset|parameter>",
		                   FL_FX_SLOTS);
		return;
	}
	uint32_t s = (uint32_t)slot - 1;
	enum fl_status st;
	if (strcmp(rest, "type") == 0) {
		int t = is_string(types, argc) ? fl_fx_type_from_name((const char *)argv[0]) : -1;
		if (t < 0) {
			fl_osc_reply_error(o, path, "expected an effect name: none, eq, compressor, gate, "
			                   "filter, delay, chorus, flanger, plate, room, hall");
			return;
		}
		st = fl_fx_ctl_set_type(o->fx, target, s, (enum fl_fx_type)t, err, sizeof err);
	} else if (strcmp(rest, "preset") == 0) {
		if (!is_string(types, argc)) {
			fl_osc_reply_error(o, path, "expected a preset name (s)");
			return;
		}
		st = fl_fx_ctl_preset(o->fx, target, (const char *)argv[0], err, sizeof err);
	} else if (is_string(types, argc)) {
		st = fl_fx_ctl_set_param_text(o->fx, target, s, rest, (const char *)argv[0], err,
		                              sizeof err);
	} else if (!number_arg(types, argv, argc, &v) || !isfinite(v) || fabs(v) > 1e30) {
		fl_osc_reply_error(o, path, "expected a finite number or a text value");
		return;
	} else if (strcmp(rest, "bypass") == 0) {
		st = fl_fx_ctl_set_bypass(o->fx, target, s, v != 0.0, err, sizeof err);
	} else {
		st = fl_fx_ctl_set_param(o->fx, target, s, rest, (float)v, err, sizeof err);
	}
	result(o, path, st, err);
}

bool
fl_osc_track_fx(struct fl_osc *o, const char *path, uint32_t track, const char *op,
                const char *types, lo_arg **argv, int argc)
{
	char err[200] = "";
	double v;
	if (!o->fx)
		return false;
	if (strncmp(op, "fx/", 3) == 0) {
		on_fx_op(o, path, track, op + 3, types, argv, argc);
		return true;
	}
	if (strncmp(op, "send/", 5) == 0) {
		const char *r = op + 5;
		unsigned long bus = take_number(&r, false);
		if (bus < 1 || bus > FL_BUSES || !number_arg(types, argv, argc, &v))
			fl_osc_reply_error(o, path, "expected send/<bus 1..%u> with a number", FL_BUSES);
		else
			result(o, path, fl_fx_ctl_set_send(o->fx, track, (uint32_t)bus - 1, (float)v, err,
			                                   sizeof err), err);
		return true;
	}
	if (strcmp(op, "input_fx") == 0) {
		if (!number_arg(types, argv, argc, &v))
			fl_osc_reply_error(o, path, "expected a number: 1 record through the input chain, 0 dry");
		else
			result(o, path, fl_fx_ctl_set_input_fx(o->fx, track, v != 0.0, err, sizeof err), err);
		return true;
	}
	return false;
}

static void
on_limiter(struct fl_osc *o, const char *path, const char *name, const char *types,
           lo_arg **argv, int argc)
{
	static const char *const names[FL_LIMITER__COUNT] = {"ceiling", "release", "hold"};
	char err[200] = "";
	double v;
	for (int p = 0; p < FL_LIMITER__COUNT; p++) {
		if (strcmp(name, names[p]) != 0)
			continue;
		if (!number_arg(types, argv, argc, &v))
			fl_osc_reply_error(o, path, "expected a number");
		else
			result(o, path, fl_fx_ctl_limiter(o->fx, (enum fl_limiter_param)p, (float)v, err,
			                                   sizeof err), err);
		return;
	}
	fl_osc_reply_error(o, path, "unknown limiter parameter (ceiling, release, hold)");
}

bool
fl_osc_global_fx(struct fl_osc *o, const char *path, const char *name, const char *types,
                 lo_arg **argv, int argc)
{
	char err[200] = "";
	double v;
	if (!o->fx)
		return false;
	if (strncmp(name, "input/fx/", 9) == 0) {
		on_fx_op(o, path, FL_FXC_INPUT, name + 9, types, argv, argc);
	} else if (strncmp(name, "master/fx/", 10) == 0) {
		on_fx_op(o, path, FL_FXC_MASTER, name + 10, types, argv, argc);
	} else if (strncmp(name, "master/limiter/", 15) == 0) {
		on_limiter(o, path, name + 15, types, argv, argc);
	} else if (strncmp(name, "send/", 5) == 0) {
		const char *r = name + 5;
		unsigned long bus = take_number(&r, true);
		if (bus < 1 || bus > FL_BUSES || strncmp(r, "fx/", 3) != 0)
			fl_osc_reply_error(o, path, "expected /footloop/send/<bus 1..%u>/fx/<slot>/...",
			                   FL_BUSES);
		else
			on_fx_op(o, path, FL_FXC_BUS(bus - 1), r + 3, types, argv, argc);
	} else if (strcmp(name, "panic") == 0) {
		/* A button: a press toggles; a release (0) is ignored. */
		if (number_arg(types, argv, argc, &v) && v == 0.0)
			return true;
		result(o, path, fl_fx_ctl_panic(o->fx, !o->fx->panic, err, sizeof err), err);
	} else {
		return false;
	}
	return true;
}

/* ---- Feedback ---- */

static void
send_f(struct fl_osc *o, const struct fl_osc_peer *to, const char *path, float v)
{
	lo_message m = lo_message_new();
	lo_message_add_float(m, v);
	fl_osc_deliver(o, to, path, m);
}

static void
send_i(struct fl_osc *o, const struct fl_osc_peer *to, const char *path, int32_t v)
{
	lo_message m = lo_message_new();
	lo_message_add_int32(m, v);
	fl_osc_deliver(o, to, path, m);
}

static void
emit_slot(struct fl_osc *o, const struct fl_osc_peer *to, uint32_t target, uint32_t slot,
          const struct fl_fxc_slot *a, const struct fl_fxc_slot *b, bool all)
{
	char base[48], p[128];
	fl_fx_ctl_target_path(target, base, sizeof base);
	bool retype = all || a->type != b->type;
	if (retype && (b->type != FL_FX_NONE || !all)) {
		snprintf(p, sizeof p, "/footloop/%s/fx/%u/type", base, slot + 1);
		lo_message m = lo_message_new();
		lo_message_add_string(m, fl_fx_type_name(b->type));
		fl_osc_deliver(o, to, p, m);
	}
	if (b->type == FL_FX_NONE)
		return;
	if (retype || a->bypass != b->bypass) {
		snprintf(p, sizeof p, "/footloop/%s/fx/%u/bypass", base, slot + 1);
		send_i(o, to, p, b->bypass);
	}
	uint32_t n = fl_fx_param_count(b->type);
	for (uint32_t i = 0; i < n && i < FL_FXC_MAX_PARAMS; i++) {
		if (!retype && a->param[i] == b->param[i])
			continue;
		snprintf(p, sizeof p, "/footloop/%s/fx/%u/%s", base, slot + 1,
		         fl_fx_param_info(b->type, i)->name);
		send_f(o, to, p, b->param[i]);
	}
}

void
fl_osc_emit_fx(struct fl_osc *o, const struct fl_osc_peer *to, bool all)
{
	const struct fl_fx_ctl *c = o->fx;
	struct fl_osc_fx_sent *s = o->fx_sent;
	char p[64];
	if (!c || !s)
		return;
	for (uint32_t t = 0; t < FL_FXC_TARGETS; t++) {
		if (t < FL_MAX_TRACKS && t >= c->n_tracks)
			continue;
		for (uint32_t k = 0; k < FL_FX_SLOTS; k++)
			emit_slot(o, to, t, k, &s->chain[t][k], &c->chain[t][k], all);
	}
	for (uint32_t t = 0; t < c->n_tracks; t++) {
		for (uint32_t b = 0; b < FL_BUSES; b++) {
			if (!all && s->send_gain[t][b] == c->send_gain[t][b])
				continue;
			snprintf(p, sizeof p, "/footloop/track/%u/send/%u", t + 1, b + 1);
			send_f(o, to, p, c->send_gain[t][b]);
		}
		if (all || s->input_fx[t] != c->input_fx[t]) {
			snprintf(p, sizeof p, "/footloop/track/%u/input_fx", t + 1);
			send_i(o, to, p, c->input_fx[t]);
		}
	}
	static const char *const lim[FL_LIMITER__COUNT] = {"ceiling", "release", "hold"};
	for (int k = 0; k < FL_LIMITER__COUNT; k++) {
		if (!all && s->limiter[k] == c->limiter[k])
			continue;
		snprintf(p, sizeof p, "/footloop/master/limiter/%s", lim[k]);
		send_f(o, to, p, c->limiter[k]);
	}
	if (all || s->panic != c->panic)
		send_i(o, to, "/footloop/panic", c->panic);
}

/* What clients were last told becomes the current state. */
void
fl_osc_fx_mark_sent(struct fl_osc *o)
{
	if (!o->fx || !o->fx_sent)
		return;
	memcpy(o->fx_sent->chain, o->fx->chain, sizeof o->fx_sent->chain);
	memcpy(o->fx_sent->send_gain, o->fx->send_gain, sizeof o->fx_sent->send_gain);
	memcpy(o->fx_sent->input_fx, o->fx->input_fx, sizeof o->fx_sent->input_fx);
	memcpy(o->fx_sent->limiter, o->fx->limiter, sizeof o->fx_sent->limiter);
	o->fx_sent->panic = o->fx->panic;
}

void
fl_osc_set_fx(struct fl_osc *o, struct fl_fx_ctl *fx)
{
	if (!o->fx_sent)
		o->fx_sent = calloc(1, sizeof *o->fx_sent);
	o->fx = o->fx_sent ? fx : NULL;
	fl_osc_fx_mark_sent(o);
}
