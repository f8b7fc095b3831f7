/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Terminal status block. The block is built into one buffer and written
 * with a single write() so the terminal never shows half a frame. */
#include "control/status_view.h"

#include "core/version.h"

#include <fcntl.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REDRAW_MS 100
#define METER_CELLS 20

struct fl_status_view {
	int tty_fd;     ///< stdout
	int err_fd;     ///< the original stderr (the terminal), for log lines
	int pipe_rd;    ///< log lines arrive here
	int lines;      ///< height of the block now on screen (0 = none)
	uint64_t last_ms;
	char *buf;      ///< one frame
	size_t cap;
	struct fl_snapshot last;
	uint16_t last_port;
	bool have_last;
};

void
fl_status_view_meter(float peak, char *line, size_t len, uint32_t width)
{
	float db = peak > 1e-6f ? 20.0f * log10f(peak) : -120.0f;
	float frac = (db + 60.0f) / 60.0f;
	frac = frac < 0.0f ? 0.0f : (frac > 1.0f ? 1.0f : frac);
	uint32_t lit = (uint32_t)lroundf(frac * (float)width);
	size_t k = 0;
	for (uint32_t i = 0; i < width && k + 1 < len; i++)
		line[k++] = i < lit ? (i >= width - 1 && db > -0.1f ? '!' : '#') : '.';
	line[k] = '\0';
}

enum fl_status
fl_status_view_create(bool enable, struct fl_status_view **out)
{
	*out = NULL;
	if (!enable || !isatty(STDOUT_FILENO))
		return FL_OK;
	struct fl_status_view *v = calloc(1, sizeof *v);
	if (!v)
		return FL_ERR_NOMEM;
	v->cap = 16384;
	v->buf = malloc(v->cap);
	int p[2];
	if (!v->buf || pipe(p) < 0) {
		free(v->buf);
		free(v);
		return FL_ERR_IO;
	}
	v->tty_fd = STDOUT_FILENO;
	v->err_fd = dup(STDERR_FILENO);
	v->pipe_rd = p[0];
	/* Non-blocking writer: a stuck loop drops log lines instead of
	 * blocking whoever logs (libjack logs from its own threads). */
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	dup2(p[1], STDERR_FILENO);
	close(p[1]);
	setvbuf(stderr, NULL, _IOLBF, 0);
	*out = v;
	return FL_OK;
}

static void
put(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/* Cursor to the block's first line, erase to the end of the screen. */
static void
erase_block(struct fl_status_view *v)
{
	char seq[32];
	int n = v->lines ? snprintf(seq, sizeof seq, "\r\033[%dA\033[J", v->lines)
	                 : snprintf(seq, sizeof seq, "\r\033[J");
	put(v->tty_fd, seq, (size_t)n);
	v->lines = 0;
}

struct text {
	char *buf;
	size_t cap, len;
};

static void add(struct text *t, const char *fmt, ...) FL_PRINTF(2, 3);

static void
add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len = t->len + (size_t)n < t->cap ? t->len + (size_t)n : t->cap - 1;
}

static double
secs(uint64_t frames, uint32_t rate)
{
	return rate ? (double)frames / (double)rate : 0.0;
}

/* dB of a linear level (louder channel), "-inf" written as such. */
static void
fmt_db(char *out, size_t len, float db)
{
	if (!(db > -120.0f))
		snprintf(out, len, " -inf");
	else
		snprintf(out, len, "%5.1f", (double)db);
}

static float
lin_db(const float v[2])
{
	float m = v[0] > v[1] ? v[0] : v[1];
	return m > 1e-6f ? 20.0f * log10f(m) : -INFINITY;
}

static void
format_tracks(struct text *t, const struct fl_snapshot *s)
{
	const struct fl_engine_status *e = &s->engine;
	char m0[METER_CELLS + 1], m1[METER_CELLS + 1], rms[16];
	add(t, "   #  state        position / length   meter L / R%*s   rms M S level  pan\n",
	    2 * METER_CELLS - 10, "");
	for (uint32_t i = 0; i < s->n_tracks && i < FL_MAX_TRACKS; i++) {
		const struct fl_track_status *k = &s->tracks[i];
		fl_status_view_meter(k->peak[0], m0, sizeof m0, METER_CELLS);
		fl_status_view_meter(k->peak[1], m1, sizeof m1, METER_CELLS);
		fmt_db(rms, sizeof rms, lin_db(k->rms));
		add(t, " %c%2u  %-11s %8.2f / %-8.2f  %s %s %s %c %c %5.2f %+5.2f\n",
		    i == s->selected ? '>' : ' ', i + 1,
		    fl_track_state_name((enum fl_track_state)k->state),
		    secs(k->position_frames, e->sample_rate), secs(k->length_frames, e->sample_rate),
		    m0, m1, rms, k->muted ? 'M' : '.', k->solo ? 'S' : '.', (double)k->level,
		    (double)k->pan);
	}
}

size_t
fl_status_view_format(const struct fl_snapshot *s, uint16_t port, char *buf, size_t cap)
{
	struct text t = {buf, cap, 0};
	const struct fl_engine_status *e = &s->engine;
	char m0[METER_CELLS + 1], m1[METER_CELLS + 1], a[16], b[16], c[16], d[16];
	if (!cap)
		return 0;
	buf[0] = '\0';
	add(&t, "\033[1mfootloop %s\033[0m  %u Hz, period %u  R %u frames (%.1f ms)  "
	    "xruns %u  OSC %u\n", fl_version(), e->sample_rate, s->period_frames,
	    e->latency_frames, secs(e->latency_frames, e->sample_rate) * 1000.0, s->xruns, port);
	add(&t, "cycle %.2f s  master %.2f  monitor %s %.2f%s\n",
	    secs(e->cycle_frames, e->sample_rate), (double)e->master_level, e->monitor ? "on" : "off",
	    (double)e->monitor_level, e->panic ? "  PANIC" : "");
	format_tracks(&t, s);
	fl_status_view_meter(e->input_peak[0], m0, sizeof m0, METER_CELLS);
	fl_status_view_meter(e->input_peak[1], m1, sizeof m1, METER_CELLS);
	add(&t, "  in %*s%s %s\n", 32, "", m0, m1);
	fl_status_view_meter(e->master_peak[0], m0, sizeof m0, METER_CELLS);
	fl_status_view_meter(e->master_peak[1], m1, sizeof m1, METER_CELLS);
	fmt_db(a, sizeof a, lin_db(e->master_rms));
	add(&t, " out %*s%s %s %s dB rms  limiter GR %5.1f dB\n", 32, "", m0, m1, a,
	    (double)e->limiter_gr_db);
	if (!s->loudness) {
		add(&t, "loudness: meter off\n");
		return t.len;
	}
	fmt_db(a, sizeof a, s->lufs[0]);
	fmt_db(b, sizeof b, s->lufs[1]);
	fmt_db(c, sizeof c, s->lufs[2]);
	fmt_db(d, sizeof d, s->true_peak_db);
	add(&t, "loudness M %s  S %s  I %s LUFS   true peak %s", a, b, c, d);
	fmt_db(a, sizeof a, s->true_peak_max_db);
	add(&t, " (max %s) dBTP\n", a);
	return t.len;
}

static void
draw(struct fl_status_view *v)
{
	erase_block(v);
	size_t len = fl_status_view_format(&v->last, v->last_port, v->buf, v->cap);
	put(v->tty_fd, v->buf, len);
	int lines = 0;
	for (size_t i = 0; i < len; i++)
		lines += v->buf[i] == '\n';
	v->lines = lines;
}

void
fl_status_view_draw(struct fl_status_view *v, const struct fl_snapshot *s, uint16_t osc_port,
                    uint64_t now_ms)
{
	if (!v || (v->have_last && now_ms - v->last_ms < REDRAW_MS))
		return;
	v->last = *s;
	v->last_port = osc_port;
	v->have_last = true;
	v->last_ms = now_ms;
	draw(v);
}

int
fl_status_view_log_fd(const struct fl_status_view *v)
{
	return v->pipe_rd;
}

void
fl_status_view_on_log(struct fl_status_view *v)
{
	char buf[4096];
	ssize_t n;
	bool any = false;
	while ((n = read(v->pipe_rd, buf, sizeof buf)) > 0) {
		if (!any)
			erase_block(v);
		any = true;
		put(v->err_fd, buf, (size_t)n);
	}
	if (any && v->have_last)
		draw(v);
}

void
fl_status_view_free(struct fl_status_view *v)
{
	if (!v)
		return;
	fflush(stderr);
	dup2(v->err_fd, STDERR_FILENO);
	/* Lines still in the pipe go out below the last frame. */
	char buf[4096];
	ssize_t n;
	while ((n = read(v->pipe_rd, buf, sizeof buf)) > 0)
		put(v->err_fd, buf, (size_t)n);
	close(v->pipe_rd);
	close(v->err_fd);
	free(v->buf);
	free(v);
}
