/* gemm_kern.h: the blocked GEMM of gemm.c, written once over GNU C vectors and included by
 * gemm.c once per build (generic, AVX2, AVX-512). The includer defines SFX (name suffix), TGT
 * (function attribute), VW (floats per vector) and MR (rows per register tile).
 *
 * A register tile is MR rows x NR = 16 columns (NR / VW vectors per row), summed over one block
 * of KC values of k at a time; a tile's sums go back to C between blocks, exactly (a float store
 * and load), so every output is still the single chain of gemm.h: k in increasing order,
 * c = c + a*b, each product and sum rounded. Lanes are columns: the vector width never meets a
 * sum. Nothing here may be contracted into fused multiply-adds: gemm.c is compiled with
 * -ffp-contract=off (Makefile FPFLAGS). */

#define CAT_(a, b) a##_##b
#define CAT(a, b) CAT_(a, b)
#define F(name) CAT(name, SFX)
#define NV (NR / VW)

typedef float F(vf) __attribute__((vector_size(VW * 4)));

/* One MR x NR tile: c (stride ldc) = (load ? c : 0) + a . b over kc values of k, with a packed
 * (kc, MR) and b(k, :) at b + k*bk (a packed panel, bk = NR, or B itself, bk = ldb). */
static inline __attribute__((always_inline)) TGT void F(tile)(int kc, const float *ap, const float *b, size_t bk,
                                                             float *c, int ldc, int load)
{
    F(vf) acc[MR][NV];
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++)
#pragma GCC unroll 16
        for (int n = 0; n < NV; n++) {
            if (load) memcpy(&acc[r][n], c + (size_t)r * ldc + n * VW, sizeof acc[r][n]);
            else acc[r][n] = (F(vf)){0};
        }
    for (int k = 0; k < kc; k++) {
        F(vf) bv[NV];
#pragma GCC unroll 16
        for (int n = 0; n < NV; n++) memcpy(&bv[n], b + k * bk + n * VW, sizeof bv[n]);
#pragma GCC unroll 16
        for (int r = 0; r < MR; r++) {
            float a = ap[(size_t)k * MR + r];
#pragma GCC unroll 16
            for (int n = 0; n < NV; n++) acc[r][n] = acc[r][n] + a * bv[n];
        }
    }
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++)
#pragma GCC unroll 16
        for (int n = 0; n < NV; n++) memcpy(c + (size_t)r * ldc + n * VW, &acc[r][n], sizeof acc[r][n]);
}

/* Blocks of KC values of k (in increasing order: a tile's sums wait in C in between), of MC
 * rows of A, packed once per block, and of columns: B itself when it is stored untransposed (a
 * panel over the edge of B is packed with zeros), else packed panels of NC columns. */
static TGT void F(gemm)(float *C, const float *A, const float *B, int M, int N, int K, int ldc, int lda, int ldb,
                        unsigned flags)
{
    _Alignas(64) float bp[KC * NC];
    _Alignas(64) float ap[MC * KC];
    _Alignas(64) float edge[MR * NR];
    int tb = flags & TFM_GEMM_TB, ncb = tb ? NC : N;
    for (int pc = 0; pc < K; pc += KC) {
        int kc = K - pc < KC ? K - pc : KC;
        int load = pc > 0 || (flags & TFM_GEMM_ACC);
        for (int jc = 0; jc < N; jc += ncb) {
            int nc = N - jc < ncb ? N - jc : ncb;
            if (tb) pack_b(bp, B, ldb, 1, pc, kc, jc, nc);
            for (int ic = 0; ic < M; ic += MC) {
                int mc = M - ic < MC ? M - ic : MC;
                pack_a(ap, A, lda, flags & TFM_GEMM_TA, ic, mc, pc, kc, MR);
                for (int jr = 0; jr < nc; jr += NR) {
                    int cols = nc - jr < NR ? nc - jr : NR;
                    const float *b = bp + (size_t)jr * kc;
                    size_t bk = NR;
                    if (!tb && cols == NR) b = B + (size_t)pc * ldb + jc + jr, bk = (size_t)ldb;
                    else if (!tb) pack_b(bp, B, ldb, 0, pc, kc, jc + jr, cols), b = bp;
                    for (int ir = 0; ir < mc; ir += MR) {
                        const float *a = ap + (size_t)ir * kc;
                        float *c = C + (size_t)(ic + ir) * ldc + jc + jr;
                        int rows = mc - ir < MR ? mc - ir : MR;
                        if (rows == MR && cols == NR) {
                            F(tile)(kc, a, b, bk, c, ldc, load);
                            continue;
                        }
                        /* a tile over the edge of C runs on a copy (the padding lanes and rows
                         * of the panels are zeros; their sums are dropped) */
                        if (load) tile_copy(edge, NR, c, ldc, rows, cols);
                        F(tile)(kc, a, b, bk, edge, NR, load);
                        tile_copy(c, ldc, edge, NR, rows, cols);
                    }
                }
            }
        }
    }
}

#undef NV
#undef F
#undef CAT
#undef CAT_
#undef SFX
#undef TGT
#undef VW
#undef MR
