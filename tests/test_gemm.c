/* test_gemm: the deterministic GEMM (gemm.h). Every build the CPU runs (avx512, avx2, generic)
 * must give exactly the bits of the plain loop below (one chain per output, k in order, product
 * and sum rounded to float: the product goes through a volatile, so not even a contracting
 * compiler can fuse the reference), on random shapes with every transposition and leading
 * dimension, the edges of every blocking, the shapes tfm-train runs, zeros, signed zeros,
 * infinities and NaN; outside the M x N block C is untouched. As an independent check the
 * result agrees with a double-precision product and with OpenBLAS's cblas_sgemm within
 * 1e-5 * (1 + sum |a b|): the summation order is all that differs. */
#include "check.h"
#include "gemm.h"
#include "util.h"

#include <cblas.h>
#include <stdint.h>


static float *rvec(size_t n)
{
    float *v = tfm_malloc(sizeof(float) * (n ? n : 1));
    for (size_t i = 0; i < n; i++) v[i] = check_rfloat();
    return v;
}

static float at(const float *X, int ld, int t, int r, int c) { return t ? X[(size_t)c * ld + r] : X[(size_t)r * ld + c]; }

/* the definition of gemm.h, one output at a time */
static void ref_gemm(float *C, const float *A, const float *B, int M, int N, int K, int ldc, int lda, int ldb,
                     unsigned fl)
{
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) {
            float c = fl & TFM_GEMM_ACC ? C[(size_t)i * ldc + j] : 0.0f;
            for (int k = 0; k < K; k++) {
                volatile float p = at(A, lda, fl & TFM_GEMM_TA, i, k) * at(B, ldb, fl & TFM_GEMM_TB, k, j);
                c = c + p;
            }
            C[(size_t)i * ldc + j] = c;
        }
}

/* The same bits, except that any NaN equals any NaN: which NaN an addition of two NaNs returns
 * (sign, payload) depends on the operand order the compiler picks for a commutative add, so
 * NaN bits are outside gemm.h's guarantee (a NaN stays a NaN). */
static int same_bits(const float *a, const float *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (memcmp(&a[i], &b[i], sizeof(float)) != 0 && !(isnan(a[i]) && isnan(b[i]))) return 0;
    return 1;
}

typedef struct {
    int M, N, K;
    unsigned fl;
} shape_t;

/* Runs one shape with the current build: bits against ref_gemm (incl. the untouched margin of
 * C), then within tolerance against double and cblas_sgemm. Returns the relative error. */
static double run(shape_t s, const char *isa, int special)
{
    int M = s.M, N = s.N, K = s.K;
    int ta = s.fl & TFM_GEMM_TA, tb = s.fl & TFM_GEMM_TB;
    int lda = (ta ? M : K) + check_rint(0, 3), ldb = (tb ? K : N) + check_rint(0, 3), ldc = N + check_rint(0, 3);
    size_t na = (size_t)(ta ? K : M) * lda, nb = (size_t)(tb ? N : K) * ldb, nc = (size_t)M * ldc;
    float *A = rvec(na), *B = rvec(nb), *C = rvec(nc), *R = tfm_malloc(sizeof(float) * (nc ? nc : 1));
    if (special) { /* zeros, signed zeros, infinities, NaN at random places */
        static const float sp[] = {0.0f, -0.0f, INFINITY, -INFINITY, NAN, 1e-40f, -3e38f};
        for (size_t i = 0; i < na; i += 1 + check_rnd() % 7) A[i] = sp[check_rnd() % 7];
        for (size_t i = 0; i < nb; i += 1 + check_rnd() % 7) B[i] = sp[check_rnd() % 7];
    }
    float *C0 = tfm_malloc(sizeof(float) * (nc ? nc : 1));
    memcpy(R, C, sizeof(float) * nc);
    memcpy(C0, C, sizeof(float) * nc);
    tfm_gemm(C, A, B, M, N, K, ldc, lda, ldb, s.fl);
    ref_gemm(R, A, B, M, N, K, ldc, lda, ldb, s.fl);
    CHECK(same_bits(C, R, nc), "%s: M=%d N=%d K=%d ta=%d tb=%d acc=%d: bits differ from the plain loop", isa, M, N, K,
          !!ta, !!tb, !!(s.fl & TFM_GEMM_ACC));
    double worst = 0;
    if (!special) {
        int acc = !!(s.fl & TFM_GEMM_ACC);
        float *S = tfm_malloc(sizeof(float) * (nc ? nc : 1));
        memcpy(S, C0, sizeof(float) * nc);
        if (M && N)
            cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, M, N, K, 1.0f,
                        A, lda, B, ldb, acc ? 1.0f : 0.0f, S, ldc);
        int bad = 0, bi = 0, bj = 0;
        double b1 = 0, b2 = 0;
        for (int i = 0; i < M && !bad; i++)
            for (int j = 0; j < N && !bad; j++) {
                size_t o = (size_t)i * ldc + j;
                double d = acc ? C0[o] : 0, mag = fabs(d);
                for (int k = 0; k < K; k++) {
                    double p = (double)at(A, lda, ta, i, k) * at(B, ldb, tb, k, j);
                    d += p, mag += fabs(p);
                }
                double e1 = fabs(C[o] - d) / (1 + mag), e2 = fabs(S[o] - d) / (1 + mag);
                if (e1 > worst) worst = e1;
                if (!(e1 <= 1e-5 && e2 <= 1e-5)) bad = 1, bi = i, bj = j, b1 = e1, b2 = e2;
            }
        CHECK(!bad, "%s: M=%d N=%d K=%d: (%d,%d) off the double product by %.3g, sgemm by %.3g", isa, M, N, K, bi, bj,
              b1, b2);
        free(S);
    }
    free(A), free(B), free(C), free(R), free(C0);
    return worst;
}

/* the GEMMs of tfm-train (chunk of 16 samples) and of the layer-by-layer forwards */
static const shape_t TRAIN_SHAPES[] = {
    {16, 800, 50, 0}, {16, 800, 80, 0}, {16, 800, 48, 0}, {32, 800, 48, 0}, {32, 800, 96, 0},   /* TargetNet convs */
    {16, 50, 800, TFM_GEMM_ACC}, {32, 96, 800, TFM_GEMM_ACC},                                    /* their dw */
    {80, 800, 16, TFM_GEMM_TA}, {96, 800, 32, TFM_GEMM_TA},                                      /* their dcol */
    {16, 1, 512, TFM_GEMM_TB | TFM_GEMM_ACC}, {1, 512, 16, TFM_GEMM_TA | TFM_GEMM_ACC},          /* linear */
    {16, 512, 1, TFM_GEMM_ACC},
    {32, 480, 12, TFM_GEMM_ACC}, {16, 448, 192, TFM_GEMM_ACC}, {64, 416, 48, TFM_GEMM_ACC},      /* deepTarget */
    {16, 384, 416, TFM_GEMM_TB | TFM_GEMM_ACC}, {192, 448, 16, TFM_GEMM_TA},
    {16, 30, 384, TFM_GEMM_TB | TFM_GEMM_ACC}, {30, 384, 16, TFM_GEMM_TA | TFM_GEMM_ACC},
    {16, 2, 30, TFM_GEMM_TB | TFM_GEMM_ACC}, {16, 384, 30, TFM_GEMM_ACC},
    {32, 30, 640, TFM_GEMM_TB | TFM_GEMM_ACC}, {32, 640, 30, TFM_GEMM_TA | TFM_GEMM_ACC},        /* TargetFM1 */
};

static void test_build(const char *isa)
{
    if (tfm_gemm_set_isa(isa)) {
        printf("skip: gemm %s build: %s\n", isa, tfm_last_error());
        return;
    }
    CHECK_STR(tfm_gemm_isa(), isa);
    double worst = 0, e;
    int n = 0;
    for (size_t i = 0; i < sizeof TRAIN_SHAPES / sizeof *TRAIN_SHAPES; i++, n++)
        if ((e = run(TRAIN_SHAPES[i], isa, 0)) > worst) worst = e;
    for (int rep = 0; rep < 150; rep++, n++) {
        /* sizes around the blocking edges (MR 2, 4, 16; NR 16, MC 48, NC 64, KC 256) */
        static const int edge[] = {0, 1, 2, 3, 4, 5, 15, 16, 17, 47, 48, 49, 63, 64, 65, 255, 256, 257, 520};
        shape_t s = {check_rint(0, 1) ? edge[check_rnd() % 16] : check_rint(1, 130),
                     check_rint(0, 1) ? edge[check_rnd() % 16] : check_rint(1, 200),
                     check_rint(0, 1) ? edge[check_rnd() % 19] : check_rint(1, 600), check_rnd() % 8};
        if ((e = run(s, isa, rep % 10 == 9)) > worst) worst = e;
    }
    printf("gemm %s: %d shapes against the plain loop; max error vs double %.3g of sum |a b|\n", isa, n, worst);
}

int main(void)
{
    check_rng_seed(0x2545F4914F6CDD1Dull);
    CHECK(tfm_gemm_set_isa("sse9") < 0 && strstr(tfm_last_error(), "unknown build 'sse9'"), "%s", tfm_last_error());
    openblas_set_num_threads(1);
    test_build("generic");
    test_build("avx2");
    test_build("avx512");
    return check_summary();
}
