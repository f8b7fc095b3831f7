/* SPDX-License-Identifier: GPL-2.0-or-later */
/* RT1: the process function under the tripwires. Linked with RT_GUARD, so
 * malloc/calloc/realloc/free/pthread_mutex_lock abort while
 * fl_engine_process runs (h_run enters the guard around every call). A
 * scripted session, then 10^5 periods of random commands on 4 tracks with
 * small memory (so history drops, memory-full closes and in-place overdubs
 * happen too), random period sizes and random input. */
#include "check.h"
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
};

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
	struct fl_engine *e = h_engine(&cfg);
	float in_l[4096], in_r[4096], out_l[4096], out_r[4096];
	uint32_t seed = 7;
	uint64_t cycles = 100000, cmds = 0, frames = 0, nans = 0;
	for (uint64_t c = 0; c < cycles; c++) {
		uint32_t n = 1u + rnd(&seed) % 512u;
		for (uint32_t i = 0; i < n; i++) {
			in_l[i] = (float)((int32_t)(rnd(&seed) % 2001u) - 1000) * 0.0005f;
			in_r[i] = -in_l[i];
		}
		/* About one command every 20 periods, at a frame inside or past. */
		if (rnd(&seed) % 20u == 0) {
			struct fl_cmd cmd = {
				.type = ops[rnd(&seed) % (sizeof ops / sizeof ops[0])],
				.track = (uint16_t)(rnd(&seed) % 5u), /* 4 is out of range on purpose */
				.value = (float)(rnd(&seed) % 300u) * 0.01f - 0.5f,
				.frame = fl_engine_frame(e) + rnd(&seed) % 1024u,
			};
			cmd.arg = cmd.type == FL_CMD_SET_RATE      ? (rnd(&seed) % 2u ? 48000u : 44100u)
			          : cmd.type == FL_CMD_SET_LATENCY ? rnd(&seed) % 2048u
			                                           : rnd(&seed) % 3u;
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
			;
		for (uint32_t i = 0; i < n; i++)
			nans += !(out_l[i] == out_l[i] && out_r[i] == out_r[i]);
	}
	CHECK(nans == 0);
	printf("rt: %llu periods, %llu frames, %llu commands, 0 forbidden calls\n",
	       (unsigned long long)cycles, (unsigned long long)frames, (unsigned long long)cmds);
	h_free(e);
	return fl_check_summary("test_engine_rt");
}
