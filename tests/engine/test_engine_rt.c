/* SPDX-License-Identifier: GPL-2.0-or-later */
/* RT1: the process function under the tripwires. Linked with RT_GUARD, so
 * malloc/calloc/realloc/free/pthread_mutex_lock abort while
 * fl_engine_process runs (h_run enters the guard around every call). A
 * scripted session, then 10^5 periods of random commands on 4 tracks with
 * small memory (so history drops, memory-full closes and in-place overdubs
 * happen too), random period sizes and random input. */
#include "check.h"
#include "core/ring.h"
#include "dsp/fx.h"
#include "harness.h"
#include "rt_guard.h"

#include <stdio.h>
#include <stdlib.h>

static const uint16_t ops[] = {
	FL_CMD_RECORD, FL_CMD_RECORD, FL_CMD_RECORD, FL_CMD_OVERDUB, FL_CMD_OVERDUB, FL_CMD_PLAY,
	FL_CMD_STOP, FL_CMD_MUTE, FL_CMD_UNMUTE, FL_CMD_CLEAR, FL_CMD_UNDO, FL_CMD_UNDO,
	FL_CMD_REDO, FL_CMD_TRACK_LEVEL, FL_CMD_TRACK_PAN, FL_CMD_TRACK_SOLO,
	FL_CMD_TRACK_QUANTIZE, FL_CMD_MASTER_LEVEL, FL_CMD_MONITOR_LEVEL, FL_CMD_MONITOR,
	FL_CMD_SET_LATENCY, FL_CMD_STOP_ALL, FL_CMD_PLAY_ALL, FL_CMD_SET_RATE,
	FL_CMD_FX_SLOT, FL_CMD_FX_SLOT, FL_CMD_FX_PARAM, FL_CMD_FX_PARAM, FL_CMD_FX_BYPASS,
	FL_CMD_SEND, FL_CMD_TRACK_INPUT_FX, FL_CMD_LIMITER, FL_CMD_PANIC, FL_CMD_LEASE,
	FL_CMD_COMMIT, FL_CMD_LEASE_CANCEL, FL_CMD_PIN, FL_CMD_UNPIN, FL_CMD_SET_CYCLE, FL_CMD_TAP,
};

static const uint16_t targets[] = {0, 1, 2, 3, FL_TARGET_INPUT, FL_TARGET_BUS(0),
                                   FL_TARGET_BUS(1), FL_TARGET_MASTER};

/* Fills the pointer a command carries (made here, off the guarded path). */
static void
attach(struct fl_cmd *c, uint32_t *seed)
{
	if (c->type == FL_CMD_FX_SLOT) {
		c->track = targets[*seed % 8u];
		c->arg = (*seed >> 4) % FL_FX_SLOTS;
		enum fl_fx_type t = (enum fl_fx_type)(1u + (*seed >> 8) % (FL_FX__COUNT - 1u));
		c->ptr = NULL; /* half the swaps empty the slot (and keep the run short) */
		if ((*seed >> 20) & 1u && fl_fx_create(t, 48000.0f, (struct fl_fx **)&c->ptr) != FL_OK)
			c->ptr = NULL;
	} else if (c->type == FL_CMD_FX_PARAM || c->type == FL_CMD_FX_BYPASS) {
		c->track = targets[*seed % 8u];
		c->arg = ((*seed >> 4) % FL_FX_SLOTS) << 16 | ((*seed >> 8) % 12u);
		c->value = (float)((*seed >> 12) % 20000u) * 0.1f - 50.0f;
	} else if (c->type == FL_CMD_COMMIT) {
		struct fl_loop_desc *d = calloc(1, sizeof *d);
		d->length_frames = 1000u + (*seed % 40000u);
		d->origin = *seed % 100000u;
		d->state = (*seed & 1u) ? FL_TRACK_PLAYING : FL_TRACK_STOPPED;
		d->level = 1.0f;
		c->ptr = d;
	} else if (c->type == FL_CMD_SET_CYCLE) {
		struct fl_cycle_desc *d = calloc(1, sizeof *d);
		d->length_frames = (*seed & 3u) ? 24000u + (*seed % 48000u) : 0;
		c->ptr = d;
	} else if (c->type == FL_CMD_LEASE) {
		c->arg = 1000u + *seed % 100000u;
	} else if (c->type == FL_CMD_TAP) {
		c->arg = *seed % 3u;
	}
}

static void
release(const struct fl_event *ev)
{
	if (ev->type != FL_EV_RELEASE)
		return;
	if (ev->arg == FL_CMD_FX_SLOT)
		fl_fx_free(ev->ptr);
	else
		free(ev->ptr);
}

static uint32_t
rnd(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

int
main(void)
{
	CHECK(fl_rt_guard_active() == 1);
	struct fl_engine_config cfg;
	h_config(&cfg, 4);
	cfg.track_seconds = 3.0f;
	cfg.monitor = true;
	cfg.limiter = true;
	struct fl_engine *e = h_engine(&cfg);
	struct fl_ring rings[3];
	uint32_t id;
	for (int k = 0; k < 3; k++) {
		CHECK(fl_ring_init(&rings[k], 1u << 16) == FL_OK);
		CHECK(fl_engine_add_tap(e, (enum fl_tap_kind)k, &rings[k], &id) == FL_OK);
	}
	float in_l[4096], in_r[4096], out_l[4096], out_r[4096];
	uint32_t seed = 7;
	/* 10^5 periods (RT1); fewer under AddressSanitizer, which is ~10x slower
	 * and only needs the code paths, not the count. */
#if defined(__SANITIZE_ADDRESS__)
	uint64_t cycles = 20000, cmds = 0, frames = 0, nans = 0;
#else
	uint64_t cycles = 100000, cmds = 0, frames = 0, nans = 0;
#endif
	for (uint64_t c = 0; c < cycles; c++) {
		uint32_t n = 1u + rnd(&seed) % 96u;
		for (uint32_t i = 0; i < n; i++) {
			in_l[i] = (float)((int32_t)(rnd(&seed) % 2001u) - 1000) * 0.0005f;
			in_r[i] = -in_l[i];
		}
		/* About one command every 4 periods, at a frame inside or past. */
		if (rnd(&seed) % 4u == 0) {
			struct fl_cmd cmd = {
				.type = ops[rnd(&seed) % (sizeof ops / sizeof ops[0])],
				.track = (uint16_t)(rnd(&seed) % 5u), /* 4 is out of range on purpose */
				.value = (float)(rnd(&seed) % 300u) * 0.01f - 0.5f,
				.frame = fl_engine_frame(e) + rnd(&seed) % 1024u,
			};
			cmd.arg = cmd.type == FL_CMD_SET_RATE      ? (rnd(&seed) % 2u ? 48000u : 44100u)
			          : cmd.type == FL_CMD_SET_LATENCY ? rnd(&seed) % 2048u
			                                           : rnd(&seed) % 3u;
			uint32_t s2 = rnd(&seed);
			attach(&cmd, &s2);
			if (fl_engine_send(e, &cmd) == FL_OK)
				cmds++;
		}
		struct fl_engine_io io = {.in = {in_l, in_r}, .out = {out_l, out_r}};
		fl_rt_guard_enter();
		fl_engine_process(e, &io, n);
		fl_rt_guard_leave();
		frames += n;
		struct fl_event ev;
		while (fl_engine_poll_event(e, &ev))
			release(&ev);
		for (int k = 0; k < 3; k++) { /* a slow reader: drains now and then */
			unsigned char sink[4096];
			while (c % 3 == 0 && fl_ring_avail(&rings[k]) >= sizeof sink)
				CHECK(fl_ring_read(&rings[k], sink, sizeof sink));
		}
		for (uint32_t i = 0; i < n; i++)
			nans += !(out_l[i] == out_l[i] && out_r[i] == out_r[i]);
	}
	CHECK(nans == 0);
	printf("rt: %llu periods, %llu frames, %llu commands, 0 forbidden calls\n",
	       (unsigned long long)cycles, (unsigned long long)frames, (unsigned long long)cmds);
	h_free(e);
	for (int k = 0; k < 3; k++)
		fl_ring_destroy(&rings[k]);
	return fl_check_summary("test_engine_rt");
}
