/* detmath: exp and log whose bits do not depend on the CPU or the C library.
 *
 * glibc picks its exp, expf, log and expm1 at load time by CPU (an FMA and an SSE2 build), and
 * the two differ in the last bit on some inputs (expf: one float of [-40, 40]; exp, log, expm1:
 * more; seen with GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-FMA). A printed score computed with them
 * can then differ between machines. These use basic operations only (+ - * /, exact scaling by
 * powers of two) with constants written out, so with -ffp-contract=off (the Makefile's) they give
 * the same bits everywhere. Accuracy: within 4 units in the last place of a double, so
 * (float)tfm_exp(x) is expf correctly rounded (checked over every float of [-40, 40]).
 *
 * lib/nn's tfm_nn_exp and tfm_nn_log are the slower series training has always used; the
 * default model's bytes depend on them, so they stay as they are. */
#ifndef TFM_DETMATH_H
#define TFM_DETMATH_H

double tfm_exp(double x);   /* e^x; overflow: +inf, underflow: 0 (or subnormal), NaN: NaN */
double tfm_expm1(double x); /* e^x - 1, accurate near 0 */
double tfm_log(double x);   /* ln x; 0: -inf, negative or NaN: NaN, +inf: +inf */
double tfm_log1p(double x); /* ln(1 + x), accurate near 0; x < -1: NaN */
double tfm_sigmoid(double z); /* 1 / (1 + e^-z), no overflow */

static inline float tfm_expf(float x) { return (float)tfm_exp(x); }

#endif
