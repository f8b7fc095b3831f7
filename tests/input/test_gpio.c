/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GPIO without hardware: the [gpio*] config keys, the injection backend
 * through the real read path into the gesture machine, LED outputs, the
 * LED pattern functions, and the message for a missing chip. */
#include "check.h"
#include "input/gpio.h"
#include "input/led.h"

#include <poll.h>
#include <stdio.h>
#include <string.h>

#define MS 1000000ull

static void
test_config(void)
{
	struct fl_gpio_config c;
	char err[256];

	fl_gpio_config_defaults(&c);
	CHECK(!c.enabled && strcmp(c.chip, "auto") == 0 && c.debounce_ms == 10);
	CHECK(c.sw[0].used && strcmp(c.sw[0].line, "GPIO5") == 0);
	CHECK(c.sw[0].gesture.bind[FL_GESTURE_TAP].type == FL_ACTION_REC_DUB);
	CHECK(c.sw[1].used && c.sw[1].gesture.bind[FL_GESTURE_TAP].type == FL_ACTION_SELECT_NEXT);
	CHECK(c.led[0].used && c.led[0].track == FL_TRACK_SELECTED);
	CHECK(c.led[1].used && c.led[1].track == FL_GPIO_LED_BEAT);
	CHECK(!c.sw[2].used && !c.led[2].used);

	CHECK(fl_gpio_config_key(&c, "gpio", "enabled", "true", err, sizeof(err)) == FL_OK);
	CHECK(fl_gpio_config_key(&c, "gpio", "chip", "pinctrl-rp1", err, sizeof(err)) == FL_OK);
	CHECK(fl_gpio_config_key(&c, "gpio", "debounce_ms", "20", err, sizeof(err)) == FL_OK);
	CHECK(c.enabled && strcmp(c.chip, "pinctrl-rp1") == 0 && c.sw[3].gesture.debounce_ms == 20);
	CHECK(fl_gpio_config_key(&c, "gpio.switch.3", "line", "27", err, sizeof(err)) == FL_OK);
	CHECK(fl_gpio_config_key(&c, "gpio.switch.3", "type", "latching", err, sizeof(err)) == FL_OK);
	CHECK(fl_gpio_config_key(&c, "gpio.switch.3", "invert", "yes", err, sizeof(err)) == FL_OK);
	CHECK(fl_gpio_config_key(&c, "gpio.switch.3", "tap", "mute_toggle 2", err, sizeof(err)) ==
	      FL_OK);
	CHECK(fl_gpio_config_key(&c, "gpio.switch.3", "long_ms", "600", err, sizeof(err)) == FL_OK);
	CHECK(fl_gpio_config_key(&c, "gpio.switch.1", "double_tap", "none", err, sizeof(err)) ==
	      FL_OK);
	CHECK(c.sw[2].used && c.sw[2].invert && c.sw[2].gesture.type == FL_SWITCH_LATCHING);
	CHECK(c.sw[2].gesture.bind[FL_GESTURE_TAP].type == FL_ACTION_MUTE_TOGGLE &&
	      c.sw[2].gesture.bind[FL_GESTURE_TAP].track == 1 && c.sw[2].gesture.long_ms == 600);
	CHECK(c.sw[0].gesture.bind[FL_GESTURE_DOUBLE_TAP].type == FL_ACTION_NONE);
	CHECK(fl_gpio_config_key(&c, "gpio.led.3", "track", "beat", err, sizeof(err)) == FL_OK);
	CHECK(fl_gpio_config_key(&c, "gpio.led.4", "track", "2", err, sizeof(err)) == FL_OK);
	CHECK(c.led[2].track == FL_GPIO_LED_BEAT && c.led[3].track == 1);

	CHECK(fl_gpio_config_key(&c, "gpio.switch.1", "tap", "explode", err, sizeof(err)) ==
	      FL_ERR_CONFIG);
	CHECK_MSG(strstr(err, "[gpio.switch.1] tap = explode") && strstr(err, "unknown action"),
	          "%s", err);
	CHECK(fl_gpio_config_key(&c, "gpio.switch.9", "line", "5", err, sizeof(err)) ==
	      FL_ERR_CONFIG);
	CHECK(strstr(err, "[gpio.switch.9]") != NULL);
	CHECK(fl_gpio_config_key(&c, "gpio.switch.1", "type", "sticky", err, sizeof(err)) ==
	      FL_ERR_CONFIG);
	CHECK(fl_gpio_config_key(&c, "gpio", "debounce_ms", "-1", err, sizeof(err)) ==
	      FL_ERR_CONFIG);
	CHECK(fl_gpio_config_key(&c, "gpio.led.1", "track", "0", err, sizeof(err)) ==
	      FL_ERR_CONFIG);
	CHECK(fl_gpio_config_key(&c, "gpiox", "chip", "a", err, sizeof(err)) == FL_ERR_CONFIG);
}

/* Injected levels come back out of fl_gpio_read() as edges and drive the
 * gesture machine: the whole path a pedal takes, minus the kernel. */
static void
test_inject_path(void)
{
	struct fl_gpio_config c;
	struct fl_gpio *g = NULL;
	struct fl_gesture_config gc[FL_GPIO_MAX_SWITCHES];
	struct fl_gestures gs;
	struct fl_gesture_out gout[FL_GESTURE_MAX_OUT];
	struct fl_gpio_edge edges[16];
	int fds[4];
	size_t n = 0, n_fds, total = 0;
	uint32_t n_sw;
	char err[128];
	enum fl_action_type seen[8] = {0};

	fl_gpio_config_defaults(&c);
	CHECK(fl_gpio_config_key(&c, "gpio.switch.2", "invert", "true", err, sizeof(err)) == FL_OK);
	CHECK(fl_gpio_open_inject(&c, &g) == FL_OK && g);
	if (!g)
		return;
	n_fds = fl_gpio_fds(g, fds, 4);
	CHECK(n_fds == 1);
	n_sw = fl_gpio_gesture_configs(&c, gc, FL_GPIO_MAX_SWITCHES);
	CHECK(n_sw == 2);
	fl_gestures_init(&gs, gc, n_sw);

	/* Switch 1 (active-low): a bouncy tap. Switch 2 (inverted): a tap. */
	CHECK(fl_gpio_inject(g, 0, 0, 1000 * MS) == FL_OK);
	CHECK(fl_gpio_inject(g, 0, 1, 1001 * MS) == FL_OK);
	CHECK(fl_gpio_inject(g, 0, 0, 1002 * MS) == FL_OK);
	CHECK(fl_gpio_inject(g, 0, 1, 1100 * MS) == FL_OK);
	CHECK(fl_gpio_inject(g, 1, 1, 1200 * MS) == FL_OK);
	CHECK(fl_gpio_inject(g, 1, 0, 1300 * MS) == FL_OK);
	CHECK(fl_gpio_inject(g, 7, 0, 1400 * MS) == FL_OK); /* unused switch: dropped */
	struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
	CHECK(poll(&pfd, 1, 1000) == 1);
	CHECK(fl_gpio_read(g, fds[0], edges, 16, &n) == FL_OK);
	CHECK(n == 6);
	CHECK(edges[0].sw == 0 && edges[0].pressed && edges[0].timestamp_ns == 1000 * MS);
	CHECK(edges[1].sw == 0 && !edges[1].pressed);
	CHECK(edges[4].sw == 1 && edges[4].pressed && !edges[5].pressed);
	for (size_t i = 0; i < n; i++) {
		size_t k = fl_gestures_edge(&gs, edges[i].sw, edges[i].pressed,
		                            edges[i].timestamp_ns, gout, FL_GESTURE_MAX_OUT);
		for (size_t j = 0; j < k && total < 8; j++)
			seen[total++] = gout[j].action.type;
	}
	CHECK(total == 2 && seen[0] == FL_ACTION_REC_DUB && seen[1] == FL_ACTION_SELECT_NEXT);
	CHECK(fl_gpio_read(g, fds[0], edges, 16, &n) == FL_OK && n == 0); /* drained */

	/* LEDs: levels after invert; unchanged levels are no-ops. */
	CHECK(fl_gpio_led_level(g, 0) == -1);
	CHECK(fl_gpio_set_led(g, 0, true) == FL_OK && fl_gpio_led_level(g, 0) == 1);
	CHECK(fl_gpio_set_led(g, 0, false) == FL_OK && fl_gpio_led_level(g, 0) == 0);
	CHECK(fl_gpio_set_led(g, 5, true) == FL_ERR_RANGE);
	fl_gpio_free(g);

	fl_gpio_config_defaults(&c);
	c.led[1].invert = true;
	CHECK(fl_gpio_open_inject(&c, &g) == FL_OK);
	CHECK(fl_gpio_set_led(g, 1, true) == FL_OK && fl_gpio_led_level(g, 1) == 0);
	fl_gpio_free(g);
	fl_gpio_free(NULL);
}

static void
test_missing_chip(void)
{
	struct fl_gpio_config c;
	struct fl_gpio *g = (struct fl_gpio *)&c;
	char err[256] = "";
	enum fl_status st;

	fl_gpio_config_defaults(&c);
	snprintf(c.chip, sizeof(c.chip), "/dev/gpiochip-footloop-test");
	st = fl_gpio_open(&c, &g, err, sizeof(err));
	CHECK(g == NULL);
	CHECK_MSG(st == FL_ERR_DEVICE || st == FL_ERR_UNSUPPORTED, "status %d", st);
	CHECK_MSG(st != FL_ERR_DEVICE || strstr(err, "/dev/gpiochip-footloop-test"), "%s", err);
	{
		struct fl_gpio *inj = NULL;
		CHECK(fl_gpio_open_inject(&c, &inj) == FL_OK);
		CHECK(fl_gpio_inject(inj, 0, 0, 0) == FL_OK);
		fl_gpio_free(inj);
	}
}

struct lcase {
	uint32_t state;
	bool muted;
	uint64_t frame, cycle_frames, cycle_position;
	bool want;
};

/* 48 kHz: dip 80 ms = 3840 frames; fast blink 8 Hz = 6000-frame period. */
static const struct lcase led_cases[] = {
	{FL_TRACK_EMPTY, false, 0, 96000, 10000, false},
	{FL_TRACK_RECORDING, false, 0, 0, 0, true},
	{FL_TRACK_RECORDING, false, 2999, 96000, 0, true},
	{FL_TRACK_PLAYING, false, 0, 96000, 3839, false}, /* the dip */
	{FL_TRACK_PLAYING, false, 0, 96000, 3840, true},
	{FL_TRACK_PLAYING, false, 0, 96000, 95999, true},
	{FL_TRACK_PLAYING, true, 0, 96000, 50000, false}, /* muted */
	{FL_TRACK_OVERDUBBING, false, 0, 96000, 0, true},
	{FL_TRACK_OVERDUBBING, false, 2999, 96000, 0, true},
	{FL_TRACK_OVERDUBBING, false, 3000, 96000, 0, false},
	{FL_TRACK_OVERDUBBING, false, 6000, 96000, 0, true},
	{FL_TRACK_STOPPED, false, 0, 96000, 50000, false},
	{FL_TRACK_ARMED, false, 0, 96000, 0, true},
	{FL_TRACK_ARMED, false, 12000, 96000, 0, false},
};

static void
test_led_patterns(void)
{
	for (size_t i = 0; i < sizeof(led_cases) / sizeof(led_cases[0]); i++) {
		const struct lcase *c = &led_cases[i];
		struct fl_track_status t = {.state = c->state, .muted = c->muted};
		struct fl_engine_status st = {.frame = c->frame,
		                              .cycle_frames = c->cycle_frames,
		                              .cycle_position = c->cycle_position,
		                              .sample_rate = 48000};
		CHECK_MSG(fl_led_track_level(&t, &st) == c->want, "case %zu (%s)", i,
		          fl_led_state_name(fl_led_state_of(&t)));
	}
	/* Beat: 4 beats per 96000-frame cycle = 24000 frames; on for 60 ms. */
	struct fl_engine_status st = {.cycle_frames = 96000, .sample_rate = 48000};
	const uint64_t pos[] = {0, 2879, 2880, 23999, 24000, 26879, 26880, 72000};
	const bool want[] = {true, true, false, false, true, true, false, true};
	for (size_t i = 0; i < 8; i++) {
		st.cycle_position = pos[i];
		CHECK_MSG(fl_led_beat_level(&st, 4) == want[i], "beat at %llu",
		          (unsigned long long)pos[i]);
	}
	st.cycle_frames = 0;
	st.cycle_position = 0;
	CHECK(!fl_led_beat_level(&st, 4)); /* no loop yet */
	for (int s = 0; s < FL_LED__COUNT; s++)
		CHECK(fl_led_state_from_name(fl_led_state_name((enum fl_led_state)s)) == s);
}

int
main(void)
{
	test_config();
	test_inject_path();
	test_missing_chip();
	test_led_patterns();
	return fl_check_summary("test_gpio");
}
