/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Sessions on disk without the engine: save/load round trip bit-exact
 * (including a region that wraps around the ring), list, corrupt /
 * truncated / wrong-format WAVs and manifests (clear error naming the file,
 * nothing returned), traversal names, atomicity under a file-size limit
 * (RLIMIT_FSIZE: the save fails half-way, the old session still loads), and
 * a session at 44.1 kHz loaded at 48 kHz (length rule, pitch by a sine
 * frequency estimate) or refused without libsamplerate. */
#include "persist/resample.h"
#include "persist/session.h"

#include "check.h"

#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static char root[64];

static void
fill(float *buf, uint64_t frames, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1u;
	for (uint64_t i = 0; i < 2 * frames; i++) {
		x = x * 1664525u + 1013904223u;
		buf[i] = (float)(int32_t)x * (1.0f / 2147483648.0f);
	}
}

/* A manifest with tracks 1 and 3 holding loops of len frames. */
static void
make_manifest(struct fl_manifest *m, uint32_t rate, uint64_t len)
{
	fl_manifest_init(m, rate, 4);
	m->cycle_frames = len / 2;
	for (uint32_t t = 0; t < 4; t += 2) {
		m->track[t].present = true;
		fl_manifest_track_file(t, m->track[t].file, sizeof m->track[t].file);
		m->track[t].length_frames = len;
		m->track[t].phase_frames = t * 100u;
		m->track[t].level = 0.5f + 0.25f * (float)t;
	}
}

static enum fl_status
save_pattern(const char *name, uint64_t len, uint32_t seed, float *ring, uint64_t cap)
{
	struct fl_manifest m;
	make_manifest(&m, 48000, len);
	fill(ring, cap, seed);
	struct fl_region reg[4] = { 0 };
	reg[0] = (struct fl_region){ ring, cap, cap - 100, len }; /* wraps */
	reg[2] = (struct fl_region){ ring, cap, 7, len };
	char err[256] = "";
	enum fl_status st = fl_session_save(root, name, &m, reg, err, sizeof err);
	if (st != FL_OK)
		fprintf(stderr, "save %s: %s\n", name, err);
	return st;
}

static bool
matches(const struct fl_session *s, uint32_t t, const float *ring, uint64_t cap, uint64_t off)
{
	uint64_t len = s->man.track[t].length_frames;
	for (uint64_t i = 0; i < len; i++) {
		uint64_t k = (off + i) % cap;
		if (memcmp(&s->audio[t][2 * i], &ring[2 * k], 2 * sizeof(float)) != 0)
			return false;
	}
	return true;
}

static void
test_round_trip(void)
{
	const uint64_t cap = 3000, len = 1000;
	float *ring = malloc(cap * 2 * sizeof(float));
	CHECK(save_pattern("song_a", len, 1, ring, cap) == FL_OK);
	struct fl_session *s = NULL;
	char err[256] = "";
	CHECK_MSG(fl_session_load(root, "song_a", 48000, 0, 4, &s, err, sizeof err) == FL_OK, "%s", err);
	if (s) {
		CHECK(s->man.track[0].present && !s->man.track[1].present && s->man.track[2].present);
		CHECK(matches(s, 0, ring, cap, cap - 100));
		CHECK(matches(s, 2, ring, cap, 7));
		CHECK(s->audio[1] == NULL && s->man.track[2].phase_frames == 200);
		CHECK(s->man.track[2].level == 1.0f && s->file_rate == 48000);
	}
	fl_session_free(s);
	s = NULL;
	/* limits: track memory and track count */
	CHECK(fl_session_load(root, "song_a", 48000, 999, 4, &s, err, sizeof err) == FL_ERR_RANGE);
	CHECK(s == NULL && strstr(err, "track memory") != NULL);
	CHECK(fl_session_load(root, "song_a", 48000, 0, 2, &s, err, sizeof err) == FL_ERR_RANGE);
	/* overwrite with other content: the new one is there, no temp left */
	CHECK(save_pattern("song_a", len, 2, ring, cap) == FL_OK);
	CHECK(fl_session_load(root, "song_a", 48000, 0, 4, &s, err, sizeof err) == FL_OK);
	if (s)
		CHECK(matches(s, 2, ring, cap, 7));
	fl_session_free(s);
	CHECK(save_pattern("song_b", len, 3, ring, cap) == FL_OK);
	char names[8][FL_SESSION_NAME_MAX + 1];
	size_t n = 0;
	CHECK(fl_session_list(root, names, 8, &n, err, sizeof err) == FL_OK);
	CHECK(n == 2 && !strcmp(names[0], "song_a") && !strcmp(names[1], "song_b"));
	free(ring);
}

static void
test_traversal(void)
{
	float ring[200];
	struct fl_manifest m;
	make_manifest(&m, 48000, 10);
	struct fl_region reg[4] = { { ring, 100, 0, 10 }, { 0 }, { ring, 100, 0, 10 }, { 0 } };
	const char *bad[] = { "../x", "/etc", "a/b", "", "..", "escape",
			      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" };
	char p[128];
	snprintf(p, sizeof p, "%s/escape", root);
	CHECK(symlink("/tmp", p) == 0);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char err[256] = "";
		struct fl_session *s = NULL;
		CHECK_MSG(fl_session_load(root, bad[i], 48000, 0, 4, &s, err, sizeof err) != FL_OK,
		          "load \"%s\"", bad[i]);
		CHECK(s == NULL && err[0]);
		CHECK_MSG(fl_session_save(root, bad[i], &m, reg, err, sizeof err) != FL_OK, "save \"%s\"",
		          bad[i]);
	}
	unlink(p);
}

static void
copy_session(const char *from, const char *to)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf '%s/%s' && cp -r '%s/%s' '%s/%s'", root, to, root, from, root, to);
	CHECK(system(cmd) == 0);
}

static void
expect_load_error(const char *name, const char *want)
{
	struct fl_session *s = NULL;
	char err[256] = "";
	CHECK_MSG(fl_session_load(root, name, 48000, 0, 4, &s, err, sizeof err) != FL_OK,
	          "%s loaded", name);
	CHECK(s == NULL);
	CHECK_MSG(strstr(err, want) != NULL, "\"%s\" lacks \"%s\"", err, want);
	fl_session_free(s);
}

static void
write_wav(const char *name, const char *file, int format, int channels, int rate, uint64_t frames)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s/%s", root, name, file);
	unlink(p);
	SF_INFO info = { .samplerate = rate, .channels = channels, .format = format };
	SNDFILE *sf = sf_open(p, SFM_WRITE, &info);
	CHECK(sf != NULL);
	float buf[64 * 8] = { 0 };
	for (uint64_t i = 0; sf && i < frames; i += 64)
		sf_writef_float(sf, buf, (sf_count_t)(frames - i < 64 ? frames - i : 64));
	if (sf)
		sf_close(sf);
}

static void
shell(const char *fmt, const char *name)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, fmt, root, name);
	CHECK_MSG(system(cmd) == 0, "%s", cmd);
}

static void
test_corrupt(void)
{
	copy_session("song_b", "c1");
	shell("printf 'RIFFjunkjunkjunk' > '%s/%s/track-01.wav'", "c1");
	expect_load_error("c1", "track-01.wav: not a readable sound file");
	copy_session("song_b", "c2");
	shell("truncate -s 3000 '%s/%s/track-03.wav'", "c2");
	expect_load_error("c2", "track-03.wav");
	copy_session("song_b", "c3");
	write_wav("c3", "track-01.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 3, 48000, 1000);
	expect_load_error("c3", "3 channels");
	copy_session("song_b", "c4");
	write_wav("c4", "track-01.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 2, 44100, 1000);
	expect_load_error("c4", "rate 44100 Hz");
	copy_session("song_b", "c5");
	write_wav("c5", "track-01.wav", SF_FORMAT_WAV | SF_FORMAT_ULAW, 2, 48000, 1000);
	expect_load_error("c5", "not PCM or float");
	copy_session("song_b", "c6");
	shell("rm '%s/%s/track-03.wav'", "c6");
	expect_load_error("c6", "track-03.wav");
	copy_session("song_b", "c7");
	shell("sed -i 's/^length_frames 1000/length_frames 1200/' '%s/%s/manifest.txt'", "c7");
	expect_load_error("c7", "1000 frames, the manifest says 1200");
	copy_session("song_b", "c8");
	shell("sed -i 's/^level .*/level loud/' '%s/%s/manifest.txt'", "c8");
	expect_load_error("c8", "c8/manifest.txt:");
	copy_session("song_b", "c9");
	shell("head -c 20 /dev/urandom > '%s/%s/manifest.txt'", "c9");
	expect_load_error("c9", "manifest.txt");
	copy_session("song_b", "c10");
	shell("rm '%s/%s/manifest.txt'", "c10");
	expect_load_error("c10", "manifest.txt");
	copy_session("song_b", "c11");
	shell("ln -sf /etc/passwd '%s/%s/track-01.wav'", "c11");
	expect_load_error("c11", "symlinks are refused");
	/* PCM and mono are convertible: accepted */
	copy_session("song_b", "c12");
	write_wav("c12", "track-01.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_24, 1, 48000, 1000);
	struct fl_session *s = NULL;
	char err[256] = "";
	CHECK_MSG(fl_session_load(root, "c12", 48000, 0, 4, &s, err, sizeof err) == FL_OK, "%s", err);
	fl_session_free(s);
}

static int
count_tmp_dirs(void)
{
	DIR *d = opendir(root);
	int n = 0;
	struct dirent *de;
	while (d && (de = readdir(d)) != NULL)
		n += strncmp(de->d_name, ".tmp-", 5) == 0;
	if (d)
		closedir(d);
	return n;
}

/* The second WAV hits RLIMIT_FSIZE: the save fails, the old one stays. */
static void
test_atomic(void)
{
	const uint64_t cap = 40000, len = 30000; /* 240 KB per track */
	float *ring = malloc(cap * 2 * sizeof(float));
	CHECK(save_pattern("atom", len, 7, ring, cap) == FL_OK);
	float *ring2 = malloc(cap * 2 * sizeof(float));
	struct rlimit old, lim;
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = 100000; /* bytes: the first WAV does not fit */
	signal(SIGXFSZ, SIG_IGN);
	CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0);
	CHECK(save_pattern("atom", len, 8, ring2, cap) == FL_ERR_IO);
	CHECK(setrlimit(RLIMIT_FSIZE, &old) == 0);
	struct fl_session *s = NULL;
	char err[256] = "";
	CHECK_MSG(fl_session_load(root, "atom", 48000, 0, 4, &s, err, sizeof err) == FL_OK, "%s", err);
	if (s) {
		CHECK(matches(s, 0, ring, cap, cap - 100));
		CHECK(matches(s, 2, ring, cap, 7));
	}
	fl_session_free(s);
	CHECK(count_tmp_dirs() == 0);
	free(ring);
	free(ring2);
}

/* Frequency of channel ch by zero crossings with sub-sample interpolation. */
static double
sine_freq(const float *buf, uint64_t frames, int ch, double rate)
{
	double first = -1, last = -1;
	int n = 0;
	for (uint64_t i = 1; i < frames; i++) {
		float a = buf[2 * (i - 1) + (uint64_t)ch], b = buf[2 * i + (uint64_t)ch];
		if (a < 0.0f && b >= 0.0f) {
			double x = (double)(i - 1) + (double)a / (double)(a - b);
			if (first < 0)
				first = x;
			else
				n++;
			last = x;
		}
	}
	return n > 0 ? (double)n * rate / (last - first) : 0.0;
}

static void
test_other_rate(void)
{
	const uint64_t len = 44100; /* 1 s at 44.1 kHz: 441 periods of 441 Hz... */
	float *ring = malloc(len * 2 * sizeof(float));
	for (uint64_t i = 0; i < len; i++) /* 1000 Hz: 1000 whole periods in 1 s */
		ring[2 * i] = ring[2 * i + 1] = 0.5f * (float)sin(2.0 * M_PI * 1000.0 * (double)i / 44100.0);
	struct fl_manifest m;
	make_manifest(&m, 44100, len);
	m.cycle_frames = len / 2;
	struct fl_region reg[4] = { { ring, len, 0, len }, { 0 }, { ring, len, 0, len }, { 0 } };
	char err[256] = "";
	CHECK(fl_session_save(root, "r44", &m, reg, err, sizeof err) == FL_OK);
	struct fl_session *s = NULL;
	enum fl_status st = fl_session_load(root, "r44", 48000, 0, 4, &s, err, sizeof err);
	if (!fl_resample_available()) {
		CHECK(st == FL_ERR_UNSUPPORTED && strstr(err, "44100 Hz") && strstr(err, "refused"));
		free(ring);
		return;
	}
	CHECK_MSG(st == FL_OK, "%s", err);
	if (s) {
		CHECK(s->man.sample_rate == 48000 && s->file_rate == 44100);
		CHECK(s->man.cycle_frames == 24000);
		CHECK(s->man.track[0].length_frames == 48000);
		CHECK(s->man.track[2].phase_frames == 218); /* 200 * 48000 / 44100 */
		double f = sine_freq(s->audio[0], 48000, 0, 48000.0);
		CHECK_MSG(fabs(f - 1000.0) < 0.05, "resampled sine at %.4f Hz", f);
		/* the seam: no jump larger than a sine step anywhere, wrap included */
		float maxstep = 0.0f;
		for (uint64_t i = 0; i < 48000; i++) {
			float d = fabsf(s->audio[0][2 * ((i + 1) % 48000)] - s->audio[0][2 * i]);
			maxstep = d > maxstep ? d : maxstep;
		}
		CHECK_MSG(maxstep < 0.5f * 2.0f * (float)M_PI * 1000.0f / 48000.0f * 1.01f,
		          "largest step %g", (double)maxstep);
	}
	fl_session_free(s);
	CHECK(fl_resample_length(66150, 22050, 44100, 48000) == 72000);
	CHECK(fl_resample_length(1000, 0, 44100, 48000) == 1088);
	free(ring);
}

int
main(void)
{
	snprintf(root, sizeof root, "/tmp/fl_sess_XXXXXX");
	if (!mkdtemp(root))
		return 1;
	test_round_trip();
	test_traversal();
	test_corrupt();
	test_atomic();
	test_other_rate();
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	CHECK(system(cmd) == 0);
	return fl_check_summary("test_session_files");
}
