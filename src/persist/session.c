/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Why RENAME_EXCHANGE: replacing a directory with rename() needs the target
 * gone first, which opens a window with no session at all. Exchanging the
 * fully written and synced temporary directory with the old one is a single
 * atomic step; the old one is then deleted under the temporary name. */
#define _GNU_SOURCE /* renameat2 */
#include "persist/session.h"

#include "core/log.h"
#include "persist/resample.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK_FRAMES 16384u

void
fl_session_free(struct fl_session *s)
{
	if (!s)
		return;
	for (uint32_t t = 0; t < FL_MAX_TRACKS; t++)
		free(s->audio[t]);
	free(s);
}

/* ---- saving ---- */

static enum fl_status
write_wav(int dirfd, const char *fname, uint32_t rate, const struct fl_region *r, char *err,
          size_t errlen)
{
	int fd = openat(dirfd, fname, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", fname, strerror(errno));
		return FL_ERR_IO;
	}
	SF_INFO info = { .samplerate = (int)rate, .channels = 2,
			 .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
	SNDFILE *sf = sf_open_fd(fd, SFM_WRITE, &info, 0);
	if (!sf) {
		snprintf(err, errlen, "%s: %s", fname, sf_strerror(NULL));
		close(fd);
		return FL_ERR_IO;
	}
	uint64_t done = 0, off = r->offset % r->cap_frames;
	enum fl_status st = FL_OK;
	while (done < r->frames && st == FL_OK) {
		uint64_t n = r->frames - done;
		if (n > r->cap_frames - off)
			n = r->cap_frames - off; /* up to the ring's end, then wrap */
		if (n > CHUNK_FRAMES)
			n = CHUNK_FRAMES;
		sf_count_t w = sf_writef_float(sf, r->mem + 2u * off, (sf_count_t)n);
		if (w != (sf_count_t)n) {
			snprintf(err, errlen, "%s: write failed after %llu frames: %s", fname,
			         (unsigned long long)done, sf_strerror(sf));
			st = FL_ERR_IO;
		}
		done += n;
		off = (off + n) % r->cap_frames;
	}
	if (sf_close(sf) != 0 && st == FL_OK) {
		snprintf(err, errlen, "%s: closing failed (disk full?)", fname);
		st = FL_ERR_IO;
	}
	if (st == FL_OK && fsync(fd) != 0) {
		snprintf(err, errlen, "%s: fsync: %s", fname, strerror(errno));
		st = FL_ERR_IO;
	}
	close(fd);
	return st;
}

static enum fl_status
write_manifest(int dirfd, const struct fl_manifest *m, char *err, size_t errlen)
{
	size_t cap = FL_MANIFEST_MAX_BYTES, len = 0;
	char *text = malloc(cap);
	if (!text) {
		snprintf(err, errlen, "out of memory formatting the manifest");
		return FL_ERR_NOMEM;
	}
	enum fl_status st = fl_manifest_format(m, text, cap, &len);
	if (st != FL_OK) {
		free(text);
		snprintf(err, errlen, "manifest too large");
		return st;
	}
	int fd = openat(dirfd, FL_MANIFEST_FILE, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	                0644);
	ssize_t w = fd >= 0 ? write(fd, text, len) : -1;
	int e = errno;
	free(text);
	if (fd < 0 || w != (ssize_t)len || fsync(fd) != 0) {
		snprintf(err, errlen, "%s: %s", FL_MANIFEST_FILE,
		         w >= 0 && w != (ssize_t)len ? "short write (disk full?)" : strerror(e));
		if (fd >= 0)
			close(fd);
		return FL_ERR_IO;
	}
	close(fd);
	return FL_OK;
}

/* Deletes a session-shaped directory (plain files only, no recursion
 * beyond one level: that is all a session holds). */
static void
remove_dir(int rootfd, const char *name)
{
	int d = openat(rootfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (d >= 0) {
		DIR *dir = fdopendir(d);
		struct dirent *de;
		while (dir && (de = readdir(dir)) != NULL) {
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
				(void)unlinkat(d, de->d_name, 0);
		}
		if (dir)
			closedir(dir);
		else
			close(d);
	}
	if (unlinkat(rootfd, name, AT_REMOVEDIR) != 0 && errno != ENOENT)
		fl_warn("session: could not remove %s: %s", name, strerror(errno));
}

static enum fl_status
write_all(int tmpfd, const struct fl_manifest *m, const struct fl_region *regions, char *err,
          size_t errlen)
{
	for (uint32_t t = 0; t < m->n_tracks; t++) {
		const struct fl_manifest_track *mt = &m->track[t];
		if (!mt->present)
			continue;
		if (regions[t].frames != mt->length_frames || !regions[t].mem || !regions[t].cap_frames) {
			snprintf(err, errlen, "track %u: region does not match the manifest", t + 1);
			return FL_ERR_BAD_ARG;
		}
		enum fl_status st = write_wav(tmpfd, mt->file, m->sample_rate, &regions[t], err, errlen);
		if (st != FL_OK)
			return st;
	}
	enum fl_status st = write_manifest(tmpfd, m, err, errlen);
	if (st == FL_OK && fsync(tmpfd) != 0) {
		snprintf(err, errlen, "fsync of the session directory: %s", strerror(errno));
		st = FL_ERR_IO;
	}
	return st;
}

/* Moves the written temporary directory to name; the old session (if any)
 * ends up under tmpname. */
static enum fl_status
swap_in(int rootfd, const char *tmpname, const char *name, bool *had_old, char *err,
        size_t errlen)
{
	struct stat sb;
	*had_old = fstatat(rootfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0;
	if (*had_old && !S_ISDIR(sb.st_mode)) {
		snprintf(err, errlen, "session \"%s\" exists and is not a directory", name);
		return FL_ERR_BAD_ARG;
	}
	int r = renameat2(rootfd, tmpname, rootfd, name, *had_old ? RENAME_EXCHANGE : RENAME_NOREPLACE);
	if (r != 0) {
		snprintf(err, errlen, "renaming the new session \"%s\" into place: %s", name,
		         strerror(errno));
		return FL_ERR_IO;
	}
	if (fsync(rootfd) != 0)
		fl_warn("session: fsync of the session directory failed: %s", strerror(errno));
	return FL_OK;
}

enum fl_status
fl_session_save(const char *root, const char *name, const struct fl_manifest *m,
                const struct fl_region *regions, char *err, size_t errlen)
{
	enum fl_status st = fl_session_name_check(name, err, errlen);
	int rootfd = -1;
	if (st == FL_OK)
		st = fl_session_root_open(root, true, &rootfd, err, errlen);
	if (st != FL_OK)
		return st;
	char tmppath[PATH_MAX];
	if (snprintf(tmppath, sizeof tmppath, "%s/.tmp-%s-XXXXXX", root, name) >= (int)sizeof tmppath ||
	    !mkdtemp(tmppath)) {
		snprintf(err, errlen, "cannot create a temporary directory in %s: %s", root,
		         strerror(errno));
		close(rootfd);
		return FL_ERR_IO;
	}
	const char *tmpname = strrchr(tmppath, '/') + 1;
	int tmpfd = openat(rootfd, tmpname, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (tmpfd < 0) {
		snprintf(err, errlen, "%s: %s", tmppath, strerror(errno));
		st = FL_ERR_IO;
	} else {
		st = write_all(tmpfd, m, regions, err, errlen);
		close(tmpfd);
	}
	bool had_old = false;
	if (st == FL_OK)
		st = swap_in(rootfd, tmpname, name, &had_old, err, errlen);
	/* On failure: the half-written new one; on success: the old one. */
	if (st != FL_OK || had_old)
		remove_dir(rootfd, tmpname);
	close(rootfd);
	return st;
}

/* ---- loading ---- */

static enum fl_status
read_manifest(int dirfd, const char *name, struct fl_manifest *m, char *err, size_t errlen)
{
	int fd;
	char e2[256];
	enum fl_status st = fl_session_file_open(dirfd, FL_MANIFEST_FILE, &fd, e2, sizeof e2);
	if (st != FL_OK) {
		snprintf(err, errlen, "session \"%s\": %s", name, e2);
		return st == FL_ERR_NOT_FOUND ? FL_ERR_FORMAT : st;
	}
	char *text = malloc(FL_MANIFEST_MAX_BYTES + 1);
	ssize_t n = text ? read(fd, text, FL_MANIFEST_MAX_BYTES + 1) : -1;
	close(fd);
	if (n < 0 || n > (ssize_t)FL_MANIFEST_MAX_BYTES) {
		snprintf(err, errlen, "session \"%s\": %s: %s", name, FL_MANIFEST_FILE,
		         n < 0 ? "cannot be read" : "larger than 256 KiB");
		free(text);
		return FL_ERR_FORMAT;
	}
	text[n] = '\0';
	if (memchr(text, '\0', (size_t)n)) {
		snprintf(err, errlen, "session \"%s\": %s: binary data, not a manifest", name,
		         FL_MANIFEST_FILE);
		free(text);
		return FL_ERR_FORMAT;
	}
	char fname[FL_SESSION_NAME_MAX + 32];
	snprintf(fname, sizeof fname, "%s/%s", name, FL_MANIFEST_FILE);
	st = fl_manifest_parse(m, text, fname, err, errlen);
	free(text);
	return st;
}

static bool
subtype_ok(int format)
{
	switch (format & SF_FORMAT_SUBMASK) {
	case SF_FORMAT_PCM_S8: case SF_FORMAT_PCM_U8: case SF_FORMAT_PCM_16:
	case SF_FORMAT_PCM_24: case SF_FORMAT_PCM_32: case SF_FORMAT_FLOAT:
	case SF_FORMAT_DOUBLE:
		return true;
	default:
		return false;
	}
}

/* Reads one track's file into a new interleaved stereo buffer. */
static enum fl_status
read_wav(int dirfd, const char *sname, uint32_t t, const struct fl_manifest *m, float **out,
         char *err, size_t errlen)
{
	const struct fl_manifest_track *mt = &m->track[t];
	int fd;
	char e2[256];
	enum fl_status st = fl_session_file_open(dirfd, mt->file, &fd, e2, sizeof e2);
	if (st != FL_OK) {
		snprintf(err, errlen, "session \"%s\" track %u: %s", sname, t + 1, e2);
		return st == FL_ERR_NOT_FOUND ? FL_ERR_FORMAT : st;
	}
	SF_INFO info = { 0 };
	SNDFILE *sf = sf_open_fd(fd, SFM_READ, &info, 1);
	const char *why = NULL;
	char why_buf[160];
	if (!sf) {
		snprintf(why_buf, sizeof why_buf, "not a readable sound file (%s)", sf_strerror(NULL));
		why = why_buf;
	} else if (!subtype_ok(info.format)) {
		why = "sample format is not PCM or float";
	} else if (info.channels != 1 && info.channels != 2) {
		snprintf(why_buf, sizeof why_buf, "%d channels (1 or 2 expected)", info.channels);
		why = why_buf;
	} else if ((uint32_t)info.samplerate != m->sample_rate) {
		snprintf(why_buf, sizeof why_buf, "rate %d Hz, the manifest says %u Hz",
		         info.samplerate, m->sample_rate);
		why = why_buf;
	} else if ((uint64_t)info.frames != mt->length_frames) {
		snprintf(why_buf, sizeof why_buf, "%lld frames, the manifest says %llu (truncated?)",
		         (long long)info.frames, (unsigned long long)mt->length_frames);
		why = why_buf;
	}
	float *buf = why ? NULL : malloc(mt->length_frames * 2u * sizeof(float));
	if (!why && !buf)
		why = "out of memory";
	uint64_t got = 0;
	while (!why && got < mt->length_frames) {
		uint64_t n = mt->length_frames - got;
		n = n > CHUNK_FRAMES ? CHUNK_FRAMES : n;
		/* mono is read into the right half of the span, then spread */
		float *dst = buf + 2u * got + (info.channels == 1 ? n : 0);
		sf_count_t r = sf_readf_float(sf, dst, (sf_count_t)n);
		if (r != (sf_count_t)n) {
			why = "short read (truncated or corrupt data)";
			break;
		}
		if (info.channels == 1) {
			for (uint64_t i = 0; i < n; i++)
				buf[2u * (got + i)] = buf[2u * (got + i) + 1] = dst[i];
		}
		got += n;
	}
	if (sf)
		sf_close(sf);
	if (why) {
		snprintf(err, errlen, "session \"%s\" track %u: %s: %s", sname, t + 1, mt->file, why);
		free(buf);
		return FL_ERR_FORMAT;
	}
	*out = buf;
	return FL_OK;
}

/* Brings every loop to rate; lengths and phases follow the rule in
 * resample.h. */
static enum fl_status
convert_rate(struct fl_session *s, uint32_t rate, char *err, size_t errlen)
{
	struct fl_manifest *m = &s->man;
	if (!fl_resample_available()) {
		snprintf(err, errlen,
		         "session \"%s\" is at %u Hz, the engine runs at %u Hz, and this build has "
		         "no libsamplerate: refused (it would play at the wrong speed)",
		         s->name, m->sample_rate, rate);
		return FL_ERR_UNSUPPORTED;
	}
	for (uint32_t t = 0; t < m->n_tracks; t++) {
		struct fl_manifest_track *mt = &m->track[t];
		if (!mt->present)
			continue;
		uint64_t n = fl_resample_length(mt->length_frames, m->cycle_frames, m->sample_rate, rate);
		float *res;
		enum fl_status st = fl_resample_loop(s->audio[t], mt->length_frames, n, &res, err, errlen);
		if (st != FL_OK)
			return st;
		free(s->audio[t]);
		s->audio[t] = res;
		mt->phase_frames = (uint64_t)(((__uint128_t)mt->phase_frames * n + mt->length_frames / 2) /
		                              mt->length_frames) % n;
		mt->length_frames = n;
	}
	if (m->cycle_frames)
		m->cycle_frames = fl_resample_length(m->cycle_frames, m->cycle_frames, m->sample_rate, rate);
	m->sample_rate = rate;
	return FL_OK;
}

static enum fl_status
check_limits(const struct fl_session *s, uint64_t max_frames, uint32_t max_tracks, char *err,
             size_t errlen)
{
	for (uint32_t t = 0; t < s->man.n_tracks; t++) {
		const struct fl_manifest_track *mt = &s->man.track[t];
		if (!mt->present)
			continue;
		if (t >= max_tracks) {
			snprintf(err, errlen, "session \"%s\" has a loop on track %u; the engine has %u tracks",
			         s->name, t + 1, max_tracks);
			return FL_ERR_RANGE;
		}
		if (max_frames && mt->length_frames > max_frames) {
			snprintf(err, errlen,
			         "session \"%s\" track %u: %llu frames, longer than the track memory (%llu)",
			         s->name, t + 1, (unsigned long long)mt->length_frames,
			         (unsigned long long)max_frames);
			return FL_ERR_RANGE;
		}
	}
	return FL_OK;
}

static enum fl_status
load_all(int dirfd, struct fl_session *s, uint32_t rate, char *err, size_t errlen)
{
	enum fl_status st = read_manifest(dirfd, s->name, &s->man, err, errlen);
	for (uint32_t t = 0; st == FL_OK && t < s->man.n_tracks; t++) {
		if (s->man.track[t].present)
			st = read_wav(dirfd, s->name, t, &s->man, &s->audio[t], err, errlen);
	}
	s->file_rate = s->man.sample_rate;
	if (st == FL_OK && rate && s->man.sample_rate != rate)
		st = convert_rate(s, rate, err, errlen);
	return st;
}

enum fl_status
fl_session_load(const char *root, const char *name, uint32_t rate, uint64_t max_frames,
                uint32_t max_tracks, struct fl_session **out, char *err, size_t errlen)
{
	*out = NULL;
	int rootfd = -1, dirfd = -1;
	enum fl_status st = fl_session_name_check(name, err, errlen);
	if (st == FL_OK)
		st = fl_session_root_open(root, false, &rootfd, err, errlen);
	if (st == FL_OK)
		st = fl_session_dir_open(rootfd, name, &dirfd, err, errlen);
	if (rootfd >= 0)
		close(rootfd);
	if (st != FL_OK)
		return st;
	struct fl_session *s = calloc(1, sizeof *s);
	if (!s) {
		close(dirfd);
		snprintf(err, errlen, "out of memory loading session \"%s\"", name);
		return FL_ERR_NOMEM;
	}
	snprintf(s->name, sizeof s->name, "%s", name);
	st = load_all(dirfd, s, rate, err, errlen);
	close(dirfd);
	if (st == FL_OK)
		st = check_limits(s, max_frames, max_tracks, err, errlen);
	if (st != FL_OK) {
		fl_session_free(s);
		return st;
	}
	*out = s;
	return FL_OK;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

enum fl_status
fl_session_list(const char *root, char (*names)[FL_SESSION_NAME_MAX + 1], size_t max,
                size_t *count, char *err, size_t errlen)
{
	*count = 0;
	int rootfd;
	enum fl_status st = fl_session_root_open(root, false, &rootfd, err, errlen);
	if (st == FL_ERR_NOT_FOUND)
		return FL_OK; /* no directory yet: no sessions */
	if (st != FL_OK)
		return st;
	DIR *dir = fdopendir(rootfd);
	if (!dir) {
		snprintf(err, errlen, "%s: %s", root, strerror(errno));
		close(rootfd);
		return FL_ERR_IO;
	}
	struct dirent *de;
	char e2[128];
	while ((de = readdir(dir)) != NULL && *count < max) {
		struct stat sb;
		if (fl_session_name_check(de->d_name, e2, sizeof e2) != FL_OK ||
		    fstatat(rootfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(sb.st_mode))
			continue;
		char mpath[sizeof de->d_name + 32];
		snprintf(mpath, sizeof mpath, "%s/%s", de->d_name, FL_MANIFEST_FILE);
		if (fstatat(rootfd, mpath, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode))
			continue;
		memcpy(names[*count], de->d_name, strlen(de->d_name) + 1); /* checked: <= 64 */
		(*count)++;
	}
	closedir(dir);
	qsort(names, *count, sizeof names[0], cmp_names);
	return FL_OK;
}
