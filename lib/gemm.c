/* gemm: see gemm.h. Packing (plain copies, the same for every build), then the three builds of
 * gemm_kern.h, then the dispatch. */
#include "gemm.h"

#include <string.h>

#include "util.h"

#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF /* GCC ignores this pragma: the Makefile passes -ffp-contract=off */
#endif

#if defined(__x86_64__) || defined(__i386__)
#define GEMM_X86 1
#endif

/* Blocking: packed panels of KC values of k by NC columns of B and MC rows of A (64 + 48 KB on
 * the stack); register tiles of MR (per build) x NR. MC is a multiple of every build's MR. */
enum { NR = 16, KC = 256, NC = 64, MC = 48 };

/* B[pc .. pc+kc) x [jc .. jc+nc) -> bp as panels of NR columns, each (kc, NR) row-major, the
 * columns past nc zero. */
static void pack_b(float *bp, const float *B, int ldb, int tb, int pc, int kc, int jc, int nc)
{
    for (int jr = 0; jr < nc; jr += NR) {
        float *p = bp + (size_t)jr * kc;
        int cols = nc - jr < NR ? nc - jr : NR;
        if (!tb) {
            for (int k = 0; k < kc; k++) {
                const float *src = B + (size_t)(pc + k) * ldb + jc + jr;
                memcpy(p + (size_t)k * NR, src, sizeof(float) * cols);
                if (cols < NR) memset(p + (size_t)k * NR + cols, 0, sizeof(float) * (NR - cols));
            }
            continue;
        }
        for (int j = 0; j < NR; j++) {
            if (j >= cols) {
                for (int k = 0; k < kc; k++) p[(size_t)k * NR + j] = 0.0f;
                continue;
            }
            const float *src = B + (size_t)(jc + jr + j) * ldb + pc;
            for (int k = 0; k < kc; k++) p[(size_t)k * NR + j] = src[k];
        }
    }
}

/* A[ic .. ic+mc) x [pc .. pc+kc) -> ap as panels of mr rows, each (kc, mr), the rows past mc
 * zero. */
static void pack_a(float *ap, const float *A, int lda, int ta, int ic, int mc, int pc, int kc, int mr)
{
    for (int ir = 0; ir < mc; ir += mr) {
        float *p = ap + (size_t)ir * kc;
        for (int r = 0; r < mr; r++) {
            int i = ic + ir + r;
            if (ir + r >= mc) {
                for (int k = 0; k < kc; k++) p[(size_t)k * mr + r] = 0.0f;
            } else if (ta) {
                for (int k = 0; k < kc; k++) p[(size_t)k * mr + r] = A[(size_t)(pc + k) * lda + i];
            } else {
                const float *src = A + (size_t)i * lda + pc;
                for (int k = 0; k < kc; k++) p[(size_t)k * mr + r] = src[k];
            }
        }
    }
}

/* rows x cols of src (stride ss) -> dst (stride ds) */
static void tile_copy(float *dst, int ds, const float *src, int ss, int rows, int cols)
{
    for (int r = 0; r < rows; r++) memcpy(dst + (size_t)r * ds, src + (size_t)r * ss, sizeof(float) * cols);
}

/* ------------------------------------------------------------------------------------ builds */

#define SFX generic /* 16-byte vectors: SSE2 on x86-64, NEON on arm64, plain code elsewhere */
#define TGT
#define VW 4
#define MR 2        /* 2 x 4 accumulators */
#include "gemm_kern.h"

#ifdef GEMM_X86
#define SFX avx2
#define TGT __attribute__((target("avx2")))
#define VW 8
#define MR 4        /* 4 x 2 accumulators of 16 ymm */
#include "gemm_kern.h"

#define SFX avx512
#define TGT __attribute__((target("avx512f")))
#define VW 16
#define MR 16       /* 16 x 1 of 32 zmm */
#include "gemm_kern.h"
#endif

/* ---------------------------------------------------------------------------------- dispatch */

enum { ISA_GENERIC, ISA_AVX2, ISA_AVX512 };
static const char *const ISA_NAME[] = {"generic", "avx2", "avx512"};

static int cpu_has(int isa)
{
#ifdef GEMM_X86
    __builtin_cpu_init();
    if (isa == ISA_AVX512) return __builtin_cpu_supports("avx512f");
    if (isa == ISA_AVX2) return __builtin_cpu_supports("avx2");
#endif
    return isa == ISA_GENERIC;
}

static int forced = -1; /* tfm_gemm_set_isa; read-only while GEMMs run */

static int isa_in_use(void)
{
    if (forced >= 0) return forced;
    return cpu_has(ISA_AVX512) ? ISA_AVX512 : cpu_has(ISA_AVX2) ? ISA_AVX2 : ISA_GENERIC;
}

const char *tfm_gemm_isa(void) { return ISA_NAME[isa_in_use()]; }

int tfm_gemm_set_isa(const char *name)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(name, ISA_NAME[i]) == 0) {
            if (!cpu_has(i)) return tfm_fail("gemm: this CPU cannot run the %s build", name);
            forced = i;
            return 0;
        }
    return tfm_fail("gemm: unknown build '%s' (avx512, avx2, generic)", name);
}

void tfm_gemm(float *C, const float *A, const float *B, int M, int N, int K, int ldc, int lda, int ldb,
              unsigned flags)
{
    if (M <= 0 || N <= 0) return;
    if (K <= 0) {
        if (!(flags & TFM_GEMM_ACC))
            for (int i = 0; i < M; i++) memset(C + (size_t)i * ldc, 0, sizeof(float) * N);
        return;
    }
    switch (isa_in_use()) {
#ifdef GEMM_X86
    case ISA_AVX512: gemm_avx512(C, A, B, M, N, K, ldc, lda, ldb, flags); return;
    case ISA_AVX2: gemm_avx2(C, A, B, M, N, K, ldc, lda, ldb, flags); return;
#endif
    default: gemm_generic(C, A, B, M, N, K, ldc, lda, ldb, flags); return;
    }
}
