/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The control thread's wiring: what runs on every loop tick and on every fd
 * around the engine (OSC, the status view's log pipe, JACK's shutdown).
 *
 * On each ~10 ms tick: pick up JACK sample-rate and latency changes and send
 * them to the engine, drain the engine's events (notices go to the log and
 * OSC clients), read the engine status, refresh the actions mirror, publish
 * OSC feedback and redraw the status view. The control thread is the only
 * producer of engine commands. Control thread only. */
#ifndef FL_CONTROL_CONTROL_H
#define FL_CONTROL_CONTROL_H

#include "control/actions.h"
#include "control/fx_ctl.h"
#include "control/inputs.h"
#include "control/loop.h"
#include "control/loudness_ctl.h"
#include "control/osc.h"
#include "control/session_osc.h"
#include "control/sessions.h"
#include "control/snapshot.h"
#include "control/status_view.h"
#include "footloop/config.h"
#include "footloop/engine.h"
#include "jack/jack_backend.h"

struct fl_checkpoint;
struct fl_nsm;

struct fl_control {
	struct fl_engine *engine; ///< borrowed
	struct fl_jack *jack;     ///< borrowed
	struct fl_loop *loop;     ///< borrowed
	struct fl_actions actions;
	struct fl_inputs inputs;        ///< foot switches and MIDI (src/control/inputs.h)
	struct fl_fx_ctl fx;            ///< effects, sends, limiter, panic (src/control/fx_ctl.h)
	struct fl_osc *osc;             ///< owned
	struct fl_status_view *view;    ///< owned, NULL when off
	struct fl_loudness_ctl loud;    ///< master loudness meter thread (when libebur128 is there)
	bool loud_on;
	struct fl_sessions sessions;    ///< sessions, setlist, recorder (src/control/sessions.h)
	struct fl_session_osc sess_osc; ///< their OSC addresses
	struct fl_snapshot snap;
	float latency_trim_ms;
	uint32_t latency_sent;  ///< R last sent to the engine
	uint32_t own_latency_sent; ///< engine output latency last told to JACK
	uint32_t period_seen;   ///< JACK buffer size last logged
	uint64_t cmds_refused;  ///< engine queue full
	/* Journal (issue 5): main sets these before fl_control_apply_track_config. */
	struct fl_checkpoint *ckpt; ///< compaction checkpoints; NULL without the journal
	struct fl_nsm *nsm;         ///< session manager client; NULL when not under NSM
	bool restored;          ///< the engine was restored from the journal: its track
	                        ///< settings win over [track.N] level/pan/quantize/sends/input_fx
};

/* Starts OSC (err names the port when it is busy), the inputs (MIDI map,
 * JACK MIDI queues, ALSA and GPIO when configured: a missing device is
 * logged, a bad map file is an error) and the status view, and hooks
 * everything into loop. c must not move afterwards (JACK holds pointers to
 * its MIDI queues). */
FL_NODISCARD enum fl_status fl_control_init(struct fl_control *c, const struct fl_config *cfg,
                                            struct fl_engine *engine, struct fl_jack *jack,
                                            struct fl_loop *loop, bool status_view, char *err,
                                            size_t errlen);
/* Sends [track.N] settings that differ from the engine defaults. */
void fl_control_apply_track_config(struct fl_control *c, const struct fl_config *cfg);
/* Stops OSC, the view and the loudness meter; safe after a failed init.
 * After JACK stopped calling the engine (the meter's tap ring goes). */
void fl_control_fini(struct fl_control *c);

#endif
