/* SPDX-License-Identifier: GPL-2.0-or-later */
/* OSC control and feedback over UDP (docs/osc.md is the reference).
 *
 * We own the UDP socket (bound to [osc] bind/port, non-blocking, no
 * SO_REUSEPORT, so a busy port is an error instead of a silently shared one)
 * and use liblo to parse and build messages. The socket's fd goes into the
 * control loop; fl_osc_receive() handles what is waiting. Incoming messages
 * become struct fl_action values, go through the actions policy, and the
 * resulting commands are handed to hooks.send. Malformed messages are
 * answered with /footloop/error to the sender and change nothing.
 * Control thread only (never the process thread). */
#ifndef FL_CONTROL_OSC_H
#define FL_CONTROL_OSC_H

#include "control/actions.h"
#include "control/snapshot.h"
#include "footloop/cmd.h"
#include "footloop/status.h"

#include <stddef.h>
#include <stdint.h>

#define FL_OSC_MAX_CLIENTS 16 ///< registered feedback clients; the oldest is replaced

struct fl_osc_hooks {
	/* Queues one command for the engine; FL_ERR_FULL when it cannot. */
	enum fl_status (*send)(void *user, const struct fl_cmd *cmd);
	/* /footloop/quit: asks the program to shut down cleanly (may be NULL). */
	void (*quit)(void *user);
	void *user;
	/* /footloop/midi/learn: arms MIDI learn for the action; an error
	 * sentence in err when it cannot (may be NULL: learn unavailable). The
	 * result comes later through fl_osc_learned(). */
	enum fl_status (*learn)(void *user, const struct fl_action *act, char *err, size_t errlen);
	/* /footloop/master/loudness/reset: restarts the integrated loudness
	 * (may be NULL: answered with an error). */
	void (*loudness_reset)(void *user);
};

struct fl_osc;

/* Binds bind:port (bind a numeric IPv4/IPv6 address; NULL = 0.0.0.0; port 0
 * = any free port). actions is borrowed and must outlive the server.
 * feedback_hz is clamped to 1..30. FL_ERR_BUSY when the port is in use,
 * FL_ERR_BAD_ARG for a bad address; err names the address and port. */
FL_NODISCARD enum fl_status fl_osc_create(const char *bind, uint16_t port, uint32_t feedback_hz,
                                          struct fl_actions *actions,
                                          const struct fl_osc_hooks *hooks, struct fl_osc **out,
                                          char *err, size_t errlen);
/* Closes the socket; NULL is a no-op. */
void fl_osc_free(struct fl_osc *o);

int fl_osc_fd(const struct fl_osc *o);
uint16_t fl_osc_port(const struct fl_osc *o); ///< the port actually bound
uint32_t fl_osc_client_count(const struct fl_osc *o);

/* Reads and handles the datagrams waiting on the socket (at most a bounded
 * number per call, so one flooding client cannot starve the loop). */
void fl_osc_receive(struct fl_osc *o);

/* Publishes the state of this tick: values that changed since the last call
 * go to every registered client at once; positions and meters go at most
 * feedback_hz times per second (now_ms: a monotonic clock in ms). The first
 * call only records the state. */
void fl_osc_publish(struct fl_osc *o, const struct fl_snapshot *snap, uint64_t now_ms);

/* The end of a learn armed over OSC: /footloop/midi/learned s line (st ==
 * FL_OK) or /footloop/error s text, to the client that asked. */
void fl_osc_learned(struct fl_osc *o, enum fl_status st, const char *text);

struct fl_fx_ctl;
/* Enables the effect, send, limiter and panic addresses and their feedback
 * (fx borrowed, must outlive the server). */
void fl_osc_set_fx(struct fl_osc *o, struct fl_fx_ctl *fx);

/* Loudness meters for feedback (at the positions' rate): momentary,
 * short-term and integrated LUFS and true peak dBTP (-inf: silence). */
void fl_osc_set_loudness(struct fl_osc *o, const float lufs[3], float true_peak_db);

/* Sends /footloop/notice s text to every registered client. */
void fl_osc_notice(struct fl_osc *o, const char *text);

#endif
