/* bench_util.h: what the benchmark programs share: a fixed pseudo-random fill and the
 * cblas_sgemm throughput that their own figures are compared with. */
#ifndef TFM_BENCH_UTIL_H
#define TFM_BENCH_UTIL_H

#include <cblas.h>
#include <stdlib.h>

#include "util.h"

static inline float bench_frand(unsigned *s)
{
    *s = *s * 1664525u + 1013904223u;
    return (float)(*s >> 8) / 16777216.0f - 0.5f;
}

/* Billions of multiply-adds per second of C(M,N) = A(M,K) B^T with B stored (N,K): the best of
 * `reps` runs with `threads` OpenBLAS threads. */
static inline double bench_sgemm_gmacs(int M, int N, int K, int threads, int reps)
{
    openblas_set_num_threads(threads);
    float *a = tfm_malloc(sizeof(float) * M * K), *b = tfm_malloc(sizeof(float) * N * K),
          *c = tfm_malloc(sizeof(float) * M * N);
    unsigned s = 7;
    for (long i = 0; i < (long)M * K; i++) a[i] = bench_frand(&s);
    for (long i = 0; i < (long)N * K; i++) b[i] = bench_frand(&s);
    double best = 1e30;
    for (int r = 0; r < reps; r++) {
        double t0 = tfm_seconds();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, M, N, K, 1.0f, a, K, b, K, 0.0f, c, N);
        double t = tfm_seconds() - t0;
        if (t < best) best = t;
    }
    free(a), free(b), free(c);
    return (double)M * N * K / best / 1e9;
}

#endif
