/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GPIO backend for libgpiod 2.x (Debian trixie and later). The kernel
 * debounces (debounce_period_us, uAPI v2), so the gesture layer's software
 * debounce only sees clean edges. One request per line, so that an error
 * names the line and switches can differ in polarity. */
#if defined(FL_GPIOD_MAJOR) && FL_GPIOD_MAJOR == 2

#include "input/gpio_priv.h"

#include <dirent.h>
#include <errno.h>
#include <gpiod.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONSUMER "footloop"
#define EVENT_BUF 16

struct v2_state {
	struct gpiod_chip *chip;
	char chip_name[FL_GPIO_NAME_MAX];
	struct gpiod_line_request *sw[FL_GPIO_MAX_SWITCHES];
	unsigned sw_offset[FL_GPIO_MAX_SWITCHES];
	struct gpiod_line_request *led[FL_GPIO_MAX_LEDS];
	unsigned led_offset[FL_GPIO_MAX_LEDS];
	uint32_t fd_sw[FL_GPIO_MAX_SWITCHES];
	struct gpiod_edge_event_buffer *events;
};

static const char *const pi_labels[] = {"pinctrl-rp1", "pinctrl-bcm2711", "pinctrl-bcm2835"};

static bool
chip_has_label(struct gpiod_chip *chip, const char *label)
{
	struct gpiod_chip_info *info = gpiod_chip_get_info(chip);
	bool yes = info && strcmp(gpiod_chip_info_get_label(info), label) == 0;

	gpiod_chip_info_free(info);
	return yes;
}

/* Opens the /dev/gpiochip* whose label is label. */
static struct gpiod_chip *
open_by_label(const char *label)
{
	DIR *d = opendir("/dev");
	struct dirent *e;
	struct gpiod_chip *found = NULL;
	char path[300];

	while (d && !found && (e = readdir(d))) {
		if (strncmp(e->d_name, "gpiochip", 8) != 0)
			continue;
		snprintf(path, sizeof(path), "/dev/%s", e->d_name);
		struct gpiod_chip *chip = gpiod_chip_open(path);
		if (chip && chip_has_label(chip, label))
			found = chip;
		else if (chip)
			gpiod_chip_close(chip);
	}
	if (d)
		closedir(d);
	return found;
}

/* "auto", a path, a name (gpiochip0) or a label. */
static struct gpiod_chip *
open_chip(const char *spec)
{
	struct gpiod_chip *chip;
	char path[300];

	if (strcmp(spec, "auto") == 0) {
		for (size_t i = 0; i < sizeof(pi_labels) / sizeof(pi_labels[0]); i++)
			if ((chip = open_by_label(pi_labels[i])))
				return chip;
		return gpiod_chip_open("/dev/gpiochip0");
	}
	if (spec[0] == '/')
		return gpiod_chip_open(spec);
	snprintf(path, sizeof(path), "/dev/%s", spec);
	if ((chip = gpiod_chip_open(path)))
		return chip;
	return open_by_label(spec);
}

static enum fl_status
line_offset(struct v2_state *s, const char *spec, unsigned *offset, char *err, size_t errlen)
{
	int o;

	if (fl_gpio_parse_offset(spec, offset))
		return FL_OK;
	o = gpiod_chip_get_line_offset_from_name(s->chip, spec);
	if (o < 0) {
		snprintf(err, errlen, "GPIO line %s not found on %s", spec, s->chip_name);
		return FL_ERR_DEVICE;
	}
	*offset = (unsigned)o;
	return FL_OK;
}

static void
busy_message(struct v2_state *s, unsigned offset, const char *spec, char *err, size_t errlen)
{
	struct gpiod_line_info *info = gpiod_chip_get_line_info(s->chip, offset);
	const char *name = info ? gpiod_line_info_get_name(info) : NULL;
	const char *holder = info ? gpiod_line_info_get_consumer(info) : NULL;
	int e = errno;

	if (e == EBUSY || (info && gpiod_line_info_is_used(info)))
		snprintf(err, errlen, "GPIO line %u (%s) on %s is busy: another process holds it%s%s",
		         offset, name ? name : spec, s->chip_name, holder ? " as " : "",
		         holder ? holder : "");
	else
		snprintf(err, errlen, "GPIO line %u (%s) on %s: request failed: %s", offset,
		         name ? name : spec, s->chip_name, strerror(e));
	gpiod_line_info_free(info);
}

static struct gpiod_line_request *
request_line(struct v2_state *s, unsigned offset, bool output, bool invert, uint32_t debounce_ms)
{
	struct gpiod_line_settings *ls = gpiod_line_settings_new();
	struct gpiod_line_config *lc = gpiod_line_config_new();
	struct gpiod_request_config *rc = gpiod_request_config_new();
	struct gpiod_line_request *req = NULL;

	if (ls && lc && rc) {
		if (output) {
			gpiod_line_settings_set_direction(ls, GPIOD_LINE_DIRECTION_OUTPUT);
			gpiod_line_settings_set_active_low(ls, invert);
			gpiod_line_settings_set_output_value(ls, GPIOD_LINE_VALUE_INACTIVE);
		} else {
			gpiod_line_settings_set_direction(ls, GPIOD_LINE_DIRECTION_INPUT);
			gpiod_line_settings_set_edge_detection(ls, GPIOD_LINE_EDGE_BOTH);
			gpiod_line_settings_set_bias(ls, GPIOD_LINE_BIAS_PULL_UP);
			gpiod_line_settings_set_active_low(ls, !invert);
			gpiod_line_settings_set_debounce_period_us(ls, debounce_ms * 1000ul);
		}
		gpiod_request_config_set_consumer(rc, CONSUMER);
		if (gpiod_line_config_add_line_settings(lc, &offset, 1, ls) == 0)
			req = gpiod_chip_request_lines(s->chip, rc, lc);
	}
	gpiod_request_config_free(rc);
	gpiod_line_config_free(lc);
	gpiod_line_settings_free(ls);
	return req;
}

static enum fl_status
v2_read(struct fl_gpio *g, int fd, struct fl_gpio_edge *out, size_t max, size_t *n)
{
	struct v2_state *s = g->hw;
	uint32_t sw = UINT32_MAX;
	int got;

	for (uint32_t i = 0; i < g->n_fds; i++)
		if (g->fds[i] == fd)
			sw = s->fd_sw[i];
	if (sw == UINT32_MAX)
		return FL_ERR_BAD_ARG;
	got = gpiod_line_request_read_edge_events(s->sw[sw], s->events,
	                                          max < EVENT_BUF ? max : EVENT_BUF);
	if (got < 0)
		return errno == EAGAIN ? FL_OK : FL_ERR_IO;
	for (int i = 0; i < got; i++) {
		struct gpiod_edge_event *ev = gpiod_edge_event_buffer_get_event(s->events, (unsigned long)i);
		out[(*n)++] = (struct fl_gpio_edge){
			.sw = sw,
			.pressed = gpiod_edge_event_get_event_type(ev) == GPIOD_EDGE_EVENT_RISING_EDGE,
			.timestamp_ns = gpiod_edge_event_get_timestamp_ns(ev)};
	}
	return FL_OK;
}

static enum fl_status
v2_set_led(struct fl_gpio *g, uint32_t led, bool on)
{
	struct v2_state *s = g->hw;

	if (!s->led[led])
		return FL_ERR_RANGE;
	return gpiod_line_request_set_value(s->led[led], s->led_offset[led],
	                                    on ? GPIOD_LINE_VALUE_ACTIVE
	                                       : GPIOD_LINE_VALUE_INACTIVE) == 0
	               ? FL_OK
	               : FL_ERR_IO;
}

static void
v2_close(struct fl_gpio *g)
{
	struct v2_state *s = g->hw;

	if (!s)
		return;
	for (int i = 0; i < FL_GPIO_MAX_SWITCHES; i++)
		if (s->sw[i])
			gpiod_line_request_release(s->sw[i]);
	for (int i = 0; i < FL_GPIO_MAX_LEDS; i++)
		if (s->led[i])
			gpiod_line_request_release(s->led[i]);
	if (s->events)
		gpiod_edge_event_buffer_free(s->events);
	if (s->chip)
		gpiod_chip_close(s->chip);
	free(s);
	g->hw = NULL;
}

static const struct fl_gpio_ops v2_ops = {.read = v2_read, .set_led = v2_set_led, .close = v2_close};

static enum fl_status
request_one(struct v2_state *s, const char *spec, bool output, bool invert, uint32_t debounce_ms,
            struct gpiod_line_request **req, unsigned *offset, char *err, size_t errlen)
{
	enum fl_status st = line_offset(s, spec, offset, err, errlen);

	if (st != FL_OK)
		return st;
	*req = request_line(s, *offset, output, invert, debounce_ms);
	if (!*req) {
		busy_message(s, *offset, spec, err, errlen);
		return FL_ERR_DEVICE;
	}
	return FL_OK;
}

static enum fl_status
request_all(struct fl_gpio *g, struct v2_state *s, char *err, size_t errlen)
{
	const struct fl_gpio_config *c = &g->cfg;
	enum fl_status st;

	for (uint32_t i = 0; i < FL_GPIO_MAX_SWITCHES; i++) {
		if (!c->sw[i].used)
			continue;
		st = request_one(s, c->sw[i].line, false, c->sw[i].invert, c->debounce_ms, &s->sw[i],
		                 &s->sw_offset[i], err, errlen);
		if (st != FL_OK)
			return st;
		s->fd_sw[g->n_fds] = i;
		g->fds[g->n_fds++] = gpiod_line_request_get_fd(s->sw[i]);
	}
	for (uint32_t i = 0; i < FL_GPIO_MAX_LEDS; i++) {
		if (!c->led[i].used)
			continue;
		st = request_one(s, c->led[i].line, true, c->led[i].invert, 0, &s->led[i],
		                 &s->led_offset[i], err, errlen);
		if (st != FL_OK)
			return st;
		g->led_level[i] = 0;
	}
	return FL_OK;
}

enum fl_status
fl_gpio_open(const struct fl_gpio_config *c, struct fl_gpio **out, char *err, size_t errlen)
{
	struct fl_gpio *g;
	struct v2_state *s;
	struct gpiod_chip_info *info;
	enum fl_status st;

	*out = NULL;
	g = fl_gpio_alloc(c, &v2_ops);
	s = calloc(1, sizeof(*s));
	if (!g || !s || !(s->events = gpiod_edge_event_buffer_new(EVENT_BUF))) {
		free(s);
		free(g);
		return FL_ERR_NOMEM;
	}
	g->hw = s;
	s->chip = open_chip(c->chip);
	if (!s->chip) {
		snprintf(err, errlen, "GPIO chip \"%s\" not found or not accessible: %s%s", c->chip,
		         strerror(errno),
		         errno == EACCES ? " (add the user to group gpio, see hw/99-footloop-gpio.rules)"
		                         : "");
		fl_gpio_free(g);
		return FL_ERR_DEVICE;
	}
	info = gpiod_chip_get_info(s->chip);
	snprintf(s->chip_name, sizeof(s->chip_name), "%s",
	         info ? gpiod_chip_info_get_name(info) : c->chip);
	gpiod_chip_info_free(info);
	st = request_all(g, s, err, errlen);
	if (st != FL_OK) {
		fl_gpio_free(g);
		return st;
	}
	*out = g;
	return FL_OK;
}

#else
typedef int fl_gpio_v2_not_built; /* ISO C wants a non-empty file */
#endif /* FL_GPIOD_MAJOR == 2 */
