/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef FL_CORE_VERSION_H
#define FL_CORE_VERSION_H
/* The program version ("0.1.0"), from CMake's project(). */
const char *fl_version(void);
#endif
