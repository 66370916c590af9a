/* detmath: see detmath.h. fdlibm's argument reductions with plain series. */
#include "detmath.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* ln 2 in two parts; LN2_HI has 21 trailing zero bits, so k * LN2_HI is exact for |k| < 2^21 */
#define LN2_HI 6.93147180369123816490e-01
#define LN2_LO 1.90821492927058770002e-10
#define LOG2_E 1.4426950408889634

/* 2^k for a normal result (-1022 <= k <= 1023): the bits written directly (exact) */
static double pow2(int k)
{
    uint64_t b = (uint64_t)(k + 1023) << 52;
    double d;
    memcpy(&d, &b, sizeof d);
    return d;
}

/* x = k ln2 + r, |r| <= ln2 / 2 (a little more where k * LOG2_E rounds) */
static int reduce(double x, double *r)
{
    double kd = x * LOG2_E;
    int k = (int)(kd < 0 ? kd - 0.5 : kd + 0.5);
    *r = x - k * LN2_HI - k * LN2_LO;
    return k;
}

/* e^r - 1 for |r| <= 0.35, its Taylor series to r^15 (the next term is below 2^-60 of it) */
static double expm1_small(double r)
{
    double p = 1.0 / 1307674368000; /* 1/15! */
    static const double c[] = {1.0 / 87178291200, 1.0 / 6227020800, 1.0 / 479001600, 1.0 / 39916800,
                               1.0 / 3628800,     1.0 / 362880,     1.0 / 40320,     1.0 / 5040,
                               1.0 / 720,         1.0 / 120,        1.0 / 24,        1.0 / 6,
                               1.0 / 2,           1.0};
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) p = p * r + c[i];
    return p * r;
}

double tfm_exp(double x)
{
    if (x != x) return x;
    if (x > 709.782712893384) return HUGE_VAL;
    if (x < -745.2) return 0.0;
    double r;
    int k = reduce(x, &r);
    double p = 1.0 + expm1_small(r);
    if (k >= -1022 && k <= 1023) return p * pow2(k);
    return ldexp(p, k); /* subnormal result or k = 1024: ldexp rounds once, exactly */
}

double tfm_expm1(double x)
{
    if (x != x) return x;
    if (x > -0.34657359 && x < 0.34657359) return expm1_small(x);
    if (x > 700) return tfm_exp(x) - 1.0; /* e^x - 1 = e^x to the last bit */
    if (x < -40) return -1.0 + tfm_exp(x);
    double r;
    int k = reduce(x, &r);
    double t = pow2(k);             /* |k| <= 1010 here */
    return t * expm1_small(r) + (t - 1.0); /* 2^k (e^r - 1) + (2^k - 1); t - 1 is exact for |k| <= 53 */
}

double tfm_log(double x)
{
    if (x != x || x < 0) return NAN;
    if (x == 0) return -HUGE_VAL;
    if (x == HUGE_VAL) return x;
    /* x = m 2^k, m in [sqrt(1/2), sqrt(2)): exponent and significand from the bits (exact) */
    int k = 0;
    if (x < 2.2250738585072014e-308) x *= 18014398509481984.0, k = -54; /* subnormal: times 2^54 */
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    k += (int)(b >> 52) - 1023;
    b = (b & 0x000fffffffffffffull) | 0x3ff0000000000000ull;
    double m;
    memcpy(&m, &b, sizeof m);
    if (m > 1.41421356237309504880) m *= 0.5, k++;
    /* ln m = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172: 2 s (1 + s^2/3 + ... + s^20/21) */
    static const double c[] = {1.0 / 19, 1.0 / 17, 1.0 / 15, 1.0 / 13, 1.0 / 11, 1.0 / 9, 1.0 / 7, 1.0 / 5, 1.0 / 3, 1.0};
    double f = m - 1.0, s = f / (2.0 + f), s2 = s * s, q = 1.0 / 21;
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) q = q * s2 + c[i];
    return k * LN2_HI + (2.0 * s * q + k * LN2_LO);
}

double tfm_log1p(double x)
{
    if (x != x || x < -1) return NAN;
    if (x == -1) return -HUGE_VAL;
    if (x > -1.0 / 64 && x < 1.0 / 64) { /* x - x^2/2 + ... - x^10/10 (the rest is below 2^-60 of it) */
        static const double c[] = {-1.0 / 10, 1.0 / 9, -1.0 / 8, 1.0 / 7, -1.0 / 6, 1.0 / 5, -1.0 / 4, 1.0 / 3, -1.0 / 2, 1.0};
        double p = 0;
        for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) p = p * x + c[i];
        return p * x;
    }
    double u = 1.0 + x;
    if (u == HUGE_VAL) return u;
    /* ln(1 + x) = ln u + ln(1 + (x - (u - 1)) / u): the second term corrects the rounding of u */
    return tfm_log(u) + (x - (u - 1.0)) / u;
}

double tfm_sigmoid(double z)
{
    if (z >= 0) return 1.0 / (1.0 + tfm_exp(-z));
    double e = tfm_exp(z);
    return e / (1.0 + e);
}
