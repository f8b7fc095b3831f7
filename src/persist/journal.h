/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The continuous journal: crash and power-cut safety (docs/journal.md).
 *
 * The engine's FL_TAP_JOURNAL tap copies the dry input and every applied
 * command into a lock-free ring (struct fl_ring); a writer thread owned
 * here drains the ring into <dir>/journal-<checkpoint>.fljr and calls
 * fdatasync every sync_ms. Replaying the file's input and commands through
 * fl_engine_process() from the state it starts at re-creates every loop bit
 * for bit (journal_replay.c).
 *
 * File format (version 1, native little-endian, both on x86-64 and ARM):
 *   header: struct fl_journal_disk_header (magic "FLJRNL01", crc32)
 *   records: struct fl_journal_disk_rec (magic 'FLRC', crc32 over the
 *            record header with crc = 0 and the payload) + payload:
 *     FL_TAP_RECORD_AUDIO: frames x 2 interleaved floats (dry input)
 *     FL_TAP_RECORD_CMD:   struct fl_journal_disk_cmd (the command as applied)
 *     FL_JOURNAL_REC_CLEAN: footloop shut down cleanly here (nothing to restore)
 * A torn last record (power cut mid-write) reads as FL_JOURNAL_TRUNCATED,
 * garbage before the end as FL_JOURNAL_CORRUPT; audio records must follow
 * each other without a hole (a hole is a gap the journal cannot replay).
 *
 * Threads: fl_journal_create/start/stop/free on the setup or control
 * thread; the ring's producer is the process thread (inside the engine);
 * everything else in here runs on the writer thread. Never RT. */
#ifndef FL_PERSIST_JOURNAL_H
#define FL_PERSIST_JOURNAL_H

#include "core/ring.h"
#include "footloop/attributes.h"
#include "footloop/engine.h"
#include "footloop/status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define FL_JOURNAL_MAGIC "FLJRNL01"
#define FL_JOURNAL_VERSION 1u
#define FL_JOURNAL_REC_MAGIC 0x43524c46u /* "FLRC" */
#define FL_JOURNAL_REC_CLEAN 100u        ///< record kind: clean shutdown marker
#define FL_JOURNAL_MAX_FRAMES 4096u      ///< largest audio record accepted when reading

/* The engine configuration and clock a journal starts from. */
struct fl_journal_header {
	struct fl_engine_config engine; ///< sample_rate and n_tracks included
	uint64_t start_frame;           ///< engine frame of the first record (the checkpoint's)
	uint32_t checkpoint;            ///< N of <dir>/checkpoint-N it starts from; 0 = an empty engine
	char version[32];               ///< footloop version that wrote it
	/* Not on disk: the effect state the writer starts from, to decide
	 * whether an input-chain change is a gap (see journal.c). */
	uint32_t input_slots;           ///< bit s: input chain slot s holds an effect
	uint32_t input_fx_tracks;       ///< bit t: track t records through the input chain
};

/* On-disk layouts (fixed sizes, checked by static asserts in journal.c). */
struct fl_journal_disk_header {
	char magic[8];
	uint32_t version;
	uint32_t header_bytes;
	uint64_t start_frame;
	uint32_t checkpoint;
	uint32_t sample_rate;
	uint32_t n_tracks;
	float track_seconds, fade_ms, seam_ms, late_window_ms, smooth_ms, history_seconds;
	uint32_t quantize;
	uint32_t monitor;
	float monitor_level, master_level;
	uint32_t latency_frames;
	char footloop_version[32];
	uint32_t flags;       ///< bit 0: engine.limiter
	uint32_t reserved[2]; ///< zero
	uint32_t crc;
};

struct fl_journal_disk_rec {
	uint32_t magic;
	uint32_t kind; ///< enum fl_tap_record_kind or FL_JOURNAL_REC_CLEAN
	uint64_t frame;
	uint32_t frames;
	uint32_t channels;
	uint32_t bytes; ///< payload bytes
	uint32_t crc;
};

/* A command without its pointer (pointer contents are never journaled). */
struct fl_journal_disk_cmd {
	uint16_t type, track;
	uint32_t arg;
	float value;
	uint32_t has_ptr; ///< enum fl_journal_replay_mode (the name is historical)
	uint64_t frame;
};

/* What replay does with a journaled command. */
enum fl_journal_replay_mode {
	FL_JOURNAL_REPLAY = 0, ///< applied as recorded
	FL_JOURNAL_GAP = 1,    ///< carried an object the journal cannot record: replay stops
	FL_JOURNAL_SKIP = 2,   ///< an effect change: alters what is heard, not what is recorded
};

/* ---- file level: writer (one thread) ---- */
struct fl_journal_file;

/* Creates path (O_EXCL: never overwrites), writes and syncs the header. */
FL_NODISCARD enum fl_status fl_journal_file_create(const char *path,
                                                   const struct fl_journal_header *h,
                                                   struct fl_journal_file **out);
/* Opens an existing journal to append after byte offset end (the end of
 * its last good record: a torn tail is cut off first). */
FL_NODISCARD enum fl_status fl_journal_file_reopen(const char *path, uint64_t end,
                                                   struct fl_journal_file **out);
/* Appends one record (buffered). FL_ERR_IO on a write error: errno of the
 * failure in *err_no, the file is cut back to its last whole record and
 * every later append fails until fl_journal_file_close(). */
FL_NODISCARD enum fl_status fl_journal_file_append(struct fl_journal_file *f, uint32_t kind,
                                                   uint64_t frame, uint32_t frames,
                                                   uint32_t channels, const void *payload,
                                                   uint32_t bytes, int *err_no);
/* Writes the buffer out and fdatasyncs. */
FL_NODISCARD enum fl_status fl_journal_file_sync(struct fl_journal_file *f, int *err_no);
/* Bytes of whole records written (header included). */
uint64_t fl_journal_file_bytes(const struct fl_journal_file *f);
/* Appends a clean-shutdown marker when clean, syncs, closes; NULL no-op. */
void fl_journal_file_close(struct fl_journal_file *f, bool clean);

/* ---- file level: reader ---- */
enum fl_journal_read {
	FL_JOURNAL_RECORD = 0, ///< *rec and payload filled
	FL_JOURNAL_END,        ///< clean end of file
	FL_JOURNAL_TRUNCATED,  ///< a partial last record (ignored)
	FL_JOURNAL_CORRUPT,    ///< a bad record before the end of the file
};

struct fl_journal_reader {
	FILE *f;
	uint64_t offset;    ///< byte offset after the last good record
	uint64_t file_bytes;
	struct fl_journal_header header;
};

/* FL_ERR_IO (cannot open) or FL_ERR_FORMAT (not a journal, other version,
 * bad header crc) with a sentence in err naming the file. */
FL_NODISCARD enum fl_status fl_journal_reader_open(struct fl_journal_reader *r, const char *path,
                                                   char *err, size_t errlen);
/* Reads the next record; payload must hold cap bytes (a bigger record is
 * FL_JOURNAL_CORRUPT). */
enum fl_journal_read fl_journal_reader_next(struct fl_journal_reader *r,
                                            struct fl_journal_disk_rec *rec, void *payload,
                                            uint32_t cap);
void fl_journal_reader_close(struct fl_journal_reader *r);

/* ---- the writer thread ---- */
struct fl_journal_config {
	char dir[256];
	uint32_t sample_rate;
	float ring_seconds;
	uint32_t sync_ms;
	float preroll_seconds; ///< input kept for a checkpoint's pre-roll (the engine's history_seconds)
};

/* Counters, readable from any thread (relaxed). */
struct fl_journal_stats {
	uint64_t bytes;         ///< written to the current file
	uint64_t records;
	uint64_t synced_frame;  ///< every input frame before it is on disk
	uint64_t gaps;          ///< holes (dropped blocks, write errors, unreplayable commands)
	uint64_t write_errors;
	bool writing;           ///< false after a gap until the journal restarts
};

struct fl_journal;

/* Allocates the tap ring (ring_seconds of stereo input plus room for
 * commands) and ignores SIGXFSZ so that a file size limit is a write error
 * (EFBIG), not a kill. Setup thread. */
FL_NODISCARD enum fl_status fl_journal_create(const struct fl_journal_config *cfg,
                                              struct fl_journal **out);
void fl_journal_free(struct fl_journal *j);
/* The ring to hand to fl_engine_add_tap(FL_TAP_JOURNAL). */
struct fl_ring *fl_journal_ring(struct fl_journal *j);
/* Starts the writer on a new file <dir>/journal-<h->checkpoint>.fljr (or,
 * when append_path is set, appending to that file after byte append_end),
 * expecting the first audio record at h->start_frame. */
FL_NODISCARD enum fl_status fl_journal_start(struct fl_journal *j,
                                             const struct fl_journal_header *h,
                                             const char *append_path, uint64_t append_end,
                                             char *err, size_t errlen);
/* Drains the ring, marks a clean shutdown when clean, syncs and joins the
 * writer. Call after the engine stopped processing. */
void fl_journal_stop(struct fl_journal *j, bool clean);
void fl_journal_get_stats(const struct fl_journal *j, struct fl_journal_stats *st);
/* Path of the current file ("" before start). */
const char *fl_journal_path(const struct fl_journal *j);

/* ---- checkpoints (checkpoint.h drives these; control thread) ----
 * A command that changes loops or their mix: everything but PIN/UNPIN,
 * TAP, LIMITER and the effect commands replay skips. Any thread. */
bool fl_journal_cmd_neutral(uint16_t type);
/* Engine frame of the last such command the writer has seen (UINT64_MAX:
 * none yet). Any thread. */
uint64_t fl_journal_last_cmd_frame(const struct fl_journal *j);
/* Asks the writer to start <dir>/journal-<h->checkpoint>.fljr at the next
 * input block at or after not_before, at frame C: the file begins preroll_frames before C with
 * the input kept from then (no command), so that replay can rebuild the
 * engine's input history while the checkpoint's loops settle. Refused by
 * the writer unless no state command was applied at or after quiet_since
 * nor inside the pre-roll. The old file is closed (never marked clean);
 * the caller deletes it when the switch is done. A switch also ends a gap.
 * FL_ERR_BUSY while one is pending, FL_ERR_RANGE for a pre-roll longer
 * than the kept input. */
FL_NODISCARD enum fl_status fl_journal_switch(struct fl_journal *j,
                                              const struct fl_journal_header *h,
                                              uint64_t quiet_since, uint64_t not_before,
                                              uint64_t preroll_frames);
/* 0: pending (or none asked); 1: done; -1: refused (err says why). Reading
 * a result clears it. */
int fl_journal_switch_result(struct fl_journal *j, char *err, size_t errlen);

/* Resolves the journal directory: cfg_dir, else $STATE_DIRECTORY/journal,
 * else $XDG_STATE_HOME/footloop/journal, else ~/.local/state/footloop/journal;
 * creates it (mode 0700 parents). */
FL_NODISCARD enum fl_status fl_journal_resolve_dir(const char *cfg_dir, char *out, size_t outlen,
                                                   char *err, size_t errlen);

uint32_t fl_journal_crc32(uint32_t crc, const void *data, size_t n);

#endif
