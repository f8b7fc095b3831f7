/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The parsed configuration: plain values, no pointers into the parser.
 *
 * fl_config_load() reads an INI file (config/footloop.conf documents every
 * key) once at start-up into struct fl_config; nothing else reads the file.
 * Single-threaded (setup thread). Errors name file:line, section and key:
 *   "footloop.conf:12: [engine] tracks: 0 is out of range 1..64" */
#ifndef FOOTLOOP_CONFIG_H
#define FOOTLOOP_CONFIG_H

#include "footloop/engine.h"
#include "footloop/status.h"
#include "input/gpio.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FL_CONFIG_NAME_MAX 64  ///< JACK client/server names, bind address
#define FL_CONFIG_PORT_MAX 256 ///< full JACK port names ("client:port")
#define FL_CONFIG_PATH_MAX 512 ///< file paths ([midi] map, learn_file)
#define FL_CONFIG_SONGS_MAX 4608 ///< [setlist] songs line (64 names of 64 bytes + separators)

#define FL_CONFIG_FX_PARAMS 16 ///< parameters per effect type, at most

/* fxK = type | preset:NAME, fxK.bypass, fxK.<param> of one chain slot
 * (src/config/config_fx.c; names and ranges from src/dsp/fx.h's tables). */
struct fl_config_fx_slot {
	bool given;            ///< fxK appeared
	int type;              ///< enum fl_fx_type (FL_FX_NONE: "none")
	char preset[48];       ///< "preset:NAME": the preset's slots from this slot on ("" = none)
	bool bypass;
	uint32_t param_set;    ///< bit i: param[i] given
	float param[FL_CONFIG_FX_PARAMS];
	int line;              ///< config line of fxK, for messages at start-up
};

struct fl_config_fx_chain {
	struct fl_config_fx_slot slot[FL_FX_SLOTS];
	bool given; ///< any fxK in the section: the chain replaces the default (buses)
};

/* [track.N]: settings applied to a track at start-up. */
struct fl_track_config {
	float level;       ///< linear gain 0..2 (default 1)
	float pan;         ///< -1..1 (default 0)
	uint32_t quantize; ///< enum fl_quantize (default: [engine] quantize)
	bool quantize_set; ///< quantize given in [track.N] (else the engine default)
	float send[FL_BUSES]; ///< send1/send2: linear 0..2 (default 0)
	bool input_fx;        ///< record the input through the [input] chain (default: dry)
	struct fl_config_fx_chain fx; ///< fx1..fx4
};

struct fl_config {
	/* [engine]; engine.sample_rate is 0 here and filled from JACK. */
	struct fl_engine_config engine;
	float latency_trim_ms; ///< added to the measured JACK round trip (may be < 0)
	bool lock_memory;      ///< mlockall(MCL_CURRENT | MCL_FUTURE) after setup
	/* [track.N], index N-1. */
	struct fl_track_config track[FL_MAX_TRACKS];
	/* [jack] */
	char jack_name[FL_CONFIG_NAME_MAX];   ///< client name (default "footloop")
	char jack_server[FL_CONFIG_NAME_MAX]; ///< "" = default server (JACK_DEFAULT_SERVER)
	bool autoconnect;                     ///< connect to system:capture_1/2, playback_1/2
	char connect_in[2][FL_CONFIG_PORT_MAX];  ///< explicit source for in_1/in_2 ("" = auto)
	char connect_out[2][FL_CONFIG_PORT_MAX]; ///< explicit destination for out_1/out_2
	/* [osc] */
	uint16_t osc_port;                   ///< UDP port; 0 = any free port (tests)
	char osc_bind[FL_CONFIG_NAME_MAX];   ///< numeric IPv4/IPv6 address (default 0.0.0.0)
	uint32_t feedback_hz;                ///< positions/meters rate to clients, 1..30
	/* [log] */
	int log_level; ///< enum fl_log_level (src/core/log.h)
	/* [gpio], [gpio.switch.N], [gpio.led.N]: parsed by src/input/gpio_config.c */
	struct fl_gpio_config gpio;
	/* [midi]. Relative paths are relative to the config file's folder. */
	char midi_alsa_in[FL_CONFIG_NAME_MAX];  ///< ALSA input port-name substring ("" = none)
	char midi_alsa_out[FL_CONFIG_NAME_MAX]; ///< ALSA feedback port-name substring
	char midi_map[FL_CONFIG_PATH_MAX];      ///< mapping file ("" = no MIDI bindings)
	char midi_learn_file[FL_CONFIG_PATH_MAX]; ///< where learned lines go ("" = the map file)
	/* [limiter] (the master limiter, last in the chain) */
	float limiter_ceiling_db; ///< -12..0 dBTP (default -1)
	float limiter_release_ms; ///< 5..1000 (default 50)
	float limiter_hold_ms;    ///< 0..50 (default 10)
	/* [fx] */
	char fx_presets[FL_CONFIG_PATH_MAX]; ///< presets file ("" = none); relative to the config file
	bool fx_default_buses;    ///< bus 1 = plate, bus 2 = tempo-synced delay (1/8d) at start
	/* [input], [bus.1], [bus.2], [master]: fx1..fx4 (a bus chain given
	 * replaces that bus's default effect). */
	struct fl_config_fx_chain input_chain;
	struct fl_config_fx_chain bus_chain[FL_BUSES];
	struct fl_config_fx_chain master_chain;
	/* [jack] reconnect: keep running and reconnect when the server goes
	 * away (true), or exit with code 1 (false). */
	bool jack_reconnect;
	/* [journal] (docs/journal.md) */
	bool journal_enabled;            ///< stream input + commands to disk for crash restore
	char journal_dir[FL_CONFIG_PORT_MAX]; ///< "" = $STATE_DIRECTORY/journal or ~/.local/state/footloop/journal
	float journal_ring_seconds;      ///< tap ring between the process thread and the writer, s
	uint32_t journal_sync_ms;        ///< fdatasync period, ms (the data at risk is about twice this)
	float journal_checkpoint_minutes;///< at most one compaction checkpoint per this many minutes
	/* [session], [setlist], [recorder] (docs/sessions.md). A leading "~/"
	 * in a dir is the home directory; dirs are created when missing. */
	char session_dir[FL_CONFIG_PATH_MAX];   ///< default "~/footloop/sessions"
	char session_name[FL_CONFIG_NAME_MAX + 8]; ///< current/default session (default "default")
	bool session_load_on_start;             ///< load session_name at start-up
	char setlist_songs[FL_CONFIG_SONGS_MAX]; ///< "a, b, c" as written (names checked)
	char recorder_dir[FL_CONFIG_PATH_MAX];  ///< default "~/footloop/recordings"
	uint32_t recorder_format;               ///< 0 = 32-bit float WAV, 1 = 24-bit FLAC
	bool recorder_stems;                    ///< also one file per track
	float recorder_ring_seconds;            ///< tap ring per tap, s (1..60)
};

/* Built-in defaults (the values documented in config/footloop.conf). */
void fl_config_defaults(struct fl_config *cfg);

/* Loads path over the defaults. On error returns FL_ERR_CONFIG (FL_ERR_IO when
 * the file cannot be read) and writes one line naming file:line, section and
 * key into err; cfg then holds a partial result and must not be used. */
FL_NODISCARD enum fl_status fl_config_load(struct fl_config *cfg, const char *path, char *err,
                                           size_t errlen);

/* The same, from a string; name stands for the file name in messages. */
FL_NODISCARD enum fl_status fl_config_load_string(struct fl_config *cfg, const char *text,
                                                  const char *name, char *err, size_t errlen);

#endif
