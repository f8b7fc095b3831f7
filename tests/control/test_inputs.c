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

#include <math.h>
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

/* The one command sent since the last call: FX_PARAM on this engine
 * target, slot and parameter; its value. NAN when it is not that. */
static float
took_fx_param(uint32_t target, uint32_t slot, const char *name, enum fl_fx_type type)
{
	int idx = fl_fx_param_index(type, name);
	bool ok = n_sent == 1 && sent[0].type == FL_CMD_FX_PARAM && sent[0].track == target &&
	          idx >= 0 && sent[0].arg == (slot << 16 | (uint32_t)idx);
	if (!ok)
		fprintf(stderr, "  sent %zu command(s), first type %d track %d arg 0x%x; want "
		        "FX_PARAM on %u slot %u %s\n", n_sent, n_sent ? sent[0].type : -1,
		        n_sent ? sent[0].track : -1, n_sent ? sent[0].arg : 0, target, slot, name);
	float v = ok ? sent[0].value : NAN;
	n_sent = 0;
	return v;
}

/* An effect type into a slot as OSC would; the instance is freed at once
 * (no engine here to own it). */
static void
put_fx(uint32_t chain, uint32_t slot, enum fl_fx_type type)
{
	char err[160];
	n_sent = 0;
	CHECK_MSG(fl_fx_ctl_set_type(&fx, chain, slot, type, err, sizeof err) == FL_OK, "%s", err);
	CHECK(n_sent == 1 && sent[0].type == FL_CMD_FX_SLOT);
	if (n_sent == 1)
		fl_fx_ctl_release(&fx, sent[0].ptr);
	n_sent = 0;
}

/* One CC through the JACK queue and the tick, as the control loop runs it. */
static void
cc(uint8_t number, uint8_t value, uint64_t tick_ms)
{
	struct fl_snapshot s;
	snapshot(&s);
	jack_midi(0xB0, number, value);
	fl_inputs_tick(&in, &s, tick_ms);
}

/* fx_param by name: resolved against the slot's type when the CC comes,
 * scaled into min..max (default: the parameter's range), clamped; a name
 * the current type lacks sends nothing and logs at most once a second. */
static void
test_fx_param(void)
{
	char err[200];
	static const char *const lines[] = {
		"any cc 40 fx_param track=3 slot=1 param=peak1_gain_db min=-6 max=12",
		"cc any 41 fx_param track=3 slot=1 param=peak1_hz",
		"any cc 42 fx_param track=3 slot=1 param=peak1_gain_db min=-48 max=48",
		"any cc 43 fx_param slot=2 param=mix",
		"any cc 44 fx_param track=bus1 slot=1 param=decay_s max=3",
		"any cc 45 fx_param track=master slot=4 param=ratio min=20 max=1",
		"any cc 46 fx_param track=input slot=1 param=mix",
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		CHECK_MSG(fl_midi_map_add_line(&in.map, lines[i], "t", (uint32_t)i, err, sizeof err) ==
		          FL_OK, "%s: %s", lines[i], err);
	put_fx(2, 0, FL_FX_EQ);
	cc(40, 127, 7000);
	CHECK(took_fx_param(2, 0, "peak1_gain_db", FL_FX_EQ) == 12.0f);
	CHECK(fx.chain[2][0].param[fl_fx_param_index(FL_FX_EQ, "peak1_gain_db")] == 12.0f);
	cc(40, 0, 7001);
	CHECK(took_fx_param(2, 0, "peak1_gain_db", FL_FX_EQ) == -6.0f);
	cc(40, 64, 7002);
	float v = took_fx_param(2, 0, "peak1_gain_db", FL_FX_EQ);
	CHECK_MSG(fabsf(v - (-6.0f + 18.0f * 64.0f / 127.0f)) < 1e-4f, "cc 64 -> %g", (double)v);
	/* Default range: the parameter's own (20 Hz .. 20 kHz). */
	cc(41, 0, 7003);
	CHECK(took_fx_param(2, 0, "peak1_hz", FL_FX_EQ) == 20.0f);
	cc(41, 127, 7004);
	CHECK(took_fx_param(2, 0, "peak1_hz", FL_FX_EQ) == 20000.0f);
	/* A range wider than the parameter's is clamped to it (-24..24 dB). */
	cc(42, 0, 7005);
	CHECK(took_fx_param(2, 0, "peak1_gain_db", FL_FX_EQ) == -24.0f);
	cc(42, 127, 7006);
	CHECK(took_fx_param(2, 0, "peak1_gain_db", FL_FX_EQ) == 24.0f);

	/* The selected track's slot 2: empty, then a plate: resolved on arrival. */
	actions.selected = 1;
	uint64_t warned = in.fx_warnings, unresolved = in.fx_unresolved;
	cc(43, 127, 7010);
	CHECK(n_sent == 0 && in.fx_unresolved == unresolved + 1 && in.fx_warnings == warned + 1);
	put_fx(1, 1, FL_FX_PLATE);
	cc(43, 127, 7011);
	CHECK(took_fx_param(1, 1, "mix", FL_FX_PLATE) == 1.0f);
	actions.selected = 2; /* follows the selection: track 3 slot 2 is empty */
	cc(43, 127, 7012);
	CHECK(n_sent == 0 && in.fx_unresolved == unresolved + 2);
	/* Bus 1 (max only: min is the parameter's 0.1 s), master (reversed
	 * range), input. */
	put_fx(FL_FXC_BUS(0), 0, FL_FX_PLATE);
	cc(44, 127, 7013);
	CHECK(took_fx_param(FL_TARGET_BUS(0), 0, "decay_s", FL_FX_PLATE) == 3.0f);
	cc(44, 0, 7014);
	CHECK(took_fx_param(FL_TARGET_BUS(0), 0, "decay_s", FL_FX_PLATE) == 0.1f);
	put_fx(FL_FXC_MASTER, 3, FL_FX_COMPRESSOR);
	cc(45, 0, 7015);
	CHECK(took_fx_param(FL_TARGET_MASTER, 3, "ratio", FL_FX_COMPRESSOR) == 20.0f);
	cc(45, 127, 7016);
	CHECK(took_fx_param(FL_TARGET_MASTER, 3, "ratio", FL_FX_COMPRESSOR) == 1.0f);
	put_fx(FL_FXC_INPUT, 0, FL_FX_CHORUS);
	cc(46, 127, 7017);
	CHECK(took_fx_param(FL_TARGET_INPUT, 0, "mix", FL_FX_CHORUS) == 1.0f);

	/* Track 3's slot 1 becomes a compressor: peak1_gain_db no longer
	 * exists there. A turn of the knob (20 CCs) sends nothing and logs one
	 * line, not twenty. */
	put_fx(2, 0, FL_FX_COMPRESSOR);
	warned = in.fx_warnings;
	unresolved = in.fx_unresolved;
	for (uint8_t k = 0; k < 20; k++)
		cc(40, (uint8_t)(k * 6), 7100 + k);
	CHECK(n_sent == 0);
	CHECK(in.fx_unresolved == unresolved + 20);
	/* (2: a stall of over a second on a loaded machine may split them.) */
	CHECK_MSG(in.fx_warnings <= warned + 2, "%llu lines for 20 CCs",
	          (unsigned long long)(in.fx_warnings - warned));
	/* Back to an EQ: the same binding works again. */
	put_fx(2, 0, FL_FX_EQ);
	cc(40, 127, 7200);
	CHECK(took_fx_param(2, 0, "peak1_gain_db", FL_FX_EQ) == 12.0f);
	/* fx_param cannot be learned (it needs a name). */
	struct fl_action a = {.type = FL_ACTION_FX_PARAM, .track = 0, .value = 1.0f};
	CHECK(fl_inputs_learn_arm(&in, &a, err, sizeof err) == FL_ERR_BAD_ARG);
	CHECK(fx.created == fx.freed);
}

/* A record from a tap is stamped with the engine frame of the press (the
 * tap is only recognised on release); one from JACK MIDI with the event's
 * own frame: the engine starts the loop there (test_engine_loop). */
static void
test_press_frames(void)
{
	fl_actions_init(&actions, 4); /* all tracks empty again */
	in.clock_ns = 500 * S;         /* the tick saw frame 2 400 000 at 500 s */
	in.clock_frame = 2400000;
	in.clock_rate = 48000;
	tap(0, 500 * S + 200 * MS);    /* pressed 200 ms later, released 100 ms after */
	CHECK(n_sent == 1 && sent[0].type == FL_CMD_RECORD);
	CHECK_MSG(sent[0].frame == 2400000 + 9600, "frame %llu",
	          (unsigned long long)sent[0].frame);
	n_sent = 0;
	struct fl_snapshot snap;
	memset(&snap, 0, sizeof snap);
	const uint8_t cc[3] = {0xB0, 80, 127};
	CHECK(fl_midi_queue_push(&in.jack_in, 123456, cc, 3));
	fl_inputs_tick(&in, &snap, 5000);
	CHECK(n_sent == 1 && sent[0].type == FL_CMD_RECORD && sent[0].frame == 123456);
	n_sent = 0;
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
	test_fx_param();
	test_press_frames();
	fl_inputs_fini(&in);
	fl_inputs_fini(&in); /* twice is harmless */
	unlink(map_path);
	return fl_check_summary("test_inputs");
}
