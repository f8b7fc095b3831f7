/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A session round trip through the real engine, offline: loops recorded
 * with fl_engine_process are saved through the disk worker (pins, no stop),
 * loaded into a fresh engine (leases, commits on one frame), and the two
 * engines' outputs are compared sample for sample, in phase. Also: a track
 * that is recording refuses its lease and the load changes nothing; a
 * second operation while one runs is refused. */
#include "check.h"
#include "harness.h"
#include "persist/session_ctl.h"
#include "persist/setlist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct result {
	int calls;
	enum fl_status st;
	char msg[256];
};

static void
on_reply(void *user, enum fl_session_op op, enum fl_status st, const char *name, const char *msg)
{
	struct result *r = user;
	(void)op, (void)name;
	r->calls++;
	r->st = st;
	snprintf(r->msg, sizeof r->msg, "%s", msg);
}

/* Runs the engine in blocks of silence while the operation goes on. */
static void
pump(struct fl_engine *e, struct fl_session_ctl *c, struct fl_worker *w, struct result *r,
     uint64_t frames, uint32_t block)
{
	int calls = r->calls;
	float *out[2] = { malloc(block * sizeof(float)), malloc(block * sizeof(float)) };
	struct fl_engine_io io = { .in = { NULL, NULL }, .out = { out[0], out[1] } };
	for (int i = 0; i < 20000 && (r->calls == calls || frames > 0); i++) {
		fl_engine_process(e, &io, block);
		frames = frames > block ? frames - block : 0;
		struct fl_event ev;
		while (fl_engine_poll_event(e, &ev)) {
			if (!fl_session_ctl_event(c, &ev) && ev.type == FL_EV_RELEASE)
				free(ev.ptr);
		}
		if (fl_worker_pending(w))
			usleep(200);
		fl_worker_dispatch(w);
	}
	free(out[0]);
	free(out[1]);
}

static void
render(struct fl_engine *e, float *l, float *r, uint64_t n, uint32_t block)
{
	for (uint64_t i = 0; i < n; i += block) {
		uint32_t k = (uint32_t)(n - i < block ? n - i : block);
		struct fl_engine_io io = { .in = { NULL, NULL }, .out = { l + i, r + i } };
		fl_engine_process(e, &io, k);
	}
}

static char root[64];

static void
test_round_trip(struct fl_worker *w)
{
	struct fl_engine_config cfg;
	h_config(&cfg, 3);
	struct fl_engine *a = h_engine(&cfg);
	const uint64_t b = 900, len = 24007, n = b + 4 * len;
	float *l = malloc(n * sizeof(float)), *r = malloc(n * sizeof(float));
	h_fill_ramp(l, r, 0, n);
	const float *in[2] = { l, r };
	struct h_step steps[] = {
		{ b, FL_CMD_RECORD, 0, 1, 0 },       { b + len, FL_CMD_RECORD, 0, 1, 0 },
		{ b + len, FL_CMD_RECORD, 2, 1, 0 }, { b + 3 * len, FL_CMD_RECORD, 2, 1, 0 },
		{ b + 3 * len, FL_CMD_TRACK_PAN, 2, 0.25f, 0 },
		{ b + 3 * len, FL_CMD_TRACK_LEVEL, 0, 0.5f, 0 },
	};
	h_run(a, in, NULL, n, 128, steps, sizeof steps / sizeof steps[0], 0);
	CHECK(h_track(a, 0).length_frames == len && h_track(a, 2).length_frames == 2 * len);

	struct result res = { 0 };
	struct fl_session_ctl ca;
	fl_session_ctl_init(&ca, a, w, root, on_reply, &res);
	char err[256];
	CHECK(fl_session_ctl_save(&ca, "take1", err, sizeof err) == FL_OK);
	CHECK(fl_session_ctl_track_busy(&ca, 0) && !fl_session_ctl_track_busy(&ca, 1));
	CHECK(fl_session_ctl_save(&ca, "take2", err, sizeof err) == FL_ERR_BUSY);
	CHECK(fl_session_ctl_save(&ca, "../take2", err, sizeof err) != FL_OK);
	pump(a, &ca, w, &res, 0, 256);
	CHECK_MSG(res.calls == 1 && res.st == FL_OK, "save: %s", res.msg);
	pump(a, &ca, w, &res, 256, 256); /* the engine applies the UNPINs */
	CHECK(!h_track(a, 0).pinned && !h_track(a, 2).pinned);
	CHECK(!strcmp(ca.current, "take1"));

	/* A fresh engine at another frame loads it. */
	struct fl_engine *bng = h_engine(&cfg);
	fl_engine_set_frame(bng, 1234567);
	struct fl_session_ctl cb;
	struct result rb = { 0 };
	fl_session_ctl_init(&cb, bng, w, root, on_reply, &rb);
	CHECK(fl_session_ctl_load(&cb, "take1", err, sizeof err) == FL_OK);
	pump(bng, &cb, w, &rb, cfg.sample_rate, 100); /* load, then 1 s for fades */
	CHECK_MSG(rb.calls == 1 && rb.st == FL_OK, "load: %s", rb.msg);
	struct fl_track_status t0 = h_track(bng, 0), t2 = h_track(bng, 2);
	CHECK(t0.state == FL_TRACK_PLAYING && t0.length_frames == len && t0.level == 0.5f);
	CHECK(t2.length_frames == 2 * len && t2.pan == 0.25f && h_track(bng, 1).length_frames == 0);

	/* Align A on B by the longest loop, then compare 5 loops of output. */
	struct fl_track_status a2 = h_track(a, 2);
	uint64_t M = 2 * len, fa = fl_engine_frame(a), fb = fl_engine_frame(bng);
	uint64_t pb = (fb - t2.origin) % M, pa = (fa - a2.origin) % M;
	uint64_t skip = (pb + M - pa) % M;
	const uint64_t cmpn = 5 * len;
	float *al = malloc((cmpn + skip) * sizeof(float)), *ar = malloc((cmpn + skip) * sizeof(float));
	float *bl = malloc(cmpn * sizeof(float)), *br = malloc(cmpn * sizeof(float));
	render(a, al, ar, cmpn + skip, 128);
	render(bng, bl, br, cmpn, 97);
	uint64_t diff = 0, first = UINT64_MAX;
	float peak = 0.0f;
	for (uint64_t i = 0; i < cmpn; i++) {
		if (al[skip + i] != bl[i] || ar[skip + i] != br[i]) {
			diff++;
			first = first == UINT64_MAX ? i : first;
		}
		peak = al[skip + i] > peak ? al[skip + i] : peak;
	}
	CHECK_MSG(diff == 0, "%llu of %llu frames differ, first at %llu", (unsigned long long)diff,
	          (unsigned long long)cmpn, (unsigned long long)first);
	CHECK(peak > 0.01f); /* not comparing silence */

	/* Load while track 1 re-records: its lease is refused, the load is
	 * abandoned, the other tracks get no new layer. */
	uint32_t undo2 = h_track(bng, 2).undo_depth;
	struct fl_cmd rec = { .type = FL_CMD_RECORD, .track = 0 };
	CHECK(fl_engine_send(bng, &rec) == FL_OK);
	pump(bng, &cb, w, &rb, 3 * len, 128); /* past the next boundary: recording */
	uint32_t undo0 = h_track(bng, 0).undo_depth;
	CHECK(fl_session_ctl_load(&cb, "take1", err, sizeof err) == FL_OK);
	pump(bng, &cb, w, &rb, 0, 128);
	CHECK_MSG(rb.calls == 2 && rb.st == FL_ERR_BUSY && strstr(rb.msg, "track 1"), "%s", rb.msg);
	pump(bng, &cb, w, &rb, cfg.sample_rate / 2, 128);
	CHECK(h_track(bng, 2).undo_depth == undo2 && !h_track(bng, 2).leased);
	CHECK(h_track(bng, 0).undo_depth <= undo0 + 1u); /* at most its own new take */
	CHECK(!strcmp(cb.current, "take1"));

	fl_session_ctl_fini(&ca);
	fl_session_ctl_fini(&cb);
	free(l), free(r), free(al), free(ar), free(bl), free(br);
	h_free(a);
	h_free(bng);
}


/* Setlist: song 1 loads from disk, song 2 is preloaded and switched to
 * from RAM; the ends and bad names are refused. */
static void
test_setlist(struct fl_worker *w)
{
	const uint64_t len2 = 12000;
	float *ring = calloc(len2 * 2, sizeof(float));
	for (uint64_t i = 0; i < 2 * len2; i++)
		ring[i] = 0.25f;
	struct fl_manifest m;
	fl_manifest_init(&m, 48000, 3);
	m.cycle_frames = len2;
	m.track[1].present = true;
	fl_manifest_track_file(1, m.track[1].file, sizeof m.track[1].file);
	m.track[1].length_frames = len2;
	struct fl_region reg[3] = { { 0 }, { ring, len2, 0, len2 }, { 0 } };
	char err[256] = "";
	CHECK_MSG(fl_session_save(root, "take2", &m, reg, err, sizeof err) == FL_OK, "%s", err);

	struct fl_engine_config cfg;
	h_config(&cfg, 3);
	struct fl_engine *e = h_engine(&cfg);
	struct fl_session_ctl c;
	struct result res = { 0 };
	fl_session_ctl_init(&c, e, w, root, on_reply, &res);
	struct fl_setlist sl;
	fl_setlist_init(&sl, &c);
	const char *bad[] = { "take1", "../etc" };
	CHECK(fl_setlist_set(&sl, bad, 2, err, sizeof err) == FL_ERR_BAD_ARG);
	const char *songs[] = { "take1", "take2" };
	CHECK(fl_setlist_set(&sl, songs, 2, err, sizeof err) == FL_OK);
	CHECK(fl_setlist_step(&sl, -1, err, sizeof err) == FL_OK && sl.current == 0);
	pump(e, &c, w, &res, cfg.sample_rate / 2, 128);
	CHECK_MSG(res.calls == 1 && res.st == FL_OK, "%s", res.msg);
	CHECK(h_track(e, 0).length_frames == 24007);
	for (int i = 0; i < 200 && sl.preload_busy; i++)
		pump(e, &c, w, &res, 128, 128);
	CHECK(sl.preloaded != NULL && sl.preload_index == 1);
	CHECK(fl_setlist_step(&sl, 1, err, sizeof err) == FL_OK && sl.current == 1);
	CHECK(sl.preload_hits == 1);
	pump(e, &c, w, &res, cfg.sample_rate, 128);
	CHECK_MSG(res.calls == 2 && res.st == FL_OK, "%s", res.msg);
	CHECK(h_track(e, 1).length_frames == len2 && h_track(e, 1).state == FL_TRACK_PLAYING);
	CHECK(h_track(e, 0).state == FL_TRACK_EMPTY);
	CHECK(fl_setlist_step(&sl, 1, err, sizeof err) == FL_ERR_RANGE);
	CHECK(fl_setlist_goto(&sl, 5, err, sizeof err) == FL_ERR_RANGE);
	fl_worker_drain(w);
	fl_setlist_fini(&sl);
	fl_session_ctl_fini(&c);
	h_free(e);
	free(ring);
}

int
main(void)
{
	snprintf(root, sizeof root, "/tmp/fl_sesse_XXXXXX");
	if (!mkdtemp(root))
		return 1;
	struct fl_worker *w = NULL;
	CHECK(fl_worker_create(&w) == FL_OK);
	test_round_trip(w);
	test_setlist(w);
	fl_worker_drain(w);
	fl_worker_free(w);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	CHECK(system(cmd) == 0);
	return fl_check_summary("test_session_engine");
}
