/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "core/log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Atomic int max_level = FL_LOG_INFO;

void
fl_log_set_level(enum fl_log_level max)
{
	atomic_store(&max_level, (int)max);
}

int
fl_log_level_from_name(const char *name)
{
	static const struct { const char *name; int level; } names[] = {
		{"error", FL_LOG_ERROR}, {"warning", FL_LOG_WARNING},
		{"notice", FL_LOG_NOTICE}, {"info", FL_LOG_INFO},
		{"debug", FL_LOG_DEBUG},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (name && strcmp(name, names[i].name) == 0)
			return names[i].level;
	return -1;
}

void
fl_log(enum fl_log_level level, const char *fmt, ...)
{
	static const char *const tags[8] = {"", "", "", "error: ", "warning: ", "", "", "debug: "};
	if ((int)level > atomic_load(&max_level))
		return;
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (getenv("JOURNAL_STREAM"))
		fprintf(stderr, "<%d>%s\n", (int)level, line);
	else
		fprintf(stderr, "footloop: %s%s\n", tags[level & 7], line);
}
