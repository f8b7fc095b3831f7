/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "check.h"

int fl_check_passed;
int fl_check_failed;

int
fl_check_summary(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, fl_check_passed, fl_check_failed);
	return fl_check_failed ? 1 : 0;
}
