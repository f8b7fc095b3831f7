/* SPDX-License-Identifier: GPL-2.0-or-later */
/* MIDI learn and the text form of bindings. Learned bindings go into the
 * table at once and are appended to the mapping file by rewriting it through
 * a temporary file, so a crash never leaves a half-written map. */
#include "input/midi_map.h"

#include "input/action_parse.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void
fl_midi_map_learn_arm(struct fl_midi_map *m, const struct fl_action *action)
{
	m->learning = true;
	m->learn_action = *action;
}

void
fl_midi_map_learn_cancel(struct fl_midi_map *m)
{
	m->learning = false;
}

enum fl_status
fl_midi_map_learn(struct fl_midi_map *m, const struct fl_midi_msg *msg, char *line, size_t linelen)
{
	struct fl_midi_binding b = {.sent = -1, .threshold = 64};
	bool continuous;

	if (!m->learning)
		return FL_ERR_BAD_ARG;
	continuous = fl_input_action_is_continuous(m->learn_action.type);
	if (msg->status == 0xB0)
		b.kind = FL_MIDI_CC;
	else if (msg->status == 0x90 && msg->data2 > 0 && !continuous)
		b.kind = FL_MIDI_NOTE;
	else if (msg->status == 0xC0 && !continuous)
		b.kind = FL_MIDI_PC;
	else
		return FL_ERR_NOT_FOUND; /* note off, clock, ...: wait for the next */
	if (m->n >= FL_MIDI_MAX_BINDINGS)
		return FL_ERR_FULL;
	b.channel = (int8_t)msg->channel;
	b.number = msg->data1;
	b.action = m->learn_action;
	b.min = b.action.type == FL_ACTION_PAN ? -1.0f : 0.0f;
	b.max = 1.0f;
	if (continuous)
		b.mode = FL_MIDI_MODE_CONTINUOUS;
	/* The learning press itself counts as seen, so its release does not
	 * fire a toggle. */
	b.on = b.kind == FL_MIDI_CC ? msg->data2 >= b.threshold : b.kind == FL_MIDI_NOTE;
	m->b[m->n++] = b;
	m->learning = false;
	fl_midi_binding_format(&b, line, linelen);
	return FL_OK;
}

static const char *const kind_names[] = {"note", "cc", "pc"};

/* "fx_param track=2 slot=1 param=mix [min=.. max=..]" of a named binding. */
static void
format_fx(const struct fl_midi_binding *b, char *buf, size_t len)
{
	static const char *const named[] = {"master", "bus2", "bus1", "input"};
	char chain[16];
	size_t used;

	if (b->fx_chain >= 0)
		snprintf(chain, sizeof(chain), "%d", (int)b->fx_chain + 1);
	else if (b->fx_chain == FL_TRACK_SELECTED)
		snprintf(chain, sizeof(chain), "selected");
	else if (b->fx_chain >= FL_MIDI_FX_MASTER && b->fx_chain <= FL_MIDI_FX_INPUT)
		snprintf(chain, sizeof(chain), "%s", named[b->fx_chain - FL_MIDI_FX_MASTER]);
	else
		snprintf(chain, sizeof(chain), "selected");
	snprintf(buf, len, "fx_param track=%s slot=%u param=%s", chain, b->fx_slot + 1u,
	         b->fx_param);
	used = strlen(buf);
	if (b->fx_has_min)
		snprintf(buf + used, len - used, " min=%g", (double)b->fx_min);
	used = strlen(buf);
	if (b->fx_has_max)
		snprintf(buf + used, len - used, " max=%g", (double)b->fx_max);
}

void
fl_midi_binding_format(const struct fl_midi_binding *b, char *buf, size_t len)
{
	char act[96], ch[8];
	size_t used;

	if (b->fx_param[0])
		format_fx(b, act, sizeof(act));
	else
		fl_input_format_action(&b->action, act, sizeof(act));
	if (b->channel == FL_MIDI_ANY_CHANNEL)
		snprintf(ch, sizeof(ch), "any");
	else
		snprintf(ch, sizeof(ch), "%d", b->channel + 1);
	snprintf(buf, len, "%-3s %-4s %3u  %s", ch, kind_names[b->kind % 3], b->number, act);
	used = strlen(buf);
	if (b->mode == FL_MIDI_MODE_CONTINUOUS && !b->fx_param[0])
		snprintf(buf + used, len - used, " min=%g max=%g", (double)b->min, (double)b->max);
	else if (b->mode == FL_MIDI_MODE_BOTH)
		snprintf(buf + used, len - used, " mode=%s",
		         b->kind == FL_MIDI_NOTE ? "hold" : "toggle");
	used = strlen(buf);
	if (b->kind == FL_MIDI_CC && b->threshold != 64 && b->mode != FL_MIDI_MODE_CONTINUOUS)
		snprintf(buf + used, len - used, " threshold=%u", b->threshold);
	if (b->has_led) {
		for (int s = 0; s < FL_LED__COUNT; s++) {
			used = strlen(buf);
			snprintf(buf + used, len - used, "%s%s:%u", s ? "," : " led=",
			         fl_led_state_name((enum fl_led_state)s), b->led[s]);
		}
	}
}

/* Copies path's content (if any) to fd. */
static enum fl_status
copy_old(const char *path, int fd, bool *ends_nl, char *err, size_t errlen)
{
	char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	*ends_nl = true;
	if (!f) {
		if (errno == ENOENT)
			return FL_OK;
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		return FL_ERR_IO;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (write(fd, buf, n) != (ssize_t)n) {
			snprintf(err, errlen, "%s.tmp: cannot write: %s", path, strerror(errno));
			fclose(f);
			return FL_ERR_IO;
		}
		*ends_nl = buf[n - 1] == '\n';
	}
	fclose(f);
	return FL_OK;
}

enum fl_status
fl_midi_map_append_file(const char *path, const char *line, char *err, size_t errlen)
{
	char tmp[4096], tail[600];
	bool ends_nl;
	enum fl_status st;
	int fd, len;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
		snprintf(err, errlen, "mapping file path too long");
		return FL_ERR_BAD_ARG;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot create: %s", tmp, strerror(errno));
		return FL_ERR_IO;
	}
	st = copy_old(path, fd, &ends_nl, err, errlen);
	len = snprintf(tail, sizeof(tail), "%s%s\n", ends_nl ? "" : "\n", line);
	if (st == FL_OK && (len < 0 || (size_t)len >= sizeof(tail) ||
	                    write(fd, tail, (size_t)len) != len || fsync(fd) != 0)) {
		snprintf(err, errlen, "%s: cannot write: %s", tmp, strerror(errno));
		st = FL_ERR_IO;
	}
	if (close(fd) != 0 && st == FL_OK) {
		snprintf(err, errlen, "%s: cannot close: %s", tmp, strerror(errno));
		st = FL_ERR_IO;
	}
	if (st == FL_OK && rename(tmp, path) != 0) {
		snprintf(err, errlen, "%s: cannot rename to %s: %s", tmp, path, strerror(errno));
		st = FL_ERR_IO;
	}
	if (st != FL_OK)
		unlink(tmp);
	return st;
}
