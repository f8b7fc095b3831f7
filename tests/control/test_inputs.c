/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The control plane's input wiring (src/control/inputs.c) driven through
 * its real paths with no hardware: GPIO edges from the injection backend
 * read through fl_inputs_on_fd -> gestures -> actions -> commands; gesture
 * deadlines through the timer path; MIDI bytes pushed into the JACK-side
 * queue as the process callback does, drained by the tick; LEDs, MIDI
 * feedback into the midi_out queue; MIDI learn armed like OSC does and by
 * the midi_learn action, with the line appended to the file. */
#include "check.h"
#include "control/inputs.h"
#include "core/log.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000ull
#define S 1000000000ull

static struct fl_cmd sent[64];
static size_t n_sent;
static enum fl_status learn_st = FL_ERR_BAD_ARG;
static char learn_text[300];
static int learn_calls;

static enum fl_status
on_send(void *user, const struct fl_cmd *cmd)
{
	(void)user;
	if (n_sent < 64)
		sent[n_sent++] = *cmd;
	return FL_OK;
}

static void
on_learned(void *user, enum fl_status st, const char *text)
{
	(void)user;
	learn_st = st;
	snprintf(learn_text, sizeof learn_text, "%s", text);
	learn_calls++;
}

static struct fl_actions actions;
static struct fl_inputs in;
static struct fl_fx_ctl fx;
static char map_path[] = "/tmp/fl_test_inputs_XXXXXX";

/* Whether exactly one command went out since the last call, of this type
 * and track. */
static bool
took(enum fl_cmd_type type, uint32_t track)
{
	bool ok = n_sent == 1 && sent[0].type == type && sent[0].track == track;
	if (!ok)
		fprintf(stderr, "  sent %zu command(s), first type %d track %d; want type %d track %u\n",
		        n_sent, n_sent ? sent[0].type : -1, n_sent ? sent[0].track : -1, type, track);
	n_sent = 0;
	return ok;
}

/* One electrical edge of switch sw through the injection pipe and the fd
 * callback, as the control loop would see it. */
static void
edge(uint32_t sw, bool press, uint64_t t_ns)
{
	CHECK(fl_gpio_inject(in.gpio, sw, press ? 0 : 1, t_ns) == FL_OK);
	int fds[FL_INPUTS_MAX_FDS];
	size_t n = fl_inputs_fds(&in, fds, FL_INPUTS_MAX_FDS);
	/* The injection backend has one fd; the timer fd comes after it. */
	CHECK(n >= 2 && fds[n - 1] == in.timer_fd);
	fl_inputs_on_fd(&in, fds[0], t_ns);
}

static void
tap(uint32_t sw, uint64_t t_ns)
{
	edge(sw, true, t_ns);
	edge(sw, false, t_ns + 100 * MS);
}

static void
set_state(uint32_t track, enum fl_track_state st)
{
	struct fl_track_status t[FL_MAX_TRACKS];
	memcpy(t, actions.tracks, sizeof t);
	t[track].state = st;
	fl_actions_update(&actions, t, actions.n_tracks);
}

static void
setup(void)
{
	struct fl_config cfg;
	char err[256];
	fl_config_defaults(&cfg);
	int fd = mkstemp(map_path);
	const char *map = "# test map\n"
	                  "any cc 80 rec_dub selected led=recording:127,playing:1\n"
	                  "1 note 36 stop 2\n";
	CHECK(fd >= 0 && write(fd, map, strlen(map)) == (ssize_t)strlen(map));
	close(fd);
	snprintf(cfg.midi_map, sizeof cfg.midi_map, "%s", map_path);
	cfg.gpio.enabled = true;
	/* Switch 3: midi_learn on tap. */
	CHECK(fl_gpio_config_key(&cfg.gpio, "gpio.switch.3", "tap", "midi_learn", err, sizeof err) ==
	      FL_OK);
	/* Switch 4: panic on press. */
	CHECK(fl_gpio_config_key(&cfg.gpio, "gpio.switch.4", "press", "panic", err, sizeof err) ==
	      FL_OK);
	fl_actions_init(&actions, 4);
	struct fl_inputs_hooks hooks = {.send = on_send, .learned = on_learned};
	CHECK_MSG(fl_inputs_init(&in, &cfg, &actions, &hooks, err, sizeof err) == FL_OK, "%s", err);
	CHECK(in.map.n == 2);
	CHECK_MSG(fl_inputs_start_gpio(&in, &cfg.gpio, true, err, sizeof err) == FL_OK, "%s", err);
	fl_fx_ctl_init(&fx, 48000.0f, 4, on_send, NULL);
	in.fx = &fx;
}

/* The default single-pedal workflow and the select switch. */
static void
test_pedal(void)
{
	tap(0, 1 * S);
	CHECK(took(FL_CMD_RECORD, 0)); /* tap on an empty track: record */
	set_state(0, FL_TRACK_PLAYING);
	tap(0, 3 * S);
	CHECK(took(FL_CMD_OVERDUB, 0)); /* tap on a playing track: overdub */
	edge(0, true, 3 * S + 300 * MS); /* second press 200 ms after the release */
	CHECK(took(FL_CMD_STOP, 0));     /* double tap = stop */
	edge(0, false, 3 * S + 400 * MS);
	CHECK(n_sent == 0);

	/* Long (800 ms) fires on a release before longer (2 s): undo. */
	edge(0, true, 5 * S);
	CHECK(in.timer_armed_ns == 7 * S); /* armed for longer (long waits for the release) */
	fl_inputs_gesture_tick(&in, 5 * S + 900 * MS);
	CHECK(n_sent == 0);
	edge(0, false, 6 * S);
	CHECK(took(FL_CMD_UNDO, 0));
	/* Longer fires at its threshold while held: clear. */
	edge(0, true, 10 * S);
	fl_inputs_gesture_tick(&in, 11 * S);
	CHECK(n_sent == 0);
	/* Through the timerfd (its absolute deadline, 12 s of CLOCK_MONOTONIC,
	 * is long past, so it is readable at once), as the loop would. */
	CHECK(in.timer_armed_ns == 12 * S);
	struct pollfd pfd = {.fd = in.timer_fd, .events = POLLIN};
	CHECK(poll(&pfd, 1, 1000) == 1);
	fl_inputs_on_fd(&in, in.timer_fd, 12 * S + 1 * MS);
	CHECK(took(FL_CMD_CLEAR, 0));
	edge(0, false, 12 * S + 500 * MS);
	CHECK(n_sent == 0);

	/* Switch 2 selects the next track; switch 1 then acts on it. */
	tap(1, 20 * S);
	CHECK(n_sent == 0 && actions.selected == 1);
	tap(0, 22 * S);
	CHECK(took(FL_CMD_RECORD, 1));
	/* A bounce inside the debounce window is one press. */
	edge(1, true, 30 * S);
	edge(1, false, 30 * S + 2 * MS);
	edge(1, true, 30 * S + 4 * MS);
	edge(1, false, 30 * S + 100 * MS);
	CHECK(actions.selected == 2);
}

static void
snapshot(struct fl_snapshot *s)
{
	memset(s, 0, sizeof *s);
	s->n_tracks = actions.n_tracks;
	s->selected = actions.selected;
	s->engine.sample_rate = 48000;
	s->engine.n_tracks = actions.n_tracks;
	memcpy(s->tracks, actions.tracks, sizeof s->tracks);
}

static void
test_leds(void)
{
	struct fl_snapshot s;
	actions.selected = 0;
	set_state(0, FL_TRACK_RECORDING);
	snapshot(&s);
	fl_inputs_tick(&in, &s, 1000);
	CHECK(fl_gpio_led_level(in.gpio, 0) == 1); /* selected track recording: on */
	CHECK(fl_gpio_led_level(in.gpio, 1) == 0); /* beat LED: no cycle yet */
	set_state(0, FL_TRACK_STOPPED);
	snapshot(&s);
	fl_inputs_tick(&in, &s, 1010);
	CHECK(fl_gpio_led_level(in.gpio, 0) == 0);
	/* A cycle of 1 s, 4 beats, at its start: the beat LED flashes. */
	s.engine.cycle_frames = 48000;
	s.engine.cycle_position = 10;
	fl_inputs_tick(&in, &s, 1020);
	CHECK(fl_gpio_led_level(in.gpio, 1) == 1);
	s.engine.cycle_position = 6000;
	fl_inputs_tick(&in, &s, 1030);
	CHECK(fl_gpio_led_level(in.gpio, 1) == 0);
}

/* One event as JACK's process callback pushes it (one message each). */
static void
jack_midi_n(size_t n, uint8_t a, uint8_t b, uint8_t c)
{
	const uint8_t bytes[3] = {a, b, c};
	CHECK(fl_midi_queue_push(&in.jack_in, 0, bytes, n));
}

static void
jack_midi(uint8_t a, uint8_t b, uint8_t c)
{
	jack_midi_n(3, a, b, c);
}

static void
test_midi(void)
{
	struct fl_snapshot s;
	struct fl_midi_event ev;
	while (fl_spsc_pop(&in.jack_out, &ev))
		;
	actions.selected = 3;
	set_state(3, FL_TRACK_EMPTY);
	jack_midi(0xB5, 80, 127); /* CC 80 on channel 6: "any" */
	jack_midi(0xB5, 80, 0);
	jack_midi_n(1, 0xF8, 0, 0); /* clock: ignored */
	snapshot(&s);
	fl_inputs_tick(&in, &s, 2000);
	CHECK(took(FL_CMD_RECORD, 3));
	jack_midi(0x91, 36, 100); /* note 36 on channel 2: the map wants channel 1 */
	jack_midi(0x90, 36, 100);
	fl_inputs_tick(&in, &s, 2010);
	CHECK(took(FL_CMD_STOP, 1));

	/* Feedback: CC 80 follows the selected track's state (recording 127). */
	while (fl_spsc_pop(&in.jack_out, &ev))
		;
	set_state(3, FL_TRACK_RECORDING);
	snapshot(&s);
	fl_inputs_tick(&in, &s, 2020);
	CHECK(fl_spsc_pop(&in.jack_out, &ev) && ev.size == 3 && ev.bytes[0] == 0xB0 &&
	      ev.bytes[1] == 80 && ev.bytes[2] == 127);
	fl_inputs_tick(&in, &s, 2030); /* unchanged: nothing more */
	CHECK(!fl_spsc_pop(&in.jack_out, &ev));
	set_state(3, FL_TRACK_PLAYING);
	snapshot(&s);
	fl_inputs_tick(&in, &s, 2040);
	CHECK(fl_spsc_pop(&in.jack_out, &ev) && ev.bytes[2] == 1);
}

static bool
file_has(const char *path, const char *text)
{
	char buf[4096];
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strstr(buf, text) != NULL;
}

static void
test_learn(void)
{
	struct fl_snapshot s;
	char err[160];
	snapshot(&s);
	/* Armed as OSC does: mute_toggle on track 2. */
	struct fl_action a = {.type = FL_ACTION_MUTE_TOGGLE, .track = 1, .value = 1.0f};
	CHECK(fl_inputs_learn_arm(&in, &a, err, sizeof err) == FL_OK);
	CHECK(fl_inputs_learn_arm(&in, &a, err, sizeof err) == FL_ERR_BUSY);
	jack_midi(0x80, 50, 0);   /* note off: not learnable, keeps waiting */
	jack_midi(0xB2, 21, 127); /* CC 21 on channel 3: learned, not acted on */
	fl_inputs_tick(&in, &s, 3000);
	CHECK(n_sent == 0 && learn_calls == 1 && learn_st == FL_OK);
	CHECK_MSG(strstr(learn_text, "cc") && strstr(learn_text, "21") &&
	          strstr(learn_text, "mute_toggle 2"), "%s", learn_text);
	CHECK_MSG(file_has(map_path, learn_text), "the line is not in %s", map_path);
	CHECK(file_has(map_path, "1 note 36 stop 2")); /* the old lines stay */
	jack_midi(0xB2, 21, 0);
	jack_midi(0xB2, 21, 127); /* now the binding acts */
	fl_inputs_tick(&in, &s, 3010);
	CHECK(took(FL_CMD_MUTE, 1));

	/* Nothing moved within 10 s: an error, and learn is off. */
	CHECK(fl_inputs_learn_arm(&in, &a, err, sizeof err) == FL_OK);
	fl_inputs_tick(&in, &s, in.learn_deadline_ms - 1);
	CHECK(learn_calls == 1);
	fl_inputs_tick(&in, &s, in.learn_deadline_ms);
	CHECK(learn_calls == 2 && learn_st != FL_OK && !in.map.learning);
	CHECK(strstr(learn_text, "10 s") != NULL);

	/* midi_learn on switch 3, then switch 2's action (select_next) is the
	 * target: it is not run; CC 22 gets it. */
	uint32_t sel = actions.selected;
	tap(2, 40 * S);
	tap(1, 41 * S);
	CHECK(actions.selected == sel && in.map.learning);
	jack_midi(0xB0, 22, 127);
	fl_inputs_tick(&in, &s, 4000);
	CHECK(learn_calls == 3 && learn_st == FL_OK && strstr(learn_text, "select_next"));
	jack_midi(0xB0, 22, 0);
	jack_midi(0xB0, 22, 127);
	fl_inputs_tick(&in, &s, 4010);
	CHECK(actions.selected == (sel + 1) % 4);

	/* midi_learn picked by a MIDI control: its own release is not learned. */
	CHECK(fl_midi_map_add_line(&in.map, "any cc 30 midi_learn", "t", 1, err, sizeof err) ==
	      FL_OK);
	jack_midi(0xB0, 30, 127); /* midi_learn */
	jack_midi(0xB0, 30, 0);
	jack_midi(0x91, 36, 1);   /* unmapped note: no target picked yet */
	jack_midi(0x90, 36, 100); /* stop 2: the target */
	jack_midi(0x80, 36, 0);   /* its release: skipped */
	jack_midi(0x90, 36, 90);  /* the same note again: skipped */
	jack_midi(0xC0, 5, 0);    /* program 6: learned */
	fl_inputs_tick(&in, &s, 5000);
	CHECK(n_sent == 0);
	CHECK_MSG(learn_calls == 4 && learn_st == FL_OK && strstr(learn_text, "pc") &&
	          strstr(learn_text, "stop 2"), "%s", learn_text);
}

/* Panic from a switch toggles; sends from a MIDI CC, checked and scaled. */
static void
test_fx_actions(void)
{
	struct fl_snapshot s;
	char err[160];
	n_sent = 0;
	tap(3, 60 * S);
	CHECK(n_sent == 1 && sent[0].arg == 1);
	CHECK(took(FL_CMD_PANIC, 0));
	tap(3, 61 * S);
	CHECK(n_sent == 1 && sent[0].arg == 0);
	CHECK(took(FL_CMD_PANIC, 0));
	CHECK(fl_midi_map_add_line(&in.map, "any cc 12 send_2 3 min=0 max=1.5", "t",
	                           1, err, sizeof err) == FL_OK);
	snapshot(&s);
	jack_midi(0xB0, 12, 127);
	fl_inputs_tick(&in, &s, 6000);
	CHECK(n_sent == 1 && sent[0].arg == 1 && sent[0].value == 1.5f);
	CHECK(took(FL_CMD_SEND, 2));
	CHECK(fx.send_gain[2][1] == 1.5f);
	/* Out of range (max 3 > 2): refused, nothing sent. */
	CHECK(fl_midi_map_add_line(&in.map, "any cc 13 send_1 1 min=0 max=3", "t",
	                           1, err, sizeof err) == FL_OK);
	jack_midi(0xB0, 13, 127);
	fl_inputs_tick(&in, &s, 6010);
	CHECK(n_sent == 0 && fx.send_gain[0][0] == 0.0f);
}

int
main(void)
{
	fl_log_set_level(FL_LOG_ERROR);
	setup();
	test_pedal();
	test_leds();
	test_midi();
	test_learn();
	test_fx_actions();
	fl_inputs_fini(&in);
	fl_inputs_fini(&in); /* twice is harmless */
	unlink(map_path);
	return fl_check_summary("test_inputs");
}
