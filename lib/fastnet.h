/* fastnet: the forward pass of the convolutional window models, TargetNet and deepTarget, for
 * batches of windows, one window at a time with direct convolutions in SIMD registers (no BLAS). A window's probability depends on that window only:
 * each output is one fixed-order chain of fused multiply-adds, so it is bit-identical whatever
 * batch or position the window has, and whichever of the AVX-512, AVX2+FMA or scalar builds
 * runs it (the scalar build uses fmaf(); slow on a CPU without FMA, but the same bits).
 *
 * Weights are repacked once, per tap and input channel with output channels contiguous:
 * (K, Cin, Cout). Activations of a window are position-major (L, C) with zero pad rows, and
 * bias, ReLU, the residual add, zero padding and the max-pool are fused into the convolutions; the
 * first convolution reads the one-hot input sparsely. */
#ifndef TFM_FASTNET_H
#define TFM_FASTNET_H

#include <stddef.h>

#include "model.h"

typedef struct tfm_fastnet_s tfm_fastnet_t;

/* Repack the weights of a bound TargetNet or deepTarget model; NULL for other architectures.
 * The instruction set is the best the CPU supports. */
tfm_fastnet_t *tfm_fastnet_new(const tfm_model_t *m);
void tfm_fastnet_free(tfm_fastnet_t *f);

/* "avx512", "avx2" or "scalar": the build in use. */
const char *tfm_fastnet_isa(const tfm_fastnet_t *f);
/* Use another build (tests, benchmarks): 0, or -1 with tfm_fail() if the CPU lacks it. */
int tfm_fastnet_set_isa(tfm_fastnet_t *f, const char *isa);

/* deepTarget's fc2 . fc1 (no activation between them; the softmax of two logits depends on
 * l0 - l1 only) as one vector fd (24 positions, 16 channels) over conv4's ReLU output and a
 * constant fdb: l0 - l1 = fd . conv4 + fdb. Computed in double. */
void tfm_fastnet_dt_fc(const tfm_cnnhead_t *w, float *fd, float *fdb);

/* Per-thread scratch for tfm_fastnet_forward (one window's activations, ~30 KB). */
typedef struct tfm_fastnet_scratch_s tfm_fastnet_scratch_t;
tfm_fastnet_scratch_t *tfm_fastnet_scratch_new(void);
void tfm_fastnet_scratch_free(tfm_fastnet_scratch_t *s);

/* in: n windows one after another (tfm_model_input_size floats each) -> prob: n probabilities. */
void tfm_fastnet_forward(const tfm_fastnet_t *f, const float *in, int n, float *prob, tfm_fastnet_scratch_t *s);

#endif
