/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Logging for non-real-time threads. Never call from the process thread.
 * Lines go to stderr; when stderr is the journal (JOURNAL_STREAM set, as under
 * systemd) each line starts with the syslog priority prefix "<N>" that
 * journald understands. */
#ifndef FL_CORE_LOG_H
#define FL_CORE_LOG_H

#include "footloop/attributes.h"

enum fl_log_level {
	FL_LOG_ERROR = 3,   ///< syslog LOG_ERR
	FL_LOG_WARNING = 4, ///< LOG_WARNING
	FL_LOG_NOTICE = 5,  ///< LOG_NOTICE
	FL_LOG_INFO = 6,    ///< LOG_INFO
	FL_LOG_DEBUG = 7,   ///< LOG_DEBUG
};

/* Lines above this level are dropped (default FL_LOG_INFO). */
void fl_log_set_level(enum fl_log_level max);
/* -1 when the name is unknown; accepts error, warning, notice, info, debug. */
int fl_log_level_from_name(const char *name);

FL_PRINTF(2, 3) void fl_log(enum fl_log_level level, const char *fmt, ...);

#define fl_error(...) fl_log(FL_LOG_ERROR, __VA_ARGS__)
#define fl_warn(...) fl_log(FL_LOG_WARNING, __VA_ARGS__)
#define fl_notice(...) fl_log(FL_LOG_NOTICE, __VA_ARGS__)
#define fl_info(...) fl_log(FL_LOG_INFO, __VA_ARGS__)
#define fl_debug(...) fl_log(FL_LOG_DEBUG, __VA_ARGS__)

#endif
