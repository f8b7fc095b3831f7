/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The disk worker: one thread that does slow work (libsndfile, fsync,
 * resampling) for the control thread (jalv's worker pattern).
 *
 * Requests in, replies out: the control thread submits a job; the worker
 * runs job->run() on its thread, in submission order; finished jobs are
 * queued back and an eventfd becomes readable; the control thread (its poll
 * loop watches fl_worker_fd) calls fl_worker_dispatch(), which runs
 * job->done() on the control thread. A job is owned by the worker from
 * submit until done() is called, then by done(). The mutex is held only to
 * link and unlink jobs, never during run(), so submit never waits for a
 * disk. Never called from the process thread.
 *
 * The worker ignores SIGXFSZ process-wide: a file-size limit or a full disk
 * must turn into a write error and a message, not kill the looper. */
#ifndef FL_PERSIST_WORKER_H
#define FL_PERSIST_WORKER_H

#include "footloop/attributes.h"
#include "footloop/status.h"

#include <stdbool.h>

struct fl_job {
	void (*run)(struct fl_job *job);  ///< worker thread: the slow part
	void (*done)(struct fl_job *job); ///< control thread: use the result, free the job
	struct fl_job *next;              ///< worker's list link
};

struct fl_worker;

/* Starts the thread. Setup thread. */
FL_NODISCARD enum fl_status fl_worker_create(struct fl_worker **out);
/* Finishes queued jobs, calls done() of every finished one on the calling
 * thread, joins. NULL is a no-op. */
void fl_worker_free(struct fl_worker *w);

/* Queues job (run() must be set; done() may be NULL). Control thread. */
void fl_worker_submit(struct fl_worker *w, struct fl_job *job);
/* Readable (eventfd) when finished jobs wait for fl_worker_dispatch. */
int fl_worker_fd(const struct fl_worker *w);
/* Calls done() of every finished job, in order. Returns how many. Control
 * thread. */
unsigned fl_worker_dispatch(struct fl_worker *w);
/* Waits until every submitted job has run, then dispatches them (tests,
 * shutdown). Control thread. */
void fl_worker_drain(struct fl_worker *w);
/* Jobs submitted and not yet dispatched. Control thread. */
unsigned fl_worker_pending(const struct fl_worker *w);

#endif
