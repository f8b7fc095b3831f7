/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Status view: the meter bar scale, the block's text (per-track RMS, master
 * RMS, limiter GR, loudness and true peak, -inf for silence), and no view
 * when stdout is not a TTY. */
#include "check.h"

#include "control/status_view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int
lit(const char *bar)
{
	int n = 0;
	for (; *bar; bar++)
		n += *bar == '#' || *bar == '!';
	return n;
}

/* The line of buf that contains key, copied into line. */
static bool
line_with(const char *buf, const char *key, char *line, size_t len)
{
	const char *p = strstr(buf, key);
	if (!p)
		return false;
	while (p > buf && p[-1] != '\n')
		p--;
	size_t n = strcspn(p, "\n");
	snprintf(line, len, "%.*s", (int)n, p);
	return true;
}

static void
test_format(void)
{
	static struct fl_snapshot s;
	char buf[4096], line[256];
	s.engine.sample_rate = 48000;
	s.n_tracks = 2;
	s.tracks[0].state = FL_TRACK_PLAYING;
	s.tracks[0].rms[0] = 0.1f; /* -20 dBFS */
	s.tracks[0].rms[1] = 0.05f;
	s.engine.master_rms[0] = s.engine.master_rms[1] = 0.5f; /* -6.0 */
	s.engine.limiter_gr_db = -3.25f;
	size_t n = fl_status_view_format(&s, 9000, buf, sizeof buf);
	CHECK(n == strlen(buf) && n > 0);
	CHECK(strstr(buf, "loudness: meter off") != NULL);
	CHECK(line_with(buf, "playing", line, sizeof line) && strstr(line, "-20.0") != NULL);
	CHECK_MSG(line_with(buf, "   2  empty", line, sizeof line) && strstr(line, " -inf") != NULL,
	          "%s", buf);
	CHECK(line_with(buf, " out ", line, sizeof line) && strstr(line, " -6.0 dB rms") &&
	      strstr(line, "GR  -3.2 dB"));
	s.loudness = true;
	s.lufs[0] = -14.04f;
	s.lufs[1] = -15.5f;
	s.lufs[2] = -INFINITY;
	s.true_peak_db = -1.26f;
	s.true_peak_max_db = -0.5f;
	s.engine.panic = true;
	n = fl_status_view_format(&s, 9000, buf, sizeof buf);
	CHECK_MSG(line_with(buf, "loudness M", line, sizeof line) &&
	          strcmp(line, "loudness M -14.0  S -15.5  I  -inf LUFS   true peak  -1.3 "
	                       "(max  -0.5) dBTP") == 0, "%s", line);
	CHECK(strstr(buf, "PANIC") != NULL);
	char tiny[40];
	n = fl_status_view_format(&s, 9000, tiny, sizeof tiny);
	CHECK(n == strlen(tiny) && n < sizeof tiny);
}

int
main(void)
{
	char bar[32];
	fl_status_view_meter(0.0f, bar, sizeof bar, 20);
	CHECK(strlen(bar) == 20 && lit(bar) == 0);
	fl_status_view_meter(0.001f, bar, sizeof bar, 20); /* -60 dBFS: the floor */
	CHECK(lit(bar) == 0);
	fl_status_view_meter(0.1f, bar, sizeof bar, 20); /* -20 dBFS: 2/3 */
	CHECK_MSG(lit(bar) == 13, "%s", bar);
	fl_status_view_meter(0.5f, bar, sizeof bar, 20); /* -6 dBFS */
	CHECK_MSG(lit(bar) == 18 && bar[19] == '.', "%s", bar);
	fl_status_view_meter(1.0f, bar, sizeof bar, 20); /* full scale shows the clip mark */
	CHECK_MSG(lit(bar) == 20 && bar[19] == '!', "%s", bar);
	fl_status_view_meter(4.0f, bar, 8, 20); /* truncated to the buffer */
	CHECK(strlen(bar) == 7);
	struct fl_status_view *v = (struct fl_status_view *)&v;
	CHECK(fl_status_view_create(false, &v) == FL_OK && v == NULL);
	if (!isatty(STDOUT_FILENO)) {
		v = (struct fl_status_view *)&v;
		CHECK(fl_status_view_create(true, &v) == FL_OK && v == NULL);
	}
	fl_status_view_free(NULL);
	test_format();
	return fl_check_summary("test_status_view");
}
