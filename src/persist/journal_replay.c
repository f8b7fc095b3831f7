/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Journal replay into a fresh engine (see journal_replay.h). */
#include "persist/journal_replay.h"

#include "persist/checkpoint.h"

#include "core/log.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define REPLAY_PAYLOAD (FL_JOURNAL_MAX_FRAMES * FL_CHANNELS * sizeof(float))

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Events during replay: only released objects matter (none are expected,
 * since commands with objects are never replayed). */
static void
drain_events(struct fl_engine *e)
{
	struct fl_event ev;
	while (fl_engine_poll_event(e, &ev))
		if (ev.type == FL_EV_RELEASE)
			free(ev.ptr);
}

static void
apply_cmd(struct fl_engine *e, const struct fl_journal_disk_cmd *d, const void *extra,
          uint32_t extra_bytes)
{
	struct fl_cmd c = {.type = d->type, .track = d->track, .arg = d->arg, .value = d->value,
	                   .frame = d->frame, .ptr = NULL};
	if (c.type == FL_CMD_SET_CYCLE && extra_bytes == sizeof(struct fl_cycle_desc)) {
		c.ptr = malloc(sizeof(struct fl_cycle_desc)); /* back in FL_EV_RELEASE */
		if (!c.ptr)
			return;
		memcpy(c.ptr, extra, extra_bytes);
	} else if (c.type == FL_CMD_SET_CYCLE) {
		return; /* a cycle without its descriptor cannot have been journaled */
	}
	/* Queued commands are due by now: a zero-frame process applies them. */
	for (int i = 0; fl_engine_send(e, &c) != FL_OK; i++) {
		if (i == 4) {
			fl_warn("journal replay: engine queue full, command %u at frame %llu lost",
			        c.type, (unsigned long long)c.frame);
			free(c.ptr);
			return;
		}
		struct fl_engine_io io = {{NULL, NULL}, {NULL, NULL}};
		fl_engine_process(e, &io, 0);
		drain_events(e);
	}
}

static void
play_audio(struct fl_engine *e, const struct fl_journal_disk_rec *rec, const float *p,
           float *scratch)
{
	float *l = scratch, *r = scratch + FL_JOURNAL_MAX_FRAMES;
	float *ol = r + FL_JOURNAL_MAX_FRAMES, *or = ol + FL_JOURNAL_MAX_FRAMES;
	for (uint32_t i = 0; i < rec->frames; i++) {
		l[i] = p[2 * i];
		r[i] = p[2 * i + 1];
	}
	struct fl_engine_io io = {{l, r}, {ol, or}};
	fl_engine_process(e, &io, rec->frames);
	drain_events(e);
}

/* One record; false to stop the replay (out says why). */
static bool
step(struct fl_engine *e, const struct fl_journal_disk_rec *rec, const void *payload,
     float *scratch, struct fl_journal_replayed *out)
{
	if (rec->kind == FL_JOURNAL_REC_CLEAN) {
		out->clean = true;
		return false;
	}
	if (rec->kind == FL_TAP_RECORD_CMD && rec->bytes >= sizeof(struct fl_journal_disk_cmd)) {
		struct fl_journal_disk_cmd d;
		memcpy(&d, payload, sizeof d);
		if (d.has_ptr == FL_JOURNAL_SKIP)
			return true;
		if (d.has_ptr != FL_JOURNAL_REPLAY) {
			out->gap = true;
			return false;
		}
		apply_cmd(e, &d, (const unsigned char *)payload + sizeof d,
		          rec->bytes - (uint32_t)sizeof d);
		out->commands++;
		return true;
	}
	if (rec->kind == FL_TAP_RECORD_AUDIO && rec->channels == FL_CHANNELS &&
	    rec->frames <= FL_JOURNAL_MAX_FRAMES &&
	    rec->bytes == rec->frames * FL_CHANNELS * sizeof(float)) {
		if (rec->frame != out->end_frame) {
			out->gap = true;
			return false;
		}
		play_audio(e, rec, payload, scratch);
		out->end_frame += rec->frames;
		return true;
	}
	out->corrupt = true; /* a well-framed record this version cannot have written */
	return false;
}

enum fl_status
fl_journal_replay(struct fl_engine *e, struct fl_journal_reader *r,
                  struct fl_journal_replayed *out)
{
	memset(out, 0, sizeof *out);
	out->start_frame = out->end_frame = r->header.start_frame;
	out->end_offset = r->offset;
	void *payload = malloc(REPLAY_PAYLOAD);
	float *scratch = malloc(4 * FL_JOURNAL_MAX_FRAMES * sizeof(float));
	if (!payload || !scratch) {
		free(payload);
		free(scratch);
		return FL_ERR_NOMEM;
	}
	double t0 = now_s();
	struct fl_journal_disk_rec rec;
	for (;;) {
		enum fl_journal_read rd = fl_journal_reader_next(r, &rec, payload, REPLAY_PAYLOAD);
		if (rd != FL_JOURNAL_RECORD) {
			out->truncated = rd == FL_JOURNAL_TRUNCATED;
			out->corrupt = rd == FL_JOURNAL_CORRUPT;
			break;
		}
		if (!step(e, &rec, payload, scratch, out))
			break;
		out->end_offset = r->offset;
	}
	/* Commands queued for frames not reached are dropped with the engine's
	 * queue only if never applied; apply what is due now. */
	struct fl_engine_io io = {{NULL, NULL}, {NULL, NULL}};
	fl_engine_process(e, &io, 0);
	drain_events(e);
	out->wall_seconds = now_s() - t0;
	free(payload);
	free(scratch);
	return FL_OK;
}

bool
fl_journal_find(const char *dir, char *path, size_t pathlen)
{
	DIR *d = opendir(dir);
	if (!d)
		return false;
	long best = -1;
	struct dirent *de;
	while ((de = readdir(d))) {
		unsigned n;
		char tail[8];
		if (sscanf(de->d_name, "journal-%u.fljr%7s", &n, tail) == 1 && (long)n > best)
			best = (long)n;
	}
	closedir(d);
	if (best < 0)
		return false;
	snprintf(path, pathlen, "%s/journal-%ld.fljr", dir, best);
	return true;
}

void
fl_journal_set_aside(const char *path, const char *why)
{
	char to[512];
	snprintf(to, sizeof to, "%s.corrupt-%lld", path, (long long)time(NULL));
	if (rename(path, to) == 0)
		fl_error("%s; renamed it to '%s' and starting without it", why, to);
	else
		fl_error("%s; cannot rename it aside (%s): starting without it", why,
		         strerror(errno));
}

/* True when the file's last 32 bytes are a valid clean-shutdown record. */
static bool
ends_clean(const char *path)
{
	FILE *f = fopen(path, "rbe");
	if (!f)
		return false;
	struct fl_journal_disk_rec rec;
	bool ok = fseeko(f, -(off_t)sizeof rec, SEEK_END) == 0 && fread(&rec, sizeof rec, 1, f) == 1;
	fclose(f);
	if (!ok || rec.magic != FL_JOURNAL_REC_MAGIC || rec.kind != FL_JOURNAL_REC_CLEAN || rec.bytes)
		return false;
	uint32_t want = rec.crc;
	rec.crc = 0;
	return fl_journal_crc32(0, &rec, sizeof rec) == want;
}

/* Keeps a damaged journal aside and continues on a copy of its good part. */
static bool
copy_prefix_aside(const char *path, uint64_t bytes)
{
	char aside[512];
	snprintf(aside, sizeof aside, "%s.corrupt-%lld", path, (long long)time(NULL));
	if (rename(path, aside) != 0)
		return false;
	fl_warn("journal '%s' is damaged after byte %llu: kept as '%s'", path,
	        (unsigned long long)bytes, aside);
	FILE *in = fopen(aside, "rbe"), *out = fopen(path, "wbxe");
	bool ok = in && out;
	static char buf[1 << 16];
	while (ok && bytes) {
		size_t n = bytes < sizeof buf ? (size_t)bytes : sizeof buf;
		ok = fread(buf, 1, n, in) == n && fwrite(buf, 1, n, out) == n;
		bytes -= n;
	}
	if (in)
		fclose(in);
	if (out && fclose(out) != 0)
		ok = false;
	return ok;
}

static uint32_t
count_loops(const struct fl_engine *e, uint32_t *input_fx_tracks)
{
	struct fl_engine_status es;
	struct fl_track_status t[FL_MAX_TRACKS];
	fl_engine_get_status(e, &es, t, FL_MAX_TRACKS);
	uint32_t loops = 0;
	*input_fx_tracks = 0;
	for (uint32_t i = 0; i < es.n_tracks && i < FL_MAX_TRACKS; i++) {
		loops += t[i].length_frames > 0 || t[i].state == FL_TRACK_RECORDING;
		if (t[i].record_input_fx && i < 32u)
			*input_fx_tracks |= 1u << i;
	}
	return loops;
}

/* Replays path into a new engine; NULL when there is nothing to restore. */
static struct fl_engine *
restore(const char *dir, const char *path, struct fl_engine_config *cfg,
        struct fl_journal_boot_info *info)
{
	if (ends_clean(path))
		return NULL;
	struct fl_journal_reader r;
	char err[512];
	enum fl_status st = fl_journal_reader_open(&r, path, err, sizeof err);
	if (st != FL_OK) {
		if (st == FL_ERR_FORMAT)
			fl_journal_set_aside(path, err);
		else
			fl_error("%s", err);
		return NULL;
	}
	if (r.header.engine.sample_rate != cfg->sample_rate) {
		snprintf(err, sizeof err, "journal '%s' was recorded at %u Hz but JACK runs at %u Hz",
		         path, r.header.engine.sample_rate, cfg->sample_rate);
		fl_journal_reader_close(&r);
		fl_journal_set_aside(path, err);
		return NULL;
	}
	struct fl_engine *e = NULL;
	if (fl_engine_create(&r.header.engine, &e) != FL_OK) {
		fl_error("cannot create the engine the journal '%s' describes (%u tracks of %.0f s)",
		         path, r.header.engine.n_tracks, (double)r.header.engine.track_seconds);
		fl_journal_reader_close(&r);
		return NULL;
	}
	fl_engine_set_frame(e, r.header.start_frame);
	info->checkpoint = r.header.checkpoint;
	if (r.header.checkpoint &&
	    fl_checkpoint_restore(e, &r.header.engine, dir, r.header.checkpoint, err, sizeof err) !=
	            FL_OK) {
		fl_journal_reader_close(&r);
		fl_engine_free(e);
		char why[1200];
		snprintf(why, sizeof why, "journal '%s' starts from a checkpoint that cannot be loaded "
		         "(%s)", path, err);
		fl_journal_set_aside(path, why);
		return NULL;
	}
	st = fl_journal_replay(e, &r, &info->replayed);
	fl_journal_reader_close(&r);
	if (st != FL_OK || info->replayed.clean) {
		fl_engine_free(e);
		return NULL;
	}
	*cfg = r.header.engine;
	return e;
}

static void
log_restore(const char *path, const struct fl_journal_boot_info *info, uint32_t rate)
{
	const struct fl_journal_replayed *p = &info->replayed;
	char from[48] = "";
	if (info->checkpoint)
		snprintf(from, sizeof from, " from checkpoint %u and", info->checkpoint);
	fl_notice("restored %u loop%s%s from the journal: %.1f s of replay in %.2f s (%llu commands, "
	          "frames %llu..%llu)", info->loops, info->loops == 1 ? "" : "s", from,
	          (double)(p->end_frame - p->start_frame) / rate, p->wall_seconds,
	          (unsigned long long)p->commands, (unsigned long long)p->start_frame,
	          (unsigned long long)p->end_frame);
	if (p->truncated)
		fl_info("journal '%s': a torn last record (power cut mid-write) was ignored", path);
	if (p->gap)
		fl_warn("journal '%s' has a gap at frame %llu: restored up to it", path,
		        (unsigned long long)p->end_frame);
}

static enum fl_status
start_tap(struct fl_engine *e, struct fl_journal *j, const struct fl_journal_header *h,
          const char *append, uint64_t end, char *err, size_t errlen)
{
	uint32_t id;
	enum fl_status st = fl_engine_add_tap(e, FL_TAP_JOURNAL, fl_journal_ring(j), &id);
	if (st != FL_OK) {
		snprintf(err, errlen, "cannot add the journal tap: %s", fl_strerror(st));
		return st;
	}
	if ((st = fl_journal_start(j, h, append, end, err, errlen)) != FL_OK)
		return st;
	struct fl_cmd on = {.type = FL_CMD_TAP, .arg = id, .value = 1.0f};
	return fl_engine_send(e, &on);
}

/* A journal that ends while a save pinned or a load leased a track would
 * leave it held for ever. Sent after the tap is on, so they are journaled
 * and a later restore of this file sees them at the same frame. */
static void
release_holds(struct fl_engine *e, uint32_t n_tracks)
{
	for (uint32_t t = 0; t < n_tracks && t < FL_MAX_TRACKS; t++) {
		struct fl_cmd c = {.type = FL_CMD_UNPIN, .track = (uint16_t)t};
		bool ok = fl_engine_send(e, &c) == FL_OK;
		c.type = FL_CMD_LEASE_CANCEL;
		if (!ok || fl_engine_send(e, &c) != FL_OK)
			fl_warn("journal: engine queue full releasing track %u after the restore", t + 1);
	}
}

enum fl_status
fl_journal_boot(const char *dir, struct fl_engine_config *cfg, float ring_seconds,
                uint32_t sync_ms, struct fl_engine **engine, struct fl_journal **journal,
                struct fl_journal_boot_info *info, char *err, size_t errlen)
{
	*engine = NULL;
	*journal = NULL;
	memset(info, 0, sizeof *info);
	char path[400];
	struct fl_engine *e = NULL;
	if (fl_journal_find(dir, path, sizeof path))
		e = restore(dir, path, cfg, info);
	const char *append = NULL;
	uint32_t input_fx_tracks = 0;
	if (e) {
		info->restored = true;
		info->loops = count_loops(e, &input_fx_tracks);
		log_restore(path, info, cfg->sample_rate);
		if (info->replayed.corrupt && !copy_prefix_aside(path, info->replayed.end_offset))
			fl_warn("cannot keep the damaged journal aside; continuing it in place");
		append = path;
	} else {
		fl_checkpoint_remove_older(dir, 0); /* a fresh start: earlier runs' files go */
		enum fl_status st = fl_engine_create(cfg, &e);
		if (st != FL_OK) {
			snprintf(err, errlen, "cannot create the engine (%u tracks of %.0f s at %u Hz): %s",
			         cfg->n_tracks, (double)cfg->track_seconds, cfg->sample_rate,
			         fl_strerror(st));
			return st;
		}
	}
	/* The restored engine has no effects (they come from the configuration,
	 * which follows and is journaled). */
	struct fl_journal_header h = {.engine = *cfg, .start_frame = fl_engine_frame(e),
	                              .checkpoint = info->checkpoint,
	                              .input_fx_tracks = input_fx_tracks};
	struct fl_journal_config jc = {.sample_rate = cfg->sample_rate,
	                               .ring_seconds = ring_seconds, .sync_ms = sync_ms,
	                               .preroll_seconds = cfg->history_seconds + 1.0f};
	snprintf(jc.dir, sizeof jc.dir, "%s", dir);
	enum fl_status st = fl_journal_create(&jc, journal);
	if (st == FL_OK)
		st = start_tap(e, *journal, &h, append, info->replayed.end_offset, err, errlen);
	if (st == FL_OK && info->restored)
		release_holds(e, cfg->n_tracks);
	if (st != FL_OK) {
		fl_journal_free(*journal);
		*journal = NULL;
		fl_engine_free(e);
		return st;
	}
	*engine = e;
	return FL_OK;
}
