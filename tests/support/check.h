/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The test macro: CHECK(cond) records a failure with file:line and goes on;
 * a test's main() ends with `return fl_check_summary("name");`, which prints
 * "N passed, N failed" and returns 0 or 1. */
#ifndef FL_TEST_CHECK_H
#define FL_TEST_CHECK_H

#include <stdio.h>

extern int fl_check_passed;
extern int fl_check_failed;

#define CHECK(cond)                                                                 \
	do {                                                                         \
		if (cond) {                                                          \
			fl_check_passed++;                                           \
		} else {                                                             \
			fl_check_failed++;                                           \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, \
			        #cond);                                              \
		}                                                                    \
	} while (0)

#define CHECK_MSG(cond, ...)                                                        \
	do {                                                                         \
		if (cond) {                                                          \
			fl_check_passed++;                                           \
		} else {                                                             \
			fl_check_failed++;                                           \
			fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, \
			        #cond);                                              \
			fprintf(stderr, __VA_ARGS__);                                \
			fputc('\n', stderr);                                         \
		}                                                                    \
	} while (0)

int fl_check_summary(const char *name);

#endif
