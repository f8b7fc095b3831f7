/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "input/gestures.h"

#include <string.h>

#define NS_PER_MS 1000000ull

static const char *const gesture_names[FL_GESTURE__COUNT] = {
	[FL_GESTURE_PRESS] = "press",       [FL_GESTURE_RELEASE] = "release",
	[FL_GESTURE_TAP] = "tap",           [FL_GESTURE_DOUBLE_TAP] = "double_tap",
	[FL_GESTURE_LONG] = "long",         [FL_GESTURE_LONGER] = "longer",
};

/* Output cursor: gestures beyond max are counted, never written. */
struct emitter {
	struct fl_gesture_out *out;
	size_t max;
	size_t n;
	uint64_t *dropped;
};

/* Wrap-safe "a is at or before b": timestamps may wrap at 2^64, intervals
 * never approach 2^63 ns. */
static bool
at_or_before(uint64_t a, uint64_t b)
{
	return (int64_t)(b - a) >= 0;
}

static uint64_t
ms_ns(uint32_t ms)
{
	return (uint64_t)ms * NS_PER_MS;
}

static bool
bound(const struct fl_gesture_switch *s, enum fl_gesture gst)
{
	return s->cfg.bind[gst].type != FL_ACTION_NONE;
}

static void
emit(struct emitter *em, uint32_t sw, const struct fl_gesture_switch *s, enum fl_gesture gst,
     uint64_t origin_ns)
{
	if (!bound(s, gst))
		return;
	if (em->n >= em->max) {
		(*em->dropped)++;
		return;
	}
	em->out[em->n++] = (struct fl_gesture_out){
		.action = s->cfg.bind[gst], .sw = sw, .gesture = gst, .origin_ns = origin_ns};
}

/* Hold time below which a release is a tap: the first bound hold
 * threshold. With no hold bound, every press-release is a tap. */
static uint64_t
tap_limit_ns(const struct fl_gesture_switch *s)
{
	if (bound(s, FL_GESTURE_LONG))
		return ms_ns(s->cfg.long_ms);
	if (bound(s, FL_GESTURE_LONGER))
		return ms_ns(s->cfg.longer_ms);
	return UINT64_MAX;
}

/* long fires on release (not at its threshold) when longer is bound too. */
static bool
long_on_release(const struct fl_gesture_switch *s)
{
	return bound(s, FL_GESTURE_LONGER);
}

/* A tap (momentary release or latching change) at ts, or the second half of
 * a double tap; returns true when it completed a double tap. */
static bool
tap_or_double(struct emitter *em, uint32_t sw, struct fl_gesture_switch *s, uint64_t ts)
{
	bool in_window = s->tap_open && bound(s, FL_GESTURE_DOUBLE_TAP) &&
	                 at_or_before(ts, s->tap_end_ns + ms_ns(s->cfg.double_tap_ms));
	if (in_window) {
		s->tap_open = false;
		s->tap_pending = false;
		emit(em, sw, s, FL_GESTURE_DOUBLE_TAP, ts);
		return true;
	}
	return false;
}

static void
finish_tap(struct emitter *em, uint32_t sw, struct fl_gesture_switch *s, uint64_t ts)
{
	s->tap_open = true;
	s->tap_end_ns = ts;
	if (s->cfg.exclusive_double && bound(s, FL_GESTURE_DOUBLE_TAP))
		s->tap_pending = true;
	else
		emit(em, sw, s, FL_GESTURE_TAP, s->press_ns);
}

static void
on_press(struct emitter *em, uint32_t sw, struct fl_gesture_switch *s, uint64_t ts)
{
	s->press_ns = ts;
	s->long_done = false;
	s->longer_done = false;
	emit(em, sw, s, FL_GESTURE_PRESS, ts);
	s->second_press = tap_or_double(em, sw, s, ts);
}

static void
on_release(struct emitter *em, uint32_t sw, struct fl_gesture_switch *s, uint64_t ts)
{
	uint64_t held = ts - s->press_ns;

	emit(em, sw, s, FL_GESTURE_RELEASE, s->press_ns);
	if (s->second_press) {
		s->second_press = false;
		return;
	}
	if (held < tap_limit_ns(s)) {
		finish_tap(em, sw, s, ts);
		return;
	}
	s->tap_open = false;
	if (long_on_release(s) && !s->longer_done && !s->long_done &&
	    bound(s, FL_GESTURE_LONG)) {
		s->long_done = true;
		emit(em, sw, s, FL_GESTURE_LONG, s->press_ns);
	}
}

/* A latching switch: every change of position is one press gesture. */
static void
on_latch(struct emitter *em, uint32_t sw, struct fl_gesture_switch *s, uint64_t ts)
{
	s->press_ns = ts;
	emit(em, sw, s, FL_GESTURE_PRESS, ts);
	if (!tap_or_double(em, sw, s, ts))
		finish_tap(em, sw, s, ts);
}

static void
accept(struct emitter *em, uint32_t sw, struct fl_gesture_switch *s, bool pressed, uint64_t ts)
{
	s->have_edge = true;
	s->accepted_ns = ts;
	s->pressed = pressed;
	if (s->cfg.type == FL_SWITCH_LATCHING)
		on_latch(em, sw, s, ts);
	else if (pressed)
		on_press(em, sw, s, ts);
	else
		on_release(em, sw, s, ts);
}

enum deadline_kind { DL_NONE, DL_DEBOUNCE, DL_LONG, DL_LONGER, DL_TAP };

/* The switch's earliest pending deadline. */
static enum deadline_kind
switch_deadline(const struct fl_gesture_switch *s, uint64_t *when)
{
	enum deadline_kind kind = DL_NONE;
	uint64_t t;

#define CONSIDER(k, value)                                         \
	do {                                                       \
		t = (value);                                       \
		if (kind == DL_NONE || !at_or_before(*when, t)) { \
			kind = (k);                                \
			*when = t;                                 \
		}                                                  \
	} while (0)
	if (s->have_edge && s->raw != s->pressed) {
		uint64_t a = s->accepted_ns + ms_ns(s->cfg.debounce_ms);
		uint64_t r = s->raw_ns + ms_ns(s->cfg.debounce_ms);
		CONSIDER(DL_DEBOUNCE, at_or_before(a, r) ? r : a);
	}
	if (s->cfg.type == FL_SWITCH_MOMENTARY && s->pressed && !s->second_press) {
		if (bound(s, FL_GESTURE_LONG) && !long_on_release(s) && !s->long_done)
			CONSIDER(DL_LONG, s->press_ns + ms_ns(s->cfg.long_ms));
		if (bound(s, FL_GESTURE_LONGER) && !s->longer_done)
			CONSIDER(DL_LONGER, s->press_ns + ms_ns(s->cfg.longer_ms));
	}
	if (s->tap_pending)
		CONSIDER(DL_TAP, s->tap_end_ns + ms_ns(s->cfg.double_tap_ms));
#undef CONSIDER
	return kind;
}

/* Runs deadlines at or before now, earliest first. Each one clears itself,
 * so the loop is bounded by the number of kinds. */
static void
run_due(struct emitter *em, uint32_t sw, struct fl_gesture_switch *s, uint64_t now)
{
	for (int guard = 0; guard < 8; guard++) {
		uint64_t when = 0;
		enum deadline_kind kind = switch_deadline(s, &when);
		if (kind == DL_NONE || !at_or_before(when, now))
			return;
		switch (kind) {
		case DL_DEBOUNCE:
			accept(em, sw, s, s->raw, when);
			break;
		case DL_LONG:
			s->long_done = true;
			emit(em, sw, s, FL_GESTURE_LONG, s->press_ns);
			break;
		case DL_LONGER:
			s->longer_done = true;
			s->long_done = true;
			emit(em, sw, s, FL_GESTURE_LONGER, s->press_ns);
			break;
		case DL_TAP:
			s->tap_pending = false;
			emit(em, sw, s, FL_GESTURE_TAP, s->press_ns);
			break;
		case DL_NONE:
			return;
		}
	}
}

void
fl_gesture_config_defaults(struct fl_gesture_config *c)
{
	memset(c, 0, sizeof(*c));
	c->type = FL_SWITCH_MOMENTARY;
	c->debounce_ms = 10;
	c->long_ms = 800;
	c->longer_ms = 2000;
	c->double_tap_ms = 300;
	for (int i = 0; i < FL_GESTURE__COUNT; i++)
		c->bind[i] = (struct fl_action){.type = FL_ACTION_NONE, .track = FL_TRACK_NONE};
}

static struct fl_action
button(enum fl_action_type type, int32_t track)
{
	return (struct fl_action){.type = type, .track = track, .value = 1.0f};
}

void
fl_gesture_config_pedal(struct fl_gesture_config *c)
{
	fl_gesture_config_defaults(c);
	c->bind[FL_GESTURE_TAP] = button(FL_ACTION_REC_DUB, FL_TRACK_SELECTED);
	c->bind[FL_GESTURE_DOUBLE_TAP] = button(FL_ACTION_STOP, FL_TRACK_SELECTED);
	c->bind[FL_GESTURE_LONG] = button(FL_ACTION_UNDO, FL_TRACK_SELECTED);
	c->bind[FL_GESTURE_LONGER] = button(FL_ACTION_CLEAR, FL_TRACK_SELECTED);
}

void
fl_gesture_config_select(struct fl_gesture_config *c)
{
	fl_gesture_config_defaults(c);
	c->bind[FL_GESTURE_TAP] = button(FL_ACTION_SELECT_NEXT, FL_TRACK_NONE);
}

void
fl_gestures_init(struct fl_gestures *g, const struct fl_gesture_config *cfgs, uint32_t n)
{
	memset(g, 0, sizeof(*g));
	g->n = n > FL_GESTURE_MAX_SWITCHES ? FL_GESTURE_MAX_SWITCHES : n;
	for (uint32_t i = 0; i < g->n; i++)
		g->sw[i].cfg = cfgs[i];
}

size_t
fl_gestures_edge(struct fl_gestures *g, uint32_t sw, bool pressed, uint64_t ts_ns,
                 struct fl_gesture_out *out, size_t max)
{
	struct emitter em = {.out = out, .max = max, .dropped = &g->dropped};
	struct fl_gesture_switch *s;

	if (sw >= g->n)
		return 0;
	s = &g->sw[sw];
	run_due(&em, sw, s, ts_ns);
	s->raw = pressed;
	s->raw_ns = ts_ns;
	if (s->have_edge && !at_or_before(s->accepted_ns + ms_ns(s->cfg.debounce_ms), ts_ns))
		return em.n; /* bounce: inside the window of the last accepted edge */
	if (s->have_edge && pressed == s->pressed)
		return em.n; /* no change (a lost edge or a repeated event) */
	if (!s->have_edge && !pressed)
		return em.n; /* first edge a release: we started released */
	accept(&em, sw, s, pressed, ts_ns);
	return em.n;
}

size_t
fl_gestures_tick(struct fl_gestures *g, uint64_t now_ns, struct fl_gesture_out *out, size_t max)
{
	struct emitter em = {.out = out, .max = max, .dropped = &g->dropped};

	for (uint32_t i = 0; i < g->n; i++)
		run_due(&em, i, &g->sw[i], now_ns);
	return em.n;
}

bool
fl_gestures_next_deadline(const struct fl_gestures *g, uint64_t *deadline_ns)
{
	bool any = false;

	for (uint32_t i = 0; i < g->n; i++) {
		uint64_t when = 0;
		if (switch_deadline(&g->sw[i], &when) == DL_NONE)
			continue;
		if (!any || !at_or_before(*deadline_ns, when))
			*deadline_ns = when;
		any = true;
	}
	return any;
}

const char *
fl_gesture_name(enum fl_gesture gst)
{
	if ((unsigned)gst >= FL_GESTURE__COUNT)
		return NULL;
	return gesture_names[gst];
}

int
fl_gesture_from_name(const char *name)
{
	for (int i = 0; i < FL_GESTURE__COUNT; i++)
		if (name && strcmp(gesture_names[i], name) == 0)
			return i;
	return -1;
}
