/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The real libgpiod adapter against the kernel's gpio-sim: create a
 * simulated chip through configfs, open it with fl_gpio_open(), move the
 * simulated pull of line 0 like a foot switch would and check the edges and
 * the gesture they make. Needs root, configfs and the gpio-sim module;
 * without them it skips (77). */
#include "check.h"
#include "input/gpio.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SIM_ROOT "/sys/kernel/config/gpio-sim"

static char dev_dir[128], bank_dir[160];

static int
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	int ok;

	if (!f)
		return -1;
	ok = fputs(text, f) >= 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static int
read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	if (!f || !fgets(buf, (int)len, f)) {
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static void
sim_remove(void)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/live", dev_dir);
	(void)write_file(path, "0");
	rmdir(bank_dir);
	rmdir(dev_dir);
}

/* Creates a live 8-line sim chip; writes its chip and device names. */
static int
sim_create(char *chip, size_t chip_len, char *dev, size_t dev_len)
{
	char path[256];

	snprintf(dev_dir, sizeof(dev_dir), SIM_ROOT "/footloop-%d", (int)getpid());
	snprintf(bank_dir, sizeof(bank_dir), "%s/gpio-bank0", dev_dir);
	if (mkdir(dev_dir, 0755) != 0 || mkdir(bank_dir, 0755) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/num_lines", bank_dir);
	if (write_file(path, "8") != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/live", dev_dir);
	if (write_file(path, "1") != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/chip_name", bank_dir);
	if (read_line(path, chip, chip_len) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/dev_name", dev_dir);
	return read_line(path, dev, dev_len);
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Sets the simulated pull of line 0 and waits for its edge. */
static int
pull(struct fl_gpio *g, const char *pull_path, const char *how, struct fl_gpio_edge *edge)
{
	int fd;
	size_t n = 0;
	struct pollfd pfd;

	if (write_file(pull_path, how) != 0)
		return -1;
	(void)fl_gpio_fds(g, &fd, 1);
	pfd = (struct pollfd){.fd = fd, .events = POLLIN};
	if (poll(&pfd, 1, 1000) != 1)
		return -1;
	if (fl_gpio_read(g, fd, edge, 1, &n) != FL_OK || n != 1)
		return -1;
	return 0;
}

int
main(void)
{
	char chip[48], dev[64], err[256] = "", pull_path[256];
	struct fl_gpio_config c;
	struct fl_gpio *g = NULL;
	struct fl_gpio_edge down, up;
	struct fl_gestures gs;
	struct fl_gesture_out out[FL_GESTURE_MAX_OUT];
	uint64_t t0;

	if (access(SIM_ROOT, W_OK) != 0) {
		printf("SKIP: gpio-sim unavailable (%s: %s)\n", SIM_ROOT, strerror(errno));
		return 77;
	}
	if (sim_create(chip, sizeof(chip), dev, sizeof(dev)) != 0) {
		printf("SKIP: cannot create a gpio-sim chip: %s\n", strerror(errno));
		sim_remove();
		return 77;
	}
	fl_gpio_config_defaults(&c);
	snprintf(c.chip, sizeof(c.chip), "/dev/%s", chip);
	snprintf(c.sw[0].line, sizeof(c.sw[0].line), "0");
	c.sw[1].used = false;
	snprintf(c.led[0].line, sizeof(c.led[0].line), "4");
	c.led[1].used = false;
	CHECK_MSG(fl_gpio_open(&c, &g, err, sizeof(err)) == FL_OK, "%s", err);
	snprintf(pull_path, sizeof(pull_path), "/sys/devices/platform/%s/%s/sim_gpio0/pull", dev,
	         chip);
	if (g) {
		t0 = now_ns();
		CHECK(pull(g, pull_path, "pull-down", &down) == 0); /* foot down */
		usleep(100000);
		CHECK(pull(g, pull_path, "pull-up", &up) == 0);     /* foot up */
		CHECK(down.pressed && !up.pressed);
		CHECK(down.timestamp_ns >= t0 && up.timestamp_ns > down.timestamp_ns);
		fl_gestures_init(&gs, &c.sw[0].gesture, 1);
		CHECK(fl_gestures_edge(&gs, 0, down.pressed, down.timestamp_ns, out, 8) == 0);
		CHECK(fl_gestures_edge(&gs, 0, up.pressed, up.timestamp_ns, out, 8) == 1 &&
		      out[0].action.type == FL_ACTION_REC_DUB);
		CHECK(fl_gpio_set_led(g, 0, true) == FL_OK);
		/* A second open finds the lines busy and says which. */
		struct fl_gpio *g2 = NULL;
		CHECK(fl_gpio_open(&c, &g2, err, sizeof(err)) == FL_ERR_DEVICE && !g2);
		CHECK_MSG(strstr(err, "busy") && strstr(err, chip), "%s", err);
		fl_gpio_free(g);
	}
	sim_remove();
	return fl_check_summary("test_gpio_sim");
}
