/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The journal file format and writer thread: round trip through the tap
 * ring, clean-shutdown mark, a torn tail is ignored, damage before the end
 * is reported, a bad header is refused; a hole in the input stops the
 * journal (gap counted); a file size limit (RLIMIT_FSIZE) is a counted
 * write error that leaves a readable file, never a crash. */
#include "check.h"
#include "persist/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[256];

static void
header(struct fl_journal_header *h, uint64_t start)
{
	memset(h, 0, sizeof *h);
	h->engine.track_seconds = 20.0f;
	h->engine.fade_ms = 10.0f;
	h->engine.monitor = true;
	h->engine.sample_rate = 48000;
	h->engine.n_tracks = 3;
	h->start_frame = start;
	h->checkpoint = 0;
}

/* Producer side, as the engine's process thread would write it. */
static bool
push_audio(struct fl_ring *ring, uint64_t frame, uint32_t frames)
{
	float buf[2 * 256];
	for (uint32_t i = 0; i < frames; i++) {
		buf[2 * i] = (float)(frame + i);
		buf[2 * i + 1] = -(float)(frame + i);
	}
	struct fl_tap_record h = {FL_TAP_RECORD_AUDIO, frames, frame, 2,
	                          frames * 2 * (uint32_t)sizeof(float)};
	return fl_ring_write2(ring, &h, sizeof h, buf, h.bytes);
}

static bool
push_cmd(struct fl_ring *ring, uint16_t type, uint16_t track, uint64_t frame)
{
	struct fl_cmd c = {.type = type, .track = track, .arg = 7, .value = 0.5f, .frame = frame};
	struct fl_tap_record h = {FL_TAP_RECORD_CMD, 0, frame, 0, sizeof c};
	return fl_ring_write2(ring, &h, sizeof h, &c, sizeof c);
}

static struct fl_journal *
start_writer(uint64_t start)
{
	struct fl_journal_config jc = {.sample_rate = 48000, .ring_seconds = 1, .sync_ms = 50};
	snprintf(jc.dir, sizeof jc.dir, "%s", dir);
	struct fl_journal *j = NULL;
	CHECK(fl_journal_create(&jc, &j) == FL_OK);
	struct fl_journal_header h;
	header(&h, start);
	char err[256] = "";
	CHECK_MSG(fl_journal_start(j, &h, NULL, 0, err, sizeof err) == FL_OK, "%s", err);
	return j;
}

/* Reads path back: audio must be the ramp from start, contiguous. */
static enum fl_journal_read
read_back(const char *path, uint64_t start, uint64_t *frames, uint64_t *cmds, bool *clean)
{
	struct fl_journal_reader r;
	char err[256];
	*frames = *cmds = 0;
	*clean = false;
	CHECK_MSG(fl_journal_reader_open(&r, path, err, sizeof err) == FL_OK, "%s", err);
	CHECK(r.header.start_frame == start && r.header.engine.n_tracks == 3);
	static float p[2 * FL_JOURNAL_MAX_FRAMES];
	struct fl_journal_disk_rec rec;
	enum fl_journal_read rd;
	while ((rd = fl_journal_reader_next(&r, &rec, p, sizeof p)) == FL_JOURNAL_RECORD) {
		if (rec.kind == FL_JOURNAL_REC_CLEAN)
			*clean = true;
		else if (rec.kind == FL_TAP_RECORD_CMD)
			(*cmds)++;
		else if (rec.kind == FL_TAP_RECORD_AUDIO) {
			CHECK(rec.frame == start + *frames);
			bool ok = true;
			for (uint32_t i = 0; i < rec.frames; i++)
				ok &= p[2 * i] == (float)(rec.frame + i) && p[2 * i + 1] == -(float)(rec.frame + i);
			CHECK(ok);
			*frames += rec.frames;
		}
	}
	fl_journal_reader_close(&r);
	return rd;
}

static void
test_round_trip(void)
{
	struct fl_journal *j = start_writer(1000);
	struct fl_ring *ring = fl_journal_ring(j);
	uint64_t f = 1000;
	CHECK(push_cmd(ring, FL_CMD_TAP, 0, f));
	for (int b = 0; b < 400; b++) { /* 400 x 200 frames, commands in between */
		if (b % 50 == 10)
			CHECK(push_cmd(ring, FL_CMD_RECORD, 1, f));
		while (!push_audio(ring, f, 200))
			usleep(1000);
		f += 200;
	}
	fl_journal_stop(j, true);
	struct fl_journal_stats st;
	fl_journal_get_stats(j, &st);
	CHECK(st.gaps == 0 && st.write_errors == 0 && st.writing);
	CHECK(st.synced_frame == f);
	uint64_t frames, cmds;
	bool clean;
	char path[320];
	snprintf(path, sizeof path, "%s", fl_journal_path(j));
	CHECK(read_back(path, 1000, &frames, &cmds, &clean) == FL_JOURNAL_END);
	CHECK(frames == 80000 && cmds == 9 && clean);
	fl_journal_free(j);

	/* Torn tail: cut 100 bytes off, the clean mark and a record go. */
	struct stat sb;
	CHECK(stat(path, &sb) == 0);
	CHECK(truncate(path, sb.st_size - 100) == 0);
	CHECK(read_back(path, 1000, &frames, &cmds, &clean) == FL_JOURNAL_TRUNCATED);
	CHECK(frames == 80000 - 200 && !clean);

	/* Damage in the middle: a flipped byte is corruption, not a torn end. */
	int fd = open(path, O_RDWR);
	CHECK(fd >= 0);
	unsigned char x;
	CHECK(pread(fd, &x, 1, 50000) == 1);
	x ^= 0x40;
	CHECK(pwrite(fd, &x, 1, 50000) == 1);
	close(fd);
	CHECK(read_back(path, 1000, &frames, &cmds, &clean) == FL_JOURNAL_CORRUPT);
	CHECK_MSG(frames > 5000 && frames < 10000, "%llu frames", (unsigned long long)frames);

	/* A bad header is refused with a sentence naming the file. */
	fd = open(path, O_RDWR);
	CHECK(pwrite(fd, "XX", 2, 0) == 2);
	close(fd);
	struct fl_journal_reader r;
	char err[256] = "";
	CHECK(fl_journal_reader_open(&r, path, err, sizeof err) == FL_ERR_FORMAT);
	CHECK(strstr(err, path) && strstr(err, "magic"));
	unlink(path);
}

static void
test_gap(void)
{
	struct fl_journal *j = start_writer(0);
	struct fl_ring *ring = fl_journal_ring(j);
	CHECK(push_audio(ring, 0, 256) && push_audio(ring, 256, 256));
	CHECK(push_audio(ring, 1024, 256)); /* 512 frames dropped by a full ring */
	CHECK(push_audio(ring, 1280, 256));
	fl_journal_stop(j, true);
	struct fl_journal_stats st;
	fl_journal_get_stats(j, &st);
	CHECK(st.gaps >= 1 && !st.writing);
	uint64_t frames, cmds;
	bool clean;
	CHECK(read_back(fl_journal_path(j), 0, &frames, &cmds, &clean) == FL_JOURNAL_END);
	CHECK(frames == 512 && !clean); /* stops before the hole; no clean mark */
	unlink(fl_journal_path(j));
	fl_journal_free(j);
}

/* In a child: a 300 kB file size limit under 2 s of audio. */
static int
fsize_child(void)
{
	fl_check_failed = 0; /* the parent's count is not ours */
	struct rlimit rl = {300 * 1024, 300 * 1024};
	if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
		return 77;
	struct fl_journal *j = start_writer(0);
	struct fl_ring *ring = fl_journal_ring(j);
	for (uint64_t f = 0; f < 96000; f += 256)
		while (!push_audio(ring, f, 256))
			usleep(1000);
	fl_journal_stop(j, true);
	struct fl_journal_stats st;
	fl_journal_get_stats(j, &st);
	CHECK_MSG(st.write_errors >= 1 && st.gaps >= 1 && !st.writing, "errors %llu gaps %llu",
	          (unsigned long long)st.write_errors, (unsigned long long)st.gaps);
	uint64_t frames, cmds;
	bool clean;
	/* The file was cut back to whole records: it reads to a clean end. */
	CHECK(read_back(fl_journal_path(j), 0, &frames, &cmds, &clean) == FL_JOURNAL_END);
	CHECK_MSG(frames > 10000 && frames < 40000, "%llu frames", (unsigned long long)frames);
	unlink(fl_journal_path(j));
	fl_journal_free(j);
	return fl_check_failed ? 1 : 0;
}

static void
test_file_size_limit(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(fsize_child());
	int ws = 0;
	CHECK(waitpid(pid, &ws, 0) == pid);
	CHECK_MSG(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "child status 0x%x", ws);
}

static void
test_resolve_dir(void)
{
	char out[256], err[256], want[300];
	snprintf(want, sizeof want, "%s/state", dir);
	setenv("STATE_DIRECTORY", want, 1);
	CHECK(fl_journal_resolve_dir("", out, sizeof out, err, sizeof err) == FL_OK);
	snprintf(want, sizeof want, "%s/state/journal", dir);
	CHECK(strcmp(out, want) == 0);
	struct stat sb;
	CHECK(stat(want, &sb) == 0 && S_ISDIR(sb.st_mode));
	rmdir(want);
	snprintf(want, sizeof want, "%s/state", dir);
	rmdir(want);
	unsetenv("STATE_DIRECTORY");
	CHECK(fl_journal_resolve_dir("/proc/nope/x", out, sizeof out, err, sizeof err) ==
	      FL_ERR_IO);
	CHECK(strstr(err, "/proc/nope/x") != NULL);
}

int
main(void)
{
	snprintf(dir, sizeof dir, "%s/fl-test-journal-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_round_trip();
	test_gap();
	test_file_size_limit();
	test_resolve_dir();
	rmdir(dir);
	return fl_check_summary("test_journal");
}
