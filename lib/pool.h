/* pool: a fixed set of worker threads that run "for i in 0..n: fn(ctx, i, thread)" with the
 * calling thread taking part. Items are taken in order from a shared counter, so callers that
 * give each item its own output buffer get output independent of the thread count. */
#ifndef TFM_POOL_H
#define TFM_POOL_H

#include <stddef.h>

typedef struct tfm_pool tfm_pool_t;
typedef void (*tfm_pool_fn)(void *ctx, size_t item, int thread);

/* nthreads >= 1 (1: no extra threads; everything runs in the caller). */
tfm_pool_t *tfm_pool_new(int nthreads);
int tfm_pool_threads(const tfm_pool_t *p);
/* Run fn on items 0..n-1 and return when all are done. */
void tfm_pool_run(tfm_pool_t *p, size_t n, tfm_pool_fn fn, void *ctx);
void tfm_pool_free(tfm_pool_t *p);

#endif
