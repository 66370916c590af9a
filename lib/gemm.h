/* gemm: single-precision matrix product with one fixed summation order, so that its bytes depend
 * on the operands only: not on the CPU, its vector width, the BLAS in the process, the thread
 * count or the compiler's -march. The training path (forward and backward of every trainable
 * architecture) and the layer-by-layer forwards of lib/nn use it; RNA-FM keeps OpenBLAS.
 *
 * The product. Row-major; a(i, k) = A[i*lda + k], or A[k*lda + i] with TFM_GEMM_TA (A stored
 * transposed); b(k, j) = B[k*ldb + j], or B[j*ldb + k] with TFM_GEMM_TB. Every output is
 *     c = acc ? C[i*ldc + j] : +0;  for k = 0, 1, ..., K-1:  c = c + a(i, k) * b(k, j);
 * with the product rounded to float and then the sum rounded to float (IEEE round to nearest, no
 * fused multiply-add), in exactly that order. Blocking and vectorisation only ever run
 * independent outputs side by side (SIMD lanes are columns j), so every build gives these bits:
 * generic (GNU C vectors of 4 floats: SSE2 on x86-64), AVX2 and AVX-512, chosen at run time.
 * Except for NaNs: a NaN result is a NaN, but which one (sign, payload) follows the operand order
 * the compiler picks for an addition of two NaNs.
 * (The file is compiled with -ffp-contract=off and its kernels also carry the attribute; a
 * contracted build fails test_gemm, which checks the bits against a plain loop.)
 *
 * Costs: no allocation (packed panels of A, and of B when it is stored transposed, live on the
 * stack: about 115 KB); single-threaded: callers run independent GEMMs in parallel (tfm-train
 * runs one chunk of a batch per thread). Speed: bench_nn --train, beside cblas_sgemm. */
#ifndef TFM_GEMM_H
#define TFM_GEMM_H

#define TFM_GEMM_TA 1u  /* A is stored transposed: (K, M) */
#define TFM_GEMM_TB 2u  /* B is stored transposed: (N, K) */
#define TFM_GEMM_ACC 4u /* start every sum at C's value (else at +0) */

/* C (M, N) as above; M, N, K >= 0 (K = 0 leaves C, or zeroes it without TFM_GEMM_ACC). */
void tfm_gemm(float *C, const float *A, const float *B, int M, int N, int K, int ldc, int lda, int ldb,
              unsigned flags);

/* The build in use: "avx512", "avx2" or "generic"; by default the widest the CPU runs. */
const char *tfm_gemm_isa(void);
/* Use another build for the whole process (tests, benchmarks, TFM_GEMM_ISA of tfm-train); call
 * it before any GEMM runs. 0, or -1 with tfm_fail() if the name is unknown or the CPU lacks it. */
int tfm_gemm_set_isa(const char *name);

#endif
