/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Journal compaction through the real engine, offline: engine A records,
 * overdubs and mixes with the journal on (a plate on send bus 1, which is
 * not a gap); after a quiet while the checkpointer saves checkpoint-1,
 * the journal switches to journal-1.fljr and journal-0.fljr goes; A goes
 * on (a new loop, a record right after the pre-roll, undo, mute) and
 * "crashes". fl_journal_boot on the directory loads the checkpoint, replays
 * journal-1 and gives an engine B at A's frame whose output, fed the same
 * input and commands afterwards, is bit for bit A's. A second checkpoint
 * deletes checkpoint-1 and journal-1. A checkpoint refused by the writer
 * (a command inside the quiet window) changes nothing. */
#include "check.h"
#include "core/ring.h"
#include "dsp/fx.h"
#include "persist/checkpoint.h"
#include "persist/journal_replay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RATE 48000u
#define BLOCK 256u

static char dir[256];

struct step {
	uint64_t frame;
	uint16_t type, track;
	float value;
};
static const struct step script[] = {
	{4800, FL_CMD_RECORD, 0, 0},          {52000, FL_CMD_RECORD, 0, 0},
	{60000, FL_CMD_RECORD, 1, 0},         {100000, FL_CMD_RECORD, 1, 0},
	{110000, FL_CMD_OVERDUB, 0, 0},       {140000, FL_CMD_OVERDUB, 0, 0},
	{150000, FL_CMD_TRACK_LEVEL, 1, 0.5f}, {151000, FL_CMD_TRACK_PAN, 0, 0.25f},
	{152000, FL_CMD_MUTE, 1, 0},          {153000, FL_CMD_MASTER_LEVEL, 0, 0.8f},
	/* quiet: the first checkpoint is taken in here (after ~400000) */
	{600000, FL_CMD_UNMUTE, 1, 0},        {600100, FL_CMD_RECORD, 2, 0},
	{650000, FL_CMD_RECORD, 2, 0},        {660000, FL_CMD_OVERDUB, 1, 0},
	{700000, FL_CMD_OVERDUB, 1, 0},       {710000, FL_CMD_UNDO, 1, 0},
	{720000, FL_CMD_MUTE, 0, 0},
	/* after the crash, both engines get these */
	{800000, FL_CMD_RECORD, 3, 0},        {840000, FL_CMD_RECORD, 3, 0},
	{850000, FL_CMD_UNMUTE, 0, 0},        {860000, FL_CMD_UNDO, 2, 0},
};

static void
config(struct fl_engine_config *c)
{
	fl_engine_config_defaults(c);
	c->sample_rate = RATE;
	c->n_tracks = 4;
	c->track_seconds = 4.0f;
	c->history_seconds = 0.5f;
	c->quantize = FL_QUANTIZE_OFF;
	c->monitor = false;
	c->limiter = false;
}

static float
ramp(uint64_t f)
{
	return (float)(int64_t)((f * 2654435761u) % 20001u - 10000u) / 16384.0f;
}

/* Feeds events to the checkpointer (when there is one). */
static void
events(struct fl_engine *e, struct fl_checkpoint *cp)
{
	struct fl_event ev;
	while (fl_engine_poll_event(e, &ev)) {
		if (cp && fl_checkpoint_event(cp, &ev))
			continue;
		if (ev.type == FL_EV_RELEASE && ev.arg == FL_CMD_FX_SLOT)
			fl_fx_free(ev.ptr);
		else if (ev.type == FL_EV_RELEASE)
			free(ev.ptr);
	}
}

/* Runs e up to frame `to` (script steps due go first); out may be NULL. */
static void
run(struct fl_engine *e, uint64_t to, float *out, struct fl_checkpoint *cp,
    struct fl_worker *w)
{
	static float l[BLOCK], r[BLOCK], ol[BLOCK], or[BLOCK];
	uint64_t f0 = fl_engine_frame(e);
	for (uint64_t f = f0; f < to; f += BLOCK) {
		uint32_t nb = to - f < BLOCK ? (uint32_t)(to - f) : BLOCK;
		for (size_t i = 0; i < sizeof script / sizeof script[0]; i++)
			if (script[i].frame >= f && script[i].frame < f + nb) {
				struct fl_cmd c = {.type = script[i].type, .track = script[i].track,
				                   .value = script[i].value, .frame = script[i].frame};
				CHECK(fl_engine_send(e, &c) == FL_OK);
			}
		for (uint32_t i = 0; i < nb; i++) {
			l[i] = ramp(f + i);
			r[i] = -ramp(f + i + 7);
		}
		struct fl_engine_io io = {{l, r}, {ol, or}};
		fl_engine_process(e, &io, nb);
		if (out)
			for (uint32_t i = 0; i < nb; i++) {
				out[2 * (f - f0 + i)] = ol[i];
				out[2 * (f - f0 + i) + 1] = or[i];
			}
		events(e, cp);
		if (w)
			fl_worker_dispatch(w);
		if (cp && (f / BLOCK) % 8 == 7) {
			/* The control tick's pace (~10 ms of audio). Offline we run ~100x
			 * faster than real time: let the journal writer catch up with
			 * the ring (live it is far ahead of the engine) before the
			 * checkpoint logic asks it for the last command's frame.
			 * Bounded: 2 s at most. */
			struct fl_ring *ring = fl_journal_ring(cp->journal);
			for (int k = 0; k < 4000 && fl_ring_avail(ring) > 0; k++)
				usleep(500);
			fl_checkpoint_tick(cp, (f + BLOCK) * 1000u / RATE, true);
		}
	}
}

static bool
exists(const char *name)
{
	char p[400];
	struct stat sb;
	snprintf(p, sizeof p, "%s/%s", dir, name);
	return stat(p, &sb) == 0;
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

/* Waits (running e) until the checkpointer has finished one more. */
static void
run_until_done(struct fl_engine *e, struct fl_checkpoint *cp, struct fl_worker *w,
               uint32_t done, uint64_t limit)
{
	while (cp->done < done && fl_engine_frame(e) < limit) {
		run(e, fl_engine_frame(e) + 4 * BLOCK, NULL, cp, w);
		usleep(2000);
	}
}

static void
add_plate(struct fl_engine *e)
{
	struct fl_fx *fx = NULL;
	CHECK(fl_fx_create(FL_FX_PLATE, (float)RATE, &fx) == FL_OK);
	struct fl_cmd c = {.type = FL_CMD_FX_SLOT, .track = FL_TARGET_BUS(0), .arg = 0, .ptr = fx};
	CHECK(fl_engine_send(e, &c) == FL_OK);
}

int
main(void)
{
	snprintf(dir, sizeof dir, "/tmp/fl-test-jckpt-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	struct fl_journal *ja, *jb;
	struct fl_journal_boot_info info;
	struct fl_worker *w = NULL;
	CHECK(fl_worker_create(&w) == FL_OK);
	struct fl_engine *a = boot(&ja, &info);
	CHECK(!info.restored && info.checkpoint == 0);
	add_plate(a);
	struct fl_engine_config cfg;
	config(&cfg);
	struct fl_checkpoint cp;
	/* Every 12 s of engine time: one in A's quiet stretch, one for B. */
	fl_checkpoint_init(&cp, a, ja, w, dir, &cfg, 0.2f, info.checkpoint + 1, 0);
	fl_checkpoint_want(&cp); /* the first one as soon as it is quiet */

	/* The last command was at 153000: no checkpoint inside the quiet window
	 * (pre-roll + slack + 0.5 s = 57216 frames). */
	run(a, 200000, NULL, &cp, w);
	CHECK_MSG(cp.done == 0 && cp.state == FL_CKPT_IDLE, "a checkpoint inside the quiet window");
	run_until_done(a, &cp, w, 1, 590000);
	CHECK_MSG(cp.done == 1, "checkpoint 1 taken by frame %llu (refused %u)",
	          (unsigned long long)fl_engine_frame(a), cp.refused);
	CHECK(exists("checkpoint-1/manifest.txt") && exists("checkpoint-1.info"));
	CHECK(exists("journal-1.fljr") && !exists("journal-0.fljr"));
	struct fl_journal_stats st;
	fl_journal_get_stats(ja, &st);
	CHECK_MSG(st.gaps == 0, "%llu gaps (the plate on a bus is no gap)",
	          (unsigned long long)st.gaps);
	fprintf(stderr, "checkpoint 1 at frame ~%llu, gaps %llu\n", (unsigned long long)cp.snap_frame,
	        (unsigned long long)st.gaps);

	run(a, 760000, NULL, &cp, w);
	fl_journal_stop(ja, false); /* the crash */

	struct fl_engine *b = boot(&jb, &info);
	CHECK(info.restored && !info.replayed.gap);
	CHECK_MSG(info.checkpoint == 1, "restored from checkpoint %u", info.checkpoint);
	CHECK_MSG(fl_engine_frame(b) == fl_engine_frame(a), "frame %llu, want %llu",
	          (unsigned long long)fl_engine_frame(b), (unsigned long long)fl_engine_frame(a));
	CHECK_MSG(info.loops == 3, "%u loops restored", info.loops);
	uint64_t n = 900000 - fl_engine_frame(a);
	float *oa = malloc(2 * n * sizeof(float)), *ob = malloc(2 * n * sizeof(float));
	run(a, 900000, oa, NULL, NULL);
	run(b, 900000, ob, NULL, NULL);
	uint64_t d = 0, first = UINT64_MAX;
	double energy = 0;
	for (uint64_t i = 0; i < 2 * n; i++) {
		if (memcmp(&oa[i], &ob[i], sizeof(float)) && d++ == 0)
			first = i;
		energy += (double)oa[i] * (double)oa[i];
	}
	CHECK_MSG(d == 0, "%llu samples differ after the restore (first at frame %llu)",
	          (unsigned long long)d, (unsigned long long)(first / 2));
	CHECK_MSG(energy > 100.0, "loops play (energy %g)", energy);

	/* B's first attempt is spoiled by a command while it pins: refused,
	 * nothing changes; the retry takes checkpoint 2, and checkpoint-1 and
	 * journal-1 go. */
	struct fl_checkpoint cpb;
	fl_checkpoint_init(&cpb, b, jb, w, dir, &cfg, 0.2f, info.checkpoint + 1, 0);
	while (cpb.state != FL_CKPT_PINNING && fl_engine_frame(b) < 1100000)
		run(b, fl_engine_frame(b) + BLOCK, NULL, &cpb, w);
	struct fl_cmd pan = {.type = FL_CMD_TRACK_PAN, .track = 1, .value = -0.5f};
	CHECK(cpb.state == FL_CKPT_PINNING && fl_engine_send(b, &pan) == FL_OK);
	while (cpb.state != FL_CKPT_IDLE && fl_engine_frame(b) < 1200000) {
		run(b, fl_engine_frame(b) + BLOCK, NULL, &cpb, w);
		usleep(500);
	}
	CHECK_MSG(cpb.refused == 1 && cpb.done == 0, "refused %u, done %u", cpb.refused, cpb.done);
	CHECK(!exists("checkpoint-2") && !exists("checkpoint-2.info") && !exists("journal-2.fljr"));
	CHECK(exists("journal-1.fljr") && exists("checkpoint-1.info"));
	run_until_done(b, &cpb, w, 1, 1700000);
	CHECK(cpb.done == 1 && exists("checkpoint-2.info") && exists("journal-2.fljr"));
	CHECK(!exists("checkpoint-1") && !exists("checkpoint-1.info") && !exists("journal-1.fljr"));

	fl_worker_drain(w);
	fl_checkpoint_fini(&cp);
	fl_checkpoint_fini(&cpb);
	fl_journal_stop(jb, true);
	fl_worker_free(w);
	fl_engine_free(a);
	fl_engine_free(b);
	fl_journal_free(ja);
	fl_journal_free(jb);
	free(oa);
	free(ob);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (fl_check_failed == 0 && system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	return fl_check_summary("test_journal_checkpoint");
}
