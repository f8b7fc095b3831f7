/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GPIO backend for libgpiod 1.x (Debian and Raspberry Pi OS bookworm).
 * v1 has no debounce: the gesture layer debounces from the kernel's event
 * timestamps. Each line is requested on its own so that an error can name
 * the line, and each gives its own event fd. */
#if defined(FL_GPIOD_MAJOR) && FL_GPIOD_MAJOR == 1

#include "input/gpio_priv.h"

#include <errno.h>
#include <gpiod.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONSUMER "footloop"

struct v1_state {
	struct gpiod_chip *chip;
	struct gpiod_line *sw[FL_GPIO_MAX_SWITCHES];
	struct gpiod_line *led[FL_GPIO_MAX_LEDS];
	uint32_t fd_sw[FL_GPIO_MAX_SWITCHES]; ///< switch index of g->fds[i]
};

static const char *const pi_labels[] = {"pinctrl-rp1", "pinctrl-bcm2711", "pinctrl-bcm2835"};

/* "auto": the Pi header chip by label (Pi 5, Pi 4, older), else gpiochip0. */
static struct gpiod_chip *
open_chip(const char *spec)
{
	struct gpiod_chip *chip;

	if (strcmp(spec, "auto") != 0)
		return gpiod_chip_open_lookup(spec); /* path, name, number or label */
	for (size_t i = 0; i < sizeof(pi_labels) / sizeof(pi_labels[0]); i++)
		if ((chip = gpiod_chip_open_by_label(pi_labels[i])))
			return chip;
	return gpiod_chip_open_by_name("gpiochip0");
}

static struct gpiod_line *
get_line(struct gpiod_chip *chip, const char *spec)
{
	unsigned offset;

	if (fl_gpio_parse_offset(spec, &offset))
		return gpiod_chip_get_line(chip, offset);
	return gpiod_chip_find_line(chip, spec);
}

/* Requests one line; on failure writes the message that names it. */
static enum fl_status
request(struct gpiod_chip *chip, const char *spec, bool output, bool invert,
        struct gpiod_line **out, char *err, size_t errlen)
{
	struct gpiod_line *line = get_line(chip, spec);
	const char *chip_name = gpiod_chip_name(chip);
	int flags = invert ? 0 : GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW;
	int rc;

	if (!line) {
		snprintf(err, errlen, "GPIO line %s not found on %s (%s)", spec, chip_name,
		         gpiod_chip_label(chip));
		return FL_ERR_DEVICE;
	}
	if (output) {
		/* LEDs: active-high unless inverted (LED to 3.3 V). */
		flags = invert ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0;
		rc = gpiod_line_request_output_flags(line, CONSUMER, flags, 0);
	} else {
		rc = gpiod_line_request_both_edges_events_flags(
			line, CONSUMER, flags | GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP);
	}
	if (rc != 0) {
		const char *name = gpiod_line_name(line);
		const char *holder = gpiod_line_consumer(line);
		if (errno == EBUSY)
			snprintf(err, errlen,
			         "GPIO line %u (%s) on %s is busy: another process holds it%s%s",
			         gpiod_line_offset(line), name ? name : spec, chip_name,
			         holder ? " as " : "", holder ? holder : "");
		else
			snprintf(err, errlen, "GPIO line %u (%s) on %s: request failed: %s",
			         gpiod_line_offset(line), name ? name : spec, chip_name,
			         strerror(errno));
		return FL_ERR_DEVICE;
	}
	*out = line;
	return FL_OK;
}

static enum fl_status
v1_read(struct fl_gpio *g, int fd, struct fl_gpio_edge *out, size_t max, size_t *n)
{
	struct v1_state *s = g->hw;
	struct gpiod_line_event ev[16];
	uint32_t sw = UINT32_MAX;
	int got;

	for (uint32_t i = 0; i < g->n_fds; i++)
		if (g->fds[i] == fd)
			sw = s->fd_sw[i];
	if (sw == UINT32_MAX)
		return FL_ERR_BAD_ARG;
	got = gpiod_line_event_read_fd_multiple(fd, ev, max < 16 ? (unsigned)max : 16);
	if (got < 0)
		return errno == EAGAIN ? FL_OK : FL_ERR_IO;
	for (int i = 0; i < got; i++) {
		/* Active-low was requested (unless invert), so rising = pressed. */
		out[(*n)++] = (struct fl_gpio_edge){
			.sw = sw,
			.pressed = ev[i].event_type == GPIOD_LINE_EVENT_RISING_EDGE,
			.timestamp_ns = (uint64_t)ev[i].ts.tv_sec * 1000000000ull +
			                (uint64_t)ev[i].ts.tv_nsec};
	}
	return FL_OK;
}

static enum fl_status
v1_set_led(struct fl_gpio *g, uint32_t led, bool on)
{
	struct v1_state *s = g->hw;

	if (!s->led[led])
		return FL_ERR_RANGE;
	return gpiod_line_set_value(s->led[led], on) == 0 ? FL_OK : FL_ERR_IO;
}

static void
v1_close(struct fl_gpio *g)
{
	struct v1_state *s = g->hw;

	if (!s)
		return;
	if (s->chip)
		gpiod_chip_close(s->chip); /* releases every requested line */
	free(s);
	g->hw = NULL;
}

static const struct fl_gpio_ops v1_ops = {.read = v1_read, .set_led = v1_set_led, .close = v1_close};

static enum fl_status
request_all(struct fl_gpio *g, struct v1_state *s, char *err, size_t errlen)
{
	const struct fl_gpio_config *c = &g->cfg;
	enum fl_status st;

	for (uint32_t i = 0; i < FL_GPIO_MAX_SWITCHES; i++) {
		if (!c->sw[i].used)
			continue;
		st = request(s->chip, c->sw[i].line, false, c->sw[i].invert, &s->sw[i], err, errlen);
		if (st != FL_OK)
			return st;
		s->fd_sw[g->n_fds] = i;
		g->fds[g->n_fds++] = gpiod_line_event_get_fd(s->sw[i]);
	}
	for (uint32_t i = 0; i < FL_GPIO_MAX_LEDS; i++) {
		if (!c->led[i].used)
			continue;
		st = request(s->chip, c->led[i].line, true, c->led[i].invert, &s->led[i], err, errlen);
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
	struct v1_state *s;
	enum fl_status st;

	*out = NULL;
	g = fl_gpio_alloc(c, &v1_ops);
	s = calloc(1, sizeof(*s));
	if (!g || !s) {
		free(g);
		free(s);
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
	st = request_all(g, s, err, errlen);
	if (st != FL_OK) {
		fl_gpio_free(g);
		return st;
	}
	*out = g;
	return FL_OK;
}

#else
typedef int fl_gpio_v1_not_built; /* ISO C wants a non-empty file */
#endif /* FL_GPIOD_MAJOR == 1 */
