/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Foot switches and MIDI controllers, wired to the actions policy. Every
 * input ends in run_action(), the same place OSC messages end: a new input
 * never gets its own way into the engine. */
#include "control/inputs.h"

#include "core/log.h"
#include "input/action_parse.h"
#include "input/midi_rtmidi.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MIDI_PER_TICK 256 ///< JACK MIDI events drained per tick (the queue's size)
#define FEEDBACK_MAX 64

static uint64_t
mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void
learn_finish(struct fl_inputs *in, enum fl_status st, const char *text)
{
	in->learn_deadline_ms = 0;
	in->learn_pick = false;
	in->learn_skip_set = false;
	fl_midi_map_learn_cancel(&in->map);
	if (st == FL_OK)
		fl_info("MIDI learn: %s", text);
	else
		fl_warn("MIDI learn: %s", text);
	if (in->hooks.learned)
		in->hooks.learned(in->hooks.user, st, text);
}

static void
learn_start(struct fl_inputs *in, const struct fl_action *act)
{
	char text[96];
	fl_input_format_action(act, text, sizeof text);
	fl_midi_map_learn_arm(&in->map, act);
	in->learn_skip_set = in->cur_msg != NULL;
	if (in->cur_msg)
		in->learn_skip = *in->cur_msg;
	in->learn_deadline_ms = mono_ms() + FL_INPUTS_LEARN_MS;
	fl_info("MIDI learn armed for '%s': move a control within %d s", text,
	        FL_INPUTS_LEARN_MS / 1000);
}

/* Effects, sends and panic go to their owner, which checks the values. */
static void
run_fx_action(struct fl_inputs *in, const struct fl_action *a, const char *from)
{
	char err[200] = "effects are not available";
	enum fl_status st = FL_ERR_UNSUPPORTED;
	uint32_t t = a->track == FL_TRACK_SELECTED ? in->actions->selected : (uint32_t)a->track;
	if (in->fx && a->type == FL_ACTION_PANIC)
		st = fl_fx_ctl_panic(in->fx, !in->fx->panic, err, sizeof err);
	else if (in->fx && a->type == FL_ACTION_FX_PARAM)
		st = fl_fx_ctl_set_param_norm(in->fx, t, (uint32_t)a->slot, (uint32_t)a->param,
		                              a->value, err, sizeof err);
	else if (in->fx)
		st = fl_fx_ctl_set_send(in->fx, t, a->type == FL_ACTION_SEND_1 ? 0 : 1, a->value, err,
		                        sizeof err);
	if (st == FL_OK)
		in->actions_done++;
	else if (in->actions_refused++ % 50 == 0)
		fl_warn("%s: %s", from, err);
}

/* The fx_ctl chain of a named fx_param binding. */
static uint32_t
fx_chain_target(const struct fl_inputs *in, int32_t chain)
{
	switch (chain) {
	case FL_TRACK_SELECTED: return in->actions->selected;
	case FL_MIDI_FX_INPUT: return FL_FXC_INPUT;
	case FL_MIDI_FX_BUS1: return FL_FXC_BUS(0);
	case FL_MIDI_FX_BUS2: return FL_FXC_BUS(1);
	case FL_MIDI_FX_MASTER: return FL_FXC_MASTER;
	default: return (uint32_t)chain;
	}
}

/* fx_param by name: resolved against the slot's type now. A name that
 * type lacks (the slot was changed under the binding, or a typo) is
 * logged at most once a second: a knob sends dozens of CCs a turn. */
static void
run_fx_named(struct fl_inputs *in, const struct fl_midi_binding *b, float norm)
{
	char err[200] = "effects are not available";
	enum fl_status st = FL_ERR_UNSUPPORTED;
	if (in->fx)
		st = fl_fx_ctl_set_param_scaled(in->fx, fx_chain_target(in, b->fx_chain), b->fx_slot,
		                                b->fx_param, norm, b->fx_has_min ? &b->fx_min : NULL,
		                                b->fx_has_max ? &b->fx_max : NULL, err, sizeof err);
	if (st == FL_OK) {
		in->actions_done++;
		return;
	}
	in->actions_refused++;
	if (st == FL_ERR_NOT_FOUND)
		in->fx_unresolved++;
	uint64_t now = mono_ms();
	if (in->fx_warnings == 0 || now - in->fx_warn_ms >= 1000) {
		in->fx_warnings++;
		in->fx_warn_ms = now;
		fl_warn("MIDI cc %u fx_param slot %u '%s': %s", b->number, b->fx_slot + 1u,
		        b->fx_param, err);
	}
}

/* The one exit of every switch gesture and MIDI binding. */
static void
run_action(struct fl_inputs *in, const struct fl_action *a, const char *from)
{
	if (a->type == FL_ACTION_MIDI_LEARN) {
		in->learn_pick = true;
		in->learn_deadline_ms = mono_ms() + FL_INPUTS_LEARN_MS;
		fl_info("MIDI learn: press the switch or control whose action to learn");
		return;
	}
	if (in->learn_pick) {
		in->learn_pick = false;
		learn_start(in, a);
		return;
	}
	struct fl_cmd cmds[FL_ACTIONS_MAX_CMDS];
	size_t n = 0;
	char err[160];
	if (a->type == FL_ACTION_PANIC || a->type == FL_ACTION_SEND_1 ||
	    a->type == FL_ACTION_SEND_2 || a->type == FL_ACTION_FX_PARAM) {
		run_fx_action(in, a, from);
		return;
	}
	if (fl_actions_apply(in->actions, a, cmds, FL_ACTIONS_MAX_CMDS, &n, err, sizeof err) != FL_OK) {
		if (in->actions_refused++ % 50 == 0)
			fl_warn("%s: %s", from, err);
		return;
	}
	in->actions_done++;
	for (size_t i = 0; i < n; i++)
		if (in->hooks.send && in->hooks.send(in->hooks.user, &cmds[i]) != FL_OK)
			return; /* counted and logged by the sender */
}

enum fl_status
fl_inputs_init(struct fl_inputs *in, const struct fl_config *cfg, struct fl_actions *actions,
               const struct fl_inputs_hooks *hooks, char *err, size_t errlen)
{
	memset(in, 0, sizeof *in);
	in->timer_fd = -1;
	in->ready = true;
	in->actions = actions;
	if (hooks)
		in->hooks = *hooks;
	fl_midi_map_init(&in->map);
	fl_midi_parser_init(&in->jack_parser);
	enum fl_status st;
	if (cfg->midi_map[0] && (st = fl_midi_map_load(&in->map, cfg->midi_map, err, errlen)))
		return st;
	if (cfg->midi_map[0])
		fl_info("MIDI map %s: %u bindings", cfg->midi_map, in->map.n);
	snprintf(in->learn_file, sizeof in->learn_file, "%s",
	         cfg->midi_learn_file[0] ? cfg->midi_learn_file : cfg->midi_map);
	if ((st = fl_midi_queue_init(&in->jack_in, FL_INPUTS_MIDI_QUEUE, false)) != FL_OK ||
	    (st = fl_spsc_init(&in->jack_out, FL_INPUTS_MIDI_QUEUE, sizeof(struct fl_midi_event)))) {
		snprintf(err, errlen, "MIDI queues: %s", fl_strerror(st));
		return st;
	}
	if (cfg->midi_alsa_in[0] || cfg->midi_alsa_out[0]) {
		char why[256];
		if (fl_midi_alsa_open("footloop", cfg->midi_alsa_in, cfg->midi_alsa_out, &in->alsa, why,
		                      sizeof why) != FL_OK)
			fl_warn("ALSA MIDI off: %s", why);
	}
	return FL_OK;
}

enum fl_status
fl_inputs_start_gpio(struct fl_inputs *in, const struct fl_gpio_config *c, bool inject,
                     char *err, size_t errlen)
{
	enum fl_status st = inject ? fl_gpio_open_inject(c, &in->gpio)
	                           : fl_gpio_open(c, &in->gpio, err, errlen);
	if (st != FL_OK) {
		if (inject)
			snprintf(err, errlen, "GPIO injection backend: %s", fl_strerror(st));
		return st;
	}
	struct fl_gesture_config gc[FL_GPIO_MAX_SWITCHES];
	fl_gestures_init(&in->gestures, gc, fl_gpio_gesture_configs(c, gc, FL_GPIO_MAX_SWITCHES));
	memcpy(in->leds, c->led, sizeof in->leds);
	in->beats_per_cycle = c->beats_per_cycle;
	in->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (in->timer_fd < 0) {
		snprintf(err, errlen, "gesture timer: %s", strerror(errno));
		fl_gpio_free(in->gpio);
		in->gpio = NULL;
		return FL_ERR_IO;
	}
	return FL_OK;
}

void
fl_inputs_fini(struct fl_inputs *in)
{
	if (!in->ready)
		return;
	in->ready = false;
	fl_gpio_free(in->gpio);
	in->gpio = NULL;
	fl_midi_alsa_free(in->alsa);
	in->alsa = NULL;
	if (in->timer_fd >= 0)
		close(in->timer_fd);
	in->timer_fd = -1;
	fl_midi_queue_destroy(&in->jack_in);
	fl_spsc_destroy(&in->jack_out);
}

size_t
fl_inputs_fds(const struct fl_inputs *in, int *fds, size_t max)
{
	int all[FL_INPUTS_MAX_FDS];
	size_t n = 0;
	if (in->gpio) {
		n = fl_gpio_fds(in->gpio, all, FL_GPIO_MAX_SWITCHES);
		if (n > FL_GPIO_MAX_SWITCHES)
			n = FL_GPIO_MAX_SWITCHES;
	}
	if (in->timer_fd >= 0)
		all[n++] = in->timer_fd;
	if (in->alsa)
		all[n++] = fl_midi_alsa_fd(in->alsa);
	for (size_t i = 0; i < n && i < max; i++)
		fds[i] = all[i];
	return n;
}

/* Engine frame at CLOCK_MONOTONIC time t_ns, from the last tick's
 * (time, frame) pair (within a period); 0 when unknown. */
static uint64_t
frame_at(const struct fl_inputs *in, uint64_t t_ns)
{
	if (!in->clock_ns || !in->clock_rate || !t_ns)
		return 0;
	int64_t dt_ns = (int64_t)(t_ns - in->clock_ns);
	int64_t df = dt_ns / 1000 * (int64_t)in->clock_rate / 1000000;
	if (df < 0 && (uint64_t)-df > in->clock_frame)
		return 0;
	return (uint64_t)((int64_t)in->clock_frame + df);
}

static void
run_gestures(struct fl_inputs *in, const struct fl_gesture_out *out, size_t k)
{
	for (size_t i = 0; i < k; i++) {
		char from[48];
		snprintf(from, sizeof from, "switch %u %s", out[i].sw + 1,
		         fl_gesture_name(out[i].gesture));
		struct fl_action a = out[i].action;
		a.frame = frame_at(in, out[i].origin_ns); /* where the foot went down */
		run_action(in, &a, from);
	}
}

/* Absolute CLOCK_MONOTONIC deadline, or disarmed when nothing waits. */
static void
arm_timer(struct fl_inputs *in)
{
	uint64_t d = 0;
	if (in->timer_fd < 0)
		return;
	if (!fl_gestures_next_deadline(&in->gestures, &d))
		d = 0;
	if (d == in->timer_armed_ns)
		return;
	struct itimerspec its = {0};
	its.it_value.tv_sec = (time_t)(d / 1000000000u);
	its.it_value.tv_nsec = (long)(d % 1000000000u);
	if (d && its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0)
		its.it_value.tv_nsec = 1;
	if (timerfd_settime(in->timer_fd, TFD_TIMER_ABSTIME, &its, NULL) == 0)
		in->timer_armed_ns = d;
}

void
fl_inputs_gpio_edges(struct fl_inputs *in, const struct fl_gpio_edge *edges, size_t n,
                     uint64_t now_ns)
{
	struct fl_gesture_out out[FL_GESTURE_MAX_OUT];
	/* Deadlines that passed before these edges were read come first. */
	run_gestures(in, out, fl_gestures_tick(&in->gestures, now_ns, out, FL_GESTURE_MAX_OUT));
	for (size_t e = 0; e < n; e++) {
		size_t k = fl_gestures_edge(&in->gestures, edges[e].sw, edges[e].pressed,
		                            edges[e].timestamp_ns, out, FL_GESTURE_MAX_OUT);
		run_gestures(in, out, k);
	}
	arm_timer(in);
}

void
fl_inputs_gesture_tick(struct fl_inputs *in, uint64_t now_ns)
{
	struct fl_gesture_out out[FL_GESTURE_MAX_OUT];
	run_gestures(in, out, fl_gestures_tick(&in->gestures, now_ns, out, FL_GESTURE_MAX_OUT));
	in->timer_armed_ns = 0; /* a fired timer is disarmed */
	arm_timer(in);
}

static void
learn_offer(struct fl_inputs *in, const struct fl_midi_msg *msg)
{
	char line[256], err[300];
	const struct fl_midi_msg *k = &in->learn_skip;
	bool note = (msg->status & 0xE0) == 0x80, knote = (k->status & 0xE0) == 0x80;
	if (in->learn_skip_set && msg->channel == k->channel && msg->data1 == k->data1 &&
	    (msg->status == k->status || (note && knote)))
		return; /* the picking control itself (its release, its next move) */
	enum fl_status st = fl_midi_map_learn(&in->map, msg, line, sizeof line);
	if (st == FL_ERR_NOT_FOUND)
		return; /* note off, clock...: keep waiting */
	if (st != FL_OK) {
		learn_finish(in, st, "the MIDI map is full: binding not learned");
		return;
	}
	if (in->learn_file[0] &&
	    fl_midi_map_append_file(in->learn_file, line, err, sizeof err) != FL_OK) {
		learn_finish(in, FL_ERR_IO, err);
		return;
	}
	learn_finish(in, FL_OK, line);
}

void
fl_inputs_midi_msg(struct fl_inputs *in, const struct fl_midi_msg *msg)
{
	in->midi_in++;
	if (in->map.learning) {
		learn_offer(in, msg);
		return;
	}
	struct fl_action acts[8];
	const struct fl_midi_binding *from[8];
	size_t n = fl_midi_map_input_from(&in->map, msg, acts, from, 8);
	in->cur_msg = msg;
	for (size_t i = 0; i < n; i++) {
		if (from[i]->fx_param[0] && !in->learn_pick)
			run_fx_named(in, from[i], acts[i].value);
		else if (from[i]->fx_param[0])
			learn_finish(in, FL_ERR_UNSUPPORTED, "fx_param bindings are written by hand, "
			             "not learned (param= needs a name)");
		else {
			acts[i].frame = in->midi_frame;
			run_action(in, &acts[i], "MIDI");
		}
	}
	in->cur_msg = NULL;
}

void
fl_inputs_on_fd(struct fl_inputs *in, int fd, uint64_t now_ns)
{
	if (fd == in->timer_fd) {
		uint64_t expirations;
		(void)!read(fd, &expirations, sizeof expirations);
		fl_inputs_gesture_tick(in, now_ns);
	} else if (in->alsa && fd == fl_midi_alsa_fd(in->alsa)) {
		struct fl_midi_msg msgs[32];
		size_t n = fl_midi_alsa_read(in->alsa, msgs, 32);
		for (size_t i = 0; i < n; i++)
			fl_inputs_midi_msg(in, &msgs[i]);
	} else if (in->gpio) {
		struct fl_gpio_edge edges[16];
		size_t n = 0;
		/* Bounded: a switch bouncing without end cannot hold the loop. */
		for (int round = 0; round < 4; round++) {
			if (fl_gpio_read(in->gpio, fd, edges, 16, &n) != FL_OK) {
				fl_warn("GPIO: reading switch events failed");
				return;
			}
			fl_inputs_gpio_edges(in, edges, n, now_ns);
			if (n < 16)
				break;
		}
	}
}

static void
drain_jack_midi(struct fl_inputs *in)
{
	struct fl_midi_event ev;
	struct fl_midi_msg msgs[4];
	for (int i = 0; i < MIDI_PER_TICK && fl_midi_queue_pop(&in->jack_in, &ev); i++) {
		size_t n = fl_midi_parse(&in->jack_parser, ev.bytes, ev.size, msgs, 4);
		in->midi_frame = ev.stamp; /* JACK MIDI is stamped with the engine frame */
		for (size_t k = 0; k < n; k++)
			fl_inputs_midi_msg(in, &msgs[k]);
		in->midi_frame = 0;
	}
}

static void
drive_leds(struct fl_inputs *in, const struct fl_snapshot *s)
{
	for (uint32_t i = 0; in->gpio && i < FL_GPIO_MAX_LEDS; i++) {
		const struct fl_gpio_led_config *l = &in->leds[i];
		if (!l->used)
			continue;
		int32_t t = l->track == FL_TRACK_SELECTED ? (int32_t)s->selected : l->track;
		bool on;
		if (l->track == FL_GPIO_LED_BEAT)
			on = fl_led_beat_level(&s->engine, in->beats_per_cycle);
		else if (t >= 0 && (uint32_t)t < s->n_tracks)
			on = fl_led_track_level(&s->tracks[t], &s->engine);
		else
			continue;
		if (fl_gpio_set_led(in->gpio, i, on) != FL_OK && in->led_errors++ == 0)
			fl_warn("GPIO: cannot drive LED %u", i + 1);
	}
}

static void
send_feedback(struct fl_inputs *in, const struct fl_snapshot *s)
{
	struct fl_midi_msg out[FEEDBACK_MAX];
	size_t n = fl_midi_map_feedback(&in->map, s->tracks, s->n_tracks, s->selected, out,
	                                FEEDBACK_MAX);
	for (size_t i = 0; i < n; i++) {
		struct fl_midi_event ev = {.size = 3,
		                           .bytes = {(uint8_t)(out[i].status | out[i].channel),
		                                     out[i].data1, out[i].data2}};
		(void)fl_spsc_push(&in->jack_out, &ev);
	}
	char err[256];
	if (n && in->alsa && fl_midi_alsa_send(in->alsa, out, n, err, sizeof err) != FL_OK)
		fl_debug("MIDI feedback: %s", err);
}

void
fl_inputs_tick(struct fl_inputs *in, const struct fl_snapshot *snap, uint64_t now_ms)
{
	in->now_ms = now_ms;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	in->clock_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	in->clock_frame = snap->engine.frame;
	in->clock_rate = snap->engine.sample_rate;
	drain_jack_midi(in);
	drive_leds(in, snap);
	send_feedback(in, snap);
	if (in->alsa && now_ms >= in->next_rescan_ms) {
		char err[256] = "";
		if (fl_midi_alsa_rescan(in->alsa, err, sizeof err))
			fl_midi_map_feedback_reset(&in->map);
		if (err[0])
			fl_info("ALSA MIDI: %s", err);
		in->next_rescan_ms = now_ms + FL_MIDI_RESCAN_MS;
	}
	if (in->learn_deadline_ms && now_ms >= in->learn_deadline_ms)
		learn_finish(in, FL_ERR_NOT_FOUND, "nothing learned: no MIDI control moved within 10 s");
}

enum fl_status
fl_inputs_learn_arm(struct fl_inputs *in, const struct fl_action *act, char *err, size_t errlen)
{
	if (in->map.learning || in->learn_pick) {
		snprintf(err, errlen, "MIDI learn is already waiting for a control");
		return FL_ERR_BUSY;
	}
	if (act->type == FL_ACTION_NONE || act->type == FL_ACTION_MIDI_LEARN ||
	    act->type == FL_ACTION_FX_PARAM || (unsigned)act->type >= FL_ACTION__COUNT) {
		snprintf(err, errlen, "cannot learn that action");
		return FL_ERR_BAD_ARG;
	}
	learn_start(in, act);
	return FL_OK;
}
