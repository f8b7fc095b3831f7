/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "core/version.h"

const char *
fl_version(void)
{
	return FL_VERSION;
}
