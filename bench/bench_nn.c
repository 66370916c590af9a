/* bench_nn: TargetNet and deepTarget forward throughput (windows/s, nominal GMAC/s) of the
 * fast path (fastnet.h, the default) per instruction-set build, with 1 and 2 of our own threads
 * (chunks of 256 windows handed out from a shared counter, one workspace per thread), beside the
 * layer-by-layer im2col + sgemm path and the sgemm peak on a large square GEMM measured in the
 * same run. Wall and process CPU time are both reported (the machine may be shared). The
 * weights are PyTorch's random initialisation (speed does not depend on them), so no data files
 * are needed.
 * Then training: the GEMMs of one chunk of a training step (forward and backward, as lib/nn
 * calls them) with cblas_sgemm, the path before lib/gemm, beside tfm_gemm per build; and whole
 * training steps (tfm_train_backward + tfm_train_update, batch 32, 1 thread) per build.
 * Usage: bench_nn [total windows per measurement, default 200000]; bench_nn --train: training only */
#include <cblas.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fastnet.h"
#include "gemm.h"
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

/* ------------------------------------------------------------------------------- training */

typedef struct {
    int Cin, Cout, K, L, pad, din; /* din: the backward also computes the input's gradient */
} conv_t;

typedef struct {
    int M, N, K;
    unsigned fl, old; /* flags of the tfm_gemm call, and of the cblas_sgemm call it replaced */
} gemm_t;

/* The GEMMs of one training chunk of Bc samples, forward and backward, in the shapes and with
 * the flags lib/nn.c and lib/nn_grad.c use: per conv the forward, dw and (din) dcol; per linear
 * (Din, Dout) the forward, din and dw. The conv's dw was dout . col^T with sgemm, and is
 * dout . colT with tfm_gemm (im2row: a transposed operand would be packed). Returns the count. */
static int chunk_gemms(gemm_t *g, const conv_t *cv, int ncv, const int (*lin)[2], int nlin, int Bc)
{
    int n = 0;
    for (int i = 0; i < ncv; i++) {
        int nn = Bc * (cv[i].L + 2 * cv[i].pad - cv[i].K + 1), ck = cv[i].Cin * cv[i].K;
        g[n++] = (gemm_t){cv[i].Cout, nn, ck, TFM_GEMM_ACC, TFM_GEMM_ACC};
        g[n++] = (gemm_t){cv[i].Cout, ck, nn, TFM_GEMM_ACC, TFM_GEMM_TB | TFM_GEMM_ACC};
        if (cv[i].din) g[n++] = (gemm_t){ck, nn, cv[i].Cout, TFM_GEMM_TA, TFM_GEMM_TA};
    }
    for (int i = 0; i < nlin; i++) {
        g[n++] = (gemm_t){Bc, lin[i][1], lin[i][0], TFM_GEMM_TB | TFM_GEMM_ACC, TFM_GEMM_TB | TFM_GEMM_ACC};
        g[n++] = (gemm_t){Bc, lin[i][0], lin[i][1], TFM_GEMM_ACC, TFM_GEMM_ACC};
        g[n++] = (gemm_t){lin[i][1], lin[i][0], Bc, TFM_GEMM_TA | TFM_GEMM_ACC, TFM_GEMM_TA | TFM_GEMM_ACC};
    }
    return n;
}

/* CPU seconds per pass over the n GEMMs (best of 5 runs of reps passes; CPU time, not wall: the
 * machine may be shared); sgemm: cblas_sgemm. */
static double time_gemms(const gemm_t *g, int n, float *a, float *b, float *c, int sgemm, int reps)
{
    double best = 1e30;
    for (int r = 0; r < 5; r++) {
        double t0 = cpu_seconds();
        for (int p = 0; p < reps; p++)
            for (int i = 0; i < n; i++) {
                unsigned fl = sgemm ? g[i].old : g[i].fl;
                int ta = fl & TFM_GEMM_TA, tb = fl & TFM_GEMM_TB;
                int lda = ta ? g[i].M : g[i].K, ldb = tb ? g[i].K : g[i].N;
                if (sgemm)
                    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, g[i].M,
                                g[i].N, g[i].K, 1.0f, a, lda, b, ldb, fl & TFM_GEMM_ACC ? 1.0f : 0.0f, c, g[i].N);
                else tfm_gemm(c, a, b, g[i].M, g[i].N, g[i].K, g[i].N, lda, ldb, fl);
            }
        double t = (cpu_seconds() - t0) / reps;
        if (t < best) best = t;
    }
    return best;
}

static const char *const GEMM_ISA[] = {"avx512", "avx2", "generic"};

static void bench_train_gemms(void)
{
    static const conv_t tn[] = {{10, 16, 5, 50, 2, 0}, {16, 16, 5, 50, 2, 1}, {16, 16, 3, 50, 1, 1},
                                {16, 16, 3, 50, 1, 1}, {16, 32, 3, 50, 1, 1}, {32, 32, 3, 50, 1, 1}};
    static const int tn_lin[][2] = {{512, 1}};
    static const conv_t dt[] = {{4, 32, 3, 30, 1, 0}, {4, 32, 3, 30, 1, 0}, {64, 16, 3, 30, 0, 1},
                                {16, 64, 3, 28, 0, 1}, {64, 16, 3, 26, 0, 1}};
    static const int dt_lin[][2] = {{384, 30}, {30, 2}};
    const char *dflt = tfm_gemm_isa();
    printf("\nTraining GEMMs of one chunk (%d samples), forward + backward, 1 thread: cblas_sgemm (OpenBLAS %s "
           "kernels, the path before lib/gemm) vs tfm_gemm per build\n",
           TFM_TRAIN_CHUNK, openblas_get_corename());
    printf("%-12s %-24s %12s %9s\n", "model", "GEMM", "CPU us/chunk", "GMAC/s");
    for (int a = 0; a < 2; a++) {
        gemm_t g[64];
        int n = a ? chunk_gemms(g, dt, 5, dt_lin, 2, TFM_TRAIN_CHUNK) : chunk_gemms(g, tn, 6, tn_lin, 1, TFM_TRAIN_CHUNK);
        double macs = 0;
        size_t big = 0;
        for (int i = 0; i < n; i++) {
            macs += (double)g[i].M * g[i].N * g[i].K;
            size_t s[3] = {(size_t)g[i].M * g[i].K, (size_t)g[i].K * g[i].N, (size_t)g[i].M * g[i].N};
            for (int k = 0; k < 3; k++) big = s[k] > big ? s[k] : big;
        }
        float *x = tfm_malloc(sizeof(float) * big * 3);
        unsigned sd = 5;
        for (size_t i = 0; i < big * 3; i++) x[i] = frand(&sd);
        const char *name = a ? "deepTarget" : "TargetNet";
        double t = time_gemms(g, n, x, x + big, x + 2 * big, 1, 200);
        printf("%-12s %-24s %12.1f %9.2f\n", name, "cblas_sgemm", t * 1e6, macs / t / 1e9);
        for (int k = 0; k < 3; k++) {
            if (tfm_gemm_set_isa(GEMM_ISA[k])) continue;
            char label[40];
            snprintf(label, sizeof label, "tfm_gemm %s%s", GEMM_ISA[k], strcmp(GEMM_ISA[k], dflt) ? "" : " (default)");
            t = time_gemms(g, n, x, x + big, x + 2 * big, 0, 200);
            printf("%-12s %-24s %12.1f %9.2f\n", name, label, t * 1e6, macs / t / 1e9);
        }
        tfm_gemm_set_isa(dflt);
        free(x);
    }
}

/* Whole training steps, batch 32, 1 thread, random one-hot-like inputs: per build, CPU time. */
static void bench_train_steps(void)
{
    const char *dflt = tfm_gemm_isa();
    printf("\nTraining steps (tfm_train_backward + tfm_train_update), batch 32, 1 thread, CPU time\n");
    printf("%-12s %-24s %12s %14s\n", "model", "GEMM", "CPU ms/step", "samples/CPU s");
    static const tfm_arch_t arch[2] = {TFM_ARCH_TARGETNET, TFM_ARCH_DEEPTARGET};
    for (int a = 0; a < 2; a++) {
        float *x = random_input(arch[a], 32);
        unsigned char y[32];
        for (int i = 0; i < 32; i++) y[i] = (unsigned char)(i % 3 == 0);
        for (int k = 0; k < 3; k++) {
            if (tfm_gemm_set_isa(GEMM_ISA[k])) continue;
            tfm_model_t *m = tfm_train_model_new(arch[a], 1, 0);
            tfm_train_opt_t o;
            tfm_train_opt_init(&o);
            o.arch = arch[a];
            tfm_trainer_t *t = tfm_train_new(m, &o);
            double best = 1e30;
            for (int r = 0; r < 5; r++) {
                double t0 = cpu_seconds();
                for (int s = 0; s < 40; s++) tfm_train_backward(t, x, y, 32), tfm_train_update(t);
                double dt = (cpu_seconds() - t0) / 40;
                if (dt < best) best = dt;
            }
            char label[40];
            snprintf(label, sizeof label, "tfm_gemm %s%s", GEMM_ISA[k], strcmp(GEMM_ISA[k], dflt) ? "" : " (default)");
            printf("%-12s %-24s %12.3f %14.0f\n", tfm_model_arch_name(arch[a]), label, best * 1e3, 32 / best);
            tfm_train_free(t);
            tfm_model_free(m);
        }
        tfm_gemm_set_isa(dflt);
        free(x);
    }
}

int main(int argc, char **argv)
{
    long total = 200000;
    if (argc > 1 && strcmp(argv[1], "--peak") == 0) { /* for bench/score.sh: the peak alone */
        printf("sgemm 2048^3 peak: %.1f GMAC/s (1 thread), %.1f GMAC/s (2 threads)\n", sgemm_peak(2048, 1),
               sgemm_peak(2048, 2));
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "--train") == 0) { /* the training part alone */
        openblas_set_num_threads(1);
        bench_train_gemms();
        bench_train_steps();
        return 0;
    }
    if (argc > 1 && tfm_parse_long(argv[1], 1000, 100000000, &total)) {
        fprintf(stderr, "usage: bench_nn [--peak | --train | windows per measurement]\n");
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
    bench_train_gemms();
    bench_train_steps();
    return 0;
}
