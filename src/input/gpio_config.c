/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The [gpio], [gpio.switch.N] and [gpio.led.N] config sections. */
#include "input/action_parse.h"
#include "input/gpio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
copy_name(char *dst, const char *src)
{
	snprintf(dst, FL_GPIO_NAME_MAX, "%s", src);
}

void
fl_gpio_config_defaults(struct fl_gpio_config *c)
{
	memset(c, 0, sizeof(*c));
	copy_name(c->chip, "auto");
	c->debounce_ms = 10;
	c->beats_per_cycle = 4;
	for (int i = 0; i < FL_GPIO_MAX_SWITCHES; i++)
		fl_gesture_config_defaults(&c->sw[i].gesture);
	/* BCM 5, 6, 22, 23 are free with I2S HATs and with Pisound. */
	c->sw[0].used = true;
	copy_name(c->sw[0].line, "GPIO5");
	fl_gesture_config_pedal(&c->sw[0].gesture);
	c->sw[1].used = true;
	copy_name(c->sw[1].line, "GPIO6");
	fl_gesture_config_select(&c->sw[1].gesture);
	c->led[0] = (struct fl_gpio_led_config){.used = true, .track = FL_TRACK_SELECTED};
	copy_name(c->led[0].line, "GPIO22");
	c->led[1] = (struct fl_gpio_led_config){.used = true, .track = FL_GPIO_LED_BEAT};
	copy_name(c->led[1].line, "GPIO23");
}

static bool
parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on") || !strcmp(v, "1"))
		*out = true;
	else if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "off") || !strcmp(v, "0"))
		*out = false;
	else
		return false;
	return true;
}

static bool
parse_u32(const char *v, uint32_t lo, uint32_t hi, uint32_t *out)
{
	char *end;
	unsigned long x;

	errno = 0;
	x = strtoul(v, &end, 10);
	if (errno || end == v || *end || *v == '-' || x < lo || x > hi)
		return false;
	*out = (uint32_t)x;
	return true;
}

/* "gpio.switch.3" -> index 2 of max; -1 when malformed. */
static int
section_index(const char *section, const char *prefix, int max)
{
	size_t len = strlen(prefix);
	uint32_t n;

	if (strncmp(section, prefix, len) != 0 || !parse_u32(section + len, 1, (uint32_t)max, &n))
		return -1;
	return (int)n - 1;
}

static enum fl_status
bad(char *err, size_t errlen, const char *section, const char *key, const char *value,
    const char *why)
{
	snprintf(err, errlen, "[%s] %s = %s: %s", section, key, value, why);
	return FL_ERR_CONFIG;
}

static enum fl_status
gpio_key(struct fl_gpio_config *c, const char *key, const char *v, char *err, size_t errlen)
{
	if (!strcmp(key, "enabled") && parse_bool(v, &c->enabled))
		return FL_OK;
	if (!strcmp(key, "chip") && *v && strlen(v) < FL_GPIO_NAME_MAX) {
		copy_name(c->chip, v);
		return FL_OK;
	}
	if (!strcmp(key, "debounce_ms") && parse_u32(v, 0, 1000, &c->debounce_ms)) {
		for (int i = 0; i < FL_GPIO_MAX_SWITCHES; i++)
			c->sw[i].gesture.debounce_ms = c->debounce_ms;
		return FL_OK;
	}
	if (!strcmp(key, "beats_per_cycle") && parse_u32(v, 1, 64, &c->beats_per_cycle))
		return FL_OK;
	return bad(err, errlen, "gpio", key, v,
	           "unknown key or bad value (keys: enabled, chip, debounce_ms 0..1000, "
	           "beats_per_cycle 1..64)");
}

static enum fl_status
switch_key(struct fl_gpio_switch_config *s, const char *section, const char *key, const char *v,
           char *err, size_t errlen)
{
	struct fl_gesture_config *g = &s->gesture;
	int gst = fl_gesture_from_name(key);
	char why[160];

	s->used = true;
	if (gst >= 0) {
		if (fl_input_parse_action(v, &g->bind[gst], why, sizeof(why)) != FL_OK)
			return bad(err, errlen, section, key, v, why);
		return FL_OK;
	}
	if (!strcmp(key, "line") && *v && strlen(v) < FL_GPIO_NAME_MAX) {
		copy_name(s->line, v);
		return FL_OK;
	}
	if (!strcmp(key, "invert") && parse_bool(v, &s->invert))
		return FL_OK;
	if (!strcmp(key, "type") && (!strcmp(v, "momentary") || !strcmp(v, "latching"))) {
		g->type = !strcmp(v, "latching") ? FL_SWITCH_LATCHING : FL_SWITCH_MOMENTARY;
		return FL_OK;
	}
	if (!strcmp(key, "long_ms") && parse_u32(v, 50, 60000, &g->long_ms))
		return FL_OK;
	if (!strcmp(key, "longer_ms") && parse_u32(v, 50, 60000, &g->longer_ms))
		return FL_OK;
	if (!strcmp(key, "double_tap_ms") && parse_u32(v, 50, 2000, &g->double_tap_ms))
		return FL_OK;
	if (!strcmp(key, "exclusive_double") && parse_bool(v, &g->exclusive_double))
		return FL_OK;
	return bad(err, errlen, section, key, v,
	           "unknown key or bad value (keys: line, invert, type momentary|latching, "
	           "press, release, tap, double_tap, long, longer, long_ms, longer_ms, "
	           "double_tap_ms, exclusive_double)");
}

static enum fl_status
led_key(struct fl_gpio_led_config *l, const char *section, const char *key, const char *v,
        char *err, size_t errlen)
{
	uint32_t t;

	l->used = true;
	if (!strcmp(key, "line") && *v && strlen(v) < FL_GPIO_NAME_MAX) {
		copy_name(l->line, v);
		return FL_OK;
	}
	if (!strcmp(key, "invert") && parse_bool(v, &l->invert))
		return FL_OK;
	if (!strcmp(key, "track")) {
		if (!strcmp(v, "beat"))
			l->track = FL_GPIO_LED_BEAT;
		else if (!strcmp(v, "selected"))
			l->track = FL_TRACK_SELECTED;
		else if (parse_u32(v, 1, 64, &t))
			l->track = (int32_t)t - 1;
		else
			return bad(err, errlen, section, key, v, "not 1..64, selected or beat");
		return FL_OK;
	}
	return bad(err, errlen, section, key, v,
	           "unknown key or bad value (keys: line, invert, track)");
}

enum fl_status
fl_gpio_config_key(struct fl_gpio_config *c, const char *section, const char *key,
                   const char *value, char *err, size_t errlen)
{
	int i;

	if (!strcmp(section, "gpio"))
		return gpio_key(c, key, value, err, errlen);
	if ((i = section_index(section, "gpio.switch.", FL_GPIO_MAX_SWITCHES)) >= 0)
		return switch_key(&c->sw[i], section, key, value, err, errlen);
	if ((i = section_index(section, "gpio.led.", FL_GPIO_MAX_LEDS)) >= 0)
		return led_key(&c->led[i], section, key, value, err, errlen);
	snprintf(err, errlen, "[%s]: unknown section (gpio, gpio.switch.1..%d, gpio.led.1..%d)",
	         section, FL_GPIO_MAX_SWITCHES, FL_GPIO_MAX_LEDS);
	return FL_ERR_CONFIG;
}

uint32_t
fl_gpio_gesture_configs(const struct fl_gpio_config *c, struct fl_gesture_config *out,
                        uint32_t max)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < FL_GPIO_MAX_SWITCHES && i < max; i++) {
		if (c->sw[i].used) {
			out[i] = c->sw[i].gesture;
			n = i + 1;
		} else {
			fl_gesture_config_defaults(&out[i]);
		}
	}
	return n;
}
