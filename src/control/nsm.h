/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Non Session Manager (NSM) client: footloop under NSM, Agordejo, RaySession.
 *
 * When NSM_URL is set, footloop announces itself to the session manager
 * (/nsm/server/announce s:"footloop" s:":dirty:" s:executable i:1 i:2
 * i:pid) from its own UDP port and then obeys it:
 *   /nsm/client/open s:path s:display_name s:client_id
 *       path is the instance directory; footloop keeps its session there
 *       as <path>/footloop (the sessions format, docs/sessions.md). An
 *       existing one is loaded (fl_session_ctl_load, in phase, while
 *       everything plays), a new path is created and starts as it is.
 *       Answered /reply s:"/nsm/client/open" s:message or /error s:path
 *       i:code s:message when it is done.
 *   /nsm/client/save
 *       saves the loops as <path>/footloop (fl_session_ctl_save: pins,
 *       the disk worker writes, atomic), then /reply and /nsm/client/is_clean.
 * After a change of the loops or their mix (a digest of the track status,
 * checked every 100 ms) it sends /nsm/client/is_dirty once. NSM stops
 * clients with SIGTERM, which footloop already handles (clean exit).
 *
 * It has its own fl_session_ctl (root = the instance path), sharing the
 * engine and the disk worker; its FL_EV_LEASE/FL_EV_PINNED come through
 * fl_nsm_event. Control thread only. */
#ifndef FL_CONTROL_NSM_H
#define FL_CONTROL_NSM_H

#include "footloop/engine.h"
#include "footloop/status.h"
#include "persist/session_ctl.h"
#include "persist/worker.h"

#include <stdbool.h>
#include <stdint.h>

#define FL_NSM_API_MAJOR 1
#define FL_NSM_API_MINOR 2
#define FL_NSM_SESSION_NAME "footloop" ///< <instance path>/footloop

struct fl_nsm;

/* Without NSM_URL: FL_OK and *out = NULL (not under NSM). Otherwise opens a
 * UDP port, announces, and returns the client. FL_ERR_BAD_ARG when NSM_URL
 * is not an OSC URL, FL_ERR_IO when no port can be opened; err says why.
 * executable: argv[0]'s base name. */
FL_NODISCARD enum fl_status fl_nsm_create(struct fl_engine *engine, struct fl_worker *worker,
                                          const char *executable, struct fl_nsm **out,
                                          char *err, size_t errlen);
/* NULL is a no-op. After fl_worker_drain (its jobs refer to it). */
void fl_nsm_free(struct fl_nsm *n);

/* The UDP socket for the control loop; fl_nsm_receive() when readable. */
int fl_nsm_fd(const struct fl_nsm *n);
void fl_nsm_receive(struct fl_nsm *n);
/* Every control tick: the dirty check. */
void fl_nsm_tick(struct fl_nsm *n, uint64_t now_ms);
/* FL_EV_LEASE / FL_EV_PINNED; true when it was for NSM's session control. */
bool fl_nsm_event(struct fl_nsm *n, const struct fl_event *ev);

/* State, for logs and tests. */
bool fl_nsm_announced(const struct fl_nsm *n); ///< the server answered the announce
const char *fl_nsm_path(const struct fl_nsm *n); ///< "" before open
bool fl_nsm_dirty(const struct fl_nsm *n);

#endif
