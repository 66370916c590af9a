/* bench_rnafm: RNA-FM encoder throughput on TargetFM-shaped input (rows of 30 tokens, no
 * padding), full-size deterministic model (12 x 640, rna-fm.md section 9; speed does not depend
 * on the weights, so no checkpoint is needed). Reports tokens/s and CTS sites/s (one site = one
 * 30-token RNA-FM row: with tfm-score's miRNA cache the miRNA row is computed once per miRNA and
 * reused) for several batch sizes with 1 and 2 threads (our threads, each with its own workspace
 * on half of the batch; for small batches also OpenBLAS threads inside each GEMM); the encoder's
 * GFLOP/s and, from the workspace profile, those of its GEMM calls alone, both against a
 * cblas_sgemm peak measured in the same run; the peak RSS against the weight size; then the same
 * rows, batches and thread counts through bench/rnafm_torch.py (PyTorch on the CPU, same weights,
 * its output checked against ours), skipped with one line when python3 has no torch.
 * OpenBLAS's DYNAMIC_ARCH picks its Haswell kernels on this project's AVX-512 EPYC; its SkylakeX
 * kernels are faster there: compare with OPENBLAS_CORETYPE=SkylakeX bench_rnafm.
 * Usage: bench_rnafm [seconds per measurement, default 2]
 * Environment: TFM_BENCH_DIR (where rnafm_torch.py is, default bench), PYTHON (/usr/bin/python3). */
#include <cblas.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rnafm.h"
#include "util.h"
#include "bench_util.h"

#define T 30
#define MAXB 128 /* rows of the token matrix: the largest batch */
#define NREF 4   /* rows whose representations the PyTorch run is checked against */

typedef struct {
    const tfm_rnafm_t *m;
    tfm_rnafm_ws_t *ws;
    const int *tok;
    float *rep;
    int B, failed;
} job_t;

static void *run_job(void *arg)
{
    job_t *j = arg;
    tfm_rnafm_out_t out = {j->m->n_layers, j->rep, NULL, NULL};
    if (j->B && tfm_rnafm_forward(j->m, j->tok, j->B, T, &out, j->ws) < 0) j->failed = 1;
    return NULL;
}

/* Seconds for one forward of `B` rows with `nt` of our threads (a contiguous share of the rows
 * each) and `blas` OpenBLAS threads. */
static double run(const tfm_rnafm_t *m, tfm_rnafm_ws_t **ws, const int *tok, float *rep, int B, int nt, int blas)
{
    openblas_set_num_threads(blas);
    job_t j[2];
    pthread_t th[2];
    double t0 = tfm_seconds();
    for (int i = 0; i < nt; i++) {
        int lo = B * i / nt, hi = B * (i + 1) / nt;
        j[i] = (job_t){m, ws[i], tok + (size_t)lo * T, rep + (size_t)lo * T * m->d, hi - lo, 0};
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

/* GFLOP/s (2 per multiply-add) of a 2048^3 sgemm: the BLAS ceiling on this machine right now. */
static double sgemm_peak(int threads) { return 2 * bench_sgemm_gmacs(2048, 2048, 2048, threads, 5); }

typedef struct {
    int B, nt, blas;
    const char *name;
    double tps;               /* tokens/s of the best forward */
    double gemm_gf, gemm_share; /* GEMM GFLOP/s (summed over threads) and share of the encoder time */
} result_t;

/* One configuration: a warm-up forward, then forwards until `secs` (at least 2); the best one
 * gives tokens/s and, from its workspace profiles, the GEMM figures (the machine is shared: the
 * best forward is the one least disturbed). */
static void measure(const tfm_rnafm_t *m, tfm_rnafm_ws_t **ws, const int *tok, float *rep, double secs, result_t *r)
{
    run(m, ws, tok, rep, r->B, r->nt, r->blas);
    double best = 1e30, spent = 0;
    for (int k = 0; k < 2 || spent < secs; k++) {
        for (int i = 0; i < r->nt; i++) *tfm_rnafm_ws_prof(ws[i]) = (tfm_rnafm_prof_t){0};
        double t = run(m, ws, tok, rep, r->B, r->nt, r->blas), gf = 0, gs = 0, ts = 0;
        spent += t;
        if (t >= best) continue;
        best = t;
        for (int i = 0; i < r->nt; i++) {
            const tfm_rnafm_prof_t *p = tfm_rnafm_ws_prof(ws[i]);
            gf += p->gemm_flop / p->gemm_s / 1e9, gs += p->gemm_s, ts += p->total_s;
        }
        r->gemm_gf = gf, r->gemm_share = gs / ts;
    }
    r->tps = r->B * T / best;
}

static int write_raw(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(p, 1, n, f) == n;
    if (f && fclose(f) != 0) ok = 0;
    return ok ? 0 : -1;
}

/* The PyTorch side: same rows (written to a file), same batches and threads; its output checked
 * against ours on the first NREF rows. Prints its figures beside ours; never fails the bench. */
static void torch_compare(const int *tok, const float *ref, const result_t *res, int nres, double secs)
{
    const char *py = getenv("PYTHON") ? getenv("PYTHON") : "/usr/bin/python3";
    const char *dir = getenv("TFM_BENCH_DIR") ? getenv("TFM_BENCH_DIR") : "bench";
    char script[4096], cmd[8192 + 256], tokf[64], reff[64];
    snprintf(script, sizeof script, "%s/rnafm_torch.py", dir);
    snprintf(cmd, sizeof cmd, "'%s' -c 'import torch' >/dev/null 2>&1", py);
    if (access(script, R_OK) != 0 || system(cmd) != 0) {
        printf("\nPyTorch comparison: skipped (%s cannot import torch%s)\n", py,
               access(script, R_OK) != 0 ? ", or no rnafm_torch.py in $TFM_BENCH_DIR" : "");
        return;
    }
    snprintf(tokf, sizeof tokf, "/tmp/bench_rnafm_tok_%ld.i32", (long)getpid());
    snprintf(reff, sizeof reff, "/tmp/bench_rnafm_ref_%ld.f32", (long)getpid());
    if (write_raw(tokf, tok, sizeof(int) * MAXB * T) < 0 || write_raw(reff, ref, sizeof(float) * NREF * T * 640) < 0) {
        printf("\nPyTorch comparison: skipped (cannot write %s)\n", tokf);
        remove(tokf), remove(reff);
        return;
    }
    snprintf(cmd, sizeof cmd, "'%s' '%s' %s %s %d 32,%d 1,2 %g", py, script, tokf, reff, NREF, MAXB, secs);
    printf("\nPyTorch %s (bench/rnafm_torch.py: the same weights, rows, batches and thread counts; "
           "torch.set_num_threads, inference_mode, float32):\n", "CPU");
    fflush(stdout);
    FILE *p = popen(cmd, "r");
    char line[256];
    int nrate = 0;
    struct { int B, nt; double tps; char blas[16]; } rate[8];
    while (p && fgets(line, sizeof line, p)) {
        double diff;
        int n;
        if (sscanf(line, "check\t%lf\t%d", &diff, &n) == 2)
            printf("  check: max |torch - tfm| = %.3g on representations[12] of %d rows (%s)\n", diff, n,
                   diff < 1e-3 ? "the same computation" : "MISMATCH: the figures below do not compare");
        else if (nrate < 8 && sscanf(line, "rate\t%d\t%d\t%lf\t%15s", &rate[nrate].B, &rate[nrate].nt, &rate[nrate].tps,
                                     rate[nrate].blas) == 4)
            nrate++;
    }
    int rc = p ? pclose(p) : -1;
    remove(tokf), remove(reff);
    if (rc != 0 || !nrate) {
        printf("  PyTorch run failed (status %d): no comparison\n", rc);
        return;
    }
    printf("  %-6s %-8s %14s %14s %13s %9s %8s\n", "batch", "threads", "tfm tokens/s", "torch tokens/s", "torch sites/s",
           "BLAS thr", "tfm/torch");
    for (int i = 0; i < nrate; i++) {
        double best = 0; /* tfm's best configuration with this batch and thread count */
        for (int k = 0; k < nres; k++)
            if (res[k].B == rate[i].B && res[k].nt * res[k].blas == rate[i].nt && res[k].tps > best) best = res[k].tps;
        printf("  %-6d %-8d %14.0f %14.0f %13.2f %9s %7.2fx\n", rate[i].B, rate[i].nt, best, rate[i].tps,
               rate[i].tps / T, rate[i].blas, best / rate[i].tps);
    }
}

int main(int argc, char **argv)
{
    double secs = 2;
    if (argc > 1 && (tfm_parse_double(argv[1], &secs) < 0 || secs <= 0 || secs > 600)) {
        fprintf(stderr, "usage: bench_rnafm [seconds per measurement]\n");
        return 2;
    }
    /* the BLAS ceiling before the model exists, so that its 50 MB of matrices do not count in
     * the encoder's peak RSS */
    double pk[3] = {0, sgemm_peak(1), sgemm_peak(2)};
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
    printf("sgemm peak 2048^3: %.1f GFLOP/s (1 thread), %.1f GFLOP/s (2 threads)\n", pk[1], pk[2]);

    int *tok = tfm_malloc(sizeof(int) * MAXB * T);
    unsigned s = 5;
    for (int i = 0; i < MAXB * T; i++) tok[i] = 4 + (int)((bench_frand(&s) + 0.5f) * 4) % 4; /* A C G U */
    float *rep = tfm_malloc(sizeof(float) * MAXB * T * m->d);
    tfm_rnafm_ws_t *ws[2] = {tfm_rnafm_ws_new(), tfm_rnafm_ws_new()};

    /* OpenBLAS threads inside each GEMM only where a batch is too small to split between ours */
    static const int batches[] = {1, 8, 32, MAXB};
    static const struct { int nt, blas, max_b; const char *name; } cfg[] = {
        {1, 1, MAXB, "1"}, {2, 1, MAXB, "2 (ours, ws each)"}, {1, 2, 8, "2 (OpenBLAS threads)"}};
    result_t res[16];
    int nres = 0;
    for (size_t bi = 0; bi < sizeof batches / sizeof *batches; bi++)
        for (size_t c = 0; c < sizeof cfg / sizeof *cfg; c++) {
            if (cfg[c].nt > batches[bi] || batches[bi] > cfg[c].max_b) continue;
            res[nres] = (result_t){batches[bi], cfg[c].nt, cfg[c].blas, cfg[c].name, 0, 0, 0};
            measure(m, ws, tok, rep, secs, &res[nres++]);
        }
    size_t rss = tfm_peak_rss();
    /* reference rows for the PyTorch check; then the model is freed before the BLAS peak is taken
     * again (the machine is shared: the larger of the two is kept) and python loads its own */
    tfm_rnafm_out_t out = {m->n_layers, rep, NULL, NULL};
    if (tfm_rnafm_forward(m, tok, NREF, T, &out, ws[0]) < 0) {
        fprintf(stderr, "bench_rnafm: %s\n", tfm_last_error());
        return 1;
    }
    double wbytes_pass = TFM_RNAFM_PASS_TOKENS * (2.0 * m->d + m->ffn) * 4;
    tfm_rnafm_ws_free(ws[0]), tfm_rnafm_ws_free(ws[1]);
    tfm_rnafm_free(m);
    double pk1b = sgemm_peak(1), pk2b = sgemm_peak(2);
    printf("sgemm peak 2048^3 after the sweep: %.1f GFLOP/s (1 thread), %.1f GFLOP/s (2 threads)\n", pk1b, pk2b);
    if (pk1b > pk[1]) pk[1] = pk1b;
    if (pk2b > pk[2]) pk[2] = pk2b;
    printf("\ntfm (C, OpenBLAS): sites/s = CTS rows/s (miRNA rows cached: once per miRNA); encoder = whole forward,\n"
           "GEMM = inside its cblas_sgemm calls only (the rest: attention, LayerNorm, GELU, biases, embedding)\n");
    printf("%-6s %-22s %10s %9s %9s %7s %9s %7s %8s\n", "batch", "threads", "tokens/s", "sites/s", "GFLOP/s", "%peak",
           "GEMM GF/s", "%peak", "GEMM/enc");
    for (int i = 0; i < nres; i++) {
        const result_t *r = &res[i];
        double gf = r->tps * fl_tok / 1e9, p = pk[r->nt * r->blas];
        printf("%-6d %-22s %10.0f %9.2f %9.1f %6.0f%% %9.1f %6.0f%% %7.0f%%\n", r->B, r->name, r->tps, r->tps / T, gf,
               100 * gf / p, r->gemm_gf, 100 * r->gemm_gf / p, 100 * r->gemm_share);
    }
    printf("\npeak RSS of the runs above %.1f MB = %.2f x the weights (%.1f MB; target < 1.3 x = %.0f MB: %s); "
           "workspace per thread %.1f MB (passes of at most %d tokens)\n", rss / 1e6, rss / wbytes, wbytes / 1e6,
           1.3 * wbytes / 1e6, rss < 1.3 * wbytes ? "met" : "MISSED", wbytes_pass / 1e6, TFM_RNAFM_PASS_TOKENS);
    torch_compare(tok, rep, res, nres, secs);
    free(tok), free(rep);
    return 0;
}
