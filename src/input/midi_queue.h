/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Short MIDI messages from a producer thread to the control thread.
 *
 * Two producers use it, each with its own queue:
 *   - the JACK adapter, inside the process callback, for footloop's own
 *     "midi_in" port: fl_midi_queue_push() is FL_RT (no allocation, no lock,
 *     no system call), stamp = absolute engine frame of the event;
 *   - the RtMidi (ALSA) callback thread: fl_midi_queue_push() then
 *     fl_midi_queue_wake(), stamp = CLOCK_MONOTONIC ns.
 * The control thread pops and parses (src/input/midi_parse.h). Messages
 * longer than 3 bytes (SysEx) are dropped and counted, never split.
 * One producer thread and one consumer thread per queue. */
#ifndef FL_INPUT_MIDI_QUEUE_H
#define FL_INPUT_MIDI_QUEUE_H

#include "core/spsc.h"
#include "footloop/attributes.h"
#include "footloop/status.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One fixed-size slot: up to 3 bytes of one message and its stamp. */
struct fl_midi_event {
	uint64_t stamp;  ///< engine frame (JACK) or CLOCK_MONOTONIC ns (RtMidi)
	uint8_t size;    ///< 1..3
	uint8_t bytes[3];
};

struct fl_midi_queue {
	struct fl_spsc q;
	int wake_fd;                ///< eventfd, or -1 (JACK producer: polled on the tick)
	_Atomic uint64_t dropped;   ///< full queue or oversized message
};

/* capacity: slots (rounded up to a power of two). with_wake creates an
 * eventfd for a non-RT producer. Setup thread. */
FL_NODISCARD enum fl_status fl_midi_queue_init(struct fl_midi_queue *mq, uint32_t capacity,
                                               bool with_wake);
/* Safe on a zeroed or destroyed queue. */
void fl_midi_queue_destroy(struct fl_midi_queue *mq);

/* Producer. Copies size bytes (1..3) with its stamp; false (and counted in
 * dropped) when full or when size is 0 or > 3. RT-safe. */
FL_RT bool fl_midi_queue_push(struct fl_midi_queue *mq, uint64_t stamp, const uint8_t *bytes,
                              size_t size);
/* Producer, non-RT only: wakes the consumer's poll (writes the eventfd). */
void fl_midi_queue_wake(struct fl_midi_queue *mq);

/* Consumer. false when empty. */
bool fl_midi_queue_pop(struct fl_midi_queue *mq, struct fl_midi_event *ev);
/* Consumer: clears the eventfd after a wake (call before draining). */
void fl_midi_queue_clear_wake(struct fl_midi_queue *mq);

#endif
