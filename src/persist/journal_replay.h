/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Crash restore: finding the journal left by a run that did not shut down
 * cleanly and replaying it into a fresh engine before JACK is activated.
 *
 * Replay feeds the journal's dry input and commands through
 * fl_engine_process() exactly at their frames (output discarded): the
 * engine is deterministic and block-size independent, so every loop comes
 * back bit for bit. It stops at the first thing it cannot replay (a torn or
 * damaged record, a hole in the input, a command that carried an object)
 * and says so. Setup thread only, before the engine runs live. */
#ifndef FL_PERSIST_JOURNAL_REPLAY_H
#define FL_PERSIST_JOURNAL_REPLAY_H

#include "footloop/engine.h"
#include "persist/journal.h"

#include <stdbool.h>
#include <stddef.h>

/* What a replay did. */
struct fl_journal_replayed {
	uint64_t start_frame, end_frame; ///< engine frames replayed: [start, end)
	uint64_t commands;               ///< commands applied
	uint64_t end_offset;             ///< byte offset after the last record used
	bool clean;                      ///< the journal ends with a clean-shutdown mark
	bool truncated;                  ///< a torn last record was ignored
	bool corrupt;                    ///< damage before the end: replay stopped there
	bool gap;                        ///< a hole or an unreplayable command: stopped there
	double wall_seconds;             ///< time the replay took
};

/* Replays r (opened, positioned after the header) into e, whose clock must
 * be at r->header.start_frame. */
FL_NODISCARD enum fl_status fl_journal_replay(struct fl_engine *e, struct fl_journal_reader *r,
                                              struct fl_journal_replayed *out);

/* Finds the newest <dir>/journal-N.fljr; false when there is none. */
bool fl_journal_find(const char *dir, char *path, size_t pathlen);

/* Renames a journal that cannot be used to <path>.corrupt-<unix time> and
 * logs why; never fails startup. */
void fl_journal_set_aside(const char *path, const char *why);

/* Start-up: restores the journal left in dir by a run that did not shut
 * down cleanly (creating *engine with the journal's configuration, which
 * is then copied into *cfg; *cfg
 * when there is none, when it ends with a clean-shutdown mark, or when it
 * was recorded at another rate than cfg->sample_rate), then registers the
 * FL_TAP_JOURNAL tap, queues its FL_CMD_TAP and starts the writer: a new
 * file, or the old one continued after its last replayed record. Logs what
 * was restored. A journal that cannot be used is renamed aside; only an
 * engine or journal that cannot be created is an error. Setup thread,
 * before JACK is activated. */
struct fl_journal_boot_info {
	bool restored;
	uint32_t loops;                  ///< tracks holding a loop after the replay
	uint32_t checkpoint;             ///< N of the journal in use (its checkpoint-N; 0 none)
	struct fl_journal_replayed replayed;
};
FL_NODISCARD enum fl_status fl_journal_boot(const char *dir, struct fl_engine_config *cfg,
                                            float ring_seconds, uint32_t sync_ms,
                                            struct fl_engine **engine,
                                            struct fl_journal **journal,
                                            struct fl_journal_boot_info *info, char *err,
                                            size_t errlen);

#endif
