/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The control thread's side of the foot switches and MIDI controllers: it
 * wires src/input/ (gestures, GPIO, MIDI parser, map, queue, RtMidi glue)
 * to the actions policy, exactly as OSC is wired. docs/inputs.md describes
 * the inputs; this module only moves their output along:
 *
 *   GPIO fd readable -> fl_gpio_read -> fl_gestures_edge -> actions -> send
 *   timerfd (next gesture deadline) -> fl_gestures_tick -> actions -> send
 *   JACK midi_in (queue filled in the process callback) and ALSA (RtMidi)
 *     -> fl_midi_parse -> learn or fl_midi_map_input -> actions -> send
 *   status tick -> LEDs (fl_led_*) and MIDI feedback (JACK midi_out through
 *     an SPSC the process callback empties, and ALSA)
 *
 * MIDI learn: fl_inputs_learn_arm() (OSC /footloop/midi/learn) arms it for
 * one action; the "midi_learn" action (switch or MIDI binding) instead picks
 * the action of the next switch gesture or mapped MIDI control as the
 * target. Either way the next note on, CC or program change is bound, the
 * line goes to [midi] learn_file, and the result goes to hooks.learned.
 * Unanswered after FL_INPUTS_LEARN_MS, learn is cancelled with an error.
 *
 * Control thread only; the JACK process thread only touches jack_in (push)
 * and jack_out (pop), both lock-free SPSC queues. */
#ifndef FL_CONTROL_INPUTS_H
#define FL_CONTROL_INPUTS_H

#include "control/actions.h"
#include "control/fx_ctl.h"
#include "control/snapshot.h"
#include "core/spsc.h"
#include "footloop/config.h"
#include "input/gestures.h"
#include "input/gpio.h"
#include "input/midi_map.h"
#include "input/midi_parse.h"
#include "input/midi_queue.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FL_INPUTS_LEARN_MS 10000   ///< learn gives up after this long
#define FL_INPUTS_MIDI_QUEUE 256   ///< slots of the JACK MIDI in and out queues
#define FL_INPUTS_MAX_FDS (FL_GPIO_MAX_SWITCHES + 2)

struct fl_midi_alsa;

struct fl_inputs_hooks {
	/* Queues one command for the engine; FL_ERR_FULL when it cannot. */
	enum fl_status (*send)(void *user, const struct fl_cmd *cmd);
	/* The end of a learn: FL_OK with the binding line, or an error with a
	 * sentence (timeout, file not writable). May be NULL. */
	void (*learned)(void *user, enum fl_status st, const char *text);
	void *user;
};

struct fl_inputs {
	bool ready;                 ///< fl_inputs_init() ran (fini is safe either way)
	/* The engine clock as of the last tick, to stamp gestures with frames. */
	uint64_t clock_ns;          ///< CLOCK_MONOTONIC at the last tick
	uint64_t clock_frame;       ///< engine frame published then
	uint32_t clock_rate;        ///< Hz
	uint64_t midi_frame;        ///< frame of the JACK MIDI event being mapped, 0 otherwise
	struct fl_actions *actions; ///< borrowed
	struct fl_fx_ctl *fx;       ///< borrowed, may be NULL: panic, sends, fx parameters
	struct fl_inputs_hooks hooks;
	/* Foot switches. */
	struct fl_gpio *gpio;       ///< owned, NULL without GPIO
	struct fl_gestures gestures;
	struct fl_gpio_led_config leds[FL_GPIO_MAX_LEDS];
	uint32_t beats_per_cycle;
	int timer_fd;               ///< gesture deadlines (CLOCK_MONOTONIC), -1 before setup
	uint64_t timer_armed_ns;    ///< deadline the timer is set to, 0 = disarmed
	/* MIDI. */
	struct fl_midi_map map;
	struct fl_midi_parser jack_parser;
	struct fl_midi_queue jack_in; ///< pushed by the JACK process callback
	struct fl_spsc jack_out;      ///< struct fl_midi_event, popped by the process callback
	struct fl_midi_alsa *alsa;    ///< owned, NULL without ALSA
	uint64_t next_rescan_ms;
	char learn_file[FL_CONFIG_PATH_MAX]; ///< "" = learned bindings stay in memory
	bool learn_pick;            ///< midi_learn pressed: the next action is the target
	uint64_t learn_deadline_ms; ///< 0 = not learning
	uint64_t now_ms;            ///< last tick (learn deadlines)
	const struct fl_midi_msg *cur_msg; ///< the MIDI message being handled, or NULL
	struct fl_midi_msg learn_skip; ///< the control that picked the learn target
	bool learn_skip_set;        ///< (its own release must not be learned)
	/* Counters (status, tests). */
	uint64_t actions_done;
	uint64_t actions_refused;
	uint64_t midi_in;           ///< messages parsed from both paths
	uint64_t led_errors;        ///< failed LED writes (the first is logged)
	uint64_t fx_unresolved;     ///< fx_param CCs whose name the slot's type lacks
	uint64_t fx_warnings;       ///< lines logged about them (at most one a second)
	uint64_t fx_warn_ms;        ///< when the last of those lines was logged
};

/* Loads [midi] map (FL_ERR_CONFIG/FL_ERR_IO with err naming file:line: a
 * bad map is a configuration error), creates the JACK MIDI queues and,
 * when [midi] alsa_in or alsa_out is set, opens ALSA (a failure is logged
 * and footloop goes on without it). Does not open GPIO. */
FL_NODISCARD enum fl_status fl_inputs_init(struct fl_inputs *in, const struct fl_config *cfg,
                                           struct fl_actions *actions,
                                           const struct fl_inputs_hooks *hooks, char *err,
                                           size_t errlen);
/* Opens the GPIO chip (or the injection backend: tests, rehearsal) and the
 * gesture timer. On FL_ERR_DEVICE/FL_ERR_UNSUPPORTED err names chip and
 * line; the caller logs it and runs on without switches. */
FL_NODISCARD enum fl_status fl_inputs_start_gpio(struct fl_inputs *in,
                                                 const struct fl_gpio_config *c, bool inject,
                                                 char *err, size_t errlen);
/* Safe after a failed or partial init and on a zeroed struct; frees
 * everything owned. */
void fl_inputs_fini(struct fl_inputs *in);

/* The fds to poll for POLLIN: GPIO lines, the gesture timer and the ALSA
 * eventfd. Returns how many (at most max written). */
size_t fl_inputs_fds(const struct fl_inputs *in, int *fds, size_t max);
/* One of those fds is readable; now_ns is CLOCK_MONOTONIC. */
void fl_inputs_on_fd(struct fl_inputs *in, int fd, uint64_t now_ns);

/* GPIO edges -> gestures -> actions (the path of fl_inputs_on_fd). */
void fl_inputs_gpio_edges(struct fl_inputs *in, const struct fl_gpio_edge *edges, size_t n,
                          uint64_t now_ns);
/* Gesture deadlines (long, longer, debounce) due at now_ns; re-arms the
 * timer for the next one. */
void fl_inputs_gesture_tick(struct fl_inputs *in, uint64_t now_ns);
/* One parsed MIDI message: learn, or the map's actions. */
void fl_inputs_midi_msg(struct fl_inputs *in, const struct fl_midi_msg *msg);

/* The status tick (after the snapshot): drains the JACK MIDI queue, drives
 * the LEDs, sends MIDI feedback, rescans ALSA every 2 s and times out
 * learn. */
void fl_inputs_tick(struct fl_inputs *in, const struct fl_snapshot *snap, uint64_t now_ms);

/* Arms MIDI learn for act (OSC). FL_ERR_BUSY while a learn is running. */
FL_NODISCARD enum fl_status fl_inputs_learn_arm(struct fl_inputs *in, const struct fl_action *act,
                                                char *err, size_t errlen);

#endif
