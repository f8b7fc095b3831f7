/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A mutex and a condition variable rather than a lock-free queue: neither
 * side is real-time, jobs are rare (a save, a load, a preload), and the
 * lock is held for a few pointer writes only. */
#include "persist/worker.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

struct job_list {
	struct fl_job *head, *tail;
};

struct fl_worker {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;      ///< todo grew or stop was set
	pthread_cond_t finished;  ///< a job moved to done
	struct job_list todo;     ///< guarded by lock
	struct job_list done;     ///< guarded by lock
	bool stop;                ///< guarded by lock
	unsigned pending;         ///< control thread's count: submitted, not dispatched
	int efd;
};

static void
push(struct job_list *l, struct fl_job *j)
{
	j->next = NULL;
	if (l->tail)
		l->tail->next = j;
	else
		l->head = j;
	l->tail = j;
}

static struct fl_job *
pop(struct job_list *l)
{
	struct fl_job *j = l->head;
	if (j) {
		l->head = j->next;
		if (!l->head)
			l->tail = NULL;
	}
	return j;
}

static void *
worker_main(void *arg)
{
	struct fl_worker *w = arg;
	pthread_mutex_lock(&w->lock);
	for (;;) {
		struct fl_job *j = pop(&w->todo);
		if (!j) {
			if (w->stop)
				break;
			pthread_cond_wait(&w->wake, &w->lock);
			continue;
		}
		pthread_mutex_unlock(&w->lock);
		j->run(j);
		pthread_mutex_lock(&w->lock);
		push(&w->done, j);
		pthread_cond_broadcast(&w->finished);
		uint64_t one = 1;
		if (write(w->efd, &one, sizeof one) < 0) {
			/* the counter cannot overflow in practice; dispatch reads the list anyway */
		}
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

enum fl_status
fl_worker_create(struct fl_worker **out)
{
	*out = NULL;
	struct fl_worker *w = calloc(1, sizeof *w);
	if (!w)
		return FL_ERR_NOMEM;
	signal(SIGXFSZ, SIG_IGN);
	w->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	pthread_cond_init(&w->finished, NULL);
	if (w->efd < 0 || pthread_create(&w->thread, NULL, worker_main, w) != 0) {
		if (w->efd >= 0)
			close(w->efd);
		free(w);
		return FL_ERR_NOMEM;
	}
	*out = w;
	return FL_OK;
}

void
fl_worker_submit(struct fl_worker *w, struct fl_job *job)
{
	pthread_mutex_lock(&w->lock);
	push(&w->todo, job);
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	w->pending++;
}

int
fl_worker_fd(const struct fl_worker *w)
{
	return w->efd;
}

unsigned
fl_worker_dispatch(struct fl_worker *w)
{
	uint64_t v;
	if (read(w->efd, &v, sizeof v) < 0 && errno != EAGAIN) {
		/* nothing to do: the list below is the truth */
	}
	unsigned n = 0;
	for (;;) {
		pthread_mutex_lock(&w->lock);
		struct fl_job *j = pop(&w->done);
		pthread_mutex_unlock(&w->lock);
		if (!j)
			break;
		w->pending--;
		n++;
		if (j->done)
			j->done(j); /* may submit more work: the lock is not held */
	}
	return n;
}

void
fl_worker_drain(struct fl_worker *w)
{
	while (w->pending > 0) {
		pthread_mutex_lock(&w->lock);
		while (!w->done.head)
			pthread_cond_wait(&w->finished, &w->lock);
		pthread_mutex_unlock(&w->lock);
		fl_worker_dispatch(w);
	}
}

unsigned
fl_worker_pending(const struct fl_worker *w)
{
	return w->pending;
}

void
fl_worker_free(struct fl_worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	fl_worker_dispatch(w);
	close(w->efd);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	pthread_cond_destroy(&w->finished);
	free(w);
}
