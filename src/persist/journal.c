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
#define PREROLL_CHUNK 256u

enum sw_state { SW_NONE = 0, SW_REQUESTED, SW_DONE, SW_FAILED };

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
	/* Checkpoint support (writer thread unless atomic): the last input
	 * frames, contiguous, for the next file's pre-roll, and the frame of
	 * the last command that changes loops or their mix. */
	float *pre;                   ///< pre_cap stereo frames, a ring indexed by frame
	uint64_t pre_cap, pre_frames; ///< capacity; valid frames ending at expect_frame
	_Atomic uint64_t last_cmd_frame; ///< UINT64_MAX: none yet
	_Atomic int sw_state;         ///< enum sw_state
	struct fl_journal_header sw_header; ///< control thread writes it before SW_REQUESTED
	uint64_t sw_quiet_since;      ///< no state command may be at or after this frame
	uint64_t sw_not_before;       ///< the switch frame is at least this (the snapshot's)
	uint64_t sw_preroll;
	char sw_err[480];
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
	if (!fl_journal_cmd_neutral(c.type) && mode != FL_JOURNAL_SKIP)
		atomic_store(&j->last_cmd_frame, h->frame);
	if (!atomic_load(&j->writing))
		return;
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

bool
fl_journal_cmd_neutral(uint16_t type)
{
	switch (type) {
	case FL_CMD_PIN:
	case FL_CMD_UNPIN:
	case FL_CMD_TAP:
	case FL_CMD_LIMITER:
	case FL_CMD_FX_SLOT:
	case FL_CMD_FX_PARAM:
	case FL_CMD_FX_BYPASS:
		return true;
	default:
		return false;
	}
}

/* Keeps the newest pre_cap input frames (a hole starts them again). */
static void
keep_preroll(struct fl_journal *j, const struct fl_tap_record *h)
{
	if (!j->pre || h->channels != FL_CHANNELS)
		return;
	if (h->frame != j->expect_frame)
		j->pre_frames = 0;
	const float *p = (const float *)(const void *)j->payload;
	for (uint32_t i = 0; i < h->frames; i++) {
		uint64_t k = (h->frame + i) % j->pre_cap;
		j->pre[2 * k] = p[2 * i];
		j->pre[2 * k + 1] = p[2 * i + 1];
	}
	j->pre_frames = j->pre_frames + h->frames > j->pre_cap ? j->pre_cap
	                                                      : j->pre_frames + h->frames;
}

static bool
write_preroll(struct fl_journal *j, struct fl_journal_file *f, uint64_t from, uint64_t to,
              int *e)
{
	float buf[2 * PREROLL_CHUNK];
	for (uint64_t t = from; t < to; t += PREROLL_CHUNK) {
		uint32_t n = to - t < PREROLL_CHUNK ? (uint32_t)(to - t) : PREROLL_CHUNK;
		for (uint32_t i = 0; i < n; i++) {
			uint64_t k = (t + i) % j->pre_cap;
			buf[2 * i] = j->pre[2 * k];
			buf[2 * i + 1] = j->pre[2 * k + 1];
		}
		if (fl_journal_file_append(f, FL_TAP_RECORD_AUDIO, t, n, FL_CHANNELS, buf,
		                           n * FL_CHANNELS * (uint32_t)sizeof(float), e) != FL_OK)
			return false;
	}
	return fl_journal_file_sync(f, e) == FL_OK;
}

static void
switch_failed(struct fl_journal *j, const char *why)
{
	snprintf(j->sw_err, sizeof j->sw_err, "%s", why);
	atomic_store_explicit(&j->sw_state, SW_FAILED, memory_order_release);
}

/* At the audio record starting at frame c: the new file starts sw_preroll
 * frames earlier with that input and no command, so nothing may have
 * changed the state since the checkpoint's snapshot nor inside the
 * pre-roll. */
static void
try_switch(struct fl_journal *j, uint64_t c)
{
	if (c < j->sw_not_before)
		return; /* the writer is behind the snapshot: every command before C must be seen */
	uint64_t last = atomic_load(&j->last_cmd_frame);
	uint64_t s = c - j->sw_preroll;
	if (c != j->expect_frame || j->pre_frames < j->sw_preroll || c < j->sw_preroll) {
		char why[160];
		snprintf(why, sizeof why, "not enough contiguous input for the pre-roll (%llu of %llu "
		         "frames)", (unsigned long long)j->pre_frames, (unsigned long long)j->sw_preroll);
		switch_failed(j, why);
		return;
	}
	if (last != UINT64_MAX && (last >= j->sw_quiet_since || last >= s)) {
		switch_failed(j, "a command changed the state during the checkpoint");
		return;
	}
	if (j->input_slots && j->input_fx_tracks) { /* replay has no effect objects */
		switch_failed(j, "a track records through the input effect chain, which a restore "
		                 "cannot rebuild");
		return;
	}
	struct fl_journal_header h = j->sw_header;
	h.start_frame = s;
	char path[sizeof j->path];
	snprintf(path, sizeof path, "%s/journal-%u.fljr", j->cfg.dir, h.checkpoint);
	unlink(path);
	struct fl_journal_file *f = NULL;
	int e = 0;
	if (fl_journal_file_create(path, &h, &f) != FL_OK || !write_preroll(j, f, s, c, &e)) {
		char why[400];
		snprintf(why, sizeof why, "cannot write %s (%s)", path, strerror(e ? e : errno));
		fl_journal_file_close(f, false);
		unlink(path);
		switch_failed(j, why);
		return;
	}
	fl_journal_file_close(j->file, false); /* the old one: superseded, never clean */
	j->file = f;
	snprintf(j->path, sizeof j->path, "%s", path);
	atomic_store(&j->bytes, fl_journal_file_bytes(f));
	atomic_store(&j->synced_frame, c);
	atomic_store(&j->writing, true); /* a checkpoint ends a gap */
	atomic_store_explicit(&j->sw_state, SW_DONE, memory_order_release);
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
		if (atomic_load_explicit(&j->sw_state, memory_order_acquire) == SW_REQUESTED)
			try_switch(j, h->frame);
		keep_preroll(j, h);
		j->expect_frame = h->frame + h->frames;
		if (atomic_load(&j->writing))
			append(j, FL_TAP_RECORD_AUDIO, h, j->payload, h->bytes);
	} else if (h->kind == FL_TAP_RECORD_CMD) {
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
	/* The pre-roll of a checkpoint's journal: the engine's input history
	 * (history_seconds, at most a few seconds) plus room for one block. */
	float hist = cfg->preroll_seconds > 0.0f ? cfg->preroll_seconds : 0.0f;
	j->pre_cap = (uint64_t)(hist * (float)cfg->sample_rate) + 8192u;
	j->pre = calloc(j->pre_cap * FL_CHANNELS, sizeof(float));
	atomic_store(&j->last_cmd_frame, UINT64_MAX);
	if (!j->pre) {
		fl_ring_destroy(&j->ring);
		free(j);
		return FL_ERR_NOMEM;
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
	/* The pre-roll of a checkpoint starts here at the earliest. */
	atomic_store(&j->last_cmd_frame, h->start_frame);
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
	free(j->pre);
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

uint64_t
fl_journal_last_cmd_frame(const struct fl_journal *j)
{
	return atomic_load(&j->last_cmd_frame);
}

enum fl_status
fl_journal_switch(struct fl_journal *j, const struct fl_journal_header *h, uint64_t quiet_since,
                  uint64_t not_before, uint64_t preroll_frames)
{
	int st = atomic_load_explicit(&j->sw_state, memory_order_acquire);
	if (st == SW_REQUESTED || !j->started)
		return FL_ERR_BUSY;
	if (preroll_frames + 4096u > j->pre_cap)
		return FL_ERR_RANGE;
	j->sw_header = *h;
	j->sw_quiet_since = quiet_since;
	j->sw_not_before = not_before;
	j->sw_preroll = preroll_frames;
	j->sw_err[0] = '\0';
	atomic_store_explicit(&j->sw_state, SW_REQUESTED, memory_order_release);
	return FL_OK;
}

int
fl_journal_switch_result(struct fl_journal *j, char *err, size_t errlen)
{
	int st = atomic_load_explicit(&j->sw_state, memory_order_acquire);
	if (st == SW_REQUESTED)
		return 0;
	if (st == SW_FAILED)
		snprintf(err, errlen, "%s", j->sw_err);
	atomic_store(&j->sw_state, SW_NONE);
	return st == SW_DONE ? 1 : st == SW_FAILED ? -1 : 0;
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
