/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The looping policy, from a table: (track state, action) -> command. */
#include "check.h"

#include "control/actions.h"

#include <math.h>
#include <string.h>

#define T(n) ((int32_t)(n))
#define SEL FL_TRACK_SELECTED
#define NONE FL_TRACK_NONE

struct row {
	uint32_t state;         ///< state of every track in the mirror
	bool muted, solo;       ///< flags of every track
	struct fl_action act;
	enum fl_status want_st;
	size_t want_n;
	uint16_t want_type;     ///< first command
	uint16_t want_track;
	float want_value;
	uint32_t want_arg;
};

static const struct row rows[] = {
	/* rec_dub */
	{FL_TRACK_EMPTY, 0, 0, {FL_ACTION_REC_DUB, T(1), 1, 0, 0, 0}, FL_OK, 1, FL_CMD_RECORD, 1, 0, 0},
	{FL_TRACK_ARMED, 0, 0, {FL_ACTION_REC_DUB, T(1), 1, 0, 0, 0}, FL_OK, 1, FL_CMD_RECORD, 1, 0, 0},
	{FL_TRACK_RECORDING, 0, 0, {FL_ACTION_REC_DUB, T(0), 1, 0, 0, 0}, FL_OK, 1, FL_CMD_RECORD, 0, 0, 0},
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_REC_DUB, T(0), 1, 0, 0, 0}, FL_OK, 1, FL_CMD_OVERDUB, 0, 0, 0},
	{FL_TRACK_OVERDUBBING, 0, 0, {FL_ACTION_REC_DUB, T(3), 1, 0, 0, 0}, FL_OK, 1, FL_CMD_OVERDUB, 3, 0, 0},
	{FL_TRACK_STOPPED, 0, 0, {FL_ACTION_REC_DUB, T(2), 1, 0, 0, 0}, FL_OK, 1, FL_CMD_OVERDUB, 2, 0, 0},
	/* play_stop */
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_PLAY_STOP, T(0), 1, 0, 0, 0}, FL_OK, 1, FL_CMD_STOP, 0, 0, 0},
	{FL_TRACK_OVERDUBBING, 0, 0, {FL_ACTION_PLAY_STOP, T(0), 1, 0, 0, 0}, FL_OK, 1, FL_CMD_STOP, 0, 0, 0},
	{FL_TRACK_STOPPED, 0, 0, {FL_ACTION_PLAY_STOP, T(0), 1, 0, 0, 0}, FL_OK, 1, FL_CMD_PLAY, 0, 0, 0},
	{FL_TRACK_EMPTY, 0, 0, {FL_ACTION_PLAY_STOP, T(0), 1, 0, 0, 0}, FL_OK, 1, FL_CMD_PLAY, 0, 0, 0},
	/* direct transport */
	{FL_TRACK_EMPTY, 0, 0, {FL_ACTION_RECORD, T(2), 1, 0, 0, 0}, FL_OK, 1, FL_CMD_RECORD, 2, 0, 0},
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_OVERDUB, T(2), 1, 0, 0, 0}, FL_OK, 1, FL_CMD_OVERDUB, 2, 0, 0},
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_STOP, T(2), 1, 0, 0, 0}, FL_OK, 1, FL_CMD_STOP, 2, 0, 0},
	{FL_TRACK_STOPPED, 0, 0, {FL_ACTION_PLAY, T(2), 1, 0, 0, 0}, FL_OK, 1, FL_CMD_PLAY, 2, 0, 0},
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_CLEAR, T(2), 1, 0, 0, 0}, FL_OK, 1, FL_CMD_CLEAR, 2, 0, 0},
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_UNDO, T(2), 1, 0, 0, 0}, FL_OK, 1, FL_CMD_UNDO, 2, 0, 0},
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_REDO, T(2), 1, 0, 0, 0}, FL_OK, 1, FL_CMD_REDO, 2, 0, 0},
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_MUTE, T(2), 1, 0, 0, 0}, FL_OK, 1, FL_CMD_MUTE, 2, 0, 0},
	{FL_TRACK_PLAYING, 1, 0, {FL_ACTION_UNMUTE, T(2), 1, 0, 0, 0}, FL_OK, 1, FL_CMD_UNMUTE, 2, 0, 0},
	/* toggles */
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_MUTE_TOGGLE, T(1), 1, 0, 0, 0}, FL_OK, 1, FL_CMD_MUTE, 1, 0, 0},
	{FL_TRACK_PLAYING, 1, 0, {FL_ACTION_MUTE_TOGGLE, T(1), 1, 0, 0, 0}, FL_OK, 1, FL_CMD_UNMUTE, 1, 0, 0},
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_SOLO_TOGGLE, T(1), 1, 0, 0, 0}, FL_OK, 1, FL_CMD_TRACK_SOLO, 1, 1, 0},
	{FL_TRACK_PLAYING, 0, 1, {FL_ACTION_SOLO_TOGGLE, T(1), 1, 0, 0, 0}, FL_OK, 1, FL_CMD_TRACK_SOLO, 1, 0, 0},
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_SOLO, T(1), 1, 0, 0, 0}, FL_OK, 1, FL_CMD_TRACK_SOLO, 1, 1, 0},
	/* selected track (track 2 is selected in every row) */
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_REC_DUB, SEL, 1, 0, 0, 0}, FL_OK, 1, FL_CMD_OVERDUB, 2, 0, 0},
	{FL_TRACK_EMPTY, 0, 0, {FL_ACTION_RECORD, SEL, 1, 0, 0, 0}, FL_OK, 1, FL_CMD_RECORD, 2, 0, 0},
	/* mixer values */
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_LEVEL, T(0), 0.5f, 0, 0, 0}, FL_OK, 1, FL_CMD_TRACK_LEVEL, 0, 0.5f, 0},
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_LEVEL, T(0), 2.0f, 0, 0, 0}, FL_OK, 1, FL_CMD_TRACK_LEVEL, 0, 2.0f, 0},
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_PAN, T(3), -1.0f, 0, 0, 0}, FL_OK, 1, FL_CMD_TRACK_PAN, 3, -1.0f, 0},
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_QUANTIZE, T(3), 0, 0, 0, 0}, FL_OK, 1, FL_CMD_TRACK_QUANTIZE, 3, 0, FL_QUANTIZE_OFF},
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_MASTER_LEVEL, NONE, 0.7f, 0, 0, 0}, FL_OK, 1, FL_CMD_MASTER_LEVEL, 0, 0.7f, 0},
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_MONITOR_LEVEL, NONE, 1.5f, 0, 0, 0}, FL_OK, 1, FL_CMD_MONITOR_LEVEL, 0, 1.5f, 0},
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_MONITOR, NONE, 0, 0, 0, 0}, FL_OK, 1, FL_CMD_MONITOR, 0, 0, 0},
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_MONITOR, NONE, 1, 0, 0, 0}, FL_OK, 1, FL_CMD_MONITOR, 0, 0, 1},
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_STOP_ALL, NONE, 1, 0, 0, 0}, FL_OK, 1, FL_CMD_STOP_ALL, 0, 0, 0},
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_PLAY_ALL, NONE, 1, 0, 0, 0}, FL_OK, 1, FL_CMD_PLAY_ALL, 0, 0, 0},
	/* refused: range, non-finite, bad track, unknown action */
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_LEVEL, T(0), 2.01f, 0, 0, 0}, FL_ERR_RANGE, 0, 0, 0, 0, 0},
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_LEVEL, T(0), -0.01f, 0, 0, 0}, FL_ERR_RANGE, 0, 0, 0, 0, 0},
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_LEVEL, T(0), NAN, 0, 0, 0}, FL_ERR_RANGE, 0, 0, 0, 0, 0},
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_PAN, T(0), INFINITY, 0, 0, 0}, FL_ERR_RANGE, 0, 0, 0, 0, 0},
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_PAN, T(0), 1.5f, 0, 0, 0}, FL_ERR_RANGE, 0, 0, 0, 0, 0},
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_MASTER_LEVEL, NONE, 1e30f, 0, 0, 0}, FL_ERR_RANGE, 0, 0, 0, 0, 0},
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_MONITOR_LEVEL, NONE, -INFINITY, 0, 0, 0}, FL_ERR_RANGE, 0, 0, 0, 0, 0},
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_QUANTIZE, T(0), 7, 0, 0, 0}, FL_ERR_RANGE, 0, 0, 0, 0, 0},
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_SOLO, T(0), 3, 0, 0, 0}, FL_ERR_RANGE, 0, 0, 0, 0, 0},
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_RECORD, T(4), 1, 0, 0, 0}, FL_ERR_RANGE, 0, 0, 0, 0, 0},
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_RECORD, T(-7), 1, 0, 0, 0}, FL_ERR_RANGE, 0, 0, 0, 0, 0},
	{FL_TRACK_PLAYING, 0, 0, {FL_ACTION_NONE, NONE, 1, 0, 0, 0}, FL_ERR_BAD_ARG, 0, 0, 0, 0, 0},
	{FL_TRACK_PLAYING, 0, 0, {(enum fl_action_type)999, NONE, 1, 0, 0, 0}, FL_ERR_BAD_ARG, 0, 0, 0, 0, 0},
};

static void
setup(struct fl_actions *a, const struct row *r)
{
	struct fl_track_status ts[4];
	memset(ts, 0, sizeof ts);
	for (int i = 0; i < 4; i++)
		ts[i] = (struct fl_track_status){.state = r->state, .muted = r->muted, .solo = r->solo};
	fl_actions_init(a, 4);
	fl_actions_update(a, ts, 4);
	a->selected = 2;
}

static void
test_table(void)
{
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct row *r = &rows[i];
		struct fl_actions a;
		struct fl_cmd out[FL_ACTIONS_MAX_CMDS];
		size_t n = 99;
		char err[128] = "";
		setup(&a, r);
		memset(out, 0xAB, sizeof out);
		enum fl_status st = fl_actions_apply(&a, &r->act, out, FL_ACTIONS_MAX_CMDS, &n, err,
		                                     sizeof err);
		CHECK_MSG(st == r->want_st, "row %zu: status %d, want %d (%s)", i, st, r->want_st, err);
		CHECK_MSG(n == r->want_n, "row %zu: %zu commands, want %zu", i, n, r->want_n);
		CHECK_MSG(st == FL_OK || err[0] != '\0', "row %zu: refused without a message", i);
		if (n != 1 || r->want_n != 1)
			continue;
		CHECK_MSG(out[0].type == r->want_type, "row %zu: type %u, want %u", i, out[0].type,
		          r->want_type);
		CHECK_MSG(out[0].track == r->want_track, "row %zu: track %u, want %u", i, out[0].track,
		          r->want_track);
		CHECK_MSG(out[0].value == r->want_value, "row %zu: value %g", i, (double)out[0].value);
		CHECK_MSG(out[0].arg == r->want_arg, "row %zu: arg %u", i, out[0].arg);
		CHECK_MSG(out[0].frame == 0 && out[0].ptr == NULL, "row %zu: frame/ptr set", i);
	}
}

static void
test_selection(void)
{
	struct fl_actions a;
	struct fl_cmd out[FL_ACTIONS_MAX_CMDS];
	size_t n;
	char err[128];
	fl_actions_init(&a, 3);
	CHECK(a.selected == 0);
	struct fl_action prev = {FL_ACTION_SELECT_PREV, NONE, 1, 0, 0, 0};
	struct fl_action next = {FL_ACTION_SELECT_NEXT, NONE, 1, 0, 0, 0};
	CHECK(fl_actions_apply(&a, &prev, out, 4, &n, err, sizeof err) == FL_OK && n == 0);
	CHECK(a.selected == 2); /* wraps backwards */
	CHECK(fl_actions_apply(&a, &next, out, 4, &n, err, sizeof err) == FL_OK);
	CHECK(a.selected == 0); /* wraps forwards */
	struct fl_action sel = {FL_ACTION_SELECT, NONE, 1, 0, 0, 0};
	CHECK(fl_actions_apply(&a, &sel, out, 4, &n, err, sizeof err) == FL_OK && a.selected == 1);
	sel.value = 3;
	CHECK(fl_actions_apply(&a, &sel, out, 4, &n, err, sizeof err) == FL_ERR_RANGE);
	sel.value = 0.5f;
	CHECK(fl_actions_apply(&a, &sel, out, 4, &n, err, sizeof err) == FL_ERR_RANGE);
	sel.value = NAN;
	CHECK(fl_actions_apply(&a, &sel, out, 4, &n, err, sizeof err) == FL_ERR_RANGE);
	CHECK(a.selected == 1); /* refused selections change nothing */
	struct fl_action rec = {FL_ACTION_REC_DUB, SEL, 1, 0, 0, 0};
	CHECK(fl_actions_apply(&a, &rec, out, 4, &n, err, sizeof err) == FL_OK);
	CHECK(n == 1 && out[0].track == 1 && out[0].type == FL_CMD_RECORD);
}

/* Two toggles inside one control tick toggle twice. */
static void
test_toggle_twice(void)
{
	struct fl_actions a;
	struct fl_cmd out[4];
	size_t n;
	fl_actions_init(&a, 2);
	struct fl_action m = {FL_ACTION_MUTE_TOGGLE, T(0), 1, 0, 0, 0};
	CHECK(fl_actions_apply(&a, &m, out, 4, &n, NULL, 0) == FL_OK && out[0].type == FL_CMD_MUTE);
	CHECK(fl_actions_apply(&a, &m, out, 4, &n, NULL, 0) == FL_OK && out[0].type == FL_CMD_UNMUTE);
	/* No room: refused, not truncated. */
	CHECK(fl_actions_apply(&a, &m, out, 0, &n, NULL, 0) == FL_ERR_FULL && n == 0);
	/* The error message names the track 1-based. */
	char err[128];
	struct fl_action bad = {FL_ACTION_PLAY, T(5), 1, 0, 0, 0};
	CHECK(fl_actions_apply(&a, &bad, out, 4, &n, err, sizeof err) == FL_ERR_RANGE);
	CHECK_MSG(strcmp(err, "track 6 is out of range 1..2") == 0, "got \"%s\"", err);
}

int
main(void)
{
	test_table();
	test_selection();
	test_toggle_twice();
	return fl_check_summary("test_actions");
}
