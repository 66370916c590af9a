/* nn_grad: backward passes of the nn layers (declared at the end of nn.h). Every function adds
 * into its gradients (llm.c style), so one zeroing per step serves all layers, and a tensor
 * used twice (deepTarget's shared embd1, a residual's skip) just receives two contributions. */
#include "nn.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "gemm.h"

/* ------------------------------------------------------------------------------------ conv1d */

/* The adjoint of im2col: din[i][b][l + k - pad_l] += col[(i, k)][b][l] inside the sample. */
static void col2im_add(float *din, const float *col, int B, int Cin, int L, int K, int pad_l, int Lout)
{
    size_t n = (size_t)B * Lout;
    for (int i = 0; i < Cin; i++)
        for (int k = 0; k < K; k++) {
            const float *row = col + ((size_t)i * K + k) * n;
            int s = k - pad_l;
            int lo = s < 0 ? -s : 0, hi = L - s < Lout ? L - s : Lout;
            for (int b = 0; b < B; b++) {
                const float *src = row + (size_t)b * Lout;
                float *dst = din + ((size_t)i * B + b) * L + s;
                for (int l = lo; l < hi; l++) dst[l] += src[l];
            }
        }
}

/* colT (B*Lout, Cin*K), im2col's matrix transposed: row (b, l) holds what output position l of
 * sample b reads, so that the weight gradient dout . col^T is a product of two untransposed
 * operands (tfm_gemm reads them in place). */
static void im2row(float *colT, const float *in, int B, int Cin, int L, int K, int pad_l, int Lout)
{
    int ck = Cin * K;
    for (int b = 0; b < B; b++)
        for (int l = 0; l < Lout; l++) {
            float *row = colT + ((size_t)b * Lout + l) * ck;
            int p0 = l - pad_l;
            for (int i = 0; i < Cin; i++) {
                const float *src = in + ((size_t)i * B + b) * L;
                float *dst = row + i * K;
                if (p0 >= 0 && p0 + K <= L) {
                    for (int k = 0; k < K; k++) dst[k] = src[p0 + k];
                    continue;
                }
                for (int k = 0; k < K; k++) dst[k] = p0 + k >= 0 && p0 + k < L ? src[p0 + k] : 0.0f;
            }
        }
}

void tfm_nn_conv1d_backward(float *din, float *dw, float *dbias, float *col, const float *dout, const float *in,
                            const float *w, int B, int Cin, int L, int Cout, int K, int pad_l, int pad_r)
{
    int Lout = L + pad_l + pad_r - K + 1;
    int n = B * Lout, ck = Cin * K;
    if (dbias)
        for (int o = 0; o < Cout; o++) {
            const float *d = dout + (size_t)o * n;
            float acc = 0.0f;
            for (int j = 0; j < n; j++) acc += d[j];
            dbias[o] += acc;
        }
    /* dw (Cout, Cin*K) += dout (Cout, n) . col^T (n, Cin*K) */
    im2row(col, in, B, Cin, L, K, pad_l, Lout);
    tfm_gemm(dw, dout, col, Cout, ck, n, ck, n, ck, TFM_GEMM_ACC);
    if (!din) return;
    /* dcol (Cin*K, n) = w^T (Cin*K, Cout) . dout (Cout, n), reusing col, then scattered back */
    tfm_gemm(col, w, dout, ck, n, Cout, n, ck, n, TFM_GEMM_TA);
    col2im_add(din, col, B, Cin, L, K, pad_l, Lout);
}

/* ------------------------------------------------------------------------------------ linear */

void tfm_nn_linear_backward(float *din, float *dw, float *dbias, const float *dout, const float *in, const float *w,
                            int N, int Din, int Dout)
{
    if (din) /* din (N, Din) += dout (N, Dout) . w (Dout, Din) */
        tfm_gemm(din, dout, w, N, Din, Dout, Din, Dout, Din, TFM_GEMM_ACC);
    /* dw (Dout, Din) += dout^T (Dout, N) . in (N, Din) */
    tfm_gemm(dw, dout, in, Dout, Din, N, Din, Dout, Din, TFM_GEMM_TA | TFM_GEMM_ACC);
    if (dbias)
        for (int o = 0; o < Dout; o++) {
            float acc = 0.0f;
            for (int i = 0; i < N; i++) acc += dout[(size_t)i * Dout + o];
            dbias[o] += acc;
        }
}

/* ------------------------------------------------------------------------------ element-wise */

/* Branch-free on the bits, like the forward: a data-dependent branch mispredicts half the
 * time here and cost as much as all the GEMMs of a TargetNet step. x > 0 iff its bits, read
 * as a signed integer, are > 0. */
void tfm_nn_relu_backward(float *dx, const float *dy, const float *x, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int32_t xb;
        uint32_t yb;
        float v;
        memcpy(&xb, &x[i], sizeof xb);
        memcpy(&yb, &dy[i], sizeof yb);
        yb &= 0u - (uint32_t)(xb > 0);
        memcpy(&v, &yb, sizeof v);
        dx[i] += v;
    }
}

void tfm_nn_maxpool1d_backward(float *din, const float *dout, const float *in, int C, int B, int L, int W)
{
    int Lo = L / W;
    for (size_t cb = 0; cb < (size_t)C * B; cb++) {
        const float *x = in + cb * L;
        const float *dy = dout + cb * Lo;
        float *dx = din + cb * L;
        for (int t = 0; t < Lo; t++) {
            int a = t * W; /* first maximum, the forward's strict '>' */
            for (int j = 1; j < W; j++)
                if (x[t * W + j] > x[a]) a = t * W + j;
            dx[a] += dy[t];
        }
    }
}

void tfm_nn_concat_backward(float *da, float *db, const float *dout, int Ca, int Cb, size_t n)
{
    if (da)
        for (size_t i = 0; i < (size_t)Ca * n; i++) da[i] += dout[i];
    if (db)
        for (size_t i = 0; i < (size_t)Cb * n; i++) db[i] += dout[(size_t)Ca * n + i];
}

void tfm_nn_residual_backward(float *dskip, const float *dout, int Cout, int Cskip, size_t n)
{
    (void)Cout; /* the zero-extended channels Cskip.. carry no skip */
    for (size_t i = 0; i < (size_t)Cskip * n; i++) dskip[i] += dout[i];
}

/* ------------------------------------------------------------------------------------ losses */

static double weight_sum(const unsigned char *label, const float *cw, int N)
{
    double s = 0;
    for (int i = 0; i < N; i++) s += cw ? cw[label[i] ? 1 : 0] : 1.0;
    return s;
}

/* exp(x) = 2^k e^r, x = k ln2 + r with |r| <= ln2 / 2 (ln2 in two parts, the first with
 * trailing zero bits so that k ln2_hi is exact), e^r by its Taylor series to r^13 (the next term
 * is below 1e-17 of the result); the scaling is exact (ldexp rounds only a subnormal result). */
double tfm_nn_exp(double x)
{
    if (x != x) return x;
    if (x > 709.782712893384) return HUGE_VAL;
    if (x < -745.2) return 0.0;
    double kd = x * 1.4426950408889634;
    int k = (int)(kd < 0 ? kd - 0.5 : kd + 0.5);
    double r = x - k * 6.93147180369123816490e-01 - k * 1.90821492927058770002e-10;
    double p = 1.0;
    for (int i = 13; i >= 1; i--) p = 1.0 + r / i * p;
    return ldexp(p, k);
}

/* log1p(e) for e = exp(-|z|) in [0, 1]: 2 atanh(s), s = e / (2 + e) <= 1/3, by its series
 * 2 s (1 + s^2/3 + s^4/5 + ...) to s^41 (the rest is below 2^-60 of the sum) */
double tfm_nn_softplus(double z)
{
    double e = tfm_nn_exp(-fabs(z)), s = e / (2.0 + e), s2 = s * s, q = 0.0;
    for (int n = 20; n >= 0; n--) q = 1.0 / (2 * n + 1) + s2 * q;
    return (z > 0 ? z : 0) + 2.0 * s * q;
}

/* x = m 2^k, m in [sqrt(1/2), sqrt(2)) (frexp and the doubling are exact): k ln2 (in the two parts
 * of tfm_nn_exp) + 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172, by its series
 * 2 s (1 + s^2/3 + s^4/5 + ...) to s^41 */
double tfm_nn_log(double x)
{
    if (x != x || x < 0) return NAN;
    if (x == 0) return -HUGE_VAL;
    if (x == HUGE_VAL) return x;
    int k;
    double m = frexp(x, &k);
    if (m < 0.70710678118654752440) m *= 2, k--;
    double s = (m - 1.0) / (m + 1.0), s2 = s * s, q = 0.0;
    for (int n = 20; n >= 0; n--) q = 1.0 / (2 * n + 1) + s2 * q;
    return k * 6.93147180369123816490e-01 + (2.0 * s * q + k * 1.90821492927058770002e-10);
}

double tfm_nn_sigmoid(double z)
{
    if (z >= 0) return 1.0 / (1.0 + tfm_nn_exp(-z));
    double e = tfm_nn_exp(z);
    return e / (1.0 + e);
}

double tfm_nn_bce_logits_forward(const float *logit, const unsigned char *label, const float *cw, int N)
{
    double s = 0, ws = weight_sum(label, cw, N);
    for (int i = 0; i < N; i++) {
        double z = logit[i], y = label[i] ? 1 : 0;
        s += (cw ? cw[label[i] ? 1 : 0] : 1.0) * (tfm_nn_softplus(z) - y * z);
    }
    return ws > 0 ? s / ws : 0.0;
}

void tfm_nn_bce_logits_backward(float *dlogit, const float *logit, const unsigned char *label, const float *cw, int N)
{
    double ws = weight_sum(label, cw, N);
    if (!(ws > 0)) return;
    for (int i = 0; i < N; i++) {
        double w = cw ? cw[label[i] ? 1 : 0] : 1.0;
        dlogit[i] += (float)(w * (tfm_nn_sigmoid(logit[i]) - (label[i] ? 1 : 0)) / ws);
    }
}

double tfm_nn_softmax2_xent_forward(const float *logits, const unsigned char *label, const float *cw, int N)
{
    double s = 0, ws = weight_sum(label, cw, N);
    for (int i = 0; i < N; i++) {
        double l0 = logits[2 * i], l1 = logits[2 * i + 1];
        /* -log softmax_y = logsumexp - l_y = softplus(l_other - l_y) */
        double d = label[i] ? l0 - l1 : l1 - l0;
        s += (cw ? cw[label[i] ? 1 : 0] : 1.0) * tfm_nn_softplus(d);
    }
    return ws > 0 ? s / ws : 0.0;
}

void tfm_nn_softmax2_xent_backward(float *dlogits, const float *logits, const unsigned char *label, const float *cw,
                                   int N)
{
    double ws = weight_sum(label, cw, N);
    if (!(ws > 0)) return;
    for (int i = 0; i < N; i++) {
        double w = cw ? cw[label[i] ? 1 : 0] : 1.0;
        double p1 = tfm_nn_sigmoid((double)logits[2 * i + 1] - logits[2 * i]); /* softmax(logits)[1] */
        double g = w * (p1 - (label[i] ? 1 : 0)) / ws;                  /* d/dl1; d/dl0 = -g */
        dlogits[2 * i] += (float)-g;
        dlogits[2 * i + 1] += (float)g;
    }
}
