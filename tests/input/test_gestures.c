/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Gesture recognizer: table tests over synthetic edge timelines. Each case
 * lists edges and timer ticks in ms (offset by a base that may sit just
 * before the 2^64 wrap) and the gestures expected, as "switch:gesture". */
#include "check.h"
#include "input/gestures.h"

#include <stdio.h>
#include <string.h>

enum step_kind { END = 0, P, R, TICK };
struct step {
	enum step_kind kind;
	uint32_t sw;
	uint64_t t_ms;
};

enum preset { PEDAL, PEDAL_LATCH, LONG_ONLY, EXCLUSIVE, PRESS_RELEASE, NO_HOLD };

struct gcase {
	const char *name;
	enum preset preset;
	uint64_t base_ns;
	struct step steps[24];
	const char *expect;
};

#define NEAR_WRAP (UINT64_MAX - 50000000ull) /* 50 ms before the wrap */

static const struct gcase cases[] = {
	{"tap", PEDAL, 0, {{P, 0, 1000}, {R, 0, 1100}}, "0:tap"},
	{"bounce on press and release", PEDAL, 0,
	 {{P, 0, 1000}, {R, 0, 1001}, {P, 0, 1002}, {R, 0, 1004}, {P, 0, 1006},
	  {R, 0, 1150}, {P, 0, 1151}, {R, 0, 1153}, {TICK, 0, 1400}},
	 "0:tap"},
	{"double tap", PEDAL, 0, {{P, 0, 1000}, {R, 0, 1100}, {P, 0, 1250}, {R, 0, 1350}},
	 "0:tap 0:double_tap"},
	{"second tap too late", PEDAL, 0,
	 {{P, 0, 1000}, {R, 0, 1100}, {P, 0, 1500}, {R, 0, 1600}}, "0:tap 0:tap"},
	{"triple tap: tap, double, tap", PEDAL, 0,
	 {{P, 0, 1000}, {R, 0, 1080}, {P, 0, 1200}, {R, 0, 1280}, {P, 0, 1400}, {R, 0, 1480}},
	 "0:tap 0:double_tap 0:tap"},
	{"long (longer bound): fires on release", PEDAL, 0,
	 {{P, 0, 1000}, {TICK, 0, 1900}, {R, 0, 2000}}, "0:long"},
	{"longer fires at its threshold, once", PEDAL, 0,
	 {{P, 0, 1000}, {TICK, 0, 2999}, {TICK, 0, 3000}, {TICK, 0, 3500}, {R, 0, 4000}},
	 "0:longer"},
	{"late timer: longer still fires before the release", PEDAL, 0,
	 {{P, 0, 1000}, {R, 0, 3500}}, "0:longer"},
	{"long only: fires at the threshold", LONG_ONLY, 0,
	 {{P, 0, 1000}, {TICK, 0, 1799}, {TICK, 0, 1800}, {R, 0, 2500}}, "0:long"},
	{"release at exactly long_ms is long", LONG_ONLY, 0, {{P, 0, 1000}, {R, 0, 1800}},
	 "0:long"},
	{"release just before long_ms is a tap", LONG_ONLY, 0, {{P, 0, 1000}, {R, 0, 1799}},
	 "0:tap"},
	{"no tap after a hold; no double across a hold", PEDAL, 0,
	 {{P, 0, 1000}, {R, 0, 2000}, {P, 0, 2100}, {R, 0, 2200}}, "0:long 0:tap"},
	{"two switches at once", PEDAL, 0,
	 {{P, 0, 1000}, {P, 1, 1010}, {R, 1, 1060}, {R, 0, 1100}, {P, 1, 1500}, {R, 1, 1550}},
	 "1:tap 0:tap 1:tap"},
	{"two switches held: independent holds", PEDAL, 0,
	 {{P, 0, 1000}, {P, 1, 1100}, {TICK, 0, 3000}, {R, 1, 3100}, {R, 0, 3200}},
	 "0:longer 1:tap"}, /* switch 1 binds no hold: any press-release is a tap */
	{"timestamps wrapping during a tap", PEDAL, NEAR_WRAP, {{P, 0, 0}, {R, 0, 100}},
	 "0:tap"},
	{"timestamps wrapping during a double tap", PEDAL, NEAR_WRAP,
	 {{P, 0, 0}, {R, 0, 40}, {P, 0, 150}, {R, 0, 200}}, "0:tap 0:double_tap"},
	{"timestamps wrapping during a hold", PEDAL, NEAR_WRAP,
	 {{P, 0, 0}, {TICK, 0, 1999}, {TICK, 0, 2000}, {R, 0, 2100}}, "0:longer"},
	{"latching: each change is a press", PEDAL_LATCH, 0,
	 {{P, 0, 1000}, {R, 0, 3000}, {P, 0, 6000}}, "0:tap 0:tap 0:tap"},
	{"latching: two quick changes are a double tap", PEDAL_LATCH, 0,
	 {{P, 0, 1000}, {R, 0, 1200}}, "0:tap 0:double_tap"},
	{"latching: bounce ignored, no hold gestures", PEDAL_LATCH, 0,
	 {{P, 0, 1000}, {R, 0, 1002}, {P, 0, 1004}, {TICK, 0, 5000}}, "0:tap"},
	{"glitch release inside debounce is taken when stable", PEDAL, 0,
	 {{P, 0, 1000}, {R, 0, 1003}, {TICK, 0, 1012}, {TICK, 0, 1013}}, "0:tap"},
	{"bounce train ending at the window edge", PEDAL, 0,
	 {{P, 0, 1000}, {R, 0, 1009}, {P, 0, 1011}, {TICK, 0, 1100}, {R, 0, 1200}}, "0:tap"},
	{"exclusive double: tap waits for the window", EXCLUSIVE, 0,
	 {{P, 0, 1000}, {R, 0, 1100}, {TICK, 0, 1399}, {TICK, 0, 1400}}, "0:tap"},
	{"exclusive double: double replaces the tap", EXCLUSIVE, 0,
	 {{P, 0, 1000}, {R, 0, 1100}, {P, 0, 1200}, {R, 0, 1300}, {TICK, 0, 2000}},
	 "0:double_tap"},
	{"press and release bindings", PRESS_RELEASE, 0,
	 {{P, 0, 1000}, {R, 0, 1005}, {P, 0, 1007}, {R, 0, 3000}}, "0:press 0:release"},
	{"no hold bound: a long press is still a tap", NO_HOLD, 0,
	 {{P, 0, 1000}, {R, 0, 9000}}, "0:tap"},
	{"release first (started released) is ignored", PEDAL, 0,
	 {{R, 0, 1000}, {P, 0, 1100}, {R, 0, 1200}}, "0:tap"},
	{"repeated press event is ignored", PEDAL, 0,
	 {{P, 0, 1000}, {P, 0, 1050}, {R, 0, 1100}}, "0:tap"},
	{"unknown switch is ignored", PEDAL, 0, {{P, 9, 1000}, {R, 9, 1100}}, ""},
};

static void
make_configs(enum preset preset, struct fl_gesture_config cfg[2])
{
	fl_gesture_config_pedal(&cfg[0]);
	fl_gesture_config_select(&cfg[1]);
	switch (preset) {
	case PEDAL:
		break;
	case PEDAL_LATCH:
		cfg[0].type = FL_SWITCH_LATCHING;
		break;
	case LONG_ONLY:
		cfg[0].bind[FL_GESTURE_LONGER].type = FL_ACTION_NONE;
		break;
	case EXCLUSIVE:
		cfg[0].exclusive_double = true;
		break;
	case PRESS_RELEASE:
		fl_gesture_config_defaults(&cfg[0]);
		cfg[0].bind[FL_GESTURE_PRESS] = (struct fl_action){FL_ACTION_OVERDUB, 0, 1.0f, 0, 0, 0};
		cfg[0].bind[FL_GESTURE_RELEASE] = (struct fl_action){FL_ACTION_OVERDUB, 0, 1.0f, 0, 0, 0};
		break;
	case NO_HOLD:
		cfg[0].bind[FL_GESTURE_LONG].type = FL_ACTION_NONE;
		cfg[0].bind[FL_GESTURE_LONGER].type = FL_ACTION_NONE;
		break;
	}
}

static void
append(char *buf, size_t len, const struct fl_gesture_out *o, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, "%s%u:%s", used ? " " : "", o[i].sw,
		         fl_gesture_name(o[i].gesture));
	}
}

static void
run_case(const struct gcase *c)
{
	struct fl_gesture_config cfg[2];
	struct fl_gestures g;
	struct fl_gesture_out out[FL_GESTURE_MAX_OUT];
	char got[256] = "";

	make_configs(c->preset, cfg);
	fl_gestures_init(&g, cfg, 2);
	for (const struct step *s = c->steps; s->kind != END; s++) {
		uint64_t t = c->base_ns + s->t_ms * 1000000ull;
		size_t n;
		if (s->kind == TICK)
			n = fl_gestures_tick(&g, t, out, FL_GESTURE_MAX_OUT);
		else
			n = fl_gestures_edge(&g, s->sw, s->kind == P, t, out, FL_GESTURE_MAX_OUT);
		append(got, sizeof(got), out, n);
	}
	CHECK_MSG(strcmp(got, c->expect) == 0, "%s: got \"%s\", want \"%s\"", c->name, got,
	          c->expect);
	CHECK_MSG(g.dropped == 0, "%s: dropped %llu", c->name, (unsigned long long)g.dropped);
}

/* The default workflow's actions and the origin of a tap. */
static void
test_pedal_actions(void)
{
	struct fl_gesture_config cfg[2];
	struct fl_gestures g;
	struct fl_gesture_out out[FL_GESTURE_MAX_OUT];
	size_t n;

	make_configs(PEDAL, cfg);
	fl_gestures_init(&g, cfg, 2);
	CHECK(fl_gestures_edge(&g, 0, true, 5000000, out, 8) == 0);
	n = fl_gestures_edge(&g, 0, false, 105000000, out, 8);
	CHECK(n == 1 && out[0].action.type == FL_ACTION_REC_DUB &&
	      out[0].action.track == FL_TRACK_SELECTED && out[0].origin_ns == 5000000);
	n = fl_gestures_edge(&g, 0, true, 205000000, out, 8);
	CHECK(n == 1 && out[0].action.type == FL_ACTION_STOP);
	(void)fl_gestures_edge(&g, 0, false, 305000000, out, 8);
	(void)fl_gestures_edge(&g, 0, true, 1000000000, out, 8);
	n = fl_gestures_edge(&g, 0, false, 2000000000, out, 8);
	CHECK(n == 1 && out[0].action.type == FL_ACTION_UNDO);
	(void)fl_gestures_edge(&g, 0, true, 3000000000, out, 8);
	n = fl_gestures_tick(&g, 5000000000, out, 8);
	CHECK(n == 1 && out[0].action.type == FL_ACTION_CLEAR);
	(void)fl_gestures_edge(&g, 1, true, 6000000000, out, 8);
	n = fl_gestures_edge(&g, 1, false, 6100000000, out, 8);
	CHECK(n == 1 && out[0].action.type == FL_ACTION_SELECT_NEXT &&
	      out[0].action.track == FL_TRACK_NONE);
}

static void
test_deadlines(void)
{
	struct fl_gesture_config cfg[2];
	struct fl_gestures g;
	struct fl_gesture_out out[FL_GESTURE_MAX_OUT];
	uint64_t d = 0;

	make_configs(PEDAL, cfg);
	fl_gestures_init(&g, cfg, 2);
	CHECK(!fl_gestures_next_deadline(&g, &d));
	(void)fl_gestures_edge(&g, 0, true, 1000, out, 8);
	CHECK(fl_gestures_next_deadline(&g, &d) && d == 1000 + 2000000000ull);
	(void)fl_gestures_edge(&g, 1, true, 5000, out, 8);
	CHECK(fl_gestures_next_deadline(&g, &d) && d == 1000 + 2000000000ull);
	(void)fl_gestures_edge(&g, 0, false, 100000000, out, 8);
	CHECK(!fl_gestures_next_deadline(&g, &d)); /* switch 1 has no hold bound */

	make_configs(LONG_ONLY, cfg);
	fl_gestures_init(&g, cfg, 2);
	(void)fl_gestures_edge(&g, 0, true, UINT64_MAX - 10, out, 8);
	CHECK(fl_gestures_next_deadline(&g, &d) && d == UINT64_MAX - 10 + 800000000ull);
	/* A glitch asks for a debounce deadline. */
	(void)fl_gestures_edge(&g, 1, true, 0, out, 8);
	(void)fl_gestures_edge(&g, 1, false, 3000000, out, 8);
	CHECK(fl_gestures_next_deadline(&g, &d) && d == 13000000);
}

static void
test_full_out(void)
{
	struct fl_gesture_config cfg[2];
	struct fl_gestures g;
	struct fl_gesture_out out[1];

	make_configs(PRESS_RELEASE, cfg);
	cfg[0].bind[FL_GESTURE_TAP] = cfg[0].bind[FL_GESTURE_PRESS];
	fl_gestures_init(&g, cfg, 2);
	CHECK(fl_gestures_edge(&g, 0, true, 0, out, 1) == 1);
	CHECK(fl_gestures_edge(&g, 0, false, 50000000, out, 1) == 1); /* release + tap */
	CHECK(g.dropped == 1);
	CHECK(fl_gestures_edge(&g, 0, true, 100000000, out, 0) == 0);
	CHECK(g.dropped == 2);
}

static void
test_names(void)
{
	for (int i = 0; i < FL_GESTURE__COUNT; i++)
		CHECK(fl_gesture_from_name(fl_gesture_name((enum fl_gesture)i)) == i);
	CHECK(fl_gesture_from_name("hold") == -1);
	CHECK(fl_gesture_name(FL_GESTURE__COUNT) == NULL);
}

int
main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	test_pedal_actions();
	test_deadlines();
	test_full_out();
	test_names();
	return fl_check_summary("test_gestures");
}
