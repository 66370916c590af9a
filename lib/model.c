/* model: parameter tables, binding, workspace, forward passes of TargetNet, deepTarget and the
 * TargetFM1 head. Activations are channel-major over a chunk of samples (nn.h), so every
 * convolution is a single GEMM over the chunk. */
#include "model.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fastnet.h"
#include "nn.h"
#include "util.h"

/* ------------------------------------------------------------------------- parameter tables */

typedef struct {
    const char *name;
    int ndim, shape[3];
    size_t field;   /* offsetof the pointer in the architecture's struct */
    int unused;     /* accepted if present, never read (TargetFM1's embd1.*) */
} pspec_t;

/* A shape entry of TFM_DIM_D is TargetFM1's embedding dim d, taken from the first tensor that
 * has it (fc_mi.weight): the head works with the RNA-FM of any width (640 for rna_fm_t12). */
#define TFM_DIM_D 0

#define TN(f) offsetof(tfm_targetnet_t, f)
#define HD(f) offsetof(tfm_cnnhead_t, f)

static const pspec_t TARGETNET[] = {
    {"stem.0.conv.1.weight", 3, {16, 10, 5}, TN(stem0_w), 0},
    {"stem.1.conv.1.weight", 3, {16, 16, 5}, TN(stem1_w), 0},
    {"stage1.0.conv1.1.weight", 3, {16, 16, 3}, TN(s1c1_w), 0},
    {"stage1.0.conv2.1.weight", 3, {16, 16, 3}, TN(s1c2_w), 0},
    {"stage2.0.conv1.1.weight", 3, {32, 16, 3}, TN(s2c1_w), 0},
    {"stage2.0.conv2.1.weight", 3, {32, 32, 3}, TN(s2c2_w), 0},
    {"linear.weight", 2, {1, 512}, TN(lin_w), 0},
    {"linear.bias", 1, {1}, TN(lin_b), 0},
};

#define CNN_TAIL                                                                                 \
    {"conv2.weight", 3, {16, 64, 3}, HD(conv2_w), 0}, {"conv2.bias", 1, {16}, HD(conv2_b), 0},     \
    {"conv3.weight", 3, {64, 16, 3}, HD(conv3_w), 0}, {"conv3.bias", 1, {64}, HD(conv3_b), 0},     \
    {"conv4.weight", 3, {16, 64, 3}, HD(conv4_w), 0}, {"conv4.bias", 1, {16}, HD(conv4_b), 0},     \
    {"fc1.weight", 2, {30, 384}, HD(fc1_w), 0}, {"fc1.bias", 1, {30}, HD(fc1_b), 0},               \
    {"fc2.weight", 2, {2, 30}, HD(fc2_w), 0}, {"fc2.bias", 1, {2}, HD(fc2_b), 0}

static const pspec_t DEEPTARGET[] = {
    {"embd1.weight", 3, {32, 4, 3}, HD(embd1_w), 0},
    {"embd1.bias", 1, {32}, HD(embd1_b), 0},
    CNN_TAIL,
};

static const pspec_t TARGETFM1[] = {
    {"fc_mi.weight", 2, {32, TFM_DIM_D}, HD(fc_mi_w), 0},
    {"fc_mi.bias", 1, {32}, HD(fc_mi_b), 0},
    {"fc_mr.weight", 2, {32, TFM_DIM_D}, HD(fc_mr_w), 0},
    {"fc_mr.bias", 1, {32}, HD(fc_mr_b), 0},
    {"embd1.weight", 3, {32, 4, 3}, HD(embd1_w), 1},
    {"embd1.bias", 1, {32}, HD(embd1_b), 1},
    CNN_TAIL,
};

static const pspec_t *table(tfm_arch_t arch, int *n)
{
    switch (arch) {
    case TFM_ARCH_TARGETNET: *n = (int)(sizeof TARGETNET / sizeof *TARGETNET); return TARGETNET;
    case TFM_ARCH_DEEPTARGET: *n = (int)(sizeof DEEPTARGET / sizeof *DEEPTARGET); return DEEPTARGET;
    case TFM_ARCH_TARGETFM1: *n = (int)(sizeof TARGETFM1 / sizeof *TARGETFM1); return TARGETFM1;
    }
    *n = 0;
    return NULL;
}

static size_t numel(const pspec_t *p, int d)
{
    size_t n = 1;
    for (int k = 0; k < p->ndim; k++) n *= (size_t)(p->shape[k] == TFM_DIM_D ? d : p->shape[k]);
    return n;
}

const char *tfm_model_arch_name(tfm_arch_t arch)
{
    switch (arch) {
    case TFM_ARCH_TARGETNET: return "TargetNet";
    case TFM_ARCH_DEEPTARGET: return "deepTarget";
    case TFM_ARCH_TARGETFM1: return "TargetFM1";
    }
    return "unknown";
}

int tfm_model_arch_parse(const char *name, tfm_arch_t *arch)
{
    static const tfm_arch_t all[] = {TFM_ARCH_TARGETNET, TFM_ARCH_DEEPTARGET, TFM_ARCH_TARGETFM1};
    for (int i = 0; i < 3; i++) {
        const char *a = tfm_model_arch_name(all[i]), *b = name;
        while (*a && *b && tolower((unsigned char)*a) == tolower((unsigned char)*b)) a++, b++;
        if (!*a && !*b) {
            *arch = all[i];
            return 0;
        }
    }
    return tfm_fail("unknown architecture '%s' (TargetNet, deepTarget, TargetFM1)", name);
}

tfm_arch_t tfm_model_detect(tfm_model_lookup_fn get, void *ctx)
{
    if (get(ctx, "stem.0.conv.1.weight")) return TFM_ARCH_TARGETNET;
    if (get(ctx, "fc_mi.weight")) return TFM_ARCH_TARGETFM1;
    if (get(ctx, "embd1.weight")) return TFM_ARCH_DEEPTARGET;
    tfm_fail("no known architecture fits the tensor names (TargetNet, deepTarget, TargetFM1)");
    return (tfm_arch_t)0;
}

static void shape_str(char *buf, size_t size, int ndim, const int64_t *s64, const int *s32)
{
    size_t n = 0;
    n += (size_t)snprintf(buf + n, size - n, "[");
    for (int d = 0; d < ndim && n < size; d++)
        n += (size_t)snprintf(buf + n, size - n, "%s%lld", d ? ", " : "", s64 ? (long long)s64[d] : (long long)s32[d]);
    if (n < size) snprintf(buf + n, size - n, "]");
}

tfm_model_t *tfm_model_bind(tfm_arch_t arch, tfm_model_lookup_fn get, void *ctx)
{
    int np;
    const pspec_t *ps = table(arch, &np);
    if (!ps) {
        tfm_fail("unknown architecture %d", (int)arch);
        return NULL;
    }
    const char *an = tfm_model_arch_name(arch);
    size_t total = 0;
    int dim = 0; /* TFM_DIM_D once seen */
    for (int i = 0; i < np; i++) {  /* check everything before allocating */
        const tfm_tensor_t *t = get(ctx, ps[i].name);
        if (!t) {
            if (ps[i].unused) continue;
            tfm_fail("%s: missing tensor '%s'", an, ps[i].name);
            return NULL;
        }
        int ok = t->ndim == ps[i].ndim, want_shape[3];
        for (int d = 0; d < ps[i].ndim; d++) {
            if (ok && ps[i].shape[d] == TFM_DIM_D && !dim && t->shape[d] > 0 && t->shape[d] <= 1 << 16)
                dim = (int)t->shape[d];
            want_shape[d] = ps[i].shape[d] == TFM_DIM_D ? dim : ps[i].shape[d];
            ok = ok && t->shape[d] == want_shape[d];
        }
        if (!ok) {
            char have[128], want[128];
            shape_str(have, sizeof have, t->ndim, t->shape, NULL);
            shape_str(want, sizeof want, ps[i].ndim, NULL, want_shape);
            tfm_fail("%s: tensor '%s' has shape %s, expected %s", an, ps[i].name, have, want);
            return NULL;
        }
        if (!ps[i].unused) total += numel(&ps[i], dim);
    }
    tfm_model_t *m = tfm_calloc(1, sizeof *m);
    m->arch = arch;
    m->d = dim;
    m->n_params = total;
    m->params = tfm_malloc(sizeof(float) * total);
    float *p = m->params;
    for (int i = 0; i < np; i++) {
        if (ps[i].unused) continue;
        memcpy(p, get(ctx, ps[i].name)->data, sizeof(float) * numel(&ps[i], dim));
        *(float **)((char *)&m->w + ps[i].field) = p;
        p += numel(&ps[i], dim);
    }
    m->fast = tfm_fastnet_new(m);
    return m;
}

static const tfm_tensor_t *ckpt_lookup(void *ctx, const char *name)
{
    const tfm_ckpt_t *c = ctx;
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->t[i].name, name) == 0) return &c->t[i];
    return NULL;
}

tfm_model_t *tfm_model_from_ckpt(tfm_arch_t arch, const tfm_ckpt_t *c)
{
    if (!arch && !(arch = tfm_model_detect(ckpt_lookup, (void *)c))) return NULL;
    return tfm_model_bind(arch, ckpt_lookup, (void *)c);
}

/* ----------------------------------------------------------------------- random weights */

typedef struct {
    tfm_tensor_t t[16];
    int n;
} tensor_set_t;

static const tfm_tensor_t *set_lookup(void *ctx, const char *name)
{
    const tensor_set_t *s = ctx;
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->t[i].name, name) == 0) return &s->t[i];
    return NULL;
}

tfm_model_t *tfm_model_random(tfm_arch_t arch, uint64_t seed, const float *gain)
{
    int np;
    const pspec_t *ps = table(arch, &np);
    if (!ps) {
        tfm_fail("unknown architecture %d", (int)arch);
        return NULL;
    }
    tensor_set_t set = {.n = 0};
    for (int i = 0, k = 0; i < np; i++) {
        if (ps[i].unused) continue;
        tfm_tensor_t *t = &set.t[set.n++];
        t->name = (char *)ps[i].name;
        t->ndim = ps[i].ndim;
        for (int d = 0; d < ps[i].ndim; d++) /* TargetFM1: the published head's d, 640 */
            t->shape[d] = ps[i].shape[d] == TFM_DIM_D ? 640 : ps[i].shape[d];
        t->numel = (int64_t)numel(&ps[i], 640);
        t->data = tfm_malloc(sizeof(float) * (size_t)t->numel);
        float g = gain ? gain[k++] : 1.0f;
        for (int64_t j = 0; j < t->numel; j++)
            t->data[j] = g * ((float)(tfm_splitmix64(&seed) >> 40) / 16777216.0f * 2.0f - 1.0f);
    }
    tfm_model_t *m = tfm_model_bind(arch, set_lookup, &set);
    for (int i = 0; i < set.n; i++) free(set.t[i].data);
    return m;
}

void tfm_model_free(tfm_model_t *m)
{
    if (!m) return;
    tfm_fastnet_free(m->fast);
    free(m->params);
    free(m);
}

size_t tfm_model_input_size(const tfm_model_t *m)
{
    switch (m->arch) {
    case TFM_ARCH_TARGETNET: return 10 * 50;
    case TFM_ARCH_DEEPTARGET: return 8 * 30;
    case TFM_ARCH_TARGETFM1: return 2 * 30 * (size_t)m->d;
    }
    return 0;
}

double tfm_model_macs(const tfm_model_t *m)
{
    double tail = 16 * 64 * 3 * 28 + 64 * 16 * 3 * 26 + 16 * 64 * 3 * 24 + 384 * 30 + 30 * 2;
    switch (m->arch) {
    case TFM_ARCH_TARGETNET:
        return 50.0 * (16 * 10 * 5 + 16 * 16 * 5 + 2 * 16 * 16 * 3 + 32 * 16 * 3 + 32 * 32 * 3) + 512;
    case TFM_ARCH_DEEPTARGET: return 2.0 * 30 * 32 * 4 * 3 + tail;
    case TFM_ARCH_TARGETFM1: return 2.0 * 30 * m->d * 32 + tail;
    }
    return 0;
}

/* ------------------------------------------------------------------------------------ trace */

const float *tfm_model_trace_get(const tfm_model_trace_t *tr, const char *name, int *C, int *L)
{
    for (int i = 0; i < tr->n; i++)
        if (strcmp(tr->t[i].name, name) == 0) {
            if (C) *C = tr->t[i].C;
            if (L) *L = tr->t[i].L;
            return tr->t[i].data;
        }
    return NULL;
}

void tfm_model_trace_free(tfm_model_trace_t *tr)
{
    for (int i = 0; i < tr->n; i++) free(tr->t[i].data);
    memset(tr, 0, sizeof *tr);
}

/* Record x of the chunk starting at sample b0 under `name`: x is (C, Bc, L), or (Bc, C) with
 * L = 1 when rows != 0 (flat vectors). */
static void trace_add(tfm_model_trace_t *tr, const char *name, const float *x, int C, int Bc, int L, int b0,
                      int rows)
{
    if (!tr) return;
    int i = 0;
    while (i < tr->n && strcmp(tr->t[i].name, name) != 0) i++;
    if (i == tr->n) {
        if (tr->n == TFM_TRACE_MAX) return;
        snprintf(tr->t[i].name, sizeof tr->t[i].name, "%s", name);
        tr->n++;
    }
    tr->t[i].C = C;
    tr->t[i].L = L;
    TFM_GROW(tr->t[i].data, tr->t[i].cap, (size_t)tr->batch * C * L);
    float *dst = tr->t[i].data + (size_t)b0 * C * L;
    if (rows) memcpy(dst, x, sizeof(float) * Bc * C);
    else tfm_nn_cbl_to_bcl(dst, x, Bc, C, L);
}

static void trace_put(tfm_model_trace_t *tr, const char *name, const float *x, int C, int Bc, int L, int b0)
{
    trace_add(tr, name, x, C, Bc, L, b0, 0);
}

/* -------------------------------------------------------------------------------- workspace */

struct tfm_model_ws_s {
    tfm_arch_t arch;
    int chunk, naive, gemm;
    float *block;
    tfm_fastnet_scratch_t *fast;      /* fast path (fastnet.h): one window's activations */
    float *col;                       /* im2col scratch */
    float *a[8];                      /* activation buffers, meaning per architecture */
    tfm_model_trace_t *trace;
};

/* Activation buffer sizes in floats per sample, per architecture. */
static int ws_layout(tfm_arch_t arch, size_t sz[8], size_t *col)
{
    memset(sz, 0, 8 * sizeof *sz);
    switch (arch) {
    case TFM_ARCH_TARGETNET:
        /* x, A, S, T, U, V, W (see targetnet_forward), flat */
        sz[0] = 10 * 50, sz[1] = 16 * 50, sz[2] = 16 * 50, sz[3] = 16 * 50;
        sz[4] = 16 * 50, sz[5] = 32 * 50, sz[6] = 32 * 50, sz[7] = 2 * 512 + 2;
        *col = 32 * 3 * 50;
        return 0;
    case TFM_ARCH_DEEPTARGET:
    case TFM_ARCH_TARGETFM1:
        /* x / per-sample scratch, cat, conv2, conv3, conv4, flat, fc1, logits+prob */
        sz[0] = arch == TFM_ARCH_DEEPTARGET ? 8 * 30 : 32 * 30, sz[1] = 64 * 30, sz[2] = 16 * 28, sz[3] = 64 * 26;
        sz[4] = 16 * 24, sz[5] = 384, sz[6] = 30, sz[7] = 4;
        *col = 64 * 3 * 28;
        return 0;
    }
    return tfm_fail("unknown architecture %d", (int)arch);
}

tfm_model_ws_t *tfm_model_ws_new(const tfm_model_t *m, int chunk)
{
    size_t sz[8], col = 0, per = 0;
    if (ws_layout(m->arch, sz, &col)) return NULL;
    for (int i = 0; i < 8; i++) per += sz[i];
    per += col;
    /* default: activations of a chunk about 1 MB, so the layer-to-layer traffic stays in L2 */
    if (chunk <= 0) chunk = (int)((1u << 20) / (per * sizeof(float)));
    if (chunk < 1) chunk = 1;
    tfm_model_ws_t *ws = tfm_calloc(1, sizeof *ws);
    ws->arch = m->arch;
    ws->chunk = chunk;
    ws->block = tfm_malloc(sizeof(float) * per * chunk);
    float *p = ws->block;
    ws->col = p, p += col * chunk;
    for (int i = 0; i < 8; i++) ws->a[i] = p, p += sz[i] * chunk;
    if (m->fast) ws->fast = tfm_fastnet_scratch_new();
    return ws;
}

void tfm_model_ws_free(tfm_model_ws_t *ws)
{
    if (!ws) return;
    tfm_fastnet_scratch_free(ws->fast);
    free(ws->block);
    free(ws);
}

void tfm_model_ws_set_trace(tfm_model_ws_t *ws, tfm_model_trace_t *tr) { ws->trace = tr; }
void tfm_model_ws_set_naive(tfm_model_ws_t *ws, int naive) { ws->naive = naive; }
void tfm_model_ws_set_gemm(tfm_model_ws_t *ws, int gemm) { ws->gemm = gemm; }

/* Layer dispatch: BLAS or the naive twins (tests compare whole models both ways). */
static void conv(const tfm_model_ws_t *ws, float *out, const float *in, const float *w, const float *b, int B,
                 int Cin, int L, int Cout, int K, int pad)
{
    if (ws->naive) tfm_nn_conv1d_forward_naive(out, in, w, b, B, Cin, L, Cout, K, pad, pad);
    else tfm_nn_conv1d_forward(out, ws->col, in, w, b, B, Cin, L, Cout, K, pad, pad);
}

static void linear(const tfm_model_ws_t *ws, float *out, const float *in, const float *w, const float *b, int N,
                   int I, int O)
{
    if (ws->naive) tfm_nn_linear_forward_naive(out, in, w, b, N, I, O);
    else tfm_nn_linear_forward(out, in, w, b, N, I, O);
}

/* ---------------------------------------------------------------------------------- forward */

/* TargetNet (data README "Forward pass"), chunk of Bc windows, in (Bc, 10, 50). */
static void targetnet_forward(const tfm_targetnet_t *w, const float *in, int Bc, float *prob, tfm_model_ws_t *ws,
                              int b0)
{
    const int L = 50;
    size_t n = (size_t)Bc * L;
    float *x = ws->a[0], *A = ws->a[1], *S = ws->a[2], *T = ws->a[3], *U = ws->a[4], *V = ws->a[5],
          *W = ws->a[6], *P = ws->a[7], *flat = P + (size_t)Bc * 512;
    tfm_model_trace_t *tr = ws->trace;

    tfm_nn_bcl_to_cbl(x, in, Bc, 10, L);                       /* (10, B, 50) */
    conv(ws, A, x, w->stem0_w, NULL, Bc, 10, L, 16, 5, 2);     /* stem.0 (16, B, 50) */
    tfm_nn_relu_forward(A, A, 16 * n);
    trace_put(tr, "stem0", A, 16, Bc, L, b0);
    conv(ws, S, A, w->stem1_w, NULL, Bc, 16, L, 16, 5, 2);     /* stem.1, no activation */
    trace_put(tr, "stem1", S, 16, Bc, L, b0);

    tfm_nn_relu_forward(T, S, 16 * n);                         /* stage1: skip = S */
    conv(ws, A, T, w->s1c1_w, NULL, Bc, 16, L, 16, 3, 1);
    tfm_nn_relu_forward(A, A, 16 * n);
    conv(ws, U, A, w->s1c2_w, NULL, Bc, 16, L, 16, 3, 1);
    tfm_nn_residual_forward(U, S, 16, 16, n);
    trace_put(tr, "stage1", U, 16, Bc, L, b0);

    tfm_nn_relu_forward(T, U, 16 * n);                         /* stage2: skip = U, 16 -> 32 */
    conv(ws, V, T, w->s2c1_w, NULL, Bc, 16, L, 32, 3, 1);
    tfm_nn_relu_forward(V, V, 32 * n);
    conv(ws, W, V, w->s2c2_w, NULL, Bc, 32, L, 32, 3, 1);
    tfm_nn_residual_forward(W, U, 32, 16, n);
    trace_put(tr, "stage2", W, 32, Bc, L, b0);

    tfm_nn_relu_forward(W, W, 32 * n);
    tfm_nn_maxpool1d_forward(P, W, 32, Bc, L, 3);              /* (32, B, 16) */
    trace_put(tr, "pool", P, 32, Bc, 16, b0);
    tfm_nn_cbl_to_bcl(flat, P, Bc, 32, 16);                    /* (B, 512), index c*16 + t */
    linear(ws, prob, flat, w->lin_w, w->lin_b, Bc, 512, 1);    /* logit (B, 1) */
    trace_add(tr, "logit", prob, 1, Bc, 1, b0, 1);
    tfm_nn_sigmoid_forward(prob, prob, (size_t)Bc);
}

/* conv2..fc2 of deepTarget / TargetFM1 on H = ws->a[1] (64, B, 30) -> p_target (heads.md 2.2). */
static void cnn_tail(const tfm_cnnhead_t *w, int Bc, float *prob, tfm_model_ws_t *ws, int b0)
{
    float *H = ws->a[1], *C2 = ws->a[2], *C3 = ws->a[3], *C4 = ws->a[4], *flat = ws->a[5], *f1 = ws->a[6],
          *lg = ws->a[7], *pr = lg + 2 * (size_t)Bc;
    tfm_model_trace_t *tr = ws->trace;
    trace_put(tr, "cat", H, 64, Bc, 30, b0);
    conv(ws, C2, H, w->conv2_w, w->conv2_b, Bc, 64, 30, 16, 3, 0);
    tfm_nn_relu_forward(C2, C2, (size_t)16 * Bc * 28);
    trace_put(tr, "conv2", C2, 16, Bc, 28, b0);
    conv(ws, C3, C2, w->conv3_w, w->conv3_b, Bc, 16, 28, 64, 3, 0);
    tfm_nn_relu_forward(C3, C3, (size_t)64 * Bc * 26);
    trace_put(tr, "conv3", C3, 64, Bc, 26, b0);
    conv(ws, C4, C3, w->conv4_w, w->conv4_b, Bc, 64, 26, 16, 3, 0);
    tfm_nn_relu_forward(C4, C4, (size_t)16 * Bc * 24);
    trace_put(tr, "conv4", C4, 16, Bc, 24, b0);
    tfm_nn_cbl_to_bcl(flat, C4, Bc, 16, 24);                   /* (B, 384), index c*24 + l */
    linear(ws, f1, flat, w->fc1_w, w->fc1_b, Bc, 384, 30);     /* no activation between fc1, fc2 */
    trace_add(tr, "fc1", f1, 30, Bc, 1, b0, 1);
    linear(ws, lg, f1, w->fc2_w, w->fc2_b, Bc, 30, 2);
    trace_add(tr, "logits", lg, 2, Bc, 1, b0, 1);
    tfm_nn_softmax2_forward(pr, lg, Bc);
    for (int b = 0; b < Bc; b++) prob[b] = pr[2 * b + 1];
}

/* deepTarget, in (Bc, 8, 30): the shared embd1 conv on the miRNA rows and on the CTS rows, each
 * written into its half of the concat buffer. */
static void deeptarget_forward(const tfm_cnnhead_t *w, const float *in, int Bc, float *prob, tfm_model_ws_t *ws,
                               int b0)
{
    float *x = ws->a[0], *H = ws->a[1];
    size_t n = (size_t)Bc * 30;
    tfm_nn_bcl_to_cbl(x, in, Bc, 8, 30);                       /* rows 0-3 miRNA, 4-7 CTS */
    conv(ws, H, x, w->embd1_w, w->embd1_b, Bc, 4, 30, 32, 3, 1);
    conv(ws, H + 32 * n, x + 4 * n, w->embd1_w, w->embd1_b, Bc, 4, 30, 32, 3, 1);
    tfm_nn_relu_forward(H, H, 64 * n);
    trace_put(ws->trace, "embd1_mirna", H, 32, Bc, 30, b0);
    trace_put(ws->trace, "embd1_cts", H + 32 * n, 32, Bc, 30, b0);
    cnn_tail(w, Bc, prob, ws, b0);
}

/* TargetFM1 head, in (Bc, 2, 30, d): per sample, fc_mi / fc_mr over the 30 positions give
 * (32, 30) channels-first, copied into the sample's slot of each concat half. */
static void targetfm1_forward(const tfm_cnnhead_t *w, int d, const float *in, int Bc, float *prob, tfm_model_ws_t *ws,
                              int b0)
{
    float *tmp = ws->a[0], *H = ws->a[1];
    size_t n = (size_t)Bc * 30;
    for (int b = 0; b < Bc; b++)
        for (int s = 0; s < 2; s++) {
            const float *e = in + ((size_t)b * 2 + s) * 30 * d;
            const float *wt = s ? w->fc_mr_w : w->fc_mi_w, *bs = s ? w->fc_mr_b : w->fc_mi_b;
            if (ws->naive) tfm_nn_linear_forward_t_naive(tmp, e, wt, bs, 30, d, 32);
            else tfm_nn_linear_forward_t(tmp, e, wt, bs, 30, d, 32);
            for (int c = 0; c < 32; c++)
                memcpy(H + (s * 32 + c) * n + (size_t)b * 30, tmp + c * 30, sizeof(float) * 30);
        }
    tfm_nn_relu_forward(H, H, 64 * n);
    cnn_tail(w, Bc, prob, ws, b0);
}

int tfm_model_forward(const tfm_model_t *m, const float *input, int batch, float *out_prob, tfm_model_ws_t *ws)
{
    if (ws->arch != m->arch)
        return tfm_fail("workspace made for %s used with %s", tfm_model_arch_name(ws->arch),
                        tfm_model_arch_name(m->arch));
    if (ws->trace) ws->trace->batch = batch;
    size_t isz = tfm_model_input_size(m);
    /* window by window: no chunking needed, and the result of a window is its own */
    if (m->fast && ws->fast && !ws->naive && !ws->gemm && !ws->trace) {
        tfm_fastnet_forward(m->fast, input, batch, out_prob, ws->fast);
        return 0;
    }
    for (int b0 = 0; b0 < batch; b0 += ws->chunk) {
        int Bc = batch - b0 < ws->chunk ? batch - b0 : ws->chunk;
        const float *in = input + (size_t)b0 * isz;
        switch (m->arch) {
        case TFM_ARCH_TARGETNET: targetnet_forward(&m->w.tn, in, Bc, out_prob + b0, ws, b0); break;
        case TFM_ARCH_DEEPTARGET: deeptarget_forward(&m->w.head, in, Bc, out_prob + b0, ws, b0); break;
        case TFM_ARCH_TARGETFM1: targetfm1_forward(&m->w.head, m->d, in, Bc, out_prob + b0, ws, b0); break;
        }
    }
    return 0;
}
