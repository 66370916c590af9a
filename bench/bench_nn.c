/* bench_nn: TargetNet and deepTarget forward throughput (windows/s, nominal GMAC/s) of the
 * fast path (fastnet.h, the default) per instruction-set build, with 1 and 2 of our own threads
 * (chunks of 256 windows handed out from a shared counter, one workspace per thread), beside the
 * layer-by-layer im2col + sgemm path and the sgemm peak on a large square GEMM measured in the
 * same run. Wall and process CPU time are both reported (the machine may be shared). The
 * weights are PyTorch's random initialisation (speed does not depend on them), so no data files
 * are needed.
 * Usage: bench_nn [total windows per measurement, default 200000] */
#include <cblas.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fastnet.h"
#include "model.h"
#include "train.h"
#include "util.h"
#include "bench_util.h"

#define frand bench_frand

static double cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* One-hot-like input: TargetNet, each column one letter per half; deepTarget, one letter per
 * column of each half; some columns empty. */
static float *random_input(tfm_arch_t arch, int n)
{
    int rows = arch == TFM_ARCH_DEEPTARGET ? 4 : 5, L = arch == TFM_ARCH_DEEPTARGET ? 30 : 50;
    size_t isz = (size_t)2 * rows * L;
    float *x = tfm_calloc(isz * (size_t)n, sizeof(float));
    unsigned s = 3;
    for (int b = 0; b < n; b++)
        for (int c = 0; c < L; c++)
            for (int h = 0; h < 2; h++) {
                int r = (int)((frand(&s) + 0.5f) * (rows + 1));  /* a row, or rows: empty */
                if (r < rows) x[(size_t)b * isz + (h * rows + r) * L + c] = 1.0f;
            }
    return x;
}

/* ------------------------------------------------------- our threads over chunks of a batch */

#define CHUNK 256

typedef struct {
    const tfm_model_t *m;
    tfm_model_ws_t *ws;
    const float *x;
    float *p;
    int n;
    atomic_int *next;
} job_t;

static void *run_job(void *arg)
{
    job_t *j = arg;
    for (;;) {
        int c = atomic_fetch_add(j->next, CHUNK);
        if (c >= j->n) break;
        int k = j->n - c < CHUNK ? j->n - c : CHUNK;
        tfm_model_forward(j->m, j->x + (size_t)c * tfm_model_input_size(j->m), k, j->p + c, j->ws);
    }
    return NULL;
}

typedef struct {
    double wall, cpu;
} timing_t;

/* One pass over n windows with nt threads; best of 3 by wall time. */
static timing_t run(const tfm_model_t *m, tfm_model_ws_t **ws, const float *x, float *p, int n, int nt)
{
    timing_t best = {1e30, 0};
    for (int r = 0; r < 3; r++) {
        atomic_int next = 0;
        job_t j[2];
        pthread_t th[2];
        double t0 = tfm_seconds(), c0 = cpu_seconds();
        for (int i = 0; i < nt; i++) {
            j[i] = (job_t){m, ws[i], x, p, n, &next};
            if (nt > 1) pthread_create(&th[i], NULL, run_job, &j[i]);
            else run_job(&j[i]);
        }
        if (nt > 1)
            for (int i = 0; i < nt; i++) pthread_join(th[i], NULL);
        timing_t t = {tfm_seconds() - t0, cpu_seconds() - c0};
        if (t.wall < best.wall) best = t;
    }
    return best;
}

static double sgemm_peak(int n, int threads) { return bench_sgemm_gmacs(n, n, n, threads, 4); }

static void row(const char *path, int nt, int n, timing_t t, double macs)
{
    double wps = n / t.wall;
    printf("%-22s %7d %12.0f %8.1f %9.3f %9.3f %12.0f\n", path, nt, wps, wps * macs / 1e9, t.wall, t.cpu,
           n / t.cpu);
}

int main(int argc, char **argv)
{
    long total = 200000;
    if (argc > 1 && strcmp(argv[1], "--peak") == 0) { /* for bench/score.sh: the peak alone */
        printf("sgemm 2048^3 peak: %.1f GMAC/s (1 thread), %.1f GMAC/s (2 threads)\n", sgemm_peak(2048, 1),
               sgemm_peak(2048, 2));
        return 0;
    }
    if (argc > 1 && tfm_parse_long(argv[1], 1000, 100000000, &total)) {
        fprintf(stderr, "usage: bench_nn [windows per measurement]\n");
        return 2;
    }
    int n = (int)total;
    printf("%ld windows per measurement, best of 3 by wall time; our threads take chunks of %d\n", total, CHUNK);
    printf("OpenBLAS: %s\n", openblas_get_config());
    double pk1 = sgemm_peak(2048, 1), pk2 = sgemm_peak(2048, 2);
    printf("sgemm 2048^3 peak: %.1f GMAC/s (1 thread), %.1f GMAC/s (2 threads)\n", pk1, pk2);
    openblas_set_num_threads(1);
    static const tfm_arch_t arch[2] = {TFM_ARCH_TARGETNET, TFM_ARCH_DEEPTARGET};
    for (int a = 0; a < 2; a++) {
        tfm_model_t *m = tfm_train_model_new(arch[a], 1, 0);
        if (!m) {
            fprintf(stderr, "bench_nn: %s\n", tfm_last_error());
            return 1;
        }
        double macs = tfm_model_macs(m);
        printf("\n%s forward: %.0f multiply-adds per window (nominal; GMAC/s below are nominal)\n",
               tfm_model_arch_name(arch[a]), macs);
        float *x = random_input(arch[a], n), *p = tfm_malloc(sizeof(float) * n);
        printf("%-22s %7s %12s %8s %9s %9s %12s\n", "path", "threads", "windows/s", "GMAC/s", "wall s", "cpu s",
               "win/cpu-s");
        tfm_model_ws_t *ws[2] = {tfm_model_ws_new(m, 0), tfm_model_ws_new(m, 0)};
        const char *dflt = tfm_fastnet_isa(m->fast);
        static const char *isa[] = {"avx512", "avx2", "scalar"};
        for (int k = 0; k < 3; k++) {
            if (tfm_fastnet_set_isa(m->fast, isa[k])) continue;
            char label[32];
            snprintf(label, sizeof label, "fast %s%s", isa[k], strcmp(isa[k], dflt) ? "" : " (default)");
            int nk = k == 2 ? n / 100 : n;  /* the scalar build is slow without inlined FMA */
            for (int nt = 1; nt <= 2; nt++) row(label, nt, nk, run(m, ws, x, p, nk, nt), macs);
        }
        tfm_fastnet_set_isa(m->fast, dflt);
        tfm_model_ws_set_gemm(ws[0], 1), tfm_model_ws_set_gemm(ws[1], 1);
        for (int nt = 1; nt <= 2; nt++) row("im2col+sgemm", nt, n / 2, run(m, ws, x, p, n / 2, nt), macs);
        tfm_model_ws_free(ws[0]), tfm_model_ws_free(ws[1]);
        tfm_model_free(m);
        free(x), free(p);
    }
    return 0;
}
