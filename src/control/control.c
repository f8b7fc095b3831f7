/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tick work and fd callbacks of the control thread. */
#include "control/control.h"

#include "core/log.h"
#include "control/nsm.h"
#include "persist/checkpoint.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS_PER_TICK 256

static enum fl_status
send_cmd(void *user, const struct fl_cmd *cmd)
{
	struct fl_control *c = user;
	enum fl_status st = fl_engine_send(c->engine, cmd);
	if (st != FL_OK && c->cmds_refused++ % 100 == 0)
		fl_warn("engine command queue full: command %u refused (%llu so far)", cmd->type,
		        (unsigned long long)c->cmds_refused);
	return st;
}

static void
send_simple(struct fl_control *c, enum fl_cmd_type type, uint32_t track, uint32_t arg,
            float value)
{
	struct fl_cmd cmd = {.type = (uint16_t)type, .track = (uint16_t)track, .arg = arg,
	                     .value = value};
	(void)send_cmd(c, &cmd);
}

static enum fl_status
on_learn(void *user, const struct fl_action *act, char *err, size_t errlen)
{
	struct fl_control *c = user;
	return fl_inputs_learn_arm(&c->inputs, act, err, errlen);
}

static void
on_learned(void *user, enum fl_status st, const char *text)
{
	struct fl_control *c = user;
	fl_osc_learned(c->osc, st, text);
}

static void
on_input_fd(void *user, int fd, short revents)
{
	struct fl_control *c = user;
	struct timespec ts;
	(void)revents;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	fl_inputs_on_fd(&c->inputs, fd, (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
}

/* GPIO and ALSA are optional: without them footloop runs on its other
 * controls. */
static enum fl_status
start_inputs(struct fl_control *c, const struct fl_config *cfg, char *err, size_t errlen)
{
	struct fl_inputs_hooks ih = {.send = send_cmd, .learned = on_learned, .user = c};
	enum fl_status st = fl_inputs_init(&c->inputs, cfg, &c->actions, &ih, err, errlen);
	if (st != FL_OK)
		return st;
	fl_jack_set_midi(c->jack, &c->inputs.jack_in, &c->inputs.jack_out);
	char why[256];
	if (cfg->gpio.enabled && fl_inputs_start_gpio(&c->inputs, &cfg->gpio, false, why,
	                                              sizeof why) != FL_OK)
		fl_warn("foot switches off: %s", why);
	int fds[FL_INPUTS_MAX_FDS];
	size_t n = fl_inputs_fds(&c->inputs, fds, FL_INPUTS_MAX_FDS);
	for (size_t i = 0; i < n && i < FL_INPUTS_MAX_FDS; i++) {
		if ((st = fl_loop_add_fd(c->loop, fds[i], on_input_fd, c)) != FL_OK) {
			snprintf(err, errlen, "control loop: too many inputs: %s", fl_strerror(st));
			return st;
		}
	}
	return FL_OK;
}

static void
on_loudness_reset(void *user)
{
	struct fl_control *c = user;
	if (c->loud_on) {
		fl_loudness_ctl_reset(&c->loud);
		fl_info("integrated loudness reset");
	}
}

/* The meter is optional: without it (no libebur128, no memory) footloop
 * plays on and the loudness reads -inf. Before JACK activation: it adds an
 * engine tap. */
static void
start_loudness(struct fl_control *c, const struct fl_config *cfg)
{
	char why[256];
	if (fl_loudness_ctl_init(&c->loud, c->engine, cfg->engine.sample_rate, 2000, why,
	                         sizeof why) != FL_OK) {
		fl_warn("%s: no loudness meter", why);
		fl_loudness_ctl_fini(&c->loud);
		return;
	}
	struct fl_cmd on = fl_loudness_ctl_enable_cmd(&c->loud);
	c->loud_on = send_cmd(c, &on) == FL_OK;
}

static void
read_loudness(struct fl_control *c, struct fl_snapshot *s)
{
	struct fl_loudness_values v;
	s->loudness = c->loud_on;
	if (!c->loud_on)
		return;
	fl_loudness_ctl_get(&c->loud, &v);
	s->lufs[0] = v.momentary_lufs;
	s->lufs[1] = v.shortterm_lufs;
	s->lufs[2] = v.integrated_lufs;
	s->true_peak_db = v.true_peak_dbtp;
	s->true_peak_max_db = v.true_peak_max_dbtp;
	fl_osc_set_loudness(c->osc, s->lufs, s->true_peak_db);
}

static void
on_quit(void *user)
{
	struct fl_control *c = user;
	fl_info("OSC /footloop/quit: shutting down");
	fl_loop_stop(c->loop, 0);
}

/* Sample-rate changes first (the latency in frames depends on the rate). */
static void
follow_jack(struct fl_control *c)
{
	uint32_t rate;
	if (fl_jack_take_rate_change(c->jack, &rate)) {
		fl_info("JACK sample rate changed to %u Hz", rate);
		send_simple(c, FL_CMD_SET_RATE, 0, rate, 0.0f);
	}
	uint32_t period = fl_jack_buffer_size(c->jack);
	if (period != c->period_seen) {
		if (c->period_seen)
			fl_info("JACK buffer size changed to %u frames", period);
		c->period_seen = period;
	}
	rate = fl_jack_sample_rate(c->jack);
	long trim = lroundf(c->latency_trim_ms * (float)rate / 1000.0f);
	long r = (long)fl_jack_round_trip_frames(c->jack) + trim;
	uint32_t rt = r < 0 ? 0 : (uint32_t)r;
	if (rt != c->latency_sent) {
		fl_info("round-trip latency compensation R = %u frames (%.1f ms, trim %ld)", rt,
		        rate ? 1000.0 * rt / rate : 0.0, trim);
		send_simple(c, FL_CMD_SET_LATENCY, 0, rt, 0.0f);
		c->latency_sent = rt;
	}
	/* What the engine adds (the limiter's lookahead) goes on our ports, so
	 * JACK clients downstream see the real latency. */
	uint32_t own = c->snap.engine.output_latency;
	if (own != c->own_latency_sent) {
		fl_info("output latency of the master chain: %u frames", own);
		fl_jack_set_own_latency(c->jack, own);
		c->own_latency_sent = own;
	}
}

static void
drain_events(struct fl_control *c)
{
	struct fl_event ev;
	for (int i = 0; i < MAX_EVENTS_PER_TICK && fl_engine_poll_event(c->engine, &ev); i++) {
		switch ((enum fl_event_type)ev.type) {
		case FL_EV_NOTICE: {
			char text[160];
			snprintf(text, sizeof text, "track %u: %s", ev.track + 1,
			         fl_notice_string((enum fl_notice)ev.arg));
			fl_info("%s", text);
			fl_osc_notice(c->osc, text);
			break;
		}
		case FL_EV_CYCLE:
			fl_info("master cycle: %llu frames", (unsigned long long)ev.frame);
			break;
		case FL_EV_RELEASE: /* handed back by the engine; allocated here */
			if (ev.arg == FL_CMD_FX_SLOT)
				fl_fx_ctl_release(&c->fx, ev.ptr);
			else
				free(ev.ptr);
			break;
		case FL_EV_LEASE:
		case FL_EV_PINNED: /* a session save or load, or a journal checkpoint */
			if ((!c->ckpt || !fl_checkpoint_event(c->ckpt, &ev)) && !fl_nsm_event(c->nsm, &ev))
				fl_sessions_event(&c->sessions, &ev);
			break;
		case FL_EV_NONE:
			break;
		}
	}
}

/* A lost JACK server: retries and connection memory (jack_reconnect.c). */
static void
follow_link(struct fl_control *c, uint64_t now_ms)
{
	if (fl_jack_poll(c->jack, now_ms) == FL_JACK_RECONNECTED)
		fl_osc_notice(c->osc, "JACK server is back: reconnected, loops carry on");
}

static void
on_tick(void *user, uint64_t now_ms)
{
	struct fl_control *c = user;
	follow_link(c, now_ms);
	follow_jack(c);
	drain_events(c);
	struct fl_snapshot *s = &c->snap;
	fl_engine_get_status(c->engine, &s->engine, s->tracks, FL_MAX_TRACKS);
	s->n_tracks = c->actions.n_tracks;
	fl_actions_update(&c->actions, s->tracks, s->n_tracks);
	c->fx.panic = s->engine.panic;
	s->selected = c->actions.selected;
	s->xruns = fl_jack_xruns(c->jack);
	s->period_frames = fl_jack_buffer_size(c->jack);
	read_loudness(c, s);
	fl_sessions_tick(&c->sessions);
	if (c->nsm)
		fl_nsm_tick(c->nsm, now_ms);
	if (c->ckpt) /* never while a session save or load holds tracks */
		fl_checkpoint_tick(c->ckpt, now_ms, c->sessions.ctl.op == FL_SESSION_OP_NONE);
	fl_inputs_tick(&c->inputs, s, now_ms);
	fl_osc_publish(c->osc, s, now_ms);
	fl_status_view_draw(c->view, s, fl_osc_port(c->osc), now_ms);
}

static void
on_osc(void *user, int fd, short revents)
{
	struct fl_control *c = user;
	(void)fd, (void)revents;
	fl_osc_receive(c->osc);
}

static void
on_worker(void *user, int fd, short revents)
{
	struct fl_control *c = user;
	(void)fd, (void)revents;
	fl_sessions_dispatch(&c->sessions);
}

/* Sessions, setlist and recorder: before JACK activation (the recorder's
 * taps); every input reaches them through the actions hooks. */
static enum fl_status
start_sessions(struct fl_control *c, const struct fl_config *cfg, char *err, size_t errlen)
{
	struct fl_sessions_hooks sh = {.reply = fl_session_osc_reply, .song = fl_session_osc_song,
	                               .recorder = fl_session_osc_recorder, .user = &c->sess_osc};
	enum fl_status st = fl_sessions_init(&c->sessions, cfg, c->engine, &sh, err, errlen);
	if (st != FL_OK)
		return st;
	fl_session_osc_attach(&c->sess_osc, c->osc, &c->sessions);
	c->actions.session = fl_sessions_action;
	c->actions.track_busy = fl_sessions_track_busy;
	c->actions.hook_user = &c->sessions;
	if ((st = fl_loop_add_fd(c->loop, fl_sessions_fd(&c->sessions), on_worker, c)) != FL_OK) {
		snprintf(err, errlen, "control loop: %s", fl_strerror(st));
		return st;
	}
	fl_sessions_start(&c->sessions, cfg);
	return FL_OK;
}

static void
on_log(void *user, int fd, short revents)
{
	struct fl_control *c = user;
	(void)fd, (void)revents;
	fl_status_view_on_log(c->view);
}

static void
on_jack_shutdown(void *user, int fd, short revents)
{
	struct fl_control *c = user;
	(void)revents;
	if (fl_jack_lost(c->jack, fl_loop_now_ms())) { /* [jack] reconnect = true */
		fl_osc_notice(c->osc, "JACK server went away: loops kept, waiting for it to come back");
		return;
	}
	fl_error("JACK server went away: %s", fl_jack_shutdown_reason(c->jack));
	fl_loop_remove_fd(c->loop, fd);
	fl_loop_stop(c->loop, 1);
}

enum fl_status
fl_control_init(struct fl_control *c, const struct fl_config *cfg, struct fl_engine *engine,
                struct fl_jack *jack, struct fl_loop *loop, bool status_view, char *err,
                size_t errlen)
{
	memset(c, 0, sizeof *c);
	c->engine = engine;
	c->jack = jack;
	c->loop = loop;
	c->latency_trim_ms = cfg->latency_trim_ms;
	c->latency_sent = cfg->engine.latency_frames;
	fl_actions_init(&c->actions, cfg->engine.n_tracks);
	fl_jack_set_reconnect(jack, cfg->jack_reconnect);
	struct fl_osc_hooks hooks = {.send = send_cmd, .quit = on_quit, .user = c,
	                             .learn = on_learn, .loudness_reset = on_loudness_reset};
	enum fl_status st = fl_osc_create(cfg->osc_bind, cfg->osc_port, cfg->feedback_hz,
	                                  &c->actions, &hooks, &c->osc, err, errlen);
	if (st != FL_OK)
		return st;
	fl_fx_ctl_init(&c->fx, (float)cfg->engine.sample_rate, cfg->engine.n_tracks, send_cmd, c);
	fl_osc_set_fx(c->osc, &c->fx);
	if ((st = start_inputs(c, cfg, err, errlen)) != FL_OK)
		return st;
	c->inputs.fx = &c->fx;
	start_loudness(c, cfg);
	if ((st = start_sessions(c, cfg, err, errlen)) != FL_OK)
		return st;
	if ((st = fl_status_view_create(status_view, &c->view)) != FL_OK) {
		snprintf(err, errlen, "cannot start the status view: %s", fl_strerror(st));
		return st;
	}
	st = fl_loop_add_fd(loop, fl_osc_fd(c->osc), on_osc, c);
	if (st == FL_OK)
		st = fl_loop_add_fd(loop, fl_jack_shutdown_fd(jack), on_jack_shutdown, c);
	if (st == FL_OK && c->view)
		st = fl_loop_add_fd(loop, fl_status_view_log_fd(c->view), on_log, c);
	if (st != FL_OK) {
		snprintf(err, errlen, "control loop: %s", fl_strerror(st));
		return st;
	}
	fl_loop_set_tick(loop, on_tick, c);
	return FL_OK;
}

/* The master limiter's settings, the presets and the default send buses
 * (plate reverb, tempo-synced 1/8-dotted delay). Failures are logged:
 * footloop plays on without them. */
static void
apply_fx_config(struct fl_control *c, const struct fl_config *cfg)
{
	char err[300];
	const float lim[FL_LIMITER__COUNT] = {cfg->limiter_ceiling_db, cfg->limiter_release_ms,
	                                      cfg->limiter_hold_ms};
	for (int p = 0; p < FL_LIMITER__COUNT; p++)
		if (lim[p] != c->fx.limiter[p] &&
		    fl_fx_ctl_limiter(&c->fx, (enum fl_limiter_param)p, lim[p], err, sizeof err))
			fl_warn("[limiter]: %s", err);
	if (cfg->fx_presets[0] && fl_fx_ctl_load_presets(&c->fx, cfg->fx_presets, err, sizeof err))
		fl_warn("effect presets not loaded: %s", err);
	if (!cfg->fx_default_buses)
		return;
	if ((!cfg->bus_chain[0].given &&
	     fl_fx_ctl_set_type(&c->fx, FL_FXC_BUS(0), 0, FL_FX_PLATE, err, sizeof err)) ||
	    (!cfg->bus_chain[1].given &&
	     (fl_fx_ctl_set_type(&c->fx, FL_FXC_BUS(1), 0, FL_FX_DELAY, err, sizeof err) ||
	      fl_fx_ctl_set_param_text(&c->fx, FL_FXC_BUS(1), 0, "sync", "on", err, sizeof err) ||
	      fl_fx_ctl_set_param_text(&c->fx, FL_FXC_BUS(1), 0, "note", "1/8d", err, sizeof err))))
		fl_warn("default send buses: %s", err);
}

/* A configured chain: each slot given is one FL_CMD_FX_SLOT (type,
 * parameters, bypass) or a preset's slots from there on. The values were
 * checked by the config parser; what only shows now (an unknown preset)
 * is logged with its line, and footloop plays on. */
static void
apply_chain(struct fl_control *c, uint32_t target, const struct fl_config_fx_chain *ch,
            const char *sec)
{
	char err[300];
	for (uint32_t k = 0; k < FL_FX_SLOTS; k++) {
		const struct fl_config_fx_slot *s = &ch->slot[k];
		if (!s->given)
			continue;
		enum fl_status st =
			s->preset[0] ? fl_fx_ctl_preset_at(&c->fx, target, k, s->preset, err, sizeof err)
			             : fl_fx_ctl_set_slot(&c->fx, target, k, (enum fl_fx_type)s->type,
			                                  s->bypass, s->param, s->param_set, err, sizeof err);
		if (st != FL_OK)
			fl_warn("config line %d: [%s] fx%u: %s", s->line, sec, k + 1, err);
	}
}

static void
apply_chains(struct fl_control *c, const struct fl_config *cfg)
{
	char sec[16], err[300];
	apply_chain(c, FL_FXC_INPUT, &cfg->input_chain, "input");
	apply_chain(c, FL_FXC_MASTER, &cfg->master_chain, "master");
	for (uint32_t b = 0; b < FL_BUSES; b++) {
		snprintf(sec, sizeof sec, "bus.%u", b + 1);
		apply_chain(c, FL_FXC_BUS(b), &cfg->bus_chain[b], sec);
	}
	for (uint32_t i = 0; i < cfg->engine.n_tracks && i < FL_MAX_TRACKS; i++) {
		const struct fl_track_config *t = &cfg->track[i];
		snprintf(sec, sizeof sec, "track.%u", i + 1);
		apply_chain(c, i, &t->fx, sec);
		if (c->restored)
			continue; /* sends and input_fx came back with the loops */
		for (uint32_t b = 0; b < FL_BUSES; b++)
			if (t->send[b] != 0.0f &&
			    fl_fx_ctl_set_send(&c->fx, i, b, t->send[b], err, sizeof err) != FL_OK)
				fl_warn("[%s] send%u: %s", sec, b + 1, err);
		if (t->input_fx && fl_fx_ctl_set_input_fx(&c->fx, i, true, err, sizeof err) != FL_OK)
			fl_warn("[%s] input_fx: %s", sec, err);
	}
}

/* After a journal restore the engine's track settings are the ones that
 * were in use, not the configuration's: the control side's mirror takes
 * them over so that feedback shows them. */
static void
adopt_restored(struct fl_control *c)
{
	struct fl_engine_status es;
	struct fl_track_status ts[FL_MAX_TRACKS];
	fl_engine_get_status(c->engine, &es, ts, FL_MAX_TRACKS);
	for (uint32_t i = 0; i < es.n_tracks && i < FL_MAX_TRACKS; i++) {
		for (uint32_t b = 0; b < FL_BUSES; b++)
			c->fx.send_gain[i][b] = ts[i].send[b];
		c->fx.input_fx[i] = ts[i].record_input_fx;
	}
	fl_info("journal restore: track level, pan, quantize and sends kept as restored "
	        "([track.N] settings not applied)");
}

void
fl_control_apply_track_config(struct fl_control *c, const struct fl_config *cfg)
{
	apply_fx_config(c, cfg);
	apply_chains(c, cfg);
	if (c->restored) {
		adopt_restored(c);
		return;
	}
	for (uint32_t i = 0; i < cfg->engine.n_tracks && i < FL_MAX_TRACKS; i++) {
		const struct fl_track_config *t = &cfg->track[i];
		if (t->level != 1.0f)
			send_simple(c, FL_CMD_TRACK_LEVEL, i, 0, t->level);
		if (t->pan != 0.0f)
			send_simple(c, FL_CMD_TRACK_PAN, i, 0, t->pan);
		if (t->quantize != cfg->engine.quantize)
			send_simple(c, FL_CMD_TRACK_QUANTIZE, i, t->quantize, 0.0f);
	}
}

void
fl_control_fini(struct fl_control *c)
{
	fl_sessions_fini(&c->sessions); /* its last replies still go out over OSC */
	fl_status_view_free(c->view);
	c->view = NULL;
	fl_osc_free(c->osc);
	c->osc = NULL;
	fl_inputs_fini(&c->inputs);
	fl_loudness_ctl_fini(&c->loud);
	c->loud_on = false;
}
