/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Function attributes used across footloop. Keep this list short. */
#ifndef FOOTLOOP_ATTRIBUTES_H
#define FOOTLOOP_ATTRIBUTES_H

/* Marks a function that is safe to call from the JACK process thread:
 * no allocation, no locks, no I/O, bounded time. Documentation only on
 * gcc 12 / clang 14; enforced for the engine by the RT-guard tests. */
#define FL_RT

#if defined(__GNUC__)
#define FL_NODISCARD __attribute__((warn_unused_result))
#define FL_UNUSED __attribute__((unused))
#define FL_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define FL_NODISCARD
#define FL_UNUSED
#define FL_PRINTF(fmt, args)
#endif

#endif
