/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Config parsing: defaults, every section, and errors that name file:line,
 * section and key. */
#include "check.h"

#include "core/log.h"
#include "footloop/config.h"

#include "dsp/fx.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

static char err[512];

static enum fl_status
load(struct fl_config *c, const char *text)
{
	fl_config_defaults(c);
	err[0] = '\0';
	return fl_config_load_string(c, text, "footloop.conf", err, sizeof err);
}

/* text must fail with exactly the message want. */
static void
expect_error(const char *text, const char *want)
{
	struct fl_config c;
	enum fl_status st = load(&c, text);
	CHECK_MSG(st == FL_ERR_CONFIG, "no error for: %s", text);
	CHECK_MSG(strcmp(err, want) == 0, "got \"%s\", want \"%s\"", err, want);
}

static void
test_defaults(void)
{
	struct fl_config c;
	CHECK(load(&c, "") == FL_OK);
	CHECK(c.engine.n_tracks == 4);
	CHECK(c.engine.track_seconds == 120.0f);
	CHECK(c.engine.fade_ms == 10.0f && c.engine.seam_ms == 10.0f);
	CHECK(c.engine.late_window_ms == 150.0f && c.engine.history_seconds == 2.0f);
	CHECK(c.engine.quantize == FL_QUANTIZE_CYCLE && c.engine.monitor);
	CHECK(c.lock_memory && c.latency_trim_ms == 0.0f);
	CHECK(c.engine.limiter); /* the master limiter is on unless configured off */
	CHECK(strcmp(c.jack_name, "footloop") == 0 && c.jack_server[0] == '\0');
	CHECK(c.autoconnect && c.osc_port == 9000 && c.feedback_hz == 30);
	CHECK(strcmp(c.osc_bind, "0.0.0.0") == 0);
	CHECK(c.log_level == FL_LOG_INFO);
	CHECK(c.track[0].level == 1.0f && c.track[3].quantize == FL_QUANTIZE_CYCLE);
	CHECK(!c.gpio.enabled && c.gpio.sw[0].used && c.midi_map[0] == '\0');
}

static void
test_full(void)
{
	struct fl_config c;
	const char *text = "; comment\n"
	                   "[engine]\ntracks = 8\ntrack_seconds = 30\nfade_ms = 5\n"
	                   "quantize = off\nmonitor = no\nmonitor_level = 0.5\n"
	                   "master_level = 1.5\nlatency_trim_ms = -2.5\nlock_memory = false\n"
	                   "[track.2]\nlevel = 0.25\npan = -1\n"
	                   "[track.8]\nquantize = cycle\n"
	                   "[jack]\nname = looper\nserver = ctltest\nautoconnect = off\n"
	                   "connect_in_1 = a:b\nconnect_out_2 = c:d\n"
	                   "[osc]\nport = 9123\nbind = 127.0.0.1\nfeedback_hz = 100\n"
	                   "[log]\nlevel = debug\n"
	                   "[gpio]\nenabled = true\n[gpio.switch.1]\nline = 17\ntap = record 2\n"
	                   "[gpio.led.3]\nline = GPIO26\ntrack = beat\n"
	                   "[midi]\nalsa_in = FCB\nmap = midi/foot.conf\n";
	CHECK_MSG(load(&c, text) == FL_OK, "%s", err);
	CHECK(c.engine.n_tracks == 8 && c.engine.track_seconds == 30.0f);
	CHECK(c.engine.fade_ms == 5.0f && c.engine.quantize == FL_QUANTIZE_OFF);
	CHECK(!c.engine.monitor && c.engine.monitor_level == 0.5f);
	CHECK(c.engine.master_level == 1.5f && c.latency_trim_ms == -2.5f && !c.lock_memory);
	CHECK(c.track[1].level == 0.25f && c.track[1].pan == -1.0f);
	/* Tracks without their own quantize take the engine's. */
	CHECK(c.track[1].quantize == FL_QUANTIZE_OFF && c.track[7].quantize == FL_QUANTIZE_CYCLE);
	CHECK(strcmp(c.jack_name, "looper") == 0 && strcmp(c.jack_server, "ctltest") == 0);
	CHECK(!c.autoconnect && strcmp(c.connect_in[0], "a:b") == 0);
	CHECK(strcmp(c.connect_out[1], "c:d") == 0 && c.connect_out[0][0] == '\0');
	CHECK(c.osc_port == 9123 && strcmp(c.osc_bind, "127.0.0.1") == 0);
	CHECK(c.feedback_hz == 30); /* clamped */
	CHECK(c.log_level == FL_LOG_DEBUG);
	/* [gpio*] goes to the input module's parser, [midi] is ours. */
	CHECK(c.gpio.enabled && strcmp(c.gpio.sw[0].line, "17") == 0);
	CHECK(c.gpio.sw[0].gesture.bind[FL_GESTURE_TAP].type == FL_ACTION_RECORD);
	CHECK(c.gpio.sw[0].gesture.bind[FL_GESTURE_TAP].track == 1);
	CHECK(c.gpio.led[2].used && c.gpio.led[2].track == FL_GPIO_LED_BEAT);
	CHECK(strcmp(c.midi_alsa_in, "FCB") == 0 && c.midi_alsa_out[0] == '\0');
	/* A string has no file folder: the path stays as written. */
	CHECK(strcmp(c.midi_map, "midi/foot.conf") == 0 && c.midi_learn_file[0] == '\0');
}

static void
test_errors(void)
{
	expect_error("[engine]\n\ntracks = 0\n",
	             "footloop.conf:3: [engine] tracks: 0 is out of range 1..64");
	expect_error("[engine]\ntracks = 65\n",
	             "footloop.conf:2: [engine] tracks: 65 is out of range 1..64");
	expect_error("[engine]\ntracks = 2.5\n",
	             "footloop.conf:2: [engine] tracks: 2.5 is not a whole number");
	expect_error("[engine]\ntrakcs = 4\n", "footloop.conf:2: [engine] trakcs: unknown key");
	expect_error("[engien]\ntracks = 4\n", "footloop.conf:2: [engien]: unknown section");
	expect_error("[engine]\nmaster_level = loud\n",
	             "footloop.conf:2: [engine] master_level: 'loud' is not a number");
	expect_error("[engine]\nmaster_level = nan\n",
	             "footloop.conf:2: [engine] master_level: 'nan' is not a number");
	expect_error("[engine]\nmonitor = maybe\n",
	             "footloop.conf:2: [engine] monitor: 'maybe' is not a boolean "
	             "(true/false, yes/no, on/off, 1/0)");
	expect_error("[engine]\nquantize = bar\n",
	             "footloop.conf:2: [engine] quantize: 'bar' is not a quantize mode (off, cycle)");
	expect_error("[track.1]\npan = 2\n", "footloop.conf:2: [track.1] pan: 2 is out of range -1..1");
	expect_error("[track.0]\npan = 0\n",
	             "footloop.conf:2: [track.0]: track sections are [track.N] with N in 1..64");
	expect_error("[track.5]\npan = 0\n[engine]\ntracks = 4\n",
	             "footloop.conf:2: [track.5]: track 5 does not exist ([engine] tracks = 4)");
	expect_error("[osc]\nport = 70000\n",
	             "footloop.conf:2: [osc] port: 70000 is out of range 0..65535");
	expect_error("[jack]\nname =\n", "footloop.conf:2: [jack] name: value must not be empty");
	expect_error("[log]\nlevel = loud\n",
	             "footloop.conf:2: [log] level: 'loud' is not a log level "
	             "(error, warning, notice, info, debug)");
	expect_error("tracks = 4\n",
	             "footloop.conf:1: tracks: key outside any section (start with [engine], "
	             "[jack], ...)");
	expect_error("[engine]\nthis line has no equals\ntracks = 0\n",
	             "footloop.conf:2: syntax error (expected [section] or key = value)");
	expect_error("[midi]\ndevice = x\n", "footloop.conf:2: [midi] device: unknown key");
	expect_error("[midi.x]\nmap = a\n", "footloop.conf:2: [midi.x]: unknown section");
	expect_error("[gpio]\n\nchip = \n",
	             "footloop.conf:3: [gpio] chip = : unknown key or bad value (keys: enabled, "
	             "chip, debounce_ms 0..1000, beats_per_cycle 1..64)");
	struct fl_config c;
	CHECK(load(&c, "[gpio.switch.2]\ntap = fly 1\n") == FL_ERR_CONFIG);
	CHECK_MSG(strncmp(err, "footloop.conf:2: [gpio.switch.2] tap = fly 1: ",
	                  strlen("footloop.conf:2: [gpio.switch.2] tap = fly 1: ")) == 0,
	          "got \"%s\"", err);
	CHECK(load(&c, "[gpio.switch.9]\nline = 3\n") == FL_ERR_CONFIG);
	CHECK_MSG(strstr(err, "footloop.conf:2: [gpio.switch.9]: unknown section") == err,
	          "got \"%s\"", err);
	/* The first error wins, even when a syntax error comes later. */
	expect_error("[engine]\ntracks = 0\nno equals\n",
	             "footloop.conf:2: [engine] tracks: 0 is out of range 1..64");
}

static void
test_file(void)
{
	struct fl_config c;
	char path[] = "/tmp/fl_test_config_XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	const char *text = "[engine]\ntracks = 16\n[osc]\nport = x\n";
	CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	fl_config_defaults(&c);
	CHECK(fl_config_load(&c, path, err, sizeof err) == FL_ERR_CONFIG);
	char want[600];
	snprintf(want, sizeof want, "%s:4: [osc] port: 'x' is not a number", path);
	CHECK_MSG(strcmp(err, want) == 0, "got \"%s\"", err);
	unlink(path);
	/* Relative [midi] paths are next to the config file. */
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs("[midi]\nmap = foot.conf\nlearn_file = /abs/learned.conf\n", f);
		fclose(f);
	}
	fl_config_defaults(&c);
	CHECK_MSG(fl_config_load(&c, path, err, sizeof err) == FL_OK, "%s", err);
	CHECK_MSG(strcmp(c.midi_map, "/tmp/foot.conf") == 0, "map %s", c.midi_map);
	CHECK(strcmp(c.midi_learn_file, "/abs/learned.conf") == 0);
	unlink(path);
	fl_config_defaults(&c);
	CHECK(fl_config_load(&c, path, err, sizeof err) == FL_ERR_IO);
	CHECK_MSG(strstr(err, "cannot open config file") != NULL, "got \"%s\"", err);
}

/* text must fail with a message that starts with start and contains has. */
static void
expect_error_has(const char *text, const char *start, const char *has)
{
	struct fl_config c;
	enum fl_status st = load(&c, text);
	CHECK_MSG(st == FL_ERR_CONFIG, "no error for: %s", text);
	CHECK_MSG(strncmp(err, start, strlen(start)) == 0 && strstr(err, has) != NULL,
	          "got \"%s\", want \"%s...%s...\"", err, start, has);
}

/* Effect chains: [track.N], [input], [bus.N], [master] fx1..fx4, their
 * parameters by text, bypass, sends and input_fx; every mistake names
 * file:line, section, key and what is valid. */
static void
test_fx_chains(void)
{
	struct fl_config c;
	enum fl_status st = load(&c, "[engine]\ntracks = 2\n"
	                             "[track.2]\nfx1 = eq\nfx1.peak1_gain_db = -6 dB\n"
	                             "fx1.peak1_hz = 2.5k\nfx3 = delay\nfx3.note = 1/8d\n"
	                             "fx3.bypass = on\nsend1 = 0.5\nsend2 = 0.25\ninput_fx = yes\n"
	                             "[input]\nfx1 = compressor\nfx1.ratio = 3\n"
	                             "[bus.2]\nfx1 = hall\nfx1.decay_s = 4\n"
	                             "[master]\nfx2 = preset:dub\n");
	CHECK_MSG(st == FL_OK, "%s", err);
	const struct fl_track_config *t = &c.track[1];
	int g = fl_fx_param_index(FL_FX_EQ, "peak1_gain_db");
	int hz = fl_fx_param_index(FL_FX_EQ, "peak1_hz");
	int note = fl_fx_param_index(FL_FX_DELAY, "note");
	CHECK(t->fx.given && t->fx.slot[0].given && t->fx.slot[0].type == FL_FX_EQ);
	CHECK(t->fx.slot[0].param[g] == -6.0f && t->fx.slot[0].param[hz] == 2500.0f);
	CHECK(t->fx.slot[0].param_set == (1u << g | 1u << hz) && !t->fx.slot[0].bypass);
	CHECK(t->fx.slot[0].line == 4);
	CHECK(!t->fx.slot[1].given && t->fx.slot[2].type == FL_FX_DELAY);
	CHECK(t->fx.slot[2].param[note] == 7.0f && t->fx.slot[2].bypass);
	CHECK(t->send[0] == 0.5f && t->send[1] == 0.25f && t->input_fx);
	CHECK(!c.track[0].fx.given && c.track[0].send[0] == 0.0f && !c.track[0].input_fx);
	CHECK(c.input_chain.slot[0].type == FL_FX_COMPRESSOR);
	CHECK(!c.bus_chain[0].given && c.bus_chain[1].given && c.bus_chain[1].slot[0].type == FL_FX_HALL);
	CHECK(c.master_chain.slot[1].given && strcmp(c.master_chain.slot[1].preset, "dub") == 0);
	CHECK(load(&c, "[track.1]\nfx1 = none\n") == FL_OK && c.track[0].fx.slot[0].given &&
	      c.track[0].fx.slot[0].type == FL_FX_NONE);

	expect_error_has("[track.1]\nfx1 = wahwah\n",
	                 "footloop.conf:2: [track.1] fx1: 'wahwah' is not an effect (none, eq, ",
	                 "hall, or preset:NAME)");
	expect_error("[track.1]\nfx5 = eq\n", "footloop.conf:2: [track.1] fx5: effect slots are fx1..fx4");
	expect_error("[track.1]\nfx0 = eq\n", "footloop.conf:2: [track.1] fx0: effect slots are fx1..fx4");
	expect_error_has("[track.1]\nfx1 = eq\nfx1.peak1_gain_db = 30\n",
	                 "footloop.conf:3: [track.1] fx1.peak1_gain_db: ", "-24");
	expect_error_has("[track.1]\nfx1 = eq\nfx1.peak1_gain_db = nan\n",
	                 "footloop.conf:3: [track.1] fx1.peak1_gain_db: ", "");
	expect_error_has("[track.1]\nfx1 = eq\nfx1.wobble = 1\n",
	                 "footloop.conf:3: [track.1] fx1.wobble: eq has no parameter 'wobble' (bypass, ",
	                 "peak1_gain_db");
	expect_error_has("[track.1]\nfx2.mix = 0.5\n", "footloop.conf:2: [track.1] fx2.mix: ",
	                 "set fx2 = <effect type> before its parameters");
	expect_error_has("[track.1]\nfx1 = preset:dub\nfx1.mix = 0.5\n",
	                 "footloop.conf:3: [track.1] fx1.mix: ", "preset's parameters");
	expect_error_has("[track.1]\nfx1 = delay\nfx1.bypass = maybe\n",
	                 "footloop.conf:3: [track.1] fx1.bypass: 'maybe' is not a boolean", "on/off");
	expect_error_has("[track.1]\nfx1 = delay\nfx1.note = 1/7\n",
	                 "footloop.conf:3: [track.1] fx1.note: ", "1/1..1/32");
	expect_error("[track.1]\nsend1 = 3\n", "footloop.conf:2: [track.1] send1: 3 is out of range 0..2");
	expect_error_has("[track.1]\ninput_fx = sometimes\n", "footloop.conf:2: [track.1] input_fx: ",
	                 "not a boolean");
	expect_error("[bus.3]\nfx1 = eq\n", "footloop.conf:2: [bus.3]: bus sections are [bus.1] and [bus.2]");
	expect_error("[master]\nlevel = 1\n",
	             "footloop.conf:2: [master] level: unknown key (fx1..fx4, fxK.bypass, fxK.<parameter>)");
	expect_error_has("[input]\nfx1 = preset:\n", "footloop.conf:2: [input] fx1: preset:NAME needs a name", "");
}

/* The shipped example must load and carry the documented defaults. */
static void
test_shipped(void)
{
	struct fl_config c, d;
	fl_config_defaults(&c);
	fl_config_defaults(&d);
	enum fl_status st = fl_config_load(&c, FL_SHIPPED_CONFIG, err, sizeof err);
	CHECK_MSG(st == FL_OK, "%s", err);
	CHECK(c.engine.n_tracks == d.engine.n_tracks && c.osc_port == d.osc_port);
	CHECK(c.engine.track_seconds == d.engine.track_seconds && c.feedback_hz == d.feedback_hz);
}

int
main(void)
{
	fl_log_set_level(FL_LOG_ERROR);
	test_defaults();
	test_fx_chains();
	test_full();
	test_errors();
	test_file();
	test_shipped();
	return fl_check_summary("test_config");
}
