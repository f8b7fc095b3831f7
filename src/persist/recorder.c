/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Why holes are filled with silence (bounded): a mix engineer lines stems
 * up by their start; a stem that silently lost 200 ms would drift against
 * the others for the rest of the show. */
#include "persist/recorder.h"

#include "core/log.h"
#include "footloop/engine.h"

#include <errno.h>
#include <pthread.h>
#include <sndfile.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FILL_SECONDS 10u
#define SEG_MAX 4096u /* frames per record we accept (the engine writes <= 256) */

struct rec_tap {
	struct fl_ring ring;
	bool on;
	uint32_t channels;
	uint64_t next_frame;          ///< writer: frame expected next (0: none yet)
	SNDFILE *file[FL_MAX_TRACKS]; ///< writer: master: [0]; stems: one per track
	uint32_t n_files;
};

struct fl_recorder {
	struct fl_recorder_config cfg;
	char dir[PATH_MAX];
	struct rec_tap tap[2];        ///< 0 master, 1 stems
	float *payload;               ///< writer: one record
	float *chan;                  ///< writer: one stereo stem de-interleaved
	pthread_t thread;
	pthread_mutex_t lock;
	/* guarded by lock: requests and the published status */
	bool want_start, want_stop, quit;
	char song[65];
	time_t when;
	uint64_t from_frame, stop_frame;
	struct fl_recorder_status st;
	/* writer only */
	bool active;
	uint64_t w_from, w_stop;
};

void
fl_recorder_file_name(char *buf, size_t len, const char *dir, time_t when, const char *song,
                      const char *suffix, enum fl_rec_format fmt)
{
	struct tm tm;
	localtime_r(&when, &tm);
	char stamp[32], clean[65];
	strftime(stamp, sizeof stamp, "%Y-%m-%d_%H%M%S", &tm);
	size_t n = 0;
	for (const char *s = song && song[0] ? song : "untitled"; *s && n < 64; s++, n++) {
		char ch = *s;
		bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		          (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '.';
		clean[n] = ok && !(n == 0 && ch == '.') ? ch : '_';
	}
	clean[n] = '\0';
	snprintf(buf, len, "%s/%s_%s_%s.%s", dir, stamp, clean, suffix,
	         fmt == FL_REC_FLAC_24 ? "flac" : "wav");
}

static SNDFILE *
open_out(struct fl_recorder *r, const char *path)
{
	SF_INFO info = { .samplerate = (int)r->cfg.sample_rate, .channels = 2 };
	info.format = r->cfg.format == FL_REC_FLAC_24 ? SF_FORMAT_FLAC | SF_FORMAT_PCM_24
	                                             : SF_FORMAT_WAV | SF_FORMAT_FLOAT;
	SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
	if (sf && r->cfg.format == FL_REC_FLAC_24)
		sf_command(sf, SFC_SET_CLIPPING, NULL, SF_TRUE);
	return sf;
}

static void
fail(struct fl_recorder *r, const char *what, const char *why)
{
	pthread_mutex_lock(&r->lock);
	r->st.failed = true;
	snprintf(r->st.error, sizeof r->st.error, "%s: %s", what, why);
	pthread_mutex_unlock(&r->lock);
	fl_error("recorder: %s: %s (recording stopped; the loops are not affected)", what, why);
}

/* Closes every file; stopped: the recording is over (status says so). A
 * restart closes the old files without ever showing "not recording", so a
 * second start cannot slip in between. */
static void
close_all(struct fl_recorder *r, bool stopped)
{
	for (int k = 0; k < 2; k++) {
		struct rec_tap *t = &r->tap[k];
		for (uint32_t i = 0; i < t->n_files; i++) {
			if (t->file[i] && sf_close(t->file[i]) != 0 && r->active)
				fail(r, "closing a recording", "the file may be incomplete (disk full?)");
			t->file[i] = NULL;
		}
		t->n_files = 0;
	}
	r->active = false;
	if (!stopped)
		return;
	pthread_mutex_lock(&r->lock);
	r->st.recording = false;
	pthread_mutex_unlock(&r->lock);
}

static void
begin(struct fl_recorder *r, const char *song, time_t when)
{
	char path[PATH_MAX];
	mkdir(r->dir, 0755);
	fl_recorder_file_name(path, sizeof path, r->dir, when, song, "master", r->cfg.format);
	r->tap[0].file[0] = open_out(r, path);
	r->tap[0].n_files = 1;
	pthread_mutex_lock(&r->lock);
	snprintf(r->st.master_path, sizeof r->st.master_path, "%s", path);
	pthread_mutex_unlock(&r->lock);
	bool ok = r->tap[0].file[0] != NULL;
	for (uint32_t i = 0; ok && r->tap[1].on && i < r->cfg.n_tracks; i++) {
		char suffix[32];
		snprintf(suffix, sizeof suffix, "track-%u", i + 1);
		fl_recorder_file_name(path, sizeof path, r->dir, when, song, suffix, r->cfg.format);
		r->tap[1].file[i] = open_out(r, path);
		r->tap[1].n_files = i + 1;
		ok = r->tap[1].file[i] != NULL;
	}
	r->tap[0].next_frame = r->tap[1].next_frame = 0;
	r->active = true;
	if (!ok) {
		fail(r, path, sf_strerror(NULL));
		close_all(r, true);
		return;
	}
	pthread_mutex_lock(&r->lock);
	r->st.recording = true;
	pthread_mutex_unlock(&r->lock);
	fl_info("recorder: recording to %s", r->st.master_path);
}

/* Writes frames of one stereo stream (channel pair k of the record). */
static bool
write_pair(struct fl_recorder *r, SNDFILE *sf, const float *data, uint32_t channels, uint32_t k,
           uint32_t frames)
{
	const float *src = data;
	if (channels != 2) {
		for (uint32_t i = 0; i < frames; i++) {
			r->chan[2 * i] = data[(size_t)i * channels + 2 * k];
			r->chan[2 * i + 1] = data[(size_t)i * channels + 2 * k + 1];
		}
		src = r->chan;
	}
	return sf_writef_float(sf, src, frames) == (sf_count_t)frames;
}

/* Silence for a hole of gap frames (bounded), so the files stay aligned. */
static bool
fill_gap(struct fl_recorder *r, struct rec_tap *t, uint64_t gap)
{
	uint64_t fill = gap < (uint64_t)MAX_FILL_SECONDS * r->cfg.sample_rate
	                        ? gap : (uint64_t)MAX_FILL_SECONDS * r->cfg.sample_rate;
	memset(r->chan, 0, SEG_MAX * 2 * sizeof(float));
	while (fill > 0) {
		uint32_t n = fill > SEG_MAX ? SEG_MAX : (uint32_t)fill;
		for (uint32_t i = 0; i < t->n_files; i++) {
			if (sf_writef_float(t->file[i], r->chan, n) != (sf_count_t)n)
				return false;
		}
		fill -= n;
	}
	return true;
}

static void
write_record(struct fl_recorder *r, struct rec_tap *t, const struct fl_tap_record *h, bool master)
{
	if (!r->active || h->kind != FL_TAP_RECORD_AUDIO || h->frame < r->w_from ||
	    h->frame >= r->w_stop || h->channels != t->channels || h->frames > SEG_MAX)
		return;
	bool ok = true;
	if (t->next_frame && h->frame > t->next_frame) {
		uint64_t gap = h->frame - t->next_frame;
		if (master) {
			pthread_mutex_lock(&r->lock);
			r->st.frames_dropped += gap;
			pthread_mutex_unlock(&r->lock);
		}
		ok = fill_gap(r, t, gap);
	}
	for (uint32_t i = 0; ok && i < t->n_files; i++)
		ok = write_pair(r, t->file[i], r->payload, h->channels, i, h->frames);
	uint64_t span = t->next_frame && h->frame > t->next_frame ? h->frame - t->next_frame : 0;
	t->next_frame = h->frame + h->frames;
	if (!ok) {
		fail(r, master ? r->st.master_path : "a stem file", sf_strerror(t->file[0]));
		close_all(r, true);
		return;
	}
	if (master) {
		pthread_mutex_lock(&r->lock);
		r->st.frames_written += span + h->frames; /* holes are filled with silence */
		pthread_mutex_unlock(&r->lock);
	}
}

/* Reads and handles one record; false when the ring holds none. */
static bool
drain_one(struct fl_recorder *r, int k)
{
	struct rec_tap *t = &r->tap[k];
	struct fl_tap_record h;
	if (!t->on || !fl_ring_peek(&t->ring, &h, sizeof h) ||
	    fl_ring_avail(&t->ring) < sizeof h + h.bytes)
		return false;
	(void)fl_ring_read(&t->ring, &h, sizeof h);
	size_t cap = (size_t)SEG_MAX * 2u * FL_MAX_TRACKS * sizeof(float);
	if (h.bytes > cap) { /* cannot happen with the engine's records: skip it */
		for (uint32_t left = h.bytes; left > 0;) {
			uint32_t n = left > cap ? (uint32_t)cap : left;
			(void)fl_ring_read(&t->ring, r->payload, n);
			left -= n;
		}
		return true;
	}
	(void)fl_ring_read(&t->ring, r->payload, h.bytes);
	if (r->cfg.test_delay_us)
		usleep(r->cfg.test_delay_us);
	write_record(r, t, &h, k == 0);
	return true;
}

/* Frames between the last record and the stop frame never came: lost. */
static void
end_hole(struct fl_recorder *r)
{
	uint64_t next = r->tap[0].next_frame;
	if (!next || r->w_stop == UINT64_MAX || next >= r->w_stop)
		return;
	pthread_mutex_lock(&r->lock);
	r->st.frames_dropped += r->w_stop - next;
	pthread_mutex_unlock(&r->lock);
}

static void *
writer_main(void *arg)
{
	struct fl_recorder *r = arg;
	unsigned idle = 0;
	for (;;) {
		pthread_mutex_lock(&r->lock);
		bool quit = r->quit, start = r->want_start, stop = r->want_stop;
		char song[65];
		snprintf(song, sizeof song, "%s", r->song);
		time_t when = r->when;
		if (start) {
			r->w_from = r->from_frame, r->w_stop = UINT64_MAX;
			r->st.recording = true; /* busy from the request on (begin may fail) */
		}
		if (stop)
			r->w_stop = r->stop_frame;
		r->want_start = r->want_stop = false;
		pthread_mutex_unlock(&r->lock);
		if (start) {
			close_all(r, false);
			begin(r, song, when);
		}
		bool any = false;
		for (int i = 0; i < 64; i++) /* bounded batch, then look at requests */
			any |= drain_one(r, 0) | drain_one(r, 1);
		idle = any ? 0 : idle + 1;
		/* stopped: close once the stop frame went by, or the engine has
		 * been silent for 200 ms (it may not be running) */
		if (r->active && r->w_stop != UINT64_MAX &&
		    (r->tap[0].next_frame >= r->w_stop || idle > 40)) {
			end_hole(r);
			close_all(r, true);
		}
		if (quit && !any)
			break;
		if (!any)
			usleep(5000);
	}
	close_all(r, true);
	return NULL;
}

enum fl_status
fl_recorder_create(const struct fl_recorder_config *cfg, struct fl_recorder **out)
{
	*out = NULL;
	if (!cfg->dir || !cfg->dir[0] || !cfg->sample_rate || cfg->n_tracks > FL_MAX_TRACKS)
		return FL_ERR_BAD_ARG;
	struct fl_recorder *r = calloc(1, sizeof *r);
	if (!r)
		return FL_ERR_NOMEM;
	r->cfg = *cfg;
	snprintf(r->dir, sizeof r->dir, "%s", cfg->dir);
	r->cfg.dir = r->dir;
	uint32_t ms = cfg->ring_ms ? cfg->ring_ms : 2000u;
	size_t per_frame = 2u * sizeof(float);
	size_t bytes = (size_t)cfg->sample_rate * ms / 1000u * per_frame + 4096u;
	r->tap[0].channels = 2;
	r->tap[1].channels = 2u * cfg->n_tracks;
	r->payload = malloc((size_t)SEG_MAX * 2u * FL_MAX_TRACKS * sizeof(float));
	r->chan = malloc((size_t)SEG_MAX * 2u * sizeof(float));
	bool ok = r->payload && r->chan && fl_ring_init(&r->tap[0].ring, bytes) == FL_OK;
	r->tap[0].on = ok;
	if (ok && cfg->stems && cfg->n_tracks) {
		ok = fl_ring_init(&r->tap[1].ring, bytes * cfg->n_tracks) == FL_OK;
		r->tap[1].on = ok;
	}
	pthread_mutex_init(&r->lock, NULL);
	if (!ok || pthread_create(&r->thread, NULL, writer_main, r) != 0) {
		if (r->tap[0].on)
			fl_ring_destroy(&r->tap[0].ring);
		if (r->tap[1].on)
			fl_ring_destroy(&r->tap[1].ring);
		pthread_mutex_destroy(&r->lock);
		free(r->payload), free(r->chan), free(r);
		return FL_ERR_NOMEM;
	}
	*out = r;
	return FL_OK;
}

void
fl_recorder_free(struct fl_recorder *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->lock);
	r->quit = true;
	r->want_stop = true;
	r->stop_frame = 0;
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	for (int k = 0; k < 2; k++) {
		if (r->tap[k].on)
			fl_ring_destroy(&r->tap[k].ring);
	}
	pthread_mutex_destroy(&r->lock);
	free(r->payload);
	free(r->chan);
	free(r);
}

struct fl_ring *
fl_recorder_ring(struct fl_recorder *r, bool stems)
{
	return r->tap[stems ? 1 : 0].on ? &r->tap[stems ? 1 : 0].ring : NULL;
}

enum fl_status
fl_recorder_start(struct fl_recorder *r, const char *song, time_t when, uint64_t from_frame)
{
	pthread_mutex_lock(&r->lock);
	bool busy = r->st.recording || r->want_start;
	if (!busy) {
		snprintf(r->song, sizeof r->song, "%s", song ? song : "");
		r->when = when;
		r->from_frame = from_frame;
		r->want_start = true;
		r->want_stop = false;
		r->st.failed = false;
		r->st.error[0] = '\0';
		r->st.frames_written = r->st.frames_dropped = 0;
	}
	pthread_mutex_unlock(&r->lock);
	return busy ? FL_ERR_BUSY : FL_OK;
}

void
fl_recorder_stop(struct fl_recorder *r, uint64_t stop_frame)
{
	pthread_mutex_lock(&r->lock);
	r->want_stop = true;
	r->stop_frame = stop_frame;
	pthread_mutex_unlock(&r->lock);
}

void
fl_recorder_status(struct fl_recorder *r, struct fl_recorder_status *st)
{
	pthread_mutex_lock(&r->lock);
	*st = r->st;
	if (r->want_start)
		st->recording = true;
	pthread_mutex_unlock(&r->lock);
}
