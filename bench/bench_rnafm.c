/* bench_rnafm: RNA-FM encoder throughput on TargetFM-shaped input (rows of 30 tokens, no
 * padding), full-size deterministic model (12 x 640, rna-fm.md section 9; speed does not depend
 * on the weights, so no checkpoint is needed). Reports tokens/s and CTS sites/s (one site = one
 * 30-token RNA-FM row: the miRNA row is computed once per miRNA and reused) for several batch
 * sizes with 1 and 2 threads (OpenBLAS threads inside each GEMM vs our threads, each with its own
 * workspace on half of the batch), GFLOP/s against a cblas_sgemm peak measured in the same run,
 * and the peak RSS against the weight size.
 * OpenBLAS's DYNAMIC_ARCH picks its Haswell kernels on this project's AVX-512 EPYC; its SkylakeX
 * kernels are about 1.5x faster there: compare with OPENBLAS_CORETYPE=SkylakeX bench_rnafm.
 * Usage: bench_rnafm [seconds per measurement, default 2] */
#include <cblas.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnafm.h"
#include "util.h"
#include "bench_util.h"

#define T 30

typedef struct {
    const tfm_rnafm_t *m;
    tfm_rnafm_ws_t *ws;
    const int *tok;
    float *rep;
    int B, reps, failed;
} job_t;

static void *run_job(void *arg)
{
    job_t *j = arg;
    tfm_rnafm_out_t out = {j->m->n_layers, j->rep, NULL, NULL};
    for (int r = 0; r < j->reps; r++)
        if (j->B && tfm_rnafm_forward(j->m, j->tok, j->B, T, &out, j->ws) < 0) j->failed = 1;
    return NULL;
}

/* Seconds for `reps` forwards of `B` rows with `nt` of our threads (a contiguous share of the
 * rows each) and `blas` OpenBLAS threads. */
static double run(const tfm_rnafm_t *m, tfm_rnafm_ws_t **ws, const int *tok, float *rep, int B, int reps, int nt,
                  int blas)
{
    openblas_set_num_threads(blas);
    job_t j[2];
    pthread_t th[2];
    double t0 = tfm_seconds();
    for (int i = 0; i < nt; i++) {
        int lo = B * i / nt, hi = B * (i + 1) / nt;
        j[i] = (job_t){m, ws[i], tok + (size_t)lo * T, rep + (size_t)lo * T * m->d, hi - lo, reps, 0};
        if (nt > 1) pthread_create(&th[i], NULL, run_job, &j[i]);
        else run_job(&j[i]);
    }
    if (nt > 1)
        for (int i = 0; i < nt; i++) pthread_join(th[i], NULL);
    for (int i = 0; i < nt; i++)
        if (j[i].failed) {
            fprintf(stderr, "bench_rnafm: %s\n", tfm_last_error());
            exit(1);
        }
    return tfm_seconds() - t0;
}

#define frand bench_frand

/* GFLOP/s (2 per multiply-add) of one sgemm of the shape of fc1 over `n` tokens, and of a
 * 2048^3 square one: the BLAS ceiling on this machine right now. */
static double sgemm_gflops(int M, int N, int K, int threads) { return 2 * bench_sgemm_gmacs(M, N, K, threads, 5); }

int main(int argc, char **argv)
{
    double secs = 2;
    if (argc > 1 && (tfm_parse_double(argv[1], &secs) < 0 || secs <= 0 || secs > 600)) {
        fprintf(stderr, "usage: bench_rnafm [seconds per measurement]\n");
        return 2;
    }
    double t0 = tfm_seconds();
    tfm_rnafm_t *m = tfm_rnafm_new_det(12, 640, 20, 5120, 1024, 1);
    if (!m) {
        fprintf(stderr, "bench_rnafm: %s\n", tfm_last_error());
        return 1;
    }
    double wbytes = m->n_params * 4.0, fl_tok = 2 * tfm_rnafm_macs_per_token(m, T);
    printf("RNA-FM 12x640 (deterministic weights, built in %.2f s): %.1f MB of float32 weights; "
           "%.3f GFLOP per token at T=%d\n", tfm_seconds() - t0, wbytes / 1e6, fl_tok / 1e9, T);
    printf("OpenBLAS: %s, kernels %s (OPENBLAS_CORETYPE=%s)\n", openblas_get_config(), openblas_get_corename(),
           getenv("OPENBLAS_CORETYPE") ? getenv("OPENBLAS_CORETYPE") : "unset");
    double pk1 = sgemm_gflops(2048, 2048, 2048, 1), pk2 = sgemm_gflops(2048, 2048, 2048, 2);
    double fc1 = sgemm_gflops(64 * T, 5120, 640, 1);
    printf("sgemm peak 2048^3: %.1f GFLOP/s (1 thread), %.1f GFLOP/s (2 threads); fc1 shape (1920x640 . 640x5120), "
           "1 thread: %.1f GFLOP/s\n", pk1, pk2, fc1);

    const int maxb = 128;
    int *tok = tfm_malloc(sizeof(int) * maxb * T);
    unsigned s = 5;
    for (int i = 0; i < maxb * T; i++) tok[i] = 4 + (int)((frand(&s) + 0.5f) * 4) % 4; /* A C G U */
    float *rep = tfm_malloc(sizeof(float) * maxb * T * m->d);
    tfm_rnafm_ws_t *ws[2] = {tfm_rnafm_ws_new(), tfm_rnafm_ws_new()};

    /* the machine is shared: the peak is measured again after the sweep and the larger kept */
    static const int batches[] = {1, 8, 32, 64, 128};
    static const struct { int nt, blas; const char *name; } cfg[] = {
        {1, 1, "1"}, {1, 2, "2 (OpenBLAS threads)"}, {2, 1, "2 (ours, ws each)"}};
    double res[5][3] = {{0}};
    for (size_t bi = 0; bi < sizeof batches / sizeof *batches; bi++) {
        int B = batches[bi];
        for (size_t c = 0; c < sizeof cfg / sizeof *cfg; c++) {
            if (cfg[c].nt > B) continue;
            /* calibrate the repetitions to about `secs`, then best of 3 */
            double t = run(m, ws, tok, rep, B, 1, cfg[c].nt, cfg[c].blas);
            int reps = (int)(secs / 3 / t) + 1;
            double best = 1e30;
            for (int k = 0; k < 3; k++) {
                double tt = run(m, ws, tok, rep, B, reps, cfg[c].nt, cfg[c].blas) / reps;
                if (tt < best) best = tt;
            }
            res[bi][c] = B * T / best;
        }
    }
    double pk1b = sgemm_gflops(2048, 2048, 2048, 1), pk2b = sgemm_gflops(2048, 2048, 2048, 2);
    printf("sgemm peak 2048^3 after the sweep: %.1f GFLOP/s (1 thread), %.1f GFLOP/s (2 threads)\n", pk1b, pk2b);
    if (pk1b > pk1) pk1 = pk1b;
    if (pk2b > pk2) pk2 = pk2b;
    printf("\n%-6s %-22s %10s %10s %9s %7s\n", "batch", "threads", "tokens/s", "sites/s", "GFLOP/s", "%peak");
    for (size_t bi = 0; bi < sizeof batches / sizeof *batches; bi++)
        for (size_t c = 0; c < sizeof cfg / sizeof *cfg; c++) {
            double tps = res[bi][c];
            if (tps == 0) continue;
            double gf = tps * fl_tok / 1e9, pk = cfg[c].nt * cfg[c].blas > 1 ? pk2 : pk1;
            printf("%-6d %-22s %10.0f %10.2f %9.1f %6.0f%%\n", batches[bi], cfg[c].name, tps, tps / T, gf, 100 * gf / pk);
        }
    size_t rss = tfm_peak_rss();
    printf("\npeak RSS %.1f MB = %.2f x the weights (%.1f MB); workspace per thread at batch %d: %.1f MB\n", rss / 1e6,
           rss / wbytes, wbytes / 1e6, maxb, maxb * T * (6.0 * m->d + m->ffn) * 4 / 1e6);
    tfm_rnafm_ws_free(ws[0]), tfm_rnafm_ws_free(ws[1]);
    tfm_rnafm_free(m);
    free(tok), free(rep);
    return 0;
}
