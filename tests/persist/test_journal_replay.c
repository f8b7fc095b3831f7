/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Crash restore through the real engine: an engine records, overdubs,
 * mutes and levels with the journal running; a "crash" (the writer stops
 * without the clean mark) and fl_journal_boot() on the same directory give
 * an engine at the same frame whose output, fed the same input and
 * commands afterwards, is bit for bit the original's. A torn tail still
 * restores (minus the torn record), a clean shutdown restores nothing, a
 * bad header is set aside and startup goes on with an empty engine. */
#include "check.h"
#include "persist/journal_replay.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOCK 256u
#define N_LIVE (5u * 48000u)
#define N_AFTER 96000u
#define FIRST_END ((N_LIVE + BLOCK - 1) / BLOCK * BLOCK)

static char dir[256];

static void
config(struct fl_engine_config *c)
{
	fl_engine_config_defaults(c);
	c->sample_rate = 48000;
	c->n_tracks = 3;
	c->track_seconds = 10.0f;
	c->quantize = FL_QUANTIZE_OFF;
	c->monitor = false;
}

static float
ramp(uint64_t f)
{
	return (float)(int64_t)((f * 2654435761u) % 20001u - 10000u) / 16384.0f;
}

struct step {
	uint64_t frame;
	uint16_t type, track;
	float value;
};
static const struct step script[] = {
	{4800, FL_CMD_RECORD, 0, 0},      {60000, FL_CMD_RECORD, 0, 0},
	{70000, FL_CMD_RECORD, 1, 0},     {120000, FL_CMD_RECORD, 1, 0},
	{130000, FL_CMD_OVERDUB, 0, 0},   {170000, FL_CMD_OVERDUB, 0, 0},
	{180000, FL_CMD_TRACK_LEVEL, 1, 0.5f}, {190000, FL_CMD_MUTE, 0, 0},
	{200000, FL_CMD_RECORD, 2, 0},    {230000, FL_CMD_RECORD, 2, 0},
	{235000, FL_CMD_UNMUTE, 0, 0},    {250000, FL_CMD_TRACK_PAN, 2, -0.5f},
	{270000, FL_CMD_UNDO, 2, 0},      {300000, FL_CMD_MUTE, 1, 0},
};

/* Runs e from its clock for n frames; returns a checksum-free copy of the
 * output in out (may be NULL). Script steps due in a block go first. */
static void
run(struct fl_engine *e, uint64_t n, float *out)
{
	static float l[BLOCK], r[BLOCK], ol[BLOCK], or[BLOCK];
	uint64_t f0 = fl_engine_frame(e);
	for (uint64_t done = 0; done < n; done += BLOCK) {
		uint64_t f = f0 + done;
		for (size_t i = 0; i < sizeof script / sizeof script[0]; i++)
			if (script[i].frame >= f && script[i].frame < f + BLOCK) {
				struct fl_cmd c = {.type = script[i].type, .track = script[i].track,
				                   .value = script[i].value, .frame = script[i].frame};
				CHECK(fl_engine_send(e, &c) == FL_OK);
			}
		for (uint32_t i = 0; i < BLOCK; i++) {
			l[i] = ramp(f + i);
			r[i] = -ramp(f + i + 7);
		}
		struct fl_engine_io io = {{l, r}, {ol, or}};
		fl_engine_process(e, &io, BLOCK);
		if (out)
			for (uint32_t i = 0; i < BLOCK; i++) {
				out[2 * (done + i)] = ol[i];
				out[2 * (done + i) + 1] = or[i];
			}
		struct fl_event ev;
		while (fl_engine_poll_event(e, &ev))
			if (ev.type == FL_EV_RELEASE)
				free(ev.ptr);
		if (done % (BLOCK * 64) == 0)
			usleep(1000); /* give the writer thread a turn, as real time would */
	}
}

static struct fl_engine *
boot(struct fl_journal **j, struct fl_journal_boot_info *info)
{
	struct fl_engine_config c;
	config(&c);
	struct fl_engine *e = NULL;
	char err[512] = "";
	CHECK_MSG(fl_journal_boot(dir, &c, 4.0f, 100, &e, j, info, err, sizeof err) == FL_OK, "%s",
	          err);
	return e;
}

static uint64_t
differ(const float *a, const float *b, uint64_t n)
{
	uint64_t d = 0;
	for (uint64_t i = 0; i < 2 * n; i++)
		d += memcmp(&a[i], &b[i], sizeof(float)) != 0;
	return d;
}

static void
test_crash_restore(void)
{
	struct fl_journal *j, *ja;
	struct fl_journal_boot_info info;
	struct fl_engine *a = boot(&ja, &info);
	CHECK(!info.restored);
	run(a, N_LIVE, NULL);
	fl_journal_stop(ja, false); /* the crash: everything written, no clean mark */
	struct fl_journal_stats st;
	fl_journal_get_stats(ja, &st);
	CHECK(st.gaps == 0 && fl_engine_tap_dropped(a, 0) == 0);
	/* a's tap ring stays allocated while a runs (it fills up and drops). */

	struct fl_engine *b = boot(&j, &info);
	CHECK(info.restored && !info.replayed.truncated && !info.replayed.corrupt);
	CHECK_MSG(fl_engine_frame(b) == fl_engine_frame(a), "frame %llu, want %llu",
	          (unsigned long long)fl_engine_frame(b), (unsigned long long)fl_engine_frame(a));
	CHECK_MSG(info.loops == 3, "%u loops", info.loops);
	fprintf(stderr, "replayed %.1f s in %.3f s (%.0fx real time)\n",
	        (double)N_LIVE / 48000.0, info.replayed.wall_seconds,
	        (double)N_LIVE / 48000.0 / info.replayed.wall_seconds);
	float *oa = malloc(2 * N_AFTER * sizeof(float)), *ob = malloc(2 * N_AFTER * sizeof(float));
	run(a, N_AFTER, oa);
	run(b, N_AFTER, ob);
	uint64_t d = differ(oa, ob, N_AFTER);
	for (uint32_t k = 0; k < 3 && d; k++) {
		struct fl_track_status x[3], y[3];
		struct fl_engine_status es;
		fl_engine_get_status(a, &es, x, 3);
		fl_engine_get_status(b, &es, y, 3);
		fprintf(stderr, "track %u: state %u/%u len %llu/%llu origin %llu/%llu level %g/%g mute %d/%d\n", k,
		        x[k].state, y[k].state, (unsigned long long)x[k].length_frames,
		        (unsigned long long)y[k].length_frames, (unsigned long long)x[k].origin,
		        (unsigned long long)y[k].origin, (double)x[k].level, (double)y[k].level, x[k].muted, y[k].muted);
	}
	for (uint64_t i = 0; i < 2 * N_AFTER && d; i++)
		if (memcmp(&oa[i], &ob[i], 4)) {
			fprintf(stderr, "first diff at sample %llu: %g vs %g\n", (unsigned long long)i, (double)oa[i], (double)ob[i]);
			break;
		}
	CHECK_MSG(d == 0, "%llu samples differ after the restore", (unsigned long long)d);
	double energy = 0;
	for (uint64_t i = 0; i < 2 * N_AFTER; i++)
		energy += (double)oa[i] * (double)oa[i];
	CHECK_MSG(energy > 100.0, "loops play (energy %g)", energy);
	fl_journal_stop(j, false);
	fl_journal_free(j);
	fl_engine_free(b);

	/* The continued journal restores the continued state too. */
	b = boot(&j, &info);
	CHECK(info.restored && fl_engine_frame(b) == fl_engine_frame(a));
	fl_journal_stop(j, false);
	fl_journal_free(j);
	fl_engine_free(b);
	fl_engine_free(a);
	fl_journal_free(ja);
	free(oa);
	free(ob);
}

static void
journal_path(char *path, size_t n)
{
	snprintf(path, n, "%s/journal-0.fljr", dir);
}

static void
test_torn_and_clean(void)
{
	char path[400];
	journal_path(path, sizeof path);
	struct stat sb;
	CHECK(stat(path, &sb) == 0);
	CHECK(truncate(path, sb.st_size - 300) == 0); /* torn mid-record */
	struct fl_journal *j;
	struct fl_journal_boot_info info;
	struct fl_engine *e = boot(&j, &info);
	CHECK(info.restored && info.replayed.truncated && info.loops == 2); /* track 3 undone */
	CHECK(fl_engine_frame(e) == FIRST_END + N_AFTER - BLOCK);
	fl_journal_stop(j, true); /* clean shutdown */
	fl_journal_free(j);
	fl_engine_free(e);
	e = boot(&j, &info);
	CHECK(!info.restored && fl_engine_frame(e) == 0);
	fl_journal_stop(j, false);
	fl_journal_free(j);
	fl_engine_free(e);
}

static int
count_aside(void)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *de;
	while (d && (de = readdir(d)))
		n += strstr(de->d_name, ".corrupt-") != NULL;
	if (d)
		closedir(d);
	return n;
}

static void
test_bad_header(void)
{
	char path[400];
	journal_path(path, sizeof path);
	FILE *f = fopen(path, "r+b");
	CHECK(f && fwrite("garbage!", 8, 1, f) == 1);
	if (f)
		fclose(f);
	struct fl_journal *j;
	struct fl_journal_boot_info info;
	struct fl_engine *e = boot(&j, &info);
	CHECK(e && !info.restored && count_aside() == 1);
	fl_journal_stop(j, true);
	fl_journal_free(j);
	fl_engine_free(e);
}

int
main(void)
{
	snprintf(dir, sizeof dir, "/tmp/fl-test-jreplay-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	test_crash_restore();
	test_torn_and_clean();
	test_bad_header();
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (fl_check_failed == 0 && system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	return fl_check_summary("test_journal_replay");
}
