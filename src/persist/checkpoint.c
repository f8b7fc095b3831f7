/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Journal checkpoints (see checkpoint.h).
 *
 * Why a quiet period and not an exact frame: the published status is not
 * tied to a frame, so the snapshot is only trusted when no state command
 * was applied since well before it (the journal writer, which sees every
 * applied command with its frame, makes the final check at the switch).
 * Why a pre-roll: the engine keeps history_seconds of input for latency
 * compensation and late presses; the new journal carries that input so
 * that a restored engine has the same history, and the restored loops,
 * committed at the start of the pre-roll, have finished their fades and
 * level ramps by the switch frame. */
#include "persist/checkpoint.h"

#include "core/log.h"
#include "core/version.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK_SLACK 8192u     ///< frames: larger than any process block
#define RETRY_MS 5000u        ///< after a refused or failed checkpoint

struct ckpt_job {
	struct fl_job job;
	struct fl_checkpoint *c;
	char dir[256];
	char name[FL_SESSION_NAME_MAX + 1];
	struct fl_manifest *man;
	struct fl_region region[FL_MAX_TRACKS];
	uint64_t grid;
	enum fl_status st;
	char err[700];
};

static void
send(struct fl_engine *e, uint16_t type, uint32_t t, uint32_t arg, void *ptr)
{
	struct fl_cmd cmd = {.type = type, .track = (uint16_t)t, .arg = arg, .ptr = ptr};
	if (fl_engine_send(e, &cmd) != FL_OK) {
		fl_error("checkpoint: engine command queue full (command %u, track %u)", type, t + 1);
		free(ptr);
	}
}

void
fl_checkpoint_init(struct fl_checkpoint *c, struct fl_engine *e, struct fl_journal *j,
                   struct fl_worker *w, const char *dir, const struct fl_engine_config *cfg,
                   float interval_minutes, uint32_t next, uint64_t now_ms)
{
	memset(c, 0, sizeof *c);
	c->engine = e;
	c->journal = j;
	c->worker = w;
	snprintf(c->dir, sizeof c->dir, "%s", dir);
	c->cfg = *cfg;
	c->interval_ms = (uint64_t)(interval_minutes * 60000.0f);
	c->preroll_frames = (uint64_t)(cfg->history_seconds * (float)cfg->sample_rate) + 1024u;
	c->next = next ? next : 1;
	c->last_ms = now_ms;
	struct fl_journal_stats st;
	fl_journal_get_stats(j, &st);
	c->gaps_seen = st.gaps;
}

static void
unpin_all(struct fl_checkpoint *c)
{
	for (uint32_t t = 0; t < FL_MAX_TRACKS; t++)
		if (c->pinned & (1ull << t))
			send(c->engine, FL_CMD_UNPIN, t, 0, NULL);
	c->pinned = c->waiting = 0;
}

void
fl_checkpoint_fini(struct fl_checkpoint *c)
{
	unpin_all(c);
	free(c->man);
	c->man = NULL;
	c->state = FL_CKPT_IDLE;
}

void
fl_checkpoint_want(struct fl_checkpoint *c)
{
	c->wanted = true;
}

/* Everything settled: no take in progress, no lease or pin, no panic. */
static bool
settled(const struct fl_engine_status *es, const struct fl_track_status *ts)
{
	if (es->panic)
		return false;
	for (uint32_t t = 0; t < es->n_tracks && t < FL_MAX_TRACKS; t++) {
		uint32_t s = ts[t].state;
		if (s == FL_TRACK_ARMED || s == FL_TRACK_RECORDING || s == FL_TRACK_OVERDUBBING ||
		    ts[t].closing || ts[t].leased || ts[t].pinned)
			return false;
	}
	return true;
}

static bool
due(struct fl_checkpoint *c, uint64_t now_ms)
{
	struct fl_journal_stats st;
	fl_journal_get_stats(c->journal, &st);
	if (st.gaps != c->gaps_seen) { /* a gap: only a checkpoint restarts the journal */
		c->gaps_seen = st.gaps;
		c->wanted = true;
	}
	return c->wanted || now_ms - c->last_ms >= c->interval_ms;
}

static void
start(struct fl_checkpoint *c, uint64_t now_ms)
{
	if (now_ms < c->retry_at_ms || !due(c, now_ms))
		return;
	struct fl_engine_status es;
	struct fl_track_status ts[FL_MAX_TRACKS];
	fl_engine_get_status(c->engine, &es, ts, FL_MAX_TRACKS);
	uint64_t last = fl_journal_last_cmd_frame(c->journal);
	uint64_t quiet = c->preroll_frames + BLOCK_SLACK + c->cfg.sample_rate / 2u;
	if (!settled(&es, ts) || (last != UINT64_MAX && es.frame < last + quiet))
		return;
	memset(c->region, 0, sizeof c->region);
	for (uint32_t t = 0; t < es.n_tracks && t < FL_MAX_TRACKS; t++) {
		if (ts[t].length_frames == 0)
			continue;
		c->pinned |= 1ull << t;
		c->waiting |= 1ull << t;
		send(c->engine, FL_CMD_PIN, t, 0, NULL);
	}
	c->state = FL_CKPT_PINNING;
}

bool
fl_checkpoint_event(struct fl_checkpoint *c, const struct fl_event *ev)
{
	if (ev->type != FL_EV_PINNED || c->state != FL_CKPT_PINNING || ev->track >= FL_MAX_TRACKS ||
	    !(c->waiting & (1ull << ev->track)))
		return false;
	c->waiting &= ~(1ull << ev->track);
	float *mem;
	uint64_t cap;
	fl_engine_track_memory(c->engine, ev->track, &mem, &cap);
	c->region[ev->track] = (struct fl_region){mem, cap, ev->frame, ev->arg};
	return true;
}

/* Nothing changes for the loops; the next attempt waits a little (each
 * one writes every loop to disk). */
static void
cleanup_failed(struct fl_checkpoint *c)
{
	unpin_all(c);
	c->state = FL_CKPT_IDLE;
	c->retry_at_ms = c->now_ms + RETRY_MS;
	c->refused++;
}

/* Writes <dir>/checkpoint-N.info atomically. Worker thread. */
static enum fl_status
write_info(const char *dir, const char *name, uint64_t grid, char *err, size_t errlen)
{
	char path[400], tmp[420];
	snprintf(path, sizeof path, "%s/%s.info", dir, name);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "we");
	bool ok = f && fprintf(f, "footloop-checkpoint 1\ngrid %llu\n", (unsigned long long)grid) > 0;
	ok = ok && fflush(f) == 0 && fdatasync(fileno(f)) == 0;
	if (f && fclose(f) != 0)
		ok = false;
	if (ok && rename(tmp, path) == 0)
		return FL_OK;
	snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
	unlink(tmp);
	return FL_ERR_IO;
}

static void
job_run(struct fl_job *job)
{
	struct ckpt_job *k = (struct ckpt_job *)job;
	k->st = fl_session_save(k->dir, k->name, k->man, k->region, k->err, sizeof k->err);
	if (k->st == FL_OK)
		k->st = write_info(k->dir, k->name, k->grid, k->err, sizeof k->err);
}

static void remove_one(const char *dir, uint32_t n);

static void
job_done(struct fl_job *job)
{
	struct ckpt_job *k = (struct ckpt_job *)job;
	struct fl_checkpoint *c = k->c;
	free(k->man);
	if (k->st != FL_OK) {
		fl_warn("journal checkpoint %u not taken: %s (loops unaffected)", c->next, k->err);
		remove_one(c->dir, c->next);
		cleanup_failed(c);
		free(k);
		return;
	}
	free(k);
	struct fl_journal_header h = {.engine = c->cfg, .checkpoint = c->next};
	h.engine.master_level = c->snap.master_level;
	h.engine.monitor_level = c->snap.monitor_level;
	h.engine.monitor = c->snap.monitor;
	h.engine.latency_frames = c->snap.latency_frames;
	snprintf(h.version, sizeof h.version, "%s", fl_version());
	uint64_t quiet = c->snap_frame > BLOCK_SLACK ? c->snap_frame - BLOCK_SLACK : 0;
	if (fl_journal_switch(c->journal, &h, quiet, c->snap_frame, c->preroll_frames) != FL_OK) {
		fl_warn("journal checkpoint %u: the journal cannot switch now", c->next);
		remove_one(c->dir, c->next);
		cleanup_failed(c);
		return;
	}
	c->state = FL_CKPT_SWITCHING;
}

/* All pins answered: the manifest from the status, then the disk. */
static void
save(struct fl_checkpoint *c)
{
	struct ckpt_job *k = calloc(1, sizeof *k);
	struct fl_manifest *m = malloc(sizeof *m);
	if (!k || !m) {
		free(k);
		free(m);
		cleanup_failed(c);
		return;
	}
	c->snap_frame = fl_engine_frame(c->engine); /* before the status: see the header */
	struct fl_track_status ts[FL_MAX_TRACKS];
	fl_engine_get_status(c->engine, &c->snap, ts, FL_MAX_TRACKS);
	fl_manifest_init(m, c->snap.sample_rate, c->snap.n_tracks);
	m->cycle_frames = c->snap.cycle_frames;
	uint64_t grid = c->snap.cycle_frames ? c->snap.cycle_origin : 0;
	for (uint32_t t = 0; t < c->snap.n_tracks && t < FL_MAX_TRACKS; t++) {
		uint64_t len = c->region[t].frames;
		if (!(c->pinned & (1ull << t)) || len == 0)
			continue;
		struct fl_manifest_track *mt = &m->track[t];
		const struct fl_track_status *s = &ts[t];
		mt->present = true;
		fl_manifest_track_file(t, mt->file, sizeof mt->file);
		mt->length_frames = len;
		mt->phase_frames = grid >= s->origin ? (grid - s->origin) % len
		                                     : (len - (s->origin - grid) % len) % len;
		mt->state = s->state == FL_TRACK_STOPPED ? FL_TRACK_STOPPED : FL_TRACK_PLAYING;
		mt->level = s->level;
		mt->pan = s->pan;
		mt->muted = s->muted;
		mt->solo = s->solo;
		mt->quantize = s->quantize;
		memcpy(mt->send, s->send, sizeof mt->send);
		mt->record_input_fx = s->record_input_fx;
	}
	*k = (struct ckpt_job){.job = {.run = job_run, .done = job_done}, .c = c, .man = m,
	                       .grid = grid};
	snprintf(k->dir, sizeof k->dir, "%s", c->dir);
	snprintf(k->name, sizeof k->name, "checkpoint-%u", c->next);
	memcpy(k->region, c->region, sizeof k->region);
	c->state = FL_CKPT_SAVING;
	fl_worker_submit(c->worker, &k->job);
}

static void
switched(struct fl_checkpoint *c, uint64_t now_ms)
{
	char err[480] = "";
	int r = fl_journal_switch_result(c->journal, err, sizeof err);
	if (r == 0)
		return;
	if (r < 0) {
		fl_info("journal checkpoint %u not used: %s; trying again later", c->next, err);
		remove_one(c->dir, c->next);
		cleanup_failed(c);
		return;
	}
	unpin_all(c);
	fl_checkpoint_remove_older(c->dir, c->next);
	fl_info("journal checkpoint %u taken: %s continues from it (older journals deleted)",
	        c->next, fl_journal_path(c->journal));
	c->next++;
	c->done++;
	c->wanted = false;
	c->last_ms = now_ms;
	c->state = FL_CKPT_IDLE;
}

void
fl_checkpoint_tick(struct fl_checkpoint *c, uint64_t now_ms, bool may_start)
{
	c->now_ms = now_ms;
	switch (c->state) {
	case FL_CKPT_IDLE:
		if (may_start)
			start(c, now_ms);
		break;
	case FL_CKPT_PINNING:
		if (!c->waiting)
			save(c);
		break;
	case FL_CKPT_SAVING:
		break; /* job_done moves on */
	case FL_CKPT_SWITCHING:
		switched(c, now_ms);
		break;
	}
}

/* ---- files -------------------------------------------------------------- */

static void
remove_dir(const char *path)
{
	DIR *d = opendir(path);
	if (d) {
		struct dirent *de;
		char f[700];
		while ((de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			snprintf(f, sizeof f, "%s/%s", path, de->d_name);
			unlink(f);
		}
		closedir(d);
	}
	rmdir(path);
}

static void
remove_one(const char *dir, uint32_t n)
{
	char p[400];
	snprintf(p, sizeof p, "%s/checkpoint-%u", dir, n);
	remove_dir(p);
	snprintf(p, sizeof p, "%s/checkpoint-%u.info", dir, n);
	unlink(p);
}

void
fl_checkpoint_remove_older(const char *dir, uint32_t keep)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	char p[600];
	while ((de = readdir(d))) {
		unsigned n;
		char tail[16] = "";
		int k = sscanf(de->d_name, "checkpoint-%u%15s", &n, tail);
		bool ck = (k == 1 || (k == 2 && !strcmp(tail, ".info"))) && (!keep || n < keep);
		k = sscanf(de->d_name, "journal-%u.fljr%15s", &n, tail);
		bool jr = k == 1 && (!keep || n < keep);
		if (!ck && !jr)
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
		if (de->d_type == DT_DIR)
			remove_dir(p);
		else
			unlink(p);
	}
	closedir(d);
}

/* ---- restore (setup thread) --------------------------------------------- */

static enum fl_status
read_info(const char *dir, uint32_t n, uint64_t *grid, char *err, size_t errlen)
{
	char path[400];
	snprintf(path, sizeof path, "%s/checkpoint-%u.info", dir, n);
	FILE *f = fopen(path, "re");
	unsigned long long g = 0;
	int version = 0;
	bool ok = f && fscanf(f, "footloop-checkpoint %d grid %llu", &version, &g) == 2 &&
	          version == 1;
	if (f)
		fclose(f);
	if (!ok) {
		snprintf(err, errlen, "checkpoint info '%s' is missing or unreadable", path);
		return FL_ERR_FORMAT;
	}
	*grid = g;
	return FL_OK;
}

static void
drain(struct fl_engine *e, uint64_t *lease_off, uint64_t *leased)
{
	struct fl_engine_io io = {{NULL, NULL}, {NULL, NULL}};
	fl_engine_process(e, &io, 0);
	struct fl_event ev;
	while (fl_engine_poll_event(e, &ev)) {
		if (ev.type == FL_EV_RELEASE)
			free(ev.ptr);
		else if (ev.type == FL_EV_LEASE && ev.arg && ev.track < FL_MAX_TRACKS && lease_off) {
			lease_off[ev.track] = ev.frame;
			*leased |= 1ull << ev.track;
		}
	}
}

/* The origin <= now congruent to grid - phase (when there is one). */
static uint64_t
origin_for(uint64_t now, uint64_t grid, uint64_t phase, uint64_t len)
{
	uint64_t r = ((grid % len) + len - phase % len) % len;
	uint64_t d = ((now % len) + len - r) % len;
	return d <= now ? now - d : now - d + len;
}

static void
fill(struct fl_engine *e, uint32_t t, uint64_t off, const float *audio, uint64_t len)
{
	float *mem;
	uint64_t cap;
	fl_engine_track_memory(e, t, &mem, &cap);
	off %= cap;
	for (uint64_t done = 0; done < len;) {
		uint64_t k = len - done < cap - off ? len - done : cap - off;
		memcpy(mem + 2u * off, audio + 2u * done, k * 2u * sizeof(float));
		done += k;
		off = (off + k) % cap;
	}
}

static enum fl_status
commit_all(struct fl_engine *e, const struct fl_session *s, uint64_t grid, char *err,
           size_t errlen)
{
	uint64_t off[FL_MAX_TRACKS] = {0}, leased = 0, want = 0, now = fl_engine_frame(e);
	const struct fl_manifest *m = &s->man;
	if (m->cycle_frames) {
		struct fl_cycle_desc *cy = malloc(sizeof *cy);
		if (!cy)
			return FL_ERR_NOMEM;
		*cy = (struct fl_cycle_desc){.length_frames = m->cycle_frames, .origin = grid};
		send(e, FL_CMD_SET_CYCLE, 0, 0, cy);
	}
	for (uint32_t t = 0; t < m->n_tracks && t < FL_MAX_TRACKS; t++)
		if (m->track[t].present) {
			want |= 1ull << t;
			send(e, FL_CMD_LEASE, t, (uint32_t)m->track[t].length_frames, NULL);
		}
	drain(e, off, &leased);
	if (leased != want) {
		snprintf(err, errlen, "the engine refused to lend memory for the checkpoint's loops");
		return FL_ERR_NOMEM;
	}
	for (uint32_t t = 0; t < m->n_tracks && t < FL_MAX_TRACKS; t++) {
		const struct fl_manifest_track *mt = &m->track[t];
		struct fl_loop_desc *d = mt->present ? malloc(sizeof *d) : NULL;
		if (!mt->present || !d)
			continue;
		fill(e, t, off[t], s->audio[t], mt->length_frames);
		*d = (struct fl_loop_desc){
			.length_frames = mt->length_frames,
			.origin = origin_for(now, grid, mt->phase_frames, mt->length_frames),
			.state = mt->state, .quantize = mt->quantize, .level = mt->level, .pan = mt->pan,
			.muted = mt->muted, .solo = mt->solo, .record_input_fx = mt->record_input_fx,
			.send = {mt->send[0], mt->send[1]}};
		send(e, FL_CMD_COMMIT, t, 0, d);
	}
	drain(e, NULL, NULL);
	/* Pinned as when the checkpoint was taken, until the journal's UNPIN. */
	for (uint32_t t = 0; t < m->n_tracks && t < FL_MAX_TRACKS; t++)
		if (m->track[t].present)
			send(e, FL_CMD_PIN, t, 0, NULL);
	drain(e, NULL, NULL);
	return FL_OK;
}

enum fl_status
fl_checkpoint_restore(struct fl_engine *e, const struct fl_engine_config *cfg, const char *dir,
                      uint32_t n, char *err, size_t errlen)
{
	uint64_t grid = 0;
	enum fl_status st = read_info(dir, n, &grid, err, errlen);
	if (st != FL_OK)
		return st;
	float *mem;
	uint64_t cap;
	fl_engine_track_memory(e, 0, &mem, &cap);
	char name[32];
	snprintf(name, sizeof name, "checkpoint-%u", n);
	struct fl_session *s = NULL;
	st = fl_session_load(dir, name, cfg->sample_rate, cap, cfg->n_tracks, &s, err, errlen);
	if (st == FL_OK)
		st = commit_all(e, s, grid, err, errlen);
	fl_session_free(s);
	return st;
}
