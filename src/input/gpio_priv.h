/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Private to gpio*.c: the handle and the backend operations. A backend
 * yields raw events {switch, logical level, kernel timestamp}; gpio.c does
 * the rest, so the injected and the real paths share fl_gpio_read(). */
#ifndef FL_INPUT_GPIO_PRIV_H
#define FL_INPUT_GPIO_PRIV_H

#include "input/gpio.h"

struct fl_gpio_ops {
	/* Reads up to max raw edges from fd into out. */
	enum fl_status (*read)(struct fl_gpio *g, int fd, struct fl_gpio_edge *out, size_t max,
	                       size_t *n);
	/* Drives the LED's line to the logical value (invert already applied by
	 * the request flags for hardware). */
	enum fl_status (*set_led)(struct fl_gpio *g, uint32_t led, bool on);
	void (*close)(struct fl_gpio *g);
};

struct fl_gpio {
	const struct fl_gpio_ops *ops;
	struct fl_gpio_config cfg;
	int fds[FL_GPIO_MAX_SWITCHES]; ///< fds to poll
	uint32_t n_fds;
	int led_level[FL_GPIO_MAX_LEDS]; ///< last driven (after invert), -1 unknown
	int inject_w;                  ///< injection: pipe write end
	void *hw;                      ///< backend state
};

/* Allocates a handle with cfg copied, no fds, LEDs unknown. */
struct fl_gpio *fl_gpio_alloc(const struct fl_gpio_config *cfg, const struct fl_gpio_ops *ops);

/* Whether s is a plain offset ("17"); *offset set when it is. */
bool fl_gpio_parse_offset(const char *s, unsigned *offset);

#endif
