/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The performance recorder fed the way the engine's taps feed it (records
 * written all-or-nothing into its rings, dropped and counted when full):
 * file names carry date and song; master and stem content is bit-exact
 * (float WAV) or within 24-bit steps (FLAC); a slow writer makes the
 * producer drop records, the holes are counted and filled with silence so
 * the file keeps its length; a file-size limit (RLIMIT_FSIZE, SIGXFSZ
 * ignored) stops the recording with a clear error, no crash, and the
 * rings keep draining. */
#include "check.h"
#include "footloop/engine.h"
#include "persist/recorder.h"

#include <math.h>
#include <signal.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define SEG 256u
#define TRACKS 3u

static char dir[64];

static float
sig(uint64_t frame, uint32_t ch)
{
	return 0.5f * sinf((float)(frame % 48000u) * 0.001f * (float)(ch + 1));
}

/* Produces n frames from frame0 like the engine's taps; returns drops. */
static uint64_t
produce(struct fl_recorder *r, uint64_t frame0, uint64_t n, bool pace)
{
	static float buf[SEG * 2 * TRACKS];
	uint64_t dropped = 0;
	struct fl_ring *rings[2] = { fl_recorder_ring(r, false), fl_recorder_ring(r, true) };
	for (uint64_t f = frame0; f < frame0 + n; f += SEG) {
		for (int k = 0; k < 2; k++) {
			if (!rings[k])
				continue;
			uint32_t ch = k ? 2 * TRACKS : 2;
			for (uint32_t i = 0; i < SEG; i++)
				for (uint32_t c = 0; c < ch; c++)
					buf[i * ch + c] = sig(f + i, c);
			struct fl_tap_record h = { .kind = FL_TAP_RECORD_AUDIO, .frames = SEG, .frame = f,
						   .channels = ch, .bytes = SEG * ch * 4 };
			if (!fl_ring_write2(rings[k], &h, sizeof h, buf, h.bytes))
				dropped += k == 0;
		}
		if (pace)
			usleep(100);
	}
	return dropped;
}

static void
wait_stopped(struct fl_recorder *r, struct fl_recorder_status *st)
{
	for (int i = 0; i < 400; i++) {
		fl_recorder_status(r, st);
		if (!st->recording)
			return;
		usleep(5000);
	}
}

static SNDFILE *
open_in(const char *path, SF_INFO *info)
{
	memset(info, 0, sizeof *info);
	return sf_open(path, SFM_READ, info);
}

static void
test_names_content(enum fl_rec_format fmt)
{
	struct fl_recorder_config cfg = { .dir = dir, .format = fmt, .stems = true,
					  .n_tracks = TRACKS, .sample_rate = 48000 };
	struct fl_recorder *r;
	CHECK(fl_recorder_create(&cfg, &r) == FL_OK);
	struct tm tm = { .tm_year = 126, .tm_mon = 0, .tm_mday = 2, .tm_hour = 3, .tm_min = 4,
			 .tm_sec = 5, .tm_isdst = -1 };
	time_t when = mktime(&tm);
	CHECK(fl_recorder_start(r, "gig/1", when, 1000) == FL_OK);
	CHECK(fl_recorder_start(r, "again", when, 1000) == FL_ERR_BUSY);
	const uint64_t n = 188 * SEG;
	CHECK(produce(r, 0, n + 1024, true) == 0); /* frames < 1000 are skipped */
	fl_recorder_stop(r, 1024 + n);
	struct fl_recorder_status st;
	wait_stopped(r, &st);
	CHECK(!st.recording && !st.failed);
	const char *ext = fmt == FL_REC_FLAC_24 ? "flac" : "wav";
	char want[256];
	snprintf(want, sizeof want, "%s/2026-01-02_030405_gig_1_master.%s", dir, ext);
	CHECK_MSG(!strcmp(st.master_path, want), "%s", st.master_path);
	uint64_t frames = n; /* records from 1024 (the first >= 1000) to the stop */
	CHECK_MSG(st.frames_written == frames, "%llu", (unsigned long long)st.frames_written);
	for (uint32_t k = 0; k <= TRACKS; k++) {
		char path[256];
		if (k == 0)
			snprintf(path, sizeof path, "%s", want);
		else
			snprintf(path, sizeof path, "%s/2026-01-02_030405_gig_1_track-%u.%s", dir, k, ext);
		SF_INFO info;
		SNDFILE *sf = open_in(path, &info);
		CHECK_MSG(sf != NULL, "%s missing", path);
		if (!sf)
			continue;
		CHECK(info.channels == 2 && info.samplerate == 48000 && (uint64_t)info.frames == frames);
		float *d = malloc(frames * 2 * sizeof(float));
		CHECK(sf_readf_float(sf, d, (sf_count_t)frames) == (sf_count_t)frames);
		sf_close(sf);
		float maxerr = 0.0f;
		uint32_t c0 = k == 0 ? 0 : 2 * (k - 1);
		for (uint64_t i = 0; i < frames; i++)
			for (uint32_t c = 0; c < 2; c++) {
				float e = fabsf(d[2 * i + c] - sig(1024 + i, c0 + c));
				maxerr = e > maxerr ? e : maxerr;
			}
		float tol = fmt == FL_REC_FLAC_24 ? 1.0f / 8388608.0f : 0.0f;
		CHECK_MSG(maxerr <= tol, "%s: error %g", path, (double)maxerr);
		free(d);
	}
	fl_recorder_free(r);
}

static void
test_slow_disk(void)
{
	struct fl_recorder_config cfg = { .dir = dir, .sample_rate = 48000, .ring_ms = 30,
					  .test_delay_us = 3000 };
	struct fl_recorder *r;
	CHECK(fl_recorder_create(&cfg, &r) == FL_OK);
	CHECK(fl_recorder_start(r, "slow", time(NULL), 0) == FL_OK);
	usleep(20000);
	const uint64_t n = 96000;
	uint64_t dropped = produce(r, 0, n, true);
	fl_recorder_stop(r, n);
	struct fl_recorder_status st;
	wait_stopped(r, &st);
	CHECK_MSG(dropped > 0, "the slow writer should have made the producer drop");
	CHECK_MSG(st.frames_dropped == dropped * SEG, "counted %llu, dropped %llu",
	          (unsigned long long)st.frames_dropped, (unsigned long long)(dropped * SEG));
	CHECK(!st.failed);
	SF_INFO info;
	SNDFILE *sf = open_in(st.master_path, &info);
	CHECK(sf != NULL);
	/* holes filled: the file is as long as the performance (up to a final hole) */
	if (sf) {
		CHECK_MSG((uint64_t)info.frames <= n && (uint64_t)info.frames + 20 * SEG >= n,
		          "%lld frames", (long long)info.frames);
		sf_close(sf);
	}
	printf("slow disk: %llu of %llu segments dropped and counted\n", (unsigned long long)dropped,
	       (unsigned long long)(n / SEG));
	fl_recorder_free(r);
}

static void
test_disk_full(void)
{
	struct fl_recorder_config cfg = { .dir = dir, .sample_rate = 48000 };
	struct fl_recorder *r;
	CHECK(fl_recorder_create(&cfg, &r) == FL_OK);
	signal(SIGXFSZ, SIG_IGN);
	struct rlimit old, lim;
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = 200000;
	CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0);
	CHECK(fl_recorder_start(r, "full", time(NULL), 0) == FL_OK);
	usleep(20000);
	uint64_t dropped = produce(r, 0, 96000, true); /* 768 KB > 200 KB */
	struct fl_recorder_status st;
	wait_stopped(r, &st);
	CHECK(st.failed && !st.recording);
	CHECK_MSG(strstr(st.error, "master") != NULL, "error: %s", st.error);
	printf("disk full: \"%s\"\n", st.error);
	/* the rings keep draining after the failure */
	uint64_t more = produce(r, 96000, 48000, true);
	CHECK_MSG(more == 0 && dropped == 0, "dropped %llu then %llu", (unsigned long long)dropped,
	          (unsigned long long)more);
	CHECK(setrlimit(RLIMIT_FSIZE, &old) == 0);
	/* and a new recording works again */
	CHECK(fl_recorder_start(r, "after", time(NULL) + 1, 200000) == FL_OK);
	produce(r, 200000, 4800, false);
	fl_recorder_stop(r, 200000 + 4800);
	wait_stopped(r, &st);
	CHECK_MSG(!st.failed && st.frames_written == 4864, "%s %llu", st.error,
	          (unsigned long long)st.frames_written);
	fl_recorder_free(r);
}

int
main(void)
{
	snprintf(dir, sizeof dir, "/tmp/fl_rec_XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	test_names_content(FL_REC_WAV_FLOAT);
	test_names_content(FL_REC_FLAC_24);
	test_slow_disk();
	test_disk_full();
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	return fl_check_summary("test_recorder");
}
