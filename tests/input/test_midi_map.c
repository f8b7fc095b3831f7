/* SPDX-License-Identifier: GPL-2.0-or-later */
/* MIDI mappings: tables of (map, messages) -> actions, parse errors with
 * file:line, the shipped presets, feedback per track state, and a learn
 * round trip through a temporary mapping file. */
#include "check.h"
#include "input/action_parse.h"
#include "input/midi_map.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef FL_MIDI_PRESET_DIR
#define FL_MIDI_PRESET_DIR "config/midi"
#endif

static const char *const map_text =
	"# test map\n"
	"any cc 80 rec_dub selected\n"
	"any cc 81 undo 2 threshold=100\n"
	"any cc 82 mute_toggle 1 mode=toggle\n"
	"1   note 36 record 1\n"
	"1   note 37 overdub 2 mode=hold\n"
	"any pc 3 select_next\n"
	"any pc 4 select 3\n"
	"2   cc 7 level 1 min=0 max=1.5\n"
	"any cc 10 pan 2\n"
	"any cc 11 master_level\n"
	"any cc 20 stop 1\n"
	"any cc 20 stop 2   # two bindings on one control\n";

#define M(st, ch, d1, d2) {st, ch, d1, d2}
struct mcase {
	const char *name;
	struct fl_midi_msg msgs[6];
	size_t n_msgs;
	const char *expect; /* "action:track:value|..." track 0-based, S = selected, - = none */
};

static const struct mcase cases[] = {
	{"cc momentary fires on the rising crossing",
	 {M(0xB0, 0, 80, 127), M(0xB0, 0, 80, 0), M(0xB0, 0, 80, 127)}, 3,
	 "rec_dub:S:1|rec_dub:S:1"},
	{"cc momentary: no fire above the threshold twice",
	 {M(0xB0, 5, 80, 100), M(0xB0, 5, 80, 120), M(0xB0, 5, 80, 10)}, 3, "rec_dub:S:1"},
	{"cc threshold", {M(0xB0, 0, 81, 99), M(0xB0, 0, 81, 100)}, 2, "undo:1:1"},
	{"cc toggle fires on every crossing",
	 {M(0xB0, 0, 82, 127), M(0xB0, 0, 82, 0), M(0xB0, 0, 82, 127)}, 3,
	 "mute_toggle:0:1|mute_toggle:0:1|mute_toggle:0:1"},
	{"note trigger: note on only", {M(0x90, 0, 36, 100), M(0x80, 0, 36, 0), M(0x90, 0, 36, 0)},
	 3, "record:0:1"},
	{"note on other channel ignored", {M(0x90, 1, 36, 100)}, 1, ""},
	{"note hold: on and off", {M(0x90, 0, 37, 100), M(0x90, 0, 37, 0), M(0x80, 0, 37, 0)}, 3,
	 "overdub:1:1|overdub:1:1"},
	{"program change", {M(0xC0, 9, 3, 0), M(0xC0, 9, 5, 0), M(0xC0, 0, 4, 0)}, 3,
	 "select_next:-:1|select:-:2"},
	{"continuous level with range and channel",
	 {M(0xB0, 1, 7, 0), M(0xB0, 1, 7, 127), M(0xB0, 0, 7, 127)}, 3, "level:0:0|level:0:1.5"},
	{"continuous pan default range", {M(0xB0, 3, 10, 0), M(0xB0, 3, 10, 127)}, 2,
	 "pan:1:-1|pan:1:1"},
	{"master level default range", {M(0xB0, 0, 11, 127)}, 1, "master_level:-:1"},
	{"two bindings on one control", {M(0xB0, 0, 20, 127)}, 1, "stop:0:1|stop:1:1"},
	{"realtime, pitch bend, unmapped ignored",
	 {M(0xF8, 0, 0, 0), M(0xE0, 0, 80, 127), M(0xB0, 0, 99, 127), M(0xFA, 0, 0, 0)}, 4, ""},
};

static void
format_actions(char *buf, size_t len, const struct fl_action *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char tr[8];
		size_t used = strlen(buf);
		if (a[i].track == FL_TRACK_SELECTED)
			snprintf(tr, sizeof(tr), "S");
		else if (a[i].track == FL_TRACK_NONE)
			snprintf(tr, sizeof(tr), "-");
		else
			snprintf(tr, sizeof(tr), "%d", (int)a[i].track);
		snprintf(buf + used, len - used, "%s%s:%s:%g", i || used ? "|" : "",
		         fl_action_name(a[i].type), tr, (double)a[i].value);
	}
}

static void
run_case(const struct mcase *c)
{
	static struct fl_midi_map m;
	struct fl_action out[8];
	char err[256] = "", got[256] = "";

	fl_midi_map_init(&m);
	CHECK_MSG(fl_midi_map_load_string(&m, map_text, "test.conf", err, sizeof(err)) == FL_OK,
	          "%s", err);
	for (size_t i = 0; i < c->n_msgs; i++) {
		size_t n = fl_midi_map_input(&m, &c->msgs[i], out, 8);
		format_actions(got, sizeof(got), out, n);
	}
	CHECK_MSG(strcmp(got, c->expect) == 0, "%s: got \"%s\", want \"%s\"", c->name, got,
	          c->expect);
}

struct ecase {
	const char *line;
	const char *want; /* substring of the error */
};

static const struct ecase errors[] = {
	{"17 cc 1 undo", "x.conf:3: channel \"17\""},
	{"0 cc 1 undo", "channel \"0\""},
	{"any nrpn 1 undo", "type \"nrpn\""},
	{"any cc 128 undo", "number \"128\""},
	{"any cc 1 explode", "unknown action \"explode\""},
	{"any cc 1 record 99", "track \"99\""},
	{"any cc 1 undo mode=sideways", "mode \"sideways\""},
	{"any cc 1 undo threshold=0", "bad option \"threshold=0\""},
	{"any cc 1 undo led=shiny:3", "led item"},
	{"any note 1 level 1", "level needs a cc binding"},
	{"any note 1 undo mode=continuous", "mode \"continuous\""},
	{"any cc 1", "expected: channel type number action"},
	{"any cc 1 select", "select needs a track"},
	{"any cc 1 fx_param track=1 slot=1", "fx_param needs param=NAME"},
	{"any cc 1 fx_param track=1 slot=5 param=mix", "bad fx_param option \"slot=5\""},
	{"any cc 1 fx_param track=bus3 slot=1 param=mix", "bad fx_param option \"track=bus3\""},
	{"any cc 1 fx_param track=0 slot=1 param=mix", "bad fx_param option \"track=0\""},
	{"any cc 1 fx_param slot=1 param=Mix!", "bad fx_param option \"param=Mix!\""},
	{"any cc 1 fx_param slot=1 param=mix min=nan", "bad fx_param option \"min=nan\""},
	{"any note 1 fx_param slot=1 param=mix", "fx_param needs a continuous cc binding"},
	{"any cc 1 fx_param slot=1 param=mix mode=toggle", "fx_param needs a continuous cc"},
	{"cc any 1 undo threshold=0", "bad option \"threshold=0\""},
};

static void
test_errors(void)
{
	char text[256], err[256];
	static struct fl_midi_map m;

	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		fl_midi_map_init(&m);
		snprintf(text, sizeof(text), "# header\n\n%s\nany cc 2 undo\n", errors[i].line);
		err[0] = '\0';
		CHECK_MSG(fl_midi_map_load_string(&m, text, "x.conf", err, sizeof(err)) ==
		                  FL_ERR_CONFIG,
		          "\"%s\" was accepted", errors[i].line);
		CHECK_MSG(strstr(err, errors[i].want) && strstr(err, "x.conf:3: "),
		          "\"%s\": error \"%s\" lacks \"%s\"", errors[i].line, err, errors[i].want);
	}
}

static void
test_presets(void)
{
	static struct fl_midi_map m;
	char err[256] = "";
	struct fl_action out[4];
	struct fl_midi_msg pad = {0x90, 0, 56, 127}, fader = {0xB0, 0, 56, 127};

	fl_midi_map_init(&m);
	CHECK_MSG(fl_midi_map_load(&m, FL_MIDI_PRESET_DIR "/generic-footcontroller.conf", err,
	                           sizeof(err)) == FL_OK, "%s", err);
	CHECK(m.n == 25);
	fl_midi_map_init(&m);
	CHECK_MSG(fl_midi_map_load(&m, FL_MIDI_PRESET_DIR "/apc-mini.conf", err, sizeof(err)) ==
	                  FL_OK, "%s", err);
	CHECK(m.n == 8 * 8 + 9);
	CHECK(fl_midi_map_input(&m, &pad, out, 4) == 1 && out[0].type == FL_ACTION_REC_DUB &&
	      out[0].track == 0);
	CHECK(fl_midi_map_input(&m, &fader, out, 4) == 1 &&
	      out[0].type == FL_ACTION_MASTER_LEVEL && out[0].value == 1.0f);
	fl_midi_map_init(&m);
	CHECK(fl_midi_map_load(&m, "/nonexistent/x.conf", err, sizeof(err)) == FL_ERR_IO);
	CHECK(strstr(err, "/nonexistent/x.conf") != NULL);
}

static void
test_feedback(void)
{
	static struct fl_midi_map m;
	struct fl_track_status t[2];
	struct fl_midi_msg out[8];
	char err[128];
	size_t n;

	fl_midi_map_init(&m);
	CHECK(fl_midi_map_load_string(&m,
	                              "3 note 10 rec_dub 1 led=empty:0,recording:5,playing:21,"
	                              "overdubbing:9,muted:2\n"
	                              "any cc 30 rec_dub selected led=playing:127\n"
	                              "any note 11 undo 1\n"
	                              "any cc 31 record 5 led=recording:1\n",
	                              "fb.conf", err, sizeof(err)) == FL_OK);
	memset(t, 0, sizeof(t));
	n = fl_midi_map_feedback(&m, t, 2, 0, out, 8);
	CHECK(n == 2); /* undo has no led=, track 5 does not exist */
	CHECK(out[0].status == 0x90 && out[0].channel == 2 && out[0].data1 == 10 &&
	      out[0].data2 == 0);
	CHECK(out[1].status == 0xB0 && out[1].channel == 0 && out[1].data1 == 30 &&
	      out[1].data2 == 0);
	CHECK(fl_midi_map_feedback(&m, t, 2, 0, out, 8) == 0); /* nothing changed */
	t[0].state = FL_TRACK_RECORDING;
	n = fl_midi_map_feedback(&m, t, 2, 0, out, 8);
	CHECK(n == 1 && out[0].data2 == 5);
	t[0].state = FL_TRACK_OVERDUBBING;
	n = fl_midi_map_feedback(&m, t, 2, 0, out, 8);
	CHECK(n == 1 && out[0].data2 == 9);
	t[0].state = FL_TRACK_PLAYING;
	n = fl_midi_map_feedback(&m, t, 2, 0, out, 8);
	CHECK(n == 2 && out[0].data2 == 21 && out[1].data2 == 127);
	t[0].muted = true;
	n = fl_midi_map_feedback(&m, t, 2, 0, out, 8);
	CHECK(n == 2 && out[0].data2 == 2 && out[1].data2 == 0);
	/* The selected-track binding follows the selection. */
	t[1].state = FL_TRACK_PLAYING;
	n = fl_midi_map_feedback(&m, t, 2, 1, out, 8);
	CHECK(n == 1 && out[0].data1 == 30 && out[0].data2 == 127);
	fl_midi_map_feedback_reset(&m);
	CHECK(fl_midi_map_feedback(&m, t, 2, 1, out, 8) == 2);
	CHECK(fl_midi_map_feedback(&m, t, 2, 1, out, 8) == 0);
}

static void
test_learn(void)
{
	static struct fl_midi_map m, again;
	char dir[] = "/tmp/fl_learn_XXXXXX", path[128], line[256], err[256] = "";
	struct fl_action act, out[4];
	struct fl_midi_msg off = {0x80, 2, 40, 0}, clk = {0xF8, 0, 0, 0};
	struct fl_midi_msg on = {0x90, 2, 40, 100}, cc = {0xB0, 0, 9, 90};
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/learn.conf", dir);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fputs("# mine\nany pc 1 undo selected", f); /* no final newline */
	fclose(f);

	fl_midi_map_init(&m);
	CHECK(fl_midi_map_load(&m, path, err, sizeof(err)) == FL_OK && m.n == 1);
	CHECK(fl_midi_map_learn(&m, &on, line, sizeof(line)) == FL_ERR_BAD_ARG);
	CHECK(fl_input_parse_action("rec_dub 2", &act, err, sizeof(err)) == FL_OK);
	fl_midi_map_learn_arm(&m, &act);
	CHECK(fl_midi_map_input(&m, &on, out, 4) == 0); /* learning swallows input */
	CHECK(fl_midi_map_learn(&m, &off, line, sizeof(line)) == FL_ERR_NOT_FOUND);
	CHECK(fl_midi_map_learn(&m, &clk, line, sizeof(line)) == FL_ERR_NOT_FOUND);
	CHECK(fl_midi_map_learn(&m, &on, line, sizeof(line)) == FL_OK);
	CHECK_MSG(strstr(line, "3") == line && strstr(line, "note") && strstr(line, "40") &&
	                  strstr(line, "rec_dub 2"), "learned line \"%s\"", line);
	CHECK(!m.learning && m.n == 2);
	CHECK(fl_midi_map_append_file(path, line, err, sizeof(err)) == FL_OK);
	/* A continuous learn from a CC. */
	CHECK(fl_input_parse_action("level 1", &act, err, sizeof(err)) == FL_OK);
	fl_midi_map_learn_arm(&m, &act);
	CHECK(fl_midi_map_learn(&m, &on, line, sizeof(line)) == FL_ERR_NOT_FOUND);
	CHECK(fl_midi_map_learn(&m, &cc, line, sizeof(line)) == FL_OK);
	CHECK(fl_midi_map_append_file(path, line, err, sizeof(err)) == FL_OK);

	/* Round trip: the rewritten file parses to the same behaviour. */
	fl_midi_map_init(&again);
	CHECK_MSG(fl_midi_map_load(&again, path, err, sizeof(err)) == FL_OK, "%s", err);
	CHECK(again.n == 3);
	CHECK(fl_midi_map_input(&again, &on, out, 4) == 1 && out[0].type == FL_ACTION_REC_DUB &&
	      out[0].track == 1);
	CHECK(fl_midi_map_input(&again, &cc, out, 4) == 1 && out[0].type == FL_ACTION_LEVEL &&
	      out[0].track == 0 && fabsf(out[0].value - 90.0f / 127.0f) < 1e-6f);
	CHECK(fl_midi_map_input(&m, &cc, out, 4) == 1 && out[0].type == FL_ACTION_LEVEL);
	snprintf(line, sizeof(line), "%s.tmp", path);
	CHECK(access(line, F_OK) != 0); /* the temp file was renamed away */
	CHECK(fl_midi_map_append_file("/nonexistent/dir/x.conf", "any pc 1 undo", err,
	                              sizeof(err)) == FL_ERR_IO);
	CHECK(strstr(err, "/nonexistent/dir/x.conf") != NULL);
	unlink(path);
	rmdir(dir);
}

/* Every binding formats to a line that parses back to the same binding. */
static void
test_format_round_trip(void)
{
	static struct fl_midi_map m, back;
	char err[256], line[256];

	fl_midi_map_init(&m);
	CHECK(fl_midi_map_load_string(&m, map_text, "t", err, sizeof(err)) == FL_OK);
	CHECK(fl_midi_map_add_line(&m, "4 note 1 record 2 led=recording:5,playing:3", "t", 99, err,
	                           sizeof(err)) == FL_OK);
	for (uint32_t i = 0; i < m.n; i++) {
		const struct fl_midi_binding *a = &m.b[i], *b;
		fl_midi_binding_format(a, line, sizeof(line));
		fl_midi_map_init(&back);
		CHECK_MSG(fl_midi_map_add_line(&back, line, "fmt", 1, err, sizeof(err)) == FL_OK,
		          "%s", err);
		b = &back.b[0];
		CHECK_MSG(back.n == 1 && a->channel == b->channel && a->kind == b->kind &&
		                  a->number == b->number && a->mode == b->mode &&
		                  a->threshold == b->threshold && a->min == b->min &&
		                  a->max == b->max && a->action.type == b->action.type &&
		                  a->action.track == b->action.track &&
		                  a->action.value == b->action.value && a->has_led == b->has_led &&
		                  memcmp(a->led, b->led, sizeof(a->led)) == 0,
		          "line %u does not round-trip: \"%s\"", a->line, line);
	}
}

/* fx_param by name: the binding keeps name, chain, slot and range; the
 * action carries the CC as 0..1 and names its binding. Both line orders. */
static void
test_fx_param(void)
{
	static struct fl_midi_map m, back;
	char err[256] = "", line[256];
	struct fl_action out[4];
	const struct fl_midi_binding *from[4];
	struct fl_midi_msg k0 = {0xB0, 0, 21, 0}, k127 = {0xB0, 3, 21, 127}, k64 = {0xB0, 0, 21, 64};

	fl_midi_map_init(&m);
	CHECK_MSG(fl_midi_map_load_string(&m,
	                                  "cc any 21 fx_param track=2 slot=1 param=peak1_gain_db "
	                                  "min=-6 max=12\n"
	                                  "any cc 22 fx_param slot=4 param=mix\n"
	                                  "5 cc 23 fx_param track=bus1 slot=2 param=decay_s max=3\n"
	                                  "any cc 24 fx_param track=master slot=1 param=ratio\n"
	                                  "any cc 25 fx_param track=input slot=3 param=x\n"
	                                  "any cc 26 fx_param track=bus2 slot=1 param=x min=1\n",
	                                  "fx.conf", err, sizeof(err)) == FL_OK, "%s", err);
	CHECK(m.n == 6);
	const struct fl_midi_binding *b = &m.b[0];
	CHECK(b->channel == FL_MIDI_ANY_CHANNEL && b->kind == FL_MIDI_CC && b->number == 21);
	CHECK(strcmp(b->fx_param, "peak1_gain_db") == 0 && b->fx_chain == 1 && b->fx_slot == 0);
	CHECK(b->fx_has_min && b->fx_has_max && b->fx_min == -6.0f && b->fx_max == 12.0f);
	CHECK(b->mode == FL_MIDI_MODE_CONTINUOUS);
	CHECK(m.b[1].fx_chain == FL_TRACK_SELECTED && m.b[1].fx_slot == 3 && !m.b[1].fx_has_min);
	CHECK(m.b[2].channel == 4 && m.b[2].fx_chain == FL_MIDI_FX_BUS1 && !m.b[2].fx_has_min &&
	      m.b[2].fx_has_max && m.b[2].fx_max == 3.0f);
	CHECK(m.b[3].fx_chain == FL_MIDI_FX_MASTER && m.b[4].fx_chain == FL_MIDI_FX_INPUT &&
	      m.b[5].fx_chain == FL_MIDI_FX_BUS2);

	CHECK(fl_midi_map_input_from(&m, &k0, out, from, 4) == 1 && from[0] == &m.b[0] &&
	      out[0].type == FL_ACTION_FX_PARAM && out[0].value == 0.0f && out[0].track == 1 &&
	      out[0].slot == 0);
	CHECK(fl_midi_map_input_from(&m, &k127, out, from, 4) == 1 && out[0].value == 1.0f);
	CHECK(fl_midi_map_input_from(&m, &k64, out, from, 4) == 1 &&
	      fabsf(out[0].value - 64.0f / 127.0f) < 1e-6f);
	/* Other bindings still name theirs. */
	CHECK(fl_midi_map_add_line(&m, "any cc 30 undo", "t", 1, err, sizeof(err)) == FL_OK);
	struct fl_midi_msg u = {0xB0, 0, 30, 127};
	CHECK(fl_midi_map_input_from(&m, &u, out, from, 4) == 1 && from[0] == &m.b[6] &&
	      from[0]->fx_param[0] == '\0');

	/* Every fx binding formats to a line that reads back the same. */
	for (uint32_t i = 0; i < 6; i++) {
		const struct fl_midi_binding *a = &m.b[i], *c;
		fl_midi_binding_format(a, line, sizeof(line));
		fl_midi_map_init(&back);
		CHECK_MSG(fl_midi_map_add_line(&back, line, "fmt", 1, err, sizeof(err)) == FL_OK,
		          "\"%s\": %s", line, err);
		c = &back.b[0];
		CHECK_MSG(strcmp(a->fx_param, c->fx_param) == 0 && a->fx_chain == c->fx_chain &&
		                  a->fx_slot == c->fx_slot && a->fx_has_min == c->fx_has_min &&
		                  a->fx_has_max == c->fx_has_max && a->fx_min == c->fx_min &&
		                  a->fx_max == c->fx_max && a->channel == c->channel &&
		                  a->number == c->number && a->action.track == c->action.track,
		          "fx binding %u does not round-trip: \"%s\"", i, line);
	}
}

int
main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	test_errors();
	test_presets();
	test_feedback();
	test_learn();
	test_format_round_trip();
	test_fx_param();
	return fl_check_summary("test_midi_map");
}
