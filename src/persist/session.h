/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Sessions on disk: <session_dir>/<name>/manifest.txt + track-NN.wav.
 *
 * Every WAV is 32-bit float, stereo, at the manifest's sample rate (mono
 * files and integer PCM are accepted on load and converted). Saving is
 * atomic: everything is written into a hidden temporary directory
 * (<session_dir>/.tmp-<name>-XXXXXX), each file and the directory are
 * fsync'ed, and the directory is swapped into place with
 * renameat2(RENAME_EXCHANGE) (a plain rename when the session is new), so a
 * save that fails at any point leaves the previous session as it was.
 * Loading reads and validates everything into RAM before anything else
 * happens; a bad file gives a message naming it and nothing is returned.
 *
 * Thread: these do file I/O and call libsndfile: the disk worker only (or a
 * test's main thread). They hold no global state. */
#ifndef FL_PERSIST_SESSION_H
#define FL_PERSIST_SESSION_H

#include "footloop/attributes.h"
#include "footloop/status.h"
#include "persist/manifest.h"
#include "persist/paths.h"

#include <stddef.h>
#include <stdint.h>

/* A loop in a track's ring memory: interleaved stereo frames starting at
 * offset and wrapping at cap_frames (what FL_EV_PINNED announces). */
struct fl_region {
	const float *mem;
	uint64_t cap_frames;
	uint64_t offset;
	uint64_t frames;
};

/* A session read into memory, at the rate asked for. Owned by whoever holds
 * the pointer; fl_session_free() frees it. */
struct fl_session {
	struct fl_manifest man;          ///< lengths/phases/cycle at rate (resampled if needed)
	uint32_t file_rate;              ///< rate the files were recorded at
	float *audio[FL_MAX_TRACKS];     ///< interleaved stereo, man.track[t].length_frames; NULL when absent
	char name[FL_SESSION_NAME_MAX + 1];
};

/* Frees s and its audio; NULL is a no-op. */
void fl_session_free(struct fl_session *s);

/* Writes the session name under root (created if missing). regions[t] is
 * read for every track t with m->track[t].present; its frames must equal
 * the track's length_frames. File names in m are set to track-NN.wav by
 * the caller (fl_manifest_track_file). */
FL_NODISCARD enum fl_status fl_session_save(const char *root, const char *name,
                                            const struct fl_manifest *m,
                                            const struct fl_region *regions, char *err,
                                            size_t errlen);

/* Reads and validates the session name under root. rate: the engine's
 * rate; a session at another rate is resampled (libsamplerate,
 * SRC_SINC_BEST_QUALITY; see resample.h for the length rule) or refused
 * with FL_ERR_UNSUPPORTED when built without libsamplerate. max_frames: the
 * longest loop the engine can hold (0: no limit); longer tracks are
 * refused. max_tracks: the engine's track count; a session using a track
 * beyond it is refused. */
FL_NODISCARD enum fl_status fl_session_load(const char *root, const char *name, uint32_t rate,
                                            uint64_t max_frames, uint32_t max_tracks,
                                            struct fl_session **out, char *err,
                                            size_t errlen);

/* Names of the sessions under root (directories with a manifest, valid
 * names, sorted), at most max; *count is the number written. */
FL_NODISCARD enum fl_status fl_session_list(const char *root,
                                            char (*names)[FL_SESSION_NAME_MAX + 1], size_t max,
                                            size_t *count, char *err, size_t errlen);

#endif
