/* bench_nn: TargetNet forward throughput (windows/s, GMAC/s) with 1 and 2 threads, OpenBLAS's
 * own threads vs ours (one workspace per thread, batch split in halves), batches of 256-4096,
 * and the sgemm peak on a large square GEMM measured in the same run. The weights are random
 * (speed does not depend on them), so no data files are needed.
 * Usage: bench_nn [total windows per measurement, default 50000] */
#include <cblas.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "util.h"

static float frand(unsigned *s)
{
    *s = *s * 1664525u + 1013904223u;
    return (float)(*s >> 8) / 16777216.0f - 0.5f;
}

static tfm_tensor_t TENS[8];
static const tfm_tensor_t *get(void *ctx, const char *name)
{
    (void)ctx;
    for (int i = 0; i < 8; i++)
        if (strcmp(TENS[i].name, name) == 0) return &TENS[i];
    return NULL;
}

static tfm_model_t *random_targetnet(void)
{
    static const struct { const char *n; int nd; int s[3]; } t[] = {
        {"stem.0.conv.1.weight", 3, {16, 10, 5}}, {"stem.1.conv.1.weight", 3, {16, 16, 5}},
        {"stage1.0.conv1.1.weight", 3, {16, 16, 3}}, {"stage1.0.conv2.1.weight", 3, {16, 16, 3}},
        {"stage2.0.conv1.1.weight", 3, {32, 16, 3}}, {"stage2.0.conv2.1.weight", 3, {32, 32, 3}},
        {"linear.weight", 2, {1, 512}}, {"linear.bias", 1, {1}}};
    unsigned s = 1;
    for (int i = 0; i < 8; i++) {
        TENS[i].name = (char *)t[i].n;
        TENS[i].ndim = t[i].nd;
        TENS[i].numel = 1;
        for (int d = 0; d < t[i].nd; d++) TENS[i].shape[d] = t[i].s[d], TENS[i].numel *= t[i].s[d];
        TENS[i].data = tfm_malloc(sizeof(float) * TENS[i].numel);
        for (int64_t j = 0; j < TENS[i].numel; j++) TENS[i].data[j] = 0.3f * frand(&s);
    }
    return tfm_model_bind(TFM_ARCH_TARGETNET, get, NULL);
}

/* ------------------------------------------------------------------- our threads over a batch */

typedef struct {
    const tfm_model_t *m;
    tfm_model_ws_t *ws;
    const float *x;
    float *p;
    int n, reps;
} job_t;

static void *run_job(void *arg)
{
    job_t *j = arg;
    for (int r = 0; r < j->reps; r++) tfm_model_forward(j->m, j->x, j->n, j->p, j->ws);
    return NULL;
}

/* Seconds for `reps` forwards of `batch` windows with `nt` of our threads (each a contiguous
 * share of the batch) and `blas` OpenBLAS threads. */
static double run(const tfm_model_t *m, tfm_model_ws_t **ws, const float *x, float *p, int batch, int reps, int nt,
                  int blas)
{
    openblas_set_num_threads(blas);
    job_t j[2];
    pthread_t th[2];
    double t0 = tfm_seconds();
    for (int i = 0; i < nt; i++) {
        int lo = (int)((long)batch * i / nt), hi = (int)((long)batch * (i + 1) / nt);
        j[i] = (job_t){m, ws[i], x + (size_t)lo * 500, p + lo, hi - lo, reps};
        if (nt > 1) pthread_create(&th[i], NULL, run_job, &j[i]);
        else run_job(&j[i]);
    }
    if (nt > 1)
        for (int i = 0; i < nt; i++) pthread_join(th[i], NULL);
    return tfm_seconds() - t0;
}

static double best_of(int n, const tfm_model_t *m, tfm_model_ws_t **ws, const float *x, float *p, int batch,
                      int reps, int nt, int blas)
{
    double best = 1e30;
    for (int i = 0; i < n; i++) {
        double t = run(m, ws, x, p, batch, reps, nt, blas);
        if (t < best) best = t;
    }
    return best;
}

static double sgemm_peak(int n, int threads)
{
    openblas_set_num_threads(threads);
    float *a = tfm_malloc(sizeof(float) * n * n), *b = tfm_malloc(sizeof(float) * n * n),
          *c = tfm_malloc(sizeof(float) * n * n);
    unsigned s = 7;
    for (int i = 0; i < n * n; i++) a[i] = frand(&s), b[i] = frand(&s);
    double best = 1e30;
    for (int r = 0; r < 4; r++) {
        double t0 = tfm_seconds();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a, n, b, n, 0.0f, c, n);
        double t = tfm_seconds() - t0;
        if (t < best) best = t;
    }
    free(a), free(b), free(c);
    return (double)n * n * n / best / 1e9;
}

int main(int argc, char **argv)
{
    long total = 50000;
    if (argc > 1 && tfm_parse_long(argv[1], 1000, 100000000, &total)) {
        fprintf(stderr, "usage: bench_nn [windows per measurement]\n");
        return 2;
    }
    tfm_model_t *m = random_targetnet();
    if (!m) {
        fprintf(stderr, "bench_nn: %s\n", tfm_last_error());
        return 1;
    }
    double macs = tfm_model_macs(m);
    printf("TargetNet forward: %.0f multiply-adds per window; %ld windows per measurement, best of 3\n", macs, total);
    printf("OpenBLAS: %s\n", openblas_get_config());
    double pk1 = sgemm_peak(2048, 1), pk2 = sgemm_peak(2048, 2);
    printf("sgemm 2048^3 peak: %.1f GMAC/s (1 thread), %.1f GMAC/s (2 threads)\n", pk1, pk2);

    const int maxb = 4096;
    float *x = tfm_malloc(sizeof(float) * 500 * maxb), *p = tfm_malloc(sizeof(float) * maxb);
    unsigned s = 3;
    for (int i = 0; i < 500 * maxb; i++) x[i] = frand(&s) > 0.3f ? 1.0f : 0.0f;

    /* chunk size sweep, 1 thread, batch 4096 */
    printf("\nchunk size (windows per internal GEMM pass), 1 thread, batch 4096:\n");
    static const int chunks[] = {8, 16, 32, 64, 128, 256, 0};
    for (int c = 0; c < 7; c++) {
        tfm_model_ws_t *ws[1] = {tfm_model_ws_new(m, chunks[c])};
        int reps = (int)(total / maxb) + 1;
        double t = best_of(3, m, ws, x, p, maxb, reps, 1, 1);
        double wps = (double)reps * maxb / t;
        char label[16];
        snprintf(label, sizeof label, chunks[c] ? "%d" : "default", chunks[c]);
        printf("  chunk %-8s %9.0f windows/s  %5.1f GMAC/s\n", label, wps, wps * macs / 1e9);
        tfm_model_ws_free(ws[0]);
    }

    printf("\n%-6s %-28s %12s %8s\n", "batch", "threads", "windows/s", "GMAC/s");
    static const int batches[] = {256, 1024, 4096};
    for (int bi = 0; bi < 3; bi++) {
        int B = batches[bi], reps = (int)(total / B) + 1;
        static const struct { int nt, blas; const char *what; } modes[] = {
            {1, 1, "1 (OpenBLAS 1)"}, {1, 2, "2 OpenBLAS threads"}, {2, 1, "2 own threads (OpenBLAS 1)"}};
        for (int k = 0; k < 3; k++) {
            tfm_model_ws_t *ws[2] = {tfm_model_ws_new(m, 0), tfm_model_ws_new(m, 0)};
            /* chunk = whole share of the batch for OpenBLAS threading: bigger GEMMs to split */
            if (modes[k].blas > 1) {
                tfm_model_ws_free(ws[0]);
                ws[0] = tfm_model_ws_new(m, B);
            }
            double t = best_of(3, m, ws, x, p, B, reps, modes[k].nt, modes[k].blas);
            double wps = (double)reps * B / t;
            printf("%-6d %-28s %12.0f %8.1f\n", B, modes[k].what, wps, wps * macs / 1e9);
            tfm_model_ws_free(ws[0]), tfm_model_ws_free(ws[1]);
        }
    }
    tfm_model_free(m);
    free(x), free(p);
    for (int i = 0; i < 8; i++) free(TENS[i].data);
    return 0;
}
