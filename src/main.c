/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Placeholder until the control plane lands. */
#include "core/version.h"
#include <stdio.h>
int main(void);
int
main(void)
{
	printf("footloop %s\n", fl_version());
	return 0;
}
