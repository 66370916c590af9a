#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "util.h"

struct tfm_pool {
    int nthreads;
    pthread_t *tid;
    pthread_mutex_t mu;
    pthread_cond_t start, done;
    unsigned long generation; /* bumped for every run */
    int busy;                 /* workers still inside the current run */
    int quit;
    tfm_pool_fn fn;
    void *ctx;
    size_t n;
    atomic_size_t next;
};

typedef struct {
    tfm_pool_t *p;
    int index;
} worker_arg_t;

static void drain(tfm_pool_t *p, int thread)
{
    size_t i;
    while ((i = atomic_fetch_add(&p->next, 1)) < p->n) p->fn(p->ctx, i, thread);
}

static void *worker(void *arg)
{
    worker_arg_t *w = arg;
    tfm_pool_t *p = w->p;
    unsigned long seen = 0;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->quit && p->generation == seen) pthread_cond_wait(&p->start, &p->mu);
        if (p->quit) break;
        seen = p->generation;
        pthread_mutex_unlock(&p->mu);
        drain(p, w->index);
        pthread_mutex_lock(&p->mu);
        if (--p->busy == 0) pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    free(w);
    return NULL;
}

tfm_pool_t *tfm_pool_new(int nthreads)
{
    tfm_pool_t *p = tfm_calloc(1, sizeof *p);
    p->nthreads = nthreads < 1 ? 1 : nthreads;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->start, NULL);
    pthread_cond_init(&p->done, NULL);
    p->tid = tfm_calloc(p->nthreads, sizeof *p->tid);
    for (int i = 1; i < p->nthreads; i++) {
        worker_arg_t *w = tfm_malloc(sizeof *w);
        w->p = p;
        w->index = i;
        pthread_create(&p->tid[i], NULL, worker, w);
    }
    return p;
}

int tfm_pool_threads(const tfm_pool_t *p) { return p->nthreads; }

void tfm_pool_run(tfm_pool_t *p, size_t n, tfm_pool_fn fn, void *ctx)
{
    if (n == 0) return;
    if (p->nthreads == 1 || n == 1) {
        for (size_t i = 0; i < n; i++) fn(ctx, i, 0);
        return;
    }
    pthread_mutex_lock(&p->mu);
    p->fn = fn;
    p->ctx = ctx;
    p->n = n;
    atomic_store(&p->next, 0);
    p->busy = p->nthreads - 1;
    p->generation++;
    pthread_cond_broadcast(&p->start);
    pthread_mutex_unlock(&p->mu);
    drain(p, 0);
    pthread_mutex_lock(&p->mu);
    while (p->busy > 0) pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

void tfm_pool_free(tfm_pool_t *p)
{
    if (!p) return;
    pthread_mutex_lock(&p->mu);
    p->quit = 1;
    pthread_cond_broadcast(&p->start);
    pthread_mutex_unlock(&p->mu);
    for (int i = 1; i < p->nthreads; i++) pthread_join(p->tid[i], NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->start);
    pthread_cond_destroy(&p->done);
    free(p->tid);
    free(p);
}
