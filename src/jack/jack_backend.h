/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The JACK adapter: the only code that knows JACK exists.
 *
 * It opens the client (never starting a server), registers in_1 in_2 out_1
 * out_2, calls fl_engine_process() from JACK's process callback with the port
 * buffers, and turns JACK's notifications into values the control thread
 * reads on its tick: xruns, buffer size, sample-rate changes, port latencies,
 * and the server going away (an eventfd for the control loop).
 * All functions: setup/control thread, unless marked. */
#ifndef FL_JACK_BACKEND_H
#define FL_JACK_BACKEND_H

#include "footloop/attributes.h"
#include "footloop/engine.h"
#include "footloop/status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fl_jack;
struct fl_midi_queue;
struct fl_spsc;

/* Opens client name on server (NULL or "" = default; JACK_DEFAULT_SERVER
 * also works through libjack) and registers the ports. FL_ERR_JACK with a
 * sentence in err when no server runs or the client cannot be created. */
FL_NODISCARD enum fl_status fl_jack_open(const char *name, const char *server,
                                         struct fl_jack **out, char *err, size_t errlen);
/* Deactivates and closes; NULL is a no-op. */
void fl_jack_close(struct fl_jack *j);

uint32_t fl_jack_sample_rate(const struct fl_jack *j);
uint32_t fl_jack_buffer_size(const struct fl_jack *j);
const char *fl_jack_client_name(const struct fl_jack *j);

/* Starts processing into engine (borrowed, must outlive activation). */
FL_NODISCARD enum fl_status fl_jack_activate(struct fl_jack *j, struct fl_engine *engine,
                                             char *err, size_t errlen);

/* Connects in_1/in_2 from src[i] and out_1/out_2 to dst[i]; an empty name
 * uses system:capture_N / system:playback_N when autoconnect is set, else
 * nothing. A failure is a warning naming both ports. After activation. */
void fl_jack_connect(struct fl_jack *j, bool autoconnect, const char src[2][256],
                     const char dst[2][256]);

/* MIDI: what arrives on footloop's "midi_in" port is pushed into in (stamp
 * = engine frame of the event; RT push, no wake: the control tick drains
 * it); "midi_out" plays the struct fl_midi_event values the control thread
 * pushed into out, in order, at the start of the next cycle. Both borrowed,
 * set before activation; NULL leaves a port silent. */
void fl_jack_set_midi(struct fl_jack *j, struct fl_midi_queue *in, struct fl_spsc *out);

/* Readable when the server went away; fl_jack_shutdown_reason() says why. */
int fl_jack_shutdown_fd(const struct fl_jack *j);
const char *fl_jack_shutdown_reason(const struct fl_jack *j);

/* ---- Surviving a server restart (jack_reconnect.c) ----
 * With reconnect on, a lost server is not the end: the engine and its
 * loops stay in memory (nothing processes them, so the engine clock stands
 * still and carries on from there), footloop retries every 0.5 s doubling
 * to 5 s, and on success opens the client again with the same name,
 * registers in_1 in_2 out_1 out_2 midi_in midi_out, activates on the same
 * engine, and restores the configured connections (fl_jack_connect's) and
 * those that existed before the loss: they are remembered by port name on
 * every port-connect callback and every second while the server runs, and
 * retried for 30 s after the reconnect for peers that come back later.
 * A new sample rate shows in fl_jack_take_rate_change. */
void fl_jack_set_reconnect(struct fl_jack *j, bool on);
/* On the shutdown fd: true when footloop should wait and reconnect (the
 * eventfd is drained and the retries scheduled), false when it should exit
 * (reconnect off). */
bool fl_jack_lost(struct fl_jack *j, uint64_t now_ms);
enum fl_jack_link {
	FL_JACK_UP = 0,      ///< running
	FL_JACK_WAITING,     ///< the server is away; retrying
	FL_JACK_RECONNECTED, ///< came back on this call
};
/* Every control tick: remembers connections while up, retries while lost. */
enum fl_jack_link fl_jack_poll(struct fl_jack *j, uint64_t now_ms);
/* True while the server is away (for the watchdog and the status). */
bool fl_jack_waiting(const struct fl_jack *j);

/* Counters and changes, read on the control tick. */
uint32_t fl_jack_xruns(const struct fl_jack *j);
/* True once per sample-rate change reported by JACK, with the new rate. */
bool fl_jack_take_rate_change(struct fl_jack *j, uint32_t *rate);
/* Round trip in frames: capture latency of in_1 + playback latency of out_1
 * (the max of each range). */
uint32_t fl_jack_round_trip_frames(struct fl_jack *j);
/* Latency footloop itself adds between in and out (0 now; the limiter's
 * look-ahead later); reported to JACK through the latency callback. */
void fl_jack_set_own_latency(struct fl_jack *j, uint32_t frames);

#endif
