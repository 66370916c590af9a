#include "fastnet.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define FN_X86 1
#endif

#include "model.h"
#include "util.h"

struct tfm_fastnet_s {
    float *block;                     /* the packed weights below, 64-byte aligned */
    float *w0, *w1, *w2, *w3, *w4, *w5; /* (K, Cin, Cout) */
    float *lw;                        /* linear weight as (16 positions, 32 channels) */
    float lb;
    int isa;                          /* FN_SCALAR, FN_AVX2, FN_AVX512 */
};

enum { FN_SCALAR, FN_AVX2, FN_AVX512 };

/* One window's activations, position-major with zero pad rows (never written). */
typedef struct tfm_fastnet_scratch_s {
    _Alignas(64) float a[54 * 16];    /* ReLU(stem.0), rows = positions -2 .. 51 */
    _Alignas(64) float skip1[50 * 16]; /* stem.1 output, skip of stage1 */
    _Alignas(64) float t[52 * 16];    /* ReLU of a block input, rows -1 .. 50 */
    _Alignas(64) float a2[52 * 16];   /* ReLU(stage1.conv1) */
    _Alignas(64) float skip2[50 * 16]; /* stage1 output, skip of stage2 */
    _Alignas(64) float v[52 * 32];    /* ReLU(stage2.conv1) */
    _Alignas(64) float out[48 * 32];  /* ReLU(stage2 output), positions 0 .. 47 */
    float nz_v[50][10];               /* stem.0 input: nonzero values per column */
    unsigned char nz_i[50][10];       /* and their rows */
    void *base;                       /* what was allocated */
} fn_scratch_t;

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

tfm_fastnet_t *tfm_fastnet_new(const struct tfm_targetnet_s *w)
{
    static const int sizes[7] = {5 * 10 * 16, 5 * 16 * 16, 3 * 16 * 16, 3 * 16 * 16, 3 * 16 * 32, 3 * 32 * 32,
                                 16 * 32};
    size_t total = 0;
    for (int i = 0; i < 7; i++) total += (size_t)sizes[i];
    tfm_fastnet_t *f = tfm_calloc(1, sizeof *f);
    f->block = tfm_malloc(sizeof(float) * total + 64);
    float *p = (float *)(((uintptr_t)f->block + 63) & ~(uintptr_t)63);
    float **dst[7] = {&f->w0, &f->w1, &f->w2, &f->w3, &f->w4, &f->w5, &f->lw};
    for (int i = 0; i < 7; i++) *dst[i] = p, p += sizes[i];
    pack(f->w0, w->stem0_w, 16, 10, 5);
    pack(f->w1, w->stem1_w, 16, 16, 5);
    pack(f->w2, w->s1c1_w, 16, 16, 3);
    pack(f->w3, w->s1c2_w, 16, 16, 3);
    pack(f->w4, w->s2c1_w, 32, 16, 3);
    pack(f->w5, w->s2c2_w, 32, 32, 3);
    for (int t = 0; t < 16; t++)
        for (int c = 0; c < 32; c++) f->lw[t * 32 + c] = w->lin_w[c * 16 + t];
    f->lb = w->lin_b[0];
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
