/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Placeholder so fl_app has a source until src/config/config.c lands. */
typedef int fl_config_placeholder_unused;
