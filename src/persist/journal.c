/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The journal writer thread: drains the FL_TAP_JOURNAL ring into the
 * journal file and syncs it every sync_ms.
 *
 * Why a polling thread rather than a wake-up from the process thread: the
 * process thread may not signal anything that can block, and a 10 ms poll
 * costs nothing next to 384 kB/s of audio. What is at risk after a crash
 * is bounded by: the ring's unread part (<= one poll, 10 ms, plus the
 * write time) for SIGKILL, and additionally everything since the last
 * fdatasync (<= sync_ms plus the fdatasync time) for a power cut.
 *
 * A gap (blocks the engine dropped because the ring was full, a write
 * error such as ENOSPC or EFBIG, a session load's FL_CMD_COMMIT, or an
 * input-chain effect under a track recording through it) means the journal can no longer replay past it:
 * the writer stops appending, keeps draining the ring so the engine never
 * notices, and reports that a checkpoint is needed. */
#include "persist/journal.h"

#include "core/log.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define POLL_NS 10000000L
#define PAYLOAD_MAX (64u * 1024u)

struct fl_journal {
	struct fl_journal_config cfg;
	struct fl_ring ring;
	pthread_t thread;
	bool started;
	_Atomic bool stop;
	bool clean;
	struct fl_journal_file *file; ///< writer thread's while it runs
	char path[320];
	uint64_t expect_frame;        ///< next audio frame (writer thread)
	uint32_t input_slots;         ///< writer thread: occupied input-chain slots
	uint32_t input_fx_tracks;     ///< writer thread: tracks recording through the input chain
	uint64_t last_sync_ms;
	_Atomic uint64_t bytes, records, synced_frame, gaps, write_errors;
	_Atomic bool writing;
	unsigned char payload[PAYLOAD_MAX];
};

static uint64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void
gap(struct fl_journal *j, uint64_t frame, const char *why)
{
	atomic_fetch_add(&j->gaps, 1);
	if (!atomic_load(&j->writing))
		return;
	atomic_store(&j->writing, false);
	fl_warn("journal: %s at frame %llu; the journal cannot replay across this gap and stops "
	        "here until a checkpoint restarts it (loops in memory are unaffected)",
	        why, (unsigned long long)frame);
}

static void
write_failed(struct fl_journal *j, uint64_t frame, int e)
{
	atomic_fetch_add(&j->write_errors, 1);
	char why[480];
	snprintf(why, sizeof why, "cannot write %s (%s)", j->path, strerror(e));
	gap(j, frame, why);
}

static void
append(struct fl_journal *j, uint32_t kind, const struct fl_tap_record *h, const void *p,
       uint32_t bytes)
{
	int e = 0;
	if (fl_journal_file_append(j->file, kind, h->frame, h->frames, h->channels, p, bytes, &e) !=
	    FL_OK) {
		write_failed(j, h->frame, e);
		return;
	}
	atomic_store_explicit(&j->bytes, fl_journal_file_bytes(j->file), memory_order_relaxed);
	atomic_fetch_add_explicit(&j->records, 1, memory_order_relaxed);
}

/* Effects change what is heard, not what is recorded, with one exception:
 * a track recording through the input chain (FL_CMD_TRACK_INPUT_FX) while
 * that chain holds an effect. Replay never has the effect objects, so that
 * combination is a gap; everything else about effects is skipped on
 * replay (the restored effects come from the configuration). Conservative:
 * the gap starts when the combination exists, whether or not the track
 * records through it yet. */
static enum fl_journal_replay_mode
fx_mode(struct fl_journal *j, const struct fl_cmd *c)
{
	bool input = c->track == FL_TARGET_INPUT;
	if (c->type == FL_CMD_FX_SLOT) {
		if (input && c->arg < 32u) {
			if (c->ptr)
				j->input_slots |= 1u << c->arg;
			else
				j->input_slots &= ~(1u << c->arg);
		}
	} else if (c->type == FL_CMD_TRACK_INPUT_FX) {
		if (c->track < 32u) {
			if (c->arg)
				j->input_fx_tracks |= 1u << c->track;
			else
				j->input_fx_tracks &= ~(1u << c->track);
		}
		return j->input_slots && j->input_fx_tracks ? FL_JOURNAL_GAP : FL_JOURNAL_REPLAY;
	} else if (c->type != FL_CMD_FX_PARAM && c->type != FL_CMD_FX_BYPASS) {
		return FL_JOURNAL_REPLAY;
	}
	if (input && j->input_slots && j->input_fx_tracks)
		return FL_JOURNAL_GAP;
	return FL_JOURNAL_SKIP;
}

static void
handle_cmd(struct fl_journal *j, const struct fl_tap_record *h)
{
	struct fl_cmd c;
	uint32_t extra = h->bytes - (uint32_t)sizeof c;
	if (h->bytes < sizeof c || extra > sizeof(struct fl_loop_desc)) {
		gap(j, h->frame, "a command record of an unexpected size");
		return;
	}
	memcpy(&c, j->payload, sizeof c);
	/* A master cycle travels whole (the engine copies the descriptor into
	 * the record); a committed loop's audio does not (session load). */
	enum fl_journal_replay_mode mode = fx_mode(j, &c);
	if (mode == FL_JOURNAL_REPLAY && c.ptr && c.type != FL_CMD_SET_CYCLE)
		mode = FL_JOURNAL_GAP;
	struct {
		struct fl_journal_disk_cmd d;
		unsigned char extra[sizeof(struct fl_loop_desc)];
	} rec = {{c.type, c.track, c.arg, c.value, mode, c.frame}, {0}};
	memcpy(rec.extra, j->payload + sizeof c, extra);
	append(j, FL_TAP_RECORD_CMD, h, &rec, (uint32_t)sizeof rec.d + extra);
	if (mode != FL_JOURNAL_GAP || !atomic_load(&j->writing))
		return;
	if (c.type == FL_CMD_COMMIT)
		gap(j, h->frame, "a session load replaced a loop");
	else if (c.type == FL_CMD_FX_SLOT || c.type == FL_CMD_FX_PARAM ||
	         c.type == FL_CMD_FX_BYPASS || c.type == FL_CMD_TRACK_INPUT_FX)
		gap(j, h->frame, "the input effect chain changed while a track records through it");
	else
		gap(j, h->frame, "a command carrying an object was applied");
}

static void
handle(struct fl_journal *j, const struct fl_tap_record *h)
{
	if (h->kind == FL_TAP_RECORD_AUDIO) {
		if (h->frame != j->expect_frame && atomic_load(&j->writing)) {
			char why[96];
			snprintf(why, sizeof why, "input blocks were dropped (%lld frames missing)",
			         (long long)(h->frame - j->expect_frame));
			gap(j, j->expect_frame, why);
		}
		j->expect_frame = h->frame + h->frames;
		if (atomic_load(&j->writing))
			append(j, FL_TAP_RECORD_AUDIO, h, j->payload, h->bytes);
	} else if (h->kind == FL_TAP_RECORD_CMD) {
		if (atomic_load(&j->writing))
			handle_cmd(j, h);
	}
}

/* Reads every whole record waiting in the ring. */
static void
drain(struct fl_journal *j)
{
	struct fl_tap_record h;
	while (fl_ring_avail(&j->ring) >= sizeof h) {
		if (!fl_ring_peek(&j->ring, &h, sizeof h) ||
		    fl_ring_avail(&j->ring) < sizeof h + h.bytes)
			return; /* records are written whole; wait for the rest */
		(void)fl_ring_read(&j->ring, &h, sizeof h);
		if (h.bytes > PAYLOAD_MAX) {
			/* Cannot happen with <= 256-frame segments; skip it safely. */
			for (uint32_t left = h.bytes; left;) {
				uint32_t n = left < PAYLOAD_MAX ? left : PAYLOAD_MAX;
				(void)fl_ring_read(&j->ring, j->payload, n);
				left -= n;
			}
			gap(j, h.frame, "an oversized tap record");
			continue;
		}
		(void)fl_ring_read(&j->ring, j->payload, h.bytes);
		handle(j, &h);
	}
}

static void
sync_now(struct fl_journal *j)
{
	if (!atomic_load(&j->writing))
		return;
	int e = 0;
	if (fl_journal_file_sync(j->file, &e) != FL_OK) {
		write_failed(j, j->expect_frame, e);
		return;
	}
	atomic_store(&j->synced_frame, j->expect_frame);
}

static void *
writer_main(void *arg)
{
	struct fl_journal *j = arg;
	const struct timespec poll = {0, POLL_NS};
	while (!atomic_load(&j->stop)) {
		drain(j);
		uint64_t t = now_ms();
		if (t - j->last_sync_ms >= j->cfg.sync_ms) {
			sync_now(j);
			j->last_sync_ms = t;
		}
		nanosleep(&poll, NULL);
	}
	drain(j);
	sync_now(j);
	return NULL;
}

enum fl_status
fl_journal_create(const struct fl_journal_config *cfg, struct fl_journal **out)
{
	*out = NULL;
	struct fl_journal *j = calloc(1, sizeof *j);
	if (!j)
		return FL_ERR_NOMEM;
	j->cfg = *cfg;
	if (!j->cfg.sync_ms)
		j->cfg.sync_ms = 500;
	double audio = (double)cfg->ring_seconds * cfg->sample_rate * FL_CHANNELS * sizeof(float);
	/* + a record header per 256-frame segment, + commands. */
	size_t size = (size_t)(audio * 1.1) + 64u * 1024u;
	enum fl_status st = fl_ring_init(&j->ring, size);
	if (st != FL_OK) {
		free(j);
		return st;
	}
	/* A file size limit must be a write error, not a kill. */
	signal(SIGXFSZ, SIG_IGN);
	*out = j;
	return FL_OK;
}

struct fl_ring *
fl_journal_ring(struct fl_journal *j)
{
	return &j->ring;
}

static enum fl_status
open_file(struct fl_journal *j, const struct fl_journal_header *h, const char *append_path,
          uint64_t append_end, char *err, size_t errlen)
{
	enum fl_status st;
	if (append_path) {
		snprintf(j->path, sizeof j->path, "%s", append_path);
		st = fl_journal_file_reopen(j->path, append_end, &j->file);
	} else {
		snprintf(j->path, sizeof j->path, "%s/journal-%u.fljr", j->cfg.dir, h->checkpoint);
		unlink(j->path); /* a stale one from before the checkpoint was taken */
		st = fl_journal_file_create(j->path, h, &j->file);
	}
	if (st != FL_OK)
		snprintf(err, errlen, "cannot open the journal '%s': %s", j->path, strerror(errno));
	return st;
}

enum fl_status
fl_journal_start(struct fl_journal *j, const struct fl_journal_header *h,
                 const char *append_path, uint64_t append_end, char *err, size_t errlen)
{
	enum fl_status st = open_file(j, h, append_path, append_end, err, errlen);
	if (st != FL_OK)
		return st;
	j->expect_frame = h->start_frame;
	j->input_slots = h->input_slots;
	j->input_fx_tracks = h->input_fx_tracks;
	j->last_sync_ms = now_ms();
	atomic_store(&j->synced_frame, h->start_frame);
	atomic_store(&j->bytes, fl_journal_file_bytes(j->file));
	atomic_store(&j->writing, true);
	atomic_store(&j->stop, false);
	if (pthread_create(&j->thread, NULL, writer_main, j) != 0) {
		snprintf(err, errlen, "cannot start the journal writer thread");
		fl_journal_file_close(j->file, false);
		j->file = NULL;
		return FL_ERR_NOMEM;
	}
	j->started = true;
	return FL_OK;
}

void
fl_journal_stop(struct fl_journal *j, bool clean)
{
	if (!j || !j->started)
		return;
	atomic_store(&j->stop, true);
	pthread_join(j->thread, NULL);
	j->started = false;
	/* A clean mark after a gap would hide nothing: the file ends either way. */
	fl_journal_file_close(j->file, clean && atomic_load(&j->writing));
	j->file = NULL;
}

void
fl_journal_free(struct fl_journal *j)
{
	if (!j)
		return;
	fl_journal_stop(j, false);
	fl_ring_destroy(&j->ring);
	free(j);
}

void
fl_journal_get_stats(const struct fl_journal *j, struct fl_journal_stats *st)
{
	st->bytes = atomic_load_explicit(&j->bytes, memory_order_relaxed);
	st->records = atomic_load_explicit(&j->records, memory_order_relaxed);
	st->synced_frame = atomic_load_explicit(&j->synced_frame, memory_order_relaxed);
	st->gaps = atomic_load_explicit(&j->gaps, memory_order_relaxed);
	st->write_errors = atomic_load_explicit(&j->write_errors, memory_order_relaxed);
	st->writing = atomic_load_explicit(&j->writing, memory_order_relaxed);
}

const char *
fl_journal_path(const struct fl_journal *j)
{
	return j->path;
}

static enum fl_status
mkdir_p(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int r = mkdir(path, 0700);
		*p = '/';
		if (r != 0 && errno != EEXIST)
			return FL_ERR_IO;
	}
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return FL_ERR_IO;
	return FL_OK;
}

enum fl_status
fl_journal_resolve_dir(const char *cfg_dir, char *out, size_t outlen, char *err, size_t errlen)
{
	const char *sd = getenv("STATE_DIRECTORY"), *xdg = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	int n;
	if (cfg_dir && *cfg_dir)
		n = snprintf(out, outlen, "%s", cfg_dir);
	else if (sd && *sd) /* systemd may list several, ':'-separated: take the first */
		n = snprintf(out, outlen, "%.*s/journal", (int)strcspn(sd, ":"), sd);
	else if (xdg && *xdg)
		n = snprintf(out, outlen, "%s/footloop/journal", xdg);
	else if (home && *home)
		n = snprintf(out, outlen, "%s/.local/state/footloop/journal", home);
	else
		n = snprintf(out, outlen, "/var/lib/footloop/journal");
	if (n < 0 || (size_t)n >= outlen) {
		snprintf(err, errlen, "journal directory path is too long");
		return FL_ERR_RANGE;
	}
	if (mkdir_p(out) != FL_OK) {
		snprintf(err, errlen, "cannot create the journal directory '%s': %s", out,
		         strerror(errno));
		return FL_ERR_IO;
	}
	return FL_OK;
}
