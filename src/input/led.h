/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What a state light shows: the track states as feedback classes, and the
 * pure functions that turn the engine's published status into GPIO LED
 * levels. Shared by the GPIO LEDs and the MIDI feedback messages.
 * Pure functions of their arguments: any thread, no allocation. */
#ifndef FL_INPUT_LED_H
#define FL_INPUT_LED_H

#include "footloop/engine.h"

#include <stdbool.h>
#include <stdint.h>

/* A track's state as a controller light sees it. */
enum fl_led_state {
	FL_LED_EMPTY = 0,
	FL_LED_ARMED,       ///< waiting for the boundary to record
	FL_LED_RECORDING,   ///< first pass (also while its close is scheduled)
	FL_LED_PLAYING,
	FL_LED_OVERDUBBING,
	FL_LED_STOPPED,
	FL_LED_MUTED,       ///< holds a loop that plays muted
	FL_LED__COUNT
};

#define FL_LED_BLINK_HZ 8     ///< overdubbing: fast blink (on/off at 8 Hz)
#define FL_LED_ARMED_HZ 2     ///< armed: slow blink
#define FL_LED_DIP_MS 80      ///< playing: off this long at each cycle start
#define FL_LED_BEAT_MS 60     ///< beat LED: on this long at each beat

enum fl_led_state fl_led_state_of(const struct fl_track_status *t);
/* "empty", "armed", "recording", "playing", "overdubbing", "stopped",
 * "muted"; -1 from the reverse when unknown. */
const char *fl_led_state_name(enum fl_led_state s);
int fl_led_state_from_name(const char *name);

/* LED level of one track: recording on; overdubbing fast blink (from the
 * engine frame clock); playing on with a FL_LED_DIP_MS dip at each master
 * cycle start; armed slow blink; empty, stopped and muted off. */
bool fl_led_track_level(const struct fl_track_status *t, const struct fl_engine_status *st);

/* Beat LED: on for FL_LED_BEAT_MS at each of beats_per_cycle beats of the
 * master cycle; off before the first loop (no cycle). */
bool fl_led_beat_level(const struct fl_engine_status *st, uint32_t beats_per_cycle);

#endif
