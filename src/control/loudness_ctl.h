/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The master loudness meter: EBU R128 momentary, short-term and integrated
 * loudness and BS.1770 true peak of footloop's main output.
 *
 * The process thread copies the master (after the limiter) into a tap ring
 * of about 2 s (engine.h, FL_TAP_MASTER); a meter thread owned here drains
 * it every 20 ms into fl_loudness (src/dsp/loudness.h: libebur128, which
 * allocates and costs a few % of a core, so it never runs on the JACK
 * thread nor on the control thread's tick) and publishes the readings at
 * 10 Hz through atomics. The control thread reads them with
 * fl_loudness_ctl_get and asks for an integrated reset with
 * fl_loudness_ctl_reset; neither waits for the meter thread.
 *
 * A full ring (meter thread stalled) makes the engine drop blocks, never
 * wait; fl_loudness counts them as gaps and keeps measuring.
 *
 * Threads: init before the engine processes (it registers the tap; JACK
 * not yet active), fini after JACK stopped calling the engine (the ring
 * goes with it: the engine never touches it again). The rest: control
 * thread. Without libebur128 init returns FL_ERR_UNSUPPORTED. */
#ifndef FL_CONTROL_LOUDNESS_CTL_H
#define FL_CONTROL_LOUDNESS_CTL_H

#include "core/ring.h"
#include "footloop/attributes.h"
#include "footloop/engine.h"
#include "footloop/status.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fl_loudness;

/* What the control thread shows; -inf for silence or not measured yet. */
struct fl_loudness_values {
	float momentary_lufs;
	float shortterm_lufs;
	float integrated_lufs;
	float true_peak_dbtp;     ///< highest in the last 100 ms reading
	float true_peak_max_dbtp; ///< highest since start or the last reset
	uint64_t gaps;            ///< blocks lost to a full ring since reset
};

struct fl_loudness_ctl {
	struct fl_ring ring;
	struct fl_loudness *meter; ///< the meter thread's
	float *scratch;            ///< the meter thread's: one record's payload
	uint32_t scratch_floats;
	uint32_t tap_id;
	pthread_t thread;
	bool started;
	atomic_bool stop;
	atomic_bool reset_asked;
	_Atomic uint32_t value_bits[5]; ///< the floats of struct fl_loudness_values, as bits
	_Atomic uint64_t gaps;
	_Atomic uint64_t readings;      ///< readings published (tests wait for one)
};

/* Creates the meter and the ring (ring_ms of stereo at rate), registers
 * the tap on engine and starts the thread. The tap starts disabled: send
 * the command from fl_loudness_ctl_enable_cmd. err names what failed. */
FL_NODISCARD enum fl_status fl_loudness_ctl_init(struct fl_loudness_ctl *lc,
                                                 struct fl_engine *engine, uint32_t rate,
                                                 uint32_t ring_ms, char *err, size_t errlen);
/* The FL_CMD_TAP command that switches the tap on. */
struct fl_cmd fl_loudness_ctl_enable_cmd(const struct fl_loudness_ctl *lc);
/* The latest published reading (all -inf before the first). */
void fl_loudness_ctl_get(struct fl_loudness_ctl *lc, struct fl_loudness_values *out);
/* Starts a new integrated measurement (and true-peak max); done by the
 * meter thread on its next pass. */
void fl_loudness_ctl_reset(struct fl_loudness_ctl *lc);
/* Readings published so far. */
uint64_t fl_loudness_ctl_readings(struct fl_loudness_ctl *lc);
/* Stops and joins the thread, frees everything; safe on a zeroed or
 * failed-init struct. */
void fl_loudness_ctl_fini(struct fl_loudness_ctl *lc);

#endif
