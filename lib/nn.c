#include "nn.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "gemm.h"
#include "detmath.h"

/* ------------------------------------------------------------------------------------ conv1d */

size_t tfm_nn_conv1d_col_size(int B, int Cin, int L, int K, int pad_l, int pad_r)
{
    int Lout = L + pad_l + pad_r - K + 1;
    return (size_t)Cin * K * B * (Lout > 0 ? Lout : 0);
}

/* col (Cin*K, B, Lout): row (i, k) holds input channel i shifted by k - pad_l, zeros where the
 * shifted position falls outside the sample, so the whole conv is one GEMM. */
void tfm_nn_im2col(float *col, const float *in, int B, int Cin, int L, int K, int pad_l, int Lout)
{
    size_t n = (size_t)B * Lout;
    for (int i = 0; i < Cin; i++) {
        for (int k = 0; k < K; k++) {
            float *row = col + ((size_t)i * K + k) * n;
            int s = k - pad_l;  /* out position l reads in position l + s */
            int lo = s < 0 ? -s : 0, hi = L - s < Lout ? L - s : Lout;
            if (lo > Lout) lo = Lout;
            if (hi < lo) hi = lo;
            for (int b = 0; b < B; b++) {
                float *dst = row + (size_t)b * Lout;
                const float *src = in + ((size_t)i * B + b) * L;
                if (lo > 0) memset(dst, 0, sizeof(float) * lo);
                memcpy(dst + lo, src + lo + s, sizeof(float) * (hi - lo));
                if (hi < Lout) memset(dst + hi, 0, sizeof(float) * (Lout - hi));
            }
        }
    }
}

void tfm_nn_conv1d_forward(float *out, float *col, const float *in, const float *w, const float *bias, int B,
                           int Cin, int L, int Cout, int K, int pad_l, int pad_r)
{
    int Lout = L + pad_l + pad_r - K + 1;
    int n = B * Lout, ck = Cin * K;
    tfm_nn_im2col(col, in, B, Cin, L, K, pad_l, Lout);
    if (bias)
        for (int o = 0; o < Cout; o++)
            for (int j = 0; j < n; j++) out[(size_t)o * n + j] = bias[o];
    /* out (Cout, n) = bias + w (Cout, Cin*K) . col (Cin*K, n) */
    tfm_gemm(out, w, col, Cout, n, ck, n, ck, n, bias ? TFM_GEMM_ACC : 0);
}

void tfm_nn_conv1d_forward_naive(float *out, const float *in, const float *w, const float *bias, int B, int Cin,
                                 int L, int Cout, int K, int pad_l, int pad_r)
{
    int Lout = L + pad_l + pad_r - K + 1;
    for (int o = 0; o < Cout; o++)
        for (int b = 0; b < B; b++)
            for (int l = 0; l < Lout; l++) {
                double acc = bias ? bias[o] : 0.0;
                for (int i = 0; i < Cin; i++)
                    for (int k = 0; k < K; k++) {
                        int p = l + k - pad_l;
                        if (p < 0 || p >= L) continue;
                        acc += (double)w[((size_t)o * Cin + i) * K + k] * in[((size_t)i * B + b) * L + p];
                    }
                out[((size_t)o * B + b) * Lout + l] = (float)acc;
            }
}

/* ------------------------------------------------------------------------------------ linear */

void tfm_nn_linear_forward(float *out, const float *in, const float *w, const float *bias, int N, int Din, int Dout)
{
    if (bias)
        for (int n = 0; n < N; n++) memcpy(out + (size_t)n * Dout, bias, sizeof(float) * Dout);
    /* out (N, Dout) = bias + in (N, Din) . w^T (Din, Dout) */
    tfm_gemm(out, in, w, N, Dout, Din, Dout, Din, Din, TFM_GEMM_TB | (bias ? TFM_GEMM_ACC : 0));
}

void tfm_nn_linear_forward_naive(float *out, const float *in, const float *w, const float *bias, int N, int Din,
                                 int Dout)
{
    for (int n = 0; n < N; n++)
        for (int o = 0; o < Dout; o++) {
            double acc = bias ? bias[o] : 0.0;
            for (int i = 0; i < Din; i++) acc += (double)in[(size_t)n * Din + i] * w[(size_t)o * Din + i];
            out[(size_t)n * Dout + o] = (float)acc;
        }
}

void tfm_nn_linear_forward_t(float *out, const float *in, const float *w, const float *bias, int N, int Din, int Dout)
{
    if (bias)
        for (int o = 0; o < Dout; o++)
            for (int n = 0; n < N; n++) out[(size_t)o * N + n] = bias[o];
    /* out (Dout, N) = bias + w (Dout, Din) . in^T (Din, N) */
    tfm_gemm(out, w, in, Dout, N, Din, N, Din, Din, TFM_GEMM_TB | (bias ? TFM_GEMM_ACC : 0));
}

void tfm_nn_linear_forward_t_naive(float *out, const float *in, const float *w, const float *bias, int N, int Din,
                                   int Dout)
{
    for (int o = 0; o < Dout; o++)
        for (int n = 0; n < N; n++) {
            double acc = bias ? bias[o] : 0.0;
            for (int i = 0; i < Din; i++) acc += (double)in[(size_t)n * Din + i] * w[(size_t)o * Din + i];
            out[(size_t)o * N + n] = (float)acc;
        }
}

/* ------------------------------------------------------------------------------ element-wise */

/* Branch-free on the bits: a data-dependent branch here mispredicts half the time and cost
 * more than all the GEMMs of TargetNet. A set sign bit (negatives, -0, -NaN) gives +0. */
void tfm_nn_relu_forward(float *out, const float *in, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &in[i], sizeof u);
        u &= (uint32_t)((int32_t)u >> 31) ^ 0xFFFFFFFFu;
        memcpy(&out[i], &u, sizeof u);
    }
}

void tfm_nn_sigmoid_forward(float *out, const float *in, size_t n)
{
    for (size_t i = 0; i < n; i++) out[i] = 1.0f / (1.0f + tfm_expf(-in[i]));
}

void tfm_nn_softmax2_forward(float *prob, const float *logits, int N)
{
    for (int n = 0; n < N; n++) {
        float d = logits[2 * n] - logits[2 * n + 1];
        float p1 = 1.0f / (1.0f + tfm_expf(d));  /* = exp(l1) / (exp(l0) + exp(l1)), no overflow */
        prob[2 * n] = 1.0f / (1.0f + tfm_expf(-d));
        prob[2 * n + 1] = p1;
    }
}

/* ------------------------------------------------------------------------- pooling, plumbing */

void tfm_nn_maxpool1d_forward(float *out, const float *in, int C, int B, int L, int W)
{
    int Lo = L / W;
    for (size_t cb = 0; cb < (size_t)C * B; cb++) {
        const float *x = in + cb * L;
        float *y = out + cb * Lo;
        for (int t = 0; t < Lo; t++) {
            float m = x[t * W];
            for (int j = 1; j < W; j++)
                if (x[t * W + j] > m) m = x[t * W + j];
            y[t] = m;
        }
    }
}

void tfm_nn_concat_forward(float *out, const float *a, const float *b, int Ca, int Cb, size_t n)
{
    memcpy(out, a, sizeof(float) * Ca * n);
    memcpy(out + (size_t)Ca * n, b, sizeof(float) * Cb * n);
}

void tfm_nn_residual_forward(float *out, const float *skip, int Cout, int Cskip, size_t n)
{
    (void)Cout;  /* channels Cskip..Cout-1 are left as they are */
    for (size_t i = 0; i < (size_t)Cskip * n; i++) out[i] += skip[i];
}

void tfm_nn_bcl_to_cbl(float *out, const float *in, int B, int C, int L)
{
    for (int b = 0; b < B; b++)
        for (int c = 0; c < C; c++)
            memcpy(out + ((size_t)c * B + b) * L, in + ((size_t)b * C + c) * L, sizeof(float) * L);
}

void tfm_nn_cbl_to_bcl(float *out, const float *in, int B, int C, int L)
{
    for (int b = 0; b < B; b++)
        for (int c = 0; c < C; c++)
            memcpy(out + ((size_t)b * C + c) * L, in + ((size_t)c * B + b) * L, sizeof(float) * L);
}
