/* SPDX-License-Identifier: GPL-2.0-or-later */
/* MIDI controllers on ALSA sequencer ports, through RtMidi's C API.
 *
 * RtMidi runs its input callback on its own (ALSA) thread: the callback only
 * copies messages of 1..3 bytes into an SPSC queue (src/input/midi_queue.h)
 * and writes an eventfd. SysEx is ignored by RtMidi (rtmidi_in_ignore_types)
 * and clock/active sensing are ignored too. The API is forced to
 * RTMIDI_API_LINUX_ALSA: RtMidi's JACK backend would open a second JACK
 * client and allocate in its process callback. ok/msg are checked after
 * every RtMidi call and turned into fl_status and a sentence.
 *
 * Ports are matched by a substring of their name (ALSA numbers change when a
 * device is replugged); fl_midi_alsa_rescan(), called every ~2 s from the
 * control thread, reconnects after an unplug/replug. When ALSA is absent
 * (no /dev/snd/seq: CI, containers) open fails with FL_ERR_DEVICE and a
 * clear message; footloop goes on with its other inputs.
 *
 * Control thread only, except the internal callback. */
#ifndef FL_INPUT_MIDI_RTMIDI_H
#define FL_INPUT_MIDI_RTMIDI_H

#include "footloop/attributes.h"
#include "footloop/status.h"
#include "input/midi_parse.h"

#include <stdbool.h>
#include <stddef.h>

#define FL_MIDI_RESCAN_MS 2000 ///< how often the control loop should call rescan

struct fl_midi_alsa;

/* client: ALSA client name ("footloop"). in_match/out_match: port name
 * substrings ("" = no input / no feedback output). Ports that are not there
 * yet are not an error: rescan connects them when they appear. */
FL_NODISCARD enum fl_status fl_midi_alsa_open(const char *client, const char *in_match,
                                              const char *out_match, struct fl_midi_alsa **out,
                                              char *err, size_t errlen);
/* NULL is a no-op. */
void fl_midi_alsa_free(struct fl_midi_alsa *m);

/* The eventfd to poll (POLLIN) for input. */
int fl_midi_alsa_fd(const struct fl_midi_alsa *m);

/* Drains queued input into parsed messages (at most max); returns the
 * count. Call when the fd is readable. */
size_t fl_midi_alsa_read(struct fl_midi_alsa *m, struct fl_midi_msg *out, size_t max);

/* Connects ports that appeared and drops ports that went away. Returns true
 * when the output port was (re)connected, so that the caller resends the
 * feedback state (fl_midi_map_feedback_reset). Messages go to err. */
bool fl_midi_alsa_rescan(struct fl_midi_alsa *m, char *err, size_t errlen);

/* Sends messages to the feedback output, if connected. */
FL_NODISCARD enum fl_status fl_midi_alsa_send(struct fl_midi_alsa *m, const struct fl_midi_msg *msgs,
                                              size_t n, char *err, size_t errlen);

/* Whether input / output ports are currently connected. */
bool fl_midi_alsa_in_connected(const struct fl_midi_alsa *m);
bool fl_midi_alsa_out_connected(const struct fl_midi_alsa *m);

#endif
