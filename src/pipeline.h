/*
 * pipeline.h - hand filled buffers from one producer thread to the
 * calling thread, in order, through a small fixed set of reusable buffers.
 *
 * The caller owns the buffers and what is in them; the pipeline only
 * passes pointers back and forth (free -> producer -> full -> consumer ->
 * free), so memory is bounded by the buffers given at the start. The
 * consumer can stop the producer early (e.g. after an error of its own).
 * Depends on POSIX threads only; knows nothing about what the buffers
 * hold and never prints.
 */
#ifndef CT_SRC_PIPELINE_H
#define CT_SRC_PIPELINE_H

#include "ct.h"

struct ct_pipeline;

/* The producer: runs on its own thread; its return value comes back from
 * ct_pipeline_join(). */
typedef int ct_pipeline_fn(struct ct_pipeline *p, void *arg);

/**
 * Start fn(p, arg) on a new thread with n (<= 16) free buffers.
 *
 * @param bufs  borrowed: the n buffer pointers are copied; the buffers
 *              themselves stay the caller's and must outlive the pipeline.
 * @return new pipeline (ended by ct_pipeline_join()), or NULL when no
 *         thread could be started (the caller then does the work itself).
 */
struct ct_pipeline *ct_pipeline_start(void *const *bufs, size_t n,
				      ct_pipeline_fn *fn, void *arg);

/**
 * Producer: wait for a free buffer.
 *
 * @return a buffer (borrowed until handed back with ct_pipeline_put_full()),
 *         or NULL once the consumer has called ct_pipeline_stop(): the
 *         producer should then return.
 */
void *ct_pipeline_take_free(struct ct_pipeline *p);

/* Producer: hand a filled buffer to the consumer. Never blocks. */
void ct_pipeline_put_full(struct ct_pipeline *p, void *buf);

/**
 * Consumer: wait for the next filled buffer, in the order they were put.
 *
 * @return a buffer (give it back with ct_pipeline_put_free()), or NULL
 *         when the producer has returned and every filled buffer has been
 *         taken.
 */
void *ct_pipeline_take_full(struct ct_pipeline *p);

/* Consumer: give a buffer back to the producer. Never blocks. */
void ct_pipeline_put_free(struct ct_pipeline *p, void *buf);

/* Consumer: make ct_pipeline_take_free() return NULL from now on. Keep
 * taking filled buffers until NULL, or go straight to the join. */
void ct_pipeline_stop(struct ct_pipeline *p);

/**
 * Stop the producer if it still runs, wait for its thread to end and free
 * the pipeline; NULL is not allowed.
 *
 * @return what fn returned.
 */
int ct_pipeline_join(struct ct_pipeline *p);

#endif
