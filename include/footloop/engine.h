/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The real-time looping engine.
 *
 * The engine knows nothing of JACK: it is driven by fl_engine_process() with
 * plain float buffers, which is how the JACK adapter, the unit tests and the
 * benchmark all call it. It owns every loop buffer, the frame clock and the
 * mixer. Threads:
 *   - fl_engine_create/free: setup thread, never while process may run;
 *   - fl_engine_process: the process thread only (FL_RT);
 *   - fl_engine_send, fl_engine_poll_event: the one control thread only;
 *   - fl_engine_get_status: any thread (relaxed atomic reads). */
#ifndef FOOTLOOP_ENGINE_H
#define FOOTLOOP_ENGINE_H

#include "footloop/attributes.h"
#include "footloop/cmd.h"
#include "footloop/status.h"

#include <stdbool.h>
#include <stdint.h>

#define FL_CHANNELS 2     ///< every track and bus is stereo
#define FL_MAX_TRACKS 64  ///< at least 16 are supported by the acceptance tests

enum fl_track_state {
	FL_TRACK_EMPTY = 0,  ///< no loop
	FL_TRACK_ARMED,      ///< record pressed, waiting for the boundary
	FL_TRACK_RECORDING,  ///< recording the first pass of a new loop
	FL_TRACK_PLAYING,
	FL_TRACK_OVERDUBBING,
	FL_TRACK_STOPPED,    ///< holds a loop, silent; position keeps running
	FL_TRACK__COUNT
};

/* Fixed engine parameters, copied at creation. Rates in Hz, times in ms. */
struct fl_engine_config {
	uint32_t sample_rate;     ///< Hz, > 0
	uint32_t n_tracks;        ///< 1..FL_MAX_TRACKS
	float track_seconds;      ///< loop memory per track (all undo levels share it)
	float fade_ms;            ///< raised-cosine ramp for play/stop/mute/punch; 0 = none (test only)
	float seam_ms;            ///< loop seam crossfade; 0 = none (test only)
	float late_window_ms;     ///< a record press this late after a boundary counts as on it
	float smooth_ms;          ///< time constant of level and pan smoothing
	float history_seconds;    ///< input history ring (>= late window + latency)
	uint32_t quantize;        ///< enum fl_quantize: default for every track
	bool monitor;             ///< dry input in the mix
	float monitor_level;      ///< linear
	float master_level;       ///< linear
	uint32_t latency_frames;  ///< initial round-trip compensation R
	bool limiter;             ///< true-peak master limiter (adds its lookahead to the output latency)
};

/* Defaults: 48 kHz, 4 tracks, 120 s, 10 ms fades and seams, 150 ms late
 * window, 10 ms smoothing, 2 s history, quantize cycle, monitor on at 1.0,
 * limiter on. */
void fl_engine_config_defaults(struct fl_engine_config *cfg);

/* A snapshot of one track, as last published by the process thread. */
struct fl_track_status {
	uint32_t state;          ///< enum fl_track_state
	bool muted;
	bool solo;
	bool closing;            ///< recording, close scheduled at a boundary
	uint32_t quantize;       ///< enum fl_quantize
	uint64_t length_frames;  ///< loop length (0 when empty)
	uint64_t position_frames;///< play position inside the loop
	float level;             ///< target linear gain
	float pan;               ///< target pan
	float peak[FL_CHANNELS]; ///< post-fader peak, linear, with fall-off
	uint32_t undo_depth;     ///< undo levels available
	uint32_t redo_depth;     ///< redo levels available
	uint64_t origin;         ///< engine frame at which position 0 played (phase)
	float rms[FL_CHANNELS];  ///< post-fader RMS over the last ~50 ms, linear
	float send[FL_BUSES];    ///< send gains to the buses
	bool record_input_fx;    ///< records the input chain's output (else dry)
	bool leased;             ///< a region is leased (loading)
	bool pinned;             ///< the loop is pinned (saving)
};

struct fl_engine_status {
	uint64_t frame;            ///< the engine's frame clock
	uint64_t cycle_frames;     ///< master cycle length, 0 before the first loop
	uint64_t cycle_position;   ///< frames since the last cycle boundary
	uint32_t sample_rate;
	uint32_t n_tracks;
	uint32_t latency_frames;   ///< round-trip compensation in use
	float master_level;
	float monitor_level;
	bool monitor;
	float input_peak[FL_CHANNELS];
	float master_peak[FL_CHANNELS];
	uint64_t cmds_dropped;     ///< commands the queue refused (control side)
	uint64_t events_dropped;   ///< events the queue refused (engine side)
	uint64_t cycle_origin;     ///< a frame on the master cycle grid
	float master_rms[FL_CHANNELS];
	float limiter_gr_db;       ///< deepest limiter gain reduction since the last publish (<= 0)
	uint32_t output_latency;   ///< frames the output lags the mix (limiter lookahead)
	bool panic;                ///< panic engaged
};

/* Master limiter parameters for FL_CMD_LIMITER (arg). */
enum fl_limiter_param {
	FL_LIMITER_CEILING_DB = 0, ///< -12..0 dBTP, default -1
	FL_LIMITER_RELEASE_MS,     ///< 5..1000, default 50
	FL_LIMITER_HOLD_MS,        ///< 0..50, default 10
	FL_LIMITER__COUNT
};

/* Audio buffers for one process call. in may hold NULL channels (silence). */
struct fl_engine_io {
	const float *in[FL_CHANNELS];
	float *out[FL_CHANNELS];
};

struct fl_engine;

/* Allocates, prefaults and (best effort) locks all memory the engine will
 * ever use. Setup thread. */
FL_NODISCARD enum fl_status fl_engine_create(const struct fl_engine_config *cfg,
                                             struct fl_engine **out);
/* Frees the engine; NULL is a no-op. Only when process cannot run. */
void fl_engine_free(struct fl_engine *e);

/* Renders nframes (any count, 1..any) of output from input. Applies queued
 * commands at their frames, so the output does not depend on how a run is
 * cut into blocks. RT: process thread only. */
FL_RT void fl_engine_process(struct fl_engine *e, const struct fl_engine_io *io,
                             uint32_t nframes);

/* Queues a command. FL_ERR_FULL when the queue is full (counted). Control
 * thread only. */
FL_NODISCARD enum fl_status fl_engine_send(struct fl_engine *e, const struct fl_cmd *cmd);

/* Takes the next event; false when there is none. Control thread only. */
bool fl_engine_poll_event(struct fl_engine *e, struct fl_event *ev);

/* Reads the published state. tracks may be NULL; at most max_tracks are
 * written. Any thread. */
void fl_engine_get_status(const struct fl_engine *e, struct fl_engine_status *st,
                          struct fl_track_status *tracks, uint32_t max_tracks);

/* Engine frame at the start of the next process call (relaxed). Any thread. */
uint64_t fl_engine_frame(const struct fl_engine *e);

/* Bytes of loop and history memory the engine holds (for logs). */
uint64_t fl_engine_memory_bytes(const struct fl_engine *e);

/* Taps: copies of audio (and, for the journal, of applied commands) that
 * the process thread writes into lock-free rings for threads that write
 * files or meter loudness. A tap writes one record per rendered segment,
 * all or nothing; when its ring lacks room the record is dropped, counted,
 * and an FL_NOTICE_TAP_OVERFLOW event is sent: the process thread never
 * waits for a disk. */
enum fl_tap_kind {
	FL_TAP_JOURNAL = 0, ///< dry input (2 channels) plus every applied command: replaying both re-creates the engine state bit for bit
	FL_TAP_MASTER,      ///< the main output (2 channels), after the limiter
	FL_TAP_STEMS,       ///< each track post-fader (2 x n_tracks channels)
	FL_TAP__COUNT
};

enum fl_tap_record_kind {
	FL_TAP_RECORD_AUDIO = 1, ///< payload: frames x channels interleaved floats
	FL_TAP_RECORD_CMD,       ///< payload: one struct fl_cmd as applied (frame = when); ptr contents are not copied
};

/* Header of every record in a tap ring. */
struct fl_tap_record {
	uint32_t kind;     ///< enum fl_tap_record_kind
	uint32_t frames;   ///< audio: frames in the payload
	uint64_t frame;    ///< engine frame of the first frame / of the command
	uint32_t channels; ///< audio: channels per frame
	uint32_t bytes;    ///< payload size in bytes
};

struct fl_ring;

/* Registers a tap writing into ring (which the caller owns and frees after
 * the engine). Setup thread, before processing starts. Taps start disabled;
 * FL_CMD_TAP (arg = id, value 1/0) switches them. Up to 8 taps. */
FL_NODISCARD enum fl_status fl_engine_add_tap(struct fl_engine *e, enum fl_tap_kind kind,
                                              struct fl_ring *ring, uint32_t *id);
/* Records dropped by a tap since creation. Any thread. */
uint64_t fl_engine_tap_dropped(const struct fl_engine *e, uint32_t id);

/* A track's ring memory: cap_frames interleaved stereo frames, constant
 * after creation. Off the process thread only a region announced by
 * FL_EV_LEASE (until FL_CMD_COMMIT or FL_CMD_LEASE_CANCEL) may be written
 * and only one announced by FL_EV_PINNED (until FL_CMD_UNPIN) read; region
 * offsets wrap at cap_frames. Any thread. */
void fl_engine_track_memory(const struct fl_engine *e, uint32_t track, float **mem,
                            uint64_t *cap_frames);

/* Sets the frame clock before the first process call (crash restore
 * resumes at the checkpoint's frame). Setup thread only. */
void fl_engine_set_frame(struct fl_engine *e, uint64_t frame);

/* Name of a track state ("empty", "armed", "recording", "playing",
 * "overdubbing", "stopped"). */
const char *fl_track_state_name(enum fl_track_state st);

/* Name of a quantize mode ("off", "cycle") and its reverse (-1: unknown). */
const char *fl_quantize_name(enum fl_quantize q);
int fl_quantize_from_name(const char *name);

#endif
