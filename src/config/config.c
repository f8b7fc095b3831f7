/* SPDX-License-Identifier: GPL-2.0-or-later */
/* footloop.conf -> struct fl_config, with inih.
 *
 * The whole file is checked: unknown sections and keys are errors, because a
 * typo found at home is better than a setting silently missing on stage.
 * Only the first error is reported; it names file:line, section and key.
 * inih (as packaged by Debian) does not pass line numbers to the handler, so
 * the file is fed through our own line-counting reader. */
#include "footloop/config.h"

#include "config/config_fx.h"

#include "core/log.h"

#include <errno.h>
#include <stdarg.h>
#include <ini.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum key_type { K_UINT, K_FLOAT, K_BOOL, K_QUANTIZE, K_STRING, K_LOG_LEVEL, K_HZ };

/* One key of a fixed section, stored at offset inside its struct. */
struct key_desc {
	const char *key;
	enum key_type type;
	size_t offset;
	size_t size; ///< bytes of a K_STRING buffer, or of a K_UINT field
	double min, max;
};

#define CFG(f) offsetof(struct fl_config, f)
#define ENG(f) (offsetof(struct fl_config, engine) + offsetof(struct fl_engine_config, f))

static const struct key_desc engine_keys[] = {
	{"tracks", K_UINT, ENG(n_tracks), sizeof(uint32_t), 1, FL_MAX_TRACKS},
	{"track_seconds", K_FLOAT, ENG(track_seconds), 0, 1, 3600},
	{"fade_ms", K_FLOAT, ENG(fade_ms), 0, 0, 100},
	{"seam_ms", K_FLOAT, ENG(seam_ms), 0, 0, 100},
	{"late_window_ms", K_FLOAT, ENG(late_window_ms), 0, 0, 1000},
	{"smooth_ms", K_FLOAT, ENG(smooth_ms), 0, 0, 1000},
	{"history_seconds", K_FLOAT, ENG(history_seconds), 0, 0.1, 60},
	{"quantize", K_QUANTIZE, ENG(quantize), 0, 0, 0},
	{"monitor", K_BOOL, ENG(monitor), 0, 0, 0},
	{"monitor_level", K_FLOAT, ENG(monitor_level), 0, 0, 2},
	{"master_level", K_FLOAT, ENG(master_level), 0, 0, 2},
	{"latency_trim_ms", K_FLOAT, CFG(latency_trim_ms), 0, -1000, 1000},
	{"lock_memory", K_BOOL, CFG(lock_memory), 0, 0, 0},
	{NULL, K_UINT, 0, 0, 0, 0},
};

static const struct key_desc jack_keys[] = {
	{"name", K_STRING, CFG(jack_name), FL_CONFIG_NAME_MAX, 1, 0},
	{"server", K_STRING, CFG(jack_server), FL_CONFIG_NAME_MAX, 0, 0},
	{"autoconnect", K_BOOL, CFG(autoconnect), 0, 0, 0},
	{"connect_in_1", K_STRING, CFG(connect_in[0]), FL_CONFIG_PORT_MAX, 0, 0},
	{"connect_in_2", K_STRING, CFG(connect_in[1]), FL_CONFIG_PORT_MAX, 0, 0},
	{"connect_out_1", K_STRING, CFG(connect_out[0]), FL_CONFIG_PORT_MAX, 0, 0},
	{"connect_out_2", K_STRING, CFG(connect_out[1]), FL_CONFIG_PORT_MAX, 0, 0},
	{"reconnect", K_BOOL, CFG(jack_reconnect), 0, 0, 0},
	{NULL, K_UINT, 0, 0, 0, 0},
};

static const struct key_desc journal_keys[] = {
	{"enabled", K_BOOL, CFG(journal_enabled), 0, 0, 0},
	{"dir", K_STRING, CFG(journal_dir), FL_CONFIG_PORT_MAX, 0, 0},
	{"ring_seconds", K_FLOAT, CFG(journal_ring_seconds), 0, 1, 60},
	{"sync_ms", K_UINT, CFG(journal_sync_ms), sizeof(uint32_t), 50, 5000},
	{"checkpoint_minutes", K_FLOAT, CFG(journal_checkpoint_minutes), 0, 0.1, 1440},
	{NULL, K_UINT, 0, 0, 0, 0},
};

static const struct key_desc osc_keys[] = {
	{"port", K_UINT, CFG(osc_port), sizeof(uint16_t), 0, 65535},
	{"bind", K_STRING, CFG(osc_bind), FL_CONFIG_NAME_MAX, 1, 0},
	{"feedback_hz", K_HZ, CFG(feedback_hz), 0, 1, 30},
	{NULL, K_UINT, 0, 0, 0, 0},
};

static const struct key_desc log_keys[] = {
	{"level", K_LOG_LEVEL, CFG(log_level), 0, 0, 0},
	{NULL, K_UINT, 0, 0, 0, 0},
};

#define TRK(f) offsetof(struct fl_track_config, f)
static const struct key_desc track_keys[] = {
	{"level", K_FLOAT, TRK(level), 0, 0, 2},
	{"pan", K_FLOAT, TRK(pan), 0, -1, 1},
	{"quantize", K_QUANTIZE, TRK(quantize), 0, 0, 0},
	{"send1", K_FLOAT, TRK(send[0]), 0, 0, 2},
	{"send2", K_FLOAT, TRK(send[1]), 0, 0, 2},
	{"input_fx", K_BOOL, TRK(input_fx), 0, 0, 0},
	{NULL, K_UINT, 0, 0, 0, 0},
};

/* Parser state shared by the reader and the handler. */
struct parse {
	struct fl_config *cfg;
	FILE *file;       ///< file input, or NULL
	const char *text; ///< string input: the rest to read
	int line;         ///< line last handed to inih (1-based)
	int err_line;     ///< line of the first handler error, 0 = none
	char err[256];    ///< the first handler error, without the file:line prefix
	int track_line[FL_MAX_TRACKS]; ///< line of each [track.N] seen (0 = none)
};

static int fail(struct parse *p, const char *section, const char *key, const char *fmt, ...)
	FL_PRINTF(4, 5);

static int
fail(struct parse *p, const char *section, const char *key, const char *fmt, ...)
{
	if (p->err_line)
		return 0;
	int n;
	if (section[0] == '\0')
		n = snprintf(p->err, sizeof p->err, "%s: ", key ? key : "");
	else if (key)
		n = snprintf(p->err, sizeof p->err, "[%s] %s: ", section, key);
	else
		n = snprintf(p->err, sizeof p->err, "[%s]: ", section);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err + n, sizeof p->err - (size_t)n, fmt, ap);
	va_end(ap);
	p->err_line = p->line;
	return 0;
}

static bool
parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = {"true", "yes", "on", "1"};
	static const char *const no[] = {"false", "no", "off", "0"};
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return *out = true, true;
		if (strcasecmp(v, no[i]) == 0)
			return *out = false, true;
	}
	return false;
}

static bool
parse_number(const char *v, double *out)
{
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	if (end == v || *end != '\0' || errno == ERANGE || !isfinite(d))
		return false;
	*out = d;
	return true;
}

static int
store_number(struct parse *p, const char *sec, const struct key_desc *k, char *base, const char *v)
{
	double d;
	if (!parse_number(v, &d))
		return fail(p, sec, k->key, "'%s' is not a number", v);
	if (k->type == K_HZ) {
		/* Documented as clamped: a faster rate only costs the network. */
		double c = d < k->min ? k->min : (d > k->max ? k->max : d);
		if (c != d)
			fl_warn("%s: [%s] %s: %g clamped to %g", "config", sec, k->key, d, c);
		*(uint32_t *)(base + k->offset) = (uint32_t)c;
		return 1;
	}
	if (d < k->min || d > k->max)
		return fail(p, sec, k->key, "%s is out of range %g..%g", v, k->min, k->max);
	if (k->type == K_FLOAT) {
		*(float *)(base + k->offset) = (float)d;
		return 1;
	}
	if (d != floor(d))
		return fail(p, sec, k->key, "%s is not a whole number", v);
	if (k->size == sizeof(uint16_t))
		*(uint16_t *)(base + k->offset) = (uint16_t)d;
	else
		*(uint32_t *)(base + k->offset) = (uint32_t)d;
	return 1;
}

static int
store(struct parse *p, const char *sec, const struct key_desc *k, char *base, const char *v)
{
	bool b;
	int q;
	switch (k->type) {
	case K_UINT:
	case K_FLOAT:
	case K_HZ:
		return store_number(p, sec, k, base, v);
	case K_BOOL:
		if (!parse_bool(v, &b))
			return fail(p, sec, k->key, "'%s' is not a boolean (true/false, yes/no, on/off, 1/0)", v);
		*(bool *)(base + k->offset) = b;
		return 1;
	case K_QUANTIZE:
		if ((q = fl_quantize_from_name(v)) < 0)
			return fail(p, sec, k->key, "'%s' is not a quantize mode (off, cycle)", v);
		*(uint32_t *)(base + k->offset) = (uint32_t)q;
		return 1;
	case K_LOG_LEVEL:
		if ((q = fl_log_level_from_name(v)) < 0)
			return fail(p, sec, k->key,
			            "'%s' is not a log level (error, warning, notice, info, debug)", v);
		*(int *)(base + k->offset) = q;
		return 1;
	case K_STRING:
		if (strlen(v) >= k->size)
			return fail(p, sec, k->key, "value is longer than %zu characters", k->size - 1);
		if (k->min > 0 && v[0] == '\0')
			return fail(p, sec, k->key, "value must not be empty");
		memcpy(base + k->offset, v, strlen(v) + 1);
		return 1;
	}
	return fail(p, sec, k->key, "internal error: bad key type");
}

static int
set_key(struct parse *p, const struct key_desc *keys, const char *sec, char *base,
        const char *name, const char *value)
{
	for (const struct key_desc *k = keys; k->key; k++)
		if (strcmp(k->key, name) == 0)
			return store(p, sec, k, base, value);
	return fail(p, sec, name, "unknown key");
}

static int
on_engine(struct parse *p, const char *sec, const char *name, const char *value)
{
	return set_key(p, engine_keys, sec, (char *)p->cfg, name, value);
}

static int
on_jack(struct parse *p, const char *sec, const char *name, const char *value)
{
	return set_key(p, jack_keys, sec, (char *)p->cfg, name, value);
}

static int
on_journal(struct parse *p, const char *sec, const char *name, const char *value)
{
	return set_key(p, journal_keys, sec, (char *)p->cfg, name, value);
}

static int
on_osc(struct parse *p, const char *sec, const char *name, const char *value)
{
	return set_key(p, osc_keys, sec, (char *)p->cfg, name, value);
}

static int
on_log(struct parse *p, const char *sec, const char *name, const char *value)
{
	return set_key(p, log_keys, sec, (char *)p->cfg, name, value);
}

/* fx1..fx4 keys of a chain: 1 done, 0 failed, -1 not an effect key. */
static int
on_chain_key(struct parse *p, struct fl_config_fx_chain *ch, const char *sec, const char *name,
             const char *value)
{
	char why[240];
	int r = fl_config_fx_key(ch, name, value, p->line, why, sizeof why);
	return r == 0 ? fail(p, sec, name, "%s", why) : r;
}

/* [input], [bus.1], [bus.2], [master]: effect chains only. */
static int
on_chain(struct parse *p, const char *sec, const char *name, const char *value)
{
	struct fl_config_fx_chain *ch = NULL;
	if (strcmp(sec, "input") == 0)
		ch = &p->cfg->input_chain;
	else if (strcmp(sec, "master") == 0)
		ch = &p->cfg->master_chain;
	else if (strcmp(sec, "bus.1") == 0 || strcmp(sec, "bus.2") == 0)
		ch = &p->cfg->bus_chain[sec[4] - '1'];
	else
		return fail(p, sec, NULL, "bus sections are [bus.1] and [bus.2]");
	int r = on_chain_key(p, ch, sec, name, value);
	if (r < 0)
		return fail(p, sec, name, "unknown key (fx1..fx%u, fxK.bypass, fxK.<parameter>)",
		            FL_FX_SLOTS);
	return r;
}

/* [track.N], N 1-based and checked against [engine] tracks after the parse. */
static int
on_track(struct parse *p, const char *sec, const char *name, const char *value)
{
	const char *num = sec + strlen("track.");
	char *end;
	errno = 0;
	unsigned long n = strtoul(num, &end, 10);
	if (num[0] < '1' || num[0] > '9' || *end || errno || n > FL_MAX_TRACKS)
		return fail(p, sec, NULL, "track sections are [track.N] with N in 1..%d", FL_MAX_TRACKS);
	if (!p->track_line[n - 1])
		p->track_line[n - 1] = p->line;
	struct fl_track_config *t = &p->cfg->track[n - 1];
	int fx = on_chain_key(p, &t->fx, sec, name, value);
	if (fx >= 0)
		return fx;
	int ok = set_key(p, track_keys, sec, (char *)t, name, value);
	if (ok && strcmp(name, "quantize") == 0)
		t->quantize_set = true;
	return ok;
}

static const struct key_desc midi_keys[] = {
	{"alsa_in", K_STRING, CFG(midi_alsa_in), FL_CONFIG_NAME_MAX, 0, 0},
	{"alsa_out", K_STRING, CFG(midi_alsa_out), FL_CONFIG_NAME_MAX, 0, 0},
	{"map", K_STRING, CFG(midi_map), FL_CONFIG_PATH_MAX, 0, 0},
	{"learn_file", K_STRING, CFG(midi_learn_file), FL_CONFIG_PATH_MAX, 0, 0},
	{NULL, K_UINT, 0, 0, 0, 0},
};

static const struct key_desc limiter_keys[] = {
	{"ceiling_db", K_FLOAT, CFG(limiter_ceiling_db), 0, -12, 0},
	{"release_ms", K_FLOAT, CFG(limiter_release_ms), 0, 5, 1000},
	{"hold_ms", K_FLOAT, CFG(limiter_hold_ms), 0, 0, 50},
	{NULL, K_UINT, 0, 0, 0, 0},
};

static const struct key_desc fx_keys[] = {
	{"presets", K_STRING, CFG(fx_presets), FL_CONFIG_PATH_MAX, 0, 0},
	{"default_buses", K_BOOL, CFG(fx_default_buses), 0, 0, 0},
	{NULL, K_UINT, 0, 0, 0, 0},
};

static const struct key_desc session_keys[] = {
	{"dir", K_STRING, CFG(session_dir), FL_CONFIG_PATH_MAX, 1, 0},
	{"name", K_STRING, CFG(session_name), FL_CONFIG_NAME_MAX + 8, 1, 0},
	{"load_on_start", K_BOOL, CFG(session_load_on_start), 0, 0, 0},
	{NULL, K_UINT, 0, 0, 0, 0},
};

static const struct key_desc setlist_keys[] = {
	{"songs", K_STRING, CFG(setlist_songs), FL_CONFIG_SONGS_MAX, 0, 0},
	{NULL, K_UINT, 0, 0, 0, 0},
};

static const struct key_desc recorder_keys[] = {
	{"dir", K_STRING, CFG(recorder_dir), FL_CONFIG_PATH_MAX, 1, 0},
	{"stems", K_BOOL, CFG(recorder_stems), 0, 0, 0},
	{"ring_seconds", K_FLOAT, CFG(recorder_ring_seconds), 0, 1, 60},
	{NULL, K_UINT, 0, 0, 0, 0},
};

/* A session name as the session gate (src/persist/paths.c) accepts it:
 * 1..64 bytes of [A-Za-z0-9_.-], not starting with '.'. Checked here too so
 * that a typo stops footloop at start-up rather than at the first save. */
static bool
session_name_ok(const char *s, size_t len)
{
	if (len == 0 || len > 64 || s[0] == '.')
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return false;
	}
	return true;
}

static int
on_session(struct parse *p, const char *sec, const char *name, const char *value)
{
	if (strcmp(name, "name") == 0 && !session_name_ok(value, strlen(value)))
		return fail(p, sec, name, "'%s' is not a session name (1..64 of A-Z a-z 0-9 _ . -, "
		            "not starting with '.')", value);
	return set_key(p, session_keys, sec, (char *)p->cfg, name, value);
}

/* songs = a, b, c: every name checked, the line kept as written. */
static int
on_setlist(struct parse *p, const char *sec, const char *name, const char *value)
{
	if (strcmp(name, "songs") == 0) {
		unsigned n = 0;
		for (const char *s = value; *s;) {
			s += strspn(s, " \t,");
			size_t len = strcspn(s, " \t,");
			if (len == 0)
				break;
			if (!session_name_ok(s, len))
				return fail(p, sec, name, "'%.*s' is not a session name", (int)len, s);
			if (++n > 64)
				return fail(p, sec, name, "more than 64 songs");
			s += len;
		}
	}
	return set_key(p, setlist_keys, sec, (char *)p->cfg, name, value);
}

static int
on_recorder(struct parse *p, const char *sec, const char *name, const char *value)
{
	if (strcmp(name, "format") != 0)
		return set_key(p, recorder_keys, sec, (char *)p->cfg, name, value);
	if (strcasecmp(value, "wav") == 0)
		p->cfg->recorder_format = 0;
	else if (strcasecmp(value, "flac") == 0)
		p->cfg->recorder_format = 1;
	else
		return fail(p, sec, name, "'%s' is not a recording format (wav, flac)", value);
	return 1;
}

static int
on_limiter(struct parse *p, const char *sec, const char *name, const char *value)
{
	return set_key(p, limiter_keys, sec, (char *)p->cfg, name, value);
}

static int
on_fx(struct parse *p, const char *sec, const char *name, const char *value)
{
	return set_key(p, fx_keys, sec, (char *)p->cfg, name, value);
}

static int
on_midi(struct parse *p, const char *sec, const char *name, const char *value)
{
	return set_key(p, midi_keys, sec, (char *)p->cfg, name, value);
}

/* [gpio*] belongs to the input module's parser; its sentence already names
 * section, key and value. */
static int
on_gpio(struct parse *p, const char *sec, const char *name, const char *value)
{
	char why[256];
	if (fl_gpio_config_key(&p->cfg->gpio, sec, name, value, why, sizeof why) == FL_OK)
		return 1;
	if (!p->err_line) {
		snprintf(p->err, sizeof p->err, "%s", why);
		p->err_line = p->line;
	}
	return 0;
}

/* Which handler owns a section: exact names, or prefixes ending in '.'. */
static const struct section_desc {
	const char *prefix;
	bool exact;
	int (*handler)(struct parse *p, const char *sec, const char *name, const char *value);
} sections[] = {
	{"engine", true, on_engine},
	{"jack", true, on_jack},
	{"osc", true, on_osc},
	{"log", true, on_log},
	{"journal", true, on_journal},
	{"track.", false, on_track},
	{"gpio", false, on_gpio},
	{"midi", true, on_midi},
	{"limiter", true, on_limiter},
	{"fx", true, on_fx},
	{"session", true, on_session},
	{"setlist", true, on_setlist},
	{"recorder", true, on_recorder},
	{"input", true, on_chain},
	{"master", true, on_chain},
	{"bus.", false, on_chain},
};

static int
on_ini(void *user, const char *section, const char *name, const char *value)
{
	struct parse *p = user;
	if (!name) /* new section (INI_CALL_HANDLER_ON_NEW_SECTION builds only) */
		return 1;
	if (section[0] == '\0')
		return fail(p, "", name, "key outside any section (start with [engine], [jack], ...)");
	for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
		const struct section_desc *s = &sections[i];
		bool match = s->exact ? strcmp(section, s->prefix) == 0
		                      : strncmp(section, s->prefix, strlen(s->prefix)) == 0;
		if (match)
			return s->handler(p, section, name, value);
	}
	return fail(p, section, NULL, "unknown section");
}

/* inih reader that counts lines so that errors can name them. */
static char *
read_line(char *str, int num, void *stream)
{
	struct parse *p = stream;
	if (p->file) {
		if (!fgets(str, num, p->file))
			return NULL;
	} else {
		if (!p->text || !*p->text)
			return NULL;
		size_t len = strcspn(p->text, "\n");
		size_t take = len + (p->text[len] == '\n');
		if (take > (size_t)num - 1)
			take = (size_t)num - 1;
		memcpy(str, p->text, take);
		str[take] = '\0';
		p->text += take;
	}
	p->line++;
	return str;
}

static enum fl_status
check_tracks(struct parse *p)
{
	for (uint32_t i = p->cfg->engine.n_tracks; i < FL_MAX_TRACKS; i++) {
		if (!p->track_line[i])
			continue;
		p->line = p->track_line[i];
		char sec[16];
		snprintf(sec, sizeof sec, "track.%u", i + 1);
		fail(p, sec, NULL, "track %u does not exist ([engine] tracks = %u)", i + 1,
		     p->cfg->engine.n_tracks);
		return FL_ERR_CONFIG;
	}
	for (uint32_t i = 0; i < FL_MAX_TRACKS; i++)
		if (!p->cfg->track[i].quantize_set)
			p->cfg->track[i].quantize = p->cfg->engine.quantize;
	return FL_OK;
}

static enum fl_status
run(struct parse *p, const char *name, char *err, size_t errlen)
{
	int r = ini_parse_stream(read_line, p, on_ini, p);
	if (r > 0 && (!p->err_line || r < p->err_line)) {
		snprintf(err, errlen, "%s:%d: syntax error (expected [section] or key = value)", name, r);
		return FL_ERR_CONFIG;
	}
	if (r == 0 && !p->err_line && check_tracks(p) == FL_OK)
		return FL_OK;
	if (r < 0) {
		snprintf(err, errlen, "%s: out of memory while parsing", name);
		return FL_ERR_NOMEM;
	}
	snprintf(err, errlen, "%s:%d: %s", name, p->err_line, p->err);
	return FL_ERR_CONFIG;
}

void
fl_config_defaults(struct fl_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	struct fl_engine_config *e = &cfg->engine;
	e->sample_rate = 0; /* from JACK */
	e->n_tracks = 4;
	e->track_seconds = 120.0f;
	e->fade_ms = 10.0f;
	e->seam_ms = 10.0f;
	e->late_window_ms = 150.0f;
	e->smooth_ms = 10.0f;
	e->history_seconds = 2.0f;
	e->quantize = FL_QUANTIZE_CYCLE;
	e->monitor = true;
	e->monitor_level = 1.0f;
	e->master_level = 1.0f;
	e->latency_frames = 0;
	e->limiter = true; /* the master limiter is always on in footloop */
	cfg->latency_trim_ms = 0.0f;
	cfg->lock_memory = true;
	for (size_t i = 0; i < FL_MAX_TRACKS; i++)
		cfg->track[i] = (struct fl_track_config){.level = 1.0f, .quantize = FL_QUANTIZE_CYCLE};
	snprintf(cfg->jack_name, sizeof cfg->jack_name, "footloop");
	cfg->autoconnect = true;
	cfg->osc_port = 9000;
	snprintf(cfg->osc_bind, sizeof cfg->osc_bind, "0.0.0.0");
	cfg->feedback_hz = 30;
	cfg->log_level = FL_LOG_INFO;
	cfg->jack_reconnect = true;
	cfg->journal_enabled = false;
	cfg->journal_dir[0] = '\0';
	cfg->journal_ring_seconds = 4.0f;
	cfg->journal_sync_ms = 500;
	cfg->journal_checkpoint_minutes = 5.0f;
	fl_gpio_config_defaults(&cfg->gpio);
	cfg->limiter_ceiling_db = -1.0f;
	cfg->limiter_release_ms = 50.0f;
	cfg->limiter_hold_ms = 10.0f;
	cfg->fx_default_buses = true;
	snprintf(cfg->session_dir, sizeof cfg->session_dir, "~/footloop/sessions");
	snprintf(cfg->session_name, sizeof cfg->session_name, "default");
	snprintf(cfg->recorder_dir, sizeof cfg->recorder_dir, "~/footloop/recordings");
	cfg->recorder_ring_seconds = 4.0f;
}

/* A relative [midi] or [fx] path names a file next to the config file. */
static enum fl_status
resolve_path(char *path, const char *config_path, const char *key, char *err, size_t errlen)
{
	const char *slash = strrchr(config_path, '/');
	if (!path[0] || path[0] == '/' || !slash)
		return FL_OK;
	char full[FL_CONFIG_PATH_MAX];
	int n = snprintf(full, sizeof full, "%.*s/%s", (int)(slash - config_path), config_path,
	                 path);
	if (n < 0 || (size_t)n >= sizeof full) {
		snprintf(err, errlen, "%s: %s: the path is too long", config_path, key);
		return FL_ERR_CONFIG;
	}
	memcpy(path, full, (size_t)n + 1);
	return FL_OK;
}

enum fl_status
fl_config_load(struct fl_config *cfg, const char *path, char *err, size_t errlen)
{
	struct parse p = {.cfg = cfg};
	p.file = fopen(path, "r");
	if (!p.file) {
		snprintf(err, errlen, "cannot open config file '%s': %s", path, strerror(errno));
		return FL_ERR_IO;
	}
	enum fl_status st = run(&p, path, err, errlen);
	fclose(p.file);
	if (st == FL_OK)
		st = resolve_path(cfg->midi_map, path, "map", err, errlen);
	if (st == FL_OK)
		st = resolve_path(cfg->midi_learn_file, path, "learn_file", err, errlen);
	if (st == FL_OK)
		st = resolve_path(cfg->fx_presets, path, "presets", err, errlen);
	return st;
}

enum fl_status
fl_config_load_string(struct fl_config *cfg, const char *text, const char *name, char *err,
                      size_t errlen)
{
	struct parse p = {.cfg = cfg, .text = text};
	return run(&p, name, err, errlen);
}
