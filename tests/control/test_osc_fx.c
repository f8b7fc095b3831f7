/* SPDX-License-Identifier: GPL-2.0-or-later */
/* OSC effect addresses in-process (docs/osc.md, "Effects"): a liblo client
 * on 127.0.0.1 talks to fl_osc with a real fl_fx_ctl. Every chain form
 * (track, selected, input, send bus, master) with type change, parameter
 * by number and by text, bypass and preset; sends, input_fx, the limiter,
 * panic and the loudness reset; every bad value (NaN, out of range,
 * unknown parameter or type, slot 0/5, bus 3, track 9) gives exactly one
 * /footloop/error naming the address and no command; user-facing numbers
 * in error texts are 1-based. Instances handed over in FL_CMD_FX_SLOT are
 * released like the engine would, and none leaks. */
#include "check.h"

#include "control/fx_ctl.h"
#include "control/osc.h"
#include "core/log.h"

#include <lo/lo.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#define MAX_CMDS 64
#define MAX_MSGS 2048

static struct fl_cmd cmds[MAX_CMDS];
static int n_cmds;
static int loudness_resets;
static char errors[8][200];
static int n_errors;

static struct fl_osc *osc;
static struct fl_actions actions;
static struct fl_fx_ctl fx;
static lo_server client;
static lo_address target;

/* The engine's part: takes the command and hands back what it replaced
 * (here: frees a new instance at once, as if it had been swapped out). */
static enum fl_status
on_send(void *user, const struct fl_cmd *c)
{
	(void)user;
	if (n_cmds >= MAX_CMDS)
		return FL_ERR_FULL;
	cmds[n_cmds++] = *c;
	if (c->type == FL_CMD_FX_SLOT)
		fl_fx_ctl_release(&fx, c->ptr);
	return FL_OK;
}

static void
on_loudness_reset(void *user)
{
	(void)user;
	loudness_resets++;
}

static int
on_reply(const char *path, const char *types, lo_arg **argv, int argc, lo_message m, void *u)
{
	(void)m, (void)u;
	if (strcmp(path, "/footloop/error") == 0 && argc == 1 && types[0] == 's' && n_errors < 8)
		snprintf(errors[n_errors], sizeof errors[0], "%s", (const char *)argv[0]);
	if (strcmp(path, "/footloop/error") == 0)
		n_errors++;
	return 0;
}

static void
pump(void)
{
	struct pollfd p = {.fd = fl_osc_fd(osc), .events = POLLIN};
	while (poll(&p, 1, 20) > 0)
		fl_osc_receive(osc);
	while (lo_server_recv_noblock(client, 10) > 0)
		;
}

static void
send_msg(const char *path, lo_message m)
{
	n_cmds = 0;
	n_errors = 0;
	lo_send_message_from(target, client, path, m);
	lo_message_free(m);
	pump();
}

static lo_message
mf(float v)
{
	lo_message m = lo_message_new();
	lo_message_add_float(m, v);
	return m;
}

static lo_message
ms(const char *s)
{
	lo_message m = lo_message_new();
	lo_message_add_string(m, s);
	return m;
}

/* Exactly n commands and no error; the first one is returned. */
static const struct fl_cmd *
ok(const char *path, lo_message m, int n)
{
	send_msg(path, m);
	CHECK_MSG(n_errors == 0, "%s: error \"%s\"", path, errors[0]);
	CHECK_MSG(n_cmds == n, "%s: %d commands, want %d", path, n_cmds, n);
	static const struct fl_cmd none = {0};
	return n_cmds ? &cmds[0] : &none;
}

/* Exactly one /footloop/error naming the address (and containing want
 * when given), no command. */
static void
refused(const char *path, lo_message m, const char *want)
{
	send_msg(path, m);
	CHECK_MSG(n_cmds == 0, "%s: %d commands, want none", path, n_cmds);
	CHECK_MSG(n_errors == 1, "%s: %d errors, want 1", path, n_errors);
	if (n_errors == 1) {
		CHECK_MSG(strncmp(errors[0], path, strlen(path)) == 0, "%s: \"%s\"", path, errors[0]);
		CHECK_MSG(!want || strstr(errors[0], want), "%s: \"%s\" lacks \"%s\"", path, errors[0],
		          want);
	}
}

static void
test_chains(void)
{
	static const struct {
		const char *base;
		uint16_t engine;
		uint32_t chain;
	} chains[] = {
		{"/footloop/track/2", 1, 1},
		{"/footloop/selected", 2, 2}, /* track 3 selected below */
		{"/footloop/input", FL_TARGET_INPUT, FL_FXC_INPUT},
		{"/footloop/send/1", FL_TARGET_BUS(0), FL_FXC_BUS(0)},
		{"/footloop/send/2", FL_TARGET_BUS(1), FL_FXC_BUS(1)},
		{"/footloop/master", FL_TARGET_MASTER, FL_FXC_MASTER},
	};
	char p[128];
	actions.selected = 2;
	for (size_t k = 0; k < sizeof chains / sizeof chains[0]; k++) {
		const char *b = chains[k].base;
		uint32_t ch = chains[k].chain;
		snprintf(p, sizeof p, "%s/fx/2/type", b);
		const struct fl_cmd *c = ok(p, ms("eq"), 1);
		CHECK_MSG(c->type == FL_CMD_FX_SLOT && c->track == chains[k].engine && c->arg == 1,
		          "%s: type %u track %u arg %u", p, c->type, c->track, c->arg);
		CHECK(fx.chain[ch][1].type == FL_FX_EQ);
		int pi = fl_fx_param_index(FL_FX_EQ, "peak1_gain_db");
		snprintf(p, sizeof p, "%s/fx/2/peak1_gain_db", b);
		c = ok(p, mf(6.0f), 1);
		CHECK(c->type == FL_CMD_FX_PARAM && c->track == chains[k].engine &&
		      c->arg == (1u << 16 | (uint32_t)pi) && c->value == 6.0f);
		c = ok(p, ms("-3.5 dB"), 1);
		CHECK(c->type == FL_CMD_FX_PARAM && c->value == -3.5f);
		CHECK(fx.chain[ch][1].param[pi] == -3.5f);
		snprintf(p, sizeof p, "%s/fx/2/peak1_hz", b);
		c = ok(p, ms("2.5k"), 1);
		CHECK(c->value == 2500.0f);
		snprintf(p, sizeof p, "%s/fx/2/bypass", b);
		c = ok(p, mf(1.0f), 1);
		CHECK(c->type == FL_CMD_FX_BYPASS && c->arg == 1 && c->value == 1.0f);
		CHECK(fx.chain[ch][1].bypass);
		ok(p, mf(0.0f), 1);
		/* Type change: a new instance with the new type's defaults. */
		snprintf(p, sizeof p, "%s/fx/2/type", b);
		c = ok(p, ms("delay"), 1);
		CHECK(c->type == FL_CMD_FX_SLOT && fx.chain[ch][1].type == FL_FX_DELAY);
		snprintf(p, sizeof p, "%s/fx/2/note", b);
		c = ok(p, ms("1/8d"), 1);
		CHECK(c->value == 7.0f);
		/* Bad values: one error each, nothing sent, nothing changed. */
		snprintf(p, sizeof p, "%s/fx/2/feedback", b);
		refused(p, mf(NAN), "finite");
		refused(p, mf(1.5f), "0..1");
		refused(p, ms("lots"), NULL);
		snprintf(p, sizeof p, "%s/fx/2/no_such", b);
		refused(p, mf(1.0f), "no parameter 'no_such'");
		snprintf(p, sizeof p, "%s/fx/2/type", b);
		refused(p, ms("wahwah"), "expected an effect name");
		snprintf(p, sizeof p, "%s/fx/0/type", b);
		refused(p, ms("eq"), "slot 1..4");
		snprintf(p, sizeof p, "%s/fx/5/type", b);
		refused(p, ms("eq"), "slot 1..4");
		snprintf(p, sizeof p, "%s/fx/3/mix", b);
		refused(p, mf(0.5f), "empty");
		CHECK(fx.chain[ch][1].type == FL_FX_DELAY && fx.chain[ch][2].type == FL_FX_NONE);
		snprintf(p, sizeof p, "%s/fx/2/type", b);
		ok(p, ms("none"), 1);
		CHECK(fx.chain[ch][1].type == FL_FX_NONE);
	}
	refused("/footloop/send/3/fx/1/type", ms("eq"), "bus 1..2");
	refused("/footloop/send/0/fx/1/type", ms("eq"), "bus 1..2");
	refused("/footloop/track/9/fx/1/type", ms("eq"), "track 9 is out of range 1..4");
	refused("/footloop/track/0/fx/1/type", ms("eq"), NULL);
}

static void
test_presets(void)
{
	char err[300];
	CHECK_MSG(fl_fx_ctl_load_presets(&fx, FL_SOURCE_DIR "/config/fx-presets.conf", err,
	                                 sizeof err) == FL_OK, "%s", err);
	/* A preset fills all four slots of the chain (empty ones emptied). */
	const struct fl_cmd *c = ok("/footloop/track/1/fx/1/preset", ms("dub"), FL_FX_SLOTS);
	CHECK(c->type == FL_CMD_FX_SLOT && c->track == 0);
	CHECK(fx.chain[0][0].type == FL_FX_FILTER && fx.chain[0][1].type == FL_FX_DELAY);
	ok("/footloop/master/fx/1/preset", ms("dub"), FL_FX_SLOTS);
	refused("/footloop/track/1/fx/1/preset", ms("no-such-preset"), "no preset named");
	refused("/footloop/track/1/fx/1/preset", mf(1.0f), "preset name");
}

static void
test_sends_limiter_panic(void)
{
	const struct fl_cmd *c = ok("/footloop/track/3/send/2", mf(0.5f), 1);
	CHECK(c->type == FL_CMD_SEND && c->track == 2 && c->arg == 1 && c->value == 0.5f);
	CHECK(fx.send_gain[2][1] == 0.5f);
	c = ok("/footloop/selected/send/1", mf(1.0f), 1);
	CHECK(c->type == FL_CMD_SEND && c->track == actions.selected && c->arg == 0);
	refused("/footloop/track/3/send/2", mf(2.5f), "0..2");
	refused("/footloop/track/3/send/2", mf(NAN), NULL);
	refused("/footloop/track/3/send/3", mf(0.5f), "bus 1..2");
	CHECK(fx.send_gain[2][1] == 0.5f);
	c = ok("/footloop/track/4/input_fx", mf(1.0f), 1);
	CHECK(c->type == FL_CMD_TRACK_INPUT_FX && c->track == 3 && c->arg == 1 && fx.input_fx[3]);
	refused("/footloop/track/4/input_fx", ms("yes"), NULL);
	c = ok("/footloop/master/limiter/ceiling", mf(-2.0f), 1);
	CHECK(c->type == FL_CMD_LIMITER && c->arg == FL_LIMITER_CEILING_DB && c->value == -2.0f);
	c = ok("/footloop/master/limiter/release", mf(200.0f), 1);
	CHECK(c->arg == FL_LIMITER_RELEASE_MS);
	c = ok("/footloop/master/limiter/hold", mf(5.0f), 1);
	CHECK(c->arg == FL_LIMITER_HOLD_MS);
	refused("/footloop/master/limiter/ceiling", mf(3.0f), "-12..0");
	refused("/footloop/master/limiter/ceiling", mf(NAN), NULL);
	refused("/footloop/master/limiter/knee", mf(1.0f), "unknown limiter parameter");
	CHECK(fx.limiter[FL_LIMITER_CEILING_DB] == -2.0f);
	c = ok("/footloop/panic", lo_message_new(), 1);
	CHECK(c->type == FL_CMD_PANIC && c->arg == 1 && fx.panic);
	ok("/footloop/panic", mf(0.0f), 0); /* a release does nothing */
	c = ok("/footloop/panic", mf(1.0f), 1);
	CHECK(c->type == FL_CMD_PANIC && c->arg == 0 && !fx.panic);
	ok("/footloop/master/loudness/reset", lo_message_new(), 0);
	CHECK(loudness_resets == 1);
	refused("/footloop/select", mf(99.0f), "select: track 99 is out of range 1..4");
}

int
main(void)
{
	fl_log_set_level(FL_LOG_ERROR);
	fl_actions_init(&actions, 4);
	fl_fx_ctl_init(&fx, 48000.0f, 4, on_send, NULL);
	struct fl_osc_hooks hooks = {.send = on_send, .loudness_reset = on_loudness_reset};
	char err[256];
	if (fl_osc_create("127.0.0.1", 0, 30, &actions, &hooks, &osc, err, sizeof err) != FL_OK) {
		fprintf(stderr, "cannot bind: %s\n", err);
		return 77;
	}
	fl_osc_set_fx(osc, &fx);
	client = lo_server_new_with_proto(NULL, LO_UDP, NULL);
	char port[16];
	snprintf(port, sizeof port, "%u", fl_osc_port(osc));
	target = lo_address_new("127.0.0.1", port);
	lo_server_add_method(client, NULL, NULL, on_reply, NULL);
	test_chains();
	test_presets();
	test_sends_limiter_panic();
	printf("effect instances: %llu created, %llu freed\n", (unsigned long long)fx.created,
	       (unsigned long long)fx.freed);
	CHECK(fx.created > 0 && fx.created == fx.freed);
	lo_address_free(target);
	lo_server_free(client);
	fl_osc_free(osc);
	return fl_check_summary("test_osc_fx");
}
