/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The performance recorder: the master mix (FL_TAP_MASTER) and, when stems
 * are on, every track post-fader (FL_TAP_STEMS) to files for mixing later.
 *
 * The engine's taps copy each rendered segment into lock-free rings owned
 * here; a writer thread (the only one touching the files and libsndfile)
 * drains them into <dir>/<YYYY-MM-DD_HHMMSS>_<song>_master.wav (and
 * ..._track-N.wav), as 32-bit float WAV or 24-bit FLAC. When the disk is
 * too slow the ring fills, the engine drops whole segments (never waits)
 * and the writer sees a hole in the frame numbers: it counts the frames
 * lost and writes silence in their place (up to 10 s) so stems stay
 * aligned with the master. When a write fails (disk full, file-size limit)
 * the recording stops with a message; the writer keeps draining so the
 * rings never back up. The loops in memory are never involved.
 * Threads: create/free on the setup thread, start/stop/status on the
 * control thread, the writer thread inside. */
#ifndef FL_PERSIST_RECORDER_H
#define FL_PERSIST_RECORDER_H

#include "core/ring.h"
#include "footloop/attributes.h"
#include "footloop/status.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum fl_rec_format {
	FL_REC_WAV_FLOAT = 0, ///< 32-bit float WAV
	FL_REC_FLAC_24,       ///< 24-bit FLAC (clipped at full scale)
};

struct fl_recorder_config {
	const char *dir;        ///< recordings directory (created if missing)
	enum fl_rec_format format;
	bool stems;             ///< also one file per track
	uint32_t n_tracks;      ///< stems: channels = 2 x n_tracks
	uint32_t sample_rate;
	uint32_t ring_ms;       ///< ring length per tap (default 2000)
	uint32_t test_delay_us; ///< tests: the writer sleeps this long per segment (a slow disk)
};

struct fl_recorder_status {
	bool recording;
	uint64_t frames_written;  ///< master frames in the file
	uint64_t frames_dropped;  ///< frames lost to full rings (holes in the master)
	bool failed;              ///< a write failed; error says which file and why
	char error[PATH_MAX + 256];
	char master_path[PATH_MAX];
};

struct fl_recorder;

FL_NODISCARD enum fl_status fl_recorder_create(const struct fl_recorder_config *cfg,
                                               struct fl_recorder **out);
/* Stops the writer (closing any file); NULL is a no-op. After the engine. */
void fl_recorder_free(struct fl_recorder *r);

/* The ring to register with fl_engine_add_tap: master (stems false) or
 * stems (NULL when stems are off). */
struct fl_ring *fl_recorder_ring(struct fl_recorder *r, bool stems);

/* Starts a recording named after when and song ("" or NULL: "untitled";
 * characters other than A-Z a-z 0-9 _ - . become _). Records with a frame
 * before from_frame are skipped. The files are opened on the writer
 * thread; a failure shows in the status. The caller then enables the taps
 * (FL_CMD_TAP value 1). FL_ERR_BUSY when already recording. */
FL_NODISCARD enum fl_status fl_recorder_start(struct fl_recorder *r, const char *song,
                                              time_t when, uint64_t from_frame);
/* Ends the recording at stop_frame (records from there on are not
 * written): the writer drains what came before, closes the files. The
 * caller disables the taps. */
void fl_recorder_stop(struct fl_recorder *r, uint64_t stop_frame);

/* A snapshot of the writer's state. Control thread. */
void fl_recorder_status(struct fl_recorder *r, struct fl_recorder_status *st);

/* The file name start() would use (tests, logs). */
void fl_recorder_file_name(char *buf, size_t len, const char *dir, time_t when, const char *song,
                           const char *suffix, enum fl_rec_format fmt);

#endif
