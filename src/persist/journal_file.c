/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The journal's file format: header, framed records, crc32, torn tails.
 * Writes go through a user-space buffer of whole records, so a write error
 * can always cut the file back to the end of its last whole record: the
 * reader then never sees a half record in the middle of the file. */
#include "persist/journal.h"

#include "core/version.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

_Static_assert(sizeof(struct fl_journal_disk_header) == 128, "journal header layout");
_Static_assert(sizeof(struct fl_journal_disk_rec) == 32, "journal record layout");
_Static_assert(sizeof(struct fl_journal_disk_cmd) == 24, "journal command layout");
/* A new engine setting must be stored in the journal header (encode_header,
 * decode_header), or a restore would create a different engine. */
_Static_assert(sizeof(struct fl_engine_config) == 56, "fl_engine_config changed: update the journal header");

#define BUF_BYTES (256u * 1024u)

struct fl_journal_file {
	int fd;
	uint64_t bytes;   ///< whole records handed to the kernel (file offset)
	uint32_t used;    ///< bytes waiting in buf
	bool failed;      ///< a write failed: refuse everything
	unsigned char buf[BUF_BYTES];
};

uint32_t
fl_journal_crc32(uint32_t crc, const void *data, size_t n)
{
	static uint32_t table[256];
	static _Atomic int ready;
	if (!ready) { /* idempotent: racing threads compute the same table */
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;
			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
		ready = 1;
	}
	const unsigned char *p = data;
	crc = ~crc;
	for (size_t i = 0; i < n; i++)
		crc = table[(crc ^ p[i]) & 0xFFu] ^ (crc >> 8);
	return ~crc;
}

static void
encode_header(const struct fl_journal_header *h, struct fl_journal_disk_header *d)
{
	memset(d, 0, sizeof *d);
	memcpy(d->magic, FL_JOURNAL_MAGIC, 8);
	d->version = FL_JOURNAL_VERSION;
	d->header_bytes = sizeof *d;
	d->start_frame = h->start_frame;
	d->checkpoint = h->checkpoint;
	const struct fl_engine_config *e = &h->engine;
	d->sample_rate = e->sample_rate;
	d->n_tracks = e->n_tracks;
	d->track_seconds = e->track_seconds;
	d->fade_ms = e->fade_ms;
	d->seam_ms = e->seam_ms;
	d->late_window_ms = e->late_window_ms;
	d->smooth_ms = e->smooth_ms;
	d->history_seconds = e->history_seconds;
	d->quantize = e->quantize;
	d->monitor = e->monitor;
	d->monitor_level = e->monitor_level;
	d->master_level = e->master_level;
	d->latency_frames = e->latency_frames;
	d->flags = e->limiter ? 1u : 0u;
	snprintf(d->footloop_version, sizeof d->footloop_version, "%s",
	         h->version[0] ? h->version : fl_version());
	d->crc = fl_journal_crc32(0, d, offsetof(struct fl_journal_disk_header, crc));
}

static void
decode_header(const struct fl_journal_disk_header *d, struct fl_journal_header *h)
{
	memset(h, 0, sizeof *h);
	h->start_frame = d->start_frame;
	h->checkpoint = d->checkpoint;
	struct fl_engine_config *e = &h->engine;
	e->sample_rate = d->sample_rate;
	e->n_tracks = d->n_tracks;
	e->track_seconds = d->track_seconds;
	e->fade_ms = d->fade_ms;
	e->seam_ms = d->seam_ms;
	e->late_window_ms = d->late_window_ms;
	e->smooth_ms = d->smooth_ms;
	e->history_seconds = d->history_seconds;
	e->quantize = d->quantize;
	e->monitor = d->monitor != 0;
	e->monitor_level = d->monitor_level;
	e->master_level = d->master_level;
	e->latency_frames = d->latency_frames;
	e->limiter = (d->flags & 1u) != 0;
	memcpy(h->version, d->footloop_version, sizeof h->version);
	h->version[sizeof h->version - 1] = '\0';
}

static bool
write_all(int fd, const void *p, size_t n, int *err_no)
{
	const unsigned char *c = p;
	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			*err_no = w < 0 ? errno : ENOSPC;
			return false;
		}
		c += w;
		n -= (size_t)w;
	}
	return true;
}

static enum fl_status
flush_buf(struct fl_journal_file *f, int *err_no)
{
	if (f->failed) {
		*err_no = EIO;
		return FL_ERR_IO;
	}
	if (!f->used)
		return FL_OK;
	if (!write_all(f->fd, f->buf, f->used, err_no)) {
		/* Part of the buffer may be on disk: cut back to whole records. */
		f->failed = true;
		if (ftruncate(f->fd, (off_t)f->bytes) != 0)
			(void)0; /* nothing better to do; the reader stops at the torn record */
		return FL_ERR_IO;
	}
	f->bytes += f->used;
	f->used = 0;
	return FL_OK;
}

static enum fl_status
alloc_file(int fd, uint64_t bytes, struct fl_journal_file **out)
{
	struct fl_journal_file *f = malloc(sizeof *f);
	if (!f) {
		close(fd);
		return FL_ERR_NOMEM;
	}
	f->fd = fd;
	f->bytes = bytes;
	f->used = 0;
	f->failed = false;
	*out = f;
	return FL_OK;
}

enum fl_status
fl_journal_file_create(const char *path, const struct fl_journal_header *h,
                       struct fl_journal_file **out)
{
	*out = NULL;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return FL_ERR_IO;
	struct fl_journal_disk_header d;
	encode_header(h, &d);
	int e = 0;
	if (!write_all(fd, &d, sizeof d, &e) || fdatasync(fd) != 0) {
		close(fd);
		unlink(path);
		errno = e ? e : errno;
		return FL_ERR_IO;
	}
	return alloc_file(fd, sizeof d, out);
}

enum fl_status
fl_journal_file_reopen(const char *path, uint64_t end, struct fl_journal_file **out)
{
	*out = NULL;
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return FL_ERR_IO;
	if (ftruncate(fd, (off_t)end) != 0 || lseek(fd, (off_t)end, SEEK_SET) < 0) {
		close(fd);
		return FL_ERR_IO;
	}
	return alloc_file(fd, end, out);
}

enum fl_status
fl_journal_file_append(struct fl_journal_file *f, uint32_t kind, uint64_t frame,
                       uint32_t frames, uint32_t channels, const void *payload, uint32_t bytes,
                       int *err_no)
{
	if (f->failed) {
		*err_no = EIO;
		return FL_ERR_IO;
	}
	struct fl_journal_disk_rec r = {FL_JOURNAL_REC_MAGIC, kind, frame, frames, channels,
	                                bytes, 0};
	uint32_t crc = fl_journal_crc32(0, &r, sizeof r);
	r.crc = fl_journal_crc32(crc, payload, bytes);
	size_t need = sizeof r + bytes;
	if (need > BUF_BYTES)
		return FL_ERR_RANGE;
	if (f->used + need > BUF_BYTES && flush_buf(f, err_no) != FL_OK)
		return FL_ERR_IO;
	memcpy(f->buf + f->used, &r, sizeof r);
	if (bytes)
		memcpy(f->buf + f->used + sizeof r, payload, bytes);
	f->used += (uint32_t)need;
	return FL_OK;
}

enum fl_status
fl_journal_file_sync(struct fl_journal_file *f, int *err_no)
{
	enum fl_status st = flush_buf(f, err_no);
	if (st != FL_OK)
		return st;
	if (fdatasync(f->fd) != 0) {
		*err_no = errno;
		return FL_ERR_IO;
	}
	return FL_OK;
}

uint64_t
fl_journal_file_bytes(const struct fl_journal_file *f)
{
	return f->bytes + f->used;
}

void
fl_journal_file_close(struct fl_journal_file *f, bool clean)
{
	if (!f)
		return;
	int e = 0;
	/* Best effort: a failure here leaves an unmarked (restorable) file. */
	if (clean && fl_journal_file_append(f, FL_JOURNAL_REC_CLEAN, 0, 0, 0, NULL, 0, &e) != FL_OK)
		e = 0;
	if (fl_journal_file_sync(f, &e) != FL_OK)
		e = 0;
	close(f->fd);
	free(f);
}

enum fl_status
fl_journal_reader_open(struct fl_journal_reader *r, const char *path, char *err, size_t errlen)
{
	memset(r, 0, sizeof *r);
	r->f = fopen(path, "rbe");
	if (!r->f) {
		snprintf(err, errlen, "cannot open journal '%s': %s", path, strerror(errno));
		return FL_ERR_IO;
	}
	struct stat sb;
	if (fstat(fileno(r->f), &sb) == 0)
		r->file_bytes = (uint64_t)sb.st_size;
	struct fl_journal_disk_header d;
	const char *why = NULL;
	if (fread(&d, sizeof d, 1, r->f) != 1)
		why = "shorter than a journal header";
	else if (memcmp(d.magic, FL_JOURNAL_MAGIC, 8) != 0)
		why = "not a footloop journal (bad magic)";
	else if (d.version != FL_JOURNAL_VERSION || d.header_bytes != sizeof d)
		why = "written by another journal format version";
	else if (d.crc != fl_journal_crc32(0, &d, offsetof(struct fl_journal_disk_header, crc)))
		why = "its header is damaged (crc mismatch)";
	else if (!d.sample_rate || !d.n_tracks || d.n_tracks > FL_MAX_TRACKS)
		why = "its header has an impossible rate or track count";
	if (why) {
		snprintf(err, errlen, "journal '%s' is unusable: %s", path, why);
		fl_journal_reader_close(r);
		return FL_ERR_FORMAT;
	}
	decode_header(&d, &r->header);
	r->offset = sizeof d;
	return FL_OK;
}

/* A failed read at the very end is a torn write; before it, damage. */
static enum fl_journal_read
bad_record(const struct fl_journal_reader *r, uint64_t rec_end)
{
	return rec_end >= r->file_bytes ? FL_JOURNAL_TRUNCATED : FL_JOURNAL_CORRUPT;
}

enum fl_journal_read
fl_journal_reader_next(struct fl_journal_reader *r, struct fl_journal_disk_rec *rec,
                       void *payload, uint32_t cap)
{
	if (r->offset == r->file_bytes)
		return FL_JOURNAL_END;
	if (fseeko(r->f, (off_t)r->offset, SEEK_SET) != 0 || fread(rec, sizeof *rec, 1, r->f) != 1)
		return FL_JOURNAL_TRUNCATED;
	uint64_t end = r->offset + sizeof *rec + rec->bytes;
	if (rec->magic != FL_JOURNAL_REC_MAGIC || rec->bytes > cap)
		return bad_record(r, end);
	if (rec->bytes && fread(payload, rec->bytes, 1, r->f) != 1)
		return FL_JOURNAL_TRUNCATED;
	uint32_t want = rec->crc;
	rec->crc = 0;
	uint32_t crc = fl_journal_crc32(fl_journal_crc32(0, rec, sizeof *rec), payload, rec->bytes);
	rec->crc = want;
	if (crc != want)
		return bad_record(r, end);
	r->offset = end;
	return FL_JOURNAL_RECORD;
}

void
fl_journal_reader_close(struct fl_journal_reader *r)
{
	if (r->f)
		fclose(r->f);
	r->f = NULL;
}
