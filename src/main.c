/* SPDX-License-Identifier: GPL-2.0-or-later */
/* footloop: options, config, JACK, engine, control loop; wiring only.
 * Exit codes: 0 clean shutdown, 1 runtime failure (JACK, OSC port), 2 bad
 * configuration or options. */
#include "control/control.h"
#include "control/loop.h"
#include "control/notify.h"
#include "control/nsm.h"
#include "core/log.h"
#include "core/version.h"
#include "footloop/config.h"
#include "footloop/engine.h"
#include "jack/jack_backend.h"
#include "persist/checkpoint.h"
#include "persist/journal_replay.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/timerfd.h>
#include <unistd.h>

struct options {
	const char *config;
	long osc_port; ///< -1: from the config
	const char *jack_name;
	const char *server;
	const char *journal; ///< --journal DIR: turns the journal on
	const char *argv0;   ///< for the NSM announce
	bool no_status;
	bool verbose;
};

static void
usage(FILE *f)
{
	fprintf(f,
	        "usage: footloop [options]\n"
	        "A live looper for JACK, driven by OSC, MIDI and foot switches.\n\n"
	        "  -c, --config FILE    read settings from FILE (see config/footloop.conf);\n"
	        "                       without it, built-in defaults are used\n"
	        "  -p, --osc-port N     OSC UDP port (overrides [osc] port; default 9000)\n"
	        "  -n, --jack-name NAME JACK client name (overrides [jack] name)\n"
	        "  -s, --server NAME    JACK server name (overrides [jack] server)\n"
	        "  -j, --journal DIR    crash-safety journal in DIR (turns [journal] on)\n"
	        "      --no-status      no live status display on the terminal\n"
	        "  -v, --verbose        debug log lines\n"
	        "  -h, --help           this help\n"
	        "  -V, --version        print the version\n\n"
	        "OSC addresses: docs/osc.md. Exit codes: 0 ok, 1 runtime error, 2 bad config.\n");
}

/* 0: go on; otherwise the exit code + 1 (so that 0 can mean "go on"). */
static int
parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longs[] = {
		{"config", required_argument, NULL, 'c'},    {"osc-port", required_argument, NULL, 'p'},
		{"jack-name", required_argument, NULL, 'n'}, {"server", required_argument, NULL, 's'},
		{"no-status", no_argument, NULL, 'S'},       {"verbose", no_argument, NULL, 'v'},
		{"journal", required_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},            {"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	*o = (struct options){.osc_port = -1, .argv0 = argv[0]};
	int ch;
	char *end;
	while ((ch = getopt_long(argc, argv, "c:p:n:s:j:vhV", longs, NULL)) != -1) {
		switch (ch) {
		case 'c': o->config = optarg; break;
		case 'p':
			errno = 0;
			o->osc_port = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || errno || o->osc_port < 0 || o->osc_port > 65535) {
				fprintf(stderr, "footloop: --osc-port: '%s' is not a port (0..65535)\n",
				        optarg);
				return 3;
			}
			break;
		case 'n': o->jack_name = optarg; break;
		case 's': o->server = optarg; break;
		case 'j': o->journal = optarg; break;
		case 'S': o->no_status = true; break;
		case 'v': o->verbose = true; break;
		case 'h': usage(stdout); return 1;
		case 'V': printf("footloop %s\n", fl_version()); return 1;
		default: usage(stderr); return 3;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "footloop: unexpected argument '%s'\n", argv[optind]);
		return 3;
	}
	return 0;
}

static int
load_config(const struct options *o, struct fl_config *cfg)
{
	fl_config_defaults(cfg);
	char err[512];
	if (o->config && fl_config_load(cfg, o->config, err, sizeof err) != FL_OK) {
		fl_error("%s", err);
		return 2;
	}
	if (o->osc_port >= 0)
		cfg->osc_port = (uint16_t)o->osc_port;
	if (o->jack_name)
		snprintf(cfg->jack_name, sizeof cfg->jack_name, "%s", o->jack_name);
	if (o->server)
		snprintf(cfg->jack_server, sizeof cfg->jack_server, "%s", o->server);
	if (o->journal) {
		cfg->journal_enabled = true;
		snprintf(cfg->journal_dir, sizeof cfg->journal_dir, "%s", o->journal);
	}
	fl_log_set_level(o->verbose ? FL_LOG_DEBUG : (enum fl_log_level)cfg->log_level);
	return 0;
}

static void
lock_memory(uint64_t engine_bytes)
{
	if (mlockall(MCL_CURRENT | MCL_FUTURE) == 0) {
		fl_debug("memory locked");
		return;
	}
	int e = errno;
	struct rlimit rl = {0, 0};
	getrlimit(RLIMIT_MEMLOCK, &rl);
	char lim[32] = "unlimited";
	if (rl.rlim_cur != RLIM_INFINITY)
		snprintf(lim, sizeof lim, "%llu KiB", (unsigned long long)rl.rlim_cur / 1024);
	fl_warn("cannot lock memory (%s): RLIMIT_MEMLOCK is %s, footloop needs about %llu MiB. "
	        "Loops may drop out on page faults. Raise it with 'ulimit -l unlimited', "
	        "LimitMEMLOCK=infinity (systemd) or an @audio memlock line in "
	        "/etc/security/limits.d/; or set [engine] lock_memory = false",
	        strerror(e), lim, (unsigned long long)(engine_bytes >> 20) + 64);
}

/* systemd notifications; the control tick feeds the watchdog (main only). */
static struct fl_notify g_notify;

/* The watchdog tick: its own timerfd in the control loop, so the ping
 * depends on the engine's frame clock and on nothing in the control tick. */
static struct fl_engine *g_watched;
static struct fl_jack *g_watched_jack;

static void
on_watchdog(void *user, int fd, short revents)
{
	(void)user, (void)revents;
	uint64_t n;
	(void)!read(fd, &n, sizeof n);
	static bool waiting;
	bool now_waiting = fl_jack_waiting(g_watched_jack);
	if (now_waiting != waiting) {
		waiting = now_waiting;
		if (waiting)
			fl_notify_status(&g_notify, "waiting for the JACK server (loops in memory)");
		else
			fl_notify_status(&g_notify, "running again on JACK at %u Hz",
			                 fl_jack_sample_rate(g_watched_jack));
	}
	/* Waiting for a lost JACK server is deliberate: the clock stands still,
	 * footloop is alive. */
	if (waiting)
		fl_notify_alive(&g_notify, fl_loop_now_ms());
	else
		fl_notify_tick(&g_notify, fl_loop_now_ms(), fl_engine_frame(g_watched));
}

static int
start_watchdog(struct fl_loop *loop, struct fl_engine *engine, struct fl_jack *jack)
{
	if (!g_notify.watchdog_ms)
		return -1;
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	uint64_t ms = g_notify.watchdog_ms < 200 ? g_notify.watchdog_ms / 2 : 100;
	struct itimerspec its = {{0, (long)ms * 1000000L}, {0, (long)ms * 1000000L}};
	g_watched = engine;
	g_watched_jack = jack;
	if (fd < 0 || timerfd_settime(fd, 0, &its, NULL) != 0 ||
	    fl_loop_add_fd(loop, fd, on_watchdog, NULL) != FL_OK) {
		fl_warn("cannot start the watchdog timer: systemd will restart footloop");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* The engine, restored from the journal when the last run did not shut
 * down cleanly. A journal that cannot start is a warning: footloop plays
 * on without crash safety rather than not at all. */
static enum fl_status
create_engine(struct fl_config *cfg, struct fl_engine **engine, struct fl_journal **journal,
              char dir[256], struct fl_journal_boot_info *info)
{
	char err[512];
	enum fl_status st;
	memset(info, 0, sizeof *info);
	if (cfg->journal_enabled) {
		st = fl_journal_resolve_dir(cfg->journal_dir, dir, 256, err, sizeof err);
		if (st == FL_OK)
			st = fl_journal_boot(dir, &cfg->engine, cfg->journal_ring_seconds,
			                     cfg->journal_sync_ms, engine, journal, info, err,
			                     sizeof err);
		if (st == FL_OK) {
			fl_info("journal: %s (sync every %u ms)", fl_journal_path(*journal),
			        cfg->journal_sync_ms);
			return FL_OK;
		}
		fl_warn("%s: running WITHOUT the crash-safety journal", err);
	}
	st = fl_engine_create(&cfg->engine, engine);
	if (st != FL_OK)
		fl_error("cannot create the engine (%u tracks of %.0f s at %u Hz): %s",
		         cfg->engine.n_tracks, (double)cfg->engine.track_seconds,
		         cfg->engine.sample_rate, fl_strerror(st));
	return st;
}

static void
on_nsm(void *user, int fd, short revents)
{
	(void)fd, (void)revents;
	fl_nsm_receive(user);
}

/* Under a session manager (NSM_URL set): announce and obey it. A bad
 * NSM_URL is a warning: footloop plays on without it. */
static struct fl_nsm *
start_nsm(const struct options *o, struct fl_control *ctl, struct fl_loop *loop)
{
	char err[300];
	struct fl_nsm *nsm = NULL;
	if (fl_nsm_create(ctl->engine, ctl->sessions.worker, o->argv0, &nsm, err, sizeof err) !=
	    FL_OK) {
		fl_warn("%s: running without the session manager", err);
		return NULL;
	}
	if (nsm && (!ctl->sessions.worker ||
	            fl_loop_add_fd(loop, fl_nsm_fd(nsm), on_nsm, nsm) != FL_OK)) {
		fl_warn("NSM: cannot watch its socket: running without the session manager");
		fl_nsm_free(nsm);
		return NULL;
	}
	ctl->nsm = nsm;
	return nsm;
}

static int
run(const struct options *o, struct fl_config *cfg, struct fl_loop *loop)
{
	char err[512];
	struct fl_jack *jack = NULL;
	struct fl_engine *engine = NULL;
	struct fl_journal *journal = NULL;
	struct fl_control ctl = {0};
	struct fl_checkpoint ckpt = {0};
	struct fl_nsm *nsm = NULL;
	struct fl_journal_boot_info boot;
	char jdir[256] = "";
	int code = 1;
	if (fl_jack_open(cfg->jack_name, cfg->jack_server, &jack, err, sizeof err) != FL_OK) {
		fl_error("%s", err);
		return 1;
	}
	cfg->engine.sample_rate = fl_jack_sample_rate(jack);
	if (create_engine(cfg, &engine, &journal, jdir, &boot) != FL_OK)
		goto out;
	if (cfg->lock_memory)
		lock_memory(fl_engine_memory_bytes(engine));
	if (fl_control_init(&ctl, cfg, engine, jack, loop, !o->no_status, err, sizeof err) != FL_OK) {
		fl_error("%s", err);
		goto out;
	}
	if (journal) { /* compaction checkpoints use the sessions' disk worker */
		fl_checkpoint_init(&ckpt, engine, journal, ctl.sessions.worker, jdir, &cfg->engine,
		                   cfg->journal_checkpoint_minutes, boot.checkpoint + 1,
		                   fl_loop_now_ms());
		ctl.ckpt = ctl.sessions.worker ? &ckpt : NULL;
	}
	nsm = start_nsm(o, &ctl, loop);
	ctl.restored = boot.restored;
	fl_control_apply_track_config(&ctl, cfg);
	fl_info("footloop %s: %u tracks, %.0f MB loop memory, %u Hz, period %u, OSC port %u, "
	        "JACK client %s", fl_version(), cfg->engine.n_tracks,
	        (double)fl_engine_memory_bytes(engine) / 1e6, cfg->engine.sample_rate,
	        fl_jack_buffer_size(jack), fl_osc_port(ctl.osc), fl_jack_client_name(jack));
	if (fl_jack_activate(jack, engine, err, sizeof err) != FL_OK) {
		fl_error("%s", err);
		goto out;
	}
	fl_jack_connect(jack, cfg->autoconnect, (const char(*)[256])cfg->connect_in,
	                (const char(*)[256])cfg->connect_out);
	int wd = start_watchdog(loop, engine, jack);
	fl_notify_send(&g_notify, "READY=1");
	fl_notify_status(&g_notify, "running: %u tracks at %u Hz", cfg->engine.n_tracks,
	                 cfg->engine.sample_rate);
	code = fl_loop_run(loop);
	fl_notify_send(&g_notify, "STOPPING=1");
	if (wd >= 0) {
		fl_loop_remove_fd(loop, wd);
		close(wd);
	}
out:
	/* Reverse order: JACK stops calling the engine before it goes; the
	 * journal is marked clean only on a clean exit. */
	fl_jack_close(jack);
	fl_control_fini(&ctl); /* drains the worker: a checkpoint's last step runs here */
	if (nsm) {
		fl_loop_remove_fd(loop, fl_nsm_fd(nsm));
		fl_nsm_free(nsm);
	}
	if (ctl.ckpt)
		fl_checkpoint_fini(&ckpt);
	fl_journal_stop(journal, code == 0);
	fl_engine_free(engine);
	fl_journal_free(journal); /* its ring outlives the engine's tap */
	return code;
}

int
main(int argc, char **argv)
{
	struct options o;
	int r = parse_options(argc, argv, &o);
	if (r)
		return r - 1;
	struct fl_config cfg;
	if ((r = load_config(&o, &cfg)))
		return r;
	/* Before any thread exists: JACK's threads inherit the blocked signals. */
	struct fl_loop *loop = NULL;
	if (fl_loop_create(10, &loop) != FL_OK)
		return 1;
	fl_notify_init(&g_notify);
	int code = run(&o, &cfg, loop);
	fl_notify_fini(&g_notify);
	fl_loop_free(loop);
	fl_info("footloop stopped (exit code %d)", code);
	return code;
}
