/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Effects, sends, the limiter and panic, from the control side.
 *
 * The control thread owns the truth of what it asked for: which effect type
 * sits in each slot of each chain, its parameters and bypass, the sends,
 * the limiter settings and panic. Every request is checked here (names
 * from the effect tables of src/dsp/fx.h, values against their ranges:
 * out of range is refused with a sentence, never applied raw), and only
 * then becomes an engine command. New effect instances are created here
 * with fl_fx_create and set up BEFORE they are sent (FL_CMD_FX_SLOT);
 * the engine hands old ones back in FL_EV_RELEASE, and fl_fx_ctl_release
 * frees them. The mirror is what OSC feedback publishes.
 *
 * Targets are chains: 0..n_tracks-1 (tracks), then FL_FXC_INPUT,
 * FL_FXC_BUS(b), FL_FXC_MASTER. Control thread only. */
#ifndef FL_CONTROL_FX_CTL_H
#define FL_CONTROL_FX_CTL_H

#include "dsp/fx.h"
#include "footloop/cmd.h"
#include "footloop/engine.h"
#include "footloop/status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FL_FXC_MAX_PARAMS 40
#define FL_FXC_INPUT FL_MAX_TRACKS
#define FL_FXC_BUS(b) (FL_MAX_TRACKS + 1 + (b))
#define FL_FXC_MASTER (FL_MAX_TRACKS + 1 + FL_BUSES)
#define FL_FXC_TARGETS (FL_FXC_MASTER + 1)
#define FL_FXC_MAX_PRESETS 32

struct fl_fxc_slot {
	enum fl_fx_type type; ///< FL_FX_NONE: empty
	bool bypass;
	float param[FL_FXC_MAX_PARAMS];
};

struct fl_fxc_preset {
	char name[48];
	struct fl_fxc_slot slot[FL_FX_SLOTS];
};

struct fl_fx_ctl {
	float rate;
	uint32_t n_tracks;
	enum fl_status (*send)(void *user, const struct fl_cmd *cmd);
	void *user;
	struct fl_fxc_slot chain[FL_FXC_TARGETS][FL_FX_SLOTS];
	float send_gain[FL_MAX_TRACKS][FL_BUSES];
	bool input_fx[FL_MAX_TRACKS];
	float limiter[FL_LIMITER__COUNT];
	bool panic;
	struct fl_fxc_preset presets[FL_FXC_MAX_PRESETS];
	uint32_t n_presets;
	uint64_t created, freed; ///< instances, for leak checks
};

void fl_fx_ctl_init(struct fl_fx_ctl *c, float rate, uint32_t n_tracks,
                    enum fl_status (*send)(void *user, const struct fl_cmd *cmd), void *user);

/* Loads presets (config/fx-presets.conf format); FL_ERR_CONFIG/FL_ERR_IO
 * with file:line in err. */
FL_NODISCARD enum fl_status fl_fx_ctl_load_presets(struct fl_fx_ctl *c, const char *path,
                                                   char *err, size_t errlen);

/* Requests; each returns FL_OK or an error with a sentence in err and
 * changes nothing. slot is 0-based. */
FL_NODISCARD enum fl_status fl_fx_ctl_set_type(struct fl_fx_ctl *c, uint32_t target, uint32_t slot,
                                               enum fl_fx_type type, char *err, size_t errlen);
FL_NODISCARD enum fl_status fl_fx_ctl_set_param(struct fl_fx_ctl *c, uint32_t target,
                                                uint32_t slot, const char *name, float value,
                                                char *err, size_t errlen);
/* The same with the value as text, parsed by fl_fx_param_parse ("-6 dB",
 * "1/8d", "on"). */
FL_NODISCARD enum fl_status fl_fx_ctl_set_param_text(struct fl_fx_ctl *c, uint32_t target,
                                                     uint32_t slot, const char *name,
                                                     const char *text, char *err, size_t errlen);
/* value in 0..1 mapped onto the parameter's range (MIDI CC). */
FL_NODISCARD enum fl_status fl_fx_ctl_set_param_norm(struct fl_fx_ctl *c, uint32_t target,
                                                     uint32_t slot, uint32_t index, float norm,
                                                     char *err, size_t errlen);
/* A parameter by NAME from a MIDI CC (fx_param bindings): the name is
 * resolved against the type in the slot now; norm 0..1 goes onto
 * [lo, hi] (each NULL = the parameter's own min/max; lo > hi reverses the
 * control) and is clamped to the parameter's range. FL_ERR_NOT_FOUND when
 * the slot is empty or its type has no such parameter: nothing is sent. */
FL_NODISCARD enum fl_status fl_fx_ctl_set_param_scaled(struct fl_fx_ctl *c, uint32_t target,
                                                       uint32_t slot, const char *name,
                                                       float norm, const float *lo,
                                                       const float *hi, char *err,
                                                       size_t errlen);
FL_NODISCARD enum fl_status fl_fx_ctl_set_bypass(struct fl_fx_ctl *c, uint32_t target,
                                                 uint32_t slot, bool bypass, char *err,
                                                 size_t errlen);
FL_NODISCARD enum fl_status fl_fx_ctl_preset(struct fl_fx_ctl *c, uint32_t target,
                                             const char *name, char *err, size_t errlen);
/* A whole slot at once (configuration): type with its defaults, bypass,
 * and param[i] for every bit i of param_set (checked against the ranges):
 * one FL_CMD_FX_SLOT. */
FL_NODISCARD enum fl_status fl_fx_ctl_set_slot(struct fl_fx_ctl *c, uint32_t target,
                                               uint32_t slot, enum fl_fx_type type, bool bypass,
                                               const float *param, uint32_t param_set,
                                               char *err, size_t errlen);
/* The preset's used slots into the chain from slot first on (an error
 * when they do not fit); fl_fx_ctl_preset fills the whole chain. */
FL_NODISCARD enum fl_status fl_fx_ctl_preset_at(struct fl_fx_ctl *c, uint32_t target,
                                                uint32_t first, const char *name, char *err,
                                                size_t errlen);
FL_NODISCARD enum fl_status fl_fx_ctl_set_send(struct fl_fx_ctl *c, uint32_t track, uint32_t bus,
                                               float gain, char *err, size_t errlen);
FL_NODISCARD enum fl_status fl_fx_ctl_set_input_fx(struct fl_fx_ctl *c, uint32_t track, bool on,
                                                   char *err, size_t errlen);
FL_NODISCARD enum fl_status fl_fx_ctl_limiter(struct fl_fx_ctl *c, enum fl_limiter_param p,
                                              float value, char *err, size_t errlen);
FL_NODISCARD enum fl_status fl_fx_ctl_panic(struct fl_fx_ctl *c, bool on, char *err,
                                            size_t errlen);

/* An instance the engine gave back (FL_EV_RELEASE, arg FL_CMD_FX_SLOT). */
void fl_fx_ctl_release(struct fl_fx_ctl *c, struct fl_fx *fx);

/* The engine target (cmd.track) of a chain index, and a name for it
 * ("track/2", "input", "send/1", "master") for OSC paths. */
uint32_t fl_fx_ctl_engine_target(uint32_t target);
void fl_fx_ctl_target_path(uint32_t target, char *buf, size_t len);

#endif
