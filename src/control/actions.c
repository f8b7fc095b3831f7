/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Looping policy. The decisions that depend on a track's state (rec_dub,
 * play_stop, the toggles) are taken here against the mirror of the last
 * published state; the engine then applies plain, unambiguous commands. */
#include "control/actions.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
fl_actions_init(struct fl_actions *a, uint32_t n_tracks)
{
	memset(a, 0, sizeof *a);
	if (n_tracks < 1)
		n_tracks = 1;
	if (n_tracks > FL_MAX_TRACKS)
		n_tracks = FL_MAX_TRACKS;
	a->n_tracks = n_tracks;
	for (uint32_t i = 0; i < FL_MAX_TRACKS; i++)
		a->tracks[i].level = 1.0f;
}

void
fl_actions_update(struct fl_actions *a, const struct fl_track_status *tracks, uint32_t n)
{
	if (n > a->n_tracks)
		n = a->n_tracks;
	memcpy(a->tracks, tracks, n * sizeof *tracks);
}

static enum fl_status refuse(char *err, size_t errlen, enum fl_status st, const char *fmt, ...)
	FL_PRINTF(4, 5);

static enum fl_status
refuse(char *err, size_t errlen, enum fl_status st, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return st;
}

/* Checks value against lo..hi, naming the action in the message. */
static enum fl_status
check_value(const struct fl_action *act, float lo, float hi, char *err, size_t errlen)
{
	if (!isfinite(act->value))
		return refuse(err, errlen, FL_ERR_RANGE, "%s: value is not a finite number",
		              fl_action_name(act->type));
	if (act->value < lo || act->value > hi)
		return refuse(err, errlen, FL_ERR_RANGE, "%s: %g is out of range %g..%g",
		              fl_action_name(act->type), (double)act->value, (double)lo, (double)hi);
	return FL_OK;
}

static struct fl_cmd
cmd(enum fl_cmd_type type, uint32_t track)
{
	return (struct fl_cmd){.type = (uint16_t)type, .track = (uint16_t)track};
}

/* rec_dub: one switch for the whole loop life. */
static enum fl_cmd_type
rec_dub(const struct fl_track_status *t)
{
	switch ((enum fl_track_state)t->state) {
	case FL_TRACK_EMPTY:
	case FL_TRACK_ARMED:
	case FL_TRACK_RECORDING:
		return FL_CMD_RECORD; /* start, or close the loop */
	case FL_TRACK_PLAYING:
	case FL_TRACK_OVERDUBBING:
	case FL_TRACK_STOPPED:
	case FL_TRACK__COUNT:
		break;
	}
	return FL_CMD_OVERDUB;
}

static enum fl_cmd_type
play_stop(const struct fl_track_status *t)
{
	/* An empty track gets play so that the engine answers "no loop". */
	return t->state == FL_TRACK_STOPPED || t->state == FL_TRACK_EMPTY ? FL_CMD_PLAY
	                                                                    : FL_CMD_STOP;
}

/* A track being saved or loaded keeps its loop as it is until the disk
 * work is done: what changes the loop is refused (levels, mute, play and
 * stop go on). */
static enum fl_status
check_busy(const struct fl_actions *a, const struct fl_action *act, uint32_t ti, char *err,
           size_t errlen)
{
	switch (act->type) {
	case FL_ACTION_RECORD: case FL_ACTION_OVERDUB: case FL_ACTION_REC_DUB:
	case FL_ACTION_CLEAR: case FL_ACTION_UNDO: case FL_ACTION_REDO:
		break;
	default:
		return FL_OK;
	}
	const char *what = a->track_busy ? a->track_busy(a->hook_user, ti) : NULL;
	if (what)
		return refuse(err, errlen, FL_ERR_BUSY, "track %u is %s", ti + 1, what);
	return FL_OK;
}

/* Track actions: *c is filled for track ti (already checked). */
static enum fl_status
track_cmd(struct fl_actions *a, const struct fl_action *act, uint32_t ti, struct fl_cmd *c,
          char *err, size_t errlen)
{
	struct fl_track_status *t = &a->tracks[ti];
	static const enum fl_cmd_type direct[FL_ACTION__COUNT] = {
		[FL_ACTION_RECORD] = FL_CMD_RECORD, [FL_ACTION_OVERDUB] = FL_CMD_OVERDUB,
		[FL_ACTION_PLAY] = FL_CMD_PLAY,     [FL_ACTION_STOP] = FL_CMD_STOP,
		[FL_ACTION_MUTE] = FL_CMD_MUTE,     [FL_ACTION_UNMUTE] = FL_CMD_UNMUTE,
		[FL_ACTION_CLEAR] = FL_CMD_CLEAR,   [FL_ACTION_UNDO] = FL_CMD_UNDO,
		[FL_ACTION_REDO] = FL_CMD_REDO,
	};
	enum fl_status st = FL_OK;
	if ((st = check_busy(a, act, ti, err, errlen)) != FL_OK)
		return st;
	if (direct[act->type] != FL_CMD_NONE) {
		*c = cmd(direct[act->type], ti);
		return FL_OK;
	}
	switch (act->type) {
	case FL_ACTION_REC_DUB: *c = cmd(rec_dub(t), ti); return FL_OK;
	case FL_ACTION_PLAY_STOP: *c = cmd(play_stop(t), ti); return FL_OK;
	case FL_ACTION_MUTE_TOGGLE:
		*c = cmd(t->muted ? FL_CMD_UNMUTE : FL_CMD_MUTE, ti);
		t->muted = !t->muted;
		return FL_OK;
	case FL_ACTION_SOLO_TOGGLE:
		*c = cmd(FL_CMD_TRACK_SOLO, ti);
		c->value = t->solo ? 0.0f : 1.0f;
		t->solo = !t->solo;
		return FL_OK;
	case FL_ACTION_SOLO:
		if ((st = check_value(act, 0.0f, 1.0f, err, errlen)) != FL_OK)
			return st;
		*c = cmd(FL_CMD_TRACK_SOLO, ti);
		c->value = act->value != 0.0f ? 1.0f : 0.0f;
		t->solo = act->value != 0.0f;
		return FL_OK;
	case FL_ACTION_LEVEL:
	case FL_ACTION_PAN: {
		bool lvl = act->type == FL_ACTION_LEVEL;
		if ((st = check_value(act, lvl ? 0.0f : -1.0f, lvl ? 2.0f : 1.0f, err, errlen)))
			return st;
		*c = cmd(lvl ? FL_CMD_TRACK_LEVEL : FL_CMD_TRACK_PAN, ti);
		c->value = act->value;
		return FL_OK;
	}
	case FL_ACTION_QUANTIZE:
		if ((st = check_value(act, 0.0f, (float)(FL_QUANTIZE__COUNT - 1), err, errlen)))
			return st;
		*c = cmd(FL_CMD_TRACK_QUANTIZE, ti);
		c->arg = (uint32_t)act->value;
		return FL_OK;
	default:
		break;
	}
	return refuse(err, errlen, FL_ERR_BAD_ARG, "action %d is not a track action", act->type);
}

static enum fl_status
resolve_track(const struct fl_actions *a, int32_t track, uint32_t *ti, char *err, size_t errlen)
{
	if (track == FL_TRACK_SELECTED) {
		*ti = a->selected;
		return FL_OK;
	}
	if (track < 0 || (uint32_t)track >= a->n_tracks)
		return refuse(err, errlen, FL_ERR_RANGE, "track %ld is out of range 1..%u",
		              (long)track + 1, a->n_tracks);
	*ti = (uint32_t)track;
	return FL_OK;
}

/* Global actions: selection changes only our state; the rest is one or more
 * commands. */
static enum fl_status
global_cmds(struct fl_actions *a, const struct fl_action *act, struct fl_cmd *out, size_t max,
            size_t *n, char *err, size_t errlen)
{
	enum fl_status st;
	switch (act->type) {
	case FL_ACTION_SELECT:
		/* The value is 0-based inside; people count tracks from 1. */
		if (!isfinite(act->value))
			return refuse(err, errlen, FL_ERR_RANGE, "select: value is not a finite number");
		if (act->value < 0.0f || act->value > (float)(a->n_tracks - 1) ||
		    act->value != floorf(act->value))
			return refuse(err, errlen, FL_ERR_RANGE, "select: track %g is out of range 1..%u",
			              (double)act->value + 1.0, a->n_tracks);
		a->selected = (uint32_t)act->value;
		return FL_OK;
	case FL_ACTION_SELECT_NEXT:
		a->selected = (a->selected + 1) % a->n_tracks;
		return FL_OK;
	case FL_ACTION_SELECT_PREV:
		a->selected = (a->selected + a->n_tracks - 1) % a->n_tracks;
		return FL_OK;
	case FL_ACTION_MASTER_LEVEL:
	case FL_ACTION_MONITOR_LEVEL:
		if ((st = check_value(act, 0.0f, 2.0f, err, errlen)))
			return st;
		out[0] = cmd(act->type == FL_ACTION_MASTER_LEVEL ? FL_CMD_MASTER_LEVEL
		                                                   : FL_CMD_MONITOR_LEVEL, 0);
		out[0].value = act->value;
		*n = 1;
		return FL_OK;
	case FL_ACTION_MONITOR:
		if ((st = check_value(act, 0.0f, 1.0f, err, errlen)))
			return st;
		out[0] = cmd(FL_CMD_MONITOR, 0);
		out[0].arg = act->value != 0.0f;
		*n = 1;
		return FL_OK;
	case FL_ACTION_STOP_ALL:
	case FL_ACTION_PLAY_ALL:
		out[0] = cmd(act->type == FL_ACTION_STOP_ALL ? FL_CMD_STOP_ALL : FL_CMD_PLAY_ALL, 0);
		*n = 1;
		return FL_OK;
	default:
		break;
	}
	(void)max;
	return refuse(err, errlen, FL_ERR_BAD_ARG, "unknown action %d", (int)act->type);
}

enum fl_status
fl_actions_apply(struct fl_actions *a, const struct fl_action *act, struct fl_cmd *out,
                 size_t max, size_t *n_out, char *err, size_t errlen)
{
	*n_out = 0;
	if (max < 1)
		return refuse(err, errlen, FL_ERR_FULL, "no room for a command");
	if ((unsigned)act->type >= FL_ACTION__COUNT || act->type == FL_ACTION_NONE)
		return refuse(err, errlen, FL_ERR_BAD_ARG, "unknown action %d", (int)act->type);
	if (act->type >= FL_ACTION_SESSION_SAVE && act->type <= FL_ACTION_RECORDER_STOP) {
		if (!a->session)
			return refuse(err, errlen, FL_ERR_UNSUPPORTED, "%s: sessions are not available",
			              fl_action_name(act->type));
		return a->session(a->hook_user, act, err, errlen);
	}
	if (!fl_action_takes_track(act->type))
		return global_cmds(a, act, out, max, n_out, err, errlen);
	uint32_t ti = 0;
	enum fl_status st = resolve_track(a, act->track, &ti, err, errlen);
	if (st == FL_OK)
		st = track_cmd(a, act, ti, &out[0], err, errlen);
	if (st == FL_OK && out[0].type == FL_CMD_RECORD)
		out[0].frame = act->frame; /* the engine honours a press within its late window */
	if (st == FL_OK)
		*n_out = 1;
	return st;
}
