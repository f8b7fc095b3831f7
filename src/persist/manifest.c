/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A hand-written line parser rather than inih: the manifest needs exact
 * 64-bit integers, its own version line first, strictness about unknown keys
 * (a typo must not silently load a track at the wrong level) and skipped
 * [track.N.fx] sections for forward compatibility. */
#include "persist/manifest.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parse_ctx {
	struct fl_manifest *m;
	const char *fname;
	int line;
	int section;      ///< -1: header, >= 0: track index, -2: skipped section
	bool seen_length; ///< length_frames given in the current track section
	bool seen_file;
	bool header_seen[3]; ///< sample_rate, cycle_frames, tracks
	char *err;
	size_t errlen;
};

void
fl_manifest_track_defaults(struct fl_manifest_track *t)
{
	memset(t, 0, sizeof *t);
	t->state = FL_TRACK_PLAYING;
	t->level = 1.0f;
	t->quantize = FL_QUANTIZE_CYCLE;
}

void
fl_manifest_init(struct fl_manifest *m, uint32_t sample_rate, uint32_t n_tracks)
{
	memset(m, 0, sizeof *m);
	m->version = FL_MANIFEST_VERSION;
	m->sample_rate = sample_rate;
	m->n_tracks = n_tracks;
	for (uint32_t t = 0; t < FL_MAX_TRACKS; t++)
		fl_manifest_track_defaults(&m->track[t]);
}

void
fl_manifest_track_file(uint32_t t, char *buf, size_t len)
{
	snprintf(buf, len, "track-%02u.wav", t + 1);
}

FL_PRINTF(3, 4) static enum fl_status
fail(struct parse_ctx *c, const char *key, const char *fmt, ...)
{
	char what[96];
	if (c->section >= 0)
		snprintf(what, sizeof what, "[track.%d] %s", c->section + 1, key);
	else
		snprintf(what, sizeof what, "%s", key);
	char msg[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errlen, "%s:%d: %s: %s", c->fname, c->line, what, msg);
	return FL_ERR_FORMAT;
}

static bool
parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	if (!isdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

static bool
parse_float(const char *s, float lo, float hi, float *out)
{
	char *end;
	errno = 0;
	float v = strtof(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static bool
parse_bool(const char *s, bool *out)
{
	if (!strcmp(s, "0") || !strcmp(s, "1")) {
		*out = s[0] == '1';
		return true;
	}
	return false;
}

static enum fl_status
header_key(struct parse_ctx *c, const char *key, const char *val)
{
	uint64_t v;
	if (!strcmp(key, "sample_rate")) {
		if (!parse_u64(val, 768000, &v) || v < 8000)
			return fail(c, key, "\"%s\" is not a rate in 8000..768000 Hz", val);
		c->m->sample_rate = (uint32_t)v;
		c->header_seen[0] = true;
	} else if (!strcmp(key, "cycle_frames")) {
		if (!parse_u64(val, UINT64_MAX / 4, &v))
			return fail(c, key, "\"%s\" is not a frame count", val);
		c->m->cycle_frames = v;
		c->header_seen[1] = true;
	} else if (!strcmp(key, "tracks")) {
		if (!parse_u64(val, FL_MAX_TRACKS, &v) || v < 1)
			return fail(c, key, "\"%s\" is not a track count in 1..64", val);
		c->m->n_tracks = (uint32_t)v;
		c->header_seen[2] = true;
	} else {
		return fail(c, key, "unknown key");
	}
	return FL_OK;
}

static enum fl_status
track_key_audio(struct parse_ctx *c, struct fl_manifest_track *t, const char *key,
                const char *val, bool *known)
{
	*known = true;
	if (!strcmp(key, "file")) {
		size_t n = strlen(val);
		if (n == 0 || n > FL_MANIFEST_FNAME_MAX || strchr(val, '/') || val[0] == '.')
			return fail(c, key, "\"%s\" is not a plain file name in the session", val);
		memcpy(t->file, val, n + 1);
		c->seen_file = true;
	} else if (!strcmp(key, "length_frames")) {
		if (!parse_u64(val, UINT64_MAX / 4, &t->length_frames) || t->length_frames == 0)
			return fail(c, key, "\"%s\" is not a frame count > 0", val);
		c->seen_length = true;
	} else if (!strcmp(key, "phase_frames")) {
		if (!parse_u64(val, UINT64_MAX / 4, &t->phase_frames))
			return fail(c, key, "\"%s\" is not a frame count", val);
	} else if (!strcmp(key, "undo_position")) {
		uint64_t v;
		if (!parse_u64(val, 0, &v))
			return fail(c, key, "\"%s\": only 0 is supported in version 1", val);
		t->undo_position = 0;
	} else {
		*known = false;
	}
	return FL_OK;
}

static enum fl_status
track_key_mix(struct parse_ctx *c, struct fl_manifest_track *t, const char *key,
              const char *val)
{
	if (!strcmp(key, "state")) {
		if (!strcmp(val, "playing"))
			t->state = FL_TRACK_PLAYING;
		else if (!strcmp(val, "stopped"))
			t->state = FL_TRACK_STOPPED;
		else
			return fail(c, key, "\"%s\" is not playing or stopped", val);
	} else if (!strcmp(key, "level")) {
		if (!parse_float(val, 0.0f, 2.0f, &t->level))
			return fail(c, key, "\"%s\" is not a gain in 0..2", val);
	} else if (!strcmp(key, "pan")) {
		if (!parse_float(val, -1.0f, 1.0f, &t->pan))
			return fail(c, key, "\"%s\" is not a pan in -1..1", val);
	} else if (!strcmp(key, "send.1") || !strcmp(key, "send.2")) {
		if (!parse_float(val, 0.0f, 2.0f, &t->send[key[5] - '1']))
			return fail(c, key, "\"%s\" is not a gain in 0..2", val);
	} else if (!strcmp(key, "quantize")) {
		int q = fl_quantize_from_name(val);
		if (q < 0)
			return fail(c, key, "\"%s\" is not off or cycle", val);
		t->quantize = (uint32_t)q;
	} else if (!strcmp(key, "muted")) {
		if (!parse_bool(val, &t->muted))
			return fail(c, key, "\"%s\" is not 0 or 1", val);
	} else if (!strcmp(key, "solo")) {
		if (!parse_bool(val, &t->solo))
			return fail(c, key, "\"%s\" is not 0 or 1", val);
	} else if (!strcmp(key, "record_input_fx")) {
		if (!parse_bool(val, &t->record_input_fx))
			return fail(c, key, "\"%s\" is not 0 or 1", val);
	} else {
		return fail(c, key, "unknown key");
	}
	return FL_OK;
}

static enum fl_status
end_section(struct parse_ctx *c)
{
	if (c->section < 0)
		return FL_OK;
	struct fl_manifest_track *t = &c->m->track[c->section];
	if (!c->seen_file)
		return fail(c, "file", "missing");
	if (!c->seen_length)
		return fail(c, "length_frames", "missing");
	if (t->phase_frames >= t->length_frames)
		return fail(c, "phase_frames", "%s", "not below length_frames");
	return FL_OK;
}

static enum fl_status
section_line(struct parse_ctx *c, char *s)
{
	enum fl_status st = end_section(c);
	if (st != FL_OK)
		return st;
	char *close = strchr(s, ']');
	if (!close || close[1])
		return fail(c, s, "%s", "malformed section header");
	*close = '\0';
	const char *name = s + 1;
	unsigned n = 0;
	int used = 0;
	if (sscanf(name, "track.%u%n", &n, &used) != 1 || n < 1 || n > c->m->n_tracks)
		return fail(c, name, "%s", "unknown section (expected [track.N], N within tracks)");
	if (!strcmp(name + used, ".fx")) {
		c->section = -2; /* effect settings: a later version's */
		return FL_OK;
	}
	if (name[used])
		return fail(c, name, "%s", "unknown section");
	if (c->m->track[n - 1].present)
		return fail(c, name, "%s", "section given twice");
	c->section = (int)n - 1;
	fl_manifest_track_defaults(&c->m->track[n - 1]);
	c->m->track[n - 1].present = true;
	c->seen_file = c->seen_length = false;
	return FL_OK;
}

static enum fl_status
key_line(struct parse_ctx *c, char *s)
{
	if (c->section == -2)
		return FL_OK;
	char *sp = s;
	while (*sp && !isspace((unsigned char)*sp))
		sp++;
	if (!*sp)
		return fail(c, s, "%s", "no value");
	*sp++ = '\0';
	while (isspace((unsigned char)*sp))
		sp++;
	if (c->section == -1)
		return header_key(c, s, sp);
	struct fl_manifest_track *t = &c->m->track[c->section];
	bool known;
	enum fl_status st = track_key_audio(c, t, s, sp, &known);
	if (st != FL_OK || known)
		return st;
	return track_key_mix(c, t, s, sp);
}

static char *
trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

static enum fl_status
first_line(struct parse_ctx *c, char *s)
{
	unsigned v = 0;
	int used = 0;
	if (sscanf(s, "footloop-session %u%n", &v, &used) != 1 || s[used])
		return fail(c, "header", "\"%.40s\" is not \"footloop-session 1\" (not a session manifest)", s);
	if (v != FL_MANIFEST_VERSION) {
		return fail(c, "header", "version %u is not supported (this build reads version 1)", v);
	}
	return FL_OK;
}

enum fl_status
fl_manifest_parse(struct fl_manifest *m, const char *text, const char *fname, char *err,
                  size_t errlen)
{
	fl_manifest_init(m, 0, FL_MAX_TRACKS);
	struct parse_ctx c = { .m = m, .fname = fname, .section = -1, .err = err, .errlen = errlen };
	char line[512];
	enum fl_status st = FL_OK;
	for (const char *p = text; *p && st == FL_OK;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		c.line++;
		if (n >= sizeof line)
			return fail(&c, "line", "%s", "longer than 511 bytes");
		memcpy(line, p, n);
		line[n] = '\0';
		p += n + (nl ? 1 : 0);
		char *s = trim(line);
		if (c.line == 1)
			st = first_line(&c, s);
		else if (!*s || s[0] == '#')
			continue;
		else if (s[0] == '[') {
			if (!c.header_seen[0] || !c.header_seen[2])
				return fail(&c, "header", "%s", "sample_rate and tracks must come before the tracks");
			st = section_line(&c, s);
		} else
			st = key_line(&c, s);
	}
	if (st != FL_OK)
		return st;
	if (c.line == 0)
		return fail(&c, "header", "%s", "empty file");
	if (!c.header_seen[0] || !c.header_seen[2])
		return fail(&c, "header", "%s", "sample_rate or tracks missing");
	return end_section(&c);
}

struct out_buf {
	char *buf;
	size_t len;
	size_t pos;
	bool full;
};

FL_PRINTF(2, 3) static void
out(struct out_buf *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t room = o->pos < o->len ? o->len - o->pos : 0;
	int n = vsnprintf(o->buf + (room ? o->pos : 0), room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room)
		o->full = true;
	else
		o->pos += (size_t)n;
}

static void
format_track(struct out_buf *o, uint32_t i, const struct fl_manifest_track *t)
{
	out(o, "\n[track.%u]\n", i + 1);
	out(o, "file %s\n", t->file);
	out(o, "length_frames %llu\n", (unsigned long long)t->length_frames);
	out(o, "phase_frames %llu\n", (unsigned long long)t->phase_frames);
	out(o, "state %s\n", t->state == FL_TRACK_STOPPED ? "stopped" : "playing");
	out(o, "level %.9g\n", (double)t->level);
	out(o, "pan %.9g\n", (double)t->pan);
	out(o, "muted %d\n", t->muted ? 1 : 0);
	out(o, "solo %d\n", t->solo ? 1 : 0);
	out(o, "quantize %s\n", fl_quantize_name((enum fl_quantize)t->quantize));
	for (uint32_t b = 0; b < FL_BUSES; b++)
		out(o, "send.%u %.9g\n", b + 1, (double)t->send[b]);
	out(o, "record_input_fx %d\n", t->record_input_fx ? 1 : 0);
	out(o, "undo_position %u\n", t->undo_position);
	out(o, "\n[track.%u.fx]\n# effect settings: reserved for a later version\n", i + 1);
}

enum fl_status
fl_manifest_format(const struct fl_manifest *m, char *buf, size_t len, size_t *written)
{
	struct out_buf o = { .buf = buf, .len = len };
	out(&o, "footloop-session %u\n", FL_MANIFEST_VERSION);
	out(&o, "sample_rate %u\n", m->sample_rate);
	out(&o, "cycle_frames %llu\n", (unsigned long long)m->cycle_frames);
	out(&o, "tracks %u\n", m->n_tracks);
	for (uint32_t i = 0; i < m->n_tracks && i < FL_MAX_TRACKS; i++) {
		if (m->track[i].present)
			format_track(&o, i, &m->track[i]);
	}
	if (written)
		*written = o.pos;
	return o.full ? FL_ERR_FULL : FL_OK;
}
