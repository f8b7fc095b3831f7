/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The engine's persistence hooks: a pinned loop read off the RT thread and
 * loaded into a fresh engine through a lease plays back bit-exactly in
 * phase; the journal tap (dry input + applied commands) replayed into a
 * fresh engine reproduces its output bit for bit; a full tap ring drops and
 * counts, never blocks. */
#include "check.h"
#include "core/ring.h"
#include "harness.h"

#include <stdlib.h>
#include <string.h>

static void
tap_on(struct fl_engine *e, uint32_t id)
{
	struct fl_cmd c = {.type = FL_CMD_TAP, .arg = id, .value = 1.0f};
	CHECK(fl_engine_send(e, &c) == FL_OK);
}

static struct fl_event
wait_event(struct fl_engine *e, uint16_t type)
{
	struct fl_event ev = {0};
	for (int i = 0; i < 100; i++) {
		while (fl_engine_poll_event(e, &ev))
			if (ev.type == type)
				return ev;
		struct fl_engine_io io = {.in = {NULL, NULL}, .out = {NULL, NULL}};
		fl_engine_process(e, &io, 0);
	}
	ev.type = FL_EV_NONE;
	return ev;
}

static void
test_pin_lease_round_trip(void)
{
	struct fl_engine_config cfg;
	h_config(&cfg, 2);
	struct fl_engine *a = h_engine(&cfg);
	const uint64_t b = 700, len = 30011, n = b + 3 * len;
	float *l = malloc(n * sizeof(float)), *r = malloc(n * sizeof(float));
	h_fill_ramp(l, r, 0, n);
	const float *in[2] = {l, r};
	struct h_step steps[] = {{b, FL_CMD_RECORD, 1, 1, 0}, {b + len, FL_CMD_RECORD, 1, 1, 0}};
	h_run(a, in, NULL, n, 128, steps, 2, 0);
	/* Save: pin track 2 and copy its loop out. */
	h_cmd(a, FL_CMD_PIN, 1, 0, 0);
	struct fl_event pin = wait_event(a, FL_EV_PINNED);
	CHECK(pin.type == FL_EV_PINNED && pin.arg == len);
	CHECK(h_track(a, 1).pinned);
	float *mem;
	uint64_t cap;
	fl_engine_track_memory(a, 1, &mem, &cap);
	float *saved = malloc(2 * len * sizeof(float));
	for (uint64_t i = 0; i < len; i++) {
		uint64_t at = (pin.frame + i) % cap;
		saved[2 * i] = mem[2 * at];
		saved[2 * i + 1] = mem[2 * at + 1];
	}
	/* Overdub and clear while pinned: the pinned data must not change. */
	h_cmd(a, FL_CMD_OVERDUB, 1, 1, 0);
	h_run(a, in, NULL, 5000, 128, NULL, 0, 0);
	h_cmd(a, FL_CMD_CLEAR, 1, 1, 0);
	h_run(a, in, NULL, 5000, 128, NULL, 0, 0);
	uint64_t changed = 0;
	for (uint64_t i = 0; i < len; i++)
		changed += mem[2 * ((pin.frame + i) % cap)] != saved[2 * i];
	CHECK(changed == 0);
	/* A second saver pins the same loop: one UNPIN must not free it. The
	 * track moved on (cleared), so the second pin waits for the first. */
	h_cmd(a, FL_CMD_PIN, 1, 0, 0);
	h_run(a, in, NULL, 100, 100, NULL, 0, 0);
	struct fl_event none;
	bool early = false;
	while (fl_engine_poll_event(a, &none))
		early |= none.type == FL_EV_PINNED;
	CHECK(!early); /* the cleared track's new level waits for the old pin */
	h_cmd(a, FL_CMD_UNPIN, 1, 0, 0);
	struct fl_event second = wait_event(a, FL_EV_PINNED);
	CHECK(second.type == FL_EV_PINNED && second.arg == 0); /* now granted: empty track */
	CHECK(h_track(a, 1).pinned); /* a saver holds it, even with nothing to read */
	h_cmd(a, FL_CMD_UNPIN, 1, 0, 0);
	/* Two pins on one loop: released one by one. */
	h_cmd(a, FL_CMD_UNDO, 1, 0, 0); /* undo the clear: the overdubbed loop */
	h_run(a, in, NULL, 2000, 100, NULL, 0, 0);
	h_cmd(a, FL_CMD_PIN, 1, 0, 0);
	h_cmd(a, FL_CMD_PIN, 1, 0, 0);
	CHECK(wait_event(a, FL_EV_PINNED).type == FL_EV_PINNED);
	h_run(a, in, NULL, 100, 100, NULL, 0, 0);
	h_cmd(a, FL_CMD_UNPIN, 1, 0, 0);
	h_run(a, in, NULL, 100, 100, NULL, 0, 0);
	CHECK(h_track(a, 1).pinned);
	h_cmd(a, FL_CMD_UNPIN, 1, 0, 0);
	h_run(a, in, NULL, 100, 100, NULL, 0, 0);
	CHECK(!h_track(a, 1).pinned);

	/* Load into a fresh engine: lease, fill, commit with the saved phase. */
	struct fl_engine *e = h_engine(&cfg);
	fl_engine_set_frame(e, 5000000);
	struct fl_cmd lc = {.type = FL_CMD_LEASE, .track = 0, .arg = (uint32_t)len};
	CHECK(fl_engine_send(e, &lc) == FL_OK);
	struct fl_event ls = wait_event(e, FL_EV_LEASE);
	CHECK(ls.type == FL_EV_LEASE && ls.arg == len);
	fl_engine_track_memory(e, 0, &mem, &cap);
	for (uint64_t i = 0; i < len; i++) {
		uint64_t at = (ls.frame + i) % cap;
		mem[2 * at] = saved[2 * i];
		mem[2 * at + 1] = saved[2 * i + 1];
	}
	struct fl_loop_desc *d = calloc(1, sizeof *d);
	d->length_frames = len;
	d->origin = b; /* same phase as in the first engine */
	d->state = FL_TRACK_PLAYING;
	d->level = 1.0f;
	struct fl_cmd cc = {.type = FL_CMD_COMMIT, .track = 0, .ptr = d};
	CHECK(fl_engine_send(e, &cc) == FL_OK);
	struct fl_event rel = wait_event(e, FL_EV_RELEASE);
	CHECK(rel.ptr == d && rel.arg == FL_CMD_COMMIT);
	free(rel.ptr);
	struct fl_track_status ts = h_track(e, 0);
	CHECK(ts.state == FL_TRACK_PLAYING && ts.length_frames == len && ts.origin == b);
	CHECK(ts.undo_depth == 1);
	/* After the fade-in, the output is the saved loop at the clock's phase. */
	float *ol = calloc(2 * len, sizeof(float)), *orr = calloc(2 * len, sizeof(float));
	float *out[2] = {ol, orr};
	uint64_t t0 = fl_engine_frame(e);
	h_run(e, NULL, out, 2 * len, 256, NULL, 0, 0);
	uint64_t bad = 0;
	for (uint64_t i = 1000; i < 2 * len; i++) {
		uint64_t p = (t0 + i - b) % len;
		if (p >= 480) /* the seam crossfade is part of the saved data */
			bad += ol[i] != saved[2 * p] || orr[i] != saved[2 * p + 1];
	}
	CHECK_MSG(bad == 0, "%llu frames differ after load", (unsigned long long)bad);
	/* A second lease while one is out is refused. */
	CHECK(fl_engine_send(e, &lc) == FL_OK);
	CHECK(wait_event(e, FL_EV_LEASE).arg == len);
	CHECK(fl_engine_send(e, &lc) == FL_OK);
	CHECK(wait_event(e, FL_EV_LEASE).arg == 0);
	/* ... and record on a leased track is refused with a notice. */
	h_cmd(e, FL_CMD_RECORD, 0, 1, 0);
	h_run(e, NULL, NULL, 1000, 100, NULL, 0, 0);
	CHECK(h_track(e, 0).state == FL_TRACK_PLAYING);
	free(ol);
	free(orr);
	free(saved);
	free(l);
	free(r);
	h_free(a);
	h_free(e);
}

struct capture {
	unsigned char *data;
	size_t len, cap;
};

static void
drain(struct fl_ring *ring, struct capture *c)
{
	uint32_t n = fl_ring_avail(ring);
	if (c->len + n > c->cap) {
		c->cap = (c->len + n) * 2;
		c->data = realloc(c->data, c->cap);
	}
	CHECK(fl_ring_read(ring, c->data + c->len, n));
	c->len += n;
}

/* Replays journal records into e, collecting its output. */
static void
replay(struct fl_engine *e, const struct capture *j, float *out_l, float *out_r)
{
	size_t at = 0, done = 0;
	while (at + sizeof(struct fl_tap_record) <= j->len) {
		struct fl_tap_record h;
		memcpy(&h, j->data + at, sizeof h);
		const unsigned char *p = j->data + at + sizeof h;
		at += sizeof h + h.bytes;
		if (h.kind == FL_TAP_RECORD_CMD) {
			struct fl_cmd c;
			memcpy(&c, p, sizeof c);
			c.ptr = NULL; /* this test journals no pointer commands */
			CHECK(fl_engine_send(e, &c) == FL_OK);
			continue;
		}
		CHECK(h.frame == fl_engine_frame(e));
		float l[256], r[256];
		for (uint32_t i = 0; i < h.frames; i++) {
			memcpy(&l[i], p + 8 * i, 4);
			memcpy(&r[i], p + 8 * i + 4, 4);
		}
		struct fl_engine_io io = {.in = {l, r}, .out = {out_l + done, out_r + done}};
		fl_engine_process(e, &io, h.frames);
		done += h.frames;
	}
}

static void
test_journal_replay(void)
{
	struct fl_engine_config cfg;
	h_config(&cfg, 3);
	cfg.monitor = true;
	struct fl_engine *a = h_engine(&cfg);
	struct fl_ring ring;
	CHECK(fl_ring_init(&ring, 1 << 20) == FL_OK);
	uint32_t id = 99;
	CHECK(fl_engine_add_tap(a, FL_TAP_JOURNAL, &ring, &id) == FL_OK && id == 0);
	tap_on(a, id);
	const uint64_t n = 400000;
	float *l = malloc(n * sizeof(float)), *r = malloc(n * sizeof(float));
	float *al = calloc(n, sizeof(float)), *ar = calloc(n, sizeof(float));
	float *bl = calloc(n, sizeof(float)), *br = calloc(n, sizeof(float));
	h_fill_ramp(l, r, 0, n);
	struct h_step steps[] = {
		{1000, FL_CMD_RECORD, 0, 1, 0},      {50000, FL_CMD_RECORD, 0, 1, 0},
		{70000, FL_CMD_RECORD, 1, 1, 0},     {150000, FL_CMD_RECORD, 1, 1, 0},
		{160000, FL_CMD_OVERDUB, 0, 1, 0},   {200000, FL_CMD_OVERDUB, 0, 1, 0},
		{210000, FL_CMD_TRACK_LEVEL, 1, 0.3f, 0}, {230000, FL_CMD_MUTE, 0, 1, 0},
		{250000, FL_CMD_UNDO, 0, 1, 0},      {300000, FL_CMD_RECORD, 2, 1, 0},
		{310000, FL_CMD_RECORD, 2, 1, 0},    {350000, FL_CMD_UNMUTE, 0, 1, 0},
	};
	struct capture j = {0};
	size_t next = 0;
	/* The first TAP command is journalled too; replay skips nothing. */
	for (uint64_t t = 0; t < n; t += 1000) {
		const float *in[2] = {l + t, r + t};
		float *out[2] = {al + t, ar + t};
		while (next < 12 && steps[next].frame < t + 1000) {
			h_cmd(a, steps[next].type, steps[next].track, steps[next].value,
			      steps[next].frame);
			next++;
		}
		struct fl_engine_io io = {.in = {in[0], in[1]}, .out = {out[0], out[1]}};
		fl_engine_process(a, &io, 1000);
		drain(&ring, &j);
	}
	CHECK(fl_engine_tap_dropped(a, 0) == 0);
	struct fl_engine *b = h_engine(&cfg);
	replay(b, &j, bl, br);
	CHECK(fl_engine_frame(b) == n);
	uint64_t diff = 0;
	for (uint64_t i = 0; i < n; i++)
		diff += memcmp(&al[i], &bl[i], 4) != 0 || memcmp(&ar[i], &br[i], 4) != 0;
	CHECK_MSG(diff == 0, "%llu frames differ after replay", (unsigned long long)diff);
	for (uint32_t k = 0; k < 3; k++) {
		struct fl_track_status x = h_track(a, k), y = h_track(b, k);
		CHECK(x.state == y.state && x.length_frames == y.length_frames &&
		      x.origin == y.origin && x.muted == y.muted && x.level == y.level);
	}
	/* A ring too small drops records and counts them, never blocks. */
	struct fl_ring tiny;
	CHECK(fl_ring_init(&tiny, 256) == FL_OK);
	struct fl_engine *c = h_engine(&cfg);
	CHECK(fl_engine_add_tap(c, FL_TAP_MASTER, &tiny, &id) == FL_OK);
	tap_on(c, id);
	const float *in[2] = {l, r};
	h_run(c, in, NULL, 10000, 256, NULL, 0, 0);
	CHECK(fl_engine_tap_dropped(c, id) > 0);
	fl_ring_destroy(&tiny);
	fl_ring_destroy(&ring);
	free(j.data);
	free(l);
	free(r);
	free(al);
	free(ar);
	free(bl);
	free(br);
	h_free(a);
	h_free(b);
	h_free(c);
}

/* A lease on a track whose memory is full of undo levels drops the oldest
 * levels to make room (it used to be refused). */
static void
test_lease_drops_old_levels(void)
{
	struct fl_engine_config cfg;
	h_config(&cfg, 1);
	cfg.track_seconds = 4.0f;
	struct fl_engine *e = h_engine(&cfg);
	const uint64_t len = 51360, n = 7 * len;
	float *l = malloc(n * sizeof(float)), *r = malloc(n * sizeof(float));
	h_fill_ramp(l, r, 0, n);
	const float *in[2] = {l, r};
	struct h_step st[] = {
		{100, FL_CMD_RECORD, 0, 1, 0},           {100 + len, FL_CMD_RECORD, 0, 1, 0},
		{100 + 2 * len, FL_CMD_OVERDUB, 0, 1, 0}, {100 + 3 * len, FL_CMD_OVERDUB, 0, 1, 0},
		{100 + 4 * len, FL_CMD_OVERDUB, 0, 1, 0}, {100 + 5 * len, FL_CMD_OVERDUB, 0, 1, 0},
	};
	h_run(e, in, NULL, n, 256, st, 6, 0);
	CHECK(h_track(e, 0).undo_depth == 3);
	struct fl_cmd lc = {.type = FL_CMD_LEASE, .track = 0, .arg = (uint32_t)len};
	CHECK(fl_engine_send(e, &lc) == FL_OK);
	struct fl_event ls = wait_event(e, FL_EV_LEASE);
	CHECK(ls.type == FL_EV_LEASE && ls.arg == len);
	CHECK(h_track(e, 0).state == FL_TRACK_PLAYING); /* the current loop is untouched */
	free(l);
	free(r);
	h_free(e);
}

int
main(void)
{
	test_lease_drops_old_levels();
	test_pin_lease_round_trip();
	test_journal_replay();
	return fl_check_summary("test_engine_persist");
}
