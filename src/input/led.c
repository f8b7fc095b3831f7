/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "input/led.h"

#include <string.h>

static const char *const led_state_names[FL_LED__COUNT] = {
	[FL_LED_EMPTY] = "empty",         [FL_LED_ARMED] = "armed",
	[FL_LED_RECORDING] = "recording", [FL_LED_PLAYING] = "playing",
	[FL_LED_OVERDUBBING] = "overdubbing", [FL_LED_STOPPED] = "stopped",
	[FL_LED_MUTED] = "muted",
};

enum fl_led_state
fl_led_state_of(const struct fl_track_status *t)
{
	switch (t->state) {
	case FL_TRACK_ARMED:
		return FL_LED_ARMED;
	case FL_TRACK_RECORDING:
		return FL_LED_RECORDING;
	case FL_TRACK_PLAYING:
		return t->muted ? FL_LED_MUTED : FL_LED_PLAYING;
	case FL_TRACK_OVERDUBBING:
		return FL_LED_OVERDUBBING;
	case FL_TRACK_STOPPED:
		return FL_LED_STOPPED;
	default:
		return FL_LED_EMPTY;
	}
}

const char *
fl_led_state_name(enum fl_led_state s)
{
	return (unsigned)s < FL_LED__COUNT ? led_state_names[s] : NULL;
}

int
fl_led_state_from_name(const char *name)
{
	for (int i = 0; i < FL_LED__COUNT; i++)
		if (name && strcmp(led_state_names[i], name) == 0)
			return i;
	return -1;
}

/* Square wave of hz from the frame clock: on in the first half-period. */
static bool
blink(uint64_t frame, uint32_t rate, uint32_t hz)
{
	uint64_t period = rate / hz;

	if (period < 2)
		return true;
	return frame % period < period / 2;
}

bool
fl_led_track_level(const struct fl_track_status *t, const struct fl_engine_status *st)
{
	uint64_t dip = (uint64_t)st->sample_rate * FL_LED_DIP_MS / 1000u;

	switch (fl_led_state_of(t)) {
	case FL_LED_RECORDING:
		return true;
	case FL_LED_OVERDUBBING:
		return blink(st->frame, st->sample_rate, FL_LED_BLINK_HZ);
	case FL_LED_ARMED:
		return blink(st->frame, st->sample_rate, FL_LED_ARMED_HZ);
	case FL_LED_PLAYING:
		return st->cycle_frames == 0 || st->cycle_position >= dip;
	default:
		return false;
	}
}

bool
fl_led_beat_level(const struct fl_engine_status *st, uint32_t beats_per_cycle)
{
	uint64_t beat, on;

	if (st->cycle_frames == 0 || beats_per_cycle == 0)
		return false;
	beat = st->cycle_frames / beats_per_cycle;
	if (beat == 0)
		return false;
	on = (uint64_t)st->sample_rate * FL_LED_BEAT_MS / 1000u;
	if (on > beat / 2)
		on = beat / 2; /* very fast beats: keep a visible off phase */
	return st->cycle_position % beat < on;
}
