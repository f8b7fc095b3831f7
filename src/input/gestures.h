/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Foot-switch gestures: a pure state machine per switch.
 *
 * Fed with debounced-or-not edges {switch, pressed, timestamp_ns} (pressed is
 * the logical level, after active-low and invert) and with "now" from the
 * control loop's timer, it returns the actions bound to the gestures it
 * recognises. No I/O, no allocation, no clock reads: every time comes from
 * the caller, so the tests drive it with synthetic timelines.
 *
 * Time base: nanoseconds on one monotonic clock (the kernel's GPIO event
 * timestamps are CLOCK_MONOTONIC, so the timer must read CLOCK_MONOTONIC).
 * Timestamps may wrap at 2^64: every comparison is on differences.
 *
 * Gestures of a momentary switch:
 *   press      the accepted press edge (fires at once)
 *   release    the accepted release edge
 *   tap        press then release before the first bound hold threshold;
 *              fires on the release
 *   double_tap a press less than double_tap_ms after a tap's release; fires on
 *              that second press. The first tap has already fired: a tap
 *              never waits for a possible double tap (a looper's first tap
 *              must not be late), unless exclusive_double is set.
 *   long       held long_ms. Fires at the threshold while still held, unless
 *              longer is also bound: then it fires on a release between
 *              long_ms and longer_ms, so that a hold meant as "longer" does
 *              not also run the long action first.
 *   longer     held longer_ms; fires at the threshold while held.
 * After a double tap, the second press gives no tap, long or longer.
 *
 * A latching switch turns each change of position into one "press" gesture
 * (press, then tap or double_tap); release, long and longer never fire.
 *
 * Debounce: an edge closer than debounce_ms to the last accepted edge is
 * ignored. If the ignored edges leave the switch in the other position, that
 * position is accepted once it has been stable for debounce_ms (a timer
 * deadline, at the later of accepted + debounce and last edge + debounce), so
 * a bounce can never leave the state stuck.
 *
 * Threads: one owner (the control thread). */
#ifndef FL_INPUT_GESTURES_H
#define FL_INPUT_GESTURES_H

#include "footloop/action.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FL_GESTURE_MAX_SWITCHES 16
#define FL_GESTURE_MAX_OUT 8 ///< enough room for what one edge or tick can produce

enum fl_gesture {
	FL_GESTURE_PRESS = 0,
	FL_GESTURE_RELEASE,
	FL_GESTURE_TAP,
	FL_GESTURE_DOUBLE_TAP,
	FL_GESTURE_LONG,
	FL_GESTURE_LONGER,
	FL_GESTURE__COUNT
};

enum fl_switch_type {
	FL_SWITCH_MOMENTARY = 0,
	FL_SWITCH_LATCHING,
};

struct fl_gesture_config {
	enum fl_switch_type type;
	uint32_t debounce_ms;   ///< 0: no software debounce (kernel debounce in use)
	uint32_t long_ms;       ///< hold threshold of "long" (default 800)
	uint32_t longer_ms;     ///< hold threshold of "longer" (default 2000), > long_ms
	uint32_t double_tap_ms; ///< max gap from a tap's release to the next press (default 300)
	bool exclusive_double;  ///< tap waits double_tap_ms and is dropped by a double tap
	/* One action per gesture; type FL_ACTION_NONE leaves it unbound. */
	struct fl_action bind[FL_GESTURE__COUNT];
};

/* One recognised gesture with its bound action. origin_ns is the timestamp
 * of the press edge the gesture started with (the moment the foot came
 * down), for callers that compensate the recognition delay. */
struct fl_gesture_out {
	struct fl_action action;
	uint32_t sw;
	enum fl_gesture gesture;
	uint64_t origin_ns;
};

/* Per-switch state; treat as private. */
struct fl_gesture_switch {
	struct fl_gesture_config cfg;
	bool pressed;      ///< debounced state
	bool raw;          ///< position of the last edge seen, accepted or not
	bool have_edge;    ///< accepted_ns is valid
	bool long_done;
	bool longer_done;
	bool second_press; ///< this press completed a double tap
	bool tap_open;     ///< a tap ended at tap_end_ns (double-tap window)
	bool tap_pending;  ///< exclusive_double: tap waiting for the window to close
	uint64_t accepted_ns;
	uint64_t raw_ns;   ///< time of the last edge seen
	uint64_t press_ns;
	uint64_t tap_end_ns;
};

struct fl_gestures {
	uint32_t n;
	uint64_t dropped; ///< gestures lost because the caller's out array was full
	struct fl_gesture_switch sw[FL_GESTURE_MAX_SWITCHES];
};

/* Momentary, 10 ms debounce, 800/2000 ms holds, 300 ms double tap, no
 * bindings. */
void fl_gesture_config_defaults(struct fl_gesture_config *c);
/* The single-pedal workflow: tap = rec_dub (selected track), double tap =
 * stop, long = undo, longer = clear. */
void fl_gesture_config_pedal(struct fl_gesture_config *c);
/* The second switch: tap = select_next. */
void fl_gesture_config_select(struct fl_gesture_config *c);

/* n is clamped to FL_GESTURE_MAX_SWITCHES; all switches start released. */
void fl_gestures_init(struct fl_gestures *g, const struct fl_gesture_config *cfgs, uint32_t n);

/* Feeds one edge of switch sw. Deadlines due before ts are handled first, so
 * a late timer never changes the outcome. Returns the number of gestures
 * written to out (at most max; the rest are counted in dropped). */
size_t fl_gestures_edge(struct fl_gestures *g, uint32_t sw, bool pressed, uint64_t ts_ns,
                        struct fl_gesture_out *out, size_t max);

/* Handles every deadline at or before now_ns (long, longer, deferred taps,
 * the end of a debounce window). */
size_t fl_gestures_tick(struct fl_gestures *g, uint64_t now_ns, struct fl_gesture_out *out,
                        size_t max);

/* The earliest time fl_gestures_tick() has work; false when nothing waits. */
bool fl_gestures_next_deadline(const struct fl_gestures *g, uint64_t *deadline_ns);

/* "press", "release", "tap", "double_tap", "long", "longer"; NULL if invalid. */
const char *fl_gesture_name(enum fl_gesture gst);
/* -1 when unknown. */
int fl_gesture_from_name(const char *name);

#endif
