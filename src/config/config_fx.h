/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Effect-chain keys of the configuration: fx1..fx4 = type | preset:NAME,
 * fxK.bypass = bool, fxK.<param> = value (text as fl_fx_param_parse reads
 * it: "-6 dB", "2.5k", "1/8d", "on"). Names and ranges come from the
 * effect tables (src/dsp/fx.h); a parameter needs its slot's type first.
 * Setup thread. */
#ifndef FL_CONFIG_CONFIG_FX_H
#define FL_CONFIG_CONFIG_FX_H

#include "footloop/config.h"

#include <stdbool.h>
#include <stddef.h>

/* Handles key name = value of a chain at line. Returns 1 when done, 0 with
 * a sentence in err (without file:line, section or key), -1 when name is
 * not an effect key. */
int fl_config_fx_key(struct fl_config_fx_chain *ch, const char *name, const char *value, int line,
                     char *err, size_t errlen);

#endif
