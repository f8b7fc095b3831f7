/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Journal compaction: checkpoints (docs/journal.md).
 *
 * A checkpoint is a session saved into <journal dir>/checkpoint-N (the
 * sessions format: manifest.txt + track-NN.wav) plus checkpoint-N.info
 * (the cycle grid frame its phases refer to). Once it is on disk the
 * journal switches to journal-N.fljr, which starts a pre-roll before the
 * switch frame C with the input of that pre-roll (so that a restore
 * rebuilds the engine's input history while the loops settle), and the
 * older journals and checkpoints are deleted. Restore = load the newest
 * checkpoint at the journal's start frame, then replay the journal.
 *
 * When: nothing records, overdubs, is armed, closing, leased or pinned, no
 * panic, no session operation, the state has been quiet (no state command)
 * for the pre-roll plus a margin, and either checkpoint_minutes have passed
 * since the last one or a gap (session load, dropped input, write error)
 * asks for one as soon as possible.
 *
 * Steps (control thread): PIN every loop -> FL_EV_PINNED -> snapshot the
 * status into a manifest at frame T -> the disk worker writes the session
 * (fl_session_save) -> write the .info -> fl_journal_switch(quiet since T)
 * -> the writer switches at the next input block -> UNPIN, delete the
 * old files. A refused switch deletes the new checkpoint and tries again
 * later; loops are never touched.
 *
 * Not restored from a checkpoint: undo levels below each loop (the format
 * keeps the current loop only), effect state (from the configuration at
 * restart, as with the journal alone). Control thread only, except
 * fl_checkpoint_restore (setup thread, before JACK). */
#ifndef FL_PERSIST_CHECKPOINT_H
#define FL_PERSIST_CHECKPOINT_H

#include "footloop/engine.h"
#include "persist/journal.h"
#include "persist/manifest.h"
#include "persist/session.h"
#include "persist/worker.h"

#include <stdbool.h>
#include <stdint.h>

enum fl_checkpoint_state {
	FL_CKPT_IDLE = 0,
	FL_CKPT_PINNING,   ///< waiting for FL_EV_PINNED
	FL_CKPT_SAVING,    ///< the worker writes the session
	FL_CKPT_SWITCHING, ///< waiting for the journal writer
};

struct fl_checkpoint {
	struct fl_engine *engine;   ///< borrowed
	struct fl_journal *journal; ///< borrowed
	struct fl_worker *worker;   ///< borrowed
	char dir[256];
	struct fl_engine_config cfg; ///< the engine's (rate, tracks, history)
	uint64_t interval_ms;
	uint64_t preroll_frames;
	uint32_t next;               ///< N of the next checkpoint
	enum fl_checkpoint_state state;
	bool wanted;                 ///< a gap or a load asks for one soon
	uint64_t last_ms;            ///< when the last one finished (or started up)
	uint64_t now_ms;             ///< the last tick's clock
	uint64_t retry_at_ms;        ///< no attempt before (after a refusal)
	uint64_t pinned;             ///< tracks pinned by us (bit t)
	uint64_t waiting;            ///< PINNED answers still due
	uint64_t snap_frame;         ///< T
	struct fl_manifest *man;
	struct fl_region region[FL_MAX_TRACKS];
	struct fl_engine_status snap;
	uint64_t gaps_seen;
	uint32_t done, refused;      ///< counters (tests, logs)
};

/* next: N of the first checkpoint (one more than the journal's). */
void fl_checkpoint_init(struct fl_checkpoint *c, struct fl_engine *e, struct fl_journal *j,
                        struct fl_worker *w, const char *dir, const struct fl_engine_config *cfg,
                        float interval_minutes, uint32_t next, uint64_t now_ms);
/* Releases pins and memory; call after fl_worker_drain. */
void fl_checkpoint_fini(struct fl_checkpoint *c);

/* On every control tick: starts a checkpoint when one is due and allowed
 * (may_start: false while a session save or load holds tracks: their pins
 * must not mix), and moves one in progress along. */
void fl_checkpoint_tick(struct fl_checkpoint *c, uint64_t now_ms, bool may_start);
/* Feeds an engine event; true when it was ours (FL_EV_PINNED while pinning). */
bool fl_checkpoint_event(struct fl_checkpoint *c, const struct fl_event *ev);
/* Asks for a checkpoint as soon as allowed (after a session load). */
void fl_checkpoint_want(struct fl_checkpoint *c);

/* Restore: loads checkpoint-n from dir into e, whose clock is at frame
 * (the journal's start), with every loop's phase as saved, and pins the
 * loops as they were when it was taken (the journal unpins them). FL_ERR_*
 * with a sentence in err. */
FL_NODISCARD enum fl_status fl_checkpoint_restore(struct fl_engine *e,
                                                  const struct fl_engine_config *cfg,
                                                  const char *dir, uint32_t n, char *err,
                                                  size_t errlen);

/* Deletes checkpoint-M (directory and .info) and journal-M.fljr for every
 * M < keep (keep = 0: all of them); .corrupt-* files stay. */
void fl_checkpoint_remove_older(const char *dir, uint32_t keep);

#endif
