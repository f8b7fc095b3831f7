/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The backend-independent half of the GPIO interface and the injection
 * backend. Injected edges travel through a pipe and come back out of
 * fl_gpio_read() exactly like kernel events, so the tests and the benchmark
 * exercise the same read path as a real pedal. */
#include "input/gpio_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What the injection pipe carries: the electrical level, as gpio-sim's pull
 * would set it. */
struct inject_rec {
	uint32_t sw;
	int32_t level;
	uint64_t timestamp_ns;
};

struct fl_gpio *
fl_gpio_alloc(const struct fl_gpio_config *cfg, const struct fl_gpio_ops *ops)
{
	struct fl_gpio *g = calloc(1, sizeof(*g));

	if (!g)
		return NULL;
	g->ops = ops;
	g->cfg = *cfg;
	g->inject_w = -1;
	for (int i = 0; i < FL_GPIO_MAX_LEDS; i++)
		g->led_level[i] = -1;
	return g;
}

bool
fl_gpio_parse_offset(const char *s, unsigned *offset)
{
	char *end;
	unsigned long v;

	if (!*s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > 65535)
		return false;
	*offset = (unsigned)v;
	return true;
}

void
fl_gpio_free(struct fl_gpio *g)
{
	if (!g)
		return;
	if (g->ops && g->ops->close)
		g->ops->close(g);
	free(g);
}

size_t
fl_gpio_fds(const struct fl_gpio *g, int *fds, size_t max)
{
	for (uint32_t i = 0; i < g->n_fds && i < max; i++)
		fds[i] = g->fds[i];
	return g->n_fds;
}

enum fl_status
fl_gpio_read(struct fl_gpio *g, int fd, struct fl_gpio_edge *out, size_t max, size_t *n)
{
	*n = 0;
	return g->ops->read(g, fd, out, max, n);
}

enum fl_status
fl_gpio_set_led(struct fl_gpio *g, uint32_t led, bool on)
{
	enum fl_status st;

	if (led >= FL_GPIO_MAX_LEDS || !g->cfg.led[led].used)
		return FL_ERR_RANGE;
	if (g->led_level[led] == (int)on)
		return FL_OK;
	st = g->ops->set_led(g, led, on);
	if (st == FL_OK)
		g->led_level[led] = on;
	return st;
}

int
fl_gpio_led_level(const struct fl_gpio *g, uint32_t led)
{
	if (led >= FL_GPIO_MAX_LEDS || g->led_level[led] < 0)
		return -1;
	/* The electrical level: inverted LEDs are on when low. */
	return g->led_level[led] ^ (int)g->cfg.led[led].invert;
}

/* Injection backend. */

static enum fl_status
inject_read(struct fl_gpio *g, int fd, struct fl_gpio_edge *out, size_t max, size_t *n)
{
	struct inject_rec rec;

	while (*n < max) {
		ssize_t r = read(fd, &rec, sizeof(rec));
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			return FL_OK;
		if (r != (ssize_t)sizeof(rec))
			return r == 0 ? FL_OK : FL_ERR_IO;
		if (rec.sw >= FL_GPIO_MAX_SWITCHES || !g->cfg.sw[rec.sw].used)
			continue;
		/* What the kernel does with an active-low request: low = active. */
		out[(*n)++] = (struct fl_gpio_edge){
			.sw = rec.sw,
			.pressed = (rec.level == 0) != g->cfg.sw[rec.sw].invert,
			.timestamp_ns = rec.timestamp_ns};
	}
	return FL_OK;
}

static enum fl_status
inject_set_led(struct fl_gpio *g, uint32_t led, bool on)
{
	(void)g;
	(void)led;
	(void)on;
	return FL_OK;
}

static void
inject_close(struct fl_gpio *g)
{
	if (g->n_fds)
		close(g->fds[0]);
	if (g->inject_w >= 0)
		close(g->inject_w);
}

static const struct fl_gpio_ops inject_ops = {
	.read = inject_read,
	.set_led = inject_set_led,
	.close = inject_close,
};

enum fl_status
fl_gpio_open_inject(const struct fl_gpio_config *c, struct fl_gpio **out)
{
	struct fl_gpio *g = fl_gpio_alloc(c, &inject_ops);
	int p[2];

	*out = NULL;
	if (!g)
		return FL_ERR_NOMEM;
	if (pipe(p) != 0) {
		free(g);
		return FL_ERR_IO;
	}
	for (int i = 0; i < 2; i++) {
		(void)fcntl(p[i], F_SETFL, O_NONBLOCK);
		(void)fcntl(p[i], F_SETFD, FD_CLOEXEC);
	}
	g->fds[0] = p[0];
	g->n_fds = 1;
	g->inject_w = p[1];
	*out = g;
	return FL_OK;
}

enum fl_status
fl_gpio_inject(struct fl_gpio *g, uint32_t sw, int level, uint64_t timestamp_ns)
{
	struct inject_rec rec = {.sw = sw, .level = level, .timestamp_ns = timestamp_ns};

	if (g->inject_w < 0)
		return FL_ERR_UNSUPPORTED;
	if (write(g->inject_w, &rec, sizeof(rec)) != (ssize_t)sizeof(rec))
		return errno == EAGAIN ? FL_ERR_FULL : FL_ERR_IO;
	return FL_OK;
}

#if !defined(FL_GPIOD_MAJOR) || (FL_GPIOD_MAJOR != 1 && FL_GPIOD_MAJOR != 2)
/* No libgpiod backend in this build (a test or tool compiled without it). */
enum fl_status
fl_gpio_open(const struct fl_gpio_config *c, struct fl_gpio **out, char *err, size_t errlen)
{
	(void)c;
	*out = NULL;
	snprintf(err, errlen, "GPIO support is not built in (no libgpiod backend)");
	return FL_ERR_UNSUPPORTED;
}
#endif
