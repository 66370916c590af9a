/* model: architectures = parameter layout + forward. A model owns one float block holding its
 * parameters, copied from checkpoint tensors found by state-dict name (shapes checked), and a
 * struct of named pointers into it (llm.c style; gradients and optimiser state can mirror it).
 *
 * Architectures and their input per sample (float32, see encode.h for the first two):
 *   TargetNet   (10, 50) one-hot with extended seed alignment -> logit -> sigmoid
 *   deepTarget  (8, 30): miRNA one-hot rows 0-3, CTS rows 4-7 (heads.md 2) -> softmax(logits)[1]
 *   TargetFM1   (2, 30, d): RNA-FM representations[12] of the miRNA then of the CTS
 *               (heads.md 3.1) -> softmax(logits)[1]; d = fc_mi.weight's input dim (640 for
 *               rna_fm_t12; tfm-train's heads have the width of the RNA-FM they were trained on)
 *
 * Threads: a model is read-only after loading and may be shared; each thread uses its own
 * workspace. A workspace holds the activations of one chunk of samples; tfm_model_forward walks
 * through a batch of any size chunk by chunk, so memory stays bounded and cache-sized. */
#ifndef TFM_MODEL_H
#define TFM_MODEL_H

#include <stddef.h>

#include "ckpt.h"

typedef enum { TFM_ARCH_TARGETNET = 1, TFM_ARCH_DEEPTARGET = 2, TFM_ARCH_TARGETFM1 = 3 } tfm_arch_t;

/* Parameters, named after the state-dict keys; shapes in comments. */
typedef struct tfm_targetnet_s {
    float *stem0_w;   /* stem.0.conv.1.weight    (16, 10, 5) */
    float *stem1_w;   /* stem.1.conv.1.weight    (16, 16, 5) */
    float *s1c1_w;    /* stage1.0.conv1.1.weight (16, 16, 3) */
    float *s1c2_w;    /* stage1.0.conv2.1.weight (16, 16, 3) */
    float *s2c1_w;    /* stage2.0.conv1.1.weight (32, 16, 3) */
    float *s2c2_w;    /* stage2.0.conv2.1.weight (32, 32, 3) */
    float *lin_w;     /* linear.weight (1, 512) */
    float *lin_b;     /* linear.bias (1) */
} tfm_targetnet_t;

typedef struct {      /* deepTarget and TargetFM1 share the CNN tail */
    float *embd1_w;   /* embd1.weight (32, 4, 3); deepTarget only (unused by TargetFM1) */
    float *embd1_b;   /* embd1.bias (32) */
    float *fc_mi_w;   /* fc_mi.weight (32, d); TargetFM1 only */
    float *fc_mi_b;   /* fc_mi.bias (32) */
    float *fc_mr_w;   /* fc_mr.weight (32, d); TargetFM1 only */
    float *fc_mr_b;   /* fc_mr.bias (32) */
    float *conv2_w;   /* conv2.weight (16, 64, 3) */
    float *conv2_b;   /* conv2.bias (16) */
    float *conv3_w;   /* conv3.weight (64, 16, 3) */
    float *conv3_b;   /* conv3.bias (64) */
    float *conv4_w;   /* conv4.weight (16, 64, 3) */
    float *conv4_b;   /* conv4.bias (16) */
    float *fc1_w;     /* fc1.weight (30, 384) */
    float *fc1_b;     /* fc1.bias (30) */
    float *fc2_w;     /* fc2.weight (2, 30) */
    float *fc2_b;     /* fc2.bias (2) */
} tfm_cnnhead_t;

typedef struct {
    tfm_arch_t arch;
    size_t n_params;              /* floats in params */
    float *params;                /* one block, in the order of the architecture's table */
    int d;                        /* TargetFM1: embedding dim d (else 0) */
    union {
        tfm_targetnet_t tn;
        tfm_cnnhead_t head;       /* deepTarget, TargetFM1 */
    } w;
    struct tfm_fastnet_s *fast;   /* TargetNet, deepTarget: weights repacked for the fast path
                                   * (fastnet.h); NULL for TargetFM1 */
} tfm_model_t;

/* Name -> tensor lookup used to bind parameters (NULL if absent); tests can feed their own. */
typedef const tfm_tensor_t *(*tfm_model_lookup_fn)(void *ctx, const char *name);

const char *tfm_model_arch_name(tfm_arch_t arch);        /* "TargetNet", "deepTarget", "TargetFM1" */
int tfm_model_arch_parse(const char *name, tfm_arch_t *arch);  /* case-insensitive; 0 or -1 */
/* Architecture from the tensor names present (0 with tfm_fail() if none fits). */
tfm_arch_t tfm_model_detect(tfm_model_lookup_fn get, void *ctx);

/* Copy and shape-check every parameter of `arch`. NULL on failure, with a message naming the
 * missing or mismatched tensor, e.g. "TargetNet: tensor 'linear.weight' has shape [1, 256],
 * expected [1, 512]". Tensors the architecture does not use are ignored. */
tfm_model_t *tfm_model_bind(tfm_arch_t arch, tfm_model_lookup_fn get, void *ctx);
/* Same from a loaded checkpoint; arch 0 = detect. The checkpoint may be freed afterwards. */
tfm_model_t *tfm_model_from_ckpt(tfm_arch_t arch, const tfm_ckpt_t *c);
/* A model with random weights, for tests and benchmarks (no checkpoint needed): parameter i (in
 * state-dict order, unused tensors left out) uniform in [-gain[i], gain[i]], or [-1, 1] when
 * gain is NULL, from a fixed sequence of seed. tfm-train's initialiser is tfm_train_model_new. */
tfm_model_t *tfm_model_random(tfm_arch_t arch, uint64_t seed, const float *gain);
void tfm_model_free(tfm_model_t *m);

/* Floats of input per sample. */
size_t tfm_model_input_size(const tfm_model_t *m);
/* Multiply-adds per sample of the forward pass (for throughput figures). */
double tfm_model_macs(const tfm_model_t *m);

/* Intermediate outputs, recorded when a trace is attached to the workspace: per name, a
 * (batch, C, L) array in per-sample channels-first layout (flat vectors have L = 1).
 * TargetNet:  stem0 (16,50) after ReLU, stem1 (16,50), stage1 (16,50), stage2 (32,50) (block
 *             outputs before the next ReLU), pool (32,16), logit (1,1)
 * deepTarget: embd1_mirna (32,30), embd1_cts (32,30) after ReLU; then as TargetFM1
 * TargetFM1:  cat (64,30), conv2 (16,28), conv3 (64,26), conv4 (16,24) after ReLU, fc1 (30,1),
 *             logits (2,1) */
#define TFM_TRACE_MAX 12
typedef struct {
    int n, batch;
    struct {
        char name[16];
        int C, L;
        size_t cap;
        float *data;
    } t[TFM_TRACE_MAX];
} tfm_model_trace_t;

/* The array recorded under `name` (and its C, L), or NULL. */
const float *tfm_model_trace_get(const tfm_model_trace_t *tr, const char *name, int *C, int *L);
void tfm_model_trace_free(tfm_model_trace_t *tr);

typedef struct tfm_model_ws_s tfm_model_ws_t;

/* Workspace for `m` with room for `chunk` samples at a time (<= 0: a default that keeps the
 * activations near the L2 cache size). */
tfm_model_ws_t *tfm_model_ws_new(const tfm_model_t *m, int chunk);
void tfm_model_ws_free(tfm_model_ws_t *ws);
/* Attach a trace (zero-initialised by the caller) or detach it with NULL. */
void tfm_model_ws_set_trace(tfm_model_ws_t *ws, tfm_model_trace_t *tr);
/* Run the *_naive layer twins instead of BLAS (tests only). */
void tfm_model_ws_set_naive(tfm_model_ws_t *ws, int naive);
/* TargetNet and deepTarget run the fast path of fastnet.h by default: each window's probability
 * is then bit-identical whatever batch, position, chunk or thread scores it. With gemm set (or a
 * trace attached, or naive set) they run layer by layer over the chunk instead (im2col + lib/gemm,
 * the products training uses, also independent of the batch position), which agrees with the fast
 * path to ~1e-7 but not bit for bit (fused multiply-adds there, none here). TargetFM1 always runs
 * layer by layer. */
void tfm_model_ws_set_gemm(tfm_model_ws_t *ws, int gemm);

/* input: batch * tfm_model_input_size(m) floats; out_prob: batch probabilities of "target".
 * 0, or -1 with tfm_fail() (workspace made for another model). */
int tfm_model_forward(const tfm_model_t *m, const float *input, int batch, float *out_prob, tfm_model_ws_t *ws);

#endif
