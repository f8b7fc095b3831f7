/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Foot switches and LEDs on GPIO lines: one small interface over libgpiod
 * v1 (gpio_v1.c, Debian/Raspberry Pi OS bookworm) or v2 (gpio_v2.c, trixie),
 * chosen at build time by FL_GPIOD_MAJOR, plus an injection backend that
 * feeds synthetic edges through the same read path (tests, CI, rehearsal).
 *
 * Switches are wired to ground with the internal pull-up: active-low by
 * default; invert=true makes a line active-high (normally closed switches,
 * reversed polarity). Edges carry the kernel's event timestamp
 * (CLOCK_MONOTONIC ns), never the time we read them; feed them to
 * src/input/gestures.h. With libgpiod v2 the kernel debounces
 * (debounce_period_us); with v1 the gesture layer debounces in software.
 *
 * Usage from the control loop:
 *   fl_gpio_open(&cfg, &g, err, len)       setup; on error log err and go on
 *   fl_gpio_fds(g, fds, max)              add each fd to poll (POLLIN)
 *   fl_gpio_read(g, fd, edges, max, &n)   when fd is readable
 *   fl_gpio_set_led(g, led, on)           on each status tick
 *   fl_gpio_free(g)
 * Control thread only. */
#ifndef FL_INPUT_GPIO_H
#define FL_INPUT_GPIO_H

#include "footloop/attributes.h"
#include "footloop/status.h"
#include "input/gestures.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FL_GPIO_MAX_SWITCHES 8
#define FL_GPIO_MAX_LEDS 8
#define FL_GPIO_NAME_MAX 64
#define FL_GPIO_LED_BEAT (-3)  ///< fl_gpio_led_config.track: the beat LED

struct fl_gpio_switch_config {
	bool used;
	char line[FL_GPIO_NAME_MAX]; ///< offset ("17") or line name ("GPIO17")
	bool invert;                 ///< active-high instead of active-low
	struct fl_gesture_config gesture;
};

struct fl_gpio_led_config {
	bool used;
	char line[FL_GPIO_NAME_MAX];
	bool invert;   ///< LED to 3.3 V (sinking): on = low
	int32_t track; ///< 0-based, FL_TRACK_SELECTED or FL_GPIO_LED_BEAT
};

struct fl_gpio_config {
	bool enabled;                   ///< [gpio] enabled (default false)
	char chip[FL_GPIO_NAME_MAX];    ///< "auto", /dev/gpiochipN, gpiochipN or a label
	uint32_t debounce_ms;           ///< kernel (v2) or software (v1) debounce
	uint32_t beats_per_cycle;       ///< beat LED
	struct fl_gpio_switch_config sw[FL_GPIO_MAX_SWITCHES]; ///< [gpio.switch.N], N-1
	struct fl_gpio_led_config led[FL_GPIO_MAX_LEDS];       ///< [gpio.led.N], N-1
};

/* Defaults (hw/pins.md): disabled; chip auto; 10 ms debounce; switch 1 on
 * GPIO5 with the single-pedal workflow, switch 2 on GPIO6 = select_next;
 * LED 1 on GPIO22 = selected track, LED 2 on GPIO23 = beat (4 per cycle). */
void fl_gpio_config_defaults(struct fl_gpio_config *c);

/* One key of a section whose name starts with "gpio" ([gpio],
 * [gpio.switch.N], [gpio.led.N]); the control plane's config.c calls it.
 * Returns FL_OK, or FL_ERR_CONFIG with a sentence naming section, key and
 * value in err (the caller adds file:line). Setup thread. */
FL_NODISCARD enum fl_status fl_gpio_config_key(struct fl_gpio_config *c, const char *section,
                                               const char *key, const char *value, char *err,
                                               size_t errlen);

/* One edge of one switch. pressed is after active-low and invert. */
struct fl_gpio_edge {
	uint32_t sw;           ///< switch index (0-based; [gpio.switch.N] is N-1)
	bool pressed;
	uint64_t timestamp_ns; ///< kernel event time, CLOCK_MONOTONIC
};

struct fl_gpio;

/* Opens the chip and requests every used switch (input, both edges,
 * pull-up) and LED (output, off). FL_ERR_DEVICE with err naming chip and
 * line when the chip is missing or a line is busy or unknown:
 *   "GPIO line 17 (GPIO17) on gpiochip0 is busy: another process holds it"
 * FL_ERR_UNSUPPORTED when the build has no GPIO backend. */
FL_NODISCARD enum fl_status fl_gpio_open(const struct fl_gpio_config *c, struct fl_gpio **out,
                                         char *err, size_t errlen);
/* The injection backend: the same interface, no hardware. Edges come from
 * fl_gpio_inject() through a pipe, read by fl_gpio_read(). */
FL_NODISCARD enum fl_status fl_gpio_open_inject(const struct fl_gpio_config *c,
                                                struct fl_gpio **out);
/* NULL is a no-op. Releases every line. */
void fl_gpio_free(struct fl_gpio *g);

/* Writes up to max fds to poll for POLLIN; returns how many there are. */
size_t fl_gpio_fds(const struct fl_gpio *g, int *fds, size_t max);

/* Reads the pending edges of fd (one of fl_gpio_fds()); *n of them are
 * written to out. FL_ERR_IO when the read failed. Never blocks. */
FL_NODISCARD enum fl_status fl_gpio_read(struct fl_gpio *g, int fd, struct fl_gpio_edge *out,
                                         size_t max, size_t *n);

/* Drives LED led (0-based) on or off (after invert); a no-op when the level
 * is unchanged. */
FL_NODISCARD enum fl_status fl_gpio_set_led(struct fl_gpio *g, uint32_t led, bool on);

/* Injection backend only: switch sw's line goes to level (the electrical
 * level: 0 = pulled to ground, which is "pressed" for an active-low switch)
 * at timestamp_ns. FL_ERR_UNSUPPORTED on a hardware handle. */
FL_NODISCARD enum fl_status fl_gpio_inject(struct fl_gpio *g, uint32_t sw, int level,
                                           uint64_t timestamp_ns);
/* Injection backend only: the level last driven on LED led (after invert),
 * -1 when unknown. */
int fl_gpio_led_level(const struct fl_gpio *g, uint32_t led);

/* The gesture configs of the used switches, in switch order, for
 * fl_gestures_init(); returns how many. Switch numbers are kept: unused
 * switches get an unbound config so that edge.sw indexes the result. */
uint32_t fl_gpio_gesture_configs(const struct fl_gpio_config *c,
                                 struct fl_gesture_config *out, uint32_t max);

#endif
