/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Status view: the meter bar scale, and no view when stdout is not a TTY. */
#include "check.h"

#include "control/status_view.h"

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
	return fl_check_summary("test_status_view");
}
