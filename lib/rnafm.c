/* rnafm: RNA-FM encoder inference (specs/rna-fm.md). Layer kernels first, then the parameter
 * table shared by the checkpoint loader and the deterministic generator, then the forward pass. */
/* The small loops around the GEMMs (bias, scaling, attention over 30 keys) only vectorise with
 * -O3's cost model; GCC at -O2 leaves them scalar (10% of the forward). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif

#include "rnafm.h"

#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ------------------------------------------------------------------------------------ tokens */

int tfm_rnafm_token(int c)
{
    switch (c) {
    case 'A': return 4;
    case 'C': return 5;
    case 'G': return 6;
    case 'U': return 7;
    case 'R': return 8;
    case 'Y': return 9;
    case 'K': return 10;
    case 'M': return 11;
    case 'S': return 12;
    case 'W': return 13;
    case 'B': return 14;
    case 'D': return 15;
    case 'H': return 16;
    case 'V': return 17;
    case 'N': return 18;
    case '-': return 19;
    default: return TFM_RNAFM_UNK; /* T, lower case, 'O', '.', ... exactly as the original */
    }
}

int tfm_rnafm_tokenize(const char *s, size_t len, int bos_eos, int *tok)
{
    size_t max = bos_eos ? TFM_RNAFM_MAX_NT : TFM_RNAFM_MAX_NT + 2;
    if (len > max)
        return tfm_fail("sequence of %zu nt is longer than RNA-FM's limit of %zu nt (1024 positions%s)", len, max,
                        bos_eos ? " including <cls> and <eos>" : "");
    int n = 0;
    if (bos_eos) tok[n++] = TFM_RNAFM_CLS;
    for (size_t i = 0; i < len; i++) tok[n++] = tfm_rnafm_token((unsigned char)s[i]);
    if (bos_eos) tok[n++] = TFM_RNAFM_EOS;
    return n;
}

int tfm_rnafm_tokenize_batch(const char *const *s, int n, int *tok, int *T)
{
    size_t lmax = 0;
    for (int i = 0; i < n; i++) {
        size_t l = strlen(s[i]);
        if (l > TFM_RNAFM_MAX_NT)
            return tfm_fail("sequence %d: %zu nt is longer than RNA-FM's limit of %d nt", i + 1, l, TFM_RNAFM_MAX_NT);
        if (l > lmax) lmax = l;
    }
    *T = (int)lmax + 2;
    for (int i = 0; i < n; i++) {
        int *row = tok + (size_t)i * *T;
        int k = tfm_rnafm_tokenize(s[i], strlen(s[i]), 1, row);
        for (; k < *T; k++) row[k] = TFM_RNAFM_PAD; /* right padding after <eos> */
    }
    return 0;
}

void tfm_rnafm_targetfm_tokens(const char *s, size_t len, int *tok30)
{
    if (len > TFM_RNAFM_TFM_LEN) len = TFM_RNAFM_TFM_LEN; /* keep the first 30 */
    size_t npad = TFM_RNAFM_TFM_LEN - len, i;
    for (i = 0; i < npad; i++) tok30[i] = tfm_rnafm_token('O'); /* 'O' pre-padding -> <unk> */
    for (i = 0; i < len; i++) tok30[npad + i] = tfm_rnafm_token((unsigned char)s[i]);
}

static char norm_nt(int c, int compat)
{
    if (compat) return (char)c;
    c = c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
    return (char)(c == 'T' ? 'U' : c);
}

void tfm_rnafm_targetfm_pair(const char *mirna, size_t mirna_len, const char *site, size_t site_len, int compat,
                             int *mirna_tok30, int *cts_tok30)
{
    char buf[TFM_RNAFM_TFM_LEN];
    size_t n = mirna_len < TFM_RNAFM_TFM_LEN ? mirna_len : TFM_RNAFM_TFM_LEN;
    for (size_t i = 0; i < n; i++) buf[i] = norm_nt((unsigned char)mirna[i], compat);
    tfm_rnafm_targetfm_tokens(buf, n, mirna_tok30);
    n = site_len < TFM_RNAFM_TFM_LEN ? site_len : TFM_RNAFM_TFM_LEN;
    for (size_t i = 0; i < n; i++) buf[i] = norm_nt((unsigned char)site[site_len - 1 - i], compat);
    tfm_rnafm_targetfm_tokens(buf, n, cts_tok30);
}

/* ----------------------------------------------------------------------------- layer kernels */

/* in (N, C) -> out (N, C), per row: (x - mean) / sqrt(var + 1e-5) * w + b, biased variance.
 * out may equal in. Statistics in double: the reference's float32 LayerNorm is within 1e-6. */
static void layernorm_forward(float *out, const float *in, const float *w, const float *b, int N, int C)
{
    for (int n = 0; n < N; n++) {
        const float *x = in + (size_t)n * C;
        float *y = out + (size_t)n * C;
        double m = 0, v = 0;
        for (int c = 0; c < C; c++) m += x[c];
        m /= C;
        for (int c = 0; c < C; c++) v += (x[c] - m) * (x[c] - m);
        float mean = (float)m, rstd = (float)(1.0 / sqrt(v / C + 1e-5));
        for (int c = 0; c < C; c++) y[c] = (x[c] - mean) * rstd * w[c] + b[c];
    }
}

/* in (N, Din), w (Dout, Din) as PyTorch stores it, bias (Dout) -> out (N, Dout) = in w^T + bias,
 * or out += in w^T + bias when accumulate (the residual adds). One sgemm over all N tokens; its
 * time and flops go to prof (when given), apart from the bias loop. */
static void matmul_forward(float *out, const float *in, const float *w, const float *bias, int N, int Din, int Dout,
                           int accumulate, tfm_rnafm_prof_t *prof)
{
    double t0 = prof ? tfm_seconds() : 0;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, N, Dout, Din, 1.0f, in, Din, w, Din,
                accumulate ? 1.0f : 0.0f, out, Dout);
    if (prof) prof->gemm_s += tfm_seconds() - t0, prof->gemm_flop += 2.0 * N * Din * Dout;
    if (!bias) return;
    for (int n = 0; n < N; n++) {
        float *restrict y = out + (size_t)n * Dout;
        for (int o = 0; o < Dout; o++) y[o] += bias[o];
    }
}

/* exp(u) for -87 < u <= 0, branch-free so the GELU loop vectorises (libm's expf/erff do not,
 * and erff alone took ~10% of the encoder's time): u = k ln2 + r with |r| <= ln2/2 (Cody-Waite
 * split of ln2; k rounded with the 1.5 * 2^23 trick), e^r by its Taylor series to r^7 (relative
 * error < 2e-8), 2^k from the exponent bits. */
static inline float exp_nonpos(float u)
{
    float k = (u * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
    float r = (u - k * 0.693145751953125f) - k * 1.42860682030941723212e-6f;
    float p = 1.0f / 5040;
    p = p * r + 1.0f / 720, p = p * r + 1.0f / 120, p = p * r + 1.0f / 24, p = p * r + 1.0f / 6;
    p = p * r + 0.5f, p = p * r + 1.0f, p = p * r + 1.0f;
    int32_t bits = ((int32_t)k + 127) << 23;
    float two;
    memcpy(&two, &bits, sizeof two);
    return p * two;
}

/* erf(z) = sign(z) (1 - poly(t) e^(-z^2)), t = 1 / (1 + 0.3275911 |z|): Abramowitz & Stegun
 * 7.1.26, absolute error 1.5e-7 in exact arithmetic, <= 1e-6 in float (tests/test_rnafm.c
 * checks it against erf); relative to GELU's 1 + erf that is float rounding. |z| is clamped at
 * 9 (erf = 1 in float) with an integer min on the bits, which vectorises where a float
 * comparison does not. */
static inline float erf_fast(float z)
{
    float a = __builtin_fabsf(z);
    int32_t ai, nine = 0x41100000; /* 9.0f; non-negative floats order as their bits */
    memcpy(&ai, &a, sizeof ai);
    ai = ai < nine ? ai : nine;
    memcpy(&a, &ai, sizeof a);
    float t = 1.0f / (1.0f + 0.3275911f * a);
    float p = ((((1.061405429f * t - 1.453152027f) * t + 1.421413741f) * t - 0.284496736f) * t + 0.254829592f) * t;
    float y = 1.0f - p * exp_nonpos(-a * a);
    return __builtin_copysignf(y, z);
}

float tfm_rnafm_erf(float z) { return erf_fast(z); }

/* Exact (erf, not tanh) GELU 0.5 x (1 + erf(x / sqrt 2)), in place over n floats. O3: GCC 12
 * vectorises this loop only there. */
__attribute__((optimize("O3"))) static void gelu_forward(float *x, size_t n)
{
    for (size_t i = 0; i < n; i++) x[i] = 0.5f * x[i] * (1.0f + erf_fast(x[i] * 0.70710678118654752f));
}

/* qkv (B, T, 3d) holding q (already scaled), k, v in column blocks 0, d, 2d; pad (B, T) masks keys.
 * -> out (B, T, d): per head j (columns hd*j ..), softmax(q k^T) v over the non-pad keys.
 * s: scratch of T * (hd + 1) floats. Every query row is computed, pad rows included (as the
 * reference). K is transposed per head so the score loop runs over keys, which vectorises
 * (a dot product over 32 features is a float reduction the compiler must not reorder). */
static void attention_forward(float *out, float *s, const float *qkv, const unsigned char *pad, int B, int T, int d,
                              int H)
{
    int hd = d / H;
    size_t st = (size_t)3 * d;
    float *kt = s + T; /* (hd, T) */
    for (int b = 0; b < B; b++) {
        const float *base = qkv + (size_t)b * T * st;
        const unsigned char *pb = pad + (size_t)b * T;
        for (int j = 0; j < H; j++) {
            for (int t = 0; t < T; t++)
                for (int c = 0; c < hd; c++) kt[(size_t)c * T + t] = base[t * st + d + j * hd + c];
            for (int i = 0; i < T; i++) {
                const float *q = base + i * st + j * hd;
                float *restrict sr = s;
                for (int t = 0; t < T; t++) sr[t] = 0;
                for (int c = 0; c < hd; c++) {
                    float qc = q[c];
                    const float *restrict k = kt + (size_t)c * T;
                    for (int t = 0; t < T; t++) sr[t] += qc * k[t];
                }
                float mx = -INFINITY;
                for (int t = 0; t < T; t++)
                    if (!pb[t] && s[t] > mx) mx = s[t];
                float *restrict o = out + ((size_t)b * T + i) * d + j * hd;
                for (int c = 0; c < hd; c++) o[c] = 0;
                if (mx == -INFINITY) continue; /* no key at all: a row of pads only */
                float sum = 0;
                for (int t = 0; t < T; t++) sum += s[t] = pb[t] ? 0.0f : expf(s[t] - mx);
                float inv = 1.0f / sum;
                for (int t = 0; t < T; t++) {
                    if (pb[t]) continue;
                    const float *restrict v = base + t * st + 2 * d + j * hd;
                    float p = s[t] * inv;
                    for (int c = 0; c < hd; c++) o[c] += p * v[c];
                }
            }
        }
    }
}

/* ------------------------------------------------------------------------- parameter table */

/* One tensor of the state dict (renamed keys of section 6) and where it lives in the block. */
typedef struct {
    char name[64];
    int ndim;
    int64_t shape[2];
    float *dst;
} slot_t;

static size_t param_count(int L, int d, int ffn, int max_pos)
{
    size_t per_layer = 4 * (size_t)d + 4 * (size_t)d * d + 4 * (size_t)d + 2 * (size_t)ffn * d + ffn + d;
    return (size_t)TFM_RNAFM_VOCAB * d + (size_t)(max_pos + 2) * d + 4 * (size_t)d + (size_t)d * d + 3 * (size_t)d +
           TFM_RNAFM_VOCAB + (size_t)L * per_layer;
}

static tfm_rnafm_t *alloc_model(int L, int d, int H, int ffn, int max_pos)
{
    if (L < 1 || L > 1000 || d < 1 || d > 1 << 16 || H < 1 || d % H || ffn < 1 || ffn > 1 << 20 || max_pos < 1 ||
        max_pos > 1 << 20) {
        tfm_fail("RNA-FM: bad dimensions (layers %d, embed_dim %d, heads %d, ffn %d, max_positions %d)", L, d, H, ffn,
                 max_pos);
        return NULL;
    }
    tfm_rnafm_t *m = tfm_calloc(1, sizeof *m);
    m->n_layers = L, m->d = d, m->n_heads = H, m->ffn = ffn, m->max_pos = max_pos;
    m->n_params = param_count(L, d, ffn, max_pos);
    m->params = tfm_malloc(m->n_params * sizeof(float));
    m->layers = tfm_calloc(L, sizeof *m->layers);
    float *p = m->params;
#define TAKE(ptr, n) (ptr = p, p += (n))
    TAKE(m->embed_tokens, (size_t)TFM_RNAFM_VOCAB * d);
    TAKE(m->embed_positions, (size_t)(max_pos + 2) * d);
    TAKE(m->ln_before_w, d), TAKE(m->ln_before_b, d);
    for (int l = 0; l < L; l++) {
        tfm_rnafm_layer_t *y = &m->layers[l];
        TAKE(y->ln1_w, d), TAKE(y->ln1_b, d);
        TAKE(y->wqkv, 3 * (size_t)d * d), TAKE(y->bqkv, 3 * (size_t)d);
        TAKE(y->wo, (size_t)d * d), TAKE(y->bo, d);
        TAKE(y->ln2_w, d), TAKE(y->ln2_b, d);
        TAKE(y->w1, (size_t)ffn * d), TAKE(y->b1, ffn);
        TAKE(y->w2, (size_t)d * ffn), TAKE(y->b2, d);
    }
    TAKE(m->ln_after_w, d), TAKE(m->ln_after_b, d);
    TAKE(m->lm_dense_w, (size_t)d * d), TAKE(m->lm_dense_b, d);
    TAKE(m->lm_ln_w, d), TAKE(m->lm_ln_b, d);
    TAKE(m->lm_bias, TFM_RNAFM_VOCAB);
#undef TAKE
    return m;
}

static void add_slot(slot_t *s, int *n, const char *name, int64_t r, int64_t c, float *dst)
{
    slot_t *t = &s[(*n)++];
    snprintf(t->name, sizeof t->name, "%s", name);
    t->ndim = c ? 2 : 1, t->shape[0] = r, t->shape[1] = c, t->dst = dst;
}

/* Every tensor the model reads, in state-dict order; s needs 16 * n_layers + 16 entries.
 * (lm_head.weight is tied to embed_tokens and contact_head is unused: not listed.) */
static int slot_table(const tfm_rnafm_t *m, slot_t *s)
{
    int n = 0, d = m->d, f = m->ffn;
    char k[64];
    add_slot(s, &n, "embed_tokens.weight", TFM_RNAFM_VOCAB, d, m->embed_tokens);
    for (int l = 0; l < m->n_layers; l++) {
        const tfm_rnafm_layer_t *y = &m->layers[l];
        static const char *proj[] = {"q_proj", "k_proj", "v_proj"};
        for (int i = 0; i < 3; i++) {
            snprintf(k, sizeof k, "layers.%d.self_attn.%s.weight", l, proj[i]);
            add_slot(s, &n, k, d, d, y->wqkv + (size_t)i * d * d);
            snprintf(k, sizeof k, "layers.%d.self_attn.%s.bias", l, proj[i]);
            add_slot(s, &n, k, d, 0, y->bqkv + (size_t)i * d);
        }
#define SLOT(fmt, r, c, dst) (snprintf(k, sizeof k, "layers.%d." fmt, l), add_slot(s, &n, k, r, c, dst))
        SLOT("self_attn.out_proj.weight", d, d, y->wo);
        SLOT("self_attn.out_proj.bias", d, 0, y->bo);
        SLOT("self_attn_layer_norm.weight", d, 0, y->ln1_w);
        SLOT("self_attn_layer_norm.bias", d, 0, y->ln1_b);
        SLOT("fc1.weight", f, d, y->w1);
        SLOT("fc1.bias", f, 0, y->b1);
        SLOT("fc2.weight", d, f, y->w2);
        SLOT("fc2.bias", d, 0, y->b2);
        SLOT("final_layer_norm.weight", d, 0, y->ln2_w);
        SLOT("final_layer_norm.bias", d, 0, y->ln2_b);
#undef SLOT
    }
    add_slot(s, &n, "embed_positions.weight", m->max_pos + 2, d, m->embed_positions);
    add_slot(s, &n, "emb_layer_norm_before.weight", d, 0, m->ln_before_w);
    add_slot(s, &n, "emb_layer_norm_before.bias", d, 0, m->ln_before_b);
    add_slot(s, &n, "emb_layer_norm_after.weight", d, 0, m->ln_after_w);
    add_slot(s, &n, "emb_layer_norm_after.bias", d, 0, m->ln_after_b);
    add_slot(s, &n, "lm_head.bias", TFM_RNAFM_VOCAB, 0, m->lm_bias);
    add_slot(s, &n, "lm_head.dense.weight", d, d, m->lm_dense_w);
    add_slot(s, &n, "lm_head.dense.bias", d, 0, m->lm_dense_b);
    add_slot(s, &n, "lm_head.layer_norm.weight", d, 0, m->lm_ln_w);
    add_slot(s, &n, "lm_head.layer_norm.bias", d, 0, m->lm_ln_b);
    return n;
}

static slot_t *slots_new(const tfm_rnafm_t *m, int *n)
{
    slot_t *s = tfm_malloc(sizeof *s * (16 * (size_t)m->n_layers + 16));
    *n = slot_table(m, s);
    return s;
}

void tfm_rnafm_free(tfm_rnafm_t *m)
{
    if (!m) return;
    free(m->params);
    free(m->layers);
    free(m);
}

/* --------------------------------------------------------------- deterministic weights (9) */

/* detrand.py: FNV-1a-64 of the name seeds SplitMix64; v = float(offset + scale (2u - 1)). */
static void det_fill(float *out, const char *name, size_t n, double scale, double offset)
{
    uint64_t h = tfm_fnv1a64(name);
    for (size_t i = 0; i < n; i++) {
        uint64_t z = tfm_splitmix64(&h);
        double u = (double)(z >> 40) / 16777216.0;
        out[i] = (float)(offset + scale * (2.0 * u - 1.0));
    }
}

tfm_rnafm_t *tfm_rnafm_new_det(int n_layers, int d, int n_heads, int ffn, int max_pos, int token_dropout)
{
    tfm_rnafm_t *m = alloc_model(n_layers, d, n_heads, ffn, max_pos);
    if (!m) return NULL;
    m->token_dropout = token_dropout;
    int n;
    slot_t *s = slots_new(m, &n);
    for (int i = 0; i < n; i++) {
        const char *k = s[i].name;
        size_t len = strlen(k), numel = (size_t)s[i].shape[0] * (s[i].ndim == 2 ? (size_t)s[i].shape[1] : 1);
        int is_w = len > 7 && strcmp(k + len - 7, ".weight") == 0;
        double scale, off = 0;
        if (strstr(k, "layer_norm")) scale = is_w ? 0.2 : 0.1, off = is_w ? 1.0 : 0.0;
        else if (strcmp(k, "embed_tokens.weight") == 0) scale = 1.0;
        else if (strcmp(k, "embed_positions.weight") == 0) scale = 0.5;
        else if (is_w && s[i].ndim == 2) scale = 1.0 / sqrt((double)s[i].shape[1]);
        else scale = 0.05;
        det_fill(s[i].dst, k, numel, scale, off);
    }
    free(s);
    memset(m->embed_tokens + (size_t)TFM_RNAFM_MASK * d, 0, sizeof(float) * d);
    return m;
}

/* ------------------------------------------------------------------------ checkpoint loader */

/* Section 7.3: drop up to "sentence_encoder.", then concatenate the pieces of a split on
 * "encoder." without the first (= keep what follows the last "encoder."). */
static void rename_key(const char *key, char *out, size_t size)
{
    const char *p = strstr(key, "sentence_encoder.");
    if (p) key = p + strlen("sentence_encoder.");
    if (!strstr(key, "encoder")) {
        snprintf(out, size, "%s", key);
        return;
    }
    size_t n = 0;
    const char *r = strstr(key, "encoder.");
    if (r)
        for (r += 8; *r && n + 1 < size;) {
            if (strncmp(r, "encoder.", 8) == 0) r += 8; /* a further split point */
            else out[n++] = *r++;
        }
    out[n] = '\0'; /* "encoder" without "encoder.": the split leaves nothing (an unexpected key) */
}

/* A safetensors file of tfm_rnafm_save: the args are in the metadata. */
static int is_st(const tfm_ckpt_t *c) { return c->format && strcmp(c->format, "safetensors") == 0; }

static const char *arg_raw(const tfm_ckpt_t *c, const char *name)
{
    return is_st(c) ? tfm_ckpt_meta(c, name) : tfm_ckpt_arg(c, name);
}

/* An args attribute by its fairseq name or its renamed form (7.2). */
static const char *arg_get(const tfm_ckpt_t *c, const char *name)
{
    const char *v = arg_raw(c, name);
    if (!v && strncmp(name, "encoder_", 8) == 0) v = arg_raw(c, name + 8);
    return v;
}

static int arg_int(const tfm_ckpt_t *c, const char *file, const char *name, int *out)
{
    const char *v = arg_get(c, name);
    long x;
    if (!v) return tfm_fail("%s: args has no '%s' (not an RNA-FM fairseq checkpoint?)", file, name);
    if (tfm_parse_long(v, 1, 1 << 20, &x) < 0) return tfm_fail("%s: args.%s = '%s' is not a valid size", file, name, v);
    *out = (int)x;
    return 0;
}

static void shape_str(char *buf, size_t size, int ndim, const int64_t *shape)
{
    size_t n = 0;
    n += snprintf(buf + n, size - n, "[");
    for (int i = 0; i < ndim && n < size; i++) n += snprintf(buf + n, size - n, "%s%lld", i ? ", " : "", (long long)shape[i]);
    if (n < size) snprintf(buf + n, size - n, "]");
}

/* Bind the tensors of c; when `owned` (= c) is given, each tensor's floats are freed once copied,
 * so loading a 400 MB model peaks near 1x the weights instead of 2x. */
static tfm_rnafm_t *bind_ckpt(const tfm_ckpt_t *c, tfm_ckpt_t *owned, const char *file)
{
    const char *arch = tfm_ckpt_arg(c, "arch");
    if (is_st(c)) {
        const char *a = tfm_ckpt_meta(c, "architecture");
        if (!a || strcmp(a, "rnafm") != 0) {
            tfm_fail("%s: metadata architecture is '%s', expected 'rnafm' (an RNA-FM file of tfm-convert)", file,
                     a ? a : "(absent)");
            return NULL;
        }
    } else if (!c->n_args) {
        tfm_fail("%s: no fairseq 'args' (not an RNA-FM checkpoint)", file);
        return NULL;
    }
    if (!is_st(c) && (!arch || strcmp(arch, "roberta_large") != 0)) {
        tfm_fail("%s: args.arch is '%s', expected 'roberta_large' (RNA-FM)", file, arch ? arch : "(absent)");
        return NULL;
    }
    int L, d, H, ffn, maxpos;
    if (arg_int(c, file, "encoder_layers", &L) < 0 || arg_int(c, file, "encoder_embed_dim", &d) < 0 ||
        arg_int(c, file, "encoder_attention_heads", &H) < 0 || arg_int(c, file, "encoder_ffn_embed_dim", &ffn) < 0 ||
        arg_int(c, file, "max_positions", &maxpos) < 0)
        return NULL;
    if (d % H) {
        tfm_fail("%s: args: embed_dim %d is not a multiple of attention_heads %d", file, d, H);
        return NULL;
    }
    tfm_rnafm_t *m = alloc_model(L, d, H, ffn, maxpos);
    if (!m) {
        tfm_fail("%s: %s", file, tfm_last_error());
        return NULL;
    }
    const char *td = arg_raw(c, "token_dropout");
    double tdv = 0;
    m->token_dropout = td && (strcmp(td, "True") == 0 || (tfm_parse_double(td, &tdv) == 0 && tdv != 0));

    int n;
    slot_t *s = slots_new(m, &n);
    char *seen = tfm_calloc(n, 1), key[256], got[128], want[128];
    for (int i = 0; i < c->n; i++) {
        const tfm_tensor_t *t = &c->t[i];
        rename_key(t->name, key, sizeof key);
        int j;
        for (j = 0; j < n; j++)
            if (strcmp(s[j].name, key) == 0) break;
        int64_t tied[2] = {TFM_RNAFM_VOCAB, d};
        const int64_t *shape = j < n ? s[j].shape : tied;
        int ndim = j < n ? s[j].ndim : 2;
        if (j == n && strncmp(key, "contact_head.regression.", 24) == 0) continue; /* unused; may be absent */
        if (j == n && strcmp(key, "lm_head.weight") != 0) {
            tfm_fail("%s: unexpected key '%s' in the state dict (not part of rna_fm_t12)", file, t->name);
            goto fail;
        }
        int ok = t->ndim == ndim;
        for (int k = 0; ok && k < ndim; k++) ok = t->shape[k] == shape[k];
        if (!ok) {
            shape_str(got, sizeof got, t->ndim, t->shape), shape_str(want, sizeof want, ndim, shape);
            tfm_fail("%s: tensor '%s' has shape %s, expected %s (args: %d layers, embed_dim %d, ffn %d, "
                     "max_positions %d)", file, t->name, got, want, L, d, ffn, maxpos);
            goto fail;
        }
        if (j == n) { /* lm_head.weight: tied to embed_tokens, checked but not read (7.4, 10.5) */
            seen[0] |= 2;
            continue;
        }
        if (seen[j] & 1) {
            tfm_fail("%s: key '%s' occurs twice after renaming ('%s')", file, key, t->name);
            goto fail;
        }
        seen[j] |= 1;
        memcpy(s[j].dst, t->data, sizeof(float) * (size_t)t->numel);
        if (owned) free(owned->t[i].data), owned->t[i].data = NULL;
    }
    for (int j = 0; j < n; j++)
        if (!(seen[j] & 1)) {
            tfm_fail("%s: missing key '%s' in the state dict", file, s[j].name);
            goto fail;
        }
    if (!(seen[0] & 2)) {
        tfm_fail("%s: missing key 'lm_head.weight' in the state dict", file);
        goto fail;
    }
    memset(m->embed_tokens + (size_t)TFM_RNAFM_MASK * d, 0, sizeof(float) * d); /* as the official loader */
    free(s), free(seen);
    return m;
fail:
    free(s), free(seen);
    tfm_rnafm_free(m);
    return NULL;
}

tfm_rnafm_t *tfm_rnafm_from_ckpt(const tfm_ckpt_t *c, const char *file) { return bind_ckpt(c, NULL, file); }

tfm_rnafm_t *tfm_rnafm_load(const char *path)
{
    tfm_ckpt_t *c = tfm_ckpt_load(path);
    if (!c) { /* say what the file was meant to be: it is not shipped with tfm */
        char why[512];
        snprintf(why, sizeof why, "%s", tfm_last_error());
        tfm_fail("%s (expected the RNA-FM checkpoint: RNA-FM_pretrained.pth of ml4bio/RNA-FM, or its tfm-convert "
                 "safetensors)", why);
        return NULL;
    }
    tfm_rnafm_t *m = bind_ckpt(c, c, path);
    tfm_ckpt_free(c);
    return m;
}

int tfm_rnafm_save(const tfm_rnafm_t *m, const char *path, int f16, const char *source)
{
    int n;
    slot_t *s = slots_new(m, &n);
    tfm_tensor_t *t = tfm_calloc((size_t)n + 1, sizeof *t);
    for (int i = 0; i < n; i++) {
        t[i].name = s[i].name, t[i].ndim = s[i].ndim, t[i].data = s[i].dst;
        t[i].shape[0] = s[i].shape[0], t[i].shape[1] = s[i].ndim == 2 ? s[i].shape[1] : 0;
        t[i].numel = s[i].shape[0] * (s[i].ndim == 2 ? s[i].shape[1] : 1);
    }
    /* lm_head.weight is tied to embed_tokens (7.4): written so the file is a complete state dict */
    t[n] = (tfm_tensor_t){.name = "lm_head.weight", .ndim = 2, .shape = {TFM_RNAFM_VOCAB, m->d},
                          .numel = (int64_t)TFM_RNAFM_VOCAB * m->d, .data = m->embed_tokens};
    char v[6][24];
    snprintf(v[0], sizeof v[0], "%d", m->n_layers), snprintf(v[1], sizeof v[1], "%d", m->d);
    snprintf(v[2], sizeof v[2], "%d", m->n_heads), snprintf(v[3], sizeof v[3], "%d", m->ffn);
    snprintf(v[4], sizeof v[4], "%d", m->max_pos), snprintf(v[5], sizeof v[5], "%d", m->token_dropout ? 1 : 0);
    const char *mk[] = {"architecture", "encoding", "source", "layers", "embed_dim", "attention_heads",
                        "ffn_embed_dim", "max_positions", "token_dropout"};
    const char *mv[] = {"rnafm", "rnafm-tokens", source ? source : "", v[0], v[1], v[2], v[3], v[4], v[5]};
    int rc = tfm_safetensors_write_dtype(path, t, n + 1, mk, mv, 9, f16);
    free(t), free(s);
    return rc;
}

double tfm_rnafm_macs_per_token(const tfm_rnafm_t *m, int T)
{
    double d = m->d;
    return m->n_layers * (4 * d * d + 2 * d * m->ffn + 2.0 * T * d);
}

/* ---------------------------------------------------------------------------------- forward */

/* The rows of a call go through the layers in passes of at most TFM_RNAFM_PASS_TOKENS tokens (at
 * least one row), so the workspace is bounded whatever the batch. Buffers are shared where
 * lifetimes allow: attention writes o into h (free once q, k, v are made) and q, k, v live in f
 * (free until fc1). */
struct tfm_rnafm_ws_s {
    size_t cap;               /* tokens the buffers hold, for dims d, fw */
    int d, fw, T, hd;         /* fw = max(ffn, 3d); s holds T (hd + 1) */
    float *x, *h, *f, *s;     /* (N,d) (N,d) (N,fw) attention scratch */
    int *pos;
    unsigned char *pad;
    tfm_rnafm_prof_t prof;
};

tfm_rnafm_ws_t *tfm_rnafm_ws_new(void) { return tfm_calloc(1, sizeof(tfm_rnafm_ws_t)); }

tfm_rnafm_prof_t *tfm_rnafm_ws_prof(tfm_rnafm_ws_t *ws) { return &ws->prof; }

static void ws_free_bufs(tfm_rnafm_ws_t *w)
{
    free(w->x), free(w->h), free(w->f), free(w->s), free(w->pos), free(w->pad);
}

void tfm_rnafm_ws_free(tfm_rnafm_ws_t *ws)
{
    if (!ws) return;
    ws_free_bufs(ws);
    free(ws);
}

static void ws_reserve(tfm_rnafm_ws_t *w, size_t N, int T, int d, int ffn, int hd)
{
    int fw = ffn > 3 * d ? ffn : 3 * d;
    if (N <= w->cap && d == w->d && fw == w->fw && T <= w->T && hd == w->hd) return;
    ws_free_bufs(w);
    w->cap = N, w->d = d, w->fw = fw, w->T = T, w->hd = hd;
    w->x = tfm_malloc(sizeof(float) * N * d);
    w->h = tfm_malloc(sizeof(float) * N * d);
    w->f = tfm_malloc(sizeof(float) * N * fw);
    w->s = tfm_malloc(sizeof(float) * (size_t)T * (hd + 1));
    w->pos = tfm_malloc(sizeof(int) * N);
    w->pad = tfm_malloc(N);
}

/* tok (B, T) -> x (B, T, d): token embedding, token dropout scaling (4.3), learned positions
 * with the padding-index rule (4.4), emb_layer_norm_before, pad rows zeroed. b0: index of the
 * first row in the caller's batch, for messages. */
static int embed_forward(const tfm_rnafm_t *m, const int *tok, int B, int T, int b0, tfm_rnafm_ws_t *w)
{
    int d = m->d;
    for (int b = 0; b < B; b++) {
        int nonpad = 0, nmask = 0;
        for (int t = 0; t < T; t++) {
            size_t i = (size_t)b * T + t;
            int id = tok[i];
            if (id < 0 || id >= TFM_RNAFM_VOCAB)
                return tfm_fail("RNA-FM: token id %d out of range (row %d, column %d)", id, b0 + b, t);
            w->pad[i] = id == TFM_RNAFM_PAD;
            if (!w->pad[i]) nonpad++;
            nmask += id == TFM_RNAFM_MASK;
            w->pos[i] = w->pad[i] ? TFM_RNAFM_PAD : nonpad + TFM_RNAFM_PAD;
            if (nonpad > m->max_pos)
                return tfm_fail("RNA-FM: row %d has more than %d tokens (at most %d nt plus <cls> and <eos>)", b0 + b,
                                m->max_pos, m->max_pos - 2);
            float *x = w->x + i * d;
            memcpy(x, m->embed_tokens + (size_t)id * d, sizeof(float) * d);
            if (m->token_dropout && id == TFM_RNAFM_MASK) memset(x, 0, sizeof(float) * d);
        }
        if (m->token_dropout && nonpad) {
            float r = (float)nmask / (float)nonpad, den = 1.0f - r;
            float *x = w->x + (size_t)b * T * d;
            for (size_t i = 0; i < (size_t)T * d; i++) x[i] = x[i] * 0.88f / den; /* (1 - 0.15 * 0.8) / (1 - r) */
        }
    }
    size_t N = (size_t)B * T;
    for (size_t i = 0; i < N; i++) {
        float *x = w->x + i * d;
        const float *p = m->embed_positions + (size_t)w->pos[i] * d;
        for (int c = 0; c < d; c++) x[c] += p[c];
    }
    layernorm_forward(w->x, w->x, m->ln_before_w, m->ln_before_b, (int)N, d);
    for (size_t i = 0; i < N; i++)
        if (w->pad[i]) memset(w->x + i * d, 0, sizeof(float) * d);
    return 0;
}

/* One pre-LN layer on x (N, d) in place: x += attn(LN1(x)); x += fc2(gelu(fc1(LN2(x)))). */
static void layer_forward(const tfm_rnafm_t *m, const tfm_rnafm_layer_t *y, int B, int T, tfm_rnafm_ws_t *w)
{
    int d = m->d, N = B * T, hd = d / m->n_heads;
    float *qkv = w->f, *o = w->h;
    layernorm_forward(w->h, w->x, y->ln1_w, y->ln1_b, N, d);
    matmul_forward(qkv, w->h, y->wqkv, y->bqkv, N, d, 3 * d, 0, &w->prof);
    float scale = (float)(1.0 / sqrt((double)hd)); /* applied to q after its bias */
    for (int n = 0; n < N; n++) {
        float *q = qkv + (size_t)n * 3 * d;
        for (int c = 0; c < d; c++) q[c] *= scale;
    }
    attention_forward(o, w->s, qkv, w->pad, B, T, d, m->n_heads);
    matmul_forward(w->x, o, y->wo, y->bo, N, d, d, 1, &w->prof);
    layernorm_forward(w->h, w->x, y->ln2_w, y->ln2_b, N, d);
    matmul_forward(w->f, w->h, y->w1, y->b1, N, d, m->ffn, 0, &w->prof);
    gelu_forward(w->f, (size_t)N * m->ffn);
    matmul_forward(w->x, w->f, y->w2, y->b2, N, m->ffn, d, 1, &w->prof);
}

/* One pass: rows b0 .. b0 + B of the caller's batch of Ball rows (tok already offset). */
static int forward_pass(const tfm_rnafm_t *m, const int *tok, int B, int T, int b0, int Ball,
                        const tfm_rnafm_out_t *out, tfm_rnafm_ws_t *ws)
{
    int L = m->n_layers, d = m->d;
    size_t N = (size_t)B * T, plane = N * d, off = (size_t)b0 * T * d, stride = (size_t)Ball * T * d;
    if (embed_forward(m, tok, B, T, b0, ws) < 0) return -1;
    for (int l = 0;; l++) {
        if (out->hidden) memcpy(out->hidden + l * stride + off, ws->x, sizeof(float) * plane);
        if (out->rep && out->layer == l && l < L) memcpy(out->rep + off, ws->x, sizeof(float) * plane);
        if (l == L) break;
        if (!out->hidden && !out->logits && !(out->rep && out->layer > l)) return 0; /* nothing more needed */
        layer_forward(m, &m->layers[l], B, T, ws);
    }
    if (!(out->rep && out->layer == L) && !out->logits) return 0;
    layernorm_forward(ws->h, ws->x, m->ln_after_w, m->ln_after_b, (int)N, d); /* representations[L] */
    if (out->rep && out->layer == L) memcpy(out->rep + off, ws->h, sizeof(float) * plane);
    if (out->logits) { /* LN(gelu(dense(x))) E^T + bias, E tied to embed_tokens */
        matmul_forward(ws->f, ws->h, m->lm_dense_w, m->lm_dense_b, (int)N, d, d, 0, NULL);
        gelu_forward(ws->f, plane);
        layernorm_forward(ws->f, ws->f, m->lm_ln_w, m->lm_ln_b, (int)N, d);
        matmul_forward(out->logits + (size_t)b0 * T * TFM_RNAFM_VOCAB, ws->f, m->embed_tokens, m->lm_bias, (int)N, d,
                       TFM_RNAFM_VOCAB, 0, NULL);
    }
    return 0;
}

int tfm_rnafm_forward(const tfm_rnafm_t *m, const int *tok, int B, int T, const tfm_rnafm_out_t *out,
                      tfm_rnafm_ws_t *ws)
{
    if (B < 0 || T < 0 || (size_t)B * T > (size_t)1 << 26) return tfm_fail("RNA-FM: bad batch shape (%d, %d)", B, T);
    if (out->rep && (out->layer < 0 || out->layer > m->n_layers))
        return tfm_fail("RNA-FM: no representation of layer %d (0..%d)", out->layer, m->n_layers);
    if (B == 0 || T == 0) return 0;
    int rows = TFM_RNAFM_PASS_TOKENS / T > 0 ? TFM_RNAFM_PASS_TOKENS / T : 1;
    if (rows > B) rows = B;
    double t0 = tfm_seconds();
    ws_reserve(ws, (size_t)rows * T, T, m->d, m->ffn, m->d / m->n_heads);
    for (int b0 = 0; b0 < B; b0 += rows)
        if (forward_pass(m, tok + (size_t)b0 * T, B - b0 < rows ? B - b0 : rows, T, b0, B, out, ws) < 0) return -1;
    ws->prof.total_s += tfm_seconds() - t0, ws->prof.tokens += (double)B * T;
    return 0;
}
