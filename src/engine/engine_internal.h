/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Engine internals shared by engine.c, track.c, mixer.c and engine_setup.c.
 * Unless a field says otherwise it is owned by the process thread after
 * fl_engine_create() returns. */
#ifndef FL_ENGINE_INTERNAL_H
#define FL_ENGINE_INTERNAL_H

#include "core/spsc.h"
#include "dsp/limiter.h"
#include "engine/fx_chain.h"
#include "dsp/smooth.h"
#include "footloop/engine.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define FL_SEG_MAX 256u     ///< frames rendered per inner segment (scratch size)
#define FL_HISTORY_MAX 64u  ///< undo levels kept per track, at most
#define FL_CMD_QUEUE 256u   ///< command queue slots
#define FL_EVENT_QUEUE 256u ///< event queue slots
#define FL_COPY_SPEED 8u    ///< copy-on-write sweep: frames copied per frame played

/* One undo level: a loop (or, len == 0, an empty track) in the track's ring
 * memory. Layers of one track are allocated one after the other in the ring;
 * a layer made by overdubbing is filled from its source by a sweep that runs
 * FL_COPY_SPEED times faster than playback (copy-on-write without a bulk
 * copy in one period). */
struct fl_layer {
	uint64_t off;       ///< first frame in the ring
	uint64_t len;       ///< loop length in frames (0: empty)
	uint64_t origin;    ///< engine frame at which position 0 played
	uint64_t copied;    ///< frames copied from src, from copy_from on (== len: complete)
	uint64_t copy_from; ///< loop position where the copy sweep started
	int32_t src;        ///< history index of the source layer while copying, else -1
};

/* Per-track published state (written by process, read by any thread). */
struct fl_track_pub {
	_Atomic uint32_t state;
	_Atomic uint32_t flags; ///< bit 0 muted, 1 solo, 2 closing
	_Atomic uint32_t quantize;
	_Atomic uint64_t length;
	_Atomic uint64_t position;
	_Atomic float level;
	_Atomic float pan;
	_Atomic float peak[FL_CHANNELS];
	_Atomic uint32_t undo_depth;
	_Atomic uint32_t redo_depth;
	_Atomic uint64_t origin;
	_Atomic uint32_t busy; ///< bit 0 leased, bit 1 pinned, bit 2 input fx
	_Atomic float send[FL_BUSES];
	_Atomic float rms[FL_CHANNELS];
};

struct fl_track {
	uint32_t index;
	float *mem;    ///< cap stereo frames, interleaved; allocated at create
	uint64_t cap;  ///< frames

	struct fl_layer hist[FL_HISTORY_MAX]; ///< undo history, oldest first
	uint32_t n_hist;   ///< entries in hist (>= 1: hist[0] may be the empty start)
	uint32_t cur;      ///< current layer (what the track holds)

	enum fl_track_state state;
	bool muted;
	bool solo;
	uint32_t quantize;

	/* Recording a new loop into hist[rec_layer] (state ARMED/RECORDING, and
	 * after the close until the last samples and the seam are written). */
	bool rec_active;    ///< the copier still has samples to write
	int32_t rec_layer;  ///< history index being recorded, -1 none
	enum fl_track_state prev_state; ///< state before ARMED (to cancel)
	bool stop_after_close; ///< stop pressed while recording: keep the take, stay silent
	uint64_t rec_start; ///< B: engine frame of loop position 0
	uint64_t rec_end;   ///< E: close frame, UINT64_MAX while open
	uint64_t rec_done;  ///< frames written into the new layer
	uint32_t rec_latency; ///< R in use for this recording
	bool seam_pending;  ///< seam crossfade still to write (at E + R + seam)
	int32_t rec_prev;   ///< layer audible before the record (fades out), -1 none

	/* Overdub punch weight: raised-cosine ramp over input frames. */
	struct fl_ramp dub;
	bool dubbing; ///< overdub on (dub ramp heading to 1)
	uint64_t dub_pending_at; ///< overdub asked before the take was final: start then (0: none)

	/* What is heard. */
	int32_t play_layer;     ///< history index being read, -1: none
	int32_t xf_layer;       ///< layer fading out under an undo/redo crossfade, -1
	struct fl_ramp xf;      ///< 0 -> 1: crossfade progress (equal-power, C1)
	struct fl_ramp play_gain; ///< play/stop/first-pass fade (raised cosine)
	struct fl_ramp mute_gain;
	struct fl_ramp solo_gain;
	struct fl_smooth level;
	struct fl_smooth pan_l;
	struct fl_smooth pan_r;
	float level_target;
	float pan_target;
	struct fl_smooth send[FL_BUSES]; ///< post-fader send gains
	float send_target[FL_BUSES];
	bool input_fx; ///< record the input chain's output instead of the dry input
	struct fl_fx_chain chain; ///< inserts: loop -> chain -> fader/pan -> mix and sends
	double ms[FL_CHANNELS];   ///< mean square for the RMS meter

	float peak[FL_CHANNELS]; ///< meter state with fall-off

	/* Persistence (issue 5). */
	bool lease;          ///< a region is lent to the control thread (loading)
	uint64_t lease_off;  ///< its ring offset
	uint64_t lease_len;  ///< its length in frames
	uint32_t pin_waiting; ///< FL_CMD_PINs waiting for the loop to be final
	uint32_t pins;        ///< granted pins not yet released (several savers may share one)
	int32_t pinned;       ///< history index lent for reading while pins > 0, -1 none/empty

	struct fl_track_pub pub;
};

struct fl_engine_pub {
	_Atomic uint64_t frame;
	_Atomic uint64_t cycle;
	_Atomic uint64_t cycle_origin;
	_Atomic uint32_t latency;
	_Atomic uint32_t rate;
	_Atomic float master_level;
	_Atomic float monitor_level;
	_Atomic uint32_t monitor;
	_Atomic float input_peak[FL_CHANNELS];
	_Atomic float master_peak[FL_CHANNELS];
	_Atomic uint64_t events_dropped;
	_Atomic float master_rms[FL_CHANNELS];
	_Atomic float gr_db;
	_Atomic uint32_t out_latency;
	_Atomic uint32_t panic;
};

#define FL_MAX_TAPS 8u

struct fl_tap {
	uint32_t kind;            ///< enum fl_tap_kind
	struct fl_ring *ring;     ///< owned by the caller
	bool enabled;
	_Atomic uint64_t dropped; ///< written by the process thread
};

struct fl_engine {
	struct fl_engine_config cfg; ///< copy; rate-dependent fields below
	uint64_t frame;              ///< the one clock: frame at the start of the next segment

	uint32_t fade_frames;
	uint32_t seam_frames;
	uint64_t late_frames;
	uint32_t latency;            ///< R from JACK: capture + playback latency (control thread's figure)
	uint32_t out_latency;        ///< frames the output lags the mix (limiter lookahead)
	uint32_t rt_latency;         ///< latency + out_latency: what overdubs compensate
	uint64_t min_loop_frames;

	uint64_t cycle;              ///< master cycle length (0: none yet)
	uint64_t cycle_origin;       ///< a frame on the cycle grid

	float *history;              ///< input history ring, interleaved stereo
	float *history_fx;           ///< the same, through the input chain
	uint64_t history_mask;       ///< frames - 1 (power of two)

	struct fl_track *tracks;
	uint32_t n_tracks;

	struct fl_smooth master;
	struct fl_smooth monitor_gain; ///< monitor on/off and level in one smoother
	float monitor_level;
	bool monitor;
	float in_peak[FL_CHANNELS];
	float out_peak[FL_CHANNELS];

	float scratch[FL_CHANNELS][FL_SEG_MAX]; ///< mix bus of one segment
	float bus[FL_BUSES][FL_CHANNELS][FL_SEG_MAX]; ///< send buses of one segment
	float wet[FL_CHANNELS][FL_SEG_MAX];   ///< input through the input chain
	struct fl_fx_chain input_chain;
	struct fl_fx_chain bus_chain[FL_BUSES];
	struct fl_fx_chain master_chain;
	struct fl_limiter *limiter;  ///< NULL when disabled in the config
	float gr_db;                 ///< deepest limiter reduction, with fall-off (meter)
	double master_ms[FL_CHANNELS];
	struct fl_ramp panic_gain;   ///< 1 normally; 0 after a panic
	bool panic;
	uint64_t panic_stopped;      ///< tracks the panic stopped (bit per track)
	bool panic_pending;          ///< fade running: stop the tracks when it ends
	uint32_t beats;              ///< beats per cycle for tempo-synced effects

	struct fl_tap taps[FL_MAX_TAPS]; ///< set up before processing starts
	uint32_t n_taps;
	float tap_buf[FL_SEG_MAX * 2 * (FL_MAX_TRACKS + 1)]; ///< interleaving scratch
	float *stems;        ///< per-track post-fader segment (2 x FL_SEG_MAX each), or NULL

	struct fl_spsc cmds;   ///< control -> process
	struct fl_spsc events; ///< process -> control
	_Atomic uint64_t cmds_dropped; ///< written by the control thread
	uint64_t events_dropped;

	struct fl_engine_pub pub;
};

/* engine.c */
FL_RT void fl_engine_emit(struct fl_engine *e, uint16_t type, uint16_t track, uint32_t arg,
                          uint64_t frame);
FL_RT void fl_engine_update_cycle(struct fl_engine *e);
/* Hands an object that arrived with a command of cmd_type (an effect, a
 * loop or cycle description) back to the control thread in FL_EV_RELEASE;
 * NULL is a no-op. */
FL_RT void fl_engine_release(struct fl_engine *e, void *ptr, uint16_t cmd_type, uint64_t t);
FL_RT void fl_engine_apply_rate(struct fl_engine *e, uint32_t rate);

/* track.c */
void fl_track_init(struct fl_track *tr, uint32_t index, float *mem, uint64_t cap,
                   const struct fl_engine *e);
FL_RT void fl_track_command(struct fl_track *tr, struct fl_engine *e, const struct fl_cmd *cmd,
                            uint64_t t);
FL_RT uint64_t fl_track_next_event(const struct fl_track *tr, const struct fl_engine *e,
                                   uint64_t t);
FL_RT void fl_track_tick(struct fl_track *tr, struct fl_engine *e, uint64_t t);
FL_RT void fl_track_render(struct fl_track *tr, struct fl_engine *e, uint64_t t, uint32_t n,
                           const float *const in[4], bool any_solo, float *out_l, float *out_r);

FL_RT void fl_track_publish(struct fl_track *tr, const struct fl_engine *e, uint64_t t);
FL_RT bool fl_track_has_loop(const struct fl_track *tr);
FL_RT void fl_track_set_rate(struct fl_track *tr, const struct fl_engine *e);
FL_RT void fl_track_set_sends(struct fl_track *tr, const float send[FL_BUSES], bool input_fx);
FL_RT void fl_track_adopt(struct fl_track *tr, struct fl_engine *e, int32_t idx, bool stopped);

/* persist.c: leases, pins, cycle restore, taps */
FL_RT bool fl_persist_command(struct fl_engine *e, const struct fl_cmd *c, uint64_t t);
FL_RT void fl_persist_after_segment(struct fl_engine *e, uint64_t t, uint32_t n, const float *in_l,
                                    const float *in_r, const float *out_l, const float *out_r);
FL_RT void fl_persist_journal_cmd(struct fl_engine *e, const struct fl_cmd *c, uint64_t t);
FL_RT void fl_persist_publish(struct fl_engine *e);
FL_RT bool fl_track_busy(const struct fl_track *tr);

/* effects.c: chains, sends, limiter, panic */
FL_RT bool fl_effects_command(struct fl_engine *e, const struct fl_cmd *c, uint64_t t);
FL_RT void fl_effects_input(struct fl_engine *e, const float *in_l, const float *in_r, uint32_t n,
                            uint64_t t);
FL_RT void fl_effects_master(struct fl_engine *e, float *l, float *r, uint32_t n, uint64_t t);
FL_RT void fl_effects_tempo(struct fl_engine *e);
FL_RT void fl_effects_publish(struct fl_engine *e);

/* mixer.c */
FL_RT void fl_pan_gains(float pan, float *gl, float *gr);
/* Updates *peak with max |x| and returns the sum of x^2 over n samples. */
FL_RT float fl_meter_block(const float *x, uint32_t n, float *peak);

#endif
