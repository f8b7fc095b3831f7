/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Action bindings as text, shared by the GPIO config and the MIDI maps.
 *
 *   <action name> [<track 1-based> | selected] [<value>]
 *
 * "rec_dub", "rec_dub selected", "record 2", "level 1 0.5", "select 3",
 * "select_next", "none". Track actions without a track act on the selected
 * track. "select N" selects track N (value N-1). A value, when given, is the
 * unit the action names (linear gain, pan -1..1, 0/1); buttons default to 1.
 * Any thread; no allocation. */
#ifndef FL_INPUT_ACTION_PARSE_H
#define FL_INPUT_ACTION_PARSE_H

#include "footloop/action.h"
#include "footloop/attributes.h"
#include "footloop/status.h"

#include <stdbool.h>
#include <stddef.h>

/* Parses text (whitespace-separated tokens) into *out. On error returns
 * FL_ERR_CONFIG and writes a sentence naming the bad token into err. */
FL_NODISCARD enum fl_status fl_input_parse_action(const char *text, struct fl_action *out,
                                                  char *err, size_t errlen);

/* Parses the action from tokens tok[0..n-1]. */
FL_NODISCARD enum fl_status fl_input_parse_action_tokens(char *const *tok, size_t n,
                                                         struct fl_action *out, char *err,
                                                         size_t errlen);

/* Writes the text form that fl_input_parse_action() reads back. */
void fl_input_format_action(const struct fl_action *a, char *buf, size_t len);

/* Whether the action takes a continuous value (level, pan, master_level,
 * monitor_level), so that a MIDI CC maps onto a range rather than a press. */
bool fl_input_action_is_continuous(enum fl_action_type type);

/* Splits s in place on blanks into at most max tokens; returns the count.
 * A '#' outside a token starts a comment. */
size_t fl_input_split(char *s, char **tok, size_t max);

#endif
