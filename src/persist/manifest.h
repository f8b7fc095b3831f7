/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The session manifest: a small versioned text file (manifest.txt).
 *
 *   footloop-session 1
 *   sample_rate 48000
 *   cycle_frames 96000
 *   tracks 4
 *
 *   [track.1]
 *   file track-01.wav
 *   length_frames 96000
 *   phase_frames 0
 *   state playing
 *   ...
 *
 *   [track.1.fx]
 *   (reserved for effect settings; skipped by version 1 readers)
 *
 * Tracks are numbered from 1 in the file, 0-based in C. A track section is
 * written only for a track holding a loop. phase_frames is the track's play
 * position at a frame on the master cycle grid, so a loader can put the loop
 * back in phase on any grid frame (origin = grid frame - phase). Floats are
 * written with 9 significant digits, which round-trips a float exactly.
 * Pure: no I/O besides the strings given; any thread. */
#ifndef FL_PERSIST_MANIFEST_H
#define FL_PERSIST_MANIFEST_H

#include "footloop/attributes.h"
#include "footloop/engine.h"
#include "footloop/status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FL_MANIFEST_VERSION 1
#define FL_MANIFEST_FILE "manifest.txt"
#define FL_MANIFEST_MAX_BYTES (256u * 1024u) ///< larger manifests are refused
#define FL_MANIFEST_FNAME_MAX 64

struct fl_manifest_track {
	bool present;            ///< a section exists (the track holds a loop)
	char file[FL_MANIFEST_FNAME_MAX + 1]; ///< "track-01.wav"
	uint64_t length_frames;  ///< > 0
	uint64_t phase_frames;   ///< play position at a cycle-grid frame, < length
	uint32_t state;          ///< FL_TRACK_PLAYING or FL_TRACK_STOPPED
	float level;             ///< linear 0..2
	float pan;               ///< -1..1
	bool muted;
	bool solo;
	uint32_t quantize;       ///< enum fl_quantize
	float send[FL_BUSES];    ///< linear 0..2
	bool record_input_fx;
	uint32_t undo_position;  ///< undo levels saved below the loop: always 0 in version 1
};

struct fl_manifest {
	uint32_t version;        ///< FL_MANIFEST_VERSION
	uint32_t sample_rate;    ///< Hz of every WAV in the session
	uint64_t cycle_frames;   ///< master cycle, 0 when none
	uint32_t n_tracks;       ///< track count of the engine that saved (1..FL_MAX_TRACKS)
	struct fl_manifest_track track[FL_MAX_TRACKS];
};

/* An empty manifest (version 1, no tracks present) at rate, n_tracks. */
void fl_manifest_init(struct fl_manifest *m, uint32_t sample_rate, uint32_t n_tracks);

/* Defaults of one track section before its keys are read. */
void fl_manifest_track_defaults(struct fl_manifest_track *t);

/* Parses text (NUL-terminated) into m. fname is used in messages:
 * "manifest.txt:7: [track.2] level: \"x\" is not a number". Everything is
 * validated (ranges, phase < length, file names, required keys). */
FL_NODISCARD enum fl_status fl_manifest_parse(struct fl_manifest *m, const char *text,
                                              const char *fname, char *err, size_t errlen);

/* Writes m into buf. FL_ERR_FULL when buf is too small. */
FL_NODISCARD enum fl_status fl_manifest_format(const struct fl_manifest *m, char *buf,
                                               size_t len, size_t *written);

/* Standard file name of track t (0-based): "track-01.wav". */
void fl_manifest_track_file(uint32_t t, char *buf, size_t len);

#endif
