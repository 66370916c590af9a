#include "fastnet.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "detmath.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define FN_X86 1
#endif

#include "model.h"
#include "util.h"

typedef struct {
    float *w0, *w1, *w2, *w3, *w4, *w5; /* (K, Cin, Cout) */
    float *lw;                        /* linear weight as (16 positions, 32 channels) */
    float lb;
} fn_targetnet_t;

typedef struct {
    float *e1, *c2, *c3, *c4;         /* embd1, conv2..4 as (K, Cin, Cout) */
    float *e1b, *c2b, *c3b, *c4b;     /* their biases */
    float *fd;                        /* fc2 . fc1 as one vector, (24 positions, 16 channels) */
    float fdb;
} fn_deeptarget_t;

struct tfm_fastnet_s {
    tfm_arch_t arch;
    float *block;                     /* the packed weights, 64-byte aligned */
    union {
        fn_targetnet_t tn;
        fn_deeptarget_t dt;
    };
    int isa;                          /* FN_SCALAR, FN_AVX2, FN_AVX512 */
};

enum { FN_SCALAR, FN_AVX2, FN_AVX512 };

/* One window's activations, position-major with zero pad rows (never written). */
typedef struct tfm_fastnet_scratch_s {
    /* TargetNet */
    _Alignas(64) float a[54 * 16];    /* ReLU(stem.0), rows = positions -2 .. 51 */
    _Alignas(64) float skip1[50 * 16]; /* stem.1 output, skip of stage1 */
    _Alignas(64) float t[52 * 16];    /* ReLU of a block input, rows -1 .. 50 */
    _Alignas(64) float a2[52 * 16];   /* ReLU(stage1.conv1) */
    _Alignas(64) float skip2[50 * 16]; /* stage1 output, skip of stage2 */
    _Alignas(64) float v[52 * 32];    /* ReLU(stage2.conv1) */
    _Alignas(64) float out[48 * 32];  /* ReLU(stage2 output), positions 0 .. 47 */
    /* deepTarget (no padding: only embd1 pads, and it reads the input sparsely) */
    _Alignas(64) float cat[30 * 64];  /* ReLU(embd1): miRNA channels 0-31, CTS 32-63 */
    _Alignas(64) float c2[28 * 16];   /* ReLU(conv2) */
    _Alignas(64) float c3[26 * 64];   /* ReLU(conv3) */
    _Alignas(64) float c4[24 * 16];   /* ReLU(conv4) */
    /* the input of a sparse conv: per column its nonzero values and their rows (fn_nonzeros) */
    float nz_v[50 * 10];
    unsigned char nz_i[50 * 10];
    void *base;                       /* what was allocated */
} fn_scratch_t;

/* A conv layer for the kernels' conv_layer: output position l reads the K*Cin consecutive
 * floats from in + l*Cin (rows of Cin floats, pad rows included); w (K*Cin, Cout). Epilogue per
 * row: + skip (its first Cskip channels, stride Cskip) if given; the sum to raw (stride Cout) if
 * given, its ReLU to relu (stride Cout) if given. */
typedef struct {
    const float *in;
    int Cin, K;
    const float *w, *bias;            /* bias: Cout, or NULL for none */
    int Cout;
    const float *skip;
    int Cskip;
    float *raw, *relu;
} fn_conv_t;

/* Per column of x (rows, cols), its nonzero values and their rows in increasing row order, at
 * nz_v / nz_i + column * rows; cnt: how many. */
static void fn_nonzeros(const float *x, int rows, int cols, float *nz_v, unsigned char *nz_i, int *cnt)
{
    memset(cnt, 0, sizeof(int) * cols);
    for (int i = 0; i < rows; i++)
        for (int c = 0; c < cols; c++) {
            float v = x[i * cols + c];
            nz_i[c * rows + cnt[c]] = (unsigned char)i; /* written always, kept only if v != 0 */
            nz_v[c * rows + cnt[c]] = v;
            cnt[c] += v != 0.0f;
        }
}

/* ------------------------------------------------------------------------- scalar build */

#define SFX scalar
#define TGT
typedef float vf_scalar;
#define vf vf_scalar
#define VW 1
#define VZERO() 0.0f
#define VLOAD(p) (*(p))
#define VSTORE(p, v) (*(p) = (v))
#define VBCAST(p) (*(p))
#define VFMA(a, b, c) fmaf((a), (b), (c))
#define VADD(a, b) ((a) + (b))
#define VMAX(a, b) ((a) > (b) ? (a) : (b))
#define VRELU(v) ((v) > 0.0f ? (v) : 0.0f)
#define P16 1
#define P32 1
#define P32B 1
#define DT2 1
#define DT2B 1
#define DT3 1
#define DT3B 1
#define DT4 1
#include "fastnet_kern.h" /* undefines the parameters above */

#ifdef FN_X86
/* ------------------------------------------------------------------------- AVX2 + FMA */

#define SFX avx2
#define TGT __attribute__((target("avx2,fma")))
#define vf __m256
#define VW 8
#define VZERO() _mm256_setzero_ps()
#define VLOAD(p) _mm256_loadu_ps(p)
#define VSTORE(p, v) _mm256_storeu_ps((p), (v))
#define VBCAST(p) _mm256_broadcast_ss(p)
#define VFMA(a, b, c) _mm256_fmadd_ps((a), (b), (c))
#define VADD(a, b) _mm256_add_ps((a), (b))
#define VMAX(a, b) _mm256_max_ps((a), (b))
#define VRELU(v) _mm256_max_ps((v), _mm256_setzero_ps())
#define P16 6   /* 6 x 2 accumulators of 16 ymm */
#define P32 3   /* 3 x 4 */
#define P32B 3
#define DT2 6   /* 6 x 2: 4 blocks and one of 4 cover 28 */
#define DT2B 4
#define DT3 3   /* 3 x 4 per 32 channels: 8 blocks and one of 2 cover 26 */
#define DT3B 2
#define DT4 6   /* 4 blocks cover 24 */
#include "fastnet_kern.h" /* undefines the parameters above */

/* ------------------------------------------------------------------------- AVX-512 */

#define SFX avx512
#define TGT __attribute__((target("avx512f")))
#define vf __m512
#define VW 16
#define VZERO() _mm512_setzero_ps()
#define VLOAD(p) _mm512_loadu_ps(p)
#define VSTORE(p, v) _mm512_storeu_ps((p), (v))
#define VBCAST(p) _mm512_set1_ps(*(p))
#define VFMA(a, b, c) _mm512_fmadd_ps((a), (b), (c))
#define VADD(a, b) _mm512_add_ps((a), (b))
#define VMAX(a, b) _mm512_max_ps((a), (b))
#define VRELU(v) _mm512_max_ps((v), _mm512_setzero_ps())
#define P16 25  /* 25 x 1 accumulators of 32 zmm: 2 blocks cover 50 positions */
#define P32 12  /* 12 x 2: 4 blocks cover the 48 pooled positions */
#define P32B 10 /* 10 x 2: 5 blocks cover 50 */
#define DT2 14  /* 14 x 1: 2 blocks cover 28 */
#define DT2B 1
#define DT3 13  /* 13 x 2 per 32 channels: 2 blocks cover 26 */
#define DT3B 1
#define DT4 12  /* 12 x 1: 2 blocks cover 24 */
#include "fastnet_kern.h"
#endif

/* ------------------------------------------------------------------------------- packing */

/* PyTorch (Cout, Cin, K) -> (K, Cin, Cout) */
static void pack(float *dst, const float *w, int Cout, int Cin, int K)
{
    for (int k = 0; k < K; k++)
        for (int i = 0; i < Cin; i++)
            for (int o = 0; o < Cout; o++) dst[((size_t)k * Cin + i) * Cout + o] = w[((size_t)o * Cin + i) * K + k];
}

static int cpu_has(int isa)
{
#ifdef FN_X86
    __builtin_cpu_init();
    if (isa == FN_AVX512) return __builtin_cpu_supports("avx512f");
    if (isa == FN_AVX2) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
    return isa == FN_SCALAR;
}

/* Carve n arrays of the given sizes (floats, multiples of 16) from one 64-byte aligned block. */
static float *carve(float **dst[], const int *sizes, int n)
{
    size_t total = 0;
    for (int i = 0; i < n; i++) total += (size_t)sizes[i];
    float *block = tfm_malloc(sizeof(float) * total + 64);
    float *p = (float *)(((uintptr_t)block + 63) & ~(uintptr_t)63);
    for (int i = 0; i < n; i++) *dst[i] = p, p += sizes[i];
    return block;
}

static void pack_targetnet(tfm_fastnet_t *f, const tfm_targetnet_t *w)
{
    fn_targetnet_t *t = &f->tn;
    static const int sizes[7] = {5 * 10 * 16, 5 * 16 * 16, 3 * 16 * 16, 3 * 16 * 16, 3 * 16 * 32, 3 * 32 * 32,
                                 16 * 32};
    f->block = carve((float **[]){&t->w0, &t->w1, &t->w2, &t->w3, &t->w4, &t->w5, &t->lw}, sizes, 7);
    pack(t->w0, w->stem0_w, 16, 10, 5);
    pack(t->w1, w->stem1_w, 16, 16, 5);
    pack(t->w2, w->s1c1_w, 16, 16, 3);
    pack(t->w3, w->s1c2_w, 16, 16, 3);
    pack(t->w4, w->s2c1_w, 32, 16, 3);
    pack(t->w5, w->s2c2_w, 32, 32, 3);
    for (int p = 0; p < 16; p++)
        for (int c = 0; c < 32; c++) t->lw[p * 32 + c] = w->lin_w[c * 16 + p];
    t->lb = w->lin_b[0];
}

static void pack_deeptarget(tfm_fastnet_t *f, const tfm_cnnhead_t *w)
{
    fn_deeptarget_t *t = &f->dt;
    static const int sizes[9] = {3 * 4 * 32, 3 * 64 * 16, 3 * 16 * 64, 3 * 64 * 16, 32, 16, 64, 16, 24 * 16};
    f->block = carve((float **[]){&t->e1, &t->c2, &t->c3, &t->c4, &t->e1b, &t->c2b, &t->c3b, &t->c4b, &t->fd},
                     sizes, 9);
    pack(t->e1, w->embd1_w, 32, 4, 3);
    pack(t->c2, w->conv2_w, 16, 64, 3);
    pack(t->c3, w->conv3_w, 64, 16, 3);
    pack(t->c4, w->conv4_w, 16, 64, 3);
    memcpy(t->e1b, w->embd1_b, sizeof(float) * 32);
    memcpy(t->c2b, w->conv2_b, sizeof(float) * 16);
    memcpy(t->c3b, w->conv3_b, sizeof(float) * 64);
    memcpy(t->c4b, w->conv4_b, sizeof(float) * 16);
    tfm_fastnet_dt_fc(w, t->fd, &t->fdb);
}

void tfm_fastnet_dt_fc(const tfm_cnnhead_t *w, float *fd, float *fdb)
{
    /* fc1 and fc2 have no activation between them, and the softmax of two logits depends on
     * l0 - l1 only: one vector (fc2[0] - fc2[1]) . fc1 over the flattened conv4 (index c*24 + l,
     * stored position-major), computed in double, replaces 30 + 2 outputs */
    double b = (double)w->fc2_b[0] - w->fc2_b[1];
    for (int o = 0; o < 30; o++) b += ((double)w->fc2_w[o] - w->fc2_w[30 + o]) * w->fc1_b[o];
    *fdb = (float)b;
    for (int l = 0; l < 24; l++)
        for (int c = 0; c < 16; c++) {
            double s = 0;
            for (int o = 0; o < 30; o++) s += ((double)w->fc2_w[o] - w->fc2_w[30 + o]) * w->fc1_w[o * 384 + c * 24 + l];
            fd[l * 16 + c] = (float)s;
        }
}

tfm_fastnet_t *tfm_fastnet_new(const tfm_model_t *m)
{
    if (m->arch != TFM_ARCH_TARGETNET && m->arch != TFM_ARCH_DEEPTARGET) return NULL;
    tfm_fastnet_t *f = tfm_calloc(1, sizeof *f);
    f->arch = m->arch;
    if (m->arch == TFM_ARCH_TARGETNET) pack_targetnet(f, &m->w.tn);
    else pack_deeptarget(f, &m->w.head);
    f->isa = cpu_has(FN_AVX512) ? FN_AVX512 : cpu_has(FN_AVX2) ? FN_AVX2 : FN_SCALAR;
    return f;
}

void tfm_fastnet_free(tfm_fastnet_t *f)
{
    if (!f) return;
    free(f->block);
    free(f);
}

static const char *const ISA_NAME[] = {"scalar", "avx2", "avx512"};

const char *tfm_fastnet_isa(const tfm_fastnet_t *f) { return ISA_NAME[f->isa]; }

int tfm_fastnet_set_isa(tfm_fastnet_t *f, const char *isa)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(isa, ISA_NAME[i]) == 0) {
            if (!cpu_has(i)) return tfm_fail("fastnet: this CPU cannot run the %s build", isa);
            f->isa = i;
            return 0;
        }
    return tfm_fail("fastnet: unknown instruction set '%s' (avx512, avx2, scalar)", isa);
}

tfm_fastnet_scratch_t *tfm_fastnet_scratch_new(void)
{
    /* zeroed: the pad rows are never written */
    void *base = tfm_calloc(1, sizeof(fn_scratch_t) + 64);
    fn_scratch_t *s = (fn_scratch_t *)(((uintptr_t)base + 63) & ~(uintptr_t)63);
    s->base = base;
    return s;
}

void tfm_fastnet_scratch_free(tfm_fastnet_scratch_t *s)
{
    if (s) free(s->base);
}

void tfm_fastnet_forward(const tfm_fastnet_t *f, const float *in, int n, float *prob, tfm_fastnet_scratch_t *s)
{
    switch (f->isa) {
#ifdef FN_X86
    case FN_AVX512: forward_avx512(f, in, n, prob, s); return;
    case FN_AVX2: forward_avx2(f, in, n, prob, s); return;
#endif
    default: forward_scalar(f, in, n, prob, s); return;
    }
}
