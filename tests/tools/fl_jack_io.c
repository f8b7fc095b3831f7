/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fl_jack_io: a small JACK client for the integration tests. It plays a known
 * signal into given ports and records given ports into a float WAV, and writes
 * the absolute JACK frame time of sample 0 (and a per-cycle frame/usecs map)
 * into FILE.txt, so an analyzer can say which input frame produced which
 * output sample. The process callback only generates, copies and pushes into
 * jack_ringbuffers; the main thread is the writer (libsndfile, stdio).
 *
 *   fl_jack_io [--server NAME] [--name CLIENT] [--play PORT[,PORT]]
 *              [--capture PORT[,PORT]] [--out FILE.wav] [--seconds S]
 *              [--signal ramp|sine:FREQ:AMP|silence|clicks:PERIOD]
 *              [--latency FRAMES] [--ready FILE]
 *
 * --play "-" registers a play port without connecting it (the script routes
 * it with jack_connect). --latency makes our ports look like a sound card:
 * play ports report that capture latency, capture ports that playback
 * latency, so a client downstream sees a non-zero round trip.
 * Stops after --seconds, on SIGINT/SIGTERM (file completed, exit 0), or when
 * the server goes away (file completed, exit 1). */
#include "fl_ramp.h"

#include <errno.h>
#include <jack/jack.h>
#include <jack/ringbuffer.h>
#include <math.h>
#include <signal.h>
#include <sndfile.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FL_IO_MAX_PORTS 8
#define FL_IO_RING_SECONDS 4

enum fl_io_signal { FL_SIG_RAMP, FL_SIG_SINE, FL_SIG_SILENCE, FL_SIG_CLICKS };

struct fl_io_cycle {
	uint64_t frame;
	uint64_t usecs;
};

struct fl_io {
	jack_client_t *client;
	jack_port_t *play[FL_IO_MAX_PORTS];
	jack_port_t *cap[FL_IO_MAX_PORTS];
	char *play_to[FL_IO_MAX_PORTS];
	char *cap_from[FL_IO_MAX_PORTS];
	int n_play, n_cap;
	jack_ringbuffer_t *ring;   /* interleaved capture frames, RT -> writer */
	jack_ringbuffer_t *cycles; /* struct fl_io_cycle, RT -> writer */
	enum fl_io_signal sig;
	double sine_freq_hz, sine_phase, sine_inc;
	float sine_amp;
	uint64_t click_period_frames;
	uint64_t target_frames; /* 0 = until stopped */
	uint64_t done_frames;   /* RT thread only */
	jack_nframes_t next_frame; /* RT only: frame time the next cycle should have */
	jack_nframes_t latency_frames;
	atomic_bool armed, started, finished, server_gone;
	atomic_uint_least64_t frame0;
	atomic_uint_least64_t frames_out; /* frames generated/captured so far */
	atomic_uint overruns;
	atomic_uint gaps;  /* cycles whose frame time was not the expected one */
	atomic_uint xruns; /* reported by the server while we ran */
};

static volatile sig_atomic_t fl_stop;

static void
on_signal(int sig)
{
	(void)sig;
	fl_stop = 1;
}

static float
gen_sample(struct fl_io *io, uint64_t n)
{
	switch (io->sig) {
	case FL_SIG_RAMP:
		return fl_ramp_value(n);
	case FL_SIG_SINE: {
		float v = io->sine_amp * (float)sin(io->sine_phase);
		io->sine_phase += io->sine_inc;
		if (io->sine_phase >= 2.0 * M_PI)
			io->sine_phase -= 2.0 * M_PI;
		return v;
	}
	case FL_SIG_CLICKS:
		return (n % io->click_period_frames) == 0 ? 1.0f : 0.0f;
	case FL_SIG_SILENCE:
	default:
		return 0.0f;
	}
}

static int
on_process(jack_nframes_t nframes, void *arg)
{
	struct fl_io *io = arg;
	float *pb[FL_IO_MAX_PORTS], *cb[FL_IO_MAX_PORTS];
	for (int p = 0; p < io->n_play; p++) {
		pb[p] = jack_port_get_buffer(io->play[p], nframes);
		memset(pb[p], 0, sizeof(float) * nframes);
	}
	for (int p = 0; p < io->n_cap; p++)
		cb[p] = jack_port_get_buffer(io->cap[p], nframes);
	if (!atomic_load(&io->armed) || atomic_load(&io->finished))
		return 0;
	jack_nframes_t now = jack_last_frame_time(io->client);
	if (!atomic_load(&io->started)) {
		atomic_store(&io->frame0, (uint64_t)now);
		atomic_store(&io->started, true);
	} else if (now != io->next_frame) {
		/* Under load jack_last_frame_time() can already read the next
		 * cycle's time, so a jump is not proof of a lost cycle: count it,
		 * keep "sample i is frame frame0 + i", let the test judge. */
		atomic_fetch_add(&io->gaps, 1u);
	}
	io->next_frame = now + nframes;
	jack_nframes_t m = nframes;
	if (io->target_frames && io->target_frames - io->done_frames < m)
		m = (jack_nframes_t)(io->target_frames - io->done_frames);
	for (jack_nframes_t i = 0; i < m; i++) {
		float v = gen_sample(io, io->done_frames + i);
		for (int p = 0; p < io->n_play; p++)
			pb[p][i] = v;
	}
	if (io->n_cap > 0) {
		size_t need = sizeof(float) * (size_t)m * (size_t)io->n_cap;
		if (jack_ringbuffer_write_space(io->ring) < need) {
			atomic_fetch_add(&io->overruns, 1u);
		} else {
			for (jack_nframes_t i = 0; i < m; i++)
				for (int p = 0; p < io->n_cap; p++)
					jack_ringbuffer_write(io->ring, (const char *)&cb[p][i],
						sizeof(float));
		}
	}
	jack_nframes_t cf;
	jack_time_t cu, nu;
	float period_us;
	if (jack_get_cycle_times(io->client, &cf, &cu, &nu, &period_us) == 0 &&
	    jack_ringbuffer_write_space(io->cycles) >= sizeof(struct fl_io_cycle)) {
		struct fl_io_cycle c = {cf, cu};
		jack_ringbuffer_write(io->cycles, (const char *)&c, sizeof c);
	}
	io->done_frames += m;
	atomic_store(&io->frames_out, io->done_frames);
	if (io->target_frames && io->done_frames >= io->target_frames)
		atomic_store(&io->finished, true);
	return 0;
}

static void
on_latency(jack_latency_callback_mode_t mode, void *arg)
{
	struct fl_io *io = arg;
	jack_latency_range_t r = {io->latency_frames, io->latency_frames};
	if (mode == JackCaptureLatency)
		for (int p = 0; p < io->n_play; p++)
			jack_port_set_latency_range(io->play[p], JackCaptureLatency, &r);
	else
		for (int p = 0; p < io->n_cap; p++)
			jack_port_set_latency_range(io->cap[p], JackPlaybackLatency, &r);
}

static int
on_xrun(void *arg)
{
	struct fl_io *io = arg;
	if (atomic_load(&io->started))
		atomic_fetch_add(&io->xruns, 1u);
	return 0;
}

static void
on_shutdown(void *arg)
{
	struct fl_io *io = arg;
	atomic_store(&io->server_gone, true);
}

static int
split_ports(char *list, char **out)
{
	int n = 0;
	for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
		if (n == FL_IO_MAX_PORTS) {
			fprintf(stderr, "fl_jack_io: at most %d ports per list\n", FL_IO_MAX_PORTS);
			return -1;
		}
		out[n++] = tok;
	}
	return n;
}

static int
parse_signal(struct fl_io *io, const char *s)
{
	if (strcmp(s, "ramp") == 0) {
		io->sig = FL_SIG_RAMP;
	} else if (strcmp(s, "silence") == 0) {
		io->sig = FL_SIG_SILENCE;
	} else if (sscanf(s, "sine:%lf:%f", &io->sine_freq_hz, &io->sine_amp) == 2) {
		io->sig = FL_SIG_SINE;
	} else if (strncmp(s, "clicks:", 7) == 0 && atoll(s + 7) > 0) {
		io->sig = FL_SIG_CLICKS;
		io->click_period_frames = (uint64_t)atoll(s + 7);
	} else {
		fprintf(stderr, "fl_jack_io: unknown signal '%s' (ramp, sine:FREQ:AMP, "
			"silence, clicks:PERIOD)\n", s);
		return -1;
	}
	return 0;
}

static int
register_ports(struct fl_io *io)
{
	char name[32];
	for (int p = 0; p < io->n_play; p++) {
		snprintf(name, sizeof name, "play_%d", p + 1);
		io->play[p] = jack_port_register(io->client, name, JACK_DEFAULT_AUDIO_TYPE,
			JackPortIsOutput, 0);
		if (!io->play[p])
			return -1;
	}
	for (int p = 0; p < io->n_cap; p++) {
		snprintf(name, sizeof name, "capture_%d", p + 1);
		io->cap[p] = jack_port_register(io->client, name, JACK_DEFAULT_AUDIO_TYPE,
			JackPortIsInput, 0);
		if (!io->cap[p])
			return -1;
	}
	return 0;
}

/* Connects after activation; a missing port is a clear error. */
static int
connect_ports(struct fl_io *io)
{
	for (int p = 0; p < io->n_play + io->n_cap; p++) {
		bool play = p < io->n_play;
		const char *other = play ? io->play_to[p] : io->cap_from[p - io->n_play];
		jack_port_t *mine = play ? io->play[p] : io->cap[p - io->n_play];
		if (strcmp(other, "-") == 0)
			continue;
		if (!jack_port_by_name(io->client, other)) {
			fprintf(stderr, "fl_jack_io: JACK port '%s' does not exist\n", other);
			return -1;
		}
		const char *src = play ? jack_port_name(mine) : other;
		const char *dst = play ? other : jack_port_name(mine);
		int rc = jack_connect(io->client, src, dst);
		if (rc != 0 && rc != EEXIST) {
			fprintf(stderr, "fl_jack_io: cannot connect %s -> %s\n", src, dst);
			return -1;
		}
	}
	return 0;
}

static void
drain(struct fl_io *io, SNDFILE *snd, FILE *side)
{
	float buf[4096];
	size_t frame_bytes = sizeof(float) * (size_t)io->n_cap;
	size_t avail;
	while (snd && (avail = jack_ringbuffer_read_space(io->ring)) >= frame_bytes) {
		size_t want = avail - avail % frame_bytes;
		if (want > sizeof buf - sizeof buf % frame_bytes)
			want = sizeof buf - sizeof buf % frame_bytes;
		jack_ringbuffer_read(io->ring, (char *)buf, want);
		sf_writef_float(snd, buf, (sf_count_t)(want / frame_bytes));
	}
	struct fl_io_cycle c;
	while (jack_ringbuffer_read_space(io->cycles) >= sizeof c) {
		jack_ringbuffer_read(io->cycles, (char *)&c, sizeof c);
		if (side)
			fprintf(side, "cycle %llu %llu\n", (unsigned long long)c.frame,
				(unsigned long long)c.usecs);
	}
}

static uint64_t
monotonic_usecs(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void
usage(FILE *f)
{
	fputs("usage: fl_jack_io [--server NAME] [--name CLIENT] [--play PORT[,PORT]]\n"
	      "       [--capture PORT[,PORT]] [--out FILE.wav] [--seconds S]\n"
	      "       [--signal ramp|sine:FREQ:AMP|silence|clicks:PERIOD]\n"
	      "       [--latency FRAMES] [--ready FILE]\n", f);
}

struct fl_io_opts {
	const char *server, *name, *out, *ready;
	double seconds;
};

static int
parse_args(struct fl_io *io, struct fl_io_opts *o, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0) {
			usage(stdout);
			exit(0);
		}
		if (i + 1 >= argc) {
			usage(stderr);
			return -1;
		}
		char *v = argv[++i];
		if (strcmp(a, "--server") == 0) o->server = v;
		else if (strcmp(a, "--name") == 0) o->name = v;
		else if (strcmp(a, "--out") == 0) o->out = v;
		else if (strcmp(a, "--ready") == 0) o->ready = v;
		else if (strcmp(a, "--seconds") == 0) o->seconds = atof(v);
		else if (strcmp(a, "--latency") == 0) io->latency_frames = (jack_nframes_t)atoi(v);
		else if (strcmp(a, "--signal") == 0) { if (parse_signal(io, v)) return -1; }
		else if (strcmp(a, "--play") == 0) { if ((io->n_play = split_ports(v, io->play_to)) < 0) return -1; }
		else if (strcmp(a, "--capture") == 0) { if ((io->n_cap = split_ports(v, io->cap_from)) < 0) return -1; }
		else {
			fprintf(stderr, "fl_jack_io: unknown option '%s'\n", a);
			usage(stderr);
			return -1;
		}
	}
	if (io->n_cap > 0 && !o->out) {
		fprintf(stderr, "fl_jack_io: --capture needs --out FILE.wav\n");
		return -1;
	}
	return 0;
}

static int
open_client(struct fl_io *io, const struct fl_io_opts *o)
{
	jack_status_t st;
	int opts = JackNoStartServer | (o->server ? JackServerName : 0);
	io->client = jack_client_open(o->name, (jack_options_t)opts, &st, o->server);
	if (!io->client) {
		fprintf(stderr, "fl_jack_io: cannot connect to JACK server '%s' (status 0x%x)\n",
			o->server ? o->server : "default", (unsigned)st);
		return -1;
	}
	if (register_ports(io)) {
		fprintf(stderr, "fl_jack_io: cannot register ports\n");
		return -1;
	}
	jack_nframes_t rate = jack_get_sample_rate(io->client);
	io->sine_inc = 2.0 * M_PI * io->sine_freq_hz / (double)rate;
	size_t frames = (size_t)rate * FL_IO_RING_SECONDS;
	io->ring = jack_ringbuffer_create(frames * sizeof(float) * (size_t)(io->n_cap + 1));
	io->cycles = jack_ringbuffer_create(4096 * sizeof(struct fl_io_cycle));
	if (!io->ring || !io->cycles)
		return -1;
	jack_ringbuffer_mlock(io->ring);
	io->target_frames = o->seconds > 0.0 ? (uint64_t)(o->seconds * (double)rate) : 0;
	jack_set_process_callback(io->client, on_process, io);
	jack_set_latency_callback(io->client, on_latency, io);
	jack_set_xrun_callback(io->client, on_xrun, io);
	jack_on_shutdown(io->client, on_shutdown, io);
	if (jack_activate(io->client)) {
		fprintf(stderr, "fl_jack_io: cannot activate the JACK client\n");
		return -1;
	}
	return 0;
}

static void
write_sidecar_header(struct fl_io *io, FILE *side, const char *signal)
{
	uint64_t mono = monotonic_usecs();
	uint64_t jt = jack_get_time();
	uint64_t f0 = atomic_load(&io->frame0);
	fprintf(side, "rate %u\nperiod %u\nsignal %s\nramp_period %llu\n",
		jack_get_sample_rate(io->client), jack_get_buffer_size(io->client), signal,
		(unsigned long long)FL_RAMP_PERIOD_FRAMES);
	fprintf(side, "play_frame0 %llu\ncapture_frame0 %llu\nchannels %d\nlatency %u\n",
		(unsigned long long)f0, (unsigned long long)f0, io->n_cap, io->latency_frames);
	fprintf(side, "clock_offset_usecs %lld\n", (long long)(jt - mono));
}

static int
run(struct fl_io *io, const struct fl_io_opts *o, const char *signal)
{
	SNDFILE *snd = NULL;
	FILE *side = NULL;
	char path[4096];
	if (o->out) {
		SF_INFO info = {.samplerate = (int)jack_get_sample_rate(io->client),
			.channels = io->n_cap > 0 ? io->n_cap : 1,
			.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT};
		if (io->n_cap > 0 && !(snd = sf_open(o->out, SFM_WRITE, &info))) {
			fprintf(stderr, "fl_jack_io: cannot write %s: %s\n", o->out, sf_strerror(NULL));
			return 1;
		}
		snprintf(path, sizeof path, "%s.txt", o->out);
		if (!(side = fopen(path, "w"))) {
			fprintf(stderr, "fl_jack_io: cannot write %s: %s\n", path, strerror(errno));
			sf_close(snd);
			return 1;
		}
	}
	atomic_store(&io->armed, true);
	while (!atomic_load(&io->started) && !atomic_load(&io->server_gone) && !fl_stop)
		usleep(1000);
	if (side)
		write_sidecar_header(io, side, signal);
	if (o->ready) {
		FILE *r = fopen(o->ready, "w");
		if (r)
			fclose(r);
	}
	while (!fl_stop && !atomic_load(&io->finished) && !atomic_load(&io->server_gone)) {
		drain(io, snd, side);
		usleep(10000);
	}
	atomic_store(&io->finished, true);
	usleep(20000); /* let a running cycle finish its push */
	drain(io, snd, side);
	if (side)
		fprintf(side, "frames %llu\noverruns %u\nframe_jumps %u\nxruns %u\n",
			(unsigned long long)atomic_load(&io->frames_out), atomic_load(&io->overruns),
			atomic_load(&io->gaps), atomic_load(&io->xruns));
	sf_close(snd);
	if (side)
		fclose(side);
	if (atomic_load(&io->overruns))
		fprintf(stderr, "fl_jack_io: %u capture overruns (writer too slow)\n",
			atomic_load(&io->overruns));
	if (atomic_load(&io->server_gone)) {
		fprintf(stderr, "fl_jack_io: the JACK server went away\n");
		return 1;
	}
	return atomic_load(&io->overruns) ? 1 : 0;
}

int
main(int argc, char **argv)
{
	static struct fl_io io;
	struct fl_io_opts o = {.name = "fl_jack_io"};
	const char *signal = "ramp";
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--signal") == 0)
			signal = argv[i + 1];
	if (parse_args(&io, &o, argc, argv))
		return 2;
	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (open_client(&io, &o))
		return 1;
	int rc = connect_ports(&io) ? 2 : run(&io, &o, signal);
	if (!atomic_load(&io.server_gone))
		jack_client_close(io.client);
	jack_ringbuffer_free(io.ring);
	jack_ringbuffer_free(io.cycles);
	return rc;
}
