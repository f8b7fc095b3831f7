/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fl_wav_check: analyzers for the WAV files fl_jack_io captures. Every
 * command prints "key value" lines (easy to pick with awk) and exits 1 with a
 * message when its check fails, 2 on usage or file errors.
 *
 *   stats FILE [-c CH]                 peak, rms (dBFS too), first non-zero frame
 *   period FILE [-c CH] [--min L] [--max L] [--min-passes P]
 *       The capture ends with a repeating loop: find the smallest period L
 *       such that every sample of the last period equals the sample L
 *       earlier, bit-exactly; report how far back the repetition holds and
 *       how many whole passes that is (at least --min-passes, default 2).
 *   ramp-loop FILE [-c CH] [--seam N] [--cmd-usecs U]
 *       Period as above, then decode the last period with the ramp (the
 *       input was fl_jack_io --signal ramp): every sample must be a
 *       bit-exact ramp value, all from one contiguous stretch of input of
 *       length L, except at most N samples (default 960, 2 x 10 ms) in one
 *       gap at the loop seam. Prints the capture frame of the loop boundary
 *       and the absolute JACK frame of the input that loop position 0 holds.
 *       With --cmd-usecs (CLOCK_MONOTONIC time of the record command, from
 *       fl_osc --stamp) it also prints that input frame minus the command's
 *       JACK frame (needs FILE.txt from the same fl_jack_io run). When the
 *       ramp was played by another fl_jack_io run, --timeline PLAY.wav takes
 *       play_frame0, the cycle map and the clock offset from PLAY.wav.txt.
 *   align FILE -c A -d B [--seam N]
 *       ramp-loop on channels A and B: B's period must be a whole multiple
 *       of A's and their loop boundaries must coincide modulo A's period.
 *   level FILE [-c CH] [--start-ms A] [--len-ms L]
 *       RMS and sample peak (dBFS) of the window [A, A + L) ms (A < 0:
 *       from the end; L 0: to the end), and how many samples are not
 *       finite (exit 1 when any is).
 *   fall FILE [-c CH] --cmd-usecs U [--drop-db D] [--floor-db F] [--win-ms W]
 *       Where a steady signal starts to fall after a command (stop, panic)
 *       and how long it lasts. pre = median RMS of the W ms windows (1 ms
 *       hop) in the 300 ms before the command's frame (from FILE.txt, minus
 *       one JACK period of clock slack); fall_frame = the centre of the
 *       last window from there on whose RMS is still >= pre - D dB
 *       (default 1), i.e. where the level has fallen by about D dB;
 *       silent_after_ms = from fall_frame to the first sample from which
 *       every sample to the end is below F dBFS (default -90);
 *       energy_after_ms = from fall_frame to the end of the last window
 *       whose RMS is >= F + 10 dB; capture_after_ms = to the end.
 *   same-loop FILE --other FILE2 --len L
 *       The last L frames of FILE and of FILE2 hold the same loop, both
 *       channels bit for bit, at some rotation (a loop captured before and
 *       after a crash or a JACK restart). FILE must not be silent. Prints
 *       the rotation. */
#include "fl_ramp.h"

#include <math.h>
#include <sndfile.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fl_wav {
	float *x;       /* one channel */
	int64_t n;      /* frames */
	int rate;
	/* From FILE.txt (0 when absent). */
	int64_t frame0, play_frame0, clock_offset_usecs, period_frames;
	int64_t *cyc_frame, *cyc_usecs;
	int n_cycles;
};

struct fl_opts {
	int ch, ch_b;
	int64_t min_len, max_len, seam, min_passes;
	long long cmd_usecs;
	double start_ms, len_ms, drop_db, floor_db, win_ms;
	const char *timeline;
	const char *other; ///< same-loop: the second capture
	int64_t len;       ///< same-loop: loop length in frames
	bool have_cmd;
};

/* FILE.txt of a capture; with timeline, the sidecar of the run that played
 * the ramp: its play_frame0, cycle map and clock offset. */
static void
read_sidecar(struct fl_wav *w, const char *path, bool timeline)
{
	char name[4096], key[64];
	snprintf(name, sizeof name, "%s.txt", path);
	if (timeline)
		w->n_cycles = 0;
	FILE *f = fopen(name, "r");
	if (!f)
		return;
	long long a, b;
	int cap = 0;
	char line[256];
	while (fgets(line, sizeof line, f)) {
		if (sscanf(line, "cycle %lld %lld", &a, &b) == 2) {
			if (w->n_cycles == cap) {
				cap = cap ? cap * 2 : 1024;
				w->cyc_frame = realloc(w->cyc_frame, sizeof(int64_t) * (size_t)cap);
				w->cyc_usecs = realloc(w->cyc_usecs, sizeof(int64_t) * (size_t)cap);
				if (!w->cyc_frame || !w->cyc_usecs)
					abort();
			}
			w->cyc_frame[w->n_cycles] = a;
			w->cyc_usecs[w->n_cycles++] = b;
		} else if (sscanf(line, "%63s %lld", key, &a) == 2) {
			if (strcmp(key, "capture_frame0") == 0 && !timeline) w->frame0 = a;
			else if (strcmp(key, "play_frame0") == 0) w->play_frame0 = a;
			else if (strcmp(key, "clock_offset_usecs") == 0) w->clock_offset_usecs = a;
			else if (strcmp(key, "period") == 0) w->period_frames = a;
		}
	}
	fclose(f);
}

static int
load(struct fl_wav *w, const char *path, int ch)
{
	SF_INFO info = {0};
	SNDFILE *f = sf_open(path, SFM_READ, &info);
	if (!f) {
		fprintf(stderr, "fl_wav_check: cannot read %s: %s\n", path, sf_strerror(NULL));
		return -1;
	}
	if (ch < 0 || ch >= info.channels) {
		fprintf(stderr, "fl_wav_check: %s has %d channel(s), no channel %d\n", path,
			info.channels, ch);
		sf_close(f);
		return -1;
	}
	float *all = malloc(sizeof(float) * (size_t)info.frames * (size_t)info.channels + 1);
	w->x = malloc(sizeof(float) * (size_t)info.frames + 1);
	if (!all || !w->x)
		abort();
	w->n = sf_readf_float(f, all, info.frames);
	for (int64_t i = 0; i < w->n; i++)
		w->x[i] = all[i * info.channels + ch];
	w->rate = info.samplerate;
	free(all);
	sf_close(f);
	read_sidecar(w, path, false);
	return 0;
}

static int
load_opts(struct fl_wav *w, const char *path, int ch, const struct fl_opts *o)
{
	if (load(w, path, ch))
		return -1;
	if (o->timeline)
		read_sidecar(w, o->timeline, true);
	return 0;
}

static int
cmd_stats(const struct fl_wav *w)
{
	double sum = 0.0;
	float peak = 0.0f;
	int64_t first = -1;
	for (int64_t i = 0; i < w->n; i++) {
		float a = fabsf(w->x[i]);
		if (a > peak)
			peak = a;
		if (a > 0.0f && first < 0)
			first = i;
		sum += (double)w->x[i] * (double)w->x[i];
	}
	double rms = w->n ? sqrt(sum / (double)w->n) : 0.0;
	printf("frames %lld\nrate %d\npeak %.9g\npeak_dbfs %.2f\nrms %.9g\nrms_dbfs %.2f\n"
	       "first_nonzero %lld\n", (long long)w->n, w->rate, (double)peak,
	       20.0 * log10((double)peak + 1e-30), rms, 20.0 * log10(rms + 1e-30),
	       (long long)first);
	return 0;
}

/* Smallest L in [min, max] for which the last L samples repeat the L before
 * them bit-exactly; 0 when none. The last period must not be constant. */
static int64_t
find_period(const struct fl_wav *w, int64_t min_len, int64_t max_len)
{
	const float *x = w->x;
	int64_t n = w->n;
	if (max_len <= 0 || max_len > n / 2)
		max_len = n / 2;
	for (int64_t len = min_len; len <= max_len; len++) {
		int64_t j = 1;
		while (j <= len && x[n - j] == x[n - j - len])
			j++;
		if (j <= len)
			continue;
		bool varies = false;
		for (int64_t i = n - len; i < n - 1 && !varies; i++)
			varies = x[i] != x[i + 1];
		if (varies)
			return len;
	}
	return 0;
}

/* First index from which every sample equals the one len later. */
static int64_t
periodic_from(const struct fl_wav *w, int64_t len)
{
	int64_t i = w->n - len - 1;
	while (i >= 0 && w->x[i] == w->x[i + len])
		i--;
	return i + 1;
}

static int64_t
checked_period(const struct fl_wav *w, const struct fl_opts *o, int ch)
{
	int64_t len = find_period(w, o->min_len, o->max_len);
	if (!len) {
		fprintf(stderr, "fl_wav_check: channel %d: no bit-exact repeating period in "
			"[%lld, %lld] at the end of the capture\n", ch, (long long)o->min_len,
			(long long)(o->max_len > 0 ? o->max_len : w->n / 2));
		return 0;
	}
	int64_t from = periodic_from(w, len);
	int64_t passes = (w->n - from) / len;
	printf("period %lld\nperiod_ms %.3f\nperiodic_from %lld\npasses %lld\n",
		(long long)len, 1000.0 * (double)len / (double)w->rate, (long long)from,
		(long long)passes);
	if (passes < o->min_passes) {
		fprintf(stderr, "fl_wav_check: channel %d: period %lld repeats only %lld "
			"whole time(s), want %lld\n", ch, (long long)len, (long long)passes,
			(long long)o->min_passes);
		return 0;
	}
	return len;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Most frequent value of (ramp index - capture index) mod len. */
static int64_t
mode_phase(const struct fl_wav *w, int64_t start, int64_t len, int64_t *valid)
{
	int64_t *c = malloc(sizeof(int64_t) * (size_t)len);
	int64_t m = 0, best = -1, best_run = 0;
	if (!c)
		abort();
	for (int64_t i = start; i < start + len; i++) {
		int64_t k = fl_ramp_index(w->x[i]);
		if (k >= 0)
			c[m++] = ((k - i) % len + len) % len;
	}
	qsort(c, (size_t)m, sizeof *c, cmp_i64);
	for (int64_t i = 0, run = 0; i < m; i++) {
		run = (i > 0 && c[i] == c[i - 1]) ? run + 1 : 1;
		if (run > best_run) {
			best_run = run;
			best = c[i];
		}
	}
	free(c);
	*valid = best_run;
	return best;
}

struct fl_loop_fit {
	int64_t len, boundary, input_start, gap;
};

/* The last period [n - len, n): one contiguous stretch of ramp input, with
 * at most o->seam samples (one gap, at the seam) that are not. */
static int
fit_ramp_loop(const struct fl_wav *w, const struct fl_opts *o, int ch, struct fl_loop_fit *fit)
{
	int64_t len = checked_period(w, o, ch), start, valid, phase;
	if (!len)
		return 1;
	start = w->n - len;
	phase = mode_phase(w, start, len, &valid);
	int64_t kmin = INT64_MAX, kmax = -1, imax = -1, bad = 0;
	for (int64_t i = start; i < w->n; i++) {
		int64_t k = fl_ramp_index(w->x[i]);
		if (k < 0 || ((k - i) % len + len) % len != phase) {
			bad++;
			continue;
		}
		if (k < kmin)
			kmin = k;
		if (k > kmax) {
			kmax = k;
			imax = i;
		}
	}
	if (valid == 0) {
		fprintf(stderr, "fl_wav_check: channel %d: no sample of the loop is a ramp value "
			"(was the input fl_jack_io --signal ramp at unity gain?)\n", ch);
		return 1;
	}
	fit->len = len;
	fit->gap = len - (kmax - kmin + 1);
	/* Loop position 0 follows the newest input frame in the period; the seam
	 * crossfade, whichever side of it, lies in the gap. */
	fit->input_start = kmax - len + 1;
	fit->boundary = w->frame0 + imax + 1;
	printf("channel %d\nbit_exact_samples %lld\nother_samples %lld\nseam_gap %lld\n",
		ch, (long long)valid, (long long)bad, (long long)fit->gap);
	printf("loop_input_start_frame %lld\nloop_boundary_frame %lld\n",
		(long long)(w->play_frame0 + fit->input_start), (long long)fit->boundary);
	if (bad != fit->gap || valid != kmax - kmin + 1 || fit->gap > o->seam) {
		fprintf(stderr, "fl_wav_check: channel %d: loop is not a bit-exact copy of one "
			"input stretch: %lld samples differ, gap %lld (seam allowance %lld)\n", ch,
			(long long)bad, (long long)fit->gap, (long long)o->seam);
		return 1;
	}
	return 0;
}

/* JACK frame at CLOCK_MONOTONIC time usecs, from the per-cycle map. */
static int64_t
usecs_to_frame(const struct fl_wav *w, long long mono_usecs)
{
	int64_t t = mono_usecs + w->clock_offset_usecs;
	int k = 0;
	while (k + 1 < w->n_cycles && w->cyc_usecs[k + 1] <= t)
		k++;
	return w->cyc_frame[k] + (t - w->cyc_usecs[k]) * w->rate / 1000000;
}

static int
cmd_ramp_loop(const struct fl_wav *w, const struct fl_opts *o)
{
	struct fl_loop_fit fit;
	if (fit_ramp_loop(w, o, o->ch, &fit))
		return 1;
	if (o->have_cmd) {
		if (w->n_cycles == 0) {
			fprintf(stderr, "fl_wav_check: --cmd-usecs needs the FILE.txt cycle map\n");
			return 2;
		}
		int64_t cmd = usecs_to_frame(w, o->cmd_usecs);
		printf("command_frame %lld\nstart_minus_command %lld\njack_period %lld\n",
			(long long)cmd, (long long)(w->play_frame0 + fit.input_start - cmd),
			(long long)w->period_frames);
	}
	return 0;
}

static void
wav_free(struct fl_wav *w)
{
	free(w->x);
	free(w->cyc_frame);
	free(w->cyc_usecs);
}

static int
align_fits(struct fl_wav *a, struct fl_wav *b, const struct fl_opts *o)
{
	struct fl_loop_fit fa, fb;
	if (fit_ramp_loop(a, o, o->ch, &fa) || fit_ramp_loop(b, o, o->ch_b, &fb))
		return 1;
	int64_t phase = ((fb.boundary - fa.boundary) % fa.len + fa.len) % fa.len;
	printf("ratio %.6f\nboundary_offset %lld\n", (double)fb.len / (double)fa.len,
		(long long)phase);
	if (fb.len % fa.len != 0) {
		fprintf(stderr, "fl_wav_check: period %lld is not a multiple of %lld\n",
			(long long)fb.len, (long long)fa.len);
		return 1;
	}
	if (phase != 0) {
		fprintf(stderr, "fl_wav_check: loop boundaries differ by %lld frames modulo "
			"the cycle\n", (long long)phase);
		return 1;
	}
	return 0;
}

/* Rotation s with a[(s + k) % L] == b[k] for both channels and every k, bit
 * for bit, over the last L frames; -1 when there is none. Candidates are
 * the (at most 64) positions of a that match b's first frame. */
static int64_t
loop_rotation(const struct fl_wav a[2], const struct fl_wav b[2], int64_t L)
{
	const float *al = a[0].x + a[0].n - L, *ar = a[1].x + a[1].n - L;
	const float *bl = b[0].x + b[0].n - L, *br = b[1].x + b[1].n - L;
	int tried = 0;
	for (int64_t s = 0; s < L && tried < 64; s++) {
		if (memcmp(&al[s], &bl[0], 4) != 0 || memcmp(&ar[s], &br[0], 4) != 0)
			continue;
		tried++;
		int64_t k = 0;
		for (; k < L; k++) {
			int64_t i = (s + k) % L;
			if (memcmp(&al[i], &bl[k], 4) != 0 || memcmp(&ar[i], &br[k], 4) != 0)
				break;
		}
		if (k == L)
			return s;
	}
	return -1;
}

static int
cmd_same_loop(const char *path, const struct fl_opts *o)
{
	struct fl_wav a[2] = {{0}}, b[2] = {{0}};
	int rc = 2;
	if (!o->other || o->len <= 0) {
		fprintf(stderr, "fl_wav_check: same-loop needs --other FILE2 and --len L\n");
	} else if (!load(&a[0], path, 0) && !load(&a[1], path, 1) && !load(&b[0], o->other, 0) &&
	           !load(&b[1], o->other, 1)) {
		int64_t L = o->len;
		bool silent = true;
		for (int64_t i = a[0].n - L; a[0].n >= L && i < a[0].n; i++)
			silent &= a[0].x[i] == 0.0f && a[1].x[i] == 0.0f;
		int64_t s = -1;
		if (a[0].n < L || b[0].n < L)
			fprintf(stderr, "fl_wav_check: captures shorter than one loop (%lld frames)\n",
			        (long long)L);
		else if (silent)
			fprintf(stderr, "fl_wav_check: %s is silent over its last loop\n", path);
		else if ((s = loop_rotation(a, b, L)) < 0)
			fprintf(stderr, "fl_wav_check: the loop in %s differs from the loop in %s\n",
			        o->other, path);
		else
			printf("rotation %lld\n", (long long)s);
		rc = s < 0 ? 1 : 0;
	}
	for (int c = 0; c < 2; c++) {
		wav_free(&a[c]);
		wav_free(&b[c]);
	}
	return rc;
}

static int
cmd_align(const char *path, const struct fl_opts *o)
{
	struct fl_wav a = {0}, b = {0};
	int rc = 2;
	if (!load_opts(&a, path, o->ch, o) && !load_opts(&b, path, o->ch_b, o))
		rc = align_fits(&a, &b, o);
	wav_free(&a);
	wav_free(&b);
	return rc;
}

static double
db(double x)
{
	return 20.0 * log10(x + 1e-30);
}

/* Sum of squares of x[a..b). */
static double
energy(const float *x, int64_t a, int64_t b)
{
	double e = 0.0;
	for (int64_t i = a; i < b; i++)
		e += (double)x[i] * (double)x[i];
	return e;
}

static int
cmd_level(const struct fl_wav *w, const struct fl_opts *o)
{
	int64_t a = (int64_t)(o->start_ms * w->rate / 1000.0);
	int64_t len = (int64_t)(o->len_ms * w->rate / 1000.0);
	if (a < 0)
		a += w->n;
	if (a < 0)
		a = 0;
	int64_t b = len > 0 && a + len < w->n ? a + len : w->n;
	int64_t bad = 0;
	float peak = 0.0f;
	for (int64_t i = a; i < b; i++) {
		if (!isfinite(w->x[i]))
			bad++;
		else if (fabsf(w->x[i]) > peak)
			peak = fabsf(w->x[i]);
	}
	double rms = b > a ? sqrt(energy(w->x, a, b) / (double)(b - a)) : 0.0;
	printf("window_start %lld\nwindow_frames %lld\nrms_dbfs %.3f\npeak %.9g\npeak_dbfs %.3f\n"
	       "nonfinite %lld\n", (long long)a, (long long)(b - a), db(rms), (double)peak,
	       db((double)peak), (long long)bad);
	if (bad)
		fprintf(stderr, "fl_wav_check: %lld samples are NaN or infinite\n", (long long)bad);
	return bad ? 1 : (b > a ? 0 : 2);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Median RMS (dB) of win-frame windows, 1 ms hop, in [a, b). */
static double
median_rms_db(const struct fl_wav *w, int64_t a, int64_t b, int64_t win)
{
	int64_t hop = w->rate / 1000, m = 0;
	double *v = malloc(sizeof(double) * (size_t)((b - a) / hop + 2));
	if (!v)
		abort();
	for (int64_t i = a; i + win <= b; i += hop)
		v[m++] = db(sqrt(energy(w->x, i, i + win) / (double)win));
	qsort(v, (size_t)m, sizeof *v, cmp_double);
	double r = m ? v[m / 2] : -600.0;
	free(v);
	return r;
}

static int
cmd_fall(const struct fl_wav *w, const struct fl_opts *o)
{
	if (!o->have_cmd || w->n_cycles == 0) {
		fprintf(stderr, "fl_wav_check: fall needs --cmd-usecs and FILE.txt's cycle map\n");
		return 2;
	}
	int64_t win = (int64_t)(o->win_ms * w->rate / 1000.0), hop = w->rate / 1000;
	int64_t cmd = usecs_to_frame(w, o->cmd_usecs) - w->frame0;
	int64_t from = cmd - w->period_frames, pre_from = from - (int64_t)w->rate * 3 / 10;
	if (pre_from < 0 || from + win > w->n || win < 1) {
		fprintf(stderr, "fl_wav_check: the command (capture frame %lld) needs 300 ms of "
			"capture before it and a window after it\n", (long long)cmd);
		return 2;
	}
	double pre = median_rms_db(w, pre_from, from, win);
	int64_t fall = from;
	for (int64_t i = from; i + win <= w->n; i += hop)
		if (db(sqrt(energy(w->x, i, i + win) / (double)win)) >= pre - o->drop_db)
			fall = i + win / 2;
	int64_t silent = w->n, loud_end = fall;
	float floor_lin = (float)pow(10.0, o->floor_db / 20.0);
	while (silent > fall && fabsf(w->x[silent - 1]) < floor_lin)
		silent--;
	for (int64_t i = fall; i + win <= w->n; i += hop)
		if (db(sqrt(energy(w->x, i, i + win) / (double)win)) >= o->floor_db + 10.0)
			loud_end = i + win;
	double ms = 1000.0 / (double)w->rate;
	printf("command_frame %lld\npre_rms_dbfs %.3f\nfall_frame %lld\n"
	       "fall_minus_command_ms %.2f\nsilent_after_ms %.2f\nenergy_after_ms %.2f\n"
	       "capture_after_ms %.2f\n", (long long)cmd, pre, (long long)fall,
	       (double)(fall - cmd) * ms, (double)(silent - fall) * ms,
	       (double)(loud_end - fall) * ms, (double)(w->n - fall) * ms);
	return 0;
}

static int
parse_opts(struct fl_opts *o, int argc, char **argv)
{
	for (int i = 3; i < argc; i++) {
		if (i + 1 >= argc) {
			fprintf(stderr, "fl_wav_check: option %s needs a value\n", argv[i]);
			return -1;
		}
		const char *a = argv[i], *v = argv[++i];
		if (strcmp(a, "-c") == 0) o->ch = atoi(v);
		else if (strcmp(a, "-d") == 0) o->ch_b = atoi(v);
		else if (strcmp(a, "--min") == 0) o->min_len = atoll(v);
		else if (strcmp(a, "--max") == 0) o->max_len = atoll(v);
		else if (strcmp(a, "--seam") == 0) o->seam = atoll(v);
		else if (strcmp(a, "--min-passes") == 0) o->min_passes = atoll(v);
		else if (strcmp(a, "--timeline") == 0) o->timeline = v;
		else if (strcmp(a, "--other") == 0) o->other = v;
		else if (strcmp(a, "--len") == 0) o->len = atoll(v);
		else if (strcmp(a, "--start-ms") == 0) o->start_ms = atof(v);
		else if (strcmp(a, "--len-ms") == 0) o->len_ms = atof(v);
		else if (strcmp(a, "--drop-db") == 0) o->drop_db = atof(v);
		else if (strcmp(a, "--floor-db") == 0) o->floor_db = atof(v);
		else if (strcmp(a, "--win-ms") == 0) o->win_ms = atof(v);
		else if (strcmp(a, "--cmd-usecs") == 0) {
			o->cmd_usecs = atoll(v);
			o->have_cmd = true;
		} else {
			fprintf(stderr, "fl_wav_check: unknown option %s\n", a);
			return -1;
		}
	}
	if (o->min_len < 2)
		o->min_len = 2;
	return 0;
}

int
main(int argc, char **argv)
{
	struct fl_opts o = {.ch = 0, .ch_b = 1, .min_len = 480, .seam = 960, .min_passes = 2,
	                    .drop_db = 1.0, .floor_db = -90.0, .win_ms = 10.0};
	if (argc < 3 || parse_opts(&o, argc, argv)) {
		fputs("usage: fl_wav_check stats|period|ramp-loop|align|level|fall|same-loop FILE [options]\n"
		      "  (see the comment at the top of tests/tools/fl_wav_check.c)\n", stderr);
		return 2;
	}
	const char *cmd = argv[1], *path = argv[2];
	if (strcmp(cmd, "align") == 0)
		return cmd_align(path, &o);
	if (strcmp(cmd, "same-loop") == 0)
		return cmd_same_loop(path, &o);
	struct fl_wav w = {0};
	if (load_opts(&w, path, o.ch, &o))
		return 2;
	int rc = 2;
	if (strcmp(cmd, "stats") == 0)
		rc = cmd_stats(&w);
	else if (strcmp(cmd, "period") == 0)
		rc = checked_period(&w, &o, o.ch) ? 0 : 1;
	else if (strcmp(cmd, "ramp-loop") == 0)
		rc = cmd_ramp_loop(&w, &o);
	else if (strcmp(cmd, "level") == 0)
		rc = cmd_level(&w, &o);
	else if (strcmp(cmd, "fall") == 0)
		rc = cmd_fall(&w, &o);
	else
		fprintf(stderr, "fl_wav_check: unknown command %s\n", cmd);
	wav_free(&w);
	return rc;
}
