/*
 * pipeline.c - one producer thread, one consumer, a fixed set of buffers
 * (see pipeline.h).
 *
 * Depends on POSIX threads. Two FIFO queues of buffer pointers (free and
 * full) under one mutex, a condition variable for each side. Handing a
 * buffer over costs one lock, so buffers should hold thousands of items.
 * Never prints; a failure to start the thread is reported as NULL.
 */
#include "ct.h"
#include "pipeline.h"

#include <pthread.h>

#define MAX_BUFS 16

struct queue {
	void *buf[MAX_BUFS];
	size_t head, n;
};

struct ct_pipeline {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t has_free; /* signalled when free gets a buffer or stop */
	pthread_cond_t has_full; /* signalled when full gets a buffer or done */
	struct queue free_q, full_q;
	bool stopped; /* the consumer wants no more */
	bool done;    /* the producer has returned */
	int result;
	ct_pipeline_fn *fn;
	void *arg;
};

static void push(struct queue *q, void *b)
{
	q->buf[(q->head + q->n) % MAX_BUFS] = b;
	q->n++;
}

static void *pop(struct queue *q)
{
	void *b = q->buf[q->head];

	q->head = (q->head + 1) % MAX_BUFS;
	q->n--;
	return b;
}

static void *run(void *arg)
{
	struct ct_pipeline *p = arg;
	int rc = p->fn(p, p->arg);

	pthread_mutex_lock(&p->mu);
	p->result = rc;
	p->done = true;
	pthread_cond_signal(&p->has_full);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct ct_pipeline *ct_pipeline_start(void *const *bufs, size_t n,
				      ct_pipeline_fn *fn, void *arg)
{
	struct ct_pipeline *p;

	if (n == 0 || n > MAX_BUFS)
		return NULL;
	p = ct_xcalloc(1, sizeof(*p));
	for (size_t i = 0; i < n; i++)
		push(&p->free_q, bufs[i]);
	p->fn = fn;
	p->arg = arg;
	if (pthread_mutex_init(&p->mu, NULL) != 0)
		goto fail_mu;
	if (pthread_cond_init(&p->has_free, NULL) != 0)
		goto fail_free;
	if (pthread_cond_init(&p->has_full, NULL) != 0)
		goto fail_full;
	if (pthread_create(&p->thread, NULL, run, p) != 0)
		goto fail_thread;
	return p;
fail_thread:
	pthread_cond_destroy(&p->has_full);
fail_full:
	pthread_cond_destroy(&p->has_free);
fail_free:
	pthread_mutex_destroy(&p->mu);
fail_mu:
	free(p);
	return NULL;
}

void *ct_pipeline_take_free(struct ct_pipeline *p)
{
	void *b = NULL;

	pthread_mutex_lock(&p->mu);
	while (!p->stopped && !p->free_q.n)
		pthread_cond_wait(&p->has_free, &p->mu);
	if (!p->stopped)
		b = pop(&p->free_q);
	pthread_mutex_unlock(&p->mu);
	return b;
}

void ct_pipeline_put_full(struct ct_pipeline *p, void *buf)
{
	pthread_mutex_lock(&p->mu);
	push(&p->full_q, buf);
	pthread_cond_signal(&p->has_full);
	pthread_mutex_unlock(&p->mu);
}

void *ct_pipeline_take_full(struct ct_pipeline *p)
{
	void *b = NULL;

	pthread_mutex_lock(&p->mu);
	while (!p->done && !p->full_q.n)
		pthread_cond_wait(&p->has_full, &p->mu);
	if (p->full_q.n)
		b = pop(&p->full_q);
	pthread_mutex_unlock(&p->mu);
	return b;
}

void ct_pipeline_put_free(struct ct_pipeline *p, void *buf)
{
	pthread_mutex_lock(&p->mu);
	push(&p->free_q, buf);
	pthread_cond_signal(&p->has_free);
	pthread_mutex_unlock(&p->mu);
}

void ct_pipeline_stop(struct ct_pipeline *p)
{
	pthread_mutex_lock(&p->mu);
	p->stopped = true;
	pthread_cond_signal(&p->has_free);
	pthread_mutex_unlock(&p->mu);
}

int ct_pipeline_join(struct ct_pipeline *p)
{
	int rc;

	ct_pipeline_stop(p);
	pthread_join(p->thread, NULL);
	rc = p->result;
	pthread_cond_destroy(&p->has_full);
	pthread_cond_destroy(&p->has_free);
	pthread_mutex_destroy(&p->mu);
	free(p);
	return rc;
}
