/* nn: float32 layers on plain arrays, batched, forward passes (backward passes go beside each
 * forward later, llm.c style: outputs first, then inputs, then dimensions).
 *
 * Layout. Sequence feature maps are channel-major over the whole batch, "(C, B, L)": channel c of
 * sample b at position l is x[(c*B + b)*L + l]. A convolution over the batch is then one GEMM
 * with N = B*L columns, and a channel concat is two consecutive blocks. Published checkpoints and
 * the encoders use per-sample "(B, C, L)"; tfm_nn_bcl_to_cbl/cbl_to_bcl convert. Flat vectors are
 * "(N, D)" row-major.
 *
 * The convolutions and linear maps are products of lib/gemm (one fixed summation order per
 * output), so their bytes depend on the operands only: not on the CPU, the BLAS, the thread
 * count or where a sample sits in the batch. Each has a *_naive twin written as plain loops (in
 * double); the twins are the test reference and are not used by the models. No function here
 * allocates, prints or fails. */
#ifndef TFM_NN_H
#define TFM_NN_H

#include <stddef.h>

/* col (Cin*K, B, Lout) from in (Cin, B, L): row (i, k) holds channel i shifted by k - pad_l, zeros
 * where the shift leaves the sample, so a conv (or its weight gradient) is one GEMM. */
void tfm_nn_im2col(float *col, const float *in, int B, int Cin, int L, int K, int pad_l, int Lout);

/* ---- conv1d: stride 1, dilation 1, zero padding pad_l/pad_r, cross-correlation (no flip) ----
 * in (Cin, B, L), w (Cout, Cin, K) as stored by PyTorch, bias (Cout) or NULL
 * -> out (Cout, B, Lout), Lout = L + pad_l + pad_r - K + 1 (must be >= 1).
 * out[o][b][l] = bias[o] + sum_i sum_k w[o][i][k] * in[i][b][l + k - pad_l]  (0 outside [0, L))
 * col: scratch of tfm_nn_conv1d_col_size() floats (im2col matrix (Cin*K, B*Lout); a backward
 * pass can reuse it). */
size_t tfm_nn_conv1d_col_size(int B, int Cin, int L, int K, int pad_l, int pad_r);
void tfm_nn_conv1d_forward(float *out, float *col, const float *in, const float *w, const float *bias, int B,
                           int Cin, int L, int Cout, int K, int pad_l, int pad_r);
void tfm_nn_conv1d_forward_naive(float *out, const float *in, const float *w, const float *bias, int B, int Cin,
                                 int L, int Cout, int K, int pad_l, int pad_r);

/* ---- linear: y = x W^T + b, W stored (Dout, Din) as PyTorch does, bias (Dout) or NULL ----
 * in (N, Din) -> out (N, Dout). */
void tfm_nn_linear_forward(float *out, const float *in, const float *w, const float *bias, int N, int Din, int Dout);
void tfm_nn_linear_forward_naive(float *out, const float *in, const float *w, const float *bias, int N, int Din,
                                 int Dout);
/* Same map with the output transposed, out (Dout, N): a per-position linear over (B*L, Din) rows
 * lands directly in the channel-major (Dout, B, L) layout. */
void tfm_nn_linear_forward_t(float *out, const float *in, const float *w, const float *bias, int N, int Din, int Dout);
void tfm_nn_linear_forward_t_naive(float *out, const float *in, const float *w, const float *bias, int N, int Din,
                                   int Dout);

/* ---- element-wise; out may equal in ---- */
void tfm_nn_relu_forward(float *out, const float *in, size_t n);
void tfm_nn_sigmoid_forward(float *out, const float *in, size_t n);
/* logits (N, 2) -> prob (N, 2), softmax over each row; prob[n][1] = 1 / (1 + exp(l0 - l1)). */
void tfm_nn_softmax2_forward(float *prob, const float *logits, int N);

/* ---- maxpool1d, window = stride = W, no padding: in (C, B, L) -> out (C, B, L/W);
 * the last L % W positions are dropped (PyTorch's floor mode). */
void tfm_nn_maxpool1d_forward(float *out, const float *in, int C, int B, int L, int W);

/* ---- channel concat: a (Ca, B, L), b (Cb, B, L) -> out (Ca + Cb, B, L); n = B*L.
 * (In this layout a layer can also write straight into out's halves, which the models do.) */
void tfm_nn_concat_forward(float *out, const float *a, const float *b, int Ca, int Cb, size_t n);

/* ---- residual add with zero channel extension: out (Cout, B, L) += skip (Cskip, B, L) on the
 * first Cskip channels (Cskip <= Cout), channels Cskip.. get +0; n = B*L. */
void tfm_nn_residual_forward(float *out, const float *skip, int Cout, int Cskip, size_t n);

/* ---- layout changes: (B, C, L) <-> (C, B, L); also (B, D) <-> (D, B) with L = 1 ---- */
void tfm_nn_bcl_to_cbl(float *out, const float *in, int B, int C, int L);
void tfm_nn_cbl_to_bcl(float *out, const float *in, int B, int C, int L);

/* ================================ backward passes (lib/nn_grad.c) ================================
 * Each *_backward goes with the forward of the same name: gradients of the outputs first, then
 * the forward's inputs and outputs it needs, then dimensions. They ADD into every gradient they
 * produce (d* arguments), so the caller zeroes gradients once per step; a NULL gradient pointer
 * skips that gradient. A gradient buffer must not alias the upstream gradient it reads. */

/* conv1d: dout (Cout, B, Lout); in (Cin, B, L), w (Cout, Cin, K) as in the forward.
 * -> din (Cin, B, L) or NULL, dw (Cout, Cin, K), dbias (Cout) or NULL.
 * col: scratch of tfm_nn_conv1d_col_size() floats (overwritten). */
void tfm_nn_conv1d_backward(float *din, float *dw, float *dbias, float *col, const float *dout, const float *in,
                            const float *w, int B, int Cin, int L, int Cout, int K, int pad_l, int pad_r);

/* linear: dout (N, Dout); in (N, Din), w (Dout, Din) -> din (N, Din) or NULL, dw, dbias or NULL. */
void tfm_nn_linear_backward(float *din, float *dw, float *dbias, const float *dout, const float *in, const float *w,
                            int N, int Din, int Dout);

/* relu: dx += dy where x > 0; x may be the forward's input or its output (same sign test). */
void tfm_nn_relu_backward(float *dx, const float *dy, const float *x, size_t n);

/* maxpool1d (window = stride = W): dout (C, B, L/W), in (C, B, L) the forward's input ->
 * din (C, B, L); each window's gradient goes to its first maximum, as PyTorch does. */
void tfm_nn_maxpool1d_backward(float *din, const float *dout, const float *in, int C, int B, int L, int W);

/* concat: dout (Ca + Cb, B, L) -> da (Ca, B, L), db (Cb, B, L) (either may be NULL); n = B*L. */
void tfm_nn_concat_backward(float *da, float *db, const float *dout, int Ca, int Cb, size_t n);

/* residual add with zero channel extension: out = f(..) + [skip; 0]. The gradient of the
 * branch is dout itself (the caller passes it on); this adds the skip's share:
 * dskip (Cskip, B, L) += dout[0:Cskip]. */
void tfm_nn_residual_backward(float *dskip, const float *dout, int Cout, int Cskip, size_t n);

/* ---- scalar functions of the losses and the validation figures, in double. Built from +, -, *, /
 * and exact scaling by powers of two only, so the same bits on every CPU: libm's exp, log1p and
 * pow are not (glibc picks an FMA build on CPUs that have FMA, and its last bit differs from the
 * SSE2 build's now and then). Relative error below 1e-15. */
double tfm_nn_exp(double x);
double tfm_nn_softplus(double z); /* log(1 + exp(z)), no overflow */
double tfm_nn_sigmoid(double z);  /* 1 / (1 + exp(-z)), no overflow */
double tfm_nn_log(double x);      /* natural log; 0: -inf, negative or NaN: NaN */

/* ---- losses: class-weighted means, sum_i cw[y_i] * loss_i / sum_i cw[y_i] (PyTorch's
 * CrossEntropyLoss(weight=cw) convention; cw NULL = 1, 1). label: 0/1 per sample. The forward
 * returns the loss; the backward adds d loss / d logits. Both are stable for any logit. */
/* sigmoid + binary cross-entropy from one logit per sample, logit (N). */
double tfm_nn_bce_logits_forward(const float *logit, const unsigned char *label, const float *cw, int N);
void tfm_nn_bce_logits_backward(float *dlogit, const float *logit, const unsigned char *label, const float *cw,
                                int N);
/* 2-class softmax cross-entropy, logits (N, 2), class 1 = target. */
double tfm_nn_softmax2_xent_forward(const float *logits, const unsigned char *label, const float *cw, int N);
void tfm_nn_softmax2_xent_backward(float *dlogits, const float *logits, const unsigned char *label, const float *cw,
                                   int N);

#endif
