/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Level meters for tracks and the master (real-time kernels; loudness.h is
 * the non-RT EBU R128 meter).
 *
 * fl_peak_meter: per channel, a falling peak p = max(|x|, p f) with
 *   f = 10^(-fall/20/fs) (fall in dB/s, default 20, the classic PPM return),
 *   plus the held maximum since the last read (what OSC feedback sends).
 * fl_rms_meter: per channel, RMS over a sliding window (default 300 ms). The
 *   window is kept as sums of 16-sample sub-blocks in double (x^2 of a float
 *   is exact in double); the running total is recomputed from the ring
 *   every time the ring wraps, so rounding can never accumulate: a meter
 *   that runs for a whole show reads the same as a fresh one. The window
 *   moves in 16-sample steps (plus the current partial sub-block).
 * fl_gr_meter: deepest gain reduction (dB <= 0) since the last read, for
 *   kernels without their own readout.
 * Non-finite samples count as 0. Threads: init is non-RT (no allocation at
 * all; fixed arrays sized for 192 kHz); process and the reads are RT-safe
 * and belong to the thread that processes (the engine publishes the values
 * through its status snapshot). */
#ifndef FL_DSP_METER_H
#define FL_DSP_METER_H

#include "footloop/attributes.h"

#include <stdint.h>

#define FL_RMS_SUB 16
#define FL_RMS_MAX_SUBS 4096 /* 340 ms at 192 kHz */

struct fl_peak_meter {
	float fall;    ///< per-sample factor f
	float p[2];    ///< falling peaks
	float held[2]; ///< maxima since the last read
};

void fl_peak_meter_init(struct fl_peak_meter *m, float rate, float fall_db_per_s);
FL_RT void fl_peak_meter_process(struct fl_peak_meter *m, const float *l, const float *r,
                                 uint32_t n);
/* Falling peak now (linear) of channel ch (0/1). */
FL_RT float fl_peak_meter_value(const struct fl_peak_meter *m, int ch);
/* Held maximum of channel ch since the last read (linear), then cleared. */
FL_RT float fl_peak_meter_read_max(struct fl_peak_meter *m, int ch);

struct fl_rms_meter {
	uint32_t subs;     ///< sub-blocks per window
	uint32_t pos;      ///< ring position of the current sub-block
	uint32_t fill;     ///< samples in the current sub-block
	double part[2];    ///< sum of squares of the current sub-block
	double total[2];   ///< sum over the completed sub-blocks in the ring
	double ring[2][FL_RMS_MAX_SUBS];
};

/* window_ms clamped to [10, 340 ms at the rate]. */
void fl_rms_meter_init(struct fl_rms_meter *m, float rate, float window_ms);
FL_RT void fl_rms_meter_reset(struct fl_rms_meter *m);
FL_RT void fl_rms_meter_process(struct fl_rms_meter *m, const float *l, const float *r,
                                uint32_t n);
/* RMS (linear) of channel ch over the last window. */
FL_RT float fl_rms_meter_value(const struct fl_rms_meter *m, int ch);

struct fl_gr_meter {
	float deepest_db; ///< <= 0
};

FL_RT void fl_gr_meter_push(struct fl_gr_meter *m, float gr_db);
FL_RT float fl_gr_meter_read(struct fl_gr_meter *m);

#endif
